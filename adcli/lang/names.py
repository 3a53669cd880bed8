"""The one name table: every name and attribute a script can reach.

Scripts see the torch namespace that adcli implements, bare and behind ``torch.``, plus a
few Python builtins. Attribute access goes through ``ATTRIBUTES``: for each allowed
type, a dict from attribute name to an accessor made here from fixed strings. User text
is only ever a key into these dicts.
"""

from __future__ import annotations

import builtins
import operator

from adcli.engine import amp as _amp
from adcli.engine import api, declarations, devices, functional
from adcli.engine import compiled as _compiled
from adcli.engine import nn_functional as _nn_functional
from adcli.engine import serialization as _serialization
from adcli.engine.autograd import anomaly as _anomaly
from adcli.engine.devices import (
    LazyNamespace,  # members built on first use
    Namespace,  # a module-like object; a torch.device is one too
)
from adcli.engine.ops import linalg_solve as _linalg_solve
from adcli.engine.tensor import Tensor, _Rows, check_tensor_count
from adcli.errors import TorchAttributeError, TorchTypeError
from adcli.limits import bounded_items, size_hint

# ---- the torch namespace -------------------------------------------------------------
# The ops' names come from their declarations (adcli/engine/declarations/); the rest of the
# torch namespace (constructors, grad mode, types, devices) is listed here.
BEFORE_OPS = {
    "Constructors and random numbers": (
        "tensor", "as_tensor", "Tensor", "FloatTensor", "DoubleTensor", "HalfTensor",
        "LongTensor", "IntTensor", "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor",
        "Variable", "ones", "zeros", "full", "eye", "arange", "linspace", "empty",
        "zeros_like", "ones_like", "empty_like", "full_like", "rand", "randn", "randint",
        "rand_like", "randn_like", "randperm", "manual_seed", "seed", "initial_seed",
        "get_rng_state", "set_rng_state", "Generator", "default_generator", "from_numpy",
        "set_default_dtype", "get_default_dtype",
    ),
}
AFTER_OPS = {
    "Grad mode": ("no_grad", "enable_grad", "inference_mode", "set_grad_enabled",
                  "is_grad_enabled", "is_inference_mode_enabled", "is_inference"),
    "Types": ("Size", "dtype", "finfo", "iinfo"),
    "Devices and printing": (
        "device", "set_default_device", "get_default_device", "set_printoptions",
    ),
    "Determinism": ("use_deterministic_algorithms", "are_deterministic_algorithms_enabled",
                    "is_deterministic_algorithms_warn_only_enabled"),
}
OP_GROUPS = {group: tuple(name for op in ops if op.in_torch for name in op.names)
             for group, ops in declarations.groups().items()}
FUNCTION_GROUPS = {**BEFORE_OPS, **{g: n for g, n in OP_GROUPS.items() if n}, **AFTER_OPS}
TORCH_FUNCTIONS = tuple(name for group in FUNCTION_GROUPS.values() for name in group)
TORCH_CONSTANTS = (
    "float32", "float", "float64", "double", "float16", "half", "int64", "long", "int32",
    "int", "int16", "int8", "uint8", "bool", "pi", "e", "inf", "nan",
)
F_FUNCTIONS = tuple(declarations.nn_functions())
AUTOGRAD_FUNCTIONS = ("grad", "backward", "Variable", "gradcheck", "gradgradcheck")
FUNCTIONAL_FUNCTIONS = ("jacobian", "hessian", "vjp", "jvp", "hvp", "vhp")

# ---- Python builtins that keep their meaning -------------------------------------------


def _bounded(kind):
    """``list``/``tuple`` that refuse to build more Python objects than a tenth of the
    element bound (each costs about ten times a float32 element), lazily for iterators;
    rows of a tensor (a tensor, a view and a graph node each: about a hundred elements'
    memory) are counted against a hundredth of it, as ``split`` counts its pieces."""

    def make(iterable=()):
        if _makes_tensors(iterable):
            check_tensor_count(size_hint(iterable), f"{kind.__name__}()")
        items = bounded_items(iterable, f"{kind.__name__}()")
        return items if kind is builtins.list else kind(items)

    make.__name__ = kind.__name__
    make.adcli_class = kind  # what isinstance(x, list) tests
    return make


