"""The Tensor class: a numpy array with PyTorch's autograd semantics.

A ``Tensor`` wraps a numpy array. It is built on the autograd core, ``engine/autograd/``:
the graph (grad mode, ``Node``, versions), the views refreshed after in-place writes, and
the backward engine. The core never imports this module: it is handed the Tensor class
once, by ``autograd.bind_tensor`` at the end of this module. The names other modules have
always imported from here (``Node``, ``bump``, ``_GRAD``, ``run_backward``, ...) are
re-exported: the same objects, so a flag list read through either module is one list.
"""

from __future__ import annotations

import sys
import warnings
from weakref import ref

import numpy as np

from adcli.engine import autograd as _autograd
from adcli.engine import dtypes as dt
from adcli.engine import shape as _shape
from adcli.engine.autograd import engine as _engine

# the autograd core, re-exported (the same objects) for the modules that import it from here
from adcli.engine.autograd.engine import (  # noqa: F401
    _call_user,
    _root_gradients,
    as_tensor_list,
    backward,
    run_backward,
)
from adcli.engine.autograd.graph import (  # noqa: F401
    _FORMULA,
    _FWD,
    _GRAD,
    _INFERENCE,
    _INPLACE,
    _NONES,
    FREED,
    FREED_MESSAGE,
    INFERENCE_SAVED,
    AccumulateGrad,
    Node,
    RemovableHandle,
    _dual_aware,
    _edge_node,
    _new,
    _seq,
    _version_of,
    _wrap,
    box,
    bump,
    graph_clock,
    is_grad_enabled,
    is_inference_mode_enabled,
    set_grad_mode,
    set_inference_mode,
)
from adcli.engine.autograd.views import (  # noqa: F401
    AsStridedBackward0,
    _graft,
    _move_retain,
    capture_key,
    edge,
    refresh,
)
from adcli.engine.devices import CPU as _CPU
from adcli.engine.devices import device
from adcli.engine.shape import Size, norm_dim
from adcli.errors import (
    LimitError,
    TorchOverflowError,
    TorchRuntimeError,
    TorchTypeError,
    TorchValueError,
)

# The engine owns numpy's floating-point error policy: torch gives inf/nan silently.
np.seterr(all="ignore")
warnings.filterwarnings("ignore", r".* encountered in ", RuntimeWarning)

_BY_NP = dt.BY_NP


# ---- the layers above the core -----------------------------------------------------------
# The core calls back into what is built on it: the array backends of backward formulas,
# and the ops that copy a gradient or make a row. It imports none of them: engine/__init__
# hands them over once, through connect(), which passes the engine its share.
_clone = _row = None


def connect(*, clone, row, fresh_copy, numpy_backend, graph_backend) -> None:
    """Give the core the parts above it that it calls (done once, by engine/__init__)."""
    global _clone, _row
    _clone, _row = clone, row
    _engine.connect(clone=clone, fresh_copy=fresh_copy, numpy_backend=numpy_backend,
                    graph_backend=graph_backend)


class _Layout:
    def __repr__(self) -> str:
        return "torch.strided"


strided = _Layout()  # torch.strided: the one layout here


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

NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
    "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
    "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
    "instead. See github.com/pytorch/pytorch/pull/30531 for more information."
)


def emit_warning(message, site=None) -> None:
    """Report a torch warning: a message (a UserWarning) or a Warning instance, whose class
    is its category. The interpreter may replace this hook."""
    category = type(message).__name__ if isinstance(message, Warning) else "UserWarning"
    sys.stderr.write(f"{category}: {message}\n")


def warn(message: str, site=None, category=UserWarning) -> None:
    """Emit a warning through the current hook (other modules call this one). ``site``:
    (path in the torch package, line, source line) where torch's own code is the place
    Python reports, as for a warning raised in torch's module called by torch's module;
    else the script line that is running. ``category``: the Warning class torch raises
    (FutureWarning for a deprecation, ...); the hook gets a message of another category as
    an instance of it."""
    if category is not UserWarning:
        message = category(message)
    if site is None:
        site = WARNING_SITE[0]
    if site is None:
        emit_warning(message)
    else:
        emit_warning(message, site)


# The line of torch's own code that Python would name for a warning raised now, when a
# torch module's forward is running (engine/nn/sites.py; set by Module.__call__)
WARNING_SITE: list = [None]


