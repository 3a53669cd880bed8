"""``contextlib``: ``contextmanager`` (a script generator as a ``with`` manager),
``suppress`` and ``nullcontext``.

The interpreter's ``with`` enters these through ``enter()`` and leaves through
``leave(exc)`` (see ``interpreter._enter``): ``exc`` is the error the block raised (an
``AdcliError``), thrown into the generator at its ``yield`` so that the script's own
``try``/``except``/``finally`` around the ``yield`` see it. A bound (``LimitError``) or
an internal error is never thrown in: the generator is left where it stopped.
"""

from __future__ import annotations

import functools

from adcli.errors import AdcliError, TorchRuntimeError, TorchTypeError


def _catchable(exc) -> bool:
    from adcli.lang.functions import catchable

    return catchable(exc)


class GeneratorContextManager:
    """What a ``@contextmanager`` function returns."""

    __slots__ = ("_gen",)

    def __init__(self, gen) -> None:
        self._gen = gen

    def enter(self):
        try:
            return next(self._gen)
        except StopIteration:
            raise TorchRuntimeError("generator didn't yield") from None

    def leave(self, exc) -> bool:
        """Resume the generator after the block; True when it swallowed ``exc``."""
        if exc is not None and not isinstance(exc, AdcliError):
            exc = None  # break, continue, return: a normal exit for the manager
        if exc is not None and not _catchable(exc):
            return False
        if exc is None:
            try:
                next(self._gen)
            except StopIteration:
                return False
            raise TorchRuntimeError("generator didn't stop")
        try:
            self._gen.throw(exc)
        except StopIteration:
            return True
        except AdcliError as raised:
            if raised is exc:
                return False
            raise
        raise TorchRuntimeError("generator didn't stop after throw()")

    def __repr__(self) -> str:
        return f"<contextlib._GeneratorContextManager object at 0x{id(self):x}>"


def contextmanager(func):
    from adcli.lang.functions import Function, Generator

    if not callable(func):
        raise TorchTypeError(f"'{type(func).__name__}' object is not callable")

    def helper(*args, **kwargs):
        gen = func(*args, **kwargs)
        if not isinstance(gen, Generator):
            raise TorchTypeError("'@contextmanager' needs a generator function (a def "
                                 "with yield)")
        return GeneratorContextManager(gen)

    if isinstance(func, Function):
        functools.update_wrapper(helper, func, assigned=("__name__", "__qualname__",
                                                         "__doc__"), updated=())
    return helper


class suppress:  # noqa: N801 - Python's name
    """``with suppress(KeyError): ...``: the block's error of those classes ends it."""

    __slots__ = ("_classes",)

    def __init__(self, *exceptions) -> None:
        self._classes = exceptions

    def enter(self):
        return None

    def leave(self, exc) -> bool:
        if exc is None or not isinstance(exc, AdcliError) or not _catchable(exc):
            return False
        from adcli.lang.functions import exception_value

        return isinstance(exception_value(exc), self._classes)

    def __repr__(self) -> str:
        return f"<contextlib.suppress object at 0x{id(self):x}>"


class nullcontext:  # noqa: N801 - Python's name
    """``with nullcontext(value) as v``: ``v`` is ``value``; nothing else happens."""

    __slots__ = ("_value",)

    def __init__(self, enter_result=None) -> None:
        self._value = enter_result

    def enter(self):
        return self._value

    def leave(self, exc) -> bool:
        return False

    def __repr__(self) -> str:
        return f"<contextlib.nullcontext object at 0x{id(self):x}>"


MANAGERS = (GeneratorContextManager, suppress, nullcontext)


def make_table() -> dict:
    from adcli.lang.pylib._common import PyType

    return {"contextmanager": contextmanager,
            "suppress": PyType(suppress, "contextlib.suppress", suppress),
            "nullcontext": PyType(nullcontext, "contextlib.nullcontext", nullcontext)}
