#!/usr/bin/env python3
"""Record PyTorch 2.13's results for custom ``torch.autograd.Function`` subclasses and
``torch.func``: tests/engine/fixtures/custom_function.json.

Run under real torch: ``/work/torchenv/bin/python tools/gen_function_fixtures.py``.

Each case below is a function of a namespace ``ns`` (``ns.torch``: the tensor functions;
``ns.Function``, ``ns.once_differentiable``, ``ns.grad`` (autograd.grad), ``ns.gradcheck``,
``ns.func`` (torch.func), ``ns.nn`` (Module, Parameter)) and a recorder ``r``. It defines its
Functions as subclasses of ``ns.Function``, runs them, and records what it sees with
``r(label, value)``: a tensor's repr, requires_grad and grad_fn name; a grad_fn's class name,
name() and next_functions names; an exception's type name and message (``r.error``).
The tests (tests/engine/test_custom_function.py, tests/engine/test_func.py) import this
file, run the same cases on adcli's engine (``adcli.engine.api`` as torch, adcli's
Function) and compare record by record. Only this file's main() imports torch.
"""

from __future__ import annotations

import json
import sys
import types
import warnings
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "engine" / "fixtures" / \
    "custom_function.json"


class Recorder:
    """Collects (label, value) records; ``tensor_type`` tells tensors apart, ``kind_of``
    names an exception as torch's traceback would."""

    def __init__(self, tensor_type, kind_of) -> None:
        self.records: list = []
        self.tensor_type = tensor_type
        self.kind_of = kind_of

    def enc(self, v):
        if isinstance(v, self.tensor_type):
            fn = v.grad_fn
            return {"repr": repr(v), "requires_grad": v.requires_grad,
                    "grad_fn": None if fn is None else type(fn).__name__}
        if isinstance(v, tuple | list):
            return [self.enc(x) for x in v]
        if v is None or isinstance(v, bool | int | float | str):
            return v
        if hasattr(v, "next_functions"):  # a grad_fn
            return {"node": type(v).__name__, "name": v.name(),
                    "next": [None if n is None else n.name() for n, _ in v.next_functions]}
        return {"type": type(v).__name__}

    def __call__(self, label: str, value) -> None:
        self.records.append([label, self.enc(value)])

    def error(self, label: str, fn) -> None:
        try:
            value = fn()
        except Exception as e:  # noqa: BLE001 - every error is a record
            self.records.append([label, {"error": self.kind_of(e), "message": str(e)}])
        else:
            self.records.append([label, {"no_error": self.enc(value)}])


# ============================================================================ Function cases


