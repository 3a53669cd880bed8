"""Pooling layers beyond max/avg: an AlexNet-style block with nn.LocalResponseNorm,
power-average pooling (nn.LPPool1d/2d), and a pool/unpool autoencoder with
nn.MaxPool2d(return_indices=True) and nn.MaxUnpool2d (plus the 1-D pair)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(5)
block = nn.Sequential(nn.Conv2d(3, 6, 3, padding=1), nn.ReLU(),
                      nn.LocalResponseNorm(3, alpha=1e-3, beta=0.75, k=2.0),
                      nn.LPPool2d(2, 2))
print(block)
img = torch.randn(2, 3, 6, 6)
out = block(img)
print(tuple(out.shape), out.grad_fn.name())
print(out[0, 0])
out.mean().backward()
print("conv grad norm", round(block[0].weight.grad.norm().item(), 4))

lrn = nn.LocalResponseNorm(2)
seq = torch.arange(24.0).reshape(1, 4, 6) / 10
print(lrn, lrn(seq)[0, :, :3])
print(F.local_response_norm(torch.ones(1, 5, 2, 2, 2), 3, alpha=0.3)[0, :, 0, 0, 0])

x = torch.tensor([[[1.0, -2.0, 3.0, -4.0, 5.0, -6.0, 7.0]]], requires_grad=True)
for p in (1, 2, 3, float("inf")):
    y = F.lp_pool1d(x, p, 3, stride=2)
    print(p, [round(v, 4) for v in y.flatten().tolist()], y.grad_fn.name())
y = nn.LPPool1d(2, 2, ceil_mode=True)(x)
print(nn.LPPool1d(2, 2, ceil_mode=True), y)
y.sum().backward()
print(x.grad)

# unpooling puts each maximum back where it came from
pool = nn.MaxPool2d(2, return_indices=True)
unpool = nn.MaxUnpool2d(2)
print(pool, unpool)
a = torch.tensor([[[[1.0, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]],
                 requires_grad=True)
pooled, idx = pool(a)
print(pooled, idx)
restored = unpool(pooled, idx)
print(restored, restored.grad_fn.name())
(restored * torch.arange(16.0).reshape(1, 1, 4, 4)).sum().backward()
print(a.grad)
print(unpool(pooled, idx, output_size=(5, 5)).shape)
print(unpool(pooled, idx, output_size=torch.Size([1, 1, 5, 5])).shape)

p1, i1 = F.max_pool1d(torch.tensor([[[3.0, 1, 4, 1, 5, 9, 2, 6]]]), 2, return_indices=True)
u1 = nn.MaxUnpool1d(2)
print(u1, u1(p1, i1), u1(p1, i1).grad_fn)

for bad in (lambda: unpool(pooled, idx, output_size=(9, 9)),
            lambda: unpool(pooled, idx.float()),
            lambda: unpool(pooled, idx.flatten().index_fill(0, torch.tensor([2]), 99)
                           .reshape(idx.shape)),
            lambda: F.local_response_norm(torch.ones(2, 3), 2),
            lambda: F.lp_pool2d(a, 2, 5)):
    try:
        bad()
    except (RuntimeError, ValueError) as e:
        print(type(e).__name__ + ":", e)
