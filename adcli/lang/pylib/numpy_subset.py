"""``import numpy as np``: the subset of numpy that tutorials use next to torch.

Every member is a small wrapper over real numpy, so values and printing are numpy's own.
A wrapper checks what it is given before numpy sees it:

- array data (``np.array(x)``, every array argument) may be a numpy array or scalar of a
  numeric or bool dtype, a tensor (converted as ``tensor.numpy()``: the memory is shared,
  and a tensor that requires grad is refused as torch refuses it), a Python number, a
  ``range``, or lists and tuples of those. Anything else (a user object, a function, a
  string, a dict) is a TypeError, so numpy never calls back into a script's objects and
  never makes an object array;
- dtypes are numeric or bool only: ``object``, strings, bytes, datetimes, structured and
  sub-array dtypes are refused before numpy allocates;
- every result's shape is computed from the arguments and checked against the element
  bound (``adcli.limits.check_elements``) before numpy allocates it: creation, ``arange``
  and ``linspace`` lengths, broadcasting of every elementwise function, ``outer``,
  ``meshgrid``, ``diag``, concatenation, random sizes, ``choice`` without replacement;
  ``dot``/``matmul``/``inner``/``inv``/``det`` are checked against the work bound too;
- numpy's own errors become adcli errors with numpy's message: TypeError, ValueError and
  IndexError keep their names; ``AxisError`` and ``LinAlgError`` are reported with
  numpy's qualified names (``numpy.exceptions.AxisError``).

Nothing here can load, save or read files, reach ctypes, ``np.lib``, ``np.testing`` or
any module: those names do not exist. ``np.empty`` returns zeros (numpy's ``empty`` holds
whatever the memory held; zeros are one valid such content, and never leak data).

State: ``np.random`` is per session. ``make_numpy()`` builds one ``numpy`` namespace with
its own legacy ``RandomState`` (numpy's global generator); ``seed_numpy(ns, n)`` seeds it
as ``numpy.random.seed(n)`` does. ``default_rng`` and ``RandomState`` make independent
generators whose methods go through ``GENERATOR_ACCESSORS`` and
``RANDOMSTATE_ACCESSORS``. Arrays, numpy scalars and dtypes go through
``NDARRAY_ACCESSORS`` and ``DTYPE_ACCESSORS``; ``ndarray_setitem`` is ``a[key] = value``.
"""

from __future__ import annotations

import math as _math
import operator as _op

import numpy as np

from adcli.engine.tensor import Tensor
from adcli.errors import (
    AdcliError,
    LimitError,
    TorchAttributeError,
    TorchIndexError,
    TorchOverflowError,
    TorchTypeError,
    TorchValueError,
    TorchZeroDivisionError,
)
from adcli.lang.names import Namespace
from adcli.lang.pylib._common import PyType
from adcli.limits import check_elements, check_work, current, size_hint

__all__ = [
    "NUMPY", "LINALG", "NDARRAY_ACCESSORS", "DTYPE_ACCESSORS", "GENERATOR_ACCESSORS",
    "RANDOMSTATE_ACCESSORS", "UFUNC_ACCESSORS", "NumpyNamespace", "NumpyType",
    "NumpyFunction", "NumpyUfunc", "NumpyAxisError", "NumpyLinAlgError", "make_numpy",
    "seed_numpy", "ndarray_setitem", "accessor_table", "numpy_type", "ndarray_binop",
    "reset_printoptions", "FINFO_ACCESSORS", "IINFO_ACCESSORS",
]

_NO_VALUE = object()  # an argument not given (numpy's np._NoValue)
_NUMERIC = "biufc"  # bool, signed, unsigned, float, complex
_OPTION_MAX = 32  # the longest option string (a dtype name, 'ij', 'fro', a sort kind)


# ---- errors ------------------------------------------------------------------------------
class NumpyAxisError(AdcliError, ValueError, IndexError):
    """numpy's AxisError (a ValueError and an IndexError), printed with numpy's name."""

    kind = "numpy.exceptions.AxisError"


class NumpyLinAlgError(AdcliError, ValueError):
    kind = "numpy.linalg.LinAlgError"


def _type_name(x) -> str:
    t = type(x)
    if t.__module__ == "numpy" or t.__module__.startswith("numpy."):
        return "numpy." + t.__name__
    return t.__name__


def _run(fn, *args, **kwargs):
    """Call numpy, turning its errors into adcli's, and check what it returns."""
    try:
        out = fn(*args, **kwargs)
    except AdcliError:
        raise
    except np.exceptions.AxisError as e:
        raise NumpyAxisError(str(e)) from None
    except np.linalg.LinAlgError as e:
        raise NumpyLinAlgError(str(e)) from None
    except ZeroDivisionError as e:
        raise TorchZeroDivisionError(str(e)) from None
    except OverflowError as e:
        raise TorchOverflowError(str(e)) from None
    except TypeError as e:
        raise TorchTypeError(str(e)) from None
    except IndexError as e:
        raise TorchIndexError(str(e)) from None
    except AttributeError as e:  # numpy reading .ndim/.size of a number or a list
        raise TorchAttributeError(str(e)) from None
    except ValueError as e:
        raise TorchValueError(str(e)) from None
    return _result(out)


def _result(out):
    if isinstance(out, np.ndarray | np.generic):
        if out.dtype.kind not in _NUMERIC:
            raise TorchTypeError(
                f"adcli's numpy makes only numeric and bool arrays, not {out.dtype}")
    elif isinstance(out, tuple | list):
        for item in out:
            _result(item)
    return out


# ---- checking arguments ------------------------------------------------------------------
def _numel(shape) -> int:
    n = 1
    for s in shape:
        n *= int(s)
    return n


def _check_shape(shape) -> None:
    check_elements(_numel(shape), tuple(shape))


def _check_array_dtype(dtype) -> None:
    if dtype.kind not in _NUMERIC or dtype.fields is not None or dtype.subdtype is not None:
        raise TorchTypeError(
            f"adcli's numpy supports only numeric and bool arrays, not dtype {dtype}")


def _claimed_shape(x) -> tuple[int, ...]:
    """The shape numpy would make of nested lists, read from their first items (each
    level may alias one list many times, so this, not their memory, is the cost)."""
    shape = []
    while len(shape) < 64:
        if isinstance(x, list | tuple | range):
            n = size_hint(x)  # len(), or 2**63 for a range too long for it
            shape.append(n)
            if not n:
                break
            x = x[0]
        elif isinstance(x, np.ndarray | np.generic):
            shape.extend(x.shape)
            break
        elif isinstance(x, Tensor):
            shape.extend(x._data.shape)
            break
        else:
            break
    return tuple(shape)


_LEAVES = (bool, int, float, complex)


def _walk(x) -> bool:
    """Check every item of nested lists (each list once, however often it is aliased);
    True when a tensor is among them."""
    seen, stack, tensors = set(), [x], False
    while stack:
        cur = stack.pop()
        if id(cur) in seen:
            continue
        seen.add(id(cur))
        for item in cur:
            if isinstance(item, list | tuple):
                stack.append(item)
            elif isinstance(item, Tensor):
                tensors = True
            elif isinstance(item, np.ndarray | np.generic):
                _check_array_dtype(item.dtype)
            elif not isinstance(item, (*_LEAVES, range)):
                raise TorchTypeError(
                    f"adcli's numpy makes arrays of numbers only: a list holds a "
                    f"'{_type_name(item)}'")
    return tensors


def _untensor(x, memo: dict):
    if isinstance(x, Tensor):
        return x.numpy()
    if isinstance(x, list | tuple):
        key = id(x)
        if key not in memo:
            memo[key] = [_untensor(i, memo) for i in x]
        return memo[key]
    return x


def _data(x, what: str = "array"):
    """An array argument: a numpy array or scalar, or a Python number, as numpy takes it;
    a tensor becomes its ``.numpy()`` (shared memory); lists, tuples and ranges become an
    array after their claimed shape is checked against the element bound."""
    if isinstance(x, np.ndarray | np.generic):
        _check_array_dtype(x.dtype)
        return x
    if isinstance(x, _LEAVES):
        return x
    if isinstance(x, Tensor):
        return x.numpy()
    if isinstance(x, list | tuple | range):
        _check_shape(_claimed_shape(x))
        if not isinstance(x, range) and _walk(x):
            x = _untensor(x, {})
        return _run(np.asarray, x)
    if isinstance(x, NumpyType):
        raise TorchTypeError(f"{what}: expected an array, got the type {x!r}")
    raise TorchTypeError(f"{what}: expected an array or a number, got '{_type_name(x)}'")


def _dtype(d):
    """A dtype argument: numpy's types, dtype objects, Python's float/int/bool/complex or
    a dtype name; numeric and bool only."""
    if d is None:
        return None
    if isinstance(d, PyType):  # np.float32, and the runtime's float / int / bool / complex
        d = d.pyclass
    if isinstance(d, np.dtype):
        resolved = d
    elif isinstance(d, type) and (d in (float, int, bool, complex) or issubclass(d, np.generic)):
        resolved = _run(np.dtype, d)
    elif isinstance(d, str) and len(d) <= _OPTION_MAX:
        resolved = _run(np.dtype, d)
    else:
        raise TorchTypeError(f"Cannot interpret '{d!r}' as a data type")
    _check_array_dtype(resolved)
    return resolved


def _int(x, what: str = "") -> int:
    if isinstance(x, bool | int | np.integer) and not isinstance(x, np.bool_):
        return int(x)
    raise TorchTypeError(f"'{_type_name(x)}' object cannot be interpreted as an integer")


def _shape(s) -> tuple[int, ...]:
    """A shape argument: an int or a sequence of ints, checked against the element bound."""
    if isinstance(s, np.ndarray) and s.ndim == 0:
        s = s[()]
    if isinstance(s, list | tuple | np.ndarray):
        if len(s) > 64:
            raise TorchValueError(
                f"maximum supported dimension for an ndarray is 64, found {len(s)}")
        dims = tuple(_int(v) for v in s)
    else:
        dims = (_int(s),)
    if any(d < 0 for d in dims):
        raise TorchValueError("negative dimensions are not allowed")
    _check_shape(dims)
    return dims


def _axis(a):
    if a is None:
        return None
    if isinstance(a, tuple | list):
        return tuple(_int(v) for v in a)
    return _int(a)


def _flag(v, name: str) -> bool:
    if isinstance(v, bool | np.bool_ | int | np.integer):
        return bool(v)
    raise TorchTypeError(f"'{name}' must be a bool, not '{_type_name(v)}'")


def _option(v, name: str):
    if v is None or (isinstance(v, str) and len(v) <= _OPTION_MAX):
        return v
    raise TorchTypeError(f"'{name}' must be a string, not '{_type_name(v)}'")


def _number(v, name: str):
    """A scalar or array parameter (bounds, fill values, tolerances)."""
    return _data(v, name)


def _shape_of(x) -> tuple[int, ...]:
    return x.shape if isinstance(x, np.ndarray | np.generic | _ShapeOnly) else ()


def _broadcast(*xs) -> None:
    """Refuse a broadcast over the element bound; shapes that do not broadcast are left
    to numpy's own error."""
    try:
        shape = np.broadcast_shapes(*(_shape_of(x) for x in xs))
    except ValueError:
        return
    _check_shape(shape)


def _kw(kwargs: dict, **given) -> dict:
    for k, v in given.items():
        if v is not None:
            kwargs[k] = v
    return kwargs


# ---- values that stand for numpy's types and functions -----------------------------------
class NumpyFunction:
    """A numpy function as a script sees it: callable, printed as numpy prints it."""

    __slots__ = ("__name__", "_fn", "_repr")

    def __init__(self, name: str, fn, text: str | None = None) -> None:
        self.__name__ = name
        self._fn = fn
        self._repr = text or f"<function {name} at 0x{id(self):x}>"

    def __call__(self, *args, **kwargs):
        return self._fn(*args, **kwargs)

    def __repr__(self) -> str:
        return self._repr


class NumpyType(PyType):
    """``np.float32``, ``np.ndarray``, ...: a numpy type as a script sees it, a ``PyType``
    of the real class (so the runtime's ``isinstance``/``type`` treat it as any type).
    Calling it goes through the checked constructor; ``np.dtype(t)``,
    ``arr.dtype == t`` and ``type(x) == t`` work as with the real class (``.type``)."""

    __slots__ = ()

    def __init__(self, tp: type, make) -> None:
        super().__init__(tp, f"{tp.__module__}.{tp.__qualname__}", make)

    @property
    def type(self) -> type:
        return self._cls

    @property
    def dtype(self):
        return np.dtype(self._cls)

    def __eq__(self, other):
        if isinstance(other, PyType):
            return other._cls is self._cls
        if isinstance(other, type):
            return other is self._cls
        if isinstance(other, np.dtype):
            try:
                return other == np.dtype(self._cls)
            except TypeError:
                return False
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._cls)

    def __repr__(self) -> str:
        return repr(self._cls)


class NumpyNamespace(Namespace):
    """A numpy module (``numpy``, ``numpy.random``, ``numpy.linalg``) with fixed members:
    a ``Namespace`` of the name table, so ``np.name`` resolves as ``torch.name`` does."""

    __slots__ = ()


def _scalar_type(tp):
    def make(value=0, /):
        if isinstance(value, str):
            if len(value) > _OPTION_MAX:
                raise TorchValueError(f"could not convert string to {tp.__name__}")
            return _run(tp, value)
        return _run(tp, _data(value, tp.__name__))

    return NumpyType(tp, make)


def _no_ndarray(*args, **kwargs):
    raise TorchTypeError("np.ndarray(...) is not supported by adcli; use np.array, np.zeros or "
                         "np.empty to make an array")


def _no_dtype_call(obj=None, *args, **kwargs):
    return _dtype(obj)


