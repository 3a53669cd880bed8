"""torch.nn.utils.prune, as torch 2.13 has it: a pruning method reparametrizes NAME of a
module as NAME_orig (the parameter) times NAME_mask (a buffer), NAME recomputed from them
by the method itself, registered as a forward pre-hook. A second method on the same NAME
joins the first in a PruningContainer, which prunes only what is still unpruned.

The masks are torch's: random ones draw from the default generator as torch does
(rand_like then topk for RandomUnstructured, rand then kthvalue for RandomStructured), the
L1/Ln ones rank by topk of the magnitudes or norms."""

from __future__ import annotations

import numbers

from adcli.engine import api
from adcli.engine.nn.utils import parameters_to_vector
from adcli.engine.tensor import Tensor
from adcli.errors import (
    TorchAssertionError,
    TorchAttributeError,
    TorchIndexError,
    TorchTypeError,
    TorchValueError,
)

_MODULE = "torch.nn.utils.prune"


def _pruning_hooks(module, name: str) -> list:
    return [(k, h) for k, h in module._forward_pre_hooks.items()
            if isinstance(h, BasePruningMethod) and h._tensor_name == name]


class BasePruningMethod:
    """The base of the pruning methods: ``compute_mask`` (a subclass's), ``apply_mask``,
    the classmethod ``apply`` that prunes a module's tensor, ``prune`` and ``remove``."""

    __module__ = _MODULE
    __adcli_subclassable__ = True
    __adcli_settable__ = True
    __adcli_public__ = frozenset((
        "PRUNING_TYPE", "_tensor_name", "compute_mask", "apply_mask", "apply", "prune",
        "remove"))
    _tensor_name = None

    def __call__(self, module, inputs):
        """The forward pre-hook: NAME recomputed from NAME_orig and NAME_mask."""
        setattr(module, self._tensor_name, self.apply_mask(module))

    def compute_mask(self, t, default_mask):
        raise TorchTypeError(f"Can't instantiate abstract class {type(self).__name__} with "
                             "abstract method compute_mask")

    def apply_mask(self, module):
        if self._tensor_name is None:
            raise TorchAssertionError(f"Module {module} has to be pruned")
        mask = getattr(module, self._tensor_name + "_mask")
        orig = getattr(module, self._tensor_name + "_orig")
        return mask.to(dtype=orig.dtype) * orig

    @classmethod
    def apply(cls, module, name, *args, importance_scores=None, **kwargs):
        """Prune ``module``'s tensor ``name`` with a new ``cls(*args, **kwargs)`` (joined
        to the method already there, if any): the method."""
        found = _pruning_hooks(module, name)
        if len(found) > 1:
            raise TorchAssertionError(f"Avoid adding multiple pruning hooks to the same tensor "
                                      f"{name} of module {module}. Use a PruningContainer.")
        for k, _ in found:
            del module._forward_pre_hooks[k]
        method = cls(*args, **kwargs)
        method._tensor_name = name
        if found:
            old = found[0][1]
            if isinstance(old, PruningContainer):
                old.add_pruning_method(method)
                method = old
            else:
                container = PruningContainer(old)
                container.add_pruning_method(method)
                method = container
        orig = getattr(module, name)
        if importance_scores is not None:
            if importance_scores.shape != orig.shape:
                raise TorchAssertionError(
                    f"importance_scores should have the same shape as parameter {name} of "
                    f"{module}, got {importance_scores.shape} vs {orig.shape}")
        else:
            importance_scores = orig
        if not isinstance(method, PruningContainer):
            module.register_parameter(name + "_orig", orig)
            del module._parameters[name]
            default_mask = api.ones_like(orig)
        else:
            default_mask = getattr(module, name + "_mask").detach().clone()
        try:
            mask = method.compute_mask(importance_scores, default_mask=default_mask)
            module.register_buffer(name + "_mask", mask)
            setattr(module, name, method.apply_mask(module))
            module.register_forward_pre_hook(method)
        except Exception:
            if not isinstance(method, PruningContainer):
                orig = getattr(module, name + "_orig")
                module.register_parameter(name, orig)
                del module._parameters[name + "_orig"]
            raise
        return method

    def prune(self, t, default_mask=None, importance_scores=None):
        """``t`` times the mask this method computes for it."""
        if importance_scores is not None:
            if importance_scores.shape != t.shape:
                raise TorchAssertionError(
                    "importance_scores should have the same shape as tensor t, got "
                    f"{importance_scores.shape} vs {t.shape}")
        else:
            importance_scores = t
        default_mask = default_mask if default_mask is not None else api.ones_like(t)
        return t * self.compute_mask(importance_scores, default_mask=default_mask)

    def remove(self, module) -> None:
        """Make the pruning permanent: NAME a parameter again, holding the pruned values."""
        if self._tensor_name is None:
            raise TorchAssertionError(
                f"Module {module} has to be pruned before pruning can be removed")
        name = self._tensor_name
        weight = self.apply_mask(module)
        if name in module.__dict__:
            delattr(module, name)
        orig = module._parameters[name + "_orig"]
        orig.data = weight.data
        del module._parameters[name + "_orig"]
        del module._buffers[name + "_mask"]
        setattr(module, name, orig)


