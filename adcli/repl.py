"""``adcli repl``: an interactive session of the ``.adc`` language.

Each input (a line, or a block that ends at a blank line) runs as one cell of a cell
script, through ``Session.run_cells``: a bare expression shows its value as torch prints
it, and an error prints the same diagnostic as ``adcli run`` and ends only that input.
The bounds apply to each input on its own (steps, graph nodes, the wall clock).

Two front ends share the evaluation: prompt_toolkit's line editor (history, completion,
multi-line editing) when it is installed and stdin and stdout are terminals, and a plain
loop that reads lines from stdin (a pipe, or a terminal without prompt_toolkit).
"""

from __future__ import annotations

import keyword
import os
import re
import sys
import time

from adcli.errors import AdcliError, AdcliSyntaxError, LimitError

PS1, PS2 = ">>> ", "... "
FILENAME = "<stdin>"
HISTORY_ENV = "ADCLI_HISTORY"
_SIGNAL_DELAY = 0.5  # --untrusted: seconds past the bound before the signal stops an input

HELP = """\
Type an expression to see its value (as torch prints it), or a statement to run it.
torch's names are in scope bare (ones, randn, sum) and as torch.NAME; '^' is power.
A block (def, for, if, class, ...) goes on at the '...' prompt and ends at a blank line.

Shortcuts:
  :grad           every tensor of the session that has a .grad, with its grad
  :graph NAME     the autograd graph of the tensor NAME
  :explain NAME   how the backward pass computed the gradients of NAME, step by step
  :help           this help
  :quit           leave (so does Ctrl-D)

Tab completes torch names, your variables and, after 'x.', the attributes of x.
Ctrl-C clears the line, or stops an evaluation that runs too long.
"""

# ---- when an input is complete ------------------------------------------------------------
COMPLETE, OPEN, INCOMPLETE, ERROR = "complete", "open", "incomplete", "error"
_COMPOUND = re.compile(r"\s*(def|class|for|while|if|with|try|async)\b|\s*@")
_SOFT_COMPOUND = re.compile(r"\s*(match)\b.*:\s*(#.*)?$")  # `match x:` (match = 1 is not)
_CONTINUES = re.compile(r"(else|elif|except|finally|case)\b")


def starts_block(line: str) -> bool:
    """Whether ``line`` opens a compound statement (which ends at a blank line)."""
    return bool(_COMPOUND.match(line) or _SOFT_COMPOUND.match(line))


def input_status(text: str, dialect: str = "adc", max_depth: int = 200) -> str:
    """What the parser makes of ``text`` so far: COMPLETE; OPEN (a bracket, a triple-quoted
    string or a backslash still open: even a blank line goes on); INCOMPLETE (a block
    needs its body, or a ``try`` its ``except``); ERROR (more text cannot mend it)."""
    from adcli.lang.parser import parse

    try:
        parse(text + "\n", "file_input", max_depth=max_depth or 10**9, dialect=dialect)
    except AdcliSyntaxError as exc:
        message = str(exc)
        if "was never closed" in message or message.startswith(
                "unterminated triple-quoted"):
            return OPEN
        if "unexpected end of input" in message:
            return OPEN if text.rstrip().endswith("\\") else INCOMPLETE
        if message.startswith("expected an indented block"):  # "... on line N"
            header = re.search(r"on line (\d+)", message)
            line = int(header.group(1)) if header else exc.pos[0] if exc.pos else 0
            after = text.split("\n")[line:]
            return INCOMPLETE if not any(x.strip() for x in after) else ERROR
        return ERROR
    except AdcliError:  # a bound (the nesting depth): run it, to show the error
        return ERROR
    return COMPLETE


