"""Shapes in one place: broadcasting, the one ``unbroadcast``, dims, sizes, views, indexing."""

from __future__ import annotations

import numpy as np

from adcli.engine.sum_order import reduced_shape, torch_sum  # noqa: F401 (re-exported)
from adcli.errors import TorchIndexError, TorchRuntimeError, TorchTypeError
from adcli.limits import check_elements


class Size(tuple):
    """torch.Size: a tuple of ints that prints as ``torch.Size([2, 3])``."""

    __slots__ = ()

    def __new__(cls, sizes=()):
        if type(sizes) is tuple:  # the engine's own shapes: ints already
            return tuple.__new__(cls, sizes)
        return tuple.__new__(cls, _size_items(sizes))

    def __repr__(self) -> str:
        return f"torch.Size({list(self)!r})"

    __str__ = __repr__

    def __getitem__(self, key):
        item = tuple.__getitem__(self, key)
        return Size(item) if isinstance(key, slice) else item

    def __add__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(_size_items(tuple.__add__(self, other)))

    def __radd__(self, other):
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(_size_items(tuple.__add__(other, self)))

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n


def _size_items(sizes) -> list[int]:
    """torch.Size(sizes) from a script: ints only, read lazily and at most a tenth of the
    element bound of them (as list() and tuple() are)."""
    from adcli.limits import bounded_items

    if isinstance(sizes, str) or not hasattr(type(sizes), "__iter__"):
        raise TorchTypeError(f"torch.Size() takes an iterable of 'int', not "
                             f"{type(sizes).__name__}")
    items = bounded_items(sizes, "torch.Size()")
    out = []
    for s in items:
        if isinstance(s, bool | float) or not hasattr(type(s), "__index__"):
            raise TorchTypeError(f"torch.Size() takes an iterable of 'int' (item {len(out)} "
                                 f"is {type(s).__name__})")
        out.append(s.__index__())
    return out


def numel(shape: tuple[int, ...]) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def broadcast_shapes(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The broadcast shape of two shapes, or torch's RuntimeError, checked against limits."""
    if a == b:
        return a
    na, nb = len(a), len(b)
    n = na if na > nb else nb
    out = []
    for i in range(-1, -n - 1, -1):  # as torch's infer_size: from the last dim
        x = a[i] if -i <= na else 1
        y = b[i] if -i <= nb else 1
        if x == y or y == 1:
            out.append(x)
        elif x == 1:
            out.append(y)
        else:
            raise TorchRuntimeError(
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                f"non-singleton dimension {n + i}"
            )
    shape = tuple(out[::-1])
    check_elements(numel(shape), shape)
    return shape


def strip_leading_ones(shape: tuple[int, ...]) -> tuple[int, ...]:
    """A value's shape as x[key] = value reads it: leading dims of size 1 dropped."""
    i = 0
    while i < len(shape) and shape[i] == 1:
        i += 1
    return tuple(shape[i:])


def check_broadcast_to(src: tuple[int, ...], dst: tuple[int, ...], what: str,
                       legacy: str = "Float") -> None:
    """Refuse a value of shape ``src`` written into a region of shape ``dst``, in torch's
    words: copy_ broadcasts as an elementwise op into its output; index assignment expands
    the value (less its leading 1s) to the region, a ``legacy``-typed tensor."""
    src, dst = tuple(src), tuple(dst)
    if what == "copy_":
        b = broadcast_shapes(dst, src)
        if b != dst:
            raise TorchRuntimeError(
                f"output with shape {list(dst)} doesn't match the broadcast shape {list(b)}")
        return
    src = strip_leading_ones(src)
    if len(src) > len(dst):
        raise TorchRuntimeError(
            f"expand(torch.{legacy}Tensor{{{list(src)}}}, size={list(dst)}): the number of "
            f"sizes provided ({len(dst)}) must be greater or equal to the number of dimensions "
            f"in the tensor ({len(src)})")
    for i in range(len(dst) - 1, len(dst) - len(src) - 1, -1):
        size, target = src[i - len(dst) + len(src)], dst[i]
        if size != target and size != 1:
            raise TorchRuntimeError(
                f"The expanded size of the tensor ({target}) must match the existing size "
                f"({size}) at non-singleton dimension {i}.  Target sizes: {list(dst)}.  "
                f"Tensor sizes: {list(src)}")


def unbroadcast(g, shape: tuple[int, ...]):
    """Reduce a gradient (ndarray or Tensor) to ``shape`` by summing the broadcast dims.

    This is the only place where gradients are reduced to their input's shape: the engine
    calls it whenever a gradient arrives with a different shape than its input had.
    """
    gshape = g.shape
    if tuple(gshape) == shape:
        return g
    lead = len(gshape) - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, s in enumerate(shape) if s == 1 and gshape[i + lead] != 1
    )
    if isinstance(g, np.ndarray | np.generic):  # in torch's order, as its sum_to
        return torch_sum(np.asarray(g), axes, True).reshape(shape)
    # as torch's sum_to: a plain sum to a 0-d shape; else a keepdim sum, then a view
    # that drops the leading dims
    if not shape:
        return g.sum()
    if axes:
        g = g.sum(axes, keepdim=True)
    return g.reshape(shape) if lead else g


