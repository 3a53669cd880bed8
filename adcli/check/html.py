"""``--html FILE``: one self-contained HTML page (inline CSS; no script, no link, no
network): the class table, then each submission's details, then the ``--stats``.

Every text comes from ``printable``/``show_path``/``bounded`` and is escaped with
``html.escape``, so a submission named ``<script>`` shows those characters literally.
"""

from __future__ import annotations

from html import escape

from adcli.check.problems import ProblemSet
from adcli.check.report import _foot, _short_names, student_label
from adcli.check.results import SubmissionResult, bounded
from adcli.check.stats import divergence_text
from adcli.diagnostics import printable

_CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.5em; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.num { text-align: right; }
.correct { background: #dff5df; } .wrong { background: #fbdcdc; }
.invalid { background: #f2dcf5; } .timeout, .limit { background: #fbf1d0; }
.missing { background: #eee; color: #666; }
pre { white-space: pre-wrap; word-break: break-word; margin: 0; font-size: 0.9em; }
.note { color: #05587a; }
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def to_html(
    problem_set: ProblemSet, results: list[SubmissionResult], stats: dict | None = None
) -> str:
    base, names = _short_names(results)
    title = _e(printable(problem_set.title))
    known = any(r.student for r in results)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{title}</title><style>{_CSS}</style></head><body>",
        f"<h1>{title}</h1>",
    ]
    if base:
        out.append(f"<p>Submissions in <code>{_e(base)}</code></p>")
    out.append('<div class="scroll"><table id="class"><thead><tr><th>submission</th>')
    if known:
        out.append("<th>student</th>")
    out.append("<th>score</th>")
    out += [f"<th>{_e(printable(p.id))}</th>" for p in problem_set.problems]
    out.append("</tr></thead><tbody>")
    for n, (name, r) in enumerate(zip(names, results, strict=True)):
        out.append(f'<tr><td><a href="#s{n}">{_e(name)}</a></td>')
        if known:
            out.append(f"<td>{_e(student_label(r))}</td>")
        out.append(f'<td class="num">{r.score:g}/{r.max_score:g}</td>')
        for p in r.problems:
            verdict = _e(printable(p.shown_verdict))
            out.append(f'<td class="{verdict}">{verdict}</td>')
        out.append("</tr>")
    out.append("</tbody></table></div>")
    out.append(f"<p>{_e(_foot(problem_set, results))}</p>")
    out.append("<h2>Details</h2>")
    for n, (name, r) in enumerate(zip(names, results, strict=True)):
        who = f" ({_e(student_label(r))})" if r.student else ""
        out.append(f'<section id="s{n}"><h3>{_e(name)}{who}: {r.score:g}/{r.max_score:g}</h3>')
        if r.notes:
            out.append("<ul>")
            out += [f'<li class="note">note: {_e(bounded(note))}</li>' for note in r.notes]
            out.append("</ul>")
        out.append("<table><tr><th>problem</th><th>verdict</th><th>score</th><th>why</th></tr>")
        for p in r.problems:
            verdict = _e(printable(p.shown_verdict))
            out.append(
                f'<tr><td>{_e(printable(p.id))}</td><td class="{verdict}">{verdict}</td>'
                f'<td class="num">{p.score:g}/{p.points:g}</td>'
                f"<td><pre>{_e(bounded(p.message))}</pre></td></tr>"
            )
        out.append("</table></section>")
    if stats is not None:
        out.append('<h2>Per problem</h2><table id="stats"><tr><th>problem</th><th>mean</th>')
        out.append("<th>std</th><th>verdicts</th><th>most common wrong answers</th></tr>")
        for p in stats["problems"]:
            shares = ", ".join(f"{v} {s:.0%}" for v, s in p["verdicts"].items() if s)
            wrong = "".join(
                f"<li>{w['count']} &times; <code>{_e(w['value'])}</code>"
                + (
                    f"<br>first divergence: <code>{_e(divergence_text(w['diverges']))}</code>"
                    if w.get("diverges")
                    else ""
                )
                + "</li>"
                for w in p["wrong_answers"]
            )
            out.append(
                f"<tr><td>{_e(p['id'])}</td><td class=\"num\">{p['mean']:.3g}</td>"
                f"<td class=\"num\">{p['std']:.3g}</td><td>{_e(shares)}</td>"
                f"<td><ul>{wrong}</ul></td></tr>"
            )
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
