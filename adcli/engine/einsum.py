"""torch.einsum: Einstein summation, built from the differentiable ops it decomposes into.

torch's einsum records no grad_fn of its own: it is a recipe of views, products and sums,
and the graph it leaves behind (``ViewBackward0`` for a matrix product, ``PermuteBackward0``
for a transpose, ``SumBackward1``, ``MulBackward0``...) is made of those ops. This module
follows the same recipe, step for step, so that values, gradients and the whole grad_fn
chain come out as torch's (PyTorch 2.13 without opt_einsum, which contracts left to right).

The recipe:

1. Parse. Each operand gets a list of labels (``A``-``Z`` sort before ``a``-``z``) and
   possibly an ellipsis, which covers the dims no label names. The output is the
   ellipsis followed by the labels seen exactly once (implicit form), or what follows
   ``->``. Every output dim gets a slot, first; then the ellipsis (when it is summed away)
   and the contracted labels get slots after them.
2. Align. Each operand is brought to one dim per slot: a label repeated within an operand
   becomes a diagonal (``diagonal`` then a ``permute`` that moves the diagonal back to
   where the label first stood), every slot the operand lacks becomes a trailing size-1
   dim (``unsqueeze``), and one ``permute`` puts the dims in slot order. All operands now
   broadcast against each other.
3. Contract, left to right: the first two operands are replaced by their product, in
   front. Before each product, a contracted dim that only one of the two still has (and no
   later operand needs) is summed away at once (``sum(dims, keepdim=True)``). The product
   itself is a plain broadcast ``mul`` when nothing can be contracted yet; otherwise the
   two are permuted and reshaped to batches of matrices (batch dims: in both; rows: only
   in the left; columns: only in the right; the inner dim: the contracted ones), multiplied
   with ``bmm``, viewed back to one dim per slot and permuted back to slot order.
4. Finish. With one operand, the contracted slots are summed away; with more, they are
   size 1 by now and a ``view`` drops them.

Whether torch's ``reshape`` is a view (``ViewBackward0`` when the tensor is contiguous,
``ReshapeAliasBackward0`` when its strides still allow a view) or a copy
(``CloneBackward0`` under ``UnsafeViewBackward0``) depends on torch's strides, which are not
always the engine's: torch's ``diagonal`` is a strided view where the engine copies, and
torch and numpy lay out the result of a product or a sum each their own way. So each
intermediate carries the strides torch would give it, worked out op by op; a new result
(of a diagonal, sum or product) has its elements put in the order of those strides; and
the reshape's kind is chosen from torch's strides.

torch's CPU ``bmm`` refuses mixed dtypes with a message that depends on the kernel it
picks (its own loop for small products, BLAS for larger ones); einsum reports the same.
"""

from __future__ import annotations

from adcli.engine import api as A
from adcli.engine import ops as O
from adcli.engine.tensor import Tensor
from adcli.errors import (
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchTypeError,
    TorchValueError,
)

_LETTERS = 26
_LABELS = 2 * _LETTERS  # the label codes: 0-25 are A-Z, 26-51 are a-z
_ELLIPSIS = _LABELS


# ============================================================================ the call


def einsum(*args) -> Tensor:
    """torch.einsum(equation, *operands), operands also as one list, or the sublist form
    torch.einsum(op1, sublist1, op2, sublist2, ..., [sublist_out])."""
    while True:
        if len(args) < 2:
            raise TorchValueError("einsum(): must specify the equation string and at least one "
                                  "operand, or at least one operand and its subscripts list")
        if isinstance(args[0], Tensor):
            equation = ",".join(_sublist(s) for s in args[1::2])
            if len(args) % 2 == 1:
                equation += "->" + _sublist(args[-1])
                operands = args[:-1:2]
            else:
                operands = args[::2]
        else:
            equation, operands = args[0], args[1:]
        if len(operands) == 1 and isinstance(operands[0], list | tuple):
            args = (equation, *operands[0])  # the operands as one list: torch unpacks it
            continue
        break
    if not isinstance(equation, str):
        raise TorchTypeError(f"einsum(): argument 'equation' (position 1) must be str, not "
                             f"{type(equation).__name__}")
    for i, op in enumerate(operands):
        if not isinstance(op, Tensor):
            raise TorchTypeError(f"expected Tensor as element {i} in argument 1, but got "
                                 f"{type(op).__name__}")
    return _einsum(equation, list(operands))


