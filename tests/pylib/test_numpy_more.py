"""More of ``import numpy as np`` (adcli/lang/pylib/numpy_subset.py): statistics, splitting,
triangles, index finding, padding, counting, polynomials, interpolation, einsum, searching,
ufunc methods, print options, more np.random distributions.

Values and reprs are compared with real numpy computed here (the same numpy 2.4 as
/work/torchenv), a whole program's stdout with the output of that program under CPython
3.11 + torch 2.13 + numpy 2.4 (pasted below), numpy's error messages with numpy's own; and
the hostile side: results over the element bound refused before numpy allocates
(tracemalloc), the work bound, the bound on pieces, object/str values refused, print
options that could call back into a script's code refused.
"""

from __future__ import annotations

import time
import tracemalloc
import warnings

import numpy as np
import pytest

from adcli import limits as limits_mod
from adcli import programs
from adcli.errors import AdcliError, LimitError, TorchTypeError, TorchValueError
from adcli.lang.pylib import numpy_subset as ns
from adcli.limits import Limits

NP = ns.make_numpy()
M = NP.members
RANDOM = M["random"].members
UF = ns.UFUNC_ACCESSORS


@pytest.fixture
def bounds():
    previous = limits_mod.current()

    def install(**kw):
        limits_mod.install(Limits(**kw))

    yield install
    limits_mod.install(previous)


@pytest.fixture(autouse=True)
def _default_print_options():
    ns.reset_printoptions()
    yield
    ns.reset_printoptions()


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
V = np.array([3.0, -1.5, 0.25, 2.0, 7.5])
X = np.linspace(0, 1, 7)
Y = 3 * X ** 2 - X + 0.5
NO = np._NoValue

