"""``torch.func``: grad, grad_and_value, vjp, jvp, jacrev, jacfwd, hessian, vmap and
functional_call, on the reverse-mode engine.

torch's transforms run ``f`` at a new "level"; here each call gives ``f`` fresh inputs that
require grad (a detached copy, or a differentiable alias when the input already requires
grad, so that transforms nest: ``grad(grad(f))``, ``jacrev(jacrev(f))``, ``vmap(grad(f))``)
and differentiates with ``autograd.grad``, keeping the graph only when an input outside
required grad. Forward mode (``jvp``, ``jacfwd``) is the double-vjp trick: the vjp is
linear in its cotangent ``u``, so d<vjp(u), t>/du is J t. ``vmap`` loops over the batch
dimension and stacks the results.
"""

from __future__ import annotations

import numpy as np

from adcli.engine import api as _api
from adcli.engine import functional as _functional
from adcli.engine import tensor as _tensor
from adcli.engine.tensor import Tensor, _wrap
from adcli.errors import TorchRuntimeError, TorchValueError


class _grad_mode:
    def __init__(self, mode: bool) -> None:
        self.mode = mode

    def __enter__(self):
        self.prev = _tensor.set_grad_mode(self.mode)

    def __exit__(self, *exc):
        _tensor.set_grad_mode(self.prev)


# ---- pytrees: a tensor, or tuples, lists and dicts of them --------------------------------


def _flatten(tree) -> tuple[list, object]:
    """The leaves of ``tree`` and a spec to rebuild it (``_unflatten``)."""
    if isinstance(tree, tuple | list):
        leaves, specs = [], []
        for t in tree:
            ls, sp = _flatten(t)
            leaves.extend(ls)
            specs.append((len(ls), sp))
        return leaves, (type(tree), specs)
    if isinstance(tree, dict):
        leaves, specs = [], []
        for k, t in tree.items():
            ls, sp = _flatten(t)
            leaves.extend(ls)
            specs.append((k, len(ls), sp))
        return leaves, (dict, specs)
    return [tree], None


def _unflatten(leaves: list, spec):
    if spec is None:
        return leaves[0]
    kind, specs = spec
    out, i = [], 0
    if kind is dict:
        d = {}
        for k, n, sp in specs:
            d[k] = _unflatten(leaves[i:i + n], sp)
            i += n
        return d
    for n, sp in specs:
        out.append(_unflatten(leaves[i:i + n], sp))
        i += n
    return tuple(out) if kind is tuple else out


def _name(f) -> str:
    return getattr(f, "__name__", type(f).__name__)


def _named(wrapper, f, qualname: str | None = None):
    """``wrapper`` printed as torch prints its transform (functools.wraps copies f's name)."""
    name = getattr(f, "__name__", None)
    if qualname is not None:
        wrapper.__name__ = "wrapper"
        wrapper.__qualname__ = qualname
    elif isinstance(name, str):
        wrapper.__name__ = name
        wrapper.__qualname__ = getattr(f, "__qualname__", name)
    return wrapper


def _lift(x: Tensor, fn: str) -> tuple[Tensor, bool]:
    """A fresh input for ``f`` that requires grad: an alias of ``x`` keeping its history
    when ``x`` requires grad (then the result stays differentiable), else a detached copy."""
    if not isinstance(x, Tensor):
        raise TorchValueError(f"{fn}: Expected f to be called with Tensors as the arguments "
                              f"being differentiated, got {type(x).__name__}")
    if x._data.dtype.kind not in "fc":
        raise TorchRuntimeError("only Tensors of floating point dtype can require gradients")
    if x.requires_grad:
        with _grad_mode(True):
            return x.view_as(x), True
    return x.detach().requires_grad_(True), False


def _argnums(argnums, n: int, fn: str) -> tuple[tuple, bool]:
    if isinstance(argnums, bool) or not isinstance(argnums, int | tuple):
        raise TorchRuntimeError(f"{fn}: argnums must be int or Tuple[int, ...], got: "
                                f"{type(argnums).__name__}")
    many = isinstance(argnums, tuple)
    nums = argnums if many else (argnums,)
    if many and not nums:
        raise TorchRuntimeError(f"{fn}: argnums must be non-empty")
    out = []
    for a in nums:
        if isinstance(a, bool) or not isinstance(a, int):
            raise TorchRuntimeError(f"{fn}: argnums must be int or Tuple[int, ...], got: "
                                    f"{type(a).__name__}")
        if not -n <= a < n:
            raise TorchRuntimeError(f"Got argnum={a}, but only {n} positional inputs")
        out.append(a % n)
    if len(set(out)) != len(out):
        raise TorchRuntimeError(f"{fn}: argnums must be unique, got {argnums}")
    return tuple(out), many


