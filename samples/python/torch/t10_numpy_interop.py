"""numpy and torch side by side: from_numpy, .numpy(), shared memory, dtypes."""
import numpy as np
import torch

arr = np.array([1.0, 2.0, 3.0])
t = torch.from_numpy(arr)
print(arr, arr.dtype, arr.shape)
print(t, t.dtype)
arr[0] = 100.0
print("after changing the array:", t)
t[1] = -5.0
print("after changing the tensor:", arr)
copied = torch.tensor(arr)
arr[2] = 0.0
print("torch.tensor copies:", copied, "| from_numpy shares:", t)

x = torch.linspace(0.0, 1.0, 5, requires_grad=True)
try:
    x.numpy()
except RuntimeError as err:
    print("RuntimeError:", err)
y = (x ** 2).sum()
y.backward()
g = x.grad.numpy()
print("grad as numpy:", g, type(g).__name__, g.dtype)
print("detached:", x.detach().numpy())

a = np.arange(12).reshape(3, 4)
print(a)
print(a.sum(), a.sum(axis=0), a.sum(axis=1, keepdims=True).shape, a.mean(axis=1))
print(a.max(), a.min(axis=0), a.argmax(), a.T.shape, a.astype(np.float32).dtype)
print(np.linspace(0, 1, 5), np.arange(0, 1, 0.25), np.zeros((2, 2)), np.ones(3, dtype=np.int64))
print(np.dot([1, 2, 3], [4, 5, 6]), np.matmul(np.eye(2), np.array([[1.0, 2.0], [3.0, 4.0]])))
print(np.exp(np.array([0.0, 1.0])), np.sqrt(np.array([4.0, 9.0])), np.abs(np.array([-1, 2])))
print(np.tanh(0.5), np.mean([1, 2, 3, 4]), np.std([1.0, 2.0, 3.0, 4.0]))
print(a.tolist(), np.array([[1, 2], [3, 4]]).reshape(-1).tolist())

ta = torch.from_numpy(a.astype(np.float32))
print(ta, ta.dtype)
w = torch.ones(4, 1, requires_grad=True)
out = (ta @ w).sum()
out.backward()
print("out:", out.item(), "| w.grad:", w.grad.view(-1).tolist())
print(np.allclose(w.grad.numpy().ravel(), a.sum(axis=0)))

np.random.seed(0)
noise = np.random.rand(3)
print(np.round(noise, 4), np.random.randint(0, 10, size=4))
noisy = torch.from_numpy(noise).float()
print(noisy.dtype, noisy.shape, round(noisy.sum().item(), 4))
as_int = torch.from_numpy(np.array([1, 2, 3]))
print(as_int, as_int.dtype, as_int.numpy().dtype)
print(torch.tensor(np.float64(2.5)), float(np.float32(0.5)), torch.tensor([1, 2]).numpy())