# Whether each backward pass running now (the innermost last) computes the gradients of
# given inputs only (autograd.grad, backward(inputs=...)): the reentrant checkpoint's
# backward refuses to run inside one, as torch's _is_checkpoint_valid() does.
PARTIAL_PASSES: list = []


# ----------------------------------------------------------------------------- Tensor


# torch's refusals of requires_grad on an integer tensor: a factory's, the method's, the
# setter's
NO_GRAD_FACTORY = "Only Tensors of floating point and complex dtype can require gradients"
UNINITIALIZED = "uninitialized"  # the _param mark of a lazy module's parameter
_NO_GRAD_METHOD = "only Tensors of floating point dtype can require gradients"
_NO_GRAD_SETTER = "only Tensors of floating point and complex dtype can require gradients"


def _leaf_only(requires_grad: bool) -> str:
    """torch's message for changing requires_grad on a tensor an op computed."""
    msg = "you can only change requires_grad flags of leaf variables."
    if not requires_grad:
        msg += (" If you want to use a computed variable in a subgraph that doesn't require "
                "differentiation use var_no_grad = var.detach().")
    return msg


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
    _post_acc = None  # register_post_accumulate_grad_hook(): {key: hook}, run after it
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
        self._set_requires_grad(value, _NO_GRAD_SETTER)

    def is_inference(self) -> bool:
        return self._inf

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        return self._set_requires_grad(requires_grad, _NO_GRAD_METHOD)

    def _set_requires_grad(self, requires_grad, refusal: str = "") -> Tensor:
        """requires_grad_ and the setter; ``refusal`` is what each says to an integer
        tensor (torch words the method, the setter and the factories differently)."""
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
            raise TorchRuntimeError(refusal or NO_GRAD_FACTORY)
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
            raise TorchValueError("only one element tensors can be converted to Python scalars")
        return self._data.reshape(()).item()

    def __float__(self) -> float:
        return float(self._scalar("float"))

    def __int__(self) -> int:
        v = self._scalar("int")
        if isinstance(v, float) and v != v:
            raise TorchValueError("cannot convert float NaN to integer")
        if isinstance(v, float) and v in (float("inf"), float("-inf")):
            raise TorchOverflowError("cannot convert float infinity to integer")
        return int(v)

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise TorchRuntimeError(
                "Boolean value of Tensor with "
                f"{'no values' if self._data.size == 0 else 'more than one value'} is ambiguous")
        return bool(self._data.reshape(()).item())

    def __index__(self) -> int:
        if self._data.size != 1 or self._data.dtype.kind not in "iu":
            raise TorchTypeError(
                "only integer tensors of a single element can be converted to an index"
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

        if self._param == UNINITIALIZED:
            return "<UninitializedParameter>"
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
        if gradient is not None and not isinstance(gradient, Tensor):
            # as torch: the gradient goes through _tensor_or_tensors_to_tuple
            gradient = list(gradient) if isinstance(gradient, list | tuple) else gradient
        else:
            gradient = None if gradient is None else [gradient]
        PARTIAL_PASSES.append(inputs is not None)
        try:
            backward([self], gradient, retain_graph, create_graph, inputs=inputs)
        finally:
            PARTIAL_PASSES.pop()

    def register_hook(self, hook) -> RemovableHandle:
        """Call ``hook(grad)`` whenever a backward pass computes this tensor's gradient; a
        Tensor it returns replaces the gradient. Returns a handle whose remove() undoes it."""
        if not self._rg:
            raise TorchRuntimeError(
                "cannot register a hook on a tensor that doesn't require gradient")
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


    def register_post_accumulate_grad_hook(self, hook) -> RemovableHandle:
        """Call ``hook(tensor)`` each time a backward pass has accumulated this leaf's
        ``.grad`` (after its register_hook hooks). Returns a handle whose remove() undoes
        it."""
        if not self._rg:
            raise TorchRuntimeError(
                "cannot register a hook on a tensor that doesn't require gradient")
        if self._grad_fn is not None:
            raise TorchRuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors")
        if not callable(hook):
            raise TorchTypeError("register_post_accumulate_grad_hook() needs a function, got "
                                 f"{type(hook).__name__}")
        if self._post_acc is None:
            self._post_acc = {}
        key = next(_seq)
        self._post_acc[key] = hook
        return RemovableHandle(self._post_acc, key)


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


_autograd.bind_tensor(Tensor)