def _sublist(sub) -> str:
    """One sublist of the sublist form as equation labels: 0-25 are A-Z, 26-51 a-z."""
    if not isinstance(sub, list | tuple | str):
        raise TorchTypeError(f"'{type(sub).__name__}' object is not iterable")
    out = []
    for n in sub:
        if n is Ellipsis:
            out.append("...")
            continue
        if not isinstance(n, int | float):
            raise TorchTypeError(f"'>=' not supported between instances of "
                                 f"'{type(n).__name__}' and 'int'")
        if not 0 <= n < _LABELS:
            raise TorchValueError("einsum(): subscript in subscript list is not within the "
                                  "valid range [0, 52)")
        if isinstance(n, float):
            raise TorchTypeError("'float' object cannot be interpreted as an integer")
        out.append(chr((ord("A") + n) if n < _LETTERS else (ord("a") + n - _LETTERS)))
    return "".join(out)


# ============================================================================ parsing


def _code(ch: int) -> int:
    """The label code of an ASCII letter."""
    return ch - ord("A") if ch <= ord("Z") else ch - ord("a") + _LETTERS


def _letter(code: int) -> str:
    return chr(code + ord("A")) if code < _LETTERS else chr(code - _LETTERS + ord("a"))


def _is_alpha(ch: int) -> bool:
    return ord("A") <= ch <= ord("Z") or ord("a") <= ch <= ord("z")


def _parse_inputs(lhs: bytes, n_ops: int) -> list:
    """Each operand's label codes (with _ELLIPSIS), checking the characters and the count
    of operands. ``lhs`` is bytes: torch counts positions in the UTF-8 string."""
    labels: list = [[] for _ in range(n_ops)]
    op, seen_ellipsis, i = 0, False, 0
    while i < len(lhs):
        ch = lhs[i]
        if ch == ord(" "):
            pass
        elif ch == ord("."):
            if seen_ellipsis:
                raise TorchRuntimeError(f"einsum(): found '.' for operand {op} for which an "
                                        "ellipsis was already found")
            if not (i + 2 < len(lhs) and lhs[i + 1] == ord(".") and lhs[i + 2] == ord(".")):
                raise TorchRuntimeError(f"einsum(): found '.' for operand {op} that is not "
                                        "part of any ellipsis")
            i += 2
            labels[op].append(_ELLIPSIS)
            seen_ellipsis = True
        elif ch == ord(","):
            op += 1
            if op >= n_ops:
                raise TorchRuntimeError("einsum(): fewer operands were provided than "
                                        "specified in the equation")
            seen_ellipsis = False
        else:
            if not _is_alpha(ch):
                raise TorchRuntimeError(f"einsum(): invalid subscript given at index {i} in "
                                        "the equation string, subscripts must be in [a-zA-Z]")
            labels[op].append(_code(ch))
        i += 1
    if op != n_ops - 1:
        raise TorchRuntimeError("einsum(): more operands were provided than specified in the "
                                "equation")
    return labels


def _parse_output(rhs: bytes, start: int, count: list, ell_dims: int):
    """Each output label's slot and where the ellipsis's slots begin (or None). ``start``
    is the index of ``rhs`` in the whole equation, for messages."""
    slot = [-1] * _LABELS
    n, ell_at, i = 0, None, 0
    while i < len(rhs):
        ch = rhs[i]
        if ch == ord(" "):
            pass
        elif ch == ord("."):
            if ell_at is not None:
                raise TorchRuntimeError("einsum(): found '.' for output but an ellipsis (...) "
                                        "was already found")
            if not (i + 2 < len(rhs) and rhs[i + 1] == ord(".") and rhs[i + 2] == ord(".")):
                raise TorchRuntimeError("einsum(): found '.' for output that is not part of "
                                        "any ellipsis (...)")
            i += 2
            ell_at = n
            n += ell_dims
        else:
            if not _is_alpha(ch):
                raise TorchRuntimeError(f"einsum(): invalid subscript given at index "
                                        f"{start + i} in the equation string, subscripts must "
                                        "be in [a-zA-Z]")
            code = _code(ch)
            if slot[code] > -1:
                raise TorchRuntimeError(f"einsum(): output subscript {chr(ch)} appears more "
                                        "than once in the output")
            if count[code] == 0:
                raise TorchRuntimeError(f"einsum(): output subscript {chr(ch)} does not "
                                        "appear in the equation for any input operand")
            slot[code] = n
            n += 1
        i += 1
    return slot, n, ell_at


