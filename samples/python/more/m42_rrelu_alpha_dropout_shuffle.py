"""Self-normalising nets and randomized activations: a SELU MLP with nn.AlphaDropout,
nn.RReLU (random slopes in training, their mean in eval), FeatureAlphaDropout on
feature maps, and ShuffleNet's nn.ChannelShuffle."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(11)
net = nn.Sequential(nn.Linear(8, 16), nn.SELU(), nn.AlphaDropout(0.2),
                    nn.Linear(16, 16), nn.RReLU(0.1, 0.3), nn.Linear(16, 3))
print(net)
x = torch.randn(32, 8)
y = torch.randint(0, 3, (32,))
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
for step in range(6):
    opt.zero_grad()
    loss = F.cross_entropy(net(x), y)
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.4f}")
net.eval()
with torch.no_grad():
    print("eval acc", (net(x).argmax(1) == y).float().mean().item())

# RReLU: the slopes are drawn for the non-positive inputs only, one per element
r = nn.RReLU()
print(r, r.lower, r.upper)
v = torch.linspace(-2, 2, 9, requires_grad=True)
out = r(v)
print(out, out.grad_fn.name())
out.sum().backward()
print("slopes", v.grad)
r.eval()
print("eval", r(v.detach()), (1 / 8 + 1 / 3) / 2)
w = v.detach().clone()
F.rrelu_(w, 0.2, 0.4, training=True)
print("in place", w)

# alpha dropout keeps the mean and variance of a standard normal input
z = torch.randn(20000)
d = F.alpha_dropout(z, 0.3, training=True)
print("alpha_dropout mean/std", round(d.mean().item(), 2), round(d.std().item(), 2))
print("dropped value", round(d.min().item(), 4), (d == d.min()).float().mean().item() > 0.25)
print(F.alpha_dropout(z, 0.3, training=False) is z)
zz = torch.randn(5, requires_grad=True)
dz = F.alpha_dropout(zz, 0.5, True)
print(dz.grad_fn.name(), dz.grad_fn.next_functions[0][0].name())
dz.sum().backward()
print(zz.grad)

fmap = torch.randn(2, 4, 3, 3)
fd = nn.FeatureAlphaDropout(0.5)
print(fd)
kept = fd(fmap)
print("per-channel constant:", [round(v, 4) for v in (kept - fmap * (kept / fmap).mean((2, 3), keepdim=True))[0].abs().amax((1, 2)).tolist()])

# ChannelShuffle: groups of channels interleaved
cs = nn.ChannelShuffle(2)
print(cs)
c = torch.arange(6.0).reshape(1, 6, 1, 1).requires_grad_()
s = cs(c)
print(s.flatten().tolist(), s.grad_fn.name())
(s.flatten() * torch.arange(6.0)).sum().backward()
print(c.grad.flatten().tolist())
print(F.channel_shuffle(torch.arange(12.0).reshape(1, 6, 2), 3)[0, :, 0].tolist())
for bad in (lambda: F.channel_shuffle(c, 4), lambda: F.channel_shuffle(c, 0),
            lambda: F.alpha_dropout(z, 1.5), lambda: F.feature_alpha_dropout(z, 0.5, True)):
    try:
        bad()
    except (RuntimeError, ValueError) as e:
        print(type(e).__name__ + ":", e)
