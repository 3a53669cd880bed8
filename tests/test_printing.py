"""adcli.printing against PyTorch 2.13's repr.

The golden cases (``tests/fixtures/printing_goldens.json``, written by
``tools/gen_printing_goldens.py`` under real PyTorch) need no torch; the property
test marked ``torch`` compares with live PyTorch on random tensors and is skipped
when torch is not installed.
"""

import base64
import json
import math
import os
import subprocess
import sys
import time
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adcli import printing
from adcli.printing import (
    PRINT_OPTS,
    format_tensor,
    get_printoptions,
    printoptions,
    set_printoptions,
)

GOLDENS = os.path.join(os.path.dirname(__file__), "fixtures", "printing_goldens.json")
DEFAULTS = {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80, "sci_mode": None}
_SPECIAL = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _load_goldens():
    with open(GOLDENS, encoding="utf-8") as f:
        return json.load(f)


def case_array(case):
    """The numpy array a golden case describes."""
    dtype = np.dtype(case["dtype"])
    if "b64" in case:
        raw = zlib.decompress(base64.b64decode(case["b64"]))
        arr = np.frombuffer(raw, dtype=dtype.newbyteorder("<")).astype(dtype)
    else:
        values = [_SPECIAL.get(v, v) if isinstance(v, str) else v for v in case["values"]]
        if dtype.kind == "f":
            arr = np.array(values, dtype=np.float64).astype(dtype)
        else:
            arr = np.array(values, dtype=dtype)
    return arr.reshape(case["shape"])


CASES = _load_goldens()


@pytest.fixture(autouse=True)
def _default_options():
    set_printoptions(profile="default")
    yield
    set_printoptions(profile="default")


