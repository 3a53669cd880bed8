"""Tensor repr, character for character as PyTorch 2.13 prints a CPU tensor.

The rules follow ``torch/_tensor_str.py``:

* Floating tensors are printed in one of three modes, chosen from the nonzero
  finite values only: *integer* mode (every such value is a whole number:
  ``1.``, ``-0.``, ``27.``), *scientific* mode (largest/smallest magnitude
  ratio above 1000, or largest above 1e8, or smallest below 1e-4:
  ``5.1200e+01``) or *fixed* mode (``4.5000``).  A tensor with no nonzero finite
  value prints in integer mode.
* Every element is right-aligned to one column width: the longest string among
  the nonzero finite values (floats) or among all values (integers, bools).
  Zeros, ``nan`` and ``inf`` do not widen the column and are never cut.
* Above ``threshold`` elements the tensor is summarised: along each dimension
  longer than ``2 * edgeitems`` only the first and last ``edgeitems`` entries
  are printed, with ``...`` between them; the column width is taken from the
  printed entries only.  With ``edgeitems=0`` a summarised tensor prints as
  ``[...]``, and every non-empty tensor gets a ``size=`` suffix.
* Rows wrap so that ``indent + k * (width + 2) <= linewidth``.
* Suffixes (``size=``, ``dtype=``, ``grad_fn=`` / ``requires_grad=True``) are
  appended in that order, each on a new line when it would pass ``linewidth``.
  ``dtype=`` is left out for float32, int64 and bool, except that an empty
  tensor shows every dtype but float32; an empty tensor that is not 1-d shows
  its ``size=``.

Only numpy is imported; a 2x2 tensor formats in a few microseconds.
"""

import numpy as np

__all__ = [
    "PRINT_OPTS",
    "PrintOptions",
    "format_tensor",
    "get_printoptions",
    "printoptions",
    "set_printoptions",
]

# dtype name -> kind: "f" floating, "i" integer, "b" bool.
_KINDS = {
    "float32": "f",
    "float64": "f",
    "float16": "f",
    "int64": "i",
    "int32": "i",
    "int16": "i",
    "int8": "i",
    "uint8": "i",
    "uint16": "i",
    "uint32": "i",
    "uint64": "i",
    "bool": "b",
}

# dtypes whose non-empty tensors print without a ``dtype=`` suffix (the default
# float dtype, int64 and bool).  Empty tensors omit it only for float32.
_NO_DTYPE_SUFFIX = {"float32", "int64", "bool"}
_DEFAULT_FLOAT = ["float32"]


def set_default_float_name(name: str) -> None:
    """torch.set_default_dtype: the float dtype that prints without ``dtype=``."""
    _NO_DTYPE_SUFFIX.discard(_DEFAULT_FLOAT[0])
    _DEFAULT_FLOAT[0] = name
    _NO_DTYPE_SUFFIX.add(name)

_PREFIX = "tensor("
_INDENT = len(_PREFIX)


class PrintOptions:
    """The mutable print settings, as ``torch._tensor_str.PRINT_OPTS``."""

    __slots__ = ("edgeitems", "linewidth", "precision", "sci_mode", "threshold")
    _FIELDS = ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")  # torch's order

    def __init__(self, precision=4, threshold=1000, edgeitems=3, linewidth=80, sci_mode=None):
        self.precision = precision
        self.threshold = threshold
        self.edgeitems = edgeitems
        self.linewidth = linewidth
        self.sci_mode = sci_mode

    def as_dict(self):
        return {name: getattr(self, name) for name in self._FIELDS}

    def __repr__(self):
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._FIELDS)
        return f"PrintOptions({fields})"


PRINT_OPTS = PrintOptions()

_PROFILES = {
    "default": (4, 1000, 3, 80),
    "short": (2, 1000, 2, 80),
    "full": (4, float("inf"), 3, 80),
}


def set_printoptions(
    precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None
):
    """Change the print settings, with ``torch.set_printoptions``'s semantics.

    A profile ("default", "short" or "full") is applied first, then each option
    that is not None.  As in PyTorch, ``sci_mode`` is always assigned, so a
    call that omits it returns scientific notation to automatic.
    """
    if profile is not None:
        preset = _PROFILES.get(profile)
        if preset is not None:
            (
                PRINT_OPTS.precision,
                PRINT_OPTS.threshold,
                PRINT_OPTS.edgeitems,
                PRINT_OPTS.linewidth,
            ) = preset
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions():
    """The current settings as a dict that ``set_printoptions(**d)`` accepts."""
    return PRINT_OPTS.as_dict()


class printoptions:
    """``with printoptions(precision=2): ...`` sets options and restores them on exit.

    Lower-case, as ``torch._tensor_str.printoptions``; accepts ``set_printoptions``'s
    keywords.
    """

    __slots__ = ("_changes", "_saved")

    def __init__(self, **changes):
        self._changes = changes
        self._saved = None

    def __enter__(self):
        self._saved = PRINT_OPTS.as_dict()
        set_printoptions(**self._changes)
        return PRINT_OPTS

    def __exit__(self, exc_type, exc, tb):
        set_printoptions(**self._saved)
        return False


# ---------------------------------------------------------------------------
# formatting


