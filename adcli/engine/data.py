"""``torch.utils.data``: datasets, samplers, ``DataLoader`` and ``default_collate``, as
torch 2.13 has them. ``num_workers`` > 0 runs each worker's code in the main process, in
the order and with the random streams torch's worker processes have (``_Worker``).

The random parts draw as torch's do, from the same streams (``torch_random``):

- iterating a ``DataLoader`` first draws its ``_base_seed`` (``empty((), int64).random_()``
  from ``generator=`` or the default generator), shuffled or not, when ``iter()`` is called;
- a ``RandomSampler`` without a generator draws a seed the same way when its epoch starts
  (at the first batch), seeds a fresh ``torch.Generator`` with it and takes
  ``randperm(n)``; with a generator it takes ``randperm(n, generator=g)`` directly;
- ``random_split`` takes ``randperm(sum(lengths), generator=...)``, the default generator
  unless one is given.

So the batches, and the default generator's state after them, are torch's for the same
``manual_seed``. A worker's draws (random augmentation in ``__getitem__``) come from its own
generator, seeded with the base seed + its id, as in torch's worker processes. Each worker
of an iterable dataset iterates over its own copy of it. Not emulated: a worker's copy of
a map-style dataset (one that mutates itself while loading changes the main process's
object here) and the Python ``random``/numpy seeding of workers. Samplers and batch
samplers are generators, lazy as torch's: an epoch that is never started draws nothing but
the loader's base seed.

Each class a script can reach names what it may read in ``__adcli_public__``;
``Dataset``, ``IterableDataset`` and ``Sampler`` may be subclassed by a script.
``MEMBERS`` is the ``torch.utils.data`` namespace.
"""

from __future__ import annotations

import bisect
import collections.abc
import copy
import itertools
import math
import re

import numpy as np

from adcli.engine import api as _api
from adcli.engine.tensor import Tensor, warn
from adcli.errors import (
    TorchAssertionError,
    TorchIndexError,
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchTypeError,
    TorchValueError,
)

__all__ = [
    "MEMBERS", "BatchSampler", "ConcatDataset", "DataLoader", "Dataset", "IterableDataset",
    "RandomSampler", "Sampler", "SequentialSampler", "StackDataset", "Subset",
    "SubsetRandomSampler", "TensorDataset", "WeightedRandomSampler", "default_collate",
    "default_convert", "get_worker_info", "random_split",
]

_DATASET_MODULE = "torch.utils.data.dataset"
_SAMPLER_MODULE = "torch.utils.data.sampler"
_LOADER_MODULE = "torch.utils.data.dataloader"


def _int64_seed(generator) -> int:
    """``int(torch.empty((), dtype=torch.int64).random_(generator=generator).item())``."""
    return int(_api._generator(generator).random_((), dtype=np.int64))


# ============================================================================ datasets


class Dataset:
    """A map-style dataset: subclasses define ``__getitem__`` (and usually ``__len__``)."""

    __module__ = _DATASET_MODULE
    __adcli_subclassable__ = True
    __adcli_public__ = frozenset()

    def __getitem__(self, index):
        raise TorchNotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other):
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """An iterable-style dataset: subclasses define ``__iter__``."""

    __module__ = _DATASET_MODULE
    __adcli_subclassable__ = True
    __adcli_public__ = frozenset()

    def __iter__(self):
        raise TorchNotImplementedError("Subclasses of IterableDataset should implement "
                                       "__iter__.")

    def __add__(self, other):
        return ChainDataset([self, other])


class TensorDataset(Dataset):
    """Samples are ``tuple(t[index] for t in tensors)``."""

    __module__ = _DATASET_MODULE
    __adcli_subclassable__ = False
    __adcli_public__ = frozenset({"tensors"})

    def __init__(self, *tensors) -> None:
        if not tensors:
            raise IndexError("tuple index out of range")
        for t in tensors:
            if not isinstance(t, Tensor):
                raise TorchTypeError(f"TensorDataset: every argument must be a Tensor, got "
                                     f"{type(t).__name__}")
            if t._data.ndim == 0:
                raise TorchIndexError("Dimension specified as 0 but tensor has no dimensions")
        if any(tensors[0]._data.shape[0] != t._data.shape[0] for t in tensors):
            raise TorchAssertionError("Size mismatch between tensors")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(tensor[index] for tensor in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0]._data.shape[0]


