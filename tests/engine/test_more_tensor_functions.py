"""hstack ... histogram, finfo/iinfo and the dtype queries against torch 2.13's own output.

``fixtures/more_tensor_functions_script.txt`` is a Python program; ``.out`` beside it is
what python + torch 2.13 printed for it (values, dtypes, return types, grad_fn chains'
gradients, error types and messages), recorded with::

    /work/torchenv/bin/python more_tensor_functions_script.txt > more_tensor_functions.out

The test runs the program through the language and compares line by line. The grad_fn
names and a few exact values are checked directly below (those too are torch's)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from adcli.engine import api
from adcli.errors import AdcliError
from adcli.lang.interpreter import Session
from adcli.limits import Limits

HERE = os.path.join(os.path.dirname(__file__), "fixtures")


def _read(name: str) -> str:
    with open(os.path.join(HERE, name), encoding="utf-8") as fh:
        return fh.read()


def _run(source: str) -> str:
    out: list = []
    s = Session(limits=Limits(), out=out.append, dialect="py")
    s.exec_source(source)
    return "".join(out)


def test_the_program_prints_what_torch_prints():
    got = _run(_read("more_tensor_functions_script.txt")).splitlines()
    want = _read("more_tensor_functions.out").splitlines()
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"line {i + 1}"
    assert len(got) == len(want)


SETUP = """\
import torch
x = torch.tensor([[0.2, 0.5, 0.7], [0.3, 0.6, 0.4]], requires_grad=True)
y = torch.tensor([[0.6, 0.3, 0.2], [0.5, 0.1, 0.8]], requires_grad=True)
v = torch.tensor([0.3, 0.5, 0.9], requires_grad=True)
m = torch.tensor([[1.0, 0.5, 0.2], [0.1, 2.0, 0.3], [0.4, 0.2, 1.5]], requires_grad=True)
def chain(fn):
    if fn is None:
        return "None"
    n = fn.name()
    if n.endswith("AccumulateGrad"):
        return "Acc"
    kids = [chain(f) for f, _ in fn.next_functions]
    return n + "(" + ", ".join(kids) + ")" if kids else n
def g(t):
    if isinstance(t, (tuple, list)):
        return [g(a) for a in t]
    return chain(t.grad_fn)
