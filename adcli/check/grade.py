"""Running an answer in a fresh sandbox, comparing its values and giving the verdict.

An answer is adcli code (``ID.adc``, or a string of a TOML answers file), a Python program
(``ID.py``) or a Jupyter notebook (``ID.ipynb``). Every kind runs after the problem's
``setup`` (adcli code) in a fresh sandbox under the same bounds and timer; a ``.py`` or
``.ipynb`` answer runs with Python's meaning (as ``adcli run`` runs those files) in a
Python session that starts with the names the setup bound. What is compared:

- with ``check`` expressions: those expressions (adcli code, as the problem set is),
  evaluated in the names the answer left, whatever its kind;
- without: the answer's last value: the value of its last statement when that is an
  expression; for a notebook, of the last code cell that holds code (its ``Out``, even
  when a trailing ``;`` hides it).

An error in a notebook names its cell, and its position is within that cell.

A file that answers the whole set (kind ``py-set`` or ``ipynb-set``) runs as a ``.py`` or
``.ipynb`` answer to every problem; a value problem without ``check`` expressions is then
compared on the variable named after its id (``mean_square`` for ``mean-square``), and a
file that leaves no such variable gets ``missing``.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from adcli import limits as limits_mod
from adcli.check.compare import Comparison, Failed, compare, format_differences, plain
from adcli.check.problems import (
    WHOLE_SET_KINDS,
    Problem,
    ProblemSet,
    ProblemSetError,
    answer_variable,
)
from adcli.check.results import ProblemResult, bounded
from adcli.diagnostics import printable, show_path
from adcli.errors import AdcliError, LimitError, adcli_error_for
from adcli.limits import Limits

PYTHON_KINDS = ("py", "ipynb")  # answers that run with Python's meaning


class AnswerTimeout(BaseException):
    """Raised by the alarm in the middle of an answer that ran past its time.

    A BaseException, so that no ``except Exception`` in the interpreter swallows it.
    """


class _SetupFailed(Exception):
    """The problem's own setup raised: a fault of the problem set, not of the answer."""


class _NoFunction(Exception):
    """A function problem's answer does not define the function (or it is no function)."""


class _Unreadable(Exception):
    """The answer file is not one its kind can run (a notebook that is not a notebook)."""


class _NoVariable(Exception):
    """A whole-set file left no variable for a value problem: its answer is missing."""


def _nothing() -> None:
    """No global state to reset."""


@dataclass(frozen=True)
class Engine:
    """How grading reaches the interpreter: a Session factory, the global seed, and a
    reset of the engine's other global state (one answer must not leak into the next).

    ``python_session(limits, out, seed)`` makes a session with Python's meaning for
    ``.py`` and ``.ipynb`` answers; None: ``session`` serves them too (test doubles).
    """

    session: Callable[..., object]
    manual_seed: Callable[[int], object]
    reset: Callable[[], object] = _nothing
    python_session: Callable[..., object] | None = None


def default_engine() -> Engine:
    """The real interpreter and engine (imported here, so that the parent pre-imports them)."""
    from adcli.engine.api import get_rng_state, manual_seed, reset_state, set_rng_state
    from adcli.lang import names
    from adcli.lang.interpreter import Session
    from adcli.programs import python_session

    names.load_all()  # torch.nn, torch.optim, ...: built once, before the workers fork
    return Engine(
        session=Session,
        manual_seed=_remembered_seeds(manual_seed, get_rng_state, set_rng_state),
        reset=reset_state,
        python_session=python_session,
    )


_SEED_STATES_MAX = 4096  # generator states kept per process, one per seed


def _remembered_seeds(
    manual_seed: Callable[[int], object],
    get_state: Callable[[], object],
    set_state: Callable[[object], object],
) -> Callable[[int], None]:
    """``manual_seed`` that restores the generator's state after seeding once per seed.

    Seeding computes MT19937's 624-word key in Python; a problem's few seeds are used
    for every answer, so their states are kept and set back (a fourth of the cost). The
    state holds the seed itself, so ``initial_seed()`` is unchanged.
    """
    states: dict[int, object] = {}

    def seed(value: int) -> None:
        state = states.get(value)
        if state is None:
            manual_seed(value)
            if len(states) < _SEED_STATES_MAX:
                states[value] = get_state()
        else:
            set_state(state)

    return seed