class PruningContainer(BasePruningMethod):
    """The pruning methods applied in turn to one tensor; each new one acts on what the
    others left unpruned."""

    __module__ = _MODULE
    __adcli_public__ = BasePruningMethod.__adcli_public__ | frozenset(("add_pruning_method",))

    def __init__(self, *args) -> None:
        self._pruning_methods: tuple = ()
        if len(args) == 1:
            self._tensor_name = args[0]._tensor_name
            self.add_pruning_method(args[0])
        else:
            for method in args:
                self.add_pruning_method(method)

    def add_pruning_method(self, method) -> None:
        if not isinstance(method, BasePruningMethod) and method is not None:
            raise TorchTypeError(f"{type(method)} is not a BasePruningMethod subclass")
        if method is not None and self._tensor_name != method._tensor_name:
            raise TorchValueError(
                "Can only add pruning methods acting on the parameter named "
                f"'{self._tensor_name}' to PruningContainer {self}. Found "
                f"'{method._tensor_name}'")
        self._pruning_methods += (method,)

    def __len__(self) -> int:
        return len(self._pruning_methods)

    def __iter__(self):
        return iter(self._pruning_methods)

    def __getitem__(self, idx):
        return self._pruning_methods[idx]

    def compute_mask(self, t, default_mask):
        """The last method's mask for the part of ``t`` the mask so far keeps (the kept
        entries, the kept channels of its dim, or all of it for a global method)."""
        method = self._pruning_methods[-1]
        mask = default_mask
        new_mask = mask.to(dtype=t.dtype)
        kind = getattr(method, "PRUNING_TYPE", None)
        if kind == "unstructured":
            slc = mask == 1
        elif kind == "structured":
            if not hasattr(method, "dim"):
                raise TorchAttributeError('Pruning methods of PRUNING_TYPE "structured" need '
                                          "to have the attribute `dim` defined.")
            n_dims = t.dim()
            dim = method.dim
            if dim < 0:
                dim = n_dims + dim
            if dim < 0:
                raise TorchIndexError(
                    f"Index is out of bounds for tensor with dimensions {n_dims}")
            keep = mask.sum(dim=[d for d in range(n_dims) if d != dim]) != 0
            slc = [slice(None)] * n_dims
            slc[dim] = keep
            slc = tuple(slc)
        elif kind == "global":
            slc = tuple([slice(None)] * len(t.shape))
        else:
            raise TorchValueError(f"Unrecognized PRUNING_TYPE {kind}")
        partial = method.compute_mask(t[slc], default_mask=mask[slc])
        new_mask[slc] = partial.to(dtype=new_mask.dtype)
        return new_mask


class Identity(BasePruningMethod):
    """Prunes nothing: the mask is all ones."""

    __module__ = _MODULE
    PRUNING_TYPE = "unstructured"

    def compute_mask(self, t, default_mask):
        return default_mask

    @classmethod
    def apply(cls, module, name):
        return super().apply(module, name)


def _check_amount(amount) -> None:
    if not isinstance(amount, numbers.Real):
        raise TorchTypeError(f"Invalid type for amount: {amount}. Must be int or float.")
    if (isinstance(amount, numbers.Integral) and amount < 0) or (
            not isinstance(amount, numbers.Integral)
            and (float(amount) > 1.0 or float(amount) < 0.0)):
        raise TorchValueError(f"amount={amount} should either be a float in the range [0, 1] "
                              "or a non-negative integer")


