"""cumsum, cumprod and running statistics printed with tolist()."""
import torch

x = torch.arange(1, 21) / 10
print(x.cumsum(0).tolist())
print((torch.ones(17) * 0.1).cumsum(0).tolist())
print(torch.linspace(0.5, 1.5, 12).cumprod(0).tolist())
torch.manual_seed(3)
r = torch.randn(40)
cs = r.cumsum(0)
print(cs[:10].tolist())
print(cs[-5:].tolist())
print(repr(cs[-1].item()), repr(r.sum().item()))
m = torch.rand(3, 6)
print(m.cumsum(dim=1).tolist())
print(m.cumsum(dim=0)[-1].tolist())
print(r[:10].exp().cumsum(0).log().tolist())
print((1 + r[:12] / 10).cumprod(0).tolist())
running = 0.0
for i, v in enumerate(r[:8].tolist()):
    running = 0.9 * running + 0.1 * v
    print(i, running)
ema = torch.zeros(())
for v in r[:8]:
    ema = 0.9 * ema + 0.1 * v
print(ema.item())
print(torch.diff(cs[:6]).tolist())
