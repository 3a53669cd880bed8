"""Run many cell scripts: in this process, or in isolated worker processes (``--jobs``).

One file's failure never costs another: each file gets a fresh session, and an isolated
file runs in a forked worker with an address-space limit that is killed at its
wall-clock bound. A worker writes its transcript to a spool file, never into the parent's
memory; the parent copies each spool to stdout in file order, each file whole. One file's
transcript is bounded (``max_output_bytes``) in every mode.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from adcli import programs
from adcli.diagnostics import printable, shorten, show_path, source_lines
from adcli.errors import LimitError
from adcli.limits import Limits
from adcli.notebook import NotebookError

OK, RAISED, UNREADABLE, INTERNAL, TIMEOUT = "ok", "raised", "unreadable", "internal", "timeout"
# Cells marked '# %% raises KIND': every error was expected (EXPECTED), or a marked cell
# ran without its error or raised another kind (UNMET).
EXPECTED, UNMET = "expected", "unmet"
UNWRITABLE = "unwritable"  # --to: the export could not be written
_WATCHDOG_DELAY = 0.5  # after the bound, so that the interpreter's own check comes first
_KILL_GRACE = 2.0  # after the bound, before the parent kills a worker that has not reported
_SPAWN_START_S = 10.0  # more for a spawned worker: a fresh interpreter imports adcli first
_STATUS = {OK: 0, EXPECTED: 0, RAISED: 1, UNMET: 1, TIMEOUT: 1, UNREADABLE: 2,
           UNWRITABLE: 2, INTERNAL: 3}
MAX_OUTPUT_BYTES = 10_000_000  # one file's stdout and stderr together (0: no bound)
_CHUNK = 16384  # characters per spool record (at most 64 KiB of UTF-8)
_FLUSH_AT = 1 << 16  # bytes a worker buffers before it writes to its spool
_FLUSH_EVERY = 0.01  # or seconds: a worker killed in a long statement keeps what it printed


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


def display_name(path: str) -> str:
    """How a file is named in messages: ``<stdin>`` for ``-``, else escaped."""
    return "<stdin>" if path == "-" else show_path(path)


def read_source(path: str, max_bytes: int) -> str:
    """The text of ``path`` (``-`` is stdin), bounded in size."""
    try:
        if path == "-":
            if sys.stdin is None:
                raise SourceError("cannot read <stdin>: stdin is closed", unreadable=True)
            data = sys.stdin.buffer.read(max_bytes + 1 if max_bytes else -1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(max_bytes + 1 if max_bytes else -1)
    except OSError as exc:
        raise SourceError(f"cannot read {display_name(path)}: {exc.strerror or exc}",
                          unreadable=True) from None
    except ValueError as exc:  # a NUL in the name, or a closed stdin object
        raise SourceError(f"cannot read {display_name(path)}: {printable(str(exc))}",
                          unreadable=True) from None
    if max_bytes and len(data) > max_bytes:
        raise SourceError(
            f"the file is larger than {max_bytes:,} bytes (raise the bound with "
            "--max-input-bytes or ADCLI_MAX_INPUT_BYTES)", pos=(1, 1), kind="LimitError")
    return decode_source(data)


# ---- one file's output, bounded ---------------------------------------------------------
class _StopFile(BaseException):
    """Ends a file's run past every handler of the interpreter (its output is full)."""