# ---- creation -----------------------------------------------------------------------------
def array(object, dtype=None, *, copy=True, ndmin=0):
    dtype = _dtype(dtype)
    ndmin = _int(ndmin)
    if not 0 <= ndmin <= 64:
        raise TorchValueError("ndmin bigger than allowable number of dimensions NPY_MAXDIMS (=64)")
    src = _data(object, "array()")
    if dtype is not None:
        _check_shape(_shape_of(src))
    return _run(np.array, src, dtype=dtype, copy=_flag(copy, "copy") if copy is not None
                else None, ndmin=ndmin)


def asarray(a, dtype=None):
    return _run(np.asarray, _data(a, "asarray()"), dtype=_dtype(dtype))


def zeros(shape, dtype=float):
    return _run(np.zeros, _shape(shape), dtype=_dtype(dtype))


def ones(shape, dtype=None):
    return _run(np.ones, _shape(shape), dtype=_dtype(dtype))


def empty(shape, dtype=float):
    """numpy's empty holds whatever memory held; here, zeros (one valid content)."""
    return _run(np.zeros, _shape(shape), dtype=_dtype(dtype))


def full(shape, fill_value, dtype=None):
    shape = _shape(shape)
    return _run(np.full, shape, _broadcast_fill(fill_value, shape), dtype=_dtype(dtype))


def _broadcast_fill(value, shape):
    value = _number(value, "fill_value")
    _broadcast(value, _ShapeOnly(shape))
    return value


class _ShapeOnly:
    __slots__ = ("shape",)

    def __init__(self, shape) -> None:
        self.shape = tuple(shape)


def _like_shape(a, shape):
    a = _data(a, "a")
    if shape is not None:
        return a, _shape(shape)
    return a, None


def zeros_like(a, dtype=None, shape=None):
    a, shape = _like_shape(a, shape)
    return _run(np.zeros_like, a, dtype=_dtype(dtype), shape=shape)


def ones_like(a, dtype=None, shape=None):
    a, shape = _like_shape(a, shape)
    return _run(np.ones_like, a, dtype=_dtype(dtype), shape=shape)


def empty_like(a, dtype=None, shape=None):
    a, shape = _like_shape(a, shape)
    return _run(np.zeros_like, a, dtype=_dtype(dtype), shape=shape)


def full_like(a, fill_value, dtype=None, shape=None):
    a, shape = _like_shape(a, shape)
    fill = _number(fill_value, "fill_value")
    _broadcast(fill, _ShapeOnly(shape if shape is not None else _shape_of(a)))
    return _run(np.full_like, a, fill, dtype=_dtype(dtype), shape=shape)


def eye(N, M=None, k=0, dtype=float):
    n = _int(N)
    m = n if M is None else _int(M)
    _check_shape((max(n, 0), max(m, 0)))
    return _run(np.eye, n, m, _int(k), dtype=_dtype(dtype))


def identity(n, dtype=None):
    n = _int(n)
    _check_shape((max(n, 0), max(n, 0)))
    return _run(np.identity, n, dtype=_dtype(dtype))


def _real(v, name: str):
    if isinstance(v, np.ndarray):
        if v.ndim:
            raise TorchTypeError(f"'{name}' must be a number, not an array of shape {v.shape}")
        v = v[()]
    if isinstance(v, Tensor):
        v = v.item()
    if isinstance(v, bool | int | float | np.integer | np.floating | np.bool_):
        return v
    raise TorchTypeError(f"'{name}' must be a number, not '{_type_name(v)}'")


def arange(start, stop=None, step=None, dtype=None):
    start = _real(start, "start")
    stop = None if stop is None else _real(stop, "stop")
    step = None if step is None else _real(step, "step")
    lo, hi = (0, start) if stop is None else (start, stop)
    st = 1 if step is None else step
    if st == 0:
        raise TorchZeroDivisionError("division by zero")
    try:
        n = _math.ceil((float(hi) - float(lo)) / float(st))
    except (OverflowError, ValueError):
        raise TorchValueError("arange: cannot compute length") from None
    if n > 0:
        check_elements(n, (n,))
    args = (start,) if stop is None and step is None else (
        (start, stop) if step is None else (start, 0 if stop is None else stop, step))
    if stop is None and step is not None:
        args = (0, start, step)
    return _run(np.arange, *args, dtype=_dtype(dtype))


def _count(num, name="num"):
    n = _int(num)
    if n > 0:
        check_elements(n, (n,))
    return n


def _endpoints_shape(*xs):
    shape = np.broadcast_shapes(*(_shape_of(x) for x in xs))
    return shape


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    start, stop = _number(start, "start"), _number(stop, "stop")
    n = _count(num)
    try:
        base = _endpoints_shape(start, stop)
    except ValueError:
        base = ()
    _check_shape((max(n, 0),) + tuple(base))
    return _run(np.linspace, start, stop, n, endpoint=_flag(endpoint, "endpoint"),
                retstep=_flag(retstep, "retstep"), dtype=_dtype(dtype), axis=_int(axis))


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    start, stop, base = _number(start, "start"), _number(stop, "stop"), _number(base, "base")
    n = _count(num)
    try:
        b = _endpoints_shape(start, stop, base)
    except ValueError:
        b = ()
    _check_shape((max(n, 0),) + tuple(b))
    return _run(np.logspace, start, stop, n, endpoint=_flag(endpoint, "endpoint"), base=base,
                dtype=_dtype(dtype), axis=_int(axis))


def meshgrid(*xi, indexing="xy", sparse=False, copy=True):
    arrays = [_data(x, "meshgrid()") for x in xi]
    if len(arrays) > 64:
        raise TorchValueError("meshgrid: too many arrays")
    sizes = [int(np.size(a)) for a in arrays]
    sparse = _flag(sparse, "sparse")
    if not sparse:
        total = _numel(sizes)
        check_elements(total * max(len(arrays), 1), tuple(sizes))
    return _run(np.meshgrid, *arrays, indexing=_option(indexing, "indexing"), sparse=sparse,
                copy=_flag(copy, "copy"))


def _sequence(arrays, what: str) -> list:
    if isinstance(arrays, Tensor):
        arrays = arrays.numpy()
    if isinstance(arrays, np.ndarray):
        _check_array_dtype(arrays.dtype)
        rows = len(arrays) if arrays.ndim else 0
        bound = current().max_elements // 100  # one numpy object per row, as tensors' rows
        if bound and rows > bound:
            raise LimitError(f"{what} of an array of {rows:,} rows is over the limit of "
                             f"{bound:,} (a hundredth of --max-elements / ADCLI_MAX_ELEMENTS)")
        return list(arrays) if arrays.ndim else [arrays]
    if not isinstance(arrays, list | tuple):
        raise TorchTypeError(f"{what}: expected a sequence of arrays, got '{_type_name(arrays)}'")
    if len(arrays) > current().max_elements // 10 > 0:
        raise LimitError(f"{what} of {len(arrays):,} arrays is over the limit")
    out = [_data(a, what) for a in arrays]
    check_elements(sum(int(np.size(a)) for a in out))
    return out


def concatenate(arrays, axis=0, dtype=None):
    items = _sequence(arrays, "concatenate()")
    return _run(np.concatenate, items, axis=_axis(axis), dtype=_dtype(dtype))


def stack(arrays, axis=0, dtype=None):
    items = _sequence(arrays, "stack()")
    return _run(np.stack, items, axis=_int(axis), dtype=_dtype(dtype))


def vstack(tup, dtype=None):
    return _run(np.vstack, _sequence(tup, "vstack()"), dtype=_dtype(dtype))


def hstack(tup, dtype=None):
    return _run(np.hstack, _sequence(tup, "hstack()"), dtype=_dtype(dtype))


def column_stack(tup):
    return _run(np.column_stack, _sequence(tup, "column_stack()"))


# ---- elementwise --------------------------------------------------------------------------
def _out(out, name: str) -> dict:
    """A ufunc's ``out=``: an array (or a 1-tuple of one) that the result is written into."""
    if out is None:
        return {}
    if isinstance(out, tuple) and len(out) == 1:
        out = out[0]
    if type(out) is not np.ndarray:
        raise TorchTypeError(f"{name}: return arrays must be of ArrayType")
    return {"out": out}


def _ufunc(uf):
    name = uf.__name__
    if uf.nin == 1:
        def call(x, /, out=None, *, dtype=None):
            x = _data(x, name + "()")
            return _run(uf, x, **_kw(_out(out, name), dtype=_dtype(dtype)))
    else:
        def call(x1, x2, /, out=None, *, dtype=None):
            a, b = _data(x1, name + "()"), _data(x2, name + "()")
            _broadcast(a, b)
            return _run(uf, a, b, **_kw(_out(out, name), dtype=_dtype(dtype)))
    call.__name__ = call.__qualname__ = uf.__name__  # as Python's argument errors name it
    return NumpyUfunc(uf, call)


class NumpyUfunc(NumpyFunction):
    """A ufunc (``np.add``): callable, and its methods ``reduce``, ``accumulate``,
    ``outer`` and ``at`` through ``UFUNC_ACCESSORS``."""

    __slots__ = ("ufunc",)

    def __init__(self, uf, call) -> None:
        super().__init__(uf.__name__, call, repr(uf))
        self.ufunc = uf


def _ufunc_reduce(u: NumpyUfunc):
    def reduce(array, axis=0, dtype=None, out=None, keepdims=False, initial=_NO_VALUE):
        if out is not None:
            raise TorchTypeError("reduce(): 'out' is not supported by adcli")
        kw = {} if initial is _NO_VALUE else {"initial": _number(initial, "initial")}
        return _run(u.ufunc.reduce, _data(array, "reduce()"), axis=_axis(axis),
                    dtype=_dtype(dtype), keepdims=_flag(keepdims, "keepdims"), **kw)
    return reduce


def _ufunc_accumulate(u: NumpyUfunc):
    def accumulate(array, axis=0, dtype=None, out=None):
        if out is not None:
            raise TorchTypeError("accumulate(): 'out' is not supported by adcli")
        return _run(u.ufunc.accumulate, _data(array, "accumulate()"), axis=_int(axis),
                    dtype=_dtype(dtype))
    return accumulate


def _ufunc_outer(u: NumpyUfunc):
    def outer(A, B, /):
        a, b = _data(A, "outer()"), _data(B, "outer()")
        _check_shape(tuple(_shape_of(a)) + tuple(_shape_of(b)))
        return _run(u.ufunc.outer, a, b)
    return outer


def _ufunc_at(u: NumpyUfunc):
    def at(a, indices, b=None, /):
        if type(a) is not np.ndarray:
            raise TorchTypeError("at(): first operand must be an array")
        from adcli.engine.shape import check_index
        from adcli.lang.operators import _numpy_key_item  # the interpreter's own key rules

        _check_array_dtype(a.dtype)
        if isinstance(indices, tuple):
            key = tuple(_numpy_key_item(k) for k in indices)
        else:
            key = _numpy_key_item(indices)
        check_index(a.shape, key)
        _run(a.__getitem__, key)  # an index out of range: numpy's IndexError (at() loses it)
        args = (a, key) if b is None else (a, key, _data(b, "at()"))
        _run(u.ufunc.at, *args)
    return at


def _ufunc_method(name: str, make):
    def access(u):
        return NumpyFunction(name, make(u), f"<built-in method {name} of numpy.ufunc object "
                                            f"at 0x{id(u.ufunc):x}>")
    return access


UFUNC_ACCESSORS: dict = {
    "reduce": _ufunc_method("reduce", _ufunc_reduce),
    "accumulate": _ufunc_method("accumulate", _ufunc_accumulate),
    "outer": _ufunc_method("outer", _ufunc_outer),
    "at": _ufunc_method("at", _ufunc_at),
    "nin": lambda u: u.ufunc.nin,
    "nout": lambda u: u.ufunc.nout,
    "__name__": lambda u: u.ufunc.__name__,
}


UNARY_UFUNCS = (
    "exp", "exp2", "log", "log2", "log10", "log1p", "expm1", "sqrt", "square", "abs",
    "absolute", "fabs", "sign", "negative", "reciprocal", "sin", "cos", "tan", "arcsin",
    "arccos", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arccosh", "arctanh", "floor",
    "ceil", "trunc", "rint", "isnan", "isinf", "isfinite", "logical_not", "deg2rad",
    "rad2deg", "degrees", "radians", "cbrt", "conjugate", "signbit", "positive",
)
BINARY_UFUNCS = (
    "add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "mod",
    "remainder", "power", "maximum", "minimum", "fmax", "fmin", "arctan2", "hypot",
    "logaddexp", "greater", "greater_equal", "less", "less_equal", "equal", "not_equal",
    "logical_and", "logical_or", "logical_xor", "heaviside", "copysign", "float_power",
    "fmod", "logaddexp2",
)
INTEGER_UFUNCS = ("gcd", "lcm")  # integers only


def where(condition, x=None, y=None, /):
    c = _data(condition, "where()")
    if x is None and y is None:
        return _run(np.where, c)
    if x is None or y is None:
        raise TorchValueError("either both or neither of x and y should be given")
    a, b = _data(x, "where()"), _data(y, "where()")
    _broadcast(c, a, b)
    return _run(np.where, c, a, b)


def clip(a, a_min=None, a_max=None):
    a = _data(a, "clip()")
    lo = None if a_min is None else _number(a_min, "a_min")
    hi = None if a_max is None else _number(a_max, "a_max")
    _broadcast(*(v for v in (a, lo, hi) if v is not None))
    return _run(np.clip, a, lo, hi)


def round_(a, decimals=0):
    a = _data(a, "round()")
    d = _int(decimals)
    if abs(d) > 400:
        d = 400 if d > 0 else -400  # past this numpy gives the same result, at growing cost
    return _run(np.round, a, d)


