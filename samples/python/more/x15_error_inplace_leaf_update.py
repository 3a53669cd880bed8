# Manual gradient descent where the update is written in place outside torch.no_grad().
import torch

torch.manual_seed(0)
x = torch.randn(20, 2)
true_w = torch.tensor([2.0, -3.0])
y = x @ true_w + 0.5
w = torch.zeros(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.1

for step in range(3):
    loss = ((x @ w + b - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    print(f"step {step}: loss {loss.item():.4f} w {w.detach().numpy().round(3)}")

# the refactor that breaks: the update moved into a helper without no_grad
def sgd_step(params, lr):
    for p in params:
        p -= lr * p.grad


loss = ((x @ w + b - y) ** 2).mean()
loss.backward()
sgd_step([w, b], lr)
print("unreachable")
