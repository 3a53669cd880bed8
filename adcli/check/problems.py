"""Problem sets (TOML) and submissions (a TOML answers file, a directory of answer
files: ``ID.adc``, ``ID.py`` or ``ID.ipynb``, one per problem, or one ``.py`` or
``.ipynb`` file that answers the whole set).

Submissions come from people the grader does not trust, so they are read with care:

- nothing is opened through a symbolic link: a link where a submission, a class entry or an
  answer file should be is refused (``lstat`` before, ``O_NOFOLLOW`` when opening);
- a file is opened with ``O_NONBLOCK`` (a FIFO cannot hang a worker), then ``fstat`` must
  show the same regular file that ``lstat`` saw, of at most the size allowed;
- a directory is opened with ``O_DIRECTORY | O_NOFOLLOW`` and its files relative to that
  descriptor (``dir_fd``), so swapping a path for a link between two calls redirects nothing;
- a message about a broken submission says what is wrong and where (line and column) and
  never quotes what the file holds; paths are shown with ``show_path``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from functools import cached_property

from adcli.diagnostics import printable, shorten, show_path

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_PROBLEM_KEYS = {
    "id", "points", "prompt", "setup", "answer", "check", "samples", "rtol", "atol",
    "function", "reference", "inputs", "hidden_inputs", "gradcheck", "hidden", "hidden_check",
}
_FUNCTION = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_DEFAULT_KEYS = {"rtol", "atol", "samples", "points"}
_TOP_KEYS = {"title", "defaults", "problem"}
MAX_PROBLEM_SET_BYTES = 16 * 2**20  # a problem set larger than this is refused
# The files that answer a problem in a submission directory, by suffix: the kind each
# runs as (adcli's own dialect, a Python program, a Jupyter notebook), as ``adcli run``.
ANSWER_KINDS = {".adc": "adc", ".py": "py", ".ipynb": "ipynb"}
STUDENT_FILE = "student.toml"  # in a submission directory: who handed it in
# One file that answers the whole set, by suffix: the kind its answers run as. A value
# problem's answer is then the variable named after its id (``answer_variable``); the
# grader runs such a kind as the Python kind it names (``WHOLE_SET_KINDS``).
WHOLE_SET_SUFFIXES = {".py": "py-set", ".ipynb": "ipynb-set"}
WHOLE_SET_KINDS = {"py-set": "py", "ipynb-set": "ipynb"}


def answer_variable(problem_id: str) -> str:
    """The variable that holds the answer to a value problem in a whole-set file: the id
    with ``-`` and ``.`` replaced by ``_`` (``mean_square`` for ``mean-square``)."""
    return problem_id.replace("-", "_").replace(".", "_")

_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


class ProblemSetError(Exception):
    """The problem set cannot be read or is not well formed (a usage error, exit status 2)."""


class SubmissionError(Exception):
    """A submission cannot be read; it costs that submission only."""


@dataclass(frozen=True)
class Problem:
    """One problem: the reference answer and how a submission's answer is compared with it."""

    id: str
    points: float
    setup: str
    answer: str
    checks: tuple[str, ...] | None  # None: compare the answer's last value
    samples: int
    rtol: float
    atol: float
    prompt: str = ""
    # A function problem: the name (or dotted path, ``MyExp.apply``) that the answer must
    # define; ``answer`` is then the reference code that defines it, and each of
    # ``inputs`` (adcli code: a call's arguments) is sampled under every seed and passed
    # to it. ``gradcheck``: also run gradcheck on it in float64 on every input.
    function: str = ""
    inputs: tuple[str, ...] = ()
    gradcheck: bool = False
    hidden: bool = False  # a hidden test: reports show only "hidden test: passed/failed"
    hidden_inputs: tuple[str, ...] = ()  # calls (after ``inputs``) that are hidden tests
    hidden_check: tuple[str, ...] = ()  # check expressions (after ``check``): hidden tests

    def calls(self) -> tuple[str, ...]:
        """A function problem's argument lists: the visible inputs, then the hidden ones."""
        return self.inputs + self.hidden_inputs

    def hidden_checks(self) -> frozenset[int]:
        """The indices (in ``check_names``) of the checks that are hidden tests."""
        if self.function:
            start, count = len(self.inputs), len(self.hidden_inputs)
        else:
            count = len(self.hidden_check)
            start = len(self.check_names()) - count
        return frozenset(range(start, start + count))

    def check_names(self) -> tuple[str, ...]:
        """How reports name the compared values."""
        if self.function:
            names = tuple(f"{self.function}({args})" for args in self.calls())
            return names + (("gradcheck",) if self.gradcheck else ())
        visible = self.checks if self.checks is not None else ("last value",)
        return visible + self.hidden_check

    @cached_property
    def seeds(self) -> tuple[int, ...]:
        """The random seeds the setup is run under, one per sample; fixed per problem."""
        return tuple(
            int.from_bytes(hashlib.sha256(f"{self.id}:{k}".encode()).digest()[:4], "big")
            for k in range(self.samples)
        )


