"""torch.einsum against PyTorch 2.13's own results (tools/gen_einsum_fixtures.py): values,
dtype, printed form, the whole grad_fn chain, gradients, and the exact error of each
mistake; and, by hypothesis, against numpy.einsum and finite differences."""

from __future__ import annotations

import importlib.util
import json
import types
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcli.engine import api
from adcli.engine.einsum import einsum
from adcli.engine.tensor import Tensor
from adcli.errors import AdcliError

FIXTURE = Path(__file__).parent / "fixtures" / "einsum.json"
DOC = json.loads(FIXTURE.read_text(encoding="utf-8"))
TORCH = types.SimpleNamespace(einsum=einsum)

# An empty product of two dtypes (torch's bmm allows it, the engine's does not): the
# engine converts the left operand first, so one ToCopyBackward0 more in the chain.
KNOWN_CHAIN_DIFFERENCES = {"'i,i->' [[0], [0]]"}

TOLERANCE = {"float16": (2e-3, 2e-3), "float32": (2e-5, 1e-5), "float64": (1e-12, 1e-12)}


def _case_id(case: dict) -> str:
    return case.get("call") or repr(case["equation"])


def chain(fn):
    if fn is None:
        return None
    return [type(fn).__name__, [chain(n) for n, _ in fn.next_functions]]


def operand(spec: dict):
    """The leaf and the operand (a permuted view of the leaf when the spec says so)."""
    dtype = getattr(api, spec["dtype"].replace("bool", "bool_"))
    data = np.array(spec["data"], dtype=dtype.np).reshape(spec["base_shape"])
    leaf = api.tensor(data, dtype=dtype)
    if spec["requires_grad"]:
        leaf.requires_grad_(True)
    t = leaf if spec["perm"] is None else leaf.permute(*spec["perm"])
    return leaf, t


def _values(encoded: list, dtype: str, shape) -> np.ndarray:
    floats = [float(x) if isinstance(x, str) else x for x in encoded]
    return np.array(floats, dtype=np.float64 if dtype.startswith("float") else None).reshape(
        shape)


def _close(got: np.ndarray, want: list, dtype: str, where: str, inputs=()) -> None:
    """Equal for integers and bools; for floats, to the rounding of the least precise
    float among the result and the inputs (a float64 result of float32 operands carries
    float32 rounding)."""
    want = _values(want, dtype, got.shape)
    if dtype in TOLERANCE:
        rtol, atol = max(TOLERANCE.get(d, (0, 0)) for d in (dtype, *inputs))
        np.testing.assert_allclose(got.astype(np.float64), want, rtol=rtol, atol=atol,
                                   err_msg=where)
    else:
        np.testing.assert_array_equal(got, want, err_msg=where)


def upstream(shape, dtype) -> Tensor:
    n = int(np.prod(shape)) if shape else 1
    w = np.linspace(0.5, 1.5, n) if n > 1 else np.ones(n)
    return api.tensor(w.reshape(shape), dtype=dtype)


def check_case(case: dict) -> None:
    """Run one recorded call on the engine and compare everything torch recorded."""
    leaves, ops = zip(*(operand(s) for s in case["operands"]))
    where = _case_id(case) + f" {[list(t.shape) for t in ops]}"
    try:
        if "call" in case:
            a, b, v = ops
            out = eval(case["call"], {"torch": TORCH, "a": a, "b": b, "v": v})  # noqa: S307
        else:
            out = einsum(case["equation"], *ops)
    except AdcliError as e:
        assert "error" in case, f"{where}: torch gave a result, the engine raised {e!r}"
        assert (e.kind, e.message) == (case["error"]["type"], case["error"]["message"]), where
        return
    assert "error" not in case, f"{where}: torch raised {case['error']}, the engine did not"
    assert list(out.shape) == case["shape"], where
    assert out.dtype.name == case["dtype"], where
    inputs = [s["dtype"] for s in case["operands"]]
    _close(out._data, case["value"], case["dtype"], where, inputs)
    if where not in KNOWN_CHAIN_DIFFERENCES:
        assert chain(out.grad_fn) == case["chain"], where
    if "grads" in case:
        out.backward(upstream(out.shape, out.dtype))
        for i, (leaf, want) in enumerate(zip(leaves, case["grads"])):
            if want is None:
                assert leaf.grad is None, f"{where}: grad {i}"
            else:
                _close(leaf.grad._data, want, leaf.dtype.name, f"{where}: grad {i}", inputs)


