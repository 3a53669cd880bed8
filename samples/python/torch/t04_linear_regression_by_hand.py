"""Linear regression with hand-written gradient descent on deterministic data."""
import torch

torch.set_printoptions(precision=4)

x = torch.linspace(0, 1, 20)
noise = 0.1 * torch.sin(7 * x)
y = 2.0 * x + 1.0 + noise
print("x[:5] =", x[:5])
print("y[:5] =", y[:5])
print("shapes:", x.shape, y.shape, "dtype:", x.dtype)

w = torch.tensor(0.0, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
lr = 0.5
history = []
for epoch in range(201):
    pred = w * x + b
    loss = ((pred - y) ** 2).mean()
    history.append(loss.item())
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    if epoch % 40 == 0:
        print(f"epoch {epoch:3d}  loss {loss.item():.6f}  w {w.item():.4f}  b {b.item():.4f}")

print(f"learned: y = {w.item():.3f} * x + {b.item():.3f}")
print("loss never went up by more than 1e-6:", all(b_ <= a + 1e-6 for a, b_ in zip(history, history[1:])))
print("loss fell 1000x:", history[-1] < history[0] / 1000)
print(f"first loss {history[0]:.4f}, last loss {history[-1]:.6f}, epochs {len(history)}")

# The closed-form answer from the normal equations, for comparison.
xm, ym = x.mean(), y.mean()
w_star = ((x - xm) * (y - ym)).sum() / ((x - xm) ** 2).sum()
b_star = ym - w_star * xm
print(f"closed form: w={w_star:.3f} b={b_star:.3f}")
print("gap:", round(abs(w.item() - w_star.item()), 3), round(abs(b.item() - b_star.item()), 3))
with torch.no_grad():
    test = torch.tensor([0.0, 0.5, 1.0])
    print("predictions:", w * test + b)
    print("residuals:", (w * x + b - y)[:4])
