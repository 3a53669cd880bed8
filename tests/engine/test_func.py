"""torch.func (grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian, vmap,
functional_call) against PyTorch 2.13: the ``func_*`` cases of tools/gen_function_fixtures.py,
recorded under real torch in tests/engine/fixtures/custom_function.json, run on adcli."""

from __future__ import annotations

import pytest

from adcli.engine import func
from tests.engine.test_custom_function import EXPECTED, GEN, adcli_namespace, compare, run_case


@pytest.mark.parametrize("case", GEN.FUNC_CASES, ids=lambda c: c.__name__)
def test_case_matches_torch(case):
    if case is GEN.func_functional_call and adcli_namespace().nn is None:
        pytest.skip("adcli.engine.nn is not there yet")
    compare(run_case(case), EXPECTED["func"][case.__name__])


def test_members():
    assert set(func.MEMBERS) == {"grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd",
                                 "hessian", "vmap", "functional_call", "stack_module_state",
                                 "linearize"}


def test_functional_call_with_a_stand_in_module():
    from adcli.engine import api

    class StandIn:
        def __init__(self):
            self._parameters = {"w": api.tensor([2.0], requires_grad=True)}
            self._buffers = {}

        def named_parameters(self):
            return iter(self._parameters.items())

        def named_buffers(self):
            return iter(())

        def __call__(self, x):
            return x * self._parameters["w"]

    m = StandIn()
    old = m._parameters["w"]
    out = func.functional_call(m, {"w": api.tensor([5.0])}, api.tensor([3.0]))
    assert out.tolist() == [15.0]
    assert m._parameters["w"] is old
