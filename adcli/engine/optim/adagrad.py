"""``torch.optim.Adagrad``: torch 2.13's single-tensor algorithm, kernel for kernel.

As torch, the state (``step``, ``sum``) of every parameter is made when the optimizer is
built, filled with the constructor's ``initial_accumulator_value`` (not a group's)."""

from __future__ import annotations

import numpy as np

from adcli.engine.optim import _kernels as K
from adcli.engine.optim.optimizer import Optimizer, check_flags, nonneg, number
from adcli.engine.tensor import Tensor, _wrap, bump
from adcli.errors import TorchValueError


def _sum_like(p: Tensor, value) -> Tensor:
    return _wrap(np.full_like(p._data, value))


class Adagrad(Optimizer):
    """Adagrad (torch.optim.Adagrad).

    ``foreach=True`` runs the single-tensor algorithm; ``fused=True`` and
    ``differentiable=True`` raise NotImplementedError (see optim/optimizer.py).
    """

    __adcli_public__ = Optimizer.__adcli_public__

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0,
                 initial_accumulator_value=0, eps=1e-10, foreach=None, *, maximize=False,
                 differentiable=False, fused=None) -> None:
        number(lr, "lr")
        if not nonneg(lr):
            raise TorchValueError(f"Invalid learning rate: {lr}")
        if not nonneg(lr_decay):
            raise TorchValueError(f"Invalid lr_decay value: {lr_decay}")
        if not nonneg(weight_decay):
            raise TorchValueError(f"Invalid weight_decay value: {weight_decay}")
        if not nonneg(initial_accumulator_value):
            raise TorchValueError(
                f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not nonneg(eps):
            raise TorchValueError(f"Invalid epsilon value: {eps}")
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "fused": fused,
        }
        check_flags(foreach, fused, differentiable)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = _wrap(np.zeros((), np.float32))
                state["sum"] = _sum_like(p, initial_accumulator_value)

    def _fill_groups(self) -> None:
        super()._fill_groups()
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("fused", None)

    def _update(self, group: dict) -> None:
        lr = number(group["lr"], "lr")
        weight_decay = group["weight_decay"]
        lr_decay = group["lr_decay"]
        eps = group["eps"]
        maximize = group["maximize"]
        for p, grad in self._with_grad(group):
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _wrap(np.zeros((), np.float32))
                state["sum"] = _sum_like(p, self.defaults["initial_accumulator_value"])
            state_sum, step_t = state["sum"], state["step"]
            K.write(step_t, K.add_scalar(step_t._data, 1))
            bump(step_t)
            step = float(step_t._data)
            if maximize:
                grad = -grad
            param = p._data
            if weight_decay != 0:
                grad = K.add(grad, param, weight_decay)
            clr = lr / (1 + (step - 1) * lr_decay)
            K.write(state_sum, K.addcmul(state_sum._data, grad, grad, 1))
            bump(state_sum)
            std = K.add_scalar(K.sqrt(state_sum._data), eps)
            K.write(p, K.addcdiv(param, grad, std, -clr))
            bump(p)
