# Learning-rate schedules side by side: print the lr each epoch, as the tutorials do.
import torch
import torch.nn as nn
from torch.optim import lr_scheduler as sched

torch.manual_seed(0)


def fresh(lr=0.1, opt="sgd"):
    model = nn.Linear(2, 1)
    if opt == "sgd":
        return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    return torch.optim.AdamW(model.parameters(), lr=lr)


def trace(name, make, steps=8, per_batch=False):
    opt = fresh()
    s = make(opt)
    lrs = []
    for _ in range(steps):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        s.step()
    print(f"{name:28s}", " ".join(f"{lr:.5f}" for lr in lrs))
    return opt, s


trace("StepLR(3, 0.5)", lambda o: sched.StepLR(o, step_size=3, gamma=0.5))
trace("MultiStepLR([2,5], 0.1)", lambda o: sched.MultiStepLR(o, milestones=[2, 5], gamma=0.1))
trace("ExponentialLR(0.8)", lambda o: sched.ExponentialLR(o, gamma=0.8))
trace("CosineAnnealingLR(8)", lambda o: sched.CosineAnnealingLR(o, T_max=8, eta_min=0.001))
trace("CosineWarmRestarts(3, 2)", lambda o: sched.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2), steps=10)
trace("LambdaLR(warmup)", lambda o: sched.LambdaLR(o, lambda e: min(1.0, (e + 1) / 4)))
trace("MultiplicativeLR(0.9)", lambda o: sched.MultiplicativeLR(o, lambda e: 0.9))
trace("LinearLR(0.25 -> 1, 4)", lambda o: sched.LinearLR(o, start_factor=0.25, total_iters=4))
trace("ConstantLR(0.5, 3)", lambda o: sched.ConstantLR(o, factor=0.5, total_iters=3))
trace("PolynomialLR(6, 2.0)", lambda o: sched.PolynomialLR(o, total_iters=6, power=2.0))
trace("OneCycleLR(1.0, 10)", lambda o: sched.OneCycleLR(o, max_lr=1.0, total_steps=10), steps=10)
trace("OneCycleLR linear", lambda o: sched.OneCycleLR(o, max_lr=0.5, total_steps=8,
                                                       anneal_strategy="linear", pct_start=0.25))
trace("CyclicLR(0.01, 0.1, 2)", lambda o: sched.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=2), steps=9)
trace("SequentialLR", lambda o: sched.SequentialLR(
    o, [sched.LinearLR(o, start_factor=0.1, total_iters=3), sched.ExponentialLR(o, gamma=0.5)],
    milestones=[3]))
opt, s = trace("ChainedScheduler", lambda o: sched.ChainedScheduler(
    [sched.ConstantLR(o, factor=0.5, total_iters=2), sched.ExponentialLR(o, gamma=0.9)]))
print("last lr:", [round(x, 6) for x in s.get_last_lr()])

# ReduceLROnPlateau reacts to a metric
opt = fresh(0.1)
plateau = sched.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1, threshold=0.01)
losses = [1.0, 0.8, 0.79, 0.795, 0.7, 0.71, 0.72, 0.73, 0.6]
for epoch, val in enumerate(losses):
    plateau.step(val)
    print(f"epoch {epoch} val {val:.3f} lr {opt.param_groups[0]['lr']:.4f} bad {plateau.num_bad_epochs}")

# per-parameter-group learning rates follow the scheduler together
model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
opt = torch.optim.SGD([{"params": model[0].parameters(), "lr": 0.1},
                       {"params": model[1].parameters()}], lr=0.01)
s = sched.StepLR(opt, step_size=1, gamma=0.1)
for _ in range(2):
    opt.step()
    s.step()
print([f"{g['lr']:.0e}" for g in opt.param_groups], [g["initial_lr"] for g in opt.param_groups])
print(s.state_dict()["last_epoch"], s.state_dict()["base_lrs"])

# stepping the scheduler before the optimizer warns
opt = fresh()
s = sched.StepLR(opt, 1)
s.step()
print("lr after early step:", opt.param_groups[0]["lr"])
