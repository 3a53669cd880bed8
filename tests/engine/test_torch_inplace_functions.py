# ruff: noqa: E501 - the program and torch's printed lines, verbatim
"""torch's in-place functions (``torch.sin_(x)``, ``torch.relu_``, ``torch.clamp_``, ...):
the module-level spellings of the in-place methods, as dir(torch) 2.13 lists them.

The expected output was printed by torch 2.13.0+cpu running PROGRAM, never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.engine.declarations import TORCH_FUNCTION_INPLACE, torch_functions
from adcli.lang.interpreter import Session

PROGRAM = '''\
import torch
b = torch.tensor([0.5, -1.0])
print(torch.sin_(b), b)
x = torch.tensor([0.25, 4.0])
print(torch.sqrt_(x), torch.exp_(torch.tensor([1.0])), torch.relu_(torch.tensor([-1.0, 2.0])))
print(torch.clamp_(torch.tensor([-3.0, 3.0]), -1, 1), torch.zero_(torch.ones(2)), torch.fill_(torch.ones(2), 7))
print(torch.sigmoid_(torch.zeros(1)), torch.tanh_(torch.zeros(1)), torch.abs_(torch.tensor([-2.0])), torch.neg_(torch.tensor([2.0])))
print(torch.rsqrt_(torch.tensor([4.0])), torch.log_(torch.tensor([1.0])), torch.square_(torch.tensor([3.0])))
l = torch.ones(2, requires_grad=True)
try:
    torch.sin_(l)
except RuntimeError as e:
    print("RE", e)
print(hasattr(torch, "cos_"), hasattr(torch, "floor_"), hasattr(torch, "add_"))
'''

TORCH_PRINTED = """\
tensor([ 0.4794, -0.8415]) tensor([ 0.4794, -0.8415])
tensor([0.5000, 2.0000]) tensor([2.7183]) tensor([0., 2.])
tensor([-1.,  1.]) tensor([0., 0.]) tensor([7., 7.])
tensor([0.5000]) tensor([0.]) tensor([2.]) tensor([-2.])
tensor([0.5000]) tensor([0.]) tensor([9.])
RE a leaf Variable that requires grad is being used in an in-place operation.
True True False
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    assert "".join(out) == TORCH_PRINTED


def test_each_function_is_its_in_place_method():
    # every name torch has that adcli declares as an in-place method is also torch.NAME_,
    # calling the method (so the same checks and the same grad_fn)
    from adcli.engine.declarations import tensor_methods
    functions, methods = torch_functions(), tensor_methods()
    found = [n for n in TORCH_FUNCTION_INPLACE if n in methods]
    assert len(found) >= 50
    for name in found:
        assert functions[name].__wrapped_method__ is methods[name], name


def test_a_non_tensor_input_gets_torchs_type_error():
    import pytest

    from adcli.errors import AdcliError

    functions = torch_functions()
    for name, bad in (("abs_", "a"), ("zero_", 3)):
        with pytest.raises(AdcliError) as e:
            functions[name](bad)
        # torch 2.13: abs_(): argument 'input' (position 1) must be Tensor, not str
        assert e.value.kind == "TypeError"
        assert str(e.value) == (f"{name}(): argument 'input' (position 1) must be Tensor, "
                                f"not {type(bad).__name__}")
