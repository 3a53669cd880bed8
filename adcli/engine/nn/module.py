"""``nn.Module``: the base of every layer, and of a script's own models.

A script's ``class Net(nn.Module)`` is a host class with this one as its base
(``__adcli_subclassable__``). Attribute assignment registers parameters, buffers and
submodules as torch does (``__setattr__``), and reading them goes through
``__getattr__``; a script reads only the names in ``__adcli_public__`` and what its own
classes define (adcli/lang/classes.py). Printing, ``state_dict`` and the hooks follow
torch 2.13's ``torch/nn/modules/module.py``.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict, namedtuple

from adcli.engine import api
from adcli.engine import tensor as _tensor
from adcli.engine.nn.parameter import Parameter, is_parameter
from adcli.engine.nn.sites import SITES
from adcli.engine.tensor import RemovableHandle, Tensor
from adcli.errors import (
    TorchAttributeError,
    TorchKeyError,
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchTypeError,
    TorchValueError,
)

_hook_ids = itertools.count()


def typename(value) -> str:
    """torch.typename: 'torch.FloatTensor' for a tensor, the qualified type otherwise."""
    if isinstance(value, Tensor):
        return value.type()
    cls = type(value)
    module = cls.__module__
    if module in ("builtins", "__main__") or module.startswith("adcli."):
        return cls.__qualname__
    return f"{module}.{cls.__qualname__}"


def _addindent(text: str, spaces: int) -> str:
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    pad = " " * spaces
    return lines[0] + "\n" + "\n".join(pad + line for line in lines[1:])


def _every_module(root):
    """(prefix, module) for every path to a submodule, as torch's load_state_dict walks
    them: a module registered under two names is loaded under both (named_modules would
    list it once); a module that contains itself is not entered again."""
    stack = [("", root, frozenset((id(root),)))]
    while stack:
        pre, mod, above = stack.pop()
        yield pre, mod
        kids = [(pre + ("." if pre else "") + name, m, above | {id(m)})
                for name, m in mod._modules.items() if m is not None and id(m) not in above]
        stack.extend(reversed(kids))


class _IncompatibleKeys(namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    __slots__ = ()
    __module__ = "torch.nn.modules.module"  # type(m.load_state_dict(sd)) as torch shows it

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


class _Handle(RemovableHandle):
    """What register_*_hook returns: ``remove()`` takes the hook out of its dict."""

    __slots__ = ()

    def __init__(self, hooks: dict, key) -> None:
        self._hooks, self._key = hooks, key


class Module:
    """Base class for all neural network modules."""

    __adcli_subclassable__ = True
    __adcli_public__ = frozenset((
        "training", "forward", "parameters", "named_parameters", "buffers", "named_buffers",
        "children", "named_children", "modules", "named_modules", "state_dict",
        "load_state_dict", "zero_grad", "train", "eval", "requires_grad_", "apply", "to",
        "cpu", "cuda", "float", "double", "half", "type", "register_buffer",
        "register_parameter", "add_module", "register_module", "get_submodule",
        "get_parameter", "get_buffer", "register_forward_hook",
        "register_forward_pre_hook", "register_full_backward_hook",
        "register_full_backward_pre_hook", "extra_repr", "_forward_pre_hooks",
    ))
    # names a script may set on an instance: any that is not a dunder (__setattr__ below)
    __adcli_settable__ = True
    _version = 1
    call_super_init = False
    # (forward, site): the line of torch's module file where a warning raised by its
    # forward is reported (engine/nn/sites.py), for the classes whose forward is torch's
    _torch_site = None

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        site = SITES.get(cls.__name__)
        forward = cls.__dict__.get("forward")
        if site is not None and getattr(forward, "__module__", "").startswith("adcli.engine"):
            cls._torch_site = (forward, site)

    def __init__(self, *args, **kwargs) -> None:
        if args:
            raise TorchTypeError(f"{type(self).__name__}.__init__() takes 1 positional "
                                 f"argument but {len(args) + 1} were given")
        if kwargs:
            raise TorchTypeError(f"{type(self).__name__}.__init__() got an unexpected "
                                 f"keyword argument '{next(iter(kwargs))}'")
        d = self.__dict__
        d["training"] = True
        d["_parameters"] = {}
        d["_buffers"] = {}
        d["_non_persistent_buffers_set"] = set()
        d["_modules"] = {}
        d["_forward_hooks"] = OrderedDict()
        d["_forward_pre_hooks"] = OrderedDict()  # id -> hook, as torch keeps them
        d["_forward_pre_hooks_with_kwargs"] = {}  # id -> True for a with_kwargs hook
        d["_backward_hooks"] = OrderedDict()
        d["_backward_pre_hooks"] = OrderedDict()

    # ---------------------------------------------------------------- calling
    def forward(self, *args, **kwargs):
        raise TorchNotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function')

    def __call__(self, *args, **kwargs):
        d = self.__dict__
        if "_forward_hooks" not in d:
            raise TorchAttributeError(f"'{type(self).__name__}' object has no attribute "
                                      "'_forward_hooks'")
        pre, post = d["_forward_pre_hooks"], d["_forward_hooks"]
        if not pre and not post and not d["_backward_hooks"] and not d["_backward_pre_hooks"]:
            site = self._torch_site
            if site is None or type(self).forward is not site[0]:
                return self.forward(*args, **kwargs)
            return self._forward_at(site[1], args, kwargs)
        kw = d.get("_forward_pre_hooks_with_kwargs", {})
        for key, hook in list(pre.items()):
            if kw.get(key):
                res = hook(self, args, kwargs)
                if res is not None:
                    args, kwargs = res
            else:
                res = hook(self, args)
                if res is not None:
                    args = res if isinstance(res, tuple) else (res,)
        state = None
        if d["_backward_hooks"] or d["_backward_pre_hooks"]:
            from adcli.engine.nn import hooks

            state, args = hooks.setup_inputs(self, args)
        site = self._torch_site
        if site is None or type(self).forward is not site[0]:
            result = self.forward(*args, **kwargs)
        else:
            result = self._forward_at(site[1], args, kwargs)
        for hook, with_kwargs in list(post.values()):
            res = hook(self, args, kwargs, result) if with_kwargs else hook(self, args, result)
            if res is not None:
                result = res
        if state is not None:
            result = hooks.setup_outputs(state, result)
        return result

    def _forward_at(self, site: tuple, args, kwargs):
        """torch's forward, its warnings reported at torch's line ``site``."""
        outer = _tensor.WARNING_SITE[0]
        _tensor.WARNING_SITE[0] = site
        try:
            return self.forward(*args, **kwargs)
        finally:
            _tensor.WARNING_SITE[0] = outer

    def _register_hook(self, table: str, hook, extra) -> _Handle:
        if not callable(hook):
            raise TorchTypeError(f"hook must be callable, not {type(hook).__name__}")
        hooks = self.__dict__[table]
        key = next(_hook_ids)
        hooks[key] = (hook, extra)
        return _Handle(hooks, key)

    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        handle = self._register_hook("_forward_pre_hooks", hook, with_kwargs)
        key = handle._key
        self._forward_pre_hooks[key] = hook  # the hook itself, as torch's dict holds it
        if with_kwargs:
            self.__dict__.setdefault("_forward_pre_hooks_with_kwargs", {})[key] = True
        if prepend:
            self._forward_pre_hooks.move_to_end(handle._key, last=False)
        return handle

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False,
                              always_call=False):
        handle = self._register_hook("_forward_hooks", hook, with_kwargs)
        if prepend:
            self._forward_hooks.move_to_end(handle._key, last=False)
        return handle

    def register_full_backward_hook(self, hook, prepend=False):
        handle = self._register_hook("_backward_hooks", hook, None)
        if prepend:
            self._backward_hooks.move_to_end(handle._key, last=False)
        return handle

    def register_full_backward_pre_hook(self, hook, prepend=False):
        handle = self._register_hook("_backward_pre_hooks", hook, None)
        if prepend:
            self._backward_pre_hooks.move_to_end(handle._key, last=False)
        return handle

    # ---------------------------------------------------------------- attributes
    def __getattr__(self, name: str):
        d = self.__dict__
        for table in ("_parameters", "_buffers", "_modules"):
            members = d.get(table)
            if members is not None and name in members:
                return members[name]
        err = TorchAttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        err.missing_name = name
        err.dir_names = [n for n in self.__dir__() if not n.startswith("_")]
        raise err

    def __adcli_getattr__(self, name: str):
        """What a script reads past its own names: a parameter, buffer or submodule."""
        return Module.__getattr__(self, name)

    def __setattr__(self, name: str, value) -> None:
        d = self.__dict__
        params = d.get("_parameters")
        if is_parameter(value):
            if params is None:
                raise TorchAttributeError(
                    "cannot assign parameters before Module.__init__() call")
            _remove_from(name, d, d["_buffers"], d["_modules"])
            d["_non_persistent_buffers_set"].discard(name)
            self.register_parameter(name, value)
            return
        if params is not None and name in params:
            if value is not None:
                raise TorchTypeError(f"cannot assign '{typename(value)}' as parameter "
                                     f"'{name}' (torch.nn.Parameter or None expected)")
            self.register_parameter(name, value)
            return
        modules = d.get("_modules")
        if isinstance(value, Module):
            if modules is None:
                raise TorchAttributeError(
                    "cannot assign module before Module.__init__() call")
            _remove_from(name, d, d["_parameters"], d["_buffers"])
            d["_non_persistent_buffers_set"].discard(name)
            modules[name] = value
            return
        if modules is not None and name in modules:
            if value is not None:
                raise TorchTypeError(f"cannot assign '{typename(value)}' as child module "
                                     f"'{name}' (torch.nn.Module or None expected)")
            modules[name] = value
            return
        buffers = d.get("_buffers")
        if buffers is not None and name in buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TorchTypeError(f"cannot assign '{typename(value)}' as buffer '{name}' "
                                     "(torch.Tensor or None expected)")
            buffers[name] = value
            return
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        d = self.__dict__
        for table in ("_parameters", "_buffers", "_modules"):
            if name in d.get(table, ()):
                del d[table][name]
                d["_non_persistent_buffers_set"].discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self):
        d = self.__dict__
        names = set(dir(type(self))) | set(d)
        for table in ("_parameters", "_buffers", "_modules"):
            names |= set(d.get(table, ()))
        return sorted(n for n in names if not n[:1].isdigit())

    def _check_name(self, name, what: str) -> None:
        if "_parameters" not in self.__dict__:
            raise TorchAttributeError(f"cannot assign {what} before Module.__init__() call")
        if not isinstance(name, str):
            raise TorchTypeError(f"{what} name should be a string. Got {typename(name)}")
        if "." in name:
            raise TorchKeyError(f'{what} name can\'t contain "."')
        if name == "":
            raise TorchKeyError(f'{what} name can\'t be empty string ""')

    def register_parameter(self, name: str, param) -> None:
        self._check_name(name, "parameter")
        d = self.__dict__
        if name in d and name not in d["_parameters"]:
            raise TorchKeyError(f"attribute '{name}' already exists")
        if param is None:
            d["_parameters"][name] = None
            return
        if not is_parameter(param):
            raise TorchTypeError(f"cannot assign '{typename(param)}' object to parameter "
                                 f"'{name}' (torch.nn.Parameter or None required)")
        if param.grad_fn is not None:
            raise TorchValueError(
                f"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must "
                f"be created explicitly. To express '{name}' as a function of another Tensor, "
                "compute the value in the forward() method.")
        d["_parameters"][name] = param

    def register_buffer(self, name: str, tensor, persistent: bool = True) -> None:
        self._check_name(name, "buffer")
        d = self.__dict__
        if name in d and name not in d["_buffers"]:
            raise TorchKeyError(f"attribute '{name}' already exists")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TorchTypeError(f"cannot assign '{typename(tensor)}' object to buffer "
                                 f"'{name}' (torch Tensor or None required)")
        d["_buffers"][name] = tensor
        if persistent:
            d["_non_persistent_buffers_set"].discard(name)
        else:
            d["_non_persistent_buffers_set"].add(name)

    def add_module(self, name: str, module) -> None:
        if module is not None and not isinstance(module, Module):
            raise TorchTypeError(f"{typename(module)} is not a Module subclass")
        self._check_name(name, "module")
        d = self.__dict__
        if name in d and name not in d["_modules"]:
            raise TorchKeyError(f"attribute '{name}' already exists")
        d["_modules"][name] = module

    register_module = add_module

    def get_submodule(self, target: str = ""):
        if target == "":
            return self
        mod = self
        for item in target.split("."):
            if not hasattr(mod, item):
                raise TorchAttributeError(f"{mod._get_name()} has no attribute `{item}`")
            mod = getattr(mod, item)
            if not isinstance(mod, Module):
                raise TorchAttributeError(f"`{item}` is not an nn.Module")
        return mod

    def get_parameter(self, target: str):
        path, _, name = target.rpartition(".")
        mod = self.get_submodule(path)
        if name not in mod._parameters:
            raise TorchAttributeError(f"{mod._get_name()} has no parameter `{name}`")
        return mod._parameters[name]

    def get_buffer(self, target: str):
        path, _, name = target.rpartition(".")
        mod = self.get_submodule(path)
        if name not in mod._buffers:
            raise TorchAttributeError(f"{mod._get_name()} has no buffer `{name}`")
        return mod._buffers[name]

    # ---------------------------------------------------------------- traversal
    def _named_members(self, get, prefix="", recurse=True, remove_duplicate=True):
        seen = set()
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) \
            if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for k, v in get(module):
                if v is None or (remove_duplicate and id(v) in seen):
                    continue
                if remove_duplicate:
                    seen.add(id(v))
                yield (module_prefix + ("." if module_prefix else "") + k, v)

    def parameters(self, recurse: bool = True):
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True):
        yield from self._named_members(lambda m: m._parameters.items(), prefix, recurse,
                                       remove_duplicate)

    def buffers(self, recurse: bool = True):
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True):
        yield from self._named_members(lambda m: m._buffers.items(), prefix, recurse,
                                       remove_duplicate)

    def children(self):
        for _, m in self.named_children():
            yield m

    def named_children(self):
        seen = set()
        for name, m in self._modules.items():
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                yield name, m

    def modules(self):
        for _, m in self.named_modules():
            yield m

    def named_modules(self, memo=None, prefix: str = "", remove_duplicate: bool = True):
        # iteratively, in torch's (pre-)order: a deep nesting does not recurse in Python
        if memo is None:
            memo = set()
        stack = [(prefix, self)]
        while stack:
            pre, mod = stack.pop()
            if remove_duplicate:
                if id(mod) in memo:
                    continue
                memo.add(id(mod))
            yield pre, mod
            kids = [(pre + ("." if pre else "") + name, m)
                    for name, m in mod._modules.items() if m is not None]
            stack.extend(reversed(kids))

    # ---------------------------------------------------------------- modes and grads
    def train(self, mode: bool = True):
        if not isinstance(mode, bool):
            raise TorchValueError("training mode is expected to be boolean")
        for m in self.modules():
            m.__dict__["training"] = mode
        return self

    def eval(self):
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True):
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            else:
                g = p.grad
                if g.grad_fn is not None:
                    g.detach_()
                else:
                    g.requires_grad_(False)
                g.zero_()

    def apply(self, fn):
        for m in list(self.children()):
            m.apply(fn)
        fn(self)
        return self

    # ---------------------------------------------------------------- conversions
    def _convert(self, fn):
        for m in self.modules():
            for table in ("_parameters", "_buffers"):
                for k, v in m.__dict__[table].items():
                    if v is None:
                        continue
                    new = fn(v)
                    if new is v:
                        continue
                    if table == "_parameters":
                        with api.no_grad():
                            p = Parameter(new, v.requires_grad)
                        if v.grad is not None:
                            p.grad = fn(v.grad)
                        m.__dict__[table][k] = p
                    else:
                        m.__dict__[table][k] = new
        return self

    def to(self, *args, **kwargs):
        dtype = kwargs.get("dtype")
        device = kwargs.get("device")
        for a in args:
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif isinstance(a, api.dtype):
                dtype = a
            else:
                device = a
        if device is not None:
            from adcli.engine import devices

            devices.check(device)
        if dtype is not None and not dtype.is_floating_point:
            raise TorchTypeError("nn.Module.to only accepts floating point or complex dtypes, "
                                 f"but got desired dtype={dtype}")
        if dtype is None:
            return self
        return self._convert(lambda t: t.to(dtype) if t.is_floating_point() else t)

    def cpu(self):
        return self

    def cuda(self, device=None):
        from adcli.engine import devices

        devices.check("cuda")
        return self

    def float(self):
        return self._convert(lambda t: t.float() if t.is_floating_point() else t)

    def double(self):
        return self._convert(lambda t: t.double() if t.is_floating_point() else t)

    def half(self):
        return self._convert(lambda t: t.half() if t.is_floating_point() else t)

    def type(self, dst_type):
        return self._convert(lambda t: t.type(dst_type))

    # ---------------------------------------------------------------- state
    def state_dict(self, *args, destination=None, prefix: str = "", keep_vars: bool = False):
        if args:
            destination = args[0]
            if len(args) > 1:
                prefix = args[1]
            if len(args) > 2:
                keep_vars = args[2]
        if destination is None:
            destination = OrderedDict()
            destination._metadata = OrderedDict()  # each module's version, as torch keeps
        metadata = getattr(destination, "_metadata", None)
        if metadata is not None:
            metadata[prefix[:-1]] = {"version": self._version}
        for name, p in self._parameters.items():
            if p is not None:
                destination[prefix + name] = p if keep_vars else p.detach()
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = b if keep_vars else b.detach()
        for name, m in self._modules.items():
            if m is not None:
                m.state_dict(destination=destination, prefix=prefix + name + ".",
                             keep_vars=keep_vars)
        return destination

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False):
        if not isinstance(state_dict, dict):
            raise TorchTypeError(f"Expected state_dict to be dict-like, got "
                                 f"{type(state_dict)}.")
        missing, unexpected, errors = [], [], []
        expected = set()
        metadata = getattr(state_dict, "_metadata", None)
        for mod_prefix, mod in _every_module(self):
            pre = mod_prefix + "." if mod_prefix else ""
            version = (metadata.get(mod_prefix) or {}).get("version") if metadata else None
            # as torch's BatchNorm: a state_dict from before its version 2 lacks
            # num_batches_tracked, and the module keeps its own
            fill = ("num_batches_tracked" if getattr(mod, "_fills_num_batches_tracked", False)
                    and mod.track_running_stats and (version is None or version < 2)
                    else None)
            local = {**{k: v for k, v in mod._parameters.items() if v is not None},
                     **{k: v for k, v in mod._buffers.items()
                        if v is not None and k not in mod._non_persistent_buffers_set}}
            for name, param in local.items():
                key = pre + name
                expected.add(key)
                if key not in state_dict:
                    if name != fill:
                        missing.append(key)
                    continue
                value = state_dict[key]
                if not isinstance(value, Tensor):
                    errors.append(f'While copying the parameter named "{key}", expected '
                                  f"torch.Tensor or Tensor-like object from checkpoint but "
                                  f"received {type(value)}")
                    continue
                if tuple(value.shape) != tuple(param.shape):
                    errors.append(
                        f"size mismatch for {key}: copying a param with shape "
                        f"{_size(value)} from checkpoint, the shape in current model is "
                        f"{_size(param)}.")
                    continue
                if assign:
                    if is_parameter(param):
                        with api.no_grad():
                            new = Parameter(value, param.requires_grad)
                        mod._parameters[name] = new
                    else:
                        mod._buffers[name] = value
                else:
                    with api.no_grad():
                        param.copy_(value)
        for key in state_dict:
            if key not in expected:
                unexpected.append(key)
        if strict and (missing or unexpected):
            if unexpected:
                errors.insert(0, "Unexpected key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in unexpected)))
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: {}. ".format(
                    ", ".join(f'"{k}"' for k in missing)))
        if errors:
            raise TorchRuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(
                self._get_name(), "\n\t".join(errors)))
        return _IncompatibleKeys(missing, unexpected)

    # ---------------------------------------------------------------- printing
    def _get_name(self) -> str:
        return type(self).__name__

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = []
        for key, module in self._modules.items():
            child_lines.append("(" + key + "): " + _addindent(repr(module), 2))
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"


def _size(t: Tensor) -> str:
    return f"torch.Size({list(t.shape)})"


def _remove_from(name: str, *tables) -> None:
    for t in tables:
        if name in t:
            del t[name]
