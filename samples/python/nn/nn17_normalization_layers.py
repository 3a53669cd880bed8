"""BatchNorm1d, BatchNorm2d (running statistics, train vs eval) and LayerNorm."""
import torch
from torch import nn

torch.manual_seed(17)

bn = nn.BatchNorm1d(3)
print(bn)
print("weight:", bn.weight.data, "bias:", bn.bias.data)
print("running_mean:", bn.running_mean, "running_var:", bn.running_var)
print("num_batches_tracked:", bn.num_batches_tracked)
print("buffers:", [name for name, _ in bn.named_buffers()])

x = torch.randn(8, 3) * torch.tensor([1.0, 2.0, 0.5]) + torch.tensor([0.0, 5.0, -1.0])
out = bn(x)
print("\ntrain-mode output mean per feature ~ 0:", bool(out.mean(dim=0).abs().max() < 1e-5))
print("train-mode output std per feature:", out.std(dim=0, unbiased=False).detach())
print("after one batch, running_mean:", bn.running_mean)
print("running_var:", bn.running_var)
for _ in range(4):
    bn(torch.randn(8, 3) * 2 + 1)
print("after five batches:", bn.running_mean, bn.running_var, bn.num_batches_tracked)

bn.eval()
probe = torch.tensor([[1.0, 1.0, 1.0]])
expected = (probe - bn.running_mean) / torch.sqrt(bn.running_var + bn.eps)
print("\neval output:", bn(probe).detach(), "by hand:", expected)
print("grad_fn in eval:", bn(probe).grad_fn.name())

cum = nn.BatchNorm1d(2, momentum=None, affine=False)
print("\n", cum, sep="")
for k in range(3):
    cum(torch.full((4, 2), float(k)) + torch.tensor([[0.0, 1.0]]).repeat(4, 1) * torch.arange(4.0).unsqueeze(1))
print("cumulative running_mean:", cum.running_mean, "running_var:", cum.running_var)
print("parameters of affine=False:", list(cum.parameters()))

bn2 = nn.BatchNorm2d(2, momentum=0.5)
print("\n", bn2, sep="")
images = torch.randn(4, 2, 3, 3)
images[:, 1] += 3.0
y = bn2(images)
print("per-channel mean after BN ~ 0:", bool(y.mean(dim=(0, 2, 3)).abs().max() < 1e-5))
print("running_mean:", bn2.running_mean)
print("running_var:", bn2.running_var)
bn2.eval()
print("eval output [0, :, 0, 0]:", bn2(images)[0, :, 0, 0].detach())

ln = nn.LayerNorm(4)
print("\n", ln, sep="")
seq = torch.tensor([[1.0, 2.0, 3.0, 4.0], [10.0, 0.0, -10.0, 5.0]])
z = ln(seq)
print(z)
print("row means ~ 0:", bool(z.mean(dim=1).abs().max() < 1e-5), "row stds:", z.std(dim=1, unbiased=False).detach())
ln2 = nn.LayerNorm([2, 3], elementwise_affine=False)
print(ln2, "buffers:", list(ln2.buffers()), "params:", list(ln2.parameters()))
t = torch.randn(2, 2, 3)
print("over the last two dims:", ln2(t)[0])
print("layer_norm functional matches:", torch.allclose(ln2(t), nn.functional.layer_norm(t, (2, 3))))
