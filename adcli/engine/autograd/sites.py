"""Where in the user's program each graph node was made.

While a log is on (``start()``: anomaly detection, ``adcli explain``/``graph``), the
interpreter marks each statement it starts with ``mark(where)``; ``where`` is the
language's own record of the place (its line, column and enclosing function). A node's
site is the last statement started before the node was made, found by its ``_seq``.
The engine itself never reads the program: this module is the only link.
"""

from __future__ import annotations

from bisect import bisect_right

from adcli.engine.autograd.graph import graph_clock

LOG: list = [None]  # None: off; else [(clock, where), ...] in clock order
READS = [0]  # clock values taken by marks (not graph nodes: see Session.nodes_recorded)
_MAX_MARKS = 1_000_000  # then the oldest half goes: a long loop keeps its recent lines


def start() -> None:
    if LOG[0] is None:
        LOG[0] = []


def stop() -> None:
    LOG[0] = None


def active() -> bool:
    return LOG[0] is not None


def mark(where) -> None:
    """The interpreter starts a statement at ``where`` (called only while a log is on)."""
    log = LOG[0]
    if log is None:
        return
    READS[0] += 1
    if len(log) >= _MAX_MARKS:
        del log[:_MAX_MARKS // 2]
    log.append((graph_clock(), where))


def site_of(node):
    """The ``where`` of the statement that made ``node``, or None if unknown."""
    log = LOG[0]
    seq = getattr(node, "_seq", None)
    if not log or seq is None:
        return None
    i = bisect_right(log, seq, key=lambda entry: entry[0])
    return log[i - 1][1] if i else None
