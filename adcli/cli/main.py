"""The ``adcli`` command group. Each command lives in its own small module."""

from __future__ import annotations

import errno
import gc
import importlib
import os
import sys

import click

from adcli.cli.tuning import tune_process

# One BLAS thread: tutorial-sized matrices multiply fastest on one core (a thread pool's
# hand-offs cost more than the product, and on a busy machine far more), and results do
# not depend on the thread count. Set before numpy is first imported; a user's own
# setting wins. (OMP_NUM_THREADS is left alone: it is torch's thread count, which the
# engine's sums emulate.)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

INTERNAL_ERROR_STATUS = 3

# Each command's module is imported only when that command runs (start-up time).
COMMANDS = {
    "eval": ("adcli.cli.eval_cmd", "eval_command"),
    "run": ("adcli.cli.run_cmd", "run_command"),
    "check": ("adcli.cli.check_cmd", "check_command"),
    "verify": ("adcli.cli.verify_cmd", "verify_command"),
    "graph": ("adcli.cli.graph_cmd", "graph_command"),
    "explain": ("adcli.cli.explain_cmd", "explain_command"),
    "gradcheck": ("adcli.cli.gradcheck_cmd", "gradcheck_command"),
    "plot": ("adcli.cli.plot_cmd", "plot_command"),
    "repl": ("adcli.cli.repl_cmd", "repl_command"),
    "test": ("adcli.cli.test_cmd", "test_command"),
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
        _prepare_streams()
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # the reader went away (| head): stop quietly
            _silence(sys.stdout)
            _silence(sys.stderr)
            ctx.exit(0)
        except OSError as exc:
            if exc.errno not in _WRITE_ERRORS:
                raise _internal_error(ctx, exc) from None
            _silence(sys.stdout)
            click.echo(f"adcli: cannot write the output: {exc.strerror}", err=True)
            ctx.exit(2)
        except Exception as exc:  # a bug in adcli, never a user's mistake
            raise _internal_error(ctx, exc) from None


_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG, errno.EBADF}


def _internal_error(ctx: click.Context, exc: BaseException) -> click.exceptions.Exit:
    """Say that adcli has a bug (no traceback); the exit to raise, with status 3."""
    from adcli.diagnostics import printable, shorten

    click.echo(
        f"adcli: internal error: {type(exc).__name__}: {printable(shorten(str(exc)))}\n"
        "This is a bug in adcli. Please report it with the command you ran.",
        err=True,
    )
    return click.exceptions.Exit(INTERNAL_ERROR_STATUS)


def _prepare_streams() -> None:
    """Streams that never fail on what they are given: a closed stdout or stderr (``>&-``)
    becomes /dev/null, and text the encoding cannot hold (an ASCII pipe, cp1252,
    ``PYTHONIOENCODING=ascii``) is escaped as ``\\u2202``. The error handlers that can still
    fail on a character (strict, and surrogateescape, which only passes lone surrogates,
    as ``PYTHONIOENCODING=ascii:surrogateescape`` or a C locale may set) are replaced."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and \
                getattr(stream, "errors", "strict") in ("strict", "surrogateescape"):
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def _silence(stream) -> None:
    """Point a stream whose reader is gone at /dev/null, so that the flush at exit does
    not fail again (and print a traceback-like warning)."""
    try:
        fd = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    except (AttributeError, OSError, ValueError):
        pass


@click.group(
    cls=_Group,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="adcli")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """adcli: see gradients of expressions and scripts, with PyTorch's semantics.

    \b
    Examples:
      adcli eval 'mean(3*(x+2)^2)' -b 'x=ones(2,2)'
      adcli run samples/seeds/seed_000_variable_tutorial.adc
      adcli graph 'mean(3*(x+2)**2)' -b 'x=ones(2,2)' --format svg -o graph.svg
      adcli explain samples/seeds/seed_000_variable_tutorial.adc --wrt x
      adcli gradcheck samples/see/custom_function.py
      adcli check samples/homework/set.toml samples/homework/submissions/ --jobs 2
      adcli verify 'mean(3*(x+2)^2)' --wrt x --claim '3/2*(x+2)' -b 'x=ones(2,2)'
      adcli repl      (also: bare `adcli` on a terminal)
    """
    if ctx.invoked_subcommand is not None:
        return
    if sys.stdin.isatty() and sys.stdout.isatty():
        ctx.invoke(ctx.command.get_command(ctx, "repl"))
        return
    click.echo(ctx.get_help())



def main() -> None:
    """Console-script entry point."""
    tune_process()
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
