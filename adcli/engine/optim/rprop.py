"""``torch.optim.Rprop``: torch 2.13's single-tensor algorithm, kernel for kernel."""

from __future__ import annotations

import numpy as np

from adcli.engine.optim import _kernels as K
from adcli.engine.optim._common import (
    capturable_fail,
    check_lr,
    opmath,
    scalar_tensor,
    tmul,
    tsign,
)
from adcli.engine.optim.optimizer import Optimizer, check_flags, less, number
from adcli.engine.tensor import _wrap, bump
from adcli.errors import TorchTypeError, TorchValueError


class Rprop(Optimizer):
    """Rprop (torch.optim.Rprop): per-element step sizes grown by ``etas[1]`` while the
    gradient keeps its sign and shrunk by ``etas[0]`` when it flips.

    ``foreach=True`` runs the single-tensor algorithm; ``differentiable=True`` raises
    NotImplementedError; ``capturable=True`` fails at step as torch does for CPU
    parameters.
    """

    __adcli_public__ = Optimizer.__adcli_public__

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable=False, foreach=None, maximize=False,
                 differentiable=False) -> None:
        check_lr(lr)
        try:
            e0, e1 = etas[0], etas[1]
        except (TypeError, IndexError, KeyError) as e:
            raise TorchTypeError(str(e)) from None
        if not (less(0.0, e0) and less(e0, 1.0) and less(1.0, e1)):
            raise TorchValueError(f"Invalid eta values: {e0}, {e1}")
        defaults = {
            "lr": lr,
            "etas": etas,
            "step_sizes": step_sizes,
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
        etaminus, etaplus = group["etas"]
        step_size_min, step_size_max = group["step_sizes"]
        items = list(self._with_grad(group))
        for p, grad in items:
            state = self.state[p]
            if len(state) == 0:
                state["step"] = scalar_tensor(0.0)
                state["prev"] = _wrap(np.zeros_like(p._data))
                state["step_size"] = _wrap(np.full_like(grad, number(group["lr"], "lr")))
        if items and group["capturable"]:
            capturable_fail()
        for p, grad in items:
            state = self.state[p]
            if group["maximize"]:
                grad = -grad
            step_t, prev, step_size = state["step"], state["prev"], state["step_size"]
            K.write(step_t, K.add_scalar(step_t._data, 1))
            bump(step_t)
            op = opmath(p._data)
            sign = tsign(tmul(grad, prev._data))
            up, down = sign > 0, sign < 0
            sign[up] = op(etaplus)
            sign[down] = op(etaminus)
            sign[sign == 0] = 1
            size = np.clip(tmul(step_size._data, sign), op(step_size_min), op(step_size_max))
            K.write(step_size, size)
            bump(step_size)
            grad = grad.copy()
            grad[sign == sign.dtype.type(op(etaminus))] = 0
            K.write(p, K.addcmul(p._data, tsign(grad), step_size._data, -1))
            bump(p)
            K.write(prev, grad)
            bump(prev)
