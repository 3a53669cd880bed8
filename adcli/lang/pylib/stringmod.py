"""``string``: the constants, ``capwords`` and ``Template`` (its substitution counted
against the element bound as the result grows)."""

from __future__ import annotations

import string as _string

from adcli.errors import TorchTypeError, TorchValueError
from adcli.lang.pylib._common import PyType, register_type, type_name

_CONSTANTS = ("ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits",
              "octdigits", "printable", "punctuation", "whitespace")
_PATTERN = _string.Template.pattern  # Python's own, fixed pattern for '$'


def capwords(s, sep=None):
    if not isinstance(s, str):
        raise TorchTypeError(f"descriptor 'split' for 'str' objects doesn't apply to a "
                             f"'{type_name(s)}' object")
    if sep is not None and not isinstance(sep, str):
        raise TorchTypeError(f"must be str or None, not {type_name(sep)}")
    from adcli.lang.pylib._common import check_objects

    check_objects(s.count(sep) if sep else len(s) // 2, "capwords pieces")
    return _string.capwords(s, sep)


class Template:
    """``string.Template(text)``: ``substitute`` and ``safe_substitute``."""

    __slots__ = ("template", "_to_str")

    def __init__(self, template, to_str=str) -> None:
        if not isinstance(template, str):
            raise TorchTypeError(f"Template() argument must be str, not {type_name(template)}")
        self.template = template
        self._to_str = to_str

    def _sub(self, safe: bool, mapping, kws):
        from adcli.lang import pyformat

        if mapping is None:
            values = kws
        elif kws:
            values = _Chain(kws, mapping)
        else:
            values = mapping
        out: list[str] = []
        size = 0
        last = 0
        text = self.template
        for mo in _PATTERN.finditer(text):
            out.append(text[last:mo.start()])
            size += mo.start() - last
            last = mo.end()
            named = mo.group("named") or mo.group("braced")
            if named is not None:
                try:
                    piece = self._to_str(values[named])
                except KeyError:
                    if not safe:
                        raise KeyError(named) from None
                    piece = mo.group()
            elif mo.group("escaped") is not None:
                piece = "$"
            elif mo.group("invalid") is not None:
                if not safe:
                    i = mo.start("invalid")
                    lines = text[:i].splitlines(keepends=True)
                    colno = i - len("".join(lines[:-1])) if lines else 1
                    lineno = len(lines) if lines else 1
                    raise TorchValueError(f"Invalid placeholder in string: line {lineno}, "
                                          f"col {colno}")
                piece = mo.group()
            else:  # pragma: no cover - the pattern has no other group
                raise TorchValueError("Unrecognized named group in pattern")
            size += len(piece)
            pyformat.check_size(size)
            out.append(piece)
        out.append(text[last:])
        return "".join(out)

    def substitute(self, mapping=None, /, **kws):
        return self._sub(False, mapping, kws)

    def safe_substitute(self, mapping=None, /, **kws):
        return self._sub(True, mapping, kws)

    def get_identifiers(self):
        ids = []
        for mo in _PATTERN.finditer(self.template):
            named = mo.group("named") or mo.group("braced")
            if named is not None and named not in ids:
                ids.append(named)
        return ids

    def is_valid(self):
        return all(mo.group("invalid") is None for mo in _PATTERN.finditer(self.template))

    def __repr__(self) -> str:
        return f"<string.Template object at 0x{id(self):x}>"


class _Chain:
    __slots__ = ("a", "b")

    def __init__(self, a, b) -> None:
        self.a, self.b = a, b

    def __getitem__(self, key):
        try:
            return self.a[key]
        except KeyError:
            return self.b[key]


register_type(Template, {
    "template": lambda t: t.template, "substitute": lambda t: t.substitute,
    "safe_substitute": lambda t: t.safe_substitute,
    "get_identifiers": lambda t: t.get_identifiers, "is_valid": lambda t: t.is_valid,
})


def make_table(hooks) -> dict:
    table = {name: getattr(_string, name) for name in _CONSTANTS}
    table["capwords"] = capwords
    table["Template"] = PyType(Template, "string.Template",
                               lambda template: Template(template, hooks.to_str))
    return table
