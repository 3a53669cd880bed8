"""Transcript comparison: how adcli's output is scored against PyTorch's.

A transcript is what a cell script prints on stdout. Two transcripts are compared
line by line after normalisation:

* object addresses (``<AddBackward0 object at 0x7f3a...>``) become ``at 0x...``;
* an error line ``SomeError: message`` keeps only ``SomeError`` (the wording is
  adcli's own, the type must be PyTorch's);
* trailing white space is dropped, and so are blank lines.

Lines are aligned by a longest common subsequence. Two lines match when they are
equal, or when they differ only in numbers that agree within ``rtol=1e-3`` /
``atol=1e-4`` (last-digit rounding), with identical text around them and each pair
of numbers written the same way (same sign, same number of decimals, both with or
without an exponent). The score of a file is ``matched/total`` where ``total`` is the
length of the longer transcript, so missing lines and extra lines both count against it.

Command line::

    python -m adcli.transcript EXPECTED.out ACTUAL.out
    python -m adcli.transcript --run 'adcli run' DIR_OR_FILES...

The second form runs the command on each ``.adc`` (directories are searched
recursively), compares its stdout with the ``.out`` beside it, prints
``name: matched/total`` per file with the first differences, then
``conformance: M/N lines (P%)``. The exit status is 0 iff every line matched.

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


def lines_match(expected: str, actual: str, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """True when two normalised lines are equal up to last-digit numeric differences."""
    return expected == actual or _match_split(_split(expected), _split(actual), rtol, atol)


def align(expected: list[str], actual: list[str], rtol: float = RTOL, atol: float = ATOL):
    """LCS alignment of two line lists.

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
    ops += _align_core(expected[lo:n - hi], actual[lo:m - hi], rtol, atol)
    ops += [("=", x, x) for x in expected[n - hi:]]
    return ops


def _align_core(expected: list[str], actual: list[str], rtol: float, atol: float):
    n, m = len(expected), len(actual)
    e_split = [_split(x) for x in expected]
    a_split = [_split(y) for y in actual]
    # lcs[i][j]: LCS length of expected[i:] and actual[j:]; same[i][j]: the lines match
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    same = [[False] * m for _ in range(n)]
    for i in range(n - 1, -1, -1):
        row, below, e, es, same_row = lcs[i], lcs[i + 1], expected[i], e_split[i], same[i]
        for j in range(m - 1, -1, -1):
            if e == actual[j] or _match_split(es, a_split[j], rtol, atol):
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


def compare(expected: str, actual: str, rtol: float = RTOL, atol: float = ATOL):
    """Score ``actual`` against ``expected`` (both raw transcripts).

    Returns ``(matched, total, diffs)``: ``matched`` lines aligned by LCS, ``total`` the
    number of lines of the longer transcript (so extra lines count against the score),
    and ``diffs`` a list of ``"- expected line"`` / ``"+ actual line"`` strings.
    """
    e, a = normalize(expected), normalize(actual)
    ops = align(e, a, rtol, atol)
    matched = sum(1 for op in ops if op[0] == "=")
    diffs = [f"- {x}" if op == "-" else f"+ {y}" for op, x, y in ops if op != "="]
    return matched, max(len(e), len(a)), diffs


# --------------------------------------------------------------------------- command line

def find_scripts(targets: list[str]) -> list[str]:
    """The ``.adc`` files among ``targets``, directories searched recursively, sorted."""
    import os

    found: list[str] = []
    for target in targets:
        if os.path.isdir(target):
            for root, dirs, files in os.walk(target):
                dirs.sort()
                found += [os.path.join(root, f) for f in sorted(files) if f.endswith(".adc")]
        else:
            found.append(target)
    return found


def _run_one(command: list[str], script: str, timeout: float) -> tuple[str, str]:
    """Run ``command script``; return (stdout, note)."""
    import subprocess

    try:
        proc = subprocess.run(command + [script], capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or ""
        if isinstance(out, bytes):
            out = out.decode("utf-8", "replace")
        return out, f"timed out after {timeout:g}s"
    except OSError as exc:
        return "", f"cannot run {command[0]}: {exc}"
    return proc.stdout, ""


def main(argv: list[str] | None = None) -> int:
    import argparse
    import os
    import shlex
    import sys

    parser = argparse.ArgumentParser(
        prog="python -m adcli.transcript",
        description="Compare adcli transcripts with PyTorch reference transcripts.")
    parser.add_argument("--run", metavar="COMMAND",
                        help="command that runs one script, e.g. 'adcli run'")
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="with --run: .adc files or directories; "
                             "without: EXPECTED.out ACTUAL.out")
    parser.add_argument("--show", type=int, default=8, metavar="N",
                        help="differences shown per file (default 8)")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds per script (default 60)")
    parser.add_argument("-j", "--jobs", type=int, default=0,
                        help="scripts run in parallel (default: CPU count)")
    args = parser.parse_args(argv)

    results: list[tuple[str, str, str, str]] = []  # name, expected, actual, note
    if args.run:
        command = shlex.split(args.run)
        scripts = find_scripts(args.paths)
        if not scripts:
            print("no .adc scripts found", file=sys.stderr)
            return 2
        jobs = args.jobs or os.cpu_count() or 1
        if jobs > 1 and len(scripts) > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=jobs) as pool:
                runs = list(pool.map(lambda s: _run_one(command, s, args.timeout), scripts))
        else:
            runs = [_run_one(command, s, args.timeout) for s in scripts]
        for script, (out, note) in zip(scripts, runs):
            ref = script[:-4] + ".out" if script.endswith(".adc") else script + ".out"
            try:
                with open(ref, encoding="utf-8") as fh:
                    expected = fh.read()
            except OSError:
                print(f"{script}: no reference transcript {ref}", file=sys.stderr)
                return 2
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

    total_matched = total_lines = 0
    for name, expected, actual, note in results:
        matched, total, diffs = compare(expected, actual)
        total_matched += matched
        total_lines += total
        label = os.path.basename(name)
        print(f"{label}: {matched}/{total}" + (f" ({note})" if note else ""))
        for line in diffs[: args.show]:
            print(f"    {line}")
        if len(diffs) > args.show:
            print(f"    ... {len(diffs) - args.show} more")
    # rounded down, so that 100.0% means every line matched
    pct = math.floor(1000.0 * total_matched / total_lines) / 10 if total_lines else 100.0
    print(f"conformance: {total_matched}/{total_lines} lines ({pct:.1f}%)")
    return 0 if total_matched == total_lines else 1


if __name__ == "__main__":
    raise SystemExit(main())
