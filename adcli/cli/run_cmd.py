"""``adcli run``: run cell scripts, Python programs and notebooks; print their transcripts."""

from __future__ import annotations

import os
import stat
import sys

import click

from adcli.cli.options import (
    build_limits,
    check_untrusted_timeout,
    limit_options,
    max_output_option,
    timeout_given,
    untrusted_option,
)

EPILOG = """\b
Examples:
  adcli run samples/seeds/seed_000_variable_tutorial.adc
  adcli run samples/python/torch/t09_no_grad_and_detach.py
  adcli run samples/python/notebooks/n08_linear_regression_notebook.ipynb --seed 0
  adcli run samples/conformance/*.adc --jobs 2
  adcli run --untrusted --timeout 5 samples/seeds/seed_000_variable_tutorial.adc
  echo 'x = ones(2, requires_grad=True); y = (x*x).sum(); y.backward(); x.grad' | adcli run -
\b
Modes:
  trusted (the default): one FILE runs in this process, bounded by steps, graph nodes
    and elements, with no wall-clock bound unless --timeout (or ADCLI_TIMEOUT) is given.
  batch (several FILEs or --jobs N): each file runs in a forked worker with an
    address-space limit, killed at --timeout seconds (default 10).
  --untrusted (or ADCLI_UNTRUSTED=1): every FILE, a single one and stdin included, runs
    in such a worker.
  Every file's output is bounded by --max-output-bytes.
\b
Kinds (from the suffix, or --as): .adc cell scripts (adcli's dialect: every bare
  expression is shown, '^' is power, torch names are in scope); .py programs (Python's
  meaning: only what they print appears, an uncaught error ends the run with a
  traceback); .ipynb notebooks (code cells in order, each showing its last value; an
  error ends only its cell). Not run yet: class, yield.
\b
Exit status: 0 all ran, 1 some cell raised (or a file timed out), 2 a usage error or a
file that could not be read, 3 a bug in adcli.
"""

TIMEOUT_HELP = ("Wall-clock seconds per file: in batch mode and with --untrusted (default 10); "
                "a single trusted FILE has no wall-clock bound unless this is given.")


def _check_files(files: tuple[str, ...]) -> None:
    """Refuse a FILE that can never be a script (a directory) before anything runs."""
    from adcli.diagnostics import show_path

    for path in files:
        if path == "-":
            continue
        try:
            mode = os.stat(path).st_mode
        except (OSError, ValueError):
            continue  # reported when it is read, as a file that could not be read
        if stat.S_ISDIR(mode):
            raise click.UsageError(f"FILE {show_path(path)} is a directory; give the "
                                   f"scripts in it, e.g. {show_path(path)}/*.adc")


@click.command("run", epilog=EPILOG)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Run files in N isolated worker processes.")
@click.option("-q", "--quiet", is_flag=True, help="No per-file headers or summary.")
@click.option("--as", "kind", type=click.Choice(["adc", "py", "ipynb"]), default=None,
              help="Run every FILE as this kind [default: from each file's suffix].")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=None,
              help="Seed torch, random and numpy before each file (as manual_seed(N), "
                   "random.seed(N), numpy.random.seed(N)).")
@untrusted_option
@max_output_option
@limit_options(timeout_help=TIMEOUT_HELP)
def run_command(files: tuple[str, ...], jobs: int, quiet: bool, kind: str | None,
                seed: int | None, untrusted: bool, max_output_bytes: int,
                **limit_values) -> None:
    """Run each FILE (- for stdin) and print what PyTorch would print.

    A cell (started by a line '# %%') stops at its first error: stdout gets
    'ErrorType: message', stderr the position and the line, and the next cell runs.
    """
    from adcli.batch import run_files

    given = timeout_given(limit_values)
    limits = build_limits(limit_values)
    check_untrusted_timeout(untrusted, limits)
    _check_files(files)
    status = run_files(list(files), limits=limits, jobs=jobs, quiet=quiet, untrusted=untrusted,
                       timeout_given=given, max_output_bytes=max_output_bytes, kind=kind,
                       seed=seed)
    sys.exit(status)
