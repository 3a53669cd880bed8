"""Softmax classifier with CrossEntropyLoss over a shuffled DataLoader."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(4)
centers = torch.tensor([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]])
labels = torch.arange(3).repeat_interleave(16)
X = centers[labels] + 0.8 * torch.randn(48, 2)
model = nn.Linear(2, 3)
opt = torch.optim.SGD(model.parameters(), lr=0.2)
crit = nn.CrossEntropyLoss()
for step in range(15):
    opt.zero_grad()
    loss = crit(model(X), labels)
    loss.backward()
    opt.step()
    print(step, loss.item())
loader = DataLoader(TensorDataset(X, labels), batch_size=16, shuffle=True)
opt2 = torch.optim.Adam(model.parameters(), lr=0.05)
for epoch in range(3):
    for xb, yb in loader:
        opt2.zero_grad()
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt2.step()
        print("epoch", epoch, loss.item())
with torch.no_grad():
    logits = model(X)
    print("acc", (logits.argmax(1) == labels).float().mean().item())
    print(F.softmax(logits[:3], dim=1).tolist())
    print(F.cross_entropy(logits, labels, label_smoothing=0.1).item())
