"""Record torch.optim's results for tests/engine/test_optim_more.py (Adadelta, Adamax,
NAdam, RAdam, Rprop, ASGD, LBFGS and the schedulers CosineAnnealingWarmRestarts, CyclicLR,
SequentialLR, ChainedScheduler, PolynomialLR, LinearLR, OneCycleLR): run with a Python
that has torch 2.13 (CPU).

    python tools/gen_optim_more_fixtures.py   # writes tests/engine/fixtures/optim_more.json

The layout is tools/gen_optim_fixtures.py's (its problems, helpers and record formats are
reused): optimizer cases on the same recorded gradients, each also run with a correctly
rounded sqrt where torch's (MKL's) differs; LBFGS cases, whose closure computes a small
loss from the parameters (elementwise ops and sums only); scheduler cases; and snippets of
errors. Nothing is computed by adcli here.
"""

from __future__ import annotations

import json
import os
import sys
import warnings

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import gen_optim_fixtures as G  # noqa: E402


def _exact_sqrt(self):
    """gen_optim_fixtures' correctly rounded sqrt, for 0-dim tensors too (L-BFGS's line
    search takes the sqrt of one)."""
    if not self.is_floating_point():
        return G._TORCH_SQRT(self)
    return torch.from_numpy(np.asarray(np.sqrt(self.detach().numpy())))


G._exact_sqrt = _exact_sqrt

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   "tests", "engine", "fixtures", "optim_more.json")

CASES = [
    ("adadelta_default", "Adadelta", {}, "f32"),
    ("adadelta_opts", "Adadelta", {"lr": 0.5, "rho": 0.8, "eps": 1e-5,
                                   "weight_decay": 0.1}, "f32b"),
    ("adadelta_maximize", "Adadelta", {"lr": 2.0, "maximize": True}, "f32"),
    ("adadelta_holes", "Adadelta", {"rho": 0.95}, "holes"),
    ("adadelta_f64", "Adadelta", {"lr": 0.7, "weight_decay": 0.01}, "f64"),
    ("adadelta_groups", "Adadelta", {"groups": [{"params": [0, 2], "lr": 0.3},
                                                {"params": [1, 3], "rho": 0.5}]}, "f32b"),
    ("adamax_default", "Adamax", {}, "f32"),
    ("adamax_opts", "Adamax", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6,
                               "weight_decay": 0.05}, "f32b"),
    ("adamax_maximize", "Adamax", {"lr": 0.02, "maximize": True, "betas": (0.3, 0.5)}, "f32"),
    ("adamax_holes", "Adamax", {"lr": 0.01}, "holes"),
    ("adamax_f64", "Adamax", {"lr": 0.01, "weight_decay": 0.01}, "f64"),
    ("adamax_closure", "Adamax", {"lr": 0.01}, "f32b", {"closure": True}),
    ("adamax_reload", "Adamax", {"lr": 0.01}, "f32", {"reload_at": 3}),
    ("nadam_default", "NAdam", {}, "f32"),
    ("nadam_opts", "NAdam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6,
                             "momentum_decay": 0.01}, "f32b"),
    ("nadam_wd", "NAdam", {"lr": 0.01, "weight_decay": 0.1}, "f32"),
    ("nadam_decoupled", "NAdam", {"lr": 0.01, "weight_decay": 0.1,
                                  "decoupled_weight_decay": True}, "f32b"),
    ("nadam_maximize", "NAdam", {"lr": 0.005, "maximize": True, "betas": (0.3, 0.6)}, "f32"),
    ("nadam_holes", "NAdam", {"lr": 0.01}, "holes"),
    ("nadam_f64", "NAdam", {"lr": 0.01, "weight_decay": 0.01}, "f64"),
    ("nadam_groups", "NAdam", {"groups": [{"params": [3, 1], "lr": 0.05},
                                          {"params": [0, 2], "momentum_decay": 0.1}]},
     "f32b"),
    ("nadam_reload", "NAdam", {"lr": 0.01}, "f32", {"reload_at": 2}),
    ("radam_default", "RAdam", {}, "f32"),
    # beta2 = 0.5: rho_t passes 5 from the second step, the rectified branch
    ("radam_rect", "RAdam", {"lr": 0.01, "betas": (0.9, 0.5)}, "f32b"),
    ("radam_rect_wd", "RAdam", {"lr": 0.01, "betas": (0.8, 0.6), "weight_decay": 0.1},
     "f32"),
    ("radam_decoupled", "RAdam", {"lr": 0.01, "betas": (0.9, 0.5), "weight_decay": 0.1,
                                  "decoupled_weight_decay": True}, "f32b"),
    ("radam_maximize", "RAdam", {"lr": 0.02, "maximize": True, "betas": (0.5, 0.5)}, "f32"),
    ("radam_holes", "RAdam", {"lr": 0.01, "betas": (0.9, 0.5)}, "holes"),
    ("radam_f64", "RAdam", {"lr": 0.01, "betas": (0.9, 0.5), "eps": 1e-6}, "f64"),
    ("radam_reload", "RAdam", {"lr": 0.01, "betas": (0.9, 0.5)}, "f32", {"reload_at": 3}),
    ("rprop_default", "Rprop", {}, "f32"),
    ("rprop_opts", "Rprop", {"lr": 0.05, "etas": (0.3, 1.5), "step_sizes": (1e-3, 0.1)},
     "f32b"),
    ("rprop_maximize", "Rprop", {"lr": 0.02, "maximize": True}, "f32"),
    ("rprop_holes", "Rprop", {"lr": 0.01}, "holes"),
    ("rprop_f64", "Rprop", {"lr": 0.03, "step_sizes": (1e-4, 0.05)}, "f64"),
    ("rprop_zero_grad_false", "Rprop", {"lr": 0.01}, "f32b", {"zero_grad": False}),
    ("asgd_default", "ASGD", {}, "f32"),
    ("asgd_averaging", "ASGD", {"lr": 0.05, "lambd": 0.01, "alpha": 0.5, "t0": 2},
     "f32b"),
    ("asgd_wd", "ASGD", {"lr": 0.02, "weight_decay": 0.1, "t0": 1, "maximize": True}, "f32"),
    ("asgd_holes", "ASGD", {"lr": 0.05, "t0": 2}, "holes"),
    ("asgd_f64", "ASGD", {"lr": 0.05, "lambd": 0.001, "t0": 3}, "f64"),
    ("asgd_reload", "ASGD", {"lr": 0.05, "t0": 1}, "f32", {"reload_at": 3}),
]

