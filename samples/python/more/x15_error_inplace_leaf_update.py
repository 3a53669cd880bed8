# Manual gradient descent where the update is written in place outside torch.no_grad().
# The homework's hints are numpy-flavoured: Xavier scaling with np.sqrt, a numpy lr.
import numpy as np
import torch

torch.manual_seed(0)
x = torch.randn(20, 2)
true_w = torch.tensor([2.0, -3.0])
y = x @ true_w + 0.5
fan_in = x.shape[1]
w = (torch.randn(2) * np.sqrt(1.0 / fan_in)).requires_grad_()
b = torch.zeros(1, requires_grad=True)
print("init w:", w.detach().numpy().round(4), w.dtype)
lr = np.float32(0.1)
print("x mean (numpy):", np.float32(x.mean().item()) * 2, torch.tensor(1.0) + np.float64(0.5))

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
