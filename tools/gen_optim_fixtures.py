"""Record torch.optim's results for tests/engine/test_optim.py: run with a Python that has
torch 2.13 (CPU).

    python tools/gen_optim_fixtures.py        # writes tests/engine/fixtures/optim.json

Everything adcli needs is explicit in the file, nothing random is left to the test:

- problems: the initial parameters and the gradient of every parameter at every step
  (``null``: the parameter has no gradient at that step), as float32 (or float64) bit
  patterns in hex;
- optimizer cases: the optimizer, its options (or param groups), and after every step
  the parameters' bits (one string of hex per parameter); then the final
  ``state_dict()`` (state tensors as bits, groups as JSON with tuples marked),
  ``repr(optimizer)`` and, for a closure, the losses returned.
  torch's CPU ``sqrt`` is MKL's vsSqrt, not correctly rounded (and not the same on every
  CPU); where the optimizer takes a sqrt the case also holds ``steps_exact_sqrt``: the
  same run with ``Tensor.sqrt`` replaced by a correctly rounded one, which isolates every
  other kernel's rounding for a bit-exact comparison;
- scheduler cases: the lr (and momentum / beta1) of every group after every step as
  ``float.hex``, the warnings, the final ``state_dict()`` and the optimizer's repr;
- snippets: short statements run against ``optim`` (and a few tensors) in both
  libraries: the exception's type and message, or the warnings.
"""

from __future__ import annotations

import json
import os
import warnings

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   "tests", "engine", "fixtures", "optim.json")
STEPS = 6
# 40 and 70 elements run ATen's vectorised loop (16 floats a vector here) and its tail
SHAPES = [(3,), (2, 3), (40,), (70,)]


def hexbits(a: np.ndarray) -> str:
    """The array's bit patterns, one hex string (8 digits a float32, 16 a float64)."""
    a = np.ascontiguousarray(a)
    view = np.uint64 if a.dtype == np.float64 else np.uint32
    width = 16 if a.dtype == np.float64 else 8
    return "".join(format(int(x), f"0{width}x") for x in a.reshape(-1).view(view))


def tensor_record(t: torch.Tensor) -> dict:
    a = t.detach().numpy()
    return {"dtype": str(t.dtype).removeprefix("torch."), "shape": list(a.shape),
            "bits": hexbits(a)}


def from_record(r: dict) -> torch.Tensor:
    dtype = np.float64 if r["dtype"] == "float64" else np.float32
    view = np.uint64 if dtype == np.float64 else np.uint32
    width = 16 if dtype == np.float64 else 8
    bits = r["bits"]
    a = np.array([int(bits[i:i + width], 16) for i in range(0, len(bits), width)],
                 dtype=view).view(dtype)
    return torch.from_numpy(a.reshape(r["shape"]).copy())


def plain(v):
    """A JSON form of a param-group value or a scheduler attribute."""
    if isinstance(v, tuple):
        return {"tuple": [plain(x) for x in v]}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {"dict": [[plain(k), plain(x)] for k, x in v.items()]}
    if isinstance(v, float):
        return {"float": v.hex()}
    if isinstance(v, torch.Tensor):
        return {"tensor": tensor_record(v)}
    return v


def make_problem(seed: int, dtype=np.float32, holes=False, shapes=SHAPES) -> dict:
    rng = np.random.default_rng(seed)
    params = []
    for shape in shapes:
        params.append((rng.standard_normal(shape) * 0.5).astype(dtype))
    grads = []
    for step in range(STEPS):
        row = []
        for i, shape in enumerate(shapes):
            if holes and (step + i) % 3 == 1:
                row.append(None)
                continue
            scale = 10.0 ** rng.integers(-3, 2)
            g = (rng.standard_normal(shape) * scale).astype(dtype)
            if step == 2:
                g.reshape(-1)[::5] = 0  # exact zeros: sqrt(0) + eps paths
            row.append(g)
        grads.append(row)
    return {"params": [{"dtype": np.dtype(dtype).name, "shape": list(p.shape),
                        "bits": hexbits(p)} for p in params],
            "grads": [[None if g is None else hexbits(g) for g in row] for row in grads]}


PROBLEMS = {
    "f32": make_problem(1),
    "f32b": make_problem(2),
    "holes": make_problem(3, holes=True),
    "f64": make_problem(4, dtype=np.float64, shapes=[(3,), (40,)]),
}

