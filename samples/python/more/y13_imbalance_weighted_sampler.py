"""Class imbalance: weighted CrossEntropyLoss vs WeightedRandomSampler, with a confusion matrix."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset, WeightedRandomSampler

torch.manual_seed(13)

sizes = [300, 60, 20]
means = torch.tensor([[0.0, 0.0], [2.0, 0.5], [0.5, 2.0]])
X = torch.cat([means[c] + 0.8 * torch.randn(n, 2) for c, n in enumerate(sizes)])
y = torch.cat([torch.full((n,), c, dtype=torch.long) for c, n in enumerate(sizes)])


class PointsDataset(Dataset):
    def __init__(self, X, y):
        self.X, self.y = X, y

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        return self.X[i], self.y[i]


ds = PointsDataset(X, y)
class_counts = torch.bincount(y)
print("class counts:", class_counts.tolist())
class_weights = 1.0 / class_counts.float()
class_weights = class_weights / class_weights.sum() * len(sizes)
print("class weights:", [f"{w:.4f}" for w in class_weights])
sample_weights = class_weights[y]
sampler = WeightedRandomSampler(sample_weights, num_samples=len(ds), replacement=True)


def confusion_matrix(pred, target, n):
    cm = torch.zeros(n, n, dtype=torch.int64)
    for t, p in zip(target.tolist(), pred.tolist()):
        cm[t, p] += 1
    return cm


def run(name, loader, criterion, epochs=15):
    torch.manual_seed(100)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 3))
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    seen = torch.zeros(3, dtype=torch.long)
    for epoch in range(epochs):
        for xb, yb in loader:
            if epoch == 0:
                seen += torch.bincount(yb, minlength=3)
            opt.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            opt.step()
    model.eval()
    with torch.no_grad():
        pred = model(X).argmax(dim=1)
    cm = confusion_matrix(pred, y, 3)
    recall = cm.diag().float() / cm.sum(dim=1).float()
    print(f"== {name} ==")
    print("labels seen in epoch 0:", seen.tolist())
    print(cm)
    print("per-class recall:", np.round(recall.numpy(), 3).tolist())
    print(f"balanced accuracy: {recall.mean().item():.4f}  accuracy: {(pred == y).float().mean().item():.4f}")


run("plain", DataLoader(ds, batch_size=32, shuffle=True), nn.CrossEntropyLoss())
run("weighted loss", DataLoader(ds, batch_size=32, shuffle=True), nn.CrossEntropyLoss(weight=class_weights))
run("weighted sampler", DataLoader(ds, batch_size=32, sampler=sampler), nn.CrossEntropyLoss())
print(nn.CrossEntropyLoss(weight=class_weights, label_smoothing=0.1))
