"""Grad modes: no_grad, enable_grad, set_grad_enabled, detach, requires_grad_()."""
import torch

w = torch.tensor([1.0, -1.0], requires_grad=True)
x = torch.tensor([2.0, 3.0])

print("grad enabled:", torch.is_grad_enabled())
with torch.no_grad():
    print("inside no_grad:", torch.is_grad_enabled())
    y = (w * x).sum()
    with torch.enable_grad():
        z = (w * x).sum()
print("y:", y, y.requires_grad, y.grad_fn)
print("z:", z, z.requires_grad, type(z.grad_fn).__name__)
print("after the block:", torch.is_grad_enabled())


@torch.no_grad()
def evaluate(weights, inputs):
    return (weights * inputs).sum()


print("decorated:", evaluate(w, x), evaluate(w, x).requires_grad)
for mode in (False, True):
    with torch.set_grad_enabled(mode):
        out = w * 2
    print(f"set_grad_enabled({mode}): requires_grad={out.requires_grad}")

d = w.detach()
print("detach:", d, d.requires_grad, d.is_leaf)
d[0] = 10.0
print("detached tensors share storage:", w)
with torch.no_grad():
    w[0] = 1.0
print("restored:", w)

a = torch.tensor([3.0])
print(a.requires_grad, a.is_leaf)
a.requires_grad_()
print(a.requires_grad, a.is_leaf)
b = a * a
print(b.requires_grad, b.is_leaf)
b.sum().backward()
print("a.grad:", a.grad)
a.requires_grad_(False)
print(a.requires_grad, (a * 2).requires_grad)

# A stop-gradient: the detached branch counts as a constant.
p = torch.tensor(2.0, requires_grad=True)
loss = p * p.detach() + p ** 2
loss.backward()
print("d/dp [p * stop(p) + p^2] at 2:", p.grad)

q = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
with torch.no_grad():
    q.mul_(2)
print("in-place under no_grad keeps the leaf:", q, q.is_leaf, q.grad_fn)
r = q.data
r += 1
print("through .data:", q)
values = [v * 10 for v in q.detach().tolist()]
print(values, torch.tensor(values).requires_grad)
print("grad still enabled at the end:", torch.is_grad_enabled())
