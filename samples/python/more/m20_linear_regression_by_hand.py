"""Linear regression by hand: no_grad updates, grad.zero_(), f-string reports."""
import torch

torch.manual_seed(1)
true_w, true_b = 2.5, -0.7
X = torch.linspace(-1, 1, 50).unsqueeze(1)
y = true_w * X + true_b + 0.1 * torch.randn(X.shape)

w = torch.zeros(1, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.5
history = []
for step in range(60):
    pred = X @ w + b
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    history.append(loss.item())
    if step % 10 == 0 or step == 59:
        print(f"step {step:3d} | loss {loss.item():.6f} | w {w.item():+.4f} | b {b.item():+.4f}")

print("final:", w.detach().numpy().round(3).tolist(), b.tolist())
print("loss went down:", history[0] > history[-1])
print(torch.tensor(history[:5]))
print(f"{loss:.3f}")
print(repr(w))
print(X[:3].T, y.shape, y.dtype)
r2 = 1 - ((X @ w + b - y) ** 2).sum() / ((y - y.mean()) ** 2).sum()
print("R^2 =", round(r2.item(), 4))
