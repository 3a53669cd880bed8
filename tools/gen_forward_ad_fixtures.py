"""Record torch.autograd.forward_ad's results for tests/engine/test_forward_ad.py: run with
a Python that has torch 2.13.

    /work/torchenv/bin/python tools/gen_forward_ad_fixtures.py  # writes the fixture

Each program is source text that both sides run: here against ``torch`` (with
``fwAD = torch.autograd.forward_ad`` and ``F = torch.nn.functional``), in the test against
the engine. A program reports through ``rec(name, value)`` (a tensor's primal and tangent
as ``unpack_dual`` gives them, its dtype, shape and grad_fn name; or a plain value),
``rec_repr(name, value)`` (the printed form) and ``err(name, fn)`` (the exception that
``fn()`` raises: its type and message). An exception that ends a program is recorded too.
"""

from __future__ import annotations

import json
import math
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "engine", "fixtures", "forward_ad.json")

_X = "x = torch.tensor([0.5, -1.25, 2.0, 0.75])\nt = torch.tensor([0.3, -0.7, 1.1, 0.2])\n"
_M = ("A = torch.tensor([[0.5, -1.0, 1.5], [2.0, 0.25, -0.75]])\n"
      "TA = torch.tensor([[0.1, 0.2, -0.3], [0.4, -0.5, 0.6]])\n")


def _unary(expr: str) -> str:
    return _X + f"with fwAD.dual_level():\n    d = fwAD.make_dual(x, t)\n    rec('y', {expr})\n"


def _matrix(*lines: str) -> str:
    body = "".join(f"    {line}\n" for line in lines)
    return _M + "with fwAD.dual_level():\n    D = fwAD.make_dual(A, TA)\n" + body


PROGRAMS: list[tuple[str, str]] = []

# elementwise, each on one dual
for _name, _expr in [
    ("neg", "-d"), ("add_scalar", "d + 2.5"), ("radd", "3 + d"), ("sub_scalar", "d - 1.5"),
    ("rsub", "1.5 - d"), ("mul_scalar", "d * 3.0"), ("rmul", "2 * d"),
    ("div_scalar", "d / 4.0"), ("rdiv", "2.0 / d"), ("pow2", "d ** 2"), ("pow3", "d.pow(3)"),
    ("pow_half", "d.abs() ** 0.5"), ("rpow", "2.0 ** d"), ("square", "torch.square(d)"),
    ("exp", "torch.exp(d)"), ("exp_method", "d.exp()"), ("log", "torch.log(d.abs())"),
    ("log2", "torch.log2(d.abs())"), ("log10", "d.abs().log10()"), ("log1p", "d.abs().log1p()"),
    ("expm1", "d.expm1()"), ("exp2", "torch.exp2(d)"), ("sqrt", "d.abs().sqrt()"),
    ("rsqrt", "d.abs().rsqrt()"), ("reciprocal", "d.reciprocal()"), ("sin", "torch.sin(d)"),
    ("cos", "d.cos()"), ("tan", "d.tan()"), ("asin", "(d / 4).asin()"),
    ("acos", "(d / 4).acos()"), ("atan", "d.atan()"), ("sinh", "d.sinh()"),
    ("cosh", "d.cosh()"), ("tanh", "torch.tanh(d)"), ("sigmoid", "torch.sigmoid(d)"),
    ("relu", "torch.relu(d)"), ("F_relu", "F.relu(d)"), ("abs", "d.abs()"),
    ("erf", "d.erf()"), ("erfc", "d.erfc()"), ("deg2rad", "d.deg2rad()"),
    ("floor", "d.floor()"), ("sign", "d.sign()"), ("round", "d.round()"),
    ("clamp", "d.clamp(-1.0, 1.0)"), ("clamp_min", "d.clamp(min=0.6)"),
    ("F_softplus", "F.softplus(d)"), ("F_gelu", "F.gelu(d)"),
    ("F_gelu_tanh", "F.gelu(d, approximate='tanh')"), ("F_leaky_relu", "F.leaky_relu(d, 0.1)"),
    ("F_silu", "F.silu(d)"), ("F_elu", "F.elu(d)"), ("F_logsigmoid", "F.logsigmoid(d)"),
    ("F_hardtanh", "F.hardtanh(d)"), ("F_mish", "F.mish(d)"),
    ("chain", "torch.sin(d * d + 1.0).exp() / (1.0 + d.abs())"),
    ("clone", "d.clone()"), ("double", "d.double()"), ("to_f64", "d.to(torch.float64)"),
]:
    PROGRAMS.append((_name, _unary(_expr)))