def _element_strings(flat, kind, opts):
    """Format every printed value; return (strings, column width)."""
    if kind == "b":
        strs = ["True" if v else "False" for v in flat]
        return strs, max(map(len, strs))
    if kind == "i":
        strs = list(map(str, flat))
        return strs, max(map(len, strs))

    # Floating: the magnitudes of the nonzero finite values pick the mode.
    # (``v - v == 0.0`` holds exactly for finite v; nan is truthy, zeros are not.)
    mags = [abs(v) for v in flat if v and v - v == 0.0]
    if not mags:
        # No nonzero finite value: integer mode whatever sci_mode says.
        sci = False
        integral = True
    else:
        integral = all(a.is_integer() for a in mags)
        if opts.sci_mode is None:
            hi = max(mags)
            lo = min(mags)
            # hi and lo are tested before the ratio so that it cannot overflow.
            sci = hi > 1.0e8 or lo < 1.0e-4 or hi / lo > 1000.0
        else:
            sci = bool(opts.sci_mode)

    if sci or not integral:
        spec = f".{opts.precision}{'e' if sci else 'f'}"
        strs = [format(v, spec) for v in flat]
    else:
        # Integer mode: finite values get a trailing "." to show the float dtype.
        strs = [format(v, ".0f") + "." if v - v == 0.0 else format(v, ".0f") for v in flat]
    if len(mags) == len(flat):  # every value counts towards the width
        return strs, max(map(len, strs))
    width = 1
    for v, s in zip(flat, strs):
        if v and v - v == 0.0 and len(s) > width:
            width = len(s)
    return strs, width


def _nest(strs, shape, cut, edge, axis, start, indent, per_line):
    """Lay out the block of ``strs`` that begins at ``start`` for dimension ``axis``."""
    n = shape[axis]
    if axis == len(shape) - 1:
        items = strs[start : start + n]
        if cut[axis]:
            items.insert(edge, " ...")
        if len(items) <= per_line:
            return "[" + ", ".join(items) + "]"
        lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
    stride = 1
    for m in shape[axis + 1 :]:
        stride *= m
    parts = [
        _nest(strs, shape, cut, edge, axis + 1, start + i * stride, indent + 1, per_line)
        for i in range(n)
    ]
    if cut[axis]:
        parts.insert(edge, "...")
    sep = "," + "\n" * (len(shape) - axis - 1) + " " * (indent + 1)
    return "[" + sep.join(parts) + "]"


def _body(data, kind, opts):
    """The bracketed contents of a non-empty tensor."""
    ndim = data.ndim
    summarize = data.size > opts.threshold
    edge = opts.edgeitems
    if ndim == 0:
        strs, _ = _element_strings([data.item()], kind, opts)
        return strs[0]
    if summarize and not edge:
        return "[...]"

    shown = data
    cut = [False] * ndim
    if summarize:
        for axis, n in enumerate(data.shape):
            if n > 2 * edge:
                keep = list(range(edge)) + list(range(n - edge, n))
                shown = shown.take(keep, axis=axis)
                cut[axis] = True

    strs, width = _element_strings(shown.ravel().tolist(), kind, opts)
    strs = [s.rjust(width) for s in strs]
    indent = _INDENT + ndim - 1  # indentation at the innermost dimension
    per_line = max(1, int((opts.linewidth - indent) // (width + 2)))
    return _nest(strs, shown.shape, cut, edge, 0, 0, _INDENT, per_line)


def format_tensor(data, dtype_name, *, requires_grad=False, grad_fn=None):
    """What torch prints for repr(t) / str(t) of a CPU tensor with these contents.

    ``data`` is a numpy array (0-d for scalars) holding the values; ``dtype_name``
    is torch's dtype name without the ``torch.`` prefix ("float32", "int64",
    "bool", ...).  ``grad_fn`` is the class name of the tensor's grad_fn
    ("MulBackward0"); when given, ``requires_grad`` is not printed.
    """
    kind = _KINDS.get(dtype_name)
    if kind is None:
        raise ValueError(f"format_tensor: unsupported dtype {dtype_name!r}")
    data = np.asarray(data)
    if data.dtype.name != dtype_name:
        data = data.astype(dtype_name)
    opts = PRINT_OPTS

    suffixes = []
    if data.size == 0:
        # Explicit shape unless 1-d; dtype for anything but the default float.
        if data.ndim != 1:
            suffixes.append(f"size={data.shape}")
        if dtype_name != _DEFAULT_FLOAT[0]:
            suffixes.append("dtype=torch." + dtype_name)
        body = "[]"
    else:
        if not opts.edgeitems:
            suffixes.append(f"size={data.shape}")
        if dtype_name not in _NO_DTYPE_SUFFIX:
            suffixes.append("dtype=torch." + dtype_name)
        body = _body(data, kind, opts)

    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")

    text = _PREFIX + body
    if not suffixes:
        return text + ")"
    pieces = [text]
    linewidth = opts.linewidth
    # PyTorch measures the current line as its length + 2 (the bracket and comma).
    line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if line_len + len(suffix) + 2 > linewidth:
            pieces.append(",\n" + " " * _INDENT + suffix)
            line_len = _INDENT + len(suffix)
        else:
            pieces.append(", " + suffix)
            line_len += len(suffix) + 2
    pieces.append(")")
    return "".join(pieces)
