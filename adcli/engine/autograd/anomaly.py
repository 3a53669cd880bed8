"""Anomaly detection: ``torch.autograd.detect_anomaly`` and ``set_detect_anomaly``.

While it is on, every statement the program starts is logged with the statements that
called it (``sites``, with stacks), so that a backward node that fails can name the
forward call that made it. In a backward pass (``engine.run_backward``):

- with ``check_nan``, a node whose backward gives a gradient with a nan raises torch's
  ``Function 'SqrtBackward0' returned nan values in its 0th output.``;
- any error raised while a node runs (that one, a saved tensor modified in place, a hook's
  error) is preceded by torch's UserWarning ``Error detected in SqrtBackward0. Traceback
  of forward call that caused the error:`` and the user's frames, as Python's traceback
  prints them (torch's own frames are left out).

Off, it costs the engine one check per backward pass (``graph._ANOMALY[0]``).
"""

from __future__ import annotations

import sys

import numpy as np

from adcli.engine.autograd import sites
from adcli.engine.autograd.graph import _ANOMALY, graph_clock
from adcli.errors import AdcliError, LimitError, TorchRuntimeError, TorchTypeError

ENABLED_WARNING = ("Anomaly Detection has been enabled. This mode will increase the runtime "
                   "and should only be enabled for debugging.")
_TRIGGERED = " (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/" \
             "python_anomaly_mode.cpp:{}.)"
# [start clock, end clock or None]: when anomaly mode was on (a node made outside these has
# no forward information, as in torch)
_PERIODS: list = []
_MAX_PERIODS = 256


def is_anomaly_enabled() -> bool:
    """``torch.is_anomaly_enabled()``."""
    return _ANOMALY[0]


def is_anomaly_check_nan_enabled() -> bool:
    """``torch.is_anomaly_check_nan_enabled()``."""
    return _ANOMALY[1]


def _bool(value, arg: str, position: int) -> bool:
    if type(value) is not bool:
        raise TorchTypeError(f"set_anomaly_enabled(): argument '{arg}' (position {position}) "
                             f"must be bool, not {type(value).__name__}")
    return value


def set_anomaly_enabled(enabled, check_nan=True) -> None:
    """``torch.set_anomaly_enabled(enabled, check_nan=True)``."""
    _bool(enabled, "enabled", 1)
    _bool(check_nan, "check_nan", 2)
    was = _ANOMALY[0]
    _ANOMALY[0], _ANOMALY[1] = enabled, check_nan
    if enabled and not was:
        sites.acquire(stacks=True)
        _PERIODS.append([graph_clock(), None])
        if len(_PERIODS) > _MAX_PERIODS:
            del _PERIODS[:_MAX_PERIODS // 2]
    elif was and not enabled:
        sites.release(stacks=True)
        if _PERIODS and _PERIODS[-1][1] is None:
            _PERIODS[-1][1] = graph_clock()


def reset() -> None:
    """Anomaly mode off, as in a fresh process (between programs)."""
    if _ANOMALY[0]:
        set_anomaly_enabled(False)
    _ANOMALY[1] = True
    _PERIODS.clear()


class detect_anomaly:  # noqa: N801 - torch's name
    """``with torch.autograd.detect_anomaly(check_nan=True):`` anomaly mode on inside."""

    __adcli_public__ = frozenset()
    __module__ = "torch.autograd.anomaly_mode"

    def __init__(self, check_nan=True) -> None:
        self.prev = _ANOMALY[0]
        self.check_nan = check_nan
        self.prev_check_nan = _ANOMALY[1]
        _warn(ENABLED_WARNING)

    def __enter__(self) -> None:
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *args) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)

    def __repr__(self) -> str:
        return f"<torch.autograd.anomaly_mode.detect_anomaly object at {hex(id(self))}>"


class set_detect_anomaly:  # noqa: N801 - torch's name
    """``torch.autograd.set_detect_anomaly(mode, check_nan=True)``: sets anomaly mode now;
    as a context manager, restores the previous mode on exit."""

    __adcli_public__ = frozenset()
    __module__ = "torch.autograd.anomaly_mode"

    def __init__(self, mode, check_nan=True) -> None:
        self.prev = _ANOMALY[0]
        self.prev_check_nan = _ANOMALY[1]
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *args) -> None:
        set_anomaly_enabled(self.prev, self.prev_check_nan)

    def __repr__(self) -> str:
        return f"<torch.autograd.anomaly_mode.set_detect_anomaly object at {hex(id(self))}>"


