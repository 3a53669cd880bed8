"""One session's Python runtime: its modules, builtins and attribute tables."""

from __future__ import annotations

import random as _random

from adcli.lang.pylib import AVAILABLE_MODULES
from adcli.lang.pylib.hooks import DEFAULT, Hooks

__all__ = ["AVAILABLE_MODULES", "Runtime", "make_runtime"]


class Runtime:
    """What the interpreter of ``.py`` programs needs from the library, for one session.

    - ``modules``: import name -> member table (``import math`` binds a namespace over
      ``modules["math"]``; ``from math import sqrt`` takes ``modules["math"]["sqrt"]``);
    - ``builtins``: the builtins of ``.py`` mode (add the interpreter's ``print``);
    - ``rng``: this session's ``random.Random``; ``seed(n)`` seeds it (``--seed N``);
    - ``attribute(obj, name)``: the accessor lookup for the library's own values (str,
      list, dict, set, tuple methods; Counter, deque, ...; namedtuples; the types),
      returning the attribute or raising AttributeError; ``has_table(obj)`` says whether
      ``obj`` is one of those values.
    """

    def __init__(self, hooks: Hooks = DEFAULT, seed=None) -> None:
        from adcli.lang.pylib import (
            collectionsmod,
            copymod,
            functoolsmod,
            futuremod,
            itertoolsmod,
            mathmod,
            methods,
            pybuiltins,
            randommod,
            timemod,
            typingmod,
        )

        self.hooks = hooks
        self.rng = _random.Random(seed)
        self.sleep_budget = timemod.SleepBudget()
        self.modules = {
            "math": mathmod.make_table(),
            "random": randommod.make_table(self.rng),
            "itertools": itertoolsmod.make_table(),
            "functools": functoolsmod.make_table(),
            "collections": collectionsmod.make_table(),
            "typing": typingmod.make_table(),
            "copy": copymod.make_table(hooks),
            "time": timemod.make_table(self.sleep_budget),
            "__future__": futuremod.make_table(),
        }
        self.builtins = pybuiltins.make_builtins(hooks)
        self.method_tables = methods.make_method_tables(hooks)
        self._type_attribute = pybuiltins.make_type_attribute(self.method_tables)
        self._collections = collectionsmod
        self._itertools = itertoolsmod
        self._functools = functoolsmod
        self._random = randommod
        self._PyType = pybuiltins.PyType

    def seed(self, n) -> None:
        """``random.seed(n)`` on this session's generator (``adcli run --seed N``)."""
        self.rng.seed(n)

    def table_for(self, obj):
        """The accessor table (name -> ``obj -> value``) for ``obj``, or None."""
        table = self.method_tables.get(type(obj))
        if table is not None:
            return table
        for cls, t in self._collections.INSTANCE_METHODS:
            if isinstance(obj, cls):
                return t
        if isinstance(obj, _random.Random):
            return self._random.RANDOM_METHODS
        if isinstance(obj, str | list | tuple | dict | set | frozenset):
            for cls in (str, list, tuple, dict, set, frozenset):  # subclasses
                if isinstance(obj, cls) and not isinstance(obj, self._collections.NamedTupleBase):
                    return self.method_tables[cls]
        return None

    def has_table(self, obj) -> bool:
        return (self.table_for(obj) is not None or isinstance(obj, self._PyType)
                or isinstance(obj, self._collections.NamedTupleBase)
                or self._function_table(obj) is not None)

    def _function_table(self, obj):
        if obj is self._itertools.chain:
            return {"from_iterable": lambda f: self._itertools._chain_from_iterable}
        if hasattr(obj, "cache_info") and hasattr(obj, "cache_clear") and callable(obj):
            return self._functools.CACHE_METHODS
        import functools

        if isinstance(obj, functools.partial):
            return self._functools.PARTIAL_ATTRIBUTES
        return None

    def attribute(self, obj, name: str):
        """``obj.name`` for the library's values; AttributeError (adcli's) otherwise."""
        from adcli.errors import TorchAttributeError
        from adcli.lang.pylib._common import type_name

        if isinstance(obj, self._collections.NamedTupleBase):
            return self._collections.namedtuple_attribute(obj, name)
        if isinstance(obj, self._PyType):
            if issubclass(obj._cls, self._collections.NamedTupleBase):
                return self._collections.namedtuple_class_attribute(obj, name)
            return self._type_attribute(obj, name)
        table = self.table_for(obj)
        if table is None:
            table = self._function_table(obj)
        acc = table.get(name) if table is not None else None
        if acc is None:
            raise TorchAttributeError(f"'{type_name(obj)}' object has no attribute '{name}'")
        return acc(obj)


def make_runtime(hooks: Hooks = DEFAULT, seed=None) -> Runtime:
    """A fresh runtime for one session (its own random generator and sleep budget)."""
    return Runtime(hooks, seed)
