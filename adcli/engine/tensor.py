"""Tensor, grad mode, version counters, graph nodes and the iterative backward engine.

A ``Tensor`` wraps a numpy array. Every differentiable op is a ``Node`` subclass in
``ops/``, named exactly as PyTorch's grad_fn class (``MulBackward0``); ``Node.record``
links a new node to its inputs and saves what its backward reads. ``run_backward`` walks
the graph without recursion. Backward formulas run on numpy arrays (``backends.NP``), or on
Tensors (``backends.TS``) when ``create_graph=True`` so that the backward pass is recorded.
"""

from __future__ import annotations

import heapq
import sys
import warnings
from itertools import count
from weakref import ref

import numpy as np

from adcli.engine import dtypes as dt
from adcli.engine import shape as _shape
from adcli.engine.devices import CPU as _CPU
from adcli.engine.devices import device
from adcli.engine.shape import Size, norm_dim, unbroadcast
from adcli.errors import LimitError, TorchRuntimeError, TorchTypeError, TorchValueError

# The engine owns numpy's floating-point error policy: torch gives inf/nan silently.
np.seterr(all="ignore")
warnings.filterwarnings("ignore", r".* encountered in ", RuntimeWarning)

_ndarray = np.ndarray
_new = object.__new__
_BY_NP = dt.BY_NP
_GRAD = [True]  # grad mode; a list so every module reads the live value cheaply
_INFERENCE = [False]  # inference mode: tensors made in it are inference tensors
INFERENCE_SAVED = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead "
    "of `torch.inference_mode()`.")
# Backward formulas are being recorded (create_graph): the explicit context in which a
# Python number operand is a Scalar, as in torch's C++ formulas (t * 2 records MulBackward1;
# a script's t * 2 records MulBackward0). run_backward sets it; hooks run without it.
_FORMULA = [False]
_seq = count()
# Forward-mode AD (engine/forward_ad.py): None while no dual level is active, else that
# level, through whose ``run(cls, raw, args)`` every op passes so that its output gets a
# tangent. The one check an op pays when no level is active is ``_FWD[0] is not None``.
_FWD = [None]


# ---- the layers above the core -----------------------------------------------------------
# The core calls back into what is built on it: the array backends of backward formulas,
# and the ops that copy a gradient or make a row. It
# imports none of them: engine/__init__ hands them over once, through connect().
_clone = _row = _fresh_copy = _NUMPY = _GRAPH = None


def connect(*, clone, row, fresh_copy, numpy_backend, graph_backend) -> None:
    """Give the core the parts above it that it calls (done once, by engine/__init__)."""
    global _clone, _row, _fresh_copy, _NUMPY, _GRAPH
    _clone, _row, _fresh_copy = clone, row, fresh_copy
    _NUMPY, _GRAPH = numpy_backend, graph_backend


class _Layout:
    def __repr__(self) -> str:
        return "torch.strided"


strided = _Layout()  # torch.strided: the one layout here


def graph_clock() -> int:
    """A number that grows by one with every graph node recorded (and with every call).

    Sessions read it before and after running code to bound the nodes a program records.
    """
    return next(_seq)


def _check_python_objects(count: int, what: str) -> None:
    """Refuse to turn ``count`` elements into Python objects (about ten times the memory
    of a float32 tensor) beyond a tenth of the element bound."""
    from adcli.limits import current

    bound = current().max_elements // 10
    if bound and count > bound:
        raise LimitError(
            f"{what} of {count:,} elements would build that many Python objects, over the "
            f"limit of {bound:,} (a tenth of --max-elements / ADCLI_MAX_ELEMENTS)"
        )


def check_tensor_count(count: int, what: str) -> None:
    """Refuse one call that would make ``count`` tensors (each a Python object with a view
    and a graph node: about a hundred float32 elements' memory) beyond a hundredth of the
    element bound: ``split(x, 1)`` or ``unbind`` of a long tensor."""
    from adcli.limits import current

    bound = current().max_elements // 100
    if bound and count > bound:
        raise LimitError(
            f"{what} would make {count:,} tensors, over the limit of {bound:,} (a hundredth of "
            "--max-elements / ADCLI_MAX_ELEMENTS, since each costs about a hundred elements)"
        )


def as_tensor_list(x, fn: str, what: str) -> list:
    """A Tensor, or a list or tuple of them, as a list: torch's ``Sequence[Tensor] or
    Tensor``. Anything else (a range, a zip, a string) is a TypeError, never iterated."""
    if isinstance(x, Tensor):
        return [x]
    if not isinstance(x, list | tuple):
        raise TorchTypeError(f"{fn}(): {what} must be a Tensor or a sequence of Tensors, "
                             f"not {type(x).__name__}")
    return list(x)


NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information."
)


def emit_warning(message: str) -> None:
    """Report a torch UserWarning. The interpreter may replace this hook."""
    sys.stderr.write(f"UserWarning: {message}\n")


def warn(message: str) -> None:
    """Emit a warning through the current hook (other modules call this one)."""
    emit_warning(message)