class _LazyIterator:
    """Python's ``zip`` and ``enumerate``, as lazy as Python's, with a length hint so that
    ``list(zip(range(10**9), ...))`` is refused before anything is built."""

    __slots__ = ("_it", "_sources", "_name")

    def __init__(self, name: str, it, sources: list) -> None:
        self._name, self._it, self._sources = name, it, sources

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)

    def __length_hint__(self) -> int:
        hints = [h for h in (size_hint(s) for s in self._sources) if h >= 0]
        return min(hints) if hints else NotImplemented

    def __repr__(self) -> str:
        return f"<{self._name} object at 0x{id(self):x}>"


class _Zip(_LazyIterator):
    __slots__ = ()


class _Enumerate(_LazyIterator):
    __slots__ = ()


_Zip.__name__, _Enumerate.__name__ = "zip", "enumerate"  # as messages name their type


def _makes_tensors(iterable) -> bool:
    """Whether iterating ``iterable`` makes a tensor per item: a tensor's rows, or a zip
    or enumerate over them."""
    if isinstance(iterable, Tensor | _Rows):
        return True
    return isinstance(iterable, _LazyIterator) and any(
        _makes_tensors(s) for s in iterable._sources)


def _zip(*iterables, strict=False):
    sources = [iter(x) for x in iterables]
    return _Zip("zip", builtins.zip(*sources, strict=_flag(strict, "zip", "strict")), sources)


def _enumerate(iterable, start=0):
    source = iter(iterable)
    if not isinstance(start, int) and hasattr(type(start), "__index__"):
        start = operator.index(start)
    if not isinstance(start, int):
        raise TorchTypeError(f"enumerate(): 'start' must be an integer, not "
                             f"{type(start).__name__}")
    return _Enumerate("enumerate", builtins.enumerate(source, start), [source])


def _flag(value, fn: str, arg: str) -> bool:
    if not isinstance(value, bool):
        raise TorchTypeError(f"{fn}(): '{arg}' must be a bool, not {type(value).__name__}")
    return value


def _range(*args):
    for a in args:
        if not isinstance(a, int) or isinstance(a, bool):
            if hasattr(a, "__index__"):
                continue
            raise TorchTypeError(
                f"range() needs integers, not {type(a).__name__}"
            )
    return builtins.range(*args)


_range.adcli_class = builtins.range  # what isinstance(x, range) tests

PYTHON_BUILTINS = {
    "range": _range,
    "len": builtins.len,
    "float": builtins.float,
    "int": builtins.int,
    "bool": builtins.bool,
    "str": builtins.str,
    "list": _bounded(builtins.list),
    "tuple": _bounded(builtins.tuple),
    "enumerate": _enumerate,
    "zip": _zip,
    "True": True,
    "False": False,
    "None": None,
}


def _table(module, names) -> dict:
    table = {}
    for name in names:
        value = getattr(module, name, _MISSING)
        if value is not _MISSING:
            table[name] = value
    return table


_MISSING = object()


def missing_names() -> list[str]:
    """Names this table lists that the engine does not provide (a test keeps it empty)."""
    ops = declarations.torch_functions()
    out = [f"{api.__name__}.{n}" for n in TORCH_FUNCTIONS + TORCH_CONSTANTS
           if n not in ops and not hasattr(api, n)]
    out += [f"{functional.__name__}.{n}" for n in AUTOGRAD_FUNCTIONS + FUNCTIONAL_FUNCTIONS
            if not hasattr(functional, n)]
    return out


# torch.nn, torch.autograd, torch.optim, torch.utils.data, torch.func and torch.distributions
# are imported when a script first reaches them (LazyNamespace): `adcli eval` and most .adc
# cells never do, and their modules are a quarter of the engine's import time. Nothing here
# imports them.


# torch's module of each engine class a script reaches (adcli/lang/torch_classes.py, made
# from torch 2.13 by tools/gen_torch_classes.py): ``print(type(nn.Linear(1, 1)))`` shows
# <class 'torch.nn.modules.linear.Linear'>, as in torch. The tensor classes keep theirs
# (nn.Parameter keeps its own: its metaclass prints torch's name).
_KEEP_MODULE = frozenset(("Parameter",))


