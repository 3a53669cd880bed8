"""``adcli run``: run cell scripts and print their transcripts."""

from __future__ import annotations

import sys

import click

from adcli.cli.options import build_limits, limit_options

EPILOG = """\b
Examples:
  adcli run samples/seeds/seed_000_variable_tutorial.adc
  adcli run samples/conformance/*.adc --jobs 2
  echo 'x = ones(2, requires_grad=True); y = (x*x).sum(); y.backward(); x.grad' | adcli run -
"""


@click.command("run", epilog=EPILOG)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False,
                                                                    allow_dash=True))
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Run files in N isolated worker processes.")
@click.option("-q", "--quiet", is_flag=True, help="No per-file headers or summary.")
@limit_options
def run_command(files: tuple[str, ...], jobs: int, quiet: bool, **limit_values) -> None:
    """Run each cell script FILE (- for stdin) and print what PyTorch would print.

    A cell (started by a line '# %%') stops at its first error: stdout gets
    'ErrorType: message', stderr the position and the line, and the next cell runs.
    Exit status: 0 all ran, 1 some cell raised, 2 a file could not be read, 3 a bug.
    """
    from adcli.batch import run_files

    limits = build_limits(limit_values)
    status = run_files(list(files), limits=limits, jobs=jobs, quiet=quiet)
    sys.exit(status)
