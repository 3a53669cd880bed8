"""Broadcasting in the forward pass, summed gradients in the backward pass."""
import torch

cases = [
    ((3, 1), (1, 4)),
    ((2, 3), (3,)),
    ((4, 1, 2), (3, 1)),
    ((5,), ()),
]
for shape_a, shape_b in cases:
    a = torch.ones(shape_a, requires_grad=True)
    b = torch.full(shape_b, 2.0, requires_grad=True)
    out = a * b
    out.sum().backward()
    print(f"{str(shape_a):>9} * {str(shape_b):<6} -> {str(tuple(out.shape)):<10}"
          f" a.grad {tuple(a.grad.shape)} sum={a.grad.sum().item():5.1f}"
          f" | b.grad {tuple(b.grad.shape)} sum={b.grad.sum().item():5.1f}")

x = torch.arange(6.0).reshape(2, 3).requires_grad_()
bias = torch.tensor([10.0, 20.0, 30.0], requires_grad=True)
scale = torch.tensor([[1.0], [-1.0]], requires_grad=True)
y = (x + bias) * scale
print(y)
y.sum().backward()
print("x.grad:", x.grad)
print("bias.grad:", bias.grad)
print("scale.grad:", scale.grad.view(-1))

# Reductions: how each one spreads the gradient.
m = torch.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]], requires_grad=True)
reductions = {
    "sum": lambda t: t.sum(),
    "mean": lambda t: t.mean(),
    "max": lambda t: t.max(),
    "sum(dim=0).prod()": lambda t: t.sum(dim=0).prod(),
    "amax(dim=1).sum()": lambda t: t.amax(dim=1).sum(),
    "norm": lambda t: t.norm(),
    "logsumexp": lambda t: t.logsumexp(dim=1).sum(),
}
for name, fn in reductions.items():
    (g,) = torch.autograd.grad(fn(m), m)
    row = " ".join(f"{v:7.4f}" for v in g.reshape(-1).tolist())
    print(f"{name:>18}: {row}")

v = torch.tensor([3.0, 4.0], requires_grad=True)
unit = v / v.norm()
unit.backward(torch.tensor([1.0, 0.0]))
print("d(v/|v|)[0]/dv:", v.grad)
outer = torch.outer(torch.tensor([1.0, 2.0]), v)
print(outer, outer.grad_fn.name())
col = torch.tensor([[1.0], [2.0], [3.0]])
row = torch.tensor([[10.0, 20.0]])
print(col + row, (col * row).shape, (col - row).mean(dim=0))
print(torch.broadcast_shapes((3, 1), (1, 4)), torch.ones(2, 1).expand(2, 3).shape)
