"""Method tables of str, list, dict, set, frozenset and tuple for ``.py`` programs.

Each table maps a method name (a fixed string) to an accessor ``obj -> bound method``.
Methods whose result size Python would compute without a bound (``join``, ``replace``,
``ljust``, ``expandtabs``, ``split`` of a huge string, ``extend``/``update`` from an
endless iterator, ``format``) are implemented here with their size checked first; the
others are the value's own methods (``operator.attrgetter`` of a fixed name), so their
behaviour and messages are Python's.
"""

from __future__ import annotations

import operator

from adcli import limits as _limits
from adcli.errors import LimitError, TorchOverflowError, TorchTypeError, TorchValueError
from adcli.lang import pyformat
from adcli.lang.pylib._common import (
    bounded_list,
    check_objects,
    method,
    native,
    object_bound,
    type_name,
)
from adcli.lang.pylib.hooks import DEFAULT, Hooks

# ---- str ---------------------------------------------------------------------------------


def _need_str(value, fn: str, what: str = "argument") -> str:
    if not isinstance(value, str):
        raise TorchTypeError(f"{fn}() {what} must be str, not {type_name(value)}")
    return value


def str_join(sep: str, iterable) -> str:
    items = bounded_list(iterable, "str.join()")
    total = len(sep) * max(len(items) - 1, 0)
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise TorchTypeError(f"sequence item {i}: expected str instance, "
                                 f"{type_name(item)} found")
        total += len(item)
    pyformat.check_size(total)
    return sep.join(items)


def str_replace(s: str, old, new, count=-1) -> str:
    _need_str(old, "replace", "argument 1")
    _need_str(new, "replace", "argument 2")
    count = operator.index(count)
    n = (len(s) + 1) if old == "" else s.count(old)
    if count >= 0:
        n = min(n, count)
    pyformat.check_size(len(s) + n * (len(new) - len(old)))
    return s.replace(old, new, count)


def _pad(name: str):
    def pad(s: str, width, *fill):
        n = pyformat.check_pad(operator.index(width), name)
        return getattr(str, name)(s, n, *fill)

    pad.__name__ = name
    return pad


def str_zfill(s: str, width) -> str:
    return s.zfill(pyformat.check_pad(operator.index(width), "zfill"))


def str_translate(s: str, table, /) -> str:
    """``s.translate(table)`` for a dict (``str.maketrans``'s) or a list or tuple indexed
    by code point; the result's length (at most ``len(s)`` times the longest replacement)
    is checked before Python builds it."""
    if type(table) is dict:
        values = table.values()
    elif type(table) in (list, tuple):
        values = table
    else:
        raise TorchTypeError(f"adcli's str.translate takes a dict, list or tuple, not "
                             f"'{type_name(table)}'")
    longest = max((len(v) for v in values if isinstance(v, str)), default=1)
    pyformat.check_size(len(s) * max(longest, 1))
    return s.translate(table)


def str_maketrans(*args):
    """``str.maketrans(x[, y[, z]])``: Python's own (a dict no bigger than its arguments)."""
    if args and type(args[0]) is not dict and isinstance(args[0], dict):
        args = (dict(args[0]),) + args[1:]  # a Counter or OrderedDict: its items, as a dict
    return str.maketrans(*args)


def str_expandtabs(s: str, tabsize=8) -> str:
    size = operator.index(tabsize)
    pyformat.check_format_width(size, "tab size")
    pyformat.check_size(len(s) + s.count("\t") * max(size, 0))
    return s.expandtabs(size)


def _split_bound(s: str, sep, maxsplit) -> None:
    """Refuse a split whose list of pieces would be over the Python-object bound."""
    bound = object_bound()
    if not bound:
        return
    maxsplit = operator.index(maxsplit)
    if sep is None:
        upper = len(s) // 2 + 1
    else:
        _need_str(sep, "split", "must be str or None: argument")
        if sep == "":
            return  # ValueError: empty separator (Python's own)
        upper = s.count(sep) + 1
    if maxsplit >= 0:
        upper = min(upper, maxsplit + 1)
    if upper > bound and sep is None:  # count the words, a chunk at a time
        upper = _count_words(s, bound)
    check_objects(upper, "str.split()")


