"""Fit a cubic polynomial with hand-written gradient descent (no nn, no optim)."""
import math
import torch

torch.manual_seed(42)

N = 64
xs = torch.linspace(-math.pi, math.pi, N)
ys = torch.sin(xs) + 0.05 * torch.randn(N)
print("first inputs:", xs[:4])
print("first targets:", ys[:4])
print(f"target mean={ys.mean():.4f} std={ys.std():.4f}")

coeffs = torch.randn(4, dtype=torch.float32, requires_grad=True)
print("initial coefficients:", coeffs)


def predict(c: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    # c0 + c1 x + c2 x^2 + c3 x^3, written with a power table
    powers = torch.stack([x ** k for k in range(4)], dim=1)
    return powers @ c


learning_rate = 1e-3
history = []
for step in range(301):
    pred = predict(coeffs, xs)
    loss = ((pred - ys) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        coeffs -= learning_rate * coeffs.grad
        coeffs.grad.zero_()
    if step % 50 == 0:
        history.append(loss.item())
        print(f"step {step:3d}  loss {loss.item():.6f}  grad_fn={loss.grad_fn.name()}")

print("final coefficients:", coeffs.detach())
print("as list:", [round(c, 4) for c in coeffs.tolist()])
c0, c1, c2, c3 = coeffs.tolist()
print(f"y = {c0:+.3f} {c1:+.3f} x {c2:+.3f} x^2 {c3:+.3f} x^3")
print("loss went down:", all(a > b for a, b in zip(history, history[1:])))
print("history:", [f"{h:.4f}" for h in history])

# Closed-form least squares for comparison (through numpy-free torch ops)
A = torch.stack([xs ** k for k in range(4)], dim=1)
sol = torch.linalg.lstsq(A, ys.unsqueeze(1)).solution.squeeze(1)
print("least squares:", sol)
print("gap:", (sol - coeffs.detach()).abs().max())
with torch.no_grad():
    best = ((A @ sol - ys) ** 2).mean()
print(f"best possible loss {best:.6f}")
print(coeffs.grad)
print(coeffs.is_leaf, coeffs.requires_grad, coeffs.grad_fn)
