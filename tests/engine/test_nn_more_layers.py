"""The less common torch.nn layers (engine/nn_extra.py, engine/nn/extra.py,
engine/nn/spectral.py) against numbers recorded from torch 2.13 (CPU), finite
differences, and torch's error messages."""

from __future__ import annotations

import numpy as np
import pytest

from adcli.engine import api
from adcli.engine import nn_functional as F
from adcli.engine.nn import extra, normalization, spectral
from adcli.engine.nn.layers import Linear
from adcli.errors import AdcliError


def _table():
    return api.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [-2.0, 1.0, 0.125],
                       [0.3, 0.7, -0.2]], requires_grad=True)


_IDX = [0, 2, 1, 2, 3, 0]
_OFF = [0, 2, 2, 5]
# torch 2.13: F.embedding_bag(idx, W, off, mode=..., padding_idx=1), then
# (out * arange(12).reshape(4, 3)).sum().backward()
_BAGS = {
    "sum": ([[-1.5, 0.0, 2.125], [0.0, 0.0, 0.0], [-1.7, 1.7, -0.075], [0.5, -1.0, 2.0]],
            [[9.0, 11.0, 13.0], [0.0, 0.0, 0.0], [6.0, 8.0, 10.0], [6.0, 7.0, 8.0]]),
    "mean": ([[-0.75, 0.0, 1.0625], [0.0, 0.0, 0.0], [-0.85, 0.85, -0.0375], [0.5, -1.0, 2.0]],
             [[9.0, 10.5, 12.0], [0.0, 0.0, 0.0], [3.0, 4.0, 5.0], [3.0, 3.5, 4.0]]),
    "max": ([[0.5, 1.0, 2.0], [0.0, 0.0, 0.0], [0.3, 1.0, 0.125], [0.5, -1.0, 2.0]],
            [[9.0, 10.0, 13.0], [0.0, 0.0, 0.0], [0.0, 8.0, 8.0], [6.0, 0.0, 0.0]]),
}


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_modes_values_and_grads(mode):
    w = _table()
    out = F.embedding_bag(api.tensor(_IDX), w, api.tensor(_OFF), mode=mode, padding_idx=1)
    assert out.grad_fn.name() == "EmbeddingBagBackward0"
    (out * api.arange(12.0).reshape(4, 3)).sum().backward()
    want_out, want_grad = _BAGS[mode]
    np.testing.assert_allclose(out._data, np.float32(want_out), rtol=0, atol=0)
    np.testing.assert_array_equal(w.grad._data, np.float32(want_grad))


def test_embedding_bag_per_sample_weights():
    w = _table()
    psw = api.tensor([0.5, -1.0, 2.0, 0.25, 1.5, 3.0], requires_grad=True)
    out = F.embedding_bag(api.tensor(_IDX), w, api.tensor(_OFF), mode="sum",
                          per_sample_weights=psw)
    (out * api.arange(12.0).reshape(4, 3)).sum().backward()
    np.testing.assert_array_equal(out._data, np.float32(
        [[2.25, -1.5, 0.875], [0.0, 0.0, 0.0], [2.95, 1.8, -1.76875], [1.5, -3.0, 6.0]]))
    np.testing.assert_array_equal(w.grad._data, np.float32(
        [[27.0, 30.5, 34.0], [12.0, 14.0, 16.0], [1.5, 0.75, 0.0], [9.0, 10.5, 12.0]]))
    np.testing.assert_array_equal(psw.grad._data, np.float32(
        [3.0, 1.25, 4.75, -4.0, 5.100000381469727, 16.5]))


def test_embedding_bag_module_repr_and_errors():
    bag = normalization.EmbeddingBag(10, 3, mode="sum", padding_idx=-2, max_norm=1.0)
    assert repr(bag) == "EmbeddingBag(10, 3, max_norm=1.0, mode='sum', padding_idx=8)"
    assert list(bag.state_dict()) == ["weight"]
    w = _table()
    with pytest.raises(AdcliError, match=r"Index 1 of input takes value 9 which is not in "
                                         r"the valid range \[0, 4\)"):
        F.embedding_bag(api.tensor([1, 9]), w, api.tensor([0]))
    with pytest.raises(AdcliError, match="offsets has to be a 1D Tensor but got None"):
        F.embedding_bag(api.tensor([1, 2]), w)
    with pytest.raises(AdcliError, match="mode has to be one of sum, mean or max"):
        F.embedding_bag(api.tensor([1, 2]), w, api.tensor([0]), mode="median")