def _count_words(s: str, bound: int, chunk: int = 1 << 20) -> int:
    """How many words ``s.split()`` gives, counted a chunk at a time; stops past
    ``bound``."""
    words, prev_word = 0, False
    for i in range(0, len(s), chunk):
        part = s[i:i + chunk]
        words += len(part.split())
        if prev_word and part and not part[0].isspace():
            words -= 1  # a word across the chunk boundary
        prev_word = bool(part) and not part[-1].isspace()
        if words > bound:
            break
    return words


def str_split(s: str, sep=None, maxsplit=-1) -> list:
    _split_bound(s, sep, maxsplit)
    return s.split(sep, maxsplit)


def str_rsplit(s: str, sep=None, maxsplit=-1) -> list:
    _split_bound(s, sep, maxsplit)
    return s.rsplit(sep, maxsplit)


def str_splitlines(s: str, keepends=False) -> list:
    bound = object_bound()
    if bound and len(s) > bound:
        check_objects(sum(1 for _ in s.splitlines()), "str.splitlines()")  # pragma: no cover
    return s.splitlines(keepends)


_CODECS = frozenset(("utf-8", "utf8", "utf_8", "u8", "ascii", "us-ascii", "latin-1",
                     "latin1", "latin_1", "iso-8859-1", "iso8859-1", "l1", "utf-16",
                     "utf-32", "cp1252"))
_CODEC_ERRORS = frozenset(("strict", "ignore", "replace", "backslashreplace",
                           "xmlcharrefreplace", "surrogateescape"))


def _codec_error(exc: BaseException):
    """A codec's error as the script sees it (UnicodeEncodeError, LookupError, ...)."""
    err = TorchValueError(str(exc))
    err.kind = type(exc).__name__
    exc.__traceback__ = exc.__context__ = None
    err._script_value = exc
    return err


def _codec(encoding, errors, what: str) -> None:
    for arg, name in ((encoding, "encoding"), (errors, "errors")):
        if not isinstance(arg, str):
            raise TorchTypeError(f"{what}() argument '{name}' must be str, not "
                                 f"{type(arg).__name__}")
    if encoding.lower() not in _CODECS:
        raise _codec_error(LookupError(f"unknown encoding: {encoding}"))
    if errors not in _CODEC_ERRORS:
        raise _codec_error(LookupError(f"unknown error handler name '{errors}'"))


def str_encode(s: str, encoding="utf-8", errors="strict") -> bytes:
    _codec(encoding, errors, "encode")
    from adcli.lang import pyformat

    pyformat.check_size(len(s) * 4)
    try:
        return s.encode(encoding, errors)
    except UnicodeError as exc:
        raise _codec_error(exc) from None


def bytes_decode(b: bytes, encoding="utf-8", errors="strict") -> str:
    _codec(encoding, errors, "decode")
    try:
        return b.decode(encoding, errors)
    except UnicodeError as exc:
        raise _codec_error(exc) from None


BYTES_METHODS = {name: native(name) for name in (
    "hex", "startswith", "endswith", "find", "count", "index", "isdigit", "isalpha",
    "isascii", "isspace", "upper", "lower", "strip", "lstrip", "rstrip")}
BYTES_METHODS["decode"] = method(bytes_decode, "decode")


def make_str_methods(hooks: Hooks = DEFAULT) -> dict:
    from adcli.lang.pylib.strformat import safe_format, safe_format_map

    def fmt(s, /, *args, **kwargs):
        return safe_format(s, args, kwargs, hooks)

    def fmt_map(s, mapping):
        return safe_format_map(s, mapping, hooks)

    table = {name: native(name) for name in (
        "strip", "lstrip", "rstrip", "upper", "lower", "title", "capitalize", "casefold",
        "swapcase", "startswith", "endswith", "find", "rfind", "index", "rindex", "count",
        "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isnumeric",
        "isdecimal", "isidentifier", "isprintable", "istitle", "isascii", "partition",
        "rpartition", "removeprefix", "removesuffix")}
    table.update({
        "join": method(str_join, "join"),
        "split": method(str_split, "split"),
        "rsplit": method(str_rsplit, "rsplit"),
        "splitlines": method(str_splitlines, "splitlines"),
        "replace": method(str_replace, "replace"),
        "ljust": method(_pad("ljust"), "ljust"),
        "rjust": method(_pad("rjust"), "rjust"),
        "center": method(_pad("center"), "center"),
        "zfill": method(str_zfill, "zfill"),
        "expandtabs": method(str_expandtabs, "expandtabs"),
        "translate": method(str_translate, "translate"),
        "maketrans": method(lambda _s, *args: str_maketrans(*args), "maketrans"),
        "format": method(fmt, "format"),
        "format_map": method(fmt_map, "format_map"),
        "encode": method(str_encode, "encode"),
    })
    return table