def needs_more(text: str, dialect: str = "adc", max_depth: int = 200) -> bool:
    """Whether the input ``text`` (its lines so far) needs another line before it runs.

    As in Python's REPL: a simple statement runs once it parses; a compound statement
    (``def``, ``for``, ``if``, ...) runs at the first blank line; an open bracket or
    string goes on past blank lines; an error that no more text can mend runs at once,
    to be reported.
    """
    if not text.strip():
        return False
    lines = text.split("\n")
    if len(lines) == 1 and is_shortcut(text):
        return False
    status = input_status(text, dialect, max_depth)
    if status == OPEN:
        return True
    if status == ERROR:
        return False
    if not starts_block(lines[0]):
        return status != COMPLETE
    return len(lines) == 1 or bool(lines[-1].strip())


def is_shortcut(text: str) -> bool:
    return text.strip().startswith(":") and "\n" not in text.strip()


class LineCollector:
    """Lines in, complete inputs out (the plain loop's reader).

    ``feed(line)`` returns the inputs that are ready to run: usually none or one; two when
    a line at the left margin ends a block without a blank line first (as a piped script
    often does), which then runs before the new line starts the next input.
    """

    def __init__(self, dialect: str = "adc", max_depth: int = 200,
                 max_bytes: int = 0) -> None:
        self.lines: list[str] = []
        self.dialect = dialect
        self.max_depth = max_depth
        self.max_bytes = max_bytes
        self.size = 0

    @property
    def pending(self) -> bool:
        return bool(self.lines)

    def clear(self) -> None:
        self.lines, self.size = [], 0

    def flush(self) -> str:
        text = "\n".join(self.lines)
        self.clear()
        return text

    def _status(self, text: str) -> str:
        return input_status(text, self.dialect, self.max_depth)

    def feed(self, line: str) -> list[str]:
        line = line.rstrip("\r\n")
        ready: list[str] = []
        if self.lines and starts_block(self.lines[0]):
            blank = not line.strip()
            margin = not blank and line[:1] not in (" ", "\t", "#")
            if margin and not _CONTINUES.match(line):
                if self._status("\n".join(self.lines)) in (COMPLETE, ERROR):
                    ready.append(self.flush())  # the block is over: run it first
            elif blank:
                if self._status("\n".join(self.lines)) != OPEN:
                    ready.append(self.flush())
                    return ready
        if not self.lines:
            if not line.strip():
                return ready
            self._add(line)
            if is_shortcut(line) or not needs_more(line, self.dialect, self.max_depth):
                ready.append(self.flush())
            return ready
        self._add(line)
        if self.max_bytes and self.size > self.max_bytes:
            ready.append(self.flush())  # too long to wait for: run_cells reports it
        elif not starts_block(self.lines[0]):
            if not needs_more("\n".join(self.lines), self.dialect, self.max_depth):
                ready.append(self.flush())
        return ready

    def _add(self, line: str) -> None:
        self.lines.append(line)
        self.size += len(line) + 1


# ---- completion ---------------------------------------------------------------------------
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
_DOTTED = re.compile(rf"({_IDENT}(?:\s*\.\s*{_IDENT})*)\s*\.\s*([A-Za-z0-9_]*)$")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")
_KEYWORDS = tuple(k for k in keyword.kwlist if k not in ("async", "await"))
SHORTCUTS = (":grad", ":graph", ":explain", ":help", ":quit")
_NAME_ARGUMENT = (":graph", ":explain")
# tensor attributes that completion follows to reach the next attribute (x.grad.sh...):
# plain reads, which record nothing and run no script code
_TENSOR_STEPS = ("grad", "data", "grad_fn")


