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


# ---- the host stack, for deep recursion in a script --------------------------------------
# A script's call runs as several Python frames of the interpreter (5 to 15 for plain
# code, more inside deep expressions), some of them C frames of about 0.5-0.7 KiB each.
# CPython's default recursion limit of 1000 script frames therefore needs tens of thousands
# of host frames and tens of MiB of C stack. On Linux the main thread's stack grows up to
# RLIMIT_STACK as it is checked when the stack grows, so the soft limit is raised here
# (the kernel keeps at least 128 MiB free below the stack for it); elsewhere, and in other
# threads, the host recursion limit is sized to the stack there is, so that Python's own
# RecursionError (a LimitError for the script) comes before the C stack runs out.
STACK_BYTES = 96 << 20  # the main thread's stack, when the hard limit allows
BYTES_PER_HOST_FRAME = 2048  # about three times the worst measured (sorted(key=...) loops)
HOST_FRAMES_PER_CALL = 40  # the budget of one script call, in host frames
PYTHON_RECURSION_LIMIT = 1000  # CPython's default sys.getrecursionlimit()
_stack: list = []  # (host recursion limit, deepest script call) once computed


def _main_thread_stack() -> int:
    """The main thread's stack size after raising RLIMIT_STACK to ``STACK_BYTES``."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return 8 << 20
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
        if soft != resource.RLIM_INFINITY and soft < STACK_BYTES and (
                hard == resource.RLIM_INFINITY or hard >= STACK_BYTES):
            resource.setrlimit(resource.RLIMIT_STACK, (STACK_BYTES, hard))
            soft = STACK_BYTES
        elif soft != resource.RLIM_INFINITY and soft < STACK_BYTES:
            resource.setrlimit(resource.RLIMIT_STACK, (hard, hard))
            soft = hard
    except (ValueError, OSError):
        return 8 << 20
    if soft == resource.RLIM_INFINITY:
        return STACK_BYTES
    return min(soft, STACK_BYTES)


def prepare_stack() -> int:
    """Make room for deep recursion in this thread and return the deepest nesting of a
    script's calls that it can hold (at least 200, at most 1200: CPython's 1000 and the
    headroom that ``sys.setrecursionlimit`` may ask for). Sets the host recursion limit."""
    import sys
    import threading

    if threading.current_thread() is threading.main_thread() and sys.platform == "linux":
        stack = _main_thread_stack()
    else:
        stack = threading.stack_size() or (8 << 20)
    host = max(20_000, stack // BYTES_PER_HOST_FRAME)
    calls = max(200, min(1200, host // HOST_FRAMES_PER_CALL))
    if sys.getrecursionlimit() < host:
        sys.setrecursionlimit(host)
    return calls
