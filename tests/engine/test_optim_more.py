"""Adadelta, Adamax, NAdam, RAdam, Rprop, ASGD, LBFGS and the schedulers
CosineAnnealingWarmRestarts, CyclicLR, SequentialLR, ChainedScheduler (with more cases of
PolynomialLR, LinearLR and OneCycleLR) against torch 2.13's recorded results.

Every expected value comes from tools/gen_optim_more_fixtures.py run under real torch
(tests/engine/fixtures/optim_more.json), in tools/gen_optim_fixtures.py's formats:
parameters after every step bit for bit (against torch with a correctly rounded sqrt where
torch's MKL sqrt rounds otherwise), state_dict layout and bits, repr text, lr sequences as
float.hex, and the errors of wrong arguments in torch's words.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from adcli.engine import api, optim
from adcli.engine import tensor as core
from adcli.engine.optim import lr_scheduler
from adcli.errors import AdcliError
from tests.engine.test_optim import (
    PROBLEMS,
    _Namespace,
    group_values,
    hexbits,
    make_opt,
    plain,
    run_case,
    split,
    state_record,
    ulps,
)

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "fixtures", "optim_more.json"), encoding="utf-8") as _fh:
    FIX = json.load(_fh)
CASES = {c["name"]: c for c in FIX["cases"]}
LBFGS_CASES = {c["name"]: c for c in FIX["lbfgs"]}
SCHEDULERS = {c["name"]: c for c in FIX["schedulers"]}
COMPOSITES = {c["name"]: c for c in FIX["composites"]}


@pytest.fixture
def warnings_seen(monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(core, "emit_warning", seen.append)
    return seen


def test_same_problems_as_test_optim():
    assert FIX["problems"] == PROBLEMS


def _dtype(case, j):
    dt = PROBLEMS[case["problem"]]["params"][j]["dtype"]
    return np.float64 if dt == "float64" else np.float32


def _compare_steps(name, case, steps, expected):
    for i, (got, want) in enumerate(zip(steps, expected)):
        for j, (g, w) in enumerate(zip(got, want)):
            if g != w:
                dtype = _dtype(case, j)
                a, b = split(g, dtype), split(w, dtype)
                bad = np.flatnonzero(ulps(a, b))
                pytest.fail(f"{name}: step {i}, param {j}: {bad.size} elements differ "
                            f"(first at {bad[0]}: {a[bad[0]]!r} vs torch {b[bad[0]]!r})")


# ------------------------------------------------------------------ optimizers

@pytest.mark.parametrize("name", sorted(CASES))
def test_optimizer_bits(name):
    case = CASES[name]
    opt, steps, losses = run_case(case)
    _compare_steps(name, case, steps, case.get("steps_exact_sqrt", case["steps"]))
    assert losses == case["losses"]
    assert state_record(opt) == case.get("state_dict_exact_sqrt", case["state_dict"])
    assert repr(opt) == case["repr_after"]


@pytest.mark.parametrize("name", sorted(n for n, c in CASES.items()
                                        if "steps_exact_sqrt" in c))
def test_optimizer_close_to_torch_mkl_sqrt(name):
    """Against torch's own results (its CPU sqrt is not correctly rounded): within float32
    rounding, most elements bit for bit, the same state layout."""
    case = CASES[name]
    opt, steps, _ = run_case(case)
    same = total = 0
    for got, want in zip(steps, case["steps"]):
        for j, (g, w) in enumerate(zip(got, want)):
            dtype = _dtype(case, j)
            a, b = split(g, dtype), split(w, dtype)
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6, err_msg=name)
            same += int(np.count_nonzero(a == b))
            total += a.size
    assert same >= 0.5 * total, (name, same, total)
    assert state_record(opt)["param_groups"] == case["state_dict"]["param_groups"]


# ------------------------------------------------------------------ LBFGS

def _lbfgs_loss(problem: str, params: list):
    if problem == "rosenbrock":
        x = params[0]
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
    if problem == "quad3":
        w, b = params
        xs = api.tensor([[1.0, 2.0], [0.5, -1.0], [2.0, 0.3], [-1.0, 0.7]])
        y = api.tensor([1.0, -0.5, 2.0, 0.25])
        return (((xs * w).sum(1) + b - y) ** 2).mean()
    x = params[0]
    c = api.tensor([1.0, 2.0, -1.0, 0.5])
    d = x - c
    return (d * d * d * d).sum() + 0.5 * (d ** 2).sum() + (x[0] * x[1] - 0.5) ** 2


LBFGS_PROBLEMS = {
    "rosenbrock": [[-1.5, 2.0]],
    "quad3": [[0.5, -0.3], [0.1]],
    "quartic4": [[1.5, -0.5, 0.25, 2.0]],
}


def _lbfgs_state(opt) -> dict:
    sd = opt.state_dict()
    return {"state": {str(k): {key: plain(v) for key, v in st.items()}
                      for k, st in sd["state"].items()},
            "param_groups": [{k: plain(v) for k, v in g.items()} for g in sd["param_groups"]]}


@pytest.mark.parametrize("name", sorted(LBFGS_CASES))
def test_lbfgs(name):
    case = LBFGS_CASES[name]
    want = case.get("exact_sqrt", case)
    params = [api.tensor(v, requires_grad=True) for v in LBFGS_PROBLEMS[case["problem"]]]
    opt = optim.LBFGS(params, **case["options"])
    assert repr(opt) == case["repr"]
    evals = [0]

    def closure():
        assert core.is_grad_enabled()
        evals[0] += 1
        opt.zero_grad()
        loss = _lbfgs_loss(case["problem"], params)
        loss.backward()
        return loss

    for i in range(len(case["steps"])):
        loss = opt.step(closure)
        assert hexbits(loss._data) == want["losses"][i], (name, i)
        assert [hexbits(p._data) for p in params] == want["steps"][i], (name, i)
        assert evals[0] == want["evals"][i], (name, i)
    assert _lbfgs_state(opt) == want["state_dict"]


def test_lbfgs_needs_a_closure_and_leaves_grad_mode():
    p = api.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.LBFGS([p])
    with pytest.raises(AdcliError) as e:
        opt.step()
    assert e.value.kind == "TypeError"

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with api.no_grad():
        opt.step(closure)
        assert not core.is_grad_enabled()
    assert core.is_grad_enabled()
    assert float((p * p).sum()) < 1e-6


# ------------------------------------------------------------------ schedulers

def _check_rows(name, case, step, opt, params, sched, warnings_seen, extra=None):
    for i, row in enumerate(case["rows"]):
        for p in params:
            p.grad = api.ones_like(p)
        opt.step()
        warnings_seen.clear()
        step(i)
        got = {"last_lr": plain(sched.get_last_lr()), "groups": group_values(opt),
               "last_epoch": getattr(sched, "last_epoch", None)}
        if extra is not None:
            got.update(extra())
        got["warnings"] = list(warnings_seen)
        assert got == row, f"{name}: step {i}"


@pytest.mark.parametrize("name", sorted(SCHEDULERS))
def test_scheduler(name, warnings_seen):
    case = SCHEDULERS[name]
    opt, params = make_opt(case["optimizer"])
    sched = lr_scheduler.MEMBERS[case["scheduler"]](opt, **case["options"])
    assert warnings_seen == case["init_warnings"]
    assert plain(sched.get_last_lr()) == case["init_last_lr"]
    assert group_values(opt) == case["init_groups"]

    def step(i):
        epoch = case["steps"][i]
        if epoch is None:
            sched.step()
        else:
            sched.step(epoch)

    _check_rows(name, case, step, opt, params, sched, warnings_seen)
    sd = sched.state_dict()
    assert list(sd) == case["state_keys"]
    assert {k: plain(v) for k, v in sd.items()} == case["state_dict"]
    assert repr(opt) == case["repr"]


@pytest.mark.parametrize("name", sorted(COMPOSITES))
def test_composite_scheduler(name, warnings_seen):
    case = COMPOSITES[name]
    opt, params = make_opt("sgd")
    scheds = [lr_scheduler.MEMBERS[c](opt, **o) for c, o in case["parts"]]
    if case["kind"] == "SequentialLR":
        sched = lr_scheduler.SequentialLR(opt, scheds, case["extra"]["milestones"])
    elif case["extra"].get("optimizer"):
        sched = lr_scheduler.ChainedScheduler(scheds, optimizer=opt)
    else:
        sched = lr_scheduler.ChainedScheduler(scheds)
    assert warnings_seen == case["init_warnings"]
    assert plain(sched.get_last_lr()) == case["init_last_lr"]
    assert group_values(opt) == case["init_groups"]
    _check_rows(name, case, lambda i: sched.step(), opt, params, sched, warnings_seen,
                extra=lambda: {"part_epochs": [s.last_epoch for s in scheds]})
    sd = sched.state_dict()
    assert list(sd) == case["state_keys"]
    assert [list(s) for s in sd["_schedulers"]] == case["part_state_keys"]
    assert {k: plain(v) for k, v in sd.items() if k != "_schedulers"} == case["state_dict"]


def test_composite_state_dict_round_trip():
    def build():
        opt, _ = make_opt("sgd")
        s1 = lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=3)
        s2 = lr_scheduler.ExponentialLR(opt, gamma=0.9)
        return opt, lr_scheduler.SequentialLR(opt, [s1, s2], milestones=[3])

    opt, sched = build()
    for _ in range(5):
        opt.step()
        sched.step()
    opt2, sched2 = build()
    opt2.load_state_dict(opt.state_dict())
    sched2.load_state_dict(sched.state_dict())
    assert sched2.last_epoch == sched.last_epoch
    assert [s.last_epoch for s in sched2._schedulers] == [s.last_epoch for s in
                                                          sched._schedulers]
    opt.step()
    sched.step()
    opt2.step()
    sched2.step()
    assert sched2.get_last_lr() == sched.get_last_lr()


def test_cyclic_lr_state_dict_round_trip():
    opt, _ = make_opt("sgd_m")
    sched = lr_scheduler.CyclicLR(opt, 0.01, 0.1, step_size_up=2, mode="exp_range",
                                  gamma=0.8)
    for _ in range(3):
        opt.step()
        sched.step()
    sd = sched.state_dict()
    assert "_scale_fn_ref" not in sd and list(sd)[-1] == "_scale_fn_custom"
    opt2, _ = make_opt("sgd_m")
    sched2 = lr_scheduler.CyclicLR(opt2, 0.01, 0.1, step_size_up=2)
    sched2.load_state_dict(sd)
    opt.step()
    sched.step()
    opt2.step()
    sched2.step()
    assert sched2.get_last_lr() == sched.get_last_lr()


# ------------------------------------------------------------------ errors

@pytest.mark.parametrize("snippet", FIX["snippets"], ids=lambda s: s["src"][:70])
def test_snippet(snippet, warnings_seen):
    p = api.zeros(2, requires_grad=True)
    q = api.ones(3, requires_grad=True)
    ns = {"optim": _Namespace(optim.MEMBERS), "p": p, "q": q, "nonleaf": p * 2,
          "t": api.zeros(2), "opt": optim.SGD([p]), "opt2": optim.SGD([q])}
    try:
        eval(snippet["src"], ns)  # noqa: S307 - the fixture's fixed snippets
    except AdcliError as e:
        assert "error" in snippet, f"raised {e.kind}: {e.message}"
        assert (e.kind, e.message) == (snippet["error"], snippet["message"])
        return
    assert "ok" in snippet, f"expected {snippet.get('error')}: {snippet.get('message')}"
    assert warnings_seen == snippet["warnings"]


@pytest.mark.parametrize("case", FIX["capturable"], ids=lambda c: c["name"])
def test_capturable_fails_on_cpu(case):
    p = api.zeros(2, requires_grad=True)
    p.grad = api.ones(2)
    opt = optim.MEMBERS[case["name"]]([p], capturable=True)
    with pytest.raises(AdcliError) as e:
        opt.step()
    assert (e.value.kind, e.value.message) == (case["error"], case["message"])


# ------------------------------------------------------------------ behaviour

NEW = ["Adadelta", "Adamax", "NAdam", "RAdam", "Rprop", "ASGD", "LBFGS"]
NEW_SCHEDULERS = ["CosineAnnealingWarmRestarts", "CyclicLR", "SequentialLR",
                  "ChainedScheduler", "PolynomialLR", "LinearLR", "OneCycleLR"]


def test_members_and_public_names():
    assert set(NEW) <= set(optim.MEMBERS)
    assert set(NEW_SCHEDULERS) <= set(optim.MEMBERS["lr_scheduler"])
    p = api.zeros(2, requires_grad=True)
    for name in NEW:
        cls = optim.MEMBERS[name]
        o = cls([p])
        for attr in cls.__adcli_public__:
            assert hasattr(o, attr), (name, attr)
    o = optim.SGD([p], lr=0.1, momentum=0.9)
    made = {
        "CosineAnnealingWarmRestarts": lambda: lr_scheduler.CosineAnnealingWarmRestarts(o, 3),
        "CyclicLR": lambda: lr_scheduler.CyclicLR(o, 0.01, 0.1),
        "SequentialLR": lambda: lr_scheduler.SequentialLR(
            o, [lr_scheduler.StepLR(o, 2), lr_scheduler.StepLR(o, 3)], [2]),
        "ChainedScheduler": lambda: lr_scheduler.ChainedScheduler(
            [lr_scheduler.StepLR(o, 2)]),
    }
    for name, make in made.items():
        s = make()
        for attr in type(s).__adcli_public__:
            assert hasattr(s, attr), (name, attr)


@pytest.mark.parametrize("name", ["Adadelta", "Adamax", "NAdam", "RAdam", "Rprop", "ASGD"])
def test_step_counts_versions_and_skips_missing_grads(name):
    p = api.ones(3, requires_grad=True)
    q = api.ones(2, requires_grad=True)
    opt = optim.MEMBERS[name]([p, q], lr=0.1)
    p.grad = api.ones(3)
    v0, w0 = p._version, q._version
    opt.step()
    assert p._version > v0 and q._version == w0
    assert q not in opt.state and q._data.tolist() == [1.0, 1.0]
    step = opt.state[p]["step"]
    assert step.dtype == api.float32 and step.shape == () and float(step) == 1.0


@pytest.mark.parametrize("name", NEW)
def test_training_decreases_the_loss(name):
    x = api.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.5, 0.2]])
    y = api.tensor([1.0, 2.0, 3.0, 1.2])
    w = api.zeros(2, requires_grad=True)
    b = api.zeros(1, requires_grad=True)
    lr = {"Adadelta": 1.0, "LBFGS": 0.5, "ASGD": 0.1, "Rprop": 0.05}.get(name, 0.05)
    opt = optim.MEMBERS[name]([w, b], lr=lr)

    def closure():
        opt.zero_grad()
        loss = (((x * w).sum(1) + b - y) ** 2).mean()
        loss.backward()
        return loss

    first = float(closure())
    for _ in range(5 if name == "LBFGS" else 80):
        opt.step(closure)
    assert float(closure()) < 0.5 * first
