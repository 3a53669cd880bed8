"""Custom ``torch.autograd.Function`` subclasses against PyTorch 2.13.

The cases are the functions of tools/gen_function_fixtures.py: each defines its Functions
as subclasses of the Function it is given and records what it sees. Run under real torch
they made tests/engine/fixtures/custom_function.json; here they run on adcli's engine
(``adcli.engine.api`` as torch, ``adcli.engine.custom_function.Function``) and every record
must be the same: tensor reprs, requires_grad, grad_fn names, error types and messages.
"""

from __future__ import annotations

import importlib.util
import json
import os
import types

import numpy as np
import pytest

import adcli.engine  # noqa: F401 - assembles the engine
from adcli.engine import api, custom_function, func, functional
from adcli.engine.tensor import Tensor
from adcli.errors import AdcliError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "tests", "engine", "fixtures", "custom_function.json")


def _load_cases():
    spec = importlib.util.spec_from_file_location(
        "gen_function_fixtures", os.path.join(ROOT, "tools", "gen_function_fixtures.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


GEN = _load_cases()
with open(FIXTURES, encoding="utf-8") as fh:
    EXPECTED = json.load(fh)


def adcli_kind(e: BaseException) -> str:
    return e.kind if isinstance(e, AdcliError) else f"internal {type(e).__name__}"


def adcli_namespace():
    try:
        from adcli.engine.nn.module import Module
        from adcli.engine.nn.parameter import Parameter
        nn = types.SimpleNamespace(Module=Module, Parameter=Parameter)
    except ImportError:  # nn is another part's work: its cases skip without it
        nn = None
    return types.SimpleNamespace(
        torch=api, Function=custom_function.Function,
        once_differentiable=custom_function.once_differentiable, grad=functional.grad,
        gradcheck=functional.gradcheck, func=types.SimpleNamespace(**func.MEMBERS), nn=nn)


def run_case(case) -> list:
    api.reset_state()
    rec = GEN.Recorder(Tensor, adcli_kind)
    case(adcli_namespace(), rec)
    return rec.records


def compare(got: list, want: list) -> None:
    for (label, value), (wlabel, wvalue) in zip(got, want):
        assert label == wlabel
        assert value == wvalue, f"{label}:\n adcli: {value}\n torch: {wvalue}"
    assert len(got) == len(want), [g[0] for g in got[len(want):]] or [
        w[0] for w in want[len(got):]]


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    from adcli.engine import tensor

    monkeypatch.setattr(tensor, "emit_warning", lambda message: None)


@pytest.mark.parametrize("case", GEN.FUNCTION_CASES, ids=lambda c: c.__name__)
def test_case_matches_torch(case):
    compare(run_case(case), EXPECTED["function"][case.__name__])


def test_members():
    m = custom_function.MEMBERS
    assert {"Function", "FunctionCtx", "once_differentiable", "GradcheckError"} <= set(m)
    assert m["Function"].__adcli_subclassable__ is True
    assert m["FunctionCtx"].__adcli_settable__ is True
    assert issubclass(m["GradcheckError"], RuntimeError)
    assert "apply" in m["Function"].__adcli_public__


def test_ctx_keeps_engine_state_out_of_reach():
    seen = {}

    class Fn(custom_function.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.alpha = 2
            ctx.save_for_backward(x)
            seen["ctx"] = ctx
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * ctx.alpha

    x = api.tensor([1.0, 2.0], requires_grad=True)
    Fn.apply(x).sum().backward()
    ctx = seen["ctx"]
    # what a script reads from __dict__ is only what it set
    assert ctx.__dict__ == {"alpha": 2}
    with pytest.raises(AttributeError):
        ctx._adcli_state = 1
    with pytest.raises(AttributeError):
        ctx.saved_tensors = ()
    assert x.grad.tolist() == [2.0, 2.0]


def test_custom_node_in_a_long_chain():
    class Add1(custom_function.Function):
        @staticmethod
        def forward(ctx, x):
            return x + 1

        @staticmethod
        def backward(ctx, g):
            return g

    x = api.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(3000):
        y = Add1.apply(y)
    y.sum().backward()
    assert x.grad.tolist() == [1.0]
    np.testing.assert_equal(y.detach().numpy(), [3001.0])