def use_torch_modules(ns_name: str, members: dict) -> dict:
    """Give the engine classes among ``members`` (and those of the plain namespaces among
    them) torch's ``__module__`` for their name in ``ns_name``."""
    from adcli.lang.torch_classes import MODULES

    table = MODULES.get(ns_name, {})
    for name, value in members.items():
        if type(value) is Namespace and value.name.startswith(ns_name + "."):
            use_torch_modules(value.name, value.members)
        elif (isinstance(value, type) and name in table and name not in _KEEP_MODULE
              and value.__name__ == name and value.__module__.startswith("adcli.")):
            value.__module__ = table[name]
    return members


def _named(ns_name: str, load):
    """A LazyNamespace's loader whose classes get torch's module names when it loads, and
    torch's submodules that define them (``torch.nn.modules.loss``) as members."""
    return lambda: add_submodules(ns_name, use_torch_modules(ns_name, load()))


def _submodule_extras(ns_name: str) -> dict:
    """Names torch's submodules hold besides the namespace's classes defined there."""
    if ns_name == "torch.nn":
        from adcli.engine.nn import layers
        from adcli.engine.nn.module import Module
        from adcli.engine.nn.parameter import Parameter

        for cls in (layers._Loss, layers._WeightedLoss):
            cls.__module__ = "torch.nn.modules.loss"
        return {"torch.nn.modules.loss": {"_Loss": layers._Loss,
                                          "_WeightedLoss": layers._WeightedLoss},
                "torch.nn.modules.module": {"Module": Module},
                "torch.nn.modules": {"Module": Module},
                "torch.nn.parameter": {"Parameter": Parameter}}
    if ns_name == "torch.utils.data":
        from adcli.engine import data

        return {"torch.utils.data.dataloader": {
                    "DataLoader": data.DataLoader, "default_collate": data.default_collate,
                    "default_convert": data.default_convert,
                    "get_worker_info": data.get_worker_info,
                    "_SingleProcessDataLoaderIter": data._SingleProcessDataLoaderIter,
                    "_MultiProcessingDataLoaderIter": data._MultiProcessingDataLoaderIter},
                "torch.utils.data.dataset": {"random_split": data.random_split}}
    return {}


def add_submodules(ns_name: str, members: dict) -> dict:
    """Add to ``members`` the submodules of ``ns_name`` where torch defines its classes (as
    ``__module__`` names them), each a Namespace of those classes: ``from
    torch.utils.data.dataloader import default_collate``, ``from torch.nn.modules.loss import
    _Loss``, ``from torch.optim.optimizer import Optimizer``. A package on the way
    (``torch.nn.modules``) holds its submodules' classes too, as torch's ``__init__`` does."""
    prefix = ns_name + "."
    tree: dict = {}  # module path -> {name: value}
    for name, value in members.items():
        module = getattr(value, "__module__", None) if isinstance(value, type) else None
        if isinstance(module, str) and module.startswith(prefix) and value.__name__ == name:
            parts = module[len(prefix):].split(".")
            for k in range(1, len(parts) + 1):
                tree.setdefault(prefix + ".".join(parts[:k]), {})[name] = value
    for module, names in _submodule_extras(ns_name).items():
        tree.setdefault(module, {}).update(names)
    spaces: dict = {}
    for module in sorted(tree, key=lambda m: m.count(".")):
        parent_name, _, leaf = module.rpartition(".")
        parent = members if parent_name == ns_name else spaces.get(parent_name)
        if parent is None or leaf.startswith("_"):
            continue
        existing = parent.get(leaf)
        if existing is None:
            space = Namespace(module, dict(tree[module]))
            parent[leaf] = space
            spaces[module] = space.members
        elif type(existing) is Namespace:
            spaces[module] = existing.members
            for name, value in tree[module].items():
                existing.members.setdefault(name, value)
    return members