def _pair(fn, name: str, tol: bool = False):
    def call(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
        x, y = _data(a, name), _data(b, name)
        _broadcast(x, y)
        return _run(fn, x, y, rtol=_real(rtol, "rtol"), atol=_real(atol, "atol"),
                    equal_nan=_flag(equal_nan, "equal_nan"))
    return call


def array_equal(a1, a2, equal_nan=False):
    x, y = _data(a1, "array_equal()"), _data(a2, "array_equal()")
    return _run(np.array_equal, x, y, equal_nan=_flag(equal_nan, "equal_nan"))


# ---- reductions ---------------------------------------------------------------------------
def _reduction(fn, name: str, *, dtype=True, ddof=False, keepdims=True):
    def call(a, axis=None, dtype=None, out=None, keepdims=False, *, ddof=0):
        if out is not None:
            raise TorchTypeError(f"{name}(): 'out' is not supported by adcli")
        kw = {}
        if keepdims is not False:
            kw["keepdims"] = _flag(keepdims, "keepdims")
        if dtype is not None:
            kw["dtype"] = _dtype(dtype)
        if not (type(ddof) is int and ddof == 0):
            kw["ddof"] = _real(ddof, "ddof")
        return _run(fn, _data(a, name + "()"), axis=_axis(axis), **kw)

    def call_nodtype(a, axis=None, out=None, keepdims=False):
        if out is not None:
            raise TorchTypeError(f"{name}(): 'out' is not supported by adcli")
        kw = {"keepdims": _flag(keepdims, "keepdims")} if keepdims is not False else {}
        return _run(fn, _data(a, name + "()"), axis=_axis(axis), **kw)

    def call_ddof(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        return call(a, axis, dtype, out, keepdims, ddof=ddof)

    def call_cum(a, axis=None, dtype=None):
        return _run(fn, _data(a, name + "()"), axis=_axis(axis), dtype=_dtype(dtype))

    if ddof:
        return call_ddof
    if not keepdims:
        return call_cum
    return call if dtype else call_nodtype


def count_nonzero(a, axis=None, *, keepdims=False):
    return _run(np.count_nonzero, _data(a, "count_nonzero()"), axis=_axis(axis),
                keepdims=_flag(keepdims, "keepdims"))


def average(a, axis=None, weights=None):
    x = _data(a, "average()")
    w = None if weights is None else _data(weights, "weights")
    return _run(np.average, x, axis=_axis(axis), weights=w)


def median(a, axis=None, keepdims=False):
    return _run(np.median, _data(a, "median()"), axis=_axis(axis),
                keepdims=_flag(keepdims, "keepdims"))


# ---- linear algebra ------------------------------------------------------------------------
def _matmul_shape(sa, sb, what: str):
    """The result shape and multiply-adds of matmul(a, b), or None where numpy will refuse
    the shapes itself."""
    if not sa or not sb:
        return None
    a2 = sa if len(sa) > 1 else (1,) + sa
    b2 = sb if len(sb) > 1 else sb + (1,)
    if a2[-1] != b2[-2]:
        return None
    try:
        batch = np.broadcast_shapes(a2[:-2], b2[:-2])
    except ValueError:
        return None
    out = tuple(batch) + ((sa[-2],) if len(sa) > 1 else ()) + ((sb[-1],) if len(sb) > 1 else ())
    return out, _numel(batch) * a2[-2] * b2[-1] * a2[-1]


def _check_product(shape_work, what: str, sa, sb) -> None:
    if shape_work is None:
        return
    shape, work = shape_work
    _check_shape(shape)
    check_work(work, f"{what} of {list(sa)} and {list(sb)}")


def matmul(x1, x2, /):
    a, b = _data(x1, "matmul()"), _data(x2, "matmul()")
    sa, sb = _shape_of(a), _shape_of(b)
    _check_product(_matmul_shape(sa, sb, "matmul"), "matmul()", sa, sb)
    return _run(np.matmul, a, b)


def dot(a, b):
    x, y = _data(a, "dot()"), _data(b, "dot()")
    sa, sb = _shape_of(x), _shape_of(y)
    if not sa or not sb:
        _broadcast(x, y)
    elif len(sb) == 1:
        if sa[-1] == sb[0]:
            _check_shape(sa[:-1])
            check_work(_numel(sa), f"dot() of {list(sa)} and {list(sb)}")
    elif sa[-1] == sb[-2]:
        shape = sa[:-1] + sb[:-2] + sb[-1:]
        _check_shape(shape)
        check_work(_numel(shape) * sa[-1], f"dot() of {list(sa)} and {list(sb)}")
    return _run(np.dot, x, y)


def vdot(a, b):
    return _run(np.vdot, _data(a, "vdot()"), _data(b, "vdot()"))


def inner(a, b, /):
    x, y = _data(a, "inner()"), _data(b, "inner()")
    sa, sb = _shape_of(x), _shape_of(y)
    if not sa or not sb:
        _broadcast(x, y)
    elif sa[-1] == sb[-1]:
        shape = sa[:-1] + sb[:-1]
        _check_shape(shape)
        check_work(_numel(shape) * sa[-1], f"inner() of {list(sa)} and {list(sb)}")
    return _run(np.inner, x, y)


def outer(a, b):
    x, y = _data(a, "outer()"), _data(b, "outer()")
    _check_shape((int(np.size(x)), int(np.size(y))))
    return _run(np.outer, x, y)


def diag(v, k=0):
    x = _data(v, "diag()")
    k = _int(k)
    if np.ndim(x) == 1:
        n = int(np.size(x)) + abs(k)
        _check_shape((n, n))
    return _run(np.diag, x, k)


def trace(a, offset=0, axis1=0, axis2=1, dtype=None):
    return _run(np.trace, _data(a, "trace()"), _int(offset), _int(axis1), _int(axis2),
                dtype=_dtype(dtype))


def _square_work(x, what: str) -> None:
    s = _shape_of(x)
    if len(s) >= 2:
        check_work(_numel(s[:-2]) * s[-1] * s[-1] * s[-1], f"{what} of {list(s)}")


def _linalg(fn, name: str):
    def call(a):
        x = _data(a, name + "()")
        _square_work(x, name + "()")
        return _run(fn, x)
    return NumpyFunction(name, call)


def norm(x, ord=None, axis=None, keepdims=False):
    a = _data(x, "norm()")
    if ord is not None and not isinstance(ord, str):
        ord = _real(ord, "ord")
    return _run(np.linalg.norm, a, _option(ord, "ord") if isinstance(ord, str) else ord,
                axis=_axis(axis), keepdims=_flag(keepdims, "keepdims"))


def solve(a, b):
    x, y = _data(a, "solve()"), _data(b, "solve()")
    _square_work(x, "solve()")
    return _run(np.linalg.solve, x, y)


# ---- shape --------------------------------------------------------------------------------
def reshape(a, shape=None, /, *args, order="C"):
    x = _data(a, "reshape()")
    if args:
        shape = (shape,) + args
    if shape is None:
        raise TorchTypeError("reshape() missing required argument 'shape' (pos 2)")
    dims = shape if isinstance(shape, tuple | list) else (shape,)
    dims = tuple(_int(d) for d in dims)
    return _run(np.reshape, x, dims, order=_option(order, "order"))


def transpose(a, axes=None):
    return _run(np.transpose, _data(a, "transpose()"), _axis(axes))


def squeeze(a, axis=None):
    return _run(np.squeeze, _data(a, "squeeze()"), axis=_axis(axis))


def expand_dims(a, axis):
    return _run(np.expand_dims, _data(a, "expand_dims()"), _axis(axis))


def ravel(a):
    return _run(np.ravel, _data(a, "ravel()"))


def swapaxes(a, axis1, axis2):
    return _run(np.swapaxes, _data(a, "swapaxes()"), _int(axis1), _int(axis2))


def flip(m, axis=None):
    return _run(np.flip, _data(m, "flip()"), _axis(axis))


def sort(a, axis=-1, kind=None):
    return _run(np.sort, _data(a, "sort()"), axis=_axis(axis), kind=_option(kind, "kind"))


def argsort(a, axis=-1, kind=None):
    return _run(np.argsort, _data(a, "argsort()"), axis=_axis(axis), kind=_option(kind, "kind"))


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None):
    return _run(np.unique, _data(ar, "unique()"), _flag(return_index, "return_index"),
                _flag(return_inverse, "return_inverse"), _flag(return_counts, "return_counts"),
                _axis(axis))


def shape(a):
    return _shape_of(_data(a, "shape()"))


def ndim(a):
    return len(_shape_of(_data(a, "ndim()")))


def size(a, axis=None):
    return _run(np.size, _data(a, "size()"), _axis(axis))


def repeat(a, repeats, axis=None):
    x = _data(a, "repeat()")
    r = _data(repeats, "repeats")
    ax = _axis(axis)
    shape = _shape_of(x) if ax is not None else (int(np.size(x)),)
    try:
        along = shape[ax if ax is not None else 0] if shape else 1
    except (IndexError, TypeError):
        along = None  # numpy reports the bad axis
    if along is not None:
        others = _numel(shape) // along if along else 0
        if np.ndim(r) == 0:
            n = _int(r[()] if isinstance(r, np.ndarray | np.generic) else r)
            total = max(n, 0) * along
        else:
            total = int(np.sum(np.maximum(r, 0), dtype=np.float64)) if np.size(r) else 0
        check_elements(total * others)
    return _run(np.repeat, x, r, axis=ax)


def tile(A, reps):
    x = _data(A, "tile()")
    reps = reps if isinstance(reps, tuple | list) else (reps,)
    reps = tuple(_int(r) for r in reps)
    s = _shape_of(x)
    d = max(len(s), len(reps))
    s = (1,) * (d - len(s)) + tuple(s)
    reps = (1,) * (d - len(reps)) + reps
    _check_shape(tuple(a * max(b, 0) for a, b in zip(s, reps, strict=True)))
    return _run(np.tile, x, reps)


def _fn(name, fn):
    if fn.__qualname__ != fn.__name__:  # a closure: name it as Python's errors should
        fn.__name__ = fn.__qualname__ = name
    return NumpyFunction(name, fn)


_SCALAR_TYPES = {
    "float16": np.float16, "float32": np.float32, "float64": np.float64,
    "int8": np.int8, "int16": np.int16, "int32": np.int32, "int64": np.int64,
    "uint8": np.uint8, "uint16": np.uint16, "uint32": np.uint32, "uint64": np.uint64,
    "bool_": np.bool_, "complex64": np.complex64, "complex128": np.complex128,
    "double": np.float64, "single": np.float32, "half": np.float16, "intp": np.intp,
    "longlong": np.longlong, "float_": np.float64, "int_": np.int_,
}
if hasattr(np, "bool"):
    _SCALAR_TYPES["bool"] = np.bool
_SCALAR_TYPES.pop("float_")  # removed in numpy 2

_ABSTRACT_TYPES = {"floating": np.floating, "integer": np.integer, "number": np.number,
                   "signedinteger": np.signedinteger, "unsignedinteger": np.unsignedinteger,
                   "generic": np.generic, "complexfloating": np.complexfloating}


def _abstract(tp):
    def make(*args, **kwargs):
        raise TorchTypeError(f"cannot create 'numpy.{tp.__name__}' instances")
    return NumpyType(tp, make)


def issubdtype(arg1, arg2):
    def conv(x):
        if isinstance(x, NumpyType):
            return x.type
        if isinstance(x, np.dtype):
            return x
        return _dtype(x)
    return _run(np.issubdtype, conv(arg1), conv(arg2))


# ---- more members: copies, statistics, splitting, triangles, indices, padding, counts,
# polynomials, interpolation, einsum, searching, printing --------------------------------


def copy(a, order="K"):
    return _run(np.copy, _data(a, "copy()"), order=_option(order, "order"))


def _kept_numel(shape, axis) -> int | None:
    """Elements left when ``axis`` (None, an int or a tuple) is reduced away; None when
    an axis is out of range (numpy reports it)."""
    if axis is None:
        return 1
    axes = axis if isinstance(axis, tuple) else (axis,)
    nd = len(shape)
    try:
        norm = {a + nd if a < 0 else a for a in axes}
    except TypeError:
        return None
    if any(not 0 <= a < nd for a in norm):
        return None
    return _numel(s for i, s in enumerate(shape) if i not in norm)


def _quantile(fn, name: str):
    def call(a, q, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False, *, weights=None):
        if out is not None:
            raise TorchTypeError(f"{name}(): 'out' is not supported by adcli")
        x, qq = _data(a, name + "()"), _data(q, "q")
        ax = _axis(axis)
        kept = _kept_numel(_shape_of(x), ax)
        if kept is not None:
            check_elements(int(np.size(qq)) * kept)
        w = None if weights is None else _data(weights, "weights")
        return _run(fn, x, qq, axis=ax, overwrite_input=_flag(overwrite_input,
                    "overwrite_input"), method=_option(method, "method"),
                    keepdims=_flag(keepdims, "keepdims"), weights=w)
    return call


def _vars_obs(x, rowvar: bool):
    """(variables, observations) of an argument of cov/corrcoef, as numpy reads it."""
    s = tuple(_shape_of(x))
    if len(s) > 2:
        return None
    s = (1,) * (2 - len(s)) + s
    if not rowvar and s[0] != 1:
        s = (s[1], s[0])
    return s


def _check_cov(x, y, rowvar: bool, what: str) -> None:
    sx = _vars_obs(x, rowvar)
    sy = None if y is None else _vars_obs(y, rowvar)
    if sx is None or (y is not None and sy is None):
        return  # numpy refuses more than 2 dimensions
    nvars = sx[0] + (sy[0] if sy is not None else 0)
    _check_shape((nvars, nvars))
    check_work(nvars * nvars * sx[1], f"{what} of {nvars:,} variables")


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *,
        dtype=None):
    x = _data(m, "cov()")
    yy = None if y is None else _data(y, "cov()")
    rowvar = _flag(rowvar, "rowvar")
    _check_cov(x, yy, rowvar, "cov()")
    if ddof is not None:
        ddof = _int(ddof)
    fw = None if fweights is None else _data(fweights, "fweights")
    aw = None if aweights is None else _data(aweights, "aweights")
    return _run(np.cov, x, yy, rowvar, _flag(bias, "bias"), ddof, fw, aw, dtype=_dtype(dtype))


