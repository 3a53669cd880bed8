"""The gradient formulas (engine/calculus.py, declared with the ops): every grad_fn class the
engine can record has one, with an entry per input of its nodes (checked on nodes that the
ops, their in-place and method forms, and their backward under create_graph record); the
formulas name only what exists; and local_derivative reads ``grad * LOCAL``."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import adcli.engine  # noqa: F401 - assembles the engine
import adcli.engine.custom_function
import adcli.engine.forward_ad
import adcli.engine.nn
import adcli.engine.nn.rnn
import adcli.engine.optim  # noqa: F401
from adcli.engine import api, calculus, declarations, functional, special
from adcli.engine.calculus import formula_of, local_derivative
from adcli.engine.declarations import internal
from adcli.engine.tensor import Node, Tensor
from adcli.errors import AdcliError
from tests.engine.test_declarations import CALLS, OPERATORS, _session

# The bases that ops build on: never recorded themselves.
ABSTRACT = {"Unary", "Binary", "Nary", "Bilinear", "View", "_ZeroGrad", "_Reduce", "_Shrink",
            "_EdgePad", "_Selecting", "_IntoSelf", "_Permuting", "_Reshaping", "_Upsample",
            "_Writing", "_BackwardOp", "_Compared"}


def _node_classes() -> list:
    out, todo = [], [Node]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in out:
                out.append(sub)
                todo.append(sub)
    return [c for c in out if c.__module__.startswith("adcli.engine")]


NODE_CLASSES = _node_classes()


# names that hold the incoming gradient (grad_L: Cholesky's, transposed for upper=True;
# d_gates, d_cell: an LSTM layer's, through its steps)
GRADIENTS = {"grad", "grad_L", "d_gates", "d_cell"}


def _fixed_and_variadic(entries: tuple) -> tuple[int, bool]:
    variadic = bool(entries) and entries[-1][0].startswith("*")
    return len(entries) - variadic, variadic


# ---- (a) every class has a formula, with an entry per input


def test_every_node_class_has_a_formula():
    classes = {c.__name__ for c in NODE_CLASSES}
    assert ABSTRACT <= classes, ABSTRACT - classes  # the list of bases stays current
    missing = sorted(c.__name__ for c in NODE_CLASSES
                     if c.__name__ not in ABSTRACT and formula_of(c) is None)
    assert missing == []
    assert len([c for c in NODE_CLASSES if c.__name__ not in ABSTRACT]) >= 200


def test_every_torch_style_grad_fn_name_has_a_formula():
    torch_style = [c for c in NODE_CLASSES if "Backward" in c.__name__
                   and c.__name__.removesuffix("_copy")[-1].isdigit()]
    assert len(torch_style) >= 190
    for cls in torch_style:
        assert formula_of(cls) is not None, cls.__name__
        assert formula_of(cls.__name__) is not None, cls.__name__


def test_no_class_is_declared_twice_with_different_formulas():
    assert calculus.conflicts() == []
    # and declaring one class in two places is allowed where the formulas are equal
    found: dict = {}
    for source, table in declarations.calculus_sources():
        for name, entries in table.items():
            if name in found:
                assert found[name][1] == entries, (name, found[name][0], source)
            found[name] = (source, entries)


def test_an_op_declares_formulas_for_its_own_grad_fns():
    for op in declarations.OPS:
        own = {c.__name__ for c in op.grad_fn}
        assert set(op.calculus) <= own, (op.name, set(op.calculus) - own)


def test_every_declared_grad_fn_class_is_covered_by_name():
    for op in declarations.OPS:
        for cls in op.grad_fn:
            assert formula_of(cls.__name__) is not None, (op.name, cls.__name__)


def _graph(roots) -> list:
    """Every node reachable from ``roots`` (tensors), CopySlices' own op included."""
    seen, out, todo = set(), [], []
    for r in roots:
        if isinstance(r, Tensor) and r._grad_fn is not None:
            todo.append(r._grad_fn)
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        out.append(node)
        todo.extend(e for e in getattr(node, "_next", ()) if isinstance(e, Node))
        inner = getattr(node, "fn", None)
        if isinstance(inner, Node):
            todo.append(inner)
    return out


