"""``adcli plot``: f, f' (and f'') of an expression in one variable over a range."""

from __future__ import annotations

import shutil
import sys

import click

from adcli.cli.options import (
    build_limits,
    check_untrusted_timeout,
    limit_options,
    timeout_given,
    untrusted_option,
)
from adcli.cli.see_common import bindings_or_usage, bounded_or_exit

EPILOG = """\b
Examples:
  adcli plot 'x^3' --range -2:2 --order 2
  adcli plot 'sin(x)/x' --range=-10:10 --points 400
  adcli plot 'tanh(a*t)' --wrt t --range -3:3 -b a=2
  adcli plot 'log(1 + exp(x))' --range -5:5 --out softplus.png
  adcli plot 'x^2 * exp(-x)' --range 0:6 --json
  adcli plot 'relu(x)' --range -1:1 --table
  adcli plot --untrusted --timeout 5 'x^2' --range -1:1 --table
\b
Modes:
  trusted (the default): bounded by steps, graph nodes, elements and work per op, with
    no wall-clock bound unless --timeout (or ADCLI_TIMEOUT) is given.
  --untrusted (or ADCLI_UNTRUSTED=1): also a wall-clock bound (--timeout, default 10 s)
    and an address-space limit on the process, for the evaluation.
\b
EXPR is written as for 'adcli eval' ('^' is power, torch's functions by name) and must act
on each point alone: it is evaluated with the --wrt variable bound to all the points
(float64, requiring grad; once more on half of them, to check), and f' = d(sum f)/dx,
f'' = d(sum f')/dx by autograd.
\b
Output: a plot in the terminal (plotext), a file with --out (matplotlib: .png, .svg,
.pdf), the values with --json, or a table (--table, or when plotext is not installed).
plotext and matplotlib come with: pip install 'adcli[see]'
\b
Exit status: 0 plotted, 1 an error in EXPR or a binding's value (EXPR not acting on each
point alone included), 2 a usage error or a missing library, 3 a bug in adcli.
"""
TIMEOUT_HELP = ("Wall-clock seconds for the evaluation: with --untrusted (default 10), or "
                "when given; a trusted evaluation has none otherwise.")


@click.command("plot", epilog=EPILOG)
@click.argument("expr")
@click.option("--wrt", default="x", show_default=True, metavar="NAME",
              help="The variable of EXPR to sample and differentiate.")
@click.option("--range", "span", default="-5:5", show_default=True, metavar="A:B",
              help="From A to B: numbers, or expressions such as -pi:2*pi.")
@click.option("--order", type=click.IntRange(1, 2), default=1, show_default=True,
              help="1: f and f'; 2: f, f' and f''.")
@click.option("--points", type=click.IntRange(2, 1_000_000), default=201, show_default=True,
              help="Evenly spaced points from A to B, both included.")
@click.option("--out", metavar="FILE",
              help="Save the plot to FILE (.png, .svg or .pdf) with matplotlib.")
@click.option("--json", "as_json", is_flag=True,
              help="Print the sampled x, f, df (and d2f) as one JSON object.")
@click.option("--table", is_flag=True, help="Print a table of the values, not a plot.")
@click.option("-b", "--bind", "bindings", multiple=True, metavar="NAME=VALUE",
              help="Bind another name of EXPR as in 'adcli eval' (a constant here).")
@untrusted_option
@limit_options(timeout_help=TIMEOUT_HELP)
def plot_command(expr: str, wrt: str, span: str, order: int, points: int, out: str | None,
                 as_json: bool, table: bool, bindings: tuple[str, ...], untrusted: bool,
                 **limit_values) -> None:
    """Plot EXPR, its derivative and (with --order 2) its second derivative with respect
    to the --wrt variable over --range, computed by autograd."""
    from adcli.see import plot as P

    given = timeout_given(limit_values)
    limits = build_limits(limit_values)
    check_untrusted_timeout(untrusted, limits)
    if not (wrt.isidentifier() and wrt.isascii()) or wrt.startswith("__"):
        raise click.UsageError(f"--wrt {wrt!r}: expected a plain name, such as --wrt x")
    pairs = bindings_or_usage(bindings)
    if any(name == wrt for name, _ in pairs):
        raise click.UsageError(f"-b {wrt}=...: {wrt} is the variable that is plotted; bind "
                               "only the other names of EXPR")
    try:
        start, stop = P.parse_range(span, limits)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if out is not None:
        import os

        if os.path.splitext(out)[1].lower().lstrip(".") not in P.FILE_FORMATS:
            raise click.UsageError(f"--out {out}: give a file name ending in .png, .svg "
                                   "or .pdf")

    def work():
        return P.sample(expr, wrt, start, stop, points=points, order=order, bindings=pairs,
                        limits=limits)

    samples = bounded_or_exit(work, "adcli plot", "evaluation", expr, pairs, limits,
                              untrusted, given)

    if out is not None:
        try:
            P.save_figure(samples, out)
        except P.MissingLibrary as exc:
            _missing(exc)
        except OSError as exc:
            click.echo(f"adcli plot: cannot write {out}: {exc.strerror or exc}", err=True)
            sys.exit(2)
        click.echo(f"adcli plot: saved {out}", err=True)
    if as_json:
        import json

        click.echo(json.dumps(samples.to_json()))
        return
    if out is not None and not table:
        return
    if not table:
        from adcli.cli.eval_cmd import use_rich

        size = shutil.get_terminal_size((80, 24))
        width = max(40, min(size.columns, 120))
        height = max(12, min(size.lines - 2, 30))
        try:
            click.echo(P.terminal_plot(samples, width, height, color=use_rich(sys.stdout)),
                       nl=False)
            return
        except P.MissingLibrary:
            click.echo("note: plotext is not installed, so the values are shown as a table; "
                       f"for a plot in the terminal: {P.INSTALL_HINT}", err=True)
    click.echo(P.text_table(samples), nl=False)


def _missing(exc) -> None:
    """A missing optional library: say which and how to install it; exit status 2."""
    click.echo(f"adcli plot: {exc}", err=True)
    sys.exit(2)
