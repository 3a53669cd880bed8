"""``adcli check``: grade homework submissions against a problem set."""

from __future__ import annotations

import functools
import os
import sys
import time

import click

from adcli.cli.eval_cmd import use_rich
from adcli.cli.options import build_limits, limit_options

EPILOG = """\b
Examples:
  adcli check samples/homework/set.toml samples/homework/submissions/
  adcli check samples/homework/set.toml samples/homework/submissions/alice.toml
  adcli check samples/homework/set.toml samples/homework/submissions/ --jobs 2 \\
      --json report.json --junit junit.xml --csv grades.csv
  adcli check set.toml class/ --shard 3/8 --resume --json shard-3.json
  adcli check set.toml --merge '.adcli-check/*.jsonl' --csv grades.csv
  adcli check samples/homework/set.toml samples/homework/submissions/ --jobs 2 \
      --timeout 2 --roster samples/homework/roster.csv --stats --html report.html
  adcli check set.toml /autograder/submission --hide-expected \
      --gradescope /autograder/results/results.json
\b
A SUBMISSION is a TOML file with an [answers] table (ID = "answer"), or a directory
holding one answer file per problem: ID.adc, or ID.py / ID.ipynb (run with Python's
meaning, as adcli run runs them). A directory holding no answer files but .toml files
or sub-directories is a class: each of those is a submission. A problem with no
answer is "missing"; files that answer nothing are listed as notes in every report.
\b
Exit status: 0 every answer correct, 1 some answer not correct, 2 usage error or an
unreadable problem set, 3 internal error.
"""


def _fail(message: str, status: int = 2) -> None:
    from adcli.diagnostics import printable, shorten

    click.echo(f"adcli check: {shorten(printable(message))}", err=True)
    sys.exit(status)