def complete(session, text: str) -> tuple[str, list[str]]:
    """Completions of the end of ``text`` (the line up to the cursor): the fragment they
    replace, and the candidates, sorted. ``tor`` gives torch..., ``x.gr`` gives grad and
    grad_fn when ``x`` is a tensor, ``:gr`` the shortcuts, ``:graph `` the variables."""
    text = text.rsplit("\n", 1)[-1][-2000:]  # the current line's end is enough
    stripped = text.lstrip()
    if stripped.startswith(":"):
        head, _, rest = stripped.partition(" ")
        if not _:
            return head, [s for s in SHORTCUTS if s.startswith(head)]
        if head in _NAME_ARGUMENT and (rest == "" or _NAME.match(rest)):
            return rest, sorted(n for n in _user_names(session) if n.startswith(rest))
        return "", []
    if _in_string(text):
        return "", []
    dotted = _DOTTED.search(text)
    if dotted:
        path = re.split(r"\s*\.\s*", dotted.group(1))
        fragment = dotted.group(2)
        if text[: dotted.start()].rstrip().endswith("."):
            return fragment, []
        obj = _resolve(session, path)
        if obj is _NOTHING:
            return fragment, []
        return fragment, _matching(attribute_names(obj), fragment)
    name = _NAME.search(text)
    fragment = name.group(0) if name else ""
    if name is None and text and not text[-1].isspace() and text[-1] not in "([{,=:+-*/%@^<>!&|~;":
        return "", []
    if fragment[:1].isdigit():
        return fragment, []
    return fragment, _matching(_bare_names(session), fragment)


def _in_string(text: str) -> bool:
    """Whether the end of ``text`` is inside a one-line string literal (no completion)."""
    quote = None
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#":
            return True  # a comment
        i += 1
    return quote is not None


def _matching(names, fragment: str) -> list[str]:
    hidden = not fragment.startswith("_")
    return sorted({n for n in names if n.startswith(fragment) and isinstance(n, str)
                   and n.isidentifier() and not (hidden and n.startswith("_"))})


_NOTHING = object()


def _user_names(session) -> list[str]:
    return [n for n in dict.keys(session.scope) if isinstance(n, str) and not n.startswith("__")]


def _bare_names(session) -> set[str]:
    from adcli.lang import library
    from adcli.lang import names as N

    found = set(_user_names(session))
    found.update(dict.keys(session.scope.globals))
    found.update(N.GLOBALS)
    found.update(N.TORCH_FUNCTIONS)
    found.update(library.LIBRARY_BUILTINS)
    found.update(_KEYWORDS)
    found.discard("__name__")
    return found


def _lookup(session, name: str):
    """A name's value, without raising and without running anything."""
    scope = session.scope
    if dict.__contains__(scope, name):
        return dict.__getitem__(scope, name)
    globals_ = scope.globals
    if dict.__contains__(globals_, name):
        return dict.__getitem__(globals_, name)
    return _NOTHING


def _resolve(session, path: list[str]):
    """The value of ``a.b.c``, following only reads that run no script code: a module's
    members, and a tensor's grad, data and grad_fn."""
    from adcli.engine.tensor import Tensor
    from adcli.lang import names as N

    obj = _lookup(session, path[0])
    for name in path[1:]:
        if obj is _NOTHING:
            return _NOTHING
        if isinstance(obj, N.Namespace):
            obj = obj.members.get(name, _NOTHING)
        elif isinstance(obj, Tensor) and name in _TENSOR_STEPS:
            obj = {"grad": lambda t: t._grad, "data": lambda t: t.detach(),
                   "grad_fn": lambda t: t._grad_fn}[name](obj)
            if obj is None:
                return _NOTHING
        else:
            return _NOTHING
    return obj


def attribute_names(obj) -> list[str]:
    """The attributes a script may read on ``obj`` (from adcli's name tables)."""
    from adcli.engine.tensor import Tensor
    from adcli.lang import classes
    from adcli.lang import names as N
    from adcli.lang.interpreter import _grad_fn_types

    if isinstance(obj, Tensor):
        return [n for n in N.TENSOR_ATTRIBUTES if n in N.TENSOR_ACCESSORS]
    if isinstance(obj, N.Namespace):
        return list(obj.members)
    if isinstance(obj, list):
        return list(N.LIST_ACCESSORS) + _library_names(obj)
    if isinstance(obj, tuple):
        return list(getattr(type(obj), "_fields", ())) + list(N.TUPLE_ACCESSORS)
    if isinstance(obj, _grad_fn_types()):
        return [n for n in N.GRAD_FN_ATTRIBUTES
                if hasattr(type(obj), n) or n in getattr(obj, "__dict__", ())]
    if classes.MARK in type(obj).__dict__ or classes.is_public_host(obj):
        names = set(getattr(obj, "__dict__", {}))
        names.update(classes.public_names(type(obj)))
        for klass in type(obj).__mro__:
            if classes.MARK in klass.__dict__:
                names.update(klass.__dict__)
        return [n for n in names if isinstance(n, str) and not n.startswith("__")]
    return _library_names(obj)


