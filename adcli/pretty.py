"""How Jupyter shows a notebook cell's value (``Out[n]``): IPython's pretty printer.

IPython's ``text/plain`` formatter (``IPython.lib.pretty.RepresentationPrinter``, 79
columns, at most 1000 items a container) is written again here, without IPython: the
same Wadler-style printer (text, breakable separators and nested groups, the
outermost group that does not fit broken first), and the same choice of printer for a
value, walking its class's MRO:

- ``None``, ``True``, ``False``, ``...``, numbers, strings, bytes, ranges, slices:
  their ``repr``;
- ``list``, ``tuple`` (a 1-tuple as ``(x,)``), ``dict`` (in insertion order), ``set``
  and ``frozenset`` (sorted when their items sort, else by ``str``, unsorted when that
  fails too; ``set()`` / ``frozenset()`` when empty): items wrap, one a line, when the
  group does not fit; more than 1000 items end with ``...``; a container met again
  inside itself shows as ``[...]``, ``(...)`` or ``{...}``;
- ``Counter``, ``deque``, ``defaultdict``, ``OrderedDict``: IPython's constructor-call
  forms (``Counter({...})`` by most common, ``deque([...], maxlen=n)``,
  ``defaultdict(int, {...})``, ``OrderedDict([(k, v), ...])``);
- classes: ``int``, ``__main__.Name``; a script's functions:
  ``<function __main__.f(x, y=2)>``; exceptions: ``ValueError('x')``;
- any other value whose class (or a base) defines ``__repr__`` (tensors, arrays,
  namedtuples, dataclasses): its ``repr``, each line of it a forced line break (which
  breaks every group around it, as in IPython);
- an instance of a script class without ``__repr__``: ``<__main__.Name at 0x...>``.

adcli's own stand-ins for Python objects (its functions and type objects, ``super``)
are recognised by their module and class name, so this module imports nothing of adcli.

The work is bounded: at most ``MAX_NODES`` values are visited and ``MAX_DEPTH`` levels
of nesting followed, and the text stops growing at ``MAX_CHARS``; past a bound a value
shows as ``...`` (IPython itself has no bound there: it would fail or take very long).
"""

from __future__ import annotations

import types
from collections import deque
from io import StringIO

__all__ = ["pretty", "MAX_SEQ_LENGTH", "MAX_WIDTH"]

MAX_WIDTH = 79
MAX_SEQ_LENGTH = 1000
MAX_NODES = 200_000
MAX_DEPTH = 150
MAX_CHARS = 8_000_000

_BUILTIN_MODULES = (None, "__builtin__", "builtins", "exceptions")


def pretty(obj, max_width: int = MAX_WIDTH, max_seq_length: int = MAX_SEQ_LENGTH) -> str:
    """The text IPython's ``pretty(obj)`` (Jupyter's ``Out[n]``) shows for ``obj``."""
    stream = StringIO()
    printer = _Printer(stream, max_width, max_seq_length)
    printer.pretty(obj)
    printer.flush()
    return stream.getvalue()


def _safe_getattr(obj, attr, default=None):
    try:
        return getattr(obj, attr, default)
    except Exception:  # noqa: BLE001 -- as IPython: any failure reads as absent
        return default


def _sorted_for_pprint(items):
    items = list(items)
    try:
        return sorted(items)
    except Exception:  # noqa: BLE001
        try:
            return sorted(items, key=str)
        except Exception:  # noqa: BLE001
            return items


# ---- the layout engine (IPython's PrettyPrinter) --------------------------------------
class _Text:
    __slots__ = ("objs", "width")

    def __init__(self) -> None:
        self.objs: list[str] = []
        self.width = 0

    def output(self, stream, output_width: int) -> int:
        for obj in self.objs:
            stream.write(obj)
        return output_width + self.width

    def add(self, obj: str, width: int) -> None:
        self.objs.append(obj)
        self.width += width