def _prepare(args: tuple, nums: tuple, fn: str):
    """The arguments with those at ``nums`` lifted; the lifted leaves per argnum (with
    their specs), and whether any of them kept a history outside."""
    args = list(args)
    groups, keep = [], False
    for a in nums:
        leaves, spec = _flatten(args[a])
        lifted = []
        for x in leaves:
            y, k = _lift(x, fn)
            lifted.append(y)
            keep = keep or k
        args[a] = _unflatten(lifted, spec)
        groups.append((lifted, spec))
    return args, groups, keep


def _grads(out, inputs: list, cot, keep: bool) -> list:
    """d<out, cot>/d inputs (zeros where unused)."""
    outs = out if isinstance(out, list) else [out]
    cots = cot if isinstance(cot, list) else [cot]
    pairs = [(o, c) for o, c in zip(outs, cots) if o.requires_grad]
    if pairs:
        gs = _functional.grad([o for o, _ in pairs], inputs, [c for _, c in pairs],
                              retain_graph=True, create_graph=keep, allow_unused=True)
    else:
        gs = (None,) * len(inputs)
    return [g if g is not None else _api.zeros_like(x) for x, g in zip(inputs, gs)]


def _detach_tree(tree, keep: bool):
    if keep:
        return tree
    leaves, spec = _flatten(tree)
    return _unflatten([x.detach() if isinstance(x, Tensor) else x for x in leaves], spec)


# ---- grad, grad_and_value -----------------------------------------------------------------


def grad_and_value(func, argnums=0, has_aux=False):
    """torch.func.grad_and_value: ``(gradient, value)`` (``((gradient, (value, aux))`` with
    has_aux)."""

    def wrapper(*args, **kwargs):
        nums, many = _argnums(argnums, len(args), "grad_and_value(f)(*args)")
        with _grad_mode(True):
            call, groups, keep = _prepare(args, nums, "grad_and_value(f)(*args)")
            result = func(*call, **kwargs)
            aux = None
            if has_aux:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise TorchRuntimeError(
                        "grad_and_value(f)(*args): output of function f should be a tuple: "
                        "(output, aux) if has_aux is True")
                result, aux = result
            if not isinstance(result, Tensor):
                raise TorchRuntimeError(
                    "grad_and_value(f)(*args): Expected f(*args) to return a Tensor, got "
                    f"{type(result)}")
            if result._data.ndim != 0:
                raise TorchRuntimeError(
                    "grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, "
                    f"got tensor with {result._data.ndim} dims. Maybe you wanted to use the "
                    "vjp or jacrev APIs instead?")
            flat = [x for lifted, _ in groups for x in lifted]
            gs = _grads(result, flat, _wrap(np.ones((), result._data.dtype)), keep)
        per, i = [], 0
        for lifted, spec in groups:
            per.append(_unflatten(gs[i:i + len(lifted)], spec))
            i += len(lifted)
        g = tuple(per) if many else per[0]
        value = result if keep else result.detach()
        if has_aux:
            return g, (value, _detach_tree(aux, keep))
        return g, value

    return _named(wrapper, func)


def grad(func, argnums=0, has_aux=False):
    """torch.func.grad: the gradient of a scalar function (with its aux when has_aux)."""
    inner = grad_and_value(func, argnums, has_aux)

    def wrapper(*args, **kwargs):
        g, value = inner(*args, **kwargs)
        if has_aux:
            return g, value[1]
        return g

    return _named(wrapper, func)


# ---- vjp, jvp -----------------------------------------------------------------------------


