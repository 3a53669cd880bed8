"""``adcli test``: run sample files and compare each with its ``.out`` transcript."""

from __future__ import annotations

import os
import sys

import click

EPILOG = """\b
Examples:
  adcli test samples/seeds/*.adc
  adcli test samples/seeds/seed_001_detach.adc
  adcli test samples/features --jobs 4
  adcli test --strict samples/python/torch/t09_no_grad_and_detach.py
  adcli test samples/python/notebooks/n08_linear_regression_notebook.ipynb
\b
Each FILE (a .adc cell script, a .py program or a .ipynb notebook; a directory is
searched for them, a .py or .ipynb counting there only with its transcript beside it)
runs as `adcli run --seed N FILE` does (a .py or .ipynb in its own directory, as the
references are recorded), and its stdout is compared with NAME.out beside it, as the
conformance suite compares (adcli.transcript): object addresses, blank lines, trailing
spaces and an error's wording (only its type counts) are left out, and numbers may
differ in their last digit (rtol 1e-3, atol 1e-4) unless --strict is given. A file
that differs gets a unified diff of the normalised lines (- the transcript, + adcli).
\b
Exit status: 0 every file matched its transcript, 1 some file differed (or timed
out), 2 a usage error: a FILE that does not exist, is not .adc, .py or .ipynb, or has no
NAME.out beside it (each one is named; nothing runs).
"""


@click.command("test", epilog=EPILOG)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--strict", is_flag=True,
              help="Lines match only when identical after normalisation (no numeric "
                   "tolerance).")
@click.option("-j", "--jobs", type=click.IntRange(0, 64), default=0,
              help="Files run at a time [default: 0, the CPU count].")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=0, show_default=True,
              help="The seed each file runs with (adcli run --seed N), as the "
                   "transcripts are recorded.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Wall-clock seconds per file.")
@click.option("-q", "--quiet", is_flag=True,
              help="Only the files that differ, and the summary.")
def test_command(files: tuple[str, ...], strict: bool, jobs: int, seed: int,
                 timeout: float, quiet: bool) -> None:
    """Run each FILE and compare its output with its transcript NAME.out."""
    from adcli.diagnostics import show_path
    from adcli.transcript import (
        SCRIPT_SUFFIXES,
        compare,
        find_scripts,
        reference_path,
        run_scripts,
        unified_diff,
    )

    problems = []
    for path in files:
        if path == "-":
            problems.append("- (stdin) has no transcript to compare with; give files")
        elif not os.path.exists(path):
            problems.append(f"{show_path(path)}: no such file")
    scripts = find_scripts([p for p in files if p != "-" and os.path.exists(p)],
                           SCRIPT_SUFFIXES)
    expected: list[str] = []
    for script in scripts:
        ref = reference_path(script)
        if not script.endswith(SCRIPT_SUFFIXES):
            problems.append(f"{show_path(script)}: not a .adc, .py or .ipynb file")
            continue
        try:
            with open(ref, encoding="utf-8") as fh:
                expected.append(fh.read())
        except OSError:
            problems.append(f"{show_path(script)}: no transcript {show_path(ref)} beside it "
                            "(record it with PyTorch, e.g. tools/gen_transcripts.py)")
    if not problems and not scripts:
        problems.append("no .adc, .py or .ipynb files found in "
                        + " ".join(show_path(p) for p in files))
    if problems:
        for line in problems:
            click.echo(f"adcli test: {line}", err=True)
        sys.exit(2)

    command = [sys.executable, "-m", "adcli.cli.main", "run", "--seed", str(seed)]
    runs = run_scripts(command, scripts, timeout, jobs)
    failed = []
    for script, reference, (actual, note) in zip(scripts, expected, runs):
        name = show_path(script)
        matched, total, _ = compare(reference, actual, strict=strict)
        if matched == total and not note:
            if not quiet:
                click.echo(f"PASS {name} ({total} lines)")
            continue
        why = f"{matched}/{total} lines match" + (f", {note}" if note else "")
        failed.append(f"  {name}: {why}")
        click.echo(f"FAIL {name} ({why})")
        for line in unified_diff(reference, actual, show_path(reference_path(script)),
                                 f"adcli run {name}", strict=strict):
            click.echo(line)
    passed = len(scripts) - len(failed)
    mode = " (strict)" if strict else ""
    count = f"{len(scripts)} file{'s' if len(scripts) != 1 else ''}"
    summary = f"adcli test: {count}{mode}: {passed} matched their transcripts"
    if failed:
        summary += f", {len(failed)} differ{'s' if len(failed) == 1 else ''}"
    click.echo("\n".join([summary, *failed]))
    sys.exit(1 if failed else 0)