def _shard(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    from adcli.check.problems import parse_shard

    try:
        return parse_shard(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("check", epilog=EPILOG)
@click.argument("problem_set", metavar="SET.toml")
@click.argument("submissions", nargs=-1, metavar="SUBMISSION...")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help="Check submissions in N isolated worker processes.",
)
@click.option("--json", "json_path", metavar="FILE", help="Write the JSON report (- for stdout).")
@click.option("--junit", "junit_path", metavar="FILE", help="Write a JUnit XML report.")
@click.option("--csv", "csv_path", metavar="FILE", help="Write one CSV row per submission.")
@click.option(
    "--shard",
    callback=_shard,
    metavar="I/N",
    help="Check only the I-th of N deterministic slices of the submissions.",
)
@click.option(
    "--resume", is_flag=True, help="Keep the results already in the log; check only the rest."
)
@click.option(
    "--log",
    "log_path",
    metavar="FILE",
    help="The append-only results log [default: .adcli-check/SET-HASH[.shard].jsonl].",
)
@click.option(
    "--merge",
    "merge_logs",
    multiple=True,
    metavar="LOG",
    help="Report on the results in these logs (e.g. every shard's) instead of checking; "
    "a glob pattern ('logs/*.jsonl') is expanded by adcli.",
)
@click.option(
    "--memory",
    "memory_mb",
    type=click.IntRange(0),
    default=2048,
    show_default=True,
    help="Megabytes of memory each worker may allocate (0: no bound).",
)
@click.option(
    "--html", "html_path", metavar="FILE", help="Write a self-contained HTML report."
)
@click.option(
    "--html-each", "html_dir", metavar="DIR",
    help="Write one self-contained HTML page per submission into DIR (only that student's "
         "results, for handing back; combine with --hide-expected).",
)
@click.option(
    "--gradescope",
    "gradescope_path",
    metavar="FILE",
    help="Write Gradescope's results.json (several submissions: one file each in FILE/).",
)
@click.option(
    "--prairielearn",
    "prairielearn_path",
    metavar="FILE",
    help="Write a PrairieLearn grader result (several submissions: one each in FILE/).",
)
@click.option(
    "--stats",
    "show_stats",
    is_flag=True,
    help="Per problem: mean and spread of the scores, share of each verdict, the most "
    "common wrong answers; after the table and under \"stats\" in the JSON report.",
)
@click.option(
    "--hide-expected",
    is_flag=True,
    help="Keep the reference values out of every report: a wrong answer's message shows "
    "the student's own value only.",
)
@click.option(
    "--show-hidden",
    is_flag=True,
    help="Show the details of hidden tests (hidden, hidden_check, hidden_inputs): for the "
    "teacher. "
    "Without it every report shows only \"hidden test: passed\" or \"failed\".",
)
@click.option(
    "--roster",
    "roster_path",
    metavar="FILE.csv",
    help="The class list: columns id,name[,submission]; names the student of each submission.",
)
@click.option("-q", "--quiet", is_flag=True, help="No report on stdout, no progress bar.")
@limit_options
def check_command(
    problem_set: str,
    submissions: tuple[str, ...],
    jobs: int,
    json_path: str | None,
    junit_path: str | None,
    csv_path: str | None,
    shard: tuple[int, int] | None,
    resume: bool,
    log_path: str | None,
    merge_logs: tuple[str, ...],
    memory_mb: int,
    roster_path: str | None,
    html_path: str | None,
    html_dir: str | None,
    gradescope_path: str | None,
    prairielearn_path: str | None,
    hide_expected: bool,
    show_hidden: bool,
    show_stats: bool,
    quiet: bool,
    **limit_values,
) -> None:
    """Check each SUBMISSION's answers against the problem set SET.toml.

    Every answer runs after its problem's setup in a fresh sandbox, in a worker process
    with a wall-clock timeout (--timeout, per answer, all its samples) and a memory bound
    (--memory). A verdict per problem: correct, wrong (the values differ; the report
    shows where), invalid (a parse or runtime error, with its position), timeout or limit.
    """
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from adcli.check import batch, report
    from adcli.check.problems import ProblemSetError, load_problem_set
    from adcli.check.results import LogError
    from adcli.diagnostics import show_path

    if not submissions and not merge_logs:
        raise click.UsageError("give at least one SUBMISSION (or --merge LOG...)")
    if merge_logs and (submissions or resume):
        raise click.UsageError("--merge reports on logs; it takes no SUBMISSION and no --resume")
    limits = build_limits(limit_values)
    try:
        problems = load_problem_set(problem_set)
    except ProblemSetError as exc:
        _fail(str(exc))
    roster = None
    if roster_path:
        from adcli.check.roster import RosterError, load_roster

        try:
            roster = load_roster(roster_path)
        except RosterError as exc:
            _fail(str(exc))
    options = batch.CheckOptions(
        limits=limits, jobs=jobs, memory_mb=memory_mb, shard=shard, resume=resume, log_path=log_path
    )
    progress = None if quiet or not use_rich(sys.stderr) else _Progress()
    try:
        if merge_logs:
            outcome = batch.merge_logs(problems, batch.expand_log_patterns(list(merge_logs)))
        else:
            outcome = batch.run_check(
                problems,
                list(submissions),
                options,
                on_start=progress.start if progress else None,
                on_result=progress.advance if progress else None,
            )
    except (ProblemSetError, LogError) as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted; what was checked is in the results log: rerun with --resume", 130)
    finally:
        if progress:
            progress.stop()
    results = outcome.results
    if roster is not None:
        from adcli.check.roster import apply_roster

        outcome.warnings += apply_roster(roster, results)
    if not show_hidden:  # first: it picks the messages that --hide-expected then trims
        hidden = {p.id for p in problems.problems if p.hidden}
        results = [r.without_hidden(hidden) for r in results]
    if hide_expected:
        results = [r.without_expected() for r in results]
    stats = None
    if show_stats:
        from adcli.check.stats import compute_stats

        stats = compute_stats(problems, results, limits)
    for warning in outcome.warnings:
        _warn(warning)
    for path, build in (
        (json_path, functools.partial(report.to_json, stats=stats)),
        (junit_path, report.to_junit),
        (csv_path, report.to_csv),
        (html_path, functools.partial(_html, stats=stats)),
    ):
        try:
            if path == "-":
                sys.stdout.write(build(problems, results))
            elif path:
                report.write_atomic(path, build(problems, results))
        except OSError as exc:
            _fail(f"cannot write the report {show_path(path)}: {exc.strerror or exc}")
    from adcli.check import lms

    if html_dir:
        _write_pages(html_dir, problems, results)
    for path, one in (
        (gradescope_path, lms.to_gradescope),
        (prairielearn_path, lms.to_prairielearn),
    ):
        if path:
            _write_each(path, [(r, one(problems, r)) for r in results])
    if not quiet and json_path != "-":
        if use_rich(sys.stdout):
            from rich.console import Console

            console = Console()
            console.print(report.to_rich(problems, results, width=console.width))
        else:
            sys.stdout.write(report.to_text(problems, results))
        if stats is not None:
            from adcli.check.stats import stats_text

            sys.stdout.write(stats_text(stats))
        if outcome.resumed:
            click.echo(f"{outcome.resumed} result(s) were taken from the results log.", err=True)
    sys.exit(outcome.exit_status)


def _html(problems: object, results: list, stats: dict | None) -> str:
    from adcli.check.html import to_html

    return to_html(problems, results, stats)


def _write_pages(folder: str, problems: object, results: list) -> None:
    """One HTML page per submission, each with only that submission's results."""
    from adcli.check import lms, report
    from adcli.check.html import to_html
    from adcli.diagnostics import show_path

    try:
        os.makedirs(folder, exist_ok=True)
        seen: set[str] = set()
        for name, r in zip(lms.file_names(results), results, strict=True):
            stem = os.path.splitext(name)[0]
            short = os.path.splitext(stem)[0] if stem.endswith((".toml", ".py", ".ipynb")) \
                else stem
            stem = short if short and short not in seen else stem
            seen.add(stem)
            page = os.path.join(folder, stem + ".html")
            report.write_atomic(page, to_html(problems, [r]))
    except OSError as exc:
        _fail(f"cannot write the report {show_path(folder)}: {exc.strerror or exc}")


def _write_each(path: str, documents: list) -> None:
    """One submission's document to ``path``; several, one file each in directory ``path``."""
    from adcli.check import lms, report
    from adcli.diagnostics import show_path

    try:
        if len(documents) == 1 and not os.path.isdir(path):
            report.write_atomic(path, documents[0][1])
            return
        if not documents:
            _warn(f"no submission: nothing written to {show_path(path)}")
            return
        os.makedirs(path, exist_ok=True)
        names = lms.file_names([r for r, _ in documents])
        for name, (_, text) in zip(names, documents, strict=True):
            report.write_atomic(os.path.join(path, name), text)
    except OSError as exc:
        _fail(f"cannot write the report {show_path(path)}: {exc.strerror or exc}")


def _warn(message: str) -> None:
    from adcli.diagnostics import printable, shorten

    click.echo(f"adcli check: warning: {shorten(printable(message))}", err=True)


class _Progress:
    """A rich progress bar on stderr, refreshed by hand (no thread while workers fork)."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        self._bar = Progress(
            "checking",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            auto_refresh=False,
            transient=True,
        )
        self._task = None
        self._shown = 0.0

    def start(self, total: int, done: int) -> None:
        self._bar.start()
        self._task = self._bar.add_task("checking", total=total, completed=done)
        self._bar.refresh()

    def advance(self, result: object) -> None:
        self._bar.advance(self._task)
        now = time.monotonic()
        if now - self._shown > 0.1:
            self._shown = now
            self._bar.refresh()

    def stop(self) -> None:
        self._bar.stop()