# ---- list --------------------------------------------------------------------------------
def _room(container, extra: int, what: str) -> None:
    check_objects(len(container) + extra, what)


def list_extend(lst: list, iterable) -> None:
    items = iterable if iterable is lst else bounded_list(iterable, "list.extend()")
    _room(lst, len(items), "list.extend()")
    lst.extend(items)


LIST_METHODS = {name: native(name) for name in (
    "append", "insert", "pop", "remove", "clear", "index", "count", "reverse", "copy")}
LIST_METHODS["extend"] = method(list_extend, "extend")
LIST_METHODS["sort"] = native("sort")
# the special methods behind indexing, len() and ``in``, called by name (a forward hook
# that stores into a dict: ``acts.__setitem__(name, out)``); a list's __setitem__ is
# left out, since a slice assignment through it would skip the size bound
LIST_METHODS.update({name: native(name) for name in (
    "__getitem__", "__len__", "__contains__")})

TUPLE_METHODS = {"index": native("index"), "count": native("count")}


# ---- dict --------------------------------------------------------------------------------
def _pairs_or_mapping(arg, what: str):
    """A mapping (anything with ``keys``) as is, else its pairs, bounded."""
    if isinstance(arg, dict):
        return arg
    return bounded_list(arg, what)


def dict_update(d: dict, /, *args, **kwargs) -> None:
    if len(args) > 1:
        raise TorchTypeError(f"update expected at most 1 argument, got {len(args)}")
    if args:
        src = _pairs_or_mapping(args[0], "dict.update()")
        _room(d, len(src), "dict.update()")
        d.update(src)
    if kwargs:
        d.update(kwargs)


def dict_fromkeys(cls, iterable, value=None):
    keys = bounded_list(iterable, "dict.fromkeys()")
    return cls.fromkeys(keys, value)


DICT_METHODS = {name: native(name) for name in (
    "keys", "values", "items", "get", "pop", "popitem", "setdefault", "clear", "copy")}
DICT_METHODS["update"] = method(dict_update, "update")
DICT_METHODS.update({name: native(name) for name in (
    "__getitem__", "__setitem__", "__delitem__", "__len__", "__contains__")})
DICT_METHODS["fromkeys"] = lambda d: (lambda it, v=None: dict_fromkeys(type(d), it, v))


# ---- set and frozenset -------------------------------------------------------------------
def _others(others, what: str) -> list:
    out = []
    for other in others:
        if isinstance(other, set | frozenset | dict):
            out.append(other)
        else:
            out.append(bounded_list(other, what))
    return out


def _set_op(name: str, grows: bool = False):
    fn = getattr(set, name)

    def op(s, *others):
        args = _others(others, f"set.{name}()")
        if grows:
            check_objects(len(s) + sum(len(a) for a in args), f"set.{name}()")
        return getattr(s, name)(*args) if hasattr(s, name) else fn(s, *args)

    op.__name__ = name
    return op


_SET_QUERIES = ("union", "intersection", "difference", "symmetric_difference", "issubset",
                "issuperset", "isdisjoint")
_SET_UPDATES = ("update", "intersection_update", "difference_update",
                "symmetric_difference_update")

FROZENSET_METHODS = {name: method(_set_op(name, name in ("union", "symmetric_difference")),
                                  name) for name in _SET_QUERIES}
FROZENSET_METHODS["copy"] = native("copy")
SET_METHODS = dict(FROZENSET_METHODS)
SET_METHODS.update({name: native(name) for name in ("add", "remove", "discard", "pop",
                                                       "clear", "copy")})
SET_METHODS.update({name: method(_set_op(name, name in ("update",
                                                          "symmetric_difference_update")),
                                 name) for name in _SET_UPDATES})

STR_METHODS = make_str_methods()