class _Breakable:
    __slots__ = ("obj", "width", "pretty", "indentation", "group")

    def __init__(self, seq: str, width: int, pretty) -> None:
        self.obj = seq
        self.width = width
        self.pretty = pretty
        self.indentation = pretty.indentation
        self.group = pretty.group_stack[-1]
        self.group.breakables.append(self)

    def output(self, stream, output_width: int) -> int:
        self.group.breakables.popleft()
        if self.group.want_break:
            stream.write("\n")
            stream.write(" " * self.indentation)
            return self.indentation
        if not self.group.breakables:
            self.pretty.group_queue.remove(self.group)
        stream.write(self.obj)
        return output_width + self.width


class _Group:
    __slots__ = ("depth", "breakables", "want_break")

    def __init__(self, depth: int) -> None:
        self.depth = depth
        self.breakables: deque = deque()
        self.want_break = False


class _GroupQueue:
    def __init__(self, *groups) -> None:
        self.queue: list[list] = []
        for group in groups:
            self.enq(group)

    def enq(self, group) -> None:
        depth = group.depth
        while depth > len(self.queue) - 1:
            self.queue.append([])
        self.queue[depth].append(group)

    def deq(self):
        for stack in self.queue:
            # IPython deletes at the index counted from the END (its own quirk: the
            # group broken is the last with breakables, the one deleted may be another)
            for idx, group in enumerate(reversed(stack)):
                if group.breakables:
                    del stack[idx]
                    group.want_break = True
                    return group
            for group in stack:
                group.want_break = True
            del stack[:]
        return None

    def remove(self, group) -> None:
        try:
            self.queue[group.depth].remove(group)
        except ValueError:
            pass


class _Stream:
    """The output, counting what was written (for ``MAX_CHARS``)."""

    def __init__(self, out) -> None:
        self.out = out
        self.written = 0

    def write(self, text: str) -> None:
        self.written += len(text)
        self.out.write(text)


class _Printer:
    def __init__(self, output, max_width: int, max_seq_length: int) -> None:
        self.output = _Stream(output)
        self.max_width = max_width
        self.max_seq_length = max_seq_length
        self.output_width = 0
        self.buffer_width = 0
        self.buffer: deque = deque()
        root = _Group(0)
        self.group_stack = [root]
        self.group_queue = _GroupQueue(root)
        self.indentation = 0
        self.stack: list[int] = []
        self.nodes = 0
        self.exhausted = False

    # -- PrettyPrinter
    def _break_one_group(self, group) -> None:
        while group.breakables:
            x = self.buffer.popleft()
            self.output_width = x.output(self.output, self.output_width)
            self.buffer_width -= x.width
        while self.buffer and isinstance(self.buffer[0], _Text):
            x = self.buffer.popleft()
            self.output_width = x.output(self.output, self.output_width)
            self.buffer_width -= x.width

    def _break_outer_groups(self) -> None:
        while self.max_width < self.output_width + self.buffer_width:
            group = self.group_queue.deq()
            if not group:
                return
            self._break_one_group(group)

    def text(self, obj: str) -> None:
        width = len(obj)
        if self.buffer:
            text = self.buffer[-1]
            if not isinstance(text, _Text):
                text = _Text()
                self.buffer.append(text)
            text.add(obj, width)
            self.buffer_width += width
            self._break_outer_groups()
        else:
            self.output.write(obj)
            self.output_width += width

    def breakable(self, sep: str = " ") -> None:
        width = len(sep)
        group = self.group_stack[-1]
        if group.want_break:
            self.flush()
            self.output.write("\n")
            self.output.write(" " * self.indentation)
            self.output_width = self.indentation
            self.buffer_width = 0
        else:
            self.buffer.append(_Breakable(sep, width, self))
            self.buffer_width += width
            self._break_outer_groups()

    def break_(self) -> None:
        group = self.group_queue.deq()
        if group:
            self._break_one_group(group)
        self.flush()
        self.output.write("\n")
        self.output.write(" " * self.indentation)
        self.output_width = self.indentation
        self.buffer_width = 0

    def begin_group(self, indent: int = 0, open: str = "") -> None:  # noqa: A002
        if open:
            self.text(open)
        group = _Group(self.group_stack[-1].depth + 1)
        self.group_stack.append(group)
        self.group_queue.enq(group)
        self.indentation += indent

    def end_group(self, dedent: int = 0, close: str = "") -> None:
        self.indentation -= dedent
        group = self.group_stack.pop()
        if not group.breakables:
            self.group_queue.remove(group)
        if close:
            self.text(close)

    def _enumerate(self, seq):
        for idx, x in enumerate(seq):
            if self.max_seq_length and idx >= self.max_seq_length:
                self.text(",")
                self.breakable()
                self.text("...")
                return
            yield idx, x

    def flush(self) -> None:
        for data in self.buffer:
            self.output_width += data.output(self.output, self.output_width)
        self.buffer.clear()
        self.buffer_width = 0

    # -- RepresentationPrinter
    def _over_bounds(self) -> bool:
        if not self.exhausted:
            self.nodes += 1
            if (self.nodes > MAX_NODES or len(self.stack) >= MAX_DEPTH
                    or self.output.written + self.buffer_width > MAX_CHARS):
                self.exhausted = len(self.stack) < MAX_DEPTH  # depth alone is local
                return True
            return False
        return True

    def pretty(self, obj) -> None:
        if self._over_bounds():
            self.text("...")
            return
        obj_id = id(obj)
        cycle = obj_id in self.stack
        self.stack.append(obj_id)
        self.begin_group()
        try:
            _printer_for(obj)(obj, self, cycle)
        finally:
            self.end_group()
            self.stack.pop()


