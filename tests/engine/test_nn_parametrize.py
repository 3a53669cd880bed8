"""torch.nn.utils.parametrize, parametrizations.weight_norm and the older weight_norm,
against torch 2.13: values and gradients recorded from torch (CPU), the printed modules and
the state_dict keys as torch gives them."""

from __future__ import annotations

import numpy as np
import pytest

from adcli.engine import api
from adcli.engine.nn import conv, layers
from adcli.engine.nn import parametrize as P
from adcli.engine.nn.module import Module
from adcli.errors import AdcliError

# torch 2.13: c = weight_norm(nn.Conv1d(2, 4, 3), dim=DIM); c.weight = arange(24).reshape(4,
# 2, 3) / 7 - 1.5 (under no_grad); (c.weight * arange(24).reshape(4, 2, 3)).sum().backward():
# grad_fn, original0 (g), g.grad, v.grad[:6]
TORCH = {
    0: ("WeightNormInterfaceBackward0", [2.862494945526123, 0.9202927350997925,
                                         1.5219483375549316, 3.5499353408813477],
        [-5.11541748046875, -13.116943359375, 34.30752944946289, 50.202117919921875],
        [-2.680572986602783, -1.4252800941467285, -0.16998758912086487, 1.0853052139282227,
         2.3405978679656982, 3.595890522003174]),
    2: ("WeightNormInterfaceBackward0", [2.7774603366851807, 2.806697368621826,
                                         2.892636775970459],
        [19.442222595214844, 23.9223690032959, 28.545385360717773],
        [10.5, 12.567357063293457, 13.982927322387695, 10.5, 11.914507865905762,
         12.753658294677734]),
    1: ("MulBackward0", [3.3533413410186768, 3.5657098293304443],
        [20.789499282836914, 37.58017349243164],
        [9.299455642700195, 9.413793563842773, 9.528130531311035, 14.292133331298828,
         13.786515235900879, 13.28089714050293]),
    None: ("MulBackward0", [4.894812107086182], [41.618408203125],
           [12.753832817077637, 12.539180755615234, 12.324530601501465, 12.109879493713379,
            11.89522933959961, 11.680578231811523]),
}


@pytest.mark.parametrize("dim", [0, 2, 1, None])
def test_weight_norm_values_and_grads(dim):
    c = P.parametrized_weight_norm(conv.Conv1d(2, 4, 3), dim=dim)
    with api.no_grad():
        c.weight = api.arange(24.0).reshape(4, 2, 3) / 7 - 1.5
    w = c.weight
    (w * api.arange(24.0).reshape(4, 2, 3)).sum().backward()
    name, g, g_grad, v_grad = TORCH[dim]
    assert w.grad_fn.name() == name
    plist = c.parametrizations.weight
    np.testing.assert_allclose(plist.original0._data.ravel(), g, rtol=1e-6)
    np.testing.assert_allclose(plist.original0.grad._data.ravel(), g_grad, rtol=1e-5)
    np.testing.assert_allclose(plist.original1.grad._data.ravel()[:6], v_grad, rtol=1e-5)


class _Symmetric(Module):
    def forward(self, x):
        return api.triu(x) + api.triu(x, 1).transpose(0, 1)


def test_register_parametrization_structure():
    m = layers.Linear(3, 3)
    P.register_parametrization(m, "weight", _Symmetric())
    assert type(m).__name__ == "ParametrizedLinear" and isinstance(m, layers.Linear)
    assert repr(m) == (
        "ParametrizedLinear(\n  in_features=3, out_features=3, bias=True\n"
        "  (parametrizations): ModuleDict(\n    (weight): ParametrizationList(\n"
        "      (0): _Symmetric()\n    )\n  )\n)")
    assert list(m.state_dict().keys()) == ["bias", "parametrizations.weight.original"]
    w = m.weight
    np.testing.assert_array_equal(w._data, w._data.T)
    m(api.ones(2, 3)).sum().backward()
    assert m.parametrizations.weight.original.grad._data.tolist() == [
        [2.0, 4.0, 4.0], [0.0, 2.0, 4.0], [0.0, 0.0, 2.0]]
    assert P.is_parametrized(m) and not P.is_parametrized(m, "bias")
    with pytest.raises(AdcliError, match="does not implement right_inverse"):
        m.weight = api.eye(3)
    P.remove_parametrizations(m, "weight")
    assert type(m).__name__ == "Linear" and list(m.state_dict().keys()) == ["bias", "weight"]
    with pytest.raises(AdcliError, match="does not have a parameter, a buffer, or a "
                                         "parametrized element with name 'foo'"):
        P.register_parametrization(m, "foo", _Symmetric())


def test_old_weight_norm_and_its_removal():
    api.manual_seed(0)
    lin = layers.Linear(3, 2)
    weight = lin.weight.detach().clone()
    P.weight_norm(lin)
    assert list(lin.state_dict().keys()) == ["bias", "weight_g", "weight_v"]
    assert lin.weight.grad_fn.name() == "WeightNormInterfaceBackward0"
    np.testing.assert_allclose(lin.weight._data, weight._data, rtol=1e-6)
    lin(api.ones(1, 3)).sum().backward()
    assert lin.weight_g.grad is not None and lin.weight_v.grad is not None
    P.remove_weight_norm(lin)
    assert list(lin.state_dict().keys()) == ["bias", "weight"]
    with pytest.raises(AdcliError, match="weight_norm of 'weight' not found"):
        P.remove_weight_norm(lin)