# ============================================================================ einsum


def _einsum(equation: str, operands: list) -> Tensor:
    if not operands:
        raise TorchRuntimeError("einsum(): must provide at least one operand")
    n_ops = len(operands)
    eq = equation.encode("utf-8", "surrogatepass")
    arrow = eq.find(b"->")
    lhs = eq if arrow < 0 else eq[:arrow]
    op_labels = _parse_inputs(lhs, n_ops)

    # how often each label occurs, and the most dims any ellipsis covers
    count = [0] * _LABELS
    ell_dims = 0
    for i, (t, labels) in enumerate(zip(operands, op_labels)):
        ndim = t._data.ndim
        has_ellipsis = _ELLIPSIS in labels
        n_labels = len(labels) - has_ellipsis
        for code in labels:
            if code != _ELLIPSIS:
                count[code] += 1
        if has_ellipsis:
            ell_dims = max(ell_dims, ndim - n_labels)
            if n_labels > ndim:
                raise TorchRuntimeError(
                    f"einsum(): the number of subscripts in the equation ({n_labels}) is more "
                    f"than the number of dimensions ({ndim}) for operand {i}")
        elif n_labels != ndim:
            raise TorchRuntimeError(
                f"einsum(): the number of subscripts in the equation ({n_labels}) does not "
                f"match the number of dimensions ({ndim}) for operand {i} and no ellipsis was "
                "given")

    # the slots: the output's dims first, then the dims to sum away
    if arrow < 0:
        slot, n_slots, ell_at = [-1] * _LABELS, ell_dims, 0
        for code in range(_LABELS):
            if count[code] == 1:
                slot[code] = n_slots
                n_slots += 1
    else:
        slot, n_slots, ell_at = _parse_output(eq[arrow + 2:], len(lhs) + 2, count, ell_dims)
    n_out = n_slots
    if ell_at is None:  # the ellipsis is summed away
        ell_at = n_slots
        n_slots += ell_dims
    for code in range(_LABELS):
        if count[code] and slot[code] == -1:
            slot[code] = n_slots
            n_slots += 1

    # align every operand to the slots; dim_counts: how many operands have each slot
    # at a size other than 1
    label_size = [1] * _LABELS
    ell_size = [1] * ell_dims
    dim_counts = [0] * n_slots
    ops = []
    for i, (t, labels) in enumerate(zip(operands, op_labels)):
        op = _Strided.leaf(t)
        perm = [-1] * n_slots
        dim = 0
        for code in labels:
            if code == _ELLIPSIS:
                covered = t._data.ndim - (len(labels) - 1)
                for j in range(ell_dims - covered, ell_dims):
                    size = op.shape[dim]
                    if size != 1:
                        if ell_size[j] != 1 and ell_size[j] != size:
                            raise TorchRuntimeError(
                                f"einsum(): dimension {dim} covered by ellipsis in operand "
                                f"{i}has size {size} which does not broadcast with previously "
                                f"seen ellipsis with size {ell_size[j]} for the respective "
                                "dimension")
                        ell_size[j] = size
                        dim_counts[ell_at + j] += 1
                    perm[ell_at + j] = dim
                    dim += 1
            elif perm[slot[code]] == -1:
                size = op.shape[dim]
                if size != 1:
                    if label_size[code] != 1 and label_size[code] != size:
                        raise TorchRuntimeError(
                            f"einsum(): subscript {_letter(code)} has size {size} for operand "
                            f"{i} which does not broadcast with previously seen size "
                            f"{label_size[code]}")
                    label_size[code] = size
                    dim_counts[slot[code]] += 1
                perm[slot[code]] = dim
                dim += 1
            else:  # a repeated label: its diagonal, moved back to the label's first dim
                first = perm[slot[code]]
                if op.shape[dim] != op.shape[first]:
                    raise TorchRuntimeError(
                        f"einsum(): subscript {_letter(code)} is repeated for operand {i} but "
                        f"the sizes don't match, {op.shape[dim]} != {op.shape[first]}")
                op = op.diagonal(first, dim)
                last = len(op.shape) - 1
                op = op.permute([*range(first), last, *range(first, last)])
        for k in range(n_slots):
            if perm[k] == -1:
                op = op.unsqueeze(dim)
                perm[k] = dim
                dim += 1
        ops.append(op.permute(perm))

    # contract left to right, the product replacing the pair in front
    while len(ops) > 1:
        a, b = ops[0], ops[1]
        del ops[:2]
        sum_dims, a_sum, b_sum = [], [], []
        for dim in range(n_out, n_slots):
            if a.shape[dim] != 1 and b.shape[dim] != 1:
                dim_counts[dim] -= 1
                if dim_counts[dim] == 1:
                    sum_dims.append(dim)
                    dim_counts[dim] = 0
            elif dim_counts[dim] == 1:
                if a.shape[dim] != 1:
                    a_sum.append(dim)
                    dim_counts[dim] = 0
                elif b.shape[dim] != 1:
                    b_sum.append(dim)
                    dim_counts[dim] = 0
        if a_sum:
            a = a.sum(a_sum)
        if b_sum:
            b = b.sum(b_sum)
        ops.insert(0, _sumproduct_pair(a, b, sum_dims))

    result = ops[0]
    if n_slots > n_out:
        if n_ops > 1:  # the summed slots are all size 1 by now
            return A.view(result.t, tuple(result.shape[:n_out]))
        return A.sum(result.t, tuple(range(n_out, n_slots)))
    return result.t


