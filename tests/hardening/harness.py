"""Run hostile input and watch for leaks: audit events, written files, tracebacks.

Every in-process run is recorded with a ``sys.addaudithook`` hook. A run must not import
a module (other than adcli's and numpy's own lazy imports), open a file for writing,
start a process, touch the network, compile or exec Python code, or reach for frames
and object internals. ``assert_rejected`` checks one error's kind, position, message
and diagnostic, and that nothing leaked.
"""

from __future__ import annotations

import difflib  # noqa: F401 - imported lazily by the interpreter's NameError hint
import fractions  # noqa: F401 - imported lazily by engine/fma.py (its exact fallback)
import os
import resource
import sys
import time
import tracemalloc
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np

import adcli
import adcli.diagnostics  # noqa: F401 - imported lazily by run_cells
import adcli.lang.library
import adcli.lang.pylib.numpy_subset
from adcli import limits as limits_mod
from adcli.lang.interpreter import Session
from adcli.limits import Limits

# The runtime library and numpy's random module import stdlib modules (collections,
# secrets, ...) on first use; load them here, as the difflib above, so that the audit
# sees only what a script itself causes.
adcli.lang.library.shared_runtime()
adcli.lang.pylib.numpy_subset.make_numpy()

FILENAME = "<hostile>"
_ALLOWED_IMPORT_ROOTS = ("adcli", "numpy")
_ALLOWED_CODE_DIRS = tuple(
    os.path.dirname(os.path.abspath(m.__file__)) for m in (adcli, np)
)
# Events that only an import may cause; tolerated while adcli or numpy import lazily.
_IMPORT_NOISE = {"exec", "compile", "marshal.loads", "os.listdir", "sys._getframe",
                 "object.__setattr__", "open", "os.scandir"}
_FORBIDDEN_PREFIXES = (
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
    "os.kill", "os.remove", "os.unlink", "os.rename", "os.replace", "os.mkdir", "os.rmdir",
    "os.chmod", "os.chown", "os.truncate", "os.symlink", "os.link", "os.putenv",
    "os.unsetenv", "os.listdir", "os.scandir", "os.walk", "os.chdir", "subprocess.",
    "shutil.", "socket.", "urllib.", "http.", "ftplib.", "smtplib.", "ctypes.", "cffi.",
    "compile", "exec", "builtins.input", "sys._getframe", "sys.settrace", "sys.setprofile",
    "sys.addaudithook", "code.__new__", "function.__new__", "object.__getattr__",
    "object.__setattr__", "object.__delattr__", "pickle.", "marshal.", "glob.",
    "webbrowser.", "sqlite3.", "tempfile.", "import", "open",
)

_recording: list | None = None


def _audit(event: str, args: tuple) -> None:
    if _recording is not None and not event.startswith(("id", "gc.")):
        _recording.append((event, args))


sys.addaudithook(_audit)


def _writes(args: tuple) -> bool:
    mode = args[1] if len(args) > 1 else None
    flags = args[2] if len(args) > 2 else 0
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    return bool(isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))


def _in_allowed_code(obj) -> bool:
    name = getattr(obj, "co_filename", obj if isinstance(obj, str) else "")
    return isinstance(name, str) and name.startswith(_ALLOWED_CODE_DIRS)


def leaks(events: list) -> list[str]:
    """The recorded audit events that a sandboxed run must never cause."""
    imports = [a[0] for e, a in events if e == "import"]
    lazy = bool(imports) and all(str(m).split(".")[0] in _ALLOWED_IMPORT_ROOTS for m in imports)
    bad = []
    for event, args in events:
        if event == "import":
            if str(args[0]).split(".")[0] not in _ALLOWED_IMPORT_ROOTS:
                bad.append(f"import {args[0]}")
            continue
        if event == "open":
            if _writes(args):
                bad.append(f"open {args[0]!r} for writing")
            elif not lazy:
                bad.append(f"open {args[0]!r}")
            continue
        if lazy and event in _IMPORT_NOISE:
            if event in ("exec", "compile") and not _in_allowed_code(args[-1] if event ==
                                                                       "compile" else args[0]):
                bad.append(f"{event} of code outside adcli/numpy")
            continue
        if event.startswith(_FORBIDDEN_PREFIXES):
            bad.append(event)
    return bad


@dataclass
class Outcome:
    """What one run did: its errors, transcript, diagnostics, audit events and cost."""

    errors: list = field(default_factory=list)
    out: str = ""
    err: str = ""
    internal: int = 0
    events: list = field(default_factory=list)
    elapsed: float = 0.0  # CPU seconds of the run (not wall time, which load inflates)
    peak_bytes: int = 0

    @property
    def error(self):
        assert len(self.errors) == 1, f"expected one error, got {self.errors!r}\n{self.err}"
        return self.errors[0]


def run_script(text: str, *, trace_memory: bool = False, **bounds) -> Outcome:
    """Run ``text`` as ``adcli run`` does (cells), under ``bounds``, recording everything."""
    global _recording
    previous = limits_mod.current()
    out: list[str] = []
    err: list[str] = []
    events: list = []
    session = Session(limits=Limits(**bounds), out=out.append)
    if trace_memory:
        tracemalloc.start()
    start = time.process_time()  # CPU time: a busy machine does not inflate it
    _recording = events
    try:
        report = session.run_cells(text, FILENAME, err=err.append)
    finally:
        _recording = None
        elapsed = time.process_time() - start
        peak = tracemalloc.get_traced_memory()[1] if trace_memory else 0
        if trace_memory:
            tracemalloc.stop()
        limits_mod.install(previous)
    return Outcome(list(report.errors), "".join(out), "".join(err), report.internal, events,
                   elapsed, peak)


def assert_no_leak(o: Outcome) -> None:
    """No traceback, no internal error, no forbidden audit event."""
    assert "Traceback" not in o.out and "Traceback" not in o.err, o.err
    assert o.internal == 0, o.err
    assert "internal error" not in o.err, o.err
    assert not leaks(o.events), leaks(o.events)


def assert_rejected(o: Outcome, kind: str, pos: tuple[int, int], contains: str = "",
                    caret: bool = True) -> None:
    """One error of ``kind`` at ``pos``, reported on both streams with a caret, no leak."""
    assert_no_leak(o)
    e = o.error
    assert (e.kind, e.pos) == (kind, pos), f"{e.kind} at {e.pos}: {e}"
    assert contains in str(e), str(e)
    assert f"{kind}: {str(e).splitlines()[0]}\n" in o.out
    head = f"{FILENAME}:{pos[0]}:{pos[1]}: {kind}: "
    assert head in o.err, o.err
    shown = o.err.split(head, 1)[1].splitlines()
    if caret:  # the source line, unprintable characters escaped, then a caret
        assert len(shown) >= 3 and shown[2].strip() == "^", o.err
        assert all(ch.isprintable() for ch in shown[1]), repr(shown[1])


@contextmanager
def address_space_cap(extra_bytes: int = 1 << 30):
    """Lower this process's soft address-space limit to what it maps now plus
    ``extra_bytes``, then put it back: a real-size attack that gets past a bound fails with
    a MemoryError instead of taking the machine's memory."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        with open("/proc/self/status") as f:
            used = next(int(line.split()[1]) * 1024 for line in f
                        if line.startswith("VmSize:"))
    except (OSError, StopIteration):  # not Linux: run uncapped (the tests still measure)
        yield
        return
    cap = used + extra_bytes
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