def _to_bytes(n: int):
    """``n.to_bytes(length=1, byteorder='big', *, signed=False)``, its length within the
    element bound (Python would allocate it before complaining)."""

    def to_bytes(length=1, byteorder="big", *, signed=False):
        if isinstance(length, int) and not isinstance(length, bool):
            bound = _limits.current().max_elements
            if bound and length > bound:
                raise LimitError(f"int.to_bytes: {length:,} bytes is over the limit of "
                                 f"{bound:,} (--max-elements / ADCLI_MAX_ELEMENTS)")
        try:
            return n.to_bytes(length, byteorder, signed=signed)
        except OverflowError as e:
            raise TorchOverflowError(str(e)) from None
        except (TypeError, ValueError) as e:
            raise (TorchTypeError if isinstance(e, TypeError) else TorchValueError)(
                str(e)) from None

    return to_bytes


def int_from_bytes(data, byteorder="big", *, signed=False) -> int:
    """``int.from_bytes``: within the integer-bits bound."""
    try:
        size = len(data)
    except TypeError:
        size = 0
    bits = _limits.current().max_int_bits
    if bits and size * 8 > bits:
        raise LimitError(f"int.from_bytes: {size * 8:,} bits is over the integer-bits "
                         f"limit of {bits:,} (ADCLI_MAX_INT_BITS)")
    try:
        return int.from_bytes(data, byteorder, signed=signed)
    except (TypeError, ValueError) as e:
        raise (TorchTypeError if isinstance(e, TypeError) else TorchValueError)(
            str(e)) from None


# numbers: their fields and the methods tutorials call ((3).real, x.is_integer())
INT_ATTRIBUTES = {"to_bytes": _to_bytes, "real": lambda n: n.real, "imag": lambda n: n.imag,
                  "numerator": lambda n: n.numerator, "denominator": lambda n: n.denominator,
                  "bit_length": native("bit_length"), "bit_count": native("bit_count"),
                  "conjugate": native("conjugate"),
                  "as_integer_ratio": native("as_integer_ratio")}
FLOAT_ATTRIBUTES = {"real": lambda x: x.real, "imag": lambda x: x.imag,
                    "is_integer": native("is_integer"), "conjugate": native("conjugate"),
                    "as_integer_ratio": native("as_integer_ratio"), "hex": native("hex")}
COMPLEX_ATTRIBUTES = {"real": lambda z: z.real, "imag": lambda z: z.imag,
                      "conjugate": native("conjugate")}

# slices and ranges: their fields, and slice.indices (what a __getitem__ uses for slices)
SLICE_ATTRIBUTES = {"start": lambda s: s.start, "stop": lambda s: s.stop,
                    "step": lambda s: s.step, "indices": native("indices")}
RANGE_ATTRIBUTES = {"start": lambda r: r.start, "stop": lambda r: r.stop,
                    "step": lambda r: r.step, "index": native("index"),
                    "count": native("count")}


# the special methods a script may take as a value (`key=scores.__getitem__`)
_SEQUENCE_DUNDERS = ("__getitem__", "__len__", "__contains__")
for _table in (LIST_METHODS, TUPLE_METHODS, DICT_METHODS):
    for _name in _SEQUENCE_DUNDERS:
        _table[_name] = native(_name)
for _table in (SET_METHODS, FROZENSET_METHODS):
    for _name in ("__len__", "__contains__"):
        _table[_name] = native(_name)


def make_method_tables(hooks: Hooks = DEFAULT) -> dict:
    """The method tables by exact type; ``str`` gets a ``format`` that resolves its fields
    through ``hooks``."""
    strs = make_str_methods(hooks)
    for name in _SEQUENCE_DUNDERS:
        strs[name] = native(name)
    return {str: strs, list: LIST_METHODS, tuple: TUPLE_METHODS,
            dict: DICT_METHODS, set: SET_METHODS, frozenset: FROZENSET_METHODS,
            slice: SLICE_ATTRIBUTES, range: RANGE_ATTRIBUTES, int: INT_ATTRIBUTES,
            bool: INT_ATTRIBUTES, float: FLOAT_ATTRIBUTES, complex: COMPLEX_ATTRIBUTES,
            bytes: BYTES_METHODS}


__all__ = ["STR_METHODS", "LIST_METHODS", "DICT_METHODS", "SET_METHODS", "FROZENSET_METHODS",
           "TUPLE_METHODS", "make_method_tables", "make_str_methods"]
