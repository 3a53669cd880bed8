"""``torch.compile``: adcli runs every program eagerly, so compiling changes no value; what
a script sees is kept: a module comes back wrapped in ``OptimizedModule`` (its repr, its
``_orig_mod.`` state_dict keys), a function comes back as a function, and outputs that
need a gradient carry torch's ``CompiledFunctionBackward`` node."""

from __future__ import annotations

from adcli.errors import TorchRuntimeError, TorchTypeError

_MODES = ("default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs", "max-autotune")


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None,
            options=None, disable=False):
    """``torch.compile(model)``: the model, ready to run (adcli runs it eagerly)."""
    if mode is not None and options is not None:
        raise TorchRuntimeError(
            "Either mode or options can be specified, but both can't be specified at the same "
            "time.")
    if mode is not None and mode not in _MODES:
        raise TorchRuntimeError(f"Unrecognized mode={mode}, should be one of: "
                                + ", ".join(_MODES))
    if model is None:
        def decorate(fn):
            return compile(fn, fullgraph=fullgraph, dynamic=dynamic, backend=backend,
                           mode=mode, options=options, disable=disable)
        return decorate
    if not callable(model):
        raise TorchTypeError(f"torch.compile() expected a callable, got {type(model).__name__}")
    if disable:
        return model
    from adcli.engine.nn.module import Module

    if isinstance(model, Module):
        from adcli.engine.nn.compiled import OptimizedModule

        return OptimizedModule(model)

    from adcli.engine.nn.compiled import mark_compiled

    def compiled(*args, **kwargs):
        return mark_compiled(model(*args, **kwargs))

    compiled.__name__ = getattr(model, "__name__", "compiled")
    compiled.__wrapped__ = model
    return compiled