@dataclass(frozen=True)
class ProblemSet:
    """A titled list of problems, with the digest of its text (results logs are tied to it)."""

    title: str
    path: str
    problems: tuple[Problem, ...]
    digest: str

    @property
    def max_score(self) -> float:
        return float(sum(p.points for p in self.problems))


def load_problem_set(path: str) -> ProblemSet:
    """Read and validate a problem set file (a link the teacher made to it is followed)."""
    shown = show_path(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise ProblemSetError(f"problem set {shown} is a directory, not a TOML file")
        if not stat.S_ISREG(st.st_mode):
            raise ProblemSetError(f"problem set {shown} is not a regular file")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ProblemSetError(f"problem set {shown} is not a regular file")
            raw = _read_bounded(fd, MAX_PROBLEM_SET_BYTES)
        finally:
            os.close(fd)
    except OSError as exc:
        raise ProblemSetError(f"cannot read problem set {shown}: {_why(exc)}") from None
    if raw is None:
        raise ProblemSetError(
            f"problem set {shown} is larger than {MAX_PROBLEM_SET_BYTES:,} bytes"
        )
    return parse_problem_set(raw, path)


def parse_problem_set(raw: bytes, path: str = "<problem set>") -> ProblemSet:
    """Validate a problem set's TOML text; every mistake names its problem and key."""
    shown = show_path(path)
    data = _parse_toml(raw, shown, ProblemSetError, "not valid TOML")
    path_text = os.fsdecode(path)
    _no_unknown(data, _TOP_KEYS, shown)
    title = data.get("title", os.path.splitext(os.path.basename(path_text))[0])
    if not isinstance(title, str):
        raise ProblemSetError(f"{shown}: title must be a string")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise ProblemSetError(f"{shown}: [defaults] must be a table")
    _no_unknown(defaults, _DEFAULT_KEYS, f"{shown} [defaults]")
    base = {
        "rtol": _number(defaults, "rtol", 1e-4, f"{shown} [defaults]"),
        "atol": _number(defaults, "atol", 1e-6, f"{shown} [defaults]"),
        "samples": _count(defaults, "samples", 1, f"{shown} [defaults]"),
        "points": _number(defaults, "points", 1.0, f"{shown} [defaults]"),
    }
    entries = data.get("problem", [])
    if not isinstance(entries, list) or not entries:
        raise ProblemSetError(f"{shown}: no [[problem]] tables")
    problems: list[Problem] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, 1):
        where = f"{shown} problem {n}"
        if not isinstance(entry, dict):
            raise ProblemSetError(f"{where}: must be a table")
        pid = entry.get("id")
        if not isinstance(pid, str) or not _ID.match(pid):
            raise ProblemSetError(
                f"{where}: id must be a name of letters, digits, '_', '.' or '-' "
                f"(it names the file ID.adc, ID.py or ID.ipynb), got {_value(pid)}"
            )
        where = f"{shown} problem {pid!r}"
        if pid in seen:
            raise ProblemSetError(f"{where}: duplicate id")
        seen.add(pid)
        _no_unknown(entry, _PROBLEM_KEYS, where)
        function, inputs, gradcheck = _function_keys(entry, where)
        answer = entry.get("reference" if function else "answer")
        if not isinstance(answer, str) or not answer.strip():
            raise ProblemSetError(
                f"{where}: reference (the code that defines {function}) must be a non-empty "
                "string"
                if function
                else f"{where}: answer (the reference) must be a non-empty string"
            )
        checks = entry.get("check")
        if isinstance(checks, str):
            checks = [checks]
        if checks is not None and (
            not isinstance(checks, list)
            or not checks
            or not all(isinstance(c, str) and c.strip() for c in checks)
        ):
            raise ProblemSetError(f"{where}: check must be a non-empty list of expressions")
        problems.append(
            Problem(
                id=pid,
                points=_number(entry, "points", base["points"], where),
                setup=_string(entry, "setup", where),
                answer=answer,
                checks=tuple(c.strip() for c in checks) if checks is not None else None,
                samples=_count(entry, "samples", base["samples"], where),
                rtol=_number(entry, "rtol", base["rtol"], where),
                atol=_number(entry, "atol", base["atol"], where),
                prompt=_string(entry, "prompt", where),
                function=function,
                inputs=inputs,
                gradcheck=gradcheck,
                hidden=_flag(entry, "hidden", where),
                hidden_inputs=(
                    _argument_lists(entry, "hidden_inputs", where, required=False)
                    if function
                    else ()
                ),
                hidden_check=_expressions(entry, "hidden_check", where),
            )
        )
    return ProblemSet(title, path_text, tuple(problems), hashlib.sha256(raw).hexdigest())