def is_grad_enabled() -> bool:
    return _GRAD[0]


def is_inference_mode_enabled() -> bool:
    return _INFERENCE[0]


def set_inference_mode(mode: bool) -> bool:
    """Set inference mode (which also turns grad mode off), returning the previous one."""
    prev = _INFERENCE[0]
    _INFERENCE[0] = bool(mode)
    return prev


def set_grad_mode(mode: bool) -> bool:
    """Set grad mode, returning the previous one."""
    prev = _GRAD[0]
    _GRAD[0] = bool(mode)
    return prev


# ----------------------------------------------------------------------------- nodes

FREED = ("freed",)  # the marker left in a node's saved slot after backward released it
_NONES = tuple((None,) * n for n in range(64))

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


class Node:
    """A grad_fn: one op application in the graph.

    Subclasses declare what their backward reads: ``saves`` has one letter per input
    ("x": always saved, "o": saved when another input needs a gradient, "-": never), and
    ``saves_result`` saves the output. ``frees`` names extra array attributes that are
    released with them. ``backward(F, g, *saved)`` returns one gradient per input (None
    where not needed); ``F`` is the numpy or the Tensor backend.
    """

    saves = ""
    saves_result = False
    frees: tuple[str, ...] = ()
    # per-instance state, set by record(): _next (edges: Node, leaf Tensor or None), _seq,
    # _shape and _dtype of the output; _saved (arrays for the numpy backend) and _saved_t
    # (the Tensors, for the Tensor backend and the version check)
    _saved = None
    _saved_t = None
    _vers = None  # the saved tensors' versions when saved; None when all were 0
    _outbox = None  # with saves_result: the output's version counter, and its version
    _outver = 0
    _retain = None  # retain_grad(): a weak reference to the tensor that keeps the gradient
    _hooks = None  # register_hook() on the tensor this node made: {key: hook}
    _pre = False  # True where _retain or _hooks is set: work before the node runs
    # True where backward gives each input's gradient in that input's shape and dtype, so
    # the engine need not check (ops with an elementwise fast path; record() clears it,
    # since the general path may broadcast)
    _exact = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # per input: 0 never saved, 1 always, 2 when another input needs a gradient
        plan = tuple({"x": 1, "o": 2}.get(c, 0) for c in cls.saves)
        cls._plan = plan if any(plan) or cls.saves_result or cls.frees else None
        # whether backward must call release() rather than just drop _saved
        cls._releases = bool(cls.frees) or "release" in cls.__dict__
        # forward AD: an entry point written outside ops/kinds.py (which check _FWD inline)
        # is wrapped so that it, too, passes through an active dual level
        for name in ("apply", "apply_indices"):
            fn = cls.__dict__.get(name)
            if isinstance(fn, classmethod | staticmethod) and \
                    "_FWD" not in fn.__func__.__code__.co_names:
                setattr(cls, name, _dual_aware(cls, fn))

    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    @property
    def next_functions(self) -> tuple:
        return tuple((_edge_node(e), 0) for e in self._next)

    @property
    def metadata(self) -> dict:
        return {}

    def backward(self, F, g, *saved):
        raise NotImplementedError

    def record(self, out: np.ndarray, inputs: tuple, edges: tuple, arrays=None) -> Tensor:
        """Make this node the grad_fn of a new output over ``out``: link it to the
        ``edges`` of its ``inputs`` (Tensors or Python numbers) and save what backward
        reads (``arrays``, when given, are the numpy forms of number inputs). Integer and
        bool outputs are not differentiable: they get no node."""
        if out.dtype.kind not in "fc":
            return _wrap(out)
        self._next = edges
        self._seq = next(_seq)
        self._shape = out.shape
        self._dtype = out.dtype
        if self._exact:
            self._exact = False
        t = _new(Tensor)
        t._data = out
        t._grad_fn = self
        t._rg = True
        if self._plan is not None:
            self._save(inputs, edges, out, t, arrays)
        return t

    def _save(self, inputs, edges, out, t, arrays) -> None:
        plan = self._plan
        if len(edges) == 2 and len(plan) == 2:
            pa, pb = plan
            a = inputs[0] if pa == 1 or (pa == 2 and edges[1] is not None) else None
            b = inputs[1] if pb == 1 or (pb == 2 and edges[0] is not None) else None
            kept = (a, b)
        elif len(edges) == 1 and len(plan) == 1:
            kept = (inputs[0] if plan[0] else None,)
        else:
            kept = tuple(
                None if i >= len(plan) or not plan[i] or (plan[i] == 2 and all(
                    e is None for j, e in enumerate(edges) if j != i)) else x
                for i, x in enumerate(inputs))
        saved = ()
        versioned = False
        for i, x in enumerate(kept):
            if type(x) is Tensor:
                if x._inf:
                    raise TorchRuntimeError(INFERENCE_SAVED)
                saved += (x._data,)
                versioned = versioned or x._ver is not None
            else:
                saved += (x if arrays is None or x is None else arrays[i],)
        if versioned:
            self._vers = tuple(_version_of(x) for x in kept)
        if self.saves_result:
            saved += (out,)
            kept += (None,)
            self._outbox = t._ver = [0]
        self._saved = saved
        self._saved_t = kept

    def check_versions(self) -> None:
        """Raise if a tensor saved for backward was modified in place since it was saved."""
        vers = self._vers
        now = [(_version_of(x), 0 if vers is None else vers[i])
               for i, x in enumerate(self._saved_t) if type(x) is Tensor]
        if self._outbox is not None:
            now.append((self._outbox[0], self._outver))
        tensors = [x for x in self._saved_t if type(x) is Tensor]
        if self._outbox is not None:
            tensors.append(None)  # the output, which this node made
        for (current, saved), x in zip(now, tensors):
            if current != saved:
                raise TorchRuntimeError(
                    "one of the variables needed for gradient computation has been modified "
                    f"by an inplace operation: {self._describe(x)} is at version {current}; "
                    f"expected version {saved} instead. Hint: enable anomaly detection to "
                    "find the operation that failed to compute its gradient, with "
                    "torch.autograd.set_detect_anomaly(True, check_nan=False)."
                )

    def _describe(self, x) -> str:
        """torch's words for a saved tensor: ``[torch.FloatTensor [2]], which is output 0
        of Exp,`` (the op that made it, for a saved output; else the tensor's grad_fn now)."""
        shape = self._shape if x is None else x._data.shape
        dtype = dt.BY_NP[self._dtype if x is None else x._data.dtype]
        node = self if x is None else x._grad_fn
        text = f"[torch.{dtype.legacy}Tensor [{', '.join(map(str, shape))}]]"
        if node is None:
            return text
        op = node.name()
        op = op[:op.rindex("Backward")] if "Backward" in op else op
        return f"{text}, which is output 0 of {op},"

    def unpack(self, F) -> tuple:
        """The saved values for backward: arrays for the numpy backend, Tensors otherwise."""
        saved = self._saved
        if saved is None:
            return (None,) * len(self._next)
        if saved is FREED:
            raise TorchRuntimeError(FREED_MESSAGE)
        if self._seq < _INPLACE[0]:
            self.check_versions()
        if F.numpy:
            return saved
        out = list(self._saved_t)
        for i, v in enumerate(out):
            if type(v) is float or type(v) is int:
                # a script's number is a 0-d tensor to torch (a "wrapped number"): so it is
                # to the formulas, which then record MulBackward0, not a Scalar's MulBackward1
                out[i] = _wrap(np.asarray(saved[i]))
        if self.saves_result:
            res = _wrap(saved[-1], self)
            res._ver = self._outbox
            out[-1] = res
        return tuple(out)

    def run(self, F, g) -> tuple:
        return self.backward(F, g, *self.unpack(F))

    def release(self) -> None:
        """Free the saved values after a backward that does not retain the graph."""
        if self._saved is not None:
            self._saved = FREED
            self._saved_t = None
            for name in self.frees:
                setattr(self, name, None)


