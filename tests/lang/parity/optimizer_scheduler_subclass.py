# ruff: noqa
import torch
import torch.nn as nn
from torch.optim import Optimizer
from torch.optim.lr_scheduler import _LRScheduler, LRScheduler


class MomentumSGD(Optimizer):
    def __init__(self, params, lr=0.1, momentum=0.9):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        defaults = dict(lr=lr, momentum=momentum)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = 0
                    state["velocity"] = torch.zeros_like(p)
                state["step"] += 1
                v = state["velocity"]
                v.mul_(group["momentum"]).add_(p.grad)
                p.add_(v, alpha=-group["lr"])
        return loss


class Warmup(_LRScheduler):
    def __init__(self, optimizer, warmup_steps, last_epoch=-1):
        self.warmup_steps = warmup_steps
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        scale = min(1.0, (self.last_epoch + 1) / self.warmup_steps)
        return [base_lr * scale for base_lr in self.base_lrs]


class Halving(LRScheduler):
    def get_lr(self):
        return [g["lr"] * 0.5 if self.last_epoch > 0 else g["lr"] for g in self.optimizer.param_groups]


torch.manual_seed(0)
model = nn.Linear(3, 1)
opt = MomentumSGD(model.parameters(), lr=0.05)
sched = Warmup(opt, 3)
print(opt)
print(isinstance(opt, Optimizer), isinstance(sched, LRScheduler), type(opt).__name__)
x = torch.randn(8, 3)
y = x @ torch.tensor([[1.0], [-2.0], [0.5]])
for epoch in range(5):
    def closure():
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        return loss
    loss = opt.step(closure)
    sched.step()
    print(epoch, round(loss.item(), 5), sched.get_last_lr())
sd = opt.state_dict()
print(sorted(sd.keys()), sd["param_groups"])
print(sd["state"][0]["step"], sd["state"][1]["velocity"])
print(sched.state_dict())
opt.add_param_group({"params": [torch.zeros(2, requires_grad=True)], "lr": 0.5})
print(len(opt.param_groups), opt.param_groups[1]["momentum"])
opt.zero_grad()
print(model.weight.grad)
opt2 = MomentumSGD(model.parameters(), lr=0.01)
opt2.load_state_dict(MomentumSGD(model.parameters(), lr=0.3).state_dict())
print(opt2.param_groups[0]["lr"])
h = Halving(torch.optim.SGD(model.parameters(), lr=1.0))
for _ in range(3):
    h.optimizer.step()
    h.step()
print(h.get_last_lr(), h.last_epoch)
try:
    MomentumSGD(model.parameters(), lr=-1)
except ValueError as e:
    print("ValueError:", e)
try:
    MomentumSGD([], lr=0.1)
except ValueError as e:
    print("ValueError:", e)
