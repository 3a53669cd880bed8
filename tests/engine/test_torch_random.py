"""torch's CPU random streams, bit for bit: adcli.engine.torch_random against fixtures that
tools/gen_rng_fixtures.py recorded from PyTorch 2.13 (no tolerance at all; the RNG states
after each case are compared too, which proves the same number of draws)."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pytest

from adcli.engine import torch_random as tr
from adcli.engine.torch_random import TorchGenerator

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "torch_rng.json").read_text())
INPUTS = {k: np.frombuffer(bytes.fromhex(v["hex"]), v["dtype"]).reshape(v["shape"]).copy()
          for k, v in FIXTURES["inputs"].items()}


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
        assert _sha(got) == want["sha256"], f"{where}: bytes differ (same head and tail)"
        return
    if got.tobytes() != exp.tobytes():
        bad = np.nonzero(got.view(np.uint8).reshape(got.size, -1).tolist()
                         != exp.view(np.uint8).reshape(exp.size, -1).tolist())
        pytest.fail(f"{where}: got {got.ravel()[:20]!r}, want {exp.ravel()[:20]!r} {bad}")


def _run_op(op, gens, states):
    name, gk, *args = op
    g = gens[gk]
    if name == "rand":
        shape, dt = args
        return [g.rand(shape, dt)]
    if name == "uniform":
        shape, lo, hi, dt = args
        return [g.uniform_(shape, lo, hi, dt)]
    if name == "randn":
        shape, dt = args
        return [g.randn(shape, dt)]
    if name == "normal":
        shape, mean, std, dt = args
        return [g.normal_(shape, mean, std, dt)]
    if name == "normal_t":
        rows, cols, dt = args
        return [g.normal_((rows * cols,), 0.0, 1.0, dt, contiguous=cols == 1 or rows == 1)]
    if name == "randint":
        lo, hi, shape, dt = args
        return [g.randint(lo, hi, shape, dt)]
    if name == "random":
        shape, dt, frm, to = args
        return [g.random_(shape, frm, to, dt)]
    if name == "randperm":
        n, dt = args
        return [g.randperm(n, dt)]
    if name == "bernoulli_t":
        pk, dt = args
        return [g.bernoulli(INPUTS[pk], dt)]
    if name == "bernoulli_p":
        return [g.bernoulli(INPUTS[args[0]])]
    if name == "bernoulli_s":
        shape, p, dt = args
        return [g.bernoulli_scalar(shape, p, dt)]
    if name == "dropout":
        xk, p = args
        return [g.dropout(INPUTS[xk], p)]
    if name == "exponential":
        shape, lambd, dt = args
        return [g.exponential_(shape, lambd, dt)]
    if name == "multinomial":
        pk, k, repl = args
        return [g.multinomial(INPUTS[pk], k, repl)]
    if name == "linear":
        o, i = args
        return list(g.linear_init(o, i))
    if name == "sampler":
        return [np.array(g.sampler_permutation(args[0]), np.int64)]
    if name == "dataloader":
        g.random_((), dtype=np.int64)  # the iterator's _base_seed
        return [np.array(g.sampler_permutation(args[0]), np.int64)]
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
    return f"{case['label']} seed={case['seed']}"


@pytest.mark.parametrize("case", FIXTURES["cases"], ids=_case_id)
def test_stream_matches_torch(case):
    d = TorchGenerator().manual_seed(case["seed"])
    g = TorchGenerator()
    if case.get("gseed") is not None:
        g.manual_seed(case["gseed"])
    gens, states = {"d": d, "g": g}, []
    for i, (op, want) in enumerate(zip(case["ops"], case["results"])):
        got = _run_op(op, gens, states)
        assert len(got) == len(want), f"op {i} {op}"
        for j, (a, w) in enumerate(zip(got, want)):
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
