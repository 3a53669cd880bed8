"""Logistic regression on two Gaussian blobs with BCEWithLogitsLoss."""
import torch
from torch import nn

torch.manual_seed(7)

n = 60
pos = torch.randn(n, 2) * 0.8 + torch.tensor([1.5, 1.0])
neg = torch.randn(n, 2) * 0.8 + torch.tensor([-1.0, -1.5])
X = torch.cat([pos, neg])
y = torch.cat([torch.ones(n), torch.zeros(n)]).unsqueeze(1)
print("data:", X.shape, "labels:", y.shape, "positives:", int(y.sum().item()))


class LogisticRegression(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.linear = nn.Linear(d, 1)

    def forward(self, x):
        return self.linear(x)  # raw logits

    def predict_proba(self, x):
        return torch.sigmoid(self.forward(x))


model = LogisticRegression(2)
print(model)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)

for step in range(51):
    logits = model(X)
    loss = criterion(logits, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 10 == 0:
        with torch.no_grad():
            acc = ((logits > 0).float() == y).float().mean().item()
        print(f"step {step:2d}  loss {loss.item():.4f}  accuracy {acc:.4f}")

print("\nweights:", model.linear.weight)
print("bias:", model.linear.bias)
w = model.linear.weight.detach()[0]
b = model.linear.bias.item()
print(f"decision boundary: {w[0]:.4f} * x1 + {w[1]:.4f} * x2 + {b:.4f} = 0")

with torch.no_grad():
    probe = torch.tensor([[2.0, 2.0], [0.0, 0.0], [-2.0, -2.0]])
    probs = model.predict_proba(probe)
print("probabilities at probe points:")
print(probs)
print("predicted classes:", (probs > 0.5).long().squeeze(1).tolist())

# BCEWithLogitsLoss equals sigmoid followed by BCELoss
with torch.no_grad():
    logits = model(X)
    a = nn.BCEWithLogitsLoss()(logits, y)
    b2 = nn.BCELoss()(torch.sigmoid(logits), y)
print(f"with logits {a.item():.4f}, sigmoid+BCELoss {b2.item():.4f}")
weighted = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([3.0]))
print(f"pos_weight=3: {weighted(logits, y).item():.4f}")
per_item = nn.BCEWithLogitsLoss(reduction="none")(logits[:4], y[:4])
print("per-item losses:", per_item.squeeze(1))
print("grad_fn of the loss:", criterion(model(X), y).grad_fn.name())
