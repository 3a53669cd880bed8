"""Handout: L-BFGS with a closure, and learning-rate schedules that restart, cycle and chain.

L-BFGS re-evaluates the loss several times per step, so step() takes a closure (as in the
neural style transfer tutorial); the strong Wolfe line search makes it robust on the
Rosenbrock valley. Then the schedulers: cosine annealing with warm restarts, CyclicLR in
its three modes with momentum cycling, SequentialLR for warmup-then-decay, and
ChainedScheduler, printed epoch by epoch.
"""
import torch
import torch.optim as optim
from torch.optim import lr_scheduler


def rosenbrock(xy):
    x, y = xy[0], xy[1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


# --- L-BFGS on the Rosenbrock function ---------------------------------------------------------
for line_search in [None, "strong_wolfe"]:
    point = torch.tensor([-1.5, 2.0], requires_grad=True)
    opt = optim.LBFGS([point], lr=1, max_iter=20, history_size=2, line_search_fn=line_search)
    calls = 0

    def closure(opt=opt, point=point):
        global calls
        calls += 1
        opt.zero_grad()
        loss = rosenbrock(point)
        loss.backward()
        return loss

    for step in range(3):
        loss = opt.step(closure)
        print(f"{line_search} step {step}: loss {loss.item():.6f} point {point.detach()}")
    state = opt.state[point]
    print("closure calls:", calls, "func_evals:", state["func_evals"], "n_iter:", state["n_iter"])
    print(sorted(state.keys()))
print(opt)

# --- L-BFGS fitting a tiny least-squares problem -----------------------------------------------
X = torch.tensor([[1.0, 2.0], [0.5, -1.0], [2.0, 0.3], [-1.0, 0.7]])
target = torch.tensor([1.0, -0.5, 2.0, 0.25])
w = torch.tensor([0.5, -0.3], requires_grad=True)
b = torch.tensor([0.1], requires_grad=True)
opt = optim.LBFGS([w, b], lr=0.8, max_iter=7, line_search_fn="strong_wolfe")


def fit_closure():
    opt.zero_grad()
    loss = (((X * w).sum(1) + b - target) ** 2).mean()
    loss.backward()
    return loss


for step in range(3):
    loss = opt.step(fit_closure)
    print(f"fit step {step}: loss {loss.item():.6f}", w.detach(), b.detach())

try:
    optim.LBFGS([{"params": [w]}, {"params": [b]}])
except ValueError as e:
    print("ValueError:", e)


# --- schedulers ----------------------------------------------------------------------------------
def sgd(lr=0.1, momentum=0.9):
    param = torch.zeros(2, requires_grad=True)
    return optim.SGD([param], lr=lr, momentum=momentum), param


def run(title, opt, param, sched, epochs, show_momentum=False):
    lrs, moms = [], []
    for _epoch in range(epochs):
        param.grad = torch.ones_like(param)
        opt.step()
        sched.step()
        lrs.append(round(sched.get_last_lr()[0], 5))
        moms.append(round(opt.param_groups[0]["momentum"], 4))
    print(title, lrs)
    if show_momentum:
        print("  momentum", moms)


opt, p = sgd()
run("warm restarts T_0=3 T_mult=2:", opt, p,
    lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=0.001), 12)

opt, p = sgd()
sched = lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=4)
for epoch in range(2):
    for i in range(4):
        p.grad = torch.ones_like(p)
        opt.step()
        sched.step(epoch + i / 4)
    print("fractional epochs:", epoch, sched.get_last_lr(), sched.T_cur, sched.T_i)

for mode in ["triangular", "triangular2", "exp_range"]:
    opt, p = sgd()
    run(f"CyclicLR {mode}:", opt, p,
        lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2, mode=mode,
                              gamma=0.9), 10, show_momentum=True)

opt, p = sgd()
warmup = lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=3)
decay = lr_scheduler.ExponentialLR(opt, gamma=0.8)
run("warmup then decay:", opt, p, lr_scheduler.SequentialLR(opt, [warmup, decay], [3]), 8)

opt, p = sgd()
chained = lr_scheduler.ChainedScheduler([
    lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=2),
    lr_scheduler.ExponentialLR(opt, gamma=0.9),
])
run("chained:", opt, p, chained, 6)
print(sorted(chained.state_dict().keys()), len(chained.state_dict()["_schedulers"]))

opt, p = sgd()
run("polynomial:", opt, p, lr_scheduler.PolynomialLR(opt, total_iters=4, power=2.0), 6)
opt, p = sgd()
run("one cycle:", opt, p, lr_scheduler.OneCycleLR(opt, max_lr=0.5, total_steps=10), 9,
    show_momentum=True)

opt, p = sgd()
cyclic = lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=2)
print(sorted(cyclic.state_dict().keys()))
for bad in [lambda: lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=0),
            lambda: lr_scheduler.CyclicLR(opt, 0.01, 0.1, mode="sawtooth"),
            lambda: lr_scheduler.SequentialLR(opt, [cyclic], milestones=[2])]:
    try:
        bad()
    except ValueError as e:
        print("ValueError:", e)