def _leaves(roots) -> list:
    out = []
    for node in _graph(roots):
        for e in node._next:
            if isinstance(e, Tensor) and e._rg and not any(e is o for o in out):
                out.append(e)
    return out


def _tensors(value) -> list:
    items = value if isinstance(value, tuple | list) else (value,)
    return [t for t in items if isinstance(t, Tensor)]


def _recorded(value) -> list:
    """The nodes behind ``value``, and those a create_graph backward of it records."""
    roots = _tensors(value)
    nodes = _graph(roots)
    outs = [t for t in roots if t._grad_fn is not None and t._data.dtype.kind == "f"]
    leaves = _leaves(outs)
    if outs and leaves:
        try:
            # a gradient that requires grad, so that formulas linear in it record too
            ones = [api.ones_like(t).requires_grad_() for t in outs]
            grads = functional.grad(outs, leaves, grad_outputs=ones, create_graph=True,
                                    allow_unused=True)
        except AdcliError:  # a double backward adcli refuses (its message says so)
            grads = ()
        nodes += _graph([g for g in grads if g is not None])
    return nodes


# scripts that record what the op table's examples do not: the torch.linalg functions,
# writes into views, indexing, the RNN kernels, custom Functions, forward AD
EXTRA = [
    "torch.linalg.svd(m)", "torch.linalg.svdvals(m)", "torch.linalg.qr(m)",
    "torch.linalg.eigh(m @ m.T)", "torch.linalg.eigvalsh(m @ m.T)", "torch.linalg.slogdet(m)",
    "torch.linalg.solve(m, v)", "torch.linalg.solve(m, m)", "torch.linalg.lstsq(m, m).solution",
    "torch.linalg.cholesky(m @ m.T)", "torch.linalg.inv(m)", "torch.linalg.det(m)",
    "torch.linalg.vector_norm(x, 3, 1)", "torch.linalg.cross(m, m)",
    "z = x * 1\nz[0, 1:] = y[0, :2]\nz",
    "z = x * 1\nw = z[0]\nz.mul_(2)\nw + 0",
    "z = x * 1\nz[torch.tensor([0, 1])] = y\nz",
    "z = x * 1\nz[b] = 0.5\nz",
    "x[...]", "x[:, ::2]", "x[i]", "x[b]", "x.t().reshape(3, 2)", "x.t().reshape(6)",
    "z = x * 1\nz.t_()\nz", "z = x * 1\nz.unsqueeze_(0)\nz.squeeze_(0)\nz",
    "z = x.reshape(1, 2, 3) * 1\nz.squeeze_()\nz",
    "x.scatter(1, i.unsqueeze(0), 2.0, reduce='add')",
    "x.scatter(1, i.unsqueeze(0), y, reduce='multiply')",
    "x.scatter(1, i.unsqueeze(0), 2.0)",
    "x.index_fill(1, i, torch.tensor(0.5, requires_grad=True))",
    "x.masked_fill(b, torch.tensor(0.5, requires_grad=True))",
    "x // y", "x + torch.tensor(2.0)", "x.clamp(min=y)", "x.clamp(y, y + 1)",
    "torch.pow(2.0, x)", "x ** y", "torch.lerp(x, y, y)", "torch.normal(x, y)",
    "torch.normal(x, 1.0)", "torch.normal(0.0, p)", "torch.bernoulli(p)",
    "F.normalize(x)", "F.gelu(x, approximate='tanh')", "F.softplus(x * 10)",
    "F.nll_loss(x.reshape(2, 3, 1, 1).log_softmax(1), i.reshape(2, 1, 1) * 0)",
    "F.interpolate(x.reshape(1, 2, 3), 6, mode='linear')",
    "F.interpolate(x.reshape(1, 1, 2, 3), (4, 6))",
    "F.interpolate(x.reshape(1, 1, 2, 3), (4, 6), mode='bilinear')",
    "F.conv2d(x.reshape(1, 2, 1, 3), y.reshape(1, 2, 1, 3), torch.tensor([0.5], "
    "requires_grad=True))",
    "F.batch_norm(x, None, None, torch.ones(3, requires_grad=True), "
    "torch.zeros(3, requires_grad=True), training=True)",
    "F.layer_norm(x, (3,), torch.ones(3, requires_grad=True), torch.zeros(3, "
    "requires_grad=True))",
    "torch.cdist(x.repeat(20, 1), y.repeat(20, 1))",
    "torch.cat([x, y, x], 1)", "torch.stack([x, y, x, y])", "torch.block_diag(x, y, v)",
    "torch.split(x, [1, 2], 1)", "x.unbind(1)", "torch.diag_embed(x)",
    "x.max(1)", "x.min(1)", "x.mean(1)", "x.prod(1)", "x.median(1)", "v @ m", "x % 2.0",
    "x.reshape(1, 2, 3).squeeze((0, 1))", "x.round(decimals=1)", "torch.diag(m)",
    "z = x * 1\nz.fill_(2.0)\nz", "z = x * 1\nz.fill_(torch.tensor(2.0, requires_grad=True))"
    "\nz", "z = x * 1\nz.zero_()\nz", "z = x * 1\nz.normal_()\nz",
    "z = x * 1\nz.uniform_()\nz", "z = x * 1\nz.exponential_()\nz",
    "z = x * 1\nz.random_(0, 4)\nz", "z = x * 1\nz.random_(4)\nz",
    "z = x * 1\nz.random_()\nz", "z = x * 1\nz.bernoulli_(p)\nz",
    "z = x * 1\nz.bernoulli_(0.5)\nz",
    "torch.nn.LSTM(3, 4)(x.reshape(2, 1, 3))",
    "torch.nn.GRU(3, 4, batch_first=True)(x.reshape(1, 2, 3))",
    "torch.nn.RNN(3, 4, batch_first=True)(x.reshape(1, 2, 3))",
    "torch.nn.Linear(3, 2)(x)",
    """\
class Sq(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, k):
        ctx.save_for_backward(a)
        return a * a * k

    @staticmethod
    def backward(ctx, g):
        a, = ctx.saved_tensors
        return 2 * a * g, None

Sq.apply(x, 3.0)""",
    """\
class Two(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, c):
        return a * 2, a * c

    @staticmethod
    def backward(ctx, g1, g2):
        return g1 * 2, g2

Two.apply(x, y)""",
    """\
from torch.autograd.function import once_differentiable
class Once(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a * 2

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        return g * 2

Once.apply(x)""",
    """\
import torch.autograd.forward_ad as fwAD
with fwAD.dual_level():
    d = fwAD.make_dual(x, y)
    p1 = fwAD.unpack_dual(d).primal
p1""",
]