def _sumproduct_pair(left, right, sum_dims: list):
    """(left * right).sum(sum_dims, keepdim=True) as one bmm: both permuted and reshaped
    to [batch, rows, inner] and [batch, inner, columns], the result viewed and permuted
    back to the operands' dims. When every dim only the right has comes before every dim
    only the left has, the two trade places in the bmm."""
    if not sum_dims:
        return left.mul(right)
    lro, lo, ro = [], [], []
    lro_size = lo_size = ro_size = sum_size = 1
    for i in range(len(left.shape)):
        in_left, in_right = left.shape[i] != 1, right.shape[i] != 1
        if i in sum_dims:
            if in_left and in_right:
                sum_size *= left.shape[i]
            elif in_left:
                left = left.sum([i])
            elif in_right:
                right = right.sum([i])
        elif in_left and in_right:
            lro.append(i)
            lro_size *= left.shape[i]
        elif in_left:
            lo.append(i)
            lo_size *= left.shape[i]
        else:
            ro.append(i)
            ro_size *= right.shape[i]
    if lo and ro and ro[-1] < lo[0]:  # the right's dims all come first: swap, so that
        left, right = right, left  # the product is laid out in the operands' order
        lo, ro, lo_size, ro_size = ro, lo, ro_size, lo_size
    out_size = ([left.shape[d] for d in lro] + [left.shape[d] for d in lo]
                + [1] * len(sum_dims) + [right.shape[d] for d in ro])
    order = lro + lo + sum_dims + ro
    out_perm = [0] * len(order)
    for position, d in enumerate(order):
        out_perm[d] = position
    left = left.permute(order).reshape((lro_size, lo_size, sum_size))
    right = right.permute(lro + sum_dims + ro + lo).reshape((lro_size, sum_size, ro_size))
    return left.bmm(right).view(tuple(out_size)).permute(out_perm)


# ============================================================================ torch's strides


def _contiguous_strides(shape) -> tuple:
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return tuple(reversed(strides))


def _is_contiguous(shape, strides) -> bool:
    if 0 in shape:
        return True
    expected = 1
    for size, stride in zip(reversed(shape), reversed(strides)):
        if size != 1:
            if stride != expected:
                return False
            expected *= size
    return True


