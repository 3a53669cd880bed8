"""``torch.nn.utils.parametrize``, ``torch.nn.utils.parametrizations.weight_norm`` and the
older ``torch.nn.utils.weight_norm`` / ``remove_weight_norm``, as torch 2.13 builds them:

- ``register_parametrization(module, name, p)``: the tensor moves into
  ``module.parametrizations[name]`` (a ``ParametrizationList`` holding ``original``, or
  ``original0``, ``original1``, ... when ``p.right_inverse`` returns several tensors), the
  module's class becomes ``Parametrized<Class>`` with a property ``name`` that computes
  ``p(original)`` on each read (a setter runs ``right_inverse``);
- ``parametrizations.weight_norm``: ``_WeightNorm`` with ``original0 = g`` (the norm of
  ``weight`` over every dim but ``dim``) and ``original1 = v``; its value is
  ``torch._weight_norm(v, g, dim)``;
- ``weight_norm`` (deprecated in torch): parameters ``weight_g`` and ``weight_v`` and a
  forward pre-hook that recomputes ``weight``.

``torch._weight_norm`` on the CPU is one ``WeightNormInterfaceBackward0`` node when
``dim`` is the first or last dimension, else ``v * (g / norm_except_dim(v, 2, dim))``.
"""

from __future__ import annotations

import numpy as np

from adcli.engine import api
from adcli.engine.nn.containers import ModuleDict, ModuleList
from adcli.engine.nn.module import Module
from adcli.engine.nn.parameter import Parameter
from adcli.engine.ops.kinds import Nary
from adcli.engine.tensor import Tensor, warn
from adcli.errors import TorchRuntimeError, TorchValueError

# ---------------------------------------------------------------------------- _weight_norm


def _row_norms(v: np.ndarray, dim: int) -> np.ndarray:
    """||v|| over every dim but ``dim`` (0 or the last), kept as size-1 dims."""
    axes = tuple(a for a in range(v.ndim) if a != dim)
    return np.sqrt(np.sum(v * v, axis=axes, keepdims=True, dtype=v.dtype))


class WeightNormInterfaceBackward0(Nary):
    """``_weight_norm_interface(v, g, dim)``: w = v * (g / ||v||), the norm over every dim
    but ``dim``."""

    saves = "oo"
    frees = ("norms",)

    def forward(self, arrays, dim):
        v, g = arrays
        norms = _row_norms(v, dim)
        self.dim, self.norms = dim, norms
        return (v * (g.reshape(norms.shape) / norms)).astype(v.dtype, copy=False)

    def backward(self, F, grad, v, g):
        norms = self.norms
        if F.numpy:
            axes = tuple(a for a in range(v.ndim) if a != self.dim)
            dot = np.sum(grad * v, axis=axes, keepdims=True, dtype=v.dtype)
            gs = g.reshape(norms.shape)
            grad_g = (dot / norms).reshape(g.shape)
            grad_v = (gs / norms) * (grad - v * (dot / (norms * norms)))
            return grad_v.astype(v.dtype, copy=False), grad_g.astype(g.dtype, copy=False)
        axes = tuple(a for a in range(v.ndim) if a != self.dim)
        n = api.tensor(norms)
        dot = api.sum(grad * v, axes, True)
        grad_g = (dot / n).reshape(g.shape)
        grad_v = (g.reshape(n.shape) / n) * (grad - v * (dot / (n * n)))
        return grad_v, grad_g


def norm_except_dim(v: Tensor, pow=2, dim: int = 0) -> Tensor:
    """The p-norm of v over every dim but ``dim`` (all of them for dim=-1), as torch
    computes it."""
    if dim == -1:
        return v.norm(pow)
    if dim == 0:
        shape = [v.shape[0]] + [1] * (v.dim() - 1)
        return v.contiguous().view(v.shape[0], -1).norm(pow, 1).view(shape)
    if dim == v.dim() - 1:
        shape = [1] * (v.dim() - 1) + [v.shape[-1]]
        return v.contiguous().view(-1, v.shape[-1]).norm(pow, 0).view(shape)
    return norm_except_dim(v.transpose(0, dim), pow, 0).transpose(0, dim)


