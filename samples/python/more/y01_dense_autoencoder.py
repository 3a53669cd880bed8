"""Dense autoencoder on synthetic low-rank data (tutorial style)."""
import torch
import torch.nn as nn
from torch.utils.data import TensorDataset, DataLoader

torch.manual_seed(0)

config = {"n_samples": 256, "in_dim": 20, "latent": 3, "epochs": 8, "lr": 1e-2, "batch_size": 32}

# data lying near a 3-dimensional subspace
basis = torch.randn(config["latent"], config["in_dim"])
codes = torch.randn(config["n_samples"], config["latent"])
X = codes @ basis + 0.05 * torch.randn(config["n_samples"], config["in_dim"])
X = (X - X.mean(dim=0)) / X.std(dim=0)
print("data:", X.shape, X.dtype, f"mean={X.mean().item():.4f}")


class AutoEncoder(nn.Module):
    def __init__(self, in_dim, latent):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Linear(in_dim, 16), nn.ReLU(),
            nn.Linear(16, latent),
        )
        self.decoder = nn.Sequential(
            nn.Linear(latent, 16), nn.ReLU(),
            nn.Linear(16, in_dim),
        )

    def forward(self, x):
        z = self.encoder(x)
        return self.decoder(z)


model = AutoEncoder(config["in_dim"], config["latent"])
print(model)
n_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"trainable parameters: {n_params}")

loader = DataLoader(TensorDataset(X), batch_size=config["batch_size"], shuffle=True)
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=config["lr"])

history = []
for epoch in range(1, config["epochs"] + 1):
    model.train()
    running = 0.0
    for (batch,) in loader:
        optimizer.zero_grad()
        recon = model(batch)
        loss = criterion(recon, batch)
        loss.backward()
        optimizer.step()
        running += loss.item() * batch.size(0)
    epoch_loss = running / len(loader.dataset)
    history.append(epoch_loss)
    print(f"epoch {epoch:2d} | recon loss {epoch_loss:.4f}")

model.eval()
with torch.no_grad():
    z = model.encoder(X[:5])
    recon = model(X[:5])
    err = ((recon - X[:5]) ** 2).mean(dim=1)
print("latent codes shape:", tuple(z.shape))
print("per-sample error:", [round(e, 4) for e in err.tolist()])
print("loss decreased:", history[-1] < history[0])
print("improvement: {:.1%}".format(1 - history[-1] / history[0]))