def test_ctc_loss_matches_torch_bit_for_bit():
    hexes = ['-0x1.2c5d640000000p+0', '-0x1.8bedfc0000000p-1', '-0x1.792a300000000p+0',
             '-0x1.d2e4c00000000p-1', '-0x1.1ca5940000000p+0', '-0x1.4fd8c60000000p+0',
             '-0x1.df0a880000000p-1', '-0x1.df0a880000000p-1', '-0x1.891ede0000000p+0',
             '-0x1.7ca18e0000000p-1', '-0x1.7183fa0000000p+0', '-0x1.3e50c80000000p+0']
    lp = api.tensor([float.fromhex(h) for h in hexes]).reshape(4, 1, 3).requires_grad_()
    loss = F.ctc_loss(lp, api.tensor([[1, 2]]), [4], [2], reduction="none")
    assert loss.grad_fn.name() == "CtcLossBackward0"
    loss.sum().backward()
    assert float(loss._data[0]).hex() == "0x1.91ac420000000p+0"
    want = ['0x1.a0c2500000000p-5', '-0x1.1ec34e0000000p-2', '0x1.d556060000000p-3',
            '0x1.6490180000000p-4', '-0x1.2cc63c0000000p-3', '0x1.e9f8a00000000p-5',
            '0x1.5c27300000000p-5', '0x1.7f11e20000000p-3', '-0x1.d61bbc0000000p-3',
            '0x1.6555400000000p-4', '0x1.e392460000000p-3', '-0x1.4b1e740000000p-2']
    assert [float(v).hex() for v in lp.grad._data.reshape(-1)] == want


def test_ctc_loss_gradient_against_finite_differences():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 2, 4))
    targets, il, tl = api.tensor([[1, 3, 3], [2, 1, 0]]), [6, 5], [3, 2]

    def loss_of(arr):
        lp = F.log_softmax(api.tensor(arr), 2)
        return float(F.ctc_loss(lp, targets, il, tl, reduction="sum")._data)

    t = api.tensor(x, requires_grad=True)
    F.ctc_loss(F.log_softmax(t, 2), targets, il, tl, reduction="sum").backward()
    num = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = 1e-6
        num[i] = (loss_of(x + d) - loss_of(x - d)) / 2e-6
    np.testing.assert_allclose(t.grad._data, num, atol=1e-6)


def test_ctc_loss_errors_and_zero_infinity():
    lp = F.log_softmax(api.zeros(3, 1, 4).requires_grad_(), 2)
    with pytest.raises(AdcliError, match="blank must be in label range"):
        F.ctc_loss(lp, api.tensor([[1]]), [3], [1], blank=4)
    with pytest.raises(AdcliError, match="Expected input_lengths to have value at most 3, "
                                         "but got value 4"):
        F.ctc_loss(lp, api.tensor([[1]]), [4], [1])
    inf = F.ctc_loss(lp, api.tensor([[1, 2, 1, 2]]), [3], [4], reduction="none")
    assert np.isinf(inf._data[0])
    zero = F.ctc_loss(lp, api.tensor([[1, 2, 1, 2]]), [3], [4], reduction="none",
                      zero_infinity=True)
    assert zero._data.tolist() == [0.0] and zero.grad_fn.name() == "WhereBackward0"


def test_margin_losses_and_pdist_values():
    x = api.tensor([[0.1, 0.2, 0.4, 0.8], [0.9, -0.3, 0.2, 0.1]], requires_grad=True)
    mm = F.multi_margin_loss(x, api.tensor([3, 0]), p=2, margin=0.9)
    assert float(mm._data) == np.float32(0.053749993443489075)
    mlm = F.multilabel_margin_loss(x, api.tensor([[3, 0, -1, 1], [1, 2, 3, -1]]),
                                   reduction="sum")
    assert float(mlm._data) == np.float32(2.2750000953674316)
    e = api.tensor([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0]], requires_grad=True)
    d = F.pdist(e, p=3)
    d.sum().backward()
    np.testing.assert_allclose(d._data, [4.497941493988037, 1.2599210739135742,
                                         3.271066427230835], rtol=1e-6)
    np.testing.assert_allclose(e.grad._data, [[-1.0748118162155151, -1.4208073616027832],
                                              [0.8186874389648438, 1.6319780349731445],
                                              [0.2561243772506714, -0.21117079257965088]],
                               rtol=1e-5)
    with pytest.raises(AdcliError, match="target out of range"):
        F.multi_margin_loss(x, api.tensor([4, 0]))
    with pytest.raises(AdcliError, match="pdist only supports 2D tensors, got: 3D"):
        F.pdist(api.zeros(2, 2, 2))


