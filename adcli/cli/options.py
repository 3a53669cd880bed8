"""Options shared by commands: the resource bounds, each with an environment variable."""

from __future__ import annotations

import click

from adcli.limits import Limits

_LIMIT_OPTIONS = (
    ("--max-elements", "max_elements", int, "Most elements in one tensor."),
    ("--max-steps", "max_steps", int, "Most statements and loop iterations per file."),
    ("--max-nodes", "max_nodes", int, "Most autograd graph nodes per file."),
    ("--max-depth", "max_depth", int, "Deepest nesting of one expression."),
    ("--max-input-bytes", "max_input_bytes", int, "Largest source text."),
    ("--max-work", "max_work", int, "Most multiply-adds in one op (a matmul's m*n*k)."),
    ("--timeout", "timeout", float, "Wall-clock seconds per file in batch mode."),
)


def limit_options(func):
    """Add the --max-* options (and --timeout) to a command; it receives ``limits``."""
    for flag, name, kind, help_text in reversed(_LIMIT_OPTIONS):
        func = click.option(
            flag,
            name,
            type=kind,
            default=None,
            envvar=Limits.ENV[name],
            show_envvar=True,
            help=f"{help_text} [default: {Limits.DEFAULTS[name]:,}]",
        )(func)
    return func


def build_limits(values: dict) -> Limits:
    """A Limits from the option values that were given (None means the default)."""
    given = {name: values.pop(name) for _, name, _, _ in _LIMIT_OPTIONS}
    return Limits(**{k: v for k, v in given.items() if v is not None})