# two tensors: by tensors, broadcasting, both dual, one dual
_TWO = _X + ("y = torch.tensor([1.5, 0.5, -2.0, 3.0])\nu = torch.tensor([-0.2, 0.9, 0.4, -1.3])\n"
             "with fwAD.dual_level():\n    d = fwAD.make_dual(x, t)\n"
             "    e = fwAD.make_dual(y, u)\n")
for _name, _expr in [
    ("add_dd", "d + e"), ("sub_dd", "d - e"), ("mul_dd", "d * e"), ("div_dd", "d / e"),
    ("div_dy", "d / y"), ("div_yd", "y / d"), ("add_alpha", "torch.add(d, e, alpha=2.5)"),
    ("sub_alpha", "torch.sub(d, y, alpha=0.5)"), ("pow_dd", "d.abs() ** e"),
    ("atan2", "torch.atan2(d, e)"), ("maximum", "torch.maximum(d, e)"),
    ("minimum", "torch.minimum(d, y)"), ("where", "torch.where(x > 0, d, e)"),
    ("lerp", "torch.lerp(d, e, 0.25)"), ("mul_self", "d * d"),
    ("addcmul", "torch.addcmul(d, e, y, value=0.5)"),
    ("addcdiv", "torch.addcdiv(d, e, y, value=2.0)"),
    ("mul_int", "d * torch.tensor([1, 2, 3, 4])"),
    ("F_mse", "F.mse_loss(d, e)"), ("F_mse_sum", "F.mse_loss(d, y, reduction='sum')"),
    ("F_mse_none", "F.mse_loss(d, e, reduction='none')"),
    ("F_l1", "F.l1_loss(d, e)"), ("F_smooth_l1", "F.smooth_l1_loss(d, e)"),
    ("F_huber", "F.huber_loss(d, e, delta=0.5)"),
    ("F_bce", "F.binary_cross_entropy(torch.sigmoid(d), torch.sigmoid(y))"),
    ("F_bce_logits", "F.binary_cross_entropy_with_logits(d, torch.sigmoid(e))"),
    ("dot", "torch.dot(d, e)"), ("stack", "torch.stack([d, e, y])"),
    ("cat", "torch.cat([d, y, e])"),
]:
    PROGRAMS.append((_name, _TWO + f"    rec('y', {_expr})\n"))

PROGRAMS.append(("broadcast", _X + (
    "B = torch.tensor([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 0.25, 2.0], [0.0, 1.0, -3.0, 1.5]])\n"
    "with fwAD.dual_level():\n"
    "    d = fwAD.make_dual(x, t)\n"
    "    rec('add', d + B)\n"
    "    rec('mul', B * d)\n"
    "    rec('div', B / d)\n"
    "    c = fwAD.make_dual(torch.tensor([[1.0], [2.0], [-0.5]]),\n"
    "                       torch.tensor([[0.5], [-1.0], [2.0]]))\n"
    "    rec('outer', c * d)\n"
    "    rec('outer_div', d / (c + 3.0))\n"
    "    rec('sum_outer', (c - d).sum(0))\n")))

