"""Gradient clipping by global norm and by value, inside a training loop with exploding inputs."""
import torch
from torch import nn
from torch.nn.utils import clip_grad_norm_, clip_grad_value_

torch.manual_seed(15)

model = nn.Sequential(nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 1))
x = torch.randn(8, 4) * 10
y = torch.randn(8, 1) * 10


def compute_grads():
    model.zero_grad()
    loss = nn.functional.mse_loss(model(x), y)
    loss.backward()
    return loss


def grad_norm():
    return torch.norm(torch.stack([p.grad.norm() for p in model.parameters()])).item()


compute_grads()
print(f"global gradient norm: {grad_norm():.4f}")
print("per-parameter norms:", [f"{p.grad.norm().item():.4f}" for p in model.parameters()])
returned = clip_grad_norm_(model.parameters(), max_norm=1.0)
print(f"clip_grad_norm_ returned the norm before clipping: {returned.item():.4f}")
print(f"norm after clipping: {grad_norm():.4f}")
print("last bias grad after clipping:", model[2].bias.grad)

compute_grads()
returned_inf = clip_grad_norm_(model.parameters(), max_norm=0.5, norm_type=float("inf"))
print(f"\ninf-norm before: {returned_inf.item():.4f}")
print(f"largest entry after: {max(p.grad.abs().max().item() for p in model.parameters()):.4f}")

compute_grads()
print("\nfirst-layer grad before clip_grad_value_:")
print(model[0].weight.grad)
clip_grad_value_(model.parameters(), clip_value=0.25)
print("after clip_grad_value_(0.25):")
print(model[0].weight.grad)

compute_grads()
small = clip_grad_norm_(model.parameters(), max_norm=1e6)
print(f"\na huge max_norm leaves gradients alone: norm {small.item():.4f} -> {grad_norm():.4f}")


def train(clip, steps=15, lr=0.01):
    torch.manual_seed(150)
    net = nn.Sequential(nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 1))
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    norms = []
    for _ in range(steps):
        opt.zero_grad()
        loss = nn.functional.mse_loss(net(x), y)
        loss.backward()
        if clip:
            norms.append(clip_grad_norm_(net.parameters(), 5.0).item())
        opt.step()
    return loss.item(), norms


loss_plain, _ = train(clip=False)
loss_clip, norms = train(clip=True)
print(f"\nloss after 15 steps without clipping: {loss_plain:.4f}")
print(f"loss after 15 steps with clipping:    {loss_clip:.4f}")
print("pre-clip norms of the first steps:", [f"{n:.4f}" for n in norms[:4]])
print("steps that were clipped:", sum(n > 5.0 for n in norms))
