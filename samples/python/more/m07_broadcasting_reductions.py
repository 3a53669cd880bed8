"""Broadcasting, sum/mean with dim and keepdim, and how gradients un-broadcast."""
import torch

torch.manual_seed(7)
M = torch.randn(3, 4)
print("M =\n", M)
print("sum all:", M.sum())
print("sum dim=0:", M.sum(dim=0))
print("sum dim=1 keepdim:\n", M.sum(dim=1, keepdim=True))
print("mean over both dims:", M.mean(dim=(0, 1)))
print("max dim=1:", M.max(dim=1))
vals, idx = M.min(dim=0)
print("min values", vals, "indices", idx)
print("argmax flat:", M.argmax().item(), "argmax per row:", M.argmax(dim=1))
print("std/var:", M.std(dim=1), M.var(dim=1, unbiased=False))

# Normalise rows: broadcasting (3,4) - (3,1)
centered = M - M.mean(dim=1, keepdim=True)
print("row means after centering:", centered.mean(dim=1))
normed = centered / centered.norm(dim=1, keepdim=True)
print("row norms:", normed.norm(dim=1))

# A (4,) bias and a (3,1) scale
bias = torch.tensor([0.1, 0.2, 0.3, 0.4], requires_grad=True)
scale = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
out = (M * scale + bias).pow(2).mean()
out.backward()
print("bias.grad:", bias.grad, bias.grad.shape)
print("scale.grad:\n", scale.grad, scale.grad.shape)

# Outer products by broadcasting
u = torch.arange(1, 4)
w = torch.arange(1, 5)
table = u[:, None] * w[None, :]
print("multiplication table:\n", table)
print(table.dtype, table.sum(dim=0), table.sum(dim=0).dtype)
print("cumsum:", torch.cumsum(w, dim=0), "cumprod:", torch.cumprod(w.float(), dim=0))

# Pairwise squared distances with broadcasting
pts = torch.tensor([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0]])
d2 = ((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1)
print("pairwise d^2:\n", d2)
print("cdist:\n", torch.cdist(pts, pts))

try:
    torch.ones(3, 4) + torch.ones(3)
except RuntimeError as e:
    print("broadcast error:", e)
print(torch.broadcast_shapes((3, 1), (1, 4)), torch.ones(2, 1, 3).expand(2, 5, 3).shape)

x = torch.ones(2, 3, requires_grad=True)
y = x.unsqueeze(0).expand(4, 2, 3)
y.sum().backward()
print("grad after expand:\n", x.grad)
print(torch.einsum("ij,ij->i", M, M), (M * M).sum(1))
print(torch.tensor([[1, 2], [3, 4]]).float().mean(), torch.tensor([True, False, True]).sum())
