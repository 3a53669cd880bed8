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
        lr = number(group["lr"], "lr")
        pairs = list(self._with_grad(group))
        if group["momentum"] == 0:
            bufs = [None] * len(pairs)  # no state (torch keeps none without momentum)
        else:
            bufs = [self.state[p].get("momentum_buffer") for p, _ in pairs]
        if group["momentum"] == 0 or all(b is not None for b in bufs):
            batch = K.batchable([g for _, g in pairs], [p._data for p, _ in pairs])
        else:
            batch = None  # a first momentum step: each buffer starts as its own gradient
        if batch is None:
            for (p, grad), buf in zip(pairs, bufs):
                self._step_one(group, lr, p, grad, buf)
            return
        # every parameter at once: the same elementwise kernels on the concatenated arrays
        # (torch's single-tensor loop gives the same bits), one numpy call per kernel
        params = [p for p, _ in pairs]
        grad = batch.gather([g for _, g in pairs])
        buf = batch.gather([b._data for b in bufs]) if group["momentum"] != 0 else None
        new_param, new_buf = _sgd(group, lr, grad, batch.gather([p._data for p in params]),
                                  buf)
        if new_buf is not None:
            batch.scatter(new_buf, bufs)
            for b in bufs:
                bump(b)
        batch.scatter(new_param, params)
        for p in params:
            bump(p)

    def _step_one(self, group, lr, p, grad, buf) -> None:
        if group["momentum"] != 0 and buf is None:
            if group["maximize"]:
                grad = -grad
            if group["weight_decay"] != 0:
                grad = K.add(grad, p._data, group["weight_decay"])
            buf = _wrap(grad.copy())
            self.state[p]["momentum_buffer"] = buf
            if group["nesterov"]:
                grad = K.add(grad, buf._data, group["momentum"])
            new_param = K.add(p._data, grad if group["nesterov"] else buf._data, -lr)
        else:
            new_param, new_buf = _sgd(group, lr, grad, p._data,
                                      None if buf is None else buf._data)
            if new_buf is not None:
                K.write(buf, new_buf)
                bump(buf)
        K.write(p, new_param)
        bump(p)


def _sgd(group: dict, lr, grad, param, buf) -> tuple:
    """One SGD step on arrays: the new parameter values and momentum buffer (None without
    momentum). ``buf`` is the buffer so far (not None when momentum is on)."""
    momentum = group["momentum"]
    if group["maximize"]:
        grad = -grad
    if group["weight_decay"] != 0:
        grad = K.add(grad, param, group["weight_decay"])
    new_buf = None
    if momentum != 0:
        new_buf = K.add(K.mul(buf, momentum), grad, 1 - group["dampening"])
        grad = K.add(grad, new_buf, momentum) if group["nesterov"] else new_buf
    return K.add(param, grad, -lr), new_buf
