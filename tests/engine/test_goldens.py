"""Every op against recorded PyTorch 2.13 results (tools/gen_engine_goldens.py).

For each case: the value (float32, to float32 rounding), dtype, grad_fn name and
next_functions of the result, every input's gradient after a backward with a fixed
non-uniform upstream gradient, whether a second backward finds the saved tensors freed,
and, for the cases torch rejects, the exception type.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from adcli.engine import api
from adcli.engine.tensor import Tensor
from adcli.errors import AdcliError

from ._util import namespace

FIXTURE = Path(__file__).parent / "fixtures" / "engine_goldens.json"
DOC = json.loads(FIXTURE.read_text())
CASES = {c["id"]: c for c in DOC["cases"]}
SCRIPTS = {c["id"]: c for c in DOC["scripts"]}

RTOL, ATOL = 2e-5, 2e-6


def _tensor(spec: dict) -> Tensor:
    t = api.tensor(spec["data"], dtype=getattr(api, spec["dtype"]))
    return t.requires_grad_(spec["requires_grad"])


def _decode_floats(data):
    if isinstance(data, list):
        return [_decode_floats(d) for d in data]
    return float(data) if isinstance(data, str) else data


def upstream(shape) -> np.ndarray:
    n = int(np.prod(shape)) if shape else 1
    return np.linspace(0.5, 1.5, n).reshape(shape)


def check(expected: dict, actual, where: str) -> None:
    """Compare one encoded torch result with an engine value."""
    if "tensor" in expected:
        assert isinstance(actual, Tensor), f"{where}: expected a tensor, got {actual!r}"
        assert list(actual.shape) == expected["shape"], where
        assert actual.dtype.name == expected["dtype"], where
        assert actual.requires_grad == expected["requires_grad"], f"{where}: requires_grad"
        fn = actual.grad_fn
        assert (None if fn is None else type(fn).__name__) == expected["grad_fn"], where
        want = np.array(_decode_floats(expected["tensor"]), dtype=actual._data.dtype)
        got = actual._data
        if got.dtype.kind == "f":
            np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL, err_msg=where)
        else:
            np.testing.assert_array_equal(got, want, err_msg=where)
    elif "tuple" in expected:
        assert isinstance(actual, tuple | list), where
        assert len(actual) == len(expected["tuple"]), where
        for i, (e, a) in enumerate(zip(expected["tuple"], actual)):
            check(e, a, f"{where}[{i}]")
    elif "dtype" in expected and "ndarray" not in expected:
        assert actual.name == expected["dtype"], where
    elif "size" in expected:
        assert list(actual) == expected["size"], where
    elif "ndarray" in expected:
        assert isinstance(actual, np.ndarray), where
        np.testing.assert_allclose(actual, _decode_floats(expected["ndarray"]), rtol=RTOL,
                                   err_msg=where)
    elif "float" in expected:
        np.testing.assert_allclose(actual, float(expected["float"]), rtol=RTOL, err_msg=where)
    else:
        assert actual == expected["value"], where


@pytest.mark.parametrize("cid", sorted(CASES))
def test_case(cid):
    case = CASES[cid]
    ns = namespace()
    tensors = {k: _tensor(v) for k, v in case["inputs"].items()}
    ns.update(tensors)
    if "error" in case:
        with pytest.raises(AdcliError) as info:
            eval(case["expr"], ns)
        assert info.value.kind == case["error"], str(info.value)
        return
    out = eval(case["expr"], ns)
    check(case["result"], out, cid)
    if "grads" not in case:
        return
    assert [None if f is None else type(f).__name__ for f, _ in out.grad_fn.next_functions
            ] == case["next"]
    g = api.tensor(upstream(tuple(out.shape)), dtype=out.dtype)
    out.backward(g)
    for name, want in case["grads"].items():
        check(want, tensors[name].grad, f"{cid}: d/d{name}")
    if case["freed"]:
        with pytest.raises(AdcliError) as info:
            out.backward(g)
        assert info.value.kind == "RuntimeError"
    else:
        out.backward(g)


@pytest.mark.parametrize("cid", sorted(SCRIPTS))
def test_script(cid, warnings_seen):
    case = SCRIPTS[cid]
    ns = namespace()
    if "error" in case:
        with pytest.raises(AdcliError) as info:
            exec(case["script"], ns)
        assert info.value.kind == case["error"], str(info.value)
        return
    exec(case["script"], ns)
    check(case["result"], ns.get("out"), cid)
