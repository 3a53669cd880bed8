"""Linear regression with nn.Linear, nn.MSELoss and torch.optim.SGD."""
import torch
from torch import nn

torch.manual_seed(6)

true_w = torch.tensor([[2.0, -3.4]])
true_b = 4.2
X = torch.randn(100, 2)
y = X @ true_w.T + true_b + 0.01 * torch.randn(100, 1)
print("features:", X.shape, "targets:", y.shape)
print("first rows:")
print(torch.cat([X[:3], y[:3]], dim=1))

model = nn.Linear(2, 1)
print("\nmodel:", model)
print("initial weight:", model.weight.data, "bias:", model.bias.data)
loss_fn = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
print(optimizer)

for epoch in range(30):
    pred = model(X)
    loss = loss_fn(pred, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 5 == 0 or epoch == 29:
        print(f"epoch {epoch:2d}  loss {loss.item():.4f}")

print("\nlearned weight:", model.weight)
print("learned bias:", model.bias)
print("weight error:", (model.weight.detach() - true_w).abs())
print(f"bias error: {abs(model.bias.item() - true_b):.4f}")

with torch.no_grad():
    test = torch.tensor([[1.0, 1.0], [0.0, 0.0], [-1.0, 2.0]])
    print("predictions:", model(test).squeeze(1))
    print("true values:", (test @ true_w.T + true_b).squeeze(1))
    final = loss_fn(model(X), y)
print(f"final training loss: {final.item():.4f}")

# mini-batch version on the same data with a fresh model
torch.manual_seed(60)
model2 = nn.Linear(2, 1)
opt2 = torch.optim.SGD(model2.parameters(), lr=0.05)
batch = 10
for epoch in range(3):
    perm = torch.randperm(100)
    total = 0.0
    for i in range(0, 100, batch):
        idx = perm[i:i + batch]
        loss = loss_fn(model2(X[idx]), y[idx])
        opt2.zero_grad()
        loss.backward()
        opt2.step()
        total += loss.item()
    print(f"minibatch epoch {epoch}: mean loss {total / 10:.4f}")
print("minibatch weight:", model2.weight.data, "bias:", model2.bias.data)
print("loss reduction:", loss_fn.reduction, "| sum reduction:", nn.MSELoss(reduction="sum"))