# ---- choosing a printer ------------------------------------------------------------------
def _printer_for(obj):
    if obj is None or obj is True or obj is False or obj is Ellipsis or obj is NotImplemented:
        return _repr_pprint
    cls = _safe_getattr(obj, "__class__", None) or type(obj)
    try:
        mro = cls.__mro__
    except AttributeError:
        mro = (cls,)
    for klass in mro:
        printer = _TYPE_PPRINTERS.get(klass)
        if printer is not None:
            return printer
        key = (_safe_getattr(klass, "__module__", None), _safe_getattr(klass, "__name__", None))
        printer = _DEFERRED_PPRINTERS.get(key)
        if printer is not None:
            return printer
        if klass is not object and "__repr__" in _safe_getattr(klass, "__dict__", {}) \
                and callable(_safe_getattr(klass, "__repr__", None)):
            return _repr_pprint
    return _default_pprint


def _repr_pprint(obj, p, cycle) -> None:
    """The value's ``repr``; each newline in it a forced break."""
    lines = repr(obj).splitlines()
    p.begin_group()
    for idx, line in enumerate(lines):
        if idx:
            p.break_()
        p.text(line)
    p.end_group()


def _default_pprint(obj, p, cycle) -> None:
    klass = _safe_getattr(obj, "__class__", None) or type(obj)
    if _safe_getattr(klass, "__repr__", None) is not object.__repr__:
        _repr_pprint(obj, p, cycle)
        return
    p.begin_group(1, "<")
    p.pretty(klass)
    p.text(f" at 0x{id(obj):x}")
    if cycle:
        p.text(" ...")
    p.end_group(1, ">")


def _seq_pprinter_factory(start: str, end: str):
    def inner(obj, p, cycle) -> None:
        if cycle:
            p.text(start + "..." + end)
            return
        step = len(start)
        p.begin_group(step, start)
        for idx, x in p._enumerate(obj):
            if idx:
                p.text(",")
                p.breakable()
            p.pretty(x)
        if len(obj) == 1 and isinstance(obj, tuple):
            p.text(",")
        p.end_group(step, end)
    return inner


def _set_pprinter_factory(start: str, end: str):
    def inner(obj, p, cycle) -> None:
        if cycle:
            p.text(start + "..." + end)
            return
        if len(obj) == 0:
            p.text(type(obj).__name__ + "()")
            return
        step = len(start)
        p.begin_group(step, start)
        if not (p.max_seq_length and len(obj) >= p.max_seq_length):
            items = _sorted_for_pprint(obj)
        else:
            items = obj
        for idx, x in p._enumerate(items):
            if idx:
                p.text(",")
                p.breakable()
            p.pretty(x)
        p.end_group(step, end)
    return inner