def case_relu(ns, r):
    torch = ns.torch

    class MyReLU(ns.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x.clamp(min=0)

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * (x > 0).to(g.dtype)

    x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
    y = MyReLU.apply(x)
    r("y", y)
    r("node", y.grad_fn)
    r("repr_prefix", repr(y.grad_fn).split(" object at ")[0])
    (y * y).sum().backward()
    r("x.grad", x.grad)
    z = MyReLU.apply(x * 2)
    r("z.node", z.grad_fn)
    r("no_grad_input", MyReLU.apply(torch.tensor([1.0, -1.0])))
    with torch.no_grad():
        r("under_no_grad", MyReLU.apply(x))


def case_exp_saves_output(ns, r):
    torch = ns.torch

    class MyExp(ns.Function):
        @staticmethod
        def forward(ctx, x):
            out = x.exp()
            ctx.save_for_backward(out)
            return out

        @staticmethod
        def backward(ctx, g):
            out, = ctx.saved_tensors
            return g * out

    x = torch.tensor([0.0, 1.0, -1.5], requires_grad=True)
    y = MyExp.apply(x)
    r("y", y)
    y.sum().backward()
    r("x.grad", x.grad)
    r.error("second_backward", lambda: y.sum().backward())
    r.error("saved_after_free", lambda: y.grad_fn.saved_tensors)
    y2 = MyExp.apply(x)
    y2.mul_(2)
    r("y2", y2)
    r.error("modified_output", lambda: y2.sum().backward())
    y3 = MyExp.apply(x.double())
    y3.sum().backward(retain_graph=True)
    y3.sum().backward()
    r("retained", x.grad)


def case_two_outputs(ns, r):
    torch = ns.torch
    seen = []

    class Two(ns.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x.sum()

        @staticmethod
        def backward(ctx, g1, g2):
            seen.append((g1, g2))
            return g1 * 2 + g2

    class TwoLazy(ns.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x.sum()

        @staticmethod
        def backward(ctx, g1, g2):
            seen.append((g1, g2))
            out = ns.torch.zeros(3)
            if g1 is not None:
                out = out + g1 * 2
            if g2 is not None:
                out = out + g2
            return out

    a = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y1, y2 = Two.apply(a)
    r("y1", y1)
    r("y2", y2)
    r("node1", y1.grad_fn)
    r("node2", y2.grad_fn)
    y1.sum().backward(retain_graph=True)
    r("grad_y1", a.grad)
    r("seen1", list(seen[-1]))
    a.grad = None
    y2.backward(retain_graph=True)
    r("grad_y2", a.grad)
    r("seen2", list(seen[-1]))
    a.grad = None
    (y1.sum() * 3 + y2).backward()
    r("grad_both", a.grad)
    r("seen3", list(seen[-1]))
    a.grad = None
    z1, z2 = TwoLazy.apply(a)
    z1.sum().backward()
    r("lazy_grad", a.grad)
    r("lazy_seen", list(seen[-1]))
    g, = ns.grad(z2 * 0 + Two.apply(a)[0].sum(), a, allow_unused=True)
    r("via_grad", g)


def case_non_tensor_argument(ns, r):
    torch = ns.torch

    class Scale(ns.Function):
        @staticmethod
        def forward(ctx, x, k, name):
            ctx.k = k
            ctx.tag = name
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None, None

    class NeedsGrad(ns.Function):
        @staticmethod
        def forward(ctx, x, w):
            r("needs", ctx.needs_input_grad)
            return x * w

        @staticmethod
        def backward(ctx, g):
            r("needs_in_backward", ctx.needs_input_grad)
            return g, None

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = Scale.apply(x, 2.5, "s")
    r("y", y)
    r("node", y.grad_fn)
    y.sum().backward()
    r("x.grad", x.grad)
    w = torch.tensor([3.0, 4.0])
    NeedsGrad.apply(x, w).sum().backward()
    r("x.grad2", x.grad)
    NeedsGrad.apply(torch.ones(2), w)
    with torch.no_grad():
        NeedsGrad.apply(x, w)
    r("node_two_tensors", NeedsGrad.apply(x, w.requires_grad_()).grad_fn)


def case_backward_errors(ns, r):
    torch = ns.torch

    def make(backward, n_in=1):
        if n_in == 1:
            def forward(ctx, x):
                return x * 2
        else:
            def forward(ctx, x, k):
                return x * 2
        return type("Bad", (ns.Function,), {"forward": staticmethod(forward),
                                            "backward": staticmethod(backward)})

    a = torch.ones(2, requires_grad=True)

    class TwoIn(ns.Function):
        @staticmethod
        def forward(ctx, x, y):
            return x + y

        @staticmethod
        def backward(ctx, g):
            return g

    r.error("count", lambda: TwoIn.apply(a, a).sum().backward())
    r.error("shape", lambda: make(lambda ctx, g: torch.ones(3)).apply(a).sum().backward())
    a.grad = None
    r.error("broadcast", lambda: make(lambda ctx, g: torch.ones(3, 2)).apply(a).sum()
            .backward())
    r("broadcast_grad", a.grad)
    a.grad = None
    make(lambda ctx, g: (g, None, None)).apply(a).sum().backward()
    r("extra_nones", a.grad)
    r.error("too_many", lambda: make(lambda ctx, g: (g, g)).apply(a).sum().backward())
    r.error("non_tensor_grad", lambda: make(lambda ctx, g: (g, g), 2).apply(a, 2).sum()
            .backward())
    a.grad = None
    make(lambda ctx, g: g.double()).apply(a).sum().backward()
    r("double_grad", a.grad)
    a.grad = None
    make(lambda ctx, g: g.long()).apply(a).sum().backward()
    r("long_grad", a.grad)
    r.error("int_returned", lambda: make(lambda ctx, g: 3).apply(a).sum().backward())
    a.grad = None
    make(lambda ctx, g: None).apply(a).sum().backward()
    r("none_grad", a.grad)

    class NoForward(ns.Function):
        pass

    class NoBackward(ns.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

    r.error("no_forward", lambda: NoForward.apply(a))
    r.error("no_backward", lambda: NoBackward.apply(a).sum().backward())

    class SaveInt(ns.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, 3)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    r.error("save_non_tensor", lambda: SaveInt.apply(a))


def case_setup_context(ns, r):
    torch = ns.torch

    class SC(ns.Function):
        @staticmethod
        def forward(x, k):
            r("forward_grad_mode", torch.is_grad_enabled())
            return x * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            r("setup_grad_mode", torch.is_grad_enabled())
            r("inputs", list(inputs))
            r("output", output)
            x, k = inputs
            ctx.k = k
            ctx.save_for_backward(x)

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * ctx.k + x, None

    a = torch.tensor([1.0, 0.0, 3.0], requires_grad=True)
    y = SC.apply(a, 4)
    r("y", y)
    y.sum().backward()
    r("a.grad", a.grad)


def case_gradcheck(ns, r):
    torch = ns.torch

    class Bad(ns.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return x * y

        @staticmethod
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            return g * y, g * x * 2

    class Good(ns.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return x * y

        @staticmethod
        def backward(ctx, g):
            x, y = ctx.saved_tensors
            return g * y, g * x

    class Scaled(ns.Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g, None

    class TwoOut(ns.Function):
        @staticmethod
        def forward(ctx, x):
            return x.sum(0), x * 2

        @staticmethod
        def backward(ctx, g1, g2):
            return g2

    d = torch.float64
    a = torch.tensor([1.0, 2.0], dtype=d, requires_grad=True)
    b = torch.tensor([3.0, 4.0], dtype=d, requires_grad=True)
    r.error("bad", lambda: ns.gradcheck(Bad.apply, (a, b)))
    r("bad_no_raise", ns.gradcheck(Bad.apply, (a, b), raise_exception=False))
    r("good", ns.gradcheck(Good.apply, (a, b)))
    r("good_one_input", ns.gradcheck(Good.apply, (a, b.detach())))
    r.error("non_tensor_input", lambda: ns.gradcheck(Scaled.apply, (a, 3.0)))
    m = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=d, requires_grad=True)
    r.error("two_outputs", lambda: ns.gradcheck(TwoOut.apply, (m,)))
    f32 = torch.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r.error("float32", lambda: ns.gradcheck(Bad.apply, (f32, f32)))
    r.error("none_require_grad", lambda: ns.gradcheck(Good.apply, (a.detach(), b.detach())))
    try:
        ns.gradcheck(Bad.apply, (a, b))
    except RuntimeError as e:
        r("caught_as_runtime_error", type(e).__name__)


def case_double_backward(ns, r):
    torch = ns.torch

    class Cube(ns.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            r("backward_grad_mode", torch.is_grad_enabled())
            x, = ctx.saved_tensors
            return g * 3 * x ** 2

    class Exp(ns.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            y, = ctx.saved_tensors
            return g * y

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = Cube.apply(x)
    g, = ns.grad(y.sum(), x, create_graph=True)
    r("g", g)
    r("g.node", g.grad_fn)
    g.sum().backward()
    r("x.grad", x.grad)
    x.grad = None
    e = Exp.apply(x)
    ge, = ns.grad(e.sum(), x, create_graph=True)
    r("ge", ge)
    gge, = ns.grad(ge.sum(), x)
    r("gge", gge)
    y = Cube.apply(x)
    g, = ns.grad(y.sum(), x)
    r("no_create", g)


def case_once_differentiable(ns, r):
    torch = ns.torch

    class CubeO(ns.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        @ns.once_differentiable
        def backward(ctx, g):
            r("grad_mode", torch.is_grad_enabled())
            x, = ctx.saved_tensors
            return g * 3 * x ** 2

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = CubeO.apply(x)
    g, = ns.grad(y.sum(), x, create_graph=True)
    r("plain_root", g)
    y = CubeO.apply(x)
    g, = ns.grad(y, x, torch.ones(2, requires_grad=True), create_graph=True)
    r("g", g)
    r("g.node", g.grad_fn)
    r.error("twice", lambda: g.sum().backward())
    y = CubeO.apply(x)
    y.sum().backward()
    r("x.grad", x.grad)


def case_mark_dirty(ns, r):
    torch = ns.torch

    class ReluInplace(ns.Function):
        @staticmethod
        def forward(ctx, x):
            x.clamp_(min=0)
            ctx.mark_dirty(x)
            ctx.save_for_backward(x)
            return x

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return g * (x > 0).to(g.dtype)

    class Forgot(ns.Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g

    a = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    b = a * 1
    r("version_before", b._version)
    out = ReluInplace.apply(b)
    r("same_object", out is b)
    r("out", out)
    r("version_after", b._version)
    r("node", b.grad_fn)
    out.sum().backward()
    r("a.grad", a.grad)
    r.error("leaf", lambda: ReluInplace.apply(a))
    r.error("not_returned", lambda: Forgot.apply(a * 1))


def case_non_differentiable_and_identity(ns, r):
    torch = ns.torch
    seen = []

    class MaxIdx(ns.Function):
        @staticmethod
        def forward(ctx, x):
            m = x * 1
            ctx.mark_non_differentiable(m)
            return x.max(), x.argmax(), m

        @staticmethod
        def backward(ctx, gv, gi, gm):
            seen.extend([gv, gi, gm])
            return gv * torch.ones(3)

    class Identity(ns.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 3

    a = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    v, i, m = MaxIdx.apply(a)
    r("outs", [v, i, m])
    v.backward()
    r("a.grad", a.grad)
    r("seen", seen)
    a.grad = None
    z = Identity.apply(a)
    r("z", z)
    r("z_is_a", z is a)
    r("z_base_is_a", z._base is a)
    z.sum().backward()
    r("a.grad2", a.grad)
    c = a * 1
    w = Identity.apply(c)
    r("w_is_c", w is c)
    r("w_leaf", w.is_leaf)


def case_saved_input_modified(ns, r):
    torch = ns.torch

    class Sq(ns.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 2 * g * x

    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a * 1
    y = Sq.apply(b)
    b.add_(1)
    r.error("non_leaf", lambda: y.sum().backward())
    c = torch.tensor([1.0, 2.0], requires_grad=True)
    y = Sq.apply(c)
    with torch.no_grad():
        c.add_(1)
    r.error("leaf", lambda: y.sum().backward())
    d = torch.tensor([1.0, 2.0])
    e = torch.tensor([1.0, 1.0], requires_grad=True)
    y = Sq.apply(d) * e
    d.add_(1)
    r.error("unused_saved", lambda: y.sum().backward())
    r("e.grad", e.grad)


def case_hooks_and_retain(ns, r):
    torch = ns.torch

    class Double(ns.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 3

    a = torch.tensor([1.0, 2.0], requires_grad=True)
    y1, y2 = Double.apply(a)
    y1.retain_grad()
    y2.register_hook(lambda g: g * 10)
    (y1 * y1 + y2).sum().backward()
    r("y1.grad", y1.grad)
    r("a.grad", a.grad)


def case_apply_details(ns, r):
    torch = ns.torch

    class K(ns.Function):
        @staticmethod
        def forward(ctx, k, x):
            return x * k

        @staticmethod
        def backward(ctx, g):
            return None, torch.ones(3)

    class Id(ns.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    class WithDefault(ns.Function):
        @staticmethod
        def forward(x, k=3.0):
            return x * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            r("bound_inputs", list(inputs))
            ctx.k = inputs[1]

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    class NumberOut(ns.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, 5, "s"

        @staticmethod
        def backward(ctx, g, g2, g3):
            r("non_tensor_grads", [g2, g3])
            return g

    a = torch.ones(2, requires_grad=True)
    r.error("index_after_number", lambda: K.apply(2, a).sum().backward())
    r("keyword", K.apply(2, x=a))
    with torch.no_grad():
        z = Id.apply(a)
    r("no_grad_identity", [z is a, z.requires_grad, z._base is a])
    z = Id.apply(torch.ones(2))
    r("plain_identity", [z._base is not None, z.requires_grad])
    y = WithDefault.apply(a)
    y.sum().backward()
    r("default_grad", a.grad)
    outs = NumberOut.apply(a)
    r("number_out", list(outs))
    outs[0].sum().backward()
    r("number_out_grad", a.grad)


FUNCTION_CASES = [case_apply_details, case_relu, case_exp_saves_output, case_two_outputs,
                  case_non_tensor_argument, case_backward_errors, case_setup_context,
                  case_gradcheck, case_double_backward, case_once_differentiable,
                  case_mark_dirty, case_non_differentiable_and_identity,
                  case_saved_input_modified, case_hooks_and_retain]


# ============================================================================ torch.func cases


def func_grad(ns, r):
    torch, fn = ns.torch, ns.func

    def f(x):
        return (x.sin() * x).sum()

    def g2(x, y):
        return (x * y).sum()

    x = torch.tensor([1.0, 2.0, 3.0])
    r("grad", fn.grad(f)(x))
    xr = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    gr = fn.grad(f)(xr)
    r("grad_rg", gr)
    gr.sum().backward()
    r("grad_rg_backward", xr.grad)
    r("gav", fn.grad_and_value(f)(x))
    r("gav_rg", fn.grad_and_value(f)(xr))
    r("argnums", fn.grad(g2, argnums=(0, 1))(x, x * 2))
    r("argnums1", fn.grad(g2, argnums=1)(x, x * 2))
    r("argnums_neg", fn.grad(g2, argnums=-1)(x, x * 2))
    r("aux", fn.grad(lambda x: ((x ** 2).sum(), x.mean()), has_aux=True)(x))
    r("unused", fn.grad(lambda x, y: (y * 2).sum())(x, x))
    r("grad_grad", fn.grad(fn.grad(lambda t: t ** 3))(torch.tensor(2.0)))
    r("tuple_arg", fn.grad(lambda p: (p[0] * p[1]).sum())((x, x + 1)))
    r("dict_arg", fn.grad(lambda p: (p["a"] * 2).sum())({"a": x}))
    r.error("int_input", lambda: fn.grad(f)(torch.tensor([1, 2])))
    r.error("non_scalar", lambda: fn.grad(lambda x: x.sin())(x))
    r.error("non_tensor_out", lambda: fn.grad(lambda x: 3.0)(x))
    r.error("bad_argnum", lambda: fn.grad(g2, argnums=2)(x, x))


def func_vjp_jvp(ns, r):
    torch, fn = ns.torch, ns.func
    x = torch.tensor([1.0, 2.0, 3.0])
    out, vjp_fn = fn.vjp(lambda x: x.sin(), x)
    r("vjp_out", out)
    r("vjp", vjp_fn(torch.ones(3)))
    r("vjp_again", vjp_fn(torch.tensor([1.0, 0.0, 2.0])))
    out, vjp_fn = fn.vjp(lambda x, y: x * y, x, x + 1)
    r("vjp2", vjp_fn(torch.ones(3)))
    out, vjp_fn = fn.vjp(lambda x: (x.exp(), x.sum()), x)
    r("vjp_tuple_out", out)
    r("vjp_tuple", vjp_fn((torch.ones(3), torch.tensor(2.0))))
    out, vjp_fn, aux = fn.vjp(lambda x: (x * 2, x.cos()), x, has_aux=True)
    r("vjp_aux", [out, aux, vjp_fn(torch.ones(3))])
    r("jvp", fn.jvp(lambda x: x.sin(), (x,), (torch.ones(3),)))
    r("jvp2", fn.jvp(lambda x, y: x * y + x.exp(), (x, x * 2),
                     (torch.tensor([1.0, 0.0, 0.5]), torch.ones(3))))
    r("jvp_tuple_out", fn.jvp(lambda x: (x ** 2, x.sum()), (x,), (torch.ones(3),)))
    xr = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    r("jvp_rg_tangent", fn.jvp(lambda x: x.sin(), (xr,), (torch.ones(3),))[1])
    r.error("jvp_not_tuple", lambda: fn.jvp(lambda x: x, x, (x,)))


def func_jacobians(ns, r):
    torch, fn = ns.torch, ns.func
    x = torch.tensor([1.0, 2.0, 3.0])

    def f(x):
        return x.sin() * x[0]

    r("jacrev", fn.jacrev(f)(x))
    r("jacfwd", fn.jacfwd(f)(x))
    r("jacrev2", fn.jacrev(lambda a, b: a * b, argnums=(0, 1))(x, x + 1))
    r("jacfwd2", fn.jacfwd(lambda a, b: (a * b).sum(), argnums=1)(x, x + 1))
    r("jac_matrix_in", fn.jacrev(lambda m: m.sum(0))(torch.tensor([[1.0, 2.0], [3.0, 4.0]])))
    r("jac_tuple_out", fn.jacrev(lambda a: (a.exp(), a.sum()))(x))
    xr = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    r("jacrev_rg", fn.jacrev(lambda x: x.sin())(xr))
    r("hess", fn.hessian(lambda x: (x.sin() * x).sum())(x))
    r("hess2", fn.hessian(lambda x: (x ** 3).sum() + x[0] * x[1])(x))
    r("jacrev_jacrev", fn.jacrev(fn.jacrev(lambda x: (x ** 3).sum()))(x))
    r("jac_aux", fn.jacrev(lambda x: (x * 2, x.sum()), has_aux=True)(x))


def func_vmap(ns, r):
    torch, fn = ns.torch, ns.func
    m = torch.arange(6.0).reshape(2, 3)

    def f(x):
        return (x.sin() * x).sum()

    r("vmap", fn.vmap(lambda v: (v * v).sum())(m))
    r("vmap_grad", fn.vmap(fn.grad(f))(m))
    r("vmap_in", fn.vmap(lambda a, b: a * b, in_dims=(0, None))(m, torch.ones(3)))
    r("vmap_dim1", fn.vmap(lambda a: a * 2, in_dims=1)(m))
    r("vmap_out", fn.vmap(lambda a: a * 2, in_dims=1, out_dims=1)(m))
    r("vmap_tuple", fn.vmap(lambda a: (a.sum(), a * 2))(m))
    r("vmap_nested", fn.vmap(fn.vmap(lambda a: a * a))(m))
    r("vmap_mv", fn.vmap(lambda row, v: row.dot(v), in_dims=(0, None))(m, torch.ones(3)))
    r("vmap_jacrev", fn.vmap(fn.jacrev(lambda v: v.exp()))(m))
    mr = torch.arange(6.0).reshape(2, 3).requires_grad_()
    out = fn.vmap(lambda v: (v * v).sum())(mr)
    r("vmap_rg_value", out.detach())
    r("vmap_rg_requires_grad", out.requires_grad)
    out.sum().backward()
    r("vmap_rg_backward", mr.grad)
    r.error("vmap_0d", lambda: fn.vmap(lambda a: a)(torch.tensor(1.0)))
    r.error("vmap_sizes", lambda: fn.vmap(lambda a, b: a + b)(torch.ones(2), torch.ones(3)))


def func_functional_call(ns, r):
    torch, nn = ns.torch, ns.nn

    class Lin(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
            self.b = nn.Parameter(torch.tensor([0.5, -0.5]))

        def forward(self, x):
            return x @ self.w.t() + self.b

    mod = Lin()
    x = torch.tensor([1.0, 1.0])
    r("plain", mod(x))
    new = {"w": torch.tensor([[0.0, 1.0], [1.0, 0.0]])}
    r("swapped", ns.func.functional_call(mod, new, (x,)))
    r("after", mod(x))
    r("weight_untouched", mod.w)
    params = {k: v.detach() for k, v in mod.named_parameters()}
    g = ns.func.grad(lambda p, x: ns.func.functional_call(mod, p, (x,)).sum())(params, x)
    r("grad_params", [g["w"], g["b"]])


FUNC_CASES = [func_grad, func_vjp_jvp, func_jacobians, func_vmap, func_functional_call]


# ============================================================================ recording


def torch_namespace():
    import torch
    import torch.func
    from torch.autograd.function import once_differentiable

    return types.SimpleNamespace(
        torch=torch, Function=torch.autograd.Function,
        once_differentiable=once_differentiable, grad=torch.autograd.grad,
        gradcheck=torch.autograd.gradcheck, func=torch.func, nn=torch.nn)


def run_cases(cases, ns, tensor_type, kind_of) -> dict:
    out = {}
    for case in cases:
        rec = Recorder(tensor_type, kind_of)
        case(ns, rec)
        out[case.__name__] = rec.records
    return out


def torch_kind(e: BaseException) -> str:
    t = type(e)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__name__}"


def main() -> None:
    import torch

    ns = torch_namespace()
    data = {
        "torch": torch.__version__,
        "function": run_cases(FUNCTION_CASES, ns, torch.Tensor, torch_kind),
        "func": run_cases(FUNC_CASES, ns, torch.Tensor, torch_kind),
    }
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
