"""``import numpy as np`` in adcli (adcli/lang/pylib/numpy_subset.py).

Values and reprs are compared with real numpy, computed here; np.random streams with
numpy's for the same seed; from_numpy / .numpy() memory sharing and errors with PyTorch
2.13 (messages pasted from a run of real torch 2.13.0, as noted); and the hostile side:
every creation path over the element bound refused before numpy allocates (tracemalloc),
the work bound, object and other non-numeric dtypes, and no member reaching a module.
"""

from __future__ import annotations

import time
import tracemalloc
import types

import numpy as np
import pytest

from adcli import limits as limits_mod
from adcli.engine import api as torch
from adcli.engine.tensor import Tensor
from adcli.errors import AdcliError, LimitError, TorchRuntimeError, TorchTypeError, TorchValueError
from adcli.lang.pylib import numpy_subset as ns
from adcli.limits import Limits

NP = ns.make_numpy()
M = NP.members
RANDOM = M["random"].members


@pytest.fixture
def bounds():
    """Install bounds for one test, restoring the previous ones after."""
    previous = limits_mod.current()

    def install(**kw):
        limits_mod.install(Limits(**kw))

    yield install
    limits_mod.install(previous)


def same(got, want) -> None:
    """The same value, type, dtype and repr as real numpy's."""
    assert type(got) is type(want), (got, want)
    if isinstance(want, tuple | list):
        assert len(got) == len(want)
        for g, w in zip(got, want, strict=True):
            same(g, w)
        return
    assert repr(got) == repr(want)
    assert str(got) == str(want)
    if isinstance(want, np.ndarray | np.generic):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


A = np.arange(12, dtype=np.float64).reshape(3, 4) / 7
IA = np.arange(12).reshape(3, 4)
V = np.array([3.0, -1.5, 0.25, 2.0])
B = np.array([True, False, True])
F32 = np.array([0.5, 1.5, -2.25], dtype=np.float32)