# matrices: matmul, reductions, softmax, shapes, indexing
for _name, _lines in [
    ("mm", ["W = torch.tensor([[1.0, -2.0], [0.5, 0.25], [3.0, 1.0]])",
            "rec('y', torch.mm(D, W))", "rec('z', D @ W)",
            "E = fwAD.make_dual(W, torch.tensor([[0.5, 0.5], [-1.0, 0.0], [0.1, 0.2]]))",
            "rec('both', D @ E)", "rec('mv', D @ torch.tensor([1.0, 2.0, 3.0]))",
            "rec('vm', torch.tensor([1.0, -1.0]) @ D)", "rec('mT', D.mT @ D)"]),
    ("bmm", ["S = torch.stack([D, D * 2.0])", "rec('s', S)",
             "rec('bmm', torch.bmm(S, S.transpose(1, 2)))",
             "rec('matmul3', S @ torch.tensor([[1.0], [0.0], [-1.0]]))"]),
    ("reductions", ["rec('sum', D.sum())", "rec('sum0', D.sum(0))",
                    "rec('sum1k', D.sum(1, keepdim=True))", "rec('mean', D.mean())",
                    "rec('mean1', D.mean(dim=1))", "rec('max', D.max())",
                    "rec('min', D.min())", "rec('max1', D.max(1)[0])",
                    "rec('max1i', D.max(1)[1])", "rec('amax', D.amax(0))",
                    "rec('prod', D.prod())", "rec('prod1', D.prod(1))",
                    "rec('var', D.var())", "rec('std1', D.std(1))",
                    "rec('norm', D.norm())", "rec('logsumexp', torch.logsumexp(D, 1))",
                    "rec('cumsum', D.cumsum(1))", "rec('cumprod', D.cumprod(1))"]),
    ("softmax", ["rec('sm0', torch.softmax(D, 0))", "rec('sm1', F.softmax(D, dim=1))",
                 "rec('lsm1', F.log_softmax(D, dim=1))", "rec('lsm0', D.log_softmax(0))"]),
    ("shapes", ["rec('reshape', D.reshape(3, 2))", "rec('view', D.view(-1))",
                "rec('t', D.t())", "rec('T', D.transpose(0, 1))",
                "rec('permute', D.permute(1, 0))", "rec('unsq', D.unsqueeze(1))",
                "rec('sq', D.unsqueeze(0).squeeze(0))", "rec('flatten', D.flatten())",
                "rec('expand', D[0].expand(3, 3))", "rec('repeat', D.repeat(2, 1))",
                "rec('flip', D.flip(1))", "rec('contig_reshape', D.t().reshape(-1))",
                "a, b = D.split(2, dim=1)", "rec('split_a', a)", "rec('split_b', b)",
                "rec('chunk', D.chunk(3, 1)[1])", "rec('tril', D.tril())",
                "rec('roll', D.roll(1, 1))"]),
    ("indexing", ["rec('row', D[1])", "rec('elem', D[0, 2])", "rec('slice', D[:, 1:])",
                  "rec('step', D[:, ::2])", "rec('neg', D[-1, :-1])",
                  "rec('fancy', D[torch.tensor([1, 0, 1])])",
                  "rec('mask', D[D > 0])", "rec('none', D[None, 0])",
                  "rec('gather', D.gather(1, torch.tensor([[0, 2], [1, 1]])))",
                  "rec('index_select', D.index_select(1, torch.tensor([2, 0])))",
                  "rec('masked_fill', D.masked_fill(A < 0, 0.0))"]),
    ("nn", ["W = torch.tensor([[0.2, -0.4, 0.6], [1.0, 0.5, -0.5], [0.3, 0.3, 0.3],"
            " [-1.0, 0.0, 2.0]])",
            "b = torch.tensor([0.1, -0.2, 0.3, 0.0])",
            "rec('linear', F.linear(D, W, b))", "rec('linear_nb', F.linear(D, W))",
            "Wd = fwAD.make_dual(W, W * 0.5)",
            "rec('linear_dw', F.linear(D, Wd, b))",
            "target = torch.tensor([2, 0])",
            "rec('ce', F.cross_entropy(D, target))",
            "rec('ce_sum', F.cross_entropy(D, target, reduction='sum'))",
            "rec('ce_none', F.cross_entropy(D, target, reduction='none'))",
            "rec('ce_ls', F.cross_entropy(D, target, label_smoothing=0.1))",
            "rec('nll', F.nll_loss(F.log_softmax(D, 1), target))",
            "rec('ce_probs', F.cross_entropy(D, torch.softmax(A * 2.0, 1)))",
            "rec('layer_norm', F.layer_norm(D, (3,)))",
            "rec('normalize', F.normalize(D, dim=1))",
            "rec('pad', F.pad(D, (1, 1)))"]),
]:
    PROGRAMS.append((_name, _matrix(*_lines)))

