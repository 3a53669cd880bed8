"""Gradient accumulation, zeroing, retain_grad on intermediates and tensor hooks."""
import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
batches = [torch.tensor([1.0, 1.0]), torch.tensor([2.0, 0.0]), torch.tensor([0.0, 3.0])]

for i, xb in enumerate(batches):
    loss = (w * xb).sum() ** 2
    loss.backward()
    print(f"after batch {i}: loss={loss.item():5.1f} accumulated grad={w.grad.tolist()}")
accumulated = w.grad.clone()
w.grad.zero_()
print("zeroed:", w.grad)

total = sum((w * xb).sum() ** 2 for xb in batches)
total.backward()
print("one backward over the sum:", w.grad, "| equal:", torch.equal(w.grad, accumulated))
w.grad = None
print("grad reset to None:", w.grad)

a = torch.tensor(2.0, requires_grad=True)
b = a * 3
b.retain_grad()
c = b ** 2
c.retain_grad()
d = c + b
d.backward()
print(f"a.grad={a.grad} b.grad={b.grad} c.grad={c.grad}")
print("retains_grad:", b.retains_grad, c.retains_grad, d.retains_grad)

seen = []


def log_hook(name):
    def hook(grad):
        seen.append(name)
        print(f"  hook on {name}: grad={grad.tolist()}")
    return hook


x = torch.tensor([1.0, -1.0, 0.5], requires_grad=True)
h = x * 2
h.register_hook(log_hook("h"))
x.register_hook(log_hook("x"))
out = (h ** 2).sum()
print("backward with hooks:")
out.backward()
print("order:", seen, "| x.grad:", x.grad)

clip = torch.tensor([3.0, -4.0], requires_grad=True)
handle = clip.register_hook(lambda g: g.clamp(-1.0, 1.0))
(clip * torch.tensor([10.0, 10.0])).sum().backward()
print("clamped by a hook:", clip.grad)
handle.remove()
clip.grad = None
(clip * torch.tensor([10.0, 10.0])).sum().backward()
print("after removing it:", clip.grad)

# Accumulating over micro-batches, scaled, then one manual step.
p = torch.tensor(0.0, requires_grad=True)
targets = [1.0, 2.0, 3.0, 4.0]
for epoch in range(3):
    for t in targets:
        ((p - t) ** 2 / len(targets)).backward()
    with torch.no_grad():
        p -= 0.25 * p.grad
    print(f"epoch {epoch}: grad {p.grad.item():+.4f} -> p {p.item():.4f}")
    p.grad.zero_()
