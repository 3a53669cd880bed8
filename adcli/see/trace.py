"""``adcli run --trace-grad``: a timeline of every ``.grad`` change across a program.

A ``GradTrace`` watches the program from two places:

- the backward engine's observer (``engine.OBSERVER``): the leaves a pass hands a gradient
  to (and the non-leaf tensors that retain theirs); once the pass is over, each of them
  whose ``.grad`` changed gets an entry ``accumulated`` at the statement that ran the pass
  (``autograd.grad`` hands gradients to no ``.grad``: no entry);
- a per-statement callback (``sites.HOOK``): at each statement's start, the ``.grad`` of
  every tensor seen so far is compared with what it was, and a change belongs to the
  statement that started last: ``set_none`` (``.grad = None``, ``zero_grad()``),
  ``zeroed`` (``.grad.zero_()``, ``zero_grad(set_to_none=False)``), ``assigned`` (a new
  tensor), ``modified`` (changed in place, as by ``clip_grad_norm_``).

Each entry names the statement (its line and text), the tensor (the script's variable
for it at that point, else a module parameter's path such as ``model.fc1.weight``, else
``tensor of shape [3]``), and the new value (up to ``SMALL`` elements) or its norm.

Nothing is installed unless a trace runs; it restores the observer and hook it found.
"""

from __future__ import annotations

import math
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from weakref import ref

import numpy as np

from adcli.engine.autograd import engine as _engine
from adcli.engine.autograd import sites as _sites
from adcli.engine.tensor import Tensor

SMALL = 16  # elements: a new value this small is shown whole, a larger one by its norm
COMPARE_VALUES = 4096  # elements: a .grad this small is also compared by value
MAX_ENTRIES = 10_000  # then entries are counted, not kept
KINDS = {
    "accumulated": "accumulated by backward",
    "set_none": "set to None",
    "zeroed": "zeroed",
    "assigned": "assigned",
    "modified": "modified in place",
}


@dataclass
class Entry:
    """One change of one tensor's ``.grad``."""

    step: int  # 1, 2, ... in the order they happened
    line: int | None
    function: str
    statement: str
    tensor: str  # the user's name for it, or a description
    named: bool  # whether ``tensor`` is a name (else a description)
    kind: str  # a key of KINDS
    shape: tuple
    dtype: str
    value: object = None  # the new .grad as nested lists (SMALL elements at most)
    norm: float | None = None  # the new .grad's 2-norm (None: set to None)

    def to_json(self) -> dict:
        return {"step": self.step, "line": self.line, "function": self.function,
                "statement": self.statement, "tensor": self.tensor, "named": self.named,
                "kind": self.kind, "shape": list(self.shape), "dtype": self.dtype,
                "value": _plain(self.value), "norm": _plain(self.norm)}


def _plain(value):
    """JSON-safe: non-finite floats as the strings nan, inf, -inf (as ``eval --json``)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _state(t) -> tuple:
    """What a tensor's ``.grad`` is now: (the tensor, its array, its version, a copy of a
    small one's values)."""
    g = t._grad
    if g is None:
        return (None, None, 0, None)
    data = g._data
    ver = g._ver[0] if g._ver is not None else 0
    return (g, data, ver, data.copy() if data.size <= COMPARE_VALUES else None)


def _kind(old: tuple, t) -> str | None:
    """How ``t``'s ``.grad`` changed since ``old`` (``_state``), or None if it did not."""
    g = t._grad
    og, odata, over, ocopy = old
    if g is None:
        return None if og is None else "set_none"
    if g is not og:
        return "assigned"
    data = g._data
    ver = g._ver[0] if g._ver is not None else 0
    if data is odata and ver == over and (
            ocopy is None or (data.shape == ocopy.shape and np.array_equal(
                data, ocopy, equal_nan=data.dtype.kind in "fc"))):
        return None
    return "zeroed" if data.size and not data.any() else "modified"


