"""``torch.jit.script`` and ``torch.jit.trace`` as a script observes them on the CPU.

adcli has no TorchScript compiler: a scripted or traced module runs its original's
``forward`` (the same parameters and buffers, shared as torch's are), so its outputs,
gradients and grad_fn names are the eager ones, which is what TorchScript gives for the
code tutorials script. What differs from an eager module is what torch shows of it: a
scripted module prints as ``RecursiveScriptModule(original_name=Net ...)``, a traced one
with its submodules' ``original_name``; a scripted function is a ``ScriptFunction``.
TorchScript's refusals of dynamic Python are not reproduced, nor ``.code`` / ``.graph``.
"""

from __future__ import annotations

from adcli.engine.nn.module import Module, _addindent
from adcli.errors import TorchNotImplementedError, TorchRuntimeError


class RecursiveScriptModule(Module):
    """What ``torch.jit.script(module)`` returns (and, printed in the traced style,
    ``torch.jit.trace(module, ...)``)."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("original_name",))

    def __init__(self, original, traced: bool = False) -> None:
        super().__init__()
        d = self.__dict__
        d["_original"] = original
        d["_traced"] = traced
        d["original_name"] = type(original).__name__
        d["training"] = original.training
        d["_parameters"] = original._parameters  # shared, as torch's script module's
        d["_buffers"] = original._buffers
        d["_non_persistent_buffers_set"] = original._non_persistent_buffers_set
        for name, child in original._modules.items():
            d["_modules"][name] = None if child is None else RecursiveScriptModule(
                child, traced)

    def forward(self, *args, **kwargs):
        # the original runs in this module's training modes (its own are kept: torch's
        # script module has flags of its own)
        pairs = list(_pairs(self))
        saved = [o.__dict__["training"] for _, o in pairs]
        for w, o in pairs:
            o.__dict__["training"] = w.__dict__["training"]
        try:
            return self._original(*args, **kwargs)
        finally:
            for (_, o), mode in zip(pairs, saved):
                o.__dict__["training"] = mode

    def __getitem__(self, idx):
        modules = list(self._modules.values())
        return modules[idx]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __repr__(self) -> str:
        name = self.__dict__["original_name"]
        head = name if self._traced else "RecursiveScriptModule"
        child_lines = ["(" + key + "): " + _addindent(repr(module), 2)
                       for key, module in self._modules.items()]
        if not child_lines:
            return f"{head}(original_name={name})"
        lines = [f"original_name={name}"] + child_lines
        return head + "(\n  " + "\n  ".join(lines) + "\n)"


RecursiveScriptModule.__module__ = "torch.jit._script"


def _pairs(wrapper):
    """(script module, its original) for the module and every submodule."""
    yield wrapper, wrapper.__dict__["_original"]
    for child in wrapper._modules.values():
        if child is not None:
            yield from _pairs(child)


class ScriptFunction:
    """What ``torch.jit.script(function)`` returns: the function, called as is."""

    __adcli_public__ = frozenset(("name",))

    def __init__(self, fn) -> None:
        self._fn = fn
        self.name = getattr(fn, "__name__", "function")

    def __call__(self, *args, **kwargs):
        return self._fn(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<torch.jit.ScriptFunction object at 0x{id(self):x}>"


ScriptFunction.__module__ = "torch.jit"
ScriptFunction.__qualname__ = "torch.jit.ScriptFunction"


def script(obj, optimize=None, _frames_up=0, _rcb=None, example_inputs=None):
    """``torch.jit.script(module_or_function)``."""
    if isinstance(obj, RecursiveScriptModule):
        return obj
    if isinstance(obj, Module):
        return RecursiveScriptModule(obj)
    if callable(obj):
        return ScriptFunction(obj)
    raise TorchRuntimeError(f"Type '{type(obj).__name__}' cannot be compiled since it "
                            "inherits from nn.Module, pass an instance instead")


def trace(func, example_inputs=None, optimize=None, check_trace=True, check_inputs=None,
          check_tolerance=1e-5, strict=True, _force_outplace=False,
          _module_class=None, _compilation_unit=None, example_kwarg_inputs=None,
          _store_inputs=True):
    """``torch.jit.trace(module_or_function, example_inputs)``: the module (or function)
    itself, run eagerly; the example inputs are run once, as tracing does."""
    if isinstance(func, Module):
        module = RecursiveScriptModule(func, traced=True)
        if example_inputs is not None:
            args = example_inputs if isinstance(example_inputs, tuple) else (example_inputs,)
            func(*args)
        return module
    if example_inputs is not None:
        args = example_inputs if isinstance(example_inputs, tuple) else (example_inputs,)
        func(*args)
    return ScriptFunction(func)


def _no_files(*args, **kwargs):
    raise TorchNotImplementedError("torch.jit.save / torch.jit.load are not supported by "
                                   "adcli (no TorchScript archive is written or read)")


def ignore(drop=False, **kwargs):
    """``@torch.jit.ignore``: the function unchanged."""
    if callable(drop):
        return drop
    return lambda fn: fn


def is_scripting() -> bool:
    return False


def is_tracing() -> bool:
    return False


MEMBERS = {
    "script": script,
    "trace": trace,
    "ScriptModule": RecursiveScriptModule,
    "RecursiveScriptModule": RecursiveScriptModule,
    "ScriptFunction": ScriptFunction,
    "ignore": ignore,
    "unused": ignore,
    "export": ignore,
    "is_scripting": is_scripting,
    "is_tracing": is_tracing,
    "save": _no_files,
    "load": _no_files,
}
