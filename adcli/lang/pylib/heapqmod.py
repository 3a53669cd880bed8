"""``heapq``: Python's own heap functions on a script's lists (grown within the
Python-object bound; iterables read metered)."""

from __future__ import annotations

import heapq as _hq

from adcli.errors import TorchTypeError
from adcli.lang.pylib._common import bounded_list, check_objects, type_name


def _heap(heap, fn: str) -> list:
    if not isinstance(heap, list):
        raise TorchTypeError(f"{fn}() argument 1 must be list, not {type_name(heap)}")
    return heap


def heappush(heap, item):
    check_objects(len(_heap(heap, "heappush")) + 1, "heapq.heappush() heap")
    return _hq.heappush(heap, item)


def heappop(heap):
    if not _heap(heap, "heappop"):
        from adcli.errors import TorchIndexError

        raise TorchIndexError("index out of range")
    return _hq.heappop(heap)


def heappushpop(heap, item):
    return _hq.heappushpop(_heap(heap, "heappushpop"), item)


def heapreplace(heap, item):
    if not _heap(heap, "heapreplace"):
        from adcli.errors import TorchIndexError

        raise TorchIndexError("index out of range")
    return _hq.heapreplace(heap, item)


def heapify(heap):
    return _hq.heapify(_heap(heap, "heapify"))


def nlargest(n, iterable, key=None):
    return _hq.nlargest(n, bounded_list(iterable, "heapq.nlargest() data"), key=key)


def nsmallest(n, iterable, key=None):
    return _hq.nsmallest(n, bounded_list(iterable, "heapq.nsmallest() data"), key=key)


def merge(*iterables, key=None, reverse=False):
    lists = [bounded_list(it, "heapq.merge() data") for it in iterables]
    check_objects(sum(map(len, lists)), "heapq.merge() data")
    return iter(list(_hq.merge(*lists, key=key, reverse=reverse)))


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
    return {"heappush": heappush, "heappop": heappop, "heappushpop": heappushpop,
            "heapreplace": heapreplace, "heapify": heapify, "nlargest": nlargest,
            "nsmallest": nsmallest, "merge": merge}