def _argument_lists(entry: dict, key: str, where: str, required: bool) -> tuple[str, ...]:
    value = entry.get(key, None if required else [])
    if isinstance(value, str):
        value = [value]
    if (
        not isinstance(value, list)
        or (required and not value)
        or not all(isinstance(i, str) and i.strip() for i in value)
    ):
        raise ProblemSetError(
            f"{where}: {key} must be a {'non-empty ' if required else ''}list of argument "
            'lists (adcli code, one string per call: "randn(3)", "randn(2, 2), 0.5")'
        )
    return tuple(i.strip() for i in value)


def _function_keys(entry: dict, where: str) -> tuple[str, tuple[str, ...], bool]:
    """A function problem's ``function``, ``inputs`` and ``gradcheck`` (("", (), False)
    for a problem that compares values); a key that belongs to the other kind is an error."""
    function = entry.get("function")
    if function is None:
        for key in ("reference", "inputs", "hidden_inputs", "gradcheck"):
            if key in entry:
                raise ProblemSetError(f"{where}: {key} is a key of a function problem: "
                                      "give function too")
        return "", (), False
    if not isinstance(function, str) or not _FUNCTION.match(function) or "__" in function:
        raise ProblemSetError(
            f"{where}: function must be a name or a dotted path (grad_f, MyExp.apply), "
            f"got {_value(function)}"
        )
    for key in ("answer", "check", "hidden_check"):
        if key in entry:
            raise ProblemSetError(
                f"{where}: a function problem has no {key}: reference defines {function}, "
                "and inputs says what it is called with"
            )
    inputs = _argument_lists(entry, "inputs", where, required=True)
    return function, inputs, _flag(entry, "gradcheck", where)


def _expressions(table: dict, key: str, where: str) -> tuple[str, ...]:
    """An optional list of expressions (or one)."""
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(c, str) and c.strip() for c in value):
        raise ProblemSetError(f"{where}: {key} must be a list of expressions")
    return tuple(c.strip() for c in value)


def _flag(table: dict, key: str, where: str) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise ProblemSetError(f"{where}: {key} must be true or false, got {_value(value)}")
    return value


