"""torch's CPU random streams, bit for bit: adcli's engine against fixtures that
tools/gen_rng_fixtures.py recorded from PyTorch 2.13 (no tolerance at all; the RNG states
after each case are compared too, which proves the same number of draws).

The samplers run on ``adcli.engine.torch_random``; nn.init, the nn modules' default
initialisation, dropout, ``torch.normal`` and ``torch.utils.data``'s shuffling run through
the engine's Python API, on the same generators (the default one is the engine's)."""

from __future__ import annotations

import functools
import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest

from adcli.engine import api, nn_functional
from adcli.engine import data as edata
from adcli.engine import torch_random as tr
from adcli.engine.nn import init as einit
from adcli.engine.nn.namespace import MODULE_CLASSES
from adcli.engine.torch_random import TorchGenerator

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "torch_rng.json").read_text())


@functools.cache
def _input(spec: str) -> np.ndarray:
    """``make_input`` of tools/gen_rng_fixtures.py: the array a spec names."""
    kind, shape, dt, seed = spec.split(":")
    shp = tuple(int(s) for s in shape.split("x")) if shape else ()
    rs = np.random.RandomState(int(seed))
    if kind == "u":
        a = rs.random_sample(shp)
    elif kind == "n":
        a = rs.standard_normal(shp)
    elif kind == "s":
        a = 0.05 + 2.0 * rs.random_sample(shp)
    elif kind == "w":
        a = rs.random_sample(shp) ** 3
    elif kind == "z":
        a = rs.random_sample(shp)
        a[a < 0.4] = 0.0
        a[..., 0] = 0.5
    else:
        raise ValueError(spec)
    a = a.astype(dt)
    a.flags.writeable = False
    return a


def _t(spec: str):
    """An engine tensor over a copy of the input."""
    return api.from_numpy(_input(spec).copy())


