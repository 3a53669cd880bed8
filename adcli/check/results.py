"""Verdicts per problem and per submission, and the append-only results log for ``--resume``.

Every text a result carries (a message, a value in ``differences``) is bounded and escaped
when the result is made (``bounded``), so nothing large or unprintable is ever pickled
between processes, logged or reported. The log holds submission paths losslessly: lines
are written with ``ensure_ascii``, so a file name's undecodable bytes (surrogate escapes)
round-trip; reports show them with ``show_path``.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from dataclasses import dataclass, field

from adcli.diagnostics import MESSAGE_CAP, printable, shorten, show_path

VERDICTS = ("correct", "wrong", "invalid", "timeout", "limit", "missing")
MAX_NOTES = 20  # notes about a submission's files kept per submission
_SHORTENED = re.compile(r".{" + str(MESSAGE_CAP) + r"}… \([\d,]+ more characters\)", re.DOTALL)
_DIFFERENCE_KEYS = ("check", "sample", "index", "expected", "got")


def bounded(text: str) -> str:
    """``text`` as a result may hold it: unprintables escaped, cut at MESSAGE_CAP characters.

    Only the part that is kept is escaped (a 50 MB message costs no more than a short one),
    and a text already bounded is returned as it is.
    """
    if len(text) > MESSAGE_CAP:
        if _SHORTENED.fullmatch(text) and text.isprintable():
            return text
        head = printable(text[:MESSAGE_CAP])[:MESSAGE_CAP]
        return f"{head}… ({len(text) - MESSAGE_CAP:,} more characters)"
    return shorten(printable(text))


def _bounded_value(value: object) -> object:
    """A value of ``differences`` (a number, a string, an index list), bounded."""
    if isinstance(value, str):
        return bounded(value)
    if isinstance(value, list | tuple):
        return [_bounded_value(v) for v in value[:64]]
    if value is None or isinstance(value, bool | int | float):
        return value
    return bounded(repr(value))


@dataclass
class ProblemResult:
    """One problem's verdict for one submission.

    ``differences`` lists differing elements of a wrong answer, each a dict with the check
    expression, the sample, the index and both values. ``internal`` marks an error in
    adcli itself rather than in the answer. ``message`` and every text in ``differences``
    are bounded (``bounded``) as the result is made.
    """

    id: str
    verdict: str
    score: float
    points: float
    message: str = ""
    pos: tuple[int, int] | None = None
    differences: list[dict] = field(default_factory=list)
    internal: bool = False
    hidden: str = ""  # a wrong answer's message without the expected values
    # A wrong answer to a problem with hidden checks (``hidden_inputs``): its message and
    # ``hidden`` with those checks' details withheld, and the names of those checks.
    public: str = ""
    public_own: str = ""
    secret_checks: list[str] = field(default_factory=list)
    # A hidden test as a student sees it (``as_hidden``): reports show its verdict only
    # as "passed" or "failed" (``shown_verdict``). Never logged: the log keeps the truth.
    masked: bool = False

    @property
    def shown_verdict(self) -> str:
        """The verdict as reports show it: a hidden test only says "passed" or "failed"."""
        if self.masked:
            return "passed" if self.verdict == "correct" else "failed"
        return self.verdict

    def __post_init__(self) -> None:
        self.message = bounded(self.message)
        self.hidden = bounded(self.hidden)
        self.public = bounded(self.public)
        self.public_own = bounded(self.public_own)
        self.secret_checks = [bounded(c) for c in self.secret_checks[:64]]
        self.differences = [
            {k: _bounded_value(d[k]) for k in _DIFFERENCE_KEYS if k in d}
            for d in self.differences
        ]

    def to_json(self) -> dict:
        out = {
            "id": self.id,
            "verdict": self.verdict,
            "score": self.score,
            "points": self.points,
            "message": self.message,
        }
        if self.pos is not None:
            out["pos"] = list(self.pos)
        if self.differences:
            out["differences"] = self.differences
        if self.internal:
            out["internal"] = True
        if self.hidden:
            out["hidden_message"] = self.hidden
        if self.secret_checks:
            out["public_message"] = self.public
            out["public_hidden_message"] = self.public_own
            out["secret_checks"] = list(self.secret_checks)
        return out

    def without_expected(self) -> ProblemResult:
        """This result as a student may see it (``--hide-expected``): no reference value in
        the message or the differences."""
        message = self.message
        if self.verdict == "wrong":
            message = self.hidden or "differs from the expected value"
        return ProblemResult(
            self.id,
            self.verdict,
            self.score,
            self.points,
            message,
            self.pos,
            [{k: v for k, v in d.items() if k != "expected"} for d in self.differences],
            self.internal,
            masked=self.masked,
        )

    def as_hidden(self) -> ProblemResult:
        """This result as a hidden test shows it to a student: its verdict and score, and
        "hidden test: passed" or "hidden test: failed", nothing else (a missing answer
        keeps its message, which names only the files looked for). Reports show its verdict
        as "passed" or "failed" (``masked``), never which way it failed."""
        if self.verdict == "missing":
            return ProblemResult(self.id, self.verdict, self.score, self.points, self.message)
        passed = "passed" if self.verdict == "correct" else "failed"
        shown = f"hidden test: {passed}"
        return ProblemResult(
            self.id, self.verdict, self.score, self.points, shown, hidden=shown, masked=True
        )

    def without_secret_checks(self) -> ProblemResult:
        """This result with the details of its hidden checks (``hidden_inputs``) withheld:
        each says only "hidden test N: passed" or "failed"; the other checks are shown."""
        if not self.secret_checks:
            return self
        secret = set(self.secret_checks)
        return ProblemResult(
            self.id,
            self.verdict,
            self.score,
            self.points,
            self.public,
            self.pos,
            [d for d in self.differences if d.get("check") not in secret],
            self.internal,
            self.public_own,
        )

    @classmethod
    def from_json(cls, data: object) -> ProblemResult:
        """A result read back from a log; ValueError when it is not one."""
        if not isinstance(data, dict):
            raise ValueError("a problem result must be an object")
        pid, verdict, message = data["id"], data["verdict"], data.get("message", "")
        if not isinstance(pid, str) or verdict not in VERDICTS or not isinstance(message, str):
            raise ValueError("not a problem result")
        pos = data.get("pos")
        if pos is not None and not (
            isinstance(pos, list) and len(pos) == 2 and all(type(v) is int for v in pos)
        ):
            raise ValueError("pos must be [line, col]")
        differences = data.get("differences", [])
        if not isinstance(differences, list) or not all(isinstance(d, dict) for d in differences):
            raise ValueError("differences must be a list of objects")
        internal = data.get("internal", False)
        if not isinstance(internal, bool):
            raise ValueError("internal must be true or false")
        hidden = data.get("hidden_message", "")
        if not isinstance(hidden, str):
            raise ValueError("hidden_message must be a string")
        public, public_own = data.get("public_message", ""), data.get("public_hidden_message", "")
        secret = data.get("secret_checks", [])
        if not isinstance(public, str) or not isinstance(public_own, str):
            raise ValueError("public_message must be a string")
        if not isinstance(secret, list) or not all(isinstance(c, str) for c in secret):
            raise ValueError("secret_checks must be a list of strings")
        return cls(
            id=pid,
            verdict=verdict,
            score=_amount(data["score"]),
            points=_amount(data["points"]),
            message=message,
            pos=(pos[0], pos[1]) if pos else None,
            differences=differences,
            internal=internal,
            hidden=hidden,
            public=public,
            public_own=public_own,
            secret_checks=secret,
        )


def _amount(value: object) -> float:
    """A score or a number of points from a log: a finite number >= 0."""
    if type(value) not in (int, float) or not math.isfinite(value) or value < 0:
        raise ValueError("a score must be a finite number >= 0")
    return float(value)


@dataclass
class SubmissionResult:
    """Every problem's verdict for one submission, in the problem set's order.

    ``submission`` is the path as the OS gave it (undecodable bytes as surrogate escapes);
    show it with ``show_path``.
    """

    submission: str
    problems: list[ProblemResult]
    notes: list[str] = field(default_factory=list)  # files that answer nothing, an empty folder
    digest: str = ""  # of the submission's content when it was checked (``--resume``)
    student: dict[str, str] = field(default_factory=dict)  # "id", "name" when known

    def __post_init__(self) -> None:
        self.notes = [bounded(n) for n in self.notes[:MAX_NOTES]]
        self.student = {
            k: bounded(self.student[k]) for k in ("id", "name") if self.student.get(k)
        }

    @property
    def student_id(self) -> str:
        return self.student.get("id", "")

    @property
    def student_name(self) -> str:
        return self.student.get("name", "")

    @property
    def score(self) -> float:
        return round(sum(p.score for p in self.problems), 6)

    @property
    def max_score(self) -> float:
        return float(sum(p.points for p in self.problems))

    @property
    def all_correct(self) -> bool:
        return all(p.verdict == "correct" for p in self.problems)

    def to_json(self) -> dict:
        """The lossless form, for the results log (the path as the OS gave it)."""
        out = {
            "submission": self.submission,
            "score": self.score,
            "max_score": self.max_score,
            "problems": [p.to_json() for p in self.problems],
        }
        if self.notes:
            out["notes"] = list(self.notes)
        if self.digest:
            out["digest"] = self.digest
        if self.student:
            out["student"] = dict(self.student)
        return out

    def without_expected(self) -> SubmissionResult:
        """This result with no reference value anywhere (``--hide-expected``)."""
        return SubmissionResult(
            self.submission,
            [p.without_expected() for p in self.problems],
            list(self.notes),
            self.digest,
            dict(self.student),
        )

    def without_hidden(self, hidden: set[str] | frozenset[str]) -> SubmissionResult:
        """This result with the details of the hidden tests (the problems ``hidden``
        names, and every problem's hidden checks) withheld: each says only "hidden test:
        passed" or "failed"."""
        return SubmissionResult(
            self.submission,
            [p.as_hidden() if p.id in hidden else p.without_secret_checks() for p in self.problems],
            list(self.notes),
            self.digest,
            dict(self.student),
        )

    def to_report(self) -> dict:
        """The form reports show: the path with its unprintable characters escaped."""
        out = {
            **self.to_json(),
            "submission": show_path(self.submission),
            "student": {"id": self.student_id, "name": self.student_name},
            "notes": self.notes,
        }
        out.pop("digest", None)
        for p in out["problems"]:
            for key in ("hidden_message", "public_message", "public_hidden_message"):
                p.pop(key, None)
            p.pop("secret_checks", None)
            if p.get("message") == "hidden test: failed" and p.get("verdict") != "missing":
                p["verdict"] = "failed"  # a hidden problem says passed or failed, no more
        return out

    @classmethod
    def from_json(cls, data: object) -> SubmissionResult:
        """A result read back from a log; ValueError when it is not one."""
        if not isinstance(data, dict):
            raise ValueError("a submission result must be an object")
        submission, problems = data["submission"], data["problems"]
        if not isinstance(submission, str) or not isinstance(problems, list):
            raise ValueError("not a submission result")
        notes = data.get("notes", [])
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
            raise ValueError("notes must be a list of strings")
        digest = data.get("digest", "")
        if not isinstance(digest, str):
            raise ValueError("digest must be a string")
        student = data.get("student", {})
        if not isinstance(student, dict) or not all(
            isinstance(v, str) for v in student.values()
        ):
            raise ValueError("student must be an object of strings")
        return cls(
            submission, [ProblemResult.from_json(p) for p in problems], notes, digest, student
        )


class LogError(Exception):
    """The results log belongs to another problem set or cannot be used (a usage error)."""


class ResultsLog:
    """An append-only JSON-lines file: a header line, then one line per finished submission.

    Each line goes out in one ``write`` on an ``O_APPEND`` descriptor, so a ``kill -9``
    loses at most the submissions still being checked; a torn last line is dropped when
    the log is read back.
    """

    VERSION = 1

    def __init__(self, path: str, header: dict) -> None:
        self.path = path
        self.header = {"adcli_check_log": self.VERSION, **header}
        self._fd: int | None = None

    def read(self) -> dict[str, SubmissionResult]:
        """The results already logged, by submission; {} when there is no log yet.

        A damaged line is skipped: its submission is checked again.
        """
        try:
            header, results = read_log(self.path)
        except FileNotFoundError:
            return {}
        if header and header != self.header:
            raise LogError(
                f"{show_path(self.path)} was written for another problem set or shard; "
                f"remove it, or pass --log with another path"
            )
        return results

    def open(self, resume: bool) -> None:
        """Start a fresh log, or (``resume``) append to the one there, mending a torn end.

        Raises LogError when the path is not a regular file, OSError when it cannot be
        written.
        """
        shown = show_path(self.path)
        directory = os.path.dirname(self.path)
        if directory:
            try:
                os.makedirs(directory, exist_ok=True)
            except FileExistsError:
                raise LogError(
                    f"cannot write the results log {shown}: {show_path(directory)} "
                    "is not a directory"
                ) from None
        _must_be_a_file(self.path, shown)
        flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_NONBLOCK | os.O_CLOEXEC
        if not resume:
            flags |= os.O_TRUNC
        fd = os.open(self.path, flags, 0o644)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise LogError(f"the results log {shown} is not a regular file")
            end = _last_line_end(fd, st.st_size)
            if end < st.st_size:  # a torn line from a killed run
                os.ftruncate(fd, end)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        if end == 0:
            self._write(json.dumps(self.header) + "\n")

    def append(self, result: SubmissionResult) -> None:
        """Log one finished submission (ASCII JSON: every path round-trips)."""
        self._write(json.dumps(result.to_json(), ensure_ascii=True) + "\n")

    def _write(self, line: str) -> None:
        assert self._fd is not None, "open() the log first"
        os.write(self._fd, line.encode("ascii"))

    def close(self) -> None:
        if self._fd is not None:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None


def _must_be_a_file(path: str, shown: str) -> None:
    """LogError unless ``path`` is missing or a regular file (a FIFO would block a reader)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise LogError(f"cannot use the results log {shown}: {exc.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise LogError(f"the results log {shown} is a directory; give --log a file name")
    if not stat.S_ISREG(st.st_mode):
        raise LogError(f"the results log {shown} is not a regular file")


def _last_line_end(fd: int, size: int) -> int:
    """The offset just past the last newline of the file (0 when there is none)."""
    end = size
    while end > 0:
        start = max(0, end - (1 << 16))
        chunk = os.pread(fd, end - start, start)
        at = chunk.rfind(b"\n")
        if at >= 0:
            return start + at + 1
        end = start
    return 0


def read_log(
    path: str, damaged: list[int] | None = None
) -> tuple[dict, dict[str, SubmissionResult]]:
    """A results log's header and its results by submission (a torn last line is dropped).

    A line that is not a result is skipped, and its number added to ``damaged``. Raises
    FileNotFoundError when there is no log, LogError when it is not one.
    """
    shown = show_path(path)
    _must_be_a_file(path, shown)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise LogError(f"cannot read results log {shown}: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise LogError(f"the results log {shown} is not a regular file")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
    except OSError as exc:
        raise LogError(f"cannot read results log {shown}: {exc.strerror}") from None
    finally:
        os.close(fd)
    lines = b"".join(chunks).split(b"\n")
    if len(lines) == 1:  # empty, or a header torn by a kill
        return {}, {}
    try:
        header = json.loads(lines[0])
    except (ValueError, RecursionError):
        header = None
    if not isinstance(header, dict) or "adcli_check_log" not in header:
        raise LogError(f"{shown} is not an adcli check results log")
    results: dict[str, SubmissionResult] = {}
    for number, line in enumerate(lines[1:-1], 2):  # the last piece is "" or a torn line
        try:
            result = SubmissionResult.from_json(json.loads(line))
        except (ValueError, KeyError, TypeError, RecursionError):
            if damaged is not None:
                damaged.append(number)
            continue
        results[result.submission] = result
    return header, results
