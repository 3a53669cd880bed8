"""Reports of a check: JSON, JUnit XML, CSV, plain text and a rich table.

Builders return text (or a rich renderable); ``write_atomic`` puts a file in place so
that a reader never sees half of it.

Everything a report shows that came from input (submission paths, the title, messages) is
escaped with ``printable``/``show_path`` and bounded, so a file name cannot drive the
terminal or put invalid UTF-8 in a file; the rich table is built from ``Text`` objects,
never markup; a CSV cell that a spreadsheet would run as a formula starts with ``'``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter

from adcli.check.problems import ProblemSet
from adcli.check.results import VERDICTS, SubmissionResult, bounded
from adcli.diagnostics import printable, show_path

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_STYLE = {
    "correct": "green",
    "wrong": "red",
    "invalid": "magenta",
    "timeout": "yellow",
    "limit": "yellow",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet cell a formula


def verdict_counts(results: list[SubmissionResult]) -> dict[str, int]:
    """How many problems got each verdict, over all submissions, in VERDICTS order."""
    counts = Counter(p.verdict for r in results for p in r.problems)
    return {v: counts.get(v, 0) for v in VERDICTS}


def summary(results: list[SubmissionResult]) -> dict:
    """Counts for the foot of every report."""
    return {
        "submissions": len(results),
        "fully_correct": sum(r.all_correct for r in results),
        "verdicts": verdict_counts(results),
    }


def to_json(problem_set: ProblemSet, results: list[SubmissionResult]) -> str:
    """The ``--json`` report: a score and verdict per problem and per submission."""
    document = {
        "title": printable(problem_set.title),
        "problem_set": show_path(problem_set.path),
        "max_score": problem_set.max_score,
        "summary": summary(results),
        "submissions": [r.to_report() for r in results],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def to_junit(problem_set: ProblemSet, results: list[SubmissionResult]) -> str:
    """The ``--junit`` report: a testcase per submission and problem.

    A wrong answer is a failure; an invalid, timed-out or limited one is an error.
    """
    root = ET.Element("testsuites", name=_xml_text(printable(problem_set.title)))
    totals = Counter()
    for result in results:
        name = _xml_text(show_path(result.submission))
        suite = ET.SubElement(root, "testsuite", name=name)
        counts = Counter()
        for p in result.problems:
            case = ET.SubElement(
                suite, "testcase", classname=name, name=_xml_text(printable(p.id)), time="0"
            )
            counts["tests"] += 1
            message = bounded(p.message)
            if p.verdict == "wrong":
                counts["failures"] += 1
                node = ET.SubElement(case, "failure", type="wrong", message=_line(message))
                node.text = _xml_text(message)
            elif p.verdict != "correct":
                counts["errors"] += 1
                verdict = printable(p.verdict)
                node = ET.SubElement(case, "error", type=verdict, message=_line(message))
                node.text = _xml_text(message)
        for key in ("tests", "failures", "errors"):
            suite.set(key, str(counts[key]))
        totals.update(counts)
    for key in ("tests", "failures", "errors"):
        root.set(key, str(totals[key]))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _xml_text(text: str) -> str:
    """``text`` without the characters that XML 1.0 cannot hold."""
    return _NOT_XML.sub("\ufffd", text)


def _line(text: str) -> str:
    first = _xml_text(text.splitlines()[0]) if text else ""
    return first if len(first) <= 200 else first[:197] + "..."


def to_csv(problem_set: ProblemSet, results: list[SubmissionResult]) -> str:
    """The ``--csv`` report: one row per submission, a verdict and score column per problem."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    ids = [p.id for p in problem_set.problems]
    writer.writerow(
        [
            "submission",
            "score",
            "max_score",
            *VERDICTS,
            *[c for pid in ids for c in (f"{pid}:verdict", f"{pid}:score")],
        ]
    )
    for r in results:
        counts = Counter(p.verdict for p in r.problems)
        writer.writerow(
            [
                _cell(show_path(r.submission)),
                f"{r.score:g}",
                f"{r.max_score:g}",
                *[counts[v] for v in VERDICTS],
                *[c for p in r.problems for c in (_cell(printable(p.verdict)), f"{p.score:g}")],
            ]
        )
    return buffer.getvalue()


def _cell(text: str) -> str:
    """A CSV cell of text that a spreadsheet shows as text and never runs as a formula.

    The numbers the report writes itself (scores, counts, all >= 0) are left as numbers.
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_atomic(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory and a rename."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _foot(problem_set: ProblemSet, results: list[SubmissionResult]) -> str:
    s = summary(results)
    verdicts = ", ".join(f"{n} {v}" for v, n in s["verdicts"].items())
    return (
        f"{s['submissions']} submission{'s' if s['submissions'] != 1 else ''}, "
        f"{s['fully_correct']} fully correct. Problems: {verdicts}."
    )


def _short_names(results: list[SubmissionResult]) -> tuple[str, list[str]]:
    """The submissions' common directory, and each one's path relative to it, as shown
    (``show_path``: unprintable characters and undecodable bytes escaped)."""
    paths = [r.submission for r in results]
    try:
        base = os.path.commonpath(paths) if len(paths) > 1 else ""
    except ValueError:  # absolute and relative paths mixed
        base = ""
    if base in paths:
        base = os.path.dirname(base)
    if not base:
        return "", [show_path(p) for p in paths]
    return show_path(base), [show_path(os.path.relpath(p, base)) for p in paths]


def to_text(problem_set: ProblemSet, results: list[SubmissionResult]) -> str:
    """The plain report (stdout is not a terminal): a line per submission, then the why."""
    base, names = _short_names(results)
    width = max([len(n) for n in names] + [10])
    title = printable(problem_set.title)
    lines = [title + (f" (submissions in {base}{os.sep})" if base else "")]
    for name, r in zip(names, results, strict=True):
        verdicts = " ".join(f"{printable(p.id)}={printable(p.verdict)}" for p in r.problems)
        lines.append(f"{name:<{width}}  {r.score:g}/{r.max_score:g}  {verdicts}")
        for p in r.problems:
            if p.verdict != "correct":
                lines.append(
                    f"  {printable(p.id)}: {printable(p.verdict)}: {bounded(p.message)}"
                )
    lines.append(_foot(problem_set, results))
    return "\n".join(lines) + "\n"


def to_rich(problem_set: ProblemSet, results: list[SubmissionResult]) -> object:
    """The terminal report: a table with a column per problem, the reasons, then the counts."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    base, names = _short_names(results)
    title = printable(problem_set.title)
    table = Table(
        title=Text(title + (f"\nsubmissions in {base}{os.sep}" if base else "")),
        show_lines=False,
    )
    table.add_column(Text("submission"), no_wrap=True)
    table.add_column(Text("score"), justify="right", no_wrap=True)
    for p in problem_set.problems:
        table.add_column(Text(printable(p.id)), overflow="fold")
    notes = Text()
    for name, r in zip(names, results, strict=True):
        table.add_row(
            Text(name),
            Text(f"{r.score:g}/{r.max_score:g}"),
            *[Text(printable(p.verdict), style=_STYLE.get(p.verdict, "")) for p in r.problems],
        )
        for p in r.problems:
            if p.verdict != "correct":
                notes.append(f"{name} ", style="bold")
                notes.append(f"{printable(p.id)} ")
                notes.append(printable(p.verdict), style=_STYLE.get(p.verdict, ""))
                notes.append(f": {bounded(p.message)}\n")
    return Group(table, notes, Text(_foot(problem_set, results)))