@contextmanager
def alarm(seconds: float) -> Iterator[None]:
    """Raise AnswerTimeout in this (main) thread after ``seconds``; 0 disables it. Where
    the OS has no interval timer (Windows), the pool's watchdog is the bound alone."""
    if not seconds or threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "setitimer"):
        yield
        return

    def ring(signum: int, frame: object) -> None:
        raise AnswerTimeout

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _discard(text: str) -> None:
    """Where an answer's prints go."""


def _cell(exc: BaseException) -> str:
    """`` in cell N`` for an error raised in a notebook's cell N, else nothing."""
    cell = getattr(exc, "cell", None)
    return f" in cell {cell}" if cell else ""


def _where(exc: AdcliError) -> str:
    """An error's kind, position and message, bounded (the message may quote a value)."""
    if exc.pos:
        return bounded(f"{exc.kind}{_cell(exc)} at line {exc.pos[0]}, col {exc.pos[1]}: {exc}")
    return bounded(f"{exc.kind}{_cell(exc)}: {exc}")


def _has_code(source: str) -> bool:
    """Whether a notebook cell holds a statement (not only blank lines and comments)."""
    return any(line.strip() and not line.lstrip().startswith("#") for line in source.split("\n"))


_PARSED: dict[tuple, object] = {}  # (text, start, dialect, depth bound) -> syntax tree
_PARSED_MAX = 512  # trees kept per process: the problem set's texts and recent answers
_PARSED_TEXT_MAX = 16_384  # characters: a longer text is parsed each time (memory bound)


def _cached_parse(session: object) -> Callable[[str, str], object]:
    """``session._parse`` that reuses trees already built for the same text.

    The setup, the reference and the check expressions of a problem set are parsed once
    per worker rather than once per answer and seed, and an answer once for all its
    seeds. Trees are never changed by compiling or running them; only successful parses
    of texts up to _PARSED_TEXT_MAX characters are kept (an error is raised afresh, from
    a fresh parse), the least recently used going first.
    """
    parse = session._parse  # type: ignore[attr-defined]

    def cached(text: str, start: str) -> object:
        limits = getattr(session, "limits", None)
        key = (
            text,
            start,
            getattr(session, "dialect", ""),
            getattr(limits, "max_depth", None),
            getattr(limits, "max_input_bytes", None),
        )
        tree = _PARSED.pop(key, None)  # put back last: the least recently used go first
        if tree is not None:
            _PARSED[key] = tree
        else:
            tree = parse(text, start)
            if len(text) > _PARSED_TEXT_MAX:
                return tree
            if len(_PARSED) >= _PARSED_MAX:
                del _PARSED[next(iter(_PARSED))]  # the oldest
            _PARSED[key] = tree
        return tree

    return cached


def _call_error(exc: BaseException) -> str:
    """An error raised inside the answer's function: its kind, line and message."""
    if not isinstance(exc, AdcliError):
        mapped = adcli_error_for(exc)
        if mapped is None:
            raise exc
        exc = mapped
    return _where(exc)


def _resolve(session: object, path: str) -> object:
    """The value the answer bound to ``path`` (``grad_f``, ``MyExp.apply``): _NoFunction
    when it bound nothing there, or something that cannot be called."""
    names = _names(session)
    first = path.split(".")[0]
    if names is not None and first not in names:
        raise _NoFunction(f"{path} is not defined: the answer must define {first}")
    try:
        value = session.eval_expr(path)  # type: ignore[attr-defined]
    except AdcliError as exc:
        raise _NoFunction(f"{path} is not defined: {bounded(str(exc))}") from None
    if not callable(value):
        raise _NoFunction(f"{path} is not a function (it is {type(value).__name__})")
    return value


def _gradcheck(function: object, calls: list[tuple], problem: Problem) -> object:
    """gradcheck of ``function`` on every input in float64 (floating-point tensor inputs
    require grad): True, or the first failure as a ``Failed``."""
    from adcli.engine.functional import gradcheck

    for n, (args, text) in enumerate(zip(calls, problem.calls(), strict=True)):
        hidden = n - len(problem.inputs) + 1  # a hidden input is named by its number only
        name = f"hidden test {hidden}" if hidden > 0 else f"{problem.function}({text})"
        doubled = tuple(_double(a) for a in args)
        try:
            gradcheck(function, doubled)
        except (LimitError, MemoryError, RecursionError):
            raise
        except Exception as exc:  # noqa: BLE001 - the answer's error, mapped
            first = _call_error(exc).split("\\x0a")[0].split("\n")[0].rstrip(",")
            return Failed(f"fails on {name}: {first}")
    return plain(True)