"""

# torch 2.13's grad_fn chains (recorded with /work/torchenv/bin/python)
CHAINS = {
    "torch.vstack([v, x])": "CatBackward0(UnsqueezeBackward0(Acc), Acc)",
    "torch.column_stack([v, x.T])": "CatBackward0(ViewBackward0(Acc), PermuteBackward0(Acc))",
    "torch.dstack([x, y])": "CatBackward0(UnsqueezeBackward0(Acc), UnsqueezeBackward0(Acc))",
    "torch.atleast_3d(v)": "UnsqueezeBackward0(UnsqueezeBackward0(Acc))",
    "torch.atleast_2d(x.sum())": "ViewBackward0(SumBackward0(Acc))",
    "torch.dsplit(x.reshape(1, 2, 3), [1])":
        "['SliceBackward0(ViewBackward0(Acc))', 'SliceBackward0(ViewBackward0(Acc))']",
    "torch.movedim(x, 0, 1)": "PermuteBackward0(Acc)",
    "torch.narrow_copy(x, 1, 1, 2)": "NarrowCopyBackward0(Acc)",
    "torch.unflatten(v.repeat(2), 0, (2, 3))": "ViewBackward0(RepeatBackward0(Acc))",
    "torch.broadcast_tensors(x, v)": "['None', 'ExpandBackward0(Acc)']",
    "torch.std_mean(x, 1)": "['StdMeanBackward0(Acc)', 'StdMeanBackward0(Acc)']",
    "torch.var_mean(x)": "['VarMeanBackward0(Acc)', 'VarMeanBackward0(Acc)']",
    "torch.aminmax(x, dim=1)": "['AminmaxBackward0(Acc)', 'AminmaxBackward0(Acc)']",
    "torch.nanmean(x)": "DivBackward0(NansumBackward0(Acc), None)",
    "torch.heaviside(x, y)": "torch::autograd::NotImplemented(Acc, Acc)",
    "torch.xlogy(2, y)": "XlogyBackward1(Acc)",
    "torch.copysign(x, -1.0)": "CopysignBackward1(Acc)",
    "torch.float_power(x, y)":
        "PowBackward1(ToCopyBackward0(Acc), ToCopyBackward0(Acc))",
    "torch.fmod(x, y)": "FmodBackward1(Acc, Acc)",
    "torch.cummin(x, 1)": "['CumminBackward0(Acc)', 'None']",
    "torch.logcumsumexp(x, 1)": "LogcumsumexpBackward0(Acc)",
    "torch.addmv(v, m, v)": "AddmvBackward0(Acc, Acc, Acc)",
    "torch.addr(m, v, v)": "AddrBackward0(Acc, Acc, Acc)",
    "torch.frexp(x)": "['FrexpBackward0(Acc)', 'None']",
    "torch.ldexp(x, torch.tensor([1, 2, 3]))": "LdexpBackward0(Acc, None)",
    "torch.combinations(v)":
        "StackBackward0(MaskedSelectBackward0(ExpandBackward0(ViewBackward0(Acc))), "
        "MaskedSelectBackward0(ExpandBackward0(ViewBackward0(Acc))))",
    "torch.quantile(x, 0.3)":
        "SqueezeBackward4(LerpBackward1(GatherBackward0(ViewBackward0(SortBackward0("
        "ViewBackward0(Acc)))), GatherBackward0(ViewBackward0(SortBackward0(ViewBackward0("
        "Acc)))), None))",
    "torch.quantile(x, torch.tensor([0.25, 0.5]), dim=1)":
        "SqueezeBackward4(TransposeBackward1(UnsqueezeBackward1(LerpBackward1(GatherBackward0("
        "ViewBackward0(SortBackward0(Acc))), GatherBackward0(ViewBackward0(SortBackward0(Acc)"
        ")), None))))",
}


@pytest.mark.parametrize("expr", list(CHAINS))
def test_grad_fn_chains_are_torchs(expr):
    s = Session(limits=Limits(), out=lambda text: None, dialect="py")
    s.exec_source(SETUP)
    assert str(s.exec_source(f"g({expr})")) == CHAINS[expr]


def test_finfo_iinfo_and_dtype_queries():
    assert api.finfo(api.float32).eps == 1.1920928955078125e-07
    assert api.finfo(api.float64).max == 1.7976931348623157e+308
    assert api.finfo(api.float16).resolution == 0.001
    assert repr(api.finfo()) == (
        "finfo(resolution=1e-06, min=-3.40282e+38, max=3.40282e+38, eps=1.19209e-07, "
        "smallest_normal=1.17549e-38, tiny=1.17549e-38, dtype=float32)")
    assert repr(api.iinfo(api.int32)) == "iinfo(min=-2.14748e+09, max=2.14748e+09, dtype=int32)"
    assert api.iinfo(api.int64).min == -9223372036854775808
    assert api.promote_types(api.int32, api.float16) is api.float16
    assert api.can_cast(api.float64, api.float32) and not api.can_cast(api.float32, api.int32)
    assert api.result_type(api.tensor([1, 2]), 1.0) is api.float32
    with pytest.raises(AdcliError, match="requires a floating point input type"):
        api.finfo(api.int32)


def test_exact_values():
    # torch.lerp's fused kernel, through quantile (values recorded from torch 2.13)
    a = api.tensor([0.1, 0.7, 0.35, 0.9, 0.2])
    q = api.quantile(a, api.tensor([0.1, 0.33, 0.97]))
    np.testing.assert_array_equal(
        q._data, np.array([0.14000000059604645, 0.24800001084804535, 0.8759999871253967],
                          np.float32))
    hist, edges = api.histogram(api.tensor([1.0, 2.0, 1.0, 2.5, 4.0]), 4)
    assert hist.tolist() == [2.0, 1.0, 1.0, 1.0]
    assert edges.tolist() == [1.0, 1.75, 2.5, 3.25, 4.0]
    values, indices = api.cummax(api.tensor([1.0, 3.0, 2.0, 3.0, 5.0, 0.0]), 0)
    assert indices.tolist() == [0, 1, 1, 3, 4, 4]


def test_cat_of_a_0d_tensor_is_torchs_error():
    # torch 2.13: RuntimeError "zero-dimensional tensor (at position 1) cannot be
    # concatenated" (the Bi-LSTM CRF tutorial's old torch.cat of 0-d scores stops on it)
    with pytest.raises(AdcliError, match=r"^zero-dimensional tensor \(at position 1\) "
                                         r"cannot be concatenated$") as info:
        api.cat([api.ones(2), api.tensor(1.0)])
    assert info.value.kind == "RuntimeError"
