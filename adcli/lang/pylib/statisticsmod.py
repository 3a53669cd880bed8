"""``statistics``: Python's own functions on a bounded list of the data.

The data is read within a tenth of the Python-object bound (10^6 items by default; one
call then stays well under a second), endless iterators stop at the step bound, and
``quantiles`` makes at most the object bound of cut points.
"""

from __future__ import annotations

import statistics as _st

from adcli.errors import TorchTypeError
from adcli.lang.pylib._common import (
    bounded_list,
    check_objects,
    object_bound,
    objects_error,
    register_type,
    stdlib_error,
)

_ONE_DATA = ("mean", "fmean", "geometric_mean", "harmonic_mean", "median", "median_low",
             "median_high", "median_grouped", "mode", "multimode", "quantiles", "stdev",
             "pstdev", "variance", "pvariance")
_TWO_DATA = ("correlation", "covariance", "linear_regression")


def _data(data, fn: str) -> list:
    if isinstance(data, (int, float)) or data is None:
        raise TorchTypeError(f"'{type(data).__name__}' object is not iterable")
    items = bounded_list(data, f"{fn}() data")
    bound = object_bound() // 10
    if bound and len(items) > bound:
        raise objects_error(f"statistics.{fn}() data", len(items), bound)
    return items


def _wrap(name: str):
    fn = getattr(_st, name)  # a fixed name
    two = name in _TWO_DATA

    def call(*args, **kwargs):
        args = list(args)
        for i in range(2 if two else 1):
            if i < len(args):
                args[i] = _data(args[i], name)
        if "weights" in kwargs and kwargs["weights"] is not None:
            kwargs["weights"] = _data(kwargs["weights"], name)
        if name == "quantiles":
            n = kwargs.get("n", 4)
            if isinstance(n, int):
                check_objects(n, "quantiles() cut points")
        try:
            result = fn(*args, **kwargs)
        except _st.StatisticsError as exc:
            raise stdlib_error(exc) from None
        except AttributeError as exc:  # pstdev(data, mu=nan): Python's own AttributeError
            from adcli.errors import TorchAttributeError

            raise TorchAttributeError(str(exc)) from None
        if name == "linear_regression":
            cls = type(result)
            if cls not in _REGISTERED:
                _REGISTERED.add(cls)
                register_type(cls, {"slope": lambda r: r.slope,
                                    "intercept": lambda r: r.intercept,
                                    "count": lambda r: r.count, "index": lambda r: r.index})
        return result

    call.__name__ = call.__qualname__ = name
    return call


_REGISTERED: set = set()


def make_table() -> dict:
    return {name: _wrap(name) for name in _ONE_DATA + _TWO_DATA if hasattr(_st, name)}
