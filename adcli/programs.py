"""How each kind of file runs: ``.adc`` cell scripts, ``.py`` programs, ``.ipynb`` notebooks.

- ``.adc``: adcli's own dialect (cells, every bare expression displayed, ``^`` as power,
  torch names in scope); ``Session.run_cells`` runs it.
- ``.py``: Python's meaning (SPEC §1). Only what the program prints appears; ``^`` is
  XOR; the builtins are Python's (``sum``, ``max``, ... included) and torch names need
  their imports; ``__name__`` is ``"__main__"``. An uncaught error ends the run: stderr
  gets Python's traceback shape, ending with ``ErrorType: message``, and the outcome is
  "raised" (exit status 1).
- ``.ipynb``: Jupyter's meaning. Code cells run in order in one namespace, as ``.py``
  text; each shows what it printed, then the ``repr`` of its last expression when that is
  not None (a trailing ``;`` hides it). An error ends its cell (``ErrorType: message`` on
  stdout, the traceback on stderr) and the run goes on.

A file's kind comes from its suffix, or from ``adcli run --as KIND``.
"""

from __future__ import annotations

import os

KINDS = ("adc", "py", "ipynb")


def kind_of(path: str, override: str | None = None) -> str:
    """The kind a file runs as: ``override``, else its suffix; stdin and others are adc."""
    if override:
        return override
    suffix = os.path.splitext(path)[1].lower()
    return {".py": "py", ".ipynb": "ipynb"}.get(suffix, "adc")


def python_session(limits, out, seed: int | None = None):
    """A session with Python's meaning (see ``library.use_python_names``), seeded."""
    from adcli.lang import library
    from adcli.lang.interpreter import Session

    session = Session(limits=limits, out=out, dialect="py")
    if seed is not None:
        library.seed(session, seed)
    return session


def traceback_text(filename: str, lines: list[str], error, where: str = "<module>") -> str:
    """Python's traceback shape for an uncaught error at ``error.pos``."""
    from adcli.diagnostics import printable, printable_lines, shorten, show_path
    from adcli.errors import AdcliSyntaxError
    from adcli.lang.suggestions import hint

    message = str(error) + hint(error)  # ". Did you mean: 'x'?", as CPython 3.11 adds it
    last = f"{error.kind}: {message}" if message else error.kind
    last = printable_lines(shorten(last))
    name = show_path(filename)
    if isinstance(error, AdcliSyntaxError) and error.pos:  # a parse error: no frames
        line_no, col = error.pos
        text = lines[line_no - 1] if 1 <= line_no <= len(lines) else ""
        shown = printable(text.strip())
        indent = len(text) - len(text.lstrip())
        caret = " " * max(0, col - 1 - indent) + "^"
        if error.kind == "TabError" or str(error) == "unexpected indent":
            return f'  File "{name}", line {line_no}\n    {shown}\n{last}\n'  # no caret
        return f'  File "{name}", line {line_no}\n    {shown}\n    {caret}\n{last}\n'
    head = "Traceback (most recent call last):\n"
    for frame, line_no in _frames(error, where):
        if frame is None:  # a run of the same frame, as CPython folds it
            head += f"  [Previous line repeated {line_no} more times]\n"
            continue
        text = lines[line_no - 1].strip() if 1 <= line_no <= len(lines) else ""
        head += f'  File "{name}", line {line_no}, in {frame}\n'
        if text:
            head += f"    {printable(shorten(text, 200))}\n"
    return head + last + "\n"


def _frames(error, where: str) -> list:
    """``(function, line)`` from the outermost frame in, for the traceback: the lines the
    error passed in each function it left (recorded by the interpreter), the innermost
    being where it was raised. More than three repeats of a frame fold into one
    ``(None, count)`` entry, and at most 100 frames are shown."""
    d = getattr(error, "__dict__", {})
    inner = list(reversed(d.get("frames") or []))
    top = d.get("_line") or (error.pos[0] if error.pos else None)
    if top is None and not inner:
        return []
    entries = [(where, top)] if top is not None else []
    entries += [(f, ln) for f, ln in inner if ln is not None]
    out: list = []
    run = 0
    for entry in entries:
        if out and out[-1] == entry:
            run += 1
            if run >= 3:
                continue
        else:
            if run >= 3:
                out.append((None, run - 2))
            run = 0
        out.append(entry)
    if run >= 3:
        out.append((None, run - 2))
    return out[:50] + ([(None, len(out) - 100)] if len(out) > 100 else []) + (
        out[-50:] if len(out) > 100 else out[50:])


class Outcome:
    """What running a program did: errors raised, and whether adcli itself failed.

    ``exit_code`` is the status of an uncaught ``SystemExit`` (``sys.exit(n)``), else
    None; a non-zero one also counts as failed. In a notebook, a cell tagged
    ``raises-exception`` that raised counts in ``expected`` (not in ``failed``); one
    that ran without error counts in ``failed`` and ``unmet``."""

    __slots__ = ("failed", "internal", "errors", "exit_code", "expected", "unmet")

    def __init__(self) -> None:
        self.failed = 0
        self.internal = 0
        self.errors: list = []
        self.exit_code: int | None = None
        self.expected = 0
        self.unmet = 0


def _system_exit(exc):
    """The SystemExit a script raised (``sys.exit``, ``raise SystemExit``), or None."""
    value = getattr(exc, "value", None)
    return value if isinstance(value, SystemExit) else None


