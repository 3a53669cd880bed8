"""``torch.optim.Adadelta``: torch 2.13's single-tensor algorithm, kernel for kernel."""

from __future__ import annotations

import numpy as np

from adcli.engine.optim import _kernels as K
from adcli.engine.optim._common import (
    capturable_fail,
    check_lr,
    check_nonneg,
    scalar_tensor,
    tdiv,
    tmul,
)
from adcli.engine.optim.optimizer import Optimizer, check_flags, less, nonneg, number
from adcli.engine.tensor import _wrap, bump
from adcli.errors import TorchValueError


class Adadelta(Optimizer):
    """Adadelta (torch.optim.Adadelta).

    ``foreach=True`` runs the single-tensor algorithm; ``differentiable=True`` raises
    NotImplementedError; ``capturable=True`` fails at step as torch does for CPU
    parameters (see optim/optimizer.py).
    """

    __adcli_public__ = Optimizer.__adcli_public__

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False) -> None:
        check_lr(lr)
        if not (nonneg(rho) and not less(1.0, rho)):
            raise TorchValueError(f"Invalid rho value: {rho}")
        check_nonneg(eps, "epsilon value")
        check_nonneg(weight_decay, "weight_decay value")
        defaults = {
            "lr": lr,
            "rho": rho,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "capturable": capturable,
            "foreach": foreach,
            "differentiable": differentiable,
        }
        check_flags(foreach, None, differentiable)
        super().__init__(params, defaults)

    def _fill_groups(self) -> None:
        super()._fill_groups()
        for group in self.param_groups:
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)

    def _update(self, group: dict) -> None:
        lr = number(group["lr"], "lr")
        rho, eps = group["rho"], group["eps"]
        weight_decay = group["weight_decay"]
        items = list(self._with_grad(group))
        for p, _ in items:
            state = self.state[p]
            if len(state) == 0:
                state["step"] = scalar_tensor(0.0)
                state["square_avg"] = _wrap(np.zeros_like(p._data))
                state["acc_delta"] = _wrap(np.zeros_like(p._data))
        if items and group["capturable"]:
            capturable_fail(xla=False)
        for p, grad in items:
            state = self.state[p]
            step_t, square_avg, acc_delta = state["step"], state["square_avg"], state["acc_delta"]
            K.write(step_t, K.add_scalar(step_t._data, 1))
            bump(step_t)
            if group["maximize"]:
                grad = -grad
            param = p._data
            if weight_decay != 0:
                grad = K.add(grad, param, weight_decay)
            sq = K.addcmul(K.mul(square_avg._data, rho), grad, grad, 1 - rho)
            K.write(square_avg, sq)
            bump(square_avg)
            std = K.sqrt(K.add_scalar(sq, eps))
            delta = K.sqrt(K.add_scalar(acc_delta._data, eps))
            delta = tmul(tdiv(delta, std), grad)
            K.write(acc_delta, K.addcmul(K.mul(acc_delta._data, rho), delta, delta, 1 - rho))
            bump(acc_delta)
            K.write(p, K.add(param, delta, -lr))
            bump(p)
