"""Record torch 2.13's nn.RNN / nn.LSTM / nn.GRU and cells for tests/engine/test_rnn.py.

Run with the real torch: ``/work/torchenv/bin/python tools/gen_rnn_fixtures.py``. Writes
tests/engine/fixtures/rnn.json.

Each case seeds the default generator (``torch.manual_seed``), builds the module (so its
initial weights are torch's draws, recorded) and runs forward; the inputs, the initial
states and the loss weights come from a generator of their own, so that the default
generator's stream is the module's initialisation and then forward's dropout only, as a
test rebuilding the module after ``manual_seed`` sees it. Recorded: the parameters, the
inputs, the outputs (output, h_n, c_n), the grad_fn trees of the outputs (a few levels
deep), and the gradients of the parameters, the input and the initial states for
loss = sum(output * a) + sum(h_n * b) (+ sum(c_n * c)).
"""

from __future__ import annotations

import json
import os
import warnings

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   "tests", "engine", "fixtures", "rnn.json")
DEPTH = 5


def tree(fn, depth: int = DEPTH):
    if fn is None:
        return None
    if depth == 0:
        return [fn.name()]
    kids = [tree(f, depth - 1) for f, _ in fn.next_functions if f is not None]
    return [fn.name(), kids]


def arr(t):
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape),
            "data": t.detach().reshape(-1).tolist()}


# name, constructor kwargs, input shape, options
CASES = [
    ("rnn_tanh", "RNN", {"input_size": 3, "hidden_size": 4}, [5, 2, 3], {}),
    ("rnn_relu_2l_bf_hx", "RNN", {"input_size": 3, "hidden_size": 4, "num_layers": 2,
                                  "nonlinearity": "relu", "batch_first": True},
     [2, 5, 3], {"hx": True, "x_grad": True}),
    ("rnn_nobias_bidir", "RNN", {"input_size": 3, "hidden_size": 4, "bias": False,
                                 "bidirectional": True}, [4, 2, 3], {"x_grad": True}),
    ("rnn_unbatched", "RNN", {"input_size": 3, "hidden_size": 5}, [6, 3], {"hx": True}),
    ("rnn_dropout_eval", "RNN", {"input_size": 3, "hidden_size": 4, "num_layers": 2,
                                 "dropout": 0.5}, [3, 2, 3], {"eval": True}),
    ("rnn_dropout_train", "RNN", {"input_size": 3, "hidden_size": 4, "num_layers": 3,
                                  "dropout": 0.4, "bidirectional": True}, [4, 3, 3], {}),
    ("lstm", "LSTM", {"input_size": 3, "hidden_size": 4}, [5, 2, 3], {}),
    ("lstm_2l_bidir_bf_hx", "LSTM", {"input_size": 3, "hidden_size": 4, "num_layers": 2,
                                     "bidirectional": True, "batch_first": True},
     [2, 5, 3], {"hx": True, "x_grad": True}),
    ("lstm_nobias", "LSTM", {"input_size": 3, "hidden_size": 4, "bias": False}, [3, 2, 3],
     {"x_grad": True}),
    ("lstm_unbatched_hx", "LSTM", {"input_size": 3, "hidden_size": 4}, [5, 3],
     {"hx": True, "x_grad": True}),
    ("lstm_unbatched_bf", "LSTM", {"input_size": 3, "hidden_size": 4, "batch_first": True},
     [5, 3], {}),
    ("lstm_float64", "LSTM", {"input_size": 3, "hidden_size": 4, "num_layers": 2,
                              "batch_first": True, "dtype": "float64"}, [2, 4, 3],
     {"x_grad": True, "hx": True}),
    ("lstm_proj", "LSTM", {"input_size": 3, "hidden_size": 5, "num_layers": 2,
                           "proj_size": 2}, [4, 2, 3], {"hx": True}),
    ("lstm_dropout_train", "LSTM", {"input_size": 3, "hidden_size": 4, "num_layers": 3,
                                    "dropout": 0.5}, [4, 3, 3], {}),
    ("lstm_dropout_bidir_bf", "LSTM", {"input_size": 3, "hidden_size": 4, "num_layers": 2,
                                       "dropout": 0.25, "bidirectional": True,
                                       "batch_first": True}, [3, 4, 3], {"x_grad": True}),
    ("gru", "GRU", {"input_size": 3, "hidden_size": 4}, [5, 2, 3], {}),
    ("gru_2l_bidir_bf_hx", "GRU", {"input_size": 3, "hidden_size": 4, "num_layers": 2,
                                   "bidirectional": True, "batch_first": True},
     [2, 5, 3], {"hx": True, "x_grad": True}),
    ("gru_nobias_unbatched", "GRU", {"input_size": 3, "hidden_size": 4, "bias": False},
     [5, 3], {"x_grad": True}),
    ("gru_float64", "GRU", {"input_size": 3, "hidden_size": 4, "dtype": "float64"},
     [4, 2, 3], {"x_grad": True}),
    ("gru_dropout_train", "GRU", {"input_size": 3, "hidden_size": 4, "num_layers": 2,
                                  "dropout": 0.3, "batch_first": True}, [3, 4, 3], {}),
    ("rnncell", "RNNCell", {"input_size": 3, "hidden_size": 4}, [2, 3],
     {"hx": True, "x_grad": True}),
    ("rnncell_relu_nobias", "RNNCell", {"input_size": 3, "hidden_size": 4, "bias": False,
                                        "nonlinearity": "relu"}, [2, 3], {}),
    ("rnncell_unbatched", "RNNCell", {"input_size": 3, "hidden_size": 4}, [3], {}),
    ("lstmcell", "LSTMCell", {"input_size": 3, "hidden_size": 4}, [2, 3],
     {"hx": True, "x_grad": True}),
    ("lstmcell_unbatched", "LSTMCell", {"input_size": 3, "hidden_size": 4}, [3], {}),
    ("grucell", "GRUCell", {"input_size": 3, "hidden_size": 4}, [2, 3],
     {"hx": True, "x_grad": True}),
    ("grucell_unbatched_nobias", "GRUCell", {"input_size": 3, "hidden_size": 4,
                                             "bias": False}, [3], {"hx": True}),
]


