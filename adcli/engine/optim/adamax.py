"""``torch.optim.Adamax``: torch 2.13's single-tensor algorithm, kernel for kernel (the
bias correction a Python float, as torch computes it)."""

from __future__ import annotations

import numpy as np

from adcli.engine.optim import _kernels as K
from adcli.engine.optim._common import (
    capturable_fail,
    check_betas,
    check_lr,
    check_nonneg,
    scalar_tensor,
)
from adcli.engine.optim.optimizer import Optimizer, check_flags, number
from adcli.engine.tensor import _wrap, bump


class Adamax(Optimizer):
    """Adamax (torch.optim.Adamax), Adam on the infinity norm.

    ``foreach=True`` runs the single-tensor algorithm; ``differentiable=True`` raises
    NotImplementedError; ``capturable=True`` fails at step as torch does for CPU
    parameters.
    """

    __adcli_public__ = Optimizer.__adcli_public__

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False,
                 capturable=False) -> None:
        check_lr(lr)
        check_nonneg(eps, "epsilon value")
        check_betas(betas)
        check_nonneg(weight_decay, "weight_decay value")
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
            "capturable": capturable,
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
        beta1, beta2 = group["betas"]
        eps, weight_decay = group["eps"], group["weight_decay"]
        items = list(self._with_grad(group))
        for p, _ in items:
            state = self.state[p]
            if len(state) == 0:
                state["step"] = scalar_tensor(0.0)
                state["exp_avg"] = _wrap(np.zeros_like(p._data))
                state["exp_inf"] = _wrap(np.zeros_like(p._data))
        if items and group["capturable"]:
            capturable_fail()
        for p, grad in items:
            state = self.state[p]
            if group["maximize"]:
                grad = -grad
            step_t, exp_avg, exp_inf = state["step"], state["exp_avg"], state["exp_inf"]
            K.write(step_t, K.add_scalar(step_t._data, 1))
            bump(step_t)
            param = p._data
            if weight_decay != 0:
                grad = K.add(grad, param, weight_decay)
            K.write(exp_avg, K.lerp(exp_avg._data, grad, 1 - beta1))
            bump(exp_avg)
            K.write(exp_inf, np.maximum(K.mul(exp_inf._data, beta2),
                                        K.add_scalar(np.abs(grad), eps)))
            bump(exp_inf)
            bias_correction = 1 - beta1 ** float(step_t._data)
            clr = lr / bias_correction
            K.write(p, K.addcdiv(param, exp_avg._data, exp_inf._data, -clr))
            bump(p)
