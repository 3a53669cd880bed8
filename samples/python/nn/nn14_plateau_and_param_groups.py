"""ReduceLROnPlateau driven by a validation loss, and per-layer learning rates."""
import torch
from torch import nn
from torch.optim.lr_scheduler import ReduceLROnPlateau

torch.manual_seed(14)

model = nn.Sequential(nn.Linear(3, 6), nn.Tanh(), nn.Linear(6, 1))
opt = torch.optim.Adam([
    {"params": model[0].parameters(), "lr": 1e-2, "name": "encoder"},
    {"params": model[2].parameters(), "lr": 5e-2, "name": "head"},
])
print("groups:", [(g["name"], g["lr"], len(g["params"])) for g in opt.param_groups])

sched = ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=2, threshold=0.01)
print("initial lrs:", sched.get_last_lr())

# a validation curve that stalls: the scheduler halves the lrs after `patience` bad epochs
val_losses = [1.0, 0.8, 0.7, 0.69, 0.695, 0.70, 0.71, 0.5, 0.49, 0.495, 0.5, 0.51, 0.52]
for epoch, val in enumerate(val_losses):
    opt.step()
    sched.step(val)
    lrs = ", ".join(f"{lr:.5f}" for lr in sched.get_last_lr())
    print(f"epoch {epoch:2d}  val {val:.3f}  best {sched.best:.3f}  bad epochs {sched.num_bad_epochs}  lrs [{lrs}]")

print("\ncooldown and min_lr:")
opt2 = torch.optim.SGD(model.parameters(), lr=0.1)
sched2 = ReduceLROnPlateau(opt2, mode="max", factor=0.1, patience=0, cooldown=1, min_lr=0.0005)
for epoch, acc in enumerate([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]):
    sched2.step(acc)
    print(f"  epoch {epoch}: lr {sched2.get_last_lr()[0]:.5f}  cooldown left {sched2.cooldown_counter}")

print("\ntraining with frozen-encoder warmup, then both groups:")
X = torch.randn(32, 3)
y = (X.sum(dim=1, keepdim=True) > 0).float()
loss_fn = nn.BCEWithLogitsLoss()
opt3 = torch.optim.SGD([
    {"params": model[0].parameters(), "lr": 0.0},
    {"params": model[2].parameters()},
], lr=0.5)
enc_before = model[0].weight.detach().clone()
for epoch in range(6):
    if epoch == 3:
        opt3.param_groups[0]["lr"] = 0.1
        print("  encoder learning rate raised to 0.1")
    loss = loss_fn(model(X), y)
    opt3.zero_grad()
    loss.backward()
    opt3.step()
    moved = (model[0].weight.detach() - enc_before).abs().max().item()
    print(f"  epoch {epoch}: loss {loss.item():.4f}  encoder moved {moved:.4f}")
print("group lrs:", [g["lr"] for g in opt3.state_dict()["param_groups"]])
print("group params:", [g["params"] for g in opt3.state_dict()["param_groups"]])
