"""``re``: regular expressions on Python's own engine, with a guard against catastrophic
backtracking.

Patterns are compiled by the host ``re`` module (only text and int flags reach it), so
syntax, matching, ``re.error`` messages and reprs are CPython's. A script sees adcli's
``Pattern`` and ``Match`` wrappers (allow-listed members only); a callable replacement of
``sub`` is called by adcli with a wrapped ``Match``, never by the host engine.

Backtracking bound (the host engine is a C loop the step bound cannot see): a pattern
whose shape can backtrack exponentially -- a variable-width repeat inside another
variable-width repeat (``(a+)+``, ``(\\w*\\s?)*``), an alternation whose branches overlap
inside a repeat (``(a|ab)*``), or a backreference inside a repeat -- is run only on
subjects of at most ``RISKY_SUBJECT`` characters (2^24 steps at worst, well under a
second); on a longer one the call stops with a LimitError that says why. Other patterns
are at worst polynomial, and the run's wall-clock timeout (which the engine honours: it
checks for signals while it backtracks) ends them. Subjects, results and replacements are
bounded by the element bound.
"""

from __future__ import annotations

import re as _re
import re._constants as _c
import re._parser as _p

from adcli.errors import LimitError, TorchTypeError
from adcli.lang import pyformat
from adcli.lang.pylib._common import (
    check_objects,
    stdlib_error,
    type_name,
)

RISKY_SUBJECT = 24
_CACHE: dict = {}
_CACHE_MAX = 512
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT)


def _variable(av) -> bool:
    lo, hi = av[0], av[1]
    return hi != lo and hi > 1


def _first_chars(seq):
    """The set of first literals of a subpattern, or None when it may start otherwise."""
    for op, av in seq:
        if op is _c.LITERAL:
            return {av}
        if op is _c.SUBPATTERN:
            return _first_chars(av[-1])
        if op is _c.AT:
            continue
        return None
    return None


def _risk(seq, in_repeat: bool):
    """Why ``seq`` can backtrack exponentially, or None."""
    for op, av in seq:
        if op in _REPEATS:
            if op is _c.POSSESSIVE_REPEAT:
                continue
            variable = _variable(av)
            if in_repeat and variable and av[1] > 1:
                return "a variable-width repeat inside another repeat"
            why = _risk(av[2], in_repeat or variable)
            if why:
                return why
        elif op is _c.SUBPATTERN:
            why = _risk(av[-1], in_repeat)
            if why:
                return why
        elif op is _c.BRANCH:
            if in_repeat:
                seen: set = set()
                for branch in av[1]:
                    first = _first_chars(branch)
                    if first is None or first & seen:
                        return "an alternation with overlapping branches inside a repeat"
                    seen |= first
            for branch in av[1]:
                why = _risk(branch, in_repeat)
                if why:
                    return why
        elif op in (_c.ASSERT, _c.ASSERT_NOT):
            why = _risk(av[1], in_repeat)
            if why:
                return why
        elif op is _c.GROUPREF_EXISTS:
            for part in av[1:]:
                if part is not None:
                    why = _risk(part, in_repeat)
                    if why:
                        return why
        elif op is _c.GROUPREF and in_repeat:
            return "a backreference inside a repeat"
    return None


def _error(exc: BaseException):
    err = stdlib_error(exc)
    return err


def _compile(pattern, flags):
    if isinstance(pattern, Pattern):
        if flags:
            from adcli.errors import TorchValueError

            raise TorchValueError("cannot process flags argument with a compiled pattern")
        return pattern
    if not isinstance(pattern, str | bytes):
        raise TorchTypeError("first argument must be string or compiled pattern")
    if not isinstance(flags, int):
        raise TorchTypeError(f"unsupported operand type(s) for &: '{type_name(flags)}' and "
                             "'int'")
    key = (type(pattern), pattern, int(flags))
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    pyformat.check_size(len(pattern))
    try:
        compiled = _re.compile(pattern, flags)
        tree = _p.parse(pattern, flags)
    except _re.error as exc:
        raise _error(exc) from None
    except (OverflowError, RecursionError, ValueError) as exc:
        from adcli.lang.pylib._common import user_error

        raise user_error(exc) from None
    result = Pattern(compiled, _risk(tree, False))
    if len(_CACHE) >= _CACHE_MAX:
        _CACHE.clear()
    _CACHE[key] = result
    return result


