"""``torch.autograd.Function``: a script's own op, with its forward and its backward.

A script subclasses ``Function`` with a static ``forward(ctx, *args)`` (or ``forward(*args)``
and ``setup_context(ctx, inputs, output)``) and a static ``backward(ctx, *grads)``;
``MyFn.apply(*args)`` runs forward with grad mode off and records one graph node, named
``MyFnBackward`` as in torch, whose backward calls the script's ``backward``.

The context (``FunctionCtx``) is an object apart from the graph node: a script may set any
attribute on it, and what it holds in ``__dict__`` is only what the script set (the
engine's state lives in a slot the script can neither read nor write).

A function with several outputs: each output gets a node of the same name (the engine's
nodes have one output each), which hands its gradient to the hidden node of the call as
one slot of a packed gradient; that node runs the script's backward once, with all of
them.
"""

from __future__ import annotations

import inspect
import weakref

import numpy as np

from adcli.engine import dtypes as dt
from adcli.engine import tensor as _tensor
from adcli.engine.autograd import graph as _graph
from adcli.engine.autograd import sites as _sites
from adcli.engine.functional import GradcheckError
from adcli.engine.tensor import (
    _FORMULA,
    _GRAD,
    FREED,
    FREED_MESSAGE,
    Node,
    Tensor,
    _move_retain,
    _seq,
    _version_of,
    _wrap,
    bump,
    edge,
)
from adcli.errors import (
    TorchAttributeError,
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchTypeError,
)

_new = object.__new__


def _legacy(t: Tensor) -> str:
    shape = ", ".join(map(str, t._data.shape))
    return f"[torch.{dt.BY_NP[t._data.dtype].legacy}Tensor [{shape}]]"


def _stem(name: str) -> str:
    return name[:name.rindex("Backward")] if "Backward" in name else name


# ----------------------------------------------------------------------------- the context


class _State:
    """What the engine keeps on a context, out of the script's reach."""

    __slots__ = ("saved", "vers", "outs", "freed", "needs", "non_diff", "dirty",
                 "materialize", "name", "node")

    def __init__(self, name: str, needs: tuple) -> None:
        self.saved = None  # the tensors given to save_for_backward (None entries kept)
        self.vers = None  # their versions at the end of apply
        self.outs = None  # per saved tensor: its output index, None if not an output
        self.freed = False
        self.needs = needs
        self.non_diff: list = []
        self.dirty: list = []
        self.materialize = True
        self.name = name
        self.node = None


class FunctionCtx:
    """The ``ctx`` of a custom Function: save tensors for backward, mark outputs, and
    carry any attribute a script sets (``ctx.alpha = 2``)."""

    __slots__ = ("__dict__", "__weakref__", "_adcli_state")
    __adcli_public__ = frozenset({
        "save_for_backward", "saved_tensors", "needs_input_grad", "mark_non_differentiable",
        "mark_dirty", "set_materialize_grads"})
    __adcli_settable__ = True

    def __init__(self) -> None:
        object.__setattr__(self, "_adcli_state", _State(type(self).__name__, ()))

    def __setattr__(self, name: str, value) -> None:
        if name == "_adcli_state" or name in FunctionCtx.__adcli_public__:
            raise TorchAttributeError(
                f"attribute '{name}' of '{type(self).__name__}' objects is not writable")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        if name == "_adcli_state" or name in FunctionCtx.__adcli_public__:
            raise TorchAttributeError(
                f"attribute '{name}' of '{type(self).__name__}' objects is not writable")
        object.__delattr__(self, name)

    def __repr__(self) -> str:
        return f"<torch.autograd.function.{type(self).__name__} object at {hex(id(self))}>"

    def save_for_backward(self, *tensors) -> None:
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TorchTypeError(f"save_for_backward can only save variables, but argument "
                                     f"{i} is of type {type(t).__name__}")
        self._adcli_state.saved = tuple(tensors)

    @property
    def saved_tensors(self) -> tuple:
        st = self._adcli_state
        if st.freed:
            raise TorchRuntimeError(FREED_MESSAGE)
        if st.saved is None:
            return ()
        if st.vers is not None:
            for t, v, k in zip(st.saved, st.vers, st.outs):
                if t is None:
                    continue
                now = _version_of(t)
                if now != v:
                    if k is not None:
                        what = f"{_legacy(t)}, which is output {k} of {_stem(st.name)},"
                    else:
                        fn = t.grad_fn
                        what = _legacy(t) if fn is None else (
                            f"{_legacy(t)}, which is output 0 of {_stem(fn.name())},")
                    raise TorchRuntimeError(
                        "one of the variables needed for gradient computation has been "
                        f"modified by an inplace operation: {what} is at version {now}; "
                        f"expected version {v} instead. {_graph.inplace_hint()}")
        return st.saved

    @property
    def needs_input_grad(self) -> tuple:
        return self._adcli_state.needs

    def mark_non_differentiable(self, *tensors) -> None:
        for i, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TorchTypeError("mark_non_differentiable can only accept Tensors, but "
                                     f"argument {i} was of type {type(t).__name__}")
        self._adcli_state.non_diff.extend(tensors)

    def mark_dirty(self, *tensors) -> None:
        for i, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TorchTypeError("mark_dirty can only accept variables, but argument "
                                     f"{i} is of type {type(t).__name__}")
        self._adcli_state.dirty.extend(tensors)

    def set_materialize_grads(self, value: bool) -> None:
        self._adcli_state.materialize = bool(value)


