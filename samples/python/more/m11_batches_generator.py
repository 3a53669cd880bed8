"""Mini-batches from a generator, shuffled indices, and per-epoch statistics."""
import random
import itertools
from collections import defaultdict, Counter, deque, namedtuple
import torch

random.seed(123)
torch.manual_seed(123)

Batch = namedtuple("Batch", ["x", "y", "index"])


def make_dataset(n: int):
    x = torch.linspace(-1, 1, n).unsqueeze(1)
    y = 3 * x - 0.5 + 0.1 * torch.randn(n, 1)
    return x, y


def batches(x, y, batch_size, shuffle=True):
    order = list(range(len(x)))
    if shuffle:
        random.shuffle(order)
    for start in range(0, len(order), batch_size):
        idx = torch.tensor(order[start:start + batch_size])
        yield Batch(x[idx], y[idx], start // batch_size)


X, Y = make_dataset(20)
print("dataset:", X.shape, Y.shape)
first = next(batches(X, Y, 6))
print("first batch:", first.index, first.x.squeeze(1), first.y.shape)
print("batch sizes:", [len(b.x) for b in batches(X, Y, 6)])

w = torch.zeros(1, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.3
stats = defaultdict(list)
recent = deque(maxlen=3)
for epoch in range(8):
    for batch in batches(X, Y, 6):
        pred = batch.x @ w + b
        loss = ((pred - batch.y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
        stats[epoch].append(loss.item())
        recent.append(round(loss.item(), 4))
    mean_loss = sum(stats[epoch]) / len(stats[epoch])
    print(f"epoch {epoch}: batches={len(stats[epoch])} mean loss={mean_loss:.5f} recent={list(recent)}")

print(f"learned w={w.item():.4f} b={b.item():.4f}")
print("best epoch:", min(stats, key=lambda e: min(stats[e])))
c = Counter(len(b.x) for b in batches(X, Y, 6))
print("batch size counts:", c, c.most_common(1))
pairs = list(itertools.islice(itertools.combinations(range(4), 2), 4))
print("combos:", pairs)
grid = list(itertools.product([0.1, 0.01], [True, False]))
print("grid:", grid)
running = list(itertools.accumulate([1, 2, 3, 4]))
print("accumulate:", running, "chain:", list(itertools.chain([1], (2, 3))))
for key, group in itertools.groupby(sorted(["a1", "b2", "a3", "b4", "c5"]), key=lambda s: s[0]):
    print(key, list(group))
it = iter(batches(X, Y, 8, shuffle=False))
print([bt.index for bt in it])
print(random.random(), random.choice(["sgd", "adam"]), random.sample(range(10), 3))