def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    a = _data(x, "corrcoef()")
    b = None if y is None else _data(y, "corrcoef()")
    rowvar = _flag(rowvar, "rowvar")
    _check_cov(a, b, rowvar, "corrcoef()")
    return _run(np.corrcoef, a, b, rowvar, dtype=_dtype(dtype))


def diff(a, n=1, axis=-1, prepend=_NO_VALUE, append=_NO_VALUE):
    x = _data(a, "diff()")
    n = _int(n)
    ax = _int(axis)
    kw = {}
    for key, v in (("prepend", prepend), ("append", append)):
        if v is not _NO_VALUE:
            kw[key] = _data(v, key)
    s = tuple(_shape_of(x))
    if s and -len(s) <= ax < len(s) and n > 0:
        i = ax % len(s)
        others = _numel(s[:i] + s[i + 1:])
        along = s[i]
        for v in kw.values():  # a scalar is one step along the axis; an array its length
            nd = np.ndim(v)
            along += 1 if nd == 0 else (_shape_of(v)[i] if nd == len(s) else 0)
        check_elements(along * others)
        n = min(n, max(along, 1))  # past the length numpy makes the same empty result
        check_work(n * along * others, f"diff() of order {n} of {list(s)}")
    return _run(np.diff, x, n, ax, **kw)


def _pieces(x, sections, axis, what: str):
    """The argument of split(): a number of sections or a sequence of indices, with the
    count of pieces (one numpy object each) bounded as rows of a list are."""
    if isinstance(sections, bool | int | np.integer):
        count, arg = _int(sections), _int(sections)
    else:
        arg = _data(sections, "indices_or_sections")
        count = int(np.size(arg)) + 1
    bound = current().max_elements // 100
    if bound and count > bound:
        raise LimitError(f"{what} into {count:,} pieces is over the limit of {bound:,} (a "
                         "hundredth of --max-elements / ADCLI_MAX_ELEMENTS)")
    return arg


def split(ary, indices_or_sections, axis=0):
    x = _data(ary, "split()")
    return _run(np.split, x, _pieces(x, indices_or_sections, axis, "split()"), _int(axis))


def array_split(ary, indices_or_sections, axis=0):
    x = _data(ary, "array_split()")
    return _run(np.array_split, x, _pieces(x, indices_or_sections, axis, "array_split()"),
                _int(axis))


def _split_along(fn, name: str):
    def call(ary, indices_or_sections):
        x = _data(ary, name + "()")
        return _run(fn, x, _pieces(x, indices_or_sections, None, name + "()"))
    return call


def _triangle(fn, name: str):
    def call(m, k=0):
        x = _data(m, name + "()")
        s = _shape_of(x)
        if len(s) == 1:
            _check_shape((s[0], s[0]))
        return _run(fn, x, _int(k))
    return call


def _tri_indices(fn, name: str):
    def call(n, k=0, m=None):
        rows = _int(n)
        cols = rows if m is None else _int(m)
        _check_shape((max(rows, 0), max(cols, 0), 2))  # the mask, then two index arrays
        check_elements(max(rows, cols, 0))  # numpy makes arange(rows), arange(cols)
        return _run(fn, rows, _int(k), None if m is None else cols)
    return call


def _tri_indices_from(fn, name: str):
    def call(arr, k=0):
        x = _data(arr, name + "()")
        _check_shape(_shape_of(x) + (2,))
        return _run(fn, x, _int(k))
    return call


def _indices(fn, name: str):
    def call(a):
        x = _data(a, name + "()")
        _check_shape((int(np.size(x)), max(np.ndim(x), 1)))
        return _run(fn, x)
    return call



def pad(array, pad_width, mode="constant", **kwargs):
    x = _data(array, "pad()")
    if not isinstance(mode, str):
        raise TorchTypeError("pad(): adcli takes 'mode' as one of numpy's mode names, not "
                             f"'{_type_name(mode)}'")
    mode = _option(mode, "mode")
    pw = _data(pad_width, "pad_width")
    kw = {}
    for key, v in kwargs.items():
        if key == "reflect_type":
            kw[key] = _option(v, key)
        elif key in ("constant_values", "end_values", "stat_length"):
            kw[key] = v if v is None else _data(v, key)
        else:
            kw[key] = v if isinstance(v, _LEAVES) or v is None else _data(v, key)
    arr_pw = np.asarray(pw)
    s = _shape_of(x)
    if arr_pw.dtype.kind in "iu":
        try:
            widths = np.broadcast_to(arr_pw, (len(s), 2))
        except ValueError:
            widths = None  # numpy reports the shape
        if widths is not None and (widths >= 0).all():
            pairs = [(int(b), int(e)) for b, e in widths.tolist()]
            _check_shape(tuple(d + b + e for d, (b, e) in zip(s, pairs, strict=True)))
    if mode == "empty":  # numpy leaves the padding as memory held; zeros are one content
        mode, kw = "constant", {}
    return _run(np.pad, x, pw, mode, **kw)


def bincount(x, /, weights=None, minlength=0):
    a = _data(x, "bincount()")
    w = None if weights is None else _data(weights, "weights")
    minlength = _int(minlength)
    n = max(minlength, 0)
    if isinstance(a, np.ndarray | np.generic) and a.dtype.kind in "biuf" and a.size:
        top = np.max(a)
        if np.isfinite(top):
            n = max(n, int(top) + 1)
    elif isinstance(a, int) and not isinstance(a, bool):
        n = max(n, a + 1)
    check_elements(n, (n,))
    if isinstance(x, list | tuple) and a.dtype.kind == "f":
        a = a.tolist()  # numpy takes a list of integral floats (deprecated), not an array
    return _run(np.bincount, a, w, minlength)


def _histogram_args(a, bins, range, weights, name: str):  # noqa: A002 - numpy's name
    x = _data(a, name + "()")
    if isinstance(bins, str):
        raise TorchTypeError(f"{name}(): adcli takes 'bins' as a number of bins or a "
                             f"sequence of edges, not the estimator {bins[:_OPTION_MAX]!r}")
    if isinstance(bins, bool | int | np.integer):
        b = _int(bins)
        if b > 0:
            check_elements(b + 1, (b + 1,))
    else:
        b = _data(bins, "bins")
        check_work(int(np.size(x)) * max(int(np.size(b)), 1).bit_length(), name + "()")
    rng = None
    if range is not None:
        if not (isinstance(range, list | tuple) or (isinstance(range, np.ndarray)
                                                    and range.ndim == 1)):
            raise TorchTypeError(f"{name}(): 'range' must be a pair of numbers, not "
                                 f"'{_type_name(range)}'")
        rng = tuple(_real(v, "range") for v in range[:3])  # numpy refuses other than 2
    w = None if weights is None else _data(weights, "weights")
    return x, b, rng, w


def histogram(a, bins=10, range=None, density=None, weights=None):  # noqa: A002
    x, b, rng, w = _histogram_args(a, bins, range, weights, "histogram")
    dens = None if density is None else _flag(density, "density")
    return _run(np.histogram, x, b, rng, dens, w)


def histogram_bin_edges(a, bins=10, range=None, weights=None):  # noqa: A002
    x, b, rng, w = _histogram_args(a, bins, range, weights, "histogram_bin_edges")
    return _run(np.histogram_bin_edges, x, b, rng, w)


def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    xx, yy = _data(x, "polyfit()"), _data(y, "polyfit()")
    d = _int(deg)
    n = int(np.size(xx))
    cols = int(np.size(yy)) // n if n else 1
    if d >= 0:
        _check_shape((n, d + 1))
        _check_shape((d + 1, d + 1, max(cols, 1)))
        check_work(n * (d + 1) * (d + 1 + cols), f"polyfit() of degree {d} on {n:,} points")
    if rcond is not None:
        rcond = _real(rcond, "rcond")
    ww = None if w is None else _data(w, "w")
    cv = cov if isinstance(cov, str) and cov == "unscaled" else _flag(cov, "cov")
    return _run(np.polyfit, xx, yy, d, rcond, _flag(full, "full"), ww, cv)


def polyval(p, x):
    pp, xx = _data(p, "polyval()"), _data(x, "polyval()")
    sp = _shape_of(pp)
    row = _ShapeOnly(sp[1:]) if sp else pp
    _broadcast(xx, row)
    try:
        out = _numel(np.broadcast_shapes(_shape_of(xx), tuple(sp[1:])))
    except ValueError:
        out = 0
    check_work(out * (sp[0] if sp else 1), "polyval()")
    return _run(np.polyval, pp, xx)


def interp(x, xp, fp, left=None, right=None, period=None):
    a, b, c = _data(x, "interp()"), _data(xp, "interp()"), _data(fp, "interp()")
    lo = None if left is None else _number(left, "left")
    hi = None if right is None else _number(right, "right")
    per = None if period is None else _real(period, "period")
    return _run(np.interp, a, b, c, lo, hi, per)


def searchsorted(a, v, side="left", sorter=None):
    x, y = _data(a, "searchsorted()"), _data(v, "searchsorted()")
    srt = None if sorter is None else _data(sorter, "sorter")
    return _run(np.searchsorted, x, y, side=_option(side, "side"), sorter=srt)


def digitize(x, bins, right=False):
    return _run(np.digitize, _data(x, "digitize()"), _data(bins, "bins"),
                _flag(right, "right"))


def roll(a, shift, axis=None):
    x = _data(a, "roll()")
    if isinstance(shift, tuple | list):
        sh = tuple(_int(v) for v in shift)
    else:
        sh = _int(shift)
    return _run(np.roll, x, sh, _axis(axis))


def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    x, t = _data(element, "isin()"), _data(test_elements, "isin()")
    kind = _option(kind, "kind")
    if kind == "table" and np.size(t) and np.asarray(t).dtype.kind in "iu":
        span = int(np.max(t)) - int(np.min(t)) + 1
        check_elements(span, (span,))
    return _run(np.isin, x, t, _flag(assume_unique, "assume_unique"), _flag(invert, "invert"),
                kind=kind)


# einsum: numpy's naive loop visits every combination of the subscripts' sizes once
_EINSUM_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _einsum_sizes(subscripts: str, operands) -> tuple[int, int] | None:
    """(result elements, loop size) of einsum, or None where numpy will refuse the
    subscripts or the shapes itself."""
    spec = subscripts.replace(" ", "")
    inputs, arrow, output = spec.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(operands):
        return None
    sizes: dict[str, int] = {}
    ell_shapes = []
    for term, op in zip(terms, operands, strict=True):
        shape = tuple(_shape_of(op))
        if term.count("...") > 1:
            return None
        letters = term.replace("...", "")
        if any(ch not in _EINSUM_LETTERS for ch in letters):
            return None
        if "..." in term:
            n_ell = len(shape) - len(letters)
            if n_ell < 0:
                return None
            head, _, tail = term.partition("...")
            ell_shapes.append(shape[len(head):len(head) + n_ell])
            dims = list(zip(head, shape[:len(head)], strict=True)) + list(
                zip(tail, shape[len(head) + n_ell:], strict=True))
        else:
            if len(letters) != len(shape):
                return None
            dims = list(zip(letters, shape, strict=True))
        for ch, d in dims:
            if sizes.get(ch, 1) == 1:
                sizes[ch] = d
            elif d not in (1, sizes[ch]):
                return None
    try:
        ell = np.broadcast_shapes(*ell_shapes) if ell_shapes else ()
    except ValueError:
        return None
    if arrow:
        out_letters = output.replace("...", "")
        if any(ch not in sizes for ch in out_letters):
            return None
    else:
        counts = {}
        for ch in inputs.replace("...", "").replace(",", ""):
            counts[ch] = counts.get(ch, 0) + 1
        out_letters = [ch for ch in sorted(counts) if counts[ch] == 1]
    out = _numel(ell) * _numel(sizes[ch] for ch in out_letters)
    loop = _numel(ell) * _numel(sizes.values())
    return out, loop


def einsum(subscripts, *operands, out=None, optimize=False):
    if not isinstance(subscripts, str):
        raise TorchTypeError("einsum(): adcli takes the subscripts as a string first "
                             f"('ij,jk->ik'), not '{_type_name(subscripts)}'")
    if len(subscripts) > 256:
        raise TorchValueError("einsum(): the subscripts string is too long")
    if out is not None:
        raise TorchTypeError("einsum(): 'out' is not supported by adcli")
    if len(operands) > 32:
        raise TorchValueError("einsum(): too many operands")
    ops = [_data(o, "einsum()") for o in operands]
    if not (isinstance(optimize, bool) or (isinstance(optimize, str)
                                           and optimize in ("greedy", "optimal"))):
        raise TorchTypeError("einsum(): 'optimize' must be a bool, 'greedy' or 'optimal'")
    if optimize == "optimal" and len(ops) > 8:
        optimize = "greedy"  # the same contraction; 'optimal' searches exponentially
    sizes = _einsum_sizes(subscripts, ops)
    if sizes is None:  # a spelling this parser does not read: numpy's own reading of it
        try:
            from numpy._core.einsumfunc import _parse_einsum_input

            ins, outs, _ = _parse_einsum_input((subscripts, *ops))
            sizes = _einsum_sizes(f"{ins}->{outs}", ops)
        except Exception:  # noqa: BLE001 - numpy refuses the subscripts itself below
            sizes = None
    if sizes is not None:
        n_out, loop = sizes
        check_elements(n_out)
        check_work(loop, f"einsum({subscripts!r})")
    return _run(np.einsum, subscripts, *ops, optimize=optimize)


