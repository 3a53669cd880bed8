"""The recurrent layers: ``nn.RNN``, ``nn.LSTM``, ``nn.GRU`` and their cells.

The modules hold torch 2.13's parameters (names, order, shapes), draw their initial values
as torch does (every parameter from U(-1/sqrt(hidden), 1/sqrt(hidden)), in registration
order, from the default generator) and make torch's checks with its messages.

``forward`` computes as torch's CPU kernels (aten/src/ATen/native/RNN.cpp) do, with the
engine's recorded ops, so the graph has torch's nodes: the input projection of a whole
layer at once (``linear``), unbound per step; per step the hidden projection (``addmm``)
plus the precomputed part, the gates chunked (``unsafe_chunk``) in torch's order (LSTM
i, f, g, o; GRU r, z, n with h' = (h - n) * z + n); the steps stacked, the directions
concatenated, dropout between layers in training mode (``F.dropout``, drawn from the
default generator as torch draws it), the final states stacked, and for ``batch_first``
the output transposed in place (``TransposeBackward1``).

A float32 ``nn.LSTM`` without projections is torch's oneDNN path instead
(aten/src/ATen/native/mkldnn/RNN.cpp): one ``MkldnnRnnLayerBackward0`` node per layer and
direction, whose outputs are the layer's output, h_n and c_n; its backward is the LSTM's
backward through time, on numpy arrays (with recorded ops under create_graph=True, as
torch's ``mkldnn_rnn_layer_differentiable_backward``). Its values agree with the
decomposed path's to float32 rounding, as torch's do. An LSTM with projections, and any
float64 module, takes the decomposed path (torch warns once about projections).

A ``PackedSequence`` input runs as torch's ``PackedLayer`` / ``ReversedPackedLayer``
(always the decomposed path, oneDNN included): the layer's input projection at once, then
per step the rows of the sequences still running (``narrow``), the finished sequences'
states set aside and concatenated at the end (``cat``); the reverse direction starts from
the shortest batch and grows its state as longer sequences join. The states handed in and
returned are put into the batch's sorted order and back (``index_select``).
"""

from __future__ import annotations

import numbers

import numpy as np

from adcli.engine import api
from adcli.engine import cpu_kernels as K
from adcli.engine import nn_functional as F
from adcli.engine.nn import init
from adcli.engine.nn.module import Module
from adcli.engine.nn.parameter import Parameter
from adcli.engine.nn.rnn_utils import PackedSequence
from adcli.engine.ops.shapes import SplitBackward0, TransposeBackward0
from adcli.engine.tensor import _GRAD, Node, Tensor, _seq, _version_of, _wrap, edge, warn
from adcli.errors import (
    TorchRuntimeError,
    TorchTypeError,
    TorchValueError,
)

__all__ = ["GRU", "LSTM", "RNN", "RNN_CLASSES", "GRUCell", "LSTMCell", "RNNBase",
           "RNNCell", "RNNCellBase"]


# ============================================================================ graph pieces


class UnsafeSplitBackward0(SplitBackward0):
    """One piece of ``unsafe_chunk`` (torch's cells chunk their gates with it)."""


class TransposeBackward1(TransposeBackward0):
    """``transpose_(0, 1)``: how torch's RNN and GRU kernels turn a batch_first output."""

    def backward(self, F, g, x):
        if F.numpy:
            return super().backward(F, g, x)
        inverse = tuple(np.argsort(self.perm).tolist())
        return (TransposeBackward0.apply(g, inverse),)


