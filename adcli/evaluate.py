"""``adcli eval``: bind inputs, evaluate one expression, back-propagate, collect grads.

The command module only parses options and picks an output format; this module does the
work and returns an ``EvalResult`` that the renderers (plain, rich, JSON) read.
"""

from __future__ import annotations

import math
import os
import re

from adcli import limits as _limits
from adcli.engine.tensor import Tensor
from adcli.errors import AdcliError, LimitError, TorchRuntimeError, TorchValueError
from adcli.lang.interpreter import Session
from adcli.limits import Limits


class BindingError(Exception):
    """A -b option that cannot be used: bad syntax or an unreadable file (usage error)."""


class EvalResult:
    """The value of an expression, its graph and the grads of its inputs."""

    __slots__ = ("expr", "value", "inputs", "grads", "notes", "inspector")

    def __init__(self, expr: str, value, inputs: dict, grads: dict, note=None) -> None:
        self.expr = expr
        self.value = value
        self.inputs = inputs
        self.grads = grads
        self.notes = [note] if isinstance(note, str) else list(note or ())
        self.inspector = None  # set by eval --json (adcli/see/inspect.py)

    @property
    def note(self) -> str | None:
        """The notes, one a line, or None."""
        return "\n".join(self.notes) if self.notes else None

    @property
    def constants(self) -> list[str]:
        """The inputs that do not require grad (their grad is always None)."""
        return [n for n, t in self.inputs.items()
                if not (isinstance(t, Tensor) and t.requires_grad)]

    @property
    def grad_fn_name(self) -> str | None:
        fn = self.value.grad_fn if isinstance(self.value, Tensor) else None
        return fn.name() if fn is not None else None

    def to_json(self) -> dict:
        """The JSON object of SPEC §2."""
        value = self.value
        if isinstance(value, Tensor):
            data, shape, dtype = _plain(value.detach().tolist()), list(value.shape), \
                value.dtype.name if hasattr(value.dtype, "name") else str(value.dtype)
        else:
            data, shape, dtype = _plain(value), [], type(value).__name__
        doc = {
            "expr": self.expr,
            "value": data,
            "shape": shape,
            "dtype": dtype,
            "grad_fn": self.grad_fn_name,
            "grads": {
                name: (_plain(g.tolist()) if g is not None else None)
                for name, g in self.grads.items()
            },
        }
        if self.constants:  # only when some input does not require grad (null grads)
            doc["constants"] = self.constants
        if self.notes:
            doc["note"] = self.note
        return doc


def _plain(value):
    """Nested lists of numbers, with non-finite floats as the strings nan, inf, -inf."""
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (int, float, bool, str)) or value is None:
        return value
    return repr(value)


def split_binding(text: str) -> tuple[str, str]:
    """``NAME=VALUE`` into its parts, checking that NAME is a plain identifier."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier() or not name.isascii() or name.startswith("__"):
        raise BindingError(f"-b {text!r}: expected NAME=VALUE, such as -b 'x=ones(2,2)'")
    if not value.strip():
        raise BindingError(f"-b {text!r}: the value after '=' is empty")
    return name, value.strip()


def load_array_file(path: str):
    """A numpy array from ``.npy`` or ``.csv`` (for ``-b x=@file``), within the bounds.

    A ``.npy`` header is read first: the shape it claims is checked against the element
    bound, and the file against the size that shape needs, before any data is read. A
    ``.csv`` file is read only up to ``--max-input-bytes``, like source text.
    """
    import numpy as np

    if not os.path.isfile(path):
        raise BindingError(f"@{path}: no such file")
    try:
        if path.endswith(".npy"):
            arr = _load_npy(path)
        elif path.endswith(".csv"):
            size = os.path.getsize(path)
            bound = _limits.current().max_input_bytes
            if bound and size > bound:
                raise LimitError(
                    f"@{path}: the file is {size:,} bytes, over the limit of {bound:,} for a "
                    ".csv file (raise it with --max-input-bytes or ADCLI_MAX_INPUT_BYTES, or "
                    "save a big array as .npy)")
            arr = np.loadtxt(path, delimiter=",", dtype=np.float32, ndmin=1)
            _limits.check_elements(arr.size, arr.shape)
        else:
            raise BindingError(f"@{path}: only .npy and .csv files can be bound")
    except (BindingError, AdcliError):
        raise
    except (OSError, ValueError, EOFError) as exc:
        raise BindingError(f"@{path}: cannot read it: {exc}") from None
    if arr.dtype.kind not in "fiub":
        raise BindingError(f"@{path}: holds {arr.dtype}, not numbers")
    return arr


def _load_npy(path: str):
    """Read a .npy file's header, check it, then its data (``allow_pickle=False``)."""
    import numpy as np
    from numpy.lib import format as npy

    with open(path, "rb") as fp:
        version = npy.read_magic(fp)
        if version == (1, 0):
            shape, fortran_order, dtype = npy.read_array_header_1_0(fp)
        elif version == (2, 0):
            shape, fortran_order, dtype = npy.read_array_header_2_0(fp)
        else:
            raise BindingError(f"@{path}: .npy format version {version[0]}.{version[1]} is not "
                               "supported (save it with numpy.save)")
        if dtype.hasobject or dtype.kind not in "fiub" or dtype.subdtype is not None:
            raise BindingError(f"@{path}: holds {dtype}, not numbers")
        count = math.prod(shape)
        try:
            _limits.check_elements(count, shape)
        except LimitError as exc:
            raise LimitError(f"@{path}: {exc}") from None
        need = fp.tell() + count * dtype.itemsize
        size = os.fstat(fp.fileno()).st_size
        if size < need:
            raise BindingError(f"@{path}: the header says {count:,} elements of {dtype} "
                               f"({need:,} bytes with the header) but the file has only "
                               f"{size:,} bytes")
        fp.seek(0)
        arr = np.load(fp, allow_pickle=False)
    if not arr.dtype.isnative:
        arr = arr.astype(arr.dtype.newbyteorder("="))
    return arr