# ----------------------------------------------------------------------------- the nodes


class _Packed:
    """The gradients of a multi-output call's outputs, one slot each (None: none came)."""

    __slots__ = ("items",)

    def __init__(self, items: list) -> None:
        self.items = items

    def __add__(self, other: _Packed) -> _Packed:
        out = []
        for a, b in zip(self.items, other.items):
            out.append(b if a is None else a if b is None else a + b)
        return _Packed(out)


class BackwardCFunction(Node):
    """The graph node of one ``apply``: its backward runs the script's ``backward``."""

    # per instance: _ctx, _fn (the Function class), _args (per forward argument: the
    # index of its edge in _next, or None for a non-tensor), _outs (per output: (shape,
    # np dtype) of a tensor, None otherwise), _single (one output: no packing)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._releases = True

    def __repr__(self) -> str:
        return f"<torch.autograd.function.{type(self).__name__} object at {hex(id(self))}>"

    @property
    def saved_tensors(self) -> tuple:
        return self._ctx.saved_tensors

    @property
    def needs_input_grad(self) -> tuple:
        return self._ctx.needs_input_grad

    def release(self) -> None:
        self._saved = FREED
        st = self._ctx._adcli_state
        st.freed = True
        st.saved = None

    def backward(self, F, g, *unused):
        return self._run_user(F, g)

    def run(self, F, g) -> tuple:
        return self._run_user(F, g)

    def _run_user(self, F, g) -> tuple:
        ctx = self._ctx
        st = ctx._adcli_state
        numpy_mode = F.numpy
        grads = g.items if self._single is False else [g]
        args = []
        for gi, meta in zip(grads, self._outs):
            if meta is None:
                args.append(None)
                continue
            if gi is None:
                if not st.materialize:
                    args.append(None)
                    continue
                gi = np.zeros(meta[0], meta[1])
                args.append(_wrap(gi))
                continue
            if numpy_mode:
                if not gi.flags.writeable:
                    gi = np.array(gi)
                gi = _wrap(gi)
            args.append(gi)
        name = type(self).__name__
        backward = getattr(self._fn, "backward", None)
        prev_formula = _FORMULA[0]
        _FORMULA[0] = False  # the script's backward computes as a script
        try:
            result = backward(ctx, *args)
        finally:
            _FORMULA[0] = prev_formula
        if not isinstance(result, tuple):
            result = (result,)
        expected = len(self._args)
        if len(result) != expected:
            if len(result) > expected and all(r is None for r in result[expected:]):
                result = result[:expected]
            else:
                raise TorchRuntimeError(f"function {name} returned an incorrect number of "
                                        f"gradients (expected {expected}, got {len(result)})")
        out = [None] * len(self._next)
        for pos, (slot, r) in enumerate(zip(self._args, result)):
            if slot is None:
                if r is not None:
                    raise TorchRuntimeError(
                        f"function {name} returned a gradient different than None at "
                        f"position {pos + 1}, but the corresponding forward input was not a "
                        "Variable")
                continue
            if r is None:
                continue
            if not isinstance(r, Tensor):
                raise TorchRuntimeError(f"expected Variable or None (got {type(r).__name__})")
            e = self._next[slot]
            if e is None:
                continue
            shape = e._data.shape if type(e) is Tensor else e._shape
            dtype = e._data.dtype if type(e) is Tensor else e._dtype
            rs = r._data.shape
            if rs != shape and not _expandable(shape, rs):
                raise TorchRuntimeError(
                    f"Function {name} returned an invalid gradient at index {slot} - got "
                    f"[{', '.join(map(str, rs))}] but expected shape compatible with "
                    f"[{', '.join(map(str, shape))}]")
            if numpy_mode:
                v = r._data
                if v.dtype != dtype:
                    v = v.astype(dtype)
                out[slot] = np.array(v)  # the script may hold r: never alias it
            else:
                out[slot] = r if r._data.dtype == dtype else r.to(dt.BY_NP[dtype])
        return tuple(out)