def hidden_shapes(kind: str, kw: dict, shape: list) -> list:
    cell = kind.endswith("Cell")
    hidden = kw["hidden_size"]
    if cell:
        h = [shape[0], hidden] if len(shape) == 2 else [hidden]
        return [h, h] if kind == "LSTMCell" else [h]
    dirs = 2 if kw.get("bidirectional") else 1
    layers = kw.get("num_layers", 1) * dirs
    batched = len(shape) == 3
    batch = (shape[0] if kw.get("batch_first") else shape[1]) if batched else None
    proj = kw.get("proj_size", 0)

    def one(size):
        return [layers, batch, size] if batched else [layers, size]

    if kind == "LSTM":
        return [one(proj or hidden), one(hidden)]
    return [one(hidden)]


def run_case(name, kind, kw, shape, opts) -> dict:
    kw = dict(kw)
    dtype = getattr(torch, kw.pop("dtype", "float32"))
    seed = 100 + len(name)
    data_gen = torch.Generator().manual_seed(seed + 1)
    torch.manual_seed(seed)
    m = getattr(nn, kind)(**kw, dtype=dtype)
    params0 = {k: arr(v) for k, v in m.named_parameters()}
    if opts.get("eval"):
        m.eval()
    x = torch.randn(*shape, generator=data_gen, dtype=dtype)
    x.requires_grad_(bool(opts.get("x_grad")))
    hx = None
    hx_list = []
    if opts.get("hx"):
        hx_list = [torch.randn(*s, generator=data_gen, dtype=dtype).requires_grad_()
                   for s in hidden_shapes(kind, kw, shape)]
        hx = tuple(hx_list) if kind in ("LSTM", "LSTMCell") else hx_list[0]
    result = m(x) if hx is None else m(x, hx)
    if kind in ("RNN", "GRU"):
        outs = [result[0], result[1]]
    elif kind == "LSTM":
        outs = [result[0], result[1][0], result[1][1]]
    elif kind == "LSTMCell":
        outs = list(result)
    else:
        outs = [result]
    weights = [torch.randn(*o.shape, generator=data_gen, dtype=dtype) for o in outs]
    loss = sum((o * w).sum() for o, w in zip(outs, weights))
    loss.backward()
    return {
        "name": name, "kind": kind, "kwargs": kw, "dtype": str(dtype).replace("torch.", ""),
        "seed": seed, "eval": bool(opts.get("eval")), "params": params0,
        "input": arr(x), "x_grad": bool(opts.get("x_grad")),
        "hx": [arr(h) for h in hx_list], "loss_weights": [arr(w) for w in weights],
        "outputs": [arr(o) for o in outs],
        "grad_fns": [tree(o.grad_fn) for o in outs],
        "param_grads": {k: arr(v.grad) for k, v in m.named_parameters()},
        "input_grad": arr(x.grad) if x.grad is not None else None,
        "hx_grads": [arr(h.grad) for h in hx_list],
    }


