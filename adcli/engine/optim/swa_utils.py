"""``torch.optim.swa_utils``: AveragedModel, SWALR, update_bn and the averaging functions
of torch 2.13, step for step on the CPU.

``AveragedModel.update_parameters`` copies the model's values the first time, then
averages them: with no ``avg_fn`` by torch's CPU path (the per-tensor SWA average
``avg + (p - avg) / (n + 1)``, the n a long tensor, since foreach kernels are not used on
the CPU), with a ``multi_avg_fn`` by calling it on the lists of tensors (the EMA one lerps
each in place), with an ``avg_fn`` per tensor. ``SWALR`` anneals each group's lr to
``swa_lr`` with torch's expressions, so the rates agree bit for bit.
"""

from __future__ import annotations

import copy
import math

from adcli.engine.nn.module import Module
from adcli.engine.nn.normalization import _BatchNorm, _InstanceNorm
from adcli.engine.optim.lr_scheduler import (
    _PUBLIC,
    LRScheduler,
    _format_param,
    _warn_get_lr_called_within_step,
)
from adcli.engine.tensor import Tensor
from adcli.errors import TorchAssertionError, TorchTypeError, TorchValueError


def _no_grad():
    from adcli.engine import api

    return api.no_grad()


def _decay(decay):
    if decay < 0.0 or decay > 1.0:
        raise TorchValueError(f"Invalid decay value {decay} provided. Please provide a value "
                              "in [0,1] range.")
    return decay


def get_ema_multi_avg_fn(decay=0.999):
    """The exponential moving average over lists of tensors: each averaged tensor lerped
    towards the model's by ``1 - decay`` in place."""
    _decay(decay)

    def ema_update(ema_param_list, current_param_list, _):
        with _no_grad():
            if ema_param_list[0].is_floating_point():
                for p_ema, p_model in zip(ema_param_list, current_param_list):
                    p_ema.lerp_(p_model, 1 - decay)
            else:
                for p_ema, p_model in zip(ema_param_list, current_param_list):
                    p_ema.copy_(p_ema * decay + p_model * (1 - decay))

    return ema_update


def get_swa_multi_avg_fn():
    """The running (SWA) average over lists of tensors, in place."""

    def swa_update(averaged_param_list, current_param_list, num_averaged):
        with _no_grad():
            if averaged_param_list[0].is_floating_point():
                weight = 1 / (num_averaged + 1)
                if isinstance(weight, Tensor):
                    weight = weight.item()
                for p_avg, p_model in zip(averaged_param_list, current_param_list):
                    p_avg.lerp_(p_model, weight)
            else:
                for p_avg, p_model in zip(averaged_param_list, current_param_list):
                    diff = p_model - p_avg
                    if isinstance(num_averaged, Tensor):
                        p_avg.addcdiv_(diff, num_averaged + 1)
                    else:
                        p_avg.add_(diff, alpha=1.0 / (num_averaged + 1))

    return swa_update


def get_ema_avg_fn(decay=0.999):
    """The exponential moving average of one tensor: ``decay * ema + (1 - decay) * p``."""
    _decay(decay)

    def ema_update(ema_param, current_param, num_averaged):
        with _no_grad():
            return decay * ema_param + (1 - decay) * current_param

    return ema_update


def get_swa_avg_fn():
    """The running (SWA) average of one tensor: ``avg + (p - avg) / (n + 1)``."""

    def swa_update(averaged_param, current_param, num_averaged):
        with _no_grad():
            return averaged_param + (current_param - averaged_param) / (num_averaged + 1)

    return swa_update


class AveragedModel(Module):
    """``AveragedModel(model, device=None, avg_fn=None, multi_avg_fn=None,
    use_buffers=False)``: a deep copy of ``model`` whose parameters (and buffers, with
    ``use_buffers``) ``update_parameters(model)`` averages; ``n_averaged`` counts."""

    __adcli_public__ = Module.__adcli_public__ | frozenset((
        "module", "n_averaged", "avg_fn", "multi_avg_fn", "use_buffers",
        "update_parameters"))

    def __init__(self, model, device=None, avg_fn=None, multi_avg_fn=None,
                 use_buffers=False) -> None:
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise TorchAssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        if not isinstance(model, Module):
            raise TorchTypeError(f"AveragedModel(): model must be a Module, not "
                                 f"{type(model).__name__}")
        self.module = copy.deepcopy(model)
        if device is not None:
            self.module = self.module.to(device)
        from adcli.engine import api

        self.register_buffer("n_averaged", api.tensor(0, dtype=api.int64))
        self.avg_fn = avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args, **kwargs):
        return self.module(*args, **kwargs)

    def update_parameters(self, model) -> None:
        if self.use_buffers:
            self_param = [*self.module.parameters(), *self.module.buffers()]
            model_param = [*model.parameters(), *model.buffers()]
        else:
            self_param = list(self.parameters())
            model_param = list(model.parameters())
        self_detached, model_detached = [], []
        copy_param = bool(self.n_averaged == 0)
        for p_averaged, p_model in zip(self_param, model_param):
            p_model_ = p_model.detach()
            self_detached.append(p_averaged.detach())
            model_detached.append(p_model_)
            if copy_param:
                p_averaged.detach().copy_(p_model_)
        if self.n_averaged > 0:
            if self.multi_avg_fn is not None or self.avg_fn is None:
                for selfs, models in _groups(self_detached, model_detached):
                    if self.multi_avg_fn:
                        self.multi_avg_fn(selfs, models, self.n_averaged)
                    else:  # the CPU: no foreach kernels, the per-tensor average
                        avg_fn = get_swa_avg_fn()
                        for p_averaged, p_model in zip(selfs, models):
                            p_averaged.copy_(avg_fn(p_averaged, p_model, self.n_averaged))
            else:
                for p_averaged, p_model in zip(self_detached, model_detached):
                    p_averaged.detach().copy_(
                        self.avg_fn(p_averaged.detach(), p_model, self.n_averaged))
        if not self.use_buffers:  # the buffers follow the model's
            for b_swa, b_model in zip(self.module.buffers(), model.buffers()):
                b_swa.detach().copy_(b_model.detach())
        with _no_grad():
            self.n_averaged += 1


