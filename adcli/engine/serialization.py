"""``torch.save`` and ``torch.load`` without a file system.

A program runs in a sandbox that touches no file, so a saved object is kept in memory
under its path for the rest of the run (the batch runner clears it between programs):
``torch.save(model.state_dict(), "model.pth")`` then ``torch.load("model.pth")`` works as
in a tutorial, and a path never saved is torch's FileNotFoundError. ``io.BytesIO`` works
too: ``torch.save(sd, buf)`` writes a few placeholder bytes at the buffer's position and
keeps the object with the buffer at that offset; after ``buf.seek(0)``, ``torch.load(buf)``
reads it back from there (at the end of the buffer it is torch's EOFError). Saving stores a
deep copy and loading returns a fresh one, as pickling would. ``torch.load`` keeps torch
2.13's ``weights_only=True`` default: tensors, numbers, strings and containers of them
load; a whole module needs ``weights_only=False``, or fails with torch's
UnpicklingError naming its class.
"""

from __future__ import annotations

import copy
from collections import OrderedDict

from adcli.engine.tensor import Tensor
from adcli.errors import AdcliError, TorchRuntimeError, TorchTypeError

_FILES: dict[str, object] = {}
# directories a program made (os.makedirs / os.mkdir in adcli/lang/pylib/osmod.py)
_DIRS: set[str] = set()
_PLAIN = (int, float, bool, str, bytes, complex, type(None))


class TorchFileNotFoundError(AdcliError, FileNotFoundError):
    kind = "FileNotFoundError"


class TorchEOFError(AdcliError, EOFError):
    kind = "EOFError"


# what torch.save writes into an io.BytesIO here: a zip archive's first bytes, then marks
_PLACEHOLDER = b"PK\x03\x04adcli-torch-save" + b"\x00" * 8


def _buffer(f):
    """``f`` when it is a script's ``io.BytesIO`` (adcli/lang/pylib/iomod.py), else None."""
    return f if getattr(type(f), "_kind", None) == "BytesIO" else None


def _save_to_buffer(obj, buf) -> None:
    start = buf.tell()
    buf.write(_PLACEHOLDER)
    buf._saved[start] = (buf.tell(), obj)


def _load_from_buffer(buf):
    start = buf.tell()
    entry = buf._saved.get(start)
    if entry is None:
        size = len(buf.getvalue())
        if start >= size:
            raise TorchEOFError("")
        raise TorchRuntimeError("PytorchStreamReader failed reading zip archive: failed "
                                "finding central directory")
    end, obj = entry
    buf.seek(end)
    return obj


class UnpicklingError(AdcliError):
    kind = "_pickle.UnpicklingError"
    script_class = True  # `except Exception as e` binds the error itself


def reset() -> None:
    """Forget every saved object (a new program starts with none)."""
    _FILES.clear()
    _DIRS.clear()


def store() -> tuple[dict, set]:
    """This program's in-memory file system: saved objects under the path they were saved
    to, and the directories it made (the ``os`` module of adcli/lang/pylib/osmod.py reads
    and updates both)."""
    return _FILES, _DIRS


def _key(f, fn: str) -> str:
    if isinstance(f, str):
        return f
    if hasattr(f, "__fspath__"):
        return str(f.__fspath__())
    raise TorchTypeError(f"{fn}(): adcli saves to a path (a str), not "
                         f"{type(f).__name__}: there is no file system in the sandbox")


def _copy(obj, memo: dict):
    """A deep copy: tensors cloned (requires_grad and Parameter kept), containers
    rebuilt, anything else through ``copy.deepcopy``."""
    if id(obj) in memo:
        return memo[id(obj)]
    if isinstance(obj, _PLAIN):
        return obj
    if isinstance(obj, Tensor):
        out = obj.__deepcopy__(memo)
    elif isinstance(obj, dict):
        out = type(obj)() if type(obj) in (dict, OrderedDict) else copy.copy(obj)
        out.clear()
        memo[id(obj)] = out
        if hasattr(obj, "_metadata"):  # a state_dict's module versions travel with it
            out._metadata = copy.deepcopy(obj._metadata)
        for k, v in obj.items():
            out[_copy(k, memo)] = _copy(v, memo)
        return out
    elif isinstance(obj, list):
        out = []
        memo[id(obj)] = out
        out.extend(_copy(v, memo) for v in obj)
        return out
    elif isinstance(obj, tuple) and type(obj) is tuple:
        out = tuple(_copy(v, memo) for v in obj)
    else:
        out = copy.deepcopy(obj, memo)
    memo[id(obj)] = out
    return out


