"""The errors a user can cause, each named after the Python/PyTorch exception it mirrors.

Every error that adcli reports to a user is an ``AdcliError``. Its ``kind`` is the name
that PyTorch would give the same mistake (``RuntimeError``, ``TypeError``, ...), and is
what transcripts print as ``kind: message``. Each class also derives from the matching
builtin, so ``except RuntimeError`` catches ``TorchRuntimeError`` just as it would catch
torch's. Anything that is *not* an ``AdcliError`` escaping to the command line is an
internal bug, reported as such.
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
    kind = "KeyError"

    def __str__(self) -> str:
        return self.message


class TorchImportError(AdcliError, ImportError):
    kind = "ImportError"


class TorchNotImplementedError(AdcliError, NotImplementedError):
    kind = "NotImplementedError"


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
            return cls(str(exc))
    return None