class _OutputFailed(BaseException):
    """Writing the transcript failed (a closed pipe): carried out of the interpreter."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def _size(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


class Transcript:
    """One file's stdout and stderr writers, bounded together at ``max_bytes`` (0: none).

    A write to stdout that would pass the bound raises LimitError, which ends its cell
    as any error does; that cell's error line and diagnostic still go out, and then the
    file stops. Diagnostics alone passing the bound stop the file with a note.
    """

    def __init__(self, out, err, max_bytes: int, name: str) -> None:
        self._out, self._err = out, err
        self.max_bytes = max_bytes
        self.name = name
        self.used = 0
        self.over = False  # the bound was hit: one error line may still go out
        self.stopped = False

    def _write(self, write, text: str) -> None:
        try:
            write(text)
        except OSError as exc:
            raise _OutputFailed(exc) from None

    def out(self, text: str) -> None:
        if self.stopped:
            raise _StopFile
        if self.over:  # the line that reports the LimitError below
            self.stopped = True
            self._write(self._out, text)
            return
        size = _size(text)
        if self.max_bytes and self.used + size > self.max_bytes:
            self.over = True
            raise LimitError(
                f"the transcript is over {self.max_bytes:,} bytes; the file was stopped "
                "(raise the bound with --max-output-bytes or ADCLI_MAX_OUTPUT_BYTES)")
        self.used += size
        self._write(self._out, text)

    def err(self, text: str) -> None:
        if self.over or self.stopped:  # the diagnostic of the LimitError, then stop
            self.stopped = True
            self._write(self._err, text)
            raise _StopFile
        size = _size(text)
        if self.max_bytes and self.used + size > self.max_bytes:
            self.stopped = True
            self._write(self._err, f"adcli: {self.name}: the diagnostics are over "
                        f"{self.max_bytes:,} bytes; the file was stopped (raise the bound "
                        "with --max-output-bytes or ADCLI_MAX_OUTPUT_BYTES)\n")
            raise _StopFile
        self.used += size
        self._write(self._err, text)


def run_file(path: str, limits: Limits, out, err, deadline: float | None = None,
             max_output_bytes: int = MAX_OUTPUT_BYTES, seen: dict | None = None) -> str:
    """Run one file, writing its transcript to ``out``; return its outcome.

    ``seen["lines"]`` gets the source lines once the file is read (for a watchdog).
    A failed write to ``out`` or ``err`` raises its OSError (BrokenPipeError, ...).
    """
    from adcli.diagnostics import format_diagnostic

    name = display_name(path)
    try:
        text = read_source(path, limits.max_input_bytes)
    except SourceError as exc:
        if exc.unreadable:
            err(f"adcli: {exc}\n")
            return UNREADABLE
        out(f"{exc.kind}: {exc}\n")
        err(format_diagnostic(name, exc.lines, exc.pos, exc.kind, str(exc)))
        return RAISED
    if seen is not None:
        seen["lines"] = source_lines(text)
    transcript = Transcript(out, err, max_output_bytes, name)
    kind = programs.kind_of(path, FILE_OPTIONS.kind)
    recorder = None
    write_out, write_err = transcript.out, transcript.err
    if FILE_OPTIONS.export is not None:  # --to: each cell's source and outputs, recorded
        from adcli.export import Recorder

        recorder = Recorder()

        def write_out(text: str) -> None:
            transcript.out(text)
            recorder.out(text)

        def write_err(text: str) -> None:
            transcript.err(text)
            recorder.err(text)

    outcome = _run_kind(kind, text, name, limits, transcript, write_out, write_err,
                        deadline, _cell_hook(transcript.out, recorder), err)
    if recorder is not None:
        outcome = _export(recorder, path, name, kind, outcome, err)
    return outcome


def _run_kind(kind: str, text: str, name: str, limits: Limits, transcript: Transcript,
              out, err, deadline: float | None, hook, report_err) -> str:
    """Run a file's text as its kind, through ``out`` and ``err``; its outcome."""
    from adcli.engine import api
    from adcli.lang.interpreter import Session
    from adcli.lang.pylib import numpy_subset

    seed = FILE_OPTIONS.seed
    api.reset_state()  # grad mode, default device, print options: as a fresh process's
    numpy_subset.reset_printoptions()  # numpy's are process-wide too (np.set_printoptions)
    try:
        if kind == "adc":
            api.manual_seed(0 if seed is None else seed)
            session = Session(limits=limits, out=out)
            session.deadline = deadline
            report = session.run_cells(text, name, err=err, echo=hook)
        else:
            # .py and notebooks: torch's generator starts from a random seed, as in
            # PyTorch, unless --seed gives one (which seeds random and numpy too)
            api.manual_seed(int.from_bytes(os.urandom(8), "little") if seed is None else seed)
            run = programs.run_python if kind == "py" else programs.run_notebook
            source = text if kind == "py" else text.encode("utf-8")
            report = run(source, name, limits, out, err, seed=seed, deadline=deadline,
                         echo=hook)
    except NotebookError as exc:
        report_err(f"adcli: {name}: {exc}\n")
        return UNREADABLE
    except _StopFile:
        return RAISED
    except _OutputFailed as exc:
        raise exc.error from None
    if report.internal:
        return INTERNAL
    code = getattr(report, "exit_code", None)  # sys.exit(n) in a .py program
    if code is not None:
        return OK if code == 0 else f"exit:{code}"
    if any(e.kind == "LimitError" and "longer than" in str(e) for e in report.errors):
        return TIMEOUT
    if transcript.over:
        return RAISED
    unmet = getattr(report, "unmet", 0)
    if report.failed > unmet:
        return RAISED
    if unmet:
        return UNMET
    return EXPECTED if getattr(report, "expected", 0) else OK


