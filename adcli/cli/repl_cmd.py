"""``adcli repl``: an interactive session of the .adc language (the loop is adcli/repl.py)."""

from __future__ import annotations

import sys

import click

from adcli.cli.options import (
    build_limits,
    check_untrusted_timeout,
    limit_options,
    timeout_given,
    untrusted_option,
)

EPILOG = """\b
Examples:
  adcli repl
  adcli repl --max-steps 100000 --timeout 5
  printf 'x = ones(2, requires_grad=True)\\ny = (x*x).sum()\\ny.backward()\\nx.grad\\n' | adcli repl
\b
A session:
  >>> x = tensor([1., 2.], requires_grad=True)
  >>> y = (x ^ 2).sum()
  >>> y
  tensor(5., grad_fn=<SumBackward0>)
  >>> y.backward()
  >>> :grad
\b
Shortcuts: :grad (every tensor with a .grad), :graph NAME, :explain NAME, :help, :quit
  (or Ctrl-D). A block (def, for, if, class, ...) ends at a blank line. Tab completes
  torch names, variables and, after 'x.', x's attributes. Ctrl-C clears the line or stops
  a long evaluation.
\b
Line editing, completion and history (~/.adcli_history, or $ADCLI_HISTORY; an empty
  ADCLI_HISTORY keeps none) need prompt_toolkit (pip install 'adcli[see]') and a terminal.
  Otherwise lines are read from stdin as they come, with no prompts when it is piped.
\b
Each input is bounded on its own (steps, graph nodes, elements; the wall clock with
  --timeout or --untrusted), and an error or a bound ends only that input.
\b
Exit status: 0; with stdin piped, 1 if some input raised; 2 a usage error; 3 a bug.
"""
TIMEOUT_HELP = ("Wall-clock seconds for each input: with --untrusted (default 10), or when "
                "given; a trusted session has none otherwise.")


@click.command("repl", epilog=EPILOG)
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=0, show_default=True,
              help="Seed torch's generator at the start (as manual_seed(N)).")
@untrusted_option
@limit_options(timeout_help=TIMEOUT_HELP)
def repl_command(seed: int, untrusted: bool, **limit_values) -> None:
    """Start an interactive session: type expressions and statements of the .adc language.

    A bare expression shows its value as torch prints it; an error prints its diagnostic
    and the session goes on.
    """
    from adcli.cli.eval_cmd import use_rich
    from adcli.repl import Repl, main

    given = timeout_given(limit_values)
    limits = build_limits(limit_values)
    check_untrusted_timeout(untrusted, limits)
    both_terminals = _isatty(sys.stdout) and _isatty(sys.stderr)
    repl = Repl(limits, rich=use_rich(sys.stdout), dedupe_errors=both_terminals,
                untrusted=untrusted, timeout_given=given, seed=seed)
    sys.exit(main(repl))


def _isatty(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):
        return False


if __name__ == "__main__":  # pragma: no cover - python -m adcli.cli.repl_cmd
    repl_command(prog_name="adcli repl")
