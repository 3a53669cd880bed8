"""Notebook 11: attention from the fused function, and the normalisation layers.

Compare a hand-written causal attention with F.scaled_dot_product_attention, then look
at what GroupNorm, InstanceNorm and RMSNorm do to a small batch of feature maps.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(11)

# --- 1. causal self-attention, two ways ---------------------------------------------------
B, H, T, D = 1, 2, 4, 8
q = torch.randn(B, H, T, D, requires_grad=True)
k = torch.randn(B, H, T, D, requires_grad=True)
v = torch.randn(B, H, T, D, requires_grad=True)

scores = q @ k.transpose(-2, -1) / math.sqrt(D)
causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
scores = scores.masked_fill(~causal, float("-inf"))
manual = torch.softmax(scores, dim=-1) @ v
fused = F.scaled_dot_product_attention(q, k, v, is_causal=True)
print("max |manual - fused| < 1e-5:", (manual - fused).abs().max().item() < 1e-5)
print("fused[0, 0, :, :3]:\n", fused[0, 0, :, :3].detach())
fused.pow(2).sum().backward()
print("dq[0, 1, 0, :4]:", q.grad[0, 1, 0, :4])
print("dv row sums:", v.grad.sum(-1))

mask = torch.tensor([[True, True, False, False]]).expand(T, T)
out = F.scaled_dot_product_attention(q.detach(), k.detach(), v.detach(), attn_mask=mask)
print("padded keys ignored:", out[0, 0, 0, :3])

# --- 2. normalisation layers on feature maps ------------------------------------------------
x = torch.randn(2, 4, 3, 3) * 3 + 1
layers = {
    "GroupNorm(2, 4)": nn.GroupNorm(2, 4),
    "InstanceNorm2d(4)": nn.InstanceNorm2d(4),
    "InstanceNorm2d(4, affine)": nn.InstanceNorm2d(4, affine=True),
    "RMSNorm([3, 3])": nn.RMSNorm([3, 3]),
    "LayerNorm([4, 3, 3])": nn.LayerNorm([4, 3, 3]),
}
for name, layer in layers.items():
    y = layer(x)
    centred = y.mean(dim=(2, 3)).abs().max().item() < 1e-5
    print(f"{name:>26}: out[0,0,0] = {y[0, 0, 0].detach().numpy().round(4).tolist()}, "
          f"each map centred: {centred}")
    print(" " * 28, layer)

gn = nn.GroupNorm(2, 4)
opt = torch.optim.SGD(gn.parameters(), lr=0.5)
target = torch.zeros(2, 4, 3, 3)
for step in range(3):
    opt.zero_grad()
    loss = F.mse_loss(gn(x), target + 0.5)
    loss.backward()
    opt.step()
    print(f"step {step}: loss {loss.item():.4f}, weight {gn.weight.detach().numpy().round(4).tolist()}")

stats = nn.InstanceNorm1d(3, track_running_stats=True)
seq = torch.randn(5, 3, 7)
stats(seq)
print("running_mean:", stats.running_mean, "\nrunning_var:", stats.running_var)
stats.eval()
print(stats(seq[:1])[0, :, :3])
