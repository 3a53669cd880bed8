"""The errors a user can cause, each named after the Python/PyTorch exception it mirrors.

Every error that adcli reports to a user is an ``AdcliError``. Its ``kind`` is the name
that PyTorch would give the same mistake (``RuntimeError``, ``TypeError``, ...), and is
what transcripts print as ``kind: message``. Each class also derives from the matching
builtin, so ``except RuntimeError`` catches ``TorchRuntimeError`` just as it would catch
torch's. Anything that is *not* an ``AdcliError`` escaping to the command line is an
internal bug, reported as such.

Which other exceptions count as a user's mistake (``adcli_error_for``, applied by the
interpreter to whatever a call or an operator raises):

- only the exact builtin types ``RuntimeError``, ``TypeError``, ``ValueError``,
  ``IndexError``, ``ZeroDivisionError``, ``OverflowError`` and ``KeyError``, which Python
  and numpy raise when a script's own value is wrong (``int('x')``, ``[1][5]``, ``1 / 0``,
  ``len(5)``, the truth value of an array), map to the AdcliError of the same name;
- subclasses of those (numpy's ``UFuncTypeError``, ``AxisError``,
  ``DTypePromotionError``, ...) and every other type (``AttributeError``,
  ``AssertionError``, ``NameError``, ``StopIteration``, ``NotImplementedError``) are *not*
  mapped: where a script can cause one, the code that handles the script's value checks
  it first or catches that one exception and raises an AdcliError naming the argument
  (``vjp``'s ``v``, numpy's type errors in ``lang/operators.py``, a grad_fn attribute
  only some grad_fns have in ``lang/names.py``). Anywhere else it is a bug in adcli and
  stays an internal error, so that a broken invariant is never passed off as a mistake;
- ``RecursionError`` and ``MemoryError`` become ``LimitError`` (in the interpreter's
  ``_locate``), which keeps the original in ``.original`` so that tests can tell a bound
  that held from one that held only because Python ran out of stack or memory.

``tests/hardening/test_type_confusion.py`` drives every name of the tables with values
of the wrong type and fails on anything that would break these rules.
"""

from __future__ import annotations


class AdcliError(Exception):
    """Base of every user-facing error. ``pos`` is (line, column), 1-based, when known."""

    kind = "Error"

    def __init__(self, message: str, *, pos: tuple[int, int] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos

    def __str__(self) -> str:
        return self.message


class TorchRuntimeError(AdcliError, RuntimeError):
    kind = "RuntimeError"


class TorchTypeError(AdcliError, TypeError):
    kind = "TypeError"


class TorchValueError(AdcliError, ValueError):
    kind = "ValueError"


class TorchIndexError(AdcliError, IndexError):
    kind = "IndexError"


class TorchZeroDivisionError(AdcliError, ZeroDivisionError):
    kind = "ZeroDivisionError"


class TorchOverflowError(AdcliError, OverflowError):
    kind = "OverflowError"


class TorchNameError(AdcliError, NameError):
    kind = "NameError"


class TorchAttributeError(AdcliError, AttributeError):
    kind = "AttributeError"


class TorchKeyError(AdcliError, KeyError):
    """A KeyError: ``message`` is its argument (the key, or torch's text), and ``str``
    is what CPython's ``str(KeyError(arg))`` gives, the argument's ``repr``, so that an
    uncaught one ends in ``KeyError: 'buffer name can\'t contain "."'`` as in Python. A
    builtin KeyError wrapped by ``adcli_error_for`` shows its own ``str`` (its key may
    be any object: ``KeyError: 3``, ``KeyError: (1, 'a')``)."""

    kind = "KeyError"

    def __str__(self) -> str:
        value = self.__dict__.get("_script_value")
        if isinstance(value, KeyError):
            return str(value)
        return repr(self.message) if self.message else ""


class TorchImportError(AdcliError, ImportError):
    kind = "ImportError"


class TorchModuleNotFoundError(TorchImportError, ModuleNotFoundError):
    kind = "ModuleNotFoundError"


class TorchNotImplementedError(AdcliError, NotImplementedError):
    kind = "NotImplementedError"


class TorchAssertionError(AdcliError, AssertionError):
    """An ``assert`` inside torch failed (torch.cuda on a CPU build, TensorDataset sizes)."""

    kind = "AssertionError"


class AdcliSyntaxError(AdcliError, SyntaxError):
    """A parse error: the text is not in the language."""

    kind = "SyntaxError"

    def __str__(self) -> str:
        return self.message


class LimitError(AdcliError):
    """A resource bound was hit (elements, steps, graph nodes, depth, input size, time)."""

    kind = "LimitError"


# Python exceptions that numpy/builtins raise for a user's mistake, mapped to ours.
_BUILTIN_TO_ADCLI: dict[type, type[AdcliError]] = {
    RuntimeError: TorchRuntimeError,
    TypeError: TorchTypeError,
    ValueError: TorchValueError,
    IndexError: TorchIndexError,
    ZeroDivisionError: TorchZeroDivisionError,
    OverflowError: TorchOverflowError,
    KeyError: TorchKeyError,
}


def adcli_error_for(exc: BaseException) -> AdcliError | None:
    """Wrap a builtin exception of a user-mistake type as the matching ``AdcliError``."""
    if isinstance(exc, AdcliError):
        return exc
    for base, cls in _BUILTIN_TO_ADCLI.items():
        if type(exc) is base:
            wrapped = cls(str(exc))
            # what a script's ``except ... as e`` binds: a fresh copy, without traceback
            wrapped._script_value = base(*exc.args)
            return wrapped
    return None
