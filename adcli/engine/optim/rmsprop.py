"""``torch.optim.RMSprop``: torch 2.13's single-tensor algorithm, kernel for kernel."""

from __future__ import annotations

import numpy as np

from adcli.engine.optim import _kernels as K
from adcli.engine.optim.optimizer import (
    Optimizer,
    check_capturable,
    check_flags,
    nonneg,
    number,
)
from adcli.engine.tensor import _wrap, bump
from adcli.errors import TorchValueError


class RMSprop(Optimizer):
    """RMSprop (torch.optim.RMSprop).

    ``foreach=True`` runs the single-tensor algorithm; ``differentiable=True`` raises
    NotImplementedError; ``capturable=True`` fails at step as torch does for CPU
    parameters (see optim/optimizer.py).
    """

    __adcli_public__ = Optimizer.__adcli_public__

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False) -> None:
        number(lr, "lr")
        if not nonneg(lr):
            raise TorchValueError(f"Invalid learning rate: {lr}")
        if not nonneg(eps):
            raise TorchValueError(f"Invalid epsilon value: {eps}")
        if not nonneg(momentum):
            raise TorchValueError(f"Invalid momentum value: {momentum}")
        if not nonneg(weight_decay):
            raise TorchValueError(f"Invalid weight_decay value: {weight_decay}")
        if not nonneg(alpha):
            raise TorchValueError(f"Invalid alpha value: {alpha}")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "capturable": capturable,
            "foreach": foreach,
            "maximize": maximize,
            "differentiable": differentiable,
        }
        check_flags(foreach, False, differentiable)
        super().__init__(params, defaults)

    def _fill_groups(self) -> None:
        super()._fill_groups()
        for group in self.param_groups:
            group.setdefault("momentum", 0)
            group.setdefault("centered", False)
            group.setdefault("foreach", None)
            group.setdefault("maximize", False)
            group.setdefault("differentiable", False)
            group.setdefault("capturable", False)

    def _update(self, group: dict) -> None:
        lr = number(group["lr"], "lr")
        alpha = group["alpha"]
        eps = group["eps"]
        weight_decay = group["weight_decay"]
        momentum = group["momentum"]
        centered = group["centered"]
        maximize = group["maximize"]
        items = list(self._with_grad(group))
        if items:
            check_capturable(group)
        for p, grad in items:
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _wrap(np.zeros((), np.float32))
                state["square_avg"] = _wrap(np.zeros_like(p._data))
                if momentum > 0:
                    state["momentum_buffer"] = _wrap(np.zeros_like(p._data))
                if centered:
                    state["grad_avg"] = _wrap(np.zeros_like(p._data))
            if maximize:
                grad = -grad
            param = p._data
            square_avg, step_t = state["square_avg"], state["step"]
            K.write(step_t, K.add_scalar(step_t._data, 1))
            bump(step_t)
            if weight_decay != 0:
                grad = K.add(grad, param, weight_decay)
            K.write(square_avg, K.addcmul(K.mul(square_avg._data, alpha), grad, grad, 1 - alpha))
            bump(square_avg)
            if centered:
                grad_avg = state["grad_avg"]
                K.write(grad_avg, K.lerp(grad_avg._data, grad, 1 - alpha))
                bump(grad_avg)
                avg = K.sqrt(K.addcmul(square_avg._data, grad_avg._data, grad_avg._data, -1))
            else:
                avg = K.sqrt(square_avg._data)
            avg = K.add_scalar(avg, eps)
            if momentum > 0:
                buf = state["momentum_buffer"]
                K.write(buf, K.addcdiv(K.mul(buf._data, momentum), grad, avg, 1))
                bump(buf)
                K.write(p, K.add(param, buf._data, -lr))
            else:
                K.write(p, K.addcdiv(param, grad, avg, -lr))
            bump(p)