def _count(amount, size: int) -> int:
    """How many of ``size`` to prune: the int amount, or round(fraction * size)."""
    n = amount if isinstance(amount, numbers.Integral) else round(amount * size)
    if isinstance(amount, numbers.Integral) and amount > size:
        raise TorchValueError(f"amount={amount} should be smaller than the number of "
                              f"parameters to prune={size}")
    return n


def _check_structured(t, dim) -> None:
    shape = t.shape
    if len(shape) <= 1:
        raise TorchValueError("Structured pruning can only be applied to multidimensional "
                              f"tensors. Found tensor of shape {shape} with {len(shape)} dims")
    if dim >= t.dim():
        raise TorchIndexError(f"Invalid index {dim} for tensor of size {t.shape}")


def _channel_mask(t, dim: int, index) -> Tensor:
    mask = api.zeros_like(t)
    slc = [slice(None)] * len(t.shape)
    slc[dim] = index
    mask[tuple(slc)] = 1
    return mask


class RandomUnstructured(BasePruningMethod):
    """Prunes ``amount`` entries (an int, or a fraction) chosen at random."""

    __module__ = _MODULE
    __adcli_public__ = BasePruningMethod.__adcli_public__ | frozenset(("amount",))
    PRUNING_TYPE = "unstructured"

    def __init__(self, amount) -> None:
        _check_amount(amount)
        self.amount = amount

    def compute_mask(self, t, default_mask):
        k = _count(self.amount, t.nelement())
        mask = default_mask.clone()
        if k != 0:
            prob = api.rand_like(t)
            top = api.topk(prob.view(-1), k)
            mask.view(-1)[top.indices] = 0
        return mask

    @classmethod
    def apply(cls, module, name, amount):
        return super().apply(module, name, amount=amount)


class L1Unstructured(BasePruningMethod):
    """Prunes the ``amount`` entries of smallest magnitude."""

    __module__ = _MODULE
    __adcli_public__ = BasePruningMethod.__adcli_public__ | frozenset(("amount",))
    PRUNING_TYPE = "unstructured"

    def __init__(self, amount) -> None:
        _check_amount(amount)
        self.amount = amount

    def compute_mask(self, t, default_mask):
        k = _count(self.amount, t.nelement())
        mask = default_mask.clone()
        if k != 0:
            top = api.topk(api.abs(t).view(-1), k, largest=False)
            mask.view(-1)[top.indices] = 0
        return mask

    @classmethod
    def apply(cls, module, name, amount, importance_scores=None):
        return super().apply(module, name, amount=amount, importance_scores=importance_scores)


class RandomStructured(BasePruningMethod):
    """Prunes ``amount`` channels of dim ``dim`` chosen at random."""

    __module__ = _MODULE
    __adcli_public__ = BasePruningMethod.__adcli_public__ | frozenset(("amount", "dim"))
    PRUNING_TYPE = "structured"

    def __init__(self, amount, dim=-1) -> None:
        _check_amount(amount)
        self.amount = amount
        self.dim = dim

    def compute_mask(self, t, default_mask):
        _check_structured(t, self.dim)
        size = t.shape[self.dim]
        k = _count(self.amount, size)
        if k == 0:
            return default_mask
        prob = api.rand(size)
        threshold = api.kthvalue(prob, k).values
        mask = _channel_mask(t, self.dim, prob > threshold)
        mask *= default_mask.to(dtype=mask.dtype)
        return mask

    @classmethod
    def apply(cls, module, name, amount, dim=-1):
        return super().apply(module, name, amount=amount, dim=dim)


class LnStructured(BasePruningMethod):
    """Prunes the ``amount`` channels of dim ``dim`` of smallest L``n`` norm."""

    __module__ = _MODULE
    __adcli_public__ = BasePruningMethod.__adcli_public__ | frozenset(("amount", "n", "dim"))
    PRUNING_TYPE = "structured"

    def __init__(self, amount, n, dim=-1) -> None:
        _check_amount(amount)
        self.amount = amount
        self.n = n
        self.dim = dim

    def compute_mask(self, t, default_mask):
        _check_structured(t, self.dim)
        size = t.shape[self.dim]
        k = _count(self.amount, size)
        dims = list(range(t.dim()))
        dims.remove(dims[self.dim])
        norm = api.norm(t, p=self.n, dim=dims)
        top = api.topk(norm, size - k, largest=True)
        if k == 0:
            return default_mask
        mask = _channel_mask(t, self.dim, top.indices)
        mask *= default_mask.to(dtype=mask.dtype)
        return mask

    @classmethod
    def apply(cls, module, name, amount, n, dim, importance_scores=None):
        return super().apply(module, name, amount=amount, n=n, dim=dim,
                             importance_scores=importance_scores)


