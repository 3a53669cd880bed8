"""Transcript comparison: how adcli's output is scored against PyTorch's.

A transcript is what a cell script (``.adc``), a Python program (``.py``) or a notebook
(``.ipynb``) prints on stdout. Two transcripts are compared line by line after
normalisation:

* object addresses (``<AddBackward0 object at 0x7f3a...>``) become ``at 0x...``;
* an error line ``SomeError: message`` keeps only ``SomeError`` (the wording is
  adcli's own, the type must be PyTorch's);
* trailing white space is dropped, and so are blank lines.

Lines are aligned by a longest common subsequence, in one of two modes:

* tolerant (the default): two lines match when they are equal, or when they differ
  only in numbers that agree within ``rtol=1e-3`` / ``atol=1e-4`` (last-digit
  rounding), with identical text around them and each pair of numbers written the
  same way (same sign, same number of decimals, both with or without an exponent);
* strict (``strict=True``, ``--strict``): two lines match only when they are identical
  after the same normalisation; no numeric tolerance. Strict is the goal: adcli must
  print what PyTorch prints, digit for digit. ``tolerated()`` lists the line pairs the
  tolerant mode accepts and the strict one does not.

The score of a file is ``matched/total`` where ``total`` is the length of the longer
transcript, so missing lines and extra lines both count against it.

Command line::

    python -m adcli.transcript [--strict] EXPECTED.out ACTUAL.out
    python -m adcli.transcript [--strict] --run 'adcli run --seed 0' DIR_OR_FILES...

The second form runs the command on each program: ``.adc``, ``.py`` and ``.ipynb``
files, directories searched recursively (there a ``.py`` or ``.ipynb`` counts only
when its reference is beside it, so helper modules and unscored homework are passed
over). The reference of ``NAME.adc``, ``NAME.py`` or ``NAME.ipynb`` is ``NAME.out``
beside it. A ``.adc`` runs as ``COMMAND PATH`` in the current directory; a ``.py`` or
``.ipynb`` runs as ``COMMAND NAME.py`` in the program's own directory with
``NO_COLOR=1`` (and ``PYTHONIOENCODING=utf-8``) in the environment, as the corpus
``samples/python`` is recorded; options such as the seed go in the command
(``--run 'adcli run --seed 0'``). Words of the command that name an existing relative
path (``tools/x.py``) are made absolute first, so they still work in that directory.

It prints ``name: matched/total`` per file with the first differences (the other
mode's score is appended in parentheses when it differs), then both totals::

    conformance: M/N lines (P%)     <- tolerant, the line other tools parse
    strict: M/N lines (P%)

Percentages are rounded down, so that 100.0% means every line matched. Without
``--strict`` the per-file scores and differences are tolerant and the exit status is 0
iff every line matched tolerantly; with ``--strict`` they are strict and the exit
status is 0 iff every line matched strictly. Exit status 2: no program found, or a
reference is missing. ``tools/corpus_score.py`` scores the whole corpus per folder.

Standard library only, and cheap to import.
"""

from __future__ import annotations

import math
import re

RTOL = 1e-3
ATOL = 1e-4

_ADDRESS = re.compile(r"\bat 0x[0-9A-Fa-f.]+")
_ERROR_LINE = re.compile(
    r"^\s*((?:[A-Za-z_][A-Za-z0-9_]*\.)*[A-Za-z_][A-Za-z0-9_]*"
    r"(?:Error|Exception|Warning|Interrupt|Exit))(?::.*)?$"
)
# A decimal number that is not part of a word (``AddBackward0``, ``float32``).
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![A-Za-z0-9_])")


def normalize(text: str) -> list[str]:
    """The comparable lines of a transcript (see the module docstring)."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = _ADDRESS.sub("at 0x...", raw.rstrip())
        if not line.strip():
            continue
        m = _ERROR_LINE.match(line)
        if m:
            line = m.group(1).rsplit(".", 1)[-1]
        lines.append(line)
    return lines


def _shape(token: str) -> tuple[bool, int, bool]:
    """How a number is written: (negative, decimals, has exponent)."""
    mantissa, _, exponent = token.lower().partition("e")
    decimals = len(mantissa.partition(".")[2]) if "." in mantissa else -1
    return token.startswith("-"), decimals, bool(exponent)


def _numbers_close(a: str, b: str, rtol: float, atol: float) -> bool:
    """Is the printed number ``a`` (actual) close enough to ``b`` (expected)?"""
    if a == b:
        return True
    x, y = float(a), float(b)
    if x == 0.0 and y == 0.0:  # '-0.' and '0.' print differently: a real difference
        return False
    sa, sb = _shape(a), _shape(b)
    # Tensor elements are printed with at most 4 decimals: there the format itself
    # (integer mode '1.', fixed '1.0000', scientific '1.0000e+00') must agree. Longer
    # numbers are Python float reprs (shortest round trip), compared by value only.
    if max(sa[1], sb[1]) <= 4 and sa[1:] != sb[1:]:
        return False
    if sa[0] != sb[0] and not (abs(x) <= atol and abs(y) <= atol):
        return False
    if not (math.isfinite(x) and math.isfinite(y)):
        return False
    return abs(x - y) <= atol + rtol * abs(y)


def _split(line: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A line as (the text around its numbers, its numbers)."""
    return tuple(_NUMBER.split(line)), tuple(_NUMBER.findall(line))


