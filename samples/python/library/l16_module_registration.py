import torch
from torch import nn
torch.manual_seed(0)
class Block(nn.Module):
    def __init__(self, n, act=None):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(n, n) for _ in range(3)])
        self.act = act or nn.Tanh()
        self.register_buffer("scale", torch.ones(n))
        self.alpha = nn.Parameter(torch.tensor(0.5))
        self.name = "blk"
    def extra_repr(self):
        return f"name={self.name}"
    def forward(self, x):
        for l in self.layers:
            x = self.act(l(x))
        return x * self.scale * self.alpha
b = Block(2)
print(b)
print([n for n, _ in b.named_parameters()])
print(sum(p.numel() for p in b.parameters()))
print(list(b.state_dict().keys()))
print(b.alpha)
print(isinstance(b.alpha, nn.Parameter), isinstance(b, nn.Module), b.training)
b.eval(); print(b.training, b.layers[0].training)
print(b.layers[-1].weight.shape, len(b.layers))
try:
    b.alpha = torch.ones(1)
except TypeError as e:
    print("TypeError:", e)
try:
    b.missing
except AttributeError as e:
    print("AttributeError:", e)
class Bad(nn.Module):
    def __init__(self):
        self.fc = nn.Linear(1, 1)
try:
    Bad()
except AttributeError as e:
    print("AttributeError:", e)
seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
print(seq, seq[0], seq[1:], len(seq))
print(nn.ModuleDict({"a": nn.ReLU()}))
for name, m in b.named_modules():
    print(repr(name), type(m).__name__)
print(b.load_state_dict(b.state_dict()))
sd = b.state_dict()
del sd["alpha"]
try:
    b.load_state_dict(sd)
except RuntimeError as e:
    print(e)
