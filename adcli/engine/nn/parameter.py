"""``nn.Parameter``: a leaf tensor that a Module registers as one of its parameters.

In torch a Parameter is a Tensor subclass. Here it is a plain ``Tensor`` marked
``_param``, so that every op keeps its fast path for ``type(x) is Tensor``; ``Parameter``
is the constructor, and ``isinstance(t, nn.Parameter)`` reads the mark. What an op
computes from a parameter is a plain tensor, as in torch; its repr starts with
``Parameter containing:``.
"""

from __future__ import annotations

from adcli.engine.tensor import NO_GRAD_FACTORY, Tensor, _wrap, box
from adcli.errors import TorchTypeError


class _ParameterType(type):
    def __instancecheck__(cls, obj) -> bool:
        return type(obj) is Tensor and obj._param

    def __subclasscheck__(cls, sub) -> bool:
        return sub is cls

    def __repr__(cls) -> str:
        return "<class 'torch.nn.parameter.Parameter'>"


class Parameter(Tensor, metaclass=_ParameterType):
    """``nn.Parameter(data=None, requires_grad=True)``: ``data``'s storage as a parameter."""

    __adcli_public__ = frozenset()

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            from adcli.engine import api

            data = api.empty(0)
        if not isinstance(data, Tensor):
            raise TorchTypeError(
                f"Parameter(): argument 'data' must be a Tensor, not {type(data).__name__}")
        p = _wrap(data._data)
        p._ver = box(data)
        p._param = True
        p._set_requires_grad(requires_grad, NO_GRAD_FACTORY)  # torch's _make_subclass words
        return p


def is_parameter(obj) -> bool:
    return type(obj) is Tensor and obj._param
