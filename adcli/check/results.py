"""Verdicts per problem and per submission, and the append-only results log for ``--resume``."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

VERDICTS = ("correct", "wrong", "invalid", "timeout", "limit")


@dataclass
class ProblemResult:
    """One problem's verdict for one submission.

    ``differences`` lists differing elements of a wrong answer, each a dict with the check
    expression, the sample, the index and both values. ``internal`` marks an error in
    adcli itself rather than in the answer.
    """

    id: str
    verdict: str
    score: float
    points: float
    message: str = ""
    pos: tuple[int, int] | None = None
    differences: list[dict] = field(default_factory=list)
    internal: bool = False

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
        return out

    @classmethod
    def from_json(cls, data: dict) -> ProblemResult:
        pos = data.get("pos")
        return cls(
            id=data["id"],
            verdict=data["verdict"],
            score=float(data["score"]),
            points=float(data["points"]),
            message=data.get("message", ""),
            pos=tuple(pos) if pos else None,
            differences=data.get("differences", []),
            internal=bool(data.get("internal", False)),
        )


@dataclass
class SubmissionResult:
    """Every problem's verdict for one submission, in the problem set's order."""

    submission: str
    problems: list[ProblemResult]

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
        return {
            "submission": self.submission,
            "score": self.score,
            "max_score": self.max_score,
            "problems": [p.to_json() for p in self.problems],
        }

    @classmethod
    def from_json(cls, data: dict) -> SubmissionResult:
        return cls(data["submission"], [ProblemResult.from_json(p) for p in data["problems"]])


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
        """The results already logged, by submission; {} when there is no log yet."""
        try:
            header, results = read_log(self.path)
        except FileNotFoundError:
            return {}
        if header and header != self.header:
            raise LogError(
                f"{self.path} was written for another problem set or shard; "
                f"remove it, or pass --log with another path"
            )
        return results

    def open(self, resume: bool) -> None:
        """Start a fresh log, or (``resume``) append to the one there, mending a torn end."""
        directory = os.path.dirname(self.path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
        if not resume:
            flags |= os.O_TRUNC
        self._fd = os.open(self.path, flags, 0o644)
        with open(self.path, "rb") as f:
            data = f.read()
        end = data.rfind(b"\n") + 1
        if end < len(data):  # a torn line from a killed run
            os.truncate(self.path, end)
        if end == 0:
            self._write(json.dumps(self.header) + "\n")

    def append(self, result: SubmissionResult) -> None:
        """Log one finished submission."""
        self._write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")

    def _write(self, line: str) -> None:
        assert self._fd is not None, "open() the log first"
        os.write(self._fd, line.encode("utf-8"))

    def close(self) -> None:
        if self._fd is not None:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None


def read_log(path: str) -> tuple[dict, dict[str, SubmissionResult]]:
    """A results log's header and its results by submission (a torn last line is dropped).

    Raises FileNotFoundError when there is no log, LogError when it is not one.
    """
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise LogError(f"cannot read results log {path}: {exc.strerror}") from None
    lines = raw.split(b"\n")
    if len(lines) == 1:  # empty, or a header torn by a kill
        return {}, {}
    try:
        header = json.loads(lines[0])
    except ValueError:
        header = None
    if not isinstance(header, dict) or "adcli_check_log" not in header:
        raise LogError(f"{path} is not an adcli check results log")
    results: dict[str, SubmissionResult] = {}
    for line in lines[1:-1]:  # the last piece is "" or a torn line
        try:
            result = SubmissionResult.from_json(json.loads(line))
        except (ValueError, KeyError, TypeError):
            continue
        results[result.submission] = result
    return header, results
