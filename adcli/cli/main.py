"""The ``adcli`` command group. Each command lives in its own small module."""

from __future__ import annotations

import sys

import click

from adcli.cli.check_cmd import check_command
from adcli.cli.eval_cmd import eval_command
from adcli.cli.run_cmd import run_command
from adcli.cli.verify_cmd import verify_command

INTERNAL_ERROR_STATUS = 3


class _Group(click.Group):
    """A group whose commands share one error path: a bug in adcli exits with status 3."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            ctx.exit(0)
        except Exception as exc:  # a bug in adcli, never a user's mistake
            click.echo(
                f"adcli: internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in adcli. Please report it with the command you ran.",
                err=True,
            )
            ctx.exit(INTERNAL_ERROR_STATUS)


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="adcli")
def cli() -> None:
    """adcli: see gradients of expressions and scripts, with PyTorch's semantics.

    \b
    Examples:
      adcli eval 'mean(3*(x+2)^2)' -b 'x=ones(2,2)'
      adcli run samples/seeds/seed_000_variable_tutorial.adc
      adcli check samples/homework/set.toml samples/homework/submissions/ --jobs 2
      adcli verify 'mean(3*(x+2)^2)' --wrt x --claim '3/2*(x+2)' -b 'x=ones(2,2)'
    """


cli.add_command(eval_command)
cli.add_command(run_command)
cli.add_command(check_command)
cli.add_command(verify_command)


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="adcli")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