# printing: numpy's own print options (a session's: reset_printoptions() when one starts)
_DEFAULT_PRINTOPTIONS = {
    "edgeitems": 3, "threshold": 1000, "floatmode": "maxprec", "precision": 8,
    "suppress": False, "linewidth": 75, "nanstr": "nan", "infstr": "inf", "sign": "-",
    "formatter": None, "legacy": False, "override_repr": None,
}
_LEGACY = ("1.13", "1.21", "1.25", "2.1", "2.2")
_PRECISION_MAX = 16_000  # numpy's float formatting fails past about 16,380 digits
_TEXT_MAX = 1000
_FORMATTER_KEYS = ("bool", "int", "timedelta", "datetime", "float", "longfloat", "complexfloat",
                   "longcomplexfloat", "void", "numpystr", "object", "all", "int_kind",
                   "float_kind", "complex_kind", "str_kind", "str")


def reset_printoptions() -> None:
    """numpy's print options back to a fresh process's (a new session's numpy)."""
    np.set_printoptions(**_DEFAULT_PRINTOPTIONS)


def _text(v, name: str):
    if v is None or (isinstance(v, str) and len(v) <= _TEXT_MAX):
        return v
    if isinstance(v, str):
        raise TorchValueError(f"'{name}' is longer than adcli's limit of {_TEXT_MAX} characters")
    raise TorchTypeError(f"'{name}' must be a string, not '{_type_name(v)}'")


def _formatter(f):
    """A formatter dict whose values are str.format methods (``'{:.3f}'.format``): the
    library's own, so printing never calls back into a script's code."""
    if f is None:
        return None
    if not isinstance(f, dict):
        raise TorchTypeError(f"'formatter' must be a dict, not '{_type_name(f)}'")
    from adcli.lang.pylib._common import BoundMethod

    out = {}
    for key, fn in f.items():
        if key not in _FORMATTER_KEYS:
            out[key] = None  # numpy ignores keys it does not know
            continue
        if not (isinstance(fn, BoundMethod) and fn._name == "format"
                and isinstance(fn._obj, str) and len(fn._obj) <= _TEXT_MAX):
            raise TorchTypeError("adcli's numpy takes a formatter's functions as str.format "
                                 "methods only ('{:.3f}'.format), not "
                                 f"'{_type_name(fn)}'")
        out[key] = fn
    return {k: v for k, v in out.items() if v is not None}


def _print_kw(precision=None, threshold=None, edgeitems=None, linewidth=None, suppress=None,
              nanstr=None, infstr=None, formatter=None, sign=None, floatmode=None,
              legacy=None) -> dict:
    kw = {}
    if precision is not None:
        if isinstance(precision, bool | int | np.integer) and not isinstance(precision, bool):
            if precision > _PRECISION_MAX:
                raise TorchValueError(f"precision {precision} is over adcli's limit of "
                                      f"{_PRECISION_MAX:,} digits")
        elif isinstance(precision, bool):
            pass
        else:
            raise TorchTypeError("precision must be an integer")
        kw["precision"] = precision
    for key, v in (("threshold", threshold), ("edgeitems", edgeitems),
                   ("linewidth", linewidth)):
        if v is not None:
            if not isinstance(v, bool | int | float | np.integer | np.floating):
                raise TorchTypeError(f"{key} must be numeric")
            kw[key] = v
    if suppress is not None:
        kw["suppress"] = _flag(suppress, "suppress")
    for key, v in (("nanstr", nanstr), ("infstr", infstr), ("sign", sign),
                   ("floatmode", floatmode)):
        if v is not None:
            kw[key] = _text(v, key)
    if formatter is not None:
        kw["formatter"] = _formatter(formatter)
    if legacy is not None:
        if legacy is not False and not (isinstance(legacy, str) and legacy in _LEGACY):
            raise TorchValueError("legacy printing option can currently only be '1.13', "
                                  "'1.21', '1.25', '2.1', '2.2' or `False`")
        kw["legacy"] = legacy
    return kw


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     suppress=None, nanstr=None, infstr=None, formatter=None, sign=None,
                     floatmode=None, *, legacy=None, override_repr=None):
    if override_repr is not None:
        raise TorchTypeError("set_printoptions(): 'override_repr' is not supported by adcli")
    kw = _print_kw(precision, threshold, edgeitems, linewidth, suppress, nanstr, infstr,
                   formatter, sign, floatmode, legacy)
    _run(np.set_printoptions, **kw)


def get_printoptions():
    return _run(np.get_printoptions)


class _PrintOptionsManager:
    """``with np.printoptions(precision=3):``: the options for the block, then the
    previous ones back; ``as`` binds the options in force (numpy's dict)."""

    __adcli_public__ = ()
    __slots__ = ("_kw", "_saved")

    def __init__(self, kw: dict) -> None:
        self._kw = kw
        self._saved = None

    def __enter__(self):
        self._saved = np.get_printoptions()
        set_printoptions(**self._kw)
        return get_printoptions()

    def __exit__(self, *exc):
        np.set_printoptions(**self._saved)
        return False

    def __repr__(self) -> str:
        return f"<contextlib._GeneratorContextManager object at 0x{id(self):x}>"


def printoptions(*args, **kwargs):
    names = ("precision", "threshold", "edgeitems", "linewidth", "suppress", "nanstr",
             "infstr", "formatter", "sign", "floatmode")
    if len(args) > len(names):
        raise TorchTypeError(f"set_printoptions() takes from 0 to {len(names)} positional "
                             f"arguments but {len(args)} were given")
    kw = dict(zip(names, args, strict=False))
    for key in kwargs:
        if key not in names + ("legacy", "override_repr") or key in kw:
            raise TorchTypeError(f"set_printoptions() got an unexpected keyword argument "
                                 f"'{key}'")
    kw.update(kwargs)
    return _PrintOptionsManager(kw)


def array2string(a, max_line_width=None, precision=None, suppress_small=None, separator=" ",
                 prefix="", *, formatter=None, threshold=None, edgeitems=None, sign=None,
                 floatmode=None, suffix="", legacy=None):
    x = _data(a, "array2string()")
    if isinstance(a, list | tuple | bool | int | float | complex):  # numpy reads a.size
        raise TorchAttributeError(f"'{type(a).__name__}' object has no attribute 'size'")
    kw = _print_kw(precision, threshold, edgeitems, max_line_width, suppress_small, None,
                   None, formatter, sign, floatmode, legacy)
    if "linewidth" in kw:
        kw["max_line_width"] = kw.pop("linewidth")
    if "suppress" in kw:
        kw["suppress_small"] = kw.pop("suppress")
    return _run(np.array2string, x, separator=_text(separator, "separator"),
                prefix=_text(prefix, "prefix"), suffix=_text(suffix, "suffix"), **kw)


def _array_text(fn, name: str):
    def call(a, max_line_width=None, precision=None, suppress_small=None):
        x = _data(a, name + "()")
        kw = _print_kw(precision, None, None, max_line_width, suppress_small)
        return _run(fn, x, kw.get("linewidth"), kw.get("precision"), kw.get("suppress"))
    return call


def _more_funcs() -> dict:
    return {
        "copy": copy, "percentile": _quantile(np.percentile, "percentile"),
        "quantile": _quantile(np.quantile, "quantile"), "cov": cov, "corrcoef": corrcoef,
        "diff": diff, "split": split, "array_split": array_split,
        "hsplit": _split_along(np.hsplit, "hsplit"), "vsplit": _split_along(np.vsplit, "vsplit"),
        "dsplit": _split_along(np.dsplit, "dsplit"), "triu": _triangle(np.triu, "triu"),
        "tril": _triangle(np.tril, "tril"),
        "triu_indices": _tri_indices(np.triu_indices, "triu_indices"),
        "tril_indices": _tri_indices(np.tril_indices, "tril_indices"),
        "triu_indices_from": _tri_indices_from(np.triu_indices_from, "triu_indices_from"),
        "tril_indices_from": _tri_indices_from(np.tril_indices_from, "tril_indices_from"),
        "nonzero": _indices(np.nonzero, "nonzero"), "argwhere": _indices(np.argwhere, "argwhere"),
        "flatnonzero": _indices(np.flatnonzero, "flatnonzero"), "pad": pad,
        "bincount": bincount, "histogram": histogram, "polyfit": polyfit, "polyval": polyval,
        "interp": interp, "einsum": einsum, "searchsorted": searchsorted,
        "digitize": digitize, "roll": roll, "isin": isin,
        "set_printoptions": set_printoptions, "get_printoptions": get_printoptions,
        "printoptions": printoptions, "array2string": array2string,
        "array_str": _array_text(np.array_str, "array_str"),
        "array_repr": _array_text(np.array_repr, "array_repr"),
    }


