# Custom Dataset / DataLoader: samplers, random_split, collate_fn, dict batches.
import torch
from torch.utils.data import (Dataset, DataLoader, TensorDataset, random_split, Subset,
                              ConcatDataset, WeightedRandomSampler, SequentialSampler,
                              BatchSampler, RandomSampler)
from torch.utils.data.dataloader import default_collate
from torch.nn.utils.rnn import pad_sequence

torch.manual_seed(0)


class SquaresDataset(Dataset):
    """x -> x**2 with a little noise; items are dicts, as in many tutorials."""

    def __init__(self, n):
        self.x = torch.linspace(-1, 1, n).unsqueeze(1)
        self.y = self.x ** 2

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        return {"x": self.x[idx], "y": self.y[idx], "idx": idx}


ds = SquaresDataset(10)
print(len(ds), ds[3])
loader = DataLoader(ds, batch_size=4, shuffle=False)
print("num batches:", len(loader))
for batch in loader:
    print(sorted(batch.keys()), batch["x"].shape, batch["idx"])

train, val = random_split(ds, [7, 3], generator=torch.Generator().manual_seed(42))
print("split sizes:", len(train), len(val), "val indices:", val.indices)
print(type(train).__name__, train[0]["idx"])

fr = random_split(range(10), [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(1))
print([list(s) for s in fr])

shuffled = DataLoader(TensorDataset(torch.arange(10.0), torch.arange(10) % 3), batch_size=3,
                      shuffle=True, drop_last=True)
for xb, yb in shuffled:
    print("xb:", xb.tolist(), "yb:", yb.tolist())
print("len with drop_last:", len(shuffled))

# variable-length sequences need a collate_fn
class Sentences(Dataset):
    def __init__(self):
        self.items = [([1, 2, 3], 0), ([4, 5], 1), ([6], 1), ([7, 8, 9, 10], 0), ([11, 12], 1)]

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        tokens, label = self.items[i]
        return torch.tensor(tokens), label


def pad_collate(batch):
    seqs, labels = zip(*batch)
    lengths = torch.tensor([len(s) for s in seqs])
    return pad_sequence(seqs, batch_first=True, padding_value=0), lengths, torch.tensor(labels)


for padded, lengths, labels in DataLoader(Sentences(), batch_size=2, collate_fn=pad_collate):
    print(padded.tolist(), lengths.tolist(), labels.tolist())

try:
    next(iter(DataLoader(Sentences(), batch_size=2)))
except RuntimeError as e:
    print("RuntimeError:", str(e).splitlines()[0])

print(default_collate([(1, 2.0), (3, 4.0)]))
print(default_collate([torch.zeros(2), torch.ones(2)]))

# samplers
print(list(SequentialSampler(range(5))))
print(list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False)))
g = torch.Generator().manual_seed(5)
print(list(RandomSampler(range(6), generator=g)))
weights = torch.tensor([0.1, 0.1, 0.8])
ws = WeightedRandomSampler(weights, num_samples=12, replacement=True, generator=torch.Generator().manual_seed(3))
counts = torch.bincount(torch.tensor(list(ws)), minlength=3)
print("weighted counts:", counts.tolist())

both = ConcatDataset([TensorDataset(torch.zeros(2, 1)), TensorDataset(torch.ones(3, 1))])
print(len(both), both[1], both[4], both.cumulative_sizes)
sub = Subset(ds, [0, 9])
print([sub[i]["y"].item() for i in range(len(sub))])

it = iter(DataLoader(TensorDataset(torch.arange(3)), batch_size=2))
print(next(it), next(it))
try:
    next(it)
except StopIteration:
    print("exhausted")

# the CIFAR-10 tutorial's loader settings: worker processes and pinned memory
trainloader = DataLoader(SquaresDataset(8), batch_size=4, shuffle=True, num_workers=2,
                         generator=torch.Generator().manual_seed(0))
for batch in trainloader:
    print("worker batch:", batch["idx"].tolist())
pinned = DataLoader(TensorDataset(torch.arange(4.0)), batch_size=2, pin_memory=True)
print([b[0].tolist() for b in pinned])