def _sources() -> list:
    out = [src for op, form, src in CALLS if op.name != "cuda"]
    out += list(OPERATORS.values())
    return out + EXTRA


@functools.cache
def _all_recorded() -> tuple:
    """The nodes that running every source records (the random generator left as it was)."""
    state = api.get_rng_state()
    nodes = []
    try:
        for source in _sources():
            s = _session()
            try:
                value = s.exec_source(source)
            except AdcliError:
                continue  # (an operator the language refuses; the op's own tests cover it)
            nodes += _recorded(value)
    finally:
        api.set_rng_state(state)
    return tuple(nodes)


def test_recorded_nodes_have_one_formula_entry_per_input():
    recorded = _all_recorded()
    assert len({type(n) for n in recorded}) >= 225  # nearly every class
    for node in recorded:
        entries = formula_of(node)
        assert entries is not None, node.name()
        assert len(entries) == len(node._next), (type(node).__name__, entries, node._next)
        declared = formula_of(type(node))
        fixed, variadic = _fixed_and_variadic(declared)
        assert len(node._next) >= fixed if variadic else len(node._next) == fixed


def test_the_recorded_sample_covers_the_kinds_of_node():
    seen = {type(n).__name__ for n in _all_recorded()}
    for name in ("MulBackward0", "CopySlices", "AsStridedBackward0", "IndexPutBackward0",
                 "CatBackward0", "ScatterReduce", "NotImplemented", "LinalgSvdBackward0",
                 "LinalgEighBackward0", "_MkldnnLayerNode", "MkldnnRnnLayerBackward0",
                 "TanhBackwardBackward0", "ThresholdBackwardBackward0", "SqBackward",
                 "TwoBackward", "Identity", "ReshapeAliasBackward0", "TBackward1",
                 "ScatterAddBackward0", "AddBackward1", "MulBackward1", "Error",
                 "SelectBackwardBackward0", "UpsampleLinear1DBackwardBackward0"):
        assert name in seen, name