def _double(value: object) -> object:
    """A floating-point tensor as a float64 leaf that requires grad; others unchanged."""
    if hasattr(value, "is_floating_point") and hasattr(value, "detach"):
        try:
            if value.is_floating_point():  # type: ignore[attr-defined]
                return value.detach().double().requires_grad_()  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - not a tensor after all
            return value
    return value


def _is_time_limit(exc: LimitError) -> bool:
    text = str(exc).lower()
    return "time" in text or "seconds" in text


class Grader:
    """Grades answers to one problem set; ``prepare`` computes the references first."""

    def __init__(self, problem_set: ProblemSet, limits: Limits, engine: Engine) -> None:
        self.problem_set = problem_set
        self.limits = limits
        self.engine = engine
        self.expected: list[list[list[object]]] = []  # [problem][sample][check] -> plain
        self._deadline: float | None = None  # when the answer being run must stop
        self._notebook: tuple[str, list] | None = None  # the last notebook read, and its cells

    def prepare(self) -> None:
        """Run every reference answer under every seed; a failing one is a problem-set error.

        A reference gets the same time as an answer: ``timeout`` for all its samples.
        """
        self.expected = []
        for problem in self.problem_set.problems:
            where = f"problem {problem.id!r}"
            slow = f"{where}: the reference answer ran past the {self.limits.timeout:g} s timeout"
            try:
                with self._timed():
                    per_sample = [
                        self._run(problem, seed, problem.answer, "<reference>")
                        for seed in problem.seeds
                    ]
            except AnswerTimeout:
                raise ProblemSetError(slow) from None
            except _SetupFailed as exc:
                raise ProblemSetError(bounded(f"{where}: setup fails: {exc}")) from None
            except _NoFunction as exc:
                raise ProblemSetError(bounded(f"{where}: the reference: {exc}")) from None
            except AdcliError as exc:
                if isinstance(exc, LimitError) and _is_time_limit(exc):
                    raise ProblemSetError(slow) from None
                raise ProblemSetError(
                    f"{where}: the reference answer fails: {_where(exc)}"
                ) from None
            for values in per_sample:
                for name, value in zip(problem.check_names(), values, strict=True):
                    if isinstance(value, Failed):
                        message = f"{where}: check {name!r} fails on the reference: {value.error}"
                        raise ProblemSetError(bounded(message))
            self.expected.append(per_sample)

    @contextmanager
    def _timed(self) -> Iterator[None]:
        """Give what runs inside the timeout: the interpreter's deadline, then the alarm."""
        timeout = self.limits.timeout
        self._deadline = time.monotonic() + timeout if timeout else None
        try:
            with alarm(timeout + 0.1 if timeout else 0):
                yield
        finally:
            self._deadline = None

    def _run(
        self, problem: Problem, seed: int, answer: str, filename: str, kind: str = "adc"
    ) -> list[object]:
        """Setup, then the answer, in a fresh session; the plain values of the checks."""
        self.engine.reset()  # an answer may have called set_grad_enabled(False), ...
        self.engine.manual_seed(seed)
        limits_mod.install(self.limits)
        session = self.engine.session(limits=self.limits, out=_discard)
        self._bound(session)
        if problem.setup.strip():
            try:
                session.exec_source(problem.setup, "<setup>")
            except AdcliError as exc:
                raise _SetupFailed(_where(exc)) from None
        calls = self._sample_inputs(problem, session) if problem.function else []
        runs_as = WHOLE_SET_KINDS.get(kind, kind)
        if runs_as in PYTHON_KINDS:
            last = self._run_python(session, seed, answer, filename, runs_as)
        else:
            last = session.exec_source(answer, filename)
        if kind in WHOLE_SET_KINDS and not problem.function and problem.checks is None:
            last = _variable(session, problem, filename)
        if problem.function:
            return self._call(problem, session, calls)
        if problem.checks is None and not problem.hidden_check:
            return [plain(last)]
        values: list[object] = [plain(last)] if problem.checks is None else []
        for expr in (problem.checks or ()) + problem.hidden_check:
            try:
                values.append(plain(session.eval_expr(expr)))
            except LimitError:
                raise
            except AdcliError as exc:
                values.append(Failed(bounded(f"{exc.kind}: {exc}")))
        return values

    def _sample_inputs(self, problem: Problem, session: object) -> list[tuple]:
        """Each call's arguments, drawn after the setup and before the answer runs (so an
        answer that draws random numbers itself does not change them)."""
        calls = []
        for args in problem.calls():
            try:
                value = session.eval_expr(f"({args},)")  # type: ignore[attr-defined]
            except LimitError:
                raise
            except AdcliError as exc:
                raise _SetupFailed(f"inputs {args!r}: {_where(exc)}") from None
            calls.append(tuple(value))
        return calls

    def _call(self, problem: Problem, session: object, calls: list[tuple]) -> list[object]:
        """The function the answer defined, called on each input: the plain results (an
        error inside it is that call's ``Failed``), then gradcheck's verdict if asked."""
        function = _resolve(session, problem.function)
        values: list[object] = []
        for args in calls:
            try:
                values.append(plain(function(*args)))
            except (LimitError, MemoryError, RecursionError):
                raise
            except Exception as exc:  # noqa: BLE001 - the answer's error, mapped
                values.append(Failed(_call_error(exc)))
        if problem.gradcheck:
            values.append(_gradcheck(function, calls, problem))
        return values

    def _bound(self, session: object) -> None:
        """Give a session the deadline of the answer being run (the interpreter's clean
        stop), and the cache of syntax trees."""
        if "_parse" in getattr(type(session), "__dict__", {}):
            session._parse = _cached_parse(session)  # type: ignore[attr-defined]
        if self._deadline is not None and hasattr(session, "deadline"):
            session.deadline = self._deadline

    def _run_python(
        self, setup: object, seed: int, answer: str, filename: str, kind: str
    ) -> object:
        """Run a ``.py`` or ``.ipynb`` answer with Python's meaning; its last value.

        The Python session starts with the names the setup bound; afterwards the names the
        answer bound are copied back into the setup's session, where the problem's check
        expressions (adcli code) are evaluated.
        """
        if self.engine.python_session is not None:
            session = self.engine.python_session(self.limits, _discard, seed)
        else:
            session = self.engine.session(limits=self.limits, out=_discard)
        self._bound(session)
        names = _names(setup)
        if names is not None and _names(session) is not None:
            _names(session).update(names)
        if kind == "py":
            last = session.exec_source(answer, filename)
        else:
            last = self._run_cells(session, answer, filename)
        if names is not None and _names(session) is not None:
            names.update(_names(session))
        return last

    def _run_cells(self, session: object, answer: str, filename: str) -> object:
        """A notebook's code cells in order; an error ends the answer, naming its cell."""
        from adcli.notebook import NotebookError, read_notebook

        if self._notebook is None or self._notebook[0] is not answer:  # once, not per seed
            try:
                cells, _ = read_notebook(answer.encode("utf-8"), self.limits.max_input_bytes)
            except NotebookError as exc:
                raise _Unreadable(f"{show_path(filename)}: {exc}") from None
            self._notebook = (answer, cells)
        cells = self._notebook[1]
        last = None
        for cell in cells:
            try:
                value = session.exec_source(cell.source, f"{filename} cell {cell.number}")
            except AdcliError as exc:
                exc.cell = cell.number  # type: ignore[attr-defined]
                raise
            if _has_code(cell.source):
                last = value
        return last

    def grade(
        self, index: int, answer: str | None, filename: str, kind: str = "adc"
    ) -> tuple[ProblemResult, bool]:
        """The verdict on one answer, and whether the worker's state is now suspect.

        ``kind`` is how the answer runs: ``adc``, ``py`` or ``ipynb``.

        A suspect worker (after a timeout, an out-of-memory or an internal error) should be
        replaced before it checks anything else.
        """
        problem = self.problem_set.problems[index]

        def result(verdict: str, message: str, **extra: object) -> ProblemResult:
            return ProblemResult(problem.id, verdict, 0.0, problem.points, message, **extra)

        if answer is None:
            return result("invalid", "no answer given"), False
        try:
            with self._timed():
                return self._compare(index, problem, answer, filename, kind), False
        except AnswerTimeout:
            return result("timeout", f"no result within {self.limits.timeout:g} s"), True
        except MemoryError:
            return result("limit", "ran out of memory"), True
        except RecursionError:
            return result("limit", "nested too deeply"), True
        except LimitError as exc:
            verdict = "timeout" if _is_time_limit(exc) else "limit"
            where = _cell(exc)
            return result(verdict, f"{where[1:]}: {exc}" if where else str(exc)), False
        except AdcliError as exc:
            return result("invalid", _where(exc), pos=exc.pos), False
        except _Unreadable as exc:
            return result("invalid", str(exc)), False
        except _NoFunction as exc:
            return result("wrong", str(exc)), False
        except _NoVariable as exc:
            return result("missing", str(exc)), False
        except _SetupFailed as exc:
            return result("invalid", f"internal error: setup fails: {exc}", internal=True), True
        except Exception as exc:  # noqa: BLE001 - any other escape is adcli's own bug
            mapped = adcli_error_for(exc)
            if mapped is not None:
                return result("invalid", _where(mapped)), False
            message = f"internal error: {type(exc).__name__}: {bounded(str(exc))}"
            return result("invalid", message, internal=True), True

    def _compare(
        self, index: int, problem: Problem, answer: str, filename: str, kind: str = "adc"
    ) -> ProblemResult:
        names = problem.check_names()
        failures: dict[int, tuple[int, Comparison]] = {}
        seeds = problem.seeds
        for k, seed in enumerate(seeds):
            got = self._run(problem, seed, answer, filename, kind)
            for i, (expected, value) in enumerate(zip(self.expected[index][k], got, strict=True)):
                if i not in failures:
                    outcome = compare(expected, value, rtol=problem.rtol, atol=problem.atol)
                    if not outcome.match:
                        failures[i] = (k, outcome)
            if len(failures) == len(names):
                break
        matched = len(names) - len(failures)
        score = round(problem.points * matched / len(names), 6)
        if not failures:
            return ProblemResult(problem.id, "correct", score, problem.points)
        messages, hidden, differences = [], [], []
        public, public_own = [], []  # the messages with the hidden checks withheld
        secret = problem.hidden_checks()
        for i, (k, outcome) in sorted(failures.items()):
            where = f" (sample {k + 1} of {len(seeds)})" if len(seeds) > 1 else ""
            text = f"{names[i]}{where}: {outcome.summary}"
            own = f"{names[i]}{where}: {outcome.student_summary}"
            if outcome.differences:
                text += ": " + format_differences(outcome.differences)
                own += ": " + format_differences(outcome.differences, hide_expected=True)
            if (
                kind in PYTHON_KINDS
                and problem.checks is None
                and i == 0
                and outcome.summary.endswith("got None")
            ):
                text += f" ({_LAST_VALUE_HINT[kind]})"
                own += f" ({_LAST_VALUE_HINT[kind]})"
            messages.append(text)
            hidden.append(own)
            if i not in secret:
                public.append(text)
                public_own.append(own)
            differences += [
                {"check": names[i], "sample": k, **d.to_json()} for d in outcome.differences
            ]
        if secret:
            for n, i in enumerate(sorted(secret), 1):
                state = "failed" if i in failures else "passed"
                public.append(f"hidden test {n}: {state}")
                public_own.append(f"hidden test {n}: {state}")
        return ProblemResult(
            problem.id,
            "wrong",
            score,
            problem.points,
            " | ".join(messages),
            differences=differences,
            hidden=" | ".join(hidden),
            public=" | ".join(public),
            public_own=" | ".join(public_own),
            secret_checks=[names[i] for i in sorted(secret)],
        )


_LAST_VALUE_HINT = {
    "py": "a .py answer's value is its last statement, when that is an expression",
    "ipynb": "a notebook answer's value is its last code cell's last statement, "
    "when that is an expression",
}


def _variable(session: object, problem: Problem, filename: str) -> object:
    """The value a whole-set file left in the variable named after a value problem's id;
    _NoVariable when it left none."""
    name = answer_variable(problem.id)
    names = _names(session)
    if names is not None:
        if name in names:
            return dict.__getitem__(names, name)
    elif name.isidentifier():
        try:
            return session.eval_expr(name)  # type: ignore[attr-defined]
        except AdcliError:
            pass
    raise _NoVariable(
        f"no answer: {show_path(filename)} leaves no variable {printable(name)} "
        f"(the answer to {printable(problem.id)})"
    )


def _names(session: object) -> dict | None:
    """A session's module-level names (None for a test double that has no scope)."""
    scope = getattr(session, "scope", None)
    return scope if isinstance(scope, dict) else None