def _weight_norm(v: Tensor, g: Tensor, dim: int = 0) -> Tensor:
    if dim < -1:
        dim += v.dim()
    if dim != -1 and (dim == 0 or dim == v.dim() - 1) and v.dtype == g.dtype:
        return WeightNormInterfaceBackward0.apply([v, g], dim)
    return v * (g / norm_except_dim(v, 2, dim))


# ---------------------------------------------------------------------------- parametrize

# the language's mark of a script class (adcli/lang/classes.py MARK: the names the class
# defines); the engine does not import the language
MARK = "__adcli_names__"


class ParametrizationList(ModuleList):
    """The parametrizations of one tensor of a module, and its ``original`` tensor(s)."""

    __adcli_public__ = ModuleList.__adcli_public__ | frozenset((
        "original", "unsafe", "is_tensor", "ntensors", "right_inverse"))

    def __init__(self, modules, original, unsafe: bool = False) -> None:
        if len(modules) == 0:
            raise TorchValueError("ParametrizationList requires one or more modules.")
        super().__init__(modules)
        self.unsafe = unsafe
        original_shape, original_dtype = original.shape, original.dtype
        new = original
        with api.no_grad():
            for module in reversed(list(self)):
                if _has_right_inverse(module):
                    try:
                        new = module.right_inverse(new)
                    except NotImplementedError:
                        pass
        self.is_tensor = isinstance(new, Tensor)
        self.ntensors = 1 if self.is_tensor else len(new)
        if self.is_tensor:
            if original.dtype != new.dtype:
                raise TorchValueError(
                    "When `right_inverse` outputs one tensor, it may not change the dtype.\n"
                    f"original.dtype: {original.dtype}\nright_inverse(original).dtype: "
                    f"{new.dtype}")
            with api.no_grad():
                original.data = new.data if new is not original else original.data
            _register(self, "original", original)
        else:
            for i, originali in enumerate(new):
                if not isinstance(originali, Tensor):
                    raise TorchValueError(
                        "'right_inverse' must return a Tensor or a Sequence of tensors "
                        f"(list, tuple...). Got element {i} of the sequence with type "
                        f"{type(originali).__name__}.")
                if isinstance(original, Parameter):
                    originali = Parameter(originali.detach().clone(), original.requires_grad)
                _register(self, f"original{i}", originali)
        if not self.unsafe:
            z = self()
            if not isinstance(z, Tensor):
                raise TorchValueError("A parametrization must return a tensor. Got "
                                      f"{type(z).__name__}.")
            if z.dtype != original_dtype:
                raise TorchValueError(
                    "Registering a parametrization may not change the dtype of the tensor, "
                    "unless `unsafe` flag is enabled.\n"
                    f"unparametrized dtype: {original_dtype}\n"
                    f"parametrized dtype: {z.dtype}")
            if tuple(z.shape) != tuple(original_shape):
                raise TorchValueError(
                    "Registering a parametrization may not change the shape of the tensor, "
                    "unless `unsafe` flag is enabled.\n"
                    f"unparametrized shape: {api.Size(original_shape)}\n"
                    f"parametrized shape: {api.Size(z.shape)}")

    def right_inverse(self, value) -> None:
        with api.no_grad():
            for module in reversed(list(self)):
                if not _has_right_inverse(module):
                    raise TorchRuntimeError(f"parametrization {type(module).__name__} does "
                                            "not implement right_inverse.")
                value = module.right_inverse(value)
            if self.is_tensor:
                self.original.data = value.data if isinstance(value, Tensor) else value
            else:
                for i, tensor in enumerate(value):
                    getattr(self, f"original{i}").data = tensor.data

    def forward(self):
        modules = list(self)
        if self.is_tensor:
            x = modules[0](self.original)
        else:
            x = modules[0](*(getattr(self, f"original{i}") for i in range(self.ntensors)))
        for module in modules[1:]:
            x = module(x)
        return x


def _has_right_inverse(module) -> bool:
    fn = getattr(type(module), "right_inverse", None)
    return fn is not None