def _export(recorder, path: str, name: str, kind: str, outcome: str, err) -> str:
    """Write ``--to``'s export of one file; a failure to write is this file's outcome."""
    from adcli import export

    fmt, out, several = FILE_OPTIONS.export
    target = export.output_path(out, path, fmt, several)
    try:
        export.write(fmt, target, recorder.shown(), name, kind)
    except OSError as exc:
        err(f"adcli: {name}: cannot write {show_path(target)}: {exc.strerror or exc}\n")
        return UNWRITABLE
    return outcome


@dataclass
class FileOptions:
    """How ``run_file`` runs every file of this run: ``--as KIND`` and ``--seed N``.

    Set once by ``run_files`` before any worker is forked (workers inherit it)."""

    kind: str | None = None  # None: from each file's suffix
    seed: int | None = None
    echo: bool = False  # --echo: each cell's source before its output
    export: tuple[str, str, bool] | None = None  # --to: (format, OUT, several files)


def echo_text(count: int, source: str) -> str:
    """A cell's source as an IPython console shows it: ``In [N]: `` then ``   ...: ``
    before each further line; trailing blank lines left out; a blank line before every
    cell but the first."""
    lines = source.rstrip().split("\n")
    while len(lines) > 1 and not lines[0].strip():
        del lines[0]
    prompt = f"In [{count}]: "
    more = " " * (len(prompt) - 5) + "...: "
    shown = [prompt + lines[0]] + [(more + line).rstrip() for line in lines[1:]]
    return ("\n" if count > 1 else "") + "\n".join(shown) + "\n"


def _cell_hook(out, recorder=None):
    """The callback a file's run calls before each cell (None without --echo or --to):
    under ``--echo`` it shows the source, numbering cells in the order they run, as a
    notebook's execution counts; under ``--to`` it starts the recorder's next cell."""
    if not FILE_OPTIONS.echo and recorder is None:
        return None
    count = [0]

    def hook(_where: int, source: str) -> None:
        count[0] += 1
        if recorder is not None:
            recorder.start(source)
        if FILE_OPTIONS.echo:
            try:
                out(echo_text(count[0], source))
            except LimitError as exc:  # the transcript's bound: say so, stop the file
                out(f"LimitError: {exc}\n")
                raise _StopFile from None

    return hook


FILE_OPTIONS = FileOptions()


def _stderr_writer():
    def err(text: str) -> None:
        sys.stdout.flush()
        sys.stderr.write(text)
        sys.stderr.flush()

    return err


