"""The operators of the language on everything that is not a plain tensor-tensor op.

The interpreter sends ``tensor OP tensor`` and ``tensor OP number`` straight to the
engine, which checks its own broadcasts before numpy allocates. Every other operand
combination comes here, to one place with the sandbox's checks:

- ``check_numpy_operands``: a numpy array (what ``.numpy()`` returns) or a numpy scalar on
  either side: the other operand must be numpy's or a Python scalar (numpy would convert a
  range, a tensor or a list holding tensors item by item, at a cost no shape shows), and
  ``check_operands`` checks the broadcast shape of both against the element bound before
  numpy allocates (``a[:, None] < a`` of 20,000 elements is refused);
- ``numpy_getitem``: indexing a numpy array takes only numpy's index types, and the result
  of advanced indexing is checked against the element bound first;
- strings, lists and tuples: ``*`` and ``%`` go through ``pyformat`` whatever the other
  operand is (a tensor, a numpy integer, a bool), ``+`` is checked on the sizes;
- integers: ``**`` and any result are checked against the integer-bits bound;
- numpy's own type errors (``x.numpy() < 'a'``) become TypeErrors with a clear message.

``binop`` serves binary operators and augmented assignment; ``compare`` serves
comparisons.
"""

from __future__ import annotations

import operator
import sys

import numpy as np

from adcli import limits as _limits_mod
from adcli.engine.shape import check_index, nested_shape
from adcli.engine.tensor import Tensor
from adcli.errors import LimitError, TorchIndexError, TorchRuntimeError, TorchTypeError
from adcli.lang import pyformat
from adcli.lang.pyformat import type_name

BINOPS = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "@": operator.matmul, "**": operator.pow,
}
INPLACE = {
    "+": operator.iadd, "-": operator.isub, "*": operator.imul, "/": operator.itruediv,
    "//": operator.ifloordiv, "%": operator.imod, "@": operator.imatmul, "**": operator.ipow,
}
COMPARE = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
    "==": operator.eq, "!=": operator.ne, "is": operator.is_, "is not": operator.is_not,
}
SYMBOLS = {fn: sym for sym, fn in COMPARE.items()}

# Plain Python values an operator may combine; sets and dicts (Counter, defaultdict and
# OrderedDict are dicts) only make results as large as their operands.
PLAIN = (int, float, bool, complex, str, list, tuple, type(None), range, set, frozenset,
         dict)
SEQUENCES = (str, list, tuple)
NUMPY = (np.ndarray, np.generic)
# What a numpy operand may meet in an operator: numpy's own values and Python scalars.
NUMPY_PEERS = (np.ndarray, np.generic, int, float, str, type(None))
_INDEX_LEAVES = (int, np.integer, np.bool_)


# ---- shapes and the element bound -------------------------------------------------------
def operand_shape(value) -> tuple[int, ...]:
    """The shape an operand takes in a numpy broadcast: () for a Python scalar or object."""
    if value.__class__ is Tensor:
        return value._data.shape
    if isinstance(value, NUMPY):
        return value.shape
    if isinstance(value, list | tuple):
        return nested_shape(value)
    return ()


def check_operands(a, b) -> None:
    """Refuse an operator whose broadcast result would be over the element bound, before
    numpy allocates it. Shapes that do not broadcast are left to the operator's own error.
    Each operand's own size is checked too (a nested list that numpy would convert)."""
    sa, sb = operand_shape(a), operand_shape(b)
    for shape in (sa, sb):
        _limits_mod.check_elements(_numel(shape), shape)
    try:
        shape = np.broadcast_shapes(sa, sb)
    except ValueError:
        return
    _limits_mod.check_elements(_numel(shape), shape)


def check_numpy_operands(sym: str, a, b) -> None:
    """A numpy array or scalar on one side of ``sym``: refuse any other operand than numpy's
    values and Python scalars, then a broadcast over the element bound."""
    if not isinstance(a, NUMPY_PEERS) or not isinstance(b, NUMPY_PEERS):
        raise TorchTypeError(f"'{sym}' is not supported between '{type_name(a)}' and "
                             f"'{type_name(b)}' (convert numpy arrays with torch.tensor(...))")
    check_operands(a, b)


