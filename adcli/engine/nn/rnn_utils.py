"""``torch.nn.utils.rnn``: padded and packed batches of variable-length sequences.

As torch 2.13 builds them (torch/nn/utils/rnn.py over ATen's PackedSequence.cpp):

- ``pad_sequence``: a tensor full of ``padding_value``, each sequence copied into its
  column (``CopySlices``, one write per sequence, in order);
- ``pack_padded_sequence``: with ``enforce_sorted=False`` the batch sorted by length first
  (``sort(descending=True)``, then ``index_select``, IndexSelectBackward0); the packing
  itself is one node, ``PackPaddedSequenceBackward0``, whose output is the steps' rows
  (time-major: at step t, the first batch_sizes[t] sequences);
- ``pad_packed_sequence``: ``full`` then one block copy per run of equal batch sizes
  (``CopySlices``), transposed for ``batch_first`` (TransposeBackward0) and put back into
  the caller's order (``index_select``);
- ``PackedSequence``: the named tuple (data, batch_sizes, sorted_indices,
  unsorted_indices), printed as torch prints it.

The RNN modules read a PackedSequence as torch's ``PackedLayer`` does (engine/nn/rnn.py).
"""

from __future__ import annotations

import numpy as np

from adcli.engine import api
from adcli.engine.ops.kinds import Unary
from adcli.engine.ops.nn import _numpy_only
from adcli.engine.tensor import Tensor
from adcli.errors import TorchAttributeError, TorchRuntimeError, TorchTypeError, TorchValueError

_FIELDS = ("data", "batch_sizes", "sorted_indices", "unsorted_indices")
_METHODS = frozenset(("to", "cpu", "cuda", "double", "float", "half", "long", "int", "short",
                      "char", "byte", "is_cuda", "is_pinned", "pin_memory", "count", "index"))


class _Fields(tuple):
    """A named tuple's ``_fields`` (the four names), through which the language also
    reaches PackedSequence's methods (``packed.to(device)``)."""

    __slots__ = ()

    def __contains__(self, name) -> bool:
        return tuple.__contains__(self, name) or name in _METHODS


class PackedSequence(tuple):
    """torch.nn.utils.rnn.PackedSequence: (data, batch_sizes, sorted_indices,
    unsorted_indices), a named tuple."""

    __slots__ = ()
    _fields = _Fields(_FIELDS)
    __adcli_public__ = frozenset(_FIELDS) | _METHODS

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise TorchAssertionError_("Expected data to be a list or tuple of length 2")
            data, batch_sizes = data
        return tuple.__new__(cls, (data, batch_sizes, sorted_indices, unsorted_indices))

    data = property(lambda self: self[0])
    batch_sizes = property(lambda self: self[1])
    sorted_indices = property(lambda self: self[2])
    unsorted_indices = property(lambda self: self[3])

    def __repr__(self) -> str:
        body = ", ".join(f"{k}={v!r}" for k, v in zip(_FIELDS, self))
        return f"PackedSequence({body})"

    def _asdict(self) -> dict:
        return dict(zip(_FIELDS, self))

    def _replace(self, **kw):
        values = dict(zip(_FIELDS, self))
        values.update(kw)
        return tuple.__new__(type(self), tuple(values[k] for k in _FIELDS))

    def to(self, *args, **kwargs):
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        return PackedSequence(data, self.batch_sizes, self.sorted_indices,
                              self.unsorted_indices)

    def cpu(self, *args, **kwargs):
        return self.to("cpu")

    def cuda(self, *args, **kwargs):
        return self.to("cuda")

    def double(self):
        return self.to(dtype=api.float64)

    def float(self):
        return self.to(dtype=api.float32)

    def half(self):
        return self.to(dtype=api.float16)

    def long(self):
        return self.to(dtype=api.int64)

    def int(self):
        return self.to(dtype=api.int32)

    def short(self):
        return self.to(dtype=api.int16)

    def char(self):
        return self.to(dtype=api.int8)

    def byte(self):
        return self.to(dtype=api.uint8)

    @property
    def is_cuda(self) -> bool:
        return False

    def is_pinned(self) -> bool:
        return False

    def pin_memory(self):
        return self


def TorchAssertionError_(message: str):  # noqa: N802 - torch raises AssertionError here
    from adcli.errors import TorchAssertionError

    return TorchAssertionError(message)


def invert_permutation(permutation):
    """The inverse of a permutation (None stays None)."""
    if permutation is None:
        return None
    out = api.empty_like(permutation)
    return out.scatter_(0, permutation, api.arange(0, permutation.numel()))


# ---------------------------------------------------------------------------- the node