def _subject(pat: Pattern, string, fn: str):
    if not isinstance(string, str | bytes):
        raise TorchTypeError(f"expected string or bytes-like object, got '{type_name(string)}'")
    if isinstance(string, str) != isinstance(pat._re.pattern, str):
        if isinstance(pat._re.pattern, str):
            raise TorchTypeError("cannot use a string pattern on a bytes-like object")
        raise TorchTypeError("cannot use a bytes pattern on a string-like object")
    if pat._risk and len(string) > RISKY_SUBJECT:
        raise LimitError(
            f"re.{fn}(): the pattern {pat._re.pattern!r} has {pat._risk}, which can "
            f"backtrack exponentially; adcli runs such a pattern only on strings of at most "
            f"{RISKY_SUBJECT} characters (this one has {len(string):,}). Rewrite it without "
            "the nested repeat")
    return string


def _call(fn, *args):
    try:
        return fn(*args)
    except _re.error as exc:
        raise _error(exc) from None
    except (IndexError, TypeError, ValueError) as exc:
        from adcli.lang.pylib._common import user_error

        raise user_error(exc) from None


class Match:
    """A match, as ``re.Match``: only its public members reach a script."""

    __slots__ = ("_m", "_pattern")
    __module__ = "re"
    __adcli_public__ = frozenset((
        "group", "groups", "groupdict", "span", "start", "end", "string", "re", "pos",
        "endpos", "lastindex", "lastgroup", "expand", "regs",
    ))

    def __init__(self, m, pattern) -> None:
        self._m, self._pattern = m, pattern

    def group(self, *groups):
        return _call(self._m.group, *groups)

    def __getitem__(self, g):
        return _call(self._m.__getitem__, g)

    def groups(self, default=None):
        return self._m.groups(default)

    def groupdict(self, default=None):
        return self._m.groupdict(default)

    def span(self, group=0):
        return _call(self._m.span, group)

    def start(self, group=0):
        return _call(self._m.start, group)

    def end(self, group=0):
        return _call(self._m.end, group)

    def expand(self, template):
        if not isinstance(template, str | bytes):
            raise TorchTypeError(f"expected str instance, {type_name(template)} found")
        pyformat.check_size(len(template))
        result = _call(self._m.expand, template)
        pyformat.check_size(len(result))
        return result

    @property
    def string(self):
        return self._m.string

    @property
    def re(self):
        return self._pattern

    @property
    def pos(self):
        return self._m.pos

    @property
    def endpos(self):
        return self._m.endpos

    @property
    def lastindex(self):
        return self._m.lastindex

    @property
    def lastgroup(self):
        return self._m.lastgroup

    @property
    def regs(self):
        return self._m.regs

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return repr(self._m)


def _wrap(m, pattern):
    return None if m is None else Match(m, pattern)


def _span(string, pos, endpos):
    pos = 0 if pos is None else pos
    endpos = len(string) if endpos is None else endpos
    for v in (pos, endpos):
        if not isinstance(v, int):
            raise TorchTypeError(f"'{type_name(v)}' object cannot be interpreted as an integer")
    return pos, endpos


class Pattern:
    """A compiled pattern, as ``re.Pattern``."""

    __slots__ = ("_re", "_risk", "__weakref__")
    __module__ = "re"
    __adcli_public__ = frozenset((
        "match", "search", "fullmatch", "findall", "finditer", "sub", "subn", "split",
        "pattern", "flags", "groups", "groupindex",
    ))

    def __init__(self, compiled, risk) -> None:
        self._re, self._risk = compiled, risk

    def match(self, string, pos=0, endpos=None):
        _subject(self, string, "match")
        return _wrap(_call(self._re.match, string, *_span(string, pos, endpos)), self)

    def search(self, string, pos=0, endpos=None):
        _subject(self, string, "search")
        return _wrap(_call(self._re.search, string, *_span(string, pos, endpos)), self)

    def fullmatch(self, string, pos=0, endpos=None):
        _subject(self, string, "fullmatch")
        return _wrap(_call(self._re.fullmatch, string, *_span(string, pos, endpos)), self)

    def findall(self, string, pos=0, endpos=None):
        _subject(self, string, "findall")
        result = _call(self._re.findall, string, *_span(string, pos, endpos))
        check_objects(len(result), "re.findall() result")
        return result

    def finditer(self, string, pos=0, endpos=None):
        _subject(self, string, "finditer")
        it = _call(self._re.finditer, string, *_span(string, pos, endpos))
        return _MatchIterator(it, self)

    def split(self, string, maxsplit=0):
        _subject(self, string, "split")
        if not isinstance(maxsplit, int):
            raise TorchTypeError(f"'{type_name(maxsplit)}' object cannot be interpreted as "
                                 "an integer")
        result = _call(self._re.split, string, maxsplit)
        check_objects(len(result), "re.split() result")
        return result

    def sub(self, repl, string, count=0):
        return self._subn(repl, string, count, "sub")[0]

    def subn(self, repl, string, count=0):
        return self._subn(repl, string, count, "subn")

    def _subn(self, repl, string, count, fn):
        _subject(self, string, fn)
        if not isinstance(count, int):
            raise TorchTypeError(f"'{type_name(count)}' object cannot be interpreted as an "
                                 "integer")
        if isinstance(repl, str | bytes):
            if isinstance(repl, str) != isinstance(string, str):
                raise TorchTypeError(f"expected {type(string).__name__} instance, "
                                     f"{type_name(repl)} found")
            # a template's expansion is at most its length plus the subject per match
            n = len(self._re.findall(string)) if count == 0 else count
            pyformat.check_size(len(string) + min(n, len(string) + 1) *
                                (len(repl) + (len(string) if "\\" in repl else 0)))
            return _call(self._re.subn, repl, string, count)
        if not callable(repl):
            raise TorchTypeError(f"expected str instance, {type_name(repl)} found")
        empty = string[:0]
        pieces, last, n = [], 0, 0
        size = 0
        for m in self._re.finditer(string):
            if count and n >= count:
                break
            piece = repl(Match(m, self))
            if piece is None:
                piece = empty
            if not isinstance(piece, type(string)):
                raise TorchTypeError(f"expected {type(string).__name__} instance, "
                                     f"{type_name(piece)} found")
            pieces.append(string[last:m.start()])
            pieces.append(piece)
            size += m.start() - last + len(piece)
            pyformat.check_size(size)
            last = m.end()
            n += 1
        pieces.append(string[last:])
        return empty.join(pieces), n

    @property
    def pattern(self):
        return self._re.pattern

    @property
    def flags(self):
        return self._re.flags

    @property
    def groups(self):
        return self._re.groups

    @property
    def groupindex(self):
        return dict(self._re.groupindex)

    def __eq__(self, other) -> bool:
        return isinstance(other, Pattern) and other._re == self._re

    def __hash__(self) -> int:
        return hash(self._re)

    def __repr__(self) -> str:
        return repr(self._re)


