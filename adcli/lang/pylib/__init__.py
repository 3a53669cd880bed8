"""The Python runtime library of ``.py`` programs: modules, builtins and method tables.

Import it lazily (when a program first imports a module or runs in ``.py`` mode): its
submodules are only loaded then. The interpreter makes one ``Runtime`` per session::

    from adcli.lang.pylib import Hooks, make_runtime
    rt = make_runtime(Hooks(get_attribute=..., set_attribute=..., get_item=..., ...))
    rt.modules["math"]["sqrt"]          # import tables
    rt.builtins["sorted"]               # .py builtins (print is the interpreter's)
    rt.attribute("a b".split, ...)      # methods of str/list/dict/set/tuple, collections

Module-level ``MODULES``, ``PY_BUILTINS``, ``STR_METHODS``, ... are the same tables built
once with the closed default hooks (no attribute reachable), for tests and tools.
See docs/python.md.
"""

from __future__ import annotations

AVAILABLE_MODULES = ("math", "random", "itertools", "functools", "collections", "typing",
                     "copy", "time", "sys", "operator", "string", "statistics", "json",
                     "warnings", "dataclasses", "pprint", "textwrap", "io", "__future__",
                     "matplotlib", "matplotlib.pyplot", "tqdm", "tqdm.auto", "tqdm.notebook",
                     "tqdm.std", "tqdm.autonotebook", "contextlib", "os", "os.path", "enum", "re",
                     "abc", "types", "heapq", "bisect", "timeit", "pathlib", "logging",
                     "traceback", "argparse", "datetime", "glob",
                     "csv", "numbers")

__all__ = ["AVAILABLE_MODULES", "Hooks", "Runtime", "make_runtime", "make_modules",
           "module_not_found", "MODULES", "PY_BUILTINS", "STR_METHODS", "LIST_METHODS",
           "DICT_METHODS", "SET_METHODS", "FROZENSET_METHODS", "TUPLE_METHODS"]

_LAZY = {
    "Hooks": ("adcli.lang.pylib.hooks", "Hooks"),
    "Runtime": ("adcli.lang.pylib.runtime", "Runtime"),
    "make_runtime": ("adcli.lang.pylib.runtime", "make_runtime"),
    "PY_BUILTINS": ("adcli.lang.pylib.pybuiltins", "PY_BUILTINS"),
    "ABSENT_BUILTINS": ("adcli.lang.pylib.pybuiltins", "ABSENT_BUILTINS"),
    "STR_METHODS": ("adcli.lang.pylib.methods", "STR_METHODS"),
    "LIST_METHODS": ("adcli.lang.pylib.methods", "LIST_METHODS"),
    "DICT_METHODS": ("adcli.lang.pylib.methods", "DICT_METHODS"),
    "SET_METHODS": ("adcli.lang.pylib.methods", "SET_METHODS"),
    "FROZENSET_METHODS": ("adcli.lang.pylib.methods", "FROZENSET_METHODS"),
    "TUPLE_METHODS": ("adcli.lang.pylib.methods", "TUPLE_METHODS"),
}
_default_runtime = None


def make_modules(seed=None) -> dict:
    """The module tables of a fresh session (its own ``random`` generator)."""
    from adcli.lang.pylib.runtime import make_runtime

    return make_runtime(seed=seed).modules


def module_not_found(name: str) -> str:
    """The message of ``import name`` for a module that is not available."""
    return (f"No module named '{name}' (adcli can import: torch, numpy, "
            + ", ".join(m for m in AVAILABLE_MODULES if "." not in m) + ")")


def __getattr__(name: str):
    global _default_runtime
    if name == "MODULES":
        if _default_runtime is None:
            from adcli.lang.pylib.runtime import make_runtime

            _default_runtime = make_runtime()
        return _default_runtime.modules
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'adcli.lang.pylib' has no attribute '{name}'")
