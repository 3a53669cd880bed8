"""Helpers: run one of our callables and CPython's on the same inputs, compare."""

from __future__ import annotations

import pytest

from adcli import limits
from adcli.errors import AdcliError
from adcli.lang.pylib import make_runtime
from adcli.lang.pylib._common import user_error
from adcli.limits import Limits

_MISSING = object()


def outcome(fn, *args, **kwargs):
    """('ok', value) or (kind, message): what a script sees."""
    try:
        return ("ok", fn(*args, **kwargs))
    except StopIteration:
        return ("StopIteration", "")
    except Exception as exc:  # noqa: BLE001 - mapped as the interpreter maps it
        err = user_error(exc)
        assert isinstance(err, AdcliError), f"not a user error: {type(exc).__name__}: {exc}"
        return (err.kind, str(err))


def py_outcome(fn, *args, **kwargs):
    try:
        return ("ok", fn(*args, **kwargs))
    except StopIteration:
        return ("StopIteration", "")
    except Exception as exc:  # noqa: BLE001
        return (type(exc).__name__, str(exc).strip("'") if isinstance(exc, KeyError)
                else str(exc))


def same(ours, theirs, *args, **kwargs):
    a = outcome(ours, *args, **kwargs)
    b = py_outcome(theirs, *args, **kwargs)
    if a[0] == "KeyError":
        a = (a[0], a[1].strip("'"))
    assert a == b, f"{a!r} != {b!r} for args {args!r} {kwargs!r}"
    return a[1]


def refused(fn, *args, kind="LimitError", **kwargs):
    k, msg = outcome(fn, *args, **kwargs)
    assert k == kind, (k, msg)
    return msg


@pytest.fixture
def rt():
    return make_runtime()


@pytest.fixture
def small_bounds():
    previous = limits.current()
    limits.install(Limits(max_elements=10_000, max_steps=100_000))
    yield
    limits.install(previous)


__all__ = ["outcome", "refused", "same", "rt", "small_bounds", "_MISSING"]
