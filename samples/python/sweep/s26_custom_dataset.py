# Homework: a custom Dataset with __len__/__getitem__, transforms and a DataLoader.
import torch
from torch.utils.data import Dataset, DataLoader, random_split


class NoisySquares(Dataset):
    """Pairs (x, x^2 + noise) generated once at construction."""

    def __init__(self, n, transform=None, target_transform=None):
        g = torch.Generator().manual_seed(123)
        self.x = torch.rand(n, 1, generator=g) * 4 - 2
        self.y = self.x ** 2 + 0.05 * torch.randn(n, 1, generator=g)
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        x, y = self.x[idx], self.y[idx]
        if self.transform:
            x = self.transform(x)
        if self.target_transform:
            y = self.target_transform(y)
        return x, y


torch.manual_seed(26)
ds = NoisySquares(100, transform=lambda t: torch.cat([t, t ** 2]))
print("len:", len(ds))
x0, y0 = ds[0]
print("sample:", x0, y0)
train, test = random_split(ds, [0.8, 0.2])
print(len(train), len(test))
loader = DataLoader(train, batch_size=16, shuffle=True, drop_last=True)
print("batches per epoch:", len(loader))
xb, yb = next(iter(loader))
print(xb.shape, yb.shape, xb.dtype)

model = torch.nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(20):
    total = 0.0
    for xb, yb in loader:
        loss = torch.nn.functional.mse_loss(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(xb)
    if epoch % 5 == 4:
        print(f"epoch {epoch + 1:2d}: mean loss {total / (len(loader) * 16):.5f}")
print("weights:", model.weight.data, "bias:", model.bias.data)


def collate_pairs(batch):
    xs, ys = zip(*batch)
    return torch.stack(xs), torch.stack(ys).squeeze(-1)


tl = DataLoader(test, batch_size=7, collate_fn=collate_pairs)
shapes = [tuple(b[1].shape) for b in tl]
print(shapes)
try:
    ds[1000]
except IndexError as e:
    print("IndexError:", e)
