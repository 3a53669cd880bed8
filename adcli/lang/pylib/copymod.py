"""``copy``: shallow and deep copies, iterative (a 10**5-deep list copies without
recursion) and counted against the Python-object bound.

Tensors copy as torch's ``__deepcopy__`` does: a leaf becomes a new leaf with the same
``requires_grad`` (and a copy of its ``.grad``; an ``nn.Parameter``'s ``.grad`` is not
copied, as torch's ``Parameter.__deepcopy__``); a non-leaf is torch's RuntimeError.

Instances (a script's classes, and the engine's public classes: modules, optimizers,
schedulers) copy as Python's ``copy`` does through ``__reduce_ex__``: a new object of the
same class whose ``__dict__`` is a deep copy of the original's, registered in the memo
first (so shared and cyclic references stay shared inside the copy). A bound method copies
as Python's ``_deepcopy_method``: the same function bound to a copy of its ``__self__``.
"""

from __future__ import annotations

import enum
import functools
import types
from collections import Counter, OrderedDict, defaultdict, deque

from adcli.errors import TorchRuntimeError, TorchTypeError, TorchValueError
from adcli.lang.pylib._common import BoundMethod, PyType, check_objects
from adcli.lang.pylib.hooks import DEFAULT, Hooks

_ATOMIC = (type(None), int, float, bool, complex, str, bytes, range, type(Ellipsis),
           type(NotImplemented), PyType, type, slice, enum.Enum)  # an enum member is one
_NON_LEAF = ("Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
             "protocol at the moment.  If you were attempting to deepcopy a module, this may "
             "be because of a torch.nn.utils.weight_norm usage, see "
             "https://github.com/pytorch/pytorch/pull/103001")


def _is_tensor(obj) -> bool:
    cls = type(obj)
    return cls.__name__ == "Tensor" and cls.__module__ in ("torch", "adcli.engine.tensor")


def _is_atomic(obj) -> bool:
    if isinstance(obj, _ATOMIC) or isinstance(obj, _torch_atomic()):
        return True
    # functions, builtins, bound methods: Python's deepcopy keeps them as they are
    return isinstance(obj, _FUNCTIONS)


_FUNCTIONS = (types.FunctionType, types.BuiltinFunctionType, types.BuiltinMethodType,
              functools.partial, BoundMethod)
_TORCH_ATOMIC: list = []  # torch.dtype, torch.device: one object each, as torch's reduce


def _torch_atomic() -> tuple:
    if not _TORCH_ATOMIC:
        from adcli.engine.devices import device
        from adcli.engine.dtypes import dtype

        _TORCH_ATOMIC.append((dtype, device))
    return _TORCH_ATOMIC[0]
_MUTABLE = (list, dict, set, deque)  # (subclasses: Counter, OrderedDict, defaultdict)
_CONTAINERS = (list, dict, set, deque, tuple, frozenset)


def _children(obj) -> list:
    if isinstance(obj, dict):
        out = []
        for k, v in obj.items():
            out += (k, v)
        if isinstance(obj, defaultdict) and obj.default_factory is not None:
            out.append(obj.default_factory)
        return out
    return list(obj)


def _copy_tensor(t, memo_copy):
    if not t.is_leaf:
        raise TorchRuntimeError(_NON_LEAF)
    new = t.__deepcopy__({})
    if t.grad is not None and not t._param:  # torch's Parameter.__deepcopy__ drops .grad
        new.grad = memo_copy(t.grad)
    return new