def _nn_members() -> dict:
    from adcli.engine.nn import namespace as nn

    return {
        "functional": F,
        "init": Namespace("torch.nn.init", dict(nn.INIT_MEMBERS)),
        "utils": Namespace("torch.nn.utils", dict(nn.UTILS_MEMBERS)),
        **nn.NN_MEMBERS,
    }


def _autograd_members() -> dict:
    from adcli.engine import custom_function, forward_ad

    return {
        **_table(functional, AUTOGRAD_FUNCTIONS),
        "functional": AUTOGRAD_FUNCTIONAL,
        "forward_ad": Namespace("torch.autograd.forward_ad", dict(forward_ad.MEMBERS)),
        "Function": custom_function.Function,
        "function": Namespace("torch.autograd.function", dict(custom_function.MEMBERS)),
        "anomaly_mode": Namespace("torch.autograd.anomaly_mode", dict(_anomaly.MEMBERS)),
        **_anomaly.MEMBERS,  # detect_anomaly, set_detect_anomaly
    }


def _gradcheck_members() -> dict:
    from adcli.engine.custom_function import GradcheckError

    return {"GradcheckError": GradcheckError, "gradcheck": functional.gradcheck,
            "gradgradcheck": functional.gradgradcheck}


def _optim_members() -> dict:
    from adcli.engine import optim

    members = dict(optim.MEMBERS)
    members["lr_scheduler"] = Namespace("torch.optim.lr_scheduler", members["lr_scheduler"])
    from adcli.engine.optim import swa_utils

    members["swa_utils"] = Namespace("torch.optim.swa_utils", dict(swa_utils.MEMBERS))
    return members


def _data_members() -> dict:
    from adcli.engine import data

    return dict(data.MEMBERS)


def _func_members() -> dict:
    from adcli.engine import func

    return dict(func.MEMBERS)


def _testing_members() -> dict:
    from adcli.engine import testing

    return dict(testing.MEMBERS)


def _vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """torch.vmap: torch.func.vmap, imported on first use."""
    from adcli.engine import func as _func_module

    return _func_module.vmap(func, in_dims, out_dims, randomness, chunk_size=chunk_size)


_vmap.__name__ = _vmap.__qualname__ = "vmap"


def _distributions_members() -> dict:
    from adcli.engine import distributions

    members = dict(distributions.MEMBERS)
    for name, value in members.items():
        if isinstance(value, dict):  # a submodule: torch.distributions.kl, .constraints, ...
            members[name] = Namespace(f"torch.distributions.{name}", dict(value))
    return members


F = Namespace("torch.nn.functional", {**declarations.nn_functions(),
                                      **_nn_functional.DEPRECATED})
NN = LazyNamespace("torch.nn", _named("torch.nn", _nn_members))
AUTOGRAD_FUNCTIONAL = Namespace("torch.autograd.functional",
                                _table(functional, FUNCTIONAL_FUNCTIONS))
AUTOGRAD = LazyNamespace("torch.autograd", _named("torch.autograd", _autograd_members))
# torch modules that an import reaches but an attribute does not (torch.autograd.gradcheck
# is the function; `from torch.autograd.gradcheck import GradcheckError` is the module)
IMPORT_MODULES = {
    "torch.backends.cudnn": devices.CUDNN,  # a module of flags a script sets
    "torch.autograd.gradcheck": LazyNamespace(
        "torch.autograd.gradcheck", _named("torch.autograd.gradcheck", _gradcheck_members)),
}

