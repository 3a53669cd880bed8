"""Run many cell scripts: in this process, or in isolated worker processes (``--jobs``).

One file's failure never costs another: each file gets a fresh session, and with
``--jobs N`` each runs in a forked worker that is killed at its wall-clock bound.
"""

from __future__ import annotations

import os
import sys
import threading
import time

from adcli.diagnostics import source_lines
from adcli.limits import Limits

OK, RAISED, UNREADABLE, INTERNAL, TIMEOUT = "ok", "raised", "unreadable", "internal", "timeout"
_WATCHDOG_DELAY = 0.5  # after the bound, so that the interpreter's own check comes first
_STATUS = {OK: 0, RAISED: 1, TIMEOUT: 1, UNREADABLE: 2, INTERNAL: 3}


class SourceError(Exception):
    """A file that cannot be read, or bytes that are not UTF-8 text."""

    def __init__(self, message: str, pos: tuple[int, int] | None = None,
                 unreadable: bool = False, kind: str = "SyntaxError") -> None:
        super().__init__(message)
        self.pos = pos
        self.unreadable = unreadable
        self.kind = kind
        self.lines: list[str] = []  # the text around ``pos``, undecodable bytes escaped


def decode_source(data: bytes) -> str:
    """UTF-8 text from bytes (a BOM is dropped); invalid bytes are reported by offset."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        before = source_lines(data[bom: exc.start].decode("utf-8"))  # valid up to the error
        error = SourceError(
            f"invalid UTF-8 at byte offset {exc.start} (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8",
            pos=(len(before), len(before[-1]) + 1),
        )
        error.lines = source_lines(data[bom:].decode("utf-8", "backslashreplace"))
        raise error from None
    return text[1:] if text.startswith("\ufeff") else text


def read_source(path: str, max_bytes: int) -> str:
    """The text of ``path`` (``-`` is stdin), bounded in size."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(max_bytes + 1 if max_bytes else -1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1 if max_bytes else -1)
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}", unreadable=True) from None
    if max_bytes and len(data) > max_bytes:
        raise SourceError(
            f"the file is larger than {max_bytes:,} bytes (raise the bound with "
            "--max-input-bytes or ADCLI_MAX_INPUT_BYTES)", pos=(1, 1), kind="LimitError")
    return decode_source(data)


def run_file(path: str, limits: Limits, out, err, deadline: float | None = None) -> str:
    """Run one file, writing its transcript to ``out``; return its outcome."""
    from adcli.diagnostics import format_diagnostic
    from adcli.engine import api
    from adcli.lang.interpreter import Session

    name = "<stdin>" if path == "-" else path
    try:
        text = read_source(path, limits.max_input_bytes)
    except SourceError as exc:
        if exc.unreadable:
            err(f"adcli: {exc}\n")
            return UNREADABLE
        out(f"{exc.kind}: {exc}\n")
        err(format_diagnostic(name, exc.lines, exc.pos, exc.kind, str(exc)))
        return RAISED
    api.manual_seed(0)
    session = Session(limits=limits, out=out)
    session.deadline = deadline
    report = session.run_cells(text, name, err=err)
    if report.internal:
        return INTERNAL
    if any(e.kind == "LimitError" and "longer than" in str(e) for e in report.errors):
        return TIMEOUT
    return RAISED if report.failed else OK


def _stderr_writer():
    def err(text: str) -> None:
        sys.stdout.flush()
        sys.stderr.write(text)
        sys.stderr.flush()

    return err


def run_files(files: list[str], limits: Limits, jobs: int = 1, quiet: bool = False) -> int:
    """Run every file; print transcripts in order and a summary; return the exit status."""
    batch = len(files) > 1 or jobs > 1
    err = _stderr_writer()
    outcomes: list[str] = []
    # A wall-clock bound can stop a long numpy call only by killing its process: in batch
    # mode every file runs in a worker, unless stdin is one of them.
    isolated = len(files) > 1 and (jobs > 1 or limits.timeout) and "-" not in files
    if isolated:
        results = _run_parallel(files, limits, jobs)
        for path, (outcome, out_text, err_text) in zip(files, results):
            if batch and not quiet:
                err(f"==> {path} <==\n")
            sys.stdout.write(out_text)
            if err_text:
                err(err_text)
            outcomes.append(outcome)
    else:
        out = sys.stdout.write
        for path in files:
            if batch and not quiet:
                err(f"==> {path} <==\n")
            deadline = time.monotonic() + limits.timeout if batch and limits.timeout else None
            outcomes.append(run_file(path, limits, out, err, deadline))
    sys.stdout.flush()
    if batch and not quiet:
        err(summary(files, outcomes))
    return max(_STATUS[o] for o in outcomes) if outcomes else 0


