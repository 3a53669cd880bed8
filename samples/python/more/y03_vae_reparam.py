"""Variational autoencoder with the reparameterization trick on synthetic blobs."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)

centers = torch.tensor([[2.0, 2.0, 0.0, 0.0], [-2.0, 0.0, 2.0, 0.0], [0.0, -2.0, 0.0, 2.0]])
labels = torch.randint(0, 3, (300,))
data = centers[labels] + 0.3 * torch.randn(300, 4)


class VAE(nn.Module):
    def __init__(self, x_dim=4, h_dim=32, z_dim=2):
        super().__init__()
        self.fc1 = nn.Linear(x_dim, h_dim)
        self.fc_mu = nn.Linear(h_dim, z_dim)
        self.fc_logvar = nn.Linear(h_dim, z_dim)
        self.fc2 = nn.Linear(z_dim, h_dim)
        self.fc3 = nn.Linear(h_dim, x_dim)

    def encode(self, x):
        h = F.relu(self.fc1(x))
        return self.fc_mu(h), self.fc_logvar(h)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        return self.fc3(F.relu(self.fc2(z)))

    def forward(self, x):
        mu, logvar = self.encode(x)
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar, beta=1.0):
    recon = F.mse_loss(recon_x, x, reduction="sum")
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return recon + beta * kld, recon, kld


model = VAE()
optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)

for epoch in range(1, 11):
    model.train()
    perm = torch.randperm(data.size(0))
    tot = rec_tot = kl_tot = 0.0
    for i in range(0, data.size(0), 50):
        x = data[perm[i:i + 50]]
        optimizer.zero_grad()
        recon_x, mu, logvar = model(x)
        loss, rec, kld = loss_function(recon_x, x, mu, logvar)
        loss.backward()
        optimizer.step()
        tot += loss.item()
        rec_tot += rec.item()
        kl_tot += kld.item()
    n = data.size(0)
    print(f"====> Epoch: {epoch} Average loss: {tot / n:.4f} (recon {rec_tot / n:.4f}, KL {kl_tot / n:.4f})")

model.eval()
with torch.no_grad():
    mu, logvar = model.encode(centers)
    print("encoded centers mu:\n", mu.round(decimals=3))
    print("sigma:", torch.exp(0.5 * logvar).round(decimals=3).tolist())
    z = torch.randn(4, 2)
    samples = model.decode(z)
    print("samples shape", samples.shape, "finite:", torch.isfinite(samples).all().item())
    # analytic KL of N(mu, sigma) to N(0,1) for one dimension
    m, lv = mu[0, 0].item(), logvar[0, 0].item()
    kl1 = 0.5 * (math.exp(lv) + m * m - 1 - lv)
    print(f"KL(dim0 of center0) = {kl1:.4f}")