def save(obj, f, pickle_module=None, pickle_protocol=2,
         _use_new_zipfile_serialization=True, _disable_byteorder_record=False) -> None:
    """``torch.save(obj, path)``: ``obj`` kept (a copy) under ``path`` for this run."""
    if _buffer(f) is not None:
        _save_to_buffer(_copy(obj, {}), f)
        return
    _FILES[_key(f, "save")] = _copy(obj, {})


def _first_global(obj, seen: set):
    """The first object a weights-only load would refuse (what torch names), or None."""
    if id(obj) in seen or isinstance(obj, _PLAIN) or isinstance(obj, Tensor):
        return None
    seen.add(id(obj))
    if isinstance(obj, dict):
        for k, v in obj.items():
            bad = _first_global(k, seen) or _first_global(v, seen)
            if bad is not None:
                return bad
        return None
    if type(obj) in (list, tuple, set):
        for v in obj:
            bad = _first_global(v, seen)
            if bad is not None:
                return bad
        return None
    return obj


# torch's module of each layer class (how torch names it: torch.nn.modules.linear.Linear)
_TORCH_MODULES = {
    "linear": ("Identity", "Linear", "Bilinear"),
    "activation": ("ReLU", "ReLU6", "SiLU", "Mish", "Hardtanh", "Softsign", "Tanhshrink",
                   "Sigmoid", "Tanh", "LogSigmoid", "LeakyReLU", "ELU", "GELU", "Softplus",
                   "Softmax", "LogSoftmax"),
    "dropout": ("Dropout", "Dropout1d", "Dropout2d"),
    "flatten": ("Flatten", "Unflatten"),
    "loss": ("MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "NLLLoss", "CrossEntropyLoss",
             "BCELoss", "BCEWithLogitsLoss", "KLDivLoss"),
    "conv": ("Conv1d", "Conv2d"),
    "pooling": ("MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool1d",
                "AdaptiveAvgPool2d"),
    "batchnorm": ("BatchNorm1d", "BatchNorm2d"),
    "normalization": ("LayerNorm",),
    "sparse": ("Embedding",),
    "container": ("Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict"),
    "rnn": ("RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell", "RNNBase", "RNNCellBase"),
    "module": ("Module",),
}
_QUALNAMES = {name: f"torch.nn.modules.{mod}.{name}"
              for mod, names in _TORCH_MODULES.items() for name in names}


def torch_qualname(cls: type) -> str:
    """The name torch's pickler gives a class: ``torch.nn.modules.linear.Linear``, a
    script's ``__main__.Net``."""
    if cls.__module__ == "__main__":
        return f"__main__.{cls.__qualname__}"
    if cls.__module__.startswith("adcli.engine.nn.") and cls.__name__ in _QUALNAMES:
        return _QUALNAMES[cls.__name__]
    return f"{cls.__module__}.{cls.__qualname__}"


def _global_name(obj) -> str:
    return torch_qualname(type(obj))


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """``torch.load(path)``: a fresh copy of what was saved under ``path``."""
    if _buffer(f) is not None:
        obj = _load_from_buffer(f)
    else:
        key = _key(f, "load")
        if key not in _FILES:
            raise TorchFileNotFoundError(f"[Errno 2] No such file or directory: '{key}'")
        obj = _FILES[key]
    if weights_only is None or weights_only:
        bad = _first_global(obj, set())
        if bad is not None:
            name = _global_name(bad)
            raise UnpicklingError(
                "Weights only load failed. This file can still be loaded, to do so you have "
                "two options, \x1b[1mdo those steps only if you trust the source of the "
                "checkpoint\x1b[0m. \n\t(1) In PyTorch 2.6, we changed the default value of "
                "the `weights_only` argument in `torch.load` from `False` to `True`. "
                "Re-running `torch.load` with `weights_only` set to `False` will likely "
                "succeed, but it can result in arbitrary code execution. Do it only if you "
                "got the file from a trusted source.\n\t(2) Alternatively, to load with "
                "`weights_only=True` please check the recommended steps in the following "
                "error message.\n\tWeightsUnpickler error: Unsupported global: GLOBAL "
                f"{name} was not an allowed global by default. Please use "
                f"`torch.serialization.add_safe_globals([{name}])` or the "
                f"`torch.serialization.safe_globals([{name}])` context manager to allowlist "
                "this global if you trust this class/function.\n\nCheck the documentation of "
                "torch.load to learn more about types accepted by default with weights_only "
                "https://pytorch.org/docs/stable/generated/torch.load.html.")
    return _copy(obj, {})