# torch 2.13's functions with an `out=` tensor argument whose adcli function does not
# list it (its docs say "out (Tensor, optional)"); the ones returning several tensors
# (max/min with dim, sort, topk, ...) are not here
TORCH_OUT = frozenset((
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "floor_divide",
    "remainder", "neg", "negative", "pow", "square", "reciprocal", "exp", "exp2", "logit",
    "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "sin", "cos", "tan", "asin",
    "acos", "atan", "atan2", "sinh", "cosh", "tanh", "sigmoid", "abs", "sign", "sgn",
    "floor", "ceil", "round", "trunc", "fix", "frac", "clamp", "clip", "where", "maximum",
    "minimum", "lerp", "addcmul", "addcdiv", "eq", "ne", "lt", "less", "le", "less_equal",
    "gt", "greater", "ge", "greater_equal", "logical_not", "logical_and", "logical_or",
    "logical_xor", "bitwise_not", "bitwise_and", "bitwise_or", "bitwise_xor", "mean",
    "amax", "amin", "norm", "std", "var", "logsumexp", "cumsum", "cumprod", "all", "any",
    "matmul", "mm", "mv", "dot", "inner", "outer", "ger", "bmm", "diag", "inverse", "cross",
    "addmm", "kron", "cat", "concat", "concatenate", "stack", "gather", "index_select",
    "masked_select", "msort", "tril", "triu", "diff", "erf", "erfc", "deg2rad", "rad2deg",
    # the factories (torch.rand(2, 2, out=c) in the "tensors deeper" tutorial)
    "rand", "randn", "randint", "randperm", "arange", "linspace", "logspace", "full", "eye",
))


def _outs(table: dict) -> dict:
    """The functions that take ``out=`` get it written (``api._with_out``), not dropped."""
    for name, fn in table.items():
        code = getattr(fn, "__code__", None)
        takes_out = code is not None and "out" in code.co_varnames[
            :code.co_argcount + code.co_kwonlyargcount]
        if takes_out or (name in TORCH_OUT and callable(fn) and not isinstance(fn, type)):
            table[name] = api._with_out(fn)
    return table


LINALG = Namespace("torch.linalg", {**_outs(dict(api.LINALG_FUNCTIONS)),
                                    "LinAlgError": _linalg_solve.LinAlgError})
_torch_members = {**_outs({**_table(api, TORCH_FUNCTIONS + TORCH_CONSTANTS),
                           **declarations.torch_functions()}),
                  "autograd": AUTOGRAD, "nn": NN, "linalg": LINALG}
TORCH = Namespace("torch", _torch_members)
use_torch_modules("torch", {k: v for k, v in _torch_members.items()
                            if not isinstance(v, Namespace)})
_torch_members["torch"] = TORCH
# torch's submodules and attributes that only `torch.NAME` reaches (not bare names in .adc)
CUDA = Namespace("torch.cuda", {**devices.CUDA_MEMBERS, **api.CUDA_LEGACY_TYPES,
                                "amp": Namespace("torch.cuda.amp",
                                                 dict(_amp.CUDA_AMP_MEMBERS))})
BACKENDS = Namespace("torch.backends", {
    "mps": Namespace("torch.backends.mps", dict(devices.MPS_MEMBERS)),
    "cudnn": devices.CUDNN,
    "cuda": Namespace("torch.backends.cuda", dict(devices.BACKENDS_CUDA_MEMBERS)),
    "mkldnn": Namespace("torch.backends.mkldnn", dict(devices.BACKENDS_MKLDNN_MEMBERS)),
    "openmp": Namespace("torch.backends.openmp", dict(devices.BACKENDS_OPENMP_MEMBERS))})
ACCELERATOR = Namespace("torch.accelerator", dict(devices.ACCELERATOR_MEMBERS))
OPTIM = LazyNamespace("torch.optim", _named("torch.optim", _optim_members))
def _jit_members() -> dict:
    from adcli.engine import jit

    return dict(jit.MEMBERS)


def _checkpoint_members() -> dict:
    from adcli.engine import checkpoint

    return dict(checkpoint.MEMBERS)


UTILS = Namespace("torch.utils", {
    "data": LazyNamespace("torch.utils.data", _named("torch.utils.data", _data_members)),
    "checkpoint": LazyNamespace("torch.utils.checkpoint",
                                _named("torch.utils.checkpoint", _checkpoint_members))})
FUNC = LazyNamespace("torch.func", _named("torch.func", _func_members))
DISTRIBUTIONS = LazyNamespace("torch.distributions",
                              _named("torch.distributions", _distributions_members))
_torch_members.update(save=_serialization.save, load=_serialization.load)
_torch_members.update(is_anomaly_enabled=_anomaly.is_anomaly_enabled,
                      is_anomaly_check_nan_enabled=_anomaly.is_anomaly_check_nan_enabled,
                      set_anomaly_enabled=_anomaly.set_anomaly_enabled)