def summary(files: list[str], outcomes: list[str]) -> str:
    """One paragraph: how many files ran cleanly, and which did not and why."""
    clean = sum(o == OK for o in outcomes)
    lines = [f"adcli run: {len(files)} files: {clean} ran cleanly, "
             f"{len(files) - clean} did not"]
    for path, outcome in zip(files, outcomes):
        if outcome != OK:
            why = {RAISED: "raised an error", TIMEOUT: "timed out",
                   UNREADABLE: "could not be read", INTERNAL: "hit an internal error"}[outcome]
            lines.append(f"  {path}: {why}")
    return "\n".join(lines) + "\n"


# ---- isolated workers -----------------------------------------------------------------
def _child(path: str, limits: Limits, conn) -> None:
    """In a forked worker: run one file, send back (outcome, stdout, stderr)."""
    import resource

    out_parts: list[str] = []
    err_parts: list[str] = []
    try:
        cap = max(limits.max_elements * 8 * 8, 2 << 30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ValueError, OSError):
        pass
    lock = threading.Lock()
    sent: list[bool] = []

    def send(outcome: str) -> None:
        with lock:
            if not sent:
                sent.append(True)
                conn.send((outcome, "".join(out_parts), "".join(err_parts)))
                conn.close()

    if limits.timeout:
        _start_watchdog(path, limits.timeout, out_parts, err_parts, send)
    try:
        outcome = run_file(path, limits, out_parts.append, err_parts.append,
                           time.monotonic() + limits.timeout if limits.timeout else None)
    except MemoryError:
        outcome = RAISED
        out_parts.append("LimitError: out of memory\n")
    except BaseException as exc:  # noqa: BLE001 - report, never hang the parent
        outcome = INTERNAL
        err_parts.append(f"{path}: internal error: {type(exc).__name__}: {exc}\n")
    send(outcome)


def _start_watchdog(path: str, timeout: float, out_parts: list, err_parts: list,
                    send) -> None:
    """Stop a worker whose one statement runs past the wall-clock bound, naming the
    line it was on (the interpreter checks the bound only between statements)."""
    main = threading.get_ident()

    def fire() -> None:
        from adcli.diagnostics import format_diagnostic
        from adcli.lang import interpreter

        frame, pos = sys._current_frames().get(main), None
        while frame is not None and pos is None:  # the innermost operation with a position
            if frame.f_code.co_filename == interpreter.__file__:
                found = frame.f_locals.get("pos")
                pos = found if isinstance(found, tuple) else None
            frame = frame.f_back
        message = f"the file ran longer than {timeout:g} s and was stopped"
        try:
            lines = interpreter.source_lines(read_source(path, 0))
        except SourceError:
            lines = []
        out_parts.append(f"LimitError: {message}\n")
        err_parts.append(format_diagnostic(path, lines, pos, "LimitError", message))
        send(TIMEOUT)
        os._exit(0)

    watchdog = threading.Timer(timeout + _WATCHDOG_DELAY, fire)
    watchdog.daemon = True
    watchdog.start()


def _run_parallel(files: list[str], limits: Limits, jobs: int):
    """Run each file in a forked worker; yield (outcome, stdout, stderr) in file order,
    each as soon as it and every file before it are done."""
    import multiprocessing as mp
    from multiprocessing.connection import wait

    # Import what the workers need once, so each fork starts warm.
    import adcli.engine.api  # noqa: F401
    import adcli.lang.interpreter  # noqa: F401

    ctx = mp.get_context("fork")
    results: list = [None] * len(files)
    pending = list(enumerate(files))
    running: dict = {}
    grace = 2.0
    shown = 0
    while pending or running:
        while pending and len(running) < jobs:
            index, path = pending.pop(0)
            if path == "-":
                results[index] = (UNREADABLE, "", "adcli: stdin cannot be read with --jobs\n")
                continue
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_child, args=(path, limits, child), daemon=True)
            proc.start()
            child.close()
            limit = (limits.timeout or 0) + grace
            running[parent] = (index, path, proc, time.monotonic() + limit if limits.timeout
                               else None)
        ready = wait(list(running), timeout=0.1)
        now = time.monotonic()
        for conn in list(running):
            index, path, proc, kill_at = running[conn]
            if conn in ready:
                try:
                    results[index] = conn.recv()
                except (EOFError, OSError):
                    proc.join(1)
                    results[index] = (INTERNAL, "", f"{path}: the worker died "
                                      f"(exit code {proc.exitcode})\n")
            elif kill_at is not None and now > kill_at:
                proc.kill()
                results[index] = (TIMEOUT, "LimitError: the file ran longer than "
                                  f"{limits.timeout:g} s and was stopped\n",
                                  f"{path}: killed after {limits.timeout:g} s\n")
            else:
                continue
            conn.close()
            proc.join(1)
            del running[conn]
        while shown < len(files) and results[shown] is not None:
            yield results[shown]
            shown += 1
    yield from results[shown:]
