"""The grad_fn classes of selecting by index: gather and scatter_add, index_select, the
value-selecting reductions with indices (sort, topk, kthvalue, median, mode), tril/triu
and roll. Their backward puts the gradient back where the values came from (a
scatter_add into zeros, itself an op so that double backward works). The names are
declared in engine/declarations/selection.py.
"""

from __future__ import annotations

import numpy as np

from adcli.engine import dtypes as dt
from adcli.engine.ops.kinds import Nary, Unary, _i64, _new, _number
from adcli.engine.ops.linalg import BmmBackward0, DiagonalBackward0
from adcli.engine.ops.writes import IndexPutImplBackward0
from adcli.engine.tensor import _GRAD, Node, Tensor, _wrap, edge
from adcli.errors import TorchIndexError, TorchRuntimeError


def _scatter_add(g: np.ndarray, shape: tuple, dim: int, index: np.ndarray) -> np.ndarray:
    """zeros(shape).scatter_add_(dim, index, g) on arrays."""
    z = np.zeros(shape, g.dtype)
    if index.size:
        idx = list(np.indices(index.shape, sparse=True))
        idx[dim] = index
        np.add.at(z, tuple(idx), g[tuple(slice(0, n) for n in index.shape)])
    return z


class ScatterAddBackward0(Unary):
    """zeros(shape).scatter_add(dim, index, g): the backward of gather, as an op."""

    frees = ("index",)

    def forward(self, g, shape, dim, index):
        self.dim, self.index = dim, index
        return _scatter_add(g, shape, dim, index)

    def backward(self, F, gg, g):
        return (_gather(F, gg, self.dim, self.index),)


def _gather(F, x, dim, index):
    if F.numpy:
        return np.take_along_axis(x, index, axis=dim)
    return GatherBackward0.apply(x, dim, index)


def _place(F, g, shape, dim, index):
    """The gradient of a tensor of ``shape`` from ``g``, read at ``index`` along ``dim``."""
    if F.numpy:
        return _scatter_add(g, shape, dim, index)
    return ScatterAddBackward0.apply(g, shape, dim, index)


class GatherBackward0(Unary):
    """torch.gather(input, dim, index): out[i][j] = input[index[i][j]][j] (dim 0)."""

    frees = ("index",)

    def forward(self, x, dim, index):
        if index.ndim != x.ndim:
            raise TorchRuntimeError("Index tensor must have the same number of dimensions as "
                                    "input tensor")
        for d in range(x.ndim):
            if d != dim and index.shape[d] > x.shape[d]:
                raise TorchRuntimeError(
                    f"Size does not match at dimension {d} expected index {list(index.shape)}"
                    f" to be no larger than self {list(x.shape)} apart from dimension {dim}")
        if index.size and (index.min() < -x.shape[dim] or index.max() >= x.shape[dim]):
            raise TorchRuntimeError(f"index {int(index.max())} is out of bounds for dimension "
                                    f"{dim} with size {x.shape[dim]}")
        index = np.where(index < 0, index + x.shape[dim], index)
        self.dim, self.index, self.in_shape = dim, index, x.shape
        xs = x[tuple(slice(None) if d == dim else slice(0, index.shape[d])
                     for d in range(x.ndim))]
        return np.take_along_axis(xs, index, axis=dim)

    def backward(self, F, g, x):
        return (_place(F, g, self.in_shape, self.dim, self.index),)


class IndexSelectBackward0(Unary):
    """torch.index_select(input, dim, index): the slices at index along dim."""

    frees = ("index",)

    def forward(self, x, dim, index):
        n = x.shape[dim] if x.ndim else 1
        if index.size and (index.min() < -n or index.max() >= n):
            bad = int(index.max() if index.max() >= n else index.min())
            raise TorchIndexError(f"index out of range in self (index {bad}, size {n})")
        self.dim, self.in_shape = dim, x.shape
        self.index = np.where(index < 0, index + n, index).reshape(-1)
        return np.take(x, self.index, axis=dim) if x.ndim else x.reshape(1)[self.index][0]

    def backward(self, F, g, x):
        if not self.in_shape:
            return (g,)
        shape = [1] * len(self.in_shape)
        shape[self.dim] = -1
        full = np.broadcast_to(self.index.reshape(shape), F.data(g).shape)
        return (_place(F, g, self.in_shape, self.dim, np.ascontiguousarray(full)),)