def _library_names(obj) -> list[str]:
    try:
        from adcli.lang.library import shared_runtime
        from adcli.lang.pylib import numpy_subset

        table = numpy_subset.accessor_table(obj)
        if table is None:
            table = shared_runtime().table_for(obj)
        return list(table or ())
    except Exception:  # completion never fails a session
        return []


# ---- :grad --------------------------------------------------------------------------------
def grad_rows(session) -> list[tuple[str, object]]:
    """(name, tensor) for every tensor in the session's variables that has a .grad: the
    variables themselves, then the items of their lists, tuples and dicts and the
    parameters of their nn modules. Each tensor once, under its first name."""
    from adcli.engine.nn.module import Module
    from adcli.engine.tensor import Tensor

    rows: list[tuple[str, object]] = []
    seen: set[int] = set()

    def add(name: str, value) -> None:
        if isinstance(value, Tensor) and id(value) not in seen \
                and getattr(value, "_grad", None) is not None:
            seen.add(id(value))
            rows.append((name, value))

    variables = [(n, v) for n, v in dict.items(session.scope)
                 if isinstance(n, str) and not n.startswith("__")]
    for name, value in variables:
        add(name, value)
    for name, value in variables:
        try:
            if isinstance(value, list | tuple):
                for i, item in enumerate(value[:1000]):
                    add(f"{name}[{i}]", item)
            elif isinstance(value, dict):
                for key, item in list(value.items())[:1000]:
                    add(f"{name}[{key!r}]", item)
            elif isinstance(value, Module):
                for pname, param in Module.named_parameters(value):
                    add(f"{name}.{pname}", param)
        except Exception:  # an odd container: skip it, never fail the shortcut
            continue
    return rows


# ---- the session ---------------------------------------------------------------------------
class Quit(Exception):
    """``:quit``."""


