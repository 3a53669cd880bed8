"""Hand-written tensor transforms (random crop/flip) and gradient accumulation over micro-batches."""
import random
from enum import Enum

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(2)
random.seed(2)
np.random.seed(2)


class Split(Enum):
    TRAIN = "train"
    VAL = "val"


class RandomCrop:
    def __init__(self, size, padding=0):
        self.size, self.padding = size, padding

    def __call__(self, img):
        if self.padding:
            img = F.pad(img, (self.padding,) * 4)
        _, h, w = img.shape
        top = torch.randint(0, h - self.size + 1, (1,)).item()
        left = torch.randint(0, w - self.size + 1, (1,)).item()
        return img[:, top:top + self.size, left:left + self.size]

    def __repr__(self):
        return f"{self.__class__.__name__}(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip:
    def __init__(self, p=0.5):
        self.p = p

    def __call__(self, img):
        return img.flip(-1) if torch.rand(1).item() < self.p else img

    def __repr__(self):
        return f"RandomHorizontalFlip(p={self.p})"


class Normalize:
    def __init__(self, mean, std):
        self.mean = torch.tensor(mean).view(-1, 1, 1)
        self.std = torch.tensor(std).view(-1, 1, 1)

    def __call__(self, img):
        return (img - self.mean) / self.std

    def __repr__(self):
        return f"Normalize(mean={self.mean.flatten().tolist()}, std={self.std.flatten().tolist()})"


class Compose:
    def __init__(self, transforms):
        self.transforms = transforms

    def __call__(self, x):
        for t in self.transforms:
            x = t(x)
        return x

    def __repr__(self):
        body = "".join(f"\n    {t}" for t in self.transforms)
        return f"Compose({body}\n)"


class StripesDataset(Dataset):
    """Class 0: horizontal stripes, class 1: vertical stripes (1 channel, 8x8)."""

    def __init__(self, n, split, transform=None):
        g = np.random.RandomState(0 if split is Split.TRAIN else 1)
        self.labels = g.randint(0, 2, size=n)
        self.noise = g.rand(n, 1, 8, 8).astype(np.float32) * 0.3
        self.transform = transform
        self.split = split

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        base = torch.zeros(1, 8, 8)
        if self.labels[i] == 0:
            base[:, ::2, :] = 1.0
        else:
            base[:, :, ::2] = 1.0
        img = base + torch.from_numpy(self.noise[i])
        if self.transform:
            img = self.transform(img)
        return img, int(self.labels[i])


train_tf = Compose([RandomCrop(8, padding=1), RandomHorizontalFlip(), Normalize([0.5], [0.5])])
val_tf = Compose([Normalize([0.5], [0.5])])
print(train_tf)
train_ds = StripesDataset(64, Split.TRAIN, train_tf)
val_ds = StripesDataset(32, Split.VAL, val_tf)
img, label = train_ds[0]
print(f"sample: shape={tuple(img.shape)} label={label} min={img.min():.3f} max={img.max():.3f}")
print("split:", train_ds.split, train_ds.split.value, Split("val").name)

model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d((2, 2)),
                      nn.Flatten(), nn.Linear(16, 2))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
accum_steps = 4
loader = DataLoader(train_ds, batch_size=4, shuffle=True)

for epoch in range(4):
    model.train()
    opt.zero_grad()
    running = 0.0
    for step, (xb, yb) in enumerate(loader, start=1):
        loss = F.cross_entropy(model(xb), yb) / accum_steps
        loss.backward()
        running += loss.item()
        if step % accum_steps == 0:
            opt.step()
            opt.zero_grad()
    model.eval()
    correct = 0
    with torch.no_grad():
        for xb, yb in DataLoader(val_ds, batch_size=16):
            correct += (model(xb).argmax(1) == yb).sum().item()
    print(f"epoch {epoch}: train loss {running / (len(loader) / accum_steps):.4f} "
          f"val acc {correct}/{len(val_ds)}")

# accumulated gradient equals the full-batch gradient
xb = torch.stack([val_ds[i][0] for i in range(8)])
yb = torch.tensor([val_ds[i][1] for i in range(8)])
model.zero_grad()
F.cross_entropy(model(xb), yb).backward()
full = model[-1].weight.grad.clone()
model.zero_grad()
for chunk_x, chunk_y in zip(xb.chunk(4), yb.chunk(4)):
    (F.cross_entropy(model(chunk_x), chunk_y) / 4).backward()
print("accumulated == full batch:", torch.allclose(full, model[-1].weight.grad, atol=1e-6))
print("grad norm:", f"{full.norm():.4f}")