# What makes a binding a constant by its own words: ``requires_grad=False``,
# ``.requires_grad_(False)`` or ``detach``. Any other binding whose value is a floating
# tensor that does not require grad (a literal, ``ones(2)``, ``@file``) becomes a leaf that
# requires grad, as the inputs of a gradient usually are.
_SAYS_CONSTANT = re.compile(
    r"requires_grad\s*=\s*False\b"
    r"|requires_grad_\(\s*(?:requires_grad\s*=\s*)?False\s*\)"
    r"|\bdetach\s*\("
)


def says_constant(text: str) -> bool:
    """Whether a binding's text asks for a tensor that does not require grad."""
    return bool(_SAYS_CONSTANT.search(text))


def as_input(value, name: str, constant: bool = False) -> Tensor:
    """A bound value as a tensor; a floating one becomes a leaf that requires grad, unless
    ``constant`` (then one that requires grad is detached)."""
    from adcli.engine import api

    if not isinstance(value, Tensor):
        if isinstance(value, (int, float, bool, list, tuple)) or type(value).__module__ == "numpy":
            value = api.tensor(value)
        else:
            raise TorchValueError(f"-b {name}: the value is a {type(value).__name__}, not a tensor")
    if constant:
        return value.detach() if value.requires_grad else value
    if value.dtype.is_floating_point and not value.requires_grad:
        if value.is_leaf:
            value.requires_grad_(True)
        else:
            value = value.detach().requires_grad_(True)
    return value


def bind_input(session: Session, name: str, text: str, constant: bool = False) -> Tensor:
    """Evaluate one ``-b NAME=VALUE`` (an expression or @file) and bind it as an input:
    a constant when ``constant`` (``--const NAME``) or when its text says so
    (``says_constant``), else a floating value becomes a leaf that requires grad.

    An AdcliError carries the failing source in ``.source``; a bad file is BindingError.
    """
    try:
        if text.startswith("@"):
            from adcli.engine import api

            value = api.tensor(load_array_file(text[1:]))
        else:
            value = session.eval_expr(text)
            if not (isinstance(value, Tensor) and value.requires_grad):
                constant = constant or says_constant(text)
        value = as_input(value, name, constant)
    except AdcliError as exc:
        exc.source = (f"-b {name}", text)
        raise
    session.bind(name, value)
    return value


def integer_note(name: str, text: str, value) -> str | None:
    """Why an integer or bool input gets no grad, and what to bind instead; or None."""
    if not isinstance(value, Tensor) or value.dtype.is_floating_point or value.dtype.is_complex:
        return None
    dtype = value.dtype.name if hasattr(value.dtype, "name") else str(value.dtype)
    kind = "a bool" if dtype == "bool" else "an integer"
    what = "bools" if dtype == "bool" else "integers"
    if text.startswith("@"):
        instead = (f"save {text[1:]} with a floating-point dtype (numpy: "
                   f"np.save(path, a.astype('float32')))")
    else:
        instead = f"write -b '{name}={float_text(text)}' instead"
    return (f"{name} is {kind} tensor ({dtype}): {what} have no gradient, so {name} gets "
            f"none; to differentiate with respect to {name}, {instead}")