def _match_split(expected: tuple, actual: tuple, rtol: float, atol: float) -> bool:
    if expected[0] != actual[0]:  # the text around the numbers must be identical
        return False
    return all(_numbers_close(a, e, rtol, atol) for e, a in zip(expected[1], actual[1]))


def lines_match(expected: str, actual: str, rtol: float = RTOL, atol: float = ATOL, *,
                strict: bool = False) -> bool:
    """True when two normalised lines match: equal up to last-digit numeric differences,
    or, with ``strict``, identical."""
    if expected == actual:
        return True
    return not strict and _match_split(_split(expected), _split(actual), rtol, atol)


def align(expected: list[str], actual: list[str], rtol: float = RTOL, atol: float = ATOL,
          *, strict: bool = False):
    """LCS alignment of two line lists (tolerant, or with ``strict`` identical lines only).

    Returns a list of operations ``("=", e, a)``, ``("-", e, None)`` (an expected line
    missing from actual) and ``("+", None, a)`` (an extra actual line), in order.
    """
    # The common prefix and suffix are aligned without the quadratic table.
    n, m = len(expected), len(actual)
    lo = 0
    while lo < n and lo < m and expected[lo] == actual[lo]:
        lo += 1
    hi = 0
    while hi < n - lo and hi < m - lo and expected[n - 1 - hi] == actual[m - 1 - hi]:
        hi += 1
    ops = [("=", x, x) for x in expected[:lo]]
    ops += _align_core(expected[lo:n - hi], actual[lo:m - hi], rtol, atol, strict)
    ops += [("=", x, x) for x in expected[n - hi:]]
    return ops


def _align_core(expected: list[str], actual: list[str], rtol: float, atol: float,
                strict: bool = False):
    n, m = len(expected), len(actual)
    if strict:
        e_split = a_split = None
    else:
        e_split = [_split(x) for x in expected]
        a_split = [_split(y) for y in actual]
    # lcs[i][j]: LCS length of expected[i:] and actual[j:]; same[i][j]: the lines match
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    same = [[False] * m for _ in range(n)]
    for i in range(n - 1, -1, -1):
        row, below, e, same_row = lcs[i], lcs[i + 1], expected[i], same[i]
        es = None if strict else e_split[i]
        for j in range(m - 1, -1, -1):
            if e == actual[j] or (not strict and _match_split(es, a_split[j], rtol, atol)):
                same_row[j] = True
                row[j] = below[j + 1] + 1
            else:
                row[j] = below[j] if below[j] >= row[j + 1] else row[j + 1]
    ops = []
    i = j = 0
    while i < n and j < m:
        if same[i][j] and lcs[i][j] == lcs[i + 1][j + 1] + 1:
            ops.append(("=", expected[i], actual[j]))
            i += 1
            j += 1
        elif lcs[i + 1][j] >= lcs[i][j + 1]:
            ops.append(("-", expected[i], None))
            i += 1
        else:
            ops.append(("+", None, actual[j]))
            j += 1
    ops.extend(("-", x, None) for x in expected[i:])
    ops.extend(("+", None, y) for y in actual[j:])
    return ops


def compare(expected: str, actual: str, rtol: float = RTOL, atol: float = ATOL, *,
            strict: bool = False):
    """Score ``actual`` against ``expected`` (both raw transcripts).

    Returns ``(matched, total, diffs)``: ``matched`` lines aligned by LCS (tolerantly, or
    with ``strict`` identical lines only), ``total`` the number of lines of the longer
    transcript (so extra lines count against the score), and ``diffs`` a list of
    ``"- expected line"`` / ``"+ actual line"`` strings.
    """
    e, a = normalize(expected), normalize(actual)
    ops = align(e, a, rtol, atol, strict=strict)
    matched = sum(1 for op in ops if op[0] == "=")
    diffs = [f"- {x}" if op == "-" else f"+ {y}" for op, x, y in ops if op != "="]
    return matched, max(len(e), len(a)), diffs


