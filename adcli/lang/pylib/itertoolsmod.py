"""``itertools``: Python's own lazy iterators, with every input metered and every pool
that an iterator stores counted against the Python-object bound first."""

from __future__ import annotations

import itertools as _it

from adcli.errors import LimitError, TorchValueError
from adcli.lang.pylib._common import (
    as_int,
    bounded_list,
    check_objects,
    meter,
    object_bound,
)
from adcli.limits import size_hint


def _pool(iterable, what: str) -> tuple:
    return tuple(bounded_list(iterable, what))


def count(start=0, step=1):
    """Endless: metered, so a C loop over it stops at the step bound."""
    return meter(_it.count(start, step))


def repeat(obj, times=None):
    if times is None:
        return meter(_it.repeat(obj))
    return _it.repeat(obj, as_int(times, "repeat(): times"))


class _Cycle:
    """``itertools.cycle``: stores what it has seen, at most the Python-object bound."""

    __slots__ = ("_it", "_saved", "_i", "_done")

    def __init__(self, iterable) -> None:
        self._it, self._saved, self._i, self._done = iter(meter(iterable)), [], 0, False

    def __iter__(self):
        return self

    def __next__(self):
        if not self._done:
            for item in self._it:
                self._saved.append(item)
                check_objects(len(self._saved), "itertools.cycle()")
                return item
            self._done = True
        if not self._saved:
            raise StopIteration
        item = self._saved[self._i % len(self._saved)]
        self._i += 1
        return item

    def __repr__(self) -> str:
        return f"<itertools.cycle object at 0x{id(self):x}>"


_Cycle.__module__, _Cycle.__qualname__ = "itertools", "cycle"


def cycle(iterable):
    return meter(_Cycle(iterable))


def accumulate(iterable, func=None, *, initial=None):
    return _it.accumulate(meter(iterable), func, initial=initial)


def chain(*iterables):
    return _it.chain(*(meter(i) for i in iterables))


def _chain_from_iterable(iterables):
    return _it.chain.from_iterable(meter(meter(i) for i in meter(iterables)))


chain.from_iterable = _chain_from_iterable  # chain.from_iterable(...), as Python spells it


def compress(data, selectors):
    return _it.compress(meter(data), meter(selectors))


def dropwhile(predicate, iterable):
    return _it.dropwhile(predicate, meter(iterable))


def filterfalse(predicate, iterable):
    return _it.filterfalse(predicate, meter(iterable))


def groupby(iterable, key=None):
    return _it.groupby(meter(iterable), key)


def islice(iterable, *args):
    return _it.islice(meter(iterable), *args)


def pairwise(iterable):
    return _it.pairwise(meter(iterable))


def starmap(function, iterable):
    return _it.starmap(function, meter(iterable))


def takewhile(predicate, iterable):
    return _it.takewhile(predicate, meter(iterable))


def zip_longest(*iterables, fillvalue=None):
    return _it.zip_longest(*(meter(i) for i in iterables), fillvalue=fillvalue)


class _Tee:
    """One of ``tee``'s iterators: a shared buffer, at most the Python-object bound."""

    __slots__ = ("_shared", "_index")

    def __init__(self, shared, index) -> None:
        self._shared, self._index = shared, index

    def __iter__(self):
        return self

    def __next__(self):
        source, buffers = self._shared
        mine = buffers[self._index]
        if mine:
            return mine.popleft()
        item = next(source)
        for i, buf in enumerate(buffers):
            if i != self._index:
                buf.append(item)
                check_objects(len(buf), "itertools.tee() buffer")
        return item

    def __repr__(self) -> str:
        return f"<itertools._tee object at 0x{id(self):x}>"


_Tee.__module__, _Tee.__qualname__ = "itertools", "_tee"


def tee(iterable, n=2):
    from collections import deque

    n = as_int(n, "tee(): n")
    if n < 0:
        raise TorchValueError("n must be >= 0")
    check_objects(n, "itertools.tee()")
    shared = (iter(meter(iterable)), [deque() for _ in range(n)])
    return tuple(_Tee(shared, i) for i in range(n))


def _check_pools(pools, repeat: int, what: str) -> None:
    bound = object_bound()
    total = sum(len(p) for p in pools) * repeat
    if bound and total > bound:
        raise LimitError(f"{what} would store {total:,} items, over the limit of {bound:,} "
                         "(a tenth of --max-elements / ADCLI_MAX_ELEMENTS)")


def product(*iterables, repeat=1):
    repeat = as_int(repeat, "product(): repeat")
    if repeat < 0:
        raise TorchValueError("repeat argument cannot be negative")
    check_objects(repeat * max(len(iterables), 1), "itertools.product() repeat")
    hints = [size_hint(i) for i in iterables]
    if all(h >= 0 for h in hints):  # sized inputs: refused before any pool is stored
        _check_pools([range(h) for h in hints], repeat, "itertools.product()")
    pools = [_pool(i, "itertools.product()") for i in iterables]
    _check_pools(pools, repeat, "itertools.product()")
    return _it.product(*pools, repeat=repeat)


def _r(r, n: int, what: str) -> int | None:
    if r is None:
        return None
    r = as_int(r, f"{what}(): r")
    check_objects(r, f"itertools.{what}() r")
    return r


def permutations(iterable, r=None):
    pool = _pool(iterable, "itertools.permutations()")
    return _it.permutations(pool, _r(r, len(pool), "permutations"))


def combinations(iterable, r):
    pool = _pool(iterable, "itertools.combinations()")
    return _it.combinations(pool, _r(r, len(pool), "combinations"))


def combinations_with_replacement(iterable, r):
    pool = _pool(iterable, "itertools.combinations_with_replacement()")
    return _it.combinations_with_replacement(
        pool, _r(r, len(pool), "combinations_with_replacement"))


def batched(iterable, n):  # Python 3.12's; kept for tutorials that use it
    n = as_int(n, "batched(): n")
    if n < 1:
        raise TorchValueError("n must be at least one")
    check_objects(n, "itertools.batched()")
    source = iter(meter(iterable))

    def gen():
        while batch := tuple(_it.islice(source, n)):
            yield batch

    return gen()


def make_table() -> dict:
    return {
        "count": count, "cycle": cycle, "repeat": repeat, "accumulate": accumulate,
        "chain": chain, "compress": compress, "dropwhile": dropwhile,
        "filterfalse": filterfalse, "groupby": groupby, "islice": islice,
        "pairwise": pairwise, "starmap": starmap, "takewhile": takewhile, "tee": tee,
        "zip_longest": zip_longest, "product": product, "permutations": permutations,
        "combinations": combinations,
        "combinations_with_replacement": combinations_with_replacement,
    }


# ``chain.from_iterable``: the interpreter resolves it through this accessor table.
FUNCTION_ATTRIBUTES = {chain: {"from_iterable": _chain_from_iterable}}
