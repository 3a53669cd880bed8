"""``torch.utils.checkpoint``: checkpoint and checkpoint_sequential as torch 2.13 has them.

``use_reentrant=True`` (what torch still defaults to, with its warning): a custom
Function, ``CheckpointFunction``, runs the function under no_grad and records one node,
``CheckpointFunctionBackward``; its backward runs the function again with grad mode on,
from the forward's RNG state (restored after, as torch's ``fork_rng``), and back-propagates
through that graph, so the parameters it reaches get their gradients then.
``use_reentrant=False``: the function's own graph. torch frees the saved activations and
recomputes them in backward, which changes nothing that a script observes: the values, the
gradients, the grad_fn names and the RNG stream are those of running the function.
"""

from __future__ import annotations

from adcli.engine import functional as _functional
from adcli.engine import tensor as _tensor
from adcli.engine.custom_function import Function
from adcli.engine.tensor import Tensor, warn
from adcli.errors import TorchRuntimeError, TorchValueError

_REENTRANT_DEFAULT = (
    "torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. "
    "Starting in PyTorch 2.9, calling checkpoint without use_reentrant will raise an "
    "exception. use_reentrant=False is recommended, but if you need to preserve the current "
    "default behavior, you can pass use_reentrant=True. Refer to docs for more details on "
    "the differences between the two variants.")
_SEQUENTIAL_DEFAULT = (
    "torch.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should be "
    "passed explicitly. In version 2.9 we will raise an exception if use_reentrant is not "
    "passed. use_reentrant=False is recommended, but if you need to preserve the current "
    "default behavior, you can pass use_reentrant=True. Refer to docs for more details on "
    "the differences between the two variants.")
# where Python reports checkpoint's warning: the frame of torch._disable_dynamo's wrapper
_DYNAMO_SITE = ("_dynamo/eval_frame.py", 1446, "return fn(*args, **kwargs)")
_NO_INPUT_GRAD_SITE = ("utils/checkpoint.py", 238, "check_backward_validity(args)")


def _api():
    from adcli.engine import api

    return api


def detach_variable(inputs):
    """Each tensor of ``inputs`` detached, keeping its requires_grad."""
    if not isinstance(inputs, tuple):
        raise TorchRuntimeError("Only tuple of tensors is supported. Got Unsupported input "
                                f"type: {type(inputs).__name__}")
    out = []
    for inp in inputs:
        if not isinstance(inp, Tensor):
            out.append(inp)
            continue
        x = inp.detach()
        x.requires_grad = inp.requires_grad
        out.append(x)
    return tuple(out)


def check_backward_validity(inputs) -> None:
    if not any(inp.requires_grad for inp in inputs if isinstance(inp, Tensor)):
        warn("None of the inputs have requires_grad=True. Gradients will be None",
             _NO_INPUT_GRAD_SITE)


