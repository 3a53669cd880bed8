"""The batch order of shuffled DataLoaders after a fixed seed."""
import torch
from torch.utils.data import DataLoader, TensorDataset, random_split

torch.manual_seed(0)
data = torch.arange(17.0)
ds = TensorDataset(data, data * 2)
loader = DataLoader(ds, batch_size=5, shuffle=True)
for epoch in range(3):
    order = []
    for xb, yb in loader:
        order.append(xb.int().tolist())
    print("epoch", epoch, order)
loader2 = DataLoader(ds, batch_size=4, shuffle=True, drop_last=True)
print([xb.int().tolist() for xb, _ in loader2])
g = torch.Generator().manual_seed(99)
loader3 = DataLoader(ds, batch_size=6, shuffle=True, generator=g)
print([xb.int().tolist() for xb, _ in loader3])
print([xb.int().tolist() for xb, _ in loader3])
train, val = random_split(range(10), [7, 3], generator=torch.Generator().manual_seed(1))
print(list(train), list(val))
torch.manual_seed(4)
x = torch.randn(40, 2)
y = (x[:, 0] > x[:, 1]).float()
loader4 = DataLoader(TensorDataset(x, y), batch_size=16, shuffle=True)
for xb, yb in loader4:
    print(len(xb), repr(xb.sum().item()), yb.sum().item())