def run_case(case) -> dict:
    """gen_optim_fixtures' run_case, keeping the exact-sqrt run also where only the state
    differs (a float64 sqrt one ulp off can vanish in the parameter's rounding)."""
    rec = G.run_one(case)
    with G.exact_sqrt():
        exact = G.run_one(case)
    if exact["steps"] != rec["steps"] or exact["state_dict"] != rec["state_dict"]:
        rec["steps_exact_sqrt"] = exact["steps"]
        rec["state_dict_exact_sqrt"] = exact["state_dict"]
    return rec


# ---------------------------------------------------------------- LBFGS

# the problems: parameters (float32 lists) and a loss of elementwise ops and sums
LBFGS_PROBLEMS = {
    "rosenbrock": [[-1.5, 2.0]],
    "quad3": [[0.5, -0.3], [0.1]],
    "quartic4": [[1.5, -0.5, 0.25, 2.0]],
}


def lbfgs_loss(name: str, params: list):
    if name == "rosenbrock":
        x = params[0]
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
    if name == "quad3":
        w, b = params
        xs = torch.tensor([[1.0, 2.0], [0.5, -1.0], [2.0, 0.3], [-1.0, 0.7]])
        y = torch.tensor([1.0, -0.5, 2.0, 0.25])
        return (((xs * w).sum(1) + b - y) ** 2).mean()
    x = params[0]
    c = torch.tensor([1.0, 2.0, -1.0, 0.5])
    d = x - c
    return (d * d * d * d).sum() + 0.5 * (d ** 2).sum() + (x[0] * x[1] - 0.5) ** 2


# name, problem, options, number of step() calls
LBFGS_CASES = [
    ("lbfgs_rosen", "rosenbrock", {}, 4),
    ("lbfgs_rosen_hist2", "rosenbrock", {"history_size": 2, "max_iter": 10}, 4),
    ("lbfgs_rosen_wolfe_hist2", "rosenbrock", {"line_search_fn": "strong_wolfe",
                                               "history_size": 2}, 3),
    ("lbfgs_quad_wolfe", "quad3", {"lr": 0.8, "max_iter": 7,
                                   "line_search_fn": "strong_wolfe"}, 4),
    ("lbfgs_quad_lr", "quad3", {"lr": 0.1, "max_iter": 5, "max_eval": 4}, 3),
    ("lbfgs_quartic", "quartic4", {"max_iter": 6, "tolerance_change": 1e-6}, 4),
    ("lbfgs_quartic_wolfe", "quartic4", {"line_search_fn": "strong_wolfe", "max_iter": 8},
     3),
    ("lbfgs_one_iter", "quartic4", {"max_iter": 1}, 5),
]