# name, optimizer, options (or {"groups": [...]} with "params" as indices), problem,
# extra: closure / reload_at / zero_grad
CASES = [
    ("sgd_plain", "SGD", {"lr": 0.1}, "f32"),
    ("sgd_default_lr", "SGD", {}, "f32b"),
    ("sgd_momentum", "SGD", {"lr": 0.05, "momentum": 0.9}, "f32"),
    ("sgd_dampening_wd", "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1,
                                 "weight_decay": 0.01}, "f32b"),
    ("sgd_nesterov", "SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True,
                             "weight_decay": 1e-3}, "f32"),
    ("sgd_maximize", "SGD", {"lr": 0.01, "momentum": 0.5, "maximize": True,
                             "weight_decay": 0.2}, "f32b"),
    ("sgd_holes", "SGD", {"lr": 0.1, "momentum": 0.9}, "holes"),
    ("sgd_f64", "SGD", {"lr": 0.03, "momentum": 0.7, "weight_decay": 0.1}, "f64"),
    ("sgd_groups", "SGD", {"groups": [{"params": [0, 2], "lr": 0.2},
                                      {"params": [1, 3], "momentum": 0.9}],
                           "lr": 0.01}, "f32"),
    ("sgd_closure", "SGD", {"lr": 0.1, "momentum": 0.3}, "f32", {"closure": True}),
    ("sgd_reload", "SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}, "f32b",
     {"reload_at": 3}),
    ("sgd_zero_grad_false", "SGD", {"lr": 0.1}, "f32", {"zero_grad": False}),
    ("adam_default", "Adam", {}, "f32"),
    ("adam_opts", "Adam", {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6}, "f32b"),
    ("adam_wd_amsgrad", "Adam", {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}, "f32"),
    ("adam_maximize", "Adam", {"lr": 0.003, "maximize": True}, "f32b"),
    ("adam_decoupled", "Adam", {"lr": 0.01, "weight_decay": 0.05,
                                "decoupled_weight_decay": True}, "f32"),
    ("adam_beta_large_weight", "Adam", {"lr": 0.02, "betas": (0.3, 0.4)}, "f32b"),
    ("adam_holes", "Adam", {"lr": 0.01}, "holes"),
    ("adam_f64", "Adam", {"lr": 0.01, "weight_decay": 0.01, "amsgrad": True}, "f64"),
    ("adam_groups", "Adam", {"groups": [{"params": [3, 1], "lr": 0.05, "amsgrad": True},
                                        {"params": [0], "betas": (0.5, 0.9)},
                                        {"params": [2], "weight_decay": 0.3}]}, "f32b"),
    ("adam_closure", "Adam", {"lr": 0.01}, "f32b", {"closure": True}),
    ("adam_reload", "Adam", {"lr": 0.01, "amsgrad": True}, "f32", {"reload_at": 2}),
    ("adamw_default", "AdamW", {}, "f32"),
    ("adamw_opts", "AdamW", {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True,
                             "maximize": True}, "f32b"),
    ("adamw_holes", "AdamW", {"lr": 0.05, "betas": (0.7, 0.95)}, "holes"),
    ("rmsprop_default", "RMSprop", {}, "f32"),
    ("rmsprop_centered_momentum", "RMSprop", {"lr": 0.01, "alpha": 0.9, "momentum": 0.9,
                                              "centered": True, "weight_decay": 0.01}, "f32b"),
    ("rmsprop_momentum", "RMSprop", {"lr": 0.005, "momentum": 0.5, "maximize": True}, "f32"),
    ("rmsprop_centered", "RMSprop", {"lr": 0.02, "alpha": 0.3, "centered": True}, "f32b"),
    ("rmsprop_holes", "RMSprop", {"lr": 0.01, "momentum": 0.2}, "holes"),
    ("rmsprop_f64", "RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.1}, "f64"),
    ("rmsprop_groups", "RMSprop", {"groups": [{"params": [0, 1], "centered": True},
                                              {"params": [2, 3], "alpha": 0.5}],
                                   "lr": 0.003}, "f32"),
    ("adagrad_default", "Adagrad", {}, "f32"),
    ("adagrad_opts", "Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.1,
                                 "initial_accumulator_value": 0.1, "eps": 1e-8}, "f32b"),
    ("adagrad_maximize", "Adagrad", {"lr": 0.05, "maximize": True, "lr_decay": 0.5}, "f32"),
    ("adagrad_holes", "Adagrad", {"lr": 0.05}, "holes"),
    ("adagrad_f64", "Adagrad", {"lr": 0.05, "lr_decay": 0.1}, "f64"),
    ("adagrad_groups", "Adagrad", {"groups": [{"params": [1], "lr": 0.3},
                                              {"params": [0, 2, 3], "lr_decay": 0.2}],
                                   "initial_accumulator_value": 0.5}, "f32b"),
    ("adagrad_closure", "Adagrad", {"lr": 0.1}, "f32", {"closure": True}),
]