def vjp(func, *primals, has_aux=False):
    """torch.func.vjp: ``(output, vjp_fn)`` (``(output, vjp_fn, aux)`` with has_aux);
    ``vjp_fn(cotangents)`` gives a tuple with one gradient per primal."""
    with _grad_mode(True):
        call, groups, keep = _prepare(primals, tuple(range(len(primals))), "vjp(f, *primals)")
        result = func(*call)
        aux = None
        if has_aux:
            if not (isinstance(result, tuple) and len(result) == 2):
                raise TorchRuntimeError("vjp(f, *primals): output of function f should be a "
                                        "tuple: (output, aux) if has_aux is True")
            result, aux = result
    out_leaves, out_spec = _flatten(result)
    for o in out_leaves:
        if not isinstance(o, Tensor):
            raise TorchRuntimeError("vjp(f, *primals): Expected f to be a function that has "
                                    "non-empty inputs and returns either a Tensor or a tuple "
                                    f"of Tensors, got {type(o)}")
    flat = [x for lifted, _ in groups for x in lifted]

    def vjp_fn(cotangents, *, retain_graph=True, create_graph=None):
        cots, _ = _flatten(cotangents)
        if len(cots) != len(out_leaves):
            raise TorchRuntimeError("Expected pytree structure of cotangents to be the same "
                                    "as pytree structure of outputs to the function")
        for c, o in zip(cots, out_leaves):
            if not isinstance(c, Tensor):
                raise TorchRuntimeError(f"Expected cotangents to be Tensors, got {type(c)}")
            if c._data.shape != o._data.shape:
                raise TorchRuntimeError(
                    "Mismatch in shape: grad_output[0] has a shape of "
                    f"{_api.Size(c._data.shape)} and output[0] has a shape of "
                    f"{_api.Size(o._data.shape)}.")
        create = keep or any(c.requires_grad for c in cots)
        with _grad_mode(True):
            gs = _grads(list(out_leaves), flat, list(cots), create)
        per, i = [], 0
        for lifted, spec in groups:
            per.append(_unflatten(gs[i:i + len(lifted)], spec))
            i += len(lifted)
        return tuple(per)

    vjp_fn.__name__ = "wrapper"
    vjp_fn.__qualname__ = "_vjp_with_argnums.<locals>.wrapper"
    out = _detach_tree(result, keep)
    if has_aux:
        return out, vjp_fn, _detach_tree(aux, keep)
    return out, vjp_fn


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    """torch.func.jvp: ``(output, jvp_out)``, J times the tangents, by the double-vjp
    trick on the reverse engine."""
    if not isinstance(primals, tuple):
        raise TorchRuntimeError("jvp(f, primals, tangents): Expected primals to be a tuple. "
                                "E.g. it should be valid to call f(*primals).")
    if not isinstance(tangents, tuple):
        raise TorchRuntimeError("jvp(f, primals, tangents): Expected tangents to be a tuple. "
                                "E.g. it should be valid to call f(*primals).")
    p_leaves, _ = _flatten(primals)
    t_leaves, _ = _flatten(tangents)
    if len(p_leaves) != len(t_leaves):
        raise TorchRuntimeError("jvp(f, primals, tangents): Expected primals and tangents to "
                                "have the same python structure.")
    for p, t in zip(p_leaves, t_leaves):
        if not isinstance(p, Tensor) or not isinstance(t, Tensor):
            raise TorchRuntimeError("jvp(f, primals, tangents): Expected primals and tangents "
                                    "to be Tensors")
        if p._data.shape != t._data.shape:
            raise TorchRuntimeError("jvp(f, primals, tangents): Expected primals and tangents "
                                    "to have the same shape")
    with _grad_mode(True):
        call, groups, keep = _prepare(primals, tuple(range(len(primals))), "jvp")
        keep = keep or any(t.requires_grad for t in t_leaves)
        result = func(*call)
        aux = None
        if has_aux:
            result, aux = result
        outs, out_spec = _flatten(result)
        flat = [x for lifted, _ in groups for x in lifted]
        dummies = [_wrap(np.zeros(o._data.shape, o._data.dtype)).requires_grad_(True)
                   for o in outs]
        diff = [(o, u) for o, u in zip(outs, dummies) if o.requires_grad]
        if diff:
            vs = _functional.grad([o for o, _ in diff], flat, [u for _, u in diff],
                                  retain_graph=True, create_graph=True, allow_unused=True)
        else:
            vs = (None,) * len(flat)
        pairs = [(v, t) for v, t in zip(vs, t_leaves) if v is not None and v.requires_grad]
        if pairs:
            js = _functional.grad([v for v, _ in pairs], dummies, [t for _, t in pairs],
                                  retain_graph=keep, create_graph=keep, allow_unused=True)
        else:
            js = (None,) * len(dummies)
    jouts = [j if j is not None else _api.zeros_like(o.detach()) for o, j in zip(outs, js)]
    out = _detach_tree(result, keep)
    res = (out, _unflatten(jouts, out_spec))
    if has_aux:
        return res + (_detach_tree(aux, keep),)
    return res