def _register(module: Module, name: str, tensor: Tensor) -> None:
    if isinstance(tensor, Parameter):
        module.register_parameter(name, tensor)
    else:
        module.register_buffer(name, tensor)


def _parametrized_class(cls: type) -> type:
    """``Parametrized<Class>``: the module's class with room for properties (a script
    class stays one, so its own methods still resolve)."""
    ns = {"__adcli_public__": getattr(cls, "__adcli_public__", frozenset()),
          "_adcli_parametrized": True, "__module__": cls.__module__,
          "__qualname__": "Parametrized" + cls.__name__}
    if MARK in cls.__dict__:
        ns[MARK] = frozenset()
    return type("Parametrized" + cls.__name__, (cls,), ns)


def _inject_property(module: Module, name: str) -> None:
    cls = type(module)

    def get(self):
        return self.parametrizations[name]()

    def put(self, value):
        self.parametrizations[name].right_inverse(value)

    setattr(cls, name, property(get, put))
    cls.__adcli_public__ = cls.__adcli_public__ | frozenset((name,))
    if MARK in cls.__dict__:
        type.__setattr__(cls, MARK, cls.__dict__[MARK] | {name})


def is_parametrized(module, tensor_name=None) -> bool:
    parametrizations = module.__dict__.get("_modules", {}).get("parametrizations")
    if parametrizations is None or not isinstance(parametrizations, ModuleDict):
        return False
    if tensor_name is None:
        return len(parametrizations) > 0
    return tensor_name in parametrizations._modules


def register_parametrization(module, tensor_name: str, parametrization, *, unsafe=False):
    """Make ``module.tensor_name`` the output of ``parametrization`` on an original tensor
    that ``module.parametrizations[tensor_name]`` holds."""
    parametrization.train(module.training)
    if is_parametrized(module, tensor_name):
        plist = module.parametrizations[tensor_name]
        if not unsafe:
            y = getattr(module, tensor_name)
            x = parametrization(y)
            if not isinstance(x, Tensor):
                raise TorchValueError(f"A parametrization must return a tensor. Got "
                                      f"{type(x).__name__}.")
            if x.dtype != y.dtype:
                raise TorchValueError(
                    "Registering a parametrization may not change the dtype of the tensor, "
                    "unless the `unsafe` flag is enabled.\n"
                    f"module.{tensor_name}.dtype: {y.dtype}\n"
                    f"parametrization(module.{tensor_name}).dtype: {x.dtype}")
            if tuple(x.shape) != tuple(y.shape):
                raise TorchValueError(
                    "Registering a parametrization may not change the shape of the tensor, "
                    "unless the `unsafe` flag is enabled.\n"
                    f"module.{tensor_name}.shape: {api.Size(y.shape)}\n"
                    f"parametrization(module.{tensor_name}).shape: {api.Size(x.shape)}")
        plist.append(parametrization)
        plist.unsafe = plist.unsafe or unsafe
    elif tensor_name in module._buffers or tensor_name in module._parameters:
        original = getattr(module, tensor_name)
        parametrizations = ParametrizationList([parametrization], original, unsafe=unsafe)
        delattr(module, tensor_name)
        if not is_parametrized(module):
            module.__class__ = _parametrized_class(type(module))
            module.parametrizations = ModuleDict()
        _inject_property(module, tensor_name)
        module.parametrizations[tensor_name] = parametrizations
    else:
        raise TorchValueError(f"Module '{module}' does not have a parameter, a buffer, or a "
                              f"parametrized element with name '{tensor_name}'")
    return module


