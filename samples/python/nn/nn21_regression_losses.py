"""Regression losses with every reduction: MSELoss, L1Loss, SmoothL1Loss, HuberLoss."""
import torch
from torch import nn

torch.manual_seed(21)

pred = torch.tensor([[0.5, 2.0], [-1.0, 4.0], [3.0, 0.2]], requires_grad=True)
target = torch.tensor([[0.0, 2.5], [1.0, 1.0], [3.1, 0.0]])
print("errors:", (pred - target).detach())

losses = [
    nn.MSELoss,
    nn.L1Loss,
    lambda reduction: nn.SmoothL1Loss(reduction=reduction, beta=1.0),
    lambda reduction: nn.SmoothL1Loss(reduction=reduction, beta=0.5),
    lambda reduction: nn.HuberLoss(reduction=reduction, delta=1.0),
    lambda reduction: nn.HuberLoss(reduction=reduction, delta=2.0),
]
for make in losses:
    print()
    for reduction in ("none", "mean", "sum"):
        fn = make(reduction=reduction)
        out = fn(pred, target)
        if reduction == "none":
            print(fn)
            print("  none:", out.detach().flatten(), out.grad_fn.name())
        else:
            (g,) = torch.autograd.grad(out, pred)
            print(f"  {reduction}: {out.item():.4f}  grad row 1: {g[1]}")

e = (pred - target).detach()
print("\nby hand:")
print(f"  mse {(e ** 2).mean().item():.4f}  l1 {e.abs().mean().item():.4f}")
a = e.abs()
smooth = torch.where(a < 1.0, 0.5 * a ** 2, a - 0.5)
print(f"  smooth l1 (beta 1) {smooth.mean().item():.4f}")
huber2 = torch.where(a < 2.0, 0.5 * a ** 2, 2.0 * (a - 1.0))
print(f"  huber (delta 2) {huber2.mean().item():.4f}")
print("huber(delta) == delta * smooth_l1(beta=delta):",
      torch.allclose(nn.HuberLoss(delta=2.0)(pred, target), 2.0 * nn.SmoothL1Loss(beta=2.0)(pred, target)))

print("\nrobustness to one outlier:")
y = torch.zeros(5)
for outlier in (1.0, 10.0, 100.0):
    p = torch.tensor([0.1, -0.1, 0.2, 0.0, outlier])
    row = [f"{name} {fn(p, y).item():9.4f}" for name, fn in
           (("mse", nn.MSELoss()), ("l1", nn.L1Loss()), ("huber", nn.HuberLoss()))]
    print(f"  outlier {outlier:6.1f}: " + "  ".join(row))

print("\nfunctional forms agree:",
      torch.allclose(nn.functional.mse_loss(pred, target), nn.MSELoss()(pred, target)),
      torch.allclose(nn.functional.l1_loss(pred, target, reduction="sum"), nn.L1Loss(reduction="sum")(pred, target)),
      torch.allclose(nn.functional.huber_loss(pred, target), nn.HuberLoss()(pred, target)))