def _dict_pprinter_factory(start: str, end: str):
    def inner(obj, p, cycle) -> None:
        if cycle:
            p.text("{...}")
            return
        step = len(start)
        p.begin_group(step, start)
        for idx, key in p._enumerate(obj.keys()):
            if idx:
                p.text(",")
                p.breakable()
            p.pretty(key)
            p.text(": ")
            p.pretty(obj[key])
        p.end_group(step, end)
    return inner


class _RawText:
    def __init__(self, value: str) -> None:
        self.value = value


def _raw_text_pprint(obj, p, cycle) -> None:
    p.text(obj.value)


class _Call:
    """IPython's ``CallExpression``: ``name(arg, ..., key=value)``, wrapping."""

    def __init__(self, name: str, *args, **kwargs) -> None:
        self.name = name
        self.args = args
        self.kwargs = kwargs


def _call_pprint(obj, p, cycle) -> None:
    started = False

    def new_item() -> None:
        nonlocal started
        if started:
            p.text(",")
            p.breakable()
        started = True

    prefix = obj.name + "("
    p.begin_group(len(prefix), prefix)
    for arg in obj.args:
        new_item()
        p.pretty(arg)
    for arg_name, arg in obj.kwargs.items():
        new_item()
        arg_prefix = arg_name + "="
        p.begin_group(len(arg_prefix), arg_prefix)
        p.pretty(arg)
        p.end_group(len(arg_prefix))
    p.end_group(len(prefix), ")")


def _type_name(obj) -> str:
    mod = _safe_getattr(obj, "__module__", None)
    name = _safe_getattr(obj, "__qualname__", None)
    if not isinstance(name, str):
        name = _safe_getattr(obj, "__name__", None)
        if not isinstance(name, str):
            name = "<unknown type>"
    if mod in _BUILTIN_MODULES or not isinstance(mod, str):
        return name
    return mod + "." + name


def _type_pprint(obj, p, cycle) -> None:
    """A class: ``int``, ``__main__.Name`` (its ``repr`` when its metaclass has one)."""
    metas = [m for m in _safe_getattr(type(obj), "__mro__", ()) if "__repr__" in vars(m)]
    if metas[:1] != [type]:
        _repr_pprint(obj, p, cycle)
        return
    p.text(_type_name(obj))


def _pytype_pprint(obj, p, cycle) -> None:
    """adcli's type object for a builtin (``PyType``): named as Python's class is."""
    cls = _safe_getattr(obj, "_cls", None)
    if isinstance(cls, type):
        _type_pprint(cls, p, cycle)
    else:
        _repr_pprint(obj, p, cycle)


def _host_function_pprint(obj, p, cycle) -> None:
    """A host function stands for a builtin of the sandbox; its ``repr`` is kept."""
    _repr_pprint(obj, p, cycle)


def _signature(fn) -> str:
    """``inspect.signature`` text of a script function: ``(a, /, b=2, *args, c, **kw)``."""
    positional = list(_safe_getattr(fn, "positional", None) or ())
    posonly = set(_safe_getattr(fn, "posonly", None) or ())
    defaults = _safe_getattr(fn, "defaults", None) or {}
    kwonly = list(_safe_getattr(fn, "kwonly", None) or ())
    kwdefaults = _safe_getattr(fn, "kwdefaults", None) or {}
    vararg = _safe_getattr(fn, "vararg", None)
    kwarg = _safe_getattr(fn, "kwarg", None)
    parts: list[str] = []

    def param(name, table) -> str:
        return f"{name}={table[name]!r}" if name in table else name

    seen_posonly = False
    for name in positional:
        if name in posonly:
            seen_posonly = True
        elif seen_posonly:
            parts.append("/")
            seen_posonly = False
        parts.append(param(name, defaults))
    if seen_posonly:
        parts.append("/")
    if vararg is not None:
        parts.append("*" + vararg)
    elif kwonly:
        parts.append("*")
    parts.extend(param(name, kwdefaults) for name in kwonly)
    if kwarg is not None:
        parts.append("**" + kwarg)
    return "(" + ", ".join(parts) + ")"