def _dual_aware(owner, fn):
    """``fn`` (a Node class's classmethod or staticmethod entry point) checking for an
    active dual level first: then it runs through the level, which gives its output a
    tangent. Without one it costs a call and one check."""
    f = fn.__func__
    if isinstance(fn, staticmethod):
        def entry(*args):
            level = _FWD[0]
            if level is None:
                return f(*args)
            return level.run(owner, f, args)

        return staticmethod(entry)

    def entry(cls, *args):
        level = _FWD[0]
        if level is None:
            return f(cls, *args)
        return level.run(cls, f.__get__(cls), args)

    return classmethod(entry)


def _version_of(x) -> int:
    b = x._ver if type(x) is Tensor else None
    return 0 if b is None else b[0]


# The graph clock at the latest in-place write: a node recorded after it saw every saved
# tensor at its current version, so backward checks versions only for older nodes.
_INPLACE = [-1]


def bump(t) -> None:
    """Count an in-place write into ``t``'s storage (its version, shared with its views).
    As torch, a write into an inference tensor outside inference mode is refused here,
    after the values were written."""
    if t._inf and not _INFERENCE[0]:
        raise TorchRuntimeError(
            "Inplace update to inference tensor outside InferenceMode is not allowed.You can "
            "make a clone to get a normal tensor before doing inplace update.See "
            "https://github.com/pytorch/rfcs/pull/17 for more details.")
    b = t._ver
    if b is None:
        b = t._ver = [0]
    b[0] += 1
    _INPLACE[0] = next(_seq)
    if _FWD[0] is not None:  # forward AD: the write's tangent goes into t's tangent
        _FWD[0].written(t)


def capture_key(t):
    """The edge whose gradient is ``t``'s gradient (``t`` itself for a leaf)."""
    e = edge(t)
    return t if e is None else e


def box(t) -> list:
    """The version counter of ``t`` (a one-element list, shared with its views), made on
    first use."""
    b = t._ver
    if b is None:
        b = t._ver = [0]
    return b


