"""The callbacks through which the runtime library reaches the interpreter.

The library never resolves a name with Python's ``getattr``: attribute access in
``getattr``/``hasattr``/``setattr`` and in ``str.format`` fields goes through
``get_attribute`` (the interpreter's allow-list). The defaults here allow nothing,
so a library built without the interpreter's hooks is closed, not open.
"""

from __future__ import annotations

import builtins

from adcli.errors import TorchAttributeError, TorchTypeError


def _no_attribute(obj, name: str):
    from adcli.lang.pylib._common import type_name

    raise TorchAttributeError(f"'{type_name(obj)}' object has no attribute '{name}'")


def _no_set_attribute(obj, name: str, value) -> None:
    from adcli.lang.pylib._common import type_name

    raise TorchAttributeError(f"'{type_name(obj)}' object has no attribute '{name}'")


_SUBSCRIPTABLE = (list, tuple, dict, str, range)


def _get_item(obj, key):
    if isinstance(obj, _SUBSCRIPTABLE):
        return obj[key]
    from adcli.lang.pylib._common import type_name

    raise TorchTypeError(f"'{type_name(obj)}' object is not subscriptable")


class Hooks:
    """What the interpreter passes to ``make_runtime``. Every field has a closed default.

    - ``get_attribute(obj, name)``: ``obj.name`` through the allow-list; raises an
      AttributeError (``TorchAttributeError``) when not allowed.
    - ``set_attribute(obj, name, value)``: ``obj.name = value`` through the allow-list.
    - ``get_item(obj, key)``: ``obj[key]`` as the interpreter does it (user
      ``__getitem__`` included).
    - ``to_str(obj)`` / ``to_repr(obj)``: ``str``/``repr`` with user ``__str__``/``__repr__``.
    - ``format_value(obj, spec)``: ``format(obj, spec)`` (a tensor as torch formats it, a
      user ``__format__``); the spec has passed ``pyformat.check_spec`` already.
    - ``instancecheck(obj, cls)`` / ``subclasscheck(sub, cls)``: for a ``cls`` that is
      neither a ``PyType`` nor a tuple (a user class): a bool, or NotImplemented when
      ``cls`` is not a class at all.
    - ``type_of(obj)``: the class object of a user instance, or None for any other value.
    - ``deepcopy_instance(obj, deepcopy, memo)``: a deep copy of a user instance (or of
      an engine object a script may copy: a module, an optimizer), entered in ``memo``
      before its fields are copied with ``deepcopy(child)``; None when ``obj`` is not one.
    - ``copy_instance(obj)``: a shallow copy of a user instance, or None.
    """

    __slots__ = ("get_attribute", "set_attribute", "get_item", "to_str", "to_repr",
                 "format_value", "instancecheck", "subclasscheck", "type_of",
                 "deepcopy_instance", "copy_instance")

    def __init__(self, get_attribute=None, set_attribute=None, get_item=None, to_str=None,
                 to_repr=None, format_value=None, instancecheck=None, subclasscheck=None,
                 type_of=None, deepcopy_instance=None, copy_instance=None) -> None:
        self.get_attribute = get_attribute or _no_attribute
        self.set_attribute = set_attribute or _no_set_attribute
        self.get_item = get_item or _get_item
        self.to_str = to_str or builtins.str
        self.to_repr = to_repr or builtins.repr
        self.format_value = format_value or builtins.format
        self.instancecheck = instancecheck or (lambda obj, cls: NotImplemented)
        self.subclasscheck = subclasscheck or (lambda sub, cls: NotImplemented)
        self.type_of = type_of or (lambda obj: None)
        self.deepcopy_instance = deepcopy_instance or (lambda obj, deepcopy, memo: None)
        self.copy_instance = copy_instance or (lambda obj: None)


DEFAULT = Hooks()
