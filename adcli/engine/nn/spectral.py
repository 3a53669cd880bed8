"""Spectral normalisation, as torch 2.13 builds it:

- ``torch.nn.utils.spectral_norm(module, name, n_power_iterations, eps, dim)``: the
  parameter moves to ``NAME_orig``, buffers ``NAME_u`` and ``NAME_v`` hold the power
  iteration's vectors (drawn from N(0, 1) and normalised), and a forward pre-hook sets
  ``NAME = NAME_orig / sigma`` with ``sigma = dot(u, mv(W, v))``, W the weight as a matrix
  (dim first); in training each forward first runs ``n_power_iterations`` steps
  ``v = normalize(W^T u)``, ``u = normalize(W v)`` in place, without grad;
  ``remove_spectral_norm`` makes ``NAME`` a parameter again;
- ``torch.nn.utils.parametrizations.spectral_norm``: the parametrization ``_SpectralNorm``
  (buffers ``_u``, ``_v``; 15 power steps when it is made, then ``u = normalize(W v)``,
  ``v = normalize(W^T u)`` per training forward; ``sigma = vdot(u, mv(W, v))``).
"""

from __future__ import annotations

from adcli.engine import api
from adcli.engine import nn_functional as F
from adcli.engine.nn.module import Module
from adcli.engine.nn.parameter import Parameter
from adcli.engine.nn.parametrize import register_parametrization
from adcli.engine.tensor import Tensor
from adcli.errors import TorchIndexError, TorchKeyError, TorchRuntimeError, TorchValueError


def _default_dim(module) -> int:
    from adcli.engine.nn import conv

    transposed = tuple(getattr(conv, n) for n in ("ConvTranspose1d", "ConvTranspose2d",
                                                  "ConvTranspose3d") if hasattr(conv, n))
    return 1 if isinstance(module, transposed) else 0


def _positive_iterations(n) -> None:
    if n <= 0:
        raise TorchValueError(f"Expected n_power_iterations to be positive, but got "
                              f"n_power_iterations={n}")


def _as_matrix(weight: Tensor, dim: int, flatten: bool) -> Tensor:
    if dim != 0:
        weight = weight.permute(dim, *[d for d in range(weight.dim()) if d != dim])
    return weight.flatten(1) if flatten else weight.reshape(weight.size(0), -1)


class SpectralNorm:
    """The forward pre-hook of ``spectral_norm``."""

    def __init__(self, name: str = "weight", n_power_iterations: int = 1, dim: int = 0,
                 eps: float = 1e-12) -> None:
        self.name = name
        self.dim = dim
        _positive_iterations(n_power_iterations)
        self.n_power_iterations = n_power_iterations
        self.eps = eps

    def compute_weight(self, module, do_power_iteration: bool) -> Tensor:
        weight = getattr(module, self.name + "_orig")
        u = getattr(module, self.name + "_u")
        v = getattr(module, self.name + "_v")
        weight_mat = _as_matrix(weight, self.dim, False)
        if do_power_iteration:
            with api.no_grad():
                for _ in range(self.n_power_iterations):
                    v = F.normalize(api.mv(weight_mat.t(), u), dim=0, eps=self.eps, out=v)
                    u = F.normalize(api.mv(weight_mat, v), dim=0, eps=self.eps, out=u)
                u = u.clone()
                v = v.clone()
        sigma = api.dot(u, api.mv(weight_mat, v))
        return api.div(weight, sigma)

    def remove(self, module) -> None:
        with api.no_grad():
            weight = self.compute_weight(module, do_power_iteration=False)
        module.__dict__.pop(self.name, None)
        del module._buffers[self.name + "_u"]
        del module._buffers[self.name + "_v"]
        del module._parameters[self.name + "_orig"]
        module.register_parameter(self.name, Parameter(weight.detach()))

    def __call__(self, module, inputs) -> None:
        object.__setattr__(module, self.name,
                           self.compute_weight(module, do_power_iteration=module.training))