def _expandable(shape: tuple, to: tuple) -> bool:
    """Whether a tensor of ``shape`` broadcasts to ``to`` (so a gradient of shape ``to``
    sums back to it)."""
    if len(shape) > len(to):
        return False
    for a, b in zip(reversed(shape), reversed(to)):
        if a != b and a != 1:
            return False
    return True


class _OutputSlot(Node):
    """The grad_fn of output ``_index`` of a multi-output call: packs its gradient for the
    call's node (``_next == (node,)``), and shows that node's edges."""

    _exact = True

    def __repr__(self) -> str:
        return f"<torch.autograd.function.{type(self).__name__} object at {hex(id(self))}>"

    @property
    def next_functions(self) -> tuple:
        return self._next[0].next_functions

    @property
    def saved_tensors(self) -> tuple:
        return self._next[0].saved_tensors

    @property
    def needs_input_grad(self) -> tuple:
        return self._next[0].needs_input_grad

    def backward(self, F, g, *unused):
        items = [None] * self._count
        items[self._index] = g
        return (_Packed(items),)


class Error(Node):
    """torch's DelayedError: the node of a once_differentiable backward's results, whose
    own backward refuses to run."""

    def name(self) -> str:
        return "torch::autograd::Error"

    def backward(self, F, g, *unused):
        raise TorchRuntimeError("trying to differentiate twice a function that was marked "
                                "with @once_differentiable")


_CLASSES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _classes(cls: type) -> tuple:
    """The context, node and output-slot classes of a Function class, named as torch's."""
    made = _CLASSES.get(cls)
    if made is None:
        name = f"{cls.__name__}Backward"
        made = (type(name, (FunctionCtx,), {"__slots__": (), "__module__": __name__}),
                type(name, (BackwardCFunction,), {"__module__": __name__}),
                type(name, (_OutputSlot,), {"__module__": __name__}))
        _CLASSES[cls] = made
    return made


# ----------------------------------------------------------------------------- Function


class Function:
    """``torch.autograd.Function``: subclass it with static ``forward`` and ``backward``,
    then call ``apply``."""

    __adcli_subclassable__ = True
    __adcli_public__ = frozenset({"apply"})

    def __call__(self, *args, **kwargs):
        raise TorchRuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please "
            "use new-style autograd function with static forward method. (Example: "
            "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)")

    @staticmethod
    def forward(*args, **kwargs):
        raise TorchNotImplementedError(
            "You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise TorchNotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise TorchNotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD.")

    @classmethod
    def apply(cls, *args, **kwargs):
        return _apply(cls, args, kwargs)


_BASE_SETUP = Function.__dict__["setup_context"].__func__