SPECIAL = Namespace("torch.special", _outs(declarations.special_functions()))
TESTING = LazyNamespace("torch.testing", _named("torch.testing", _testing_members))
TORCH_ONLY = {"special": SPECIAL, "testing": TESTING, "cuda": CUDA, "backends": BACKENDS,
              "accelerator": ACCELERATOR,
              "optim": OPTIM, "utils": UTILS, "func": FUNC, "distributions": DISTRIBUTIONS,
              "compile": _compiled.compile, "__version__": api.__version__, "vmap": _vmap,
              "range": api._torch_range,
              "amp": Namespace("torch.amp", dict(_amp.AMP_MEMBERS)), **_amp.TORCH_MEMBERS,
              "jit": LazyNamespace("torch.jit", _jit_members)}



class _TorchNames(dict):
    """The bare-name table, which also answers ``in`` and ``[]`` for the names that only an
    import binds (``IMPORT_ONLY``: ``from torch.autograd.functional import hessian``), so
    that the interpreter's import statement finds them by the name it binds. A session's
    globals copy the real entries only, so these are never bare names of a script."""

    __slots__ = ()

    def __contains__(self, key) -> bool:
        return dict.__contains__(self, key) or key in IMPORT_ONLY

    def __missing__(self, key):
        return IMPORT_ONLY[key]


# Bare names: `from torch import *`, then Python's builtins that keep their meaning, then
# sum/abs/max/min/round as torch's again (SPEC §1).
GLOBALS: dict = _TorchNames(
    (name, value) for name, value in _torch_members.items() if name != "torch")
GLOBALS.update(PYTHON_BUILTINS)
for _name in ("sum", "abs", "max", "min", "round"):
    if _name in _torch_members:
        GLOBALS[_name] = _torch_members[_name]
GLOBALS.update(torch=TORCH, F=F, autograd=AUTOGRAD)
GLOBALS["Variable"] = functional.Variable  # torch.autograd.Variable, also a bare name
GLOBALS["print"] = None  # bound per session: it writes to the session's output
_torch_members.update(TORCH_ONLY)
IMPORT_ONLY = {**AUTOGRAD_FUNCTIONAL.members, "functional": AUTOGRAD_FUNCTIONAL}

# ---- attributes --------------------------------------------------------------------------
# a tensor's own attributes; its op methods come from the declarations
TENSOR_CORE_ATTRIBUTES = (
    # data and autograd state
    "grad", "grad_fn", "data", "requires_grad", "is_leaf", "shape", "dtype", "ndim",
    "retains_grad", "device", "is_cuda", "layout", "itemsize", "nbytes", "output_nr",
    # autograd methods
    "backward", "requires_grad_", "detach", "detach_", "retain_grad", "register_hook",
    "register_post_accumulate_grad_hook",
    # conversions and info
    "numpy", "item", "tolist", "size", "dim", "numel", "element_size", "is_floating_point",
    "is_contiguous", "nelement", "dim_order", "_version", "is_inference",
)
TENSOR_ATTRIBUTES = TENSOR_CORE_ATTRIBUTES + tuple(
    n for n in declarations.tensor_methods() if not n.startswith("__"))
GRAD_FN_ATTRIBUTES = ("name", "next_functions", "variable", "metadata", "saved_tensors",
                      "needs_input_grad")
RETURN_TYPE_ATTRIBUTES = ("values", "indices", "solution", "residuals", "rank",
                          "singular_values")

TENSOR_SETTABLE = {
    "requires_grad": lambda t, v: setattr(t, "requires_grad", v),
    "grad": lambda t, v: setattr(t, "grad", v),
    "data": lambda t, v: setattr(t, "data", v),
}


def _accessors(cls, names) -> dict:
    return {n: operator.attrgetter(n) for n in names if hasattr(cls, n)}


TENSOR_ACCESSORS = _accessors(Tensor, TENSOR_ATTRIBUTES)


