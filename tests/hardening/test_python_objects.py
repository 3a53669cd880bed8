"""Turning a huge tensor into Python objects is bounded too (each object costs about ten
times a float32 element), so `.tolist()` and `list(x)` cannot blow up memory."""

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


def test_within_the_bound_it_works():
    s = Session(limits=Limits(max_elements=1000), out=lambda text: None)
    assert s.exec_source("len(ones(100).tolist()) + len(list(ones(100)))\n") == 200
