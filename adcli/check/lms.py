"""Results for learning platforms that run one submission at a time.

- ``to_gradescope``: a Gradescope autograder ``results.json`` (the file the autograder
  writes to ``/autograder/results/results.json``): ``score``, ``output``, ``visibility``
  and ``tests``, a test per problem with ``name``, ``score``, ``max_score``, ``status``
  (``passed`` or ``failed``), ``output`` and ``visibility``.
- ``to_prairielearn``: a PrairieLearn external grader result: ``gradable``,
  ``succeeded``, ``score`` (0 to 1), ``message``, ``output`` and ``tests``, a test per
  problem with ``name``, ``points``, ``max_points``, ``message`` and ``output``.

Every text is already bounded and escaped in the result (``bounded``).
"""

from __future__ import annotations

import json
import os
import re

from adcli.check.problems import ProblemSet
from adcli.check.results import ProblemResult, SubmissionResult
from adcli.diagnostics import printable, show_path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _line(p: ProblemResult) -> str:
    return f"{p.shown_verdict}: {p.message}" if p.message else p.shown_verdict


def _overview(problem_set: ProblemSet, result: SubmissionResult) -> str:
    lines = [f"{printable(problem_set.title)}: {result.score:g}/{result.max_score:g}"]
    lines += [f"note: {n}" for n in result.notes]
    return "\n".join(lines)


def to_gradescope(
    problem_set: ProblemSet, result: SubmissionResult, visibility: str = "visible"
) -> str:
    document = {
        "score": result.score,
        "output": _overview(problem_set, result),
        "visibility": visibility,
        "tests": [
            {
                "name": printable(p.id),
                "score": p.score,
                "max_score": p.points,
                "status": "passed" if p.verdict == "correct" else "failed",
                "output": _line(p),
                "visibility": visibility,
            }
            for p in result.problems
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def to_prairielearn(problem_set: ProblemSet, result: SubmissionResult) -> str:
    fraction = result.score / result.max_score if result.max_score else 0.0
    document = {
        "gradable": True,
        "succeeded": True,
        "score": min(1.0, max(0.0, round(fraction, 6))),
        "message": _overview(problem_set, result),
        "output": "",
        "tests": [
            {
                "name": printable(p.id),
                "points": p.score,
                "max_points": p.points,
                "message": _line(p),
                "output": p.message,
            }
            for p in result.problems
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def file_names(results: list[SubmissionResult]) -> list[str]:
    """A safe, distinct ``NAME.json`` per submission, for a directory of results."""
    names: list[str] = []
    seen: set[str] = set()
    for result in results:
        base = os.path.basename(os.path.normpath(show_path(result.submission)))
        stem = _UNSAFE.sub("_", base).strip("._") or "submission"
        name, n = f"{stem}.json", 1
        while name in seen:
            n += 1
            name = f"{stem}-{n}.json"
        seen.add(name)
        names.append(name)
    return names