class _UnboundTensorMethod:
    """``torch.Tensor.NAME``: a tensor method reached through the class, called with the
    tensor first (``torch.Tensor.sum(x)``, ``map(torch.Tensor.item, xs)``)."""

    __slots__ = ("__name__", "_get")

    def __init__(self, name: str, get) -> None:
        self.__name__, self._get = name, get

    def __call__(self, *args, **kwargs):
        if not args:
            raise TorchTypeError(f"descriptor '{self.__name__}' of 'torch._C.TensorBase' "
                                 "object needs an argument")
        if not isinstance(args[0], Tensor):
            raise TorchTypeError(
                f"descriptor '{self.__name__}' for 'torch._C.TensorBase' objects doesn't "
                f"apply to a '{type(args[0]).__name__}' object")
        return self._get(args[0])(*args[1:], **kwargs)

    def __repr__(self) -> str:
        return f"<method '{self.__name__}' of 'torch._C.TensorBase' objects>"


def _tensor_class():
    """``torch.Tensor`` as a script sees it: the class that ``type(x)`` gives and
    ``isinstance`` tests, that constructs (``torch.Tensor(2, 3)``), and whose attributes are
    the tensor methods, unbound."""
    import inspect

    from adcli.lang.ast import DUNDER_METHODS
    from adcli.lang.pylib import pybuiltins
    from adcli.lang.pylib._common import PyType

    getters = {n: acc for n, acc in TENSOR_ACCESSORS.items()
               if callable(inspect.getattr_static(Tensor, n, None))}
    getters.update((n, operator.attrgetter(n)) for n in DUNDER_METHODS if n not in (
        "__init__", "__setattr__", "__delattr__", "__getattr__", "__new__")
        and callable(inspect.getattr_static(Tensor, n, None)))
    unbound: dict = {}

    class TensorClass(PyType):
        __slots__ = ()

        def class_attribute(self, name: str):
            if name not in getters:
                raise TorchAttributeError(f"type object 'Tensor' has no attribute '{name}'")
            if name not in unbound:
                unbound[name] = _UnboundTensorMethod(name, getters[name])
            return unbound[name]

    cls = TensorClass(Tensor, "torch.Tensor", Tensor)
    pybuiltins.TYPES[Tensor] = cls  # type(x) is torch.Tensor
    return cls


TENSOR_CLASS = _tensor_class()
for _table_ in (_torch_members, GLOBALS):
    _table_["Tensor"] = TENSOR_CLASS
del _table_

LIST_ACCESSORS = {"append": operator.attrgetter("append"), "index": operator.attrgetter("index"),
                  "count": operator.attrgetter("count")}
TUPLE_ACCESSORS = {"index": operator.attrgetter("index"), "count": operator.attrgetter("count")}


def _optional(name: str):
    """An accessor for an attribute that only some grad_fn classes have (``variable`` is
    AccumulateGrad's): where the object has none, an AttributeError as torch gives. An
    AttributeError from inside an attribute that exists is still a bug."""
    get = operator.attrgetter(name)

    def access(obj):
        if not hasattr(type(obj), name) and name not in getattr(obj, "__dict__", ()):
            raise TorchAttributeError(f"'{type(obj).__name__}' object has no attribute '{name}'")
        return get(obj)

    return access


GRAD_FN_ACCESSORS = {n: _optional(n) for n in GRAD_FN_ATTRIBUTES}
RETURN_TYPE_ACCESSORS = {n: operator.attrgetter(n) for n in RETURN_TYPE_ATTRIBUTES}
HANDLE_ACCESSORS = {"remove": operator.attrgetter("remove")}  # what register_hook returns
# a torch.Generator (torch.manual_seed returns the default one)
GENERATOR_ACCESSORS = {name: operator.attrgetter(name) for name in (
    "manual_seed", "seed", "initial_seed", "get_state", "set_state", "device")}


def load_all() -> None:
    """Build every lazy namespace now: before a parent forks workers that would each import
    them again, and where a listing needs every name (the REPL's completions, the docs)."""
    for namespace in (NN, AUTOGRAD, OPTIM, UTILS.members["data"], UTILS.members["checkpoint"],
                      FUNC, DISTRIBUTIONS, TESTING, TORCH_ONLY["jit"],
                      *(v for v in IMPORT_MODULES.values() if isinstance(v, Namespace))):
        namespace.members  # noqa: B018 - reading it builds it
