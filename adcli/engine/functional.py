"""torch.autograd.grad and gradcheck, and torch.autograd.functional (jacobian, hessian,
vjp, jvp, vhp, hvp)."""

from __future__ import annotations

import numpy as np

from adcli.engine import ops as _ops
from adcli.engine import tensor as _tensor
from adcli.engine.tensor import Tensor, _wrap
from adcli.errors import LimitError, TorchRuntimeError, TorchTypeError, TorchValueError
from adcli.limits import check_elements, current


def Variable(data, requires_grad=False, volatile=False) -> Tensor:
    """torch.autograd.Variable."""
    from adcli.engine.api import Variable as make

    return make(data, requires_grad)


def _as_list(x, what: str) -> list:
    return _tensor.as_tensor_list(x, "grad", what)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False,
         materialize_grads=False) -> tuple:
    """The gradients of ``outputs`` with respect to ``inputs``, as a tuple; no ``.grad``
    is touched."""
    outputs = _as_list(outputs, "outputs")
    inputs = _as_list(inputs, "inputs")
    if grad_outputs is not None:
        grad_outputs = _as_list(grad_outputs, "grad_outputs")
        if len(grad_outputs) != len(outputs):
            raise TorchRuntimeError(f"grad(): got {len(grad_outputs)} grad_outputs for "
                                    f"{len(outputs)} outputs")
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor):
            raise TorchTypeError(f"grad(): input {i} is a {type(t).__name__}, not a Tensor")
        if not t.requires_grad:
            raise TorchRuntimeError(f"grad(): input {i} does not require grad, so there is no "
                                    "gradient to compute for it")
    edges, values = _tensor._root_gradients(outputs, grad_outputs, create_graph)
    capture = {}
    for t in inputs:
        capture[_tensor.capture_key(t)] = t
    keep = create_graph if retain_graph is None else retain_graph
    sources: dict = {}
    _tensor.PARTIAL_PASSES.append(True)
    try:
        found = _tensor.run_backward(edges, values, keep, create_graph, capture=capture,
                                     accumulate=False, sources=sources)
    finally:
        _tensor.PARTIAL_PASSES.pop()
    result = []
    for i, t in enumerate(inputs):
        g = found.get(_tensor.capture_key(t))
        if g is None:
            if materialize_grads:
                g = np.zeros(t._data.shape, t._data.dtype)
            elif not allow_unused:
                raise TorchRuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior."
                )
            else:
                result.append(None)
                continue
        if isinstance(g, Tensor):
            result.append(g)
        elif type(sources.get(t)) in _EXPANDING and 0 in g.strides:
            # torch's sum backward expands the gradient, and grad() hands that view back
            result.append(_ops.expanded_result(g))
        else:
            r = _wrap(np.array(g) if g.base is not None or not g.flags.writeable
                      or any(g is v for v in values) else np.asarray(g))
            if _returns_view(sources.get(t), t):
                # a view of the incoming gradient in torch, made while backward ran without
                # grad mode: writing into it with grad recorded is refused, as for any view
                # made under no_grad()
                r._view_nograd = True
            result.append(r)
    return tuple(result)


_EXPANDING = (_ops.SumBackward0, _ops.SumBackward1)


def _returns_view(node, t: Tensor) -> bool:
    """Whether torch's backward of ``node`` hands ``t`` a view of the gradient it got: a
    reshape, a transpose, an unsqueeze, a squeeze that dropped a dim, or the view that ends
    a reduction of an expand to fewer dims."""
    if isinstance(node, (_ops.ViewBackward0, _ops.UnsafeViewBackward0, _ops._Permuting,
                         _ops.SqueezeBackward4, _ops.UnsqueezeBackward0)):
        return True
    if isinstance(node, _ops._Reshaping):
        return bool(node.dims)
    if isinstance(node, _ops.ExpandBackward0):
        return len(node._shape) > t._data.ndim
    return False


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             inputs=None) -> None:
    """torch.autograd.backward."""
    _tensor.PARTIAL_PASSES.append(inputs is not None)
    try:
        _tensor.backward(tensors, grad_tensors, retain_graph, create_graph, inputs=inputs)
    finally:
        _tensor.PARTIAL_PASSES.pop()


def _inputs(inputs, fn: str):
    is_tuple = isinstance(inputs, tuple | list)
    items = list(inputs) if is_tuple else [inputs]
    for x in items:
        if not isinstance(x, Tensor):
            raise TorchTypeError(f"{fn}(): inputs must be a Tensor or a tuple of Tensors, got "
                                 f"{type(x).__name__}")
    fresh = [x.detach().requires_grad_(x.is_floating_point()) for x in items]
    return is_tuple, fresh