def _bind_defaults(forward, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """torch's bind_default_args for a new-style forward: defaults become arguments."""
    try:
        sig = inspect.signature(forward)
    except (TypeError, ValueError):
        return args, kwargs
    try:
        bound = sig.bind(*args, **kwargs)
    except TypeError as e:
        raise TorchTypeError(str(e)) from None
    bound.apply_defaults()
    return tuple(bound.args), dict(bound.kwargs)


def _apply(cls: type, args: tuple, kwargs: dict):
    ctx_cls, node_cls, slot_cls = _classes(cls)
    ctx = _new(ctx_cls)
    new_style = getattr(cls, "setup_context", _BASE_SETUP) is not _BASE_SETUP
    if new_style:
        args, kwargs = _bind_defaults(cls.forward, args, kwargs)
    call_args = args
    args = args + tuple(kwargs.values())  # keyword arguments are inputs too, after the rest
    needs = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
    st = _State(node_cls.__name__, needs)
    object.__setattr__(ctx, "_adcli_state", st)
    executable = _GRAD[0] and any(needs)
    # the edges of the tensor inputs, before forward may write into them
    slots, edges = [], []
    for a in args:
        if isinstance(a, Tensor):
            slots.append(len(edges))
            edges.append(edge(a) if executable else None)
        else:
            slots.append(None)
    prev = _tensor.set_grad_mode(False)
    try:
        if new_style:
            result = cls.forward(*call_args, **kwargs)
            cls.setup_context(ctx, call_args, result)
        else:
            result = cls.forward(ctx, *call_args, **kwargs)
    finally:
        _tensor.set_grad_mode(prev)
    is_tuple = isinstance(result, tuple)
    outs = list(result) if is_tuple else [result]
    dirty = st.dirty
    for d in dirty:
        if not any(o is d for o in outs):
            raise TorchRuntimeError(
                "Some elements marked as dirty during the forward method were not returned as "
                "output. The inputs that are modified inplace must all be outputs of the "
                "Function.")
    inputs = [a for a in args if isinstance(a, Tensor)]
    for d in dirty:
        if executable and d._grad_fn is None and d._rg and any(d is a for a in inputs):
            raise TorchRuntimeError(
                "a leaf Variable that requires grad has been used in an in-place operation.")
        bump(d)
    if executable:
        node = _new(node_cls)
        node._next = tuple(edges)
        node._seq = next(_seq)
        node._saved = ()
        node._saved_t = ()
        node._ctx = ctx
        node._fn = cls
        node._args = tuple(slots)
        if _sites.LOG[0] is not None:  # adcli gradcheck re-applies it on these inputs
            node._see_inputs = (tuple((a._data.copy(), a.requires_grad) if isinstance(
                a, Tensor) else a for a in call_args), dict(kwargs))
        node._single = len(outs) == 1
        metas = []
        for o in outs:
            metas.append((o._data.shape, o._data.dtype) if isinstance(o, Tensor) else None)
        node._outs = metas
        first = metas[0] if node._single and metas[0] is not None else ((), np.float32)
        node._shape, node._dtype = first[0], np.dtype(first[1])
        st.node = node
        non_diff = st.non_diff
        for k, o in enumerate(outs):
            if not isinstance(o, Tensor):
                continue
            if any(o is n for n in non_diff) or o._data.dtype.kind not in "fc":
                if any(o is a for a in inputs) and not any(o is d for d in dirty):
                    outs[k] = o = _view_of(o)
                    o._rg = False
                continue
            if node._single:
                fn = node
            else:
                fn = _new(slot_cls)
                fn._next = (node,)
                fn._seq = next(_seq)
                fn._shape, fn._dtype = o._data.shape, o._data.dtype
                fn._index, fn._count = k, len(outs)
            if any(o is d for d in dirty):
                _move_retain(o, fn)
                if o._view is not None:  # its new history is this node's, not its base's
                    o._view_ver = o._ver[0]
            elif any(o is a for a in inputs):
                outs[k] = o = _view_of(o)
            o._grad_fn = fn
            o._rg = True
    else:
        for k, o in enumerate(outs):
            if isinstance(o, Tensor) and any(o is a for a in inputs) and not any(
                    o is d for d in dirty):
                # as torch: a view with grad mode on, else an alias without history
                outs[k] = _view_of(o) if _GRAD[0] else o.detach()
    if st.saved is not None:
        st.vers = tuple(_version_of(t) for t in st.saved)
        st.outs = tuple(next((k for k, o in enumerate(outs) if o is t), None)
                        for t in st.saved)
    return tuple(outs) if is_tuple else outs[0]


def _view_of(x: Tensor) -> Tensor:
    """An input returned as an output: as torch, a view of it (made without history)."""
    prev = _tensor.set_grad_mode(False)
    try:
        v = x.view_as(x)
    finally:
        _tensor.set_grad_mode(prev)
    v._view_nograd = False
    return v


# ----------------------------------------------------------------------------- decorator


class _OnceDifferentiable:
    """What ``@once_differentiable`` makes of a backward: it runs without grad mode, and a
    second differentiation through its results raises torch's error."""

    __slots__ = ("_fn",)
    __adcli_public__ = frozenset()

    def __init__(self, fn) -> None:
        if not callable(fn):
            raise TorchTypeError("once_differentiable() needs a function")
        self._fn = fn

    def __repr__(self) -> str:
        return f"<function {getattr(self._fn, '__name__', 'backward')} at {hex(id(self))}>"

    def __call__(self, ctx, *args):
        prev = _tensor.set_grad_mode(False)
        try:
            outputs = self._fn(ctx, *args)
        finally:
            _tensor.set_grad_mode(prev)
        if not _GRAD[0]:
            return outputs
        if not any(isinstance(a, Tensor) and a.requires_grad for a in args):
            return outputs
        single = not isinstance(outputs, tuple)
        items = (outputs,) if single else outputs
        wrapped = []
        for v in items:
            if isinstance(v, Tensor) and v._data.dtype.kind in "fc":
                leaf = _wrap(v._data)
                leaf._rg = True
                node = _new(Error)
                node._next = (leaf,)
                node._seq = next(_seq)
                node._shape, node._dtype = v._data.shape, v._data.dtype
                v = _wrap(v._data, node)
            wrapped.append(v)
        return wrapped[0] if single else tuple(wrapped)


def once_differentiable(fn):
    """``torch.autograd.function.once_differentiable``."""
    return _OnceDifferentiable(fn)


MEMBERS = {
    "Function": Function,
    "FunctionCtx": FunctionCtx,
    "BackwardCFunction": BackwardCFunction,
    "once_differentiable": once_differentiable,
    "GradcheckError": GradcheckError,
}
