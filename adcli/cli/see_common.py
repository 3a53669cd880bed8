"""What the commands that look at a graph share (graph, explain, gradcheck): the
TARGET argument (a FILE, or an EXPR with -b bindings), running it bounded under an
inspector, and reporting its errors as ``adcli eval`` and ``adcli run`` do."""

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


def target_options(func):
    """TARGET, -b, --of, the limits and --untrusted."""
    func = limit_options(func)
    func = untrusted_option(func)
    func = click.option("--of", "of", metavar="NAME",
                        help="The variable to look at (default: the expression's value, or "
                             "the root of the program's last backward pass).")(func)
    func = click.option("-b", "--bind", "bindings", multiple=True, metavar="NAME=VALUE",
                        help="With an EXPR: bind NAME to VALUE, as in adcli eval (floating "
                             "inputs require grad).")(func)
    return click.argument("target", metavar="FILE|EXPR")(func)


def inspect_or_exit(target: str, bindings, of, untrusted: bool, limit_values: dict,
                    command: str, backward: bool = True):
    """Run TARGET under an inspector; on an error in it, print the diagnostic and exit 1.
    Errors inside a FILE are summed up in one line, and the rest of it still shows."""
    from adcli.see.inspect import inspect_target

    given = timeout_given(limit_values)
    limits = build_limits(limit_values)
    check_untrusted_timeout(untrusted, limits)
    pairs = bindings_or_usage(bindings)
    result = bounded_or_exit(
        lambda: inspect_target(target, pairs, limits, of=of, backward=backward),
        command, "program", target, pairs, limits, untrusted, given)
    report_program_errors(result)
    return result


def bindings_or_usage(bindings) -> list[tuple[str, str]]:
    """The -b NAME=VALUE options as pairs; a malformed one is a usage error."""
    from adcli.evaluate import BindingError, split_binding

    try:
        return [split_binding(b) for b in bindings]
    except BindingError as exc:
        raise click.UsageError(str(exc)) from None


def bounded_or_exit(work, command: str, what: str, target: str, pairs, limits,
                    untrusted: bool, given: bool):
    """``work()`` under the mode's bounds (options.run_bounded). An error in the
    expression, a binding or the program: its diagnostic on stderr, exit status 1; an
    unreadable binding file: a usage error."""
    from adcli.diagnostics import format_diagnostic
    from adcli.errors import AdcliError
    from adcli.evaluate import BindingError

    try:
        return run_bounded(work, command, what, limits, untrusted, given,
                           [("<expr>", target)] + [(f"-b {n}", v) for n, v in pairs])
    except BindingError as exc:
        raise click.UsageError(str(exc)) from None
    except AdcliError as exc:
        where, text = getattr(exc, "source", ("<expr>", target))
        sys.stdout.flush()
        click.echo(format_diagnostic(where, text.splitlines(), exc.pos, exc.kind, str(exc)),
                   err=True, nl=False)
        sys.exit(1)


def report_program_errors(result) -> None:
    """One line on stderr for the errors a FILE raised while it ran (its own output is
    not shown: these commands show its graph)."""
    if not result.errors:
        return
    first = result.errors[0]
    where = f" at line {first.pos[0]}" if getattr(first, "pos", None) else ""
    more = f" ({len(result.errors)} errors in all)" if len(result.errors) > 1 else ""
    message = str(first).splitlines()[0] if str(first) else ""
    click.echo(f"note: the program raised {first.kind}{where}: {message}{more}; what ran "
               "before it is shown", err=True)


def console(stream=None):
    """A rich console: colour on a terminal, plain text when piped or under NO_COLOR."""
    from rich.console import Console

    from adcli.cli.eval_cmd import use_rich

    stream = stream or sys.stdout
    if use_rich(stream):
        return Console(file=stream)
    return Console(file=stream, color_system=None, force_terminal=False, highlight=False,
                   width=_plain_width(), soft_wrap=False)


def _plain_width() -> int:
    import os

    try:
        return max(40, int(os.environ.get("COLUMNS", "100")))
    except ValueError:
        return 100
