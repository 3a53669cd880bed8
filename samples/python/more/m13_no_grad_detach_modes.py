"""no_grad, inference_mode, detach, requires_grad_, and a target network update."""
import torch


def describe(name: str, t: torch.Tensor) -> None:
    fn = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    print(f"{name:<10} requires_grad={t.requires_grad!s:<5} is_leaf={t.is_leaf!s:<5} grad_fn={fn}")


w = torch.tensor([0.5, -0.5], requires_grad=True)
describe("w", w)
describe("w*2", w * 2)
with torch.no_grad():
    describe("no_grad", w * 2)
describe("detach", w.detach())
describe("clone", w.clone())
describe("det.clone", w.detach().clone())
with torch.inference_mode():
    inf = w * 3
print("inference tensor:", inf, inf.requires_grad, inf.is_inference())

online = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
target = online.detach().clone()
tau = 0.1
for step in range(4):
    loss = ((online - torch.tensor([0.0, 0.0, 0.0])) ** 2).sum()
    loss.backward()
    with torch.no_grad():
        online -= 0.25 * online.grad
        online.grad = None
        target.mul_(1 - tau).add_(tau * online)
    print(f"step {step}: online={online.detach()} target={target}")

# Stop-gradient trick: straight-through estimator
z = torch.tensor([0.2, 0.7, 1.4], requires_grad=True)
rounded = z + (z.round() - z).detach()
print("rounded forward:", rounded)
(rounded * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print("straight-through grad:", z.grad)

k = torch.zeros(3)
print(k.requires_grad)
k.requires_grad_()
print(k.requires_grad, k.is_leaf)
out = (k + 1).prod()
out.backward()
print("k.grad:", k.grad)
try:
    (k * 2).requires_grad_(False)
except RuntimeError as e:
    print("error:", e)

@torch.no_grad()
def evaluate(v):
    return (v ** 2).sum()

print("decorated:", evaluate(online), evaluate(online).requires_grad)
with torch.set_grad_enabled(False):
    print("set_grad_enabled(False):", (online * 1).requires_grad)
print("enabled again:", torch.is_grad_enabled())
d = online.detach()
d.requires_grad = True
print("detached then requires_grad:", d.requires_grad, d.is_leaf, online.requires_grad)
n = online.data
print("data is leaf:", n.is_leaf, n.requires_grad)
try:
    online.requires_grad = False
    print("switched off on leaf:", online.requires_grad)
    (online * 2).requires_grad = False
except RuntimeError as e:
    print("non-leaf:", e)
