"""A full homework-style loop: random_split, train/val DataLoaders, early stopping, best checkpoint."""
import copy

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(35)

N = 120
X = torch.randn(N, 4)
w_true = torch.tensor([1.0, -2.0, 0.5, 0.0])
y = (X @ w_true + 0.3 * torch.randn(N) > 0).long()
full = TensorDataset(X, y)
train_set, val_set = random_split(full, [90, 30])
train_loader = DataLoader(train_set, batch_size=15, shuffle=True)
val_loader = DataLoader(val_set, batch_size=30)
print(f"train {len(train_set)} / val {len(val_set)}; train batches {len(train_loader)}")


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 2))

    def forward(self, x):
        return self.body(x)


model = Net()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=0.02, weight_decay=0.01)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.5)


def evaluate(loader):
    model.eval()
    total, correct, loss_sum = 0, 0, 0.0
    with torch.no_grad():
        for xb, yb in loader:
            logits = model(xb)
            loss_sum += criterion(logits, yb).item() * len(yb)
            correct += (logits.argmax(1) == yb).sum().item()
            total += len(yb)
    return loss_sum / total, correct / total


best_loss, best_state, best_epoch, patience, bad = float("inf"), None, -1, 3, 0
for epoch in range(20):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
    scheduler.step()
    train_loss, train_acc = evaluate(train_loader)
    val_loss, val_acc = evaluate(val_loader)
    flag = ""
    if val_loss < best_loss - 1e-3:
        best_loss, best_epoch, bad = val_loss, epoch, 0
        best_state = copy.deepcopy(model.state_dict())
        flag = " *"
    else:
        bad += 1
    print(f"epoch {epoch:2d} lr {scheduler.get_last_lr()[0]:.4f} train {train_loss:.4f}/{train_acc:.4f} "
          f"val {val_loss:.4f}/{val_acc:.4f}{flag}")
    if bad >= patience:
        print(f"early stop: no improvement for {patience} epochs")
        break

print(f"best epoch {best_epoch} with val loss {best_loss:.4f}")
model.load_state_dict(best_state)
print("restored best weights; val:", tuple(round(v, 4) for v in evaluate(val_loader)))
print("checkpoint keys:", list(best_state))
print("first layer weight of the best model:")
print(model.body[0].weight[:2])