def lbfgs_state_record(opt) -> dict:
    sd = opt.state_dict()
    state = {}
    for k, st in sd["state"].items():
        state[str(k)] = {key: G.plain(v) for key, v in st.items()}
    return {"state": state, "param_groups": [{k: G.plain(v) for k, v in g.items()}
                                             for g in sd["param_groups"]]}


def run_lbfgs(case) -> dict:
    name, problem, opts, steps = case
    params = [torch.tensor(v, requires_grad=True) for v in LBFGS_PROBLEMS[problem]]
    opt = torch.optim.LBFGS(params, **opts)
    rec = {"name": name, "problem": problem, "options": opts, "repr": repr(opt),
           "steps": [], "losses": [], "evals": []}
    evals = [0]

    def closure():
        assert torch.is_grad_enabled()
        evals[0] += 1
        opt.zero_grad()
        loss = lbfgs_loss(problem, params)
        loss.backward()
        return loss

    for _ in range(steps):
        loss = opt.step(closure)
        rec["losses"].append(G.hexbits(loss.detach().numpy()))
        rec["steps"].append([G.hexbits(p.detach().numpy()) for p in params])
        rec["evals"].append(evals[0])
    rec["state_dict"] = lbfgs_state_record(opt)
    return rec


def run_lbfgs_case(case) -> dict:
    rec = run_lbfgs(case)
    with G.exact_sqrt():
        exact = run_lbfgs(case)
    if exact["steps"] != rec["steps"] or exact["losses"] != rec["losses"]:
        rec["exact_sqrt"] = exact
    return rec


# ---------------------------------------------------------------- schedulers

# scheduler cases in gen_optim_fixtures' format (the optimizers of its make_opt)
SCHEDULERS = [
    ("cawr", "CosineAnnealingWarmRestarts", {"T_0": 3, "T_mult": 2, "eta_min": 0.001},
     [None] * 16, "sgd"),
    ("cawr_default", "CosineAnnealingWarmRestarts", {"T_0": 4}, [None] * 10, "adam"),
    ("cawr_epoch", "CosineAnnealingWarmRestarts", {"T_0": 2, "T_mult": 3},
     [None, 5, 7.5, None, 20, None, 1], "sgd"),
    ("cawr_epoch_mult1", "CosineAnnealingWarmRestarts", {"T_0": 3}, [None, 7, None, 2],
     "sgd"),
    ("cyclic", "CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 3},
     [None] * 14, "sgd_m"),
    ("cyclic_tri2", "CyclicLR", {"base_lr": [0.01, 0.02], "max_lr": 0.1, "step_size_up": 2,
                                 "step_size_down": 3, "mode": "triangular2"},
     [None] * 14, "sgd_m"),
    ("cyclic_exp", "CyclicLR", {"base_lr": 0.01, "max_lr": [0.1, 0.2], "step_size_up": 2,
                                "mode": "exp_range", "gamma": 0.9, "base_momentum": 0.7,
                                "max_momentum": 0.95}, [None] * 12, "sgd_m"),
    ("cyclic_adam", "CyclicLR", {"base_lr": 0.001, "max_lr": 0.01, "step_size_up": 2},
     [None] * 8, "adam"),
    ("cyclic_no_momentum", "CyclicLR", {"base_lr": 0.001, "max_lr": 0.01, "step_size_up": 4,
                                        "cycle_momentum": False}, [None] * 9, "sgd"),
    ("polynomial_sqrt", "PolynomialLR", {"total_iters": 4, "power": 0.5}, [None] * 6, "sgd"),
    ("polynomial_epoch", "PolynomialLR", {"total_iters": 5}, [None, 3, None, 9], "sgd"),
    ("linear_down", "LinearLR", {"start_factor": 0.5, "end_factor": 0.2, "total_iters": 4},
     [None] * 6, "sgd"),
    ("linear_epoch", "LinearLR", {"start_factor": 0.1, "total_iters": 4}, [None, 2, None],
     "sgd"),
    ("onecycle_adam_cos", "OneCycleLR", {"max_lr": 0.1, "total_steps": 8}, [None] * 7,
     "adam"),
    ("onecycle_no_momentum", "OneCycleLR", {"max_lr": [0.1, 0.3], "total_steps": 10,
                                            "cycle_momentum": False, "div_factor": 10.0,
                                            "final_div_factor": 100.0}, [None] * 9, "sgd"),
]