def test_custom_function_nodes_name_their_function():
    node = next(n for n in _all_recorded() if type(n).__name__ == "SqBackward")
    assert formula_of(node) == (("inputs[0]", "Sq.backward(ctx, grad)[0]"),)
    slot = next(n for n in _all_recorded() if type(n).__name__ == "TwoBackward"
                and len(n._next) == 1 and type(n._next[0]).__name__ == "TwoBackward")
    assert formula_of(slot) == (("function", "packed(grad, output)"),)
    assert formula_of("BackwardCFunction") == internal.INHERITED["BackwardCFunction"]


def test_one_name_two_classes():
    # gather's backward as an op, and scatter_add's node, share torch's name
    helper = internal.BY_CLASS
    (cls, entries), = helper.items()
    assert cls.__name__ == "ScatterAddBackward0"
    assert formula_of(cls) == entries and len(entries) == 1
    assert len(formula_of("ScatterAddBackward0")) == 2
    x = api.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = api.scatter_add(x, 1, api.tensor([[0, 0], [1, 0]]), x)
    assert len(formula_of(y.grad_fn)) == 2 == len(y.grad_fn._next)


def test_variadic_entries_spread_over_the_inputs():
    a = api.tensor([1.0, 2.0], requires_grad=True)
    out = api.cat([a, a * 2, a * 3])
    assert formula_of(out.grad_fn) == tuple(
        (f"tensors[{j}]", f"grad.narrow(dim, offsets[{j}], tensors[{j}].shape[dim])")
        for j in range(3))
    assert formula_of("CatBackward0") == (
        ("*tensors", "grad.narrow(dim, offsets[i], tensors[i].shape[dim])"),)


def test_the_brief_examples():
    assert formula_of("MulBackward0") == (("self", "grad * other"), ("other", "grad * self"))
    assert formula_of("ExpBackward0") == (("self", "grad * result"),)
    assert formula_of("PowBackward0") == (("self", "grad * exponent * self ** (exponent - 1)"),)
    assert formula_of("SumBackward0") == (("self", "grad.expand(self.shape)"),)
    assert formula_of("MmBackward0") == (("self", "grad @ mat2.mT"), ("mat2", "self.mT @ grad"))
    assert formula_of("NoSuchBackward0") is None
    assert formula_of("AccumulateGrad") == ()


# ---- (b) formulas name only what exists


def _all_declared() -> list:
    out = [(name, entries) for name, entries in calculus.calculus().items()]
    out += [(cls.__name__, entries) for cls, entries in internal.BY_CLASS.items()]
    out += list(internal.INHERITED.items())
    return out


@pytest.mark.parametrize("name,entries", _all_declared(), ids=[n for n, _ in _all_declared()])
def test_formulas_name_only_inputs_parameters_and_known_functions(name, entries):
    inputs = {n.lstrip("*") for n, _ in entries}
    assert len(inputs) == len(entries), "two inputs of one name"
    fixed, variadic = _fixed_and_variadic(entries)
    assert all(not n.startswith("*") for n, _ in entries[:fixed])
    allowed = inputs | {"grad", "result"} | set(calculus.PARAMETERS)
    if variadic:
        allowed.add("i")
    for inp, formula in entries:
        assert formula.strip() == formula and formula, (inp, formula)
        read, called = calculus.names_used(formula)
        assert read <= allowed | {"Function"}, (inp, formula, read - allowed)
        unknown = called - set(calculus.FUNCTIONS) - calculus.TORCH_FUNCTIONS
        assert not unknown, (inp, formula, unknown)
        # every formula but a constant one, or one that raises, reads the gradient
        if formula != "zeros_like(grad)" and not formula.startswith("raises("):
            assert read & GRADIENTS, (inp, formula)


def test_the_notation_is_documented_and_used():
    used_names, used_calls = set(), set()
    for _, entries in _all_declared():
        for _, formula in entries:
            read, called = calculus.names_used(formula)
            used_names |= read
            used_calls |= called
    assert set(calculus.PARAMETERS) <= used_names, set(calculus.PARAMETERS) - used_names
    assert set(calculus.FUNCTIONS) <= used_calls, set(calculus.FUNCTIONS) - used_calls
    assert calculus.TORCH_FUNCTIONS <= used_calls, calculus.TORCH_FUNCTIONS - used_calls
    assert all(isinstance(v, str) and v for v in calculus.PARAMETERS.values())
    assert all(isinstance(v, str) and v for v in calculus.FUNCTIONS.values())


