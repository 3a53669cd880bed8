"""torch.distributions (adcli/engine/distributions.py).

Expected values are torch 2.13's (literals printed by the torch venv for the same calls),
closed-form formulas evaluated in float64, or finite differences; none comes from adcli.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcli.engine import api
from adcli.engine import distributions as D
from adcli.errors import TorchNotImplementedError, TorchTypeError, TorchValueError

F64 = api.float64


def t(values, dtype=None):
    return api.tensor(values, dtype=dtype)


# ------------------------------------------------------------ seeded draws (torch's values)

def test_normal_sample_and_rsample_draw_torchs_stream():
    expected = [[1.5409960746765137, 0.41314220428466797],
                [-2.1787893772125244, 2.1368625164031982],
                [-1.0845223665237427, -1.7971909046173096]]
    for method in ("sample", "rsample"):
        api.manual_seed(0)
        d = D.Normal(t([0.0, 1.0]), t([1.0, 2.0]))
        assert getattr(d, method)((3,)).tolist() == expected


def test_bernoulli_categorical_uniform_draws_are_torchs():
    api.manual_seed(1)
    assert D.Bernoulli(t([0.2, 0.7])).sample((4,)).tolist() == [
        [0.0, 1.0], [0.0, 0.0], [1.0, 0.0], [0.0, 0.0]]
    api.manual_seed(2)
    c = D.Categorical(t([[0.1, 0.6, 0.3], [0.5, 0.25, 0.25]]))
    assert c.sample((4,)).tolist() == [[2, 2], [0, 1], [2, 0], [1, 0]]
    api.manual_seed(3)
    assert D.Uniform(t([0.0]), t([4.0])).sample((3,)).tolist() == [
        [0.017054080963134766], [0.42227745056152344], [1.1433699131011963]]


def test_values_and_reprs_are_torchs():
    assert D.Normal(0.5, 2.0).log_prob(t([0.0, 1.0, 3.0])).tolist() == [
        -1.6433357000350952, -1.6433357000350952, -2.3933358192443848]
    assert repr(D.Bernoulli(logits=t(0.5))) == "Bernoulli(logits: 0.5)"
    assert repr(D.Normal(0.0, 1.0)) == "Normal(loc: 0.0, scale: 1.0)"
    assert repr(D.Normal(t([0.0, 1.0]), 1.0)) == (
        "Normal(loc: torch.Size([2]), scale: torch.Size([2]))")
    b = D.Bernoulli(0.3)
    assert repr(b) == "Bernoulli(probs: 0.30000001192092896)"
    b.logits  # noqa: B018 - computed lazily, then listed as torch lists it
    assert repr(b) == "Bernoulli(probs: 0.30000001192092896, logits: -0.8472978472709656)"


def test_categorical_entropy_from_logits_is_torchs():
    assert D.Categorical(logits=t([1.0, 2.0, 3.0])).entropy().item() == 0.8323954939842224


def test_bernoulli_entropy_at_the_ends_is_torchs():
    assert D.Bernoulli(t([0.0, 1.0, 0.5])).entropy().tolist() == [
        0.0, 1.192093321833454e-07, 0.6931471824645996]


def test_shapes():
    d = D.Normal(api.zeros(4, 5), 1.0)
    assert tuple(d.batch_shape) == (4, 5) and tuple(d.event_shape) == ()
    assert tuple(d.sample((2, 3)).shape) == (2, 3, 4, 5)
    assert tuple(D.Normal(0.0, 1.0).sample().shape) == ()
    c = D.Categorical(logits=api.zeros(2, 3))
    assert tuple(c.batch_shape) == (2,) and tuple(c.sample((5, 7)).shape) == (5, 7, 2)
    assert c.sample().dtype is api.int64
    assert tuple(D.Normal(0.0, 1.0).expand((3,)).sample().shape) == (3,)


# ------------------------------------------------------------------ validation messages

@pytest.mark.parametrize(("make", "message"), [
    (lambda: D.Normal(0.0, -1.0),
     "Expected parameter scale (Tensor of shape ()) of distribution Normal(loc: 0.0, scale: "
     "-1.0) to satisfy the constraint GreaterThan(lower_bound=0.0), but found invalid "
     "values:\n-1.0"),
    (lambda: D.Normal(t([0.0, 1.0]), t([1.0, -2.0])),
     "Expected parameter scale (Tensor of shape (2,)) of distribution Normal(loc: "
     "torch.Size([2]), scale: torch.Size([2])) to satisfy the constraint "
     "GreaterThan(lower_bound=0.0), but found invalid values:\ntensor([ 1., -2.])"),
    (lambda: D.Bernoulli(), "Either `probs` or `logits` must be specified, but not both."),
    (lambda: D.Categorical(t(1.0)), "`probs` parameter must be at least one-dimensional."),
    (lambda: D.Uniform(2.0, 1.0),
     "Expected parameter low (Tensor of shape ()) of distribution Uniform(low: 2.0, high: "
     "1.0) to satisfy the constraint LessThan(upper_bound=1.0), but found invalid "
     "values:\n2.0"),
    (lambda: D.Normal(0.0, 1.0).log_prob(0.5),
     "The value argument to log_prob must be a Tensor"),
    (lambda: D.Categorical(t([1.0, 2.0, 3.0])).log_prob(t(3)),
     "Expected value argument (Tensor of shape ()) to be within the support "
     "(IntegerInterval(lower_bound=0, upper_bound=2)) of the distribution "
     "Categorical(probs: torch.Size([3])), but found invalid values:\n3"),
    (lambda: D.Normal("a", 1.0),
     "Input arguments must all be instances of Number, torch.Tensor or objects "
     "implementing __torch_function__."),
])
def test_validation_errors_are_torchs(make, message):
    with pytest.raises(TorchValueError) as info:
        make()
    assert str(info.value) == message


def test_validation_can_be_turned_off_and_errors_of_other_kinds():
    assert D.Bernoulli(t([0.3]), validate_args=False).log_prob(t([0.5])).shape == (1,)
    with pytest.raises(TorchTypeError, match="'int' object is not iterable"):
        D.Normal(0.0, 1.0).sample(5)
    with pytest.raises(TorchNotImplementedError):
        D.Bernoulli(0.5).rsample()
    with pytest.raises(TorchNotImplementedError, match="No KL"):
        D.kl_divergence(D.Categorical(t([0.5, 0.5])), D.Uniform(0.0, 1.0))


# ------------------------------------------------------------- closed forms (float64)

finite = st.floats(-5, 5, allow_nan=False)
scales = st.floats(0.05, 5, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(loc=finite, scale=scales, x=finite)
def test_normal_log_prob_cdf_entropy_closed_form(loc, scale, x):
    d = D.Normal(t(loc, F64), t(scale, F64))
    want = -((x - loc) ** 2) / (2 * scale ** 2) - math.log(scale) - 0.5 * math.log(2 * math.pi)
    assert d.log_prob(t(x, F64)).item() == pytest.approx(want, rel=1e-12, abs=1e-12)
    cdf = 0.5 * (1 + math.erf((x - loc) / (scale * math.sqrt(2))))
    assert d.cdf(t(x, F64)).item() == pytest.approx(cdf, rel=1e-12, abs=1e-12)
    assert d.entropy().item() == pytest.approx(0.5 * math.log(2 * math.pi * math.e * scale ** 2))


@settings(max_examples=60, deadline=None)
@given(logits=st.lists(st.floats(-20, 20, allow_nan=False), min_size=1, max_size=6))
def test_categorical_probs_sum_to_one_and_log_prob_is_log_softmax(logits):
    c = D.Categorical(logits=t(logits, F64))
    assert c.probs.sum().item() == pytest.approx(1.0, abs=1e-12)
    z = np.array(logits)
    log_softmax = z - (z.max() + np.log(np.exp(z - z.max()).sum()))
    got = [c.log_prob(t(k)).item() for k in range(len(logits))]
    np.testing.assert_allclose(got, log_softmax, rtol=1e-12, atol=1e-12)
    p = np.exp(log_softmax)
    assert c.entropy().item() == pytest.approx(-(p * log_softmax).sum(), abs=1e-10)


@settings(max_examples=60, deadline=None)
@given(p=st.floats(0.01, 0.99), value=st.sampled_from([0.0, 1.0]))
def test_bernoulli_log_prob_and_entropy_closed_form(p, value):
    b = D.Bernoulli(t(p, F64))
    want = math.log(p) if value == 1.0 else math.log1p(-p)
    assert b.log_prob(t(value, F64)).item() == pytest.approx(want, rel=1e-9)
    entropy = -(p * math.log(p) + (1 - p) * math.log1p(-p))
    assert b.entropy().item() == pytest.approx(entropy, rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(m1=finite, s1=scales, m2=finite, s2=scales)
def test_kl_normal_normal_closed_form(m1, s1, m2, s2):
    kl = D.kl_divergence(D.Normal(t(m1, F64), t(s1, F64)), D.Normal(t(m2, F64), t(s2, F64)))
    want = math.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5
    assert kl.item() == pytest.approx(want, rel=1e-9, abs=1e-12)


def test_kl_bernoulli_categorical_uniform_closed_form():
    p, q = 0.2, 0.6
    kl = D.kl_divergence(D.Bernoulli(t(p, F64)), D.Bernoulli(t(q, F64))).item()
    assert kl == pytest.approx(p * math.log(p / q) + (1 - p) * math.log((1 - p) / (1 - q)))
    a, b = np.array([0.2, 0.8, 0.0]), np.array([0.5, 0.25, 0.25])
    kl = D.kl_divergence(D.Categorical(t(a.tolist(), F64)),
                         D.Categorical(t(b.tolist(), F64))).item()
    assert kl == pytest.approx(sum(x * math.log(x / y) for x, y in zip(a, b) if x > 0))
    kl = D.kl_divergence(D.Categorical(t([0.5, 0.5])), D.Categorical(t([1.0, 0.0]))).item()
    assert kl == math.inf
    assert D.kl_divergence(D.Uniform(0.0, 1.0), D.Uniform(-1.0, 2.0)).item() == pytest.approx(
        math.log(3.0))


@settings(max_examples=40, deadline=None)
@given(low=finite, width=scales, x=st.floats(0, 1))
def test_uniform_closed_form(low, width, x):
    u = D.Uniform(t(low, F64), t(low + width, F64))
    value = t(low + x * width * 0.999, F64)
    assert u.log_prob(value).item() == pytest.approx(-math.log(width), rel=1e-9)
    assert u.entropy().item() == pytest.approx(math.log(width), rel=1e-9, abs=1e-12)
    assert u.mean.item() == pytest.approx(low + width / 2)


# ------------------------------------------------------------------------ gradients

def test_rsample_gradients_are_the_reparameterisation():
    loc = t([0.5, -1.0], F64)
    scale = t([2.0, 0.5], F64)
    loc.requires_grad_(True)
    scale.requires_grad_(True)
    api.manual_seed(5)
    z = D.Normal(loc, scale).rsample((3,))
    api.manual_seed(5)
    eps = api.empty((3, 2), dtype=F64).normal_()
    z.sum().backward()
    np.testing.assert_array_equal(loc.grad._data, [3.0, 3.0])
    np.testing.assert_allclose(scale.grad._data, eps._data.sum(0), rtol=1e-15)
    with api.no_grad():
        assert not D.Normal(loc, scale).sample().requires_grad


def _finite_difference(f, x: float, h: float = 1e-6) -> float:
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize("value", [0.0, 1.0])
def test_log_prob_gradients_match_finite_differences(value):
    def normal_lp(s):
        return D.Normal(t(0.3, F64), t(s, F64)).log_prob(t(1.2, F64)).item()

    scale = t(1.5, F64)
    scale.requires_grad_(True)
    D.Normal(t(0.3, F64), scale).log_prob(t(1.2, F64)).backward()
    assert scale.grad.item() == pytest.approx(_finite_difference(normal_lp, 1.5), rel=1e-6)

    def bern_lp(z):
        return D.Bernoulli(logits=t(z, F64)).log_prob(t(value, F64)).item()

    logit = t(0.4, F64)
    logit.requires_grad_(True)
    D.Bernoulli(logits=logit).log_prob(t(value, F64)).backward()
    assert logit.grad.item() == pytest.approx(_finite_difference(bern_lp, 0.4), rel=1e-6)

    def cat_entropy(z):
        return D.Categorical(logits=t([z, 0.0, -1.0], F64)).entropy().item()

    logits = t([0.7, 0.0, -1.0], F64)
    logits.requires_grad_(True)
    D.Categorical(logits=logits).entropy().backward()
    assert logits.grad._data[0] == pytest.approx(_finite_difference(cat_entropy, 0.7), rel=1e-6)


# -------------------------------------------------------------- the script's namespace

def _run(code: str) -> str:
    """What ``code`` prints as a .py script under adcli."""
    from adcli.lang.interpreter import Session
    from adcli.limits import Limits

    out: list[str] = []
    session = Session(limits=Limits(), out=out.append)
    session.dialect = "py"
    session.exec_source(code)
    return "".join(out)


def test_scripts_reach_torch_distributions_every_way():
    out = _run(
        "import torch\n"
        "import torch.distributions as D\n"
        "from torch.distributions import Normal\n"
        "from torch.distributions.kl import kl_divergence\n"
        "from torch.distributions.normal import Normal as N2\n"
        "print(D.Normal is Normal, N2 is Normal, torch.distributions.Bernoulli(0.5))\n"
        "print(kl_divergence(Normal(0., 1.), Normal(1., 2.)))\n"
        "print(D.constraints.positive)\n")
    assert out == ("True True Bernoulli(probs: 0.5)\ntensor(0.4431)\n"
                   "GreaterThan(lower_bound=0.0)\n")


def test_a_missing_distribution_is_an_attribute_error():
    from adcli.errors import AdcliError

    with pytest.raises(AdcliError) as info:
        _run("import torch\ntorch.distributions.Wishart(torch.eye(2), 3.)\n")
    assert info.value.kind == "AttributeError"
    assert "Wishart" in str(info.value)
