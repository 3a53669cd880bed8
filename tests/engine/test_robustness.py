"""Any arguments: every public function and Tensor method raises only adcli's errors.

A user's mistake must never surface as a numpy or Python exception (or a numpy warning):
hypothesis calls each function with junk drawn from a pool of tensors, numbers and other
values, and accepts a result or an ``AdcliError`` (or Python's own TypeError for a call
that does not fit the signature, which the interpreter reports as torch does).
"""

from __future__ import annotations

import math
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adcli import limits
from adcli.engine import api, functional, nn_functional
from adcli.engine.tensor import Tensor
from adcli.errors import AdcliError


def pool():
    return [
        api.ones(2, 3), api.ones(2, 3, requires_grad=True) * 1, api.tensor(2.0),
        api.tensor([1, 2]), api.tensor([True, False]), api.zeros(0), api.ones(3, dtype=api.float64),
        api.ones(1, 3, requires_grad=True), api.tensor([[1.0, -2.0], [0.0, 3.0]]),
        0, 1, -1, 2, 2.5, -0.5, True, False, None, "a", [1, 2], (1, 2), [[1], [2, 3]], [],
        math.nan, math.inf, 10 ** 30, api.float32, api.int64, slice(None, 2), ..., (0, 1),
    ]


PUBLIC = sorted(n for n in dir(api) if not n.startswith("_") and callable(getattr(api, n))
                and n not in ("Generator", "Size", "dtype", "seed", "manual_seed",
                              "legacy_new", "no_grad", "enable_grad", "inference_mode",
                              "set_grad_enabled", "Tensor"))
METHODS = sorted(n for n in dir(Tensor) if not n.startswith("__") and not n.startswith("_")
                 and callable(getattr(Tensor, n, None)) and n not in ("backward", "register_hook"))
F_FUNCS = ["relu", "softplus", "softmax", "log_softmax", "leaky_relu", "gelu", "elu", "mse_loss",
           "nll_loss", "cross_entropy", "one_hot", "binary_cross_entropy",
           "binary_cross_entropy_with_logits"]

KWARGS = st.sampled_from([{}, {}, {"dim": 0}, {"dim": 5}, {"keepdim": True}, {"dim": (0, 1)},
                          {"dtype": api.float64}, {"alpha": 2}, {"p": 1}, {"min": 0},
                          {"requires_grad": True}, {"dim": "a"}])

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def call(fn, args, kwargs):
    old = limits.current()
    limits.install(limits.Limits(max_elements=100_000))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fn(*args, **kwargs)
    except AdcliError:
        pass
    except TypeError as e:  # a call that does not fit the signature
        if type(e) is not TypeError or not any(w in str(e) for w in ("argument", "positional")):
            raise
    finally:
        limits.install(old)
        api.reset_state()  # set_printoptions / set_default_device are global, as in torch


@pytest.mark.parametrize("name", PUBLIC)
@SETTINGS
@given(data=st.data())
def test_functions_with_junk(name, data):
    values = pool()
    args = data.draw(st.lists(st.sampled_from(values), max_size=3))
    kwargs = data.draw(KWARGS)
    call(getattr(api, name), args, kwargs)


@pytest.mark.parametrize("name", METHODS)
@SETTINGS
@given(data=st.data())
def test_methods_with_junk(name, data):
    values = pool()
    self = data.draw(st.sampled_from([v for v in values if isinstance(v, Tensor)]))
    args = data.draw(st.lists(st.sampled_from(values), max_size=2))
    kwargs = data.draw(KWARGS)
    call(getattr(self, name), args, kwargs)


@pytest.mark.parametrize("name", F_FUNCS)
@SETTINGS
@given(data=st.data())
def test_nn_functional_with_junk(name, data):
    values = pool()
    args = data.draw(st.lists(st.sampled_from(values), max_size=3))
    call(getattr(nn_functional, name), args, data.draw(KWARGS))


@SETTINGS
@given(data=st.data())
def test_operators_with_junk(data):
    import operator

    values = pool()
    op = data.draw(st.sampled_from([operator.add, operator.sub, operator.mul, operator.truediv,
                                    operator.floordiv, operator.mod, operator.pow,
                                    operator.matmul, operator.lt, operator.eq, operator.and_,
                                    operator.getitem, operator.neg, operator.abs]))
    a = data.draw(st.sampled_from([v for v in values if isinstance(v, Tensor)]))
    b = data.draw(st.sampled_from(values))
    args = (a,) if op in (operator.neg, operator.abs) else (a, b) if data.draw(
        st.booleans()) else (b, a)
    if not isinstance(args[0], Tensor) and op is operator.getitem:
        return
    call(op, args, {})


@SETTINGS
@given(data=st.data())
def test_setitem_and_backward_with_junk(data):
    values = pool()
    t = api.ones(2, 3, requires_grad=True) * 1
    key = data.draw(st.sampled_from(values))
    value = data.draw(st.sampled_from(values))
    call(t.__setitem__, (key, value), {})
    gradient = data.draw(st.sampled_from(values))
    call(t.backward, (gradient,), {})
    call(functional.grad, (t, data.draw(st.sampled_from(values))), {})