def _sha(a: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def _check(got: np.ndarray, want: dict, where: str) -> None:
    got = np.ascontiguousarray(got)
    assert str(got.dtype) == want["dtype"], f"{where}: dtype {got.dtype} != {want['dtype']}"
    assert list(got.shape) == want["shape"], f"{where}: shape {got.shape} != {want['shape']}"
    if "hex" in want:
        exp = np.frombuffer(bytes.fromhex(want["hex"]), want["dtype"]).reshape(want["shape"])
    else:
        flat = got.ravel()
        head = np.frombuffer(bytes.fromhex(want["head"]), want["dtype"])
        tail = np.frombuffer(bytes.fromhex(want["tail"]), want["dtype"])
        k = head.size
        if flat[:k].tobytes() != head.tobytes() or flat[-k:].tobytes() != tail.tobytes():
            exp_part, got_part = (head, flat[:k]) if flat[:k].tobytes() != head.tobytes() \
                else (tail, flat[-k:])
            pytest.fail(f"{where}: {got_part!r} != {exp_part!r}")
        assert _sha(got)[:len(want["sha256"])] == want["sha256"], \
            f"{where}: bytes differ (same head and tail)"
        return
    if got.tobytes() != exp.tobytes():
        bad = [i for i, (a, b) in enumerate(zip(got.ravel().tolist(), exp.ravel().tolist()))
               if np.asarray(a).tobytes() != np.asarray(b).tobytes() or a != b]
        pytest.fail(f"{where}: got {got.ravel()[:20]!r}, want {exp.ravel()[:20]!r}, "
                    f"differing at {bad[:20]}")


def _check_orthogonal(got: np.ndarray, want: dict, where: str) -> None:
    """``nn.init.orthogonal_``: the QR of torch's normal draws. The draws are checked
    exactly (the states after the case); the QR is LAPACK's in both, MKL's in torch and
    numpy's in adcli, which round differently: the values agree to a few units in the
    last place."""
    assert str(got.dtype) == want["dtype"] and list(got.shape) == want["shape"], where
    tol = 4e-6 if got.dtype == np.float32 else 1e-13
    if "hex" in want:
        exp = np.frombuffer(bytes.fromhex(want["hex"]), want["dtype"]).reshape(want["shape"])
        np.testing.assert_allclose(got, exp, rtol=0, atol=tol, err_msg=where)
        return
    flat = got.ravel()
    idx = np.linspace(0, flat.size - 1, 64).astype(np.int64)
    exp = np.frombuffer(bytes.fromhex(want["sample"]), want["dtype"])
    np.testing.assert_allclose(flat[idx], exp, rtol=0, atol=tol, err_msg=where)
    assert math.isclose(float(np.abs(flat.astype(np.float64)).sum()), want["l1"],
                        rel_tol=tol), where


def _np(dt: str) -> np.dtype:
    return np.dtype(np.bool_ if dt == "bool" else dt)


def _api_dtype(dt: str):
    return getattr(api, "bool_" if dt == "bool" else dt)


def _run_op(op, gens, apigens, states):
    """One operation on adcli: its results as numpy arrays."""
    name, gk, *args = op
    g = gens[gk]
    kw = {} if apigens[gk] is None else {"generator": apigens[gk]}
    if name == "rand":
        shape, dt = args
        return [g.rand(shape, _np(dt))]
    if name == "uniform":
        shape, lo, hi, dt = args
        return [g.uniform_(shape, lo, hi, _np(dt))]
    if name == "randn":
        shape, dt = args
        return [g.randn(shape, _np(dt))]
    if name == "normal":
        shape, mean, std, dt = args
        return [g.normal_(shape, mean, std, _np(dt))]
    if name == "normal_t":
        rows, cols, dt = args
        return [g.normal_((rows * cols,), 0.0, 1.0, _np(dt), contiguous=cols == 1 or rows == 1)]
    if name == "randint":
        lo, hi, shape, dt = args
        return [g.randint(lo, hi, shape, _np(dt))]
    if name == "random":
        shape, dt, frm, to = args
        return [g.random_(shape, frm, to, _np(dt))]
    if name == "randperm":
        n, dt = args
        return [g.randperm(n, _np(dt))]
    if name == "bernoulli_t":
        pk, dt = args
        return [g.bernoulli(_input(pk), _np(dt))]
    if name == "bernoulli_p":
        return [g.bernoulli(_input(args[0]))]
    if name == "bernoulli_s":
        shape, p, dt = args
        return [g.bernoulli_scalar(shape, p, _np(dt))]
    if name == "exponential":
        shape, lambd, dt = args
        return [g.exponential_(shape, lambd, _np(dt))]
    if name == "multinomial":
        pk, k, repl = args
        return [g.multinomial(_input(pk), k, repl)]
    # -- through the engine's API
    if name == "torch_normal":
        mode, mean, std, n, dt = args
        if mode == "ff":
            return [api.normal(mean, std, (n,), dtype=_api_dtype(dt), **kw)._data]
        m = _t(mean) if mode[0] == "t" else mean
        s = _t(std) if mode[1] == "t" else std
        return [api.normal(m, s, **kw)._data]
    if name == "dropout":
        kind, xk, p = args
        x = _t(xk)
        if kind == "F":
            return [nn_functional.dropout(x, p, training=True)._data]
        if kind == "module":
            return [MODULE_CLASSES["Dropout"](p).train()(x)._data]
        if kind == "2d":
            return [nn_functional.dropout2d(x, p, training=True)._data]
        return [nn_functional.dropout1d(x, p, training=True)._data]
    if name == "init":
        fn, shape, dt, kwargs = args
        t = api.empty(*shape, dtype=_api_dtype(dt))
        einit.MEMBERS[fn](t, **kwargs, **kw)
        return [t._data]
    if name == "layer":
        kind, largs, kwargs = args
        kwargs = dict(kwargs)
        if "dtype" in kwargs:
            kwargs["dtype"] = _api_dtype(kwargs["dtype"])
        m = MODULE_CLASSES[kind](*[tuple(a) if isinstance(a, list) else a for a in largs],
                                 **kwargs)
        return [p._data for p in m.parameters()]
    if name == "sampler":
        n, kwargs = args
        return [np.array(list(edata.RandomSampler(range(n), **kwargs, **kw)), np.int64)]
    if name == "dataloader":
        n, bs = args
        dl = edata.DataLoader(list(range(n)), batch_size=bs, shuffle=True, **kw)
        return [np.concatenate([b._data for b in dl])]
    if name == "subset_sampler":
        n, = args
        s = edata.SubsetRandomSampler(list(range(100, 100 + n)), **kw)
        return [np.array(list(s), np.int64)]
    if name == "weighted_sampler":
        wk, k, repl = args
        s = edata.WeightedRandomSampler(_input(wk).tolist(), k, repl, **kw)
        return [np.array(list(s), np.int64)]
    if name == "random_split":
        n, lengths = args
        parts = edata.random_split(range(n), lengths, **kw)
        return [np.array([i for p in parts for i in p.indices], np.int64)]
    if name == "method":
        meth, shape, dt, margs, transposed = args
        t = api.empty(*(shape[::-1] if transposed else shape), dtype=_api_dtype(dt))
        t = t.t() if transposed else t
        getattr(t, meth)(*margs, **kw)
        return [np.ascontiguousarray(t._data)]
    if name == "like":
        fn, shape, dt, transposed, pk = args
        t = api.empty(*(shape[::-1] if transposed else shape), dtype=_api_dtype(dt))
        t = t.t() if transposed else t
        if fn == "bernoulli":
            t.copy_(_t(pk))
            return [np.ascontiguousarray(api.bernoulli(t, **kw)._data)]
        return [np.ascontiguousarray(getattr(api, fn)(t)._data)]
    # -- states and seeds
    if name == "get_state":
        st = g.get_state()
        states.append(st)
        return [st]
    if name == "set_state":
        g.set_state(states[args[0]])
        return []
    if name == "seed_check":
        return [np.array([g.initial_seed()], np.uint64)]
    if name == "manual_seed":
        g.manual_seed(args[0])
        return []
    raise ValueError(name)


def _case_id(case) -> str:
    gseed = f" gseed={case['gseed']}" if case.get("gseed") is not None else ""
    return f"{case['label']} seed={case['seed']}{gseed}"


@pytest.fixture
def _quiet(monkeypatch):
    from adcli.engine import tensor

    monkeypatch.setattr(tensor, "emit_warning", lambda message: None)


def _cases():
    for case in FIXTURES["cases"]:
        yield pytest.param(case, id=_case_id(case))


@pytest.mark.parametrize("case", list(_cases()))
def test_stream_matches_torch(case, _quiet):
    api.manual_seed(case["seed"])
    d = api._default()  # the engine's default generator: torch.manual_seed's
    gobj = api.Generator()
    if case.get("gseed") is not None:
        gobj.manual_seed(case["gseed"])
    g = gobj._gen
    gens, apigens, states = {"d": d, "g": g}, {"d": None, "g": gobj}, []
    for i, (op, want) in enumerate(zip(case["ops"], case["results"], strict=True)):
        if op[0] == "seed":  # torch picked a seed at random: adcli picks its own, then
            gen = gens[op[1]]  # takes torch's to go on with the same stream
            s = gen.seed()
            assert gen.initial_seed() == s and 0 <= s < 2**64
            recorded = int(np.frombuffer(bytes.fromhex(want[0]["hex"]), np.uint64)[0])
            gen.manual_seed(recorded)
            continue
        got = _run_op(op, gens, apigens, states)
        assert len(got) == len(want), f"op {i} {op}"
        for j, (a, w) in enumerate(zip(got, want)):
            if op[0] == "init" and op[2] == "orthogonal_":
                _check_orthogonal(a, w, f"op {i} {op}")
            else:
                _check(a, w, f"op {i} {op} output {j}")
    assert _sha(d.get_state()) == case["final_state_d"], "default generator state"
    assert _sha(g.get_state()) == case["final_state_g"], "Generator object state"


def test_torch_state_loads():
    """torch's own state bytes (with a pending cached normal) drive the same stream."""
    raw = FIXTURES["raw_state"]
    g = TorchGenerator()
    g.set_state(np.frombuffer(bytes.fromhex(raw["hex"]), np.uint8))
    assert g.get_state().tobytes().hex() == raw["hex"]
    _check(g.randn(20), raw["after"][0], "randn(20) after set_state")
    _check(g.randn(1, np.float64), raw["after"][1], "randn(1) after set_state")


def test_linear_3_2_seed_0_values():
    w, b = TorchGenerator(0).linear_init(2, 3)
    assert w.tolist() == [[-0.004322517663240433, 0.3097158372402191, -0.4751853346824646],
                          [-0.4248946011066437, -0.2223689705133438, 0.15482072532176971]]
    assert b.tolist() == [-0.011439144611358643, 0.45777493715286255]


def test_seeding_rules():
    assert TorchGenerator().initial_seed() == tr.DEFAULT_SEED
    a = TorchGenerator(5).random32(10)
    assert a.tolist() == TorchGenerator(5 + 2**32).random32(10).tolist()
    assert TorchGenerator(-5).initial_seed() == 2**64 - 5
    with pytest.raises(ValueError):
        TorchGenerator(2**64)
    g = TorchGenerator()
    s = g.seed()
    assert g.initial_seed() == s and 0 <= s < 2**64
    assert g.random32(4).tolist() == TorchGenerator(s).random32(4).tolist()


def test_set_state_rejects_bad_states():
    g = TorchGenerator(3)
    st = g.get_state()
    with pytest.raises(RuntimeError):
        g.set_state(st[:-1])
    bad = st.copy()
    bad[12:16] = 0  # seeded = 0
    with pytest.raises(RuntimeError):
        g.set_state(bad)


def test_clone_is_independent():
    g = TorchGenerator(9)
    g.randn(3)
    h = g.clone()
    assert g.randn(5).tobytes() == h.randn(5).tobytes()
    assert g.get_state().tobytes() == h.get_state().tobytes()


def test_exact_fma_helpers():
    rs = np.random.default_rng(1)
    a = rs.standard_normal(20000) * np.exp(rs.uniform(-30, 30, 20000))
    b = rs.standard_normal(20000)
    c = rs.standard_normal(20000) * np.exp(rs.uniform(-30, 30, 20000))
    got = tr._fma64(a, b, c)
    from fractions import Fraction
    for i in range(0, 20000, 97):
        want = float(Fraction(a[i]) * Fraction(b[i]) + Fraction(c[i]))
        assert got[i] == want
    a32, b32, c32 = a.astype(np.float32), b.astype(np.float32), c.astype(np.float32)
    got32 = tr._fma32(a32, b32, c32)
    for i in range(0, 20000, 97):
        want = np.float32(float(Fraction(float(a32[i])) * Fraction(float(b32[i]))
                                + Fraction(float(c32[i]))))
        assert got32[i] == want


def test_fma_double_rounding_cases():
    """Sums that land on a midpoint after a first rounding: the naive a*b+c is wrong."""
    f = np.float32
    a, b, c = f(1 + 2.0**-23), f(2.0**-24 * (1 - 2.0**-23)), f(1 + 2.0**-23)
    assert tr._fma32(a, b, c) == f(1 + 2.0**-23)
    assert f(np.float64(a) * np.float64(b) + np.float64(c)) != f(1 + 2.0**-23)
    a, b, c = 1 + 2.0**-52, 2.0**-53 * (1 - 2.0**-52), 1 + 2.0**-52
    assert tr._fma64(a, b, c) == 1 + 2.0**-52
    assert a * b + c != 1 + 2.0**-52


def test_empty_and_errors():
    g = TorchGenerator(0)
    before = g.get_state().tobytes()
    assert g.randn(0).shape == (0,)
    assert g.randperm(0).shape == (0,)
    assert g.randperm(1).tolist() == [0]
    assert g.dropout_mask((3,), 0.0) is None
    assert g.get_state().tobytes() == before  # nothing drawn
    with pytest.raises(RuntimeError):
        g.random_((2,), 5, 5)
    with pytest.raises(RuntimeError):
        g.multinomial(np.ones(3, np.float32), 4, False)
    assert math.isclose(tr.kaiming_uniform_bound(3, math.sqrt(5)), 0.5773502691896257)
