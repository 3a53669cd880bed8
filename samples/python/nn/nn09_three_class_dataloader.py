"""Three-class softmax classifier trained from a shuffled DataLoader over several epochs."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(9)

centers = torch.tensor([[0.0, 2.0], [-2.0, -1.0], [2.0, -1.0]])
per_class = 30
X = torch.cat([c + 0.7 * torch.randn(per_class, 2) for c in centers])
y = torch.arange(3).repeat_interleave(per_class)
print("dataset:", X.shape, y.shape, "labels:", torch.bincount(y).tolist())

dataset = TensorDataset(X, y)
print("len(dataset):", len(dataset))
x0, y0 = dataset[0]
print("first item:", x0, y0)
loader = DataLoader(dataset, batch_size=16, shuffle=True)
print("batches per epoch:", len(loader))

model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 3))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)

for epoch in range(6):
    model.train()
    seen = 0
    running = 0.0
    correct = 0
    for xb, yb in loader:
        logits = model(xb)
        loss = criterion(logits, yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running += loss.item() * len(yb)
        correct += (logits.argmax(1) == yb).sum().item()
        seen += len(yb)
    print(f"epoch {epoch}  mean loss {running / seen:.4f}  train acc {correct / seen:.4f}  seen {seen}")

first_batch = next(iter(loader))
print("\na batch:", [t.shape for t in first_batch], "last batch size:", len(dataset) % 16)

model.eval()
with torch.no_grad():
    logits = model(X)
    pred = logits.argmax(1)
confusion = torch.zeros(3, 3, dtype=torch.long)
for t, p in zip(y.tolist(), pred.tolist()):
    confusion[t, p] += 1
print("confusion matrix (rows: true, cols: predicted):")
print(confusion)
print(f"accuracy: {(pred == y).float().mean().item():.4f}")

with torch.no_grad():
    probs = torch.softmax(model(centers), dim=1)
print("probabilities at the class centers:")
for c, row in zip(centers.tolist(), probs.tolist()):
    print(f"  {c}: " + " ".join(f"{v:.4f}" for v in row))
print("predicted:", probs.argmax(1).tolist())
