"""An LR range test (LR finder) with exponential LR growth and a smoothed loss."""
import copy
import math
import torch
import torch.nn as nn

torch.manual_seed(21)

X = torch.randn(512, 10)
w = torch.randn(10, 3)
y = (X @ w).argmax(dim=1)

model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 3))
init_state = copy.deepcopy(model.state_dict())
criterion = nn.CrossEntropyLoss()

start_lr, end_lr, num_iter = 1e-5, 10.0, 60
optimizer = torch.optim.SGD(model.parameters(), lr=start_lr, momentum=0.9)
gamma = (end_lr / start_lr) ** (1 / (num_iter - 1))
scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=gamma)
print(f"gamma = {gamma:.6f}")

lrs, losses = [], []
avg_loss, beta = 0.0, 0.98
best_loss = math.inf
for it in range(num_iter):
    idx = torch.randint(0, X.shape[0], (32,))
    xb, yb = X[idx], y[idx]
    optimizer.zero_grad()
    loss = criterion(model(xb), yb)
    loss.backward()
    optimizer.step()
    lr = scheduler.get_last_lr()[0]
    avg_loss = beta * avg_loss + (1 - beta) * loss.item()
    smoothed = avg_loss / (1 - beta ** (it + 1))
    lrs.append(lr)
    losses.append(smoothed)
    if smoothed < best_loss:
        best_loss = smoothed
    if it % 10 == 0:
        print(f"iter {it:2d} lr {lr:.2e} loss {smoothed:.4f}")
    if smoothed > 4 * best_loss or not math.isfinite(smoothed):
        print(f"stopping early at iter {it}: loss diverged ({smoothed:.4f})")
        break
    scheduler.step()

min_i = min(range(len(losses)), key=losses.__getitem__)
print(f"min loss {losses[min_i]:.4f} at lr {lrs[min_i]:.2e}")
suggested = lrs[min_i] / 10
print(f"suggested lr: {suggested:.2e}")

model.load_state_dict(init_state)
print("restored initial weights:", torch.equal(model[0].weight, init_state["0.weight"]))
optimizer = torch.optim.SGD(model.parameters(), lr=suggested, momentum=0.9)
for epoch in range(5):
    perm = torch.randperm(512)
    for i in range(0, 512, 64):
        b = perm[i:i + 64]
        optimizer.zero_grad()
        loss = criterion(model(X[b]), y[b])
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        acc = (model(X).argmax(1) == y).float().mean()
    print(f"epoch {epoch}: loss {loss.item():.4f} acc {acc:.3f}")
print("last lr in scheduler:", f"{scheduler.get_last_lr()[0]:.4g}", "state keys:", sorted(scheduler.state_dict()))