# views and in-place ops
PROGRAMS += [
    ("view_shares_tangent", _X + (
        "with fwAD.dual_level():\n"
        "    d = fwAD.make_dual(x, t)\n"
        "    v = d[1:3]\n"
        "    w = d.view(2, 2)\n"
        "    rec('v', v)\n"
        "    rec('w', w)\n"
        "    d.mul_(2.0)\n"
        "    rec('d_after', d)\n"
        "    rec('v_after', v)\n"
        "    rec('w_after', w)\n"
        "    rec('t_after', t)\n")),
    ("inplace_ops", _X + (
        "y = torch.tensor([1.5, 0.5, -2.0, 3.0])\n"
        "with fwAD.dual_level():\n"
        "    d = fwAD.make_dual(x.clone(), t.clone())\n"
        "    d.add_(1.0)\n"
        "    rec('add_', d)\n"
        "    d.mul_(y)\n"
        "    rec('mul_', d)\n"
        "    d.exp_()\n"
        "    rec('exp_', d)\n"
        "    d.sub_(y, alpha=2.0)\n"
        "    rec('sub_', d)\n"
        "    d.div_(y)\n"
        "    rec('div_', d)\n"
        "    d.relu_()\n"
        "    rec('relu_', d)\n"
        "    d.clamp_(0.0, 1.0)\n"
        "    rec('clamp_', d)\n"
        "    d.zero_()\n"
        "    rec('zero_', d)\n"
        "    c = torch.zeros(4)\n"
        "    c.add_(fwAD.make_dual(y, t))\n"
        "    rec('into_plain', c)\n"
        "    c.mul_(c)\n"
        "    rec('square_', c)\n"
        "    e = fwAD.make_dual(x.clone(), t.clone())\n"
        "    e.copy_(y)\n"
        "    rec('copy_plain', e)\n"
        "    e.copy_(fwAD.make_dual(y, torch.ones(4)))\n"
        "    rec('copy_dual', e)\n"
        "    s = fwAD.make_dual(x.clone(), t.clone())\n"
        "    s.abs_()\n"
        "    rec('abs_', s)\n"
        "    s.pow_(2)\n"
        "    rec('pow_', s)\n"
        "    s.sqrt_()\n"
        "    rec('sqrt_', s)\n"
        "    s.tanh_()\n"
        "    rec('tanh_', s)\n"
        "    s.sigmoid_()\n"
        "    rec('sigmoid_', s)\n")),
    ("inplace_view", _X + (
        "with fwAD.dual_level():\n"
        "    base = torch.zeros(2, 4)\n"
        "    row = base[1]\n"
        "    row.copy_(fwAD.make_dual(x, t))\n"
        "    rec('base', base)\n"
        "    rec('row', row)\n"
        "    d = fwAD.make_dual(x.clone(), t.clone())\n"
        "    part = d[:2]\n"
        "    part.mul_(10.0)\n"
        "    rec('d', d)\n"
        "    rec('part', part)\n"
        "    lazy = torch.zeros(4)\n"
        "    lv = lazy[2:]\n"
        "    lazy.add_(d)\n"
        "    rec('lazy_view', lv)\n")),
    ("setitem_recorded", _X + (
        "with fwAD.dual_level():\n"
        "    base = torch.zeros(3, requires_grad=True) * 1.0\n"
        "    base[1] = fwAD.make_dual(torch.tensor(5.0), torch.tensor(7.0))\n"
        "    rec('base', base)\n")),
    ("inplace_recorded", _X + (
        "y = torch.tensor([1.5, 0.5, -2.0, 3.0])\n"
        "w = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)\n"
        "with fwAD.dual_level():\n"
        "    d = fwAD.make_dual(x, t)\n"
        "    z = d * w\n"
        "    z.mul_(y)\n"
        "    rec('mul_', z)\n"
        "    z.exp_()\n"
        "    rec('exp_', z)\n"
        "    z.add_(fwAD.make_dual(y, t))\n"
        "    rec('add_', z)\n"
        "    z.sum().backward()\n"
        "    rec('grad', w.grad)\n")),
    ("setitem_plain", _X + (
        "with fwAD.dual_level():\n"
        "    b = torch.zeros(3)\n"
        "    b[1] = fwAD.make_dual(torch.tensor(5.0), torch.tensor(7.0))\n"
        "    rec('into_plain', b)\n"
        "    d = fwAD.make_dual(x.clone(), t.clone())\n"
        "    d[0] = 5.0\n"
        "    rec('number_into_dual', d)\n")),
    ("reverse_mode", _X + (
        "xr = x.clone().requires_grad_(True)\n"
        "with fwAD.dual_level():\n"
        "    d = fwAD.make_dual(xr, t)\n"
        "    rec('d', d)\n"
        "    y = (d * d).sin().sum()\n"
        "    rec('y', y)\n"
        "    y.backward()\n"
        "    rec('grad', xr.grad)\n"
        "    p = fwAD.unpack_dual(d).primal\n"
        "    rec('primal', p)\n"
        "    z = d.exp() * 2.0\n"
        "    rec('z', z)\n"
        "    w = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)\n"
        "    q = (d * w).sum()\n"
        "    q.backward()\n"
        "    rec('grad_w', w.grad)\n")),
    ("modes", _X + (
        "with fwAD.dual_level():\n"
        "    d = fwAD.make_dual(x, t)\n"
        "    with torch.no_grad():\n"
        "        rec('no_grad', d * 3.0)\n"
        "    with torch.inference_mode():\n"
        "        rec('inference', d * 3.0)\n"
        "    rec('detach', d.detach())\n"
        "    rec('data', d.data)\n"
        "    rec('gt', d > 0)\n"
        "    rec('argmax', d.argmax())\n"
        "    rec('zeros_like', torch.zeros_like(d))\n"
        "    rec('unpack_plain', fwAD.unpack_dual(x).tangent)\n"
        "    p, tg = fwAD.unpack_dual(d * 2.0)\n"
        "    rec('p', p)\n"
        "    rec('tg', tg)\n"
        "    rec('p_again', fwAD.unpack_dual(p).tangent)\n"
        "    rec('same_tangent', fwAD.unpack_dual(d).tangent is t)\n"
        "    d64 = fwAD.make_dual(x, t.double())\n"
        "    rec('tangent64', d64)\n"
        "    rec('tangent64_mul', d64 * 2.0)\n"
        "    y = d * 2.0\n"
        "rec('after_exit', y)\n"
        "rec('after_exit_unpack', fwAD.unpack_dual(y).tangent)\n"
        "with fwAD.dual_level() as lvl:\n"
        "    rec('level', lvl)\n"
        "    rec('old_tangent_gone', y)\n"
        "    e = fwAD.make_dual(x, t)\n"
        "rec('exit_again', fwAD.unpack_dual(e).tangent)\n"
        "lv = fwAD.enter_dual_level()\n"
        "rec('enter', lv)\n"
        "f = fwAD.make_dual(x, t)\n"
        "rec('manual', f * f)\n"
        "fwAD.exit_dual_level()\n"
        "rec('manual_after', f)\n")),
    ("errors", _X + (
        "err('outside', lambda: fwAD.make_dual(x, t))\n"
        "err('exit_none', lambda: fwAD.exit_dual_level())\n"
        "err('exit_level0', lambda: fwAD.exit_dual_level(level=0))\n"
        "rec('unpack_outside', fwAD.unpack_dual(x).tangent)\n"
        "rec('unpack_outside_number', fwAD.unpack_dual(3.0).primal)\n"
        "with fwAD.dual_level():\n"
        "    err('nested', lambda: fwAD.enter_dual_level())\n"
        "    err('shape', lambda: fwAD.make_dual(x, torch.tensor([1.0, 2.0])))\n"
        "    err('shape2', lambda: fwAD.make_dual(x, torch.ones(4, 1)))\n"
        "    err('int_tangent', lambda: fwAD.make_dual(x, torch.tensor([1, 2, 3, 4])))\n"
        "    err('int_primal',\n"
        "        lambda: fwAD.make_dual(torch.tensor([1, 2]), torch.tensor([1.0, 2.0])))\n"
        "    err('number_tangent', lambda: fwAD.make_dual(x, 3.0))\n"
        "    err('number_primal', lambda: fwAD.make_dual(3.0, x))\n"
        "    d = fwAD.make_dual(x, t)\n"
        "    err('twice', lambda: fwAD.make_dual(d, t))\n"
        "    err('level1', lambda: fwAD.make_dual(x, t, level=1))\n"
        "    err('unpack_level1', lambda: fwAD.unpack_dual(d, level=1))\n"
        "    err('unpack_number', lambda: fwAD.unpack_dual(3.0))\n"
        "    rec('unpack_level_neg', fwAD.unpack_dual(d, level=-1).tangent)\n"
        "    err('exit_wrong', lambda: fwAD.exit_dual_level(level=1))\n"
        "    rec('explicit_level', fwAD.make_dual(torch.ones(2), torch.ones(2), level=0))\n")),
    ("printing", _X + _M + (
        "with fwAD.dual_level():\n"
        "    d = fwAD.make_dual(x, t)\n"
        "    rec_repr('d', d)\n"
        "    rec_repr('y', d * 2.0)\n"
        "    rec_repr('s', d.sum())\n"
        "    D = fwAD.make_dual(A, TA)\n"
        "    rec_repr('D', D)\n"
        "    rec_repr('D_sum', D.sum(1))\n"
        "    rec_repr('unpacked', fwAD.unpack_dual(d * 3.0))\n"
        "    rec_repr('tangent', fwAD.unpack_dual(d).tangent)\n"
        "    rec_repr('f64', fwAD.make_dual(x.double(), t.double()))\n"
        "    lin = torch.linspace(-3.0, 3.0, 12)\n"
        "    rec_repr('long', fwAD.make_dual(lin, torch.linspace(0.0, 1.0, 12)))\n"
        "    lin2 = torch.linspace(-300.0, 3.0, 7)\n"
        "    rec_repr('long2', fwAD.make_dual(lin2, torch.linspace(0.0, 1.0, 7)))\n"
        "    xr = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "    rec_repr('rg', fwAD.make_dual(xr, torch.ones(2)))\n"
        "    rec_repr('rg_primal', fwAD.unpack_dual(fwAD.make_dual(xr, torch.ones(2))).primal)\n"
        "    rec_repr('scalar', fwAD.make_dual(torch.tensor(2.5), torch.tensor(-1.0)))\n"
        "rec_repr('after', d)\n")),
]