# ---- jacobians ----------------------------------------------------------------------------


def _jacobian(func, argnums, has_aux, fn: str, forward: bool):
    def wrapper(*args, **kwargs):
        nums, many = _argnums(argnums, len(args), fn)
        with _grad_mode(True):
            call, groups, keep = _prepare(args, nums, fn)
            result = func(*call, **kwargs)
            aux = None
            if has_aux:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise TorchRuntimeError(f"{fn}: output of function f should be a tuple: "
                                            "(output, aux) if has_aux is True")
                result, aux = result
            outs, out_spec = _flatten(result)
            for o in outs:
                if not isinstance(o, Tensor):
                    raise TorchRuntimeError(f"{fn}: Expected f to be a function that has "
                                            "non-empty inputs and returns either a Tensor or a "
                                            f"tuple of Tensors, got {type(o)}")
            flat = [x for lifted, _ in groups for x in lifted]
            jacs = [(_columns if forward else _rows)(o, flat, keep) for o in outs]
        # per output: the jacobians in the structure of argnums (and of each argument)
        per_out = []
        for per_in in jacs:
            per, i = [], 0
            for lifted, spec in groups:
                per.append(_unflatten(per_in[i:i + len(lifted)], spec))
                i += len(lifted)
            per_out.append(tuple(per) if many else per[0])
        jac = _unflatten(per_out, out_spec)
        if has_aux:
            return jac, _detach_tree(aux, keep)
        return jac

    return _named(wrapper, func)


def _rows(o: Tensor, flat: list, keep: bool) -> list:
    """The Jacobians of ``o`` with respect to each of ``flat``, a reverse pass per row."""
    n = o._data.size
    rows = [[] for _ in flat]
    eye = np.eye(n, dtype=o._data.dtype)
    for r in range(n):
        gs = _grads(o, flat, _wrap(eye[r].reshape(o._data.shape)), keep)
        for lst, g in zip(rows, gs):
            lst.append(g)
    out = []
    for x, lst in zip(flat, rows):
        shape = o._data.shape + x._data.shape
        if not lst:
            out.append(_wrap(np.zeros(shape, x._data.dtype)))
        elif keep:
            out.append(_api.stack(lst).reshape(shape))
        else:
            out.append(_wrap(np.stack([g._data for g in lst]).reshape(shape)))
    return out


def _columns(o: Tensor, flat: list, keep: bool) -> list:
    """The same Jacobians a column at a time, as forward mode builds them: J e_j is the
    gradient of <vjp(u), e_j> with respect to the cotangent u."""
    u = _wrap(np.zeros(o._data.shape, o._data.dtype)).requires_grad_(True)
    vs = _grads(o, flat, u, True)
    out = []
    for x, v in zip(flat, vs):
        m = x._data.size
        shape = o._data.shape + x._data.shape
        if not v.requires_grad or not m or not o._data.size:
            out.append(_wrap(np.zeros(shape, o._data.dtype)))
            continue
        eye = np.eye(m, dtype=x._data.dtype)
        cols = []
        for c in range(m):
            g, = _functional.grad(v, u, _wrap(eye[c].reshape(x._data.shape)),
                                  retain_graph=True, create_graph=keep, allow_unused=True)
            cols.append(_api.zeros_like(u.detach()) if g is None else g)
        if keep:
            out.append(_api.stack(cols, -1).reshape(shape))
        else:
            out.append(_wrap(np.stack([g._data for g in cols], -1).reshape(shape)))
    return out


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None, _preallocate_and_copy=False):
    """torch.func.jacrev: the Jacobian, one reverse pass per output element."""
    return _jacobian(func, argnums, has_aux, "jacrev", False)


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    """torch.func.jacfwd: the Jacobian, a column per input element (by double vjp)."""
    return _jacobian(func, argnums, has_aux, "jacfwd", True)


def hessian(func, argnums=0):
    """torch.func.hessian: jacfwd(jacrev(func))."""
    return jacfwd(jacrev(func, argnums), argnums)


