"""Logistic regression with sigmoid + BCELoss; loss printed each step."""
import torch
import torch.nn as nn

torch.manual_seed(3)
n = 40
X = torch.randn(n, 2)
y = ((X[:, 0] + 0.5 * X[:, 1]) > 0.2).float().unsqueeze(1)
model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid())
crit = nn.BCELoss()
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for step in range(20):
    opt.zero_grad()
    p = model(X)
    loss = crit(p, y)
    loss.backward()
    opt.step()
    print(step, loss.item())
with torch.no_grad():
    p = model(X)
    acc = ((p > 0.5).float() == y).float().mean().item()
print("accuracy", acc)
print(model[0].weight.tolist(), model[0].bias.item())
print(p[:5].flatten().tolist())
lin = nn.Linear(2, 1)
opt2 = torch.optim.SGD(lin.parameters(), lr=0.5)
crit2 = nn.BCEWithLogitsLoss()
for step in range(6):
    opt2.zero_grad()
    loss = crit2(lin(X), y)
    loss.backward()
    opt2.step()
    print("logits", step, loss.item())