def _numel(shape) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def _numpy_type_error(sym: str, a, b, exc: Exception) -> TorchTypeError:
    def describe(v):
        dtype = getattr(v, "dtype", None)
        return f"'{type_name(v)}'" + (f" of {dtype}" if dtype is not None else "")

    return TorchTypeError(f"'{sym}' is not supported between {describe(a)} and {describe(b)} "
                          "(convert numpy arrays with torch.tensor(...))")


# ---- binary operators ---------------------------------------------------------------------
def binop(sym: str, a, b, fn):
    """``a sym b`` for every operand combination but tensor-tensor and tensor-number
    (which the interpreter sends to the engine), with the sandbox's checks."""
    if "__adcli_names__" in type(a).__dict__ or "__adcli_names__" in type(b).__dict__:
        return fn(a, b)  # a script class's __add__ / __radd__: a user method, bounded
    if sym == "%" and isinstance(a, str):
        return pyformat.bounded_percent_format(a, b)
    if sym == "*":
        if isinstance(a, SEQUENCES):
            return pyformat.bounded_repeat(a, b)
        if isinstance(b, SEQUENCES):
            return pyformat.bounded_repeat(b, a)
    if isinstance(a, NUMPY) or isinstance(b, NUMPY):
        if isinstance(a, Tensor) or isinstance(b, Tensor):
            return tensor_and_numpy(sym, a, b, fn)  # the engine checks its operands
        from adcli.lang.pylib.numpy_subset import ndarray_binop

        return ndarray_binop(sym, a, b, fn)  # bounded, numpy's values and errors
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        return fn(a, b)  # the engine checks its operands and its broadcast
    return python_binop(sym, a, b, fn)


def _datetime_value(value) -> bool:
    """A ``datetime`` value (date, time, datetime, timedelta): Python's own immutable
    values, whose operators make values of the same fixed size (or raise OverflowError)."""
    dt = sys.modules.get("datetime")
    return dt is not None and isinstance(value, dt.date | dt.time | dt.timedelta)


def python_binop(sym: str, a, b, fn):
    """A binary operator on plain Python values, with the sandbox's size checks."""
    if (not isinstance(a, PLAIN) or not isinstance(b, PLAIN)) and not (
            _datetime_value(a) or _datetime_value(b)):
        bad = a if not isinstance(a, PLAIN) else b
        raise TorchTypeError(
            f"unsupported operand type for {sym}: '{type_name(bad)}' "
            "(convert numpy arrays with torch.tensor(...))"
        )
    limits = _limits_mod.current()
    if sym == "**" and type(a) is int and type(b) is int and b > 0 and a not in (0, 1, -1):
        bits = b * (abs(a).bit_length() - 1) + 1  # a lower bound, exact for powers of 2
        if limits.max_int_bits and bits > limits.max_int_bits:
            raise LimitError(
                f"{a} ** {b} would have at least {bits:,} bits, over the limit of "
                f"{limits.max_int_bits:,} (raise it with ADCLI_MAX_INT_BITS)"
            )
    elif sym == "+" and isinstance(a, SEQUENCES) and isinstance(b, SEQUENCES):
        pyformat.check_size(len(a) + len(b))
    result = fn(a, b)
    if type(result) is int and limits.max_int_bits and result.bit_length() > limits.max_int_bits:
        raise LimitError(f"an integer of {result.bit_length():,} bits is over the limit of "
                         f"{limits.max_int_bits:,} bits")
    return result


def _scalar(x: np.generic):
    """A numpy scalar as torch's argument parser reads it: its Python number (a numpy
    bool as the int 0 or 1: ``t - np.bool_(True)`` subtracts 1, where ``t - True``
    is refused)."""
    return int(x) if isinstance(x, np.bool_) else x.item()


def tensor_and_numpy(sym: str, a, b, fn):
    """``a sym b`` of a tensor and a numpy operand, as torch runs it. A numpy scalar is a
    Python number (``t * np.sqrt(2 / n)`` stays float32). An array on the tensor's right
    is numpy's operation on the tensor's values (numpy's promotion: ``t * np.ones(2)`` is
    float64), wrapped as a tensor with no graph, refused when the tensor requires grad;
    an array on the left is numpy's operator, which refuses a tensor."""
    if isinstance(a, np.ndarray):
        if sym == "+":  # numpy's deferral for + (CPython's sequence concatenation)
            raise TorchTypeError("Concatenation operation is not implemented for NumPy "
                                 "arrays, use np.concatenate() instead. Please do not rely "
                                 "on this error; it may not be given on all Python "
                                 "implementations.")
        raise TorchTypeError(f"unsupported operand type(s) for {sym}: 'numpy.ndarray' and "
                             f"'{type_name(b)}'")
    if isinstance(a, np.generic):
        a = _scalar(a)
    if isinstance(b, np.generic):
        return fn(a, _scalar(b))
    if not isinstance(b, np.ndarray):
        return fn(a, b)
    if a.requires_grad:
        raise TorchRuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                                "tensor.detach().numpy() instead.")
    from adcli.engine import api
    from adcli.lang.pylib.numpy_subset import ndarray_binop

    check_operands(a, b)
    return api.as_tensor(np.asarray(ndarray_binop(sym, a._data, b, fn)))


