# Homework: a learning-rate range test, growing the LR geometrically each batch.
import math
import torch
from torch import nn

torch.manual_seed(22)
X = torch.randn(512, 8)
y = (X[:, 0] - 2 * X[:, 1] + 0.1 * torch.randn(512)).unsqueeze(1)
ds = torch.utils.data.TensorDataset(X, y)
loader = torch.utils.data.DataLoader(ds, batch_size=16, shuffle=True)

model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 1))
opt = torch.optim.SGD(model.parameters(), lr=1e-5)
start_lr, end_lr, num = 1e-5, 10.0, len(loader)
mult = (end_lr / start_lr) ** (1 / (num - 1))
print("batches:", num, f"mult={mult:.5f}")

lrs, losses = [], []
best = math.inf
avg, beta = 0.0, 0.9
for i, (xb, yb) in enumerate(loader):
    lr = start_lr * mult ** i
    for g in opt.param_groups:
        g["lr"] = lr
    loss = nn.functional.mse_loss(model(xb), yb)
    avg = beta * avg + (1 - beta) * loss.item()
    smooth = avg / (1 - beta ** (i + 1))
    if i > 5 and smooth > 4 * best:
        print(f"stopping at batch {i}, lr={lr:.2e}")
        break
    best = min(best, smooth)
    lrs.append(lr)
    losses.append(smooth)
    opt.zero_grad()
    loss.backward()
    opt.step()

for i in range(0, len(lrs), 4):
    print(f"lr={lrs[i]:.2e} loss={losses[i]:.4f}")
k = min(range(len(losses)), key=losses.__getitem__)
print(f"lowest smoothed loss {losses[k]:.4f} at lr {lrs[k]:.2e}")
print("current lr:", f"{opt.param_groups[0]['lr']:.3e}")
print(torch.logspace(-5, 1, steps=4))