def _prepare(session, filename: str, text: str | None, err, argv: list, notebook: bool):
    """Tell the session's library the program's name, lines and streams (sys.argv,
    sys.stderr, warnings' FILE:LINE)."""
    from adcli.diagnostics import show_path, source_lines
    from adcli.lang import library

    context = library.context_of(session)
    context.err = err
    context.argv = argv
    # Python names a script by its absolute path in warnings (``__file__``, 3.9+)
    context.filename = show_path(filename if filename.startswith("<") or notebook
                                 else os.path.abspath(filename))
    context.lines = source_lines(text) if text is not None else []
    context.notebook = notebook
    return context


class _EngineWarnings:
    """While a program runs, torch's warnings go through its ``warnings`` filters and
    printer (``FILE:LINE: UserWarning: message`` and the line), as in Python."""

    def __init__(self, context) -> None:
        self.context = context
        self.saved = None

    def __enter__(self):
        from adcli.engine import tensor
        from adcli.lang.pylib.warningsmod import engine_hook

        self.saved = tensor.emit_warning
        tensor.emit_warning = engine_hook(self.context)
        return self

    def __exit__(self, *exc) -> None:
        from adcli.engine import tensor

        tensor.emit_warning = self.saved


def _run_source(session, text: str, filename: str, out, err, outcome: Outcome,
                error_to_stdout: bool, display: bool = False, quiet: bool = False) -> None:
    """Run one source text (a program, or a notebook cell) and report what it raised."""
    from adcli.diagnostics import source_lines
    from adcli.errors import AdcliError
    from adcli.lang.interpreter import InternalError, format_internal

    lines = source_lines(text)
    context = getattr(getattr(session, "library_state", None), "context", None)
    if context is not None:
        context.lines = lines
        if display:  # a notebook cell
            context.filename = filename
    try:
        value = session.exec_source(text, filename)
    except InternalError as exc:
        outcome.internal += 1
        err(format_internal(filename, exc.pos, exc.original))
        return
    except AdcliError as exc:
        code = _system_exit(exc)
        if code is not None:
            _exited(code, exc, out, err, outcome, error_to_stdout)
            return
        outcome.failed += 1
        outcome.errors.append(exc)
        if error_to_stdout:  # as the notebook's output shows it: `Name: message`, whole
            from adcli.diagnostics import printable_lines

            kind = exc.kind.rsplit(".", 1)[-1]
            message = printable_lines(str(exc))
            out(f"{kind}: {message}\n" if message else f"{kind}\n")
        err(traceback_text(filename, lines, exc))
        return
    if display and not quiet and value is not None:
        from adcli.pretty import pretty  # Jupyter's Out[n]: IPython's pretty printer

        out(pretty(value) + "\n")


def _exited(value: SystemExit, exc, out, err, outcome: Outcome, notebook: bool) -> None:
    """An uncaught SystemExit: in a program, Python's exit (the status; a message on
    stderr); in a notebook cell, what IPython shows (the cell fails, the run goes on)."""
    from adcli.lang.pylib.sysmod import exit_status

    if notebook:
        outcome.failed += 1
        outcome.errors.append(exc)
        shown = str(value)
        out(f"SystemExit: {shown}\n" if shown else "SystemExit\n")
        err("An exception has occurred, use %tb to see the full traceback.\n\n"
            + (f"SystemExit: {shown}\n" if shown else "SystemExit\n"))
        err("UserWarning: To exit: use 'exit', 'quit', or Ctrl-D.\n")
        return
    status, message = exit_status(value.code)
    if message is not None:
        from adcli.diagnostics import shorten

        err(shorten(message) + "\n")
    outcome.exit_code = status
    if status:
        outcome.failed += 1


def run_python(text: str, filename: str, limits, out, err, seed: int | None = None,
               deadline: float | None = None, echo=None) -> Outcome:
    """Run a ``.py`` program: Python's meaning, an uncaught error ends it; ``sys.exit``
    ends it with its status. ``echo(1, text)``, when given, is called once before it
    runs (a program is one cell)."""
    session = python_session(limits, out, seed)
    session.deadline = deadline
    context = _prepare(session, filename, text, err, [filename], notebook=False)
    outcome = Outcome()
    if echo is not None:
        echo(1, text)
    with _EngineWarnings(context):
        _run_source(session, text, filename, out, err, outcome, error_to_stdout=False)
    return outcome


def run_notebook(data: bytes, filename: str, limits, out, err, seed: int | None = None,
                 deadline: float | None = None, echo=None) -> Outcome:
    """Run a notebook's code cells in order; an error ends only its cell.
    ``echo(number, source)``, when given, is called before each code cell runs.

    Raises ``NotebookError`` when the bytes are not a notebook adcli can read.
    """
    from adcli.notebook import read_notebook, skip_note

    cells, skipped = read_notebook(data, limits.max_input_bytes)
    if skipped:
        err(skip_note(skipped))
    session = python_session(limits, out, seed)
    session.deadline = deadline
    # what ipykernel's sys.argv looks like (the kernel's own paths left out)
    context = _prepare(session, filename, None, err,
                       ["ipykernel_launcher.py", "-f", "kernel.json"], notebook=True)
    outcome = Outcome()
    with _EngineWarnings(context):
        for cell in cells:
            name = f"<{os.path.basename(filename)} cell {cell.number}>"
            if echo is not None:
                echo(cell.number, cell.source)
            failed = outcome.failed
            _run_source(session, cell.source, name, out, err, outcome, error_to_stdout=True,
                        display=True, quiet=cell.quiet)
            if not cell.raises:
                continue
            if outcome.failed > failed:  # the error the cell is tagged to raise
                outcome.failed -= 1
                outcome.expected += 1
            else:
                outcome.failed += 1
                outcome.unmet += 1
                err(f"{name}: expected an error (tagged raises-exception), the cell ran "
                    "without error\n")
    return outcome
