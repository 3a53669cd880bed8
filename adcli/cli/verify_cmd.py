"""``adcli verify``: check a hand-derived gradient formula against autograd."""

from __future__ import annotations

import sys

import click

from adcli.cli.options import build_limits, limit_options

EPILOG = """\b
Examples:
  adcli verify 'mean(3*(x+2)^2)' --wrt x --claim '3/2*(x+2)' -b 'x=ones(2,2)'
  adcli verify 'sum(x*y)' --wrt x --claim y --wrt y --claim x \\
      -b 'x=[1., 2.]' -b 'y=[3., 4.]' --samples 10
  adcli verify 'sum(sin(x)^2)' --wrt x --claim '2*sin(x)*cos(x)' -b 'x=linspace(-1, 1, 5)' --json
\b
Exit status: 0 the claim agrees with autograd everywhere, 1 it does not (or it raises),
2 usage error (including an error in EXPR or a binding).
"""


@click.command("verify", epilog=EPILOG)
@click.argument("expr")
@click.option(
    "--wrt",
    multiple=True,
    required=True,
    metavar="NAME",
    help="The input to differentiate with respect to (repeat with --claim).",
)
@click.option(
    "--claim",
    multiple=True,
    required=True,
    metavar="FORMULA",
    help="The claimed gradient of EXPR with respect to the matching --wrt.",
)
@click.option(
    "-b",
    "--bind",
    "bindings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind NAME to VALUE as in 'adcli eval'; floating inputs require grad.",
)
@click.option(
    "--samples",
    type=click.IntRange(0, 1000),
    default=5,
    show_default=True,
    help="Random points (randn of each floating input's shape) besides the bound one.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Random point K uses seed SEED+K."
)
@click.option("--rtol", type=click.FloatRange(0), default=1e-4, show_default=True)
@click.option("--atol", type=click.FloatRange(0), default=1e-6, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@limit_options
def verify_command(
    expr: str,
    wrt: tuple[str, ...],
    claim: tuple[str, ...],
    bindings: tuple[str, ...],
    samples: int,
    seed: int,
    rtol: float,
    atol: float,
    as_json: bool,
    **limit_values,
) -> None:
    """Check that the gradient of the scalar EXPR with respect to each --wrt input equals
    its --claim, at the bound point and at --samples random points of the same shapes.

    The claim may be written for one element (3/2*(x+2)) and broadcasts to the
    gradient's shape. It prints the verdict (agree, differ or invalid) and, where they
    differ, which elements, autograd against the claim.
    """
    from adcli.check.verify import VerifyUsageError, verify
    from adcli.evaluate import BindingError, split_binding

    try:
        pairs = [split_binding(b) for b in bindings]
    except BindingError as exc:
        raise click.UsageError(str(exc)) from None
    try:
        outcome = verify(
            expr,
            list(wrt),
            list(claim),
            pairs,
            samples=samples,
            rtol=rtol,
            atol=atol,
            seed=seed,
            limits=build_limits(limit_values),
        )
    except VerifyUsageError as exc:
        click.echo(f"adcli verify: {exc}", err=True)
        sys.exit(2)
    if as_json:
        import json

        from adcli.check.verify import outcome_json

        click.echo(json.dumps(outcome_json(expr, outcome)))
    else:
        from adcli.check.verify import outcome_text

        click.echo(outcome_text(expr, outcome, rtol=rtol, atol=atol), nl=False)
    sys.exit(outcome.exit_status)