class CustomFromMask(BasePruningMethod):
    """Prunes where a given mask is 0."""

    __module__ = _MODULE
    __adcli_public__ = BasePruningMethod.__adcli_public__ | frozenset(("mask",))
    PRUNING_TYPE = "global"

    def __init__(self, mask) -> None:
        self.mask = mask

    def compute_mask(self, t, default_mask):
        if default_mask.shape != self.mask.shape:
            raise TorchAssertionError(f"default_mask shape {default_mask.shape} must match "
                                      f"self.mask shape {self.mask.shape}")
        return default_mask * self.mask.to(dtype=default_mask.dtype)

    @classmethod
    def apply(cls, module, name, mask):
        return super().apply(module, name, mask=mask)


def identity(module, name):
    Identity.apply(module, name)
    return module


def random_unstructured(module, name, amount):
    RandomUnstructured.apply(module, name, amount)
    return module


def l1_unstructured(module, name, amount, importance_scores=None):
    L1Unstructured.apply(module, name, amount=amount, importance_scores=importance_scores)
    return module


def random_structured(module, name, amount, dim):
    RandomStructured.apply(module, name, amount, dim)
    return module


def ln_structured(module, name, amount, n, dim, importance_scores=None):
    LnStructured.apply(module, name, amount, n, dim, importance_scores=importance_scores)
    return module


def custom_from_mask(module, name, mask):
    CustomFromMask.apply(module, name, mask)
    return module


def global_unstructured(parameters, pruning_method, importance_scores=None, **kwargs) -> None:
    """Prune the (module, name) pairs together: one unstructured method over all their
    entries, each tensor then pruned with its part of the mask."""
    try:
        parameters = list(parameters)
    except TypeError:
        raise TorchTypeError("global_unstructured(): parameters is not an Iterable") from None
    importance_scores = importance_scores if importance_scores is not None else {}
    if not isinstance(importance_scores, dict):
        raise TorchTypeError("global_unstructured(): importance_scores must be of type dict")
    scores = parameters_to_vector([importance_scores.get((m, n), getattr(m, n))
                                   for m, n in parameters])
    default_mask = parameters_to_vector([getattr(m, n + "_mask", api.ones_like(getattr(m, n)))
                                         for m, n in parameters])
    container = PruningContainer()
    container._tensor_name = "temp"
    method = pruning_method(**kwargs)
    method._tensor_name = "temp"
    if method.PRUNING_TYPE != "unstructured":
        raise TorchTypeError('Only "unstructured" PRUNING_TYPE supported for the '
                             f"`pruning_method`. Found method {pruning_method} of type "
                             f"{method.PRUNING_TYPE}")
    container.add_pruning_method(method)
    final_mask = container.compute_mask(scores, default_mask)
    pointer = 0
    for module, name in parameters:
        param = getattr(module, name)
        count = param.numel()
        custom_from_mask(module, name, mask=final_mask[pointer:pointer + count].view_as(param))
        pointer += count


def remove(module, name):
    """Make the pruning of ``name`` permanent and drop its hook."""
    for k, hook in module._forward_pre_hooks.items():
        if isinstance(hook, BasePruningMethod) and hook._tensor_name == name:
            hook.remove(module)
            del module._forward_pre_hooks[k]
            return module
    raise TorchValueError(f"Parameter '{name}' of module {module} has to be pruned before "
                          "pruning can be removed")


def is_pruned(module) -> bool:
    """Whether a pruning hook is on ``module`` or any of its submodules."""
    for _, sub in module.named_modules():
        for hook in sub._forward_pre_hooks.values():
            if isinstance(hook, BasePruningMethod):
                return True
    return False


MEMBERS = {f.__name__: f for f in (
    BasePruningMethod, PruningContainer, Identity, RandomUnstructured, L1Unstructured,
    RandomStructured, LnStructured, CustomFromMask, identity, random_unstructured,
    l1_unstructured, random_structured, ln_structured, global_unstructured, custom_from_mask,
    remove, is_pruned)}