# ---- the runner (the test has the same) --------------------------------------------------------


def _floats(values) -> list:
    out = []
    for v in values:
        v = float(v)
        out.append(v if math.isfinite(v) else repr(v))
    return out


def run_program(src: str, torch, fwAD, F) -> list:  # noqa: N803 - the scripts' names
    records: list = []

    def grad_fn_name(v):
        fn = v.grad_fn
        if fn is None:
            return None
        name = type(fn).__name__
        return fn.name().rsplit("::", 1)[-1] if name == "CppFunction" else name

    def rec(name, v):
        if isinstance(v, torch.Tensor):
            p, tg = fwAD.unpack_dual(v)
            entry = {"name": name, "kind": "tensor", "dtype": str(v.dtype),
                     "shape": list(v.shape), "grad_fn": grad_fn_name(v),
                     "requires_grad": bool(v.requires_grad),
                     "primal": _floats(p.detach().reshape(-1).double().tolist())
                     if v.is_floating_point() else p.reshape(-1).tolist()}
            if tg is None:
                entry["tangent"] = None
            else:
                entry["tangent"] = _floats(tg.detach().reshape(-1).double().tolist())
                entry["tangent_dtype"] = str(tg.dtype)
                entry["tangent_shape"] = list(tg.shape)
            records.append(entry)
        elif v is None or isinstance(v, bool | int | float | str):
            records.append({"name": name, "kind": "value", "value": v})
        else:
            records.append({"name": name, "kind": "type", "value": type(v).__name__})

    def rec_repr(name, v):
        records.append({"name": name, "kind": "repr", "value": repr(v)})

    def err(name, fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - recording what torch raises
            records.append({"name": name, "kind": "error", "type": _kind(e),
                            "message": str(e)})
        else:
            records.append({"name": name, "kind": "error", "type": None, "message": None})

    g = {"torch": torch, "fwAD": fwAD, "F": F, "rec": rec, "rec_repr": rec_repr, "err": err,
         "math": math}
    try:
        exec(compile(src, "<program>", "exec"), g)
    except Exception as e:  # noqa: BLE001
        records.append({"name": "<raised>", "kind": "error", "type": _kind(e),
                        "message": str(e)})
    return records


def _kind(e: Exception) -> str:
    return getattr(e, "kind", None) or type(e).__name__


def main() -> None:
    import torch
    import torch.autograd.forward_ad as fwAD
    import torch.nn.functional as F

    cases = []
    for name, src in PROGRAMS:
        cases.append({"name": name, "source": src,
                      "records": run_program(src, torch, fwAD, F)})
        # a program that fails leaves no level behind
        while fwAD._current_level >= 0:
            fwAD.exit_dual_level()
    doc = {"torch": torch.__version__, "cases": cases}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    print(f"wrote {len(cases)} programs to {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
