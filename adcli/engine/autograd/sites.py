"""Where in the user's program each graph node was made.

While a log is on (``start()``: ``adcli explain``/``graph``; ``acquire()``: anomaly
detection, ``run --trace-grad``), the interpreter marks each statement it starts with
``mark(where)``; ``where`` is the language's own record of the place (its line, column
and enclosing function). A node's site is the last statement started before the node was
made, found by its ``_seq``. With ``stacks`` (anomaly detection), a statement inside a
function also records the statements that called it, read from the interpreter's frames
(``stack_of``), and ``program()`` finds the running program's name and lines the same
way. The engine itself never reads the program: this module is the only link.
"""

from __future__ import annotations

import sys
from bisect import bisect_right

from adcli.engine.autograd.graph import graph_clock

# None: off; else [(clock, where), ...] in clock order, or (clock, where, callers) where
# the callers were recorded (``stacks``)
LOG: list = [None]
READS = [0]  # clock values taken by marks (not graph nodes: see Session.nodes_recorded)
_MAX_MARKS = 1_000_000  # then the oldest half goes: a long loop keeps its recent lines
_STARTED = [False]  # start() turned the log on (explain, graph): stop() turns it off
_HOLDERS = [0]  # acquire()d and not yet release()d
_STACKS = [0]  # holders that want the callers of each statement (anomaly detection)
# a callable run at every mark with ``where`` (``run --trace-grad``), or None
HOOK: list = [None]
# the code objects of the interpreter's statement runners, learned from the frames that
# call mark() while stacks are recorded
_RUNNERS: set = set()
_MAX_FRAMES = 2000  # frames walked at most for one statement's callers
_CALLERS_CACHE: list = [None, ()]  # the call frame last walked from, and its callers


def start() -> None:
    _STARTED[0] = True
    if LOG[0] is None:
        LOG[0] = []


def stop() -> None:
    _STARTED[0] = False
    if not _HOLDERS[0]:
        LOG[0] = None


def active() -> bool:
    return LOG[0] is not None


def acquire(stacks: bool = False) -> None:
    """Hold the log on (counted: each ``acquire`` is undone by one ``release``)."""
    _HOLDERS[0] += 1
    if stacks:
        _STACKS[0] += 1
    if LOG[0] is None:
        LOG[0] = []


def release(stacks: bool = False) -> None:
    """Undo one ``acquire``; the log goes off when nothing holds it any more."""
    if _HOLDERS[0] > 0:
        _HOLDERS[0] -= 1
    if stacks and _STACKS[0] > 0:
        _STACKS[0] -= 1
        if not _STACKS[0]:
            _CALLERS_CACHE[:] = [None, ()]
    if not _HOLDERS[0] and not _STARTED[0]:
        LOG[0] = None


def mark(where) -> None:
    """The interpreter starts a statement at ``where`` (called only while a log is on)."""
    log = LOG[0]
    if log is None:
        return
    READS[0] += 1
    if len(log) >= _MAX_MARKS:
        del log[:_MAX_MARKS // 2]
    if _STACKS[0]:
        frame = sys._getframe(1)
        _RUNNERS.add(frame.f_code)
        if where[2] != "<module>":
            log.append((graph_clock(), where, _callers(frame, where)))
        else:
            log.append((graph_clock(), where))
    else:
        log.append((graph_clock(), where))
    hook = HOOK[0]
    if hook is not None:
        hook(where)


def returned() -> None:
    """A script function returned (or raised) to its caller: the statement running is the
    caller's again, for the nodes made next (``f(x).sum()``'s sum is the caller's). Only
    recorded with stacks; the interpreter calls it only while a log is on."""
    log = LOG[0]
    if not log or not _STACKS[0]:
        return
    last = log[-1]
    callers = last[2] if len(last) > 2 else None
    if not callers:
        return
    READS[0] += 1
    if len(callers) > 1:
        log.append((graph_clock(), callers[-1], callers[:-1]))
    else:
        log.append((graph_clock(), callers[-1]))


def site_of(node):
    """The ``where`` of the statement that made ``node``, or None if unknown."""
    entry = _entry(node)
    return None if entry is None else entry[1]


def stack_of(node):
    """The statements that were running when ``node`` was made, outermost first (the
    calls that led to the one that made it, then that one), or None if unknown."""
    entry = _entry(node)
    if entry is None:
        return None
    return (*entry[2], entry[1]) if len(entry) > 2 else (entry[1],)


def _entry(node):
    log = LOG[0]
    seq = getattr(node, "_seq", None)
    if not log or seq is None:
        return None
    i = bisect_right(log, seq, key=lambda entry: entry[0])
    return log[i - 1] if i else None


def _site(frame):
    """The statement a runner frame is running: ``(line, col, function)``, or None."""
    local = frame.f_locals
    site = local.get("site")  # a single statement's runner
    if site is None:  # a block's runner: the statement it is at, and its function
        pos, where = local.get("pos"), local.get("where")
        if pos is None or where is None:
            return None
        site = (*pos, where)
    return site


def _callers(frame, where) -> tuple:
    """The statements that called the function whose statement ``frame`` runs, outermost
    first: per call level, the innermost statement running in it. A level ends at a
    ``__call__`` frame (a script function's, or a module's) or a change of function."""
    f = frame.f_back
    # the frames up to the innermost call are few (the blocks this statement is nested
    # in); past it, the callers are the same for every statement of that call, so they
    # are kept for the next statement
    walked = 0
    while f is not None and f.f_code.co_name != "__call__" and walked < 64:
        f = f.f_back
        walked += 1
    if f is not None and f.f_code.co_name == "__call__":
        if _CALLERS_CACHE[0] is f:
            return _CALLERS_CACHE[1]
        found = _walk(f, where[2], True)
        _CALLERS_CACHE[0], _CALLERS_CACHE[1] = f, found
        return found
    return _walk(frame.f_back, where[2], False)


def _walk(f, function: str, crossed: bool) -> tuple:
    out = []
    walked = 0
    while f is not None and walked < _MAX_FRAMES:
        code = f.f_code
        if code in _RUNNERS:
            site = _site(f)
            if site is not None and (crossed or site[2] != function):
                out.append(site)
                function = site[2]
                crossed = False
        elif code.co_name == "__call__":
            crossed = True
        f = f.f_back
        walked += 1
    out.reverse()
    return tuple(out)


def program():
    """``(filename, lines)`` of the program the interpreter is running now, from its
    frames: the name its warnings use and its source lines; None outside a program."""
    f = sys._getframe(1)
    found = None
    walked = 0
    while f is not None and walked < _MAX_FRAMES:
        code = f.f_code
        name = code.co_name
        if code in _RUNNERS or (name == "run" and "session" in code.co_freevars):
            state = getattr(f.f_locals.get("session"), "library_state", None)
            context = getattr(state, "context", None)
            lines = getattr(context, "lines", None)
            if lines:
                return getattr(context, "filename", None) or "<string>", list(lines)
        elif name == "run_cells" and "lines" in code.co_varnames:
            local = f.f_locals
            return local.get("filename") or "<stdin>", local.get("lines") or []
        elif name == "exec_source" and found is None and "text" in code.co_varnames:
            local = f.f_locals
            text = local.get("text")
            if isinstance(text, str):
                found = (local.get("filename") or "<string>", text.splitlines())
        f = f.f_back
        walked += 1
    return found