# (name, args, kwargs): adcli's np.name(*args, **kwargs) against numpy's.
CASES = [
    ("array", ([[1, 2], [3, 4]],), {}), ("array", ([1.5, 2, True],), {}),
    ("array", ([1, 2],), {"dtype": np.float32}), ("array", (3.5,), {}),
    ("array", ((1, 2, 3),), {"dtype": "int32"}), ("array", (range(5),), {}),
    ("array", ([V, V],), {}), ("array", ([1, 2],), {"ndmin": 3}),
    ("asarray", ([1.0, 2.0],), {}), ("asarray", (IA,), {"dtype": float}),
    ("zeros", ((2, 3),), {}), ("zeros", (3,), {"dtype": np.int64}), ("zeros", ([2, 2],), {}),
    ("ones", ((2, 2),), {"dtype": int}), ("ones", (4,), {}), ("empty", ((2, 3),), {}),
    ("full", ((2, 3), 7.5), {}), ("full", (3, 2), {"dtype": np.int32}),
    ("zeros_like", (IA,), {}), ("ones_like", (A,), {"dtype": np.float32}),
    ("full_like", (V, 9), {}), ("empty_like", (IA,), {}),
    ("eye", (3,), {}), ("eye", (2, 4), {"k": 1}), ("identity", (3,), {"dtype": int}),
    ("arange", (5,), {}), ("arange", (1, 10, 2), {}), ("arange", (0, 1, 0.1), {}),
    ("arange", (5.0,), {}), ("arange", (10, 0, -3), {}), ("arange", (3,), {"dtype": float}),
    ("linspace", (0, 1, 5), {}), ("linspace", (0, 1), {}), ("linspace", (-2, 2, 4),
                                                              {"endpoint": False}),
    ("linspace", (0, 10, 5), {"retstep": True}), ("linspace", (0, 1, 3), {"dtype": np.float32}),
    ("logspace", (0, 2, 3), {}), ("logspace", (0, 3, 4), {"base": 2}),
    ("meshgrid", (np.arange(3), np.arange(2)), {}),
    ("meshgrid", (np.arange(3), np.arange(2)), {"indexing": "ij"}),
    ("concatenate", ([IA, IA],), {}), ("concatenate", ((IA, IA),), {"axis": 1}),
    ("stack", ([V, V, V],), {}), ("stack", ([V, V],), {"axis": 1}),
    ("vstack", ([V, V],), {}), ("hstack", ([V, V],), {}), ("column_stack", ([V, V],), {}),
    ("where", (V > 0, V, 0.0), {}), ("where", (B,), {}), ("clip", (V, -1, 1), {}),
    ("clip", (IA, 2, None), {}),
    ("maximum", (V, 0), {}), ("minimum", (V, 0.5), {}), ("power", (V, 2), {}),
    ("power", (IA, 2), {}), ("arctan2", (V, 1.0), {}), ("add", (F32, 1.0), {}),
    ("multiply", (F32, V[:3]), {}), ("divide", (IA, 4), {}), ("floor_divide", (IA, 5), {}),
    ("mod", (IA, 5), {}), ("greater", (V, 0), {}), ("equal", (IA, 4), {}),
    ("logical_and", (B, True), {}), ("hypot", (3.0, 4.0), {}), ("logaddexp", (V, V), {}),
    ("round", (V, 1), {}), ("around", (A, 2), {}), ("round", (2.5,), {}),
    ("isnan", (np.array([1.0, np.nan]),), {}), ("isinf", (np.array([np.inf, 1]),), {}),
    ("isfinite", (np.array([np.inf, 1, np.nan]),), {}),
    ("allclose", (V, V + 1e-9), {}), ("isclose", (V, V + 1e-3), {"atol": 1e-2}),
    ("array_equal", (IA, IA.copy()), {}), ("array_equal", (IA, V), {}),
    ("sum", (IA,), {}), ("sum", (IA,), {"axis": 0}), ("sum", (A, 1), {"keepdims": True}),
    ("sum", (IA,), {"axis": (0, 1)}), ("sum", (F32,), {"dtype": np.float64}),
    ("mean", (A,), {}), ("mean", (IA,), {"axis": 1}), ("mean", (A, 0), {"keepdims": True}),
    ("std", (V,), {}), ("std", (A,), {"axis": 0, "ddof": 1}), ("var", (V,), {}),
    ("var", (A, 1), {"keepdims": True}), ("prod", (V,), {}), ("prod", (IA + 1, 0), {}),
    ("max", (A,), {}), ("max", (IA,), {"axis": 0}), ("min", (A, 1), {"keepdims": True}),
    ("amax", (V,), {}), ("amin", (IA,), {"axis": 1}), ("argmax", (V,), {}),
    ("argmax", (A,), {"axis": 1}), ("argmin", (IA,), {"axis": 0}), ("ptp", (V,), {}),
    ("cumsum", (IA,), {}), ("cumsum", (IA,), {"axis": 1}), ("cumprod", (V,), {}),
    ("all", (B,), {}), ("any", (IA > 10,), {"axis": 0}), ("count_nonzero", (IA,), {}),
    ("count_nonzero", (B,), {}), ("average", (V,), {"weights": [1, 2, 3, 4]}),
    ("median", (V,), {}),
    ("dot", (V, V), {}), ("dot", (A, V), {}), ("dot", (A.T, A), {}), ("dot", (2, V), {}),
    ("dot", ([1, 2, 3], [4, 5, 6]), {}),
    ("matmul", (A, A.T), {}), ("matmul", (V, V), {}), ("matmul", (np.ones((2, 3, 4)), V), {}),
    ("outer", (V, V[:2]), {}), ("inner", (V, V), {}), ("inner", (A, V), {}),
    ("vdot", (V, V), {}),
    ("transpose", (A,), {}), ("transpose", (np.ones((2, 3, 4)), (2, 0, 1)), {}),
    ("reshape", (IA, (4, 3)), {}), ("reshape", (IA, -1), {}),
    ("squeeze", (np.ones((1, 3, 1)),), {}),
    ("squeeze", (np.ones((1, 3, 1)),), {"axis": 0}), ("expand_dims", (V, 0), {}),
    ("ravel", (IA,), {}), ("swapaxes", (IA, 0, 1), {}), ("flip", (V,), {}),
    ("sort", (V,), {}), ("sort", (A, 0), {}), ("argsort", (V,), {}),
    ("unique", (np.array([3, 1, 3, 2, 1]),), {}),
    ("unique", (np.array([3, 1, 3, 2, 1]),), {"return_counts": True}),
    ("diag", (V,), {}), ("diag", (A,), {}), ("diag", (V[:2], 1), {}), ("trace", (A,), {}),
    ("shape", (A,), {}), ("ndim", (A,), {}), ("size", (A,), {}), ("repeat", (V, 2), {}),
    ("repeat", (IA, [1, 2, 0], 0), {}), ("repeat", (IA, 2, 1), {}), ("repeat", (IA, [2] * 12), {}),
    ("repeat", (IA, [1, 0, 2, 1], 1), {}), ("tile", (V[:2], (2, 2)), {}),
]
for _n in ns.UNARY_UFUNCS:
    _arg = B if _n == "logical_not" else (np.array([0.2, 0.5, 0.9]) if _n.startswith(
        "arc") and _n != "arccosh" else np.array([1.5, 2.0, 3.25]))
    CASES.append((_n, (_arg,), {}))
    CASES.append((_n, (F32 if _n != "logical_not" else True,), {}))
for _n in ns.BINARY_UFUNCS:
    CASES.append((_n, (np.array([1.5, 2.0, 3.0]), np.array([[2.0], [0.5]])), {}))


def _real_numpy(name):
    if name == "round":
        return np.round
    return getattr(np, name)


