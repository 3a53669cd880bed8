"""torch.autograd.forward_ad against PyTorch 2.13's own results (the programs of
tools/gen_forward_ad_fixtures.py, run here on the engine): primals, tangents, dtypes,
grad_fns, printed forms and errors; by hypothesis, tangents of random chains of
elementwise ops against central finite differences in float64; and the cost of a dual
level to code that does not use one (none: the level is gone after exit)."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcli.engine import api, nn_functional
from adcli.engine import forward_ad as fwAD
from adcli.engine import tensor as _tensor
from adcli.errors import AdcliError
from tests.engine._util import torch_like

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).parent / "fixtures" / "forward_ad.json"
DOC = json.loads(FIXTURE.read_text(encoding="utf-8"))

_spec = importlib.util.spec_from_file_location(
    "gen_forward_ad_fixtures", ROOT / "tools" / "gen_forward_ad_fixtures.py")
GEN = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(GEN)

TOLERANCE = {"torch.float32": (1e-5, 1e-6), "torch.float64": (1e-12, 1e-12)}

# Where the engine knowingly differs from torch: (program, record) -> why.
KNOWN = {
    ("inplace_ops", "square_"):
        "c.mul_(c): torch's in-place formula updates self's tangent before reading it as "
        "other's (t*c + (t*c)*c); the engine gives the derivative of c*c, 2*c*t",
    # x[i] = v where nothing requires grad writes the values without running an op, and
    # the engine's hook (tensor.bump) cannot tell what was written: the tangent is not
    # updated (needs a call into forward_ad from writes.setitem)
    ("setitem_plain", "into_plain"): "setitem without an op: tangent not written",
    ("setitem_plain", "number_into_dual"): "setitem without an op: tangent not written",
}


def _values(encoded: list) -> np.ndarray:
    return np.array([float(v) if isinstance(v, str) else v for v in encoded], np.float64)


def _close(got: list, want: list, dtype: str, where: str) -> None:
    rtol, atol = TOLERANCE.get(dtype, (1e-5, 1e-6))
    g, w = _values(got), _values(want)
    assert g.shape == w.shape, f"{where}: {len(got)} values, torch has {len(want)}"
    np.testing.assert_allclose(g, w, rtol=rtol, atol=atol, equal_nan=True, err_msg=where)


@pytest.fixture(autouse=True)
def _no_level_left():
    yield
    while fwAD._STATE["level"] is not None:
        fwAD.exit_dual_level()
    assert _tensor._FWD[0] is None


@pytest.mark.parametrize("case", DOC["cases"], ids=[c["name"] for c in DOC["cases"]])
def test_against_torch(case):
    got = GEN.run_program(case["source"], torch_like, fwAD, nn_functional)
    want = case["records"]
    names = [r["name"] for r in want]
    assert [r["name"] for r in got] == names, (got[-1], want[-1])
    for g, w in zip(got, want):
        where = f"{case['name']}: {w['name']}"
        if (case["name"], w["name"]) in KNOWN:
            continue
        assert g["kind"] == w["kind"], (where, g, w)
        if w["kind"] == "tensor":
            for key in ("dtype", "shape", "grad_fn", "requires_grad"):
                assert g[key] == w[key], (where, key, g[key], w[key])
            if w["dtype"].startswith("torch.float"):
                _close(g["primal"], w["primal"], w["dtype"], where + " primal")
            else:
                assert g["primal"] == w["primal"], where
            if w["tangent"] is None:
                assert g["tangent"] is None, (where, "tangent", g["tangent"])
            else:
                assert g["tangent"] is not None, (where, "no tangent")
                assert g["tangent_dtype"] == w["tangent_dtype"], where
                assert g["tangent_shape"] == w["tangent_shape"], where
                _close(g["tangent"], w["tangent"], w["tangent_dtype"], where + " tangent")
        elif w["kind"] == "error":
            assert (g["type"], g["message"]) == (w["type"], w["message"]), where
        else:
            assert g["value"] == w["value"], (where, g["value"], w["value"])


def test_fixture_covers_the_brief():
    names = {c["name"] for c in DOC["cases"]}
    for needed in ("mm", "reductions", "softmax", "shapes", "indexing", "nn", "broadcast",
                   "div_dd", "pow3", "exp", "log", "sin", "tanh", "sigmoid", "relu",
                   "F_mse", "errors", "printing", "inplace_ops", "view_shares_tangent"):
        assert needed in names
    assert DOC["torch"].startswith("2.13")


# ---- JVPs of random chains against finite differences ---------------------------------------

# (name, op, domain): domain "any", "pos" (x > 0) or "unit" (|x| < 1)
UNARY = [
    ("exp", lambda x: x.exp(), "any"), ("sin", lambda x: x.sin(), "any"),
    ("cos", lambda x: x.cos(), "any"), ("tanh", lambda x: x.tanh(), "any"),
    ("sigmoid", lambda x: x.sigmoid(), "any"), ("log", lambda x: x.log(), "pos"),
    ("sqrt", lambda x: x.sqrt(), "pos"), ("rsqrt", lambda x: x.rsqrt(), "pos"),
    ("square", lambda x: x * x, "any"), ("cube", lambda x: x ** 3, "any"),
    ("neg", lambda x: -x, "any"), ("scale", lambda x: x * 1.7 - 0.3, "any"),
    ("recip", lambda x: 1.0 / x, "pos"), ("atan", lambda x: x.atan(), "any"),
    ("asin", lambda x: x.asin(), "unit"), ("erf", lambda x: x.erf(), "any"),
    ("softplus", lambda x: nn_functional.softplus(x), "any"),
    ("gelu", lambda x: nn_functional.gelu(x), "any"),
    ("log1p", lambda x: x.log1p(), "pos"), ("expm1", lambda x: x.expm1(), "any"),
    ("sinh", lambda x: x.sinh(), "any"), ("cosh", lambda x: x.cosh(), "any"),
    ("pow_t", lambda x: (x * x + 0.5) ** 1.5, "any"),
    ("silu", lambda x: nn_functional.silu(x), "any"),
]


def _squash(x, domain):
    """Map any values into an op's domain, smoothly (so finite differences apply)."""
    if domain == "pos":
        return x.sigmoid() * 2.0 + 0.25
    if domain == "unit":
        return x.tanh() * 0.9
    return x


