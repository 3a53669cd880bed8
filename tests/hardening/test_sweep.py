"""Every function and method, called with arguments of the wrong kind, ends in an
AdcliError: never an internal error, a Python exception or a traceback. One test per name.
"""

import pytest

from adcli.errors import AdcliError
from adcli.lang import names as N
from adcli.lang.interpreter import Session
from adcli.limits import Limits

BAD_ARGUMENTS = ["", "0", "'a'", "[1]", "(lambda a: a)", "None", "1.5", "float64", "10**30",
                 "ones(2), 'a'", "ones(2), None", "ones(2), [1]", "ones(2), (lambda a: a)",
                 "'a', ones(2)", "ones(2), dim='a'", "ones(2), dim=None", "ones(2), 1.5",
                 "ones(2, 2), 5", "ones(2), -5", "ones(2), 10**30", "ones(2), dtype='a'",
                 "tensor(True)", "ones(0)", "ones(2), ones(3)"]
RECEIVERS = ["ones(2)", "(ones(2, requires_grad=True) * 2)", "tensor(3)", "ones(0)",
             "tensor([True])", "ones(2, 2)"]

FUNCTIONS = sorted(N.TORCH_FUNCTIONS) + [f"F.{n}" for n in N.F_FUNCTIONS] + [
    f"autograd.{n}" for n in N.AUTOGRAD_FUNCTIONS] + [
    f"autograd.functional.{n}" for n in N.FUNCTIONAL_FUNCTIONS]
METHODS = sorted(n for n in N.TENSOR_ACCESSORS if callable(getattr(N.Tensor, n, None)))

def escapes(sources: list[str]) -> list[str]:
    """The sources whose evaluation ends in anything but a value or an AdcliError."""
    bad = []
    for source in sources:
        session = Session(limits=Limits(max_elements=100_000, max_steps=10_000),
                          out=lambda text: None)
        try:
            repr(session.eval_expr(source))
        except AdcliError:
            pass
        except Exception as exc:  # noqa: BLE001 - what the sweep looks for
            original = getattr(exc, "original", exc)
            bad.append(f"{source}: {type(original).__name__}: {original}")
    return bad


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", FUNCTIONS)
def test_functions_refuse_wrong_arguments_cleanly(name, capsys):
    assert not escapes([f"{name}({args})" for args in BAD_ARGUMENTS])


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", METHODS)
def test_methods_refuse_wrong_arguments_cleanly(name, capsys):
    assert not escapes([f"{r}.{name}({args})" for r in RECEIVERS for args in BAD_ARGUMENTS])
