"""Lab 9: a tiny DCGAN generator and discriminator, two training steps.

Shapes through transposed convolutions, BatchNorm in training mode, the classic
ReLU(True) / LeakyReLU(0.2, inplace=True) activations, and BCELoss on both nets.
"""
import torch
import torch.nn as nn
import torch.optim as optim

torch.manual_seed(999)
nz, ngf, ndf = 8, 6, 6


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find("Conv") != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find("BatchNorm") != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False),   # 1x1 -> 4x4
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False),  # 4x4 -> 8x8
            nn.BatchNorm2d(ngf),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf, 1, 4, 2, 1, bias=False),        # 8x8 -> 16x16
            nn.Tanh(),
        )

    def forward(self, z):
        return self.main(z)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(1, ndf, 4, 2, 1, bias=False),                 # 16 -> 8
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),           # 8 -> 4
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False),             # 4 -> 1
            nn.Sigmoid(),
        )

    def forward(self, x):
        return self.main(x).view(-1)


netG, netD = Generator(), Discriminator()
netG.apply(weights_init)
netD.apply(weights_init)
print(netG)
print(f"G params: {sum(p.numel() for p in netG.parameters())}, "
      f"D params: {sum(p.numel() for p in netD.parameters())}")

criterion = nn.BCELoss()
fixed_noise = torch.randn(4, nz, 1, 1)
optD = optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
optG = optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))
real = torch.tanh(torch.randn(4, 1, 16, 16))

for step in range(2):
    netD.zero_grad()
    label = torch.full((4,), 1.0)
    out_real = netD(real)
    errD_real = criterion(out_real, label)
    errD_real.backward()
    fake = netG(torch.randn(4, nz, 1, 1))
    label.fill_(0.0)
    out_fake = netD(fake.detach())
    errD_fake = criterion(out_fake, label)
    errD_fake.backward()
    optD.step()

    netG.zero_grad()
    label.fill_(1.0)
    errG = criterion(netD(fake), label)
    errG.backward()
    optG.step()
    print(f"[{step}] Loss_D: {(errD_real + errD_fake).item():.4f}  Loss_G: {errG.item():.4f}  "
          f"D(x): {out_real.mean().item():.4f}  D(G(z)): {out_fake.mean().item():.4f}")

with torch.no_grad():
    sample = netG(fixed_noise)
print(sample.shape, sample.min().item() >= -1, sample.max().item() <= 1)
print(f"{sample[0, 0, 0, :4]}")