# ---- vmap ---------------------------------------------------------------------------------


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    """torch.func.vmap: ``func`` over a batch dimension, as a loop whose results are
    stacked along ``out_dims``."""

    def wrapper(*args, **kwargs):
        where = f"vmap({_name(func)}, in_dims={in_dims!r}, ...)(<inputs>)"
        if isinstance(in_dims, int | type(None)):
            dims = [in_dims] * len(args)
        elif isinstance(in_dims, tuple | list):
            if len(in_dims) != len(args):
                raise TorchValueError(
                    f"{where}: in_dims is not compatible with the structure of `inputs`. "
                    f"in_dims has structure {in_dims!r} but inputs has structure of "
                    f"{len(args)} inputs.")
            dims = list(in_dims)
        else:
            raise TorchValueError(f"vmap({_name(func)}, in_dims={in_dims!r}, ...): expected "
                                  "`in_dims` to be int or a (potentially nested) tuple "
                                  "matching the structure of inputs, got: "
                                  f"{type(in_dims)}.")
        # (leaves, spec, per-leaf dim) per argument
        plan = []
        sizes = []
        for a, d in zip(args, dims):
            leaves, spec = _flatten(a)
            if isinstance(d, tuple | list):
                dl, _ = _flatten(d)
            else:
                dl = [d] * len(leaves)
            for x, di in zip(leaves, dl):
                if di is None:
                    continue
                if not isinstance(x, Tensor):
                    raise TorchValueError(
                        f"{where}: Got in_dim={di} for an input but the input is of type "
                        f"{type(x)}. We cannot vmap over non-Tensor arguments, please use "
                        "None as the respective in_dim")
                nd = x._data.ndim
                if not -nd <= di < nd:
                    raise TorchValueError(
                        f"{where}: Got in_dim={di} for some input, but that input is a Tensor "
                        f"of dimensionality {nd} so expected in_dim to satisfy -{nd} <= in_dim "
                        f"< {nd}.")
                sizes.append(x._data.shape[di % nd])
            plan.append((leaves, spec, dl))
        if not sizes:
            raise TorchValueError(f"vmap({_name(func)}, in_dims={in_dims!r}, ...)(<inputs>): "
                                  "at least one input must be a Tensor mapped over (in_dims "
                                  "not all None)")
        if len(set(sizes)) != 1:
            raise TorchValueError("vmap: Expected all tensors to have the same size in the "
                                  f"mapped dimension, got sizes {sizes} for the mapped "
                                  "dimension")
        n = sizes[0]
        sliced = []
        for leaves, spec, dl in plan:
            per = []
            for x, di in zip(leaves, dl):
                per.append(None if di is None else x.unbind(di % x._data.ndim))
            sliced.append((leaves, spec, per))
        results = []
        for b in range(n):
            call = []
            for leaves, spec, per in sliced:
                call.append(_unflatten([x if p is None else p[b]
                                        for x, p in zip(leaves, per)], spec))
            results.append(func(*call, **kwargs))
        first_leaves, out_spec = _flatten(results[0])
        flat = [_flatten(r)[0] for r in results]
        if isinstance(out_dims, int | type(None)):
            odims = [out_dims] * len(first_leaves)
        else:
            odims, _ = _flatten(out_dims)
            if len(odims) != len(first_leaves):
                raise TorchValueError(
                    f"vmap({_name(func)}, ..., out_dims={out_dims!r})(<inputs>): out_dims is "
                    "not compatible with the structure of `outputs`.")
        outs = []
        for i, od in enumerate(odims):
            col = [f[i] for f in flat]
            for c in col:
                if not isinstance(c, Tensor):
                    raise TorchValueError(
                        f"vmap({_name(func)}, ...): `{_name(func)}` must only return Tensors, "
                        f"got type {type(c)}. Did you mean to set out_dims= to None for output?")
            if od is None:
                outs.append(col[0])
                continue
            nd = col[0]._data.ndim + 1
            if not -nd <= od < nd:
                raise TorchRuntimeError(f"Dimension out of range (expected to be in range of "
                                        f"[{-nd}, {nd - 1}], but got {od})")
            outs.append(_api.stack(col, od))
        return _unflatten(outs, out_spec)

    return _named(wrapper, func)