class CheckpointFunction(Function):
    """The reentrant checkpoint: forward without a graph, backward by running it again."""

    @staticmethod
    def forward(ctx, run_function, preserve_rng_state, *args):
        check_backward_validity(args)
        ctx.run_function = run_function
        ctx.preserve_rng_state = preserve_rng_state
        if preserve_rng_state:
            ctx.fwd_cpu_state = _api().get_rng_state()
        ctx.inputs = []
        ctx.tensor_indices = []
        tensor_inputs = []
        for i, arg in enumerate(args):
            if isinstance(arg, Tensor):
                tensor_inputs.append(arg)
                ctx.tensor_indices.append(i)
                ctx.inputs.append(None)
            else:
                ctx.inputs.append(arg)
        ctx.save_for_backward(*tensor_inputs)
        with _api().no_grad():
            outputs = run_function(*args)
        return outputs

    @staticmethod
    def backward(ctx, *args):
        if _tensor.PARTIAL_PASSES and _tensor.PARTIAL_PASSES[-1]:
            raise TorchRuntimeError(
                "When use_reentrant=True, torch.utils.checkpoint is incompatible with .grad() "
                "or passing an `inputs` parameter to .backward(). To resolve this error, you "
                "can either set use_reentrant=False, or call .backward() without passing the "
                "`inputs` argument.")
        api = _api()
        inputs = list(ctx.inputs)
        tensors = ctx.saved_tensors
        for i, idx in enumerate(ctx.tensor_indices):
            inputs[idx] = tensors[i]
        outer_state = api.get_rng_state() if ctx.preserve_rng_state else None
        try:
            if ctx.preserve_rng_state:
                api.set_rng_state(ctx.fwd_cpu_state)
            detached_inputs = detach_variable(tuple(inputs))
            with api.enable_grad():
                outputs = ctx.run_function(*detached_inputs)
        finally:
            if outer_state is not None:
                api.set_rng_state(outer_state)
        if isinstance(outputs, Tensor):
            outputs = (outputs,)
        outputs_with_grad, args_with_grad = [], []
        for i in range(len(outputs)):
            if isinstance(outputs[i], Tensor) and outputs[i].requires_grad:
                outputs_with_grad.append(outputs[i])
                args_with_grad.append(args[i])
        if not outputs_with_grad:
            raise TorchRuntimeError("none of output has requires_grad=True, this checkpoint() "
                                    "is not necessary")
        _functional.backward(outputs_with_grad, args_with_grad)
        grads = tuple(inp.grad if isinstance(inp, Tensor) else None
                      for inp in detached_inputs)
        return (None, None) + grads


def _noop_context_fn():
    from contextlib import nullcontext

    return nullcontext(), nullcontext()


def checkpoint(function, *args, use_reentrant=None, context_fn=_noop_context_fn,
               determinism_check="default", debug=False, early_stop=True, **kwargs):
    """``checkpoint(function, *args, use_reentrant=None, ...)``: ``function(*args)``,
    its activations recomputed in backward instead of kept."""
    if use_reentrant is None:
        warn(_REENTRANT_DEFAULT, _DYNAMO_SITE)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs and use_reentrant:
        raise TorchValueError("Unexpected keyword arguments: " + ",".join(kwargs))
    if use_reentrant:
        if context_fn is not _noop_context_fn or debug is not False:
            raise TorchValueError("Passing `context_fn` or `debug` is only supported when "
                                  "use_reentrant=False.")
        return CheckpointFunction.apply(function, preserve, *args)
    if context_fn is _noop_context_fn:
        return function(*args, **kwargs)
    forward_context, _recompute_context = context_fn()
    with forward_context:
        return function(*args, **kwargs)


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    """``checkpoint_sequential(functions, segments, input, use_reentrant=None)``: the
    modules (an ``nn.Sequential`` or a list) run in ``segments`` checkpointed chunks, the
    last one plainly."""
    if use_reentrant is None:
        warn(_SEQUENTIAL_DEFAULT)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise TorchValueError("Unexpected keyword arguments: " + ",".join(kwargs))

    def run_function(start, end, functions):
        def forward(input):
            for j in range(start, end + 1):
                input = functions[j](input)
            return input

        return forward

    from adcli.engine.nn.containers import Sequential

    if isinstance(functions, Sequential):
        functions = list(functions.children())
    segment_size = len(functions) // segments
    end = -1
    for start in range(0, segment_size * (segments - 1), segment_size):
        end = start + segment_size - 1
        input = checkpoint(run_function(start, end, functions), input,
                           use_reentrant=use_reentrant, preserve_rng_state=preserve)
    return run_function(end + 1, len(functions) - 1, functions)(input)


MEMBERS = {
    "checkpoint": checkpoint,
    "checkpoint_sequential": checkpoint_sequential,
    "CheckpointFunction": CheckpointFunction,
    "detach_variable": detach_variable,
    "check_backward_validity": check_backward_validity,
}

__all__ = ["MEMBERS", "CheckpointFunction", "checkpoint", "checkpoint_sequential"]
