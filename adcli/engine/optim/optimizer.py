"""``torch.optim.Optimizer``: parameter groups, per-parameter state, ``zero_grad``,
``state_dict`` / ``load_state_dict``, and the ``step`` frame the optimizers share.

As torch 2.13: ``params`` is an iterable of tensors or of param-group dicts (per-group
options, the optimizer's defaults filled in), ``state`` is a ``defaultdict(dict)`` keyed by
the parameter tensor, ``state_dict()`` packs parameters as integer ids, and ``repr`` is
torch's text. An optimizer's update works on the parameters' numpy arrays directly (it is
never recorded) and counts each in-place write in the tensor's version counter.

Options: ``foreach=True`` runs the same single-tensor algorithm as ``foreach=False`` (on
CPU torch's multi-tensor path gave the same bits for SGD, Adam, RMSprop and Adagrad in
the cases checked); ``fused=True`` (torch's fused CPU kernels round differently) and
``differentiable=True`` (a recorded update) raise ``NotImplementedError``;
``capturable=True`` fails at ``step`` as torch fails for CPU parameters. Tensor-valued
``lr`` or ``betas`` raise ``NotImplementedError``.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from itertools import chain

from adcli.engine.tensor import Tensor, set_grad_mode, warn
from adcli.errors import (
    TorchIndexError,
    TorchKeyError,
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchTypeError,
    TorchValueError,
)


class _RequiredParameter:
    """Singleton class representing a required parameter for an Optimizer."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()


def typename(obj) -> str:
    """torch.typename for the objects a script can pass."""
    if isinstance(obj, Tensor):
        return obj.type()
    return type(obj).__name__


def less(a, b) -> bool:
    """``a < b`` as Python compares, a TypeError in torch's words for other values."""
    try:
        return a < b
    except TypeError as e:
        raise TorchTypeError(str(e)) from None


def nonneg(x) -> bool:
    """``0.0 <= x`` (False for NaN), a TypeError in Python's words for other values."""
    try:
        return 0.0 <= x
    except TypeError as e:
        raise TorchTypeError(str(e)) from None


def number(value, what: str):
    """A hyperparameter that must be a Python number (a Tensor is not supported here)."""
    if isinstance(value, Tensor):
        raise TorchNotImplementedError(
            f"adcli's optimizers take {what} as a Python number, not a Tensor; "
            f"use {what}=float(...)")
    return value


def check_flags(foreach, fused, differentiable) -> None:
    if fused:
        if differentiable:
            raise TorchRuntimeError("`fused` does not support `differentiable`")
        if foreach:
            raise TorchRuntimeError("`fused` and `foreach` cannot be `True` together.")
        raise TorchNotImplementedError(
            "fused=True is not supported by adcli's optimizers (torch's fused CPU kernels "
            "round differently); leave fused=None")
    if differentiable:
        raise TorchNotImplementedError(
            "differentiable=True is not supported by adcli's optimizers: their update is "
            "not recorded by autograd")


def check_capturable(group) -> None:
    if group.get("capturable"):
        raise TorchRuntimeError(
            "If capturable=True, params and state_steps must be on supported devices: "
            "['cuda', 'xpu', 'hpu', 'privateuseone'].")