@pytest.mark.parametrize("name,args,kwargs", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_member_matches_numpy(name, args, kwargs):
    want = _real_numpy(name)(*args, **kwargs)
    if name in ("empty", "empty_like"):  # numpy's content is whatever memory held
        want = np.zeros_like(want)
    got = M[name](*args, **kwargs)
    same(got, want)


def test_constants_and_types_print_as_numpy():
    assert M["pi"] == np.pi and M["e"] == np.e and M["inf"] == np.inf
    assert np.isnan(M["nan"]) and M["newaxis"] is None
    for name in ("float32", "float64", "int64", "int32", "bool_", "uint8"):
        t = M[name]
        assert repr(t) == repr(getattr(np, name))
        same(t(3), getattr(np, name)(3))
        assert np.dtype(t) == np.dtype(getattr(np, name))
        assert np.zeros(1, getattr(np, name)).dtype == t
        assert t == getattr(np, name) and getattr(np, name) == t
    from adcli.lang.pylib._common import PyType

    for builtin in (float, int, bool, complex):  # as the .py runtime's builtins stand for them
        same(M["zeros"](2, dtype=PyType(builtin, builtin.__name__)), np.zeros(2, dtype=builtin))
        same(_get(V, "astype")(PyType(builtin, builtin.__name__)), V.astype(builtin))
    with pytest.raises(TorchTypeError):
        M["zeros"](2, dtype=PyType(object, "object"))
    same(M["float32"](1.5), np.float32(1.5))
    same(M["float64"]("2.5"), np.float64("2.5"))
    same(M["float32"]([1, 2]), np.float32([1, 2]))
    assert repr(M["exp"]) == repr(np.exp) == "<ufunc 'exp'>"
    assert repr(NP) == "<module 'numpy'>" and repr(M["linalg"]) == "<module 'numpy.linalg'>"
    assert repr(M["ndarray"]) == "<class 'numpy.ndarray'>"
    assert ns.numpy_type(np.ndarray) is M["ndarray"] and ns.numpy_type(np.float32) == np.float32
    assert ns.numpy_type(type(np.random.default_rng(0))).type is np.random.Generator
    assert ns.numpy_type(int) is None
    from adcli.lang.pylib._common import PyType  # the runtime's isinstance reads .pyclass

    assert isinstance(M["ndarray"], PyType) and M["ndarray"].pyclass is np.ndarray
    assert M["float32"].pyclass is np.float32 and hash(M["float32"]) == hash(np.float32)


def test_linalg_matches_numpy():
    sq = np.array([[4.0, 1.0], [2.0, 3.0]])
    la = M["linalg"].members
    for name, args, kwargs in [("norm", (V,), {}), ("norm", (A,), {}), ("norm", (A, "fro"), {}),
                               ("norm", (V, 1), {}), ("norm", (A,), {"axis": 1}),
                               ("norm", (V, np.inf), {}), ("inv", (sq,), {}), ("det", (sq,), {}),
                               ("solve", (sq, np.array([1.0, 2.0])), {}),
                               ("matrix_rank", (sq,), {})]:
        same(la[name](*args, **kwargs), getattr(np.linalg, name)(*args, **kwargs))
    with pytest.raises(ns.NumpyLinAlgError, match="^Singular matrix$") as e:
        la["inv"](np.zeros((2, 2)))
    assert e.value.kind == "numpy.linalg.LinAlgError"


# ---- ndarray and numpy scalar attributes -----------------------------------------------------
METHOD_CASES = [
    ("sum", (), {}), ("sum", (0,), {}), ("sum", (), {"axis": 1, "keepdims": True}),
    ("mean", (), {"axis": 0}), ("std", (), {"ddof": 1}), ("var", (1,), {}),
    ("max", (), {}), ("min", (), {"axis": 1}), ("argmax", (), {}), ("argmin", (0,), {}),
    ("cumsum", (), {"axis": 0}), ("cumprod", (), {}), ("prod", (1,), {}), ("all", (), {}),
    ("any", (), {"axis": 0}), ("dot", (np.ones(4),), {}), ("transpose", (), {}),
    ("transpose", (1, 0), {}), ("squeeze", (), {}), ("clip", (0.2, 1.0), {}),
    ("round", (2,), {}), ("argsort", (), {}), ("astype", (np.float32,), {}),
    ("astype", ("int64",), {}), ("astype", (bool,), {}), ("reshape", (4, 3), {}),
    ("reshape", ((2, -1),), {}), ("reshape", (-1,), {}), ("flatten", (), {}), ("ravel", (), {}),
    ("tolist", (), {}), ("item", (5,), {}), ("copy", (), {}), ("nonzero", (), {}),
    ("diagonal", (), {}), ("trace", (), {}), ("swapaxes", (0, 1), {}),
    ("repeat", (2,), {}),
]
PROPERTIES = ("shape", "ndim", "size", "dtype", "T", "itemsize", "nbytes", "real", "imag")


def _get(obj, name):
    table = ns.accessor_table(obj)
    assert table is ns.NDARRAY_ACCESSORS
    return table[name](obj)


@pytest.mark.parametrize("name,args,kwargs", METHOD_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(METHOD_CASES)])
def test_ndarray_method_matches_numpy(name, args, kwargs):
    for base in (A, IA):
        want = getattr(base.copy(), name)(*args, **kwargs)
        got = _get(base.copy(), name)(*args, **kwargs)
        same(got, want)


def test_ndarray_properties_and_in_place_methods():
    for base in (A, IA, F32, np.float32(1.5), np.int64(7), np.float64(2.5)):
        for p in PROPERTIES:
            same(_get(base, p), getattr(base, p))
    for scalar in (np.float32(1.5), np.float64(-2.25), np.int64(3)):
        same(_get(scalar, "item")(), scalar.item())
        same(_get(scalar, "astype")(np.int32), scalar.astype(np.int32))
        same(_get(scalar, "round")(), scalar.round())
        same(_get(scalar, "tolist")(), scalar.tolist())
        same(_get(scalar, "sum")(), scalar.sum())
    a, b = V.copy(), V.copy()
    assert _get(a, "fill")(2.5) is None
    b.fill(2.5)
    same(a, b)
    a, b = V.copy(), V.copy()
    assert _get(a, "sort")() is None
    b.sort()
    same(a, b)
    d = ns.accessor_table(F32.dtype)
    assert d is ns.DTYPE_ACCESSORS
    for name in ("name", "itemsize", "kind", "char", "str"):
        assert d[name](F32.dtype) == getattr(F32.dtype, name)
    assert repr(d["type"](F32.dtype)) == "<class 'numpy.float32'>"
    assert repr(F32.dtype) == "dtype('float32')" and str(A.dtype) == "float64"
    m = _get(V, "sum")
    assert repr(m).startswith("<built-in method sum of numpy.ndarray object at 0x")


