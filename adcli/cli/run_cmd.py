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
  adcli run --trace-grad samples/python/torch/t09_no_grad_and_detach.py
  adcli run --trace-grad --json samples/python/nn/nn06_linear_regression.py
  adcli run --plots figures/ samples/python/notebooks/n08_linear_regression_notebook.ipynb
  adcli run --echo samples/seeds/seed_001_detach.adc
  adcli run --to ipynb detach.ipynb samples/seeds/seed_001_detach.adc
  adcli run --to html pages/ samples/seeds/seed_001_detach.adc samples/features/higher_order.adc
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
--trace-grad: after each file's output, a timeline of every .grad change: the statement
  (line and text), the tensor (its variable, or a module parameter's path such as
  model.fc1.weight), what happened (accumulated by backward, set to None, zeroed,
  assigned, modified in place) and the new value, or its norm when large. A table on a
  terminal, plain text when piped or under NO_COLOR; with --json, one JSON object per
  file on stdout instead, the program's own stdout in it ("stdout"). Files run one after
  another in this process (bounded as --untrusted and --timeout say), not with --jobs.
\b
--echo: each cell's source before its output, as a notebook shows it: 'In [N]: ' before
  its first line, '   ...: ' before the others, a blank line between cells (.adc cells
  and .ipynb code cells; a .py program is one cell: its source once, then its output).
  Meant for reading: the transcript is no longer PyTorch's.
\b
--to FORMAT OUT: also writes what ran, with its outputs: md (each cell's source in a
  fenced code block, its stdout, and its stderr marked 'stderr', in 'text' blocks),
  html (one self-contained page: inline style, no script, nothing fetched) or ipynb (a
  notebook, nbformat 4, validated; stdout and stderr as stream outputs). One FILE: OUT
  is the file written (or a directory, then OUT/NAME.FORMAT); several: OUT is a
  directory, created if missing. stdout still shows the transcript.
\b
Cells marked '# %% raises KIND' expect that error (docs/language.md): a file whose every
  error was expected ran as expected (status 0); a marked cell that does not raise KIND
  is a failure.
\b
Exit status: 0 all ran (as expected), 1 some cell raised (or a file timed out), 2 a usage error or a
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
@click.option("--trace-grad", "trace_grad", is_flag=True,
              help="After each file's output, a timeline of every .grad change.")
@click.option("--json", "as_json", is_flag=True,
              help="With --trace-grad: one JSON object per file on stdout, the program's "
                   "stdout in it.")
@click.option("--plots", "plots", metavar="DIR", default=None,
              help="Draw the programs' matplotlib figures into DIR: savefig(NAME) writes "
                   "DIR/NAME, show() writes DIR/figure-N.png [default: plotting calls are "
                   "checked and skipped, with one note].")
@click.option("--echo", is_flag=True,
              help="Show each cell's source before its output, as a notebook does "
                   "(a .py program's source once, before its output).")
@click.option("--to", "to", type=(click.Choice(["md", "html", "ipynb"]), str), default=None,
              metavar="FORMAT OUT",
              help="Also write the executed material (each cell's source and outputs) to "
                   "OUT as md, html or ipynb; with several FILEs, OUT is a directory "
                   "(OUT/NAME.FORMAT).")