def _outputs(out, fn: str):
    is_tuple = isinstance(out, tuple | list)
    items = list(out) if is_tuple else [out]
    for o in items:
        if not isinstance(o, Tensor):
            raise TorchTypeError(
                f"{fn}(): the function must return a Tensor or a tuple of Tensors, but it "
                f"returned a {type(o).__name__}"
            )
    return is_tuple, items


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False,
             strategy="reverse-mode"):
    """d func(inputs) / d inputs, one reverse pass per output element. Each block has shape
    output.shape + input.shape; tuples of outputs/inputs give nested tuples."""
    in_tuple, xs = _inputs(inputs, "jacobian")
    with _grad_enabled():
        out_tuple, ys = _outputs(func(*xs), "jacobian")
        if strict:
            for i, y in enumerate(ys):
                if not y._rg:
                    raise TorchRuntimeError(
                        f"Output {i} of the user-provided function does not require "
                        "gradients. The outputs must be computed in a differentiable manner "
                        "from the input when running in strict mode.")
        _check_jacobian(ys, xs)
        rows = []
        for y in ys:
            blocks = [[] for _ in xs]
            flat = y.reshape(-1) if y._rg else None
            for k in range(y._data.size):
                gs = (grad(flat[k], xs, retain_graph=True, create_graph=create_graph,
                           allow_unused=True) if flat is not None else (None,) * len(xs))
                for j, (x, g) in enumerate(zip(xs, gs)):
                    blocks[j].append(g if g is not None else _wrap(np.zeros(x._data.shape,
                                                                            x._data.dtype)))
            row = []
            for x, b in zip(xs, blocks):
                shape = y._data.shape + x._data.shape
                if not b:
                    row.append(_wrap(np.zeros(shape, x._data.dtype)))
                elif create_graph:
                    from adcli.engine.api import stack

                    row.append(stack(b).reshape(shape))
                else:
                    row.append(_wrap(np.stack([g._data for g in b]).reshape(shape)))
            rows.append(tuple(row) if in_tuple else row[0])
    if out_tuple:
        return tuple(rows)
    return rows[0]


def _check_jacobian(ys: list, xs: list) -> None:
    """Refuse a Jacobian over the element bound (each block has y.numel() * x.numel()
    elements), or one needing more reverse passes (one per output element, each recording
    a graph node) than the graph-node bound, before any pass runs."""
    limits = current()
    for y in ys:
        for x in xs:
            check_elements(y._data.size * x._data.size, y._data.shape + x._data.shape)
        if limits.max_nodes and y._rg and y._data.size > limits.max_nodes:
            raise LimitError(
                f"jacobian() would run {y._data.size:,} reverse passes (one per output "
                f"element), recording more graph nodes than the limit of {limits.max_nodes:,} "
                "(raise it with --max-nodes or ADCLI_MAX_NODES)")


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    """The matrix of second derivatives of a scalar function."""
    in_tuple, _ = _inputs(inputs, "hessian")

    def gradient(*xs):
        out_tuple, ys = _outputs(func(*xs), "hessian")
        if out_tuple or ys[0]._data.size != 1:
            raise TorchRuntimeError(
                "hessian(): the function must return a single-element tensor (a scalar), got "
                f"shape {list(ys[0]._data.shape)}"
            )
        if not ys[0].requires_grad:  # a constant: its gradient is zero
            gs = (None,) * len(xs)
        else:
            gs = grad(ys[0], xs, create_graph=True, allow_unused=True)
        out = tuple(g if g is not None else _wrap(np.zeros(x._data.shape, x._data.dtype))
                    for x, g in zip(xs, gs))
        return out if in_tuple else out[0]

    return jacobian(gradient, inputs, create_graph=create_graph)


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T J): one reverse pass."""
    in_tuple, xs = _inputs(inputs, "vjp")
    with _grad_enabled():
        out_tuple, ys = _outputs(func(*xs), "vjp")
        vs = _vectors(v, ys, "vjp")
        diff = [(y, g) for y, g in zip(ys, vs) if y._rg]
        gs = (grad([y for y, _ in diff], xs, [g for _, g in diff], create_graph=create_graph,
                   allow_unused=True) if diff else (None,) * len(xs))
    gs = tuple(g if g is not None else _wrap(np.zeros(x._data.shape, x._data.dtype))
               for x, g in zip(xs, gs))
    outs = tuple(y if create_graph else y.detach() for y in ys)
    return (outs if out_tuple else outs[0]), (gs if in_tuple else gs[0])


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), J v), from the Jacobian."""
    in_tuple, xs = _inputs(inputs, "jvp")
    vs = _vectors(v, xs, "jvp")
    with _grad_enabled():
        out_tuple, ys = _outputs(func(*xs), "jvp")
    jac = jacobian(func, tuple(xs), create_graph=create_graph)
    rows = jac if out_tuple else (jac,)
    outs = []
    for y, row in zip(ys, rows):
        total = np.zeros(y._data.shape, y._data.dtype)
        for x, j, vec in zip(xs, row, vs):
            flat = j._data.reshape(y._data.size, x._data.size)
            total = total + (flat @ vec._data.reshape(-1)).reshape(y._data.shape)
        outs.append(_wrap(np.asarray(total, y._data.dtype)))
    ys = tuple(y.detach() for y in ys)
    return (ys if out_tuple else ys[0]), (tuple(outs) if out_tuple else outs[0])