def inverse_permutation(perm) -> tuple:
    """The permutation that undoes ``perm`` (in Python: numpy's argsort on a few numbers
    costs several microseconds, on every transpose's backward)."""
    inverse = [0] * len(perm)
    for i, p in enumerate(perm):
        inverse[p] = i
    return tuple(inverse)


def norm_dim(dim, ndim: int) -> int:
    """Wrap a possibly negative dim into range, or torch's IndexError. A 0-d tensor
    accepts dims -1 and 0, as in torch."""
    if not isinstance(dim, int) or isinstance(dim, bool):
        if hasattr(dim, "__index__") and not isinstance(dim, bool | float):
            dim = dim.__index__()
        else:
            raise TorchTypeError(f"dim must be an int, not {type(dim).__name__}")
    n = ndim if ndim > 0 else 1
    if dim < -n or dim >= n:
        raise TorchIndexError(f"Dimension out of range (expected to be in range of "
                              f"[{-n}, {n - 1}], but got {dim})")
    return dim + n if dim < 0 else dim


def norm_dims(dim, ndim: int) -> tuple[int, ...]:
    """A reduction's ``dim`` (None, an int, or a tuple/list of ints) as sorted axes."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, tuple | list):
        axes = []
        for d in dim:
            d = norm_dim(d, ndim)
            if d in axes:
                raise TorchRuntimeError(f"dim {d} appears multiple times in the list of dims")
            axes.append(d)
        if ndim == 0:
            return ()
        return tuple(sorted(axes))
    d = norm_dim(dim, ndim)
    return (d,) if ndim else ()


def size_args(size: tuple, fn: str = "size") -> tuple[int, ...]:
    """Parse torch's ``*size`` (ints, or one tuple/list/Size) into a checked shape."""
    single = len(size) == 1
    if single and isinstance(size[0], tuple | list):
        size, single = tuple(size[0]), False
    out = []
    for pos, s in enumerate(size, 1):
        if isinstance(s, bool) or not isinstance(s, int):
            if hasattr(s, "__index__") and not isinstance(s, float | bool):
                s = s.__index__()
            elif single:
                raise TorchTypeError(f"{fn}(): argument 'size' (position 1) must be tuple of "
                                     f"ints, not {type(s).__name__}")
            else:
                raise TorchTypeError(f"{fn}(): argument 'size' failed to unpack the object at "
                                     f"pos {pos} with error \"type must be tuple of ints,but "
                                     f"got {type(s).__name__}\"")
        out.append(s)
    for s in out:
        if s < 0:
            if fn == "zeros":  # torch's zeros checks its sizes itself, in its own words
                raise TorchRuntimeError("zeros: Dimension size must be non-negative.")
            raise TorchRuntimeError(
                f"Trying to create tensor with negative dimension {s}: {out}")
        if s >= 2**63:
            raise TorchRuntimeError(f"{fn}(): the size {s} is too large")
    shape = tuple(out)
    check_elements(numel(shape), shape)
    return shape


