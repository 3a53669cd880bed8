# Homework: batch norm behaves differently in train and eval mode.
import torch
from torch import nn

torch.manual_seed(20)
bn = nn.BatchNorm1d(3, momentum=0.1)
print(bn)
print("running_mean", bn.running_mean, "running_var", bn.running_var)
print("num_batches_tracked", bn.num_batches_tracked)

x = torch.randn(16, 3) * 2 + 1
bn.train()
y = bn(x)
print("train output mean ~0:", torch.allclose(y.mean(0), torch.zeros(3), atol=1e-6))
print("train output std (biased):", y.var(0, unbiased=False))
print("running_mean after 1 step:", bn.running_mean)
print("running_var after 1 step:", bn.running_var)
expected = 0.9 * torch.ones(3) + 0.1 * x.var(0, unbiased=True)
print("unbiased var used for running:", torch.allclose(bn.running_var, expected))

for _ in range(50):
    bn(torch.randn(16, 3) * 2 + 1)
print("tracked:", bn.num_batches_tracked.item())
print("running_mean ~1:", bn.running_mean)

bn.eval()
z = torch.tensor([[1.0, 1.0, 1.0]])
out_eval = bn(z)
manual = (z - bn.running_mean) / torch.sqrt(bn.running_var + bn.eps) * bn.weight + bn.bias
print("eval matches formula:", torch.allclose(out_eval, manual))
print("training flag:", bn.training)

net = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Dropout(0.5))
net.eval()
print([m.training for m in net.modules()])
net.train()
print([m.training for m in net.modules()])
try:
    net(torch.randn(1, 3))
except ValueError as e:
    print("ValueError:", e)
bn2d = nn.BatchNorm2d(2, affine=False, track_running_stats=False)
print(bn2d, bn2d(torch.randn(2, 2, 3, 3)).mean().abs().item() < 1e-6)
