"""Problem sets (TOML) and submissions (a TOML answers file or a directory of ``ID.adc``)."""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tomllib
from dataclasses import dataclass
from functools import cached_property

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_PROBLEM_KEYS = {"id", "points", "prompt", "setup", "answer", "check", "samples", "rtol", "atol"}
_DEFAULT_KEYS = {"rtol", "atol", "samples", "points"}
_TOP_KEYS = {"title", "defaults", "problem"}


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

    def check_names(self) -> tuple[str, ...]:
        """How reports name the compared values."""
        return self.checks if self.checks is not None else ("last value",)

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
    """Read and validate a problem set file."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as exc:
        raise ProblemSetError(f"cannot read problem set {path}: {exc.strerror}") from None
    return parse_problem_set(raw, path)


def parse_problem_set(raw: bytes, path: str = "<problem set>") -> ProblemSet:
    """Validate a problem set's TOML text; every mistake names its problem and key."""
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ProblemSetError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProblemSetError(f"{path}: not valid TOML: {exc}") from None
    _no_unknown(data, _TOP_KEYS, path)
    title = data.get("title", os.path.splitext(os.path.basename(path))[0])
    if not isinstance(title, str):
        raise ProblemSetError(f"{path}: title must be a string")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise ProblemSetError(f"{path}: [defaults] must be a table")
    _no_unknown(defaults, _DEFAULT_KEYS, f"{path} [defaults]")
    base = {
        "rtol": _number(defaults, "rtol", 1e-4, f"{path} [defaults]"),
        "atol": _number(defaults, "atol", 1e-6, f"{path} [defaults]"),
        "samples": _count(defaults, "samples", 1, f"{path} [defaults]"),
        "points": _number(defaults, "points", 1.0, f"{path} [defaults]"),
    }
    entries = data.get("problem", [])
    if not isinstance(entries, list) or not entries:
        raise ProblemSetError(f"{path}: no [[problem]] tables")
    problems: list[Problem] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, 1):
        where = f"{path} problem {n}"
        if not isinstance(entry, dict):
            raise ProblemSetError(f"{where}: must be a table")
        pid = entry.get("id")
        if not isinstance(pid, str) or not _ID.match(pid):
            raise ProblemSetError(
                f"{where}: id must be a name of letters, digits, '_', '.' or '-' "
                f"(it names the file ID.adc), got {pid!r}"
            )
        where = f"{path} problem {pid!r}"
        if pid in seen:
            raise ProblemSetError(f"{where}: duplicate id")
        seen.add(pid)
        _no_unknown(entry, _PROBLEM_KEYS, where)
        answer = entry.get("answer")
        if not isinstance(answer, str) or not answer.strip():
            raise ProblemSetError(f"{where}: answer (the reference) must be a non-empty string")
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
            )
        )
    return ProblemSet(title, path, tuple(problems), hashlib.sha256(raw).hexdigest())


def _no_unknown(table: dict, known: set[str], where: str) -> None:
    unknown = sorted(set(table) - known)
    if unknown:
        raise ProblemSetError(
            f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(known))})"
        )


def _number(table: dict, key: str, default: float, where: str) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ProblemSetError(f"{where}: {key} must be a number >= 0, got {value!r}")
    return float(value)


def _count(table: dict, key: str, default: int, where: str) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1000:
        raise ProblemSetError(f"{where}: {key} must be an integer from 1 to 1000, got {value!r}")
    return value


def _string(table: dict, key: str, where: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ProblemSetError(f"{where}: {key} must be a string")
    return value


# --- submissions -------------------------------------------------------------------------


def expand_submissions(paths: list[str]) -> list[str]:
    """The submissions named on the command line, with class directories expanded.

    A directory that holds ``.adc`` files is one submission. A directory that holds none,
    but holds ``.toml`` files or sub-directories, is a class: each of those is a
    submission, in sorted order. Duplicates are dropped.
    """
    out: list[str] = []
    seen: set[str] = set()
    for raw in paths:
        path = os.path.normpath(raw)
        if os.path.isdir(path) and _is_class_dir(path):
            names = sorted(os.listdir(path))
            items = [
                os.path.join(path, n)
                for n in names
                if not n.startswith(".")
                and (n.endswith(".toml") or os.path.isdir(os.path.join(path, n)))
            ]
        else:
            items = [path]
        for item in items:
            if item not in seen:
                seen.add(item)
                out.append(item)
    return out


def _is_class_dir(path: str) -> bool:
    try:
        with os.scandir(path) as it:
            entries = [e for e in it if not e.name.startswith(".")]
    except OSError:
        return False
    if any(e.name.endswith(".adc") for e in entries):
        return False
    return any(e.name.endswith(".toml") or e.is_dir() for e in entries)


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


def read_answers(path: str, problem_ids: list[str], max_bytes: int) -> dict[str, str]:
    """A submission's answer text per problem id; a problem it does not answer is absent."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise SubmissionError(f"cannot read {path}: {exc.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        answers = {}
        for pid in problem_ids:
            file = os.path.join(path, pid + ".adc")
            if os.path.lexists(file):
                answers[pid] = _read_text(file, max_bytes)
        return answers
    text = _read_text(path, max_bytes)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SubmissionError(f"not a valid TOML answers file: {exc}") from None
    table = data.get("answers")
    if not isinstance(table, dict):
        raise SubmissionError("the TOML answers file has no [answers] table")
    answers = {}
    for pid in problem_ids:
        if pid in table:
            value = table[pid]
            if not isinstance(value, str):
                raise SubmissionError(f"answers.{pid} must be a string of adcli code")
            answers[pid] = value
    return answers


def _read_text(path: str, max_bytes: int) -> str:
    """Read a regular file of at most ``max_bytes`` (0: no bound) as UTF-8 text."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise SubmissionError(f"{path} is not a regular file")
        with open(path, "rb") as f:
            raw = f.read(max_bytes + 1) if max_bytes else f.read()
    except OSError as exc:
        raise SubmissionError(f"cannot read {path}: {exc.strerror}") from None
    if max_bytes and len(raw) > max_bytes:
        raise SubmissionError(f"{path} is larger than the limit of {max_bytes:,} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SubmissionError(f"{path} is not UTF-8 text") from None
