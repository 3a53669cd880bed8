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
from adcli.check.results import VERDICTS, ProblemResult, SubmissionResult, bounded
from adcli.diagnostics import printable, show_path

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_STYLE = {
    "correct": "green",
    "wrong": "red",
    "invalid": "magenta",
    "timeout": "yellow",
    "limit": "yellow",
    "missing": "dim",
    "passed": "green",
    "failed": "red",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet cell a formula


HIDDEN_FAILED = "failed"  # how counts name a hidden test that failed (its verdict withheld)


def counted(p: ProblemResult) -> str:
    """The verdict a count puts a result under: a hidden test that passed is ``correct``,
    one that failed is ``failed``, so that no count tells how it failed."""
    if p.masked:
        return "correct" if p.verdict == "correct" else HIDDEN_FAILED
    return p.verdict


def verdict_counts(results: list[SubmissionResult]) -> dict[str, int]:
    """How many problems got each verdict, over all submissions, in VERDICTS order; then
    ``failed``, the hidden tests that failed, when there are any."""
    counts = Counter(counted(p) for r in results for p in r.problems)
    out = {v: counts.get(v, 0) for v in VERDICTS}
    if counts.get(HIDDEN_FAILED):
        out[HIDDEN_FAILED] = counts[HIDDEN_FAILED]
    return out


def summary(results: list[SubmissionResult]) -> dict:
    """Counts for the foot of every report."""
    return {
        "submissions": len(results),
        "fully_correct": sum(r.all_correct for r in results),
        "verdicts": verdict_counts(results),
    }


def to_json(
    problem_set: ProblemSet, results: list[SubmissionResult], stats: dict | None = None
) -> str:
    """The ``--json`` report: a score and verdict per problem and per submission (and,
    with ``stats``, the ``--stats`` per problem)."""
    document = {
        "title": printable(problem_set.title),
        "problem_set": show_path(problem_set.path),
        "max_score": problem_set.max_score,
        "summary": summary(results),
        "submissions": [r.to_report() for r in results],
    }
    if stats is not None:
        document["stats"] = stats
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
        props = ET.SubElement(suite, "properties")  # the student, "" when unknown
        for key in ("id", "name"):
            value = _xml_text(result.student.get(key, ""))
            ET.SubElement(props, "property", name=f"student_{key}", value=value)
        counts = Counter()
        for p in result.problems:
            case = ET.SubElement(
                suite, "testcase", classname=name, name=_xml_text(printable(p.id)), time="0"
            )
            counts["tests"] += 1
            message = bounded(p.message)
            if p.verdict == "wrong" or (p.masked and p.verdict != "correct"):
                counts["failures"] += 1
                kind = p.shown_verdict  # "failed" for a hidden test: not how it failed
                node = ET.SubElement(case, "failure", type=kind, message=_line(message))
                node.text = _xml_text(message)
            elif p.verdict != "correct":
                counts["errors"] += 1
                verdict = printable(p.verdict)
                node = ET.SubElement(case, "error", type=verdict, message=_line(message))
                node.text = _xml_text(message)
        if result.notes:
            ET.SubElement(suite, "system-err").text = _xml_text(
                "\n".join("note: " + n for n in result.notes)
            )
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
    kinds = VERDICTS
    if any(p.masked for r in results for p in r.problems):
        kinds = (*VERDICTS, HIDDEN_FAILED)  # the hidden tests that failed
    writer.writerow(
        [
            "submission",
            "score",
            "max_score",
            *kinds,
            *[c for pid in ids for c in (f"{pid}:verdict", f"{pid}:score")],
            "notes",
            "student_id",
            "student_name",
        ]
    )
    for r in results:
        counts = Counter(counted(p) for p in r.problems)
        writer.writerow(
            [
                _cell(show_path(r.submission)),
                f"{r.score:g}",
                f"{r.max_score:g}",
                *[counts[v] for v in kinds],
                *[
                    c
                    for p in r.problems
                    for c in (_cell(printable(p.shown_verdict)), f"{p.score:g}")
                ],
                _cell(" | ".join(r.notes)),
                _cell(r.student_id),
                _cell(r.student_name),
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
    verdicts = ", ".join(
        f"{n} {v}" + (" (hidden tests)" if v == HIDDEN_FAILED else "")
        for v, n in s["verdicts"].items()
        if n or v != "missing"
    )
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


SYMBOLS = {
    "correct": "+",
    "wrong": "x",
    "invalid": "!",
    "timeout": "T",
    "limit": "L",
    "missing": "-",
}
TEXT_WIDTH = 80  # the plain report keeps to this many columns


HIDDEN_SYMBOL = "?"  # a hidden test that failed (a passed one is "+")


def symbol(p: ProblemResult) -> str:
    """The symbol of one result in the compact grid."""
    if p.masked and p.verdict != "correct":
        return HIDDEN_SYMBOL
    return SYMBOLS.get(p.verdict, "?")


def symbols(result: SubmissionResult) -> str:
    """One symbol per problem, in the set's order, in groups of five."""
    marks = "".join(symbol(p) for p in result.problems)
    return " ".join(marks[i : i + 5] for i in range(0, len(marks), 5))


def legend(problem_set: ProblemSet, width: int = TEXT_WIDTH) -> list[str]:
    """What the symbols of the compact grid mean, and which problem each position is,
    packed into lines of at most ``width`` columns (an item is never split)."""
    key = [f"{mark} {verdict}" for verdict, mark in SYMBOLS.items()]
    if any(p.hidden for p in problem_set.problems):
        key.append(f"{HIDDEN_SYMBOL} hidden test failed")
    order = [f"{n} {printable(p.id)}" for n, p in enumerate(problem_set.problems, 1)]
    lines: list[str] = []
    for head, items in (("one symbol per problem:", key), ("problems in order:", order)):
        line = head
        for item in items:
            if len(line) + 2 + len(item) > width and line.strip():
                lines.append(line)
                line = "  " + item
            else:
                line += ("  " if line.strip() else "") + item
        lines.append(line)
    return lines


def _folded(head: str, groups: list[str], width: int) -> list[str]:
    """``head`` then the groups of symbols, folded onto indented lines at ``width``."""
    lines, line = [], head
    for group in groups:
        if len(line) + len(group) > width and line.strip():
            lines.append(line.rstrip())
            line = "    "
        line += group + " "
    lines.append(line.rstrip())
    return lines


def to_text(
    problem_set: ProblemSet, results: list[SubmissionResult], width: int = TEXT_WIDTH
) -> str:
    """The plain report (stdout is not a terminal): a line per submission, then the why,
    grouped per submission. When a line of ``id=verdict`` pairs would pass ``width``
    columns, each submission's verdicts are a compact row of symbols, with a legend."""
    base, names = _short_names(results)
    name_width = max([len(n) for n in names] + [10])
    title = printable(problem_set.title)
    lines = [title + (f" (submissions in {base}{os.sep})" if base else "")]
    rows = []
    for name, r in zip(names, results, strict=True):
        verdicts = " ".join(
            f"{printable(p.id)}={printable(p.shown_verdict)}" for p in r.problems
        )
        who = f"  [{student_label(r)}]" if r.student else ""
        rows.append((f"{name:<{name_width}}  {r.score:g}/{r.max_score:g}  ", verdicts, who))
    compact = any(len(head + verdicts + who) > width for head, verdicts, who in rows)
    if compact:
        lines += legend(problem_set, width)
    for (head, verdicts, who), r in zip(rows, results, strict=True):
        if compact:
            lines += _folded(head.rstrip() + who + "  ", symbols(r).split(), width)
        else:
            lines.append(head + verdicts + who)
        lines += [f"  note: {bounded(n)}" for n in r.notes]
        for p in r.problems:
            if p.verdict != "correct":
                lines += detail_lines(f"  {printable(p.id)}: {printable(p.shown_verdict)}",
                                      bounded(p.message), width)
    lines.append(_foot(problem_set, results))
    return "\n".join(lines) + "\n"


_DIFFERENCE = re.compile(r"(\[[\d, ]*\]) (?:expected (.*?), )?got (.*)")


def detail_lines(head: str, message: str, width: int = TEXT_WIDTH) -> list[str]:
    """A problem's why, for people: ``head`` (``  formula: wrong``) and the message
    wrapped at word boundaries within ``width``; element differences (``[0, 1] expected
    4.5, got 3; ...``) as a small aligned table under it."""
    import textwrap

    text, rows = message, []
    cut = message.find(": [")
    if cut > 0:
        parts = message[cut + 2:].split("; ")
        found = [_DIFFERENCE.fullmatch(part) for part in parts]
        if all(found):
            text = message[:cut]
            rows = [m.groups() for m in found]
    indent = " " * (len(head) - len(head.lstrip()) + 4)
    out = textwrap.wrap(f"{head}: {text}", width=width, subsequent_indent=indent,
                        break_long_words=True, break_on_hyphens=False) or [head]
    if rows:
        expected = any(e is not None for _, e, _ in rows)
        table = [("element", "expected", "got") if expected else ("element", "got")]
        table += [(i, e or "", g) if expected else (i, g) for i, e, g in rows]
        widths = [max(len(r[k]) for r in table) for k in range(len(table[0]))]
        for r in table:
            line = indent + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
            out.append(line if len(line) <= width else line[:width - 1] + "…")
    return out


def student_label(result: SubmissionResult) -> str:
    """``id name``, either alone, or "" when the student is not known."""
    return " ".join(v for v in (result.student_id, result.student_name) if v)


def to_rich(
    problem_set: ProblemSet, results: list[SubmissionResult], width: int = TEXT_WIDTH
) -> object:
    """The terminal report: a table with a column per problem, the reasons grouped per
    submission, then the counts. When a column per problem would not fit in ``width``
    columns, the table has one column of verdict symbols instead, with a legend."""
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
    known = any(r.student for r in results)
    if known:
        table.add_column(Text("student"), overflow="fold")
    table.add_column(Text("score"), justify="right", no_wrap=True)
    fixed = max([len(n) for n in names] + [10]) + 9 + 4
    if known:
        fixed += max(len(student_label(r)) for r in results) + 3
    wide = sum(max(len(printable(p.id)), 7) + 3 for p in problem_set.problems)
    compact = fixed + wide > width
    key = Text()
    if compact:
        table.add_column(Text("verdicts"), overflow="fold")
        key = Text("\n".join(legend(problem_set, max(20, width - 1))) + "\n", style="dim")
    else:
        for p in problem_set.problems:
            table.add_column(Text(printable(p.id)), overflow="fold")
    notes = Text()
    for name, r in zip(names, results, strict=True):
        if compact:
            cells = [Text()]
            for k, p in enumerate(r.problems):
                if k and not k % 5:
                    cells[0].append(" ")
                cells[0].append(symbol(p), style=_STYLE.get(p.shown_verdict, ""))
        else:
            cells = [
                Text(printable(p.shown_verdict), style=_STYLE.get(p.shown_verdict, ""))
                for p in r.problems
            ]
        table.add_row(
            Text(name),
            *([Text(student_label(r))] if known else []),
            Text(f"{r.score:g}/{r.max_score:g}"),
            *cells,
        )
        wrong = [p for p in r.problems if p.verdict != "correct"]
        if not (r.notes or wrong):
            continue
        notes.append(name, style="bold")
        notes.append(f" ({student_label(r)})\n" if r.student else "\n")
        for n in r.notes:
            notes.append("  note", style="cyan")
            notes.append(f": {bounded(n)}\n")
        for p in wrong:
            first, *rest = detail_lines(f"  {printable(p.id)} {printable(p.shown_verdict)}",
                                        bounded(p.message), width)
            head = f"  {printable(p.id)} "
            notes.append(head)
            notes.append(printable(p.shown_verdict), style=_STYLE.get(p.shown_verdict, ""))
            notes.append(first[len(head) + len(printable(p.shown_verdict)):] + "\n")
            for line in rest:
                notes.append(line + "\n", style="dim" if line.lstrip().startswith(
                    ("element", "[")) else "")
    return Group(table, key, notes, Text(_foot(problem_set, results)))
