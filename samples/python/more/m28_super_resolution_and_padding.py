"""Week 8: a tiny super-resolution net (ESPCN style) and a look at padding modes.

Sub-pixel convolution with PixelShuffle versus nearest/bilinear Upsample, reflection
padding as style-transfer nets use it, and the gradient each padding mode sends back.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(8)

img = torch.arange(1.0, 10.0).reshape(1, 1, 3, 3)
for mode in ("constant", "reflect", "replicate", "circular"):
    padded = F.pad(img, (1, 1, 1, 1), mode=mode)
    print(f"{mode:>9}:", padded[0, 0, 0].tolist(), padded[0, 0, :, 0].tolist())

# how many times each input pixel is copied = its gradient from a sum
for layer in (nn.ReflectionPad2d(2), nn.ReplicationPad2d(2), nn.CircularPad2d(1), nn.ZeroPad2d(1)):
    x = img.clone().requires_grad_()
    layer(x).sum().backward()
    print(layer, x.grad[0, 0].tolist())


class ESPCN(nn.Module):
    def __init__(self, scale=2):
        super().__init__()
        self.body = nn.Sequential(
            nn.ReflectionPad2d(2), nn.Conv2d(1, 8, 5), nn.Tanh(),
            nn.ReflectionPad2d(1), nn.Conv2d(8, scale * scale, 3),
        )
        self.shuffle = nn.PixelShuffle(scale)

    def forward(self, x):
        return self.shuffle(self.body(x))


net = ESPCN()
print(net)
hi = torch.rand(4, 1, 8, 8)
lo = F.avg_pool2d(hi, 2)
baseline = nn.Upsample(scale_factor=2, mode="bilinear")(lo)
print("bilinear baseline MSE:", round(F.mse_loss(baseline, hi).item(), 4))
opt = torch.optim.Adam(net.parameters(), lr=0.01)
for epoch in range(6):
    opt.zero_grad()
    loss = F.mse_loss(net(lo), hi)
    loss.backward()
    opt.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")

sr = net(lo).detach()
print(sr.shape, nn.PixelUnshuffle(2)(sr).shape)
print(nn.UpsamplingNearest2d(scale_factor=2)(lo)[0, 0, :2, :4])
print(F.interpolate(lo, size=(5, 5), mode="bilinear", align_corners=True)[0, 0, 0])