REPRS = [
    ("LSTM", [3, 4], {"num_layers": 2, "dropout": 0.1, "bidirectional": True}),
    ("RNN", [3, 4], {"batch_first": True}),
    ("RNN", [3, 4, 2, "relu"], {}),
    ("RNN", [3, 4], {"nonlinearity": "relu", "bias": False}),
    ("GRU", [10, 20], {}),
    ("LSTM", [3, 5], {"proj_size": 2}),
    ("LSTM", [3, 4], {"dropout": 1}),
    ("RNNCell", [3, 4], {}),
    ("RNNCell", [3, 4], {"bias": False, "nonlinearity": "relu"}),
    ("LSTMCell", [3, 4], {"bias": False}),
    ("GRUCell", [3, 4], {}),
]


def reprs() -> list:
    out = []
    for kind, args, kw in REPRS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = getattr(nn, kind)(*args, **kw)
        out.append({"kind": kind, "args": args, "kwargs": kw, "repr": repr(m),
                    "names": [n for n, _ in m.named_parameters()],
                    "shapes": [list(p.shape) for _, p in m.named_parameters()]})
    return out


# constructor errors and warnings
CTOR = [
    ("RNN", [3, 4], {"dropout": 0.5}),
    ("LSTM", [3, 4], {"dropout": 0.2, "num_layers": 1}),
    ("RNN", [3, 4], {"dropout": 1.5}),
    ("RNN", [3, 4], {"nonlinearity": "sigmoid"}),
    ("GRU", [3, 4], {"proj_size": 2}),
    ("LSTM", [3, 4], {"proj_size": 4}),
    ("LSTM", [3, 4], {"proj_size": -1}),
    ("RNN", [0, 4], {}),
    ("RNN", [3, 0], {}),
    ("RNN", [3, 4], {"num_layers": 0}),
    ("RNN", [3, 4], {"bias": 1}),
    ("RNN", [3, 4], {"batch_first": "yes"}),
    ("RNN", [3.0, 4], {}),
]


def ctor_cases() -> list:
    out = []
    for kind, args, kw in CTOR:
        entry = {"kind": kind, "args": args, "kwargs": kw, "error": None, "warnings": []}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                getattr(nn, kind)(*args, **kw)
            except Exception as e:  # noqa: BLE001 - recording torch's error
                entry["error"] = [type(e).__name__, str(e)]
        entry["warnings"] = [str(w.message) for w in caught]
        out.append(entry)
    return out


