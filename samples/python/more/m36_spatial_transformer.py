"""A spatial transformer network, in the spirit of the official STN tutorial, on toy data.

A localisation net predicts a 2x3 affine matrix (initialised to the identity), the
sampler warps the input with affine_grid + grid_sample, and a classifier reads the result.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(4)


class STN(nn.Module):
    def __init__(self):
        super().__init__()
        self.localization = nn.Sequential(
            nn.Conv2d(1, 4, kernel_size=3), nn.MaxPool2d(2, stride=2), nn.ReLU(True))
        self.fc_loc = nn.Sequential(nn.Linear(4 * 3 * 3, 16), nn.ReLU(True), nn.Linear(16, 6))
        self.fc_loc[2].weight.data.zero_()
        self.fc_loc[2].bias.data.copy_(torch.tensor([1, 0, 0, 0, 1, 0], dtype=torch.float))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(8 * 8, 2))

    def stn(self, x):
        xs = self.localization(x).view(-1, 4 * 3 * 3)
        theta = self.fc_loc(xs).view(-1, 2, 3)
        grid = F.affine_grid(theta, x.size(), align_corners=False)
        return F.grid_sample(x, grid, align_corners=False), theta

    def forward(self, x):
        warped, theta = self.stn(x)
        return F.log_softmax(self.classifier(warped), dim=1), theta


model = STN()
print(model)
images = torch.zeros(6, 1, 8, 8)
for i in range(6):
    images[i, 0, 1 + i // 2: 5 + i // 2, 2:6] = 1.0 if i % 2 else -1.0
labels = torch.tensor([0, 1, 0, 1, 0, 1])

out, theta = model(images)
print("initial theta (identity):\n", theta[0].detach())
warped, _ = model.stn(images)
print("identity warp keeps the image:", torch.allclose(warped, images, atol=1e-6))

optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(4):
    optimizer.zero_grad()
    out, theta = model(images)
    loss = F.nll_loss(out, labels)
    loss.backward()
    optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}, theta[0] row 0 "
          f"{[round(v, 4) for v in theta[0, 0].tolist()]}")

grid = F.affine_grid(torch.tensor([[[0.5, 0.0, 0.0], [0.0, 0.5, 0.0]]]), (1, 1, 4, 4),
                     align_corners=False)
zoomed = F.grid_sample(torch.arange(16.0).view(1, 1, 4, 4), grid, align_corners=False)
print("zoom into the centre:\n", zoomed[0, 0])
print(F.grid_sample(torch.arange(16.0).view(1, 1, 4, 4), grid * 3, mode="nearest",
                    padding_mode="border", align_corners=True)[0, 0])