class PackPaddedSequenceBackward0(Unary):
    """``_pack_padded_sequence``: the rows of a (T, B, *) input (B, T, * for batch_first)
    taken step by step, the first batch_sizes[t] of step t."""

    def forward(self, x, batch_sizes, batch_first):
        self.batch_sizes, self.batch_first, self.in_shape = batch_sizes, batch_first, x.shape
        steps = np.swapaxes(x, 0, 1) if batch_first else x
        T = steps.shape[0]
        parts = [steps[t, :b] for t, b in enumerate(batch_sizes) if t < T]
        if not parts:
            return np.empty((0,) + x.shape[2:], x.dtype)
        return np.ascontiguousarray(np.concatenate(parts, 0))

    def backward(self, F, g, x):
        _numpy_only(F, "pack_padded_sequence")
        shape = list(self.in_shape)
        if self.batch_first:
            shape[0], shape[1] = shape[1], shape[0]
        gx = np.zeros(shape, g.dtype)
        offset = 0
        for t, b in enumerate(self.batch_sizes):
            gx[t, :b] = g[offset:offset + b]
            offset += b
        if self.batch_first:
            gx = np.swapaxes(gx, 0, 1)
        return (np.ascontiguousarray(gx),)


# ---------------------------------------------------------------------------- functions


def _lengths_list(lengths: Tensor) -> list:
    if lengths.dim() != 1 or lengths.dtype != api.int64:
        raise TorchRuntimeError(
            f"'lengths' argument should be a 1D CPU int64 tensor, but got {lengths.dim()}D "
            f"cpu {lengths.dtype.legacy.removesuffix('Tensor')} tensor")
    return [int(v) for v in lengths._data.tolist()]


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded (T, B, *) batch (B, T, * with batch_first) of sequences of the given
    lengths into a PackedSequence."""
    api._tensor_arg(input, "pack_padded_sequence")
    if not isinstance(lengths, Tensor):
        lengths = api.as_tensor(lengths, dtype=api.int64)
    else:
        lengths = lengths.to(dtype=api.int64)
    sorted_indices = None
    if not enforce_sorted:
        lengths, sorted_indices = api.sort(lengths, descending=True)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    if input.dim() < 2:
        raise _dim_error(input.dim(), 1)
    lens = _lengths_list(lengths)
    batch = input.shape[0] if batch_first else input.shape[1]
    if input.numel() == 0:
        raise TorchRuntimeError("Cannot pack empty tensors.")
    if len(lens) != batch:
        raise TorchRuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got "
                                f"{len(lens)} (batch_size={batch})")
    if lens[-1] <= 0:
        raise TorchRuntimeError("Length of all samples has to be greater than 0, but found an "
                                "element in 'lengths' that is <= 0")
    for i in range(batch - 1):
        if lens[batch - 1 - i] > lens[batch - 2 - i]:
            raise TorchRuntimeError(
                "`lengths` array must be sorted in decreasing order when `enforce_sorted` is "
                "True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or "
                "pack_sequence to sidestep this requirement if you do not need ONNX "
                "exportability.")
    batch_sizes = []
    prev = 0
    for i in range(batch):
        ln = lens[batch - 1 - i]
        if ln > prev:
            batch_sizes += [batch - i] * (ln - prev)
            prev = ln
    data = PackPaddedSequenceBackward0.apply(input, tuple(batch_sizes), bool(batch_first))
    return PackedSequence(data, api.tensor(batch_sizes, dtype=api.int64), sorted_indices, None)


def _dim_error(ndim: int, dim: int):
    from adcli.errors import TorchIndexError

    low, high = -max(ndim, 1), max(ndim, 1) - 1
    return TorchIndexError(f"Dimension out of range (expected to be in range of [{low}, "
                           f"{high}], but got {dim})")


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """The padded (T, B, *) tensor (B, T, * with batch_first) of a PackedSequence, and the
    sequences' lengths, in the order they were packed in."""
    if not isinstance(sequence, PackedSequence):
        raise TorchAttributeError(f"'{_type_name(sequence)}' object has no attribute "
                                  "'batch_sizes'")
    data, batch_sizes = sequence.data, sequence.batch_sizes
    sizes = _lengths_list(batch_sizes)
    max_real = len(sizes)
    max_seq = max_real
    if total_length is not None:
        if total_length < max_real:
            raise TorchValueError(
                "Expected total_length to be at least the length of the longest sequence in "
                f"input, but got total_length={total_length} and max sequence length being "
                f"{max_real}")
        max_seq = total_length
    max_batch = sizes[0]
    trailing = list(data.shape[1:])
    output = api.full([max_seq, max_batch] + trailing, padding_value, dtype=data.dtype)
    lengths = [0] * max_batch
    pos = max_batch - 1
    offset, prev_bs, prev_i = 0, max_batch, 0
    for i in range(max_real + 1):
        bs = sizes[i] if i != max_real else 0
        if bs != prev_bs:
            n = prev_bs * (i - prev_i)
            block = data[offset:offset + n].view([i - prev_i, prev_bs] + trailing)
            output[prev_i:i, :prev_bs] = block
            offset += n
            prev_i = i
        for _ in range(prev_bs - bs):
            lengths[pos] = i
            pos -= 1
        prev_bs = bs
    if batch_first:
        output = output.transpose(0, 1)
    lengths_t = api.tensor(lengths, dtype=api.int64)
    if sequence.unsorted_indices is not None:
        unsorted = sequence.unsorted_indices
        return (output.index_select(0 if batch_first else 1, unsorted), lengths_t[unsorted])
    return output, lengths_t