def test_setitem():
    a, b = np.zeros((3, 4)), np.zeros((3, 4))
    for key, value in [((0, 1), 5.0), (1, [1, 2, 3, 4]), ((slice(None), 2), 7),
                       (np.array([True, False, True]), 1.5), ([0, 2], np.ones(4))]:
        ns.ndarray_setitem(a, key, value)
        b[key] = value
    same(a, b)
    with pytest.raises(TorchValueError):
        ns.ndarray_setitem(a, 0, [1, 2])
    with pytest.raises(TorchTypeError):
        ns.ndarray_setitem(a, 0, object())
    with pytest.raises(AdcliError):
        ns.ndarray_setitem(a, "x", 1)


# ---- np.random -------------------------------------------------------------------------------
RANDOM_CALLS = [
    ("rand", (3,), {}), ("rand", (2, 2), {}), ("rand", (), {}), ("randn", (2, 3), {}),
    ("randn", (), {}), ("randint", (0, 10), {"size": 5}), ("randint", (5,), {}),
    ("randint", (1, 7, (2, 2)), {}), ("random", (), {}), ("random", ((2, 2),), {}),
    ("random_sample", (3,), {}), ("uniform", (-1, 1, 4), {}), ("uniform", (), {}),
    ("normal", (0, 0.1, (2, 3)), {}), ("normal", (np.zeros(3), 1.0), {}),
    ("standard_normal", (3,), {}), ("choice", (5, 3), {}),
    ("choice", ([10, 20, 30],), {"size": 4, "p": [0.5, 0.25, 0.25]}),
    ("choice", (10, 4), {"replace": False}), ("permutation", (6,), {}),
    ("permutation", (np.arange(5),), {}), ("exponential", (2.0, 3), {}),
    ("binomial", (10, 0.5, 4), {}), ("poisson", (3.0, 4), {}),
]


@pytest.mark.parametrize("seed", [0, 42, 2**32 - 1])
def test_random_streams_match_numpy(seed):
    np.random.seed(seed)
    RANDOM["seed"](seed)
    for name, args, kwargs in RANDOM_CALLS:
        same(RANDOM[name](*args, **kwargs), getattr(np.random, name)(*args, **kwargs))
    a, b = np.arange(10), np.arange(10)
    assert RANDOM["shuffle"](a) is None
    np.random.shuffle(b)
    same(a, b)


def test_seed_numpy_and_sessions_are_independent():
    one, two = ns.make_numpy(), ns.make_numpy()
    ns.seed_numpy(one, 7)
    ns.seed_numpy(two, 7)
    first = one.members["random"].members["rand"](3)
    two.members["random"].members["rand"](100)  # the other session's draws change nothing
    second = one.members["random"].members["rand"](3)
    ref = np.random.RandomState(7)
    same(first, ref.rand(3))
    same(second, ref.rand(3))
    same(ns.make_numpy(5).members["random"].members["randn"](2), np.random.RandomState(5).randn(2))


GENERATOR_CALLS = [
    ("random", (), {}), ("random", (3,), {}), ("random", ((2, 2),), {"dtype": np.float32}),
    ("normal", (0, 1, 3), {}), ("normal", (), {"size": (2, 2)}), ("integers", (0, 10, 5), {}),
    ("integers", (5,), {"endpoint": True}), ("uniform", (0, 2), {"size": 3}),
    ("choice", (5, 3), {}), ("choice", (np.arange(8), 3), {"replace": False}),
    ("permutation", (5,), {}), ("standard_normal", (4,), {}),
    ("standard_normal", ((2,),), {"dtype": np.float32}), ("exponential", (1.0, 2), {}),
    ("permuted", (np.arange(6).reshape(2, 3),), {"axis": 1}),
]


def test_default_rng_generator_matches_numpy():
    for seed in (0, 12345):
        got, want = RANDOM["default_rng"](seed), np.random.default_rng(seed)
        assert ns.accessor_table(got) is ns.GENERATOR_ACCESSORS
        for name, args, kwargs in GENERATOR_CALLS:
            same(ns.GENERATOR_ACCESSORS[name](got)(*args, **kwargs),
                 getattr(want, name)(*args, **kwargs))
        a, b = np.arange(10), np.arange(10)
        ns.GENERATOR_ACCESSORS["shuffle"](got)(a)
        want.shuffle(b)
        same(a, b)
    assert repr(RANDOM["default_rng"](0)).startswith("Generator(PCG64) at 0x")
    rs = RANDOM["RandomState"](3)
    assert ns.accessor_table(rs) is ns.RANDOMSTATE_ACCESSORS
    same(ns.RANDOMSTATE_ACCESSORS["randn"](rs)(3), np.random.RandomState(3).randn(3))