def _groups(selfs: list, models: list) -> list:
    """torch's ``_group_tensors_by_device_and_dtype``: the pairs grouped by the averaged
    tensor's dtype, groups in order of first appearance (one device here)."""
    groups: dict = {}
    for a, m in zip(selfs, models):
        pair = groups.setdefault(a.dtype, ([], []))
        pair[0].append(a)
        pair[1].append(m)
    return list(groups.values())


def update_bn(loader, model, device=None) -> None:
    """Recompute the BatchNorm running statistics of ``model`` in one pass over
    ``loader`` (each batch a tensor, or a list/tuple whose first item is the input), as a
    cumulative average (momentum None), under no_grad; the training mode is restored."""
    with _no_grad():
        momenta = {}
        for module in model.modules():
            if isinstance(module, _BatchNorm) and not isinstance(module, _InstanceNorm):
                module.reset_running_stats()
                momenta[module] = module.momentum
        if not momenta:
            return
        was_training = model.training
        model.train()
        for module in momenta:
            module.momentum = None
        for input in loader:
            if isinstance(input, list | tuple):
                input = input[0]
            if device is not None:
                input = input.to(device)
            model(input)
        for bn_module in momenta:
            bn_module.momentum = momenta[bn_module]
        model.train(was_training)


class SWALR(LRScheduler):
    """``SWALR(optimizer, swa_lr, anneal_epochs=10, anneal_strategy="cos",
    last_epoch=-1)``: each group's lr annealed to its ``swa_lr`` over ``anneal_epochs``
    steps, then held there."""

    __adcli_public__ = _PUBLIC | {"anneal_epochs", "anneal_func"}

    def __init__(self, optimizer, swa_lr, anneal_epochs=10, anneal_strategy="cos",
                 last_epoch=-1) -> None:
        swa_lrs = _format_param("swa_lr", optimizer, swa_lr)
        for lr, group in zip(swa_lrs, optimizer.param_groups):
            group["swa_lr"] = lr
        if anneal_strategy not in ["cos", "linear"]:
            raise TorchValueError("anneal_strategy must be one of 'cos' or 'linear', "
                                  f"instead got {anneal_strategy}")
        self._set_anneal_func(anneal_strategy)
        if not isinstance(anneal_epochs, int) or isinstance(anneal_epochs, bool) \
                or anneal_epochs < 0:
            raise TorchValueError(
                f"anneal_epochs must be equal or greater than 0, got {anneal_epochs}")
        self.anneal_epochs = anneal_epochs
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _linear_anneal(t):
        return t

    @staticmethod
    def _cosine_anneal(t):
        return (1 - math.cos(math.pi * t)) / 2

    @staticmethod
    def _get_initial_lr(lr, swa_lr, alpha):
        if alpha == 1:
            return swa_lr
        return (lr - alpha * swa_lr) / (1 - alpha)

    def get_lr(self) -> list:
        _warn_get_lr_called_within_step(self)
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        prev_t = max(0, min(1, (step - 1) / max(1, self.anneal_epochs)))
        prev_alpha = self.anneal_func(prev_t)
        prev_lrs = [self._get_initial_lr(group["lr"], group["swa_lr"], prev_alpha)
                    for group in self.optimizer.param_groups]
        t = max(0, min(1, step / max(1, self.anneal_epochs)))
        alpha = self.anneal_func(t)
        return [group["swa_lr"] * alpha + lr * (1 - alpha)
                for group, lr in zip(self.optimizer.param_groups, prev_lrs)]

    def _set_anneal_func(self, anneal_strategy) -> None:
        self._anneal_strategy = anneal_strategy
        self.anneal_func = self._cosine_anneal if anneal_strategy == "cos" \
            else self._linear_anneal

    def state_dict(self) -> dict:
        return {key: value for key, value in self.__dict__.items()
                if key not in ("optimizer", "anneal_func")}

    def load_state_dict(self, state_dict) -> None:
        super().load_state_dict(state_dict)
        self._set_anneal_func(self._anneal_strategy)


MEMBERS = {
    "AveragedModel": AveragedModel,
    "SWALR": SWALR,
    "update_bn": update_bn,
    "get_ema_multi_avg_fn": get_ema_multi_avg_fn,
    "get_swa_multi_avg_fn": get_swa_multi_avg_fn,
    "get_ema_avg_fn": get_ema_avg_fn,
    "get_swa_avg_fn": get_swa_avg_fn,
}