def _type_name(x) -> str:
    return "Tensor" if isinstance(x, Tensor) else type(x).__name__


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack variable-length (L_i, *) tensors into one (T, B, *) tensor (B, T, * with
    batch_first), padded with padding_value on the right (or the left)."""
    if isinstance(sequences, Tensor):
        sequences = list(api.unbind(sequences, 0))
    elif isinstance(sequences, (list, tuple)):
        sequences = list(sequences)
    else:
        try:
            sequences = list(sequences)
        except TypeError:
            raise TorchRuntimeError(
                "pad_sequence: Expected iterable for input sequences, but got arg of type: "
                f"<class '{type(sequences).__name__}'>") from None
    if not sequences:
        raise TorchRuntimeError("received an empty list of sequences")
    for i, s in enumerate(sequences):
        if not isinstance(s, Tensor):
            raise TorchTypeError(f"pad_sequence(): argument 'sequences' (position 1) must be "
                                 f"tuple of Tensors, but found element of type "
                                 f"{type(s).__name__} at pos {i}")
    if padding_side not in ("left", "right"):
        raise TorchRuntimeError(f"Expected padding_side to be one of left or right, but got "
                                f"{padding_side}.")
    first = sequences[0]
    if first.dim() == 0:
        raise TorchRuntimeError("ArrayRef: invalid slice, N = 1; size = 0")
    trailing = list(first.shape[1:])
    for s in sequences:
        if s.dim() == 0:
            raise _dim_error(0, 0)
    max_len = max(s.shape[0] for s in sequences)
    n = len(sequences)
    dims = [n, max_len] if batch_first else [max_len, n]
    out = api.full(dims + trailing, padding_value, dtype=first.dtype)
    for i, s in enumerate(sequences):
        length = s.shape[0]
        target = (length,) + tuple(trailing)
        _check_copy(tuple(s.shape), target)
        rows = slice(0, length) if padding_side == "right" else slice(max_len - length,
                                                                      max_len)
        if batch_first:
            out[i, rows] = s
        else:
            out[rows, i] = s
    return out


def _check_copy(src: tuple, dst: tuple) -> None:
    """copy_'s broadcast check, in torch's words."""
    if len(src) > len(dst):
        raise TorchRuntimeError(f"output with shape {list(dst)} doesn't match the broadcast "
                                f"shape {list(src)}")
    for k in range(1, len(src) + 1):
        a, b = src[-k], dst[-k]
        if a != b and a != 1:
            raise TorchRuntimeError(
                f"The size of tensor a ({b}) must match the size of tensor b ({a}) at "
                f"non-singleton dimension {len(dst) - k}")


def unpad_sequence(padded_sequences, lengths, batch_first=False) -> list:
    """The list of sequences of a padded batch, each cut to its length."""
    if not batch_first:
        padded_sequences.transpose_(0, 1)
    max_length = padded_sequences.shape[1]
    idx = api.arange(max_length)
    lens = list(lengths)
    if len(lens) != padded_sequences.shape[0]:
        which = "shorter" if len(lens) < padded_sequences.shape[0] else "longer"
        raise TorchValueError(f"zip() argument 2 is {which} than argument 1")
    rows = api.unbind(padded_sequences, 0)
    return [seq[idx < length] for seq, length in zip(rows, lens)]


def pack_sequence(sequences, enforce_sorted=True):
    """pack_padded_sequence of pad_sequence(sequences), with their lengths."""
    lengths = api.as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths,
                                enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences) -> list:
    """The list of sequences of a PackedSequence, in their original order."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)


MEMBERS = {name: globals()[name] for name in (
    "PackedSequence", "invert_permutation", "pack_padded_sequence", "pad_packed_sequence",
    "pad_sequence", "unpad_sequence", "pack_sequence", "unpack_sequence")}
