"""An MLP classifier on two interleaving half circles, CrossEntropyLoss and Adam."""
import math
import torch
from torch import nn

torch.manual_seed(8)


def half_moons(n, noise=0.1):
    t = torch.rand(n) * math.pi
    upper = torch.stack([torch.cos(t), torch.sin(t)], dim=1)
    lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], dim=1)
    X = torch.cat([upper, lower]) + noise * torch.randn(2 * n, 2)
    y = torch.cat([torch.zeros(n, dtype=torch.long), torch.ones(n, dtype=torch.long)])
    return X, y


X, y = half_moons(80)
print("X:", X.shape, X.dtype, "| y:", y.shape, y.dtype)
print("class counts:", torch.bincount(y).tolist())


class MLP(nn.Module):
    def __init__(self, sizes):
        super().__init__()
        layers = []
        for a, b in zip(sizes[:-2], sizes[1:-1]):
            layers += [nn.Linear(a, b), nn.ReLU()]
        layers.append(nn.Linear(sizes[-2], sizes[-1]))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


model = MLP([2, 16, 16, 2])
print(model)
print("parameters:", sum(p.numel() for p in model.parameters()))

criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
print(optimizer)


def accuracy(logits, labels):
    return (logits.argmax(dim=1) == labels).float().mean().item()


for epoch in range(1, 101):
    logits = model(X)
    loss = criterion(logits, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch in (1, 10, 25, 50, 100):
        print(f"epoch {epoch:3d}  loss {loss.item():.4f}  acc {accuracy(logits, y):.4f}")

model.eval()
with torch.no_grad():
    grid = torch.tensor([[-1.0, 0.5], [0.0, 1.0], [1.0, 0.0], [2.0, 0.0], [0.5, -0.25]])
    probs = torch.softmax(model(grid), dim=1)
print("\nprobabilities on probe points:")
for point, row in zip(grid.tolist(), probs.tolist()):
    print(f"  {point} -> " + "  ".join(f"{v:.4f}" for v in row))
print("classes:", probs.argmax(dim=1).tolist())

state = optimizer.state_dict()
print("\noptimizer state entries:", len(state["state"]))
first = state["state"][0]
print("keys of one entry:", sorted(first.keys()))
print("step count:", first["step"])
print("exp_avg shape:", tuple(first["exp_avg"].shape))
print("param_groups:", [{k: v for k, v in g.items() if k in ("lr", "betas", "eps")} for g in state["param_groups"]])