# ---- more: nan-reductions, shape helpers, set operations, products, linear algebra ------
def nanmedian(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    if out is not None:
        raise TorchTypeError("nanmedian(): 'out' is not supported by adcli")
    return _run(np.nanmedian, _data(a, "nanmedian()"), axis=_axis(axis),
                overwrite_input=_flag(overwrite_input, "overwrite_input"),
                keepdims=_flag(keepdims, "keepdims"))


def _atleast(fn, name: str):
    def call(*arys):
        if len(arys) > 64:
            raise TorchValueError(f"{name}(): too many arrays")
        return _run(fn, *(_data(a, name + "()") for a in arys))
    return call


def fliplr(m):
    return _run(np.fliplr, _data(m, "fliplr()"))


def flipud(m):
    return _run(np.flipud, _data(m, "flipud()"))


def rot90(m, k=1, axes=(0, 1)):
    return _run(np.rot90, _data(m, "rot90()"), _int(k), _axis(axes))


def moveaxis(a, source, destination):
    return _run(np.moveaxis, _data(a, "moveaxis()"), _axis(source), _axis(destination))


def broadcast_to(array, shape):
    return _run(np.broadcast_to, _data(array, "broadcast_to()"), _shape(shape))


def broadcast_arrays(*args):
    if len(args) > 64:
        raise TorchValueError("broadcast_arrays(): too many arrays")
    arrays = [_data(a, "broadcast_arrays()") for a in args]
    _broadcast(*arrays)
    return _run(np.broadcast_arrays, *arrays)


def take(a, indices, axis=None, out=None, mode="raise"):
    if out is not None:
        raise TorchTypeError("take(): 'out' is not supported by adcli")
    x, idx = _data(a, "take()"), _data(indices, "indices")
    ax = None if axis is None else _int(axis)
    s = tuple(_shape_of(x))
    n = int(np.size(idx))
    if ax is not None and -len(s) <= ax < len(s):
        i = ax % len(s)
        n *= _numel(s[:i] + s[i + 1:])
    check_elements(n)
    return _run(np.take, x, idx, ax, mode=_option(mode, "mode"))


def take_along_axis(arr, indices, axis=-1):
    x, idx = _data(arr, "take_along_axis()"), _data(indices, "indices")
    ax = None if axis is None else _int(axis)
    s, si = tuple(_shape_of(x)), tuple(_shape_of(idx))
    if ax is not None and len(s) == len(si) and -len(s) <= ax < len(s):
        i = ax % len(s)
        _broadcast(_ShapeOnly(s[:i] + (1,) + s[i + 1:]), _ShapeOnly(si))
    return _run(np.take_along_axis, x, idx, ax)


def append(arr, values, axis=None):
    x, v = _data(arr, "append()"), _data(values, "values")
    check_elements(int(np.size(x)) + int(np.size(v)))
    return _run(np.append, x, v, _axis(axis) if axis is not None else None)


def delete(arr, obj, axis=None):
    x = _data(arr, "delete()")
    o = obj if isinstance(obj, slice) else _data(obj, "obj")
    return _run(np.delete, x, o, None if axis is None else _int(axis))


def _convolution(fn, name: str):
    def call(a, v, mode="full" if name == "convolve" else "valid"):
        x, y = _data(a, name + "()"), _data(v, name + "()")
        n, m = int(np.size(x)), int(np.size(y))
        check_elements(n + m)
        check_work(n * m, f"{name}() of {n:,} and {m:,} values")
        return _run(fn, x, y, _option(mode, "mode"))
    return call


def tensordot(a, b, axes=2):
    x, y = _data(a, "tensordot()"), _data(b, "tensordot()")
    sa, sb = tuple(_shape_of(x)), tuple(_shape_of(y))
    if isinstance(axes, bool | int | np.integer):
        n = _int(axes)
        if n > max(len(sa), len(sb)):  # numpy's error, without its list of n axes
            raise TorchIndexError("tuple index out of range")
        axes_a, axes_b = list(range(-n, 0)), list(range(n))
        arg = n
    elif isinstance(axes, list | tuple) and len(axes) == 2:
        def seq(v):
            return [_int(i) for i in v] if isinstance(v, list | tuple) else [_int(v)]
        axes_a, axes_b = seq(axes[0]), seq(axes[1])
        arg = (axes_a, axes_b)
    else:
        raise TorchTypeError("tensordot(): 'axes' must be an int or a pair of axis sequences")
    if len(axes_a) == len(axes_b) and all(-len(sa) <= i < len(sa) for i in axes_a) and all(
            -len(sb) <= i < len(sb) for i in axes_b):
        ia, ib = {i % len(sa) for i in axes_a} if sa else set(), {
            i % len(sb) for i in axes_b} if sb else set()
        if all(sa[i] == sb[j] for i, j in zip(axes_a, axes_b, strict=True)):
            inner_n = _numel(sa[i] for i in ia)
            out = [d for k, d in enumerate(sa) if k not in ia] + [
                d for k, d in enumerate(sb) if k not in ib]
            _check_shape(out)
            check_work(_numel(out) * inner_n, f"tensordot() of {list(sa)} and {list(sb)}")
    return _run(np.tensordot, x, y, arg)


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    x, y = _data(a, "cross()"), _data(b, "cross()")
    _broadcast(x, y)
    return _run(np.cross, x, y, _int(axisa), _int(axisb), _int(axisc),
                None if axis is None else _int(axis))


def kron(a, b):
    x, y = _data(a, "kron()"), _data(b, "kron()")
    check_elements(int(np.size(x)) * int(np.size(y)))
    return _run(np.kron, x, y)


def tri(N, M=None, k=0, dtype=float):
    n = _int(N)
    m = n if M is None else _int(M)
    _check_shape((max(n, 0), max(m, 0)))
    check_elements(max(n, m, 0))  # numpy makes arange(N), arange(M)
    return _run(np.tri, n, m, _int(k), dtype=_dtype(dtype))


def diagflat(v, k=0):
    x = _data(v, "diagflat()")
    k = _int(k)
    n = int(np.size(x)) + abs(k)
    _check_shape((n, n))
    return _run(np.diagflat, x, k)


def fill_diagonal(a, val, wrap=False):
    if type(a) is not np.ndarray:
        raise TorchTypeError("fill_diagonal(): the array must be a numpy array")
    _check_array_dtype(a.dtype)
    _run(np.fill_diagonal, a, _data(val, "val"), _flag(wrap, "wrap"))


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    return _run(np.nan_to_num, _data(x, "nan_to_num()"), _flag(copy, "copy"),
                _real(nan, "nan"), None if posinf is None else _real(posinf, "posinf"),
                None if neginf is None else _real(neginf, "neginf"))


def unravel_index(indices, shape, order="C"):
    return _run(np.unravel_index, _data(indices, "indices"), _shape(shape),
                _option(order, "order"))


def isscalar(element):
    return isinstance(element, np.generic) or type(element) in (int, float, complex, bool,
                                                                 str, bytes)


def _complex_part(fn, name: str):
    def call(val):
        return _run(fn, _data(val, name + "()"))
    return call


def angle(z, deg=False):
    return _run(np.angle, _data(z, "angle()"), _flag(deg, "deg"))


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    return _run(np.intersect1d, _data(ar1, "intersect1d()"), _data(ar2, "intersect1d()"),
                _flag(assume_unique, "assume_unique"), _flag(return_indices, "return_indices"))


def union1d(ar1, ar2):
    return _run(np.union1d, _data(ar1, "union1d()"), _data(ar2, "union1d()"))


def setdiff1d(ar1, ar2, assume_unique=False):
    return _run(np.setdiff1d, _data(ar1, "setdiff1d()"), _data(ar2, "setdiff1d()"),
                _flag(assume_unique, "assume_unique"))


def dstack(tup):
    return _run(np.dstack, _sequence(tup, "dstack()"))


def ediff1d(ary, to_end=None, to_begin=None):
    x = _data(ary, "ediff1d()")
    end = None if to_end is None else _data(to_end, "to_end")
    begin = None if to_begin is None else _data(to_begin, "to_begin")
    return _run(np.ediff1d, x, end, begin)


def _more_funcs2() -> dict:
    table = {
        "nanmedian": nanmedian,
        "nanpercentile": _quantile(np.nanpercentile, "nanpercentile"),
        "nanquantile": _quantile(np.nanquantile, "nanquantile"),
        "atleast_1d": _atleast(np.atleast_1d, "atleast_1d"),
        "atleast_2d": _atleast(np.atleast_2d, "atleast_2d"),
        "atleast_3d": _atleast(np.atleast_3d, "atleast_3d"), "fliplr": fliplr,
        "flipud": flipud, "rot90": rot90, "moveaxis": moveaxis, "broadcast_to": broadcast_to,
        "broadcast_arrays": broadcast_arrays, "take": take, "take_along_axis": take_along_axis,
        "append": append, "delete": delete,
        "convolve": _convolution(np.convolve, "convolve"),
        "correlate": _convolution(np.correlate, "correlate"), "tensordot": tensordot,
        "cross": cross, "kron": kron, "tri": tri, "diagflat": diagflat,
        "fill_diagonal": fill_diagonal, "nan_to_num": nan_to_num,
        "unravel_index": unravel_index, "isscalar": isscalar,
        "real": _complex_part(np.real, "real"), "imag": _complex_part(np.imag, "imag"),
        "angle": angle, "intersect1d": intersect1d, "union1d": union1d,
        "setdiff1d": setdiff1d, "dstack": dstack, "ediff1d": ediff1d,
    }
    for name in ("nansum", "nanprod", "nanmean"):
        table[name] = _reduction(getattr(np, name), name)
    for name in ("nanstd", "nanvar"):
        table[name] = _reduction(getattr(np, name), name, ddof=True)
    for name in ("nanmax", "nanmin", "nanargmax", "nanargmin"):
        table[name] = _reduction(getattr(np, name), name, dtype=False)
    return table


# linear algebra beyond inv/det/solve: each checked against the work bound (n^3 for a
# square matrix, m*n*min(m, n) for svd/qr/pinv) and its results against the element bound
def _mn(x):
    s = tuple(_shape_of(x))
    if len(s) < 2:
        return None
    return _numel(s[:-2]), s[-2], s[-1]


def _svd_work(x, what: str, full: bool = False) -> None:
    dims = _mn(x)
    if dims is None:
        return
    b, m, n = dims
    check_work(b * m * n * max(min(m, n), 1), f"{what} of {list(_shape_of(x))}")
    if full:
        _check_shape((b, m * m + n * n))


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    x = _data(a, "svd()")
    full = _flag(full_matrices, "full_matrices")
    uv = _flag(compute_uv, "compute_uv")
    _svd_work(x, "svd()", full and uv)
    return _run(np.linalg.svd, x, full, uv, _flag(hermitian, "hermitian"))


def qr(a, mode="reduced"):
    x = _data(a, "qr()")
    mode = _option(mode, "mode")
    _svd_work(x, "qr()", mode == "complete")
    return _run(np.linalg.qr, x, mode)


def pinv(a, rcond=None, hermitian=False, *, rtol=_NO_VALUE):
    x = _data(a, "pinv()")
    _svd_work(x, "pinv()")
    kw = {} if rtol is _NO_VALUE else {"rtol": None if rtol is None else _number(rtol, "rtol")}
    rc = None if rcond is None else _number(rcond, "rcond")
    return _run(np.linalg.pinv, x, rc, _flag(hermitian, "hermitian"), **kw)


def _eigh(fn, name: str):
    def call(a, UPLO="L"):  # noqa: N803 - numpy's name
        x = _data(a, name + "()")
        _square_work(x, name + "()")
        return _run(fn, x, _option(UPLO, "UPLO"))
    return call


def cholesky(a, /, *, upper=False):
    x = _data(a, "cholesky()")
    _square_work(x, "cholesky()")
    return _run(np.linalg.cholesky, x, upper=_flag(upper, "upper"))


def matrix_power(a, n):
    x = _data(a, "matrix_power()")
    n = _int(n)
    s = tuple(_shape_of(x))
    if len(s) >= 2:
        steps = 2 * max(abs(n).bit_length(), 1) + (n < 0)
        check_work(_numel(s[:-2]) * s[-1] ** 3 * steps, f"matrix_power() of {list(s)}")
    return _run(np.linalg.matrix_power, x, n)


def cond(x, p=None):
    a = _data(x, "cond()")
    _svd_work(a, "cond()")
    if p is not None and not isinstance(p, str):
        p = _real(p, "p")
    return _run(np.linalg.cond, a, _option(p, "p") if isinstance(p, str) else p)


def multi_dot(arrays, *, out=None):
    if out is not None:
        raise TorchTypeError("multi_dot(): 'out' is not supported by adcli")
    if not isinstance(arrays, list | tuple):
        raise TorchTypeError("multi_dot(): expected a list of arrays")
    if len(arrays) > 64:
        raise TorchValueError("multi_dot(): too many arrays")
    items = [_data(a, "multi_dot()") for a in arrays]
    shapes = [tuple(_shape_of(a)) for a in items]
    if len(items) >= 2 and all(len(s) == 2 for s in shapes[1:-1]) and 1 <= len(
            shapes[0]) <= 2 and 1 <= len(shapes[-1]) <= 2:
        dims = [shapes[0][0] if len(shapes[0]) == 2 else 1]
        dims += [s[-1] if len(s) == 2 else s[0] for s in shapes[:-1]]
        dims.append(shapes[-1][-1] if len(shapes[-1]) == 2 else 1)
        k = len(items)
        cost = [[0] * k for _ in range(k)]  # the matrix-chain order numpy computes
        split = [[0] * k for _ in range(k)]
        for length in range(1, k):
            for i in range(k - length):
                j = i + length
                cost[i][j], split[i][j] = min((cost[i][m] + cost[m + 1][j] + dims[i]
                                               * dims[m + 1] * dims[j + 1], m)
                                              for m in range(i, j))
        check_work(cost[0][k - 1], f"multi_dot() of {k} arrays")
        stack = [(0, k - 1)]
        while stack:  # each product in that order is a dims[i] x dims[j + 1] matrix
            i, j = stack.pop()
            if i < j:
                check_elements(dims[i] * dims[j + 1])
                stack += [(i, split[i][j]), (split[i][j] + 1, j)]
    return _run(np.linalg.multi_dot, items)


def _more_linalg() -> dict:
    return {
        "svd": _fn("svd", svd), "qr": _fn("qr", qr), "pinv": _fn("pinv", pinv),
        "eig": _linalg(np.linalg.eig, "eig"), "eigvals": _linalg(np.linalg.eigvals, "eigvals"),
        "eigh": _fn("eigh", _eigh(np.linalg.eigh, "eigh")),
        "eigvalsh": _fn("eigvalsh", _eigh(np.linalg.eigvalsh, "eigvalsh")),
        "cholesky": _fn("cholesky", cholesky), "slogdet": _linalg(np.linalg.slogdet, "slogdet"),
        "matrix_power": _fn("matrix_power", matrix_power), "cond": _fn("cond", cond),
        "multi_dot": _fn("multi_dot", multi_dot),
    }


def _finfo(dtype):
    d = dtype if isinstance(dtype, np.ndarray | np.generic | float | int | complex) else \
        _dtype(dtype)
    return _run(np.finfo, d)


def _iinfo(int_type):
    d = int_type if isinstance(int_type, np.ndarray | np.generic | int) else _dtype(int_type)
    return _run(np.iinfo, d)


FINFO_ACCESSORS: dict = {name: _op.attrgetter(name) for name in (
    "bits", "dtype", "eps", "epsneg", "iexp", "machep", "max", "maxexp", "min", "minexp",
    "negep", "nexp", "nmant", "precision", "resolution", "smallest_normal",
    "smallest_subnormal", "tiny")}
IINFO_ACCESSORS: dict = {name: _op.attrgetter(name) for name in (
    "bits", "dtype", "kind", "max", "min")}


def _partition(fn, name: str):
    def call(a, kth, axis=-1, kind="introselect", order=None):
        if order is not None:
            raise TorchTypeError(f"{name}(): 'order' (structured arrays) is not supported by "
                                 "adcli")
        return _run(fn, _data(a, name + "()"), _data(kth, "kth"),
                    None if axis is None else _int(axis), _option(kind, "kind"))
    return call


def gradient(f, *varargs, axis=None, edge_order=1):
    x = _data(f, "gradient()")
    if len(varargs) > 64:
        raise TorchValueError("gradient(): too many spacings")
    spacing = [_data(v, "varargs") for v in varargs]
    check_elements(int(np.size(x)) * max(np.ndim(x), 1))
    return _run(np.gradient, x, *spacing, axis=_axis(axis), edge_order=_int(edge_order))


def trapezoid(y, x=None, dx=1.0, axis=-1):
    yy = _data(y, "trapezoid()")
    xx = None if x is None else _data(x, "x")
    if xx is not None:
        _broadcast(yy, xx)
    return _run(np.trapezoid, yy, xx, _number(dx, "dx"), _int(axis))


def sinc(x):
    return _run(np.sinc, _data(x, "sinc()"))


def indices(dimensions, dtype=int, sparse=False):
    dims = _shape(dimensions)
    sparse = _flag(sparse, "sparse")
    if not sparse:
        check_elements(len(dims) * _numel(dims))
    check_elements(sum(dims))  # numpy makes arange(d) for each dimension
    return _run(np.indices, dims, dtype=_dtype(dtype), sparse=sparse)


def _more_funcs3() -> dict:
    return {
        "argpartition": _partition(np.argpartition, "argpartition"),
        "partition": _partition(np.partition, "partition"), "gradient": gradient,
        "trapezoid": trapezoid, "sinc": sinc, "indices": indices,
        "histogram_bin_edges": histogram_bin_edges,
    }


# ---- index tricks: np.mgrid, np.ogrid, np.r_, np.c_, np.s_, np.index_exp --------------
_GRID_NUMBERS = (bool, int, float, complex, np.integer, np.floating, np.complexfloating)


def _grid_length(sl: slice) -> int | None:
    """How many values numpy's mgrid/r_ makes of ``start:stop:step`` (a complex step is a
    count of points, as in linspace); None where numpy will refuse the slice itself."""
    for part in (sl.start, sl.stop, sl.step):
        if part is not None and not isinstance(part, _GRID_NUMBERS):
            raise TorchTypeError("adcli's numpy index tricks take slices of numbers, not "
                                 f"'{_type_name(part)}'")
    start = 0 if sl.start is None else sl.start
    step = 1 if sl.step is None else sl.step
    try:
        if isinstance(step, complex | np.complexfloating):
            return int(abs(step))
        return max(_math.ceil((sl.stop - start) / (step * 1.0)), 0)
    except (TypeError, ZeroDivisionError, OverflowError, ValueError):
        return None


def _grid_key(key) -> list:
    items = list(key) if isinstance(key, tuple) else [key]
    if len(items) > 64:
        raise TorchValueError("too many dimensions for a grid")
    return items


class _GridClass:
    """``np.mgrid[...]`` and ``np.ogrid[...]``: dense or open grids from slices of numbers,
    their size checked against the element bound before numpy makes them."""

    __adcli_public__ = ()
    __slots__ = ("_sparse", "_impl")

    def __init__(self, impl, sparse: bool) -> None:
        self._impl, self._sparse = impl, sparse

    def __getitem__(self, key):
        items = _grid_key(key)
        sizes = []
        for item in items:
            if not isinstance(item, slice):
                raise TorchTypeError("adcli's np.mgrid/np.ogrid take slices (np.mgrid[0:5, "
                                     f"0:1:5j]), not '{_type_name(item)}'")
            n = _grid_length(item)
            if n is not None:
                check_elements(n, (n,))
                sizes.append(n)
        if len(sizes) == len(items):
            total = sum(sizes) if self._sparse else _numel(sizes) * (
                len(sizes) if isinstance(key, tuple) else 1)
            check_elements(total)
        return _run(self._impl.__getitem__, key)

    def __repr__(self) -> str:
        name = "OGridClass" if self._sparse else "MGridClass"
        return f"<numpy.lib._index_tricks_impl.{name} object at 0x{id(self):x}>"


class _ConcatClass:
    """``np.r_[...]`` and ``np.c_[...]``: slices, arrays and numbers concatenated, each
    piece checked as an array argument and the total against the element bound."""

    __adcli_public__ = ()
    __slots__ = ("_impl", "_name")

    def __init__(self, impl, name: str) -> None:
        self._impl, self._name = impl, name

    def __getitem__(self, key):
        items = _grid_key(key)
        total, args = 0, []
        for k, item in enumerate(items):
            if isinstance(item, slice):
                n = _grid_length(item)
                if n is not None:
                    check_elements(n, (n,))
                    total += n
                args.append(item)
            elif isinstance(item, str):
                if k != 0:
                    raise TorchValueError("special directives must be the first entry.")
                if len(item) > _OPTION_MAX or item in ("r", "c"):
                    raise TorchValueError(f"adcli's np.{self._name} takes a directive of "
                                          "numbers ('0,2,1') as its first entry only (no "
                                          "matrix 'r'/'c')")
                args.append(item)
            else:
                arr = _data(item, f"np.{self._name}[]")
                total += int(np.size(arr))
                args.append(arr)
        check_elements(total)
        return _run(self._impl.__getitem__, tuple(args) if isinstance(key, tuple) else args[0])

    def __repr__(self) -> str:
        cls = "RClass" if self._name == "r_" else "CClass"
        return f"<numpy.lib._index_tricks_impl.{cls} object at 0x{id(self):x}>"


class _IndexExpression:
    """``np.s_[...]`` and ``np.index_exp[...]``: the key itself (a slice or a tuple)."""

    __adcli_public__ = ()
    __slots__ = ("_tuple",)

    def __init__(self, maketuple: bool) -> None:
        self._tuple = maketuple

    def __getitem__(self, item):
        if self._tuple and not isinstance(item, tuple):
            return (item,)
        return item

    def __repr__(self) -> str:
        return f"<numpy.lib._index_tricks_impl.IndexExpression object at 0x{id(self):x}>"


INDEX_TRICKS = {
    "mgrid": _GridClass(np.mgrid, False), "ogrid": _GridClass(np.ogrid, True),
    "r_": _ConcatClass(np.r_, "r_"), "c_": _ConcatClass(np.c_, "c_"),
    "s_": _IndexExpression(False), "index_exp": _IndexExpression(True),
}


def _funcs() -> dict:
    table: dict = {}
    for name in UNARY_UFUNCS + BINARY_UFUNCS + INTEGER_UFUNCS:
        table[name] = _ufunc(getattr(np, name))
    table["conj"] = table["conjugate"]
    plain = {
        "array": array, "asarray": asarray, "zeros": zeros, "ones": ones, "empty": empty,
        "full": full, "zeros_like": zeros_like, "ones_like": ones_like,
        "empty_like": empty_like, "full_like": full_like, "eye": eye, "identity": identity,
        "arange": arange, "linspace": linspace, "logspace": logspace, "meshgrid": meshgrid,
        "concatenate": concatenate, "stack": stack, "vstack": vstack, "hstack": hstack,
        "column_stack": column_stack, "where": where, "clip": clip, "round": round_,
        "around": round_, "allclose": _pair(np.allclose, "allclose()"),
        "isclose": _pair(np.isclose, "isclose()"), "array_equal": array_equal,
        "count_nonzero": count_nonzero, "average": average, "median": median,
        "matmul": matmul, "dot": dot, "vdot": vdot, "inner": inner, "outer": outer,
        "diag": diag, "trace": trace, "reshape": reshape, "transpose": transpose,
        "squeeze": squeeze, "expand_dims": expand_dims, "ravel": ravel,
        "swapaxes": swapaxes, "flip": flip, "sort": sort, "argsort": argsort,
        "unique": unique, "shape": shape, "ndim": ndim, "size": size, "repeat": repeat,
        "tile": tile, "issubdtype": issubdtype,
    }
    plain.update(_more_funcs())
    plain.update(_more_funcs2())
    plain.update(_more_funcs3())
    for name, fn in plain.items():
        table[name] = _fn(name, fn)
    for name in ("sum", "prod", "mean"):
        table[name] = _fn(name, _reduction(getattr(np, name), name))
    for name in ("std", "var"):
        table[name] = _fn(name, _reduction(getattr(np, name), name, ddof=True))
    for name in ("max", "min", "amax", "amin", "all", "any", "ptp"):
        table[name] = _fn(name, _reduction(getattr(np, name), name, dtype=False))
    for name in ("argmax", "argmin"):
        table[name] = _fn(name, _reduction(getattr(np, name), name, dtype=False))
    for name in ("cumsum", "cumprod"):
        table[name] = _fn(name, _reduction(getattr(np, name), name, keepdims=False))
    for name, tp in _SCALAR_TYPES.items():
        table[name] = _scalar_type(tp)
    for name, tp in _ABSTRACT_TYPES.items():
        table[name] = _abstract(tp)
    table["ndarray"] = NumpyType(np.ndarray, _no_ndarray)
    table.update(INDEX_TRICKS)
    table["finfo"] = NumpyType(np.finfo, _finfo)
    table["iinfo"] = NumpyType(np.iinfo, _iinfo)
    table["dtype"] = NumpyType(np.dtype, _no_dtype_call)
    table.update(pi=np.pi, e=np.e, inf=np.inf, nan=np.nan, newaxis=None, euler_gamma=np.euler_gamma)
    return table


def lstsq(a, b, rcond=None):
    """``np.linalg.lstsq``: (solution, residuals, rank, singular values), numpy's own."""
    x, y = _data(a, "lstsq()"), _data(b, "lstsq()")
    s = _shape_of(x)
    if len(s) == 2:
        check_work(s[0] * s[1] * min(s), f"lstsq() of {list(s)}")
    if rcond is not None:
        rcond = _real(rcond, "rcond")
    return _run(np.linalg.lstsq, x, y, rcond=rcond)


NUMPY: dict = _funcs()

LINALG: dict = {
    "norm": _fn("norm", norm),
    "inv": _linalg(np.linalg.inv, "inv"),
    "det": _linalg(np.linalg.det, "det"),
    "solve": _fn("solve", solve),
    "matrix_rank": _linalg(np.linalg.matrix_rank, "matrix_rank"),
    "lstsq": _fn("lstsq", lstsq),
    **_more_linalg(),
}
NUMPY["linalg"] = NumpyNamespace("numpy.linalg", LINALG)


# ---- random -------------------------------------------------------------------------------
def _size(size):
    """A random ``size``: None, an int or a tuple of ints, checked against the bound."""
    return None if size is None else _shape(size)


def _check_params(size, *params) -> None:
    """Without a size, the result takes the broadcast shape of the array parameters."""
    if size is None:
        _broadcast(*params)


def _seed_value(seed):
    if seed is None or isinstance(seed, bool | int | np.integer):
        return seed
    if isinstance(seed, list | tuple | np.ndarray):
        return _data(seed, "seed")
    raise TorchTypeError(f"seed must be an integer or a sequence of integers, not "
                         f"'{_type_name(seed)}'")


def _random_methods(get) -> dict:
    """The methods that RandomState and Generator share, on the generator ``get()``."""

    def random(size=None):
        return _run(get().random, _size(size))

    def uniform(low=0.0, high=1.0, size=None):
        lo, hi = _number(low, "low"), _number(high, "high")
        s = _size(size)
        _check_params(s, lo, hi)
        return _run(get().uniform, lo, hi, s)

    def normal(loc=0.0, scale=1.0, size=None):
        lo, sc = _number(loc, "loc"), _number(scale, "scale")
        s = _size(size)
        _check_params(s, lo, sc)
        return _run(get().normal, lo, sc, s)

    def standard_normal(size=None):
        return _run(get().standard_normal, _size(size))

    def exponential(scale=1.0, size=None):
        sc = _number(scale, "scale")
        s = _size(size)
        _check_params(s, sc)
        return _run(get().exponential, sc, s)

    def binomial(n, p, size=None):
        nn, pp = _number(n, "n"), _number(p, "p")
        s = _size(size)
        _check_params(s, nn, pp)
        return _run(get().binomial, nn, pp, s)

    def poisson(lam=1.0, size=None):
        la = _number(lam, "lam")
        s = _size(size)
        _check_params(s, la)
        return _run(get().poisson, la, s)

    def choice(a, size=None, replace=True, p=None):
        if isinstance(a, bool | int | np.integer):
            pop = _int(a)
            src = pop
        else:
            src = _data(a, "choice()")
            pop = int(np.size(src))
        s = _size(size)
        rep = _flag(replace, "replace")
        if not rep and pop > 0:
            check_elements(pop, (pop,))  # numpy's legacy choice permutes the population
        pp = None if p is None else _data(p, "p")
        return _run(get().choice, src, s, rep, pp)

    def permutation(x):
        if isinstance(x, bool | int | np.integer):
            n = _int(x)
            if n > 0:
                check_elements(n, (n,))
            return _run(get().permutation, n)
        return _run(get().permutation, _data(x, "permutation()"))

    def shuffle(x):
        if not isinstance(x, np.ndarray):
            raise TorchTypeError("shuffle(): adcli shuffles numpy arrays only, not "
                                 f"'{_type_name(x)}' (use random.shuffle for lists)")
        _run(get().shuffle, x)

    def draw(name, size, *params):
        ps = [_number(p, name) for p in params]
        s = _size(size)
        _check_params(s, *ps)
        return _run(getattr(get(), name), *ps, s)

    def beta(a, b, size=None):
        return draw("beta", size, a, b)

    def gamma(shape, scale=1.0, size=None):
        return draw("gamma", size, shape, scale)

    def lognormal(mean=0.0, sigma=1.0, size=None):
        return draw("lognormal", size, mean, sigma)

    def laplace(loc=0.0, scale=1.0, size=None):
        return draw("laplace", size, loc, scale)

    def logistic(loc=0.0, scale=1.0, size=None):
        return draw("logistic", size, loc, scale)

    def gumbel(loc=0.0, scale=1.0, size=None):
        return draw("gumbel", size, loc, scale)

    def geometric(p, size=None):
        return draw("geometric", size, p)

    def chisquare(df, size=None):
        return draw("chisquare", size, df)

    def standard_t(df, size=None):
        return draw("standard_t", size, df)

    def standard_exponential(size=None):
        return _run(get().standard_exponential, _size(size))

    def vector_size(size, n: int) -> None:
        s = () if size is None else _size(size)
        _check_shape(tuple(s) + (n,))

    def multivariate_normal(mean, cov, size=None, check_valid="warn", tol=1e-8):
        m, c = _data(mean, "mean"), _data(cov, "cov")
        n = int(np.size(m))
        vector_size(size, n)
        check_work(n * n * n, f"multivariate_normal() of {n:,} variables")
        return _run(get().multivariate_normal, m, c, _size(size),
                    _option(check_valid, "check_valid"), _real(tol, "tol"))

    def multinomial(n, pvals, size=None):
        nn, pv = _number(n, "n"), _data(pvals, "pvals")
        vector_size(size, int(np.size(pv)))
        return _run(get().multinomial, nn, pv, _size(size))

    def dirichlet(alpha, size=None):
        al = _data(alpha, "alpha")
        vector_size(size, int(np.size(al)))
        return _run(get().dirichlet, al, _size(size))

    return {"random": random, "uniform": uniform, "normal": normal,
            "standard_normal": standard_normal, "exponential": exponential,
            "binomial": binomial, "poisson": poisson, "choice": choice,
            "permutation": permutation, "shuffle": shuffle, "beta": beta, "gamma": gamma,
            "lognormal": lognormal, "laplace": laplace, "logistic": logistic,
            "gumbel": gumbel, "geometric": geometric, "chisquare": chisquare,
            "standard_t": standard_t, "standard_exponential": standard_exponential,
            "multivariate_normal": multivariate_normal, "multinomial": multinomial,
            "dirichlet": dirichlet}


def _legacy_methods(get) -> dict:
    """RandomState's own methods (numpy's global functions are these on one RandomState)."""

    def seed(seed=None):
        _run(get().seed, _seed_value(seed))

    def rand(*dims):
        return _run(get().rand, *_shape(dims)) if dims else _run(get().rand)

    def randn(*dims):
        return _run(get().randn, *_shape(dims)) if dims else _run(get().randn)

    def randint(low, high=None, size=None, dtype=int):
        lo = _number(low, "low")
        hi = None if high is None else _number(high, "high")
        s = _size(size)
        _check_params(s, *(v for v in (lo, hi) if v is not None))
        if dtype is int:  # numpy's default: a Python int when there is no size
            return _run(get().randint, lo, hi, s)
        return _run(get().randint, lo, hi, s, dtype=_dtype(dtype))

    def random_sample(size=None):
        return _run(get().random_sample, _size(size))

    return {**_random_methods(get), "seed": seed, "rand": rand, "randn": randn,
            "randint": randint, "random_sample": random_sample, "sample": random_sample,
            "ranf": random_sample}


def _generator_methods(get) -> dict:
    def integers(low, high=None, size=None, dtype=np.int64, endpoint=False):
        lo = _number(low, "low")
        hi = None if high is None else _number(high, "high")
        s = _size(size)
        _check_params(s, *(v for v in (lo, hi) if v is not None))
        return _run(get().integers, lo, hi, s, dtype=_dtype(dtype),
                    endpoint=_flag(endpoint, "endpoint"))

    methods = _random_methods(get)

    def random(size=None, dtype=np.float64):
        return _run(get().random, _size(size), dtype=_dtype(dtype))

    def standard_normal(size=None, dtype=np.float64):
        return _run(get().standard_normal, _size(size), dtype=_dtype(dtype))

    def permuted(x, axis=None):
        return _run(get().permuted, _data(x, "permuted()"), axis=_axis(axis))

    return {**methods, "integers": integers, "random": random,
            "standard_normal": standard_normal, "permuted": permuted}


def _bound(methods_of):
    """An accessor table: for each method name, obj -> that method bound to obj."""
    names = tuple(methods_of(lambda: None))
    table = {}
    for name in names:
        def access(obj, name=name):
            fn = methods_of(lambda: obj)[name]
            return NumpyFunction(name, fn, f"<bound method {type(obj).__name__}.{name} of "
                                           f"{obj!r}>")
        table[name] = access
    return table


GENERATOR_ACCESSORS: dict = _bound(_generator_methods)
RANDOMSTATE_ACCESSORS: dict = _bound(_legacy_methods)


def default_rng(seed=None):
    if isinstance(seed, np.random.Generator):
        return seed
    return _run(np.random.default_rng, _seed_value(seed))


def _random_state(seed=None):
    return _run(np.random.RandomState, _seed_value(seed))


def _random_namespace(state: np.random.RandomState) -> NumpyNamespace:
    members = {}
    for name, fn in _legacy_methods(lambda: state).items():
        members[name] = NumpyFunction(name, fn, f"<bound method RandomState.{name} of "
                                                f"RandomState(MT19937) at 0x{id(state):X}>")
    members["default_rng"] = NumpyFunction("default_rng", default_rng,
                                           "<built-in function default_rng>")
    members["RandomState"] = NumpyType(np.random.RandomState, _random_state)
    members["Generator"] = NumpyType(np.random.Generator, _no_generator)
    return NumpyNamespace("numpy.random", members)


def _no_generator(*args, **kwargs):
    raise TorchTypeError("use np.random.default_rng(seed) to make a Generator")


def make_numpy(seed: int | None = None) -> NumpyNamespace:
    """A fresh ``numpy`` module for one session: the shared stateless members, and an
    ``np.random`` over its own RandomState (unseeded, as numpy starts, unless ``seed``)."""
    state = np.random.RandomState(seed)
    reset_printoptions()  # a session starts with numpy's default print options
    members = dict(NUMPY)
    members["random"] = _random_namespace(state)
    ns = NumpyNamespace("numpy", members)
    return ns


def seed_numpy(ns: NumpyNamespace, seed: int) -> None:
    """``numpy.random.seed(seed)`` on the session's module (``adcli run --seed N``)."""
    ns.members["random"].members["seed"](seed)


# ---- attributes of arrays, numpy scalars and dtypes --------------------------------------
def _tolist(a):
    bound = current().max_elements // 10
    n = int(np.size(a))
    if bound and n > bound:
        raise LimitError(f"tolist() of {n:,} items is over the limit of {bound:,} (a tenth of "
                         "--max-elements / ADCLI_MAX_ELEMENTS)")
    return a.tolist()


def _astype(a):
    def astype(dtype, order="K", casting="unsafe", copy=True):
        d = _dtype(dtype)
        if d is None:
            raise TorchTypeError("astype() argument 'dtype' must be a data type, not None")
        return _run(a.astype, d, order=_option(order, "order"), casting=_option(casting, "casting"),
                    copy=_flag(copy, "copy"))
    return astype


def _method(name: str, make):
    def access(obj):
        return NumpyFunction(name, make(obj), f"<built-in method {name} of "
                                              f"{_type_name(obj)} object at 0x{id(obj):x}>")
    return access


def _with_self(fn):
    """A module function as a method: ``a.sum(axis=0)`` is ``np.sum(a, axis=0)``."""
    return lambda obj: (lambda *args, **kwargs: fn(obj, *args, **kwargs))


def _reshape_method(a):
    def reshape_(*shape, order="C"):
        if len(shape) == 1 and isinstance(shape[0], tuple | list):
            shape = shape[0]
        return reshape(a, tuple(shape), order=order)
    return reshape_


def _transpose_method(a):
    def transpose_(*axes):
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], tuple | list)):
            axes = axes[0]
        return transpose(a, axes if axes != () else None)
    return transpose_