def deepcopy(x, memo=None, *, hooks: Hooks = DEFAULT):
    """``copy.deepcopy(x)``: iterative. Every container and item visited counts against
    the Python-object bound."""
    memo = {} if memo is None else memo
    if _is_atomic(x):
        return x
    if id(x) in memo:
        return memo[id(x)]
    order: list = []  # post-order of containers and other values
    state: dict[int, int] = {}  # id -> 1 grey (on the path), 2 done
    keep: list = []  # keeps visited objects alive while ids are in use
    stack = [(x, False)]
    visited = 0
    while stack:
        obj, expanded = stack.pop()
        oid = id(obj)
        if expanded:
            state[oid] = 2
            order.append(obj)
            continue
        if oid in state or oid in memo:
            continue
        state[oid] = 1
        keep.append(obj)
        stack.append((obj, True))
        if isinstance(obj, _CONTAINERS):
            kids = _children(obj)
            visited += len(kids) + 1
            check_objects(visited, "copy.deepcopy()")
            for child in reversed(kids):
                if not _is_atomic(child) and id(child) not in state and id(child) not in memo:
                    stack.append((child, False))
    # shells of the mutable containers first (cycles go through them), then the rest
    for obj in order:
        if isinstance(obj, _MUTABLE):
            memo[id(obj)] = _shell(obj)

    def get(child):
        if _is_atomic(child):
            return child
        try:
            return memo[id(child)]
        except KeyError:
            raise TorchValueError("deepcopy of a tuple that contains itself is not supported "
                                  "in adcli") from None

    def deep_child(child):
        return deepcopy(child, memo, hooks=hooks)

    for obj in order:
        oid = id(obj)
        if oid in memo and not isinstance(obj, _MUTABLE):
            continue  # copied already, inside an instance copied before it
        if isinstance(obj, tuple):
            items = [get(c) for c in obj]
            memo[oid] = type(obj)._make(items) if hasattr(type(obj), "_fields") \
                else tuple(items)
        elif isinstance(obj, frozenset):
            memo[oid] = frozenset(get(c) for c in obj)
        elif isinstance(obj, _MUTABLE):
            continue
        elif _is_tensor(obj):
            memo[oid] = _copy_tensor(obj, deep_child)
        elif isinstance(obj, types.MethodType):
            memo[oid] = types.MethodType(obj.__func__, deep_child(obj.__self__))
        else:
            copied = hooks.deepcopy_instance(obj, deep_child, memo)
            if copied is None:
                if not callable(obj):  # an interpreter function is kept, as Python does
                    raise TorchTypeError(f"cannot deepcopy '{type(obj).__name__}' object")
                copied = obj
            memo[oid] = copied
    for obj in order:
        if isinstance(obj, _MUTABLE):
            _fill(memo[id(obj)], obj, get)
    return memo[id(x)]


def _shell(obj):
    if isinstance(obj, defaultdict):
        return defaultdict(None)
    if isinstance(obj, deque):
        return deque(maxlen=obj.maxlen)
    return type(obj)() if type(obj) in (list, dict, set, Counter, OrderedDict) else \
        (list() if isinstance(obj, list) else dict() if isinstance(obj, dict) else set())


def _fill(new, old, get) -> None:
    if isinstance(old, dict):
        if isinstance(old, defaultdict):
            new.default_factory = get(old.default_factory) if old.default_factory else None
        for k, v in old.items():
            new[get(k)] = get(v)
    elif isinstance(old, set):
        new.update(get(c) for c in old)
    else:
        new.extend(get(c) for c in old)


def copy(x, *, hooks: Hooks = DEFAULT):
    """``copy.copy(x)``: a new container of the same type with the same items."""
    if _is_atomic(x) or isinstance(x, tuple | frozenset):
        return x
    if isinstance(x, list | dict | set | deque):
        return x.copy()
    if _is_tensor(x):
        raise TorchTypeError("copy.copy() of a tensor is not supported in adcli; use "
                             ".clone() or copy.deepcopy()")
    copied = hooks.copy_instance(x)
    if copied is None:
        if not callable(x):
            raise TorchTypeError(f"cannot copy '{type(x).__name__}' object")
        copied = x
    return copied


def make_table(hooks: Hooks = DEFAULT) -> dict:
    return {"copy": lambda x: copy(x, hooks=hooks),
            "deepcopy": lambda x, memo=None: deepcopy(x, memo, hooks=hooks)}
