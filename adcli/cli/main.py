"""The ``adcli`` command group. Each command lives in its own small module."""

from __future__ import annotations

import gc
import importlib
import sys

import click

INTERNAL_ERROR_STATUS = 3

# Each command's module is imported only when that command runs (start-up time).
COMMANDS = {
    "eval": ("adcli.cli.eval_cmd", "eval_command"),
    "run": ("adcli.cli.run_cmd", "run_command"),
    "check": ("adcli.cli.check_cmd", "check_command"),
    "verify": ("adcli.cli.verify_cmd", "verify_command"),
}


class _Group(click.Group):
    """Commands loaded on demand, sharing one error path: a bug in adcli exits with 3."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name]
        return getattr(importlib.import_module(module), attr)

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



def main() -> None:
    """Console-script entry point."""
    try:
        cli.main(prog_name="adcli")
    finally:
        # The process ends here: everything still alive (numpy, click, the op table: tens
        # of thousands of objects) goes with it. Freezing it spares the interpreter's final
        # garbage collections, which scan every object (about 15 ms, several times a
        # one-liner's evaluation). Atexit handlers and reference-counted cleanup still run.
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
