"""``datetime``: ``date``, ``datetime``, ``time``, ``timedelta``, ``timezone`` (UTC).

The values are Python's own (immutable, printed and compared by Python); a script reads
their attributes and methods through the tables below, and calls the classes' own
constructors (``datetime.now()``, ``date.today()``, ``fromisoformat``, ...) through
``class_attribute`` (``strptime`` is not provided). ``strftime`` formats (and
f-string specs) take the common directives only (as ``time.strftime``), bounded in size.
"""

from __future__ import annotations

import datetime as _dt

from adcli.errors import TorchAttributeError, TorchTypeError
from adcli.lang.pylib._common import PyType, register_type


def checked_strftime(value, format) -> str:  # noqa: A002 - Python's name
    """``value.strftime(format)`` with the common directives only, bounded in size."""
    from adcli.errors import TorchValueError
    from adcli.lang.pyformat import check_size
    from adcli.lang.pylib.timemod import _DIRECTIVES

    if not isinstance(format, str):
        raise TorchTypeError(f"strftime() argument 1 must be str, not "
                             f"{type(format).__name__}")
    check_size(len(format) * 32)
    i = 0
    while i < len(format):
        if format[i] == "%":
            if i + 1 >= len(format) or format[i + 1] not in _DIRECTIVES | {"f"}:
                raise TorchValueError(f"strftime directive {format[i:i + 2]!r} is not "
                                      "supported in adcli")
            i += 2
        else:
            i += 1
    return value.strftime(format)


def _strftime(value):
    return lambda format: checked_strftime(value, format)  # noqa: A002


def _methods(names):
    return {n: (lambda o, n=n: getattr(o, n)) for n in names}


_TD = ("days", "seconds", "microseconds", "total_seconds")
_DATE = ("year", "month", "day", "weekday", "isoweekday", "isoformat", "isocalendar",
         "replace", "toordinal", "ctime")
_TIME = ("hour", "minute", "second", "microsecond", "tzinfo", "isoformat", "replace",
         "fold", "utcoffset", "tzname")
_DATETIME = _DATE + ("hour", "minute", "second", "microsecond", "tzinfo", "date", "time",
                     "timestamp", "utcoffset", "tzname", "astimezone", "fold", "timetz")

register_type(_dt.timedelta, _methods(_TD))
register_type(_dt.date, {**_methods(_DATE), "strftime": _strftime,
                         })
register_type(_dt.time, {**_methods(_TIME), "strftime": _strftime})
register_type(_dt.datetime, {**_methods(_DATETIME), "strftime": _strftime})
register_type(_dt.timezone, _methods(("utcoffset", "tzname")))

_CLASS = {
    _dt.date: ("today", "fromisoformat", "fromordinal", "fromtimestamp", "min", "max",
               "resolution", "fromisocalendar"),
    _dt.datetime: ("now", "today", "utcnow", "fromisoformat", "fromtimestamp",
                   "utcfromtimestamp", "combine", "min", "max", "resolution",
                   "fromordinal"),
    _dt.time: ("min", "max", "resolution", "fromisoformat"),
    _dt.timedelta: ("min", "max", "resolution"),
    _dt.timezone: ("utc",),
}


class _DateType(PyType):
    """A datetime class: it constructs, ``isinstance`` works, and its alternative
    constructors and constants are members."""

    __slots__ = ()

    def class_attribute(self, name: str):
        if name in _CLASS.get(self._cls, ()):
            return getattr(self._cls, name)
        raise TorchAttributeError(f"type object '{self._name.rsplit('.', 1)[-1]}' has no "
                                  f"attribute '{name}'")


def make_table() -> dict:
    from adcli.lang.pylib.pybuiltins import TYPES

    def pytype(cls, name):
        t = TYPES.get(cls)
        if t is None:
            t = TYPES[cls] = _DateType(cls, f"datetime.{name}", cls)
        return t

    return {"date": pytype(_dt.date, "date"), "datetime": pytype(_dt.datetime, "datetime"),
            "time": pytype(_dt.time, "time"), "timedelta": pytype(_dt.timedelta, "timedelta"),
            "timezone": pytype(_dt.timezone, "timezone"), "MINYEAR": _dt.MINYEAR,
            "MAXYEAR": _dt.MAXYEAR}
