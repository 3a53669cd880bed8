"""The 3-D layers (conv3d, the 3-D poolings, BatchNorm3d, InstanceNorm3d) against torch
2.13: the poolings bit for bit (tests/engine/fixtures/nn_more.json, written by
tools/gen_nn_more_fixtures.py), the convolution's gradients against finite differences,
the modules' printing against torch's text."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from adcli.engine import api
from adcli.engine import nn_functional as F
from adcli.engine.functional import gradcheck
from adcli.engine.nn import conv, normalization
from adcli.errors import AdcliError

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "nn_more.json")
with open(FIXTURE, encoding="utf-8") as _fh:
    _DATA = json.load(_fh)
CASES = {c["name"]: c for c in _DATA["cases"]}


def _volume():
    """torch's (arange(120).sin() * 3).reshape(1, 2, 3, 4, 5), as it computed it."""
    data = np.array(_DATA["volume"], np.float32).reshape(1, 2, 3, 4, 5)
    return api.tensor(data).requires_grad_()


CALLS = {
    "max_pool3d": lambda v: F.max_pool3d(v, (2, 2, 3), stride=(1, 2, 2), padding=(1, 1, 1),
                                         return_indices=True),
    "max_pool3d_dilated": lambda v: F.max_pool3d(v, 2, stride=1, dilation=2, ceil_mode=True,
                                                 return_indices=True),
    "avg_pool3d": lambda v: F.avg_pool3d(v, 3, stride=2, padding=1, count_include_pad=False,
                                         ceil_mode=True),
    "avg_pool3d_overlap": lambda v: F.avg_pool3d(v, 2, stride=1),
    "avg_pool3d_divisor": lambda v: F.avg_pool3d(v, (1, 2, 2), divisor_override=3),
    "adaptive_avg_pool3d": lambda v: F.adaptive_avg_pool3d(v, (2, 3, 4)),
    "adaptive_max_pool3d": lambda v: F.adaptive_max_pool3d(v, (2, 2, 3), return_indices=True),
}
SEEDED = {"max_pool3d", "max_pool3d_dilated", "avg_pool3d_divisor", "adaptive_max_pool3d"}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_poolings_bit_for_bit(name):
    ref = CASES[name]
    v = _volume()
    out = CALLS[name](v)
    idx = None
    if isinstance(out, tuple):
        out, idx = out
    assert list(out.shape) == ref["shape"] and out.grad_fn.name() == ref["grad_fn"]
    np.testing.assert_array_equal(out._data.ravel(), np.float32(ref["out"]))
    if idx is not None:
        assert idx._data.ravel().tolist() == ref["indices"]
    g = (api.arange(out.numel(), dtype=api.float32).reshape(out.shape) / 7 if name in SEEDED
         else out.detach() * 2)
    out.backward(g)
    np.testing.assert_array_equal(v.grad._data.ravel(), np.float32(ref["grad"]))


def test_conv3d_and_its_transpose_pass_gradcheck():
    api.manual_seed(0)
    x = api.randn(2, 2, 3, 4, 3, dtype=api.float64, requires_grad=True)
    w = api.randn(4, 1, 2, 3, 2, dtype=api.float64, requires_grad=True)
    b = api.randn(4, dtype=api.float64, requires_grad=True)
    assert gradcheck(lambda x, w, b: F.conv3d(x, w, b, stride=(1, 2, 1), padding=1,
                                              groups=2), (x, w, b))
    wt = api.randn(2, 3, 2, 2, 2, dtype=api.float64, requires_grad=True)
    assert gradcheck(lambda x, w: F.conv_transpose3d(x, w, stride=2, output_padding=1),
                     (x, wt))
    y = F.conv3d(api.ones(1, 1, 3, 3, 3), api.ones(1, 1, 2, 2, 2))
    assert y._data.ravel().tolist() == [8.0] * 8


