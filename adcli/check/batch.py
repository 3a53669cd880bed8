"""``adcli check`` without the command line: select, resume, grade in the pool, collect."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from adcli.check.grade import Engine, Grader, default_engine
from adcli.check.pool import Pool
from adcli.check.problems import ProblemSet, content_digest, expand_submissions, shard_of
from adcli.check.results import LogError, ResultsLog, SubmissionResult, read_log
from adcli.diagnostics import show_path
from adcli.limits import Limits

EXIT_OK, EXIT_NOT_CORRECT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


@dataclass
class CheckOptions:
    """How to run a batch; see ``adcli check --help``."""

    limits: Limits = field(default_factory=Limits)
    jobs: int = 1
    memory_mb: int = 2048
    shard: tuple[int, int] | None = None  # (I, N), 1-based
    resume: bool = False
    log_path: str | None = None  # None: default_log_path()


@dataclass
class Outcome:
    """The results of a batch, in the order of the submissions given."""

    problem_set: ProblemSet
    results: list[SubmissionResult]
    resumed: int = 0  # results taken from the log rather than checked now
    warnings: list[str] = field(default_factory=list)  # damaged log lines that were skipped

    @property
    def exit_status(self) -> int:
        """3 when adcli itself failed on an answer, 1 when any answer is not correct, else 0."""
        if any(p.internal for r in self.results for p in r.problems):
            return EXIT_INTERNAL
        return EXIT_OK if all(r.all_correct for r in self.results) else EXIT_NOT_CORRECT


def select(submissions: list[str], shard: tuple[int, int] | None,
           problem_ids: list[str] | None = None) -> list[str]:
    """The submissions this run checks: expanded (a folder of whole-set files named after
    no problem is a class), then the shard's slice of them."""
    keys = expand_submissions(submissions, problem_ids)
    if shard is None:
        return keys
    i, n = shard
    return [k for k in keys if shard_of(k, n) == i - 1]


def default_log_path(problem_set: ProblemSet, shard: tuple[int, int] | None) -> str:
    """``.adcli-check/STEM-DIGEST[.shard-I-of-N].jsonl`` in the working directory."""
    stem = os.path.splitext(os.path.basename(problem_set.path))[0] or "set"
    part = f".shard-{shard[0]}-of-{shard[1]}" if shard else ""
    return os.path.join(".adcli-check", f"{stem}-{problem_set.digest[:12]}{part}.jsonl")


def run_check(
    problem_set: ProblemSet,
    submissions: list[str],
    options: CheckOptions,
    *,
    engine: Engine | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_result: Callable[[SubmissionResult], None] | None = None,
) -> Outcome:
    """Check the submissions; raises ProblemSetError or LogError before anything is checked.

    ``on_start(total, already_done)`` is called once the work is known, and ``on_result``
    once per submission checked now.
    """
    keys = select(submissions, options.shard, [p.id for p in problem_set.problems])
    grader = Grader(problem_set, options.limits, engine or default_engine())
    grader.prepare()
    shard = f"{options.shard[0]}/{options.shard[1]}" if options.shard else None
    log = ResultsLog(
        options.log_path or default_log_path(problem_set, options.shard),
        {"problem_set": problem_set.digest, "shard": shard},
    )
    done = log.read() if options.resume else {}
    digests = {k: content_digest(k, options.limits.max_input_bytes) for k in keys}
    done = {
        k: r
        for k, r in done.items()
        if k in digests and r.digest == digests[k] and _fits(problem_set, r)
    }
    todo = [k for k in keys if k not in done]
    if on_start:
        on_start(len(keys), len(done))
    results = dict(done)

    def finished(result: SubmissionResult) -> None:
        result.digest = digests.get(result.submission, "")
        log.append(result)
        results[result.submission] = result
        if on_result:
            on_result(result)

    try:
        log.open(options.resume)
    except OSError as exc:
        raise LogError(
            f"cannot write the results log {show_path(log.path)}: {exc.strerror}"
        ) from None
    try:
        Pool(grader, jobs=options.jobs, memory_mb=options.memory_mb).run(todo, finished)
    finally:
        log.close()
    return Outcome(problem_set, [results[k] for k in keys], resumed=len(done))


def _fits(problem_set: ProblemSet, result: SubmissionResult) -> bool:
    """Whether a logged result has one verdict per problem of the set, in its order."""
    return [p.id for p in result.problems] == [p.id for p in problem_set.problems]


_GLOB_MAGIC = re.compile(r"[*?[]")


def expand_log_patterns(patterns: list[str]) -> list[str]:
    """``--merge`` arguments as log paths: each glob pattern expanded by adcli (sorted),
    so that ``--merge 'logs/*.jsonl'`` needs no shell; a path that exists is taken as it
    is. A pattern that matches nothing is a LogError (a usage error). Duplicates are
    dropped."""
    paths: list[str] = []
    for pattern in patterns:
        if _GLOB_MAGIC.search(pattern) and not os.path.lexists(pattern):
            matches = sorted(glob.glob(pattern))
            if not matches:
                raise LogError(f"--merge {show_path(pattern)} matches no file")
        else:
            matches = [pattern]
        paths += [m for m in matches if m not in paths]
    return paths


def merge_logs(problem_set: ProblemSet, paths: list[str]) -> Outcome:
    """The results in several logs (the shards of one class), as one outcome.

    A damaged line (not a result of this problem set) is skipped with a warning.
    """
    results: dict[str, SubmissionResult] = {}
    warnings: list[str] = []
    for path in paths:
        damaged: list[int] = []
        try:
            header, logged = read_log(path, damaged)
        except FileNotFoundError:
            raise LogError(f"no results log {show_path(path)}") from None
        if not header:
            raise LogError(
                f"{show_path(path)} holds no results: it is empty or not an adcli check log"
            )
        if header.get("problem_set") != problem_set.digest:
            raise LogError(f"{show_path(path)} was written for another problem set")
        fitting = {k: r for k, r in logged.items() if _fits(problem_set, r)}
        results.update(fitting)
        skipped = len(damaged) + len(logged) - len(fitting)
        if skipped:
            warnings.append(
                f"{show_path(path)}: {skipped} damaged line(s) skipped; "
                "the submissions they held are not in this report"
            )
    return Outcome(problem_set, [results[k] for k in sorted(results)], warnings=warnings)