class _Selecting(Unary):
    """An op whose values are input elements at indices along ``dim`` (returned too);
    the gradient goes back to those elements."""

    frees = ("indices",)

    @classmethod
    def apply_indices(cls, x: Tensor, dim: int, keepdim: bool, *args):
        node = _new(cls)
        if cls.reduces and x._data.ndim and x._data.shape[dim] == 0:
            raise TorchIndexError(f"{cls.__name__[:-9].lower()}(): Expected reduction dim "
                                  f"{dim} to have non-zero size.")
        out = node.forward(x._data, dim, keepdim, *args)
        values = node.record(out, (x,), (edge(x),)) if x._rg and _GRAD[0] else _wrap(out)
        return values, _wrap(node.result_indices())

    def forward(self, x, dim, keepdim, *args):
        self.dim, self.keepdim, self.in_shape = dim, keepdim, x.shape
        if x.ndim == 0:
            self.indices = self.idx0 = np.zeros((), _i64)
            return x.copy()
        idx = self.pick(x, dim, *args).astype(_i64)
        self.indices = idx
        values = np.take_along_axis(x, idx, axis=dim)
        if not keepdim and self.reduces:
            values = values.squeeze(dim)
        return values

    reduces = True

    def result_indices(self):
        idx = self.indices
        if idx.ndim and self.reduces and not self.keepdim:
            idx = idx.squeeze(self.dim)
        # np.array, not np.ascontiguousarray: that one makes a 0-d index (a 1-D input's,
        # or a 0-d input's) shape [1], where torch's is a 0-d tensor
        return np.array(idx, dtype=_i64, order="C")

    def backward(self, F, g, x):
        if not self.in_shape:
            return (g,)
        if self.reduces and not self.keepdim:
            g = g.reshape(self.indices.shape) if F.numpy else _unsqueeze(g, self.dim)
        return (_place(F, g, self.in_shape, self.dim, self.indices),)


def _unsqueeze(g, dim):
    from adcli.engine.ops.shapes import UnsqueezeBackward0
    return UnsqueezeBackward0.apply(g, dim)