CASES = [
    ("copy", (A,), {}), ("copy", ([1, 2],), {}), ("copy", (IA,), {"order": "F"}),
    ("percentile", (V, 50), {}), ("percentile", (V, [25, 75]), {}),
    ("percentile", (A, 30), {"axis": 0}), ("percentile", (A, [10, 90], 1), {"keepdims": True}),
    ("percentile", (V, 40), {"method": "nearest"}), ("quantile", (V, 0.3), {}),
    ("quantile", (A, [0.1, 0.5]), {"axis": 0}), ("quantile", (IA, 0.5), {"axis": (0, 1)}),
    ("corrcoef", (A,), {}), ("corrcoef", (V, V ** 2), {}), ("corrcoef", (A,), {"rowvar": False}),
    ("cov", (A,), {}), ("cov", (V,), {}), ("cov", (A,), {"rowvar": False, "bias": True}),
    ("cov", (V, V[::-1]), {"ddof": 0}), ("cov", (A,), {"aweights": [1, 2, 3, 4]}),
    ("diff", (V,), {}), ("diff", (V, 2), {}), ("diff", (IA,), {"axis": 0}), ("diff", (V, 10), {}),
    ("diff", (V,), {"prepend": 0}), ("diff", (IA,), {"append": IA[:, :1]}),
    ("diff", (np.array([True, False, False]),), {}), ("diff", (IA, 0), {}),
    ("split", (np.arange(9), 3), {}), ("split", (np.arange(9), [2, 5]), {}),
    ("split", (IA, 2), {"axis": 1}), ("array_split", (np.arange(10), 3), {}),
    ("array_split", (IA, 2, 1), {}), ("hsplit", (IA, 2), {}), ("vsplit", (IA, [1]), {}),
    ("dsplit", (np.ones((1, 2, 4)), 2), {}),
    ("triu", (A,), {}), ("tril", (A, -1), {}), ("triu", (V,), {}), ("tril", (IA, 1), {}),
    ("triu", (np.ones((2, 3, 3)),), {}),
    ("triu_indices", (3,), {}), ("tril_indices", (3, -1), {}), ("triu_indices", (3, 1, 4), {}),
    ("triu_indices_from", (A,), {}), ("tril_indices_from", (IA, 1), {}),
    ("nonzero", (IA % 3 == 0,), {}), ("nonzero", (V,), {}), ("argwhere", (IA > 8,), {}),
    ("flatnonzero", (IA % 4,), {}),
    ("pad", (V, 2), {}), ("pad", (IA, ((1, 0), (2, 1))), {"constant_values": -1}),
    ("pad", (V, (1, 3)), {"mode": "edge"}), ("pad", (V, 3, "reflect"), {}),
    ("pad", (IA, 1, "symmetric"), {}), ("pad", (V, (2, 7), "wrap"), {}),
    ("pad", (V, 2, "mean"), {}), ("pad", (V, 2, "linear_ramp"), {"end_values": (5, -5)}),
    ("pad", (A, 1, "maximum"), {}), ("pad", (V, 2, "reflect"), {"reflect_type": "odd"}),
    ("pad", (V, 1, "minimum"), {"stat_length": 2}), ("pad", (np.ones(2), 9, "reflect"), {}),
    ("bincount", ([0, 1, 1, 3],), {}), ("bincount", (np.array([2, 2, 5]),), {"minlength": 8}),
    ("bincount", ([0, 1, 1],), {"weights": [0.5, 1.0, 2.0]}), ("bincount", ([],), {}),
    ("bincount", ([1.0, 2.0],), {}),
    ("histogram", (V,), {}), ("histogram", (V,), {"bins": 3}),
    ("histogram", (V,), {"bins": [-2, 0, 2, 8], "density": True}),
    ("histogram", (IA, 4), {"range": (0, 8)}), ("histogram", (V, 3), {"weights": V}),
    ("polyfit", (X, Y, 2), {}), ("polyfit", (X, np.stack([Y, 2 * Y], 1), 1), {}),
    ("polyfit", (X, Y, 1), {"full": True}), ("polyval", ([3.0, -1.0, 0.5], 0.5), {}),
    ("polyval", ([1, 2, 3], X), {}),
    ("interp", (2.5, [1, 2, 3], [3, 2, 0]), {}),
    ("interp", ([0, 1, 1.5, 2.72, 3.14], [1, 2, 3], [3, 2, 0]), {"left": -1, "right": 9}),
    ("interp", (370, [0, 90, 180, 270], [1, 2, 3, 4]), {"period": 360}),
    ("einsum", ("ij,jk->ik", A, A.T), {}), ("einsum", ("ii", np.ones((3, 3))), {}),
    ("einsum", ("ij->ji", IA), {}), ("einsum", ("i,i", V, V), {}),
    ("einsum", ("ij,j", A, np.ones(4)), {}),
    ("einsum", ("...ij,...jk", np.ones((2, 3, 4)), np.ones((4, 2))), {}),
    ("einsum", ("bij,bjk->bik", np.ones((2, 2, 3)), np.ones((2, 3, 1))), {"optimize": True}),
    ("einsum", ("i,j->ij", V, V[:2]), {}), ("einsum", ("ij", IA), {}),
    ("searchsorted", ([1, 2, 3, 4, 5], 3), {}),
    ("searchsorted", ([1, 2, 3, 4, 5], 3), {"side": "right"}),
    ("searchsorted", ([1, 2, 3, 4, 5], [-10, 10, 2, 3]), {}),
    ("searchsorted", (V, 1.0), {"sorter": np.argsort(V)}),
    ("digitize", (V, [0, 1, 2.5]), {}), ("digitize", (V, [0, 1, 2.5]), {"right": True}),
    ("roll", (V, 2), {}), ("roll", (IA, 1), {}), ("roll", (IA, -1), {"axis": 1}),
    ("roll", (IA, (1, 2)), {"axis": (0, 1)}),
    ("isin", (IA, [1, 5, 7]), {}), ("isin", (V, [0.25]), {"invert": True}),
    ("isin", ([1, 2], [2]), {"kind": "table"}),
    ("argmax", (A,), {"axis": 1, "keepdims": True}), ("argmin", (IA,), {"axis": 0,
                                                                      "keepdims": True}),
    ("array2string", (A,), {}), ("array2string", (V,), {"precision": 2, "separator": ", "}),
    ("array2string", (IA,), {"prefix": "x = "}), ("array2string", (V,), {"suppress_small": True,
                                                                          "sign": "+"}),
    ("array_repr", (V,), {"precision": 3}), ("array_str", (A,), {"max_line_width": 20}),
    ("get_printoptions", (), {}),
]
W = np.array([[1.0, np.nan], [3.0, 4.0]])
VN = np.array([3.0, np.nan, 0.25, 2.0, 7.5])
Z = np.array([1.0, 0.0, 3.0]) + 1j * np.array([2.0, -1.0, 0.0])
CASES += [
    ("nanmean", (VN,), {}), ("nansum", (W,), {"axis": 0}), ("nanmax", (W,), {"axis": 1}),
    ("nanmin", (VN,), {}), ("nanstd", (VN,), {}), ("nanvar", (W,), {"ddof": 1}),
    ("nanargmax", (VN,), {}), ("nanargmin", (W,), {"axis": 0}), ("nanmedian", (W,), {}),
    ("nanpercentile", (VN, 50), {}), ("nanquantile", (W, [0.5]), {"axis": 1}),
    ("nanprod", (VN,), {}), ("nanmean", (W,), {"axis": 1, "keepdims": True}),
    ("atleast_1d", (3.0,), {}), ("atleast_2d", ([1, 2],), {}), ("atleast_3d", (A,), {}),
    ("atleast_1d", (1, [2, 3]), {}), ("fliplr", (A,), {}), ("flipud", (A,), {}),
    ("rot90", (A,), {}), ("rot90", (A, 2), {}), ("rot90", (IA, 1, (1, 0)), {}),
    ("moveaxis", (np.ones((2, 3, 4)), 0, -1), {}), ("broadcast_to", ([1, 2, 3], (2, 3)), {}),
    ("broadcast_arrays", (np.ones((2, 1)), np.arange(3)), {}),
    ("take", (A, [0, 3]), {}), ("take", (A, [1]), {"axis": 1}),
    ("take", ([1, 2, 3], [5]), {"mode": "clip"}),
    ("take_along_axis", (A, np.argsort(A, axis=1)), {"axis": 1}),
    ("append", ([1, 2], [[3, 4]]), {}), ("append", (A, A[:1]), {"axis": 0}),
    ("delete", (A, 1), {"axis": 0}), ("delete", (np.arange(6), [0, 2]), {}),
    ("delete", (np.arange(6), slice(1, 4)), {}),
    ("convolve", ([1, 2, 3], [0, 1, 0.5]), {}), ("convolve", ([1, 2, 3], [1, 1], "same"), {}),
    ("correlate", ([1, 2, 3], [0, 1, 0.5]), {}), ("correlate", ([1, 2, 3], [1, 1], "full"), {}),
    ("tensordot", (A, A), {"axes": ([1], [1])}), ("tensordot", (A, A.T, 1), {}),
    ("tensordot", (np.ones((2, 3, 4)), np.ones((3, 4, 5))), {}),
    ("tensordot", ([1, 2], [3, 4], 0), {}),
    ("cross", ([1, 2, 3], [4, 5, 6]), {}), ("kron", (np.eye(2), [[1, 2], [3, 4]]), {}),
    ("tri", (3,), {}), ("tri", (2, 4, 1), {"dtype": int}), ("diagflat", ([1, 2], 1), {}),
    ("nan_to_num", (np.array([np.nan, np.inf, -np.inf, 1.0]),), {}),
    ("nan_to_num", (VN,), {"nan": -1.0}), ("unravel_index", (7, (3, 4)), {}),
    ("unravel_index", ([1, 5], (2, 3)), {}), ("isscalar", (3.0,), {}),
    ("isscalar", (np.float32(1),), {}), ("isscalar", ([1],), {}), ("isscalar", (A,), {}),
    ("real", (Z,), {}), ("imag", (Z,), {}), ("angle", (Z,), {}), ("angle", (Z,), {"deg": True}),
    ("conj", (Z,), {}), ("conjugate", (Z,), {}),
    ("intersect1d", ([1, 3, 4, 3], [3, 1, 2, 1]), {}),
    ("intersect1d", ([1, 3, 4], [3, 1, 2]), {"return_indices": True}),
    ("union1d", ([-1, 0, 1], [-2, 0, 2]), {}), ("setdiff1d", ([1, 2, 3, 2, 4, 1], [3, 4, 5]), {}),
    ("dstack", (([1, 2], [3, 4]),), {}), ("ediff1d", ([1, 2, 4, 7],), {}),
    ("ediff1d", ([1, 2, 4],), {"to_end": [99], "to_begin": -1}),
    ("heaviside", ([-1.5, 0, 2.0], 0.5), {}), ("copysign", (1.0, -2.0), {}),
    ("float_power", (2, 3), {}), ("fmod", ([-3, 3], 2), {}), ("logaddexp2", (1.0, 1.0), {}),
    ("gcd", (12, 20), {}), ("lcm", ([4, 6], 10), {}), ("signbit", ([-1.0, 0.0],), {}),
    ("positive", (-2,), {}),
]
PA = np.array([7, 1, 5, 3, 9, 2])
CASES += [
    ("partition", (PA, 2), {}), ("argpartition", (PA, 2), {}), ("argpartition", (PA, [1, 4]), {}),
    ("partition", (IA[::-1], 1), {"axis": 0}), ("partition", (PA, 1), {"axis": None}),
    ("gradient", ([1, 2, 4, 7, 11],), {}),
    ("gradient", (np.array([[1, 2, 6], [3, 4, 5]], dtype=float),), {}),
    ("gradient", ([1, 2, 4, 7], 2.0), {}),
    ("gradient", ([1.0, 2, 4, 7], [0, 1, 1.5, 3.5]), {"edge_order": 2}),
    ("gradient", (A,), {"axis": 1}), ("trapezoid", ([1, 2, 3],), {}),
    ("trapezoid", ([1, 2, 3],), {"x": [4, 6, 8]}), ("trapezoid", ([1, 2, 3],), {"dx": 2}),
    ("trapezoid", (IA,), {"axis": 0}), ("sinc", (np.linspace(-2, 2, 5),), {}),
    ("indices", ((2, 3),), {}), ("indices", ((2, 2),), {"sparse": True}),
    ("histogram_bin_edges", ([1, 2, 3, 10],), {"bins": 4}),
    ("histogram_bin_edges", ([1, 2],), {"bins": [0, 1, 5]}),
]


