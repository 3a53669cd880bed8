"""``torch.optim.SGD``: torch 2.13's single-tensor algorithm, kernel for kernel."""

from __future__ import annotations

from adcli.engine.optim import _kernels as K
from adcli.engine.optim.optimizer import Optimizer, check_flags, less, number
from adcli.engine.tensor import _wrap, bump
from adcli.errors import TorchValueError


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (torch.optim.SGD).

    ``foreach=True`` runs the single-tensor algorithm; ``fused=True`` and
    ``differentiable=True`` raise NotImplementedError (see optim/optimizer.py).
    """

    __adcli_public__ = Optimizer.__adcli_public__

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None) -> None:
        number(lr, "lr")
        if less(lr, 0.0):
            raise TorchValueError(f"Invalid learning rate: {lr}")
        if less(momentum, 0.0):
            raise TorchValueError(f"Invalid momentum value: {momentum}")
        if less(weight_decay, 0.0):
            raise TorchValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        if nesterov and (momentum <= 0 or dampening != 0):
            raise TorchValueError("Nesterov momentum requires a momentum and zero dampening")
        check_flags(foreach, fused, differentiable)
        super().__init__(params, defaults)

    def _fill_groups(self) -> None:
        super()._fill_groups()
        for group in self.param_groups:
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("differentiable", False)
            group.setdefault("fused", False)

    def _update(self, group: dict) -> None:
        weight_decay = group["weight_decay"]
        momentum = group["momentum"]
        lr = number(group["lr"], "lr")
        dampening = group["dampening"]
        nesterov = group["nesterov"]
        maximize = group["maximize"]
        for p, grad in self._with_grad(group):
            if maximize:
                grad = -grad
            param = p._data
            if weight_decay != 0:
                grad = K.add(grad, param, weight_decay)
            if momentum != 0:
                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = _wrap(grad.copy())
                else:
                    K.write(buf, K.add(K.mul(buf._data, momentum), grad, 1 - dampening))
                    bump(buf)
                if nesterov:
                    grad = K.add(grad, buf._data, momentum)
                else:
                    grad = buf._data
                state["momentum_buffer"] = buf
            K.write(p, K.add(param, grad, -lr))
            bump(p)
