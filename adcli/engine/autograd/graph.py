"""The graph: grad, inference and forward-AD modes, ``Node`` (a grad_fn), version
counters, and the leaf's ``AccumulateGrad``.

Every differentiable op is a ``Node`` subclass in ``ops/``, named exactly as PyTorch's
grad_fn class (``MulBackward0``); ``Node.record`` links a new node to its inputs and saves
what its backward reads. The Tensor class is built on this module (``engine/tensor.py``)
and hands itself down once, through ``autograd.bind_tensor``: the core makes Tensors and
tells them apart, and imports nothing above it.
"""

from __future__ import annotations

from itertools import count
from weakref import ref

import numpy as np

from adcli.engine import dtypes as dt
from adcli.errors import TorchRuntimeError

_new = object.__new__
# The Tensor class (engine/tensor.py), handed down by autograd.bind_tensor when that module
# is imported: the one name of a layer above that the core uses.
Tensor = None

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
# The graph clock at the latest in-place write: a node recorded after it saw every saved
# tensor at its current version, so backward checks versions only for older nodes.
_INPLACE = [-1]
# Anomaly detection (engine/autograd/anomaly.py): [enabled, check_nan]. The backward engine
# reads it once per pass; the version check below words its hint by it.
_ANOMALY = [False, True]
INPLACE_HINT = ("Hint: enable anomaly detection to find the operation that failed to compute "
                "its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).")
INPLACE_HINT_ANOMALY = ("Hint: the backtrace further above shows the operation that failed "
                        "to compute its gradient. The variable in question was changed in "
                        "there or anywhere later. Good luck!")


def inplace_hint() -> str:
    """The hint that ends torch's message for a saved tensor modified in place."""
    return INPLACE_HINT_ANOMALY if _ANOMALY[0] else INPLACE_HINT


def graph_clock() -> int:
    """A number that grows by one with every graph node recorded (and with every call).

    Sessions read it before and after running code to bound the nodes a program records.
    """
    return next(_seq)


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
            # "o" inputs are kept when some other input has an edge
            live = 0
            for e in edges:
                if e is not None:
                    live += 1
            kept = []
            for i, x in enumerate(inputs):
                p = plan[i] if i < len(plan) else 0
                kept.append(x if p == 1 or (p == 2 and live - (edges[i] is not None)) else None)
            kept = tuple(kept)
        saved = []
        versioned = False
        for i, x in enumerate(kept):
            if type(x) is Tensor:
                if x._inf:
                    raise TorchRuntimeError(INFERENCE_SAVED)
                saved.append(x._data)
                if x._ver is not None:
                    versioned = True
            else:
                saved.append(x if arrays is None or x is None else arrays[i])
        saved = tuple(saved)
        if versioned:
            self._vers = tuple([x._ver[0] if type(x) is Tensor and x._ver is not None else 0
                                for x in kept])
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
                    f"expected version {saved} instead. {inplace_hint()}"
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


def box(t) -> list:
    """The version counter of ``t`` (a one-element list, shared with its views), made on
    first use."""
    b = t._ver
    if b is None:
        b = t._ver = [0]
    return b


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



class RemovableHandle:
    """What register_hook returns: remove() takes the hook off again."""

    __slots__ = ("_hooks", "_key")

    def __init__(self, hooks: dict, key: int):
        self._hooks, self._key = hooks, key

    def remove(self) -> None:
        self._hooks.pop(self._key, None)

    def __repr__(self) -> str:
        return f"<torch.utils.hooks.RemovableHandle object at 0x{id(self):x}>"

