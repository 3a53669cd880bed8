"""``adcli gradcheck``: each backward against finite differences, node by node."""

from __future__ import annotations

import sys

import click

from adcli.cli.see_common import (
    bindings_or_usage,
    bounded_or_exit,
    console,
    report_program_errors,
    target_options,
)

EPILOG = """\b
Examples:
  adcli gradcheck 'sum(sin(x) * x)' -b 'x=[0.5, 1., 2.]'
  adcli gradcheck samples/see/custom_function.py
  adcli gradcheck samples/see/custom_function.py --rtol 1e-4 --json
  adcli gradcheck --untrusted --timeout 20 samples/see/custom_function.py
\b
The program runs in float64 (the default dtype). Every custom autograd.Function that the
backward pass went through is applied again and its backward compared with central
finite differences of its forward, element by element. With --end-to-end (the default
for an expression), each leaf's gradient is also compared with the change of the output
when the program runs again with the leaf moved a little. The first node that disagrees
is shown with its line and both gradients.
\b
Modes:
  trusted (the default): bounded by steps, graph nodes, elements and work per op, with
    no wall-clock bound unless --timeout (or ADCLI_TIMEOUT) is given.
  --untrusted (or ADCLI_UNTRUSTED=1): also a wall-clock bound (--timeout, default 10 s)
    and an address-space limit on the process.
\b
Exit status: 0 all agree, 1 a disagreement or an error in TARGET, 2 a usage error.
"""


@click.command("gradcheck", epilog=EPILOG)
@target_options
@click.option("--eps", type=click.FloatRange(min=0, min_open=True), default=1e-6,
              show_default=True, help="The finite-difference step.")
@click.option("--rtol", type=click.FloatRange(min=0), default=1e-3, show_default=True,
              help="Relative tolerance (torch.autograd.gradcheck's).")
@click.option("--atol", type=click.FloatRange(min=0), default=1e-5, show_default=True,
              help="Absolute tolerance (torch.autograd.gradcheck's).")
@click.option("--pass", "pass_number", type=click.IntRange(min=1), default=None,
              help="Which backward pass of a program (default the last).")
@click.option("--end-to-end/--no-end-to-end", "end_to_end", default=None,
              help="Also compare each leaf's gradient with finite differences of the whole "
                   "program (the default for an expression; a program that uses detach(), "
                   ".data or no_grad differs there by design).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
def gradcheck_command(target: str, bindings, of, untrusted: bool, eps: float, rtol: float,
                      atol: float, pass_number, end_to_end, as_json: bool,
                      **limit_values) -> None:
    """Check FILE|EXPR's gradients against finite differences, node by node."""
    from adcli.cli.options import build_limits, check_untrusted_timeout, timeout_given
    from adcli.see import gradcheck

    given = timeout_given(limit_values)
    limits = build_limits(limit_values)
    check_untrusted_timeout(untrusted, limits)
    pairs = bindings_or_usage(bindings)
    result, report = bounded_or_exit(
        lambda: gradcheck.run(target, pairs, limits, eps=eps, rtol=rtol, atol=atol,
                              pass_number=pass_number, end_to_end=end_to_end),
        "adcli gradcheck", "program", target, pairs, limits, untrusted, given)
    report_program_errors(result)
    if as_json:
        import json

        click.echo(json.dumps(report.to_json()))
    else:
        console().print(gradcheck.rich_view(report))
    if not report.ok:
        sys.exit(1)