def _no_unknown(table: dict, known: set[str], where: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise ProblemSetError(
            f"{where}: unknown key {_value(unknown[0])} (known: {', '.join(sorted(known))})"
        )


def _number(table: dict, key: str, default: float, where: str) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ProblemSetError(f"{where}: {key} must be a number >= 0, got {_value(value)}")
    return float(value)


def _count(table: dict, key: str, default: int, where: str) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise ProblemSetError(
            f"{where}: {key} must be an integer from 1 to 1000, got {_value(value)}"
        )
    return value


def _string(table: dict, key: str, where: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ProblemSetError(f"{where}: {key} must be a string")
    return value


def _value(value: object) -> str:
    """A value of the problem set named in a message: its repr, escaped and short."""
    return shorten(printable(repr(value))[:200], 60)


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


# TOML errors as tomllib words them quote the text (a key, a character); these do not.
_TOML_AT = re.compile(r" \(at (line \d+, column \d+|end of document)\)$")
_TOML_FIXED = frozenset(
    {
        "Invalid statement",
        "Expected newline or end of document after a statement",
        "Cannot overwrite a value",
        "Expected ']' at the end of a table declaration",
        "Expected ']]' at the end of an array declaration",
        "Expected '=' after a key in a key/value pair",
        "Invalid initial character for a key part",
        "Unclosed array",
        "Unclosed inline table",
        "Unescaped '\\' in a string",
        "Invalid hex value",
        "Escaped character is not a Unicode scalar value",
        "Unterminated string",
        "Invalid date or datetime",
        "Invalid value",
    }
)
_TOML_GENERIC = (
    ("Cannot declare", "a table declared twice"),
    ("Cannot mutate immutable namespace", "a key redefined"),
    ("Cannot redefine namespace", "a key redefined"),
    ("Duplicate inline table key", "a key repeated in an inline table"),
    ("Found invalid character", "an invalid character"),
    ("Illegal character", "an illegal character"),
    ("Expected", "a missing closing mark"),
)


def toml_problem(exc: tomllib.TOMLDecodeError) -> str:
    """What is wrong in a TOML text and where, without quoting any of the text."""
    text = str(exc)
    at = _TOML_AT.search(text)
    what = text[: at.start()] if at else ""
    if what not in _TOML_FIXED:
        what = next((g for prefix, g in _TOML_GENERIC if what.startswith(prefix)), "invalid TOML")
    where = at.group(1) if at else "an unknown position"
    if getattr(exc, "lineno", None) and getattr(exc, "colno", None):  # Python 3.14
        where = f"line {exc.lineno}, column {exc.colno}"
    return f"{what} (at {where})"


def _parse_toml(raw: bytes, shown: str, error: type[Exception], what: str) -> dict:
    """Decode and parse a TOML text; a mistake raises ``error`` saying where, not what."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"{shown}: not UTF-8 text (byte {exc.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{shown}: {what}: {toml_problem(exc)}") from None
    except RecursionError:
        raise error(f"{shown}: {what}: nested too deeply") from None
    return data


def _read_bounded(fd: int, cap: int) -> bytes | None:
    """Everything ``fd`` holds, or None when it holds more than ``cap`` bytes (0: no cap)."""
    chunks, size = [], 0
    while True:
        want = 1 << 20 if not cap else min(1 << 20, cap + 1 - size)
        chunk = os.read(fd, want)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if cap and size > cap:
            return None


# --- submissions -------------------------------------------------------------------------


def expand_submissions(paths: list[str], problem_ids: list[str] | None = None) -> list[str]:
    """The submissions named on the command line, with class directories expanded.

    A directory that holds answer files (``.adc``, ``.py`` or ``.ipynb``) is one
    submission. A directory that holds none, but holds ``.toml`` files or
    sub-directories, is a class: each of those is a submission, in sorted order. A
    symbolic link in a class that looks like a submission (a ``.toml`` name, or a link to
    a directory) is listed too, so that the report shows it, refused. Paths are kept as
    the OS gives them (undecodable bytes as surrogate escapes). Duplicates are dropped.

    Given the set's ``problem_ids``, a directory is one submission only when it holds an
    answer file named after a problem (``ID.adc``, ``ID.py``, ``ID.ipynb``) or any
    ``.adc`` file; otherwise its ``.py`` and ``.ipynb`` files (named after no problem,
    ``alice.py``) are whole-set submissions of the class, listed with its ``.toml`` files
    and sub-directories.
    """
    known = None if problem_ids is None else frozenset(problem_ids)
    out: list[str] = []
    seen: set[str] = set()
    for raw in paths:
        path = os.path.normpath(raw)
        names = _class_entries(path, known)
        items = [os.path.join(path, n) for n in names] if names is not None else [path]
        for item in items:
            if item not in seen:
                seen.add(item)
                out.append(item)
    return out


def _class_entries(path: str, known: frozenset[str] | None = None) -> list[str] | None:
    """The sorted submission names in a class directory; None when ``path`` is not one.

    ``known``: the problem ids, when given (a ``.py`` or ``.ipynb`` file named after no
    problem is then a whole-set submission of the class). The directory named on the
    command line may be reached through a link (the teacher made it); its entries are
    read through its descriptor, and none is followed.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        names: list[str] = []
        with os.scandir(fd) as it:
            for entry in it:
                name = entry.name
                if name.startswith(".") or name == STUDENT_FILE:
                    continue
                whole = False
                if name.endswith(tuple(ANSWER_KINDS)):
                    stem, suffix = os.path.splitext(name)
                    if known is None or suffix not in WHOLE_SET_SUFFIXES or stem in known:
                        return None  # a submission directory, not a class
                    whole = True  # a file that answers the whole set: listed, like .toml
                submission_name = whole or name.endswith(".toml")
                try:
                    if entry.is_symlink():
                        wanted = submission_name or _links_to_dir(name, fd)
                    else:
                        wanted = submission_name or entry.is_dir(follow_symlinks=False)
                except OSError:
                    wanted = submission_name
                if wanted:
                    names.append(name)
    except OSError:
        return None
    finally:
        os.close(fd)
    return sorted(names) or None


def _links_to_dir(name: str, dir_fd: int) -> bool:
    """Whether a link in a class points at a directory (looked at, never opened)."""
    try:
        return stat.S_ISDIR(os.stat(name, dir_fd=dir_fd).st_mode)
    except OSError:
        return False


def shard_of(key: str, count: int) -> int:
    """The 0-based shard of ``count`` that a submission belongs to, by a stable hash."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count


def parse_shard(text: str) -> tuple[int, int]:
    """``"I/N"`` (1-based) as ``(I, N)``; ValueError when malformed."""
    left, sep, right = text.partition("/")
    if not sep or not left.strip().isdigit() or not right.strip().isdigit():
        raise ValueError(f"--shard wants I/N such as 1/4, got {text!r}")
    i, n = int(left), int(right)
    if not 1 <= i <= n:
        raise ValueError(f"--shard I/N needs 1 <= I <= N, got {text!r}")
    return i, n


class _Absent(Exception):
    """A submission directory has no file for this problem."""


@dataclass
class Submission:
    """A submission as read: the answer text per problem id, and the answer files refused.

    A problem that is in neither dict was not answered. ``kinds`` says how an answer runs
    (``adc``, ``py`` or ``ipynb``, from its file's suffix); absent means ``adc``.
    """

    path: str
    is_dir: bool
    answers: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)  # id -> why its file was refused
    kinds: dict[str, str] = field(default_factory=dict)  # id -> "py" | "ipynb" (else adc)
    notes: list[str] = field(default_factory=list)  # what it holds that answers nothing
    student: dict[str, str] = field(default_factory=dict)  # "id" and "name", when it says
    whole: bool = False  # one .py or .ipynb file that answers every problem

    def missing(self, problem_id: str) -> str:
        """Why a problem has no answer: the message names what adcli looked for."""
        pid = printable(problem_id)
        if self.whole:
            return (
                f"no answer: {show_path(self.path)} leaves no variable "
                f"{printable(answer_variable(problem_id))} (the answer to {pid})"
            )
        if self.is_dir:
            names = ", ".join(pid + suffix for suffix in ANSWER_KINDS)
            return f"no answer: {show_path(self.path)} holds none of {names}"
        return f"no answer: {show_path(self.path)} has no answers.{pid} in its [answers] table"

    def kind(self, problem_id: str) -> str:
        """How the answer to a problem runs: ``adc``, ``py`` or ``ipynb``; in a whole-set
        file, ``py-set`` or ``ipynb-set`` (the grader reads a value problem's variable)."""
        return self.kinds.get(problem_id, "adc")

    def runs_as(self, problem_id: str) -> str:
        """The language the answer's text is in: ``adc``, ``py`` or ``ipynb``."""
        kind = self.kind(problem_id)
        return WHOLE_SET_KINDS.get(kind, kind)

    def filename(self, problem_id: str) -> str:
        """How diagnostics name the answer to a problem."""
        if self.whole:
            return self.path
        if self.is_dir:
            return os.path.join(self.path, problem_id + "." + self.kind(problem_id))
        return f"{self.path}:answers.{problem_id}"


def read_submission(path: str, problem_ids: list[str], max_bytes: int) -> Submission:
    """Read a submission: a TOML answers file, a directory of answer files, or one
    ``.py`` or ``.ipynb`` file that answers the whole set.

    In a directory, the answer to problem ID is ``ID.adc``, ``ID.py`` or ``ID.ipynb``.
    A whole-set file is every problem's answer text (kind ``py-set`` or ``ipynb-set``).
    Raises SubmissionError when the whole submission cannot be used (a link, a FIFO, a
    broken TOML file); an answer file of a directory that cannot be used is ``refused``
    and costs only its problem, as do two answer files for one problem.
    """
    shown = show_path(path)
    try:
        before = os.lstat(path)
    except OSError as exc:
        raise SubmissionError(f"cannot read {shown}: {_why(exc)}") from None
    if stat.S_ISLNK(before.st_mode):
        raise SubmissionError(
            f"{shown} is a symbolic link; submissions must be regular files or directories"
        )
    if stat.S_ISDIR(before.st_mode):
        return _read_directory(path, shown, before, problem_ids, max_bytes)
    if not stat.S_ISREG(before.st_mode):
        raise SubmissionError(f"{shown} is not a regular file or a directory")
    raw = _read_bytes(path, max_bytes, shown, "submissions")
    suffix = os.path.splitext(os.fsdecode(path))[1]
    if suffix in WHOLE_SET_SUFFIXES:
        return _read_whole(path, shown, raw, WHOLE_SET_SUFFIXES[suffix], problem_ids)
    data = _parse_toml(raw, shown, SubmissionError, "not a valid TOML answers file")
    table = data.get("answers")
    if not isinstance(table, dict):
        raise SubmissionError(f"{shown}: the TOML answers file has no [answers] table")
    submission = Submission(path, is_dir=False)
    for pid in problem_ids:
        if pid in table:
            value = table[pid]
            if not isinstance(value, str):
                raise SubmissionError(f"{shown}: answers.{pid} must be a string of adcli code")
            submission.answers[pid] = value
    submission.student = student_of(data)
    if not table:
        submission.notes.append(f"{shown}: the [answers] table is empty")
    known = set(problem_ids)
    unknown = [key for key in table if key not in known]
    for key in unknown[:MAX_NOTES]:
        submission.notes.append(
            f"{shown}: answers.{shorten(printable(key), 60)} is not a problem of this set "
            f"({_id_list(problem_ids)}); ignored"
        )
    _more(submission.notes, len(unknown))
    return submission


def _read_whole(
    path: str, shown: str, raw: bytes, kind: str, problem_ids: list[str]
) -> Submission:
    """One file that answers every problem: its text is each problem's answer."""
    text = _decode(raw, shown)
    submission = Submission(path, is_dir=False, whole=True)
    for pid in problem_ids:
        submission.answers[pid] = text  # one string: a notebook is parsed once per worker
        submission.kinds[pid] = kind
    if kind == "ipynb-set":
        submission.student = _notebook_student(text)
    return submission


def _notebook_student(text: str) -> dict[str, str]:
    """The student a notebook's ``metadata`` names, if it does."""
    try:
        metadata = json.loads(text).get("metadata", {})
    except (ValueError, AttributeError, RecursionError):
        return {}
    student = metadata.get("student") if isinstance(metadata, dict) else None
    return student_of({"student": student})


MAX_NOTES = 20  # notes about one submission's stray files
_MAX_LISTED = 10_000  # entries of a submission directory looked at for notes


def _id_list(problem_ids: list[str]) -> str:
    shown = ", ".join(printable(p) for p in problem_ids[:8])
    return "problems: " + shown + (", ..." if len(problem_ids) > 8 else "")


def _more(notes: list[str], count: int) -> None:
    if count > MAX_NOTES:
        notes.append(f"... and {count - MAX_NOTES:,} more like these")


def _directory_notes(fd: int, shown: str, problem_ids: list[str]) -> list[str]:
    """What a submission directory holds that answers no problem: an empty folder, files
    of another kind, answer files named after no problem, sub-directories. Hidden entries
    (``.name``) and ``student.toml`` are passed over. Nothing is opened or followed."""
    entries: list[tuple[str, bool]] = []
    total = 0
    with os.scandir(fd) as it:
        for entry in it:
            total += 1
            if entry.name.startswith(".") or entry.name == STUDENT_FILE:
                continue
            if len(entries) < _MAX_LISTED:
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                entries.append((entry.name, is_dir))
    if not total:
        return [
            f"{shown} is empty: adcli looks for one file per problem, "
            "named ID.adc, ID.py or ID.ipynb"
        ]
    known = set(problem_ids)
    notes: list[str] = []
    count = 0
    for name, is_dir in sorted(entries):
        stem, suffix = os.path.splitext(name)
        shown_name = show_path(name)
        if is_dir:
            note = (
                f"{shown_name} is a folder: answers go directly in {shown}, "
                "as ID.adc, ID.py or ID.ipynb; ignored"
            )
        elif suffix not in ANSWER_KINDS:
            note = (
                f"{shown_name} is not an answer file (adcli reads ID.adc, ID.py and "
                "ID.ipynb); ignored"
            )
        elif stem not in known:
            note = (
                f"{shown_name}: {show_path(stem)} is not a problem of this set "
                f"({_id_list(problem_ids)}); ignored"
            )
        else:
            continue
        count += 1
        if count <= MAX_NOTES:
            notes.append(note)
    _more(notes, count)
    return notes


def _read_directory(
    path: str, shown: str, before: os.stat_result, problem_ids: list[str], max_bytes: int
) -> Submission:
    try:
        fd = os.open(path, _DIR_FLAGS)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise SubmissionError(f"{shown} was replaced while it was read") from None
        raise SubmissionError(f"cannot read {shown}: {_why(exc)}") from None
    try:
        st = os.fstat(fd)
        if (st.st_dev, st.st_ino) != (before.st_dev, before.st_ino):
            raise SubmissionError(f"{shown} was replaced while it was read")
        submission = Submission(path, is_dir=True)
        for pid in problem_ids:
            present = [suffix for suffix in ANSWER_KINDS if _exists(pid + suffix, fd)]
            if not present:
                continue
            if len(present) > 1:
                names = " and ".join(printable(pid + suffix) for suffix in present)
                submission.refused[pid] = (
                    f"{shown} holds {len(present)} answers to problem {printable(pid)}: "
                    f"{names}; keep one"
                )
                continue
            name = pid + present[0]
            kind = ANSWER_KINDS[present[0]]
            if kind != "adc":
                submission.kinds[pid] = kind
            file = show_path(os.path.join(path, name))
            try:
                raw = _read_bytes(name, max_bytes, file, dir_fd=fd)
                submission.answers[pid] = _decode(raw, file)
            except _Absent:
                continue
            except SubmissionError as exc:
                submission.refused[pid] = str(exc)
        try:
            submission.notes = _directory_notes(fd, shown, problem_ids)
        except OSError as exc:
            submission.notes = [f"cannot list {shown}: {_why(exc)}"]
        _directory_student(submission, fd, shown, max_bytes)
        return submission
    finally:
        os.close(fd)


def _exists(name: str, dir_fd: int) -> bool:
    """Whether a directory entry of that name is there (a link counts; never followed)."""
    try:
        os.lstat(name, dir_fd=dir_fd)
    except FileNotFoundError:
        return False
    except OSError:
        return True  # there, but unreadable: reading it says why
    return True


def _read_bytes(
    name: str, max_bytes: int, shown: str, kind: str = "answers", *, dir_fd: int | None = None
) -> bytes:
    """Read a regular file of at most ``max_bytes`` (0: no bound).

    Never follows a link and never blocks: ``lstat``, then ``open`` with ``O_NOFOLLOW |
    O_NONBLOCK``, then ``fstat`` must show the same regular file. In a directory
    (``dir_fd``), a missing file raises _Absent.
    """
    try:
        before = os.lstat(name, dir_fd=dir_fd)
    except FileNotFoundError:
        if dir_fd is not None:
            raise _Absent from None
        raise SubmissionError(f"cannot read {shown}: no such file") from None
    except OSError as exc:
        raise SubmissionError(f"cannot read {shown}: {_why(exc)}") from None
    _must_be_regular(before, shown, kind)
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SubmissionError(_link_message(shown, kind)) from None
        raise SubmissionError(f"cannot read {shown}: {_why(exc)}") from None
    try:
        st = os.fstat(fd)
        _must_be_regular(st, shown, kind)
        if (st.st_dev, st.st_ino) != (before.st_dev, before.st_ino):
            raise SubmissionError(f"{shown} was replaced while it was read")
        if max_bytes and st.st_size > max_bytes:
            raw = None
        else:
            raw = _read_bounded(fd, max_bytes)
    except OSError as exc:
        raise SubmissionError(f"cannot read {shown}: {_why(exc)}") from None
    finally:
        os.close(fd)
    if raw is None:
        raise SubmissionError(f"{shown} is larger than the limit of {max_bytes:,} bytes")
    return raw


def _decode(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionError(f"{shown} is not UTF-8 text (byte {exc.start})") from None


def _link_message(shown: str, kind: str) -> str:
    if kind == "answers":
        return f"{shown} is a symbolic link; answers must be regular files"
    return f"{shown} is a symbolic link; {kind} must be regular files or directories"


def _must_be_regular(st: os.stat_result, shown: str, kind: str) -> None:
    if stat.S_ISLNK(st.st_mode):
        raise SubmissionError(_link_message(shown, kind))
    if not stat.S_ISREG(st.st_mode):
        raise SubmissionError(f"{shown} is not a regular file")


def content_digest(path: str, max_bytes: int) -> str:
    """A SHA-256 of what a submission holds, for ``--resume``: a file's bytes, or a
    directory's entry names with each file's bytes (sub-directories by name only).

    Read as the grader reads: nothing followed (a link counts by its target's name), no
    blocking, a file over ``max_bytes`` counted by its size and time. Something that
    cannot be read counts by the reason, so any change makes the digest change.
    """
    h = hashlib.sha256()
    try:
        _digest_entry(h, path, None, max_bytes, 0)
    except OSError as exc:
        h.update(b"E" + _why(exc).encode())
    return h.hexdigest()


def _digest_entry(h: object, name: str, dir_fd: int | None, max_bytes: int, depth: int) -> None:
    st = os.lstat(name, dir_fd=dir_fd)
    if stat.S_ISLNK(st.st_mode):
        h.update(b"L" + os.fsencode(os.readlink(name, dir_fd=dir_fd)))
    elif stat.S_ISREG(st.st_mode):
        h.update(b"F%d:" % st.st_size)
        if max_bytes and st.st_size > max_bytes:
            h.update(b"%d" % st.st_mtime_ns)
            return
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
        try:
            raw = _read_bounded(fd, max_bytes)
        finally:
            os.close(fd)
        h.update(b"T" if raw is None else hashlib.sha256(raw).digest())
    elif stat.S_ISDIR(st.st_mode):
        h.update(b"D")
        if depth >= 1:
            return
        fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
        try:
            for entry in sorted(os.listdir(fd))[:_MAX_LISTED]:
                raw_name = os.fsencode(entry)
                h.update(b"N%d:" % len(raw_name) + raw_name)
                try:
                    _digest_entry(h, entry, fd, max_bytes, depth + 1)
                except OSError as exc:
                    h.update(b"E" + _why(exc).encode())
        finally:
            os.close(fd)
    else:
        h.update(b"O%d" % stat.S_IFMT(st.st_mode))


def student_of(data: object) -> dict[str, str]:
    """Who handed a submission in, from its metadata: a ``[student]`` table with ``id``
    and ``name``, or top-level ``id`` and ``name``, or ``student = "Name"``. Values are
    escaped and cut short; anything else is passed over."""
    if not isinstance(data, dict):
        return {}
    out: dict[str, str] = {}
    student = data.get("student")
    source = student if isinstance(student, dict) else data
    if isinstance(student, str):
        out["name"] = student
    for key in ("id", "name"):
        value = source.get(key)
        if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
            out[key] = str(value)
    return {k: shorten(printable(v.strip()), 200) for k, v in out.items() if str(v).strip()}


def _directory_student(submission: Submission, fd: int, shown: str, max_bytes: int) -> None:
    """A folder's student: its ``student.toml``, else the first notebook answer whose
    ``metadata`` has a ``student`` (``{"id": ..., "name": ...}``, or a name)."""
    file = show_path(os.path.join(submission.path, STUDENT_FILE))
    try:
        raw = _read_bytes(STUDENT_FILE, max_bytes, file, dir_fd=fd)
        submission.student = student_of(_parse_toml(raw, file, SubmissionError, "not valid TOML"))
        return
    except _Absent:
        pass
    except SubmissionError as exc:
        submission.notes.append(f"{exc}; ignored")
        return
    for pid, text in submission.answers.items():
        if submission.kind(pid) != "ipynb":
            continue
        found = _notebook_student(text)
        if found:
            submission.student = found
            return