def infer_shape(shape: tuple, count: int, fn: str = "view") -> tuple[int, ...]:
    """Resolve one -1 in a view/reshape shape, checking the element count matches."""
    if len(shape) == 1 and isinstance(shape[0], tuple | list):
        shape = tuple(shape[0])
    shape = tuple(int(s) if not isinstance(s, int) and hasattr(s, "__index__") else s
                  for s in shape)
    for s in shape:
        if isinstance(s, bool) or not isinstance(s, int):
            raise TorchTypeError(f"{fn}(): shape must be ints, got {type(s).__name__}")
    known, inferred = 1, False
    for i, s in enumerate(shape):  # as torch's infer_size, in order
        if s == -1:
            if inferred:
                raise TorchRuntimeError("only one dimension can be inferred")
            inferred = True
        elif s < 0:
            raise TorchRuntimeError(
                f"invalid shape dimension {s} at index {i} of shape {list(shape)}")
        else:
            known *= s
    if -1 in shape:
        if known == 0 and count == 0:
            raise TorchRuntimeError(
                f"cannot reshape tensor of {count} elements into shape {list(shape)} because "
                "the unspecified dimension size -1 can be any value and is ambiguous")
        if known == 0 or count % known:
            raise TorchRuntimeError(f"shape '{list(shape)}' is invalid for input of size {count}")
        shape = tuple(count // known if s == -1 else s for s in shape)
    elif known != count:
        raise TorchRuntimeError(f"shape '{list(shape)}' is invalid for input of size {count}")
    return shape


def expand_shape(shape: tuple[int, ...], sizes: tuple, legacy: str = "FloatTensor"
                 ) -> tuple[int, ...]:
    """torch.expand's target shape: -1 keeps a size, new dims may only be added in front.
    Errors in torch's words (its checks run from the last dim); ``legacy`` is the tensor's
    legacy type name (``FloatTensor``) that one of them prints."""
    if len(sizes) == 1 and isinstance(sizes[0], tuple | list):
        sizes = tuple(sizes[0])
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, int) or not -(2**63) <= s < 2**63:
            if not (hasattr(s, "__index__") and not isinstance(s, float | bool)):
                raise TorchTypeError(
                    f"expand(): argument 'size' failed to unpack the object at pos "
                    f"{sizes.index(s) + 1} with error \"type must be tuple of ints,but got "
                    f"{type(s).__name__}\"")
    sizes = tuple(s.__index__() for s in sizes)
    if len(sizes) < len(shape):
        raise TorchRuntimeError(
            f"expand(torch.{legacy}{{{list(shape)}}}, size={list(sizes)}): the number of "
            f"sizes provided ({len(sizes)}) must be greater or equal to the number of "
            f"dimensions in the tensor ({len(shape)})")
    lead = len(sizes) - len(shape)
    out = list(sizes)
    for i in range(len(sizes) - 1, -1, -1):
        s = sizes[i]
        if i < lead:
            if s < 0:
                raise TorchRuntimeError(f"The expanded size of the tensor ({s}) isn't allowed "
                                        f"in a leading, non-existing dimension {i}")
            continue
        cur = shape[i - lead]
        if s == -1:
            out[i] = cur
        elif s != cur and cur != 1:
            raise TorchRuntimeError(
                f"The expanded size of the tensor ({s}) must match the existing size ({cur}) "
                f"at non-singleton dimension {i}.  Target sizes: {list(sizes)}.  Tensor "
                f"sizes: {list(shape)}")
    target = tuple(out)
    check_elements(numel(target), target)
    return target