# ---- torch.from_numpy and .numpy() ---------------------------------------------------------------
def test_from_numpy_shares_memory_both_ways():
    arr = np.array([1.0, 2.0, 3.0])
    t = torch.from_numpy(arr)
    assert t.dtype is torch.float64 and t._data is arr
    arr[0] = 100.0
    t[1] = -5.0
    t.add_(1)
    same(arr, np.array([101.0, -4.0, 4.0]))
    assert t.tolist() == [101.0, -4.0, 4.0]
    copied = torch.tensor(arr)
    arr[2] = 0.0
    assert copied.tolist() == [101.0, -4.0, 4.0] and t.tolist() == [101.0, -4.0, 0.0]
    x = torch.tensor([1.0, 2.0])
    n = x.numpy()
    n[0] = 9.0
    x.mul_(2)
    same(n, np.array([18.0, 4.0], dtype=np.float32))
    assert x.tolist() == [18.0, 4.0]
    # an array made by np.* and shared the same way; and a tensor given to np.* is read
    # through its memory (as np.asarray(tensor) in torch)
    a = M["zeros"](3)
    ta = torch.from_numpy(a)
    M["random"].members["seed"](0)
    ta += 1
    same(a, np.ones(3))
    same(M["exp"](torch.zeros(2)), np.ones(2, dtype=np.float32))
    same(M["array"]([torch.tensor(1.0), 2.0]), np.array([1.0, 2.0]))
    for name in ("float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint8",
                 "bool"):
        tdt = getattr(torch, name)
        assert torch.from_numpy(np.zeros(2, dtype=name)).dtype is tdt
        assert torch.zeros(2, dtype=tdt).numpy().dtype == np.dtype(name)


# Messages from real PyTorch 2.13.0 (/work/torchenv), pasted verbatim.
TORCH_SUPPORTED = ("float64, float32, float16, complex64, complex128, int64, int32, int16, "
                   "int8, uint64, uint32, uint16, uint8, and bool")
TORCH_ERRORS = [
    (lambda: torch.from_numpy([1.0, 2.0]), TorchTypeError, "expected np.ndarray (got list)"),
    (lambda: torch.from_numpy(np.float64(1.0)), TorchTypeError,
     "expected np.ndarray (got numpy.float64)"),
    (lambda: torch.from_numpy(torch.ones(2)), TorchTypeError, "expected np.ndarray (got Tensor)"),
    (lambda: torch.from_numpy(np.zeros(2, dtype=object)), TorchTypeError,
     f"can't convert np.ndarray of type numpy.object_. The only supported types are: "
     f"{TORCH_SUPPORTED}."),
    (lambda: torch.from_numpy(np.zeros(2, dtype="U3")), TorchTypeError,
     f"can't convert np.ndarray of type numpy.str_. The only supported types are: "
     f"{TORCH_SUPPORTED}."),
    (lambda: torch.from_numpy(np.arange(4.0)[::-1]), TorchValueError,
     "At least one stride in the given numpy array is negative, and tensors with negative "
     "strides are not currently supported. (You can probably work around this by making a "
     "copy of your array  with array.copy().) "),
    (lambda: torch.from_numpy(np.zeros(2, dtype=">f8")), TorchValueError,
     "given numpy array has byte order different from the native byte order. Conversion "
     "between byte orders is currently not supported."),
    (lambda: torch.ones(2, requires_grad=True).numpy(), TorchRuntimeError,
     "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."),
    (lambda: M["exp"](torch.ones(2, requires_grad=True)), TorchRuntimeError,
     "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."),
]


@pytest.mark.parametrize("i", range(len(TORCH_ERRORS)))
def test_torch_identical_errors(i):
    fn, kind, message = TORCH_ERRORS[i]
    with pytest.raises(kind) as e:
        fn()
    assert str(e.value) == message


def test_from_numpy_of_a_dtype_torch_has_and_adcli_has_not():
    with pytest.raises(TorchTypeError, match="can't convert np.ndarray of type numpy.uint16"):
        torch.from_numpy(np.zeros(2, dtype=np.uint16))


# ---- numpy's own errors, as adcli errors ----------------------------------------------------
NUMPY_ERRORS = [  # (table, name, args, kwargs, adcli kind); numpy's message is the reference
    ("np", "sum", (V,), {"axis": 3}, ns.NumpyAxisError),
    ("np", "reshape", (V, (3,)), {}, TorchValueError),
    ("np", "zeros", (-1,), {}, TorchValueError),
    ("np", "zeros", ((2, "a"),), {}, TorchTypeError),
    ("np", "array", ([[1], [1, 2]],), {}, TorchValueError),
    ("np", "matmul", (np.ones(2), np.ones(3)), {}, TorchValueError),
    ("np", "dot", (np.ones(2), np.ones(3)), {}, TorchValueError),
    ("np", "zeros", (2,), {"dtype": "xyz"}, TorchTypeError),
    ("np", "linspace", (0, 1, -1), {}, TorchValueError),
    ("np", "add", (np.ones(2), np.ones(3)), {}, TorchValueError),
    ("np", "concatenate", ([np.ones((2, 2)), np.ones(3)],), {}, TorchValueError),
    ("np", "exp", (V,), {"foo": 1}, TypeError),
    ("random", "seed", (-1,), {}, TorchValueError),
    ("random", "rand", (2.5,), {}, TorchTypeError),
    ("random", "randint", (5, 1), {}, TorchValueError),
    ("random", "choice", (3, 5), {"replace": False}, TorchValueError),
]


@pytest.mark.parametrize("i", range(len(NUMPY_ERRORS)))
def test_numpy_errors_keep_numpy_message(i):
    table, name, args, kwargs, kind = NUMPY_ERRORS[i]
    real = getattr(np if table == "np" else np.random.RandomState(0), name)
    with pytest.raises(Exception) as want:
        real(*args, **kwargs)
    with pytest.raises(kind) as got:
        (M if table == "np" else RANDOM)[name](*args, **kwargs)
    assert isinstance(got.value, AdcliError) or type(got.value) is TypeError
    assert str(got.value) == str(want.value)