def decode_options(opts: dict):
    """JSON options: tuples are {"tuple": [...]} (betas)."""
    out = {}
    for k, v in opts.items():
        if isinstance(v, dict) and "tuple" in v:
            v = tuple(v["tuple"])
        out[k] = v
    return out


def encode_options(opts: dict) -> dict:
    out = {}
    for k, v in opts.items():
        if k == "groups":
            out[k] = [encode_options(g) for g in v]
        elif isinstance(v, tuple):
            out[k] = {"tuple": list(v)}
        else:
            out[k] = v
    return out


def build(name: str, opts: dict, params: list):
    opts = dict(opts)
    cls = getattr(torch.optim, name)
    if "groups" in opts:
        groups = [dict(g, params=[params[i] for i in g["params"]]) for g in opts.pop("groups")]
        return cls(groups, **opts)
    return cls(params, **opts)


def state_record(opt) -> dict:
    sd = opt.state_dict()
    state = {str(k): {key: (tensor_record(v) if isinstance(v, torch.Tensor) else plain(v))
                      for key, v in st.items()} for k, st in sd["state"].items()}
    return {"state": state, "param_groups": [{k: plain(v) for k, v in g.items()}
                                             for g in sd["param_groups"]]}


_TORCH_SQRT = torch.Tensor.sqrt


def _exact_sqrt(self):
    """A correctly rounded sqrt: torch's CPU sqrt calls MKL's vsSqrt / vdSqrt (VML_HA),
    which rounds about a fifth of float32 results the other way (error <= 0.75 ulp)."""
    if not self.is_floating_point():
        return _TORCH_SQRT(self)
    return torch.from_numpy(np.sqrt(self.detach().numpy()))


def _exact_sqrt_(self):
    self.copy_(_exact_sqrt(self))
    return self


class exact_sqrt:
    """Within: Tensor.sqrt / sqrt_ are correctly rounded (the optimizers call those)."""

    def __enter__(self):
        self.saved = torch.Tensor.sqrt, torch.Tensor.sqrt_
        torch.Tensor.sqrt, torch.Tensor.sqrt_ = _exact_sqrt, _exact_sqrt_

    def __exit__(self, *exc):
        torch.Tensor.sqrt, torch.Tensor.sqrt_ = self.saved


def run_case(case) -> dict:
    rec = run_one(case)
    with exact_sqrt():
        exact = run_one(case)
    if exact["steps"] != rec["steps"]:
        rec["steps_exact_sqrt"] = exact["steps"]
        rec["state_dict_exact_sqrt"] = exact["state_dict"]
    return rec


def run_one(case) -> dict:
    name, opt_name, opts, problem = case[:4]
    extra = case[4] if len(case) > 4 else {}
    prob = PROBLEMS[problem]
    params = [from_record(r).requires_grad_(True) for r in prob["params"]]
    opt = build(opt_name, opts, params)
    rec = {"name": name, "optimizer": opt_name, "options": encode_options(opts),
           "problem": problem, "extra": extra, "repr": repr(opt), "steps": [], "losses": []}
    for step, row in enumerate(prob["grads"]):
        grads = [None if g is None else from_record({**r, "bits": g})
                 for g, r in zip(row, prob["params"])]
        if extra.get("reload_at") == step:
            sd = opt.state_dict()
            opt = build(opt_name, opts, params)
            opt.load_state_dict(sd)
        if extra.get("zero_grad") is False:
            opt.zero_grad(set_to_none=False)
            for p, g in zip(params, grads):
                if g is not None:
                    if p.grad is None:
                        p.grad = g.clone()
                    else:
                        p.grad.add_(g)
        else:
            opt.zero_grad()

            def set_grads(grads=grads):
                for p, g in zip(params, grads):
                    p.grad = None if g is None else g.clone()

            if not extra.get("closure"):
                set_grads()
        if extra.get("closure"):
            def closure(grads=grads, step=step):
                assert torch.is_grad_enabled()
                for p, g in zip(params, grads):
                    p.grad = None if g is None else g.clone()
                return float(step) * 1.5
            loss = opt.step(closure)
            rec["losses"].append(loss)
        else:
            opt.step()
        rec["steps"].append([hexbits(p.detach().numpy()) for p in params])
    rec["state_dict"] = state_record(opt)
    rec["repr_after"] = repr(opt)
    return rec