class _MatchIterator:
    __slots__ = ("_it", "_pattern", "_n")
    __adcli_public__ = frozenset()

    def __init__(self, it, pattern) -> None:
        self._it, self._pattern, self._n = it, pattern, 0

    def __iter__(self):
        return self

    def __next__(self):
        m = next(self._it)
        self._n += 1
        check_objects(self._n, "re.finditer() matches")
        return Match(m, self._pattern)

    def __repr__(self) -> str:
        return f"<callable_iterator object at 0x{id(self):x}>"


def _module_fn(name):
    def call(pattern, string, *args, flags=0, **kwargs):
        if args and name in ("sub", "subn"):
            # re.sub(pattern, repl, string, count=0, flags=0)
            repl, string, args = string, args[0], args[1:]
            if len(args) > 1:
                raise TorchTypeError(f"{name}() takes from 3 to 5 positional arguments")
            if len(args) == 1:
                kwargs.setdefault("count", args[0])
                args = ()
            if len(args) == 0 and "flags" in kwargs:
                flags = kwargs.pop("flags")
            pat = _compile(pattern, flags)
            return getattr(pat, name)(repl, string, **kwargs)  # a fixed name
        if args:
            if name == "split":
                kwargs.setdefault("maxsplit", args[0])
                args = args[1:]
            if args:
                flags = args[0]
                args = args[1:]
            if args:
                raise TorchTypeError(f"{name}() takes at most 4 positional arguments")
        pat = _compile(pattern, flags)
        return getattr(pat, name)(string, **kwargs)  # a fixed name

    call.__name__ = call.__qualname__ = name
    return call


def compile(pattern, flags=0):  # noqa: A001 - Python's name
    return _compile(pattern, flags)


def escape(pattern):
    if not isinstance(pattern, str | bytes):
        raise TorchTypeError(f"expected str instance, {type_name(pattern)} found")
    result = _re.escape(pattern)
    pyformat.check_size(len(result))
    return result


def purge() -> None:
    _CACHE.clear()


_FLAGS = ("IGNORECASE", "I", "MULTILINE", "M", "DOTALL", "S", "VERBOSE", "X", "ASCII", "A",
          "UNICODE", "U", "LOCALE", "L", "NOFLAG")


def make_table() -> dict:
    from adcli.lang.pylib.pybuiltins import TYPES, _register

    table = {name: _module_fn(name) for name in ("match", "search", "fullmatch", "findall",
                                                 "finditer", "split", "sub", "subn")}
    table.update(compile=compile, escape=escape, purge=purge)
    for flag in _FLAGS:
        if hasattr(_re, flag):
            table[flag] = getattr(_re, flag)  # a fixed name
    table["Pattern"] = TYPES.get(Pattern) or _register(Pattern, "re.Pattern", None)
    table["Match"] = TYPES.get(Match) or _register(Match, "re.Match", None)
    # the class as a PyType: `except re.error` matches the raised value
    table["error"] = TYPES.get(_re.error) or _register(_re.error, "re.error", None)
    return table
