"""torch.nn.utils.rnn (pad_sequence, pack_padded_sequence, pad_packed_sequence,
pack_sequence, PackedSequence) and the RNN modules on packed input, against numbers
recorded from torch 2.13 (CPU)."""

from __future__ import annotations

import numpy as np
import pytest

from adcli.engine import api
from adcli.engine.nn import rnn
from adcli.engine.nn.rnn_utils import (
    PackedSequence,
    pack_padded_sequence,
    pack_sequence,
    pad_packed_sequence,
    pad_sequence,
    unpack_sequence,
)
from adcli.errors import AdcliError


def _seqs(requires_grad=False):
    a = api.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=requires_grad)
    b = api.tensor([[7.0, 8.0], [9.0, 10.0]], requires_grad=requires_grad)
    c = api.tensor([[11.0, 12.0]], requires_grad=requires_grad)
    return a, b, c


def test_pad_sequence_layouts_and_grad_fn():
    a, b, c = _seqs(True)
    p = pad_sequence([a, b, c])
    assert p.shape == (3, 3, 2) and p.grad_fn.name() == "torch::autograd::CopySlices"
    assert p._data[:, 1, 0].tolist() == [7.0, 9.0, 0.0]
    q = pad_sequence([a, b, c], batch_first=True, padding_value=-1.0)
    assert q._data[2].tolist() == [[11.0, 12.0], [-1.0, -1.0], [-1.0, -1.0]]
    left = pad_sequence([a, b, c], batch_first=True, padding_side="left")
    assert left._data[1].tolist() == [[0.0, 0.0], [7.0, 8.0], [9.0, 10.0]]
    (p * api.arange(18.0).reshape(3, 3, 2)).sum().backward()
    assert b.grad._data.tolist() == [[2.0, 3.0], [8.0, 9.0]]


def test_pack_and_pad_round_trip_unsorted():
    a, b, c = _seqs(True)
    padded = pad_sequence([b, a, c], batch_first=True)
    packed = pack_padded_sequence(padded, [2, 3, 1], batch_first=True, enforce_sorted=False)
    assert isinstance(packed, PackedSequence) and isinstance(packed, tuple)
    assert packed.batch_sizes._data.tolist() == [3, 2, 1]
    assert packed.sorted_indices._data.tolist() == [1, 0, 2]
    assert packed.unsorted_indices._data.tolist() == [1, 0, 2]
    # torch: rows a0, b0, c0, a1, b1, a2
    assert packed.data._data[:, 0].tolist() == [1.0, 7.0, 11.0, 3.0, 9.0, 5.0]
    assert packed.data.grad_fn.name() == "PackPaddedSequenceBackward0"
    assert packed.data.grad_fn.next_functions[0][0].name() == "IndexSelectBackward0"
    out, lengths = pad_packed_sequence(packed, batch_first=True, total_length=4)
    assert lengths._data.tolist() == [2, 3, 1]
    assert out.grad_fn.name() == "IndexSelectBackward0"
    np.testing.assert_array_equal(out._data[:, :3], padded._data)
    assert out._data[:, 3].tolist() == [[0.0, 0.0]] * 3
    (out * 2).sum().backward()
    assert a.grad._data.tolist() == [[2.0, 2.0]] * 3
    assert [t._data.shape for t in unpack_sequence(packed)] == [(2, 2), (3, 2), (1, 2)]
    assert repr(pack_sequence([a.detach(), b.detach()])).startswith(
        "PackedSequence(data=tensor([[ 1.,  2.],\n        [ 7.,  8.],")


