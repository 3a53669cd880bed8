# Homework: early stopping on a validation split with a deep copy of the best weights.
import copy
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(23)
X = torch.randn(300, 5)
y = (X.sum(1, keepdim=True) > 0).float()
full = TensorDataset(X, y)
train_ds, val_ds = random_split(full, [240, 60], generator=torch.Generator().manual_seed(42))
print(len(train_ds), len(val_ds), type(train_ds).__name__)
print("first val indices:", val_ds.indices[:5])
train_dl = DataLoader(train_ds, batch_size=32, shuffle=True)
val_dl = DataLoader(val_ds, batch_size=60)

model = nn.Sequential(nn.Linear(5, 32), nn.ReLU(), nn.Linear(32, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
crit = nn.BCEWithLogitsLoss()
patience, bad_epochs = 3, 0
best_loss, best_state, best_epoch = float("inf"), None, -1

for epoch in range(40):
    model.train()
    for xb, yb in train_dl:
        opt.zero_grad()
        crit(model(xb), yb).backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        xv, yv = next(iter(val_dl))
        logits = model(xv)
        val_loss = crit(logits, yv).item()
        acc = ((logits > 0).float() == yv).float().mean().item()
    print(f"epoch {epoch:2d} val_loss {val_loss:.4f} val_acc {acc:.3f}")
    if val_loss < best_loss - 1e-4:
        best_loss, best_epoch, bad_epochs = val_loss, epoch, 0
        best_state = copy.deepcopy(model.state_dict())
    else:
        bad_epochs += 1
        if bad_epochs >= patience:
            print(f"early stop at epoch {epoch}; best epoch {best_epoch}")
            break

model.load_state_dict(best_state)
with torch.no_grad():
    print(f"restored val loss {crit(model(xv), yv).item():.4f} == best {best_loss:.4f}")
