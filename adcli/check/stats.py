"""``--stats``: per problem, how the class did.

For each problem: the mean and the spread (population standard deviation) of the
scores, the share of each verdict, and the most common wrong answers, grouped by what
the student's answer gave (the message as a student sees it, without the expected value,
numbers rounded to 4 significant digits), each with a short hash and a count.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter

from adcli.check.problems import ProblemSet
from adcli.check.results import VERDICTS, SubmissionResult
from adcli.diagnostics import printable

TOP_WRONG = 5
_NUMBER = re.compile(r"-?\d+\.\d+(?:[eE][-+]?\d+)?|-?\d+[eE][-+]?\d+")


def _rounded(text: str) -> str:
    return _NUMBER.sub(lambda m: f"{float(m.group()):.4g}", text)


def compute_stats(problem_set: ProblemSet, results: list[SubmissionResult]) -> dict:
    """The ``stats`` of the JSON report: ``{"problems": [...]}`` in the set's order."""
    out = []
    for index, problem in enumerate(problem_set.problems):
        mine = [r.problems[index] for r in results if index < len(r.problems)]
        n = len(mine)
        scores = [p.score for p in mine]
        mean = sum(scores) / n if n else 0.0
        std = math.sqrt(sum((s - mean) ** 2 for s in scores) / n) if n else 0.0
        counts = Counter(p.verdict for p in mine)
        wrong = Counter(
            # the student's own values: the hidden message, or the message of a result
            # that --hide-expected already redacted
            _rounded(p.hidden or p.message)[:200]
            for p in mine
            if p.verdict == "wrong"
        )
        out.append(
            {
                "id": printable(problem.id),
                "points": problem.points,
                "submissions": n,
                "mean": round(mean, 6),
                "std": round(std, 6),
                "verdicts": {v: round(counts[v] / n, 6) if n else 0.0 for v in VERDICTS},
                "wrong_answers": [
                    {
                        "value": value,
                        "key": hashlib.sha256(value.encode()).hexdigest()[:12],
                        "count": count,
                    }
                    for value, count in wrong.most_common(TOP_WRONG)
                ],
            }
        )
    return {"problems": out}


def stats_text(stats: dict) -> str:
    """The stats as a plain table (at most 80 columns wide), then the common wrong answers."""
    from adcli.check.report import SYMBOLS

    key = ", ".join(f"{mark} {verdict}" for verdict, mark in SYMBOLS.items())
    lines = [
        f"Per problem ({key}):",
        f"{'problem':<18} {'mean':>7} {'std':>6}  verdicts",
    ]
    for p in stats["problems"]:
        shares = " ".join(f"{SYMBOLS.get(v, v)}{s:.0%}" for v, s in p["verdicts"].items() if s)
        pid = p["id"] if len(p["id"]) <= 18 else p["id"][:17] + "…"
        lines.append(f"{pid:<18} {p['mean']:>7.3g} {p['std']:>6.3g}  {shares}")
    for p in stats["problems"]:
        if p["wrong_answers"]:
            lines.append(f"Most common wrong answers to {p['id']}:")
            for w in p["wrong_answers"]:
                value = w["value"] if len(w["value"]) <= 60 else w["value"][:59] + "…"
                lines.append(f"  {w['count']:>4} x  {value}  [{w['key']}]")
    return "\n".join(lines) + "\n"