@pytest.mark.parametrize("call,message", [
    (lambda: pad_sequence([]), "received an empty list of sequences"),
    (lambda: pad_sequence([api.ones(2, 2), api.ones(2, 3)]),
     "The size of tensor a (2) must match the size of tensor b (3) at non-singleton "
     "dimension 1"),
    (lambda: pad_sequence([api.ones(2)], padding_side="middle"),
     "Expected padding_side to be one of left or right, but got middle."),
    (lambda: pack_padded_sequence(api.zeros(3, 3, 2), [1, 2, 3]),
     "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True."),
    (lambda: pack_padded_sequence(api.zeros(3, 3, 2), [3, 2, 0]),
     "Length of all samples has to be greater than 0, but found an element in 'lengths' "
     "that is <= 0"),
    (lambda: pack_padded_sequence(api.zeros(3, 3, 2), [3, 2]),
     "Expected `len(lengths)` to be equal to batch_size, but got 2 (batch_size=3)"),
    (lambda: pack_padded_sequence(api.zeros(3, 3, 2), api.tensor([[3, 2, 1]])),
     "'lengths' argument should be a 1D CPU int64 tensor, but got 2D cpu Long tensor"),
    (lambda: pad_packed_sequence(pack_sequence([api.ones(3, 1)]), total_length=2),
     "Expected total_length to be at least the length of the longest sequence in input, "
     "but got total_length=2 and max sequence length being 3"),
])
def test_errors_in_torch_words(call, message):
    with pytest.raises(AdcliError) as err:
        call()
    assert message in str(err.value)


# torch 2.13: manual_seed(0); CLS(2, 3, num_layers=2, bidirectional=True); x = arange(24)
# .reshape(4, 3, 2) / 10 - 1; lengths [2, 4, 3], enforce_sorted=False; loss = out.sum() +
# (h_n ** 2).sum(): out.sum(), out.abs().sum(), h_n.sum(), x.grad.sum(), x.grad.abs().sum(),
# x.grad[3]
TORCH = {
    "GRU": (-4.928929328918457, 16.23523712158203, -0.16472718119621277, 1.5604290962219238,
            3.7182371616363525, [[0.0, 0.0], [0.025076057761907578, 0.03556323051452637],
                                 [0.0, 0.0]]),
    "LSTM": (-5.667215347290039, 8.099553108215332, -4.5046467781066895, 0.1729952096939087,
             0.9954872131347656, [[0.0, 0.0], [0.06652429699897766, 0.06710654497146606],
                                  [0.0, 0.0]]),
    "RNN": (-5.7303147315979, 28.737836837768555, -0.9844573140144348, 4.742624282836914,
            6.198834419250488, [[0.0, 0.0], [0.3560766875743866, 0.5557302832603455],
                                [0.0, 0.0]]),
}


@pytest.mark.parametrize("name", sorted(TORCH))
def test_packed_bidirectional_two_layer_modules(name):
    api.manual_seed(0)
    m = rnn.RNN_CLASSES[name](2, 3, num_layers=2, bidirectional=True)
    x = (api.arange(24.0).reshape(4, 3, 2) / 10 - 1).requires_grad_()
    packed = pack_padded_sequence(x, [2, 4, 3], enforce_sorted=False)
    out, h = m(packed)
    assert isinstance(out, PackedSequence) and out.data.grad_fn.name() == "CatBackward0"
    o, lengths = pad_packed_sequence(out)
    hh = h[0] if isinstance(h, tuple) else h
    assert hh.grad_fn.name() == "IndexSelectBackward0"
    (o.sum() + hh.pow(2).sum()).backward()
    got = (o.sum().item(), o.abs().sum().item(), hh.sum().item(), x.grad.sum().item(),
           x.grad.abs().sum().item())
    np.testing.assert_allclose(got, TORCH[name][:5], rtol=2e-6, atol=1e-6)
    np.testing.assert_allclose(x.grad._data[3], TORCH[name][5], rtol=1e-5, atol=1e-7)


def test_packed_input_of_the_wrong_size_fails_as_in_torch():
    """torch 2.13: RNN and GRU check the packed data's feature size; LSTM does not, and its
    kernel's input projection of all packed rows fails instead."""
    packed = pack_sequence([api.ones(3, 5), api.ones(2, 5)])
    for cls in (rnn.RNN, rnn.GRU):
        with pytest.raises(AdcliError, match=r"input.size\(-1\) must be equal to input_size. "
                                             r"Expected 4, got 5"):
            cls(4, 3)(packed)
    with pytest.raises(AdcliError, match=r"mat1 and mat2 shapes cannot be multiplied "
                                         r"\(5x5 and 4x12\)"):
        rnn.LSTM(4, 3)(packed)
