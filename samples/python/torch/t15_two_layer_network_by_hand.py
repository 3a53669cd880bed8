"""A two-layer network with hand-made weight tensors, fitted to sin(x) by plain SGD."""
import math

import torch
import torch.nn.functional as F


def init(rows, cols, phase):
    """Deterministic 'random-looking' weights: a scaled sine of the index."""
    idx = torch.arange(rows * cols, dtype=torch.float32).reshape(rows, cols)
    return (torch.sin(idx * 1.7 + phase) / math.sqrt(cols)).requires_grad_()


hidden = 16
params = {
    "W1": init(1, hidden, 0.3),
    "b1": torch.zeros(hidden, requires_grad=True),
    "W2": init(hidden, 1, 1.1),
    "b2": torch.zeros(1, requires_grad=True),
}
for name, p in params.items():
    print(f"{name}: shape={tuple(p.shape)} leaf={p.is_leaf} norm={p.norm().item():.4f}")
print("parameter count:", sum(p.numel() for p in params.values()))

x = torch.linspace(-math.pi, math.pi, 32).unsqueeze(1)
y = torch.sin(x)


def model(inputs):
    h = torch.tanh(inputs @ params["W1"] + params["b1"])
    return h @ params["W2"] + params["b2"]


lr = 0.1
losses = []
for step in range(301):
    pred = model(x)
    loss = F.mse_loss(pred, y)
    for p in params.values():
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in params.values():
            p -= lr * p.grad
    losses.append(loss.item())
    if step % 50 == 0:
        grad_norm = math.sqrt(sum(p.grad.pow(2).sum().item() for p in params.values()))
        print(f"step {step:3d}  loss {loss.item():.5f}  grad-norm {grad_norm:.4f}")

print(f"loss: {losses[0]:.4f} -> {losses[-1]:.4f}")
print("loss fell below 0.05:", losses[-1] < 0.05)
with torch.no_grad():
    probe = torch.tensor([[-1.5], [0.5], [1.5]])
    out = model(probe)
    for (xi,), (yi,) in zip(probe.tolist(), out.tolist()):
        print(f"  f({xi:+.1f}) = {yi:+.2f}   sin = {math.sin(xi):+.2f}")
    relu_out = F.relu(probe @ params["W1"] + params["b1"])
    print("relu features active:", int((relu_out > 0).sum().item()), "of", relu_out.numel())
print("W2 grad shape:", tuple(params["W2"].grad.shape), "| b2 grad:", params["b2"].grad.shape)