# composite schedulers: name, kind, parts [(scheduler, options)], extra (milestones or
# optimizer=True), steps
COMPOSITES = [
    ("sequential", "SequentialLR", [("LinearLR", {"start_factor": 0.1, "total_iters": 3}),
                                    ("ExponentialLR", {"gamma": 0.9})], {"milestones": [3]},
     8),
    ("sequential3", "SequentialLR", [("ConstantLR", {"factor": 0.5, "total_iters": 2}),
                                     ("CosineAnnealingLR", {"T_max": 4}),
                                     ("StepLR", {"step_size": 2, "gamma": 0.5})],
     {"milestones": [2, 5]}, 10),
    ("chained", "ChainedScheduler", [("ConstantLR", {"factor": 0.5, "total_iters": 3}),
                                     ("ExponentialLR", {"gamma": 0.9})], {}, 6),
    ("chained_opt", "ChainedScheduler", [("LinearLR", {"start_factor": 0.5,
                                                       "total_iters": 4}),
                                         ("MultiStepLR", {"milestones": [2, 4],
                                                          "gamma": 0.3})],
     {"optimizer": True}, 6),
]


def run_composite(case) -> dict:
    name, kind, parts, extra, steps = case
    opt, params = G.make_opt("sgd")
    rec = {"name": name, "kind": kind, "parts": parts, "extra": extra, "steps": steps}
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        scheds = [getattr(torch.optim.lr_scheduler, c)(opt, **o) for c, o in parts]
        if kind == "SequentialLR":
            sched = torch.optim.lr_scheduler.SequentialLR(opt, scheds, extra["milestones"])
        elif extra.get("optimizer"):
            sched = torch.optim.lr_scheduler.ChainedScheduler(scheds, optimizer=opt)
        else:
            sched = torch.optim.lr_scheduler.ChainedScheduler(scheds)
    rec["init_warnings"] = [str(x.message) for x in w]
    rec["init_last_lr"] = G.plain(sched.get_last_lr())
    rec["init_groups"] = G.group_values(opt)
    rows = []
    for _ in range(steps):
        for p in params:
            p.grad = torch.ones_like(p)
        opt.step()
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            sched.step()
        rows.append({"last_lr": G.plain(sched.get_last_lr()), "groups": G.group_values(opt),
                     "last_epoch": getattr(sched, "last_epoch", None),
                     "part_epochs": [s.last_epoch for s in scheds],
                     "warnings": [str(x.message) for x in w]})
    rec["rows"] = rows
    sd = sched.state_dict()
    rec["state_keys"] = list(sd.keys())
    rec["part_state_keys"] = [list(s.keys()) for s in sd["_schedulers"]]
    rec["state_dict"] = {k: G.plain(v) for k, v in sd.items() if k != "_schedulers"}
    return rec