def edge(t) -> Node | Tensor | None:
    """Where a gradient for ``t`` goes: its grad_fn, itself if a leaf requiring grad."""
    if t._view is not None:
        refresh(t)
    return t._grad_fn or (t if t._rg else None)


class AccumulateGrad(Node):
    """The node through which a gradient reaches a leaf; ``variable`` is that leaf. The
    engine accumulates into leaves directly; this object is what next_functions shows."""

    def __init__(self, variable: Tensor) -> None:
        self.variable = variable
        self._next = ()

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"


def _edge_node(e):
    """The grad_fn object an edge shows in next_functions (AccumulateGrad for a leaf)."""
    if e is None or not isinstance(e, Tensor):
        return e
    acc = e._acc() if e._acc is not None else None
    if acc is None:
        acc = AccumulateGrad(e)
        e._acc = ref(acc)
    return acc


# ----------------------------------------------------------------------------- Tensor


def _leaf_only(requires_grad: bool) -> str:
    """torch's message for changing requires_grad on a tensor an op computed."""
    msg = "you can only change requires_grad flags of leaf variables."
    if not requires_grad:
        msg += (" If you want to use a computed variable in a subgraph that doesn't require "
                "differentiation use var_no_grad = var.detach().")
    return msg


def _wrap(data: np.ndarray, node: Node | None = None) -> Tensor:
    """A new Tensor over ``data`` (no copy); with ``node`` it is that node's output."""
    t = _new(Tensor)
    t._data = data
    if node is not None:
        t._grad_fn = node
        t._rg = True
    elif _INFERENCE[0]:
        t._inf = True
    return t


