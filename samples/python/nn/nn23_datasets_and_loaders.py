"""A Dataset subclass, TensorDataset, DataLoader options over two epochs, and random_split."""
import torch
from torch.utils.data import DataLoader, Dataset, TensorDataset, random_split

torch.manual_seed(23)


class SquaresDataset(Dataset):
    """Item i is (i, i**2) as tensors; optionally transformed."""

    def __init__(self, n, transform=None):
        self.n = n
        self.transform = transform

    def __len__(self):
        return self.n

    def __getitem__(self, idx):
        x = torch.tensor([float(idx)])
        y = torch.tensor(float(idx * idx))
        if self.transform is not None:
            x = self.transform(x)
        return x, y


ds = SquaresDataset(10)
print("len:", len(ds))
print("ds[3]:", ds[3])
print("ds[-1] via index 9:", ds[9])
scaled = SquaresDataset(10, transform=lambda t: t / 10)
print("with a transform:", scaled[5])

print("\nsequential loader, batch_size=4:")
for xb, yb in DataLoader(ds, batch_size=4):
    print("  x", xb.flatten().tolist(), "y", yb.tolist(), tuple(xb.shape))

print("drop_last=True:", [len(b[0]) for b in DataLoader(ds, batch_size=4, drop_last=True)])
print("len(loader):", len(DataLoader(ds, batch_size=4)), len(DataLoader(ds, batch_size=4, drop_last=True)))

loader = DataLoader(ds, batch_size=3, shuffle=True, drop_last=True)
for epoch in range(2):
    order = [xb.flatten().long().tolist() for xb, _ in loader]
    print(f"epoch {epoch} shuffled batches: {order}")

g = torch.Generator().manual_seed(7)
seeded = DataLoader(ds, batch_size=5, shuffle=True, generator=g)
print("with its own generator:", [xb.flatten().long().tolist() for xb, _ in seeded])

features = torch.randn(12, 2)
labels = torch.arange(12) % 3
tds = TensorDataset(features, labels)
print("\nTensorDataset:", len(tds), "tensors:", len(tds.tensors))
x0, y0 = tds[0]
print("item 0:", x0, y0)
print("slice:", tds[2:4][1])

train_set, val_set = random_split(tds, [9, 3])
print("split sizes:", len(train_set), len(val_set))
print("train indices:", sorted(train_set.indices))
print("val indices:", sorted(val_set.indices))
frac_train, frac_val = random_split(range(10), [0.7, 0.3])
print("fractional split:", len(frac_train), len(frac_val), list(frac_val))

val_loader = DataLoader(val_set, batch_size=2)
for xb, yb in val_loader:
    print("val batch:", xb.shape, yb.tolist())


def collate_pairs(batch):
    xs, ys = zip(*batch)
    return torch.cat(xs), torch.stack(ys), len(batch)


for xs, ys, n in DataLoader(ds, batch_size=6, collate_fn=collate_pairs):
    print("custom collate:", xs.tolist(), ys.tolist(), n)

lists = DataLoader([(1, "a"), (2, "b"), (3, "c")], batch_size=2)
print("default collate of Python values:", list(lists))