def unified_diff(expected: str, actual: str, fromfile: str = "expected",
                 tofile: str = "actual", context: int = 3, rtol: float = RTOL,
                 atol: float = ATOL, *, strict: bool = False) -> list[str]:
    """The differences of ``compare`` as a unified diff (``---``/``+++`` headers, ``@@``
    hunks with ``context`` lines around each change), over the normalised lines: what
    the comparison tolerates (an error's wording, last-digit rounding unless ``strict``,
    blank lines) is never shown as a change. Empty when the transcripts match."""
    ops = align(normalize(expected), normalize(actual), rtol, atol, strict=strict)
    changed = [i for i, op in enumerate(ops) if op[0] != "="]
    if not changed:
        return []
    # the numbers of each op's line in both transcripts (1-based, before the op)
    e_no, a_no, numbers = 1, 1, []
    for op, _x, _y in ops:
        numbers.append((e_no, a_no))
        e_no += op != "+"
        a_no += op != "-"
    groups: list[list[int]] = [[changed[0], changed[0]]]
    for i in changed[1:]:
        if i - groups[-1][1] <= 2 * context + 1:
            groups[-1][1] = i
        else:
            groups.append([i, i])
    out = [f"--- {fromfile}", f"+++ {tofile}"]
    for first, last in groups:
        lo, hi = max(0, first - context), min(len(ops), last + context + 1)
        span = ops[lo:hi]
        e_count = sum(op != "+" for op, _x, _y in span)
        a_count = sum(op != "-" for op, _x, _y in span)
        e_start, a_start = numbers[lo]
        out.append(f"@@ -{e_start if e_count else e_start - 1},{e_count} "
                   f"+{a_start if a_count else a_start - 1},{a_count} @@")
        for op, x, y in span:
            out.append(f"-{x}" if op == "-" else f"+{y}" if op == "+" else f" {y}")
    return out


def tolerated(expected: str, actual: str, rtol: float = RTOL,
              atol: float = ATOL) -> list[tuple[str, str]]:
    """The ``(expected line, actual line)`` pairs (normalised) that the tolerant alignment
    matches although they are not identical: what strict mode counts as differences."""
    ops = align(normalize(expected), normalize(actual), rtol, atol)
    return [(x, y) for op, x, y in ops if op == "=" and x != y]


def percent(matched: int, total: int) -> float:
    """``matched/total`` in percent, rounded down to 0.1 (100.0 only when all matched)."""
    return math.floor(1000.0 * matched / total) / 10 if total else 100.0


# --------------------------------------------------------------------------- command line

ADC_SUFFIXES = (".adc",)
PROGRAM_SUFFIXES = (".py", ".ipynb")  # run in their own directory, by basename
SCRIPT_SUFFIXES = ADC_SUFFIXES + PROGRAM_SUFFIXES


def reference_path(script: str) -> str:
    """The reference transcript of a program: ``NAME.out`` beside ``NAME.adc/.py/.ipynb``."""
    import os

    stem, ext = os.path.splitext(script)
    return stem + ".out" if ext in SCRIPT_SUFFIXES else script + ".out"


def find_scripts(targets: list[str], suffixes: tuple[str, ...] = ADC_SUFFIXES) -> list[str]:
    """The programs among ``targets``: files named as they are, directories searched
    recursively (sorted) for files with one of ``suffixes``; there a ``.py`` or
    ``.ipynb`` is a program only when its reference transcript is beside it."""
    import os

    found: list[str] = []
    for target in targets:
        if os.path.isdir(target):
            for root, dirs, files in os.walk(target):
                dirs.sort()
                for name in sorted(files):
                    if not name.endswith(suffixes):
                        continue
                    path = os.path.join(root, name)
                    if name.endswith(PROGRAM_SUFFIXES) and not os.path.isfile(
                            reference_path(path)):
                        continue
                    found.append(path)
        else:
            found.append(target)
    return found


def _absolute_words(command: list[str]) -> list[str]:
    """``command`` with the words that name an existing relative path made absolute."""
    import os

    return [os.path.abspath(w) if (os.sep in w and not w.startswith("-")
                                   and not os.path.isabs(w) and os.path.exists(w)) else w
            for w in command]


