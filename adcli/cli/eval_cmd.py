"""``adcli eval``: one expression, its value, graph and grads."""

from __future__ import annotations

import os
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
  adcli eval 'mean(3*(x+2)^2)' -b 'x=ones(2,2)'
  adcli eval 'x * y' -b 'x=[1., 2.]' -b 'y=[3., 4.]' --vjp 'ones(2)'
  adcli eval 'sum(sin(x)^2)' -b 'x=linspace(-1, 1, 5)' --json
  adcli eval 'norm(x)' -b x=@data.npy
  adcli eval 'sum(x - w)' -b 'x=[1., 2.]' -b 'w=tensor([3., 4.], requires_grad=False)'
  adcli eval 'sum(x * w)' -b 'x=[1., 2.]' -b 'w=[3., 4.]' --const w
  adcli eval --untrusted --timeout 2 'sum(x @ x)' -b 'x=ones(100, 100)'
\b
Modes:
  trusted (the default): bounded by steps, graph nodes, elements and work per op, with
    no wall-clock bound unless --timeout (or ADCLI_TIMEOUT) is given.
  --untrusted (or ADCLI_UNTRUSTED=1): also a wall-clock bound (--timeout, default 10 s)
    and an address-space limit on the process.
\b
Inputs and constants:
  A bound floating-point value becomes a leaf that requires grad (as in
  torch.tensor([1., 2.], requires_grad=True)), unless --const NAME is given or its
  expression says requires_grad=False, .requires_grad_(False) or .detach(): then it is a
  constant, as in torch. An integer or bool value ([1, 2], arange(3)) is a constant too:
  integers have no gradient (write [1., 2.]). A constant's grad is None (null in --json,
  which lists such inputs under "constants"); notes go to stderr and --json's "note".
\b
Exit status: 0 evaluated, 1 an error in EXPR, --vjp or a binding's value (a bound
included), 2 a usage error, 3 a bug in adcli.
"""
TIMEOUT_HELP = ("Wall-clock seconds for the evaluation: with --untrusted (default 10), or "
                "when given; a trusted evaluation has none otherwise.")


def use_rich(stream) -> bool:
    """Rich output only on a terminal, and never under NO_COLOR."""
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@click.command("eval", epilog=EPILOG)
@click.argument("expr")
@click.option("-b", "--bind", "bindings", multiple=True, metavar="NAME=VALUE",
              help="Bind NAME to VALUE: an expression such as 'ones(2,2)' or '[1., 2.]', "
                   "or @file.npy / @file.csv. Floating inputs require grad unless "
                   "--const or requires_grad=False / .detach() says otherwise.")
@click.option("--const", "constants", multiple=True, metavar="NAME",
              help="Keep the binding NAME a constant: it does not require grad "
                   "(repeatable).")
@click.option("--vjp", metavar="VALUE",
              help="Back-propagate a non-scalar result with this vector (its shape).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (SPEC §2).")
@untrusted_option
@limit_options(timeout_help=TIMEOUT_HELP)
def eval_command(expr: str, bindings: tuple[str, ...], constants: tuple[str, ...],
                 vjp: str | None, as_json: bool, untrusted: bool, **limit_values) -> None:
    """Evaluate EXPR, back-propagate, and show the value, grad_fn graph and grads."""
    from adcli.diagnostics import format_diagnostic
    from adcli.errors import AdcliError
    from adcli.evaluate import BindingError, evaluate, grad_fn_tree, split_binding

    given = timeout_given(limit_values)
    limits = build_limits(limit_values)
    check_untrusted_timeout(untrusted, limits)
    try:
        pairs = [split_binding(b) for b in bindings]
    except BindingError as exc:
        raise click.UsageError(str(exc)) from None
    bound = {n for n, _ in pairs}
    for name in constants:
        if name not in bound:
            raise click.UsageError(f"--const {name}: no -b {name}=VALUE binds that name")
    try:
        work = (lambda: evaluate(expr, pairs, vjp=vjp, limits=limits, constants=constants)) \
            if not as_json else (lambda: _inspected(expr, pairs, vjp, limits, constants))
        result = run_bounded(work,
                             "adcli eval", "evaluation", limits, untrusted, given,
                             [("<expr>", expr), ("--vjp", vjp)]
                             + [(f"-b {n}", v) for n, v in pairs])
    except BindingError as exc:
        raise click.UsageError(str(exc)) from None
    except AdcliError as exc:
        where, text = getattr(exc, "source", ("<expr>", expr))
        sys.stdout.flush()
        click.echo(format_diagnostic(where, text.splitlines(), exc.pos, exc.kind, str(exc)),
                   err=True, nl=False)
        if as_json:
            import json

            click.echo(json.dumps({"expr": expr, "error": {"type": exc.kind,
                                                            "message": str(exc),
                                                            "where": where,
                                                            "pos": list(exc.pos or ())}}))
        sys.exit(1)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if as_json:
        import json

        doc = result.to_json()
        doc["graph"] = _graph_json(result)
        click.echo(json.dumps(doc))
        return
    names = {id(t): n for n, t in result.inputs.items()}
    tree = grad_fn_tree(result.value, names)
    if use_rich(sys.stdout):
        from rich.console import Console

        from adcli.render import rich_eval

        Console().print(rich_eval(result, tree))
    else:
        from adcli.render import can_encode, plain_eval

        sys.stdout.write(plain_eval(result, tree, ascii_only=not can_encode(sys.stdout)))


def _inspected(expr, pairs, vjp, limits, constants=()):
    """evaluate() under an inspector, so that --json's graph has the user's words and the
    gradient through each node."""
    from adcli.evaluate import evaluate
    from adcli.see.inspect import Inspector, inspecting

    inspector = Inspector()
    with inspecting(inspector):
        result = evaluate(expr, pairs, vjp=vjp, limits=limits, constants=constants)
    result.inspector = inspector
    return result


def _graph_json(result) -> dict:
    """The graph of --json: nodes and edges, as ``adcli graph --format json`` gives them."""
    from adcli.see import model

    names = result.inspector.names() if getattr(result, "inspector", None) else {}
    names.update({id(t): n for n, t in result.inputs.items()})
    graph = model.build(result.value, names, title=result.expr)
    graph.expr = True
    for n in graph.nodes:
        n.line = None
    return graph.to_json()
