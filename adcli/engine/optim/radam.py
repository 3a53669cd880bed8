"""``torch.optim.RAdam``: torch 2.13's single-tensor algorithm, kernel for kernel (the
rectification terms are Python floats, as torch computes them)."""

from __future__ import annotations

import numpy as np

from adcli.engine.optim import _kernels as K
from adcli.engine.optim._common import (
    capturable_fail,
    check_betas,
    check_lr,
    check_nonneg,
    reciprocal,
    scalar_tensor,
    tmul,
)
from adcli.engine.optim.optimizer import Optimizer, check_flags, number
from adcli.engine.tensor import _wrap, bump


class RAdam(Optimizer):
    """RAdam (torch.optim.RAdam): rectified Adam; ``decoupled_weight_decay`` as AdamW.

    ``foreach=True`` runs the single-tensor algorithm; ``differentiable=True`` raises
    NotImplementedError; ``capturable=True`` fails at step as torch does for CPU
    parameters.
    """

    __adcli_public__ = Optimizer.__adcli_public__

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False,
                 capturable=False, differentiable=False) -> None:
        check_lr(lr)
        check_nonneg(eps, "epsilon value")
        check_betas(betas)
        check_nonneg(weight_decay, "weight_decay value")
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "decoupled_weight_decay": decoupled_weight_decay,
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
            group.setdefault("decoupled_weight_decay", False)
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
                state["exp_avg_sq"] = _wrap(np.zeros_like(p._data))
        if items and group["capturable"]:
            capturable_fail()
        for p, grad in items:
            state = self.state[p]
            if group["maximize"]:
                grad = -grad
            step_t, exp_avg, exp_avg_sq = state["step"], state["exp_avg"], state["exp_avg_sq"]
            K.write(step_t, K.add_scalar(step_t._data, 1))
            bump(step_t)
            step = float(step_t._data)
            param = p._data
            if weight_decay != 0:
                if group["decoupled_weight_decay"]:
                    K.write(p, K.mul(param, 1 - lr * weight_decay))
                    bump(p)
                    param = p._data
                else:
                    grad = K.add(grad, param, weight_decay)
            K.write(exp_avg, K.lerp(exp_avg._data, grad, 1 - beta1))
            bump(exp_avg)
            K.write(exp_avg_sq, K.addcmul(K.mul(exp_avg_sq._data, beta2), grad, grad,
                                          1 - beta2))
            bump(exp_avg_sq)
            bias_correction1 = 1 - beta1 ** step
            bias_correction2 = 1 - beta2 ** step
            corrected = K.div(exp_avg._data, bias_correction1)
            rho_inf = 2 / (1 - beta2) - 1
            rho_t = rho_inf - 2 * step * beta2 ** step / bias_correction2
            if rho_t > 5.0:
                rect = ((rho_t - 4) * (rho_t - 2) * rho_inf
                        / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
                # bias_correction2 ** 0.5 / (sqrt + eps): reciprocal, then times the float
                adaptive = K.mul(reciprocal(K.add_scalar(K.sqrt(exp_avg_sq._data), eps)),
                                 bias_correction2 ** 0.5)
                update = K.mul(tmul(K.mul(corrected, lr), adaptive), rect)
            else:
                update = K.mul(corrected, lr)
            K.write(p, K.add(param, update, -1.0))
            bump(p)
