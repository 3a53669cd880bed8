"""Deprecation warnings with their category (torch.nn.utils.weight_norm warns
FutureWarning), and more nn.EmbeddingBag variants: 2-D inputs with per-sample weights,
max mode with padding, from_pretrained(freeze=False) fine-tuning."""
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import weight_norm

torch.manual_seed(9)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    layer = weight_norm(nn.Linear(3, 2))
print([w.category.__name__ for w in caught])
print(str(caught[0].message))
print(list(layer.state_dict().keys()))

warnings.simplefilter("error", FutureWarning)
try:
    weight_norm(nn.Linear(3, 2))
except FutureWarning as e:
    print("FutureWarning raised:", str(e)[:40])
warnings.simplefilter("ignore", FutureWarning)
weight_norm(nn.Linear(3, 2))
print("ignored")

# 2-D input: each row is a bag; per_sample_weights has the input's shape
vectors = torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, -1.0], [0.5, 0.5]])
bag = nn.EmbeddingBag.from_pretrained(vectors, freeze=False, mode="sum")
print(bag, bag.weight.requires_grad)
ids = torch.tensor([[0, 1, 2], [3, 3, 4]])
weights = torch.tensor([[1.0, 0.5, 2.0], [1.0, -1.0, 4.0]], requires_grad=True)
out = bag(ids, per_sample_weights=weights)
print(out)
target = torch.tensor([[1.0, 1.0], [0.0, 0.0]])
opt = torch.optim.SGD(list(bag.parameters()) + [weights], lr=0.1)
for step in range(3):
    opt.zero_grad()
    loss = F.mse_loss(bag(ids, per_sample_weights=weights), target)
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.5f}")
print(bag.weight.detach())
print(weights.detach())

maxbag = nn.EmbeddingBag(6, 3, mode="max", padding_idx=0)
print(maxbag, maxbag.weight[0].tolist())
res = maxbag(torch.tensor([[0, 0], [1, 0], [2, 5]]))
print(res[0].tolist(), res.grad_fn.name())
res.sum().backward()
print(maxbag.weight.grad.sum(1).tolist())
try:
    nn.EmbeddingBag(4, 2)(torch.tensor([[1, 2]]), torch.tensor([0]))
except ValueError as e:
    print("ValueError:", str(e)[:60])
