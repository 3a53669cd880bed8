"""``timeit``: ``default_timer`` (the clock scripts time their loops with). ``timeit()``
and ``Timer`` run code given as text, which adcli does not do."""

from __future__ import annotations

import time as _time


def make_table() -> dict:
    return {"default_timer": _time.perf_counter}