def test_axis_error_message_and_kind():
    with pytest.raises(ns.NumpyAxisError) as e:
        M["sum"](V, axis=3)
    assert str(e.value) == "axis 3 is out of bounds for array of dimension 1"
    assert e.value.kind == "numpy.exceptions.AxisError"
    assert isinstance(e.value, ValueError) and isinstance(e.value, IndexError)
    with pytest.raises(TorchValueError,
                       match=r"^cannot reshape array of size 4 into shape \(3,\)$"):
        M["reshape"](V, 3)


# ---- hostile: bounds ------------------------------------------------------------------------
BIG = 10**5
OVER_ELEMENTS = [
    ("zeros", lambda: M["zeros"]((BIG, BIG))), ("ones", lambda: M["ones"]((BIG, BIG))),
    ("empty", lambda: M["empty"]((BIG, BIG))), ("full", lambda: M["full"]((BIG, BIG), 1.0)),
    ("full-broadcast", lambda: M["full"]((BIG,), np.ones((BIG, 1)))),
    ("zeros_like", lambda: M["zeros_like"](V, shape=(BIG, BIG))),
    ("full_like", lambda: M["full_like"](V, 1, shape=(BIG, BIG))),
    ("eye", lambda: M["eye"](BIG)), ("eye2", lambda: M["eye"](10, 10**12)),
    ("identity", lambda: M["identity"](BIG)),
    ("arange", lambda: M["arange"](10**12)), ("arange-float", lambda: M["arange"](0, 1, 1e-12)),
    ("linspace", lambda: M["linspace"](0, 1, 10**12)),
    ("linspace-arrays", lambda: M["linspace"](np.zeros(BIG), 1, BIG)),
    ("logspace", lambda: M["logspace"](0, 1, 10**12)),
    ("meshgrid", lambda: M["meshgrid"](np.arange(BIG), np.arange(BIG))),
    ("outer", lambda: M["outer"](np.arange(BIG), np.arange(BIG))),
    ("diag", lambda: M["diag"](np.arange(BIG))),
    ("tile", lambda: M["tile"](np.arange(10), (BIG, BIG))),
    ("repeat", lambda: M["repeat"](np.arange(10), 10**12)),
    ("repeat-axis", lambda: M["repeat"](np.ones((1000, 100)), [10**4] * 100, axis=1)),
    ("repeat-array", lambda: M["repeat"](np.ones(1000), [10**9] * 1000)),
    ("add-broadcast", lambda: M["add"](np.ones((BIG, 1)), np.ones((1, BIG)))),
    ("where-broadcast", lambda: M["where"](True, np.ones((BIG, 1)), np.ones(BIG))),
    ("clip-broadcast", lambda: M["clip"](np.ones((BIG, 1)), np.ones(BIG), None)),
    ("isclose-broadcast", lambda: M["isclose"](np.ones((BIG, 1)), np.ones(BIG))),
    ("array-aliased-lists", lambda: M["array"]([[0.0] * BIG] * BIG)),
    ("array-of-arrays", lambda: M["array"]([np.ones(BIG)] * BIG)),
    ("array-range", lambda: M["array"](range(10**12))),
    ("array-huge-range", lambda: M["array"](range(10**30))),
    ("array-nested-range", lambda: M["array"]([range(10**30)])),
    ("rand", lambda: RANDOM["rand"](BIG, BIG)), ("randn", lambda: RANDOM["randn"](BIG, BIG)),
    ("randint", lambda: RANDOM["randint"](0, 5, size=(BIG, BIG))),
    ("random", lambda: RANDOM["random"]((BIG, BIG))),
    ("uniform", lambda: RANDOM["uniform"](0, 1, (BIG, BIG))),
    ("normal", lambda: RANDOM["normal"](0, 1, (BIG, BIG))),
    ("normal-broadcast", lambda: RANDOM["normal"](np.zeros((BIG, 1)), np.ones(BIG))),
    ("choice-size", lambda: RANDOM["choice"](5, (BIG, BIG))),
    ("choice-noreplace", lambda: RANDOM["choice"](10**12, 3, replace=False)),
    ("permutation", lambda: RANDOM["permutation"](10**12)),
    ("rng-random", lambda: ns.GENERATOR_ACCESSORS["random"](np.random.default_rng(0))((BIG, BIG))),
    ("rng-integers",
     lambda: ns.GENERATOR_ACCESSORS["integers"](np.random.default_rng(0))(0, 9, (BIG, BIG))),
    ("rng-normal",
     lambda: ns.GENERATOR_ACCESSORS["normal"](np.random.default_rng(0))(size=(BIG, BIG))),
    ("rng-permutation",
     lambda: ns.GENERATOR_ACCESSORS["permutation"](np.random.default_rng(0))(10**12)),
    ("float32-of-aliased", lambda: M["float32"]([[1] * BIG] * BIG)),
]


@pytest.mark.parametrize("name,fn", OVER_ELEMENTS, ids=[c[0] for c in OVER_ELEMENTS])
def test_creation_over_the_element_bound_is_refused_before_allocating(name, fn):
    tracemalloc.start()
    start = time.process_time()
    try:
        with pytest.raises(LimitError, match="over the limit"):
            fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.process_time() - start < 1.0
    assert peak < 20_000_000, peak  # the inputs are 800 kB; the refused result is 80 GB


