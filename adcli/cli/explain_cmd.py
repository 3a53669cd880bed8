"""``adcli explain``: backward, step by step, with each node's formula and values."""

from __future__ import annotations

import sys

import click

from adcli.cli.see_common import console, inspect_or_exit, target_options

EPILOG = """\b
Examples:
  adcli explain 'mean(3*(x+2)**2)' -b 'x=ones(2,2)'
  adcli explain samples/seeds/seed_000_variable_tutorial.adc --wrt x
  adcli explain 'sum(x * b)' -b 'x=ones(2,3)' -b 'b=[1., 2., 3.]' --markdown
  adcli explain 'sum(sin(x) * x)' -b 'x=[1., 2.]' --latex
  adcli explain --untrusted --timeout 5 samples/see/custom_function.py --wrt w
\b
TARGET is a file (.adc, .py, .ipynb) or an expression (backward runs on its scalar value).
Each step is one node of the backward pass, in the order the engine ran it: the gradient
that reached it, and per input the local derivative (or the formula of what is passed
back) in your names, its value, the product, and any broadcast dimensions summed away.
Then what each leaf received, and why the .grad of a named tensor is None.
\b
Modes:
  trusted (the default): bounded by steps, graph nodes, elements and work per op, with
    no wall-clock bound unless --timeout (or ADCLI_TIMEOUT) is given.
  --untrusted (or ADCLI_UNTRUSTED=1): also a wall-clock bound (--timeout, default 10 s)
    and an address-space limit on the process.
\b
Exit status: 0 explained, 1 an error in TARGET or no backward pass, 2 a usage error.
"""


@click.command("explain", epilog=EPILOG)
@target_options
@click.option("--wrt", multiple=True, metavar="NAME",
              help="Only the steps that lead to NAME (repeatable); say why its grad is None.")
@click.option("--pass", "pass_number", type=click.IntRange(min=1), default=None,
              help="Which backward pass of a program (1 is the first; default the last).")
@click.option("--markdown", "fmt", flag_value="markdown", help="A Markdown table.")
@click.option("--latex", "fmt", flag_value="latex", help="The chain rule as LaTeX (align*).")
@click.option("--json", "fmt", flag_value="json", help="One JSON object.")
def explain_command(target: str, bindings, of, untrusted: bool, wrt, pass_number, fmt,
                    **limit_values) -> None:
    """Explain the backward pass of FILE|EXPR, node by node, in your own names."""
    from adcli.errors import AdcliError
    from adcli.see.explain import explain, latex, markdown, rich_view

    result = inspect_or_exit(target, bindings, of, untrusted, limit_values, "adcli explain")
    try:
        ex = explain(result.inspector, pass_number, list(wrt))
    except AdcliError as exc:
        click.echo(f"adcli explain: {exc.kind}: {exc}", err=True)
        sys.exit(1)
    if fmt == "json":
        import json

        click.echo(json.dumps(ex.to_json()))
    elif fmt == "markdown":
        sys.stdout.write(markdown(ex))
    elif fmt == "latex":
        sys.stdout.write(latex(ex))
    else:
        console().print(rich_view(ex))

