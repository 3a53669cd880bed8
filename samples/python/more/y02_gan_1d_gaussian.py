"""A tiny GAN that learns a 1-D Gaussian N(4, 1.25)."""
import torch
from torch import nn

torch.manual_seed(42)

REAL_MEAN, REAL_STD = 4.0, 1.25
NOISE_DIM = 4
BATCH = 64


def sample_real(n):
    return REAL_MEAN + REAL_STD * torch.randn(n, 1)


def sample_noise(n):
    return torch.rand(n, NOISE_DIM)


G = nn.Sequential(nn.Linear(NOISE_DIM, 16), nn.Tanh(), nn.Linear(16, 1))
D = nn.Sequential(nn.Linear(1, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))

criterion = nn.BCEWithLogitsLoss()
opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))

ones = torch.ones(BATCH, 1)
zeros = torch.zeros(BATCH, 1)

for step in range(301):
    # --- discriminator ---
    real = sample_real(BATCH)
    fake = G(sample_noise(BATCH))
    d_real = D(real)
    d_fake = D(fake.detach())
    loss_d = criterion(d_real, ones) + criterion(d_fake, zeros)
    opt_d.zero_grad()
    loss_d.backward()
    opt_d.step()

    # --- generator ---
    fake = G(sample_noise(BATCH))
    loss_g = criterion(D(fake), ones)
    opt_g.zero_grad()
    loss_g.backward()
    opt_g.step()

    if step % 50 == 0:
        with torch.no_grad():
            s = G(sample_noise(1000))
        print(f"step {step:3d}  D {loss_d.item():.4f}  G {loss_g.item():.4f}  "
              f"fake mean {s.mean().item():.3f} std {s.std().item():.3f}")

# gradients of D must not have flowed into G during the D step
print("G grad after D step is None?", all(p.grad is None for p in nn.Linear(1, 1).parameters()))
print("fake.requires_grad:", fake.requires_grad, "| detached:", fake.detach().requires_grad)
with torch.no_grad():
    probs = torch.sigmoid(D(torch.tensor([[0.0], [4.0], [8.0]])))
print("D(x) at 0, 4, 8:", [f"{p:.3f}" for p in probs.squeeze(1).tolist()])
