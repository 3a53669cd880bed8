"""Resource bounds: every one has a default, an environment variable and a CLI option.

The engine asks ``check_elements`` before it allocates; the interpreter counts steps,
graph nodes and nesting depth against the same object. Hitting a bound raises
``LimitError`` with a message that names the bound and how to raise it.
"""

from __future__ import annotations

import os
from itertools import islice
from operator import length_hint

from adcli.errors import LimitError


class Limits:
    """The bounds in force for one run. 0 disables a bound."""

    DEFAULTS = {
        "max_elements": 100_000_000,  # elements in one tensor (broadcast results included)
        "max_steps": 10_000_000,  # statements and loop iterations in one file
        "max_nodes": 5_000_000,  # grad_fn nodes recorded in one file
        "max_depth": 200,  # nesting depth of one expression or block
        "max_input_bytes": 1_000_000,  # size of one source text
        "max_int_bits": 4096,  # size of a Python integer result (10**10**8 is refused)
        "max_work": 100_000_000_000,  # multiply-adds of one op (m*n*k for a matmul)
        "timeout": 10.0,  # wall-clock seconds per file in batch mode
    }
    __slots__ = tuple(DEFAULTS)

    ENV = {
        "max_elements": "ADCLI_MAX_ELEMENTS",
        "max_steps": "ADCLI_MAX_STEPS",
        "max_nodes": "ADCLI_MAX_NODES",
        "max_depth": "ADCLI_MAX_DEPTH",
        "max_input_bytes": "ADCLI_MAX_INPUT_BYTES",
        "max_int_bits": "ADCLI_MAX_INT_BITS",
        "max_work": "ADCLI_MAX_WORK",
        "timeout": "ADCLI_TIMEOUT",
    }

    def __init__(self, **overrides: float) -> None:
        for name, default in self.DEFAULTS.items():
            setattr(self, name, overrides.pop(name, default))
        if overrides:
            raise TypeError(f"unknown limits: {sorted(overrides)}")

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.DEFAULTS)
        return f"Limits({inner})"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """Defaults, overridden by the ADCLI_* environment variables that are set."""
        environ = os.environ if environ is None else environ
        limits = cls()
        for name, var in cls.ENV.items():
            raw = environ.get(var)
            if raw:
                conv = float if name == "timeout" else int
                try:
                    setattr(limits, name, conv(raw))
                except ValueError:
                    raise LimitError(f"{var}={raw!r} is not a number") from None
        return limits


_current = Limits()


def current() -> Limits:
    """The bounds in force now."""
    return _current


def install(limits: Limits) -> None:
    """Make ``limits`` the bounds in force."""
    global _current
    _current = limits


def check_elements(count: int, shape: tuple[int, ...] | None = None) -> None:
    """Refuse a tensor of ``count`` elements before it is allocated."""
    bound = _current.max_elements
    if bound and count > bound:
        what = f" of shape {list(shape)}" if shape is not None else ""
        raise LimitError(
            f"a tensor{what} would have {count:,} elements, over the limit of {bound:,} "
            f"(raise it with --max-elements or ADCLI_MAX_ELEMENTS)"
        )


def check_work(count: int, what) -> None:
    """Refuse one op that would do more than the work bound (multiply-adds) before it runs.

    The element bound caps what an op allocates; this caps how long one op computes: a
    matmul of two matrices within the element bound can still take minutes. ``what``
    names the op: a string, or a function that makes one (hot paths don't format a
    message that is almost never shown).
    """
    bound = _current.max_work
    if bound and count > bound:
        if callable(what):
            what = what()
        raise LimitError(
            f"{what} would take {count:,} multiply-adds, over the limit of {bound:,} "
            f"(raise it with --max-work or ADCLI_MAX_WORK)"
        )


def size_hint(iterable) -> int:
    """How many items ``iterable`` will give: its len() when it has one, else its length
    hint (a range iterator, zip, enumerate and a tensor's rows give one), else -1."""
    try:
        if hasattr(type(iterable), "__len__"):
            return len(iterable)
        return length_hint(iterable, -1)
    except OverflowError:  # range(10**30): too long for len()
        return 2**63
    except TypeError:  # len() of a 0-d tensor: iterating it says what is wrong
        return -1


def bounded_items(iterable, what: str) -> list:
    """``list(iterable)``, refused beyond the Python-object bound: a tenth of the element
    bound, since each Python object costs about ten times a float32 element. A sized
    iterable is refused on its length before anything is built; any other one is read
    lazily, at most one item past the bound."""
    bound = _current.max_elements // 10
    if not bound:
        return list(iterable)
    n = size_hint(iterable)
    if n > bound:
        raise _objects_error(what, f"{n:,}", bound)
    if hasattr(type(iterable), "__len__"):
        return list(iterable)
    items = list(islice(iterable, bound + 1))
    if len(items) > bound:
        raise _objects_error(what, f"more than {bound:,}", bound)
    return items


def _objects_error(what: str, count: str, bound: int) -> LimitError:
    return LimitError(f"{what} of {count} items is over the limit of {bound:,} (a tenth of "
                      "--max-elements / ADCLI_MAX_ELEMENTS)")