def expanded(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``x`` broadcast to ``shape`` as a writable view (stride 0 on the expanded dims), as
    torch's expand; writes into overlapping elements are refused by the in-place ops."""
    lead = len(shape) - x.ndim
    strides = (0,) * lead + tuple(0 if n == 1 and m != 1 else st
                                  for n, m, st in zip(x.shape, shape[lead:], x.strides))
    return np.lib.stride_tricks.as_strided(x, shape, strides, writeable=x.flags.writeable)


def overlaps(x: np.ndarray) -> bool:
    """Whether several elements of ``x`` share one memory location (an expanded tensor)."""
    return any(st == 0 and n > 1 for st, n in zip(x.strides, x.shape))


def diagonal_view(x: np.ndarray, offset: int, d1: int, d2: int) -> np.ndarray:
    """The diagonal (offset, dims d1 and d2) of ``x`` as the last dim: a view sharing x's
    memory, writable where x is (numpy's own diagonal is read-only)."""
    n1, n2 = x.shape[d1], x.shape[d2]
    r0, c0 = max(0, -offset), max(0, offset)
    length = max(0, min(n1 - r0, n2 - c0))
    key = [slice(None)] * x.ndim
    if length:
        key[d1], key[d2] = slice(r0, None), slice(c0, None)
    start = x[tuple(key)]
    other = [i for i in range(x.ndim) if i not in (d1, d2)]
    shape = tuple(x.shape[i] for i in other) + (length,)
    strides = tuple(x.strides[i] for i in other) + (x.strides[d1] + x.strides[d2],)
    return np.lib.stride_tricks.as_strided(start, shape, strides,
                                           writeable=x.flags.writeable)


def apply_view(x, steps: tuple):
    """Replay the view steps that made a view from its base, on an ndarray or a Tensor."""
    for kind, arg in steps:
        if kind == "index":
            x = x[arg]
        elif kind == "diagonal":
            x = diagonal_view(x, *arg) if isinstance(x, np.ndarray) else x.diagonal(*arg)
        elif kind == "reshape":
            x = x.reshape(arg)
        elif kind == "expand":
            x = expanded(x, arg) if isinstance(x, np.ndarray) else x.expand(arg)
        elif isinstance(x, np.ndarray):
            x = x.transpose(arg)
        else:
            x = x.permute(arg)
    return x


# ----------------------------------------------------------------------------- indexing


def nested_shape(value) -> tuple[int, ...]:
    """The shape of a (possibly nested) list or tuple, read from the lengths of the first
    items without walking the rest: what numpy or tensor() would make of it if it is
    rectangular. Each level may alias one list many times (``[[0.] * 10**4] * 10**4``), so
    this, not the memory the list takes, is what converting it costs."""
    shape = []
    while isinstance(value, list | tuple | range) and len(shape) < 64:
        shape.append(len(value))
        if not value:
            break
        value = value[0]
    return tuple(shape)


def index_elements(shape: tuple[int, ...], key) -> int:
    """An upper bound on the elements that advanced indexing ``array[key]`` allocates (its
    result, or the positions a write broadcasts its index arrays to), read from shapes only;
    0 for basic indexing, which makes a view. Keys are numpy's: ints, slices, None,
    Ellipsis, bools, and integer or bool arrays, tensors, lists and tuples."""
    if not isinstance(key, tuple):
        key = (key,)
    items = []  # (kind, consumed dims, advanced shape or per-dim size factor)
    for k in key:
        if isinstance(k, TENSOR):
            k = k._data
        if k is None or isinstance(k, bool | np.bool_):
            items.append(("new", 0, None))
        elif k is Ellipsis:
            items.append(("ellipsis", 0, None))
        elif isinstance(k, slice):
            items.append(("slice", 1, k))
        elif isinstance(k, np.ndarray):
            if k.dtype.kind == "b":
                items.append(("adv", k.ndim, (int(np.count_nonzero(k)),)))
            elif k.ndim == 0:
                items.append(("int", 1, None))
            else:
                items.append(("adv", 1, k.shape))
        elif isinstance(k, list | tuple):
            inner = nested_shape(k)
            check_elements(numel(inner), inner)
            leaf = k
            while isinstance(leaf, list | tuple) and leaf:
                leaf = leaf[0]
            if isinstance(leaf, bool | np.bool_):
                items.append(("adv", len(inner), (numel(inner),)))
            else:
                items.append(("adv", 1, inner))
        else:
            items.append(("int", 1, None))
    if not any(kind == "adv" for kind, _, _ in items):
        return 0
    free = len(shape) - sum(n for _, n, _ in items)
    src, factor, advanced = 0, 1, []
    for kind, n, arg in items:
        if kind == "ellipsis":
            factor *= numel(shape[src:src + max(free, 0)])
            src += max(free, 0)
        elif kind == "slice":
            if src < len(shape):
                try:
                    factor *= len(range(*arg.indices(shape[src])))
                except (TypeError, ValueError):
                    factor *= shape[src]
        elif kind == "adv":
            advanced.append(arg)
        src += n
    factor *= numel(shape[src:])
    try:
        positions = np.broadcast_shapes(*advanced)
    except ValueError:
        raise TorchIndexError(
            "shape mismatch: indexing tensors could not be broadcast together with shapes "
            + ", ".join(str(list(a)) for a in advanced)) from None
    return numel(positions) * factor


# The types that make indexing advanced (a copy); tensor.py, above, adds Tensor to both.
INDEX_ARRAYS: tuple = (list, tuple, np.ndarray)
TENSOR: tuple = ()


def check_index(shape: tuple[int, ...], key) -> None:
    """Refuse advanced indexing whose result would be over the element bound (basic
    indexing, the common case, returns at once)."""
    arrays = INDEX_ARRAYS
    if key.__class__ is tuple:
        for k in key:
            if isinstance(k, arrays):
                break
        else:
            return
    elif not isinstance(key, arrays):
        return
    count = index_elements(shape, key)
    if count:
        check_elements(count, None)


def step_key(name: str, dim: int, arg) -> tuple:
    """The numpy basic-index key of one select/slice/unsqueeze step."""
    pre = (slice(None),) * dim
    if name == "select":
        return pre + (arg, Ellipsis)  # the Ellipsis keeps a 0-d result a view, not a scalar
    if name == "slice":
        return pre + (slice(*arg),)
    return pre + (None,)


def stride_order(a) -> list:
    """``a``'s dimensions outermost first, as TensorIterator orders them (by decreasing
    stride; size-1 dimensions do not matter)."""
    return sorted(range(a.ndim), key=lambda d: (a.shape[d] == 1, -abs(a.strides[d])))


def iter_order(a):
    """The view of ``a`` whose C order is TensorIterator's visiting order (memory order),
    and whether ``a`` is contiguous."""
    if a.flags.c_contiguous or a.ndim < 2:
        return a, a.flags.c_contiguous
    return a.transpose(stride_order(a)), False
