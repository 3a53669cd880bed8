"""Linear regression with nn.Linear, MSELoss and SGD; loss printed each step."""
import torch
import torch.nn as nn

torch.manual_seed(0)
X = torch.randn(32, 3)
true_w = torch.tensor([[1.5], [-2.0], [0.5]])
y = X @ true_w + 0.7 + 0.1 * torch.randn(32, 1)
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()
for step in range(20):
    opt.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    opt.step()
    print(step, loss.item())
print(model.weight.tolist())
print(model.bias.item())
# hand-written gradient descent on the same data
w = torch.zeros(3, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
for step in range(8):
    loss = ((X @ w + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        b -= 0.1 * b.grad
        w.grad.zero_()
        b.grad.zero_()
    print("manual", step, loss.item())
print(w.flatten().tolist(), b.item())
opt2 = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
for step in range(5):
    opt2.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    opt2.step()
    print("momentum", step, loss.item())
