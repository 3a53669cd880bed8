"""Options shared by commands: the resource bounds, each with an environment variable,
and the trusted / untrusted modes of the commands that run one script or expression."""

from __future__ import annotations

import math

import click

from adcli.limits import Limits

TIMEOUT_HELP = "Wall-clock seconds per file in batch mode."
_LIMIT_OPTIONS = (
    ("--max-elements", "max_elements", int, "Most elements in one tensor."),
    ("--max-steps", "max_steps", int, "Most statements and loop iterations per file."),
    ("--max-nodes", "max_nodes", int, "Most autograd graph nodes per file."),
    ("--max-depth", "max_depth", int, "Deepest nesting of one expression."),
    ("--max-input-bytes", "max_input_bytes", int, "Largest source text."),
    ("--max-work", "max_work", int, "Most multiply-adds in one op (a matmul's m*n*k)."),
    ("--timeout", "timeout", float, TIMEOUT_HELP),
)
MAX_OUTPUT_BYTES_ENV = "ADCLI_MAX_OUTPUT_BYTES"
UNTRUSTED_ENV = "ADCLI_UNTRUSTED"


def _seconds(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """A wall-clock bound: a finite number of seconds, 0 for none."""
    if value is not None and not (math.isfinite(value) and 0 <= value <= 10**7):
        raise click.BadParameter(f"{value!r} is not a number of seconds from 0 to 10000000 "
                                 "(0: no bound)")
    return value


def limit_options(func=None, *, timeout_help: str = TIMEOUT_HELP):
    """Add the --max-* options (and --timeout) to a command; it receives ``limits``.

    Used bare (``@limit_options``) or with the command's own help for --timeout.
    """
    if func is None:
        return lambda f: limit_options(f, timeout_help=timeout_help)
    for flag, name, kind, help_text in reversed(_LIMIT_OPTIONS):
        if name == "timeout":
            help_text = timeout_help
        func = click.option(
            flag,
            name,
            type=click.FloatRange(0) if kind is float else click.IntRange(0),
            default=None,
            envvar=Limits.ENV[name],
            show_envvar=True,
            callback=_seconds if name == "timeout" else None,
            help=f"{help_text} [default: {Limits.DEFAULTS[name]:,}]",
        )(func)
    return func


def timeout_given(values: dict) -> bool:
    """Whether --timeout (or ADCLI_TIMEOUT) was given; call before ``build_limits``."""
    return values.get("timeout") is not None


def build_limits(values: dict) -> Limits:
    """A Limits from the option values that were given (None means the default)."""
    given = {name: values.pop(name) for _, name, _, _ in _LIMIT_OPTIONS}
    return Limits(**{k: v for k, v in given.items() if v is not None})


def untrusted_option(func):
    """Add --untrusted (ADCLI_UNTRUSTED=1): a wall-clock bound and a memory rlimit."""
    return click.option(
        "--untrusted",
        is_flag=True,
        default=False,
        envvar=UNTRUSTED_ENV,
        show_envvar=True,
        help="The input comes from someone you do not trust: bound its wall-clock time "
        "(--timeout, default 10 s) and its address space.",
    )(func)


def max_output_option(func):
    """Add --max-output-bytes (ADCLI_MAX_OUTPUT_BYTES): one file's transcript bound."""
    from adcli.batch import MAX_OUTPUT_BYTES

    return click.option(
        "--max-output-bytes",
        "max_output_bytes",
        type=click.IntRange(0),
        default=MAX_OUTPUT_BYTES,
        envvar=MAX_OUTPUT_BYTES_ENV,
        show_envvar=True,
        help=f"Most bytes one file may write (its transcript and diagnostics); past it "
        f"the file stops with a LimitError. 0: no bound. [default: {MAX_OUTPUT_BYTES:,}]",
    )(func)


def check_untrusted_timeout(untrusted: bool, limits: Limits) -> None:
    """--untrusted needs a wall-clock bound: refuse --timeout 0 with it (a usage error)."""
    if untrusted and not limits.timeout:
        raise click.UsageError("--untrusted needs a wall-clock bound: give --timeout a "
                               "positive number of seconds (or leave it out for 10 s)")


def run_bounded(work, command: str, what: str, limits: Limits, untrusted: bool, given: bool,
                sources: list[tuple[str, str | None]]):
    """``work()`` under the mode's process bounds: the wall-clock bound (with --untrusted,
    or when --timeout was given) and, with --untrusted, the address-space limit.

    Hitting one raises LimitError: ``.source`` is the (where, text) of ``sources`` that
    was running, with the position it was at.
    """
    from adcli.errors import LimitError
    from adcli.sandbox_process import WallClockExceeded, address_space_cap, process_bounds

    seconds = limits.timeout if (untrusted or given) else 0
    cap = address_space_cap(limits.max_elements) if untrusted else None
    how = "(raise the bound with --timeout or ADCLI_TIMEOUT)"
    stuck = (f"{command}: LimitError: the {what} ran longer than {seconds:g} s and was "
             f"killed {how}\n")
    try:
        with process_bounds(seconds, cap, stuck):
            return work()
    except WallClockExceeded as exc:
        error = LimitError(f"the {what} ran longer than {seconds:g} s and was stopped {how}")
        found = [(w, t) for w, t in sources if t is not None and t == exc.text]
        error.source = found[0] if found else sources[0]
        error.pos = exc.pos if found else None
        raise error from None
    except MemoryError:
        error = LimitError("out of memory: the address-space bound of --untrusted was hit "
                           "(lower --max-elements, or run it trusted)" if untrusted
                           else "out of memory")
        error.source = sources[0]
        raise error from None