def _script_function_pprint(obj, p, cycle) -> None:
    """A script's function, as IPython shows a Python function: ``<function __main__.f(x)>``."""
    name = _safe_getattr(obj, "qualname", None) or _safe_getattr(obj, "name", "?")
    try:
        text = "__main__." + str(name) + _signature(obj)
    except Exception:  # noqa: BLE001 -- a default whose repr fails: the name alone
        text = "__main__." + str(name)
    p.text(f"<function {text}>")


def _exception_pprint(obj, p, cycle) -> None:
    cls = obj.__class__
    name = getattr(cls, "__qualname__", cls.__name__)
    if cls.__module__ not in ("exceptions", "builtins"):
        name = f"{cls.__module__}.{name}"
    p.pretty(_Call(name, *getattr(obj, "args", ())))


def _script_super_pprint(obj, p, cycle) -> None:
    p.begin_group(8, "<super: ")
    p.pretty(_safe_getattr(obj, "cls", None))
    p.text(",")
    p.breakable()
    p.pretty(_safe_getattr(obj, "obj", None))
    p.end_group(8, ">")


def _types_simplenamespace_pprint(obj, p, cycle) -> None:
    if cycle:
        p.pretty(_Call("namespace", _RawText("...")))
    else:
        p.pretty(_Call("namespace", **obj.__dict__))


def _defaultdict_pprint(obj, p, cycle) -> None:
    name = obj.__class__.__name__
    if cycle:
        p.pretty(_Call(name, _RawText("...")))
    else:
        p.pretty(_Call(name, obj.default_factory, dict(obj)))


def _ordereddict_pprint(obj, p, cycle) -> None:
    name = obj.__class__.__name__
    if cycle:
        p.pretty(_Call(name, _RawText("...")))
    elif len(obj):
        p.pretty(_Call(name, list(obj.items())))
    else:
        p.pretty(_Call(name))


def _deque_pprint(obj, p, cycle) -> None:
    name = obj.__class__.__name__
    if cycle:
        p.pretty(_Call(name, _RawText("...")))
    elif obj.maxlen is not None:
        p.pretty(_Call(name, list(obj), maxlen=obj.maxlen))
    else:
        p.pretty(_Call(name, list(obj)))


def _counter_pprint(obj, p, cycle) -> None:
    name = obj.__class__.__name__
    if cycle:
        p.pretty(_Call(name, _RawText("...")))
    elif len(obj):
        p.pretty(_Call(name, dict(obj.most_common())))
    else:
        p.pretty(_Call(name))


def _userlist_pprint(obj, p, cycle) -> None:
    name = obj.__class__.__name__
    if cycle:
        p.pretty(_Call(name, _RawText("...")))
    else:
        p.pretty(_Call(name, obj.data))


_TYPE_PPRINTERS: dict = {
    int: _repr_pprint,
    float: _repr_pprint,
    str: _repr_pprint,
    tuple: _seq_pprinter_factory("(", ")"),
    list: _seq_pprinter_factory("[", "]"),
    dict: _dict_pprinter_factory("{", "}"),
    set: _set_pprinter_factory("{", "}"),
    frozenset: _set_pprinter_factory("frozenset({", "})"),
    type: _type_pprint,
    types.FunctionType: _host_function_pprint,
    types.BuiltinFunctionType: _host_function_pprint,
    types.MethodType: _repr_pprint,
    types.SimpleNamespace: _types_simplenamespace_pprint,
    types.MappingProxyType: _dict_pprinter_factory("mappingproxy({", "})"),
    slice: _repr_pprint,
    range: _repr_pprint,
    bytes: _repr_pprint,
    BaseException: _exception_pprint,
    _RawText: _raw_text_pprint,
    _Call: _call_pprint,
}

# by (module, class name), as IPython's for_type_by_name: nothing here is imported
_DEFERRED_PPRINTERS: dict = {
    ("collections", "defaultdict"): _defaultdict_pprint,
    ("collections", "OrderedDict"): _ordereddict_pprint,
    ("collections", "deque"): _deque_pprint,
    ("collections", "Counter"): _counter_pprint,
    ("collections", "UserList"): _userlist_pprint,
    ("adcli.lang.functions", "Function"): _script_function_pprint,
    ("adcli.lang.pylib._common", "PyType"): _pytype_pprint,
    ("adcli.lang.classes", "ScriptSuper"): _script_super_pprint,
}