def test_finfo_iinfo():
    for arg in (np.float32, float, "float16", np.float64, np.dtype("float32"), np.complex64):
        got, want = M["finfo"](arg), np.finfo(arg)
        assert repr(got) == repr(want)
        table = ns.accessor_table(got)
        assert table is ns.FINFO_ACCESSORS
        for name in table:
            same(table[name](got), getattr(want, name))
    for arg in (np.int32, "uint8", int, np.int64):
        got, want = M["iinfo"](arg), np.iinfo(arg)
        assert repr(got) == repr(want) and ns.accessor_table(got) is ns.IINFO_ACCESSORS
        for name in ns.IINFO_ACCESSORS:
            assert ns.IINFO_ACCESSORS[name](got) == getattr(want, name)
    assert repr(M["finfo"]) == "<class 'numpy.finfo'>"
    with pytest.raises(TorchValueError, match="^data type <class 'numpy.int64'> not inexact$"):
        M["finfo"](int)
    with pytest.raises(TorchValueError, match="^Invalid integer data type 'f'.$"):
        M["iinfo"](float)
    for bad in ("O", object, _UserObject(), "U3"):
        with pytest.raises(TorchTypeError):
            M["finfo"](bad)


XI = np.arange(6).reshape(3, 2)
TRICKS = [
    ("mgrid", (slice(0, 3), slice(0, 2))), ("mgrid", slice(-1, 1, 5j)),
    ("mgrid", (slice(-1, 1, 0.5), slice(0, 3, 4j))), ("mgrid", (slice(0, 0), slice(0, 3))),
    ("ogrid", (slice(0, 3), slice(0, 2))), ("ogrid", slice(0, 1, 3j)),
    ("c_", (XI, np.array([1, 0, 1]))), ("c_", ([1, 2, 3], [4, 5, 6])),
    ("c_", (np.ones(2), np.zeros(2))), ("r_", (slice(1, 4), 0, 4, [7, 8])),
    ("r_", slice(-1, 1, 5j)), ("r_", (np.array([1, 2]), 3)), ("r_", ("0,2", [1, 2], [3, 4])),
    ("r_", ("-1", XI, XI)), ("s_", slice(1, 3)), ("s_", (slice(None, None, 2), 1)),
    ("index_exp", slice(2, None)),
]


@pytest.mark.parametrize("name,key", TRICKS, ids=[f"{c[0]}-{i}" for i, c in enumerate(TRICKS)])
def test_index_tricks_match_numpy(name, key):
    same(M[name][key], getattr(np, name)[key])


def test_index_tricks_errors_and_bounds():
    assert repr(M["mgrid"]).startswith("<numpy.lib._index_tricks_impl.MGridClass object at")
    with pytest.raises(TorchValueError, match="^special directives must be the first entry.$"):
        M["r_"][1, "a"]
    for fn in (lambda: M["r_"]["r", [1, 2]], lambda: M["mgrid"]["a":3],
               lambda: M["r_"][[_UserObject()]], lambda: M["c_"][np.array(["a"])],
               lambda: M["mgrid"][[1, 2]]):
        with pytest.raises((TorchTypeError, TorchValueError)):
            fn()
    tracemalloc.start()
    try:
        for fn in (lambda: M["mgrid"][0:10**12], lambda: M["mgrid"][0:BIG, 0:BIG],
                   lambda: M["ogrid"][0:10**9, 0:3], lambda: M["r_"][0:10**12],
                   lambda: M["c_"][np.ones(BIG), 0:10**9], lambda: M["mgrid"][0:1:10**12 * 1j],
                   lambda: M["r_"][[1.0] * BIG, [[1.0] * BIG] * 2000]):
            with pytest.raises(LimitError, match="over the limit"):
                fn()
        assert tracemalloc.get_traced_memory()[1] < 20_000_000
    finally:
        tracemalloc.stop()


S2 = np.array([[4.0, 1.0], [1.0, 3.0]])
LINALG_CASES = [
    ("eig", (S2,), {}), ("eigvals", (S2,), {}), ("eigh", (S2,), {}), ("eigvalsh", (S2,), {}),
    ("eigh", (S2,), {"UPLO": "U"}), ("svd", (A,), {}), ("svd", (A,), {"full_matrices": False}),
    ("svd", (A,), {"compute_uv": False}), ("qr", (A,), {}), ("qr", (A,), {"mode": "complete"}),
    ("qr", (A,), {"mode": "r"}), ("pinv", (A,), {}), ("pinv", (S2,), {"hermitian": True}),
    ("cholesky", (S2,), {}), ("cholesky", (S2,), {"upper": True}), ("slogdet", (S2,), {}),
    ("matrix_power", (S2, 3), {}), ("matrix_power", (S2, -2), {}),
    ("matrix_power", (S2, 0), {}), ("cond", (S2,), {}), ("cond", (S2, "fro"), {}),
    ("cond", (S2, 1), {}), ("multi_dot", ([A, A.T, A],), {}),
    ("multi_dot", ([np.ones(3), A, np.ones(4)],), {}),
]