def test_pooling_and_normalisation_layers():
    y = F.local_response_norm(api.arange(8.0).reshape(1, 4, 2), 3, alpha=0.5, beta=0.5)
    np.testing.assert_allclose(y._data.reshape(-1), [
        0.0, 0.6123724579811096, 0.9607689380645752, 1.1476380825042725, 1.2443420886993408,
        1.2982269525527954, 1.9298025369644165, 1.9170289039611816], rtol=1e-7)
    p = F.lp_pool2d(api.arange(16.0).reshape(1, 1, 4, 4), 3, 2)
    np.testing.assert_allclose(p._data.reshape(-1), [5.748897075653076, 8.406118392944336,
                                                     17.28693962097168, 20.368181228637695],
                               rtol=1e-7)
    a = api.arange(16.0).reshape(1, 1, 4, 4).requires_grad_()
    pooled, idx = F.max_pool2d(a, 2, return_indices=True)
    up = extra.MaxUnpool2d(2)(pooled, idx)
    assert up.grad_fn.name() == "MaxUnpool2DBackward0"
    assert up._data[0, 0, 1].tolist() == [0.0, 5.0, 0.0, 7.0]
    (up * api.arange(16.0).reshape(1, 1, 4, 4)).sum().backward()
    assert a.grad._data[0, 0, 3].tolist() == [0.0, 13.0, 0.0, 15.0]
    assert repr(extra.MaxUnpool2d((2, 2), stride=1, padding=1)) == \
        "MaxUnpool2d(kernel_size=(2, 2), stride=(1, 1), padding=(1, 1))"
    assert repr(extra.LPPool2d(1.5, (2, 3), stride=1, ceil_mode=True)) == \
        "LPPool2d(norm_type=1.5, kernel_size=(2, 3), stride=1, ceil_mode=True)"
    assert repr(extra.LocalResponseNorm(2)) == \
        "LocalResponseNorm(2, alpha=0.0001, beta=0.75, k=1.0)"
    with pytest.raises(AdcliError, match="invalid output_size"):
        F.max_unpool2d(pooled, idx, 2, output_size=(9, 9))


def test_random_layers_draw_torchs_stream():
    api.manual_seed(4)
    r = F.rrelu(api.tensor([-1.0, 2.0, -3.0, -0.5]), 0.1, 0.4, training=True)
    np.testing.assert_array_equal(r._data, np.float32(
        [-0.2431328147649765, 2.0, -0.9584892988204956, -0.058633554726839066]))
    api.manual_seed(4)
    a = F.alpha_dropout(api.tensor([1.0, -1.0, 0.5, 2.0, 0.0, 3.0]), 0.4, True)
    np.testing.assert_array_equal(a._data, np.float32(
        [1.4703772068023682, -0.9106420278549194, 1.0387359857559204, -0.9106420278549194,
         -0.9106420278549194, 3.1969423294067383]))
    assert repr(extra.RReLU(0.1, 0.3)) == "RReLU(lower=0.1, upper=0.3)"
    # eval: leaky_relu with the mean slope, still RreluWithNoiseBackward0
    x = api.tensor([-2.0, 1.0], requires_grad=True)
    y = F.rrelu(x, 0.1, 0.3)
    assert y.grad_fn.name() == "RreluWithNoiseBackward0"
    assert y._data.tolist() == [np.float32(-2.0) * np.float32(0.2), 1.0]


def test_spectral_norm_normalises_the_largest_singular_value():
    api.manual_seed(0)
    lin = spectral.spectral_norm(Linear(5, 4), n_power_iterations=20)
    assert list(lin.state_dict()) == ["bias", "weight_orig", "weight_u", "weight_v"]
    lin(api.zeros(1, 5))
    assert lin.weight.grad_fn.name() == "DivBackward0"
    s = np.linalg.svd(lin.weight._data.astype(np.float64), compute_uv=False)
    assert abs(s[0] - 1) < 1e-5
    spectral.remove_spectral_norm(lin)
    assert list(lin.state_dict()) == ["bias", "weight"]
    with pytest.raises(AdcliError, match="Expected n_power_iterations to be positive"):
        spectral.spectral_norm(Linear(2, 2), n_power_iterations=0)


