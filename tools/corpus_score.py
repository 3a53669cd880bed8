#!/usr/bin/env python3
"""Score adcli on the whole corpus, per folder, tolerantly and strictly.

Every program of the corpus runs through ``adcli run --seed 0`` (the ``adcli`` command
installed next to the Python running this tool, else ``python -m adcli.cli.main``), as
``python -m adcli.transcript --run`` runs it: a ``.adc`` by its path, a ``.py`` or
``.ipynb`` by its basename in its own directory with ``NO_COLOR=1``. Its stdout is
scored against ``NAME.out`` with ``adcli.transcript`` in both modes: tolerant (numbers
within rtol=1e-3/atol=1e-4 match) and strict (identical lines only, the goal).

The folders, each a row: ``samples/seeds``, ``samples/conformance``,
``samples/features`` and every ``samples/python/<folder>`` (those present under
``--root``, default the repository of this tool), or the directories given as
arguments. The table gives, per folder, the number of programs, the tolerant lines
matched/total and percentage, the strict ones, and a TOTAL row (``--json`` adds
each program's scores and the notes of runs cut short)::

    python tools/corpus_score.py                      # the table
    python tools/corpus_score.py --json               # the same as JSON
    python tools/corpus_score.py --show-strict-diffs  # + every line that matches
                                                      #   tolerantly but not strictly
    python tools/corpus_score.py samples/python/nn    # one folder

Percentages are rounded down (100.0 only when every line matched). The exit status is
0 iff every line matched tolerantly (with ``--strict``: strictly), 1 otherwise, 2 when
a folder has no program or a reference is missing. Needs no torch.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

from adcli.transcript import (  # noqa: E402
    SCRIPT_SUFFIXES,
    compare,
    find_scripts,
    percent,
    reference_path,
    run_scripts,
    tolerated,
)

TOP_FOLDERS = ("seeds", "conformance", "features")


def corpus_folders(root: str) -> list[str]:
    """The corpus folders present under ``root``, in table order."""
    samples = os.path.join(root, "samples")
    folders = [os.path.join(samples, name) for name in TOP_FOLDERS]
    python = os.path.join(samples, "python")
    if os.path.isdir(python):
        folders += [os.path.join(python, name) for name in sorted(os.listdir(python))]
    return [f for f in folders if os.path.isdir(f)]


def default_command() -> list[str]:
    """``adcli run --seed 0`` with the adcli of the running Python."""
    bindir = os.path.dirname(os.path.abspath(sys.executable))
    for name in ("adcli", "adcli.exe"):
        exe = os.path.join(bindir, name)
        if os.path.isfile(exe) and os.access(exe, os.X_OK):
            return [exe, "run", "--seed", "0"]
    return [sys.executable, "-m", "adcli.cli.main", "run", "--seed", "0"]


def _score(matched: int, total: int) -> dict:
    return {"matched": matched, "total": total, "percent": percent(matched, total)}


def score_corpus(folders: list[str], command: list[str], root: str, timeout: float = 120.0,
                 jobs: int = 0, diffs: bool = False) -> dict:
    """Run and score every program of ``folders``; the report as a JSON-ready dict.

    Raises ``FileNotFoundError`` when a folder has no program or a reference is missing.
    """
    per_folder: list[tuple[str, list[str]]] = []
    for folder in folders:
        scripts = find_scripts([folder], SCRIPT_SUFFIXES)
        if not scripts:
            raise FileNotFoundError(f"{folder}: no .adc, .py or .ipynb program")
        per_folder.append((folder, scripts))
    everything = [s for _, scripts in per_folder for s in scripts]
    expected: dict[str, str] = {}
    for script in everything:
        ref = reference_path(script)
        if not os.path.isfile(ref):
            raise FileNotFoundError(f"{script}: no reference transcript {ref}")
        with open(ref, encoding="utf-8") as fh:
            expected[script] = fh.read()
    runs = dict(zip(everything, run_scripts(command, everything, timeout, jobs)))

    def rel(path: str) -> str:
        return os.path.relpath(path, root)

    rows, files, notes, strict_diffs = [], [], {}, {}
    sums = [0, 0, 0, 0]  # files, tolerant matched, strict matched, lines
    for folder, scripts in per_folder:
        t_sum = s_sum = n_sum = 0
        for script in scripts:
            out, note = runs[script]
            matched, total, _ = compare(expected[script], out)
            s_matched = compare(expected[script], out, strict=True)[0]
            t_sum += matched
            s_sum += s_matched
            n_sum += total
            files.append({"file": rel(script), "tolerant": _score(matched, total),
                          "strict": _score(s_matched, total)})
            if note:
                notes[rel(script)] = note
            if diffs:
                pairs = tolerated(expected[script], out)
                if pairs:
                    strict_diffs[rel(script)] = [{"expected": e, "actual": a} for e, a in pairs]
        rows.append({"folder": rel(folder), "files": len(scripts),
                     "tolerant": _score(t_sum, n_sum), "strict": _score(s_sum, n_sum)})
        for k, v in enumerate((len(scripts), t_sum, s_sum, n_sum)):
            sums[k] += v
    report = {
        "command": command,
        "folders": rows,
        "total": {"folder": "TOTAL", "files": sums[0], "tolerant": _score(sums[1], sums[3]),
                  "strict": _score(sums[2], sums[3])},
        "files": files,
        "notes": notes,
    }
    if diffs:
        report["strict_diffs"] = strict_diffs
    return report


def format_table(report: dict) -> str:
    """The report as a text table (and the strict-only differences, when present)."""
    rows = report["folders"] + [report["total"]]
    cells = [("folder", "files", "tolerant", "%", "strict", "%")]
    for row in rows:
        t, s = row["tolerant"], row["strict"]
        cells.append((row["folder"], str(row["files"]),
                      f"{t['matched']}/{t['total']}", f"{t['percent']:.1f}",
                      f"{s['matched']}/{s['total']}", f"{s['percent']:.1f}"))
    widths = [max(len(c[k]) for c in cells) for k in range(6)]
    lines = []
    for n, c in enumerate(cells):
        if n == len(cells) - 1:
            lines.append("  ".join("-" * w for w in widths))
        lines.append("  ".join([c[0].ljust(widths[0])]
                               + [x.rjust(w) for x, w in zip(c[1:], widths[1:])]).rstrip())
    for path, note in sorted(report["notes"].items()):
        lines.append(f"note: {path}: {note}")
    if "strict_diffs" in report:
        diffs = report["strict_diffs"]
        count = sum(len(v) for v in diffs.values())
        lines.append("")
        lines.append(f"strict-only differences (match tolerantly, not strictly): "
                     f"{count} line(s) in {len(diffs)} file(s)")
        for path in sorted(diffs):
            lines.append(path)
            for pair in diffs[path]:
                lines.append(f"    - {pair['expected']}")
                lines.append(f"    + {pair['actual']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/corpus_score.py",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", metavar="DIR",
                        help="folders to score, each a row (default: the corpus under --root)")
    parser.add_argument("--root", default=REPO,
                        help="repository whose samples/ is the corpus (default: this one)")
    parser.add_argument("--command", metavar="COMMAND",
                        help="command that runs one program (default: 'adcli run --seed 0' "
                             "with the adcli next to this Python)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--show-strict-diffs", action="store_true",
                        help="list every line that matches tolerantly but not strictly")
    parser.add_argument("--strict", action="store_true",
                        help="exit status 0 only when every line matched strictly")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds per program (default 120)")
    parser.add_argument("-j", "--jobs", type=int, default=0,
                        help="programs run in parallel (default: CPU count)")
    args = parser.parse_args(argv)

    root = os.path.abspath(args.root)
    folders = [os.path.abspath(f) for f in args.folders] or corpus_folders(root)
    if not folders:
        print(f"corpus_score: no corpus folder under {root}", file=sys.stderr)
        return 2
    command = shlex.split(args.command) if args.command else default_command()
    try:
        report = score_corpus(folders, command, root, args.timeout, args.jobs,
                              diffs=args.show_strict_diffs)
    except FileNotFoundError as exc:
        print(f"corpus_score: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2) if args.json else format_table(report))
    total = report["total"]
    goal = total["strict" if args.strict else "tolerant"]
    return 0 if goal["matched"] == goal["total"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