@pytest.mark.parametrize("name,args,kwargs", LINALG_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(LINALG_CASES)])
def test_linalg_matches_numpy(name, args, kwargs):
    want = getattr(np.linalg, name)(*args, **kwargs)
    got = M["linalg"].members[name](*args, **kwargs)
    if isinstance(want, tuple):  # numpy's result namedtuples (EigResult, SVDResult, ...)
        assert type(got) is type(want) and repr(got) == repr(want)
        for g, w in zip(got, want, strict=True):
            same(g, w)
    else:
        same(got, want)


def test_fill_diagonal_in_place():
    got, want = np.zeros((3, 3)), np.zeros((3, 3))
    assert M["fill_diagonal"](got, 5) is None
    np.fill_diagonal(want, 5)
    same(got, want)
    got, want = np.zeros((5, 2)), np.zeros((5, 2))
    M["fill_diagonal"](got, [1, 2], wrap=True)
    np.fill_diagonal(want, [1, 2], wrap=True)
    same(got, want)
    with pytest.raises(TorchTypeError):
        M["fill_diagonal"]([[0, 0], [0, 0]], 1)


@pytest.mark.parametrize("name,args,kwargs", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_member_matches_numpy(name, args, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = getattr(np, name)(*args, **kwargs)
        got = M[name](*args, **kwargs)
    same(got, want)


UFUNC_CASES = [
    ("maximum", "accumulate", (V,), {}), ("add", "accumulate", (IA,), {"axis": 1}),
    ("multiply", "accumulate", ([1, 2, 3],), {}), ("add", "reduce", (IA,), {}),
    ("add", "reduce", (IA,), {"axis": 1, "keepdims": True}), ("maximum", "reduce", (V,), {}),
    ("add", "reduce", (IA,), {"axis": None}), ("minimum", "reduce", ([],), {"initial": 5}),
    ("multiply", "outer", ([1, 2, 3], [4, 5]), {}), ("subtract", "outer", (V[:2], IA), {}),
    ("equal", "outer", ([1, 2], [2]), {}), ("logical_or", "reduce", ([True, False],), {}),
]


@pytest.mark.parametrize("uf,method,args,kwargs", UFUNC_CASES,
                         ids=[f"{c[0]}.{c[1]}-{i}" for i, c in enumerate(UFUNC_CASES)])
def test_ufunc_methods_match_numpy(uf, method, args, kwargs):
    same(UF[method](M[uf])(*args, **kwargs), getattr(getattr(np, uf), method)(*args, **kwargs))


def test_ufunc_at_and_attributes():
    for index, value in (([0, 0, 2], 1.5), (np.array([1, 1]), np.array([2.0, 3.0])),
                         (slice(1, 3), 1.0)):
        got, want = np.zeros(4), np.zeros(4)
        assert UF["at"](M["add"])(got, index, value) is None
        np.add.at(want, index, value)
        same(got, want)
    got, want = np.zeros((2, 3)), np.zeros((2, 3))
    key = (np.array([0, 1, 0]), np.array([2, 2, 2]))
    UF["at"](M["add"])(got, key, np.array([1.0, 2.0, 3.0]))
    np.add.at(want, key, np.array([1.0, 2.0, 3.0]))
    same(got, want)
    got, want = np.arange(4.0), np.arange(4.0)
    UF["at"](M["negative"])(got, [0, 2])
    np.negative.at(want, [0, 2])
    same(got, want)
    assert UF["nin"](M["add"]) == 2 and UF["nout"](M["exp"]) == 1
    assert UF["__name__"](M["add"]) == "add"
    assert repr(UF["reduce"](M["add"])).startswith("<built-in method reduce of numpy.ufunc")
    assert ns.accessor_table(M["add"]) is UF and ns.accessor_table(M["sum"]) is None
    # numpy's own errors; an index out of range is numpy's IndexError (numpy's ufunc.at
    # itself fails with a SystemError when the value is an array)
    a = np.arange(6.0).reshape(2, 3)
    with pytest.raises(AdcliError, match="^index 10000000 is out of bounds for axis 1 "
                                         "with size 3$"):
        UF["at"](M["add"])(a, (1, 10**7), a)
    with pytest.raises(TorchValueError, match="^reduce only supported for binary functions$"):
        UF["reduce"](M["exp"])([1.0, 2.0])
    with pytest.raises(TorchTypeError):
        UF["at"](M["add"])([1, 2], [0], 1)
    with pytest.raises(TorchTypeError):
        UF["reduce"](M["add"])(np.ones(2), out=np.ones(1))


RANDOM_CALLS = [
    ("beta", (2, 3, 2), {}), ("gamma", (2.0,), {"size": 2}), ("lognormal", (0, 1, 2), {}),
    ("laplace", (), {"size": (2, 2)}), ("logistic", (0, 1, 2), {}), ("gumbel", (), {"size": 2}),
    ("geometric", (0.3, 3), {}), ("chisquare", (2, 2), {}), ("standard_t", (3, 2), {}),
    ("standard_exponential", (2,), {}), ("beta", (np.ones(3), 2.0), {}),
    ("multivariate_normal", ([0, 1], [[1, 0.5], [0.5, 2]]), {"size": 3}),
    ("multivariate_normal", ([0, 1], [[1, 0.5], [0.5, 2]]), {}),
    ("multinomial", (10, [0.2, 0.8]), {"size": 2}), ("dirichlet", ([1, 2, 3],), {}),
    ("choice", ([1, 2, 3],), {"size": (2, 2), "p": [0.2, 0.3, 0.5]}),
    ("permutation", (np.arange(4),), {}), ("normal", (0, 1, (2, 3)), {}),
    ("randint", (0, 10, (2, 2)), {}),
]


@pytest.mark.parametrize("seed", [0, 7])
def test_more_random_streams_match_numpy(seed):
    np.random.seed(seed)
    RANDOM["seed"](seed)
    for name, args, kwargs in RANDOM_CALLS:
        same(RANDOM[name](*args, **kwargs), getattr(np.random, name)(*args, **kwargs))
    got, want = RANDOM["default_rng"](seed), np.random.default_rng(seed)
    for name, args, kwargs in RANDOM_CALLS:
        if name in ("randint", "standard_exponential", "choice"):
            continue
        same(ns.GENERATOR_ACCESSORS[name](got)(*args, **kwargs),
             getattr(want, name)(*args, **kwargs))


# ---- printing ----------------------------------------------------------------------------
def test_print_options_as_numpy():
    M["set_printoptions"](precision=3, suppress=True)
    assert str(A) == np.array2string(A, precision=3, suppress_small=True)
    assert M["get_printoptions"]()["precision"] == 3
    manager = M["printoptions"](precision=1, linewidth=30)
    assert repr(manager).startswith("<contextlib._GeneratorContextManager object at 0x")
    opts = manager.__enter__()
    assert opts["precision"] == 1 and opts["linewidth"] == 30
    assert str(A) == np.array2string(A, precision=1, max_line_width=30, suppress_small=True)
    manager.__exit__(None, None, None)
    assert M["get_printoptions"]()["precision"] == 3
    M["set_printoptions"](threshold=5, edgeitems=1)
    assert str(np.arange(100)) == "[ 0 ... 99]"  # numpy 2.4's str of it at these options
    ns.make_numpy()  # a new session's numpy starts from numpy's defaults
    assert M["get_printoptions"]() == ns._DEFAULT_PRINTOPTIONS
    np.set_printoptions()


def test_print_options_refused():
    for kw in ({"precision": 10**6}, {"precision": 1.5}, {"precision": "3"},
               {"threshold": "a"}, {"linewidth": [1]}, {"nanstr": "x" * 2000},
               {"nanstr": 3}, {"formatter": {"float": lambda x: "x"}},
               {"formatter": {"float": print}}, {"formatter": "x"},
               {"legacy": "1.0"}, {"legacy": np.ones(2)}, {"override_repr": repr},
               {"sign": "x"}, {"floatmode": "y"}, {"suppress": "yes"}):
        with pytest.raises(AdcliError):
            M["set_printoptions"](**kw)
        with pytest.raises(AdcliError):
            with M["printoptions"](**kw):
                pass
    assert M["get_printoptions"]() == ns._DEFAULT_PRINTOPTIONS
    with pytest.raises(TorchTypeError):
        M["array2string"](V, separator=3)
    with pytest.raises(TorchTypeError):
        M["printoptions"](1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)


PROGRAM = """\
import numpy as np
import torch
a = np.arange(12, dtype=float).reshape(3, 4) / 7
v = np.array([3.0, -1.5, 0.25, 2.0, 7.5])
print(np.percentile(v, [25, 75]), np.quantile(a, 0.5, axis=0))
print(np.corrcoef(v, v ** 2))
print(np.split(np.arange(6), 3), np.triu(a, 1))
print(np.pad(v, (1, 2), 'reflect'), np.bincount([0, 2, 2]))
print(np.histogram(v, bins=3))
print(np.polyfit([0, 1, 2, 3], [1, 3, 5, 7.5], 1), np.einsum('ij,j->i', a, np.ones(4)))
print(np.maximum.accumulate(v), np.add.reduce(a, axis=1), np.multiply.outer([1, 2], [3, 4]))
acc = np.zeros(3)
np.add.at(acc, [0, 0, 2], 1.5)
print(acc)
np.set_printoptions(precision=3, suppress=True)
print(a, v * 1e-6)
with np.printoptions(precision=1, linewidth=40) as opts:
    print(a, opts["precision"])
print(a)
np.set_printoptions(formatter={'float': '{: 0.2f}'.format})
print(v)
np.set_printoptions(formatter=None, precision=8, suppress=False, threshold=4, edgeitems=1)
print(np.arange(10), np.array2string(v, separator=', ', precision=2))
print(torch.tensor([1.23456789, 2.0]))
np.random.seed(1)
print(np.random.multivariate_normal([0, 1], [[1, 0.5], [0.5, 2]], size=2), np.random.beta(2, 3, 2))
print(np.random.choice([1, 2, 3], size=(2, 2), p=[0.2, 0.3, 0.5]))
"""
# The stdout of PROGRAM under CPython 3.11 + torch 2.13.0 + numpy 2.4.6 (/work/torchenv).
PROGRAM_STDOUT = (
    '[0.25 3.  ] [0.57142857 0.71428571 0.85714286 1.        ]\n'
    '[[1.         0.90837002]\n'
    ' [0.90837002 1.        ]]\n'
    '[array([0, 1]), array([2, 3]), array([4, 5])] [[0.         0.14285714 0.28571429 0.42857143]\n'
    ' [0.         0.         0.85714286 1.        ]\n'
    ' [0.         0.         0.         1.57142857]]\n'
    '[-1.5   3.   -1.5   0.25  2.    7.5   2.    0.25] [1 0 2]\n'
    '(array([2, 2, 1]), array([-1.5,  1.5,  4.5,  7.5]))\n'
    '[2.15 0.9 ] [0.85714286 3.14285714 5.42857143]\n'
    '[3.  3.  3.  3.  7.5] [0.85714286 3.14285714 5.42857143] [[3 4]\n'
    ' [6 8]]\n'
    '[3.  0.  1.5]\n'
    '[[0.    0.143 0.286 0.429]\n'
    ' [0.571 0.714 0.857 1.   ]\n'
    ' [1.143 1.286 1.429 1.571]] [ 0. -0.  0.  0.  0.]\n'
    '[[0.  0.1 0.3 0.4]\n'
    ' [0.6 0.7 0.9 1. ]\n'
    ' [1.1 1.3 1.4 1.6]] 1\n'
    '[[0.    0.143 0.286 0.429]\n'
    ' [0.571 0.714 0.857 1.   ]\n'
    ' [1.143 1.286 1.429 1.571]]\n'
    '[ 3.00 -1.50  0.25  2.00  7.50]\n'
    '[0 ... 9] [3. , ..., 7.5]\n'
    'tensor([1.2346, 2.0000])\n'
    '[[ 0.42021449  3.43795065]\n'
    ' [-1.18297314  0.64068323]] [0.88478194 0.48105963]\n'
    '[[2 3]\n'
    ' [1 1]]\n'
)


def test_program_prints_as_numpy():
    out, err = [], []
    outcome = programs.run_python(PROGRAM, "prog.py", Limits(), out.append, err.append)
    assert not outcome.failed and not outcome.internal, "".join(err)
    assert "".join(out) == PROGRAM_STDOUT


# ---- numpy's own errors, as adcli errors -------------------------------------------------
ERRORS = [
    ("split", (np.arange(9), 4), {}), ("pad", (np.ones(3), -1), {}),
    ("pad", (np.ones(3), 1.5), {}), ("pad", (np.ones(3), 1), {"mode": "bogus"}),
    ("pad", (np.ones((2, 2)), [[1, 2], [3, 4], [5, 6]]), {}),
    ("bincount", ([-1, 2],), {}), ("bincount", (np.array([1.5]),), {}),
    ("einsum", ("ij,jk", np.ones((2, 3)), np.ones((2, 3))), {}),
    ("einsum", ("ij", np.ones(3)), {}), ("einsum", ("ij->k", np.ones((2, 2))), {}),
    ("nonzero", (np.float64(3),), {}), ("array_split", (np.arange(3), 0), {}),
    ("percentile", ([1, 2], 120), {}), ("quantile", ([1, 2], 0.5), {"axis": 2}),
    ("diff", (np.ones(3), -1), {}), ("diff", (np.float64(1),), {}),
    ("cov", (np.ones((2, 2, 2)),), {}), ("polyfit", ([1, 2], [1, 2, 3], 1), {}),
    ("interp", ([1], [1, 2], [1]), {}), ("roll", (np.ones(3), 1), {"axis": 2}),
    ("searchsorted", ([1, 2], 1), {"side": "x"}), ("histogram", ([1, 2],), {"bins": -1}),
    ("isin", ([1], [2]), {"kind": "x"}), ("hsplit", (np.float64(1), 2), {}),
    ("digitize", ([1], [[1]]), {}), ("triu_indices_from", (np.ones(3),), {}),
    ("array2string", ([1, 2],), {}), ("histogram", ([1, 2],), {"bins": [2, 1]}),
    ("tensordot", (np.ones(3), np.ones(3), 2), {}),
    ("tensordot", (np.ones((3, 3)), np.ones(3), 2), {}),
    ("finfo", (int,), {}), ("iinfo", (float,), {}), ("gradient", ([1],), {}),
    ("argpartition", (PA, 10), {}), ("linalg.cholesky", (-S2,), {}),
    ("linalg.svd", (np.ones(3),), {}),
    ("linalg.multi_dot", ([np.ones(3)],), {}), ("linalg.matrix_power", (np.ones((2, 3)), 2), {}),
]


@pytest.mark.parametrize("name,args,kwargs", ERRORS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(ERRORS)])
def test_numpy_errors(name, args, kwargs):
    real, ours = (np.linalg, M["linalg"].members) if name.startswith("linalg.") else (np, M)
    name = name.removeprefix("linalg.")
    with pytest.raises(Exception) as want:  # noqa: PT011 - numpy's error is the reference
        getattr(real, name)(*args, **kwargs)
    with pytest.raises(AdcliError) as got:
        ours[name](*args, **kwargs)
    assert isinstance(got.value, type(want.value)) or (
        type(want.value).__name__ in ("AxisError", "LinAlgError")
        and got.value.kind.endswith(type(want.value).__name__))
    assert str(got.value) == str(want.value)


# ---- hostile: bounds ---------------------------------------------------------------------
BIG = 10**5
OVER_ELEMENTS = [
    ("percentile", lambda: M["percentile"](np.ones((2, BIG)), np.ones(BIG) / 2, axis=0)),
    ("quantile", lambda: M["quantile"](np.ones((2, BIG)), np.ones(BIG) / 2, axis=0)),
    ("cov", lambda: M["cov"](np.ones((BIG, 2)))), ("corrcoef", lambda: M["corrcoef"](
        np.ones((2, BIG)), rowvar=False)),
    ("cov-y", lambda: M["cov"](np.ones(2), np.ones((BIG, 2)))),
    ("triu", lambda: M["triu"](np.ones(BIG))), ("tril", lambda: M["tril"](np.ones(BIG))),
    ("triu_indices", lambda: M["triu_indices"](BIG)),
    ("tril_indices", lambda: M["tril_indices"](10, 0, 10**12)),
    ("pad", lambda: M["pad"](np.ones(10), 10**12)),
    ("pad-2d", lambda: M["pad"](np.ones((2, 2)), ((0, BIG), (0, BIG)), "edge")),
    ("pad-reflect", lambda: M["pad"](np.ones((2, 2)), BIG, "reflect")),
    ("bincount", lambda: M["bincount"]([10**12])),
    ("bincount-minlength", lambda: M["bincount"]([1], minlength=10**12)),
    ("bincount-float-list", lambda: M["bincount"]([1e300])),
    ("histogram", lambda: M["histogram"](V, bins=10**12)),
    ("polyfit", lambda: M["polyfit"](np.ones(BIG), np.ones(BIG), BIG)),
    ("einsum-outer", lambda: M["einsum"]("i,j->ij", np.ones(BIG), np.ones(BIG))),
    ("einsum-implicit", lambda: M["einsum"]("i,j", np.ones(BIG), np.ones(BIG))),
    ("einsum-ellipsis", lambda: M["einsum"]("...,...", np.ones((BIG, 1)), np.ones(BIG))),
    ("isin-table", lambda: M["isin"]([1], [0, 10**12], kind="table")),
    ("ufunc-outer", lambda: UF["outer"](M["add"])(np.ones(BIG), np.ones(BIG))),
    ("multivariate_normal",
     lambda: RANDOM["multivariate_normal"](np.zeros(2), np.eye(2), size=(BIG, BIG))),
    ("multinomial", lambda: RANDOM["multinomial"](10, [0.5, 0.5], size=(BIG, BIG))),
    ("dirichlet", lambda: RANDOM["dirichlet"]([1, 1], size=(BIG, BIG))),
    ("beta", lambda: RANDOM["beta"](1, 1, size=(BIG, BIG))),
    ("beta-broadcast", lambda: RANDOM["beta"](np.ones((BIG, 1)), np.ones(BIG))),
    ("gamma", lambda: RANDOM["gamma"](1.0, 1.0, (BIG, BIG))),
    ("standard_exponential", lambda: RANDOM["standard_exponential"]((BIG, BIG))),
    ("nanpercentile", lambda: M["nanpercentile"](np.ones((2, BIG)), np.ones(BIG) / 2, axis=0)),
    ("broadcast_to", lambda: M["broadcast_to"](1.0, (BIG, BIG))),
    ("broadcast_arrays", lambda: M["broadcast_arrays"](np.ones((BIG, 1)), np.ones(BIG))),
    ("take", lambda: M["take"](np.ones((BIG, 2)), np.zeros(BIG, dtype=int), axis=1)),
    ("take_along_axis", lambda: M["take_along_axis"](np.ones((1, BIG)),
                                                     np.zeros((BIG, 1), dtype=int), 0)),
    ("kron", lambda: M["kron"](np.ones(BIG), np.ones(BIG))),
    ("tri", lambda: M["tri"](BIG)), ("diagflat", lambda: M["diagflat"](np.ones(BIG))),
    ("cross", lambda: M["cross"](np.ones((BIG, 1, 3)), np.ones((BIG, 3)))),
    ("tensordot", lambda: M["tensordot"](np.ones(BIG), np.ones(BIG), 0)),
    ("unravel_index", lambda: M["unravel_index"](0, (BIG, BIG))),
    ("svd-full", lambda: M["linalg"].members["svd"](np.ones((BIG, 2)))),
    ("qr-complete", lambda: M["linalg"].members["qr"](np.ones((BIG, 2)), "complete")),
    ("multi_dot", lambda: M["linalg"].members["multi_dot"](
        [np.ones((BIG, 1)), np.ones((1, BIG))])),
    ("indices", lambda: M["indices"]((BIG, BIG))),
    ("indices-empty", lambda: M["indices"]((10**12, 0))),
    ("tri-empty", lambda: M["tri"](10**12, 0)),
    ("triu_indices-empty", lambda: M["triu_indices"](10**12, 0, 0)),
    ("histogram_bin_edges", lambda: M["histogram_bin_edges"](V, 10**12)),
]


@pytest.mark.parametrize("name,fn", OVER_ELEMENTS, ids=[c[0] for c in OVER_ELEMENTS])
def test_over_the_element_bound_is_refused_before_allocating(name, fn):
    tracemalloc.start()
    start = time.process_time()
    try:
        with pytest.raises(LimitError, match="over the limit"):
            fn()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.process_time() - start < 1.0
    assert peak < 20_000_000, peak


def test_work_bound(bounds):
    bounds(max_work=1_000_000)
    a = np.ones((200, 200))
    for fn in (lambda: M["einsum"]("ij,jk->ik", a, a), lambda: M["einsum"]("ij,kl->", a, a),
               lambda: M["cov"](a), lambda: M["corrcoef"](a),
               lambda: M["polyval"](np.ones(2000), np.ones(2000)),
               lambda: M["diff"](np.ones(2000), 1000),
               lambda: M["polyfit"](np.ones(2000), np.ones(2000), 30),
               lambda: RANDOM["multivariate_normal"](np.zeros(200), np.eye(200)),
               lambda: M["convolve"](np.ones(2000), np.ones(2000)),
               lambda: M["correlate"](np.ones(2000), np.ones(2000), "full"),
               lambda: M["tensordot"](a, a, 1), lambda: M["tensordot"](a, a, ([0], [1])),
               lambda: M["linalg"].members["svd"](a), lambda: M["linalg"].members["eig"](a),
               lambda: M["linalg"].members["eigh"](a), lambda: M["linalg"].members["pinv"](a),
               lambda: M["linalg"].members["qr"](a), lambda: M["linalg"].members["cond"](a),
               lambda: M["linalg"].members["cholesky"](a),
               lambda: M["linalg"].members["slogdet"](a),
               lambda: M["linalg"].members["matrix_power"](np.ones((50, 50)), 10**9),
               lambda: M["linalg"].members["multi_dot"]([a, a, a])):
        with pytest.raises(LimitError, match="multiply-adds"):
            fn()
    same(M["einsum"]("ij,jk->ik", np.ones((50, 50)), np.ones((50, 50))),
         np.einsum("ij,jk->ik", np.ones((50, 50)), np.ones((50, 50))))
    same(M["diff"](np.arange(10.0), 10**12), np.diff(np.arange(10.0), 10**6))


def test_pieces_bound(bounds):
    bounds(max_elements=10_000)  # at most 100 pieces, as a hundredth
    for fn in (lambda: M["split"](np.ones(1000), 1000), lambda: M["array_split"](np.ones(5), 101),
               lambda: M["array_split"](np.ones(5), list(range(200))),
               lambda: M["hsplit"](np.ones((2, 500)), 500)):
        with pytest.raises(LimitError, match="pieces"):
            fn()
    same(M["array_split"](np.ones(5), 100), np.array_split(np.ones(5), 100))


# ---- hostile: types -----------------------------------------------------------------------
class _UserObject:
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


NEW_MEMBERS = ("copy", "percentile", "quantile", "cov", "corrcoef", "diff", "split",
               "array_split", "hsplit", "vsplit", "dsplit", "triu", "tril", "triu_indices",
               "tril_indices", "triu_indices_from", "tril_indices_from", "nonzero", "argwhere",
               "flatnonzero", "pad", "bincount", "histogram", "polyfit", "polyval", "interp",
               "einsum", "searchsorted", "digitize", "roll", "isin", "set_printoptions",
               "printoptions", "array2string", "array_str", "array_repr", "nanmedian",
               "nanpercentile", "nanquantile", "atleast_1d", "atleast_2d", "atleast_3d",
               "fliplr", "flipud", "rot90", "moveaxis", "broadcast_to", "broadcast_arrays",
               "take", "take_along_axis", "append", "delete", "convolve", "correlate",
               "tensordot", "cross", "kron", "tri", "diagflat", "fill_diagonal", "nan_to_num",
               "unravel_index", "isscalar", "real", "imag", "angle", "intersect1d", "union1d",
               "setdiff1d", "dstack", "ediff1d", "nansum", "nanprod", "nanmean", "nanstd",
               "nanvar", "nanmax", "nanmin", "nanargmax", "nanargmin", "gcd", "lcm", "conj",
               "heaviside", "float_power", "argpartition", "partition", "gradient",
               "trapezoid", "sinc", "indices", "histogram_bin_edges", "finfo",
               "iinfo")
NEW_LINALG = ("svd", "qr", "pinv", "eig", "eigvals", "eigh", "eigvalsh", "cholesky", "slogdet",
              "matrix_power", "cond", "multi_dot")
NEW_RANDOM = ("beta", "gamma", "lognormal", "laplace", "logistic", "gumbel", "geometric",
              "chisquare", "standard_t", "standard_exponential", "multivariate_normal",
              "multinomial", "dirichlet")
BAD = [np.array(["a", "b"]), np.array([1, None], dtype=object), "abc", ["a", "b"],
       [1, "a"], _UserObject(), [_UserObject()], {1: 2}, lambda: 0, np]


def test_object_and_str_values_are_refused():
    """Each new member with a string array, an object array, strings, user objects or
    functions in each of its first three positions: an adcli error (or Python's own
    TypeError for a wrong argument), never another exception and never numpy calling back
    into the value; and the usual first arguments refused as numpy's arrays would be."""
    calls = [(n, M[n]) for n in NEW_MEMBERS] + [(n, RANDOM[n]) for n in NEW_RANDOM]
    calls += [(n, M["linalg"].members[n]) for n in NEW_LINALG]
    calls += [(f"{u}.{m}", UF[m](M[u])) for u in ("add", "maximum")
              for m in ("reduce", "accumulate", "outer", "at")]
    for name, fn in calls:
        for bad in BAD:
            for pos in range(3):
                args = ["ij,j", np.ones((2, 2)), np.ones(2)] if name == "einsum" else [
                    np.ones(4), np.ones(4), 1]
                args[pos] = bad
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        fn(*args)
                except AdcliError:
                    pass
                except TypeError as e:
                    assert type(e) is TypeError and "argument" in str(e), (name, bad, e)
    first = [lambda v: M["copy"](v), lambda v: M["percentile"](v, 50),
             lambda v: M["quantile"](v, 0.5), lambda v: M["cov"](v), lambda v: M["corrcoef"](v),
             lambda v: M["diff"](v), lambda v: M["split"](v, 2), lambda v: M["array_split"](v, 2),
             lambda v: M["hsplit"](v, 2), lambda v: M["triu"](v), lambda v: M["tril"](v),
             lambda v: M["nonzero"](v), lambda v: M["argwhere"](v), lambda v: M["flatnonzero"](v),
             lambda v: M["pad"](v, 1), lambda v: M["bincount"](v), lambda v: M["histogram"](v),
             lambda v: M["polyfit"](v, np.ones(2), 1), lambda v: M["polyval"](v, 1.0),
             lambda v: M["interp"](v, [1, 2], [1, 2]), lambda v: M["einsum"]("i", v),
             lambda v: M["searchsorted"](v, 1), lambda v: M["digitize"](v, [1]),
             lambda v: M["roll"](v, 1), lambda v: M["isin"](v, [1]),
             lambda v: M["isin"](np.ones(2), v), lambda v: M["array2string"](v),
             lambda v: M["array_repr"](v), lambda v: UF["reduce"](M["add"])(v),
             lambda v: UF["accumulate"](M["add"])(v), lambda v: UF["outer"](M["add"])(v, 1),
             lambda v: RANDOM["dirichlet"](v), lambda v: RANDOM["beta"](v, 1)]
    for value in (np.array(["a"]), np.array([1, None], dtype=object), ["x"], "abc",
                  _UserObject()):
        for fn in first:
            with pytest.raises(TorchTypeError):
                fn(value)


def test_options_that_would_reach_code_or_files_are_refused():
    with pytest.raises(TorchTypeError):
        M["pad"](V, 1, mode=lambda *a: None)
    with pytest.raises(TorchTypeError):
        M["einsum"](V, [0], V, [0])  # the interleaved spelling: not taken
    with pytest.raises(TorchTypeError):
        M["einsum"]("i,i", V, V, optimize=["einsum_path", (0, 1)])
    with pytest.raises(TorchTypeError):
        M["histogram"](V, bins="auto")
    for name in ("save", "load", "savez", "savetxt", "loadtxt", "genfromtxt", "fromfile"):
        assert name not in M


def test_random_argument_combinations(bounds):
    """Seeded combinations of odd values over the new members: a result or an adcli error,
    each call quick."""
    import random

    from adcli.engine import api as torch

    bounds(max_elements=10**6, max_work=10**8)
    calls = [(n, M[n]) for n in NEW_MEMBERS + ("get_printoptions",)]
    calls += [(n, RANDOM[n]) for n in NEW_RANDOM]
    calls += [(n, M["linalg"].members[n]) for n in NEW_LINALG]
    calls += [(f"{u}.{m}", UF[m](M[u])) for u in ("add", "maximum", "exp")
              for m in ("reduce", "accumulate", "outer", "at")]
    pool = [0, 1, -1, 3, 10**20, -10**20, 2.5, float("nan"), float("inf"), True, None, "ij",
            "ij,jk->ik", "...i->", "reflect", "wrap", "table", "O", (), (2,), (2, 3),
            (1, 10**7), [1, 2], [[1, 2], [3, 4]], [1.5, "a"], np.float32(2), np.int64(3),
            np.array(5), np.arange(6.0).reshape(2, 3), np.ones((3, 1)), np.array([True, False]),
            np.arange(4), np.zeros((2, 0)), np.array([10**9, 0]), np.array([-3, 2]),
            M["exp"], torch.ones(2), torch.ones(2, requires_grad=True), range(5), 1j, {},
            {"float": "{:.2f}".format}, slice(1), [10**6] * 5, 1e300, 999_999, "x" * 100]
    keywords = ("axis", "dtype", "keepdims", "size", "k", "mode", "bins", "range", "weights",
                "minlength", "n", "prepend", "append", "side", "kind", "optimize",
                "precision", "threshold", "formatter", "m", "rowvar", "method",
                "constant_values", "period", "left", "invert", "separator", "legacy",
                "initial", "full", "cov")
    rnd = random.Random(5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(8000):
            name, fn = rnd.choice(calls)
            args = [rnd.choice(pool) for _ in range(rnd.randint(0, 4))]
            kw = {rnd.choice(keywords): rnd.choice(pool)} if rnd.random() < 0.5 else {}
            start = time.process_time()
            try:
                result = fn(*args, **kw)
                if name == "printoptions":
                    with result:
                        pass
                str(result)
            except AdcliError:
                pass
            except TypeError as e:
                assert type(e) is TypeError and "argument" in str(e), (name, args, kw, e)
            finally:
                ns.reset_printoptions()
            assert time.process_time() - start < 2, (name, args, kw)