def test_many_arrays_and_concatenation_are_bounded(bounds):
    bounds(max_elements=10_000)
    piece = np.ones(1000)
    for fn in (M["concatenate"], M["stack"], M["vstack"], M["hstack"]):
        with pytest.raises(LimitError):
            fn([piece] * 11)
        fn([piece] * 5)
    with pytest.raises(LimitError):
        M["concatenate"]([[1.0] * 1000] * 11)
    with pytest.raises(LimitError, match="rows"):
        M["vstack"](np.ones(200))  # a numpy object per row
    same(M["vstack"](np.ones(50)), np.vstack(np.ones(50)))
    same(M["concatenate"](torch.ones(2, 3)), np.concatenate(np.ones((2, 3), dtype=np.float32)))
    with pytest.raises(LimitError, match="tolist"):
        _get(np.ones(1001), "tolist")()
    _get(np.ones(1000), "tolist")()
    with pytest.raises(LimitError):
        M["meshgrid"](np.arange(100), np.arange(100), np.arange(2))
    M["meshgrid"](np.arange(100), np.arange(100), sparse=True)


def test_work_bound(bounds):
    bounds(max_work=1_000_000)
    a = np.ones((200, 200))
    for fn in (M["matmul"], M["dot"], M["inner"]):
        with pytest.raises(LimitError, match="multiply-adds"):
            fn(a, a)
    with pytest.raises(LimitError, match="multiply-adds"):
        M["matmul"](np.ones((30, 40, 40)), np.ones((40, 40)))
    with pytest.raises(LimitError, match="multiply-adds"):
        _get(a, "dot")(a)
    with pytest.raises(LimitError, match="multiply-adds"):
        M["linalg"].members["inv"](a)
    with pytest.raises(LimitError, match="multiply-adds"):
        M["linalg"].members["det"](a)
    M["matmul"](np.ones((50, 50)), np.ones((50, 50)))  # 125,000: fine


# ---- hostile: types, dtypes, reach ----------------------------------------------------------
class _UserObject:
    """Stands for an object of a script's class: numpy must never call back into it."""

    def __len__(self):
        raise AssertionError("numpy called back into a user object")

    def __getitem__(self, i):
        raise AssertionError("numpy called back into a user object")

    def __array__(self, *a, **k):
        raise AssertionError("numpy called back into a user object")

    def __index__(self):
        raise AssertionError("numpy called back into a user object")

    def __float__(self):
        raise AssertionError("numpy called back into a user object")


NON_NUMERIC = [object, "O", "object", "U10", "S5", "V8", "datetime64[s]", "timedelta64",
               [("a", "f4")], "(2,)f4", "M8", np.dtype(object), np.dtype([("a", "f4")])]


@pytest.mark.parametrize("dtype", NON_NUMERIC, ids=[repr(d) for d in NON_NUMERIC])
def test_non_numeric_dtypes_are_refused(dtype):
    for fn in (lambda: M["array"]([1, 2], dtype=dtype), lambda: M["zeros"](3, dtype=dtype),
               lambda: M["ones"](3, dtype), lambda: _get(V, "astype")(dtype),
               lambda: M["full"](2, 1, dtype=dtype), lambda: M["arange"](3, dtype=dtype)):
        with pytest.raises(TorchTypeError):
            fn()


def test_object_values_are_refused():
    for value in (2**70, [1, 2**70], [1, "a"], "abc", [[1], "ab"], {1: 2}, _UserObject(),
                  [_UserObject()], [1, [2, _UserObject()]], lambda: 0, types, np,
                  np.array([1, None], dtype=object)):
        with pytest.raises((TorchTypeError, TorchValueError, TorchRuntimeError)):
            M["array"](value)
    with pytest.raises(TorchTypeError):
        _get(np.array([1, 2], dtype=object), "sum")()


def _all_callables():
    out = []
    for table in (M, M["linalg"].members, RANDOM):
        for name, v in table.items():
            if callable(v) and not isinstance(v, ns.NumpyNamespace):
                out.append((name, v))
    for table in (ns.NDARRAY_ACCESSORS,):
        for name, acc in table.items():
            v = acc(A.copy())
            if callable(v):
                out.append(("ndarray." + name, v))
    g = np.random.default_rng(0)
    for name, acc in ns.GENERATOR_ACCESSORS.items():
        out.append(("Generator." + name, acc(g)))
    return out


WRONG = [_UserObject(), "x" * 100, {}, lambda: 0, types, None, 1.5, [_UserObject()],
         (1, "a"), np]


def test_wrong_types_become_adcli_errors_everywhere():
    """Every callable, with every wrong-typed value in each of its first three argument
    positions: a result or an AdcliError (or Python's own TypeError for a wrong argument
    count, which the interpreter maps as a user's mistake); never another exception, and
    never a call back into the user object."""
    start = time.process_time()
    for name, fn in _all_callables():
        for bad in WRONG:
            for pos in range(3):
                args = [np.array([1.0, 2.0])] * pos + [bad]
                try:
                    fn(*args)
                except AdcliError:
                    pass
                except TypeError as e:
                    assert type(e) is TypeError and "argument" in str(e), (name, bad, e)
    assert time.process_time() - start < 10


FORBIDDEN = ("load", "save", "savez", "savetxt", "loadtxt", "genfromtxt", "fromfile", "tofile",
             "memmap", "frombuffer", "fromstring", "ctypeslib", "ctypes", "lib", "testing",
             "distutils", "f2py", "core", "_core", "seterr", "dump",
             "dumps", "byteswap", "view", "tobytes", "__array_interface__", "base", "data",
             "flags", "setflags", "resize", "get_state", "set_state", "bit_generator",
             "__dict__", "__class__", "getbuffer")


