"""Activation functions from torch.nn.functional on a handful of inputs."""
import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.tensor([-4.0, -2.0, -1.0, -0.3, 0.0, 0.3, 1.0, 2.0, 4.0, 9.0])
print("softplus", F.softplus(x).tolist())
print("softplus b2", F.softplus(x, beta=2.0).tolist())
print("silu", F.silu(x).tolist())
print("gelu", F.gelu(x).tolist())
print("gelu tanh", F.gelu(x, approximate="tanh").tolist())
print("logsigmoid", F.logsigmoid(x).tolist())
print("elu", F.elu(x).tolist())
print("elu a0.5", F.elu(x, alpha=0.5).tolist())
print("mish", F.mish(x).tolist())
print("leaky", F.leaky_relu(x, 0.01).tolist())
print("softsign", F.softsign(x).tolist())
print("softmax", F.softmax(x, dim=0).tolist())
print("log_softmax", F.log_softmax(x, dim=0).tolist())
logits = torch.tensor([[1.0, 2.0, 3.0], [0.1, -0.2, 0.3], [10.0, 0.0, -10.0]])
print(F.softmax(logits, dim=1).tolist())
print(F.log_softmax(logits, dim=1).tolist())
print(F.softmax(logits, dim=0).tolist())
print(nn.Tanh()(x).tolist())
print(nn.Sigmoid()(x).tolist())
print(F.softmax(torch.tensor([1.0, 2.0, 3.0]) / 0.7, dim=0).tolist())
