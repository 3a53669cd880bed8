"""``torch.optim.Adam`` and ``AdamW``: torch 2.13's single-tensor algorithm, kernel for
kernel (``step`` is a float32 0-dim tensor in the state, as torch keeps it on CPU)."""

from __future__ import annotations

import numpy as np

from adcli.engine.optim import _kernels as K
from adcli.engine.optim.optimizer import (
    Optimizer,
    check_capturable,
    check_flags,
    less,
    nonneg,
    number,
)
from adcli.engine.tensor import Tensor, _wrap, bump
from adcli.errors import TorchTypeError, TorchValueError

_F32 = np.float32


def _step_tensor() -> Tensor:
    return _wrap(np.zeros((), _F32))


class Adam(Optimizer):
    """Adam (torch.optim.Adam); ``decoupled_weight_decay=True`` is AdamW.

    ``foreach=True`` runs the single-tensor algorithm; ``fused=True`` and
    ``differentiable=True`` raise NotImplementedError; ``capturable=True`` fails at step
    as torch does for CPU parameters (see optim/optimizer.py).
    """

    __adcli_public__ = Optimizer.__adcli_public__

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False) -> None:
        number(lr, "lr")
        if not nonneg(lr):
            raise TorchValueError(f"Invalid learning rate: {lr}")
        if not nonneg(eps):
            raise TorchValueError(f"Invalid epsilon value: {eps}")
        beta1, beta2 = _pair(betas)
        number(beta1, "betas")
        number(beta2, "betas")
        if not (nonneg(beta1) and less(beta1, 1.0)):
            raise TorchValueError(f"Invalid beta parameter at index 0: {beta1}")
        if not (nonneg(beta2) and less(beta2, 1.0)):
            raise TorchValueError(f"Invalid beta parameter at index 1: {beta2}")
        if not nonneg(weight_decay):
            raise TorchValueError(f"Invalid weight_decay value: {weight_decay}")
        if not (isinstance(beta1, float) and isinstance(beta2, float)):
            raise TorchValueError("betas must be either both floats or both Tensors")
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        check_flags(foreach, fused, differentiable)
        super().__init__(params, defaults)

    def _fill_groups(self) -> None:
        super()._fill_groups()
        for group in self.param_groups:
            group.setdefault("amsgrad", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            group.setdefault("fused", None)

    def _update(self, group: dict) -> None:
        beta1, beta2 = group["betas"]
        lr = number(group["lr"], "lr")
        weight_decay = group["weight_decay"]
        eps = group["eps"]
        amsgrad = group["amsgrad"]
        maximize = group["maximize"]
        decoupled = group["decoupled_weight_decay"]
        items = list(self._with_grad(group))
        if items:
            check_capturable(group)
        for p, grad in items:
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _step_tensor()
                state["exp_avg"] = _wrap(np.zeros_like(p._data))
                state["exp_avg_sq"] = _wrap(np.zeros_like(p._data))
                if amsgrad:
                    state["max_exp_avg_sq"] = _wrap(np.zeros_like(p._data))
            if maximize:
                grad = -grad
            param = p._data
            exp_avg, exp_avg_sq, step_t = state["exp_avg"], state["exp_avg_sq"], state["step"]

            K.write(step_t, K.add_scalar(step_t._data, 1))
            bump(step_t)

            if weight_decay != 0:
                if decoupled:
                    K.write(p, K.mul(param, 1 - lr * weight_decay))
                    bump(p)
                else:
                    grad = K.add(grad, param, weight_decay)

            K.write(exp_avg, K.lerp(exp_avg._data, grad, 1 - beta1))
            bump(exp_avg)
            K.write(exp_avg_sq, K.addcmul(K.mul(exp_avg_sq._data, beta2), grad, grad, 1 - beta2))
            bump(exp_avg_sq)

            step = float(step_t._data)
            bias_correction1 = 1 - beta1 ** step
            bias_correction2 = 1 - beta2 ** step
            step_size = lr / bias_correction1
            bias_correction2_sqrt = bias_correction2 ** 0.5

            if amsgrad:
                mx = state["max_exp_avg_sq"]
                np.maximum(mx._data, exp_avg_sq._data, out=mx._data)
                bump(mx)
                denom = K.add_scalar(K.div(K.sqrt(mx._data), bias_correction2_sqrt), eps)
            else:
                denom = K.add_scalar(K.div(K.sqrt(exp_avg_sq._data), bias_correction2_sqrt),
                                     eps)
            K.write(p, K.addcdiv(p._data, exp_avg._data, denom, -step_size))
            bump(p)


class AdamW(Adam):
    """AdamW (torch.optim.AdamW): Adam with decoupled weight decay (default 1e-2)."""

    __adcli_public__ = Optimizer.__adcli_public__

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def _fill_groups(self) -> None:
        super()._fill_groups()
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True


def _pair(betas):
    try:
        beta1, beta2 = betas[0], betas[1]
    except (TypeError, IndexError, KeyError) as e:
        raise TorchTypeError(str(e)) from None
    return beta1, beta2