_INT_LITERAL = re.compile(r"(?<![\w.])(\d+)(?![\w.])")
_PLAIN_LITERAL = re.compile(r"(?:tensor\s*\()?[\d\s,\[\]()+\-]*")


def float_text(text: str) -> str:
    """``text`` with its integers as floats (``[1, 2]`` -> ``[1., 2.]``) when it is a plain
    literal, else ``(text).float()``."""
    stripped = text.strip()
    if _PLAIN_LITERAL.fullmatch(stripped) and _INT_LITERAL.search(stripped):
        return _INT_LITERAL.sub(r"\1.", stripped)
    if re.fullmatch(r"[\w.]+(?:\(.*\))?", stripped):
        return f"{stripped}.float()"
    return f"({stripped}).float()"


def evaluate(expr: str, bindings: list[tuple[str, str]], vjp: str | None = None,
             limits: Limits | None = None, constants=()) -> EvalResult:
    """Bind, evaluate, back-propagate. AdcliError carries the failing source in .source.

    ``constants`` names bindings to keep constant (``--const``): they never require grad.
    """
    session = Session(limits=limits, out=lambda s: None)
    constants = set(constants)
    inputs = {name: bind_input(session, name, text, name in constants)
              for name, text in bindings}
    notes = []
    for name, text in bindings:
        if name not in constants and inputs.get(name) is not None:
            found = integer_note(name, text, inputs[name])
            if found and found not in notes:
                notes.append(found)
    try:
        value = session.eval_expr(expr)
    except AdcliError as exc:
        exc.source = ("<expr>", expr)
        raise
    if isinstance(value, (bool, int, float)):
        from adcli.engine import api

        value = api.tensor(value)
    if isinstance(value, Tensor) and value.requires_grad:
        try:
            if vjp is not None:
                try:
                    seed = session.eval_expr(vjp)
                except AdcliError as exc:
                    exc.source = ("--vjp", vjp)
                    raise
                value.backward(_vjp_tensor(seed, value))
            elif value.numel() == 1:
                value.backward()
            else:
                dims = ", ".join(map(str, value.shape))
                notes.append(
                    f"the result has shape {list(value.shape)}, not a scalar, so no grads "
                    f"were computed; to back-propagate a vector, pass one of that shape, "
                    f"e.g. --vjp 'ones({dims})'")
        except AdcliError as exc:
            if not hasattr(exc, "source"):
                exc.source = ("<expr>", expr)
            raise
    elif isinstance(value, Tensor) and not notes:  # (an integer input's note says why)
        notes.append("the result does not require grad (no input that requires grad "
                     "reaches it): no grads")
    grads = {name: (t.grad if t.requires_grad else None) for name, t in inputs.items()}
    return EvalResult(expr, value, inputs, grads, notes)


def _vjp_tensor(seed, value: Tensor) -> Tensor:
    from adcli.engine import api

    if not isinstance(seed, Tensor):
        seed = api.tensor(seed, dtype=value.dtype)
    if tuple(seed.shape) != tuple(value.shape):
        raise TorchRuntimeError(
            f"--vjp has shape {list(seed.shape)} but the result has shape "
            f"{list(value.shape)}; give a vector of the result's shape"
        )
    return seed


def grad_fn_tree(value, names: dict[int, str], max_nodes: int = 60):
    """The grad_fn graph below ``value`` as nested (label, children) pairs, iteratively.

    A node reached twice is shown once, then as "(shown above)". Leaves are labelled with
    the input's name. At most ``max_nodes`` nodes are expanded.
    """
    fn = value.grad_fn if isinstance(value, Tensor) else None
    if fn is None:
        return None
    root = [None, []]
    seen: set[int] = set()
    stack = [(fn, root[1])]
    shown = 0
    while stack:
        node, siblings = stack.pop()
        if node is None:
            continue
        label = node.name().rsplit("::", 1)[-1]  # torch::autograd::AccumulateGrad
        variable = getattr(node, "variable", None) if label == "AccumulateGrad" else None
        if variable is not None and id(variable) in names:
            label = f"{label} ({names[id(variable)]})"
        entry = [label, []]
        siblings.append(entry)
        children = [n for n, _ in node.next_functions if n is not None]
        if id(node) in seen:
            if children:
                entry[0] += " (shown above)"
            continue
        seen.add(id(node))
        shown += 1
        if shown >= max_nodes:
            entry[1].append(["…", []])
            continue
        for child in reversed(children):
            stack.append((child, entry[1]))
    # children were pushed reversed so they pop in order; siblings fill in pop order
    return root[1][0]