def run_script(command: list[str], script: str, timeout: float = 60.0) -> tuple[str, str]:
    """Run ``command`` on one program (see the module docstring); return (stdout, note),
    the note saying why the run was cut short, or empty."""
    import os
    import subprocess

    cwd = env = None
    argv = command + [script]
    if script.endswith(PROGRAM_SUFFIXES):
        cwd = os.path.dirname(script) or "."
        argv = _absolute_words(command) + [os.path.basename(script)]
        env = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="utf-8")
    try:
        proc = subprocess.run(argv, capture_output=True, encoding="utf-8", errors="replace",
                              timeout=timeout, stdin=subprocess.DEVNULL, cwd=cwd, env=env)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or ""
        if isinstance(out, bytes):
            out = out.decode("utf-8", "replace")
        return out, f"timed out after {timeout:g}s"
    except OSError as exc:
        return "", f"cannot run {command[0]}: {exc}"
    return proc.stdout, ""


def run_scripts(command: list[str], scripts: list[str], timeout: float = 60.0,
                jobs: int = 0) -> list[tuple[str, str]]:
    """``run_script`` on each of ``scripts``, ``jobs`` at a time (0: the CPU count)."""
    import os

    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(scripts) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(lambda s: run_script(command, s, timeout), scripts))
    return [run_script(command, s, timeout) for s in scripts]


def main(argv: list[str] | None = None) -> int:
    import argparse
    import os
    import shlex
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m adcli.transcript",
        description="Compare adcli transcripts with PyTorch reference transcripts.")
    parser.add_argument("--run", metavar="COMMAND",
                        help="command that runs one program, e.g. 'adcli run --seed 0'")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="with --run: .adc, .py and .ipynb files or directories; "
                             "without: EXPECTED.out ACTUAL.out")
    parser.add_argument("--strict", action="store_true",
                        help="lines match only when identical (no numeric tolerance); "
                             "the exit status is 0 iff every line matched strictly")
    parser.add_argument("--show", type=int, default=8, metavar="N",
                        help="differences shown per file (default 8)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds per program (default 60)")
    parser.add_argument("-j", "--jobs", type=int, default=0,
                        help="programs run in parallel (default: CPU count)")
    args = parser.parse_args(argv)

    results: list[tuple[str, str, str, str]] = []  # name, expected, actual, note
    if args.run:
        command = shlex.split(args.run)
        scripts = find_scripts(args.paths, SCRIPT_SUFFIXES)
        if not scripts:
            print("no .adc, .py or .ipynb programs found", file=sys.stderr)
            return 2
        expected_texts = []
        for script in scripts:
            ref = reference_path(script)
            try:
                with open(ref, encoding="utf-8") as fh:
                    expected_texts.append(fh.read())
            except OSError:
                print(f"{script}: no reference transcript {ref}", file=sys.stderr)
                return 2
        runs = run_scripts(command, scripts, args.timeout, args.jobs)
        for script, expected, (out, note) in zip(scripts, expected_texts, runs):
            results.append((script, expected, out, note))
    else:
        if len(args.paths) != 2:
            parser.error("without --run, give EXPECTED.out ACTUAL.out")
        texts = []
        for path in args.paths:
            try:
                with open(path, encoding="utf-8") as fh:
                    texts.append(fh.read())
            except OSError as exc:
                print(f"cannot read {path}: {exc}", file=sys.stderr)
                return 2
        results.append((args.paths[1], texts[0], texts[1], ""))

    tolerant_matched = strict_matched = total_lines = 0
    for name, expected, actual, note in results:
        matched, total, diffs = compare(expected, actual)
        s_matched, _, s_diffs = compare(expected, actual, strict=True)
        tolerant_matched += matched
        strict_matched += s_matched
        total_lines += total
        if args.strict:
            shown, other = (s_matched, s_diffs), f"tolerant {matched}/{total}"
        else:
            shown, other = (matched, diffs), f"strict {s_matched}/{total}"
        extra = f" ({other})" if s_matched != matched else ""
        print(f"{os.path.basename(name)}: {shown[0]}/{total}{extra}"
              + (f" ({note})" if note else ""))
        for line in shown[1][: args.show]:
            print(f"    {line}")
        if len(shown[1]) > args.show:
            print(f"    ... {len(shown[1]) - args.show} more")
    print(f"conformance: {tolerant_matched}/{total_lines} lines "
          f"({percent(tolerant_matched, total_lines):.1f}%)")
    print(f"strict: {strict_matched}/{total_lines} lines "
          f"({percent(strict_matched, total_lines):.1f}%)")
    goal = strict_matched if args.strict else tolerant_matched
    return 0 if goal == total_lines else 1


if __name__ == "__main__":
    raise SystemExit(main())
