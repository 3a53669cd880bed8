"""``--roster FILE.csv``: who handed in which submission, from the teacher's class list.

The CSV has a header row with the columns ``id`` and ``name`` and, optionally,
``submission``: the submission's file or folder name (``alice.toml``, ``alice``, or a
path ending in one of those). Without a ``submission`` column (or where a row leaves it
empty), a row matches the submission named after the student's id (``s123.toml`` or
``s123/``). The roster is the teacher's, so it wins over what a submission says itself.
"""

from __future__ import annotations

import csv
import io
import os
import stat
from dataclasses import dataclass

from adcli.check.results import SubmissionResult
from adcli.diagnostics import printable, shorten, show_path

MAX_ROSTER_BYTES = 16 * 2**20


class RosterError(Exception):
    """The roster cannot be read or is not well formed (a usage error)."""


@dataclass(frozen=True)
class Roster:
    """Students by the submission name they match."""

    path: str
    students: dict[str, dict[str, str]]


def _key(name: str) -> str:
    base = os.path.basename(os.path.normpath(name))
    return os.path.splitext(base)[0] if base.endswith((".toml", ".py", ".ipynb")) else base


def load_roster(path: str) -> Roster:
    shown = show_path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise RosterError(f"the roster {shown} is not a regular file")
            with os.fdopen(os.dup(fd), "rb") as f:
                raw = f.read(MAX_ROSTER_BYTES + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise RosterError(f"cannot read the roster {shown}: {exc.strerror or exc}") from None
    if len(raw) > MAX_ROSTER_BYTES:
        raise RosterError(f"the roster {shown} is larger than {MAX_ROSTER_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterError(f"the roster {shown} is not UTF-8 text (byte {exc.start})") from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise RosterError(f"the roster {shown} is not valid CSV: {exc}") from None
    if not rows:
        raise RosterError(f"the roster {shown} is empty")
    header = [c.strip().lower() for c in rows[0]]
    if "id" not in header or "name" not in header:
        raise RosterError(
            f"the roster {shown} needs a header row with the columns id and name "
            "(and, optionally, submission)"
        )
    col = {name: header.index(name) for name in ("id", "name", "submission") if name in header}
    students: dict[str, dict[str, str]] = {}
    for number, row in enumerate(rows[1:], 2):
        if not any(c.strip() for c in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        sid, name = cell("id"), cell("name")
        key = _key(cell("submission") or sid)
        if not key:
            raise RosterError(f"the roster {shown}, line {number}: no id and no submission")
        if key in students:
            raise RosterError(
                f"the roster {shown}, line {number}: a second row for the submission "
                f"{shorten(printable(key), 60)}"
            )
        students[key] = {"id": shorten(printable(sid), 200), "name": shorten(printable(name), 200)}
    return Roster(path, students)


def apply_roster(roster: Roster, results: list[SubmissionResult]) -> list[str]:
    """Give each result the student the roster names for it; warnings for the students
    the roster lists who have no submission here (first few named)."""
    matched: set[str] = set()
    for result in results:
        key = _key(result.submission)
        student = roster.students.get(key)
        if student is not None:
            matched.add(key)
            result.student = {k: v for k, v in student.items() if v}
    absent = [k for k in roster.students if k not in matched]
    if not absent:
        return []
    shown = ", ".join(shorten(printable(k), 40) for k in absent[:10])
    more = f" and {len(absent) - 10} more" if len(absent) > 10 else ""
    return [f"{len(absent)} student(s) of the roster have no submission here: {shown}{more}"]
