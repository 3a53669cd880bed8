"""``torch.optim.ASGD``: torch 2.13's single-tensor algorithm, kernel for kernel.

As torch, ``eta`` and ``mu`` are float32 0-dim tensors of the state: each step reads
their values as Python floats and stores the next ones (computed as Python floats) rounded
to float32."""

from __future__ import annotations

import numpy as np

from adcli.engine.optim import _kernels as K
from adcli.engine.optim._common import (
    capturable_fail,
    check_lr,
    check_nonneg,
    scalar_tensor,
    tmul,
    tsub,
)
from adcli.engine.optim.optimizer import Optimizer, check_flags, number
from adcli.engine.tensor import _wrap, bump


class ASGD(Optimizer):
    """Averaged stochastic gradient descent (torch.optim.ASGD); the average is the
    state's ``ax``.

    ``foreach=True`` runs the single-tensor algorithm; ``differentiable=True`` raises
    NotImplementedError; ``capturable=True`` fails at step as torch does for CPU
    parameters.
    """

    __adcli_public__ = Optimizer.__adcli_public__

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False,
                 capturable=False) -> None:
        check_lr(lr)
        check_nonneg(weight_decay, "weight_decay value")
        defaults = {
            "lr": lr,
            "lambd": lambd,
            "alpha": alpha,
            "t0": t0,
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
        lambd, alpha, t0 = group["lambd"], group["alpha"], group["t0"]
        weight_decay = group["weight_decay"]
        items = list(self._with_grad(group))
        for p, _ in items:
            state = self.state[p]
            if len(state) == 0:
                state["step"] = scalar_tensor(0.0)
                state["eta"] = scalar_tensor(lr)
                state["mu"] = scalar_tensor(1.0)
                state["ax"] = _wrap(np.zeros_like(p._data))
        if items and group["capturable"]:
            capturable_fail("params, mus, etas, and state_steps")
        for p, grad in items:
            state = self.state[p]
            if group["maximize"]:
                grad = -grad
            step_t, eta, mu, ax = state["step"], state["eta"], state["mu"], state["ax"]
            K.write(step_t, K.add_scalar(step_t._data, 1))
            bump(step_t)
            param = p._data
            if weight_decay != 0:
                grad = K.add(grad, param, weight_decay)
            eta_value = float(eta._data)
            param = K.mul(param, 1 - lambd * eta_value)
            param = K.add(param, grad, -eta_value)
            K.write(p, param)
            bump(p)
            bump(p)
            if float(mu._data) != 1:
                K.write(ax, K.add(ax._data, tmul(tsub(p._data, ax._data),
                                                 mu._data.astype(ax._data.dtype)), 1))
            else:
                K.write(ax, p._data)
            bump(ax)
            step = float(step_t._data)
            K.write(eta, np.array(lr / (1 + lambd * lr * step) ** alpha, np.float32))
            bump(eta)
            K.write(mu, np.array(1 / max(1, step - t0), np.float32))
            bump(mu)
