"""Turning a huge tensor into Python objects is bounded too, so `.tolist()` and `list(x)`
cannot blow up memory: `.tolist()` by a tenth of the element bound (each Python number
costs about ten times a float32 element), `list(x)` and `tuple(x)` by a hundredth (each
row is a tensor with a view and a graph node: about a hundred elements' memory)."""

import pytest

from adcli.errors import LimitError
from adcli.lang.interpreter import Session
from adcli.limits import Limits


@pytest.mark.parametrize("code, col", [("x.tolist()", 3), ("list(x)", 1), ("tuple(x)", 1)])
def test_python_object_bound(code, col):
    s = Session(limits=Limits(max_elements=1000), out=lambda text: None)
    s.exec_source("x = ones(101)\n")
    with pytest.raises(LimitError) as info:
        s.exec_source(f"y = {code}\n")
    assert info.value.pos == (1, 4 + col)


@pytest.mark.parametrize("code", ["list(x)", "tuple(x)", "list(zip(x))",
                                  "list(enumerate(zip(range(50), x)))"])
def test_rows_of_a_tensor_count_a_hundredth(code):
    s = Session(limits=Limits(max_elements=1000), out=lambda text: None)
    s.exec_source("x = ones(11)\n")
    with pytest.raises(LimitError, match="tensors"):
        s.exec_source(f"y = {code}\n")
    assert s.exec_source("len(list(ones(10))) + len(tuple(zip(ones(20), range(10))))\n") == 20


def test_within_the_bound_it_works():
    s = Session(limits=Limits(max_elements=1000), out=lambda text: None)
    assert s.exec_source("len(ones(100).tolist()) + len(list(ones(10)))\n") == 110
