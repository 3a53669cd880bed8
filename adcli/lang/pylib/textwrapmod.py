"""``textwrap``: ``dedent indent fill wrap shorten``, Python's own, on bounded text.

Python's wrapper is quadratic in the length of one run of spaces or one long word (it
cuts a piece off the front at a time): the text is refused when its runs would cost
more than about a second, and when it is longer than ``--max-input-bytes``. Results are
counted against the element bound before they are built.
"""

from __future__ import annotations

import textwrap as _tw

from adcli import limits as _limits
from adcli.errors import LimitError, TorchTypeError
from adcli.lang.pylib._common import type_name

_WORK = 2 * 10**9  # characters copied by the wrapper's cutting, at most
_OPTIONS = ("width", "initial_indent", "subsequent_indent", "expand_tabs",
            "replace_whitespace", "fix_sentence_endings", "break_long_words",
            "drop_whitespace", "break_on_hyphens", "tabsize", "max_lines", "placeholder")


def _text(text, fn: str) -> str:
    if not isinstance(text, str):
        raise TorchTypeError(f"{fn}() argument must be str, not {type_name(text)}")
    bound = _limits.current().max_input_bytes
    if bound and len(text) > bound:
        raise LimitError(f"textwrap.{fn}: the text is {len(text):,} characters, over the "
                         f"limit of {bound:,} (--max-input-bytes / ADCLI_MAX_INPUT_BYTES)")
    return text


def _check_size(size: int) -> None:
    from adcli.lang import pyformat

    pyformat.check_size(size)


def _check_wrap(text: str, fn: str, kwargs: dict) -> None:
    for k in kwargs:
        if k not in _OPTIONS:
            raise TorchTypeError(f"TextWrapper.__init__() got an unexpected keyword argument "
                                 f"'{k}'")
    width = kwargs.get("width", 70)
    tabsize = kwargs.get("tabsize", 8)
    if isinstance(tabsize, int) and kwargs.get("expand_tabs", True):
        _check_size(len(text) + max(tabsize, 0) * text.count("\t"))
        expanded = text.expandtabs(tabsize)
    else:
        expanded = text
    indents = [kwargs.get(k, "") for k in ("initial_indent", "subsequent_indent",
                                           "placeholder")]
    longest = max((len(s) for s in indents if isinstance(s, str)), default=0)
    # each line is at least one character of the text, with its indent
    _check_size(len(expanded) * (longest + 2))
    if isinstance(width, int) and width > 0:
        import re

        work = sum(len(run) ** 2 for run in re.findall(r"\s+|\S+", expanded)) // width
        if work > _WORK:
            raise LimitError(f"textwrap.{fn}: wrapping this text at width {width} would take "
                             "too long (a very long word or run of spaces)")


def wrap(text, width=70, **kwargs):
    text = _text(text, "wrap")
    _check_wrap(text, "wrap", dict(kwargs, width=width))
    return _tw.wrap(text, width, **kwargs)


def fill(text, width=70, **kwargs):
    text = _text(text, "fill")
    _check_wrap(text, "fill", dict(kwargs, width=width))
    return _tw.fill(text, width, **kwargs)


def shorten(text, width, **kwargs):
    text = _text(text, "shorten")
    _check_wrap(text, "shorten", dict(kwargs, width=width))
    return _tw.shorten(text, width, **kwargs)


def dedent(text):
    if not isinstance(text, str):
        raise TorchTypeError(f"expected string or bytes-like object, got '{type_name(text)}'")
    return _tw.dedent(_text(text, "dedent"))


def indent(text, prefix, predicate=None):
    text = _text(text, "indent")
    if not isinstance(prefix, str):
        raise TorchTypeError(f'can only concatenate str (not "{type_name(prefix)}") to str')
    _check_size(len(text) + len(prefix) * (text.count("\n") + 1))
    return _tw.indent(text, prefix, predicate)


def make_table() -> dict:
    return {"wrap": wrap, "fill": fill, "shorten": shorten, "dedent": dedent,
            "indent": indent}
