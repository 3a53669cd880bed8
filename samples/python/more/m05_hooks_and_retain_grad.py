"""retain_grad, register_hook on intermediate tensors, and gradient clipping hooks."""
import torch

x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
h = x * 2
h.retain_grad()
y = h.relu()
y.retain_grad()
loss = (y ** 2).sum()
loss.backward()
print("x.grad:", x.grad)
print("h.grad:", h.grad)
print("y.grad:", y.grad)
print("h.is_leaf:", h.is_leaf, "retains_grad:", h.retains_grad)

seen = []


def record(name):
    def hook(grad):
        seen.append((name, grad.clone()))
        print(f"  hook {name}: {grad}")
    return hook


a = torch.tensor([0.5, 1.5], requires_grad=True)
b = a.exp()
c = b * a
handle_b = b.register_hook(record("b"))
handle_c = c.register_hook(record("c"))
a.register_hook(record("a"))
print("backward 1")
c.sum().backward()
print("a.grad after 1:", a.grad)
handle_b.remove()
print("backward 2 (b hook removed)")
a.grad = None
c = a.exp() * a
c.register_hook(lambda g: g * 10)
c.sum().backward()
print("a.grad scaled by hook:", a.grad)
print("names seen:", [n for n, _ in seen])

# A clipping hook on a leaf
w = torch.tensor([3.0, -4.0], requires_grad=True)
w.register_hook(lambda g: g.clamp(-1.0, 1.0))
(w ** 3).sum().backward()
print("clipped grad:", w.grad)

# Hooks that return None leave the grad as is
counter = {"calls": 0}


def count(g):
    counter["calls"] += 1


v = torch.ones(2, 2, requires_grad=True)
for _ in range(3):
    z = (v * v).sum()
    z.register_hook(count)
    z.backward()
print("calls:", counter, "grad:\n", v.grad)

# Accessing .grad of a non-leaf without retain_grad gives None (and a warning)
q = torch.tensor(2.0, requires_grad=True)
r = q * 3
r.sum().backward()
print("q.grad", q.grad)
print("is r.grad None?", r.grad is None)