# ---- functional_call ----------------------------------------------------------------------


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *,
                    tie_weights=True, strict=False):
    """torch.func.functional_call: call ``module`` with some of its parameters and buffers
    replaced by the given tensors (by dotted name); the module is left as it was."""
    if isinstance(parameter_and_buffer_dicts, dict):
        values = dict(parameter_and_buffer_dicts)
    elif isinstance(parameter_and_buffer_dicts, tuple | list):
        values = {}
        for d in parameter_and_buffer_dicts:
            if not isinstance(d, dict):
                raise TorchValueError("Expected all elements of parameter_and_buffer_dicts to "
                                      "be dictionaries")
            for k in d:
                if k in values:
                    raise TorchValueError(f"{k} appeared in multiple dictionaries; behavior "
                                          "of functional call is ambiguous")
            values.update(d)
    else:
        raise TorchValueError("Expected parameter_and_buffer_dicts to be a dict, or a list/tuple "
                              f"of dicts, but got {type(parameter_and_buffer_dicts)}")
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    kwargs = {} if kwargs is None else kwargs
    if strict:
        names = {n for n, _ in module.named_parameters()} | {
            n for n, _ in module.named_buffers()}
        missing = sorted(names - values.keys())
        unexpected = sorted(values.keys() - names)
        if missing or unexpected:
            parts = []
            if unexpected:
                parts.append("Unexpected key(s): " + ", ".join(repr(k) for k in unexpected)
                             + ".")
            if missing:
                parts.append("Missing key(s): " + ", ".join(repr(k) for k in missing) + ".")
            raise TorchRuntimeError("Error(s) in reparametrizing for "
                                    f"{type(module).__name__}:\n\t" + "\n\t".join(parts))
    undo = []
    try:
        for name, value in values.items():
            owner_name, _, leaf = name.rpartition(".")
            owner = module.get_submodule(owner_name) if owner_name else module
            for table in ("_parameters", "_buffers"):
                d = owner.__dict__.get(table)
                if d is not None and leaf in d:
                    undo.append((d, leaf, d[leaf]))
                    d[leaf] = value
                    break
            else:
                raise TorchRuntimeError(
                    f"functional_call(): the module has no parameter or buffer named '{name}'")
        return module(*args, **kwargs)
    finally:
        for d, leaf, old in reversed(undo):
            d[leaf] = old


def _stacked_leaf(tensors: tuple, name: str) -> Tensor:
    all_rg = all(t.requires_grad for t in tensors)
    if not all_rg and any(t.requires_grad for t in tensors):
        raise TorchRuntimeError(f"Expected {name} from each model to have the same "
                                ".requires_grad")
    result = _api.stack(list(tensors))
    if all_rg:
        result = result.detach().requires_grad_()
    return result


def stack_module_state(models) -> tuple:
    """torch.func.stack_module_state(models): (params, buffers), each name's tensors of
    every model stacked along a new first dim (new leaves), for vmap over an ensemble."""
    models = list(models)
    if len(models) == 0:
        raise TorchRuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or all(not m.training for m in models)):
        raise TorchRuntimeError(
            "stack_module_state: Expected all models to have the same training/eval mode.")
    first = type(models[0])
    if not all(type(m) is first for m in models):
        raise TorchRuntimeError(
            "stack_module_state: Expected all models to be of the same class.")
    all_params = [dict(m.named_parameters()) for m in models]
    params = {k: _stacked_leaf(tuple(p[k] for p in all_params), k) for k in all_params[0]}
    all_buffers = [dict(m.named_buffers()) for m in models]
    buffers = {k: _stacked_leaf(tuple(b[k] for b in all_buffers), k) for k in all_buffers[0]}
    return params, buffers


def linearize(func, *primals) -> tuple:
    """torch.func.linearize(func, *primals): (func(*primals), jvp_fn), jvp_fn(*tangents)
    giving J times the tangents at primals (here by jvp each call)."""
    output = func(*primals)
    p_leaves, p_spec = _flatten(primals)

    def jvp_fn(*tangents):
        t_leaves, t_spec = _flatten(tangents)
        if t_spec != p_spec:
            raise TorchRuntimeError(f"Expected the tangents {t_spec} to have the same argspec "
                                    f"as the primals {p_spec}")
        for idx, (p, t) in enumerate(zip(p_leaves, t_leaves)):
            for what, a, b in (("shape", t.shape, p.shape), ("dtype", t.dtype, p.dtype)):
                if a != b:
                    raise TorchRuntimeError(
                        f"tangent:{idx} with {what} {a} in flattened pytree doesn't match the "
                        f"{what} {b} of the corresponding primal.")
        return jvp(func, primals, tangents)[1]

    return output, jvp_fn


MEMBERS = {
    "stack_module_state": stack_module_state,
    "linearize": linearize,
    "grad": grad,
    "grad_and_value": grad_and_value,
    "vjp": vjp,
    "jvp": jvp,
    "jacrev": jacrev,
    "jacfwd": jacfwd,
    "hessian": hessian,
    "vmap": vmap,
    "functional_call": functional_call,
}