def test_embedding_bag_scale_grad_by_freq_as_torch_computes_it():
    # torch 2.13 divides group g of the sorted indices by counts[sorted[g]] (its group
    # number used as a position): rows 1, 2 and 3 below get another index's count
    w = api.tensor([[0.5, -1.0], [1.5, 0.25], [-2.0, 1.0], [0.3, 0.7]], requires_grad=True)
    out = F.embedding_bag(api.tensor([2, 0, 2, 2, 1, 3, 0]), w, api.tensor([0, 3, 5]),
                          mode="mean", scale_grad_by_freq=True)
    (out * api.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 4.0]])).sum().backward()
    np.testing.assert_array_equal(w.grad._data, np.float32(
        [[0.2916666865348816, 1.3333333730697632], [0.75, -0.25],
         [2.1666667461395264, 0.8333333730697632], [0.0833333358168602, 0.6666666865348816]]))


def test_three_d_unpool_and_lp_pool():
    x = ((api.arange(64.0) * 7) % 13).reshape(1, 1, 4, 4, 4).requires_grad_()
    pooled, idx = F.max_pool3d(x, 2, return_indices=True)
    assert idx._data.reshape(-1).tolist() == [20, 22, 24, 11, 37, 50, 61, 63]
    up = extra.MaxUnpool3d(2)(pooled, idx)
    assert up.grad_fn.name() == "MaxUnpool3DBackward0"
    (up * api.arange(64.0).reshape(1, 1, 4, 4, 4)).sum().backward()
    assert np.flatnonzero(x.grad._data).tolist() == [11, 20, 22, 24, 37, 50, 61, 63]
    assert float(x.grad._data.sum()) == 288.0
    lp = F.lp_pool3d(x.detach(), 2, 2)
    np.testing.assert_allclose(lp._data.reshape(-1), [
        17.83255386352539, 20.248456954956055, 20.445049285888672, 18.788293838500977,
        21.748563766479492, 20.445049285888672, 19.02629852294922, 21.494184494018555],
        rtol=1e-7)
    assert repr(extra.MaxUnpool3d((1, 2, 2), stride=1)) == \
        "MaxUnpool3d(kernel_size=(1, 2, 2), stride=(1, 1, 1), padding=(0, 0, 0))"
    with pytest.raises(AdcliError, match="Input to max_unpooling3d should be a 4d or 5d"):
        F.max_unpool3d(pooled[0, 0], idx[0, 0], 2)


def test_double_backward_of_rrelu_and_channel_shuffle():
    from adcli.engine import functional as AF

    x = api.tensor([-1.0, 2.0, -3.0], requires_grad=True)
    w = api.tensor([0.5, 1.5, -2.0], requires_grad=True)
    g, = AF.grad((F.rrelu(x) * w).sum(), x, create_graph=True)
    assert g.grad_fn.name() == "RreluWithNoiseBackwardBackward0"  # as torch 2.13
    np.testing.assert_array_equal(g._data, np.float32(
        [0.1145833358168602, 1.5, -0.4583333432674408]))
    g.sum().backward()
    np.testing.assert_array_equal(w.grad._data, np.float32(
        [0.2291666716337204, 1.0, 0.2291666716337204]))
    assert x.grad._data.tolist() == [0.0, 0.0, 0.0]
    c = api.arange(8.0).reshape(1, 4, 2).requires_grad_()
    v = api.arange(8.0).reshape(1, 4, 2).requires_grad_()
    gc, = AF.grad((F.channel_shuffle(c, 2) * v).sum(), c, create_graph=True)
    assert gc.grad_fn.name() == "ChannelShuffleBackward0"
    (gc * api.arange(8.0).reshape(1, 4, 2)).sum().backward()
    assert v.grad._data.reshape(-1).tolist() == [0.0, 1.0, 4.0, 5.0, 2.0, 3.0, 6.0, 7.0]
    # pdist's backward has no derivative in torch either
    p = api.tensor([[0.0, 1.0], [2.0, 3.0]], requires_grad=True)
    with pytest.raises(AdcliError, match="the derivative for '_pdist_backward' is not "
                                         "implemented"):
        AF.grad(F.pdist(p).sum(), p, create_graph=True)