class Tensor:
    """A multi-dimensional array with PyTorch's autograd semantics."""

    # instance attribute: _data (the ndarray); the rest are set where they differ from
    # these defaults
    _grad_fn = None  # the Node that made this tensor, None for a leaf
    _rg = False  # requires_grad
    _grad = None
    _view = None  # (base, steps) for a view: how to redo it from its base
    _view_ver = 0  # the version of the storage when a view's grad_fn was last current
    _view_nograd = False  # a view made under no_grad
    _acc = None  # weak reference to this leaf's AccumulateGrad (for next_functions)
    _retains = False
    _hooks = None  # register_hook() on a leaf: {key: hook}, run before .grad accumulates
    _ver = None  # the version counter, shared with views (see box())
    _inf = False  # made in inference mode
    _param = False  # an nn.Parameter (engine/nn/parameter.py)
    _fw = None  # forward AD: (dual level, tangent Tensor or None), see engine/forward_ad.py
    __array_ufunc__ = None  # numpy defers to Tensor's operators and never loops over one
    __hash__ = object.__hash__  # by identity, though __eq__ (declared with the ops) compares

    # ------------------------------------------------------------------ attributes
    @property
    def requires_grad(self) -> bool:
        if self._view is not None:
            refresh(self)
        return self._rg

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self._grad_fn is not None and value is True:
            raise TorchRuntimeError(_leaf_only(True))
        self.requires_grad_(value)

    def is_inference(self) -> bool:
        return self._inf

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if not isinstance(requires_grad, bool):
            raise TorchTypeError(
                f"requires_grad must be a bool, not {type(requires_grad).__name__}")
        if self._grad_fn is not None:
            if requires_grad:
                return self
            raise TorchRuntimeError(_leaf_only(False))
        if requires_grad and self._inf and not _INFERENCE[0]:
            raise TorchRuntimeError(
                "Setting requires_grad=True on inference tensor outside InferenceMode is not "
                "allowed.")
        if requires_grad and self._data.dtype.kind not in "fc":
            raise TorchRuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        self._rg = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        if self._view is not None:
            refresh(self)
        return self._grad_fn is None

    @property
    def grad_fn(self):
        if self._view is not None:
            refresh(self)
        return self._grad_fn

    @property
    def grad(self):
        if self._view is not None:
            refresh(self)
        if self._grad_fn is not None and not self._retains:
            emit_warning(NON_LEAF_GRAD_WARNING)
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        if value is None:
            self._grad = None
            return
        if not isinstance(value, Tensor):
            raise TorchTypeError(  # torch's message, word for word
                "assigned grad expected to be a Tensor or None but got grad of type "
                f"{type(value).__name__}"
            )
        if value._data.shape != self._data.shape:
            raise TorchRuntimeError(
                f"cannot assign a gradient of shape {list(value.shape)} to a tensor of shape "
                f"{list(self.shape)}; the gradient must have the tensor's shape"
            )
        if value._data.dtype != self._data.dtype:
            raise TorchRuntimeError(
                f"cannot assign a gradient of dtype {value.dtype} to a tensor of dtype "
                f"{self.dtype}; convert it first, e.g. with .to({self.dtype})"
            )
        self._grad = value

    @grad.deleter
    def grad(self) -> None:
        self._grad = None

    @property
    def retains_grad(self) -> bool:
        return self._retains

    def retain_grad(self) -> None:
        if not self._rg:
            raise TorchRuntimeError(
                "retain_grad() needs a tensor that requires grad; this one does not"
            )
        if self._grad_fn is None or self._retains:
            return
        self._retains = True
        self._grad_fn._retain = ref(self)
        self._grad_fn._pre = True

    @property
    def data(self) -> Tensor:
        return _wrap(self._data)

    @data.setter
    def data(self, value) -> None:
        if not isinstance(value, Tensor):
            raise TorchTypeError(f"data must be set to a Tensor, not {type(value).__name__}")
        if self._rg and value._data.dtype.kind not in "fc":
            raise TorchRuntimeError(
                f"cannot set .data of a tensor that requires grad to a {value.dtype} tensor; "
                "it must be floating point"
            )
        self._data = value._data

    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    @property
    def dtype(self) -> dt.dtype:
        return _BY_NP[self._data.dtype]

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def device(self) -> device:
        return _CPU

    @property
    def is_cuda(self) -> bool:
        return False

    @property
    def _version(self) -> int:
        return 0 if self._ver is None else self._ver[0]

    @property
    def _base(self):
        return None if self._view is None else self._view[0]

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[norm_dim(dim, self._data.ndim)] if self._data.ndim else 1

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    def element_size(self) -> int:
        return self._data.itemsize

    @property
    def layout(self):
        return strided

    @property
    def itemsize(self) -> int:
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        return self._data.nbytes

    @property
    def output_nr(self) -> int:
        return 0

    def dim_order(self) -> tuple:
        return tuple(range(self._data.ndim))

    def is_contiguous(self) -> bool:
        return self._data.flags.c_contiguous

    def stride(self, dim=None):
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        if dim is None:
            return strides
        d = norm_dim(dim, self._data.ndim)
        return strides[d] if strides else 1

    # ------------------------------------------------------------------ conversions
    def numpy(self) -> np.ndarray:
        if self._rg:
            raise TorchRuntimeError(  # torch's message, word for word
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        return self._data

    def item(self):
        if self._data.size != 1:
            raise TorchRuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        return self._data.reshape(()).item()

    def tolist(self):
        _check_python_objects(self._data.size, "tolist()")
        return self._data.tolist()

    def _scalar(self, kind: str):
        if self._data.size != 1:
            raise TorchValueError(
                f"only a one-element tensor can be converted to a Python {kind}, but this one "
                f"has {self._data.size} elements"
            )
        return self._data.reshape(()).item()

    def __float__(self) -> float:
        return float(self._scalar("float"))

    def __int__(self) -> int:
        v = self._scalar("int")
        if isinstance(v, float) and (v != v or v in (float("inf"), float("-inf"))):
            raise TorchValueError(f"cannot convert {v} to a Python int")
        return int(v)

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise TorchRuntimeError(
                f"the truth value of a tensor with {self._data.size} elements is ambiguous; "
                "use .any() or .all()"
            )
        return bool(self._data.reshape(()).item())

    def __index__(self) -> int:
        if self._data.size != 1 or self._data.dtype.kind not in "iu":
            raise TorchTypeError(
                "only integer tensors of a single element can be used as an index"
            )
        return int(self._data.reshape(()).item())

    def __complex__(self) -> complex:
        return complex(self._scalar("complex"))

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TorchTypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TorchTypeError("iteration over a 0-d tensor")
        return _Rows(self)

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return format(self._data.item(), spec)
        if spec:
            raise TorchTypeError("unsupported format string passed to Tensor.__format__: only "
                                 "a 0-d tensor can be formatted as a number")
        return repr(self)

    def __repr__(self) -> str:
        from adcli.printing import format_tensor

        fn = self._grad_fn
        text = format_tensor(
            self._data, self._data.dtype.name,
            requires_grad=self._rg and fn is None,
            grad_fn=None if fn is None else type(fn).__name__,
        )
        if _FWD[0] is not None:  # a dual tensor shows its tangent, as torch's does
            text = _FWD[0].with_tangent(self, text)
        return "Parameter containing:\n" + text if self._param else text

    __str__ = __repr__
    __hash__ = object.__hash__

    def __reduce__(self):
        raise TorchTypeError("tensors cannot be pickled here")

    def __deepcopy__(self, memo):
        t = _clone(self).detach().requires_grad_(self._rg)
        t._param = self._param
        return t

    # ------------------------------------------------------------------ autograd
    def detach(self) -> Tensor:
        t = _wrap(self._data)
        t._ver = box(self)
        return t

    def detach_(self) -> Tensor:
        if self._view is not None:
            raise TorchRuntimeError(
                "detach_() cannot be used on a view of another tensor; use detach() instead"
            )
        self._grad_fn = None
        self._rg = False
        self._view = None
        return self

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad``."""
        backward([self], None if gradient is None else [gradient], retain_graph, create_graph,
                 inputs=inputs)

    def register_hook(self, hook) -> RemovableHandle:
        """Call ``hook(grad)`` whenever a backward pass computes this tensor's gradient; a
        Tensor it returns replaces the gradient. Returns a handle whose remove() undoes it."""
        if not self._rg:
            raise TorchRuntimeError(
                "cannot register a hook on a tensor that does not require grad; set "
                "requires_grad=True on it (or on what it is computed from) first"
            )
        if not callable(hook):
            raise TorchTypeError(f"register_hook() needs a function, got {type(hook).__name__}")
        owner = self._grad_fn if self._grad_fn is not None else self
        if owner._hooks is None:
            owner._hooks = {}
        key = next(_seq)
        owner._hooks[key] = hook
        if owner is not self:
            owner._pre = True
        return RemovableHandle(owner._hooks, key)


_shape.INDEX_ARRAYS += (Tensor,)
_shape.TENSOR = (Tensor,)


class _Rows:
    """Iterating a tensor: the rows ``unbind(0)`` gives, made one at a time as they are
    asked for, so that ``for row in x`` over a long tensor costs one row per step."""

    __slots__ = ("_t", "_i", "_n")

    def __init__(self, t: Tensor) -> None:
        self._t, self._i, self._n = t, 0, t._data.shape[0]

    def __iter__(self):
        return self

    def __next__(self) -> Tensor:
        i = self._i
        data = self._t._data
        if i >= self._n or not data.ndim or i >= data.shape[0]:
            raise StopIteration
        self._i = i + 1
        return _row(self._t, i)

    def __length_hint__(self) -> int:
        return max(self._n - self._i, 0)


class RemovableHandle:
    """What register_hook returns: remove() takes the hook off again."""

    __slots__ = ("_hooks", "_key")

    def __init__(self, hooks: dict, key: int):
        self._hooks, self._key = hooks, key

    def remove(self) -> None:
        self._hooks.pop(self._key, None)

    def __repr__(self) -> str:
        return f"<torch.utils.hooks.RemovableHandle object at 0x{id(self):x}>"




# ----------------------------------------------------------------------------- engine


def _root_gradients(roots, grads, create):
    """Check outputs and their gradients; make implicit ones for one-element outputs."""
    edges, values = [], []
    for i, t in enumerate(roots):
        if not isinstance(t, Tensor):
            raise TorchTypeError(f"backward expects Tensors as outputs, got {type(t).__name__}")
        if not t.requires_grad:
            raise TorchRuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        g = None if grads is None else grads[i]
        if g is None:
            if t._data.size != 1:
                raise TorchRuntimeError(
                    "grad can be implicitly created only for scalar outputs"
                )
            arr = np.ones(t._data.shape, t._data.dtype)
            values.append(_wrap(arr) if create else arr)
        else:
            if not isinstance(g, Tensor):
                raise TorchTypeError(
                    f"gradients must be Tensors or None, got {type(g).__name__}"
                )
            if g._data.shape != t._data.shape:
                raise TorchRuntimeError(
                    f"gradient shape mismatch: the gradient for output {i} has shape "
                    f"{list(g._data.shape)} but the output has shape {list(t._data.shape)}; "
                    f"they must be equal"
                )
            if g._data.dtype != t._data.dtype:
                g = _wrap(g._data.astype(t._data.dtype))
            values.append(g if create else g._data)
        edges.append(edge(t))
    return edges, values


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """torch.autograd.backward: accumulate gradients of ``tensors`` into the leaves."""
    tensors = as_tensor_list(tensors, "backward", "tensors")
    if grad_tensors is not None:
        grad_tensors = as_tensor_list(grad_tensors, "backward", "grad_tensors")
        if len(grad_tensors) != len(tensors):
            raise TorchRuntimeError(
                f"got {len(grad_tensors)} gradients for {len(tensors)} outputs"
            )
    edges, grads = _root_gradients(tensors, grad_tensors, create_graph)
    capture = None
    if inputs is not None:
        inputs = as_tensor_list(inputs, "backward", "inputs")
        if not inputs:
            raise TorchRuntimeError("backward(inputs=...) got an empty list of inputs")
        capture = {}
        for t in inputs:
            capture[capture_key(t)] = t
    keep = create_graph if retain_graph is None else retain_graph
    run_backward(edges, grads, keep, create_graph, capture=capture, accumulate=True)


def run_backward(roots, grads, keep, create, capture=None, accumulate=True, sources=None):
    """The engine. ``roots``: edges (nodes or leaf Tensors) with their ``grads``.

    Without ``capture``, gradients accumulate into every leaf reached. With ``capture``
    (a dict edge -> tensor), only the nodes leading to those edges run; with ``accumulate``
    their tensors' ``.grad`` accumulate (backward(inputs=...)), else the gradients are
    returned as a dict edge -> gradient (autograd.grad).

    A node runs once all its consumers have passed their gradient on, the newest first as
    in torch. A gradient whose shape or dtype differs from its input's is reduced with
    ``unbroadcast`` or cast here. Nothing recurses: a chain of any length works.
    """
    F = _GRAPH if create else _NUMPY
    numpy_mode = not create
    # deps: edge -> consumers that have not passed their gradient on yet
    deps: dict = {}
    stack = []
    for e in roots:
        if e not in deps:
            deps[e] = 0
            if type(e) is not Tensor:
                stack.append(e)
    while stack:
        for e in stack.pop()._next:
            if e is not None:
                if e in deps:
                    deps[e] += 1
                else:
                    deps[e] = 1
                    if type(e) is not Tensor:
                        stack.append(e)
    needed = None if capture is None else _needed(deps, capture)
    # pending: edge -> the sum of the gradients it has received while it waits
    pending: dict = {}
    for e, g in zip(roots, grads):
        pending[e] = g if e not in pending else pending[e] + g
    owned: set = {id(g) for g in grads}  # arrays not ours to hand to a leaf without a copy
    found: dict = {}
    heap = []
    for e in roots:
        if deps[e] == 0 and e in pending:
            if type(e) is Tensor:
                _to_leaf(e, pending.pop(e), capture, accumulate, found, owned, create)
            else:
                heap.append((-e._seq, e))
    heapq.heapify(heap)
    prev, prev_formula = _GRAD[0], _FORMULA[0]
    _GRAD[0] = _FORMULA[0] = create
    node = g = None
    if heap:
        node = heapq.heappop(heap)[1]
        g = pending.pop(node)
    try:
        while node is not None:
            if node._pre:
                g = _pre_hooks(node, g, create)
            if capture is not None and node in capture:
                found[node] = g
                if not accumulate and not any(
                        e is not None and e in needed for e in node._next):
                    node = None
                    if heap:
                        node = heapq.heappop(heap)[1]
                        g = pending.pop(node)
                    continue
            saved = node._saved
            if saved is None:
                n = len(node._next)
                if n == 1:
                    grads_in = node.backward(F, g, None)
                elif n == 2:
                    grads_in = node.backward(F, g, None, None)
                else:
                    grads_in = node.backward(F, g, *(_NONES[n] if n < 64 else (None,) * n))
            elif numpy_mode and saved is not FREED:
                if node._seq < _INPLACE[0]:
                    node.check_versions()
                # spelled out for one and two saved values: a star call costs more
                n = len(saved)
                if n == 1:
                    grads_in = node.backward(F, g, saved[0])
                elif n == 2:
                    grads_in = node.backward(F, g, saved[0], saved[1])
                else:
                    grads_in = node.backward(F, g, *saved)
                if not keep:
                    if node._releases:
                        node.release()
                    else:
                        node._saved = FREED
                        node._saved_t = None
            else:
                grads_in = node.run(F, g)
                if not keep:
                    node.release()
            nxt = None
            exact = node._exact
            for e, gi in zip(node._next, grads_in):
                if e is None or (needed is not None and e not in needed):
                    continue
                if gi is None:  # no gradient this way, but one consumer fewer to wait for
                    _without_gradient(e, deps, pending, heap, needed, capture, accumulate,
                                      found, owned, create)
                    continue
                if type(e) is Tensor or not exact:
                    if type(e) is Tensor:
                        data = e._data
                        shape, dtype = data.shape, data.dtype
                    else:
                        shape, dtype = e._shape, e._dtype
                    if gi.shape != shape:
                        gi = unbroadcast(gi, shape)
                    if gi.dtype is not dtype and gi.dtype != dtype:
                        gi = gi.astype(dtype) if numpy_mode else gi.to(_BY_NP[dtype])
                n = deps[e] - 1
                deps[e] = n
                if n:  # more consumers to come: wait for their gradients
                    pending[e] = pending[e] + gi if e in pending else gi
                    continue
                if e in pending:
                    gi = pending.pop(e) + gi
                    if type(e) is Tensor:  # a sum of gradients: a fresh array
                        _to_leaf(e, gi, capture, accumulate, found, owned, create)
                        continue
                if type(e) is Tensor:
                    if sources is not None:  # the one node that handed the leaf its gradient
                        sources[e] = node
                    _to_leaf(e, gi, capture, accumulate, found, owned, create)
                elif nxt is None and not heap:
                    nxt, g_next = e, gi  # the common chain case: no need for the heap
                else:
                    if nxt is not None:
                        pending[nxt] = g_next
                        heapq.heappush(heap, (-nxt._seq, nxt))
                        nxt = None
                    pending[e] = gi
                    heapq.heappush(heap, (-e._seq, e))
            if nxt is not None:
                node, g = nxt, g_next
            elif heap:
                node = heapq.heappop(heap)[1]
                g = pending.pop(node)
            else:
                node = None
    finally:
        _GRAD[0], _FORMULA[0] = prev, prev_formula
    return found


def _without_gradient(edge, deps, pending, heap, needed, capture, accumulate, found, owned,
                      create):
    """A consumer of ``edge`` passed it no gradient: one consumer fewer to wait for. An edge
    left with no consumer and no gradient does not run, and the same goes on for each of
    its inputs in turn; one left with a gradient is ready."""
    stack = [edge]
    while stack:
        e = stack.pop()
        n = deps[e] - 1
        deps[e] = n
        if n:
            continue
        if e in pending:
            if type(e) is Tensor:
                _to_leaf(e, pending.pop(e), capture, accumulate, found, owned, create)
            else:
                heapq.heappush(heap, (-e._seq, e))
        elif type(e) is not Tensor:
            stack.extend(c for c in e._next
                         if c is not None and (needed is None or c in needed))


def _needed(reached, capture: dict) -> set:
    """The edges from which a captured edge can be reached (the part of the graph to run)."""
    needed = {e for e in capture if e in reached}
    # a node is created after its inputs, so in creation order inputs come first
    for n in sorted((e for e in reached if type(e) is not Tensor), key=lambda n: n._seq):
        if n not in needed and any(e is not None and e in needed for e in n._next):
            needed.add(n)
    return needed


def _own(g, owned: set, create: bool):
    """``g`` as a gradient a leaf may keep: copied if it may be shared with anything else."""
    if create:
        if id(g) in owned:
            return _clone(g)
        owned.add(id(g))
        return g
    if type(g) is not _ndarray or g.base is not None or id(g) in owned or not g.flags.writeable:
        g = np.array(g)
    owned.add(id(g))
    return g


def _to_leaf(t: Tensor, g, capture, accumulate, found, owned, create) -> None:
    if t._hooks:
        g = _run_hooks(t._hooks, g, create, t._data.shape, t._data.dtype)
    if capture is not None:
        if t not in capture:
            return
        if not accumulate:
            found[t] = g
            return
    g = _own(g, owned, create)
    if t._grad is None:
        # as torch: under create_graph the new .grad is a copy_ of the gradient
        t._grad = _fresh_copy(g) if create else _wrap(g)
    elif create:
        t._grad = t._grad + g
    else:
        old = t._grad._data
        if old.shape == g.shape and old.flags.writeable:
            np.add(old, g, out=old, casting="unsafe")
            bump(t._grad)
        else:
            t._grad = _wrap(old + g)


def _pre_hooks(node: Node, g, create: bool):
    """A node's gradient is complete: run the hooks of the tensor it made, then keep the
    gradient if that tensor retains it (last, as torch does). Returns the gradient."""
    if node._hooks:
        g = _run_hooks(node._hooks, g, create, node._shape, node._dtype)
    if node._retain is not None:
        _retain(node, g, create)
    return g


def _run_hooks(hooks: dict, g, create: bool, shape, dtype):
    for hook in list(hooks.values()):
        r = _call_user(hook, g if create else _wrap(g))
        if r is None:
            continue
        if not isinstance(r, Tensor):
            raise TorchTypeError(f"a hook must return a Tensor or None, not {type(r).__name__}")
        if r._data.shape != shape:
            raise TorchRuntimeError(
                f"a hook changed the gradient's shape from {list(shape)} to "
                f"{list(r._data.shape)}; it must return a tensor of the gradient's shape"
            )
        if r._data.dtype != dtype:
            raise TorchRuntimeError(
                f"a hook changed the gradient's dtype from {_BY_NP[dtype]} to {r.dtype}; it "
                "must return a tensor of the gradient's dtype"
            )
        g = r if create else np.array(r._data)  # the script may hold r: never alias it
    return g


def _call_user(fn, *args):
    """Call a script's function (a hook) from inside a backward pass, as a script: its
    `g * 2` is recorded as a script's would be."""
    if not _FORMULA[0]:
        return fn(*args)
    _FORMULA[0] = False
    try:
        return fn(*args)
    finally:
        _FORMULA[0] = True


def _retain(node: Node, g, create: bool) -> None:
    t = node._retain()
    if t is None:
        return
    if t._grad is None:
        t._grad = _clone(g) if create else _wrap(np.array(g))
    else:
        t._grad = t._grad + g if create else _wrap(t._grad._data + g)


# ---- views after an in-place write -------------------------------------------------------


class AsStridedBackward0(Node):
    """The grad_fn of a view after an in-place op on it rebased its base's history."""

    def backward(self, F, g, *unused):
        return (F.place(g, self.in_shape, self.steps),)


def refresh(t: Tensor) -> None:
    """Bring a view's history up to date after its storage was written in place through
    another view or its base: as torch, it becomes an AsStridedBackward0 of the base."""
    version = t._ver[0]
    if t._view_ver == version:
        return
    t._view_ver = version
    base, steps = t._view
    if base._rg and not t._view_nograd:
        fn = _graft(AsStridedBackward0, (base._grad_fn or base,), t._data)
        fn.steps, fn.in_shape = steps, base._data.shape
        _move_retain(t, fn)
        t._grad_fn, t._rg = fn, True


def _graft(cls, edges: tuple, like: np.ndarray) -> Node:
    """A node built by hand (not by an op's apply), with nothing saved."""
    node = _new(cls)
    node._next, node._seq, node._shape, node._dtype = edges, next(_seq), like.shape, like.dtype
    return node


def _move_retain(x: Tensor, node: Node) -> None:
    """As torch: a tensor that retains its grad keeps doing so across in-place ops, whose
    node becomes the one whose gradient is kept."""
    if x._retains and x._grad_fn is not None:
        node._retain, x._grad_fn._retain = x._grad_fn._retain, None
        node._pre = True