def _unsafe_chunk(x: Tensor, chunks: int, dim: int) -> list:
    size = x.shape[dim]
    step = -(-size // chunks)
    return [UnsafeSplitBackward0.apply(x, dim, (a, min(a + step, size), 1))
            for a in range(0, size, step)]


def _transpose_(x: Tensor) -> Tensor:
    """``x.transpose_(0, 1)`` on a tensor the kernel made (nobody else holds it)."""
    perm = (1, 0) + tuple(range(2, x.ndim))
    return TransposeBackward1.apply(x, perm)


class _Packed:
    """The gradients of an oneDNN layer's outputs (output, h_n, c_n), one slot each."""

    __slots__ = ("items",)

    def __init__(self, items: list) -> None:
        self.items = items

    def __add__(self, other: _Packed) -> _Packed:
        return _Packed([b if a is None else a if b is None else a + b
                        for a, b in zip(self.items, other.items)])


class _MkldnnLayerNode(Node):
    """The one node of an oneDNN LSTM layer: its edges are (input, w_ih, w_hh, b_ih,
    b_hh, hx, cx); its gradient is the packed gradients of its three outputs."""

    frees = ("_ws",)

    def name(self) -> str:
        return "MkldnnRnnLayerBackward0"

    def backward(self, F, g, *saved):
        if not F.numpy:
            return _lstm_layer_backward_graph(*saved, self._reverse, g.items)
        x, w_ih, w_hh, _b_ih, _b_hh, hx, cx = saved
        return _lstm_layer_backward(x, w_ih, w_hh, hx, cx, self._ws, self._reverse, g.items,
                                    self._next)


class MkldnnRnnLayerBackward0(Node):
    """The grad_fn of one output of an oneDNN LSTM layer: hands its gradient to the
    layer's node as one slot of three, and shows that node's edges."""

    _exact = True

    @property
    def next_functions(self) -> tuple:
        return self._next[0].next_functions

    def backward(self, F, g, *unused):
        items = [None, None, None]
        items[self._index] = g
        return (_Packed(items),)


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return K.sigmoid(a)


def _lstm_layer_forward(x, w_ih, w_hh, b_ih, b_hh, hx, cx, reverse: bool):
    """One direction of one LSTM layer on arrays: the output (L, N, H), h_n, c_n, and
    what backward reads (the gates, and the states before each step)."""
    steps, batch, _ = x.shape
    hidden = w_hh.shape[1]
    dtype = x.dtype
    xw = (x.reshape(steps * batch, -1) @ w_ih.T).reshape(steps, batch, -1)
    if b_ih is not None:
        xw = xw + (b_ih + b_hh)
    gates = np.empty((steps, 4, batch, hidden), dtype)
    states = np.empty((steps, 2, batch, hidden), dtype)  # h and c before each step
    cells = np.empty((steps, batch, hidden), dtype)
    out = np.empty((steps, batch, hidden), dtype)
    h, c = hx, cx
    w_hh_t = w_hh.T
    for t in (range(steps - 1, -1, -1) if reverse else range(steps)):
        states[t, 0], states[t, 1] = h, c
        a = xw[t] + h @ w_hh_t
        i = _sigmoid(a[:, :hidden])
        f = _sigmoid(a[:, hidden:2 * hidden])
        gg = K.tanh(a[:, 2 * hidden:3 * hidden])
        o = _sigmoid(a[:, 3 * hidden:])
        c = f * c + i * gg
        h = o * K.tanh(c)
        gates[t, 0], gates[t, 1], gates[t, 2], gates[t, 3] = i, f, gg, o
        cells[t] = c
        out[t] = h
    return out, np.array(h), np.array(c), (gates, states, cells)


def _lstm_layer_backward(x, w_ih, w_hh, hx, cx, ws, reverse, grads, edges):
    """The gradients of one LSTM layer's inputs from those of its output, h_n and c_n."""
    gates, states, cells = ws
    steps, batch, hidden = cells.shape
    dtype = x.dtype
    g_out, g_hy, g_cy = grads
    dh = np.zeros((batch, hidden), dtype) if g_hy is None else np.asarray(g_hy, dtype)
    dc = np.zeros((batch, hidden), dtype) if g_cy is None else np.asarray(g_cy, dtype)
    da_all = np.empty((steps, batch, 4 * hidden), dtype)
    for t in (range(steps) if reverse else range(steps - 1, -1, -1)):
        i, f, gg, o = gates[t]
        if g_out is not None:
            dh = dh + g_out[t]
        tc = K.tanh(cells[t])
        dc = dc + dh * o * (1 - tc * tc)
        da = da_all[t]
        da[:, :hidden] = dc * gg * i * (1 - i)
        da[:, hidden:2 * hidden] = dc * states[t, 1] * f * (1 - f)
        da[:, 2 * hidden:3 * hidden] = dc * i * (1 - gg * gg)
        da[:, 3 * hidden:] = dh * tc * o * (1 - o)
        dc = dc * f
        dh = da @ w_hh
    flat = da_all.reshape(steps * batch, 4 * hidden)
    want = [e is not None for e in edges]
    dx = (flat @ w_ih).reshape(x.shape) if want[0] else None
    dw_ih = flat.T @ x.reshape(steps * batch, -1) if want[1] else None
    dw_hh = flat.T @ states[:, 0].reshape(steps * batch, hidden) if want[2] else None
    db = flat.sum(0) if want[3] or want[4] else None
    return (dx, dw_ih, dw_hh, db, None if db is None else db.copy(), dh, dc)


def _lstm_layer_backward_graph(x, w_ih, w_hh, b_ih, b_hh, hx, cx, reverse, grads):
    """The same gradients with recorded ops, for a backward with create_graph=True (as
    torch's ``mkldnn_rnn_layer_differentiable_backward``: the gates recomputed, then the
    steps backwards)."""
    steps = x.shape[0]
    order = list(range(steps - 1, -1, -1)) if reverse else list(range(steps))
    xs = api.unbind(x, 0)
    h, c = hx, cx
    saved = {}
    for t in order:
        gates = api.add(F.linear(xs[t], w_ih, b_ih), F.linear(h, w_hh, b_hh))
        i, f, g, o = _unsafe_chunk(gates, 4, 1)
        i, f, g, o = api.sigmoid(i), api.sigmoid(f), api.tanh(g), api.sigmoid(o)
        saved[t] = (i, f, g, o, h, c)
        c = api.add(api.mul(f, c), api.mul(i, g))
        h = api.mul(o, api.tanh(c))
        saved[t] += (c,)
    g_out, g_hy, g_cy = grads
    dh = api.zeros_like(hx) if g_hy is None else g_hy
    dc = api.zeros_like(cx) if g_cy is None else g_cy
    dxs = [None] * steps
    dw_ih = dw_hh = db = None
    for t in reversed(order):
        i, f, g, o, h_prev, c_prev, c = saved[t]
        if g_out is not None:
            dh = api.add(dh, g_out[t])
        tc = api.tanh(c)
        dc = api.add(dc, api.mul(api.mul(dh, o), api.sub(1, api.mul(tc, tc))))
        di = api.mul(api.mul(api.mul(dc, g), i), api.sub(1, i))
        df = api.mul(api.mul(api.mul(dc, c_prev), f), api.sub(1, f))
        dg = api.mul(api.mul(dc, i), api.sub(1, api.mul(g, g)))
        do = api.mul(api.mul(api.mul(dh, tc), o), api.sub(1, o))
        da = api.cat([di, df, dg, do], 1)
        dc = api.mul(dc, f)
        dxs[t] = api.matmul(da, w_ih)
        da_t = api.transpose(da, 0, 1)
        terms = (api.matmul(da_t, xs[t]), api.matmul(da_t, h_prev), api.sum(da, 0))
        if dw_ih is None:
            dw_ih, dw_hh, db = terms
        else:
            dw_ih, dw_hh, db = (api.add(a, b) for a, b in zip((dw_ih, dw_hh, db), terms))
        dh = api.matmul(da, w_hh)
    return (api.stack(dxs, 0), dw_ih, dw_hh, db, db, dh, dc)


def _mkldnn_lstm_layer(x: Tensor, w_ih, w_hh, b_ih, b_hh, hx: Tensor, cx: Tensor,
                       reverse: bool) -> tuple:
    """``at::mkldnn_rnn_layer`` for an LSTM: (output, h_n, c_n), each with its own
    ``MkldnnRnnLayerBackward0`` over one node of the layer."""
    arr = [None if t is None else t._data for t in (x, w_ih, w_hh, b_ih, b_hh, hx, cx)]
    out, hy, cy, ws = _lstm_layer_forward(*arr, reverse)
    inputs = (x, w_ih, w_hh, b_ih, b_hh, hx, cx)
    edges = tuple(None if t is None else edge(t) for t in inputs) if _GRAD[0] else ()
    if not any(e is not None for e in edges):
        return _wrap(out), _wrap(hy), _wrap(cy)
    node = Node.__new__(_MkldnnLayerNode)
    node._next = edges
    node._seq = next(_seq)
    node._shape, node._dtype = out.shape, out.dtype
    node._saved = tuple(arr)
    node._saved_t = inputs
    if any(t is not None and t._ver is not None for t in inputs):
        node._vers = tuple(0 if t is None else _version_of(t) for t in inputs)
    node._ws = ws
    node._reverse = reverse
    results = []
    for k, a in enumerate((out, hy, cy)):
        slot = Node.__new__(MkldnnRnnLayerBackward0)
        slot._next = (node,)
        slot._seq = next(_seq)
        slot._shape, slot._dtype = a.shape, a.dtype
        slot._index = k
        results.append(_wrap(a, slot))
    return tuple(results)


# ============================================================================ the kernels


class _Params:
    """One layer and direction's weights (``CellParams``)."""

    __slots__ = ("w_ih", "w_hh", "b_ih", "b_hh", "w_hr")

    def __init__(self, w_ih, w_hh, b_ih=None, b_hh=None, w_hr=None) -> None:
        self.w_ih, self.w_hh, self.b_ih, self.b_hh, self.w_hr = w_ih, w_hh, b_ih, b_hh, w_hr

    def linear_ih(self, x: Tensor) -> Tensor:
        return F.linear(x, self.w_ih, self.b_ih)

    def linear_hh(self, h: Tensor) -> Tensor:
        return F.linear(h, self.w_hh, self.b_hh)

    def matmul_hr(self, h: Tensor) -> Tensor:
        return h if self.w_hr is None else api.matmul(h, api.t(self.w_hr))


def _simple_cell(nonlinearity):
    def cell(x: Tensor, h: Tensor, p: _Params, pre: bool) -> Tensor:
        return nonlinearity(api.add(p.linear_hh(h), x if pre else p.linear_ih(x)))
    return cell


def _lstm_cell(x: Tensor, hidden: tuple, p: _Params, pre: bool) -> tuple:
    hx, cx = hidden
    gates = api.add(p.linear_hh(hx), x if pre else p.linear_ih(x))
    i, f, g, o = _unsafe_chunk(gates, 4, 1)
    i, f, g, o = api.sigmoid(i), api.sigmoid(f), api.tanh(g), api.sigmoid(o)
    cy = api.add(api.mul(f, cx), api.mul(i, g))
    hy = p.matmul_hr(api.mul(o, api.tanh(cy)))
    return hy, cy


def _gru_cell(x: Tensor, h: Tensor, p: _Params, pre: bool) -> Tensor:
    ig = _unsafe_chunk(x if pre else p.linear_ih(x), 3, 1)
    hg = _unsafe_chunk(p.linear_hh(h), 3, 1)
    r = api.sigmoid(api.add(hg[0], ig[0]))
    z = api.sigmoid(api.add(hg[1], ig[1]))
    n = api.tanh(api.add(ig[2], api.mul(hg[2], r)))
    return api.add(api.mul(api.sub(h, n), z), n)


def _as_output(hidden):
    return hidden[0] if isinstance(hidden, tuple) else hidden


def _full_layer(cell, steps: list, hidden, p: _Params, pre: bool):
    outputs = []
    for x in steps:
        hidden = cell(x, hidden, p, pre)
        outputs.append(_as_output(hidden))
    return outputs, hidden


def _check_steps(outputs: list) -> None:
    if not outputs:
        raise TorchRuntimeError("Expected sequence length to be larger than 0 in RNN")


def _run_layers(cell, x: Tensor, hiddens: list, params: list, num_layers: int,
                dropout: float, train: bool, bidirectional: bool):
    """``_rnn_impl`` with ``FullLayer`` / ``FullBidirectionalLayer`` on the CPU: the
    last layer's output and every layer's (and direction's) final hidden state."""
    finals = []
    dirs = 2 if bidirectional else 1
    for layer in range(num_layers):
        p_fw = params[layer * dirs]
        outs, h = _full_layer(cell, api.unbind(p_fw.linear_ih(x), 0), hiddens[layer * dirs],
                              p_fw, True)
        _check_steps(outs)
        out = api.stack(outs, 0)
        finals.append(h)
        if bidirectional:
            p_rev = params[layer * dirs + 1]
            steps = list(api.unbind(p_rev.linear_ih(x), 0))[::-1]
            rev_outs, h_rev = _full_layer(cell, steps, hiddens[layer * dirs + 1], p_rev,
                                          True)
            rev = api.stack(rev_outs[::-1], 0)
            out = api.cat([out, rev], out.ndim - 1)
            finals.append(h_rev)
        x = out
        if dropout != 0 and train and layer < num_layers - 1:
            x = F.dropout(x, dropout, True)
    return x, finals


def _hidden_slice(hidden, start: int, end: int):
    if isinstance(hidden, tuple):
        return tuple(api.narrow(h, 0, start, end - start) for h in hidden)
    return api.narrow(hidden, 0, start, end - start)


def _hidden_concat(hiddens: list):
    if isinstance(hiddens[0], tuple):
        return (api.cat([h[0] for h in hiddens], 0), api.cat([h[1] for h in hiddens], 0))
    return api.cat(hiddens, 0)


def _packed_layer(cell, data: Tensor, sizes: list, hidden, p: _Params):
    """torch's ``PackedLayer``: step t reads the next sizes[t] rows; when the batch
    shrinks, the states of the sequences that ended are set aside."""
    x_w = p.linear_ih(data)
    outputs, finished = [], []
    offset, last = 0, sizes[0]
    for size in sizes:
        step = api.narrow(x_w, 0, offset, size)
        offset += size
        if last > size:
            finished.append(_hidden_slice(hidden, size, last))
            hidden = _hidden_slice(hidden, 0, size)
        last = size
        hidden = cell(step, hidden, p, True)
        outputs.append(_as_output(hidden))
    finished.append(hidden)
    finished.reverse()
    return api.cat(outputs, 0), _hidden_concat(finished)


def _reversed_packed_layer(cell, data: Tensor, sizes: list, input_hidden, p: _Params):
    """torch's ``ReversedPackedLayer``: from the last step back, the state growing by the
    initial states of the sequences that join."""
    x_w = p.linear_ih(data)
    outputs = []
    offset, last = data.shape[0], sizes[-1]
    hidden = _hidden_slice(input_hidden, 0, sizes[-1])
    for size in reversed(sizes):
        if size > last:
            hidden = _hidden_concat([hidden, _hidden_slice(input_hidden, last, size)])
        step = api.narrow(x_w, 0, offset - size, size)
        offset -= size
        last = size
        hidden = cell(step, hidden, p, True)
        outputs.append(_as_output(hidden))
    outputs.reverse()
    return api.cat(outputs, 0), hidden


def _run_packed_layers(cell, data: Tensor, sizes: list, hiddens: list, params: list,
                       num_layers: int, dropout: float, train: bool, bidirectional: bool):
    """``apply_layer_stack`` over PackedLayer (and PackedBidirectionalLayer)."""
    finals = []
    dirs = 2 if bidirectional else 1
    x = data
    for layer in range(num_layers):
        out, h = _packed_layer(cell, x, sizes, hiddens[layer * dirs], params[layer * dirs])
        finals.append(h)
        if bidirectional:
            rev, h_rev = _reversed_packed_layer(cell, x, sizes, hiddens[layer * dirs + 1],
                                                params[layer * dirs + 1])
            out = api.cat([out, rev], -1)
            finals.append(h_rev)
        x = out
        if dropout != 0 and train and layer < num_layers - 1:
            x = F.dropout(x, dropout, True)
    return x, finals


def _sizes(batch_sizes: Tensor) -> list:
    return [int(v) for v in batch_sizes._data.tolist()]


# ============================================================================ modules


def _flag_type(name: str, value) -> None:
    if not isinstance(value, bool):
        raise TorchTypeError(f"{name} should be of type bool, got: {type(value).__name__}")


class RNNBase(Module):
    """The parameters, checks and printing shared by RNN, LSTM and GRU."""

    __adcli_public__ = Module.__adcli_public__ | frozenset((
        "mode", "input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout",
        "bidirectional", "proj_size", "all_weights", "reset_parameters",
        "flatten_parameters", "check_input", "get_expected_hidden_size",
        "check_hidden_size", "check_forward_args", "permute_hidden"))

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device=None,
                 dtype=None) -> None:
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        if not isinstance(dropout, numbers.Number) or isinstance(dropout, bool) or not (
                0 <= dropout <= 1):
            raise TorchValueError("dropout should be a number in range [0, 1] representing "
                                  "the probability of an element being zeroed")
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        num_directions = 2 if bidirectional else 1
        if dropout > 0 and num_layers == 1:
            warn("dropout option adds dropout after all but last recurrent layer, so non-zero "
                 "dropout expects num_layers greater than 1, but got "
                 f"dropout={dropout} and num_layers={num_layers}", _BASE_SITE[0])
        _flag_type("bias", bias)
        _flag_type("batch_first", batch_first)
        if not isinstance(input_size, int):
            raise TorchTypeError(
                f"input_size should be of type int, got: {type(input_size).__name__}")
        if input_size <= 0:
            raise TorchValueError("input_size must be greater than zero")
        if not isinstance(hidden_size, int):
            raise TorchTypeError(
                f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise TorchValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise TorchValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise TorchValueError(
                "proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise TorchValueError("proj_size has to be smaller than hidden_size")
        gate_size = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}.get(mode)
        if gate_size is None:
            raise TorchValueError("Unrecognized RNN mode: " + mode)
        gate_size *= hidden_size
        real_hidden = proj_size if proj_size > 0 else hidden_size
        names_all: list = []
        all_weights: list = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                layer_input = input_size if layer == 0 else real_hidden * num_directions
                shapes = [(gate_size, layer_input), (gate_size, real_hidden)]
                names = ["weight_ih_l{}{}", "weight_hh_l{}{}"]
                if bias:
                    shapes += [(gate_size,), (gate_size,)]
                    names += ["bias_ih_l{}{}", "bias_hh_l{}{}"]
                if proj_size > 0:
                    shapes.append((proj_size, hidden_size))
                    names.append("weight_hr_l{}{}")
                suffix = "_reverse" if direction == 1 else ""
                names = [n.format(layer, suffix) for n in names]
                for name, shape in zip(names, shapes):
                    setattr(self, name, Parameter(api.empty(*shape, dtype=dtype,
                                                            device=device)))
                names_all.extend(names)
                all_weights.append(names)
        self._flat_weights_names = names_all
        self._all_weights = all_weights
        self.reset_parameters()

    @property
    def _flat_weights(self) -> list:
        return [getattr(self, n, None) for n in self._flat_weights_names]

    @property
    def all_weights(self) -> list:
        return [[getattr(self, w) for w in ws] for ws in self._all_weights]

    def flatten_parameters(self) -> None:
        """A no-op on the CPU, as in torch."""

    def reset_parameters(self) -> None:
        init.default_rnn_init(list(self.parameters()), self.hidden_size)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size != 0:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        if self.batch_first is not False:
            s += f", batch_first={self.batch_first}"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional is not False:
            s += f", bidirectional={self.bidirectional}"
        return s

    # ---------------------------------------------------------------- checks
    def check_input(self, input: Tensor, batch_sizes=None) -> None:
        w = self._flat_weights[0]
        if input.dtype != w.dtype:
            raise TorchValueError(
                f"RNN input dtype ({input.dtype}) does not match weight dtype ({w.dtype}). "
                f"Convert input: input.to({w.dtype}), or convert model: "
                f"model.to({input.dtype})")
        expected = 2 if batch_sizes is not None else 3
        if input.dim() != expected:
            raise TorchRuntimeError(f"input must have {expected} dimensions, got "
                                    f"{input.dim()}")
        if self.input_size != input.size(-1):
            raise TorchRuntimeError(
                f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                f"got {input.size(-1)}")

    def get_expected_hidden_size(self, input: Tensor, batch_sizes=None) -> tuple:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        size = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * num_directions, mini_batch, size)

    def check_hidden_size(self, hx: Tensor, expected_hidden_size: tuple,
                          msg: str = "Expected hidden size {}, got {}") -> None:
        if tuple(hx.size()) != tuple(expected_hidden_size):
            raise TorchRuntimeError(msg.format(tuple(expected_hidden_size), list(hx.size())))

    def check_forward_args(self, input: Tensor, hidden: Tensor, batch_sizes=None) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx, permutation=None):
        if permutation is None:
            return hx
        return api.index_select(hx, 1, permutation)

    # ---------------------------------------------------------------- forward helpers
    def _params(self) -> list:
        per = 2 + (2 if self.bias else 0) + (1 if self.proj_size > 0 else 0)
        flat = self._flat_weights
        out = []
        for k in range(0, len(flat), per):
            ws = flat[k:k + per]
            w_ih, w_hh = ws[0], ws[1]
            b_ih, b_hh = (ws[2], ws[3]) if self.bias else (None, None)
            w_hr = ws[-1] if self.proj_size > 0 else None
            out.append(_Params(w_ih, w_hh, b_ih, b_hh, w_hr))
        return out

    def _batch_input(self, input, hx, name: str):
        """The shared start of RNN/GRU forward: (input, hx, is_batched, batch_dim)."""
        if not isinstance(input, Tensor):
            raise TorchTypeError(f"{name}.forward(): input must be a Tensor, not "
                                 f"{type(input).__name__}")
        if input.dim() not in (2, 3):
            raise TorchValueError(f"{name}: Expected input to be 2D or 3D, got "
                                  f"{input.dim()}D " + ("tensor instead" if name == "RNN"
                                                        else "instead"))
        is_batched = input.dim() == 3
        batch_dim = 0 if self.batch_first else 1
        if not is_batched:
            input = api.unsqueeze(input, batch_dim)
            if hx is not None:
                if hx.dim() != 2:
                    raise TorchRuntimeError("For unbatched 2-D input, hx should also be 2-D "
                                            f"but got {hx.dim()}-D tensor")
                hx = api.unsqueeze(hx, 1)
        elif hx is not None and hx.dim() != 3:
            raise TorchRuntimeError("For batched 3-D input, hx should also be 3-D but got "
                                    f"{hx.dim()}-D tensor")
        if hx is None:
            mb = input.size(0) if self.batch_first else input.size(1)
            num_directions = 2 if self.bidirectional else 1
            hx = api.zeros(self.num_layers * num_directions, mb, self.hidden_size,
                           dtype=input.dtype)
        return input, hx, is_batched, batch_dim

    def _one_hidden(self, cell, input, hx, name: str):
        if isinstance(input, PackedSequence):
            return self._one_hidden_packed(cell, input, hx)
        input, hx, is_batched, batch_dim = self._batch_input(input, hx, name)
        self.check_forward_args(input, hx, None)
        x = api.transpose(input, 0, 1) if self.batch_first else input
        out, finals = _run_layers(cell, x, list(api.unbind(hx, 0)), self._params(),
                                  self.num_layers, self.dropout, self.training,
                                  self.bidirectional)
        hidden = api.stack(finals, 0)
        if self.batch_first:
            out = _transpose_(out)
        if not is_batched:
            out = api.squeeze(out, batch_dim)
            hidden = api.squeeze(hidden, 1)
        return out, hidden


    def _one_hidden_packed(self, cell, input: PackedSequence, hx):
        data, batch_sizes, sorted_indices, unsorted_indices = input
        sizes = _sizes(batch_sizes)
        if hx is None:
            num_directions = 2 if self.bidirectional else 1
            hx = api.zeros(self.num_layers * num_directions, sizes[0], self.hidden_size,
                           dtype=data.dtype)
        else:
            hx = self.permute_hidden(hx, sorted_indices)
        self.check_forward_args(data, hx, batch_sizes)
        out, finals = _run_packed_layers(cell, data, sizes, list(api.unbind(hx, 0)),
                                         self._params(), self.num_layers, self.dropout,
                                         self.training, self.bidirectional)
        hidden = api.stack(finals, 0)
        return (PackedSequence(out, batch_sizes, sorted_indices, unsorted_indices),
                self.permute_hidden(hidden, unsorted_indices))


