"""torch.nn.utils: clipping gradients, and parameters as one vector.

As torch 2.13 computes them: each gradient's norm, the norm of those norms, then every
gradient scaled in place by ``min(max_norm / (total + 1e-6), 1)``.
"""

from __future__ import annotations

import math

from adcli.engine import api
from adcli.engine.devices import Namespace
from adcli.engine.nn import orthogonal, parametrize, rnn_utils, spectral
from adcli.engine.tensor import Tensor, warn
from adcli.errors import TorchRuntimeError, TorchTypeError


def _tensors(parameters) -> list:
    if isinstance(parameters, Tensor):
        return [parameters]
    return list(parameters)


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None) -> Tensor:
    tensors = _tensors(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return api.tensor(0.0)
    norm = api.LINALG_FUNCTIONS["vector_norm"]
    with api.no_grad():
        norms = [norm(g, norm_type) for g in tensors]
        total = norm(api.stack(norms), norm_type)
    if error_if_nonfinite and (math.isnan(total.item()) or math.isinf(total.item())):
        raise TorchRuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is "
            "non-finite, so it cannot be clipped. To disable this error and scale the "
            "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`")
    return total


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None) -> None:
    grads = [p.grad for p in _tensors(parameters) if p.grad is not None]
    if not grads:
        return
    with api.no_grad():
        coef = api.clamp(float(max_norm) / (total_norm + 1e-6), max=1.0)
        for g in grads:
            g.mul_(coef)


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                    foreach=None) -> Tensor:
    """Scale the gradients in place so that their total norm is at most ``max_norm``;
    returns the total norm before clipping."""
    parameters = _tensors(parameters)
    grads = [p.grad for p in parameters if p.grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


def clip_grad_value_(parameters, clip_value, foreach=None) -> None:
    """Clamp every gradient into [-clip_value, clip_value], in place."""
    clip_value = float(clip_value)
    with api.no_grad():
        for p in _tensors(parameters):
            if p.grad is not None:
                p.grad.clamp_(min=-clip_value, max=clip_value)


def parameters_to_vector(parameters) -> Tensor:
    return api.cat([p.view(-1) for p in _tensors(parameters)])


def vector_to_parameters(vec, parameters) -> None:
    if not isinstance(vec, Tensor):
        raise TorchTypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    pointer = 0
    for p in _tensors(parameters):
        n = p.numel()
        p.data = vec[pointer:pointer + n].view_as(p).data
        pointer += n


def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                   foreach=None) -> Tensor:
    """The deprecated name: a FutureWarning at the caller's line, then clip_grad_norm_."""
    warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
         "`torch.nn.utils.clip_grad_norm_`.", category=FutureWarning)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


MEMBERS = {name: globals()[name] for name in (
    "clip_grad_norm",
    "clip_grad_norm_", "clip_grad_value_", "get_total_norm", "clip_grads_with_norm_",
    "parameters_to_vector", "vector_to_parameters")}
MEMBERS["rnn"] = Namespace("torch.nn.utils.rnn", dict(rnn_utils.MEMBERS))
MEMBERS["parametrize"] = Namespace("torch.nn.utils.parametrize",
                                   dict(parametrize.PARAMETRIZE_MEMBERS))
MEMBERS["parametrizations"] = Namespace("torch.nn.utils.parametrizations",
                                        dict(parametrize.PARAMETRIZATIONS_MEMBERS,
                                             spectral_norm=spectral.parametrized_spectral_norm,
                                             orthogonal=orthogonal.orthogonal))
MEMBERS["weight_norm"] = parametrize.weight_norm
MEMBERS["remove_weight_norm"] = parametrize.remove_weight_norm
MEMBERS["spectral_norm"] = spectral.spectral_norm
MEMBERS["remove_spectral_norm"] = spectral.remove_spectral_norm