def _item(a):
    def item(*args):
        return _run(a.item, *(_int(i) for i in args))
    return item


def _copy(a):
    def copy(order="C"):
        return _run(a.copy, _option(order, "order"))
    return copy


def _fill(a):
    def fill(value):
        if not isinstance(a, np.ndarray):
            raise TorchTypeError("fill() needs an array, not a numpy scalar")
        _run(a.fill, _real(value, "value") if not isinstance(value, complex) else value)
    return fill


def _sort_method(a):
    def sort_(axis=-1, kind=None):
        if not isinstance(a, np.ndarray):
            raise TorchTypeError("sort() needs an array, not a numpy scalar")
        _run(a.sort, axis=_int(axis), kind=_option(kind, "kind"))
    return sort_


def _flatten(a):
    def flatten(order="C"):
        return _run(np.asarray(a).flatten, _option(order, "order"))
    return flatten


def _round_method(a):
    def round_m(decimals=0):
        return round_(a, decimals)
    return round_m


def _clip_method(a):
    def clip_m(min=None, max=None):
        return clip(a, min, max)
    return clip_m


def _fn_of(name):
    fn = NUMPY[name]
    return _with_self(fn._fn)


NDARRAY_ATTRIBUTES = (
    "shape", "ndim", "size", "dtype", "T", "itemsize", "nbytes", "astype", "reshape",
    "flatten", "ravel", "tolist", "item", "copy", "sum", "mean", "std", "var", "max", "min",
    "argmax", "argmin", "cumsum", "cumprod", "prod", "all", "any", "dot", "transpose",
    "squeeze", "clip", "round", "fill", "sort", "argsort", "nonzero", "trace",
    "diagonal", "swapaxes", "repeat", "real", "imag",
)