@pytest.mark.parametrize("case", DOC["curated"], ids=_case_id)
def test_curated_cases_match_torch(case):
    check_case(case)


@pytest.mark.parametrize("case", DOC["random"], ids=_case_id)
def test_random_equations_match_torch(case):
    check_case(case)


def test_printed_form_matches_torch():
    for case in DOC["curated"][:12]:
        ops = [operand(s)[1] for s in case["operands"]]
        assert repr(einsum(case["equation"], *ops)) == case["repr"], _case_id(case)


def test_the_fixture_was_recorded_without_opt_einsum_by_torch_2_13():
    assert DOC["torch"].startswith("2.13")


@pytest.mark.torch
def test_the_fixture_is_current(tmp_path):
    """Against a live PyTorch 2.13 (skipped without it): regenerating changes nothing."""
    pytest.importorskip("torch")
    path = Path(__file__).resolve().parents[2] / "tools" / "gen_einsum_fixtures.py"
    spec = importlib.util.spec_from_file_location("gen_einsum_fixtures", path)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    out = tmp_path / "einsum.json"
    gen.main(str(out))
    assert json.loads(out.read_text(encoding="utf-8")) == DOC, (
        "tests/engine/fixtures/einsum.json is stale: run tools/gen_einsum_fixtures.py")


# ---------------------------------------------------------------------------- properties

LABELS = "abcd"


@st.composite
def equations(draw):
    """Two or three operands over a few labels with random sizes, and an explicit output
    of labels they use, as numpy.einsum takes it (no repeated output label)."""
    size = {c: draw(st.integers(1, 3)) for c in LABELS}
    n_ops = draw(st.integers(1, 3))
    terms = [draw(st.lists(st.sampled_from(LABELS), min_size=0, max_size=3))
             for _ in range(n_ops)]
    used = sorted({c for t in terms for c in t})
    out = draw(st.permutations(used))[: draw(st.integers(0, len(used)))]
    eq = ",".join("".join(t) for t in terms) + "->" + "".join(out)
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal([size[c] for c in t]) for t in terms]
    return eq, arrays


@settings(max_examples=150, deadline=None, derandomize=True)
@given(equations())
def test_values_agree_with_numpy_einsum(case):
    eq, arrays = case
    got = einsum(eq, *[api.tensor(a, dtype=api.float64) for a in arrays])
    np.testing.assert_allclose(got._data, np.einsum(eq, *arrays), rtol=1e-10, atol=1e-12)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(equations())
def test_gradients_agree_with_finite_differences(case):
    eq, arrays = case
    ts = [api.tensor(a, dtype=api.float64, requires_grad=True) for a in arrays]
    out = einsum(eq, *ts)
    w = np.linspace(0.5, 1.5, out._data.size).reshape(out._data.shape)
    (out * api.tensor(w)).sum().backward()
    eps = 1e-6
    for k, a in enumerate(arrays):
        numeric = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            plus, minus = [x.copy() for x in arrays], [x.copy() for x in arrays]
            plus[k][idx] += eps
            minus[k][idx] -= eps
            numeric[idx] = ((np.einsum(eq, *plus) - np.einsum(eq, *minus)) * w).sum() / (2 * eps)
        np.testing.assert_allclose(ts[k].grad._data, numeric, rtol=1e-6, atol=1e-8)


def test_einsum_is_torch_einsum_in_the_language():
    from adcli.lang.interpreter import Session
    from adcli.limits import Limits

    s = Session(limits=Limits())
    out = s.exec_source("import torch\na = torch.ones(2, 3)\n"
                        "torch.einsum('ij,kj->ik', a, a).grad_fn, torch.einsum('ij', [a]).sum()")
    assert out[1].item() == 6.0