class ErrorsOnce:
    """Writers for stdout and stderr when both are one terminal: an error line on stdout
    (``Kind: message``) is held, and dropped when the next write is its diagnostic on
    stderr (which repeats it, with the position), so a person reads each error once.
    Anything else written first lets the held line out, in order. Never used when either
    stream is piped or redirected: the transcript on stdout stays whole."""

    def __init__(self, out, err) -> None:
        self._out, self._err = out, err
        self._held: str | None = None

    def out(self, text: str) -> None:
        self.release()
        if _ONE_ERROR_LINE.match(text):
            self._held = text
            return
        self._out(text)

    def err(self, text: str) -> None:
        held, self._held = self._held, None
        if held is not None and held.rstrip("\n") not in text:
            self._out(held)
        self._err(wrap_at_words(text))

    def release(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            self._out(held)


def wrap_at_words(text: str, width: int | None = None) -> str:
    """A diagnostic for a terminal: each message line (one that does not start with a
    space: the source line and its caret do, and keep their columns) longer than the
    terminal is wrapped at word boundaries, its continuation indented, rather than cut
    mid-word by the terminal."""
    import shutil
    import textwrap

    width = width or shutil.get_terminal_size((100, 24)).columns
    if width < 20 or all(len(line) <= width for line in text.split("\n")):
        return text
    out = []
    for line in text.split("\n"):
        if len(line) <= width or line[:1].isspace():
            out.append(line)
            continue
        out += textwrap.wrap(line, width=width, subsequent_indent="  ",
                             break_on_hyphens=False) or [line]
    return "\n".join(out)


_ONE_ERROR_LINE = re.compile(r"^(?:[A-Za-z_][A-Za-z0-9_]*\.)*[A-Za-z_][A-Za-z0-9_]*"
                             r"(?:Error|Exception|Warning|Interrupt|Exit)(?::[^\n]*)?\n$")


def same_terminal(out=None, err=None) -> bool:
    """Are stdout and stderr the same terminal (a person reads both, interleaved)?"""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    try:
        if not (out.isatty() and err.isatty()):
            return False
        a, b = os.fstat(out.fileno()), os.fstat(err.fileno())
    except (AttributeError, OSError, ValueError):
        return False
    return (a.st_dev, a.st_ino, a.st_rdev) == (b.st_dev, b.st_ino, b.st_rdev)


def run_files(files: list[str], limits: Limits, jobs: int = 1, quiet: bool = False, *,
              untrusted: bool = False, timeout_given: bool = False,
              max_output_bytes: int = MAX_OUTPUT_BYTES, kind: str | None = None,
              seed: int | None = None, echo: bool = False,
              export: tuple[str, str] | None = None) -> int:
    """Run every file; print transcripts in order and a summary; return the exit status.

    Batch mode (several files, or ``jobs`` > 1) bounds each file's wall-clock time by
    ``limits.timeout``; a single file has that bound only when ``timeout_given`` or
    ``untrusted``. A wall-clock bound can stop a long numpy call only by killing its
    process, so bounded files run in forked workers (in batch mode unless stdin is one of
    them); ``untrusted`` runs every file, stdin included, in a worker.
    """
    FILE_OPTIONS.kind, FILE_OPTIONS.seed, FILE_OPTIONS.echo = kind, seed, echo
    FILE_OPTIONS.export = (*export, len(files) > 1) if export else None
    batch = len(files) > 1 or jobs > 1
    timeout = limits.timeout if (batch or untrusted or timeout_given) else 0
    if untrusted:
        isolated = True
    elif batch:
        isolated = len(files) > 1 and bool(jobs > 1 or timeout) and "-" not in files
    else:
        isolated = bool(timeout)
    err = _stderr_writer()
    write = sys.stdout.write
    once = None
    if same_terminal():  # an error shown once, not as a line and then its diagnostic
        once = ErrorsOnce(write, err)
        write, err = once.out, once.err
    outcomes: list[str] = [UNREADABLE] * len(files)

    def header(path: str) -> None:
        if batch and not quiet:
            err(f"==> {show_path(path)} <==\n")

    if isolated:
        def show(index: int, result: _Result) -> None:
            header(files[index])
            result.replay(write, err)
            outcomes[index] = result.outcome

        _run_isolated(files, limits, timeout, jobs, max_output_bytes, show)
    else:
        for index, path in enumerate(files):
            header(path)
            deadline = time.monotonic() + timeout if timeout else None
            outcomes[index] = run_file(path, limits, write, err, deadline,
                                       max_output_bytes)
    if once is not None:
        once.release()
    sys.stdout.flush()
    if batch and not quiet:
        err(summary(files, outcomes))
    return max(_status(o) for o in outcomes) if outcomes else 0


def _status(outcome: str) -> int:
    """The exit status of one file's outcome (``exit:N``: the program's sys.exit(N))."""
    if outcome.startswith("exit:"):
        return int(outcome[5:])
    return _STATUS[outcome]


def summary(files: list[str], outcomes: list[str]) -> str:
    """One paragraph: how many files ran cleanly (or as expected: every error in a cell
    marked '# %% raises KIND'), and which did not and why."""
    clean = sum(o == OK for o in outcomes)
    expected = sum(o == EXPECTED for o in outcomes)
    good = clean + expected
    if expected:
        head = (f"{good} ran as expected ({expected} with only the errors their cells "
                f"expect), {len(files) - good} did not")
    else:
        head = f"{clean} ran cleanly, {len(files) - clean} did not"
    lines = [f"adcli run: {len(files)} files: {head}"]
    for path, outcome in zip(files, outcomes):
        if outcome not in (OK, EXPECTED):
            why = {RAISED: "raised an error", TIMEOUT: "timed out",
                   UNMET: "a cell marked 'raises' did not raise the error it expects",
                   UNREADABLE: "could not be read",
                   UNWRITABLE: "its --to export could not be written",
                   INTERNAL: "hit an internal error"}.get(
                outcome) or f"exited with status {_status(outcome)}"
            lines.append(f"  {show_path(path)}: {why}")
    return "\n".join(lines) + "\n"


# ---- isolated workers -----------------------------------------------------------------
@dataclass
class _Result:
    """A finished file: its outcome, its spool (written by its worker) and what the
    parent adds after it (why a worker was killed)."""

    outcome: str
    spool: object = None  # a binary temporary file of records, or None
    extra: list[tuple[bytes, str]] = field(default_factory=list)

    def replay(self, out, err) -> None:
        """Copy the records to ``out`` and ``err`` in the order they were written, a
        record (at most 64 KiB) at a time; a record torn by a kill ends the replay."""
        spool, self.spool = self.spool, None
        if spool is not None:
            with spool:
                spool.seek(0)
                while True:
                    head = spool.read(5)
                    if len(head) < 5:
                        break
                    size = int.from_bytes(head[1:], "big")
                    data = spool.read(size)
                    if len(data) < size:
                        break
                    (out if head[:1] == b"o" else err)(data.decode("utf-8", "surrogatepass"))
        for tag, text in self.extra:
            (out if tag == b"o" else err)(text)

    def discard(self) -> None:
        if self.spool is not None:
            self.spool.close()
            self.spool = None


class _Spool:
    """A worker's transcript: records (b"o" or b"e", a 4-byte length, UTF-8) written to
    the spool file that the parent reads once the worker is done."""

    def __init__(self, fd: int, conn, started: float) -> None:
        self.fd = fd
        self.conn = conn
        self.started = started
        self.buffer = bytearray()
        self.lock = threading.Lock()
        self.done = False
        self.flushed = -_FLUSH_EVERY

    def _add(self, tag: bytes, text: str) -> None:
        for start in range(0, len(text), _CHUNK):
            data = text[start:start + _CHUNK].encode("utf-8", "surrogatepass")
            self.buffer += tag + len(data).to_bytes(4, "big") + data
        if len(self.buffer) >= _FLUSH_AT or time.monotonic() - self.flushed >= _FLUSH_EVERY:
            self._flush()

    def _flush(self) -> None:
        self.flushed = time.monotonic()
        data, self.buffer = bytes(self.buffer), bytearray()
        view = memoryview(data)
        while view:
            view = view[os.write(self.fd, view):]

    def out(self, text: str) -> None:
        with self.lock:
            if not self.done:
                self._add(b"o", text)

    def err(self, text: str) -> None:
        with self.lock:
            if not self.done:
                self._add(b"e", text)

    def finish(self, outcome: str, out: str = "", err: str = "") -> None:
        """Write the last records and report (outcome, seconds run) to the parent, once."""
        with self.lock:
            if self.done:
                return
            self.done = True
            try:
                if out:
                    self._add(b"o", out)
                if err:
                    self._add(b"e", err)
                self._flush()
            except OSError as exc:
                outcome = INTERNAL
                self.buffer = bytearray()
                try:
                    self._add(b"e", f"adcli: cannot spool the transcript: {exc.strerror}\n")
                    self._flush()
                except OSError:
                    pass
            self.conn.send((outcome, time.monotonic() - self.started))
            self.conn.close()


def _child(path: str, limits: Limits, timeout: float, max_output_bytes: int, fd: int,
           conn, parent: int) -> None:
    """In a forked worker: run one file into the spool, report its outcome."""
    import signal

    from adcli.sandbox_process import address_space_cap, die_with_parent, limit_address_space

    started = time.monotonic()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    die_with_parent(parent)
    quiet = os.open(os.devnull, os.O_WRONLY)  # nothing of a worker's reaches the terminal
    os.dup2(quiet, 1)
    os.dup2(quiet, 2)
    os.close(quiet)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the worker's life
    limit_address_space(address_space_cap(limits.max_elements))
    spool = _Spool(fd, conn, started)
    seen: dict = {}
    if timeout:
        _start_watchdog(path, timeout, spool, seen)
    try:
        outcome = run_file(path, limits, spool.out, spool.err,
                           started + timeout if timeout else None, max_output_bytes, seen)
    except MemoryError:
        spool.finish(RAISED, out="LimitError: out of memory\n")
        return
    except BaseException as exc:  # noqa: BLE001 - report, never hang the parent
        message = printable(shorten(str(exc)))
        spool.finish(INTERNAL, err=f"{display_name(path)}: internal error: "
                     f"{type(exc).__name__}: {message}\n")
        return
    spool.finish(outcome)


def _start_watchdog(path: str, timeout: float, spool: _Spool, seen: dict) -> None:
    """Stop a worker whose one statement runs past the wall-clock bound, naming the
    line it was on (the interpreter checks the bound only between statements)."""
    main = threading.get_ident()

    def fire() -> None:
        from adcli.diagnostics import format_diagnostic
        from adcli.sandbox_process import innermost_position

        name = display_name(path)
        if "lines" not in seen:  # still waiting to read it: a FIFO with no writer, a tty
            spool.finish(UNREADABLE, err=f"adcli: cannot read {name}: nothing could be read "
                         f"within {timeout:g} s (a FIFO or terminal with no writer?)\n")
            os._exit(0)
        pos, _ = innermost_position(sys._current_frames().get(main))
        message = f"the file ran longer than {timeout:g} s and was stopped"
        spool.finish(TIMEOUT, out=f"LimitError: {message}\n",
                     err=format_diagnostic(name, seen["lines"], pos, "LimitError", message))
        os._exit(0)

    watchdog = threading.Timer(timeout + _WATCHDOG_DELAY, fire)
    watchdog.daemon = True
    watchdog.start()


@dataclass(eq=False)
class _Job:
    index: int
    pid: int
    conn: object
    spool: object
    kill_at: float | None
    process: object = None  # a spawned worker's multiprocessing.Process; None: forked


def _run_isolated(files: list[str], limits: Limits, timeout: float, jobs: int,
                  max_output_bytes: int, show) -> None:
    """Run each file in a forked worker, at most ``jobs`` at a time; call ``show(index,
    result)`` in file order, each as soon as it and every file before it are done."""
    from multiprocessing.connection import wait

    # Import what the workers need once, so each fork starts warm: the interpreter, and the
    # torch namespaces that a one-shot command imports only when a script reaches them.
    import adcli.engine.api  # noqa: F401
    import adcli.lang.interpreter  # noqa: F401
    from adcli.lang import names

    names.load_all()

    results: list[_Result | None] = [None] * len(files)
    pending = deque(range(len(files)))
    running: dict[object, _Job] = {}
    stdin_taken = False
    shown = 0
    # Files done but not yet shown (waiting for a slow one before them) each hold a spool:
    # run at most this far ahead, which bounds open files and spooled bytes.
    window = 4 * jobs + 16
    try:
        while pending or running:
            while pending and len(running) < jobs and pending[0] - shown < window:
                index = pending.popleft()
                if files[index] == "-":
                    if stdin_taken:
                        results[index] = _Result(UNREADABLE, extra=[
                            (b"e", "adcli: cannot read <stdin> twice\n")])
                        continue
                    stdin_taken = True
                job = _start(index, files[index], limits, timeout, max_output_bytes, running)
                running[job.conn] = job
            if running:
                now = time.monotonic()
                kills = [j.kill_at for j in running.values() if j.kill_at is not None]
                wait(list(running), timeout=max(0.0, min(kills) - now) if kills else None)
            for conn, job in list(running.items()):
                if conn.poll():  # it reported (even long ago, while the parent was busy)
                    results[job.index] = _collect(job, files[job.index])
                elif job.kill_at is not None and time.monotonic() > job.kill_at:
                    results[job.index] = _kill(job, files[job.index], timeout)
                else:
                    continue
                del running[conn]
            while shown < len(files) and results[shown] is not None:
                result, results[shown] = results[shown], None
                shown += 1
                show(shown - 1, result)
    finally:
        for job in running.values():
            _kill(job, files[job.index], timeout).discard()
        for result in results:
            if result is not None:
                result.discard()


def _start(index: int, path: str, limits: Limits, timeout: float, max_output_bytes: int,
           running: dict) -> _Job:
    """Fork a worker for one file, with its spool file and its result pipe (or spawn one,
    where that is the start method: ``sandbox_process.start_method``)."""
    import tempfile
    from multiprocessing.connection import Pipe

    from adcli.sandbox_process import start_method

    if start_method() == "spawn":
        return _start_spawned(index, path, limits, timeout, max_output_bytes)

    spool = tempfile.TemporaryFile()
    reader, writer = Pipe(duplex=False)
    sys.stdout.flush()
    sys.stderr.flush()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the worker: it never returns into the parent's code
        code = 0
        try:
            reader.close()
            for other in running.values():
                other.conn.close()
            _child(path, limits, timeout, max_output_bytes, spool.fileno(), writer, parent)
        except BaseException:  # noqa: BLE001
            code = 70
        finally:
            os._exit(code)
    writer.close()
    kill_at = time.monotonic() + timeout + _KILL_GRACE if timeout else None
    return _Job(index, pid, reader, spool, kill_at)


class _NamedSpool:
    """A spawned worker's spool: a named temporary file (the worker opens it by name),
    removed when closed. Reads as ``_Result.replay`` reads a spool."""

    def __init__(self) -> None:
        import tempfile

        fd, self.path = tempfile.mkstemp(prefix="adcli-spool-")
        self.file = os.fdopen(fd, "w+b")

    def seek(self, offset: int) -> int:
        return self.file.seek(offset)

    def read(self, size: int) -> bytes:
        return self.file.read(size)

    def close(self) -> None:
        self.file.close()
        try:
            os.unlink(self.path)
        except OSError:
            pass

    def __enter__(self) -> _NamedSpool:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _start_spawned(index: int, path: str, limits: Limits, timeout: float,
                   max_output_bytes: int) -> _Job:
    """Start a worker for one file in a fresh interpreter (multiprocessing's spawn): it
    gets this run's options (``FILE_OPTIONS``, ``--plots``) and opens its spool by name."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    spool = _NamedSpool()
    reader, writer = context.Pipe(duplex=False)
    # multiprocessing gives a worker /dev/null for stdin: pass the real one (POSIX)
    stdin = _Stdin() if path == "-" and sys.platform != "win32" else None
    plots = sys.modules.get("adcli.lang.pylib.matplotlibmod")
    plots_dir = plots._PLOTS.get("dir") if plots is not None else None  # type: ignore[attr-defined]
    sys.stdout.flush()
    sys.stderr.flush()
    process = context.Process(
        target=_spawned_child,
        args=(path, limits, timeout, max_output_bytes, spool.path, writer, os.getpid(),
              FILE_OPTIONS, plots_dir, stdin),
        name="adcli-run-worker", daemon=True)
    try:
        process.start()
    except BaseException:
        spool.close()
        raise
    finally:
        writer.close()
    kill_at = time.monotonic() + timeout + _KILL_GRACE + _SPAWN_START_S if timeout else None
    return _Job(index, process.pid or 0, reader, spool, kill_at, process)


class _Stdin:
    """This process's stdin, as a spawned worker's argument: pickled while the worker is
    being started, it arrives as a duplicate of the descriptor (an int)."""

    def __reduce__(self):
        from multiprocessing.reduction import DupFd

        return (_detach, (DupFd(0),))  # type: ignore[attr-defined]


def _detach(duplicate) -> int:
    return duplicate.detach()


def _spawned_child(path: str, limits: Limits, timeout: float, max_output_bytes: int,
                   spool_path: str, conn, parent: int, options: FileOptions,
                   plots_dir: str | None, stdin) -> None:
    """In a spawned worker: take the parent's options, then run as a forked one does."""
    FILE_OPTIONS.kind, FILE_OPTIONS.seed = options.kind, options.seed
    FILE_OPTIONS.echo, FILE_OPTIONS.export = options.echo, options.export
    if plots_dir is not None:
        from adcli.lang.pylib.matplotlibmod import set_plots_dir

        set_plots_dir(plots_dir)
    if path == "-":
        sys.stdin = None if stdin is None else os.fdopen(stdin, "r")
    fd = os.open(spool_path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_BINARY", 0))
    _child(path, limits, timeout, max_output_bytes, fd, conn, parent)


def _reap(job: _Job) -> str:
    """Wait for a worker that has ended; say how, if it did not end normally."""
    from adcli.sandbox_process import exit_description, reap

    job.conn.close()
    if job.process is not None:
        process = job.process
        process.join()  # type: ignore[attr-defined]
        how = exit_description(process.exitcode)  # type: ignore[attr-defined]
        process.close()  # type: ignore[attr-defined]
        return how
    return reap(job.pid)


def _collect(job: _Job, path: str) -> _Result:
    """The result a worker reported, or why it died without one."""
    try:
        outcome, _seconds = job.conn.recv()
    except Exception:  # noqa: BLE001 - EOF, or a message torn by its death
        how = _reap(job)
        return _Result(INTERNAL, job.spool, [
            (b"e", f"{display_name(path)}: the worker died ({how}); a resource bound "
                   "(memory?) was probably hit\n")])
    _reap(job)
    return _Result(outcome, job.spool)


def _kill(job: _Job, path: str, timeout: float) -> _Result:
    """Kill a worker that has not reported within its bound and a grace."""
    import signal

    try:
        if job.process is not None:
            job.process.kill()  # type: ignore[attr-defined]
        else:
            os.kill(job.pid, signal.SIGKILL)
    except (ProcessLookupError, OSError):
        pass
    _reap(job)
    return _Result(TIMEOUT, job.spool, [
        (b"o", f"LimitError: the file ran longer than {timeout:g} s and was stopped\n"),
        (b"e", f"{display_name(path)}: killed after {timeout:g} s\n")])