class Optimizer:
    """Base class for all optimizers (``torch.optim.Optimizer``).

    A script's ``class MySGD(torch.optim.Optimizer)`` derives from it
    (``__adcli_subclassable__``): ``super().__init__(params, defaults)``, then its own
    ``step`` reads ``self.param_groups`` and ``self.state[p]``. Its ``step`` is wrapped as
    torch's LRScheduler wraps ``optimizer.step`` (the wrapper records that it ran).
    """

    __adcli_subclassable__ = True
    __adcli_settable__ = True

    __adcli_public__ = frozenset({
        "step", "zero_grad", "param_groups", "state", "state_dict", "load_state_dict",
        "add_param_group", "defaults",
    })
    # set by an LRScheduler attached to it: from then on step() records that it ran, the
    # way torch's wrapped step does (the scheduler warns when it is stepped first)
    _sched_patched = False
    _opt_called = False

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if "__adcli_names__" in cls.__dict__ and callable(step):  # a script's own step
            def wrapper(self, *args, **kwargs):
                self._opt_called = True
                return step(self, *args, **kwargs)

            wrapper.__name__ = getattr(step, "__name__", "step")
            wrapper.__qualname__ = f"{cls.__qualname__}.{wrapper.__name__}"
            wrapper.__wrapped__ = step
            cls.step = wrapper

    def __init__(self, params, defaults: dict) -> None:
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TorchTypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                "dicts, but got " + typename(params))
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict] = []
        param_groups = _as_list(params)
        if len(param_groups) == 0:
            raise TorchValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    # ------------------------------------------------------------------ groups
    def add_param_group(self, param_group) -> None:
        """Add a param group to the optimizer's ``param_groups``."""
        if not isinstance(param_group, dict):
            raise TorchTypeError(
                f"param_group must be a dict, but got <class '{type(param_group).__name__}'>")
        if "params" not in param_group:
            raise TorchKeyError("params")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TorchTypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list "
                "instead.")
        else:
            param_group["params"] = _as_list(params)

        tensors, names = [], []
        for param in param_group["params"]:
            if isinstance(param, tuple):
                if len(param) < 2:
                    raise TorchIndexError("tuple index out of range")
                names.append(param[0])
                tensors.append(param[1])
            else:
                tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) == len(tensors):
                param_group["param_names"] = names
            else:
                raise TorchValueError(
                    "all optimizer params should be with/without names. Some param names "
                    "are missing")

        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TorchTypeError(
                    "optimizer can only optimize Tensors, but one of the params is "
                    + typename(param))
            if not self.defaults.get("differentiable", None) and not (
                    param.is_leaf or param.retains_grad):
                raise TorchValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise TorchValueError(
                    "parameter group didn't specify a value of required optimization "
                    f"parameter {name}")
            param_group.setdefault(name, default)

        params = param_group["params"]
        if len(params) != len(set(params)):
            warn("optimizer contains a parameter group with duplicate parameters; in "
                 "future, this will cause an error; see github.com/pytorch/pytorch/issues/"
                 "40967 for more information")

        param_set: set = set()
        for group in self.param_groups:
            param_set.update(set(group["params"]))
            if ("param_names" in param_group) != ("param_names" in group):
                current = "with names" if "param_names" in param_group else "without names"
                raise TorchValueError(
                    "all optimizer param groups should be with/without names. "
                    f"cannot add param group {current} to the optimizer")
        if not param_set.isdisjoint(set(param_group["params"])):
            raise TorchValueError("some parameters appear in more than one parameter group")
        self._check_group(param_group)
        self.param_groups.append(param_group)

    def _check_group(self, group: dict) -> None:
        """Per-group checks of a subclass (values adcli cannot run)."""

    # ------------------------------------------------------------------ repr
    def __repr__(self) -> str:
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += "\n"
            text += f"Parameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        text += ")"
        return text

    # ------------------------------------------------------------------ grads
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of all optimized tensors (to None, by default)."""
        for group in self.param_groups:
            for p in group["params"]:
                g = p._grad
                if g is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    if g._grad_fn is not None:
                        g.detach_()
                    else:
                        g.requires_grad_(False)
                    g.zero_()

    # ------------------------------------------------------------------ step
    def step(self, closure=None):
        """Perform a single optimization step; ``closure`` re-evaluates the model (under
        grad mode) and returns the loss, which ``step`` returns."""
        if self._sched_patched:
            self._opt_called = True
        prev = set_grad_mode(False)
        try:
            loss = None
            if closure is not None:
                set_grad_mode(True)
                try:
                    loss = closure()
                finally:
                    set_grad_mode(False)
            for group in self.param_groups:
                self._update(group)
        finally:
            set_grad_mode(prev)
        return loss

    def _update(self, group: dict) -> None:
        raise TorchNotImplementedError("Optimizer.step is implemented by each optimizer")

    # ------------------------------------------------------------------ state dicts
    def state_dict(self) -> dict:
        """The optimizer's state as torch lays it out: ``state`` keyed by integer ids and
        ``param_groups`` with their ``params`` as those ids."""
        mapping: dict[int, int] = {}
        start = 0

        def pack(group: dict) -> dict:
            nonlocal start
            packed = {k: v for k, v in group.items() if k != "params"}
            mapping.update({id(p): i for i, p in enumerate(group["params"], start)
                            if id(p) not in mapping})
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            start += len(packed["params"])
            return packed

        param_groups = [pack(g) for g in self.param_groups]
        packed_state = {(mapping[id(k)] if isinstance(k, Tensor) else k): v
                        for k, v in self.state.items()}
        return {"state": packed_state, "param_groups": param_groups}

    def load_state_dict(self, state_dict) -> None:
        """Load the optimizer state from a ``state_dict()``."""
        if not isinstance(state_dict, dict):
            raise TorchTypeError(
                f"load_state_dict(): expected a dict, got {type(state_dict).__name__}")
        state_dict = state_dict.copy()
        groups = self.param_groups
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise TorchValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise TorchValueError(
                "loaded state dict contains a parameter group that doesn't match the size of "
                "optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))

        def cast(param, value, key=None):
            if isinstance(value, Tensor):
                if key != "step" and param.is_floating_point() and value.dtype != param.dtype:
                    return value.to(dtype=param.dtype)
                return value
            if isinstance(value, dict):
                return {k: cast(param, v, key=k) for k, v in value.items()}
            if isinstance(value, list | tuple):
                return type(value)(cast(param, v) for v in value)
            return value

        state: defaultdict = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = cast(param, v)
            else:
                state[k] = v

        def update_group(group, new_group):
            new_group["params"] = group["params"]
            if "param_names" in group and "param_names" not in new_group:
                new_group["param_names"] = group["param_names"]
            return new_group

        self.state = state
        self.param_groups = [update_group(g, ng) for g, ng in zip(groups, saved_groups)]
        self._fill_groups()

    def _fill_groups(self) -> None:
        """After load_state_dict: the keys an older state dict may lack (torch's
        __setstate__)."""
        self.defaults.setdefault("differentiable", False)

    # ------------------------------------------------------------------ helpers
    def _with_grad(self, group: dict):
        """The group's parameters that have a gradient, with that gradient's array."""
        for p in group["params"]:
            g = p._grad
            if g is not None:
                yield p, g._data


def _as_list(params) -> list:
    try:
        return list(params)
    except TypeError as e:
        raise TorchTypeError(str(e)) from None