def _vectors(v, like: list, fn: str) -> list:
    if v is None:
        if len(like) != 1 or like[0]._data.size != 1:
            raise TorchRuntimeError(f"{fn}(): v may only be left out when there is a single "
                                    "one-element tensor")
        return [_wrap(np.ones(like[0]._data.shape, like[0]._data.dtype))]
    if isinstance(v, Tensor):
        vs = [v]
    elif isinstance(v, tuple | list):
        vs = list(v)
    else:
        raise TorchTypeError(f"The v given to {fn} must be either a Tensor or a tuple of "
                             f"Tensors but the given v has type {type(v).__name__}.")
    if len(vs) != len(like):
        raise TorchRuntimeError(f"{fn}(): expected {len(like)} tensors in v, got {len(vs)}")
    for i, a in enumerate(vs):
        if not isinstance(a, Tensor):
            raise TorchTypeError(f"The v given to {fn} must be either a Tensor or a tuple of "
                                 f"Tensors but the value at index {i} has type "
                                 f"{type(a).__name__}.")
    for a, b in zip(vs, like):
        if a._data.shape != b._data.shape:
            raise TorchRuntimeError(f"{fn}(): v has shape {list(a._data.shape)} where "
                                    f"{list(b._data.shape)} is expected")
    return vs


class _grad_enabled:
    def __enter__(self):
        self.prev = _tensor.set_grad_mode(True)

    def __exit__(self, *exc):
        _tensor.set_grad_mode(self.prev)


def _second_order(func, inputs, v, create_graph, fn):
    in_tuple, xs = _inputs(inputs, fn)
    vs = _vectors(v, xs, fn)
    with _grad_enabled():
        out_tuple, ys = _outputs(func(*xs), fn)
        if out_tuple or ys[0]._data.size != 1:
            raise TorchRuntimeError(
                f"The function given to {fn} should return a single element Tensor, got "
                f"shape {list(ys[0]._data.shape)}")
        y = ys[0]
        gs = (grad(y, xs, create_graph=True, allow_unused=True) if y._rg
              else (None,) * len(xs))
        pairs = [(g, w) for g, w in zip(gs, vs) if g is not None and g._rg]
        hs = (grad([g for g, _ in pairs], xs, [w for _, w in pairs], create_graph=create_graph,
                   allow_unused=True) if pairs else (None,) * len(xs))
    hs = tuple(h if h is not None else _wrap(np.zeros(x._data.shape, x._data.dtype))
               for x, h in zip(xs, hs))
    return (y if create_graph else y.detach()), (hs if in_tuple else hs[0])


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), v^T H) for a scalar function: two reverse passes."""
    return _second_order(func, inputs, v, create_graph, "vhp")


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), H v) for a scalar function (H is symmetric: the same as vhp)."""
    return _second_order(func, inputs, v, create_graph, "hvp")


class GradcheckError(TorchRuntimeError):
    """torch.autograd.gradcheck.GradcheckError: a RuntimeError, so ``except RuntimeError``
    catches it; an uncaught one is reported under torch's qualified name."""

    kind = "torch.autograd.gradcheck.GradcheckError"
    script_class = True  # `except GradcheckError as e` binds the error itself


