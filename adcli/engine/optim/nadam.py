"""``torch.optim.NAdam``: torch 2.13's single-tensor algorithm, kernel for kernel.

As torch, ``mu_product`` is a float32 0-dim tensor of the state (each step multiplies it
by the Python float ``mu``, rounding to float32), and the step sizes are Python floats
computed from its value."""

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


class NAdam(Optimizer):
    """NAdam (torch.optim.NAdam): Adam with Nesterov momentum; ``decoupled_weight_decay``
    as AdamW, ``momentum_decay`` as torch's psi.

    ``foreach=True`` runs the single-tensor algorithm; ``differentiable=True`` raises
    NotImplementedError; ``capturable=True`` fails at step as torch does for CPU
    parameters.
    """

    __adcli_public__ = Optimizer.__adcli_public__

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False) -> None:
        check_lr(lr)
        check_nonneg(eps, "epsilon value")
        check_betas(betas)
        check_nonneg(weight_decay, "weight_decay value")
        check_nonneg(momentum_decay, "momentum_decay value")
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum_decay": momentum_decay,
            "decoupled_weight_decay": decoupled_weight_decay,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
        }
        check_flags(foreach, None, differentiable)
        super().__init__(params, defaults)

    def _fill_groups(self) -> None:
        super()._fill_groups()
        for group in self.param_groups:
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)

    def _update(self, group: dict) -> None:
        lr = number(group["lr"], "lr")
        beta1, beta2 = group["betas"]
        eps, weight_decay = group["eps"], group["weight_decay"]
        momentum_decay = group["momentum_decay"]
        decoupled = group["decoupled_weight_decay"]
        items = list(self._with_grad(group))
        for p, _ in items:
            state = self.state[p]
            if len(state) == 0:
                state["step"] = scalar_tensor(0.0)
                state["mu_product"] = scalar_tensor(1.0)
                state["exp_avg"] = _wrap(np.zeros_like(p._data))
                state["exp_avg_sq"] = _wrap(np.zeros_like(p._data))
        if items and group["capturable"]:
            capturable_fail("params, mu_products and state_steps")
        for p, grad in items:
            state = self.state[p]
            if group["maximize"]:
                grad = -grad
            step_t, mu_product = state["step"], state["mu_product"]
            exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
            K.write(step_t, K.add_scalar(step_t._data, 1))
            bump(step_t)
            step = float(step_t._data)
            bias_correction2 = 1 - beta2 ** step
            param = p._data
            if weight_decay != 0:
                if decoupled:
                    param = K.mul(param, 1 - lr * weight_decay)
                    K.write(p, param)
                    bump(p)
                    param = p._data
                else:
                    grad = K.add(grad, param, weight_decay)
            mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
            mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
            K.write(mu_product, K.mul(mu_product._data, mu))
            bump(mu_product)
            K.write(exp_avg, K.lerp(exp_avg._data, grad, 1 - beta1))
            bump(exp_avg)
            K.write(exp_avg_sq, K.addcmul(K.mul(exp_avg_sq._data, beta2), grad, grad,
                                          1 - beta2))
            bump(exp_avg_sq)
            denom = K.sqrt(K.div(exp_avg_sq._data, bias_correction2))
            mu_product_value = float(mu_product._data)
            mu_product_next = mu_product_value * mu_next
            denom = K.add_scalar(denom, eps)
            param = K.addcdiv(param, grad, denom, -lr * (1.0 - mu) / (1.0 - mu_product_value))
            param = K.addcdiv(param, exp_avg._data, denom,
                              -lr * mu_next / (1.0 - mu_product_next))
            K.write(p, param)
            bump(p)
            bump(p)