class StackDataset(Dataset):
    """Samples are tuples (positional datasets) or dicts (keyword datasets) of the
    datasets' samples at one index."""

    __module__ = _DATASET_MODULE
    __adcli_subclassable__ = False
    __adcli_public__ = frozenset({"datasets"})

    def __init__(self, *args, **kwargs) -> None:
        if args:
            if kwargs:
                raise TorchValueError(
                    "Supported either ``tuple``- (via ``args``) or``dict``- (via ``kwargs``) "
                    "like input/output, but both types are given.")
            self._length = len(args[0])
            if any(self._length != len(dataset) for dataset in args):
                raise TorchValueError("Size mismatch between datasets")
            self.datasets = args
        elif kwargs:
            tmp = list(kwargs.values())
            self._length = len(tmp[0])
            if any(self._length != len(dataset) for dataset in tmp):
                raise TorchValueError("Size mismatch between datasets")
            self.datasets = kwargs
        else:
            raise TorchValueError("At least one dataset should be passed")

    def __getitem__(self, index):
        if isinstance(self.datasets, dict):
            return {k: dataset[index] for k, dataset in self.datasets.items()}
        return tuple(dataset[index] for dataset in self.datasets)

    def __len__(self) -> int:
        return self._length


class ConcatDataset(Dataset):
    """The datasets one after the other."""

    __module__ = _DATASET_MODULE
    __adcli_subclassable__ = False
    __adcli_public__ = frozenset({"datasets", "cumulative_sizes"})

    @staticmethod
    def cumsum(sequence):
        r, s = [], 0
        for e in sequence:
            n = len(e)
            r.append(n + s)
            s += n
        return r

    def __init__(self, datasets) -> None:
        self.datasets = list(datasets)
        if len(self.datasets) == 0:
            raise TorchAssertionError("datasets should not be an empty iterable")
        for d in self.datasets:
            if isinstance(d, IterableDataset):
                raise TorchAssertionError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if idx < 0:
            if -idx > len(self):
                raise TorchValueError("absolute value of index should not exceed dataset "
                                      "length")
            idx = len(self) + idx
        dataset_idx = bisect.bisect_right(self.cumulative_sizes, idx)
        if dataset_idx == 0:
            sample_idx = idx
        else:
            sample_idx = idx - self.cumulative_sizes[dataset_idx - 1]
        return self.datasets[dataset_idx][sample_idx]