def test_goldens_cover_the_rules():
    names = {c["name"] for c in CASES}
    assert len(CASES) == len(names) >= 300
    dtypes = {c["dtype"] for c in CASES}
    expected = {"float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"}
    assert expected <= dtypes
    assert any(c["grad_fn"] for c in CASES)
    assert any(c["requires_grad"] for c in CASES)
    assert any("..." in c["repr"] for c in CASES)
    assert any("e+" in c["repr"] for c in CASES)
    assert any(c["options"] for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_golden(case):
    arr = case_array(case)
    assert arr.shape == tuple(case["shape"])
    with printoptions(**(case["options"] or {})):
        got = format_tensor(
            arr, case["dtype"], requires_grad=case["requires_grad"], grad_fn=case["grad_fn"]
        )
    assert got == case["repr"]


# --------------------------------------------------------------------------- examples

def f32(values):
    return np.array(values, dtype=np.float32)


@pytest.mark.parametrize(
    "arr, dtype, kwargs, expected",
    [
        (f32([[1, 1], [1, 1]]), "float32", {"requires_grad": True},
         "tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)"),
        (f32(27), "float32", {"grad_fn": "MeanBackward0"}, "tensor(27., grad_fn=<MeanBackward0>)"),
        (f32(-487.424), "float32", {"grad_fn": "SumBackward0"},
         "tensor(-487.4240, grad_fn=<SumBackward0>)"),
        (f32([51.2, 512, 0.0512]), "float32", {}, "tensor([5.1200e+01, 5.1200e+02, 5.1200e-02])"),
        (f32([667.8016, -1068.4928, -320.8704]), "float32", {"grad_fn": "MulBackward0"},
         "tensor([  667.8016, -1068.4928,  -320.8704], grad_fn=<MulBackward0>)"),
        (f32([[-3, 0], [5, 12]]), "float32", {}, "tensor([[-3.,  0.],\n        [ 5., 12.]])"),
        (np.array([True, False]), "bool", {}, "tensor([ True, False])"),
        (np.array([1, 2], dtype=np.int64), "int64", {}, "tensor([1, 2])"),
        (np.array([1, 2], dtype=np.int32), "int32", {}, "tensor([1, 2], dtype=torch.int32)"),
        (np.array([1.5], dtype=np.float64), "float64", {"requires_grad": True},
         "tensor([1.5000], dtype=torch.float64, requires_grad=True)"),
        (np.zeros(0, dtype=np.float32), "float32", {}, "tensor([])"),
        (np.zeros((0, 3), dtype=np.float32), "float32", {}, "tensor([], size=(0, 3))"),
        (np.zeros(0, dtype=np.int64), "int64", {}, "tensor([], dtype=torch.int64)"),
        (f32([-0.0, 1, np.inf, -np.inf]), "float32", {}, "tensor([-0., 1., inf, -inf])"),
        (f32([0, np.nan]), "float32", {}, "tensor([0., nan])"),
    ],
)
def test_examples(arr, dtype, kwargs, expected):
    assert format_tensor(arr, dtype, **kwargs) == expected


def test_grad_fn_wins_over_requires_grad():
    out = format_tensor(f32([1.0]), "float32", requires_grad=True, grad_fn="AddBackward0")
    assert out == "tensor([1.], grad_fn=<AddBackward0>)"


def test_accepts_other_numpy_dtypes_and_lists():
    assert format_tensor(np.array([1.0, 2.0]), "float32") == "tensor([1., 2.])"
    assert format_tensor([1, 2], "int64") == "tensor([1, 2])"


def test_unknown_dtype_is_rejected():
    with pytest.raises(ValueError):
        format_tensor(f32([1.0]), "complex64")


# --------------------------------------------------------------------------- options

def test_printoptions_restores():
    before = get_printoptions()
    assert before == DEFAULTS
    with printoptions(precision=2, linewidth=40) as opts:
        assert opts is PRINT_OPTS
        assert (PRINT_OPTS.precision, PRINT_OPTS.linewidth) == (2, 40)
        assert format_tensor(f32([1.125]), "float32") == "tensor([1.12])"
    assert get_printoptions() == before


def test_printoptions_restores_on_error():
    with pytest.raises(KeyError), printoptions(sci_mode=True, edgeitems=1):
        raise KeyError("boom")
    assert get_printoptions() == DEFAULTS


def test_set_printoptions_resets_sci_mode_like_torch():
    set_printoptions(sci_mode=True)
    assert PRINT_OPTS.sci_mode is True
    set_printoptions(precision=3)
    assert PRINT_OPTS.sci_mode is None
    assert PRINT_OPTS.precision == 3


def test_profiles():
    set_printoptions(profile="short")
    assert get_printoptions() == {**DEFAULTS, "precision": 2, "edgeitems": 2}
    set_printoptions(profile="full")
    assert PRINT_OPTS.threshold == math.inf
    set_printoptions(profile="default")
    assert get_printoptions() == DEFAULTS


def test_format_uses_current_options():
    arr = np.arange(20, dtype=np.float32)
    with printoptions(threshold=5, edgeitems=2):
        assert format_tensor(arr, "float32") == "tensor([ 0.,  1.,  ..., 18., 19.])"
    assert "..." not in format_tensor(arr, "float32")


# --------------------------------------------------------------------------- cost

def test_import_is_light():
    code = (
        "import json, sys, numpy; before = set(sys.modules); import adcli.printing; "
        "print(json.dumps(sorted(set(sys.modules) - before)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    ).stdout
    new = set(json.loads(out))
    assert new <= {"adcli", "adcli.printing"}, new


def test_small_tensor_is_fast():
    arr = f32([[1.5, -2.25], [3.0, 4.125]])
    format_tensor(arr, "float32")
    best = math.inf
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(200):
            format_tensor(arr, "float32", grad_fn="MulBackward0")
        best = min(best, (time.perf_counter() - start) / 200)
    assert best < 100e-6, f"{best * 1e6:.1f} us per 2x2 tensor"


# --------------------------------------------------------------------------- live torch

_DTYPES = ("float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool")


def _draw_array(draw):
    dtype = draw(st.sampled_from(_DTYPES))
    if draw(st.integers(0, 9)) == 0:  # large enough to be summarised
        inner = draw(st.lists(st.integers(1, 9), max_size=3))
        rows = 1001 // int(np.prod(inner, dtype=np.int64)) + draw(st.integers(1, 3))
        shape = (rows, *inner)
    else:
        shape = tuple(draw(st.lists(st.integers(0, 6), max_size=4)))
    n = int(np.prod(shape, dtype=np.int64))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    if dtype == "bool":
        arr = rng.random(n) < 0.5
    elif dtype in ("float32", "float64", "float16"):
        style = draw(st.integers(0, 4))
        if style == 0:
            vals = rng.integers(-10**4, 10**4, size=n).astype(np.float64)
        elif style == 1:
            vals = rng.standard_normal(n) * 10.0 ** draw(st.integers(-40, 40))
        elif style == 2:
            vals = rng.standard_normal(n) * 10.0 ** rng.integers(-320, 308, size=n)
        elif style == 3:
            vals = np.round(rng.standard_normal(n) * 10.0 ** draw(st.integers(0, 9)),
                            draw(st.integers(0, 6)))
        else:
            picks = [1e-4, 9.999e-5, 1e8, 1.00000001e8, 1000.0, 1.0, 0.001, 9.99995, 65504.0]
            vals = rng.choice(picks, size=n) * rng.choice([1.0, -1.0], size=n)
        share = draw(st.sampled_from([0.0, 0.05, 0.3, 1.0]))
        mask = rng.random(n) < share
        vals[mask] = rng.choice([np.nan, np.inf, -np.inf, 0.0, -0.0], size=int(mask.sum()))
        with np.errstate(over="ignore", under="ignore"):
            arr = vals.astype(dtype)
    else:
        info = np.iinfo(dtype)
        span = draw(st.sampled_from([9, 1000, 10**9, 2**63 - 1]))
        arr = rng.integers(max(info.min, -span), min(info.max, span), size=n, endpoint=True)
        arr = arr.astype(dtype)
    return arr.reshape(shape), dtype


@pytest.fixture(scope="module")
def torch_mod():
    return pytest.importorskip("torch")


@pytest.mark.torch
@settings(
    max_examples=int(os.environ.get("ADCLI_PRINTING_EXAMPLES", "600")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_matches_live_torch(torch_mod, data):
    torch = torch_mod
    from torch._tensor_str import printoptions as torch_printoptions

    arr, dtype = _draw_array(data.draw)
    options = {}
    if data.draw(st.integers(0, 3)) == 0:
        options = data.draw(st.fixed_dictionaries({}, optional={
            "precision": st.integers(0, 8),
            "threshold": st.integers(0, 50),
            "edgeitems": st.integers(0, 4),
            "linewidth": st.integers(10, 160),
            "sci_mode": st.sampled_from([None, True, False]),
        }))
    t = torch.from_numpy(arr.copy())
    grad = data.draw(st.sampled_from(["none", "leaf", "op"])) if arr.dtype.kind == "f" else "none"
    if grad != "none":
        t = t.requires_grad_(True)
        if grad == "op":
            t = t.clone()
    with torch_printoptions(**options):
        expected = repr(t)
    grad_fn = type(t.grad_fn).__name__ if t.grad_fn is not None else None
    with printoptions(**options):
        got = format_tensor(arr, dtype, requires_grad=grad == "leaf", grad_fn=grad_fn)
    assert got == expected, (arr.tolist() if arr.size < 50 else arr.shape, dtype, options)


def test_module_exports():
    for name in printing.__all__:
        assert hasattr(printing, name)
