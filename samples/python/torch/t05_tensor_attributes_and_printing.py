"""Tensors and their autograd attributes: requires_grad, is_leaf, grad_fn, printing."""
import torch

a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = torch.tensor([4.0, 5.0, 6.0])
c = a * b
d = c.sum()
e = d * 2

for name, t in [("a", a), ("b", b), ("c", c), ("d", d), ("e", e)]:
    fn = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    print(f"{name}: requires_grad={t.requires_grad!s:5} is_leaf={t.is_leaf!s:5} grad_fn={fn}")
print(c)
print(d, e)
print(repr(e), str(e))
print(e.grad_fn.name(), c.grad_fn.name())

e.backward()
print("a.grad =", a.grad, "| b.grad is None:", b.grad is None)
print("value of e:", e.item(), type(e.item()).__name__, f"{e:.1f}", f"{e.item():08.3f}")
print("c as a list:", c.tolist(), "| detached:", c.detach())

m = torch.arange(6, dtype=torch.float32).reshape(2, 3)
print(m)
print(m.shape, m.size(), m.size(1), m.dim(), m.numel(), m.dtype, m.device)
print(m.T)
print(m[0], m[:, 1], m[1, 2], m[1, 2].item())
print(m.sum(dim=0), m.mean(dim=1), m.max(), m.argmax())
print(m.tolist(), m.sum(dim=1, keepdim=True).shape)
ints = torch.tensor([[1, 2], [3, 4]])
print(ints, ints.dtype, ints * 2, ints.float() / 2)
print(torch.zeros(2, 2), torch.ones(3), torch.full((2,), 7.5))
print(torch.eye(2), torch.arange(0, 10, 3), torch.linspace(-1, 1, 5))
print(torch.tensor(3.5), torch.tensor(True), torch.tensor([True, False]))
print(torch.tensor([1e-4, 1.0, 1e4]), torch.tensor([0.1, 0.25]), torch.tensor([1e10, 1.0]))
print(torch.tensor([[1.5, -2.0], [3.25, 100.0]], dtype=torch.float64))
big = torch.arange(2000.0)
print(big)
print(f"{torch.tensor(2.0) ** 0.5:.6f}", f"{torch.tensor(-1.5):+.2f}", float(torch.tensor(0.25)),
      int(torch.tensor(7.9)), bool(torch.tensor(0.0)))
y = (a ** 2).mean()
print(y, y.requires_grad, y.grad_fn.name())
with torch.no_grad():
    z = a * 2
print(z, z.requires_grad, z.grad_fn)
print(a.detach().requires_grad, a.detach().is_leaf, a.data, a.clone())
