"""Linear regression: normal equations, lstsq, pinv and gradient descent compared."""
import numpy as np
import torch

torch.manual_seed(5)
np.random.seed(5)

n, d = 100, 3
X_np = np.random.randn(n, d).astype(np.float32)
true_w = np.array([1.5, -2.0, 0.5], dtype=np.float32)
y_np = X_np @ true_w + 0.7 + 0.1 * np.random.randn(n).astype(np.float32)

X = torch.from_numpy(X_np)
y = torch.from_numpy(y_np).unsqueeze(1)
Xb = torch.cat([X, torch.ones(n, 1)], dim=1)
print("design matrix:", Xb.shape, Xb.dtype)

w_solve = torch.linalg.solve(Xb.T @ Xb, Xb.T @ y)
w_lstsq = torch.linalg.lstsq(Xb, y).solution
w_pinv = torch.linalg.pinv(Xb) @ y


def fmt(w):
    return "[" + ", ".join(f"{v:.4f}" for v in w.flatten().tolist()) + "]"


print("solve :", fmt(w_solve))
print("lstsq :", fmt(w_lstsq))
print("pinv  :", fmt(w_pinv))
print("agree:", torch.allclose(w_solve, w_lstsq, atol=1e-4), torch.allclose(w_solve, w_pinv, atol=1e-4))

# gradient descent on the same problem
w = torch.zeros(d + 1, 1, requires_grad=True)
lr = 0.1
for epoch in range(201):
    pred = Xb @ w
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
    w.grad.zero_()
    if epoch % 50 == 0:
        print(f"epoch {epoch:3d}  mse {loss.item():.4f}")

print("gd    :", fmt(w.detach()))
gap = (w.detach() - w_solve).abs().max().item()
print(f"max |gd - closed form| < 1e-3: {gap < 1e-3}")

res = y - Xb @ w_solve
r2 = 1 - (res ** 2).sum() / ((y - y.mean()) ** 2).sum()
print(f"R^2 = {r2.item():.4f}")
print("residual numpy mean ~0:", abs(float(res.numpy().mean())) < 1e-4)
cond = torch.linalg.cond(Xb)
print(f"condition number > 1: {cond.item() > 1}")
print("rank:", torch.linalg.matrix_rank(Xb).item())