# torch's line that calls RNNBase.__init__ (where Python reports its warnings, stacklevel=2)
# while RNN/LSTM/GRU.__init__ runs it; None for a script's own call
_BASE_SITE: list = [None]


def _base_init(self, line: int, text: str, mode: str, args: tuple, kwargs: dict) -> None:
    _BASE_SITE[0] = ("nn/modules/rnn.py", line, text)
    try:
        RNNBase.__init__(self, mode, *args, **kwargs)
    finally:
        _BASE_SITE[0] = None


class RNN(RNNBase):
    """An Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (or relu)."""

    __adcli_public__ = RNNBase.__adcli_public__ | frozenset(("nonlinearity",))

    def __init__(self, *args, **kwargs) -> None:
        if "proj_size" in kwargs:
            raise TorchValueError(
                "proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise TorchValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' "
                                  "or 'relu'.")
        _base_init(self, 655, "super().__init__(mode, *args, **kwargs)", mode, args, kwargs)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        act = api.tanh if self.mode == "RNN_TANH" else api.relu
        return self._one_hidden(_simple_cell(act), input, hx, "RNN")


class GRU(RNNBase):
    """A gated recurrent unit layer (gates r, z, n)."""

    def __init__(self, *args, **kwargs) -> None:
        if "proj_size" in kwargs:
            raise TorchValueError(
                "proj_size argument is only supported for LSTM, not RNN or GRU")
        _base_init(self, 1358, 'super().__init__("GRU", *args, **kwargs)', "GRU", args, kwargs)

    def forward(self, input, hx=None):
        return self._one_hidden(_gru_cell, input, hx, "GRU")