class Repl:
    """One interactive session: runs inputs and shortcuts, prints what they show.

    ``rich``: colour and tables for a terminal. ``dedupe_errors``: stdout and stderr
    both reach the person, so the ``Kind: message`` line that ``adcli run`` prints on
    stdout is left out before the diagnostic, which repeats it with the position.
    """

    def __init__(self, limits=None, *, rich: bool = False, dedupe_errors: bool = False,
                 untrusted: bool = False, timeout_given: bool = False,
                 seed: int | None = 0) -> None:
        from adcli.engine import api
        from adcli.lang.interpreter import Session
        from adcli.limits import Limits

        self.limits = limits if limits is not None else Limits()
        api.reset_state()
        api.manual_seed(0 if seed is None else seed)
        self.session = Session(limits=self.limits, out=self._out)
        # :graph and :explain read what an inspector records: sites and backward passes
        from adcli.see.inspect import Inspector

        self.inspector = Inspector()
        self.inspector.sessions.append(self.session)
        self.session.see_inspector = self.inspector
        self._inspecting = None
        self.rich = rich
        self.dedupe_errors = dedupe_errors
        self.untrusted = untrusted
        self.timed = untrusted or timeout_given
        self.failed = 0  # inputs that raised
        self._held: str | None = None
        self._cap = None

    # output ------------------------------------------------------------------------------
    def _out(self, text: str) -> None:
        self._release()
        if self.dedupe_errors:
            exc = sys.exc_info()[1]
            if isinstance(exc, AdcliError):
                first = str(exc).splitlines()[0] if str(exc) else ""
                if text == f"{exc.kind}: {first}\n":
                    self._held = text  # dropped if its diagnostic follows
                    return
        sys.stdout.write(text)

    def _release(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            sys.stdout.write(held)

    def _err(self, text: str) -> None:
        self._held = None
        sys.stdout.flush()
        if self.rich:
            from rich.text import Text

            head, _, rest = text.partition("\n")
            shown = Text()
            shown.append(head, style="bold red")
            if rest:
                shown.append("\n" + rest.rstrip("\n"))
            self._console(sys.stderr).print(shown, soft_wrap=True)
        else:
            sys.stderr.write(text)
        sys.stderr.flush()

    def message(self, text: str) -> None:
        """A line about the session itself (a shortcut's answer to a mistake)."""
        sys.stdout.flush()
        if self.rich:
            from rich.text import Text

            self._console(sys.stderr).print(Text(text, style="yellow"), soft_wrap=True)
        else:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def _console(self, stream):
        from rich.console import Console

        if self.rich:
            return Console(file=stream, highlight=False)
        try:
            width = max(40, int(os.environ.get("COLUMNS", "100")))
        except ValueError:
            width = 100
        return Console(file=stream, color_system=None, force_terminal=False, highlight=False,
                       width=width, soft_wrap=False)

    def show(self, renderable) -> None:
        console = self._console(sys.stdout)
        if self.rich:
            console.print(renderable)
        else:  # plain text: no padding at the ends of lines
            with console.capture() as captured:
                console.print(renderable)
            sys.stdout.write("".join(line.rstrip() + "\n"
                                     for line in captured.get().splitlines()))
        sys.stdout.flush()

    # the bounds ----------------------------------------------------------------------------
    def start(self) -> None:
        """The process bound of --untrusted (an address-space cap), and the inspector, for
        the session."""
        if self._inspecting is None:
            from adcli.see.inspect import inspecting

            self._inspecting = inspecting(self.inspector)
            self._inspecting.__enter__()
        if self.untrusted and self._cap is None:
            from adcli.sandbox_process import address_space_cap, limit_address_space

            self._cap = limit_address_space(address_space_cap(self.limits.max_elements),
                                            soft_only=True) or ()

    def stop(self) -> None:
        if self._inspecting is not None:
            self._inspecting.__exit__(None, None, None)
            self._inspecting = None
        if self._cap:
            from adcli.sandbox_process import restore_address_space

            restore_address_space(self._cap)
        self._cap = None

    def _fresh_bounds(self) -> None:
        """Each input is bounded on its own, as a file of ``adcli run`` is."""
        from adcli.engine.autograd import sites
        from adcli.engine.tensor import graph_clock
        from adcli.limits import install

        session = self.session
        install(self.limits)
        session.steps = 0
        session._clock_base = graph_clock()
        session._clock_reads = 0
        session._marks_base = sites.READS[0]
        session.call_depth = 0  # nothing runs between inputs (after a Ctrl-C too)
        session.deadline = (time.monotonic() + self.limits.timeout
                            if self.timed and self.limits.timeout else None)

    # running -------------------------------------------------------------------------------
    def execute(self, text: str) -> bool:
        """Run one input (code or a shortcut); False when the session should end."""
        if not text.strip():
            return True
        if is_shortcut(text):
            try:
                self.shortcut(text.strip())
            except Quit:
                return False
            except KeyboardInterrupt:
                self.message("KeyboardInterrupt")
            return True
        from adcli.sandbox_process import WallClockExceeded, wall_clock

        self._fresh_bounds()
        seconds = self.limits.timeout if self.untrusted else 0
        stuck = (f"adcli repl: LimitError: the input ran longer than {seconds:g} s and was "
                 "killed (raise the bound with --timeout or ADCLI_TIMEOUT)\n")
        try:
            # the interpreter's own deadline (between statements) comes first; the
            # signal stops what it cannot (one long numpy call)
            with wall_clock(seconds + _SIGNAL_DELAY if seconds else 0, stuck):
                report = self.session.run_cells(text + "\n", FILENAME, err=self._err)
            self.failed += bool(report.failed or report.internal)
        except KeyboardInterrupt:
            self._held = None
            self.failed += 1
            sys.stdout.flush()
            self._err_line("KeyboardInterrupt")
        except WallClockExceeded as exc:
            self._held = None
            self.failed += 1
            error = LimitError(f"the input ran longer than {seconds:g} s and was stopped "
                               "(raise the bound with --timeout or ADCLI_TIMEOUT)")
            self._report(error, text, exc.pos if exc.text is None else None)
        finally:
            self._release()
            self.session.deadline = None
            sys.stdout.flush()
        return True

    def _report(self, error: AdcliError, text: str, pos) -> None:
        from adcli.diagnostics import format_diagnostic

        if not self.dedupe_errors:
            sys.stdout.write(f"{error.kind}: {error}\n")
        self._err(format_diagnostic(FILENAME, text.split("\n"), pos, error.kind, str(error)))

    def too_long(self, limit: int) -> None:
        """A line of stdin over --max-input-bytes: skipped, reported as a LimitError."""
        self.failed += 1
        self._report(LimitError(f"the line is over {limit:,} characters (raise the bound "
                                "with --max-input-bytes or ADCLI_MAX_INPUT_BYTES)"), "", None)

    def _err_line(self, text: str) -> None:
        if self.rich:
            from rich.text import Text

            self._console(sys.stderr).print(Text(text, style="bold red"), soft_wrap=True)
        else:
            sys.stderr.write(text + "\n")
        sys.stderr.flush()

    # shortcuts ----------------------------------------------------------------------------
    def shortcut(self, line: str) -> None:
        name, _, arg = line.partition(" ")
        arg = arg.strip()
        if name in (":quit", ":q", ":exit"):
            raise Quit
        if name in (":help", ":h", ":?"):
            self.show_help()
        elif name == ":grad":
            self.show_grads()
        elif name in _NAME_ARGUMENT:
            self.show_view(name, arg)
        else:
            from adcli.lang.suggestions import best_match

            found = best_match(name, SHORTCUTS)
            hint = f"; did you mean {found}?" if found else ""
            self.message(f"unknown shortcut {_shown(name)}{hint} (:help lists them)")

    def show_help(self) -> None:
        if self.rich:
            from rich.text import Text

            text = Text(HELP.rstrip("\n"))
            text.highlight_regex(re.compile(r"^  :\w+( NAME)?", re.M), "bold cyan")
            self.show(text)
        else:
            sys.stdout.write(HELP)
            sys.stdout.flush()

    def show_grads(self) -> None:
        rows = grad_rows(self.session)
        if not rows:
            self.message("no tensor of the session has a .grad yet (call .backward() on a "
                         "scalar that depends on a tensor with requires_grad=True)")
            return
        from rich import box
        from rich.table import Table

        table = Table(box=box.SIMPLE_HEAD if self.rich else None, show_edge=False,
                      pad_edge=False, header_style="bold" if self.rich else "")
        table.add_column("name", style="cyan" if self.rich else "", no_wrap=True)
        table.add_column("shape", no_wrap=True)
        table.add_column("grad", overflow="fold")
        for name, tensor in rows:
            table.add_row(name, str(list(tensor.shape)), repr(tensor._grad))
        self.show(table)

    def show_view(self, shortcut: str, name: str) -> None:
        if not name:
            self.message(f"usage: {shortcut} NAME (a variable of this session, e.g. "
                         f"{shortcut} y)")
            return
        if not name.isidentifier():
            self.message(f"{shortcut}: {_shown(name)} is not a variable name")
            return
        what = "graph_view" if shortcut == ":graph" else "explain_view"
        try:
            from adcli.see import shortcuts
            view = getattr(shortcuts, what)
        except (ImportError, AttributeError):
            self.message(f"{shortcut} is not available in this version of adcli")
            return
        self._fresh_bounds()
        try:
            renderable = view(self.session, name)
        except AdcliError as exc:
            first = str(exc).splitlines()[0] if str(exc) else ""
            self.message(f"{shortcut} {name}: {exc.kind}: {first}")
            return
        except Exception as exc:  # a bug in adcli: one line, never a traceback
            from adcli.diagnostics import printable, shorten

            self.message(f"{shortcut} {name}: internal error: {type(exc).__name__}: "
                         f"{printable(shorten(str(exc)))} (a bug in adcli; please report it)")
            return
        finally:
            self.session.deadline = None
        if renderable is not None:
            self.show(renderable)


def _shown(text: str) -> str:
    from adcli.diagnostics import printable

    return "'" + printable(text[:60]) + "'"


# ---- the plain loop ------------------------------------------------------------------------
def run_plain(repl: Repl, stdin=None, prompts: bool = False, use_input: bool = False) -> None:
    """Read lines from ``stdin`` until EOF or ``:quit``. ``prompts``: show ``>>>`` and
    ``...`` (on stderr, or through ``input()`` with readline when ``use_input``)."""
    stdin = stdin if stdin is not None else sys.stdin
    limit = repl.limits.max_input_bytes
    collector = LineCollector(max_depth=repl.limits.max_depth, max_bytes=limit)
    if use_input:
        _readline_completion(repl)
    while True:
        prompt = PS2 if collector.pending else PS1
        try:
            if use_input:
                line = input(prompt)
            else:
                if prompts:
                    sys.stderr.write(prompt)
                    sys.stderr.flush()
                line = stdin.readline(limit + 1) if limit else stdin.readline()
                if not line:
                    raise EOFError
                if limit and len(line) > limit and not line.endswith("\n"):
                    _skip_line(stdin)
                    collector.clear()
                    repl.too_long(limit)
                    continue
        except EOFError:
            if prompts:
                sys.stderr.write("\n")
            break
        except KeyboardInterrupt:
            collector.clear()
            if prompts or use_input:
                sys.stderr.write("\nKeyboardInterrupt\n")
            continue
        for text in collector.feed(line):
            if not repl.execute(text):
                return
    if collector.pending:
        repl.execute(collector.flush())


def _skip_line(stdin) -> None:
    """Read past the rest of a line that is too long to keep."""
    while True:
        chunk = stdin.readline(1 << 16)
        if not chunk or chunk.endswith("\n"):
            return


def _readline_completion(repl: Repl) -> None:
    """Tab completion through readline, when prompt_toolkit is not installed."""
    try:
        import readline
    except ImportError:
        return
    found: list[str] = []

    def completer(_text: str, state: int):
        if state == 0:
            line = readline.get_line_buffer()[: readline.get_endidx()]
            fragment, names = complete(repl.session, line)
            found[:] = names
        return found[state] if state < len(found) else None

    readline.set_completer_delims(" \t\n`~!@#$%^&*()-=+[{]}\\|;:'\",<>/?.")
    readline.set_completer(completer)
    readline.parse_and_bind("tab: complete")


# ---- prompt_toolkit ------------------------------------------------------------------------
def history_path() -> str | None:
    """Where the history goes: $ADCLI_HISTORY, ~/.adcli_history, or None (empty variable)."""
    value = os.environ.get(HISTORY_ENV)
    if value is not None:
        return value or None
    return os.path.join(os.path.expanduser("~"), ".adcli_history")


def _indent_after(text: str) -> str:
    """The indentation of the line after ``text``'s last line (one step more after ':')."""
    last = text.split("\n")[-1]
    indent = last[: len(last) - len(last.lstrip())]
    code = last.split("#", 1)[0].rstrip()
    return indent + "    " if code.endswith(":") else indent


def make_prompt_session(repl: Repl, input=None, output=None, history=None):
    """A prompt_toolkit PromptSession for ``repl``: multi-line input that Enter submits once
    it is complete (``needs_more``), Tab completion, auto-indent and history."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import Completer, Completion
    from prompt_toolkit.document import Document
    from prompt_toolkit.history import FileHistory, InMemoryHistory
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.styles import Style

    class AdcliCompleter(Completer):
        def get_completions(self, document, complete_event):
            try:
                fragment, names = complete(repl.session, document.text_before_cursor)
            except Exception:  # completion never fails a session
                return
            for name in names:
                yield Completion(name, start_position=-len(fragment))

    bindings = KeyBindings()
    max_depth = repl.limits.max_depth

    @bindings.add("enter")
    def _enter(event) -> None:
        buffer = event.current_buffer
        if buffer.complete_state is not None and \
                buffer.complete_state.current_completion is not None:
            buffer.complete_state = None  # keep the chosen completion, close the menu
            return
        document = buffer.document
        text = document.text
        if "\n" in text and not document.is_cursor_at_the_end:
            buffer.insert_text("\n" + _indent_after(document.text_before_cursor))
            return
        if needs_more(text, max_depth=max_depth):
            buffer.insert_text("\n" + _indent_after(text))
            return
        if text != text.rstrip():  # the blank line that ended a block: not kept
            buffer.document = Document(text.rstrip())
        buffer.validate_and_handle()

    @bindings.add("escape", "enter")
    def _newline(event) -> None:
        event.current_buffer.insert_text("\n")

    @bindings.add("tab")
    def _tab(event) -> None:
        buffer = event.current_buffer
        if buffer.complete_state is not None:
            buffer.complete_next()
        elif not buffer.document.current_line_before_cursor.strip():
            buffer.insert_text("    ")
        else:
            buffer.start_completion(insert_common_part=True)

    if history is None:
        path = history_path()
        history = InMemoryHistory()
        if path is not None:
            try:
                with open(path, "ab"):  # writable: else no history, and say so
                    pass
                history = FileHistory(path)
            except OSError as exc:
                repl.message(f"adcli repl: history is off: cannot write {_shown(path)}: "
                             f"{exc.strerror or exc}")
    style = Style.from_dict({"prompt": "ansigreen bold", "continuation": "ansigreen"})
    return PromptSession(
        message=[("class:prompt", PS1)],
        multiline=True,
        prompt_continuation=lambda width, line, wrap: [("class:continuation", PS2)],
        completer=AdcliCompleter(),
        complete_while_typing=False,
        key_bindings=bindings,
        history=history,
        style=style,
        input=input,
        output=output,
        enable_history_search=False,
    )


def run_prompt_toolkit(repl: Repl, prompt_session) -> None:
    """Prompt until Ctrl-D or ``:quit``; Ctrl-C clears the input."""
    from prompt_toolkit.history import FileHistory

    while True:
        try:
            text = prompt_session.prompt()
        except KeyboardInterrupt:
            continue
        except EOFError:
            break
        except OSError as exc:  # the history file could not be written: go on without
            if not isinstance(prompt_session.history, FileHistory):
                raise
            from prompt_toolkit.history import InMemoryHistory

            prompt_session.history = InMemoryHistory()
            repl.message(f"adcli repl: history is off: {exc.strerror or exc}")
            continue
        if not repl.execute(text.rstrip()):
            break


def has_prompt_toolkit() -> bool:
    try:
        import prompt_toolkit  # noqa: F401
    except ImportError:
        return False
    return True


def main(repl: Repl, stdin=None) -> int:
    """Run a session on the process's streams; the exit status (1: a piped input raised)."""
    stdin = stdin if stdin is not None else sys.stdin
    if stdin is None:  # stdin closed (<&-): nothing to read
        return 0
    if getattr(stdin, "errors", None) == "strict" and hasattr(stdin, "reconfigure"):
        try:  # bytes that are not UTF-8 become U+FFFD, which the parser reports
            stdin.reconfigure(errors="replace")
        except (ValueError, OSError):
            pass
    interactive = _isatty(stdin) and _isatty(sys.stdout)
    repl.start()
    try:
        if interactive and has_prompt_toolkit():
            run_prompt_toolkit(repl, make_prompt_session(repl))
        elif interactive:
            run_plain(repl, stdin, prompts=True, use_input=True)
        else:
            run_plain(repl, stdin, prompts=_isatty(stdin))
    finally:
        repl.stop()
        sys.stdout.flush()
    return 1 if repl.failed and not _isatty(stdin) else 0


def _isatty(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):
        return False