def gradcheck(func, inputs, *, eps=1e-06, atol=1e-05, rtol=0.001, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False,
              check_forward_ad=False, check_backward_ad=True, fast_mode=False, masked=None):
    """torch.autograd.gradcheck (its slow mode): autograd's Jacobian against central finite
    differences (step ``eps``) for every input tensor that requires grad; True, or a
    GradcheckError naming the first differentiable output and differentiable input that
    disagree, with both Jacobians as torch prints them (False with raise_exception=False).

    As torch, ``func`` gets the given inputs themselves (non-tensor ones included), their
    values perturbed one element at a time; each Jacobian has one row per input element
    and one column per output element."""
    args = tuple(inputs) if isinstance(inputs, tuple | list) else (inputs,)
    diff = []
    for i, x in enumerate(args):
        if isinstance(x, Tensor) and x.requires_grad:
            if x._data.dtype not in (np.float64, np.complex128):
                _tensor.warn(f"Input #{i} requires gradient and is not a double precision "
                             "floating point or complex. This check will likely fail if all "
                             "the inputs are not of double precision floating point or "
                             "complex. ")
            diff.append(x)
    if not diff:
        raise TorchValueError("gradcheck expects at least one input tensor to require gradient, "
                              "but none of them have requires_grad=True.")
    try:
        _gradcheck(func, args, diff, eps, atol, rtol, nondet_tol, check_undefined_grad)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def _call_outputs(func, args) -> list:
    with _grad_enabled():
        out = func(*args)
    items = list(out) if isinstance(out, tuple | list) else [out]
    for o in items:
        if not isinstance(o, Tensor):
            raise TorchTypeError(
                "gradcheck(): the function must return a Tensor or a tuple of Tensors, but it "
                f"returned a {type(o).__name__}")
    return items


def jacobians(func, args, diff, eps):
    """The outputs of ``func(*args)``, and per differentiable input its numerical (central
    differences) and analytical (autograd) Jacobians against each floating output:
    ``numerical[input][output]`` and ``analytical[input][output]``, each of shape (input
    numel, output numel); an output that does not require grad has no analytical one."""
    outs = _call_outputs(func, args)
    numerical = _numerical(func, args, diff, eps, outs)
    analytical: list = [{} for _ in diff]
    for k, o in enumerate(outs):
        if o.requires_grad:
            for i, jac in enumerate(_analytical(o, diff)):
                analytical[i][k] = jac
    return outs, numerical, analytical


def _numerical(func, args, diff, eps, outs) -> list:
    """Per differentiable input, {output index: its central-difference Jacobian}: ``func``
    called with each element moved by -eps, then +eps, as torch's order."""
    floats = [k for k, o in enumerate(outs) if o._data.dtype.kind in "fc"]
    numerical = []
    for x in diff:
        orig = x._data
        cols = {k: np.zeros((orig.size, outs[k]._data.size), outs[k]._data.dtype)
                for k in floats}
        try:
            for j in range(orig.size):
                got = []
                for sign in (-1, 1):
                    data = np.array(orig)
                    flat = data.reshape(-1)
                    flat[j] = flat[j] + sign * eps
                    x._data = data
                    got.append(_call_outputs(func, args))
                a, b = got
                for k in floats:
                    d = (b[k]._data - a[k]._data) / (2 * eps)
                    cols[k][j] = np.asarray(d, outs[k]._data.dtype).reshape(-1)
        finally:
            x._data = orig
        numerical.append(cols)
    return numerical


def _analytical(o: Tensor, diff: list) -> list:
    """Per differentiable input, its Jacobian against output ``o`` from one backward pass
    per element of ``o`` (a row of the Jacobian each)."""
    jacs = [np.zeros((x._data.size, o._data.size), x._data.dtype) for x in diff]
    for c in range(o._data.size):
        v = np.zeros(o._data.size, o._data.dtype)
        v[c] = 1
        gs = grad(o, diff, _wrap(v.reshape(o._data.shape)), retain_graph=True,
                  allow_unused=True)
        for jac, g in zip(jacs, gs):
            if g is not None:
                if g._data.size != jac.shape[0]:
                    raise GradcheckError("Analytical gradient has incorrect size")
                jac[:, c] = g._data.reshape(-1)
    return jacs


_NONDET_NOTE = """\n
NOTE: If your op relies on non-deterministic operations i.e., it is listed here:
https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html
this failure might be expected.

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `nondet_tol=<tol>` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_nondet_tol=<tol>`.
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_nondet_tol=<tol>`
"""