MEMBERS = {"detect_anomaly": detect_anomaly, "set_detect_anomaly": set_detect_anomaly}


# ---- in a backward pass -------------------------------------------------------------------
class Watch:
    """The engine's observer during a pass in anomaly mode with check_nan: checks what each
    node's backward gave, and passes every event on to the observer it wraps."""

    __slots__ = ("inner", "needed")

    def __init__(self, inner, needed) -> None:
        self.inner, self.needed = inner, needed

    def started(self, roots, grads, create) -> None:
        if self.inner is not None:
            self.inner.started(roots, grads, create)

    def ran(self, node, g, grads_in) -> None:
        if self.inner is not None:
            self.inner.ran(node, g, grads_in)
        check_nan(node, grads_in, self.needed)

    def passed(self, node, edge, given, conformed) -> None:
        if self.inner is not None:
            self.inner.passed(node, edge, given, conformed)

    def leaf(self, tensor, g) -> None:
        if self.inner is not None:
            self.inner.leaf(tensor, g)

    def finished(self) -> None:
        if self.inner is not None:
            self.inner.finished()


def check_nan(node, grads_in, needed=None) -> None:
    """Raise torch's error if a gradient ``node`` gives an input it passes on has a nan."""
    for i, (e, gi) in enumerate(zip(node._next, grads_in)):
        if gi is None or e is None or (needed is not None and e not in needed):
            continue
        data = gi if type(gi) is np.ndarray else getattr(gi, "_data", gi)
        if getattr(data, "dtype", None) is not None and data.dtype.kind in "fc" and \
                np.isnan(data).any():
            raise TorchRuntimeError(
                f"Function '{node.name()}' returned nan values in its {i}th output.")


def failed(node, exc, name: str | None = None) -> None:
    """An error ``exc`` was raised while ``node`` ran (or, with ``name``, while the leaf
    gradient it passed was handled): warn with the forward call that made the node."""
    if not isinstance(exc, AdcliError) or isinstance(exc, LimitError) or node is None:
        return
    if exc.__dict__.get("_anomaly_reported"):
        return
    exc.__dict__["_anomaly_reported"] = True
    _warn(error_message(node, name))


def error_message(node, name: str | None = None) -> str:
    """torch's ``Error detected in NAME. ...`` for a failure in ``node``."""
    name = name or node.name()
    stack = sites.stack_of(node) if _recorded(node) else None
    if not stack:
        return (f"Error detected in {name}. No forward pass information available. Enable "
                "detect anomaly during forward pass for more information."
                + _TRIGGERED.format(100))
    return (f"Error detected in {name}. Traceback of forward call that caused the error:\n"
            + format_stack(stack) + _TRIGGERED.format(122))


def format_stack(stack, program=None) -> str:
    """Python's traceback lines for ``stack`` (``(line, col, function)``, outermost first)
    in the running program: ``  File "NAME", line N, in f`` and the stripped line."""
    filename, lines = program or sites.program() or ("<string>", [])
    out = ""
    for line, _col, function in stack:
        out += f'  File "{filename}", line {line}, in {function}\n'
        if isinstance(line, int) and 1 <= line <= len(lines):
            text = lines[line - 1].strip()
            if text:
                out += f"    {text}\n"
    return out


def _recorded(node) -> bool:
    """Whether ``node`` was made while anomaly mode was on."""
    seq = getattr(node, "_seq", None)
    if seq is None:
        return False
    return any(start <= seq and (end is None or seq < end) for start, end in _PERIODS)


def _warn(message: str) -> None:
    """A torch UserWarning through the engine's current hook (``tensor.warn``: the running
    program's warnings filters and printer). The core imports nothing above it, so the
    module is looked up when a warning is due."""
    tensor = sys.modules.get("adcli.engine.tensor")
    if tensor is not None:
        tensor.warn(message)
    else:  # pragma: no cover - the Tensor module is always loaded with the engine
        sys.stderr.write(f"UserWarning: {message}\n")