def test_no_member_reaches_a_module_or_a_file():
    tables = (M, M["linalg"].members, RANDOM, ns.NDARRAY_ACCESSORS, ns.GENERATOR_ACCESSORS,
              ns.RANDOMSTATE_ACCESSORS, ns.DTYPE_ACCESSORS)
    for table in tables:
        for name in FORBIDDEN:
            assert name not in table, name
    allowed = (ns.NumpyFunction, ns.NumpyType, ns.NumpyNamespace, float, type(None),
               *{type(v) for v in ns.INDEX_TRICKS.values()})  # np.mgrid, np.r_, ...
    for table in (M, M["linalg"].members, RANDOM):
        for name, v in table.items():
            assert isinstance(v, allowed), (name, v)
            assert not isinstance(v, types.ModuleType | types.FunctionType | type)
    for name, acc in ns.NDARRAY_ACCESSORS.items():
        v = acc(A.copy())
        assert isinstance(v, ns.NumpyFunction | np.ndarray | np.generic | np.dtype | int
                          | tuple), (name, v)
    for acc in ns.DTYPE_ACCESSORS.values():
        assert isinstance(acc(A.dtype), str | int | ns.NumpyType)
    # np.ndarray and np.dtype do not construct unchecked
    with pytest.raises(TorchTypeError):
        M["ndarray"]((BIG, BIG))
    assert M["dtype"]("float32") == np.dtype("float32")
    with pytest.raises(TorchTypeError):
        M["dtype"]("O")


def test_a_tensor_in_a_list_is_read_through_its_memory():
    t = torch.ones(3)
    got = M["stack"]([t, t])
    same(got, np.ones((2, 3), dtype=np.float32))
    assert isinstance(t, Tensor)


POOL = [0, 1, -1, 3, 10**20, -10**20, 2.5, float("nan"), float("inf"), True, None, "ij", "fro",
        "float32", "O", (), (2,), (2, 3), [1, 2], [[1, 2], [3, 4]], [1.5, "a"], np.float32(2),
        np.int64(3), np.array(5), np.arange(6.0).reshape(2, 3), np.ones((3, 1)),
        np.array([True, False]), np.arange(4), np.zeros((2, 0)), M["float32"], M["exp"],
        torch.ones(2), torch.ones(2, requires_grad=True), range(5), 1j, {}, slice(1),
        np.random.default_rng(0), (1000, 1000, 10), [10**6] * 5, 1e300]
KEYWORDS = ("axis", "dtype", "keepdims", "size", "ddof", "k", "indexing", "replace", "p",
            "endpoint", "kind", "weights", "shape")


def test_random_argument_combinations(bounds):
    """Seeded combinations of odd values: a result or an adcli error, each call quick."""
    import random
    import warnings

    bounds(max_elements=10**6, max_work=10**8)
    rnd = random.Random(13)
    calls = _all_callables()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(3000):
            name, fn = rnd.choice(calls)
            args = [rnd.choice(POOL) for _ in range(rnd.randint(0, 3))]
            kw = {rnd.choice(KEYWORDS): rnd.choice(POOL)} if rnd.random() < 0.4 else {}
            start = time.process_time()
            try:
                fn(*args, **kw)
            except AdcliError:
                pass
            except TypeError as e:
                assert type(e) is TypeError and "argument" in str(e), (name, args, kw, e)
            assert time.process_time() - start < 2, (name, args, kw)


def test_operators():
    import operator

    for sym, fn in [("+", operator.add), ("-", operator.sub), ("*", operator.mul),
                    ("/", operator.truediv), ("//", operator.floordiv), ("%", operator.mod),
                    ("**", operator.pow), ("@", operator.matmul), ("<", operator.lt),
                    ("==", operator.eq)]:
        for a, b in [(V, V), (V, 2), (2.5, V), (IA, [1, 2, 3, 4]), ((1, 2, 3, 4), IA),
                     (F32, 1.5), (np.float32(2), 3)]:
            if sym == "@" and (np.ndim(a) == 0 or np.ndim(b) == 0):
                continue
            ra = np.asarray(a) if isinstance(a, list | tuple) else a
            rb = np.asarray(b) if isinstance(b, list | tuple) else b
            try:
                want = fn(ra, rb)
            except ValueError as e:
                with pytest.raises(TorchValueError) as got:
                    ns.ndarray_binop(sym, a, b, fn)
                assert str(got.value) == str(e)
                continue
            same(ns.ndarray_binop(sym, a, b, fn), want)
    x, y = IA.copy(), IA.copy()
    ns.ndarray_binop("+=", x, 1, operator.iadd)
    y += 1
    same(x, y)
    with pytest.raises(TorchTypeError, match="Cannot cast ufunc 'add' output"):
        ns.ndarray_binop("+=", IA.copy(), 1.5, operator.iadd)  # numpy's UFuncTypeError
    with pytest.raises(TorchValueError):
        ns.ndarray_binop("+", V, np.ones(3), operator.add)
    with pytest.raises(TorchTypeError):
        ns.ndarray_binop("+", V, _UserObject(), operator.add)
    with pytest.raises(TorchTypeError):
        ns.ndarray_binop("+", V, "a", operator.add)


def test_operator_bounds(bounds):
    import operator

    tracemalloc.start()
    try:
        with pytest.raises(LimitError):
            ns.ndarray_binop("+", np.ones((BIG, 1)), np.ones(BIG), operator.add)
        with pytest.raises(LimitError):
            ns.ndarray_binop("*", np.ones(3), [[0.0] * BIG] * BIG, operator.mul)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000
    bounds(max_work=1_000_000)
    with pytest.raises(LimitError, match="multiply-adds"):
        ns.ndarray_binop("@", np.ones((200, 200)), np.ones((200, 200)), operator.matmul)