SNIPPETS = [
    "optim.Adadelta([p], lr=-1)",
    "optim.Adadelta([p], rho=1.5)",
    "optim.Adadelta([p], rho=-0.1)",
    "optim.Adadelta([p], eps=-1)",
    "optim.Adadelta([p], weight_decay=-1)",
    "optim.Adamax([p], lr=-1)",
    "optim.Adamax([p], eps=-1)",
    "optim.Adamax([p], betas=(1.0, 0.9))",
    "optim.Adamax([p], betas=(0.9, 1.0))",
    "optim.Adamax([p], weight_decay=-1)",
    "optim.NAdam([p], lr=-1)",
    "optim.NAdam([p], betas=(0.9, -1))",
    "optim.NAdam([p], momentum_decay=-1)",
    "optim.NAdam([p], eps=-1e-8)",
    "optim.NAdam([p], weight_decay=-2)",
    "optim.RAdam([p], lr=-1)",
    "optim.RAdam([p], betas=(-0.5, 0.9))",
    "optim.RAdam([p], eps=-1)",
    "optim.RAdam([p], weight_decay=-1)",
    "optim.Rprop([p], lr=-1)",
    "optim.Rprop([p], etas=(1.2, 0.5))",
    "optim.Rprop([p], etas=(0.0, 1.2))",
    "optim.Rprop([p], etas=(0.5, 1.0))",
    "optim.ASGD([p], lr=-1)",
    "optim.ASGD([p], weight_decay=-1)",
    "optim.LBFGS([p], lr=-1)",
    "optim.LBFGS([{'params': [p]}, {'params': [q]}])",
    "optim.Adadelta([])",
    "optim.NAdam([nonleaf])",
    "optim.lr_scheduler.CosineAnnealingWarmRestarts(optim.SGD([p]), T_0=0)",
    "optim.lr_scheduler.CosineAnnealingWarmRestarts(optim.SGD([p]), T_0=2.5)",
    "optim.lr_scheduler.CosineAnnealingWarmRestarts(optim.SGD([p]), T_0=2, T_mult=0)",
    "optim.lr_scheduler.CosineAnnealingWarmRestarts(optim.SGD([p]), T_0=2, eta_min='x')",
    "optim.lr_scheduler.CosineAnnealingWarmRestarts(optim.SGD([p]), T_0=2).step(-1)",
    "optim.lr_scheduler.CyclicLR(optim.SGD([p]), 0.1, 1.0, mode='foo')",
    "optim.lr_scheduler.CyclicLR(optim.Adagrad([p]), 0.1, 1.0)",
    "optim.lr_scheduler.CyclicLR(optim.SGD([p]), [0.1, 0.2], 1.0)",
    "optim.lr_scheduler.CyclicLR(optim.SGD([p], momentum=0.9), 0.1, 1.0).get_lr()",
    "optim.lr_scheduler.SequentialLR(optim.SGD([p]), [], [])",
    "optim.lr_scheduler.ChainedScheduler([])",
    "optim.lr_scheduler.SequentialLR(opt, [optim.lr_scheduler.StepLR(opt, 2), "
    "optim.lr_scheduler.StepLR(opt, 3)], [1, 2])",
    "optim.lr_scheduler.SequentialLR(opt, [optim.lr_scheduler.StepLR(opt, 2), "
    "optim.lr_scheduler.StepLR(opt2, 3)], [1])",
    "optim.lr_scheduler.SequentialLR(opt, [optim.lr_scheduler.StepLR(opt, 2), "
    "optim.lr_scheduler.ReduceLROnPlateau(opt)], [1])",
    "optim.lr_scheduler.ChainedScheduler([optim.lr_scheduler.StepLR(opt, 2), "
    "optim.lr_scheduler.ReduceLROnPlateau(opt)])",
    "optim.lr_scheduler.ChainedScheduler([optim.lr_scheduler.StepLR(opt, 2), 5])",
]

# step() with capturable=True on CPU parameters: torch's AssertionError
CAPTURABLE = ["Adadelta", "Adamax", "NAdam", "RAdam", "Rprop", "ASGD"]


def run_capturable(name: str) -> dict:
    p = torch.zeros(2, requires_grad=True)
    p.grad = torch.ones(2)
    opt = getattr(torch.optim, name)([p], capturable=True)
    try:
        opt.step()
    except Exception as e:  # noqa: BLE001
        return {"name": name, "error": type(e).__name__, "message": str(e)}
    return {"name": name, "ok": True}


def main() -> None:
    torch.manual_seed(0)
    cases = [run_case(c) for c in CASES]
    lbfgs = [run_lbfgs_case(c) for c in LBFGS_CASES]
    schedulers = [G.run_scheduler(c) for c in SCHEDULERS]
    composites = [run_composite(c) for c in COMPOSITES]
    p = torch.zeros(2, requires_grad=True)
    q = torch.ones(3, requires_grad=True)
    ns = {"optim": torch.optim, "p": p, "q": q, "nonleaf": p * 2, "t": torch.zeros(2),
          "opt": torch.optim.SGD([p]), "opt2": torch.optim.SGD([q])}
    snippets = [G.run_snippet(s, ns) for s in SNIPPETS]
    capturable = [run_capturable(n) for n in CAPTURABLE]
    data = {"torch": torch.__version__, "problems": G.PROBLEMS, "cases": cases,
            "lbfgs": lbfgs, "schedulers": schedulers, "composites": composites,
            "snippets": snippets, "capturable": capturable}
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=None, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {OUT}: {len(cases)} optimizer cases, {len(lbfgs)} LBFGS, "
          f"{len(schedulers) + len(composites)} schedulers, {len(snippets)} snippets")


if __name__ == "__main__":
    main()