_WARNED_PROJ: list = []  # whether the projections warning was given


class LSTM(RNNBase):
    """A long short-term memory layer (gates i, f, g, o)."""

    def __init__(self, *args, **kwargs) -> None:
        _base_init(self, 1011, 'super().__init__("LSTM", *args, **kwargs)', "LSTM", args,
                   kwargs)

    def get_expected_cell_size(self, input: Tensor, batch_sizes=None) -> tuple:
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        return (self.num_layers * num_directions, mini_batch, self.hidden_size)

    def check_forward_args(self, input: Tensor, hidden, batch_sizes=None) -> None:
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden[0], self.get_expected_hidden_size(input, batch_sizes),
                               "Expected hidden[0] size {}, got {}")
        self.check_hidden_size(hidden[1], self.get_expected_cell_size(input, batch_sizes),
                               "Expected hidden[1] size {}, got {}")

    def permute_hidden(self, hx, permutation=None):
        if permutation is None:
            return hx
        return (api.index_select(hx[0], 1, permutation),
                api.index_select(hx[1], 1, permutation))

    def _forward_packed(self, input: PackedSequence, hx):
        data, batch_sizes, sorted_indices, unsorted_indices = input
        sizes = _sizes(batch_sizes)
        dirs = 2 if self.bidirectional else 1
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        if hx is None:
            hx = (api.zeros(self.num_layers * dirs, sizes[0], real_hidden, dtype=data.dtype),
                  api.zeros(self.num_layers * dirs, sizes[0], self.hidden_size,
                            dtype=data.dtype))
        else:
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise TorchTypeError("LSTM.forward(): hx must be a tuple (h_0, c_0) of two "
                                     "Tensors")
            hx = self.permute_hidden(tuple(hx), sorted_indices)
        # torch's packed LSTM runs no input check: a wrong feature size fails in the
        # kernel's input projection, all the packed rows at once
        if data.dim() == 2 and data.size(-1) != self.input_size:
            raise TorchRuntimeError(
                f"mat1 and mat2 shapes cannot be multiplied ({data.size(0)}x{data.size(1)} "
                f"and {self.input_size}x{4 * self.hidden_size})")
        self.check_forward_args(data, hx, batch_sizes)
        hiddens = list(zip(api.unbind(hx[0], 0), api.unbind(hx[1], 0)))
        out, finals = _run_packed_layers(_lstm_cell, data, sizes, hiddens, self._params(),
                                         self.num_layers, self.dropout, self.training,
                                         self.bidirectional)
        hy = api.stack([h for h, _ in finals], 0)
        cy = api.stack([c for _, c in finals], 0)
        return (PackedSequence(out, batch_sizes, sorted_indices, unsorted_indices),
                self.permute_hidden((hy, cy), unsorted_indices))

    def forward(self, input, hx=None):
        if isinstance(input, PackedSequence):
            return self._forward_packed(input, hx)
        if not isinstance(input, Tensor):
            raise TorchTypeError(f"LSTM.forward(): input must be a Tensor, not "
                                 f"{type(input).__name__}")
        num_directions = 2 if self.bidirectional else 1
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        if input.dim() not in (2, 3):
            raise TorchValueError(f"LSTM: Expected input to be 2D or 3D, got {input.dim()}D "
                                  "instead")
        is_batched = input.dim() == 3
        batch_dim = 0 if self.batch_first else 1
        if not is_batched:
            input = api.unsqueeze(input, batch_dim)
        mb = input.size(0) if self.batch_first else input.size(1)
        if hx is None:
            n = self.num_layers * num_directions
            hx = (api.zeros(n, mb, real_hidden, dtype=input.dtype),
                  api.zeros(n, mb, self.hidden_size, dtype=input.dtype))
        else:
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise TorchTypeError("LSTM.forward(): hx must be a tuple (h_0, c_0) of two "
                                     "Tensors")
            h0, c0 = hx
            if is_batched:
                if h0.dim() != 3 or c0.dim() != 3:
                    raise TorchRuntimeError(
                        "For batched 3-D input, hx and cx should also be 3-D but got "
                        f"({h0.dim()}-D, {c0.dim()}-D) tensors")
            else:
                if h0.dim() != 2 or c0.dim() != 2:
                    raise TorchRuntimeError(
                        "For unbatched 2-D input, hx and cx should also be 2-D but got "
                        f"({h0.dim()}-D, {c0.dim()}-D) tensors")
                h0, c0 = api.unsqueeze(h0, 1), api.unsqueeze(c0, 1)
            hx = (h0, c0)
        self.check_forward_args(input, hx, None)
        one_dnn = input.dtype == api.float32 and input.numel() != 0
        if one_dnn and self.proj_size == 0:
            out, hy, cy = self._mkldnn(input, hx)
        else:
            if one_dnn and not _WARNED_PROJ:
                _WARNED_PROJ.append(True)  # TORCH_WARN_ONCE: once a process
                warn("LSTM with projections is not supported with oneDNN. Using default "
                     "implementation. (Triggered internally at "
                     "/__w/pytorch/pytorch/aten/src/ATen/native/RNN.cpp:1512.)",
                     ("nn/modules/rnn.py", 1164, "result = _VF.lstm("))
            out, hy, cy = self._decomposed(input, hx)
        if not is_batched:
            out = api.squeeze(out, batch_dim)
            hy, cy = api.squeeze(hy, 1), api.squeeze(cy, 1)
        return out, (hy, cy)

    def _decomposed(self, input, hx):
        x = api.transpose(input, 0, 1) if self.batch_first else input
        hiddens = list(zip(api.unbind(hx[0], 0), api.unbind(hx[1], 0)))
        out, finals = _run_layers(_lstm_cell, x, hiddens, self._params(), self.num_layers,
                                  self.dropout, self.training, self.bidirectional)
        hy = api.stack([h for h, _ in finals], 0)
        cy = api.stack([c for _, c in finals], 0)
        if self.batch_first:
            out = api.transpose(out, 0, 1)
        return out, hy, cy

    def _mkldnn(self, input, hx):
        """``mkldnn_rnn``: one oneDNN layer per layer and direction."""
        x = api.transpose(input, 0, 1) if self.batch_first else input
        if not x._data.flags.c_contiguous:
            x = x.contiguous()
        h0, c0 = hx[0].contiguous(), hx[1].contiguous()
        dirs = 2 if self.bidirectional else 1
        params = self._params()
        hys, cys = [], []
        for layer in range(self.num_layers):
            outs = []
            for direction in range(dirs):
                index = layer * dirs + direction
                p = params[index]
                out, hy, cy = _mkldnn_lstm_layer(x, p.w_ih, p.w_hh, p.b_ih, p.b_hh,
                                                 h0[index], c0[index], direction > 0)
                outs.append(out)
                hys.append(hy)
                cys.append(cy)
            x = outs[0] if dirs == 1 else api.cat(outs, -1)
            if self.dropout != 0 and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        out = api.transpose(x, 0, 1) if self.batch_first else x
        return out, api.stack(hys, 0), api.stack(cys, 0)