# forward errors: module, input shape, hidden shapes (or None)
FWD = [
    ("RNN", [3, 4], {}, [5, 2, 5], None),
    ("RNN", [3, 4], {}, [5, 2, 3], [[1, 3, 4]]),
    ("RNN", [3, 4], {}, [5, 2, 3], [[2, 4]]),
    ("RNN", [3, 4], {}, [5, 3], [[1, 2, 4]]),
    ("RNN", [3, 4], {}, [2, 5, 2, 3], None),
    ("GRU", [3, 4], {}, [3], None),
    ("GRU", [3, 4], {"batch_first": True}, [2, 5, 3], [[1, 5, 4]]),
    ("LSTM", [3, 4], {}, [5, 2, 3], [[1, 3, 4], [1, 2, 4]]),
    ("LSTM", [3, 4], {}, [5, 2, 3], [[1, 2, 4], [1, 2, 5]]),
    ("LSTM", [3, 4], {}, [5, 2, 3], [[2, 4], [2, 4]]),
    ("LSTM", [3, 4], {}, [5, 3], [[1, 2, 4], [1, 2, 4]]),
    ("LSTM", [3, 4], {}, [5, 2, 7], None),
    ("LSTM", [3, 4], {}, [1], None),
    ("RNNCell", [3, 4], {}, [2, 5], None),
    ("RNNCell", [3, 4], {}, [2, 3], [[3, 4]]),
    ("RNNCell", [3, 4], {}, [2, 3], [[2, 5]]),
    ("RNNCell", [3, 4], {}, [1, 2, 3], None),
    ("GRUCell", [3, 4], {}, [2, 3], [[1, 2, 4]]),
    ("LSTMCell", [3, 4], {}, [2, 3], [[2, 4], [3, 4]]),
    ("LSTMCell", [3, 4], {}, [2, 3], [[2, 4], [2, 1, 4]]),
]


def fwd_cases() -> list:
    out = []
    for kind, args, kw, shape, hs in FWD:
        m = getattr(nn, kind)(*args, **kw)
        x = torch.zeros(*shape)
        entry = {"kind": kind, "args": args, "kwargs": kw, "input_shape": shape,
                 "hidden_shapes": hs, "error": None}
        try:
            if hs is None:
                m(x)
            else:
                hx = [torch.zeros(*s) for s in hs]
                m(x, tuple(hx) if kind in ("LSTM", "LSTMCell") else hx[0])
        except Exception as e:  # noqa: BLE001 - recording torch's error
            entry["error"] = [type(e).__name__, str(e)]
        out.append(entry)
    return out


DOUBLE = [
    ("LSTM", {"input_size": 2, "hidden_size": 3}, [3, 2, 2]),
    ("LSTM", {"input_size": 2, "hidden_size": 3, "bidirectional": True, "batch_first": True},
     [2, 3, 2]),
    ("GRU", {"input_size": 2, "hidden_size": 3, "num_layers": 2}, [3, 2, 2]),
    ("RNN", {"input_size": 2, "hidden_size": 3}, [3, 2, 2]),
]


def double_cases() -> list:
    """Gradients of sum(dL/dx ** 2), dL/dx taken with create_graph=True."""
    out = []
    for k, (kind, kw, shape) in enumerate(DOUBLE):
        seed = 500 + k
        data_gen = torch.Generator().manual_seed(seed + 1)
        torch.manual_seed(seed)
        m = getattr(nn, kind)(**kw)
        x = torch.randn(*shape, generator=data_gen).requires_grad_()
        o, h = m(x)
        h = h[0] if isinstance(h, tuple) else h
        w = torch.randn(*o.shape, generator=data_gen)
        (gx,) = torch.autograd.grad((o * w).sum() + h.sum(), [x], create_graph=True)
        (gx * gx).sum().backward()
        out.append({"kind": kind, "kwargs": kw, "seed": seed, "input": arr(x),
                    "loss_weight": arr(w), "input_grad": arr(gx),
                    "param_grads": {n: arr(p.grad) for n, p in m.named_parameters()},
                    "x_grad": arr(x.grad)})
    return out


def main() -> None:
    data = {
        "double_backward": double_cases(),
        "torch": torch.__version__,
        "cases": [run_case(*c) for c in CASES],
        "reprs": reprs(),
        "ctor": ctor_cases(),
        "forward_errors": fwd_cases(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(data, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {OUT} ({len(data['cases'])} cases)")


if __name__ == "__main__":
    main()
