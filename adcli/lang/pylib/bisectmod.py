"""``bisect``: Python's own binary search and insertion on a script's lists."""

from __future__ import annotations

import bisect as _bs

from adcli.lang.pylib._common import check_objects


def _insert(fn):
    def call(a, x, lo=0, hi=None, *, key=None):
        if isinstance(a, list):
            check_objects(len(a) + 1, "bisect insort list")
        return fn(a, x, lo, hi, key=key)

    call.__name__ = call.__qualname__ = fn.__name__
    return call


def _search(fn, name):
    def call(a, x, lo=0, hi=None, *, key=None):
        return fn(a, x, lo, hi, key=key)

    call.__name__ = call.__qualname__ = name
    return call


def _guard(fn):
    """``fn`` with the host's TypeError/AttributeError/... as the script's errors."""
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except AttributeError as exc:
            from adcli.errors import TorchAttributeError

            raise TorchAttributeError(str(exc)) from None
        except (TypeError, ValueError, IndexError) as exc:
            from adcli.lang.pylib._common import user_error

            raise user_error(exc) from None

    call.__name__ = call.__qualname__ = fn.__name__
    call.__module__ = __name__
    return call


def make_table() -> dict:
    table = _make_table()
    return {name: _guard(fn) for name, fn in table.items()}


def _make_table() -> dict:
    return {"bisect_left": _search(_bs.bisect_left, "bisect_left"),
            "bisect_right": _search(_bs.bisect_right, "bisect_right"),
            "bisect": _search(_bs.bisect_right, "bisect_right"),
            "insort_left": _insert(_bs.insort_left),
            "insort_right": _insert(_bs.insort_right), "insort": _insert(_bs.insort_right)}
