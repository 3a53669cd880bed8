"""nn.RNN / nn.LSTM / nn.GRU and the cells against torch 2.13.

Every expected value comes from the real torch (tools/gen_rnn_fixtures.py writes
fixtures/rnn.json): the initial weights after ``manual_seed`` (bit for bit), the outputs
and gradients (to float32 rounding), the grad_fn trees of the outputs (exactly), the
printed modules, and the errors and warnings.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from adcli.engine import api
from adcli.engine.nn import rnn
from adcli.engine.tensor import Tensor

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "rnn.json")
with open(FIXTURE, encoding="utf-8") as _fh:
    DATA = json.load(_fh)
CASES = {c["name"]: c for c in DATA["cases"]}


def _array(rec) -> np.ndarray:
    return np.array(rec["data"], dtype=rec["dtype"]).reshape(rec["shape"])


def _tensor(rec, requires_grad=False) -> Tensor:
    t = api.tensor(_array(rec))
    return t.requires_grad_(requires_grad)


def _tree(fn, depth: int):
    if fn is None:
        return None
    if depth == 0:
        return [fn.name()]
    kids = [_tree(f, depth - 1) for f, _ in fn.next_functions if f is not None]
    return [fn.name(), kids]


def _tol(case) -> dict:
    if case["dtype"] == "float64":
        return {"rtol": 1e-10, "atol": 1e-12}
    return {"rtol": 2e-5, "atol": 2e-6}


def _close(got: Tensor, rec, tol: dict, what: str) -> float:
    want = _array(rec)
    assert tuple(got.shape) == tuple(want.shape), what
    assert got._data.dtype == want.dtype, what
    np.testing.assert_allclose(got._data, want, err_msg=what, **tol)
    return float(np.abs(got._data.astype(np.float64) - want).max()) if want.size else 0.0


def _build(case):
    api.manual_seed(case["seed"])
    kw = dict(case["kwargs"])
    kw["dtype"] = getattr(api, case["dtype"])
    return rnn.RNN_CLASSES[case["kind"]](**kw)


def _run(case):
    m = _build(case)
    if case["eval"]:
        m.eval()
    x = _tensor(case["input"], case["x_grad"])
    hxs = [_tensor(h, True) for h in case["hx"]]
    kind = case["kind"]
    if not hxs:
        result = m(x)
    elif kind in ("LSTM", "LSTMCell"):
        result = m(x, tuple(hxs))
    else:
        result = m(x, hxs[0])
    if kind in ("RNN", "GRU"):
        outs = [result[0], result[1]]
    elif kind == "LSTM":
        outs = [result[0], result[1][0], result[1][1]]
    elif kind == "LSTMCell":
        outs = list(result)
    else:
        outs = [result]
    return m, x, hxs, outs


@pytest.mark.parametrize("name", sorted(CASES))
def test_initial_weights_bit_for_bit(name):
    case = CASES[name]
    m = _build(case)
    params = dict(m.named_parameters())
    assert list(params) == list(case["params"])
    for k, rec in case["params"].items():
        want = _array(rec)
        assert params[k]._data.dtype == want.dtype, k
        assert np.array_equal(params[k]._data, want), k


@pytest.mark.parametrize("name", sorted(CASES))
def test_forward_backward_match_torch(name):
    case = CASES[name]
    tol = _tol(case)
    m, x, hxs, outs = _run(case)
    assert len(outs) == len(case["outputs"])
    for k, (o, rec) in enumerate(zip(outs, case["outputs"])):
        _close(o, rec, tol, f"output {k}")
    weights = [_tensor(w) for w in case["loss_weights"]]
    loss = None
    for o, w in zip(outs, weights):
        term = api.sum(api.mul(o, w))
        loss = term if loss is None else api.add(loss, term)
    loss.backward()
    gtol = dict(tol)
    if case["dtype"] == "float32":
        gtol = {"rtol": 5e-5, "atol": 1e-5}
    for k, p in m.named_parameters():
        _close(p.grad, case["param_grads"][k], gtol, f"grad {k}")
    if case["input_grad"] is not None:
        _close(x.grad, case["input_grad"], gtol, "grad input")
    for k, (h, rec) in enumerate(zip(hxs, case["hx_grads"])):
        _close(h.grad, rec, gtol, f"grad hx[{k}]")


@pytest.mark.parametrize("name", sorted(CASES))
def test_grad_fn_trees_match_torch(name):
    case = CASES[name]
    _, _, _, outs = _run(case)
    for k, (o, want) in enumerate(zip(outs, case["grad_fns"])):
        assert _tree(o.grad_fn, 5) == want, f"output {k}"


@pytest.mark.parametrize("rec", DATA["reprs"], ids=lambda r: r["repr"].split("\n")[0])
def test_repr_and_parameter_names(rec):
    m = rnn.RNN_CLASSES[rec["kind"]](*rec["args"], **rec["kwargs"])
    assert repr(m) == rec["repr"]
    names = [n for n, _ in m.named_parameters()]
    assert names == rec["names"]
    assert [list(p.shape) for _, p in m.named_parameters()] == rec["shapes"]


_ERRORS = {"ValueError": "TorchValueError", "TypeError": "TorchTypeError",
           "RuntimeError": "TorchRuntimeError"}


def _check_error(excinfo, want) -> None:
    kind, message = want
    assert type(excinfo.value).__name__ == _ERRORS[kind]
    assert str(excinfo.value) == message


@pytest.mark.parametrize("rec", DATA["ctor"], ids=lambda r: f"{r['kind']}{r['kwargs']}")
def test_constructor_errors_and_warnings(rec, warnings_seen):
    cls = rnn.RNN_CLASSES[rec["kind"]]
    if rec["error"]:
        with pytest.raises(Exception) as excinfo:
            cls(*rec["args"], **rec["kwargs"])
        _check_error(excinfo, rec["error"])
    else:
        cls(*rec["args"], **rec["kwargs"])
    assert warnings_seen == rec["warnings"]


@pytest.mark.parametrize("rec", DATA["forward_errors"],
                         ids=lambda r: f"{r['kind']}{r['input_shape']}{r['hidden_shapes']}")
def test_forward_errors(rec):
    m = rnn.RNN_CLASSES[rec["kind"]](*rec["args"], **rec["kwargs"])
    x = api.zeros(*rec["input_shape"])
    with pytest.raises(Exception) as excinfo:
        if rec["hidden_shapes"] is None:
            m(x)
        else:
            hx = [api.zeros(*s) for s in rec["hidden_shapes"]]
            m(x, tuple(hx) if rec["kind"] in ("LSTM", "LSTMCell") else hx[0])
    _check_error(excinfo, rec["error"])


def test_public_attributes_and_classes():
    assert set(rnn.RNN_CLASSES) >= {"RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"}
    for name in ("input_size", "hidden_size", "num_layers", "bias", "batch_first",
                 "dropout", "bidirectional"):
        for cls in (rnn.RNN, rnn.LSTM, rnn.GRU):
            assert name in cls.__adcli_public__
    assert "nonlinearity" in rnn.RNN.__adcli_public__
    m = rnn.LSTM(3, 4, num_layers=2, bidirectional=True)
    assert m.weight_hh_l1_reverse.shape == (16, 4)
    assert [len(ws) for ws in m.all_weights] == [4, 4, 4, 4]
    assert m.dropout == 0.0 and isinstance(m.dropout, float)


def test_no_grad_gives_no_graph():
    m = rnn.LSTM(3, 4)
    x = api.randn(5, 2, 3)
    with api.no_grad():
        out, (h, c) = m(x)
    assert out.grad_fn is None and h.grad_fn is None and not out.requires_grad


def test_lstm_backward_twice_needs_retain_graph():
    m = rnn.LSTM(3, 4)
    out, _ = m(api.randn(5, 2, 3))
    loss = api.sum(out)
    loss.backward(retain_graph=True)
    g = m.weight_ih_l0.grad._data.copy()
    loss.backward()
    np.testing.assert_allclose(m.weight_ih_l0.grad._data, 2 * g, rtol=1e-6)
    with pytest.raises(Exception, match="backward through the graph a second time"):
        loss.backward()


@pytest.mark.parametrize("rec", DATA["double_backward"],
                         ids=lambda r: f"{r['kind']}{r['kwargs']}")
def test_double_backward_matches_torch(rec):
    from adcli.engine import functional

    api.manual_seed(rec["seed"])
    m = rnn.RNN_CLASSES[rec["kind"]](**rec["kwargs"])
    x = _tensor(rec["input"], True)
    o, h = m(x)
    h = h[0] if isinstance(h, tuple) else h
    loss = api.add(api.sum(api.mul(o, _tensor(rec["loss_weight"]))), api.sum(h))
    (gx,) = functional.grad(loss, [x], create_graph=True)
    tol = {"rtol": 5e-5, "atol": 1e-5}
    _close(gx, rec["input_grad"], tol, "dL/dx")
    api.sum(api.mul(gx, gx)).backward()
    for k, p in m.named_parameters():
        _close(p.grad, rec["param_grads"][k], tol, f"grad {k}")
    _close(x.grad, rec["x_grad"], tol, "grad x")


def test_lstm_projection_warns_once(warnings_seen, monkeypatch):
    monkeypatch.setattr(rnn, "_WARNED_PROJ", [])
    m = rnn.LSTM(3, 5, proj_size=2)
    m(api.randn(2, 1, 3))
    m(api.randn(2, 1, 3))
    assert warnings_seen == [
        "LSTM with projections is not supported with oneDNN. Using default implementation. "
        "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/RNN.cpp:1512.)"]
