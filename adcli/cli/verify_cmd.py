"""``adcli verify``: check a hand-derived gradient formula against autograd."""

from __future__ import annotations

import sys

import click

from adcli.cli.options import (
    build_limits,
    check_untrusted_timeout,
    limit_options,
    run_bounded,
    timeout_given,
    untrusted_option,
)

EPILOG = """\b
Examples:
  adcli verify 'mean(3*(x+2)^2)' --wrt x --claim '3/2*(x+2)' -b 'x=ones(2,2)'
  adcli verify 'sum(x*y)' --wrt x --claim y --wrt y --claim x \\
      -b 'x=[1., 2.]' -b 'y=[3., 4.]' --samples 10
  adcli verify 'sum(sin(x)^2)' --wrt x --claim '2*sin(x)*cos(x)' -b 'x=linspace(-1, 1, 5)' --json
  adcli verify --untrusted --timeout 5 'sum(x*x)' --wrt x --claim '2*x' -b 'x=ones(3)'
\b
Modes:
  trusted (the default): bounded by steps, graph nodes, elements and work per op, with
    no wall-clock bound unless --timeout (or ADCLI_TIMEOUT) is given.
  --untrusted (or ADCLI_UNTRUSTED=1): also a wall-clock bound (--timeout, default 10 s,
    for all the points together) and an address-space limit on the process.
\b
Exit status: 0 the claim agrees with autograd everywhere, 1 it does not (or it raises, or
a bound was hit: invalid), 2 usage error (including an error in EXPR or a binding).
"""
TIMEOUT_HELP = ("Wall-clock seconds for all the points together: with --untrusted (default "
                "10), or when given; a trusted verification has none otherwise.")


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
@untrusted_option
@limit_options(timeout_help=TIMEOUT_HELP)
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
    untrusted: bool,
    **limit_values,
) -> None:
    """Check that the gradient of the scalar EXPR with respect to each --wrt input equals
    its --claim, at the bound point and at --samples random points of the same shapes.

    The claim may be written for one element (3/2*(x+2)) and broadcasts to the
    gradient's shape. It prints the verdict (agree, differ or invalid) and, where they
    differ, which elements, autograd against the claim.
    """
    from adcli.check.verify import VerifyOutcome, VerifyUsageError, verify
    from adcli.errors import LimitError
    from adcli.evaluate import BindingError, split_binding

    given = timeout_given(limit_values)
    limits = build_limits(limit_values)
    check_untrusted_timeout(untrusted, limits)
    try:
        pairs = [split_binding(b) for b in bindings]
    except BindingError as exc:
        raise click.UsageError(str(exc)) from None

    def work():
        return verify(expr, list(wrt), list(claim), pairs, samples=samples, rtol=rtol,
                      atol=atol, seed=seed, limits=limits)

    sources = [("EXPR", expr)] + [(f"the claim {c!r}", c) for c in claim]
    sources += [(f"-b {n}", v) for n, v in pairs]
    try:
        outcome = run_bounded(work, "adcli verify", "verification", limits, untrusted, given,
                              sources)
    except VerifyUsageError as exc:
        click.echo(f"adcli verify: {exc}", err=True)
        sys.exit(2)
    except LimitError as exc:  # a process bound: the claim cannot be verified
        where, _ = exc.source
        at = f" at {exc.pos[0]}:{exc.pos[1]}" if exc.pos else ""
        outcome = VerifyOutcome("invalid", message=f"LimitError in {where}{at}: {exc}")
    if as_json:
        import json

        from adcli.check.verify import outcome_json

        click.echo(json.dumps(outcome_json(expr, outcome)))
    else:
        from adcli.check.verify import outcome_text

        click.echo(outcome_text(expr, outcome, rtol=rtol, atol=atol), nl=False)
    sys.exit(outcome.exit_status)
