"""Special methods that tutorials define: __len__, __getitem__, __iter__, __call__."""


class ToyDataset:
    """A dataset of (x, y) pairs with y = 2 * x + 1, indexed like a list."""

    def __init__(self, n):
        self.xs = list(range(n))

    def __len__(self):
        return len(self.xs)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"index {index} out of range for {len(self)} samples")
        x = self.xs[index]
        return x, 2 * x + 1

    def __repr__(self):
        return f"ToyDataset(n={len(self)})"


class Loader:
    def __init__(self, dataset, batch_size):
        self.dataset = dataset
        self.batch_size = batch_size

    def __len__(self):
        return (len(self.dataset) + self.batch_size - 1) // self.batch_size

    def __iter__(self):
        for start in range(0, len(self.dataset), self.batch_size):
            batch = [self.dataset[i]
                     for i in range(start, min(start + self.batch_size, len(self.dataset)))]
            xs, ys = zip(*batch)
            yield list(xs), list(ys)


class Polynomial:
    def __init__(self, *coeffs):
        self.coeffs = coeffs

    def __call__(self, x):
        result = 0
        for c in reversed(self.coeffs):
            result = result * x + c
        return result

    def __len__(self):
        return len(self.coeffs)

    def __str__(self):
        terms = [f"{c}*x^{i}" if i else str(c) for i, c in enumerate(self.coeffs) if c]
        return " + ".join(terms) or "0"

    def __repr__(self):
        return "Polynomial" + repr(self.coeffs)


class Countdown:
    def __init__(self, start):
        self.start = start

    def __iter__(self):
        return CountdownIterator(self.start)


class CountdownIterator:
    def __init__(self, current):
        self.current = current

    def __iter__(self):
        return self

    def __next__(self):
        if self.current <= 0:
            raise StopIteration
        self.current -= 1
        return self.current + 1


data = ToyDataset(7)
print(data, len(data), data[0], data[3], data[-1])
print(data[1:4], data[::3])
try:
    data[10]
except IndexError as err:
    print("IndexError:", err)
loader = Loader(data, batch_size=3)
print("batches:", len(loader))
for i, (xs, ys) in enumerate(loader):
    print(f"batch {i}: xs={xs} ys={ys}")
# ToyDataset has no __iter__: iteration falls back to __getitem__ until IndexError
print(sum(y for _, y in data))
p = Polynomial(1, 0, 3)
print(p, "|", repr(p), "|", len(p), [p(x) for x in range(4)], Polynomial(0, 0))
print(callable(p), callable(data))
print(list(Countdown(4)), sorted(Countdown(3)), max(Countdown(5)))
it = iter(Countdown(2))
print(next(it), next(it), next(it, None))
print(bool(ToyDataset(0)), bool(data), bool(Polynomial()))
print(list(reversed(range(len(data)))), "".join(reversed("abc")))
print(dict(enumerate("xyz")), list(zip(data, "ab")))