def spectral_norm(module, name: str = "weight", n_power_iterations: int = 1,
                  eps: float = 1e-12, dim=None):
    """torch.nn.utils.spectral_norm: NAME = NAME_orig / its largest singular value,
    estimated by power iteration before each forward."""
    if dim is None:
        dim = _default_dim(module)
    for hook in module._forward_pre_hooks.values():
        if isinstance(hook, SpectralNorm) and hook.name == name:
            raise TorchRuntimeError(f"Cannot register two spectral_norm hooks on the same "
                                    f"parameter {name}")
    fn = SpectralNorm(name, n_power_iterations, dim, eps)
    if name not in module._parameters:
        raise TorchKeyError(name)
    weight = module._parameters[name]
    if weight is None:
        raise TorchValueError(f"`SpectralNorm` cannot be applied as parameter `{name}` is None")
    with api.no_grad():
        weight_mat = _as_matrix(weight, dim, False)
        h, w = weight_mat.shape
        u = F.normalize(api.empty(h, dtype=weight.dtype).normal_(0, 1), dim=0, eps=fn.eps)
        v = F.normalize(api.empty(w, dtype=weight.dtype).normal_(0, 1), dim=0, eps=fn.eps)
    del module._parameters[name]
    module.register_parameter(name + "_orig", weight)
    object.__setattr__(module, name, weight.data)
    module.register_buffer(name + "_u", u)
    module.register_buffer(name + "_v", v)
    module.register_forward_pre_hook(fn)
    return module


def remove_spectral_norm(module, name: str = "weight"):
    """Undo spectral_norm: NAME a parameter again, with its current normalised value."""
    for key, hook in list(module._forward_pre_hooks.items()):
        if isinstance(hook, SpectralNorm) and hook.name == name:
            hook.remove(module)
            del module._forward_pre_hooks[key]
            return module
    raise TorchValueError(f"spectral_norm of '{name}' not found in {module}")


class _SpectralNorm(Module):
    """The parametrization of ``parametrizations.spectral_norm``."""

    def __init__(self, weight, n_power_iterations: int = 1, dim: int = 0,
                 eps: float = 1e-12) -> None:
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise TorchIndexError(f"Dimension out of range (expected to be in range of "
                                  f"[-{ndim}, {ndim - 1}] but got {dim})")
        _positive_iterations(n_power_iterations)
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            weight_mat = _as_matrix(weight, self.dim, True)
            h, w = weight_mat.shape
            with api.no_grad():
                u = api.empty(h, dtype=weight.dtype).normal_(0, 1)
                v = api.empty(w, dtype=weight.dtype).normal_(0, 1)
                self.register_buffer("_u", F.normalize(u, dim=0, eps=self.eps))
                self.register_buffer("_v", F.normalize(v, dim=0, eps=self.eps))
            self._power_method(weight_mat, 15)

    def _power_method(self, weight_mat: Tensor, n_power_iterations: int) -> None:
        with api.no_grad():
            for _ in range(n_power_iterations):
                self._u = F.normalize(api.mv(weight_mat, self._v), dim=0, eps=self.eps,
                                      out=self._u)
                self._v = F.normalize(api.mv(weight_mat.t(), self._u), dim=0, eps=self.eps,
                                      out=self._v)

    def forward(self, weight):
        if weight.ndim == 1:
            return F.normalize(weight, dim=0, eps=self.eps)
        weight_mat = _as_matrix(weight, self.dim, True)
        if self.training:
            self._power_method(weight_mat, self.n_power_iterations)
        u = self._u.clone()
        v = self._v.clone()
        sigma = api.vdot(u, api.mv(weight_mat, v))
        return api.div(weight, sigma)

    def right_inverse(self, value):
        return value


def parametrized_spectral_norm(module, name: str = "weight", n_power_iterations: int = 1,
                               eps: float = 1e-12, dim=None):
    """torch.nn.utils.parametrizations.spectral_norm."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise TorchValueError(f"Module '{module}' has no parameter or buffer with name "
                              f"'{name}'")
    if dim is None:
        dim = _default_dim(module)
    register_parametrization(module, name,
                             _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module
