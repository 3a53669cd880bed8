# ruff: noqa: E501 - the program and torch's printed lines, verbatim
"""DataLoader with ``num_workers`` > 0: the workers run in the main process, with torch's
order of batches (round robin over the workers; an iterable dataset's worker that runs out
drops its task), each worker's own generator seeded with the base seed + its id (a
dataset's draws leave the main stream alone), get_worker_info(), worker_init_fn with a copy
of an iterable dataset per worker, and persistent workers that draw no new base seed.

The expected output was printed by torch 2.13.0+cpu running PROGRAM, never by adcli."""

from __future__ import annotations

from adcli.engine import api, data
from adcli.lang.interpreter import Session

PROGRAM = '''\
import math
import torch
from torch.utils.data import DataLoader, Dataset, IterableDataset, TensorDataset, get_worker_info

torch.manual_seed(0)
ds = TensorDataset(torch.arange(10.).unsqueeze(1), torch.arange(10))
loader = DataLoader(ds, batch_size=3, shuffle=True, num_workers=2)
for epoch in range(2):
    for x, y in loader:
        print(epoch, x.view(-1).tolist(), y.tolist())
print(torch.rand(2))


class Noisy(Dataset):
    def __len__(self):
        return 4

    def __getitem__(self, i):
        info = get_worker_info()
        return torch.rand(1) + i, (info.id if info else -1)


torch.manual_seed(1)
for b in DataLoader(Noisy(), batch_size=2, num_workers=2):
    print(b)
print(torch.rand(1))


class Stream(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            return iter(range(self.n))
        return iter(range(info.id, self.n, info.num_workers))


print([b.tolist() for b in DataLoader(Stream(7), batch_size=2, num_workers=2)])
print([b.tolist() for b in DataLoader(Stream(5), batch_size=2, num_workers=3)])


class Dup(IterableDataset):
    def __iter__(self):
        return iter(range(3))


print([b.tolist() for b in DataLoader(Dup(), batch_size=2, num_workers=2)])


torch.manual_seed(2)
pl = DataLoader(ds, batch_size=4, num_workers=2, persistent_workers=True, shuffle=True)
for e in range(2):
    print([y.tolist() for _, y in pl])
print(torch.rand(1))
print(pl.num_workers, pl.prefetch_factor, pl.persistent_workers, len(pl))
it = iter(DataLoader(ds, batch_size=5, num_workers=2))
print(type(it).__name__, len(it))
print(get_worker_info())


class Range(IterableDataset):
    def __init__(self, start, end):
        super().__init__()
        self.start, self.end = start, end

    def __iter__(self):
        return iter(range(self.start, self.end))


def split_work(worker_id):
    info = get_worker_info()
    ds = info.dataset
    whole_start, whole_end = ds.start, ds.end
    per = int(math.ceil((whole_end - whole_start) / float(info.num_workers)))
    ds.start = whole_start + worker_id * per
    ds.end = min(ds.start + per, whole_end)


ds = Range(3, 10)
print(list(DataLoader(ds, num_workers=2, worker_init_fn=split_work)))
print(list(DataLoader(ds, num_workers=3, worker_init_fn=split_work, batch_size=2)))
print(ds.start, ds.end)
print(list(DataLoader(ds, num_workers=0)))
'''

TORCH_PRINTED = """\
0 [6.0, 7.0, 1.0] [6, 7, 1]
0 [4.0, 2.0, 0.0] [4, 2, 0]
0 [9.0, 8.0, 3.0] [9, 8, 3]
0 [5.0] [5]
1 [2.0, 4.0, 7.0] [2, 4, 7]
1 [0.0, 8.0, 9.0] [0, 8, 9]
1 [5.0, 3.0, 6.0] [5, 3, 6]
1 [1.0] [1]
tensor([0.4556, 0.6323])
[tensor([[0.5113],
        [1.2310]]), tensor([0, 0])]
[tensor([[2.3023],
        [3.8598]]), tensor([1, 1])]
tensor([0.4031])
[[0, 2], [1, 3], [4, 6], [5]]
[[0, 3], [1, 4], [2]]
[[0, 1], [0, 1], [2], [2]]
[[6, 2, 0, 7], [8, 4, 5, 9], [1, 3]]
[[6, 5, 2, 7], [1, 3, 0, 9], [8, 4]]
tensor([0.4425])
2 2 True 3
_MultiProcessingDataLoaderIter 2
None
[tensor([3]), tensor([7]), tensor([4]), tensor([8]), tensor([5]), tensor([9]), tensor([6])]
[tensor([3, 4]), tensor([6, 7]), tensor([9]), tensor([5]), tensor([8])]
3 10
[tensor([3]), tensor([4]), tensor([5]), tensor([6]), tensor([7]), tensor([8]), tensor([9])]
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    got, want = "".join(out).splitlines(), TORCH_PRINTED.splitlines()
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"line {i + 1}"
    assert len(got) == len(want)


def test_too_many_workers_warn_as_torch(monkeypatch):
    from adcli.engine import tensor

    seen: list = []
    monkeypatch.setattr(tensor, "emit_warning", lambda message, site=None: seen.append(
        (message, site and site[1])))
    monkeypatch.setattr(data, "_CPU_COUNT", [2])
    ds = data.TensorDataset(api.arange(4))
    loader = data.DataLoader(ds, num_workers=3)
    list(loader)
    text = ("This DataLoader will create 3 worker processes in total. Our suggested max "
            "number of worker in current system is 2, which is smaller than what this "
            "DataLoader is going to create. Please be aware that excessive worker creation "
            "might get DataLoader running slow or even freeze, lower the worker number to "
            "avoid potential slowness/freeze if necessary.")
    # torch warns in __init__ and in each iter(), at its lines 431 and 437
    assert seen == [(text, 431), (text, 437)]
    seen.clear()
    data.DataLoader(ds, num_workers=2)
    assert seen == []


def test_options_that_need_workers():
    ds = data.TensorDataset(api.arange(4))
    loader = data.DataLoader(ds, num_workers=1, timeout=5, prefetch_factor=4,
                             persistent_workers=True)
    assert (loader.prefetch_factor, loader.timeout) == (4, 5)
    assert data.DataLoader(ds, num_workers=1).prefetch_factor == 2
    assert data.DataLoader(ds).prefetch_factor is None