NDARRAY_ACCESSORS: dict = {
    "shape": _op.attrgetter("shape"),
    "ndim": _op.attrgetter("ndim"),
    "size": _op.attrgetter("size"),
    "dtype": _op.attrgetter("dtype"),
    "T": _op.attrgetter("T"),
    "itemsize": _op.attrgetter("itemsize"),
    "nbytes": _op.attrgetter("nbytes"),
    "real": _op.attrgetter("real"),
    "imag": _op.attrgetter("imag"),
    "astype": _method("astype", _astype),
    "reshape": _method("reshape", _reshape_method),
    "flatten": _method("flatten", _flatten),
    "ravel": _method("ravel", lambda a: lambda order="C": ravel(a)),
    "tolist": _method("tolist", lambda a: lambda: _tolist(a)),
    "item": _method("item", _item),
    "copy": _method("copy", _copy),
    "transpose": _method("transpose", _transpose_method),
    "fill": _method("fill", _fill),
    "sort": _method("sort", _sort_method),
    "round": _method("round", _round_method),
    "clip": _method("clip", _clip_method),
    "nonzero": _method("nonzero", lambda a: lambda: _run(np.nonzero, a)),
    "diagonal": _method("diagonal", lambda a: lambda offset=0, axis1=0, axis2=1: _run(
        np.diagonal, a, _int(offset), _int(axis1), _int(axis2))),
}
for _name in ("sum", "mean", "std", "var", "max", "min", "argmax", "argmin", "cumsum",
              "cumprod", "prod", "all", "any", "dot", "squeeze", "argsort", "trace",
              "swapaxes", "repeat"):
    NDARRAY_ACCESSORS[_name] = _method(_name, _fn_of(_name))
assert set(NDARRAY_ACCESSORS) == set(NDARRAY_ATTRIBUTES)

DTYPE_ACCESSORS: dict = {
    "name": _op.attrgetter("name"),
    "itemsize": _op.attrgetter("itemsize"),
    "kind": _op.attrgetter("kind"),
    "char": _op.attrgetter("char"),
    "str": _op.attrgetter("str"),
    "type": lambda d: _scalar_type(d.type),
}


def numpy_type(tp: type) -> NumpyType | None:
    """What ``type(x)`` should give for a numpy value: the checked stand-in of its class
    (calling the real class, ``np.ndarray(shape)``, would allocate unchecked memory)."""
    for value in NUMPY.values():
        if isinstance(value, NumpyType) and value.type is tp:
            return value
    if isinstance(tp, type) and issubclass(tp, np.generic) and tp in _SCALAR_TYPES.values():
        return _scalar_type(tp)
    if tp is np.random.Generator or tp is np.random.RandomState:
        return NumpyType(tp, _no_generator)
    return None


def accessor_table(obj) -> dict | None:
    """The attribute table for a numpy value, or None when ``obj`` is not one of them."""
    if isinstance(obj, np.ndarray | np.generic):
        return NDARRAY_ACCESSORS
    if isinstance(obj, np.dtype):
        return DTYPE_ACCESSORS
    if isinstance(obj, np.random.Generator):
        return GENERATOR_ACCESSORS
    if isinstance(obj, np.random.RandomState):
        return RANDOMSTATE_ACCESSORS
    if isinstance(obj, NumpyUfunc):
        return UFUNC_ACCESSORS
    if isinstance(obj, np.finfo):
        return FINFO_ACCESSORS
    if isinstance(obj, np.iinfo):
        return IINFO_ACCESSORS
    return None


# ---- operators -----------------------------------------------------------------------------
_OPERAND_TYPES = (np.ndarray, np.generic, bool, int, float, complex, list, tuple)


def ndarray_binop(sym: str, a, b, fn):
    """``a sym b`` (``fn`` is the operator: ``operator.add``, ``operator.iadd``, ...) with a
    numpy array or scalar on one side and numpy's values, Python numbers, or lists and
    tuples of them on the other (a tensor on either side is the interpreter's to send to
    the engine). Lists are converted as ``np.array`` converts them, bounded; the
    broadcast is checked against the element bound and ``@`` against the work bound
    before numpy allocates; numpy's errors are adcli's."""
    for x in (a, b):
        if not isinstance(x, _OPERAND_TYPES):
            raise TorchTypeError(f"unsupported operand type(s) for {sym}: '{_type_name(a)}' "
                                 f"and '{_type_name(b)}'")
    x = a if isinstance(a, np.ndarray | np.generic) else _data(a, sym)
    y = b if isinstance(b, np.ndarray | np.generic) else _data(b, sym)
    _data(x, sym), _data(y, sym)  # numeric dtypes only
    if sym == "@":
        sa, sb = _shape_of(x), _shape_of(y)
        _check_product(_matmul_shape(sa, sb, "@"), "@", sa, sb)
    else:
        _broadcast(x, y)
    return _run(fn, x, y)


def ndarray_contains(arr, item) -> bool:
    """``item in arr`` as ``ndarray.__contains__``: ``(arr == item).any()``, the comparison
    checked as ``arr == item`` is."""
    import operator

    return bool(_run(np.any, ndarray_binop("==", arr, item, operator.eq)))


def ndarray_unary(sym: str, a, fn):
    """``-a``, ``+a``, ``~a`` (``fn`` is the operator) on a numpy array or scalar of a
    numeric or bool dtype (checked as an array argument is); numpy's values and errors."""
    if not isinstance(a, np.ndarray | np.generic):
        raise TorchTypeError(f"bad operand type for unary {sym}: '{_type_name(a)}'")
    _data(a, sym)  # numeric and bool dtypes only
    return _run(fn, a)


# ---- a[key] = value -------------------------------------------------------------------------
def ndarray_setitem(arr, key, value) -> None:
    """``arr[key] = value``: the key as numpy indexing takes it (checked as reading it is),
    the value as an array argument."""
    from adcli.engine.shape import check_index
    from adcli.lang.operators import _numpy_key_item  # the interpreter's own key rules

    if not isinstance(arr, np.ndarray):
        raise TorchTypeError(f"'{_type_name(arr)}' object does not support item assignment")
    if isinstance(key, tuple):
        key = tuple(_numpy_key_item(k) for k in key)
    else:
        key = _numpy_key_item(key)
    check_index(arr.shape, key)
    v = _data(value, "assignment")
    _run(arr.__setitem__, key, v)