@untrusted_option
@max_output_option
@limit_options(timeout_help=TIMEOUT_HELP)
def run_command(files: tuple[str, ...], jobs: int, quiet: bool, kind: str | None,
                seed: int | None, trace_grad: bool, as_json: bool, plots: str | None,
                echo: bool, to: tuple[str, str] | None, untrusted: bool,
                max_output_bytes: int, **limit_values) -> None:
    """Run each FILE (- for stdin) and print what PyTorch would print.

    A cell (started by a line '# %%') stops at its first error: stdout gets
    'ErrorType: message', stderr the position and the line, and the next cell runs.
    """
    from adcli.batch import run_files

    given = timeout_given(limit_values)
    limits = build_limits(limit_values)
    check_untrusted_timeout(untrusted, limits)
    _check_files(files)
    if as_json and not trace_grad:
        raise click.UsageError("--json goes with --trace-grad (the trace is what it prints)")
    if plots is not None:
        from adcli.lang.pylib.matplotlibmod import set_plots_dir

        try:
            set_plots_dir(plots)
        except ValueError as exc:
            raise click.UsageError(str(exc)) from None
    if to is not None and "-" in files and len(files) > 1:
        raise click.UsageError("--to with several FILEs names each export after its file; "
                               "leave out - (stdin)")
    if trace_grad:
        if to is not None:
            raise click.UsageError("--to goes without --trace-grad")
        if jobs > 1:
            raise click.UsageError("--trace-grad runs the files one after another in this "
                                   "process; leave out --jobs")
        sys.exit(_run_traced(list(files), limits, quiet=quiet, untrusted=untrusted,
                             timeout_given=given, max_output_bytes=max_output_bytes,
                             kind=kind, seed=seed, as_json=as_json, echo=echo))
    status = run_files(list(files), limits=limits, jobs=jobs, quiet=quiet, untrusted=untrusted,
                       timeout_given=given, max_output_bytes=max_output_bytes, kind=kind,
                       seed=seed, echo=echo, export=to)
    sys.exit(status)


def _run_traced(files: list[str], limits, *, quiet: bool, untrusted: bool,
                timeout_given: bool, max_output_bytes: int, kind: str | None,
                seed: int | None, as_json: bool, echo: bool = False) -> int:
    """``--trace-grad``: run each file in this process under a grad trace, then print the
    trace (a table, or with ``as_json`` one JSON object holding the program's stdout)."""
    import json
    import time

    from adcli import batch
    from adcli.cli.eval_cmd import use_rich
    from adcli.cli.see_common import console
    from adcli.diagnostics import show_path
    from adcli.sandbox_process import WallClockExceeded, address_space_cap, process_bounds
    from adcli.see import trace as gt

    batch.FILE_OPTIONS.kind, batch.FILE_OPTIONS.seed, batch.FILE_OPTIONS.echo = kind, seed, echo
    several = len(files) > 1
    seconds = limits.timeout if (several or untrusted or timeout_given) else 0
    cap = address_space_cap(limits.max_elements) if untrusted else None
    err = batch._stderr_writer()
    outcomes = []
    for path in files:
        name = show_path(path)
        if several and not quiet:
            err(f"==> {name} <==\n")
        captured: list[str] = []
        out = captured.append if as_json else sys.stdout.write
        trace = gt.GradTrace()
        deadline = time.monotonic() + seconds if seconds else None
        stuck = (f"adcli run: LimitError: {name} ran longer than {seconds:g} s and was "
                 "killed (raise the bound with --timeout or ADCLI_TIMEOUT)\n")
        try:
            with process_bounds(seconds, cap, stuck), gt.tracing(trace):
                outcome = batch.run_file(path, limits, out, err, deadline, max_output_bytes)
        except WallClockExceeded:
            outcome = batch.TIMEOUT
            err(f"adcli: {name}: LimitError: the program ran longer than {seconds:g} s and "
                "was stopped (raise the bound with --timeout or ADCLI_TIMEOUT)\n")
        except MemoryError:
            outcome = batch.RAISED
            err(f"adcli: {name}: LimitError: out of memory"
                + (": the address-space bound of --untrusted was hit\n" if untrusted else "\n"))
        outcomes.append(outcome)
        if as_json:
            click.echo(json.dumps({"file": name, "outcome": outcome,
                                   "stdout": "".join(captured), **gt.to_json(trace)}))
        else:
            sys.stdout.flush()
            rich = use_rich(sys.stdout)
            view = gt.rich_view(trace, title=name if several else "", rich=rich)
            if rich:
                console().print(view)
            else:  # plain text: one line per change, however long, for grep and diff
                from rich.console import Console

                plain = Console(color_system=None, force_terminal=False, highlight=False,
                                width=100_000, soft_wrap=False)
                with plain.capture() as shown:
                    plain.print(view)
                sys.stdout.write("".join(line.rstrip() + "\n"
                                         for line in shown.get().splitlines()))
    sys.stdout.flush()
    if several and not quiet:
        err(batch.summary(files, outcomes))
    return max(batch._status(o) for o in outcomes) if outcomes else 0
