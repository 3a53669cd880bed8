"""``numbers``: the numeric tower's abstract classes, for ``isinstance`` checks."""

from __future__ import annotations

import numbers as _numbers


def make_table() -> dict:
    from adcli.lang.pylib.pybuiltins import TYPES, _register

    return {name: TYPES.get(getattr(_numbers, name)) or _register(
        getattr(_numbers, name), f"numbers.{name}", None)
        for name in ("Number", "Complex", "Real", "Rational", "Integral")}
