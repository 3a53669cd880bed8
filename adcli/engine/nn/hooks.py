"""Full backward hooks of a Module (``register_full_backward_hook`` and the pre-hooks), as
torch 2.13 runs them.

Torch wraps the module's tensor inputs and outputs in an identity autograd Function,
``BackwardHookFunction``, whose grad_fn (``BackwardHookFunctionBackward``) sees the
gradients pass: at the outputs it records ``grad_output`` and runs the backward
pre-hooks, which may replace it; at the inputs it calls each hook as
``hook(module, grad_input, grad_output)``, whose result may replace ``grad_input``. When no
input requires grad, the hooks run at the outputs with ``grad_input`` all None. Here the
same two identity Functions are custom Functions of the engine
(``engine/custom_function.py``).
"""

from __future__ import annotations

from adcli.engine import api
from adcli.engine.custom_function import Function
from adcli.engine.tensor import Tensor, warn
from adcli.errors import TorchRuntimeError


class _State:
    __slots__ = ("module", "n_inputs", "grad_outputs", "inputs_hooked")

    def __init__(self, module) -> None:
        self.module = module
        self.n_inputs = 0
        self.grad_outputs = None
        self.inputs_hooked = False


def _check(result, grads: tuple, what: str) -> tuple:
    if result is None:
        return grads
    result = tuple(result) if isinstance(result, (tuple, list)) else (result,)
    if len(result) != len(grads):
        raise TorchRuntimeError(f"Backward hook returned an invalid number of {what}, got "
                                f"{len(result)}, but expected {len(grads)}")
    return result


def _run_hooks(state: _State, grad_input: tuple) -> tuple:
    module = state.module
    for hook, _ in list(module.__dict__["_backward_hooks"].values()):
        res = hook(module, grad_input, state.grad_outputs)
        grad_input = _check(res, grad_input, "grad_input")
    return grad_input


class BackwardHookFunction(Function):
    """The identity on a module's tensors; its backward is where the hooks run."""

    @staticmethod
    def forward(ctx, state, side, *tensors):
        ctx.state, ctx.side = state, side
        ctx.mark_non_differentiable(*[t for t in tensors if not t.requires_grad])
        return tensors

    @staticmethod
    def backward(ctx, *grads):
        state = ctx.state
        if ctx.side == "output":
            module = state.module
            for hook, _ in list(module.__dict__["_backward_pre_hooks"].values()):
                res = hook(module, grads)
                grads = _check(res, grads, "grad_output")
            state.grad_outputs = grads
            if not state.inputs_hooked and module.__dict__["_backward_hooks"]:
                warn("Full backward hook is firing when gradients are computed with respect "
                     "to module outputs since no inputs require gradients. See "
                     "https://docs.pytorch.org/docs/main/generated/torch.nn.Module.html"
                     "#torch.nn.Module.register_full_backward_hook for more details.")
                _run_hooks(state, (None,) * state.n_inputs)
        else:
            grads = _run_hooks(state, grads)
        return (None, None, *grads)


def _attach(state: _State, side: str, values):
    """``values`` (a tensor, a tuple/list of values) with its tensors passed through the
    identity Function when any requires grad; the rest as they are."""
    single = isinstance(values, Tensor)
    items = (values,) if single else tuple(values) if isinstance(values, (tuple, list)) \
        else None
    if items is None:
        return values, False
    where = [i for i, v in enumerate(items) if isinstance(v, Tensor)]
    if not where or not api.is_grad_enabled() or not any(items[i].requires_grad
                                                         for i in where):
        return values, False
    out = BackwardHookFunction.apply(state, side, *[items[i] for i in where])
    out = out if isinstance(out, tuple) else (out,)
    new = list(items)
    for i, t in zip(where, out):
        new[i] = t
    if single:
        return new[0], True
    return (type(values)(new) if isinstance(values, list) else tuple(new)), True


def setup_inputs(module, args: tuple):
    """The module's state for this call, and its arguments with the input side attached."""
    state = _State(module)
    state.n_inputs = sum(isinstance(a, Tensor) for a in args)
    args, state.inputs_hooked = _attach(state, "input", args)
    return state, args


def setup_outputs(state: _State, result):
    """The module's result with the output side attached (after the forward hooks)."""
    return _attach(state, "output", result)[0]