def _gradcheck(func, args, diff, eps, atol, rtol, nondet_tol, check_undefined_grad) -> None:
    """torch's slow gradcheck, step by step and in its order, so that a function or a
    custom backward that prints prints as often as under torch: the outputs; the
    numerical Jacobians; per differentiable output its analytical Jacobian twice (the
    reentrancy check), compared at once; a backward of zero gradients (the result must be
    multiplied by grad_output); then, unless check_undefined_grad=False, the function
    once more and a backward of undefined (zero) output gradients."""
    outs = _call_outputs(func, args)
    differentiable = [k for k in range(len(outs)) if outs[k].requires_grad]
    numerical = _numerical(func, args, diff, eps, outs)
    if not differentiable:
        for cols in numerical:
            for c in cols.values():
                if np.any(c != 0):
                    raise GradcheckError("Numerical gradient for function expected to be zero")
        return
    for i, k in enumerate(differentiable):
        first, second = _analytical(outs[k], diff), _analytical(outs[k], diff)
        for a, b in zip(first, second):
            if a.size and np.max(np.abs(a - b)) > nondet_tol:
                raise GradcheckError(
                    "Backward is not reentrant, i.e., running backward with same input and "
                    "grad_output multiple times gives different values, although analytical "
                    "gradient matches numerical gradient.The tolerance for nondeterminism was "
                    f"{nondet_tol}." + _NONDET_NOTE)
        for j, (ana, cols) in enumerate(zip(first, numerical)):
            num = cols.get(k)
            if num is None:
                continue
            promoted = np.promote_types(ana.dtype, num.dtype)
            if not np.allclose(ana.astype(promoted), num.astype(promoted), rtol, atol):
                raise GradcheckError(
                    f"Jacobian mismatch for output {i:d} with respect to input {j:d},\n"
                    f"numerical:{_wrap(num)!r}\nanalytical:{_wrap(ana)!r}\n")
    outputs = [outs[k] for k in differentiable]
    if not _zero_grads_give_zero(outputs, diff):
        raise GradcheckError("backward not multiplied by grad_output")
    if check_undefined_grad:
        checks = [[o for o in _call_outputs(func, args) if o.requires_grad]]
        if len(checks[0]) > 1:  # torch also undefines one output at a time
            checks += [[o for o in _call_outputs(func, args) if o.requires_grad]
                       for _ in outputs]
        if not all(_zero_grads_give_zero(c, diff) for c in checks):
            raise GradcheckError(
                "Expected all input grads to be undefined or zero when all output grads are "
                'undefined or zero. Please look at "Notes about undefined output gradients" '
                'in "tools/autograd/derivatives.yaml"')


def _zero_grads_give_zero(outputs: list, diff: list) -> bool:
    zeros = [_wrap(np.zeros(o._data.shape, o._data.dtype)) for o in outputs]
    gs = grad(outputs, diff, zeros, allow_unused=True)
    return all(g is None or not np.any(g._data != 0) for g in gs)


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-06, atol=1e-05, rtol=0.001,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False,
                  check_batched_grad=False, check_fwd_over_rev=False, check_rev_over_rev=True,
                  fast_mode=False, masked=False):
    """torch.autograd.gradgradcheck: gradcheck of the gradient of ``func`` (taken with
    create_graph=True) against ``grad_outputs`` (drawn from torch's generator as torch
    draws them where not given)."""
    items = list(inputs) if isinstance(inputs, tuple | list) else [inputs]
    with _grad_enabled():
        _, ys = _outputs(func(*items), "gradgradcheck")
    if grad_outputs is None:  # as torch.testing.make_tensor draws them: U(-1, 1)
        from adcli.engine import api

        gos = [api.empty(*y.shape, dtype=y.dtype if y.is_floating_point() else api.double)
               .uniform_(-1, 1) for y in ys]
    else:
        gos = _as_list(grad_outputs, "grad_outputs")
    diff = [i for i, x in enumerate(items) if isinstance(x, Tensor) and x.requires_grad]

    def first(*xs):
        xs = [x if i not in diff or x._rg else x.detach().requires_grad_(True)
              for i, x in enumerate(xs)]
        with _grad_enabled():
            _, outs = _outputs(func(*xs), "gradgradcheck")
            pairs = [(o, g) for o, g in zip(outs, gos) if o._rg]
            gs = grad([o for o, _ in pairs], [xs[i] for i in diff], [g for _, g in pairs],
                      create_graph=True, allow_unused=True)
        return tuple(g if g is not None else _wrap(np.zeros(xs[i]._data.shape,
                                                            xs[i]._data.dtype))
                     for i, g in zip(diff, gs))

    return gradcheck(first, tuple(items), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)


class _no_grad:
    def __enter__(self):
        self.prev = _tensor.set_grad_mode(False)

    def __exit__(self, *exc):
        _tensor.set_grad_mode(self.prev)
