"""``typing``: placeholders enough for annotations and ``from typing import ...``.

Each name prints as typing prints it (``typing.List[int]``, ``~T``) and can be
subscripted; none has any effect at run time (annotations are ignored).
"""

from __future__ import annotations


def _arg_repr(arg) -> str:
    from adcli.lang.pylib._common import PyType

    if isinstance(arg, PyType):
        name = arg._name
        return "None" if name == "NoneType" else name
    if arg is None:
        return "None"
    if isinstance(arg, list):
        return "[" + ", ".join(_arg_repr(a) for a in arg) + "]"
    if arg is Ellipsis:
        return "..."
    return repr(arg)


class Alias:
    """``typing.List``, ``typing.List[int]``, ``list[int]``, ``Optional[int]``."""

    __slots__ = ("_name", "_args", "_plain")

    def __init__(self, name: str, args=None, plain: bool = False) -> None:
        self._name, self._plain = name, plain
        self._args = None if args is None else (args if isinstance(args, tuple) else (args,))

    def __getitem__(self, args):
        return Alias(self._name, args, self._plain)

    def __call__(self, *args, **kwargs):
        from adcli.errors import TorchTypeError

        raise TorchTypeError(f"Type {self!r} cannot be instantiated")

    def __or__(self, other):
        return Alias("Union", (self, other))

    __ror__ = __or__

    def __repr__(self) -> str:
        head = self._name if self._plain else f"typing.{self._name}"
        if self._args is None:
            return head
        if self._name == "Optional" and not self._plain:
            return f"typing.Optional[{_arg_repr(self._args[0])}]"
        return f"{head}[{', '.join(_arg_repr(a) for a in self._args)}]"

    def __eq__(self, other) -> bool:
        return (isinstance(other, Alias) and (self._name, self._args, self._plain)
                == (other._name, other._args, other._plain))

    def __hash__(self) -> int:
        return hash((self._name, self._plain))

    def __mro_entries__(self, bases):  # class Foo(Generic[T]): nothing to inherit
        return ()


class TypeVar:
    __slots__ = ("_name",)

    def __init__(self, name, *constraints, bound=None, covariant=False,
                 contravariant=False) -> None:
        if not isinstance(name, str):
            from adcli.errors import TorchTypeError

            raise TorchTypeError("TypeVar name must be a string")
        self._name = name

    def __repr__(self) -> str:
        return f"~{self._name}"


NAMES = ("List", "Dict", "Tuple", "Set", "FrozenSet", "Optional", "Union", "Any",
         "Callable", "Iterable", "Iterator", "Sequence", "Mapping", "MutableMapping",
         "MutableSequence", "Generator", "Type", "Generic", "Literal", "ClassVar", "Final",
         "Protocol", "NoReturn", "Deque", "DefaultDict", "Counter", "OrderedDict",
         "Hashable", "Sized", "Collection", "Container", "AbstractSet", "Awaitable",
         "Coroutine", "AsyncIterator", "NamedTuple", "TypedDict", "Annotated")


def _typevar(name, *constraints, **kwargs):
    return TypeVar(name, *constraints, **kwargs)


def make_table() -> dict:
    from adcli.lang.pylib._common import PyType

    table = {name: Alias(name) for name in NAMES}
    table.update(
        TypeVar=PyType(TypeVar, "typing.TypeVar", _typevar),
        cast=lambda typ, val: val,
        overload=lambda f: f,
        no_type_check=lambda f: f,
        final=lambda f: f,
        TYPE_CHECKING=False,
    )
    return table
