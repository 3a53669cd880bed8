"""Moving data between numpy and torch, and checking results with np.allclose."""
import numpy as np
import torch

np.random.seed(0)
arr = np.random.randn(3, 2)
print("numpy:\n", arr)
t = torch.from_numpy(arr)
print("torch:", t.dtype, t.shape)
print(t)
arr[0, 0] = 100.0
print("shared memory:", t[0, 0].item())

t32 = torch.tensor(arr, dtype=torch.float32)
arr[0, 0] = -1.0
print("copied, unaffected:", t32[0, 0].item())

x = torch.tensor([0.5, 1.0, 1.5], requires_grad=True)
try:
    x.numpy()
except RuntimeError as e:
    print("numpy of grad tensor:", e)
print("detach().numpy():", x.detach().numpy())

y = torch.sin(x) * x
y.sum().backward()
expected = np.cos(x.detach().numpy()) * x.detach().numpy() + np.sin(x.detach().numpy())
print("autograd:", x.grad.numpy())
print("by hand: ", expected)
print("allclose:", np.allclose(x.grad.numpy(), expected))
print("max abs diff:", np.abs(x.grad.numpy() - expected).max() < 1e-6)

# numpy linear regression vs torch gradient descent
X = np.linspace(0, 1, 10).reshape(-1, 1)
Y = 2.0 * X + 1.0
Xb = np.hstack([X, np.ones_like(X)])
theta_np = np.linalg.lstsq(Xb, Y, rcond=None)[0]
print("numpy lstsq:", theta_np.ravel().round(4))

Xt = torch.from_numpy(Xb).float()
Yt = torch.from_numpy(Y).float()
theta = torch.zeros(2, 1, requires_grad=True)
for i in range(2000):
    loss = ((Xt @ theta - Yt) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        theta -= 0.5 * theta.grad
        theta.grad.zero_()
print("torch GD:", theta.detach().numpy().ravel().round(4))
print("agree:", np.allclose(theta.detach().numpy(), theta_np, atol=1e-3))

ints = np.arange(6, dtype=np.int32).reshape(2, 3)
ti = torch.as_tensor(ints)
print(ti, ti.dtype)
print(torch.from_numpy(np.array([True, False])))
print(torch.tensor([1.0, 2.0]).numpy().tolist())
print(type(t.numpy()).__name__, t.numpy().shape, t.numpy().dtype)
scalar = torch.tensor(4.0)
print(np.sqrt(scalar.item()), float(scalar), int(scalar))
print(np.mean([1.0, 2.0, 4.0]), np.std([1.0, 2.0, 4.0]))
print(torch.tensor(np.float64(2.5)), torch.tensor(np.array(7)))