class ChainDataset(IterableDataset):
    """Iterable datasets one after the other."""

    __module__ = _DATASET_MODULE
    __adcli_subclassable__ = False
    __adcli_public__ = frozenset({"datasets"})

    def __init__(self, datasets) -> None:
        self.datasets = datasets

    def __iter__(self):
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise TorchAssertionError("ChainDataset only supports IterableDataset")
            yield from d

    def __len__(self) -> int:
        total = 0
        for d in self.datasets:
            if not isinstance(d, IterableDataset):
                raise TorchAssertionError("ChainDataset only supports IterableDataset")
            total += len(d)
        return total


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``."""

    __module__ = _DATASET_MODULE
    __adcli_subclassable__ = False
    __adcli_public__ = frozenset({"dataset", "indices"})

    def __init__(self, dataset, indices) -> None:
        self.dataset = dataset
        self.indices = indices

    def __getitem__(self, idx):
        if isinstance(idx, list):
            return self.dataset[[self.indices[i] for i in idx]]
        return self.dataset[self.indices[idx]]

    def __getitems__(self, indices):
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__([self.indices[idx] for idx in indices])
        return [self.dataset[self.indices[idx]] for idx in indices]

    def __len__(self) -> int:
        return len(self.indices)


def _is_number(v) -> bool:
    return (type(v) in (int, float, bool)
            or (isinstance(v, np.generic) and v.dtype.kind in "biuf"))


def random_split(dataset, lengths, generator=_api.default_generator) -> list:
    """Split ``dataset`` into non-overlapping ``Subset``s of the given lengths (or
    fractions), by ``randperm(len, generator=generator)``, as torch."""
    lengths = list(lengths)
    for v in lengths:
        if not _is_number(v):
            raise TorchTypeError(f"random_split(): lengths must be numbers, got "
                                 f"{type(v).__name__}")
    total = sum(lengths)
    if math.isclose(total, 1) and total <= 1:
        subset_lengths: list[int] = []
        n = len(dataset)
        for i, frac in enumerate(lengths):
            if frac < 0 or frac > 1:
                raise TorchValueError(f"Fraction at index {i} is not between 0 and 1")
            subset_lengths.append(math.floor(n * frac))
        remainder = n - sum(subset_lengths)
        for i in range(remainder):
            subset_lengths[i % len(subset_lengths)] += 1
        lengths = subset_lengths
        for i, length in enumerate(lengths):
            if length == 0:
                warn(f"Length of split at index {i} is 0. This might result in an empty "
                     f"dataset.")
    if sum(lengths) != len(dataset):
        raise TorchValueError("Sum of input lengths does not equal the length of the input "
                              "dataset!")
    indices = _api.randperm(sum(lengths), generator=generator).tolist()
    return [Subset(dataset, indices[offset - length:offset])
            for offset, length in zip(itertools.accumulate(lengths), lengths, strict=True)]


# ============================================================================ samplers


class Sampler:
    """The base of samplers: subclasses define ``__iter__`` (and ``__len__``)."""

    __module__ = _SAMPLER_MODULE
    __adcli_subclassable__ = True
    __adcli_public__ = frozenset()

    def __init__(self, data_source=None) -> None:
        if data_source is not None:
            warn("`data_source` argument is not used and will be removed in 2.2.0.You may "
                 "still have custom implementation that utilizes it.")

    def __iter__(self):
        raise TorchNotImplementedError("")


class SequentialSampler(Sampler):
    """``range(len(data_source))``."""

    __module__ = _SAMPLER_MODULE
    __adcli_subclassable__ = False
    __adcli_public__ = frozenset({"data_source"})

    def __init__(self, data_source) -> None:
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


def _check_generator(generator) -> None:
    if generator is not None and not isinstance(generator, _api.Generator):
        raise TorchTypeError(f"generator must be a torch.Generator, not "
                             f"{type(generator).__name__}")


class RandomSampler(Sampler):
    """A shuffled epoch (``randperm``), or ``num_samples`` draws with replacement."""

    __module__ = _SAMPLER_MODULE
    __adcli_subclassable__ = False
    __adcli_public__ = frozenset({"data_source", "replacement", "num_samples", "generator"})

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise TorchTypeError(f"replacement should be a boolean value, but got "
                                 f"replacement={self.replacement}")
        ns = self.num_samples
        if not isinstance(ns, int) or ns <= 0:
            raise TorchValueError(f"num_samples should be a positive integer value, but got "
                                  f"num_samples={ns}")
        _check_generator(generator)

    @property
    def num_samples(self) -> int:
        if self._num_samples is None:
            return len(self.data_source)
        return self._num_samples

    def __iter__(self):
        n = len(self.data_source)
        if self.generator is None:
            seed = _int64_seed(None)
            generator = _api.Generator()
            generator.manual_seed(seed)
        else:
            generator = self.generator
        if self.replacement:
            for _ in range(self.num_samples // 32):
                yield from _api.randint(high=n, size=(32,), generator=generator).tolist()
            yield from _api.randint(high=n, size=(self.num_samples % 32,),
                                    generator=generator).tolist()
        else:
            for _ in range(self.num_samples // n):
                yield from _api.randperm(n, generator=generator).tolist()
            yield from _api.randperm(n, generator=generator).tolist()[:self.num_samples % n]

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given indices in a random order (``randperm(len(indices))``)."""

    __module__ = _SAMPLER_MODULE
    __adcli_subclassable__ = False
    __adcli_public__ = frozenset({"indices", "generator"})

    def __init__(self, indices, generator=None) -> None:
        _check_generator(generator)
        self.indices = indices
        self.generator = generator

    def __iter__(self):
        for i in _api.randperm(len(self.indices), generator=self.generator).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices drawn by ``torch.multinomial(weights, ...)``."""

    __module__ = _SAMPLER_MODULE
    __adcli_subclassable__ = False
    __adcli_public__ = frozenset({"weights", "num_samples", "replacement", "generator"})

    def __init__(self, weights, num_samples, replacement=True, generator=None) -> None:
        if (not isinstance(num_samples, int) or isinstance(num_samples, bool)
                or num_samples <= 0):
            raise TorchValueError(f"num_samples should be a positive integer value, but got "
                                  f"num_samples={num_samples}")
        if not isinstance(replacement, bool):
            raise TorchValueError(f"replacement should be a boolean value, but got "
                                  f"replacement={replacement}")
        _check_generator(generator)
        weights_tensor = _api.as_tensor(weights, dtype=_api.float64)
        if len(weights_tensor.shape) != 1:
            raise TorchValueError(f"weights should be a 1d sequence but given weights have "
                                  f"shape {tuple(weights_tensor.shape)}")
        self.weights = weights_tensor
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self):
        rand_tensor = _api.multinomial(self.weights, self.num_samples, self.replacement,
                                       generator=self.generator)
        yield from iter(rand_tensor.tolist())

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """Lists of ``batch_size`` indices from ``sampler`` (the last one shorter, unless
    ``drop_last``)."""

    __module__ = _SAMPLER_MODULE
    __adcli_subclassable__ = False
    __adcli_public__ = frozenset({"sampler", "batch_size", "drop_last"})

    def __init__(self, sampler, batch_size, drop_last) -> None:
        if (not isinstance(batch_size, int) or isinstance(batch_size, bool)
                or batch_size <= 0):
            raise TorchValueError(f"batch_size should be a positive integer value, but got "
                                  f"batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise TorchValueError(f"drop_last should be a boolean value, but got "
                                  f"drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self):
        sampler_iter = iter(self.sampler)
        if self.drop_last:
            args = [sampler_iter] * self.batch_size
            for batch_droplast in zip(*args, strict=False):
                yield [*batch_droplast]
        else:
            batch = [*itertools.islice(sampler_iter, self.batch_size)]
            while batch:
                yield batch
                batch = [*itertools.islice(sampler_iter, self.batch_size)]

    def __len__(self) -> int:
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size


class _InfiniteConstantSampler(Sampler):
    """An iterable dataset's sampler: ``None`` forever."""

    __module__ = _LOADER_MODULE
    __adcli_subclassable__ = False
    __adcli_public__ = frozenset()

    def __iter__(self):
        while True:
            yield None