def _view_strides(shape, strides, new_shape):
    """The strides torch gives a view of (shape, strides) as new_shape, or None where the
    elements cannot be seen with that shape without a copy. The old dims are split into
    runs that are contiguous among themselves; each run must be exactly covered by
    consecutive new dims."""
    numel = 1
    for size in shape:
        numel *= size
    if numel == 0:
        if tuple(shape) == tuple(new_shape):
            return tuple(strides)
        return _contiguous_strides(new_shape)
    new = [0] * len(new_shape)
    if not shape:  # a 0-d tensor: every new dim is size 1
        return tuple(1 for _ in new_shape)
    v = len(new_shape) - 1
    base = strides[-1]
    run_numel = view_numel = 1
    for d in range(len(shape) - 1, -1, -1):
        run_numel *= shape[d]
        if d == 0 or (shape[d - 1] != 1 and strides[d - 1] != run_numel * base):
            while v >= 0 and (view_numel < run_numel or new_shape[v] == 1):
                new[v] = view_numel * base
                view_numel *= new_shape[v]
                v -= 1
            if view_numel != run_numel:
                return None
            if d > 0:
                base = strides[d - 1]
                run_numel = view_numel = 1
    if v != -1:
        return None
    return tuple(new)


def _product_strides(shape, a, b) -> tuple:
    """The strides of torch's elementwise result of a and b (broadcast to ``shape``): when
    both have that shape and are contiguous, or share strides without gaps, the same;
    else the dims ordered by the operands' strides (smallest first, broadcast dims
    skipped, ties to the smaller dim) and laid out densely in that order."""
    n = len(shape)
    if tuple(a.shape) == tuple(shape) == tuple(b.shape):
        if _is_contiguous(a.shape, a.strides) and _is_contiguous(b.shape, b.strides):
            return _contiguous_strides(shape)
        if a.strides == b.strides and _dense(a.shape, a.strides):
            return a.strides
    if n <= 1:
        return _contiguous_strides(shape)
    operand_strides = [
        [0 if op.shape[d] == 1 and shape[d] != 1 else op.strides[d] for d in range(n)]
        for op in (a, b)]

    def compare(d0: int, d1: int) -> int:  # 1: d0 goes after d1, -1: before, 0: either
        for st in operand_strides:
            s0, s1 = st[d0], st[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return -1 if s0 < s1 else 1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    perm = list(range(n - 1, -1, -1))  # fastest first
    for i in range(1, n):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = compare(perm[d0], perm[d1])
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif c < 0:
                break
    if perm == list(range(n - 1, -1, -1)):
        return _contiguous_strides(shape)
    strides, step = [0] * n, 1
    for d in perm:
        strides[d] = step
        step *= shape[d]
    return tuple(strides)


def _dense(shape, strides) -> bool:
    """Non-overlapping and dense: the dims, sorted by stride, lay the elements out with no
    gap."""
    expected = 1
    for d in sorted(range(len(shape)), key=lambda d: strides[d]):
        if shape[d] == 1:
            continue
        if strides[d] != expected:
            return False
        expected *= shape[d]
    return True


class _Strided:
    """An intermediate: the engine's tensor and the strides torch would give it."""

    __slots__ = ("t", "strides")

    def __init__(self, t: Tensor, strides) -> None:
        self.t, self.strides = t, tuple(strides)

    @classmethod
    def leaf(cls, t: Tensor) -> _Strided:
        item = t._data.itemsize
        return cls(t, (s // item for s in t._data.strides))

    @property
    def shape(self) -> tuple:
        return self.t._data.shape

    def permute(self, perm) -> _Strided:
        return _Strided(A.permute(self.t, tuple(perm)), (self.strides[d] for d in perm))

    def unsqueeze(self, dim: int) -> _Strided:
        st = self.strides
        new = 1 if dim >= len(st) else self.shape[dim] * st[dim]
        return _Strided(A.unsqueeze(self.t, dim), st[:dim] + (new,) + st[dim:])

    @classmethod
    def fresh(cls, t: Tensor, strides) -> _Strided:
        """A new tensor that no one else holds, its elements laid out in the order of
        torch's strides, so that what the engine can view is what torch can."""
        data = t._data
        if data.size > 1:
            order = sorted(range(data.ndim), key=lambda d: -strides[d])
            if order != list(range(data.ndim)) or not data.flags.c_contiguous:
                inverse = sorted(range(data.ndim), key=order.__getitem__)
                t._data = data.transpose(order).copy().transpose(inverse)
        return cls(t, strides)

    def diagonal(self, d1: int, d2: int) -> _Strided:
        st = self.strides
        kept = tuple(s for d, s in enumerate(st) if d not in (d1, d2))
        return _Strided.fresh(A.diagonal(self.t, 0, d1, d2), kept + (st[d1] + st[d2],))

    def sum(self, dims) -> _Strided:
        out = A.sum(self.t, tuple(dims), True)
        return _Strided.fresh(out, _contiguous_strides(out._data.shape))

    def mul(self, other: _Strided) -> _Strided:
        out = A.mul(self.t, other.t)
        return _Strided.fresh(out, _product_strides(out._data.shape, self, other))

    def bmm(self, other: _Strided) -> _Strided:
        left, right = self.t, other.t
        if _bmm_dtypes(left, right):  # torch's empty product takes the right's dtype
            left = left.to(right.dtype)
        out = A.bmm(left, right)
        return _Strided(out, _contiguous_strides(out._data.shape))

    def view(self, shape: tuple) -> _Strided:
        strides = _view_strides(self.shape, self.strides, shape)
        return _Strided(A.view(self.t, shape), strides)

    def reshape(self, shape: tuple) -> _Strided:
        """torch's reshape: a view of a contiguous tensor, else an alias with the strides a
        view allows, else a contiguous copy."""
        strides = _view_strides(self.shape, self.strides, shape)
        if strides is not None and _engine_can_view(self.t, shape):
            if _is_contiguous(self.shape, self.strides):
                return _Strided(O.ViewBackward0.apply(self.t, shape), strides)
            return _Strided(O.ReshapeAliasBackward0.apply(self.t, shape), strides)
        if strides is not None:  # the engine's layout differs from torch's: copy after all
            return _Strided(A.reshape(self.t, shape), _contiguous_strides(shape))
        copy = O.CloneBackward0.apply(self.t, "C")
        return _Strided(O.UnsafeViewBackward0.apply(copy, shape), _contiguous_strides(shape))


# the C++ names torch's CPU matrix product gives dtypes in one of its messages
_C_NAMES = {"float16": "c10::Half", "float32": "float", "float64": "double",
            "int8": "signed char", "int16": "short int", "int32": "int", "int64": "long int",
            "uint8": "unsigned char", "bool": "bool"}


def _bmm_dtypes(left: Tensor, right: Tensor) -> bool:
    """Refuse the dtypes torch's CPU bmm refuses, with its message, which depends on the
    kernel: its own loop for small products (under 400 multiply-adds per matrix), else
    the BLAS path. An empty product is never refused; True when it mixes dtypes."""
    (batch, rows, inner), cols = left._data.shape, right._data.shape[2]
    a, b = left.dtype, right.dtype
    if batch * rows * cols == 0 or inner == 0:
        return a.name != b.name
    if inner * rows * cols < 400:
        if a.name == "bool":
            raise TorchNotImplementedError("\"bmm\" not implemented for 'Bool'")
        if a.name != b.name:
            raise TorchRuntimeError(f"expected scalar type {a.legacy} but found {b.legacy}")
    elif a.name == b.name:
        if a.name == "bool":
            raise TorchNotImplementedError("\"addmm_impl_cpu_\" not implemented for 'Bool'")
    elif b.name in ("float32", "float64"):
        raise TorchRuntimeError(f"expected scalar type {b.legacy} but found {a.legacy}")
    else:
        raise TorchRuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                                f"{_C_NAMES[a.name]} != {_C_NAMES[b.name]}")
    return False


def _engine_can_view(t: Tensor, shape: tuple) -> bool:
    v = t._data.view()
    try:
        v.shape = shape
    except AttributeError:
        return False
    return True