def stable_argsort(x: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """torch's sort order: NaN as the largest value, ties in their original order."""
    if not descending:
        return np.argsort(x, axis=dim, kind="stable")
    n = x.shape[dim]
    rev = np.flip(x, dim)
    return n - 1 - np.flip(np.argsort(rev, axis=dim, kind="stable"), dim)


_INTROSORT_MAX = 100_000  # elements of tied rows redone in Python; past it: stable order


def torch_argsort(x: np.ndarray, dim: int, descending: bool, stable: bool) -> np.ndarray:
    """torch.sort's order: stable, or (the default) std::sort's, whose order of ties differs
    from a stable sort's once a row has more than 16 elements; rows with ties are redone
    by the same algorithm (rows without ties have one order)."""
    idx = stable_argsort(x, dim, descending)
    n = x.shape[dim]
    if stable or n <= 16:  # std::sort finishes runs of <= 16 by insertion sort: stable
        return idx
    vals = np.take_along_axis(x, idx, axis=dim)
    same = np.take(vals, range(1, n), axis=dim) == np.take(vals, range(n - 1), axis=dim)
    if vals.dtype.kind == "f":
        nan = np.isnan(vals)
        same |= np.take(nan, range(1, n), axis=dim) & np.take(nan, range(n - 1), axis=dim)
    tied = np.moveaxis(same, dim, -1).reshape(-1, n - 1).any(axis=1)
    if not tied.any() or int(tied.sum()) * n > _INTROSORT_MAX:
        return idx
    rows = np.moveaxis(x, dim, -1).reshape(-1, n)
    out = np.moveaxis(idx, dim, -1).reshape(-1, n).copy()
    for r in np.nonzero(tied)[0]:
        out[r] = _introsort_perm(rows[r].tolist(), descending)
    shape = np.moveaxis(idx, dim, -1).shape
    return np.moveaxis(out.reshape(shape), -1, dim)


def _introsort_perm(keys: list, descending: bool) -> list:
    """The order libstdc++'s std::sort (introsort: median-of-three quicksort down to runs
    of 16, heapsort past 2*log2(n) levels, then one insertion sort) leaves the indices of
    ``keys`` in, with ATen's comparators (NaN largest): torch's unstable sort."""
    n = len(keys)
    a = list(range(n))
    isnan = [k != k for k in keys]
    if descending:
        def less(i, j):
            return (isnan[i] and not isnan[j]) or keys[i] > keys[j]
    else:
        def less(i, j):
            return (not isnan[i] and isnan[j]) or keys[i] < keys[j]

    def adjust_heap(first, hole, length, value):
        top = hole
        second = hole
        while second < (length - 1) // 2:
            second = 2 * (second + 1)
            if less(a[first + second], a[first + second - 1]):
                second -= 1
            a[first + hole] = a[first + second]
            hole = second
        if (length & 1) == 0 and second == (length - 2) // 2:
            second = 2 * (second + 1)
            a[first + hole] = a[first + second - 1]
            hole = second - 1
        parent = (hole - 1) // 2
        while hole > top and less(a[first + parent], value):
            a[first + hole] = a[first + parent]
            hole = parent
            parent = (hole - 1) // 2
        a[first + hole] = value

    def heap_sort(first, last):
        length = last - first
        if length >= 2:
            parent = (length - 2) // 2
            while True:
                adjust_heap(first, parent, length, a[first + parent])
                if parent == 0:
                    break
                parent -= 1
        while last - first > 1:
            last -= 1
            value = a[last]
            a[last] = a[first]
            adjust_heap(first, 0, last - first, value)

    def median_to_first(result, x, y, z):
        if less(a[x], a[y]):
            if less(a[y], a[z]):
                a[result], a[y] = a[y], a[result]
            elif less(a[x], a[z]):
                a[result], a[z] = a[z], a[result]
            else:
                a[result], a[x] = a[x], a[result]
        elif less(a[x], a[z]):
            a[result], a[x] = a[x], a[result]
        elif less(a[y], a[z]):
            a[result], a[z] = a[z], a[result]
        else:
            a[result], a[y] = a[y], a[result]

    def partition(first, last, pivot):
        while True:
            while less(a[first], a[pivot]):
                first += 1
            last -= 1
            while less(a[pivot], a[last]):
                last -= 1
            if not first < last:
                return first
            a[first], a[last] = a[last], a[first]
            first += 1

    stack = [(0, n, 2 * (n.bit_length() - 1) if n else 0)]
    while stack:  # __introsort_loop, its recursion on the right part as a stack
        first, last, depth = stack.pop()
        while last - first > 16:
            if depth == 0:
                heap_sort(first, last)
                break
            depth -= 1
            mid = first + (last - first) // 2
            median_to_first(first, first + 1, mid, last - 1)
            cut = partition(first + 1, last, first)
            stack.append((cut, last, depth))
            last = cut

    def linear_insert(i):
        val = a[i]
        j = i - 1
        while less(val, a[j]):
            a[i] = a[j]
            i = j
            j -= 1
        a[i] = val

    def insertion_sort(first, last):
        for i in range(first + 1, last):
            if less(a[i], a[first]):
                val = a[i]
                a[first + 1:i + 1] = a[first:i]
                a[first] = val
            else:
                linear_insert(i)

    if n > 16:
        insertion_sort(0, 16)
        for i in range(16, n):
            linear_insert(i)
    else:
        insertion_sort(0, n)
    return a


class SortBackward0(_Selecting):
    reduces = False

    def pick(self, x, dim, descending, stable=True):
        return torch_argsort(x, dim, descending, stable)


def _rows(x: np.ndarray, dim: int) -> np.ndarray:
    """The slices along ``dim`` as the rows of a 2-D array."""
    return np.moveaxis(x, dim, -1).reshape(-1, x.shape[dim])


def _unrows(out: np.ndarray, x: np.ndarray, dim: int) -> np.ndarray:
    """``out``'s rows (one per slice of ``x`` along ``dim``) back in ``x``'s layout."""
    shape = np.moveaxis(x, dim, -1).shape[:-1] + (out.shape[1],)
    return np.moveaxis(out.reshape(shape), -1, dim)


def _ranks(row: np.ndarray) -> np.ndarray:
    """Each value's rank among the row's distinct values (equal values share one, NaN
    the highest): keys that compare as the values do under ATen's comparators."""
    return np.unique(row, return_inverse=True)[1].reshape(-1)


def _topk_row(row: np.ndarray, k: int, largest: bool, sorted_: bool) -> list:
    """The indices topk takes from one row on the CPU: ATen's ``topk_impl_loop``
    (TopKImpl.h) runs libstdc++'s ``std::partial_sort`` of (value, index) pairs when
    ``k * 64 <= n``, else ``std::nth_element`` at k - 1 and (sorted=True) ``std::sort`` of
    the first k - 1, ordering NaN first then greater (largest), or smaller first with NaN
    last; neither keeps equal values in order."""
    from adcli.engine.torch_random import _introsort, _nth_element, _partial_sort

    ranks = _ranks(row)
    keys = (ranks if largest else -ranks).tolist()  # torch_random's order: greater first
    q = list(zip(keys, range(row.size)))
    if k * 64 <= row.size:
        _partial_sort(q, k)
    else:
        _nth_element(q, k - 1)
        if sorted_:
            _introsort(q, 0, k - 1)
    return [i for _, i in q[:k]]


class TopkBackward0(_Selecting):
    reduces = False

    def pick(self, x, dim, k, largest, sorted_):
        idx = stable_argsort(x, dim, largest)
        top = np.take(idx, np.arange(k), axis=dim)
        n = x.shape[dim]
        if k == 0 or x.size == 0:
            return top
        exact = sorted_ or k * 64 <= n  # else nth_element's order, even without ties
        rows, order = _rows(x, dim), _rows(idx, dim)
        out = _rows(top, dim).copy()
        for r in range(rows.shape[0]):
            row = rows[r]
            if exact:
                head = row[order[r, :min(n, k + 1)]]
                if not (head[1:] == head[:-1]).any() and not (
                        row.dtype.kind == "f" and np.isnan(row).any()):
                    continue  # no tie at or above the k-th value: the sorted order
            out[r] = _topk_row(row, k, largest, sorted_)
        return _unrows(out, x, dim)


def _quick_select(vals: list, idx: list, k: int) -> None:
    """ATen's ``quick_select_template`` (SortingUtils.h) with kthvalue's comparator (NaN
    after numbers, then ascending): median-of-three partitioning until position ``k``
    holds its value; ``idx`` is swapped alongside."""

    def gt(a, b) -> bool:
        return (a != a and b == b) or a > b

    def swap(i: int, j: int) -> None:
        vals[i], vals[j] = vals[j], vals[i]
        idx[i], idx[j] = idx[j], idx[i]

    lo, hi = 0, len(vals) - 1
    while True:
        if hi <= lo:
            return
        if hi == lo + 1:
            if gt(vals[lo], vals[hi]):
                swap(lo, hi)
            return
        swap(lo + (hi - lo) // 2, lo + 1)
        if gt(vals[lo + 1], vals[hi]):
            swap(lo + 1, hi)
        if gt(vals[lo], vals[hi]):
            swap(lo, hi)
        if gt(vals[lo + 1], vals[lo]):
            swap(lo + 1, lo)
        i, j, piv = lo + 1, hi, vals[lo]
        while True:
            i += 1
            while gt(piv, vals[i]):
                i += 1
            j -= 1
            while gt(vals[j], piv):
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(lo, j)
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1


class KthvalueBackward0(_Selecting):
    """kthvalue(input, k, dim): the k-th smallest and its index, which for a value that
    occurs more than once is where ATen's quick select leaves it."""

    def pick(self, x, dim, k):
        idx = stable_argsort(x, dim, False)
        take = np.take(idx, [k - 1], axis=dim)
        rows, out = _rows(x, dim), _rows(take, dim).copy()
        for r in range(rows.shape[0]):
            row = rows[r]
            value = row[out[r, 0]]
            same = np.isnan(row) if value != value else row == value
            if int(same.sum()) > 1:
                vals, order = row.tolist(), list(range(row.size))
                _quick_select(vals, order, k - 1)
                out[r, 0] = order[k - 1]
        return _unrows(out, x, dim)


class MedianBackward1(_Selecting):
    """median(input, dim): the lower median and its index."""

    def pick(self, x, dim):
        n = x.shape[dim]
        idx = stable_argsort(x, dim, False)
        take = np.take(idx, [(n - 1) // 2], axis=dim)
        # as torch: a slice with a NaN has NaN as its median, at the first NaN
        nan = np.isnan(x) if x.dtype.kind == "f" else None
        if nan is not None and nan.any():
            first = np.expand_dims(np.argmax(nan, axis=dim), dim)
            take = np.where(np.expand_dims(nan.any(axis=dim), dim), first, take)
        return take


class NanmedianBackward1(_Selecting):
    """nanmedian(input, dim): the lower median of each slice's non-NaN values and its
    index (NaN only where the whole slice is NaN)."""

    def pick(self, x, dim):
        idx = stable_argsort(x, dim, False)  # NaNs sort last
        if x.dtype.kind != "f":
            return np.take(idx, [(x.shape[dim] - 1) // 2], axis=dim)
        count = np.expand_dims((~np.isnan(x)).sum(axis=dim), dim)
        k = np.maximum(count - 1, 0) // 2  # C++'s (count - 1) / 2 truncates to 0
        take = np.take_along_axis(idx, k, axis=dim)
        if (count == 0).any():  # an all-NaN slice: where nth_element leaves position 0
            take = np.where(count == 0, _all_nan_first(x.shape[dim]), take)
        return take


def _all_nan_first(n: int) -> int:
    """The index libstdc++'s ``std::nth_element(first, first, last)`` leaves first among n
    indices that its comparator finds all equivalent (nanmedian of an all-NaN slice)."""
    from adcli.engine.torch_random import _nth_element

    q = [(0, i) for i in range(n)]
    _nth_element(q, 0)
    return q[0][1]


class ModeBackward0(_Selecting):
    """mode(input, dim): the most frequent value (the smallest of ties) and an index of
    it, as ATen's CPU kernel finds them: ``std::sort`` of (value, index) pairs by value,
    then the last pair of the first longest run (the last occurrence while a row of at
    most 16 is sorted stably by insertion; past that, where introsort leaves it)."""

    def pick(self, x, dim):
        moved = np.moveaxis(x, dim, -1)
        flat = moved.reshape(-1, moved.shape[-1])
        out = np.empty(flat.shape[0], _i64)
        for r, row in enumerate(flat):
            if row.size > 16 or (row.dtype.kind == "f" and np.isnan(row).any()):
                out[r] = _sorted_mode(row.tolist())
                continue
            vals, counts = np.unique(row, return_counts=True)
            best = vals[np.argmax(counts)]
            out[r] = np.nonzero(row == best)[0][-1]
        return np.expand_dims(out.reshape(moved.shape[:-1]), dim)


def _sorted_mode(values: list) -> int:
    """ATen's mode of one row: its index of the mode."""
    q = list(zip(values, range(len(values))))
    std_sort(q, lambda a, b: a[0] < b[0])
    best, freq, run = 0, 0, 0
    for i, (v, j) in enumerate(q):
        run += 1
        if i == len(q) - 1 or v != q[i + 1][0]:
            if run > freq:
                best, freq = j, run
            run = 0
    return best


# ---- libstdc++'s std::sort (introsort) with any comparator ``less(a, b)`` ----------------

def _adjust_heap(q: list, first: int, hole: int, length: int, value, less) -> None:
    top = child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if less(q[first + child], q[first + child - 1]):
            child -= 1
        q[first + hole] = q[first + child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        q[first + hole] = q[first + child - 1]
        hole = child - 1
    parent = (hole - 1) // 2
    while hole > top and less(q[first + parent], value):
        q[first + hole] = q[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    q[first + hole] = value


def _heap_sort(q: list, first: int, last: int, less) -> None:
    """``std::__partial_sort(first, last, last)``: make_heap then sort_heap."""
    length = last - first
    if length >= 2:
        parent = (length - 2) // 2
        while True:
            _adjust_heap(q, first, parent, length, q[first + parent], less)
            if parent == 0:
                break
            parent -= 1
    while last - first > 1:
        last -= 1
        value = q[last]
        q[last] = q[first]
        _adjust_heap(q, first, 0, last - first, value, less)


def _pivot_cut(q: list, first: int, last: int, less) -> int:
    a, b, c = first + 1, first + (last - first) // 2, last - 1
    if less(q[a], q[b]):
        m = b if less(q[b], q[c]) else (c if less(q[a], q[c]) else a)
    else:
        m = a if less(q[a], q[c]) else (c if less(q[b], q[c]) else b)
    q[first], q[m] = q[m], q[first]
    lo, hi, pivot = first + 1, last, q[first]
    while True:
        while less(q[lo], pivot):
            lo += 1
        hi -= 1
        while less(pivot, q[hi]):
            hi -= 1
        if not lo < hi:
            return lo
        q[lo], q[hi] = q[hi], q[lo]
        lo += 1


def _linear_insert(q: list, last: int, less) -> None:
    val = q[last]
    while less(val, q[last - 1]):
        q[last] = q[last - 1]
        last -= 1
    q[last] = val


def _insertion_sort(q: list, first: int, last: int, less) -> None:
    for i in range(first + 1, last):
        if less(q[i], q[first]):
            val = q[i]
            q[first + 1:i + 1] = q[first:i]
            q[first] = val
        else:
            _linear_insert(q, i, less)


def std_sort(q: list, less) -> None:
    """``std::sort(q.begin(), q.end(), less)`` of libstdc++, in place: the order it leaves
    elements that ``less`` finds equivalent in (it is not stable past 16 elements)."""
    n = len(q)
    if n < 2:
        return
    stack = [(0, n, 2 * (n.bit_length() - 1))]
    while stack:  # __introsort_loop, its recursion on the right part as a stack
        first, last, depth = stack.pop()
        while last - first > 16:
            if depth == 0:
                _heap_sort(q, first, last, less)
                break
            depth -= 1
            cut = _pivot_cut(q, first, last, less)
            stack.append((cut, last, depth))
            last = cut
    if n > 16:
        _insertion_sort(q, 0, 16, less)
        for i in range(16, n):
            _linear_insert(q, i, less)
    else:
        _insertion_sort(q, 0, n, less)


class MedianBackward0(Unary):
    """median(input): the lower median of all elements; the gradient is shared evenly by
    the elements equal to it."""

    saves = "x"
    saves_result = True

    def forward(self, x):
        if x.size == 0:
            raise TorchIndexError("median() input tensor cannot be empty")
        flat = x.reshape(-1)
        if x.dtype.kind == "f" and np.isnan(flat).any():
            return np.asarray(np.nan, x.dtype)
        return np.sort(flat, kind="stable")[(flat.size - 1) // 2].copy()

    def backward(self, F, g, x, result):
        mask = (x == result) | (F.isnan(x) & F.isnan(result))
        return (g / F.count(mask, None) * mask,)


class NanmedianBackward0(MedianBackward0):
    """nanmedian(input): the lower median of the non-NaN elements (NaN if all are)."""

    def forward(self, x):
        if x.size == 0:
            raise TorchIndexError("nanmedian() input tensor cannot be empty")
        flat = x.reshape(-1)
        if x.dtype.kind == "f":
            flat = flat[~np.isnan(flat)]
            if not flat.size:
                return np.asarray(np.nan, x.dtype)
        return np.sort(flat, kind="stable")[(flat.size - 1) // 2].copy()


def _tri(x, k, lower):
    rows, cols = x.shape[-2:]
    mask = np.tri(rows, cols, k, dtype=bool) if lower else ~np.tri(rows, cols, k - 1,
                                                                     dtype=bool)
    return mask


class TrilBackward0(Unary):

    def forward(self, x, k):
        if x.ndim < 2:
            raise TorchRuntimeError("tril: input tensor must have at least 2 dimensions")
        self.k = k
        return np.where(_tri(x, k, True), x, np.zeros((), x.dtype))

    def backward(self, F, g, x):
        if F.numpy:
            return (np.where(_tri(g, self.k, True), g, np.zeros((), g.dtype)),)
        return (TrilBackward0.apply(g, self.k),)


class TriuBackward0(Unary):

    def forward(self, x, k):
        if x.ndim < 2:
            raise TorchRuntimeError("triu: input tensor must have at least 2 dimensions")
        self.k = k
        return np.where(_tri(x, k, False), x, np.zeros((), x.dtype))

    def backward(self, F, g, x):
        if F.numpy:
            return (np.where(_tri(g, self.k, False), g, np.zeros((), g.dtype)),)
        return (TriuBackward0.apply(g, self.k),)


class RollBackward0(Unary):

    def forward(self, x, shifts, dims):
        self.shifts, self.dims, self.in_shape = shifts, dims, x.shape
        if dims is None:
            return np.roll(x.reshape(-1), shifts).reshape(x.shape)
        return np.roll(x, shifts, dims)

    def backward(self, F, g, x):
        back = tuple(-s for s in self.shifts) if isinstance(self.shifts, tuple) else -self.shifts
        if F.numpy:
            if self.dims is None:
                return (np.roll(g.reshape(-1), back).reshape(g.shape),)
            return (np.roll(g, back, self.dims),)
        return (RollBackward0.apply(g, back, self.dims),)


# ---- scatter, index_add, index_copy, index_fill, take: writing or reading at indices


def _scatter_key(dim: int, index: np.ndarray) -> tuple:
    """The numpy key of the positions ``scatter`` writes: index along ``dim``, the position
    of each index element along the others."""
    idx = list(np.indices(index.shape, sparse=True))
    idx[dim] = index
    return tuple(idx)


def check_scatter(x: tuple, dim: int, index: np.ndarray, src: tuple | None) -> None:
    """torch's checks of scatter / scatter_add: the index's rank, size and bounds."""
    if index.ndim != len(x) and not (index.ndim <= 1 and len(x) <= 1):
        raise TorchRuntimeError("Index tensor must have the same number of dimensions as self "
                                "tensor")
    ishape = index.shape if index.ndim else (1,)
    xs = x if x else (1,)
    ss = (src if src else (1,)) if src is not None else None
    for d in range(index.ndim):
        if (d != dim and ishape[d] > xs[d]) or (ss is not None and ishape[d] > ss[d]):
            extra = f" and to be no larger size than src {list(src)}" if src is not None else ""
            raise TorchRuntimeError(f"Expected index {list(index.shape)} to be no larger than "
                                    f"self {list(x)} apart from dimension {dim}{extra}")
    n = xs[dim]
    if index.size:
        bad = index[(index < 0) | (index >= n)]
        if bad.size:
            raise TorchRuntimeError(f"index {int(bad[0])} is out of bounds for dimension {dim} "
                                    f"with size {n}")


class _IntoSelf(Node):
    """An op writing a source (a tensor of self's dtype, or a number) into a copy of self
    at indices; ``x`` and ``src`` are its two inputs (``inplace`` passes ``src`` first)."""

    @classmethod
    def apply(cls, x: Tensor, src, *args) -> Tensor:
        node = _new(cls)
        if type(src) is Tensor:
            sd = src._data
        else:
            sd = np.asarray(_number(src)).astype(x._data.dtype)
        out = node.forward(x._data, sd, *args)
        if _GRAD[0]:
            if type(src) is not Tensor:  # a number: one input, as torch's Scalar overloads
                if edge(x) is not None:
                    return node.record(out, (x,), (edge(x),))
                return _wrap(out)
            edges = (edge(x), edge(src))
            if edges[0] is not None or edges[1] is not None:
                return node.record(out, (x, src), edges)
        return _wrap(out)


def _filled_at(F, g, dim, index, value=0.0):
    """g with ``value`` at the scatter positions of index (torch's grad.scatter(dim, index,
    0)), recorded as ScatterBackward1 under create_graph."""
    if F.numpy:
        out = g.copy()
        if index.size:
            out[_scatter_key(dim, index)] = value
        return out
    return ScatterBackward1.apply(g, value, dim, index)


def _take_slices(F, g, dim, index):
    """g.index_select(dim, index)."""
    if F.numpy:
        return np.take(g, index, axis=dim)
    return IndexSelectBackward0.apply(g, dim, index)


def _index_filled(F, g, dim, index, value=0.0):
    """g.index_fill(dim, index, value)."""
    if F.numpy:
        out = g.copy()
        key = (slice(None),) * dim + (index,)
        out[key] = value
        return out
    return IndexFillBackward0.apply(g, value, dim, index)


class ScatterBackward0(_IntoSelf):
    """scatter(dim, index, src): src's elements written at index along dim."""

    frees = ("index",)

    def forward(self, x, src, dim, index):
        self.dim, self.index, self.src_shape = dim, index, src.shape
        out = x.copy()
        if index.size:
            out[_scatter_key(dim, index)] = src[tuple(slice(0, n) for n in index.shape)]
        return out

    def backward(self, F, g, x, src):
        gs = None
        if self._next[1] is not None:
            if self.index.shape != self.src_shape:  # as torch: its formula's own limit
                raise TorchRuntimeError(
                    f"Function {self.name()} returned an invalid gradient at index 1 - got "
                    f"{list(self.index.shape)} but expected shape compatible with "
                    f"{list(self.src_shape)}")
            gs = _gather(F, g, self.dim, self.index)
        return _filled_at(F, g, self.dim, self.index), gs


class ScatterBackward1(_IntoSelf):
    """scatter(dim, index, value): a number written at index along dim."""

    frees = ("index",)

    def forward(self, x, value, dim, index):
        self.dim, self.index = dim, index
        out = x.copy()
        if index.size:
            out[_scatter_key(dim, index)] = value
        return out

    def backward(self, F, g, *unused):
        return (_filled_at(F, g, self.dim, self.index),)


class ScatterAdd(ScatterBackward0):
    """scatter_add(dim, index, src): src's elements added at index along dim (torch's
    ScatterAddBackward0 of two inputs)."""

    def name(self) -> str:
        return "ScatterAddBackward0"

    def forward(self, x, src, dim, index):
        self.dim, self.index, self.src_shape = dim, index, src.shape
        out = x.copy()
        if index.size:
            np.add.at(out, _scatter_key(dim, index),
                      src[tuple(slice(0, n) for n in index.shape)])
        return out

    def backward(self, F, g, x, src):
        gs = super().backward(F, g, x, src)[1]
        return g, gs


class ScatterReduce(_IntoSelf):
    """scatter(..., reduce='add' | 'multiply'): torch has no derivative for it."""

    def name(self) -> str:
        return "torch::autograd::NotImplemented"

    def forward(self, x, src, dim, index, reduce):
        out = x.copy()
        if index.size:
            values = src if src.ndim == 0 else src[tuple(slice(0, n) for n in index.shape)]
            ufunc = np.add if reduce == "add" else np.multiply
            ufunc.at(out, _scatter_key(dim, index), values)
        return out

    def backward(self, F, g, *unused):
        raise TorchRuntimeError("derivative for aten::scatter is not implemented")


class IndexAddBackward0(_IntoSelf):
    """index_add(dim, index, source, alpha): alpha * source's slices added at index."""

    frees = ("index",)

    def forward(self, x, src, dim, index, alpha):
        self.dim, self.index, self.alpha, self.src_shape = dim, index, alpha, src.shape
        out = x.copy()
        if index.size:
            key = (slice(None),) * dim + (index,)
            values = src if alpha == 1 else src * np.asarray(alpha, src.dtype)
            np.add.at(out, key, values.astype(out.dtype, copy=False))
        return out

    def backward(self, F, g, x, src):
        gs = None
        if self._next[1] is not None:
            gs = _take_slices(F, g, self.dim, self.index)
            if self.alpha != 1:
                gs = gs * self.alpha
        return g, gs


class IndexCopyBackward0(_IntoSelf):
    """index_copy(dim, index, source): source's slices written at index."""

    frees = ("index",)

    def forward(self, x, src, dim, index):
        self.dim, self.index = dim, index
        out = x.copy()
        out[(slice(None),) * dim + (index,)] = src
        return out

    def backward(self, F, g, x, src):
        gs = _take_slices(F, g, self.dim, self.index) if self._next[1] is not None else None
        return _index_filled(F, g, self.dim, self.index), gs


class IndexFillBackward0(_IntoSelf):
    """index_fill(dim, index, value: number)."""

    frees = ("index",)

    def forward(self, x, value, dim, index):
        self.dim, self.index = dim, index
        out = x.copy()
        out[(slice(None),) * dim + (index,)] = value
        return out

    def backward(self, F, g, *unused):
        return (_index_filled(F, g, self.dim, self.index),)


class IndexFillBackward1(IndexFillBackward0):
    """index_fill(dim, index, value: 0-d tensor): the value gets the filled slices' sum."""

    def backward(self, F, g, x, value):
        gv = None
        if self._next[1] is not None:
            uniq = np.unique(self.index)
            part = _take_slices(F, g, self.dim, uniq)
            gv = part.sum() if F.numpy else F.sum(part, None, False)
        return _index_filled(F, g, self.dim, self.index), gv


class TakeBackward0(Unary):
    """take(input, index): input's elements at flat indices, in index's shape."""

    frees = ("index",)

    def forward(self, x, index):
        n = x.size
        if index.size:
            bad = index[(index < -n) | (index >= n)]
            if bad.size:
                raise TorchIndexError(f"out of range: tried to access index {int(bad[0])} on "
                                      f"a tensor of {n} elements.")
        self.index = np.where(index < 0, index + n, index)
        self.in_shape = x.shape
        return x.reshape(-1)[self.index]

    def backward(self, F, g, x):
        if F.numpy:
            z = np.zeros(int(np.prod(self.in_shape)), g.dtype)
            np.add.at(z, self.index, g)
            return (z.reshape(self.in_shape),)
        z = _wrap(np.zeros(self.in_shape, F.data(g).dtype))
        flat = np.unravel_index(self.index, self.in_shape) if self.in_shape else ()
        return (IndexPutImplBackward0.apply(z, g, flat, True),)


class DiagEmbed(Unary):
    """diag_embed(input, offset, dim1, dim2): input's last dim on the diagonals of new dims
    dim1 and dim2 (torch's DiagEmbedBackward0; linalg's class of that name is torch.diag's
    1-D case)."""

    def forward(self, x, offset, d1, d2):
        self.args = (offset, d1, d2)
        m = x.shape[-1] if x.ndim else 1
        n = m + abs(offset)
        out = np.zeros(x.shape[:-1] + (n, n), x.dtype)
        i = np.arange(m)
        out[..., i + max(-offset, 0), i + max(offset, 0)] = x
        return np.ascontiguousarray(np.moveaxis(out, (-2, -1), (d1, d2)))

    def backward(self, F, g, x):
        offset, d1, d2 = self.args
        if F.numpy:
            return (np.diagonal(g, offset, d1, d2).copy(),)
        return (DiagonalBackward0.apply(g, offset, d1, d2),)


class BaddbmmBackward0(Nary):
    """baddbmm(input, batch1, batch2, beta, alpha): beta * input + alpha * batch1 @ batch2
    (input ignored when beta is 0)."""

    saves = "-oo"

    def forward(self, arrays, beta, alpha):
        c, a, b = arrays
        self.beta, self.alpha = beta, alpha
        prod = np.matmul(a, b)
        out = prod * np.asarray(alpha, prod.dtype) if alpha != 1 else prod
        if beta == 0:
            return np.broadcast_to(out, np.broadcast_shapes(c.shape, out.shape)).copy()
        return out + (c * np.asarray(beta, c.dtype) if beta != 1 else c)

    def backward(self, F, g, c, a, b):
        gc = None if self._next[0] is None else (g * self.beta if self.beta != 1 else g)
        if F.numpy:
            ga = None if b is None else g @ F.mT(b)
            gb = None if a is None else F.mT(a) @ g
        else:
            ga = None if b is None else BmmBackward0.apply(g, F.mT(b))
            gb = None if a is None else BmmBackward0.apply(F.mT(a), g)
        if self.alpha != 1:
            ga = None if ga is None else ga * self.alpha
            gb = None if gb is None else gb * self.alpha
        return gc, ga, gb


DiagEmbed.__name__ = DiagEmbed.__qualname__ = "DiagEmbedBackward0"
ScatterAdd.__name__ = ScatterAdd.__qualname__ = "ScatterAddBackward0"


def dtype_name(a: np.ndarray) -> str:
    """torch's scalar-type word for an array's dtype (Float, Long, ...)."""
    return dt.BY_NP[a.dtype].legacy


__all__ = [
    "ScatterBackward0", "ScatterBackward1", "ScatterAdd", "ScatterReduce",
    "IndexAddBackward0", "IndexCopyBackward0", "IndexFillBackward0", "IndexFillBackward1",
    "TakeBackward0", "check_scatter", "dtype_name", "DiagEmbed", "BaddbmmBackward0",
    "ScatterAddBackward0", "GatherBackward0", "IndexSelectBackward0", "SortBackward0",
    "TopkBackward0", "KthvalueBackward0", "MedianBackward0", "MedianBackward1",
    "NanmedianBackward0", "NanmedianBackward1",
    "ModeBackward0", "TrilBackward0", "TriuBackward0", "RollBackward0", "stable_argsort",
]


# ---- cummax / cummin, addmv / addr


def _cumulative_pick(better):
    """The index of the running extreme along dim (the latest one on ties; a nan, once
    seen, stays the extreme), as torch's cummax/cummin."""

    def pick(x, dim):
        run = better.accumulate(x, axis=dim)
        pos = np.arange(x.shape[dim]).reshape([-1 if i == dim else 1 for i in range(x.ndim)])
        hit = (x == run) | (np.isnan(x) if x.dtype.kind == "f" else False)
        return np.maximum.accumulate(np.where(hit, pos, 0), axis=dim)

    return pick


class CummaxBackward0(_Selecting):
    reduces = False
    pick = staticmethod(_cumulative_pick(np.maximum))


class CumminBackward0(_Selecting):
    reduces = False
    pick = staticmethod(_cumulative_pick(np.minimum))


def _mv(m: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.matmul(m, v)


class AddmvBackward0(Nary):
    """addmv(input, mat, vec, beta, alpha): beta * input + alpha * mat @ vec."""

    saves = "-oo"

    def forward(self, arrays, beta, alpha):
        c, a, b = arrays
        self.beta, self.alpha = beta, alpha
        prod = _mv(a, b)
        out = prod * np.asarray(alpha, prod.dtype) if alpha != 1 else prod
        if beta == 0:
            return np.broadcast_to(out, np.broadcast_shapes(c.shape, out.shape)).copy()
        return out + (c * np.asarray(beta, c.dtype) if beta != 1 else c)

    def backward(self, F, g, c, a, b):
        gc = None if self._next[0] is None else (g * self.beta if self.beta != 1 else g)
        if F.numpy:
            ga = None if b is None else np.multiply.outer(g, b)
            gb = None if a is None else a.T @ g
        else:
            ga = None if b is None else F.outer(g, b)
            gb = None if a is None else F.mT(a) @ g
        if self.alpha != 1:
            ga = None if ga is None else ga * self.alpha
            gb = None if gb is None else gb * self.alpha
        return gc, ga, gb


class AddrBackward0(Nary):
    """addr(input, vec1, vec2, beta, alpha): beta * input + alpha * outer(vec1, vec2)."""

    saves = "-oo"

    def forward(self, arrays, beta, alpha):
        c, a, b = arrays
        self.beta, self.alpha = beta, alpha
        prod = np.multiply.outer(a, b)
        out = prod * np.asarray(alpha, prod.dtype) if alpha != 1 else prod
        if beta == 0:
            return np.broadcast_to(out, np.broadcast_shapes(c.shape, out.shape)).copy()
        return out + (c * np.asarray(beta, c.dtype) if beta != 1 else c)

    def backward(self, F, g, c, a, b):
        gc = None if self._next[0] is None else (g * self.beta if self.beta != 1 else g)
        ga = None if b is None else g @ b
        gb = None if a is None else F.mT(g) @ a
        if self.alpha != 1:
            ga = None if ga is None else ga * self.alpha
            gb = None if gb is None else gb * self.alpha
        return gc, ga, gb


__all__ += ["CummaxBackward0", "CumminBackward0", "AddmvBackward0", "AddrBackward0"]