# ============================================================================ cells


class RNNCellBase(Module):
    """The parameters and printing shared by the cells."""

    __adcli_public__ = Module.__adcli_public__ | frozenset((
        "input_size", "hidden_size", "bias", "reset_parameters"))

    def __init__(self, input_size: int, hidden_size: int, bias: bool, num_chunks: int,
                 device=None, dtype=None) -> None:
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        kw = {"dtype": dtype, "device": device}
        self.weight_ih = Parameter(api.empty(num_chunks * hidden_size, input_size, **kw))
        self.weight_hh = Parameter(api.empty(num_chunks * hidden_size, hidden_size, **kw))
        if bias:
            self.bias_ih = Parameter(api.empty(num_chunks * hidden_size, **kw))
            self.bias_hh = Parameter(api.empty(num_chunks * hidden_size, **kw))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.bias is not True:
            s += f", bias={self.bias}"
        nonlinearity = self.__dict__.get("nonlinearity", "tanh")
        if nonlinearity != "tanh":
            s += f", nonlinearity={nonlinearity}"
        return s

    def reset_parameters(self) -> None:
        init.default_rnn_init(list(self.parameters()), self.hidden_size)

    def _params(self) -> _Params:
        return _Params(self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh)

    def _check(self, input: Tensor, hx: Tensor, label: int, chunks: int) -> None:
        """torch's checks of ``rnn_*_cell`` / ``lstm_cell`` / ``gru_cell``."""
        w_ih, w_hh = self.weight_ih, self.weight_hh
        hidden = w_hh.shape[1]
        if input.shape[1] != w_ih.shape[1]:
            raise TorchRuntimeError(f"input has inconsistent input_size: got {input.shape[1]} "
                                    f"expected {w_ih.shape[1]}")
        for w, name in ((w_ih, "weight_ih"), (w_hh, "weight_hh")):
            if w.shape[0] != chunks * hidden:
                raise TorchRuntimeError(f"{name} first dim must be {chunks} * hidden_size = "
                                        f"{chunks * hidden}, but got {w.shape[0]}")
        if input.shape[0] != hx.shape[0]:
            raise TorchRuntimeError(f"Input batch size {input.shape[0]} doesn't match hidden"
                                    f"{label} batch size {hx.shape[0]}")
        if hx.shape[1] != hidden:
            raise TorchRuntimeError(f"hidden{label} has inconsistent hidden_size: got "
                                    f"{hx.shape[1]}, expected {hidden}")

    def _start(self, input, hx, name: str):
        if not isinstance(input, Tensor):
            raise TorchTypeError(f"{name}.forward(): input must be a Tensor, not "
                                 f"{type(input).__name__}")
        if input.dim() not in (1, 2):
            raise TorchValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D "
                                  "instead")
        if hx is not None and hx.dim() not in (1, 2):
            raise TorchValueError(f"{name}: Expected hidden to be 1D or 2D, got {hx.dim()}D "
                                  "instead")
        is_batched = input.dim() == 2
        if not is_batched:
            input = api.unsqueeze(input, 0)
        if hx is None:
            hx = api.zeros(input.size(0), self.hidden_size, dtype=input.dtype)
        elif not is_batched:
            hx = api.unsqueeze(hx, 0)
        return input, hx, is_batched


