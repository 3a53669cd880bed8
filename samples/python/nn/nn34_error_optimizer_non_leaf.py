"""Passing a computed (non-leaf) tensor to an optimizer (uncaught ValueError)."""
import torch
from torch import nn

torch.manual_seed(34)

layer = nn.Linear(3, 2)
opt = torch.optim.Adam(layer.parameters(), lr=0.01)
print("optimizer over", len(opt.param_groups[0]["params"]), "parameters")
print("all leaves:", all(p.is_leaf for p in layer.parameters()))

# the right way to learn a unit-norm weight: optimise a free Parameter and normalise in forward
direction = nn.Parameter(torch.randn(2, 3))
good_opt = torch.optim.SGD([direction], lr=0.1)
x = torch.randn(4, 3)
for step in range(2):
    unit = direction / direction.norm(dim=1, keepdim=True)
    loss = (x @ unit.T).pow(2).mean()
    good_opt.zero_grad()
    loss.backward()
    good_opt.step()
    print(f"step {step}: loss {loss.item():.4f}")
print("direction is still a leaf:", direction.is_leaf)

# the student wants a weight-normalised copy and optimises it directly
scaled = layer.weight / layer.weight.norm(dim=1, keepdim=True)
print("scaled weight is leaf:", scaled.is_leaf, "| grad_fn:", scaled.grad_fn.name())
print(scaled)
print("rows have unit norm:", torch.allclose(scaled.norm(dim=1), torch.ones(2)))
opt2 = torch.optim.SGD([scaled], lr=0.1)
print("never reached")