def test_elementwise_formulas_agree_with_the_backward():
    # the local derivative, evaluated, is the gradient the node passes for grad = 1
    rng = np.random.default_rng(0)
    env = {"sgn": np.sign, "cos": np.cos, "sin": np.sin, "cosh": np.cosh, "sinh": np.sinh,
           "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "rsqrt": lambda v: 1 / np.sqrt(v),
           "pi": np.pi, "isfinite": np.isfinite, "where": np.where,
           "sigmoid": lambda v: 1 / (1 + np.exp(-v)), "tanh": np.tanh,
           "softplus": lambda v: np.log1p(np.exp(v)), "floor": np.floor,
           "erfinv": special.erfinv}
    cases = {"exp": "ExpBackward0", "log": "LogBackward0", "sqrt": "SqrtBackward0",
             "rsqrt": "RsqrtBackward0", "sin": "SinBackward0", "cos": "CosBackward0",
             "tan": "TanBackward0", "asin": "AsinBackward0", "acos": "AcosBackward0",
             "atan": "AtanBackward0", "sinh": "SinhBackward0", "cosh": "CoshBackward0",
             "tanh": "TanhBackward0", "sigmoid": "SigmoidBackward0", "abs": "AbsBackward0",
             "log2": "Log2Backward0", "log10": "Log10Backward0", "log1p": "Log1PBackward0",
             "expm1": "Expm1Backward0", "exp2": "Exp2Backward0", "reciprocal":
             "ReciprocalBackward0", "erf": "ErfBackward0", "erfc": "ErfcBackward0",
             "erfinv": "ErfinvBackward0",
             "neg": "NegBackward0", "relu": "ReluBackward0", "deg2rad": "Deg2RadBackward0"}
    functions = {op.name: op.function for op in declarations.OPS}
    for fn, cls in cases.items():
        data = rng.uniform(0.1, 0.9, 5)
        x = api.tensor(data, requires_grad=True)
        out = functions[fn](x)
        assert type(out.grad_fn).__name__ == cls
        (g,) = functional.grad(api.sum(out), x)
        local = local_derivative(formula_of(cls)[0][1])
        assert local is not None, cls
        value = eval(local, dict(env), {"self": data, "result": out._data})  # noqa: S307
        np.testing.assert_allclose(np.broadcast_to(value, data.shape), g._data, rtol=1e-6,
                                   err_msg=cls)


# ---- (c) local_derivative


@pytest.mark.parametrize("formula,local", [
    ("grad * other", "other"),
    ("grad * result", "result"),
    ("grad * (1 - result * result)", "1 - result * result"),
    ("grad * exponent * self ** (exponent - 1)", "exponent * self ** (exponent - 1)"),
    ("grad / (2 * result)", "1 / (2 * result)"),
    ("grad / self", "1 / self"),
    ("-grad * alpha", "-alpha"),
    ("-grad * (result * result)", "-(result * result)"),
    ("grad * -sin(self)", "-sin(self)"),
    ("grad", "1"),
    ("-grad", "-1"),
    ("grad * (a) * b", "(a) * b"),
    ("grad.expand(self.shape)", None),
    ("grad @ mat2.mT", None),
    ("grad * a @ b", None),
    ("grad * a + b", None),
    ("grad * a if c else d", None),
    ("zeros_like(grad)", None),
    ("result * (grad - (grad * result).sum(dim, keepdim=True))", None),
    ("gradient * x", None),
    ("grad * (", None),
])
def test_local_derivative(formula, local):
    assert local_derivative(formula) == local


def test_local_derivatives_of_the_declared_elementwise_ops():
    assert local_derivative(formula_of("MulBackward0")[0][1]) == "other"
    assert local_derivative(formula_of("SigmoidBackward0")[0][1]) == "result * (1 - result)"
    assert local_derivative(formula_of("DivBackward0")[1][1]) == \
        "-self / (other * other)"
    assert local_derivative(formula_of("SumBackward0")[0][1]) is None