# ---------------------------------------------------------------- schedulers

LAMBDAS = {
    "pow095": lambda e: 0.95 ** e,
    "inv": lambda e: 1.0 / (e + 1),
    "const09": lambda e: 0.9,
}

# name, scheduler, options, steps (None: step(); an int: step(epoch)), optimizer,
# metrics for ReduceLROnPlateau
SCHEDULERS = [
    ("step", "StepLR", {"step_size": 3, "gamma": 0.5}, [None] * 12, "sgd"),
    ("step_epoch", "StepLR", {"step_size": 2, "gamma": 0.3}, [None, None, 7, None, 3], "sgd"),
    ("multistep", "MultiStepLR", {"milestones": [2, 5, 5, 9], "gamma": 0.3},
     [None] * 12, "sgd"),
    ("multistep_epoch", "MultiStepLR", {"milestones": [2, 5], "gamma": 0.1},
     [None, 6, None, 1], "sgd"),
    ("exponential", "ExponentialLR", {"gamma": 0.9}, [None] * 15, "sgd"),
    ("exponential_epoch", "ExponentialLR", {"gamma": 0.7}, [None, 4, None], "adam"),
    ("cosine", "CosineAnnealingLR", {"T_max": 7, "eta_min": 0.001}, [None] * 25, "sgd"),
    ("cosine_default", "CosineAnnealingLR", {"T_max": 10}, [None] * 12, "adam"),
    ("cosine_epoch", "CosineAnnealingLR", {"T_max": 5}, [None, 3, None, None], "sgd"),
    ("lambda", "LambdaLR", {"lr_lambda": "pow095"}, [None] * 8, "sgd"),
    ("lambda_list", "LambdaLR", {"lr_lambda": ["pow095", "inv"]}, [None] * 8, "sgd"),
    ("multiplicative", "MultiplicativeLR", {"lr_lambda": "const09"}, [None] * 8, "sgd"),
    ("constant", "ConstantLR", {"factor": 0.5, "total_iters": 3}, [None] * 6, "sgd"),
    ("linear", "LinearLR", {"start_factor": 0.25, "end_factor": 0.9, "total_iters": 6},
     [None] * 9, "sgd"),
    ("linear_default", "LinearLR", {}, [None] * 7, "adam"),
    ("polynomial", "PolynomialLR", {"total_iters": 6, "power": 2.0}, [None] * 8, "sgd"),
    ("onecycle", "OneCycleLR", {"max_lr": 0.5, "total_steps": 20}, [None] * 19, "sgd_m"),
    ("onecycle_adam", "OneCycleLR", {"max_lr": [0.01, 0.02], "epochs": 3,
                                     "steps_per_epoch": 5, "anneal_strategy": "linear"},
     [None] * 14, "adam"),
    ("onecycle_3phase", "OneCycleLR", {"max_lr": 0.3, "total_steps": 15,
                                       "three_phase": True, "pct_start": 0.25},
     [None] * 14, "sgd_m"),
    ("plateau", "ReduceLROnPlateau", {"patience": 2, "factor": 0.5, "cooldown": 1},
     [None] * 14, "sgd", [1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6,
                          0.6, 0.6]),
    ("plateau_max_abs", "ReduceLROnPlateau",
     {"mode": "max", "threshold_mode": "abs", "threshold": 0.1, "patience": 1,
      "min_lr": [0.02, 0.001], "factor": 0.3},
     [None] * 10, "sgd", [1.0, 1.05, 1.2, 1.25, 1.28, 1.0, 0.9, 2.0, 2.05, 2.0]),
]


