"""``time``: clocks, and a ``sleep`` whose total per session is bounded."""

from __future__ import annotations

import time as _time

from adcli import limits as _limits
from adcli.errors import LimitError, TorchTypeError, TorchValueError
from adcli.lang import pyformat

SLEEP_BUDGET = 10.0  # seconds of sleep per session at most (less under a shorter --timeout)
_DIRECTIVES = set("aAbBcdHIjmMpSUwWxXyYzZ%")


class SleepBudget:
    __slots__ = ("left",)

    def __init__(self, seconds: float | None = None) -> None:
        if seconds is None:
            timeout = _limits.current().timeout
            seconds = min(SLEEP_BUDGET, timeout) if timeout else SLEEP_BUDGET
        self.left = seconds


def make_sleep(budget: SleepBudget):
    def sleep(secs):
        if not isinstance(secs, int | float) and not hasattr(type(secs), "__float__"):
            raise TorchTypeError(f"'{type(secs).__name__}' object cannot be interpreted as "
                                 "an integer or float")
        secs = float(secs)
        if secs != secs:
            raise TorchValueError("Invalid value NaN (not a number)")
        if secs < 0:
            raise TorchValueError("sleep length must be non-negative")
        if secs > budget.left:
            raise LimitError(f"time.sleep({secs:g}) is over what is left of the sleep budget "
                             f"({budget.left:.3g} of {SLEEP_BUDGET:g} s per run)")
        budget.left -= secs
        _time.sleep(secs)

    return sleep


def strftime(format, t=None):  # noqa: A002 - Python's name
    """``time.strftime`` of the current local time, with the common directives only."""
    if not isinstance(format, str):
        raise TorchTypeError(f"strftime() argument 1 must be str, not {type(format).__name__}")
    pyformat.check_size(len(format) * 32)
    i = 0
    while i < len(format):
        if format[i] == "%":
            if i + 1 >= len(format) or format[i + 1] not in _DIRECTIVES:
                raise TorchValueError(f"strftime directive {format[i:i + 2]!r} is not "
                                      "supported in adcli")
            i += 2
        else:
            i += 1
    if t is not None:
        raise TorchTypeError("strftime() takes the current time only in adcli")
    return _time.strftime(format)


def make_table(budget: SleepBudget) -> dict:
    return {
        "time": _time.time, "time_ns": _time.time_ns, "perf_counter": _time.perf_counter,
        "perf_counter_ns": _time.perf_counter_ns, "monotonic": _time.monotonic,
        "monotonic_ns": _time.monotonic_ns, "process_time": _time.process_time,
        "process_time_ns": _time.process_time_ns, "sleep": make_sleep(budget),
        "strftime": strftime, "ctime": lambda: _time.ctime(),
    }
