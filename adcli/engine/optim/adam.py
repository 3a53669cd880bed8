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
        lr = number(group["lr"], "lr")
        weight_decay = group["weight_decay"]
        amsgrad = group["amsgrad"]
        maximize = group["maximize"]
        decoupled = group["decoupled_weight_decay"]
        items = list(self._with_grad(group))
        if items:
            check_capturable(group)
        for p, _ in items:
            state = self.state[p]
            if len(state) == 0:
                state["step"] = _step_tensor()
                state["exp_avg"] = _wrap(np.zeros_like(p._data))
                state["exp_avg_sq"] = _wrap(np.zeros_like(p._data))
                if amsgrad:
                    state["max_exp_avg_sq"] = _wrap(np.zeros_like(p._data))
        names = ("exp_avg", "exp_avg_sq") + (("max_exp_avg_sq",) if amsgrad else ())
        steps = {float(self.state[p]["step"]._data) for p, _ in items}
        batch = K.batchable([g for _, g in items], [p._data for p, _ in items]) if (
            len(steps) == 1) else None
        if batch is None:
            groups = [[item] for item in items]
        else:  # every parameter at once, the same kernels on the concatenated arrays
            groups = [items]
        for part in groups:
            params = [p for p, _ in part]
            states = [self.state[p] for p in params]
            for st in states:
                step_t = st["step"]
                K.write(step_t, K.add_scalar(step_t._data, 1))
                bump(step_t)
            if len(part) == 1:
                def gather(arrays):
                    return arrays[0]

                def scatter(values, tensors):
                    K.write(tensors[0], values)
            else:
                gather, scatter = batch.gather, batch.scatter
            grad = gather([g for _, g in part])
            if maximize:
                grad = -grad
            param = gather([p._data for p in params])
            if weight_decay != 0 and decoupled:  # param.mul_(1 - lr * weight_decay)
                param = K.mul(param, 1 - lr * weight_decay)
                for p in params:
                    bump(p)
            if weight_decay != 0 and not decoupled:
                grad = K.add(grad, param, weight_decay)
            moments = {n: gather([st[n]._data for st in states]) for n in names}
            step = float(states[0]["step"]._data)
            new = _adam(group, lr, step, grad, param, moments)
            for n in names:
                tensors = [st[n] for st in states]
                scatter(new[n], tensors)
                for t in tensors:
                    bump(t)
            scatter(new["param"], params)
            for p in params:
                bump(p)


def _adam(group: dict, lr, step: float, grad, param, moments: dict) -> dict:
    """One Adam step on arrays: the new moments and parameter values."""
    beta1, beta2 = group["betas"]
    exp_avg = K.lerp(moments["exp_avg"], grad, 1 - beta1)
    exp_avg_sq = K.addcmul(K.mul(moments["exp_avg_sq"], beta2), grad, grad, 1 - beta2)
    new = {"exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}
    bias_correction1 = 1 - beta1 ** step
    bias_correction2 = 1 - beta2 ** step
    step_size = lr / bias_correction1
    bias_correction2_sqrt = bias_correction2 ** 0.5
    if group["amsgrad"]:
        mx = np.maximum(moments["max_exp_avg_sq"], exp_avg_sq)
        new["max_exp_avg_sq"] = mx
        denom = K.add_scalar(K.div(K.sqrt(mx), bias_correction2_sqrt), group["eps"])
    else:
        denom = K.add_scalar(K.div(K.sqrt(exp_avg_sq), bias_correction2_sqrt), group["eps"])
    new["param"] = K.addcdiv(param, exp_avg, denom, -step_size)
    return new


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
