"""One session's Python runtime: its modules, builtins and attribute tables."""

from __future__ import annotations

import random as _random

from adcli.lang.pylib import AVAILABLE_MODULES
from adcli.lang.pylib._common import TYPE_TABLES as _TYPE_TABLES
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

    def __init__(self, hooks: Hooks = DEFAULT, seed=None, context=None) -> None:
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
        from adcli.lang.pylib._common import RunContext

        self.hooks = hooks
        self.context = context if context is not None else RunContext()
        self.rng = _random.Random(seed)
        self.sleep_budget = timemod.SleepBudget()
        self.modules = LazyModules(self._lazy_builders(), {
            "math": mathmod.make_table(),
            "random": randommod.make_table(self.rng),
            "itertools": itertoolsmod.make_table(),
            "functools": functoolsmod.make_table(),
            "collections": collectionsmod.make_table(),
            "typing": typingmod.make_table(),
            "copy": copymod.make_table(hooks),
            "time": timemod.make_table(self.sleep_budget),
            "__future__": futuremod.make_table(),
        })
        self.builtins = pybuiltins.make_builtins(hooks)
        self.method_tables = methods.make_method_tables(hooks)
        self._type_attribute = pybuiltins.make_type_attribute(self.method_tables)
        self._collections = collectionsmod
        self._itertools = itertoolsmod
        self._functools = functoolsmod
        self._random = randommod
        self._PyType = pybuiltins.PyType

    def _lazy_builders(self) -> dict:
        """The modules built when a program first imports them (their stdlib imports
        cost startup time): import name -> ``() -> table``."""
        def build(name, *args):
            def make():
                # an import statement's machinery (not importlib's), so that the audit
                # hooks see which module a lazy import loads
                mod = getattr(__import__("adcli.lang.pylib", fromlist=[name]), name)
                return mod.make_table(*args)

            return make

        return {
            "sys": build("sysmod", self.context),
            "operator": build("operatormod", self.hooks),
            "string": build("stringmod", self.hooks),
            "statistics": build("statisticsmod"),
            "json": build("jsonmod", self.hooks),
            "warnings": build("warningsmod", self.context),
            "dataclasses": build("dataclassesmod", self.hooks),
            "pprint": build("pprintmod", self.context),
            "textwrap": build("textwrapmod"),
            "io": build("iomod"),
            "contextlib": build("contextlibmod"),
            "os": build("osmod"),
            "enum": build("enummod"),
            "re": build("remod"),
            "abc": build("abcmod"),
            "types": build("typesmod"),
            "heapq": build("heapqmod"),
            "bisect": build("bisectmod"),
            "timeit": build("timeitmod"),
            "pathlib": build("pathlibmod"),
            "logging": build("loggingmod", self.context),
            "traceback": build("tracebackmod", self.context),
            "argparse": build("argparsemod", self.context),
            "datetime": build("datetimemod"),
            "glob": build("globmod"),
            "csv": build("csvmod"),
            "numbers": build("numbersmod"),
            "os.path": lambda: self.modules["os"]["path"].members,
            # matplotlib.pyplot is the table the matplotlib module holds as "pyplot"
            "matplotlib": build("matplotlibmod", self.context),
            "matplotlib.pyplot": lambda: self.modules["matplotlib"]["pyplot"].members,
            "tqdm": build("tqdmmod", self.context),
            **{f"tqdm.{sub}": (lambda sub=sub: self.modules["tqdm"][sub].members)
               for sub in ("auto", "notebook", "std", "autonotebook")},
        }

    def seed(self, n) -> None:
        """``random.seed(n)`` on this session's generator (``adcli run --seed N``)."""
        self.rng.seed(n)

    def table_for(self, obj):
        """The accessor table (name -> ``obj -> value``) for ``obj``, or None."""
        table = self.method_tables.get(type(obj))
        if table is not None:
            return table
        table = _TYPE_TABLES.get(type(obj))
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


def make_runtime(hooks: Hooks = DEFAULT, seed=None, context=None) -> Runtime:
    """A fresh runtime for one session (its own random generator and sleep budget)."""
    return Runtime(hooks, seed, context)


class LazyModules(dict):
    """Module tables, some built on first use. Iterating (``items()``, ``keys()``, ...)
    builds them all, so that tools and tests see every member."""

    def __init__(self, builders: dict, tables: dict) -> None:
        super().__init__(tables)
        self._builders = builders

    def __missing__(self, key):
        make = self._builders.get(key)
        if make is None:
            raise KeyError(key)
        table = self[key] = make()
        return table

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or key in self._builders

    def get(self, key, default=None):
        return self[key] if key in self else default

    def _all(self) -> None:
        for key in self._builders:
            if not dict.__contains__(self, key):
                self[key]

    def __iter__(self):
        self._all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._all()
        return dict.__len__(self)

    def keys(self):
        self._all()
        return dict.keys(self)

    def values(self):
        self._all()
        return dict.values(self)

    def items(self):
        self._all()
        return dict.items(self)
