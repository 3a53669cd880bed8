import torch
from torch.utils.data import DataLoader, TensorDataset

for b, in [[1], [2]]:
    print(b)
print([v for v, in [(7,), (8,)]])
print({v: 1 for v, in [(7,), (8,)]})
for a, b, in [(1, 2)]:
    print(a, b)
for a in [(1, 2)]:
    print(a)
for *a, in [(1, 2)]:
    print(a)
x = torch.arange(4.)
for xb, in DataLoader(TensorDataset(x), batch_size=2):
    print(xb)
try:
    for b, in [[1, 2]]:
        print(b)
except ValueError as e:
    print(e)