class RNNCell(RNNCellBase):
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu)."""

    __adcli_public__ = RNNCellBase.__adcli_public__ | frozenset(("nonlinearity",))

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device,
                         dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        input, hx, is_batched = self._start(input, hx, "RNNCell")
        if self.nonlinearity == "tanh":
            act = api.tanh
        elif self.nonlinearity == "relu":
            act = api.relu
        else:
            raise TorchRuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        self._check(input, hx, 0, 1)
        ret = _simple_cell(act)(input, hx, self._params(), False)
        return ret if is_batched else api.squeeze(ret, 0)


class LSTMCell(RNNCellBase):
    """One LSTM step: (h', c') from x and (h, c)."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None,
                 dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device,
                         dtype=dtype)

    def forward(self, input, hx=None):
        if not isinstance(input, Tensor):
            raise TorchTypeError(f"LSTMCell.forward(): input must be a Tensor, not "
                                 f"{type(input).__name__}")
        if input.dim() not in (1, 2):
            raise TorchValueError(f"LSTMCell: Expected input to be 1D or 2D, got "
                                  f"{input.dim()}D instead")
        if hx is not None:
            for idx, value in enumerate(hx):
                if value.dim() not in (1, 2):
                    raise TorchValueError(f"LSTMCell: Expected hx[{idx}] to be 1D or 2D, got "
                                          f"{value.dim()}D instead")
        is_batched = input.dim() == 2
        if not is_batched:
            input = api.unsqueeze(input, 0)
        if hx is None:
            zeros = api.zeros(input.size(0), self.hidden_size, dtype=input.dtype)
            hx = (zeros, zeros)
        elif not is_batched:
            hx = (api.unsqueeze(hx[0], 0), api.unsqueeze(hx[1], 0))
        if len(hx) != 2:
            raise TorchRuntimeError("lstm_cell expects two hidden states")
        self._check(input, hx[0], 0, 4)
        self._check(input, hx[1], 1, 4)
        hy, cy = _lstm_cell(input, tuple(hx), self._params(), False)
        if not is_batched:
            hy, cy = api.squeeze(hy, 0), api.squeeze(cy, 0)
        return hy, cy


class GRUCell(RNNCellBase):
    """One GRU step: h' from x and h."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None,
                 dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device,
                         dtype=dtype)

    def forward(self, input, hx=None):
        input, hx, is_batched = self._start(input, hx, "GRUCell")
        self._check(input, hx, 0, 3)
        ret = _gru_cell(input, hx, self._params(), False)
        return ret if is_batched else api.squeeze(ret, 0)


RNN_CLASSES = {
    "RNNBase": RNNBase, "RNN": RNN, "LSTM": LSTM, "GRU": GRU, "RNNCellBase": RNNCellBase,
    "RNNCell": RNNCell, "LSTMCell": LSTMCell, "GRUCell": GRUCell,
}