def _chain(ops, x, y):
    for i, (_, op, domain) in enumerate(ops):
        x = op(_squash(x, domain))
        if i % 2 == 1:
            x = x * y + x / (1.5 + y * y)  # mixes in a second (dual) input
        x = x.tanh() * 3.0  # keeps values moderate
    return x


@settings(max_examples=60, deadline=None)
@given(ops=st.lists(st.sampled_from(UNARY), min_size=1, max_size=5),
       xs=st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3),
       ys=st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3),
       ts=st.lists(st.floats(-1.0, 1.0), min_size=6, max_size=6))
def test_random_chain_matches_finite_differences(ops, xs, ys, ts):
    x0 = np.array(xs, np.float64)
    y0 = np.array(ys, np.float64)
    tx, ty = np.array(ts[:3]), np.array(ts[3:])
    with fwAD.dual_level():
        x = fwAD.make_dual(api.tensor(x0), api.tensor(tx))
        y = fwAD.make_dual(api.tensor(y0), api.tensor(ty))
        out = _chain(ops, x, y)
        jvp = fwAD.unpack_dual(out).tangent._data
    eps = 1e-6

    def f(h):
        return _chain(ops, api.tensor(x0 + h * tx), api.tensor(y0 + h * ty))._data

    fd = (f(eps) - f(-eps)) / (2 * eps)
    np.testing.assert_allclose(jvp, fd, rtol=1e-5, atol=1e-6)


# ---- the machinery ----------------------------------------------------------------------------


def test_no_level_no_hook():
    x = api.tensor([1.0, 2.0])
    with fwAD.dual_level():
        assert _tensor._FWD[0] is not None
        d = fwAD.make_dual(x, api.tensor([1.0, 1.0]))
    assert _tensor._FWD[0] is None
    assert fwAD.unpack_dual(d * 2.0).tangent is None
    assert repr(d) == "tensor([1., 2.])"


def test_level_exits_on_error():
    with pytest.raises(AdcliError):
        with fwAD.dual_level():
            fwAD.make_dual(api.tensor([1.0]), api.tensor([1.0, 2.0]))
    assert _tensor._FWD[0] is None


def test_public_names():
    assert set(fwAD.MEMBERS) == {"UnpackedDualTensor", "dual_level", "enter_dual_level",
                                 "exit_dual_level", "make_dual", "unpack_dual"}
    assert fwAD.dual_level.__adcli_public__ == frozenset()
    assert fwAD.UnpackedDualTensor.__adcli_public__ == frozenset({"primal", "tangent"})
    u = fwAD.unpack_dual(api.tensor([1.0]))
    assert u.tangent is None and u[1] is None and u.primal is u[0]


def test_tangent_of_recorded_inplace_uses_the_old_tangent():
    # a recorded in-place op runs on a copy of the old values: its tangent still counts
    w = api.tensor([1.0, 2.0], requires_grad=True)
    with fwAD.dual_level():
        d = fwAD.make_dual(api.tensor([3.0, 4.0]), api.tensor([1.0, -1.0]))
        z = d * w  # requires grad: a later in-place op on z is recorded
        z.mul_(z)
        t = fwAD.unpack_dual(z).tangent._data
    np.testing.assert_allclose(t, 2 * np.array([3.0, 8.0]) * np.array([1.0, -2.0]))


def test_derived_matches_a_formula():
    """An op with a declared formula gives the same tangent through the double-vjp."""
    x = api.tensor([0.3, -1.2, 2.5])
    t = api.tensor([1.0, 0.5, -2.0])
    with fwAD.dual_level():
        d = fwAD.make_dual(x, t)
        via_formula = fwAD.unpack_dual(d.sin()).tangent._data
        derived = fwAD._derived(None, api.sin, (d,), [t], d.sin())
    np.testing.assert_allclose(derived, via_formula, rtol=1e-6)
    assert math.isclose(float(via_formula[0]), math.cos(0.3) * 1.0, rel_tol=1e-6)


def test_a_tangent_adcli_did_not_record_refuses_backward_instead_of_a_partial_gradient():
    """Where the primal requires grad torch records the tangent; adcli records the rules it
    has (add/sub/mul/div, unary formulas, mm/addmm) and gives any other tangent a node
    that refuses backward, never a silently partial gradient."""
    import pytest as _pytest

    from adcli.engine import api as torch
    from adcli.engine import forward_ad as fw
    from adcli.errors import TorchNotImplementedError

    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with fw.dual_level():
        d = fw.make_dual(torch.tensor([0.5, -1.0, 2.0]), torch.ones(3))
        t = fw.unpack_dual((d * w).sin() + w).tangent  # recorded: torch's value
        t.sum().backward()
        xw = torch.tensor([0.5, -2.0, 6.0])  # t = w cos(xw): d/dw = cos(xw) - xw sin(xw)
        assert torch.allclose(w.grad, torch.cos(xw) - xw * torch.sin(xw))
        c = fw.unpack_dual(torch.cumsum(d * w, 0)).tangent  # no recorded rule for cumsum
        with _pytest.raises(TorchNotImplementedError, match="forward-mode tangent"):
            c.sum().backward()