# ============================================================================ collate

_NP_STR_OBJ = re.compile(r"[SaUO]")
_COLLATE_ERR = ("default_collate: batch must contain tensors, numpy arrays, numbers, dicts "
                "or lists; found {}")


def default_convert(data):
    """What a ``DataLoader`` without auto-batching applies to each sample: numpy arrays
    (not of strings or objects) to tensors, inside mappings and sequences too."""
    elem_type = type(data)
    if isinstance(data, Tensor):
        return data
    if isinstance(data, (np.ndarray, np.generic)) and not isinstance(data, (np.str_, np.bytes_)):
        if isinstance(data, np.ndarray) and _NP_STR_OBJ.search(data.dtype.str) is not None:
            return data
        return _api.as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update({key: default_convert(data[key]) for key in data})
                return clone
            return elem_type({key: default_convert(data[key]) for key in data})
        except TypeError:
            return {key: default_convert(data[key]) for key in data}
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return elem_type(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                for i, d in enumerate(data):
                    clone[i] = default_convert(d)
                return clone
            return elem_type([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data


def _collate_tensor(batch):
    return _api.stack(batch, 0)


def _collate_numpy_array(batch):
    elem = batch[0]
    if _NP_STR_OBJ.search(elem.dtype.str) is not None:
        raise TorchTypeError(_COLLATE_ERR.format(elem.dtype))
    return _collate([_api.as_tensor(b) for b in batch])


def _collate_numpy_scalar(batch):
    return _api.as_tensor(batch)


def _collate_float(batch):
    return _api.tensor(batch, dtype=_api.float64)


def _collate_int(batch):
    return _api.tensor(batch)


def _collate_str(batch):
    return batch


# torch's default_collate_fn_map, in its order: an exact type first, then isinstance
_COLLATE_MAP = (
    (Tensor, _collate_tensor),
    (np.ndarray, _collate_numpy_array),
    ((np.bool_, np.number, np.object_), _collate_numpy_scalar),
    (float, _collate_float),
    (int, _collate_int),
    (str, _collate_str),
    (bytes, _collate_str),
)
_COLLATE_EXACT = {k: f for k, f in _COLLATE_MAP if isinstance(k, type)}


def _collate(batch):
    elem = batch[0]
    elem_type = type(elem)
    fn = _COLLATE_EXACT.get(elem_type)
    if fn is not None:
        return fn(batch)
    for kind, fn in _COLLATE_MAP:
        if isinstance(elem, kind):
            return fn(batch)
    if isinstance(elem, collections.abc.Mapping):
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                clone = copy.copy(elem)
                clone.update({key: _collate([d[key] for d in batch]) for key in elem})
                return clone
            return elem_type({key: _collate([d[key] for d in batch]) for key in elem})
        except TypeError:
            return {key: _collate([d[key] for d in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):
        return elem_type(*(_collate(samples) for samples in zip(*batch, strict=False)))
    if isinstance(elem, collections.abc.Sequence):
        it = iter(batch)
        elem_size = len(next(it))
        if not all(len(e) == elem_size for e in it):
            raise TorchRuntimeError("each element in list of batch should be of equal size")
        transposed = list(zip(*batch, strict=False))
        if isinstance(elem, tuple):
            return [_collate(samples) for samples in transposed]
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                for i, samples in enumerate(transposed):
                    clone[i] = _collate(samples)
                return clone
            return elem_type([_collate(samples) for samples in transposed])
        except TypeError:
            return [_collate(samples) for samples in transposed]
    raise TorchTypeError(_COLLATE_ERR.format(elem_type))


def default_collate(batch):
    """Stack a list of samples into a batch as torch does: tensors stacked, Python floats
    to a float64 tensor, ints to an int64 tensor, numpy arrays and scalars to tensors,
    strings kept as a list, mappings, namedtuples and sequences collated field by field
    (a tuple's fields as a list)."""
    return _collate(batch)


class WorkerInfo:
    """What ``get_worker_info()`` returns inside a DataLoader worker: its ``id``,
    ``num_workers``, ``seed`` (the loader's base seed + id) and ``dataset``."""

    __module__ = "torch.utils.data._utils.worker"
    __adcli_subclassable__ = False
    __adcli_public__ = frozenset({"id", "num_workers", "seed", "dataset", "rng",
                                  "worker_method"})

    def __init__(self, id, num_workers, seed, dataset, rng=None,
                 worker_method="multiprocessing") -> None:
        self.id, self.num_workers, self.seed, self.dataset = id, num_workers, seed, dataset
        self.rng, self.worker_method = rng, worker_method

    def __repr__(self) -> str:
        return (f"WorkerInfo(id={self.id!r}, num_workers={self.num_workers!r}, "
                f"seed={self.seed!r}, dataset={self.dataset!r}, rng={self.rng!r}, "
                f"worker_method={self.worker_method!r})")


_WORKER: list = [None]  # the WorkerInfo of the worker whose code runs now, if any


def get_worker_info():
    """The running DataLoader worker's ``WorkerInfo``; None in the main process."""
    return _WORKER[0]


# ============================================================================ DataLoader


class _SingleProcessDataLoaderIter:
    """One pass over a ``DataLoader`` (what ``iter(loader)`` returns)."""

    __module__ = _LOADER_MODULE
    __adcli_subclassable__ = False
    __adcli_public__ = frozenset()

    def __init__(self, loader: DataLoader) -> None:
        self._dataset = loader.dataset
        self._iterable = loader._iterable
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._collate_fn = loader.collate_fn
        self._sampler_iter = iter(self._index_sampler)
        self._base_seed = _int64_seed(loader.generator)
        self._num_yielded = 0
        if loader.pin_memory:  # reported at the iterator's super().__init__(loader) line
            line = 1102 if isinstance(self, _MultiProcessingDataLoaderIter) else 759
            warn("'pin_memory' argument is set as true but no accelerator is found, then "
                 "device pinned memory won't be used.",
                 ("utils/data/dataloader.py", line, "super().__init__(loader)"))
        self._dataset_iter = iter(self._dataset) if self._iterable else None
        self._ended = False

    def __iter__(self):
        return self

    def _fetch(self, index, source=None):
        """The batch at ``index``; ``source`` (an iterable dataset's): what holds its
        ``_dataset_iter`` and ``_ended`` (this pass, or a worker)."""
        if self._iterable:
            source = self if source is None else source
            if source._ended:
                raise StopIteration
            if self._auto_collation:
                data = []
                for _ in index:
                    try:
                        data.append(next(source._dataset_iter))
                    except StopIteration:
                        source._ended = True
                        break
                if len(data) == 0 or (self._drop_last and len(data) < len(index)):
                    raise StopIteration
            else:
                data = next(source._dataset_iter)
            return self._collate_fn(data)
        ds = self._dataset
        if self._auto_collation:
            getitems = getattr(ds, "__getitems__", None)
            if getitems:
                data = getitems(index)
            else:
                data = [ds[idx] for idx in index]
        else:
            data = ds[index]
        return self._collate_fn(data)

    def __next__(self):
        index = next(self._sampler_iter)
        data = self._fetch(index)
        self._num_yielded += 1
        return data

    def __len__(self) -> int:
        return len(self._index_sampler)


class _Worker:
    """One DataLoader worker, run in the main process: its WorkerInfo, the state of its
    own torch generator (torch seeds a worker with base seed + id, and its draws leave the
    main process's stream alone) and, for an iterable dataset, its own iterator (each
    worker iterates over its copy of the dataset)."""

    def __init__(self, info: WorkerInfo) -> None:
        self.info = info
        gen = _api._default().clone()
        gen.manual_seed(info.seed)
        self.rng = gen.get_state()
        self.active = True
        self._dataset_iter = None
        self._ended = False

    def run(self, fn, *args):
        """``fn(*args)`` as this worker's code: get_worker_info() answers, and the default
        generator is this worker's."""
        gen = _api._default()
        main = gen.get_state()
        gen.set_state(self.rng)
        _WORKER[0] = self.info
        try:
            return fn(*args)
        finally:
            _WORKER[0] = None
            self.rng = gen.get_state()
            gen.set_state(main)


class _MultiProcessingDataLoaderIter(_SingleProcessDataLoaderIter):
    """A pass over a DataLoader with ``num_workers`` > 0, its workers emulated in the main
    process, in torch's order: batch k goes to worker k % num_workers (the next one still
    active, for an iterable dataset whose worker ran out), and the batches come back in
    that order. ``worker_init_fn(id)`` runs as each worker starts."""

    def __init__(self, loader: DataLoader) -> None:
        super().__init__(loader)
        self._loader = loader
        n = loader.num_workers
        # each worker process holds its own copy of an iterable dataset (which a
        # worker_init_fn often reshapes to its shard, through get_worker_info().dataset)
        self._workers = [_Worker(WorkerInfo(i, n, self._base_seed + i,
                                            copy.deepcopy(self._dataset) if self._iterable
                                            else self._dataset))
                         for i in range(n)]
        for w in self._workers:
            w.run(self._start, w)
        self._turn = 0

    def _start(self, worker: _Worker) -> None:
        if self._loader.worker_init_fn is not None:
            self._loader.worker_init_fn(worker.info.id)
        if self._iterable:
            worker._dataset_iter, worker._ended = iter(worker.info.dataset), False

    def _reset(self) -> None:
        """A new epoch of persistent workers: the sampler starts again, each worker is
        active again (an iterable dataset's worker makes a new iterator); their generators
        go on from where they were."""
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._turn = 0
        for w in self._workers:
            w.active = True
            if self._iterable:
                w.run(self._restart, w)

    def _restart(self, worker: _Worker) -> None:
        worker._dataset_iter, worker._ended = iter(worker.info.dataset), False

    def __next__(self):
        n = len(self._workers)
        while True:
            index = next(self._sampler_iter)
            for _ in range(n):  # the next active worker, if any
                worker = self._workers[self._turn]
                self._turn = (self._turn + 1) % n
                if worker.active:
                    break
            else:
                raise StopIteration
            try:
                data = worker.run(self._fetch, index, worker)
            except StopIteration:  # an iterable dataset's worker ran out: the task is dropped
                worker.active = False
                continue
            self._num_yielded += 1
            return data


_CPU_COUNT: list = []


def _check_worker_number(num_workers: int, site: tuple) -> None:
    """torch's warning when a loader asks for more workers than the CPUs this process may
    use (``os.sched_getaffinity``), reported at torch's line ``site``."""
    if not _CPU_COUNT:
        import os
        _CPU_COUNT.append(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                          else os.cpu_count())
    cpus = _CPU_COUNT[0]
    if cpus is None or num_workers > cpus:
        suggestion = (f"Our suggested max number of worker in current system is {cpus}, which "
                      "is smaller than what this DataLoader is going to create."
                      if cpus is not None else "DataLoader is not able to compute a suggested "
                      "max number of worker in current system.")
        warn(f"This DataLoader will create {num_workers} worker processes in total. "
             f"{suggestion} Please be aware that excessive worker creation might get "
             "DataLoader running slow or even freeze, lower the worker number to avoid "
             "potential slowness/freeze if necessary.", site)


_RATIONALITY_INIT = ("utils/data/dataloader.py", 431, "self.check_worker_number_rationality()")
_RATIONALITY_ITER = ("utils/data/dataloader.py", 437, "self.check_worker_number_rationality()")


class DataLoader:
    """Batches of a dataset: ``batch_size``, ``shuffle`` (a ``RandomSampler``),
    ``sampler``/``batch_sampler``, ``drop_last``, ``collate_fn``, ``generator``; in the main
    process only."""

    __module__ = _LOADER_MODULE
    __adcli_subclassable__ = False
    __adcli_public__ = frozenset({
        "dataset", "batch_size", "drop_last", "sampler", "batch_sampler", "num_workers",
        "collate_fn", "generator", "pin_memory", "timeout", "worker_init_fn",
        "prefetch_factor", "persistent_workers", "in_order"})

    _FROZEN = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
               "persistent_workers")

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True) -> None:
        if not isinstance(num_workers, int) or isinstance(num_workers, bool):
            raise TorchTypeError(f"num_workers must be an int, not {type(num_workers).__name__}")
        if num_workers < 0:
            raise TorchValueError("num_workers option should be non-negative; use "
                                  "num_workers=0 to disable multiprocessing.")
        if timeout < 0:
            raise TorchValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise TorchValueError(
                "prefetch_factor option could only be specified in multiprocessing.let "
                "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to "
                "None.")
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        if persistent_workers and num_workers == 0:
            raise TorchValueError("persistent_workers option needs num_workers > 0")
        if multiprocessing_context is not None and num_workers == 0:
            raise TorchValueError(
                "multiprocessing_context can only be used with multi-process loading "
                f"(num_workers > 0), but got num_workers={num_workers}")
        _check_generator(generator)
        iterable = isinstance(dataset, IterableDataset)
        if iterable:
            if shuffle not in {False, None}:
                raise TorchValueError(f"DataLoader with IterableDataset: expected unspecified "
                                      f"shuffle option, but got shuffle={shuffle}")
            if sampler is not None:
                raise TorchValueError(f"DataLoader with IterableDataset: expected unspecified "
                                      f"sampler option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise TorchValueError("DataLoader with IterableDataset: expected unspecified "
                                      f"batch_sampler option, but got "
                                      f"batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
        if sampler is not None and shuffle:
            raise TorchValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise TorchValueError("batch_sampler option is mutually exclusive with "
                                      "batch_size, shuffle, sampler, and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise TorchValueError("batch_size=None option disables auto-batching and is "
                                  "mutually exclusive with drop_last")
        if sampler is None:
            if iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        s = object.__setattr__
        s(self, "dataset", dataset)
        s(self, "num_workers", num_workers)
        s(self, "prefetch_factor", prefetch_factor)
        s(self, "pin_memory", pin_memory)
        s(self, "pin_memory_device", pin_memory_device)
        s(self, "timeout", timeout)
        s(self, "worker_init_fn", worker_init_fn)
        s(self, "in_order", in_order)
        s(self, "_iterable", iterable)
        s(self, "batch_size", batch_size)
        s(self, "drop_last", drop_last)
        s(self, "sampler", sampler)
        s(self, "batch_sampler", batch_sampler)
        s(self, "generator", generator)
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        s(self, "collate_fn", collate_fn)
        s(self, "persistent_workers", persistent_workers)
        s(self, "multiprocessing_context", multiprocessing_context)
        s(self, "_iterator", None)
        if num_workers:
            _check_worker_number(num_workers, _RATIONALITY_INIT)

    def __setattr__(self, attr, val) -> None:
        if attr in self._FROZEN:
            raise TorchValueError(f"{attr} attribute should not be set after "
                                  f"{type(self).__name__} is initialized")
        object.__setattr__(self, attr, val)

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def __iter__(self) -> _SingleProcessDataLoaderIter:
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self)
        if self.persistent_workers and self._iterator is not None:
            self._iterator._reset()  # the same workers: no new base seed is drawn
            return self._iterator
        _check_worker_number(self.num_workers, _RATIONALITY_ITER)
        it = _MultiProcessingDataLoaderIter(self)
        if self.persistent_workers:
            object.__setattr__(self, "_iterator", it)
        return it

    def __len__(self) -> int:
        if self._iterable:
            length = len(self.dataset)
            if self.batch_size is not None:
                if self.drop_last:
                    length = length // self.batch_size
                else:
                    length = math.ceil(length / self.batch_size)
            return length
        return len(self._index_sampler)


MEMBERS = {
    "Dataset": Dataset,
    "IterableDataset": IterableDataset,
    "TensorDataset": TensorDataset,
    "StackDataset": StackDataset,
    "ConcatDataset": ConcatDataset,
    "ChainDataset": ChainDataset,
    "Subset": Subset,
    "random_split": random_split,
    "Sampler": Sampler,
    "SequentialSampler": SequentialSampler,
    "RandomSampler": RandomSampler,
    "SubsetRandomSampler": SubsetRandomSampler,
    "WeightedRandomSampler": WeightedRandomSampler,
    "BatchSampler": BatchSampler,
    "DataLoader": DataLoader,
    "default_collate": default_collate,
    "default_convert": default_convert,
    "get_worker_info": get_worker_info,
}
