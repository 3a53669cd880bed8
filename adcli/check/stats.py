"""``--stats``: per problem, how the class did.

For each problem: the mean and the spread (population standard deviation) of the
scores, the share of each verdict, and the most common wrong answers, grouped by what
the student's answer gave (the message as a student sees it, without the expected value,
numbers rounded to 4 significant digits), each with a short hash and a count.

For a function problem whose wrong answers define a custom ``torch.autograd.Function``,
each common wrong answer (at most ``TOP_WRONG`` groups) also says where it diverges:
adcli's per-node gradcheck (``adcli.see.gradcheck``) is run on one representative
submission of the group, with the problem's first inputs, and the first node whose
``backward`` disagrees with finite differences of its ``forward`` is named, with the line
of that ``backward`` in the student's answer.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
from collections import Counter

from adcli.check.problems import Problem, ProblemSet
from adcli.check.report import HIDDEN_FAILED, HIDDEN_SYMBOL, SYMBOLS, counted
from adcli.check.results import VERDICTS, SubmissionResult, bounded
from adcli.diagnostics import printable
from adcli.limits import Limits

TOP_WRONG = 5
_NUMBER = re.compile(r"-?\d+\.\d+(?:[eE][-+]?\d+)?|-?\d+[eE][-+]?\d+")


def _rounded(text: str) -> str:
    return _NUMBER.sub(lambda m: f"{float(m.group()):.4g}", text)


def compute_stats(
    problem_set: ProblemSet,
    results: list[SubmissionResult],
    limits: Limits | None = None,
    *,
    diverge: bool = True,
) -> dict:
    """The ``stats`` of the JSON report: ``{"problems": [...]}`` in the set's order.

    ``diverge``: also run the per-node gradcheck on a representative of each common wrong
    answer of a function problem that uses a custom autograd.Function (under ``limits``).
    """
    out = []
    for index, problem in enumerate(problem_set.problems):
        mine = [(r, r.problems[index]) for r in results if index < len(r.problems)]
        n = len(mine)
        scores = [p.score for _, p in mine]
        mean = sum(scores) / n if n else 0.0
        std = math.sqrt(sum((s - mean) ** 2 for s in scores) / n) if n else 0.0
        counts = Counter(counted(p) for _, p in mine)
        kinds = (*VERDICTS, HIDDEN_FAILED) if counts.get(HIDDEN_FAILED) else VERDICTS
        wrong: Counter[str] = Counter()
        representative: dict[str, str] = {}  # a wrong answer -> the first submission giving it
        for r, p in mine:
            if p.verdict != "wrong" or p.masked:  # a hidden test: not even how it failed
                continue
            # the student's own values: the hidden message, or the message of a result
            # that --hide-expected already redacted
            value = _rounded(p.hidden or p.message)[:200]
            wrong[value] += 1
            representative.setdefault(value, r.submission)
        common = wrong.most_common(TOP_WRONG)
        answers = []
        for value, count in common:
            entry = {
                "value": value,
                "key": hashlib.sha256(value.encode()).hexdigest()[:12],
                "count": count,
            }
            if diverge and problem.function and value in representative:
                found = first_divergence(problem, representative[value], limits or Limits())
                if found is not None:
                    entry["diverges"] = found
            answers.append(entry)
        out.append(
            {
                "id": printable(problem.id),
                "points": problem.points,
                "submissions": n,
                "mean": round(mean, 6),
                "std": round(std, 6),
                "verdicts": {v: round(counts[v] / n, 6) if n else 0.0 for v in kinds},
                "wrong_answers": answers,
            }
        )
    return {"problems": out}


def divergence_text(found: dict) -> str:
    """Where a wrong answer diverges, in words: ``MyExpBackward (backward at line 11)``."""
    where = ""
    if found.get("line"):
        cell = f"cell {found['cell']}, " if found.get("cell") else ""
        where = f" ({found.get('what', 'line')} at {cell}line {found['line']})"
    return f"{found['node']}{where}"


def first_divergence(problem: Problem, submission: str, limits: Limits) -> dict | None:
    """The first node of the answer to ``problem`` in ``submission`` whose backward
    disagrees with finite differences (adcli's per-node gradcheck), or None: when the
    answer uses no custom autograd.Function, every node agrees, or it cannot be run.

    ``{"node": "MyExpBackward", "line": 11, "what": "backward", "cell": 0, "message":
    ..., "max_diff": ...}``; ``line`` (and ``cell`` in a notebook) point into the
    student's answer file, or are 0 when unknown. Bounded by ``limits`` and its timeout.
    """
    from adcli.check.grade import AnswerTimeout, alarm
    from adcli.check.problems import read_submission

    try:
        submission_read = read_submission(submission, [problem.id], limits.max_input_bytes)
    except Exception:  # noqa: BLE001 - unreadable now: nothing to say
        return None
    text = submission_read.answers.get(problem.id)
    if not text or "autograd.Function" not in text:
        return None
    kind = submission_read.runs_as(problem.id)
    try:
        with alarm(limits.timeout or 0):
            return _diverges(problem, text, kind, limits)
    except (Exception, AnswerTimeout, RecursionError, MemoryError):  # noqa: BLE001
        return None  # the answer's own failure, already in its verdict


def _diverges(problem: Problem, text: str, kind: str, limits: Limits) -> dict | None:
    from adcli import limits as limits_mod
    from adcli.see import gradcheck

    limits_mod.install(limits)
    seed = problem.seeds[0]
    for args in _drawn_inputs(problem, limits, seed):
        call = f"adcli_out = {problem.function}({', '.join(args)})"
        driver = ["import torch", call, "adcli_out.sum().backward()"]
        if kind == "adc":
            driver = driver[1:]
        with tempfile.TemporaryDirectory(prefix="adcli-stats-") as tmp:
            path = os.path.join(tmp, f"answer.{kind}")
            with open(path, "w", encoding="utf-8") as f:
                f.write(_with_driver(text, kind, driver))
            _, report = gradcheck.run(path, [], limits, seed=seed)
        first = report.first_failure()
        if first is not None:
            found = {
                "node": bounded(first.name),
                "line": 0,
                "what": "line",
                "message": bounded(first.message),
                "max_diff": first.max_diff if math.isfinite(first.max_diff) else None,
            }
            found.update(_locate(text, kind, first.name))
            return found
    return None


def _drawn_inputs(problem: Problem, limits: Limits, seed: int) -> list[list[str]]:
    """The problem's visible inputs under ``seed``, as literals (float64 tensors that
    require grad); an input that is not tensors and numbers is left out."""
    from adcli.engine import api
    from adcli.engine.tensor import Tensor
    from adcli.lang.interpreter import Session

    api.manual_seed(seed)
    session = Session(limits=limits, out=lambda s: None)
    if problem.setup.strip():
        session.exec_source(problem.setup, "<setup>")
    drawn = []
    for args in problem.inputs:
        values = session.eval_expr(f"({args},)")
        literals = []
        for value in values:
            if isinstance(value, Tensor):
                data = value._data
                if data.size > _gradcheck_elements() or not all(
                    math.isfinite(float(v)) for v in data.ravel()
                ):
                    break
                if data.dtype.kind == "f":
                    literals.append(
                        f"torch.tensor({data.tolist()!r}, dtype=torch.float64, "
                        "requires_grad=True)"
                    )
                else:
                    literals.append(f"torch.tensor({data.tolist()!r})")
            elif isinstance(value, bool | int | float) and math.isfinite(value):
                literals.append(repr(value))
            else:
                break
        else:
            drawn.append(literals)
    return drawn


def _gradcheck_elements() -> int:
    from adcli.see.gradcheck import MAX_ELEMENTS

    return MAX_ELEMENTS


def _with_driver(text: str, kind: str, driver: list[str]) -> str:
    """The answer, then the lines that call its function and run backward."""
    if kind != "ipynb":
        return text.rstrip("\n") + "\n" + "\n".join(driver) + "\n"
    doc = json.loads(text)
    doc.setdefault("cells", []).append(
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "\n".join(driver)}
    )
    return json.dumps(doc)


def _locate(text: str, kind: str, node: str) -> dict:
    """Where the ``backward`` of the Function behind ``node`` (``MyExpBackward``) is
    defined in the answer: its line (and, in a notebook, its code cell, from 1)."""
    name = node[: -len("Backward")] if node.endswith("Backward") else node
    if kind == "ipynb":
        cells = [
            c.get("source", "") for c in json.loads(text).get("cells", [])
            if c.get("cell_type") == "code"
        ]
        cells = ["".join(c) if isinstance(c, list) else str(c) for c in cells]
    else:
        cells = [text]
    for number, cell in enumerate(cells, 1):
        lines = cell.splitlines()
        header = re.compile(rf"\s*class\s+{re.escape(name)}\b")
        start = next((i for i, line in enumerate(lines) if header.match(line)), None)
        if start is None:
            continue
        at = next(
            (i for i in range(start + 1, len(lines)) if re.match(r"\s*def\s+backward\b", lines[i])),
            None,
        )
        found = {"line": (at if at is not None else start) + 1}
        found["what"] = "backward" if at is not None else "class"
        if kind == "ipynb":
            found["cell"] = number
        return found
    return {}


def stats_text(stats: dict) -> str:
    """The stats as a plain table (at most 80 columns wide), then the common wrong answers."""
    marks = {**SYMBOLS, HIDDEN_FAILED: HIDDEN_SYMBOL}
    key = ", ".join(f"{mark} {verdict}" for verdict, mark in SYMBOLS.items())
    if any(HIDDEN_FAILED in p["verdicts"] for p in stats["problems"]):
        key += f", {HIDDEN_SYMBOL} hidden test failed"
    lines = [
        f"Per problem ({key}):",
        f"{'problem':<18} {'mean':>7} {'std':>6}  verdicts",
    ]
    for p in stats["problems"]:
        shares = " ".join(f"{marks.get(v, v)}{s:.0%}" for v, s in p["verdicts"].items() if s)
        pid = p["id"] if len(p["id"]) <= 18 else p["id"][:17] + "…"
        lines.append(f"{pid:<18} {p['mean']:>7.3g} {p['std']:>6.3g}  {shares}")
    for p in stats["problems"]:
        if p["wrong_answers"]:
            lines.append(f"Most common wrong answers to {p['id']}:")
            for w in p["wrong_answers"]:
                value = w["value"] if len(w["value"]) <= 60 else w["value"][:59] + "…"
                lines.append(f"  {w['count']:>4} x  {value}  [{w['key']}]")
                if w.get("diverges"):
                    lines.append(f"           first divergence: {divergence_text(w['diverges'])}")
    return "\n".join(lines) + "\n"