def _tensor_numpy_compare(fn, a, b):
    """A comparison of a tensor and a numpy operand: a numpy scalar is a number; with an
    array, ``==``/``!=`` compare elementwise as torch does, the order comparisons are
    refused as Python refuses them."""
    if isinstance(a, np.generic):
        a = _scalar(a)
    if isinstance(b, np.generic):
        b = _scalar(b)
    arrays = [v for v in (a, b) if isinstance(v, np.ndarray)]
    if not arrays:
        return fn(a, b)
    if fn is operator.eq or fn is operator.ne:
        from adcli.engine import api

        check_operands(a, b)
        a, b = (api.as_tensor(v) if isinstance(v, np.ndarray) else v for v in (a, b))
        return fn(a, b)

    def full(v):
        return "numpy.ndarray" if isinstance(v, np.ndarray) else type_name(v)

    raise TorchTypeError(f"'{SYMBOLS[fn]}' not supported between instances of '{full(a)}' "
                         f"and '{full(b)}'")


# ---- comparisons --------------------------------------------------------------------------
def compare(fn, a, b):
    """``a < b`` (and the rest) when ``a`` is not a tensor: a numpy operand's broadcast is
    checked first, and numpy's type errors are reported as TypeErrors."""
    if isinstance(a, NUMPY) or isinstance(b, NUMPY):
        if fn is operator.is_ or fn is operator.is_not:
            return fn(a, b)
        if isinstance(a, Tensor) or isinstance(b, Tensor):
            return _tensor_numpy_compare(fn, a, b)
        check_numpy_operands(SYMBOLS[fn], a, b)
        try:
            return fn(a, b)
        except TypeError as exc:
            if isinstance(exc, TorchTypeError):
                raise
            raise _numpy_type_error(SYMBOLS[fn], a, b, exc) from None
    return fn(a, b)


# ---- indexing -----------------------------------------------------------------------------
def numpy_getitem(obj, key):
    """``array[key]`` for a numpy array or scalar. The key may hold only numpy's index
    types (ints, slices, None, ``...``, bools, integer or bool arrays, tensors and lists
    of ints or bools); advanced indexing is checked against the element bound before
    numpy allocates its result."""
    if isinstance(key, tuple):
        key = tuple(_numpy_key_item(k) for k in key)
    else:
        key = _numpy_key_item(key)
    check_index(getattr(obj, "shape", ()), key)
    return obj[key]


def _numpy_key_item(k):
    if k.__class__ is Tensor:
        return k._data
    if k is None or k is Ellipsis or isinstance(k, int | np.integer | np.bool_ | slice |
                                                np.ndarray):
        return k
    if isinstance(k, list | tuple) and _index_list(k):
        return k
    if isinstance(k, range):  # numpy takes a range as it takes a list of its ints
        bound = _limits_mod.current().max_elements
        if bound and len(k) > bound:
            raise LimitError(f"an index of {len(k):,} elements is over the limit of "
                             f"{bound:,} (raise it with --max-elements or ADCLI_MAX_ELEMENTS)")
        return np.arange(k.start, k.stop, k.step, dtype=np.intp)
    raise TorchIndexError(
        "only integers, slices (`:`), ellipsis (`...`), None and integer or bool arrays, "
        f"tensors or lists are valid indices of a numpy array (got {type_name(k)})")


def _index_list(items) -> bool:
    """Whether a (nested) list holds only ints and bools. Each list is read once, however
    often it is aliased, so this costs what the lists take in memory, not their shape."""
    seen, stack = set(), [items]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for item in current:
            if isinstance(item, list | tuple):
                stack.append(item)
            elif not isinstance(item, _INDEX_LEAVES):
                return False
    return True