def make_opt(kind: str):
    a = torch.zeros(2, requires_grad=True)
    b = torch.zeros(3, requires_grad=True)
    groups = [{"params": [a]}, {"params": [b], "lr": 0.05}]
    if kind == "sgd":
        opt = torch.optim.SGD(groups, lr=0.1)
    elif kind == "sgd_m":
        opt = torch.optim.SGD(groups, lr=0.1, momentum=0.9)
    else:
        opt = torch.optim.Adam(groups, lr=0.01)
    return opt, [a, b]


def decode_sched_options(opts: dict) -> dict:
    out = dict(opts)
    if "lr_lambda" in out:
        v = out["lr_lambda"]
        out["lr_lambda"] = [LAMBDAS[x] for x in v] if isinstance(v, list) else LAMBDAS[v]
    return out


def group_values(opt) -> list:
    out = []
    for g in opt.param_groups:
        row = {"lr": plain(g["lr"])}
        if "momentum" in g:
            row["momentum"] = plain(g["momentum"])
        if "betas" in g:
            row["betas"] = plain(g["betas"])
        out.append(row)
    return out


def run_scheduler(case) -> dict:
    name, cls_name, opts, steps, kind = case[:5]
    metrics = case[5] if len(case) > 5 else None
    opt, params = make_opt(kind)
    cls = getattr(torch.optim.lr_scheduler, cls_name)
    rec = {"name": name, "scheduler": cls_name, "options": opts, "steps": steps,
           "optimizer": kind, "metrics": metrics}
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        sched = cls(opt, **decode_sched_options(opts))
    rec["init_warnings"] = [str(x.message) for x in w]
    rec["init_last_lr"] = plain(sched.get_last_lr())
    rec["init_groups"] = group_values(opt)
    rows = []
    for i, epoch in enumerate(steps):
        for p in params:
            p.grad = torch.ones_like(p)
        opt.step()
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            if metrics is not None:
                sched.step(metrics[i])
            elif epoch is None:
                sched.step()
            else:
                sched.step(epoch)
        rows.append({"last_lr": plain(sched.get_last_lr()), "groups": group_values(opt),
                     "last_epoch": sched.last_epoch,
                     "warnings": [str(x.message) for x in w]})
    rec["rows"] = rows
    sd = sched.state_dict()
    rec["state_dict"] = {k: plain(v) for k, v in sd.items()
                         if k not in ("lr_lambdas", "milestones")}
    rec["state_keys"] = list(sd.keys())
    if "milestones" in sd:
        rec["milestones"] = sorted(sd["milestones"].elements())
    rec["repr"] = repr(opt)
    return rec


# ---------------------------------------------------------------- snippets

