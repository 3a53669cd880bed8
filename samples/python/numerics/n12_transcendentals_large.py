"""Transcendental functions and activations on 40-element ranges."""
import torch
import torch.nn.functional as F

x = torch.linspace(-5.0, 5.0, 40)
print("x", x.tolist())
for name, fn in [("exp", torch.exp), ("tanh", torch.tanh), ("sigmoid", torch.sigmoid),
                 ("sin", torch.sin), ("cos", torch.cos), ("erf", torch.erf),
                 ("softplus", F.softplus), ("silu", F.silu), ("gelu", F.gelu),
                 ("logsigmoid", F.logsigmoid), ("elu", F.elu)]:
    print(name, fn(x).tolist())
print("softmax", F.softmax(x, dim=0).tolist())
print("log_softmax", F.log_softmax(x, dim=0).tolist())
p = torch.linspace(0.05, 20.0, 40)
print("log", torch.log(p).tolist())
print("sqrt", torch.sqrt(p).tolist())
torch.manual_seed(6)
r = torch.randn(40)
print("exp r", torch.exp(r).tolist())
print("tanh r", torch.tanh(r).tolist())
print("sigmoid r", torch.sigmoid(r).tolist())
print("sum exp", torch.exp(x).sum().item())
print("sum tanh", torch.tanh(r).sum().item())