class GradTrace:
    """Records ``Entry``s while installed (``tracing``); an engine observer that passes
    every event on to the observer it found."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.entries: list[Entry] = []
        self.dropped = 0
        self.max_entries = max_entries
        self.inner = None  # the observer found when installed
        self._tracked: dict = {}  # id(tensor) -> [weakref, state]
        self._passes: list = []  # per running pass: {id: tensor} reached
        self._where = None  # the statement started last: (line, col, function)
        self._frame = None  # its runner's frame (for the names in scope there)
        self._busy = False
        self._lines: list = []

    # -- the per-statement callback -------------------------------------------------------
    def statement(self, where) -> None:
        if self._busy:
            return
        if self._tracked:
            self.check()
        self._where = where
        try:
            self._frame = sys._getframe(2)  # mark's caller: the statement's runner
        except ValueError:  # pragma: no cover
            self._frame = None

    def check(self, kind: str | None = None) -> None:
        """Compare every tracked tensor's ``.grad`` with what it was; record the changes
        (as ``kind`` when given, else by how they changed)."""
        changed = []
        dead = []
        for key, item in self._tracked.items():
            t = item[0]()
            if t is None:
                dead.append(key)
                continue
            how = _kind(item[1], t)
            if how is not None:
                item[1] = _state(t)
                changed.append((t, kind or how))
        for key in dead:
            del self._tracked[key]
        if changed:
            self._record(changed)

    def finish(self) -> None:
        """The program ended: the changes its last statement made."""
        if self._tracked:
            self.check()
        self._frame = None

    # -- the engine's observer ------------------------------------------------------------
    def started(self, roots, grads, create) -> None:
        if self._tracked:
            self.check()  # what this statement did before its backward
        self._passes.append({})
        if self.inner is not None:
            self.inner.started(roots, grads, create)

    def ran(self, node, g, grads_in) -> None:
        if node._retain is not None and self._passes:
            t = node._retain()
            if t is not None:
                self._reached(t, before_none=True)
        if self.inner is not None:
            self.inner.ran(node, g, grads_in)

    def passed(self, node, edge, given, conformed) -> None:
        if self.inner is not None:
            self.inner.passed(node, edge, given, conformed)

    def leaf(self, tensor, g) -> None:
        if self._passes:
            self._reached(tensor)
        if self.inner is not None:
            self.inner.leaf(tensor, g)

    def finished(self) -> None:
        reached = self._passes.pop() if self._passes else {}
        changed = []
        for t in reached.values():
            item = self._tracked.get(id(t))
            if item is None or item[0]() is not t:
                continue
            if _kind(item[1], t) is not None:
                item[1] = _state(t)
                changed.append((t, "accumulated"))
        if changed:
            self._record(changed)
        if self.inner is not None:
            self.inner.finished()

    def _reached(self, t, before_none: bool = False) -> None:
        key = id(t)
        item = self._tracked.get(key)
        if item is None or item[0]() is not t:
            # first seen: its .grad now is what it was before this pass (a leaf is
            # reported before its gradient is accumulated; a retained gradient after)
            state = (None, None, 0, None) if before_none else _state(t)
            self._tracked[key] = [ref(t), state]
        self._passes[-1][key] = t

    # -- entries --------------------------------------------------------------------------
    def _record(self, changed: list) -> None:
        room = self.max_entries - len(self.entries)
        if room <= 0:
            self.dropped += len(changed)
            return
        if len(changed) > room:
            self.dropped += len(changed) - room  # the last entries kept come first
            changed = changed[:room]
        self._busy = True
        try:
            names = self._names()
            line, function, text = self._statement()
        finally:
            self._busy = False
        for t, kind in changed:
            name = names.get(id(t))
            g = t._grad
            shape = tuple(t._data.shape)
            dtype = _dtype_name(t._data.dtype)
            value = norm = None
            if g is not None:
                data = g._data
                norm = float(np.linalg.norm(data.astype(np.float64).ravel())) \
                    if data.dtype.kind in "fciub" else None
                if data.size <= SMALL:
                    value = data.tolist()
            self.entries.append(Entry(
                step=len(self.entries) + 1, line=line, function=function,
                statement=text, tensor=name or f"tensor of shape [{', '.join(map(str, shape))}]",
                named=name is not None, kind=kind, shape=shape, dtype=dtype, value=value,
                norm=norm))

    def _statement(self) -> tuple:
        where = self._where
        if where is None:
            return None, "<module>", ""
        line, _col, function = where
        found = _sites.program()
        if found is not None:
            self._lines = found[1]
        lines = self._lines
        text = lines[line - 1].strip() if isinstance(line, int) and \
            1 <= line <= len(lines) else ""
        return line, function, text

    def _names(self) -> dict:
        """id(tensor) -> the user's name for it in the scope of the statement that ran
        last (its function's variables first, then those around it)."""
        frame = self._frame
        scope = frame.f_locals.get("scope") if frame is not None else None
        chain = []
        while isinstance(scope, dict) and len(chain) < 64:
            chain.append(scope)
            scope = getattr(scope, "parent", None)
        out: dict = {}
        for s in chain:
            for name, value in list(dict.items(s)):
                if type(value) is Tensor and _public(name):
                    out.setdefault(id(value), name)
        for s in chain:
            for name, value in list(dict.items(s)):
                if _public(name):
                    _name_inside(out, name, value)
        return out


def _public(name) -> bool:
    return isinstance(name, str) and not name.startswith("__")


def _name_inside(out: dict, name: str, value) -> None:
    """Names for the tensors inside ``value``: a module's parameters (``model.fc.weight``),
    a list's, tuple's or dict's tensors (``params[0]``)."""
    if isinstance(value, list | tuple):
        for i, v in enumerate(value[:64]):
            if type(v) is Tensor:
                out.setdefault(id(v), f"{name}[{i}]")
        return
    if type(value) is dict:
        for k, v in list(value.items())[:64]:
            if type(v) is Tensor and isinstance(k, str | int):
                out.setdefault(id(v), f"{name}[{k!r}]")
        return
    if isinstance(value, type) or not hasattr(type(value), "named_parameters"):
        return
    try:
        for path, p in value.named_parameters():
            out.setdefault(id(p), f"{name}.{path}")
    except Exception:  # noqa: BLE001 - a script's module whose parameters cannot be listed
        pass


def _dtype_name(npdtype) -> str:
    from adcli.engine import dtypes as dt

    d = dt.BY_NP.get(npdtype)
    return str(d).removeprefix("torch.") if d is not None else str(npdtype)


@contextmanager
def tracing(trace: GradTrace | None = None):
    """Trace ``.grad`` changes inside the block; the observer and statement hook found
    are put back after."""
    trace = trace or GradTrace()
    saved_obs, saved_hook = _engine.OBSERVER[0], _sites.HOOK[0]
    trace.inner = saved_obs
    _engine.OBSERVER[0] = trace
    _sites.HOOK[0] = trace.statement
    _sites.acquire()
    try:
        yield trace
    finally:
        try:
            trace.finish()
        finally:
            _engine.OBSERVER[0] = saved_obs
            _sites.HOOK[0] = saved_hook
            _sites.release()


# -- output ---------------------------------------------------------------------------------
def value_text(e: Entry, width: int = 48) -> str:
    from adcli.see.model import short

    if e.kind == "set_none":
        return "None"
    if e.value is not None:
        return short(np.asarray(e.value), width)
    if e.norm is None:
        return ""
    return f"norm {e.norm:.4g}"


def to_json(trace: GradTrace) -> dict:
    return {"entries": [e.to_json() for e in trace.entries], "dropped": trace.dropped}


def rich_view(trace: GradTrace, title: str = "", rich: bool = True):
    """The trace as a table (with ``rich``: boxed and coloured; else plain columns)."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from adcli.diagnostics import printable

    head = Text(f"grad trace{': ' + printable(title) if title else ''}: "
                f"{len(trace.entries) + trace.dropped} change"
                f"{'' if len(trace.entries) + trace.dropped == 1 else 's'} of .grad",
                style="bold" if rich else "")
    if not trace.entries:
        return Group(head, Text("no .grad changed", style="dim" if rich else ""))
    table = Table(box=box.SIMPLE_HEAD if rich else None, show_edge=False, pad_edge=False,
                  show_header=True, header_style="bold" if rich else "")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("line", justify="right", no_wrap=True)
    table.add_column("statement", overflow="fold")
    table.add_column("tensor", overflow="fold")
    table.add_column("change", no_wrap=True)
    table.add_column("new .grad", overflow="fold")
    style = {"accumulated": "green", "set_none": "yellow", "zeroed": "yellow",
             "assigned": "cyan", "modified": "magenta"}
    for e in trace.entries:
        where = "" if e.line is None else str(e.line)
        stmt = printable(e.statement)
        if e.function != "<module>":
            stmt = f"{stmt}  (in {printable(e.function)})"
        table.add_row(str(e.step), where, Text(stmt),
                      Text(printable(e.tensor), style="" if e.named or not rich else "dim"),
                      Text(KINDS[e.kind], style=style.get(e.kind, "") if rich else ""),
                      Text(value_text(e)))
    parts = [head, table]
    if trace.dropped:
        parts.append(Text(f"{trace.dropped} more change(s) not shown (the first "
                          f"{trace.max_entries:,} are kept)"))
    return Group(*parts)
