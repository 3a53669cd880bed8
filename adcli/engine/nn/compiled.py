"""What ``torch.compile`` returns (engine/compiled.py): ``OptimizedModule``, the module
under ``_orig_mod`` (attributes it does not have are read from the module it wraps), and
the ``CompiledFunctionBackward`` node on the outputs of a compiled module or function."""

from __future__ import annotations

from adcli.engine.nn.module import Module


class OptimizedModule(Module):
    """A compiled module: runs ``_orig_mod`` (eagerly, in adcli)."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("_orig_mod",))

    def __init__(self, mod: Module) -> None:
        super().__init__()
        self._orig_mod = mod

    def forward(self, *args, **kwargs):
        return mark_compiled(self._orig_mod(*args, **kwargs))

    def __adcli_delegate__(self):
        """Where a script's read of a name this module lacks goes: the wrapped module."""
        return self._modules["_orig_mod"]


def mark_compiled(out):
    """``out`` with every tensor that needs a gradient behind a CompiledFunctionBackward."""
    from adcli.engine.tensor import Tensor

    if isinstance(out, Tensor):
        if out.requires_grad and out.grad_fn is not None:
            return _compiled_function().apply(out)
        return out
    if isinstance(out, tuple) and not hasattr(out, "_fields"):
        return tuple(mark_compiled(v) for v in out)
    if isinstance(out, list):
        return [mark_compiled(v) for v in out]
    if isinstance(out, dict):
        return {k: mark_compiled(v) for k, v in out.items()}
    return out


_FUNCTION: list = []


def _compiled_function():
    """The custom Function whose node torch's compiled graphs record (built once)."""
    if not _FUNCTION:
        from adcli.engine.custom_function import Function

        class CompiledFunction(Function):
            @staticmethod
            def forward(ctx, x):
                return x.clone()

            @staticmethod
            def backward(ctx, grad):
                return grad

        _FUNCTION.append(CompiledFunction)
    return _FUNCTION[0]
