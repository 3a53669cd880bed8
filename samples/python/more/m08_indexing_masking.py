"""Indexing, boolean masks, where, gather and their gradients."""
import torch

torch.manual_seed(3)
x = torch.randn(4, 5)
print("x =\n", x)
print("x[1] =", x[1])
print("x[:, 2] =", x[:, 2])
print("x[1:3, ::2] =\n", x[1:3, ::2])
print("x[-1, -2] =", x[-1, -2])
print("x[[0, 2]] =\n", x[[0, 2]])
print("x[[0, 1], [1, 2]] =", x[[0, 1], [1, 2]])

mask = x > 0
print("mask =\n", mask)
print("positives:", x[mask])
print("count positive per row:", mask.sum(dim=1))
print("any/all:", mask.any().item(), mask.all().item(), mask.any(dim=0))
print("nonzero:\n", torch.nonzero(mask)[:5])
print("where:\n", torch.where(mask, x, torch.zeros_like(x)))

w = torch.tensor([1.0, -2.0, 3.0, -4.0, 5.0], requires_grad=True)
m = w > 0
loss = (w[m] ** 2).sum() + w[~m].abs().sum()
loss.backward()
print("loss:", loss)
print("grad:", w.grad)

w.grad = None
y = torch.where(w > 0, w * w, -w)
y.sum().backward()
print("where grad:", w.grad)

w.grad = None
filled = w.masked_fill(w < 0, 0.0)
filled.sum().backward()
print("masked_fill:", filled, "grad:", w.grad)

scores = torch.tensor([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.05, 0.05, 0.9]], requires_grad=True)
labels = torch.tensor([1, 0, 2])
picked = scores.gather(1, labels.unsqueeze(1)).squeeze(1)
print("picked:", picked)
picked.log().neg().mean().backward()
print("gather grad:\n", scores.grad)
print("arange index:", scores[torch.arange(3), labels])

idx = torch.tensor([2, 0])
print("index_select:\n", torch.index_select(x, 0, idx))
top = torch.topk(x[0], k=3)
print("topk values:", top.values, "indices:", top.indices)
s, order = torch.sort(x[1], descending=True)
print("sorted:", s, order)
print("unique:", torch.unique(torch.tensor([3, 1, 3, 2, 1])))
print("clone of masked:", x[x.abs() > 1.5].clone())
print("ellipsis:", torch.arange(24).reshape(2, 3, 4)[..., 1])
print("none:", torch.arange(3)[None, :, None].shape)
z = torch.zeros(5)
z[torch.tensor([0, 3])] = torch.tensor([9.0, 8.0])
print(z)
print(torch.tensor([10, 20, 30])[torch.tensor([True, False, True])])