def test_module_printing_as_torch():
    assert repr(conv.Conv3d(3, 6, 3, groups=3, dilation=2, padding="same",
                            padding_mode="reflect")) == (
        "Conv3d(3, 6, kernel_size=(3, 3, 3), stride=(1, 1, 1), padding=same, "
        "dilation=(2, 2, 2), groups=3, padding_mode=reflect)")
    assert repr(conv.MaxPool3d((2, 3, 2), stride=1, padding=1, ceil_mode=True)) == (
        "MaxPool3d(kernel_size=(2, 3, 2), stride=1, padding=1, dilation=1, ceil_mode=True)")
    assert repr(conv.AvgPool3d(3, stride=2, padding=1)) == \
        "AvgPool3d(kernel_size=3, stride=2, padding=1)"
    assert repr(conv.AdaptiveAvgPool3d((1, None, 3))) == \
        "AdaptiveAvgPool3d(output_size=(1, None, 3))"
    assert repr(normalization.BatchNorm3d(3)) == (
        "BatchNorm3d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, "
        "track_running_stats=True)")
    assert repr(conv.ConvTranspose3d(3, 2, 2, stride=2)) == \
        "ConvTranspose3d(3, 2, kernel_size=(2, 2, 2), stride=(2, 2, 2))"


def test_batch_norm3d_running_stats():
    # torch 2.13: manual_seed(0); y = Conv3d(1, 4, 3, padding=1)(randn(4, 1, 6, 16, 16));
    # BatchNorm3d(4)(y): running_mean, running_var
    api.manual_seed(0)
    c = conv.Conv3d(1, 4, kernel_size=3, padding=1)
    bn = normalization.BatchNorm3d(4)
    bn(c(api.randn(4, 1, 6, 16, 16)))
    np.testing.assert_allclose(bn.running_mean._data, [-0.0012, 0.0030, -0.0083, 0.0121],
                               atol=6e-5)
    np.testing.assert_allclose(bn.running_var._data, [0.9222, 0.9311, 0.9295, 0.9310],
                               atol=6e-5)
    assert bn.num_batches_tracked.item() == 1


@pytest.mark.parametrize("call,message", [
    (lambda: F.max_pool3d(api.randn(3, 4, 4), 2),
     "non-empty 4D or 5D (batch mode) tensor expected for input"),
    (lambda: F.avg_pool3d(api.randn(1, 5, 6, 7), 9),
     "input image (T: 5 H: 6 W: 7) smaller than kernel size (kT: 9 kH: 9 kW: 9)"),
    (lambda: F.max_pool3d(api.randn(1, 3, 5, 6, 7), 9),
     "Given input size: (3x5x6x7). Calculated output size: (3x0x0x0). Output size is too "
     "small"),
    (lambda: F.max_pool3d(api.randn(1, 3, 5, 6, 7), 2, padding=2),
     "pad should be at most half of effective kernel size, but got pad=2, kernel_size=2 and "
     "dilation=1"),
    (lambda: F.max_pool3d(api.randn(1, 3, 5, 6, 7), (2, 2)),
     "max_pool3d: kernel_size must either be a single int, or a tuple of three ints"),
    (lambda: F.adaptive_avg_pool3d(api.randn(1, 3, 5, 6, 7), (2, 2)),
     "adaptive_avg_pool3d: output_size must be 3"),
    (lambda: F.adaptive_avg_pool3d(api.randn(3, 4, 4), 2),
     "adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got [3, 4, 4]"),
    (lambda: F.conv3d(api.randn(3, 4, 4), api.randn(2, 3, 2, 2, 2)),
     "Expected 4D (unbatched) or 5D (batched) input to conv3d, but got input of size: "
     "[3, 4, 4]"),
    (lambda: normalization.BatchNorm3d(3)(api.randn(2, 3, 4, 4)),
     "expected 5D input (got 4D input)"),
])
def test_errors_in_torch_words(call, message):
    with pytest.raises(AdcliError) as err:
        call()
    assert str(err.value) == message or message in str(err.value)
