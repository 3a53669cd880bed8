"""The torch surface of tutorial scripts: diag, diagonal, cartesian_prod, broadcast_shapes,
isclose, the classification losses of torch.nn.functional, one_hot, hvp/vhp, gradcheck,
and set_printoptions.

Each program runs in adcli's Python dialect and must print exactly what CPython and
PyTorch 2.13 (CPU build) printed for it: the program is fixtures/torch_surface.src, and
fixtures/torch_surface.out is torch's output, recorded with /work/torchenv/bin/python
(torch 2.13.0+cpu) and never with adcli.
"""

from __future__ import annotations

import json
import os

import pytest

from adcli.engine import api
from adcli.lang.interpreter import Session

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


@pytest.fixture(autouse=True)
def _fresh_state():
    api.reset_state()
    yield
    api.reset_state()


def run_py(source: str) -> str:
    out: list[str] = []
    Session(dialect="py", out=out.append).exec_source(source, filename="prog.py")
    return "".join(out)


def fixture(name: str) -> tuple[str, str]:
    with open(os.path.join(FIXTURES, name + ".src"), encoding="utf-8") as fh:
        source = fh.read()
    with open(os.path.join(FIXTURES, name + ".out"), encoding="utf-8") as fh:
        return source, fh.read()


def test_ops_values_gradients_and_messages_match_torch():
    source, torch_output = fixture("torch_surface")
    assert run_py(source) == torch_output


def test_out_arguments_and_new_factories_match_torch():
    """``torch.add(x, y, out=r)`` writes r (resizing it, refusing autograd), and
    ``x.new_ones`` and its kin take x's dtype, as torch 2.13 printed them."""
    source, torch_output = fixture("torch_out_and_new")
    assert run_py(source) == torch_output


def test_erf_and_erfc_match_torch():
    """The op added with one declaration each (erf, erfc): values, grad_fn names,
    gradients, methods, in-place and integer inputs, as torch 2.13 printed them."""
    source, torch_output = fixture("torch_erf")
    assert run_py(source) == torch_output


# set_printoptions keywords, an expression, and its repr in torch 2.13 (recorded with torch)
with open(os.path.join(FIXTURES, "torch_printoptions.json"), encoding="utf-8") as _fh:
    PRINT_CASES = [(c["options"], c["expr"], c["torch"]) for c in json.load(_fh)]


@pytest.mark.parametrize(("options", "expr", "expected"), PRINT_CASES)
def test_set_printoptions_prints_as_torch(options, expr, expected):
    source = (f"import torch\ntorch.set_printoptions(**{options!r})\nprint(repr({expr}))\n"
              "torch.set_printoptions(profile='default')\n")
    assert run_py(source) == expected + "\n"


def test_reset_state_restores_print_options_and_device():
    api.set_printoptions(precision=1)
    api.set_default_device("cuda")
    api.reset_state()
    assert repr(api.tensor([1.25])) == "tensor([1.2500])"
    assert repr(api.get_default_device()) == "device(type='cpu')"


@pytest.mark.parametrize("name", ["torch_selection", "torch_linalg"])
def test_selection_and_linalg_ops_match_torch(name):
    """gather, index_select, sort, topk, median, kthvalue, mode, tril/triu,
    repeat_interleave, roll, diff, masked_select, unique, count_nonzero, bincount; and
    torch.linalg det/inv/solve/norm/eigvalsh/lstsq/cross, cdist, dist, addmm, kron,
    meshgrid: values, grad_fn names and gradients as recorded from torch
    (tools/gen_selection_linalg_fixtures.py)."""
    source, torch_output = fixture(name)
    assert run_py(source) == torch_output


@pytest.mark.parametrize("name", ["torch_losses", "torch_random_ops", "torch_tensor_state"])
def test_added_surface_matches_torch(name):
    """The regression losses, logsigmoid and kl_div (every reduction, grad_fn names,
    gradients of input and target, error messages); torch.normal's overloads, bernoulli,
    multinomial, random_, exponential_ and bernoulli_ on the bit-exact generator;
    Tensor._version and ~ / bitwise_not on floats; as torch 2.13 printed them
    (tools/gen_torch_fixtures.py)."""
    source, torch_output = fixture(name)
    assert run_py(source) == torch_output
