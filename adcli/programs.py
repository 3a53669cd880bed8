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
    from adcli.diagnostics import printable, shorten, show_path
    from adcli.lang.suggestions import hint

    message = str(error) + hint(error)  # ". Did you mean: 'x'?", as CPython 3.11 adds it
    last = f"{error.kind}: {message}" if message else error.kind
    last = "\n".join(printable(m) for m in shorten(last).split("\n"))
    name = show_path(filename)
    if error.kind == "SyntaxError" and error.pos:
        line_no, col = error.pos
        text = lines[line_no - 1] if 1 <= line_no <= len(lines) else ""
        shown = printable(text.strip())
        indent = len(text) - len(text.lstrip())
        caret = " " * max(0, col - 1 - indent) + "^"
        return f'  File "{name}", line {line_no}\n    {shown}\n    {caret}\n{last}\n'
    head = "Traceback (most recent call last):\n"
    if error.pos:
        line_no = error.pos[0]
        text = lines[line_no - 1].strip() if 1 <= line_no <= len(lines) else ""
        head += f'  File "{name}", line {line_no}, in {where}\n'
        if text:
            head += f"    {printable(shorten(text, 200))}\n"
    return head + last + "\n"


class Outcome:
    """What running a program did: errors raised, and whether adcli itself failed."""

    __slots__ = ("failed", "internal", "errors")

    def __init__(self) -> None:
        self.failed = 0
        self.internal = 0
        self.errors: list = []


def _run_source(session, text: str, filename: str, out, err, outcome: Outcome,
                error_to_stdout: bool, display: bool = False, quiet: bool = False) -> None:
    """Run one source text (a program, or a notebook cell) and report what it raised."""
    from adcli.diagnostics import source_lines
    from adcli.errors import AdcliError
    from adcli.lang.interpreter import InternalError, format_internal

    lines = source_lines(text)
    try:
        value = session.exec_source(text, filename)
    except InternalError as exc:
        outcome.internal += 1
        err(format_internal(filename, exc.pos, exc.original))
        return
    except AdcliError as exc:
        outcome.failed += 1
        outcome.errors.append(exc)
        if error_to_stdout:
            first = str(exc).splitlines()[0] if str(exc) else ""
            out(f"{exc.kind}: {first}\n" if first else f"{exc.kind}\n")
        err(traceback_text(filename, lines, exc))
        return
    if display and not quiet and value is not None:
        out(repr(value) + "\n")


def run_python(text: str, filename: str, limits, out, err, seed: int | None = None,
               deadline: float | None = None) -> Outcome:
    """Run a ``.py`` program: Python's meaning, an uncaught error ends it."""
    session = python_session(limits, out, seed)
    session.deadline = deadline
    outcome = Outcome()
    _run_source(session, text, filename, out, err, outcome, error_to_stdout=False)
    return outcome


def run_notebook(data: bytes, filename: str, limits, out, err, seed: int | None = None,
                 deadline: float | None = None) -> Outcome:
    """Run a notebook's code cells in order; an error ends only its cell.

    Raises ``NotebookError`` when the bytes are not a notebook adcli can read.
    """
    from adcli.notebook import read_notebook, skip_note

    cells, skipped = read_notebook(data, limits.max_input_bytes)
    if skipped:
        err(skip_note(skipped))
    session = python_session(limits, out, seed)
    session.deadline = deadline
    outcome = Outcome()
    for cell in cells:
        name = f"<{os.path.basename(filename)} cell {cell.number}>"
        _run_source(session, cell.source, name, out, err, outcome, error_to_stdout=True,
                    display=True, quiet=cell.quiet)
    return outcome