# run with: optim, p (a leaf requiring grad), q (another), nonleaf (p * 2), t (a tensor not
# requiring grad); "opt" is bound to the value of a snippet that starts with "opt = "
SNIPPETS = [
    "optim.SGD([p], lr=-1)",
    "optim.SGD([p], lr=0.1, momentum=-1)",
    "optim.SGD([p], lr=0.1, weight_decay=-0.5)",
    "optim.SGD([p], lr=0.1, nesterov=True)",
    "optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True)",
    "optim.SGD([p], 1e-3, 0.9, 0.1, 0, True)",
    "optim.SGD([], lr=0.1)",
    "optim.Adam([])",
    "optim.SGD([nonleaf], lr=0.1)",
    "optim.SGD(p, lr=0.1)",
    "optim.SGD(t, lr=0.1)",
    "optim.SGD(5, lr=0.1)",
    "optim.SGD([1], lr=0.1)",
    "optim.SGD([p, 'x'], lr=0.1)",
    "optim.SGD([p, p], lr=0.1)",
    "optim.SGD([{'params': [p]}, {'params': [p]}], lr=0.1)",
    "optim.SGD([{'params': p}, {'params': [q], 'lr': 0.5}], lr=0.1)",
    "optim.SGD([{'params': {p}}], lr=0.1)",
    "optim.SGD([p], lr='a')",
    "optim.SGD([p]).add_param_group(3)",
    "optim.SGD([p]).add_param_group({'lr': 3})",
    "optim.SGD([p]).add_param_group({'params': [q], 'lr': 0.5})",
    "optim.SGD([p]).add_param_group({'params': [p]})",
    "optim.SGD([p]).load_state_dict({'state': {}, 'param_groups': []})",
    "optim.SGD([p]).load_state_dict({'state': {}, 'param_groups': [{'params': [0, 1]}]})",
    "optim.SGD([p], lr=0.1, fused=True, foreach=True)",
    "optim.Adam([p], lr=-0.5)",
    "optim.Adam([p], betas=(1.0, 0.9))",
    "optim.Adam([p], betas=(0.9, 1))",
    "optim.Adam([p], betas=(-0.1, 0.9))",
    "optim.Adam([p], betas=(0, 0.9))",
    "optim.Adam([p], eps=-1)",
    "optim.Adam([p], weight_decay=-1)",
    "optim.AdamW([p], lr=-1)",
    "optim.AdamW([p], betas=(0.9, 1.5))",
    "optim.RMSprop([p], alpha=-1)",
    "optim.RMSprop([p], lr=-1)",
    "optim.RMSprop([p], momentum=-1)",
    "optim.RMSprop([p], eps=-1)",
    "optim.Adagrad([p], lr_decay=-1)",
    "optim.Adagrad([p], initial_accumulator_value=-1)",
    "optim.Adagrad([p], lr=-1)",
    "optim.Adagrad([p], weight_decay=-1)",
    "optim.lr_scheduler.StepLR(5, 3)",
    "optim.lr_scheduler.StepLR(optim.SGD([p]), 3, last_epoch=4)",
    "optim.lr_scheduler.ReduceLROnPlateau(optim.SGD([p]), factor=1.0)",
    "optim.lr_scheduler.ReduceLROnPlateau(optim.SGD([p]), mode='x')",
    "optim.lr_scheduler.ReduceLROnPlateau(optim.SGD([p]), threshold_mode='x')",
    "optim.lr_scheduler.ReduceLROnPlateau(optim.SGD([p, q]), min_lr=[0.1, 0.2])",
    "optim.lr_scheduler.LambdaLR(optim.SGD([p]), [1, 2])",
    "optim.lr_scheduler.MultiplicativeLR(optim.SGD([p]), 3)",
    "optim.lr_scheduler.LinearLR(optim.SGD([p]), start_factor=0)",
    "optim.lr_scheduler.LinearLR(optim.SGD([p]), end_factor=2)",
    "optim.lr_scheduler.ConstantLR(optim.SGD([p]), factor=2)",
    "optim.lr_scheduler.OneCycleLR(optim.SGD([p]), 0.1)",
    "optim.lr_scheduler.OneCycleLR(optim.SGD([p]), 0.1, total_steps=0)",
    "optim.lr_scheduler.OneCycleLR(optim.SGD([p]), 0.1, total_steps=10, pct_start=1.5)",
    "optim.lr_scheduler.OneCycleLR(optim.SGD([p]), 0.1, total_steps=10, anneal_strategy='x')",
    "optim.lr_scheduler.OneCycleLR(optim.SGD([p]), [0.1, 0.2], total_steps=10)",
    "optim.lr_scheduler.OneCycleLR(optim.Adagrad([p]), 0.1, total_steps=10)",
    "optim.lr_scheduler.StepLR(optim.SGD([p]), 3).get_lr()",
    "optim.lr_scheduler.ExponentialLR(optim.SGD([p]), 0.5).step(3)",
    "optim.lr_scheduler.ExponentialLR(optim.SGD([p]), 0.5).step()",
]


def run_snippet(src: str, ns: dict) -> dict:
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            eval(src, dict(ns))  # noqa: S307 - fixed snippets from this file
        except Exception as e:  # noqa: BLE001
            return {"src": src, "error": type(e).__name__,
                    "message": e.args[0] if isinstance(e, KeyError) else str(e)}
    return {"src": src, "ok": True, "warnings": [str(x.message) for x in w]}


def main() -> None:
    torch.manual_seed(0)
    cases = [run_case(c) for c in CASES]
    schedulers = [run_scheduler(c) for c in SCHEDULERS]
    p = torch.zeros(2, requires_grad=True)
    q = torch.ones(3, requires_grad=True)
    ns = {"optim": torch.optim, "p": p, "q": q, "nonleaf": p * 2, "t": torch.zeros(2)}
    snippets = [run_snippet(s, ns) for s in SNIPPETS]
    data = {"torch": torch.__version__, "problems": PROBLEMS, "cases": cases,
            "schedulers": schedulers, "snippets": snippets}
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=None, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {OUT}: {len(cases)} optimizer cases, {len(schedulers)} schedulers, "
          f"{len(snippets)} snippets")


if __name__ == "__main__":
    main()
