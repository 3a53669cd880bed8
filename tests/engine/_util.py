"""Helpers for the engine tests: a torch-like namespace over adcli's engine."""

from __future__ import annotations

import math
import types

import numpy as np

from adcli.engine import api, functional, nn_functional
from adcli.engine.tensor import Tensor

torch_like = types.SimpleNamespace(**{k: getattr(api, k) for k in dir(api)
                                      if not k.startswith("__")})
torch_like.autograd = types.SimpleNamespace(
    grad=functional.grad, backward=functional.backward, Variable=api.Variable,
    functional=types.SimpleNamespace(jacobian=functional.jacobian, hessian=functional.hessian,
                                     vjp=functional.vjp, jvp=functional.jvp),
)
torch_like.nn = types.SimpleNamespace(functional=nn_functional)


def namespace() -> dict:
    """Globals for running torch-style code against the engine."""
    return {"torch": torch_like, "F": nn_functional, "math": math}


def arr(t: Tensor) -> np.ndarray:
    return t._data