def remove_parametrizations(module, tensor_name: str, leave_parametrized: bool = True):
    """Undo register_parametrization: the tensor becomes a plain parameter (or buffer)
    again, with its parametrized value (leave_parametrized) or its original one."""
    if not is_parametrized(module, tensor_name):
        raise TorchValueError(f"Module {module} does not have a parametrization on "
                              f"{tensor_name}")
    parametrizations = module.parametrizations[tensor_name]
    if parametrizations.is_tensor:
        original = parametrizations.original
        if leave_parametrized:
            with api.no_grad():
                t = getattr(module, tensor_name)
            with api.no_grad():
                original.data = t.data
    else:
        if not leave_parametrized:
            raise TorchValueError("Cannot leave unparametrized (`leave_parametrized=False`) "
                                  "a tensor that is parametrized in terms of a sequence of "
                                  "tensors.")
        with api.no_grad():
            t = getattr(module, tensor_name)
        original = Parameter(t.detach().clone(), t.requires_grad)
    cls = type(module)
    delattr(cls, tensor_name)
    del module.parametrizations._modules[tensor_name]
    _register(module, tensor_name, original)
    if not is_parametrized(module):
        delattr(module, "parametrizations")
        module.__class__ = cls.__bases__[0]
    return module


# ---------------------------------------------------------------------------- weight norm


class _WeightNorm(Module):
    def __init__(self, dim=0) -> None:
        super().__init__()
        if dim is None:
            dim = -1
        self.dim = dim

    def forward(self, weight_g, weight_v):
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight):
        weight_g = norm_except_dim(weight, 2, self.dim)
        weight_v = weight
        return weight_g, weight_v


def parametrized_weight_norm(module, name: str = "weight", dim=0):
    """torch.nn.utils.parametrizations.weight_norm."""
    register_parametrization(module, name, _WeightNorm(dim), unsafe=True)
    return module


_WEIGHT_NORM_SITE = ("nn/utils/weight_norm.py", 144, "WeightNorm.apply(module, name, dim)")


class _WeightNormHook:
    """The forward pre-hook of the old weight_norm: weight = _weight_norm(v, g, dim)."""

    def __init__(self, name: str, dim: int) -> None:
        self.name, self.dim = name, dim

    def compute_weight(self, module):
        g = getattr(module, self.name + "_g")
        v = getattr(module, self.name + "_v")
        return _weight_norm(v, g, self.dim)

    def __call__(self, module, inputs):
        object.__setattr__(module, self.name, self.compute_weight(module))


def weight_norm(module, name: str = "weight", dim=0):
    """torch.nn.utils.weight_norm (deprecated in torch): parameters NAME_g and NAME_v, and
    NAME recomputed from them before each forward."""
    warn("`torch.nn.utils.weight_norm` is deprecated in favor of "
         "`torch.nn.utils.parametrizations.weight_norm`.", _WEIGHT_NORM_SITE, FutureWarning)
    if dim is None:
        dim = -1
    for hook in module._forward_pre_hooks.values():
        if isinstance(hook, _WeightNormHook) and hook.name == name:
            raise TorchRuntimeError(f"Cannot register two weight_norm hooks on the same "
                                    f"parameter {name}")
    fn = _WeightNormHook(name, dim)
    weight = getattr(module, name)
    del module._parameters[name]
    module.register_parameter(name + "_g", Parameter(norm_except_dim(weight, 2, dim).data))
    module.register_parameter(name + "_v", Parameter(weight.data))
    object.__setattr__(module, name, fn.compute_weight(module))
    module.register_forward_pre_hook(fn)
    return module


def remove_weight_norm(module, name: str = "weight"):
    """Undo weight_norm: NAME a parameter again, with its current value."""
    for key, hook in list(module._forward_pre_hooks.items()):
        if isinstance(hook, _WeightNormHook) and hook.name == name:
            weight = hook.compute_weight(module)
            module.__dict__.pop(name, None)
            del module._parameters[name + "_g"]
            del module._parameters[name + "_v"]
            module.register_parameter(name, Parameter(weight.data))
            del module._forward_pre_hooks[key]
            return module
    raise TorchValueError(f"weight_norm of '{name}' not found in {module}")


PARAMETRIZE_MEMBERS = {
    "register_parametrization": register_parametrization,
    "remove_parametrizations": remove_parametrizations,
    "is_parametrized": is_parametrized,
    "ParametrizationList": ParametrizationList,
}
PARAMETRIZATIONS_MEMBERS = {"weight_norm": parametrized_weight_norm}
