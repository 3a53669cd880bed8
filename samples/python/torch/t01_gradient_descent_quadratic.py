"""Gradient descent on a quadratic, with the update written by hand under no_grad."""
import torch


def loss_fn(x):
    return (x - 3.0) ** 2 + 1.0


x = torch.tensor(0.0, requires_grad=True)
lr = 0.1
print(f"start: x={x.item():.4f} requires_grad={x.requires_grad} is_leaf={x.is_leaf}")
for i in range(25):
    loss = loss_fn(x)
    loss.backward()
    if i % 5 == 0 or i == 24:
        print(f"step {i:3d} loss {loss.item():.6f} x {x.item():.6f} grad {x.grad.item():+.6f}")
    with torch.no_grad():
        x -= lr * x.grad
    x.grad.zero_()
print(f"final x = {x:.4f}, loss = {loss_fn(x):.4f}")
print("x after the loop:", x)
print("is still a leaf:", x.is_leaf, "grad:", x.grad)

# The same problem in two dimensions with a vector of parameters.
target = torch.tensor([1.0, -2.0])
scales = torch.tensor([1.0, 10.0])
w = torch.zeros(2, requires_grad=True)
for step in range(1, 41):
    loss = (scales * (w - target) ** 2).sum()
    loss.backward()
    with torch.no_grad():
        w.sub_(0.05 * w.grad)
        w.grad.zero_()
    if step % 10 == 0:
        print(f"step {step:2d}: loss={loss.item():.5f} w={[round(v, 4) for v in w.tolist()]}")
print(w)
print(w.detach())
print(torch.allclose(w, target, atol=1e-3))
