"""Learning-rate schedules: StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, LambdaLR."""
import torch
from torch import nn
from torch.optim import lr_scheduler

torch.manual_seed(13)


def fresh_optimizer(lr=0.1):
    model = nn.Linear(2, 1)
    return model, torch.optim.SGD(model.parameters(), lr=lr)


def trace(name, make_scheduler, epochs=10):
    model, opt = fresh_optimizer()
    sched = make_scheduler(opt)
    lrs = []
    for epoch in range(epochs):
        loss = model(torch.ones(1, 2)).pow(2).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
        lrs.append(sched.get_last_lr()[0])
        sched.step()
    print(f"{name:<18} " + " ".join(f"{lr:.4f}" for lr in lrs))
    return sched


print("learning rate used in each of 10 epochs:")
trace("constant", lambda o: lr_scheduler.LambdaLR(o, lambda e: 1.0))
s = trace("StepLR(3, 0.5)", lambda o: lr_scheduler.StepLR(o, step_size=3, gamma=0.5))
trace("MultiStepLR", lambda o: lr_scheduler.MultiStepLR(o, milestones=[2, 5, 8], gamma=0.1))
trace("ExponentialLR", lambda o: lr_scheduler.ExponentialLR(o, gamma=0.8))
trace("Cosine T_max=10", lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=10))
trace("Cosine eta_min", lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=5, eta_min=0.01))
trace("warmup LambdaLR", lambda o: lr_scheduler.LambdaLR(o, lambda e: min(1.0, (e + 1) / 4)))
trace("LinearLR", lambda o: lr_scheduler.LinearLR(o, start_factor=0.25, total_iters=4))

print("\nafter 10 epochs StepLR says:", [round(v, 6) for v in s.get_last_lr()])
print("last_epoch:", s.last_epoch)
sd = s.state_dict()
print("StepLR state_dict keys:", sorted(sd))
print("step_size, gamma:", sd["step_size"], sd["gamma"])

print("\ntwo parameter groups with their own learning rates:")
body = nn.Linear(4, 4)
head = nn.Linear(4, 1)
opt = torch.optim.SGD([
    {"params": body.parameters()},
    {"params": head.parameters(), "lr": 0.5},
], lr=0.05, momentum=0.9)
print(opt)
sched = lr_scheduler.MultiStepLR(opt, milestones=[1, 3], gamma=0.5)
for epoch in range(4):
    opt.step()
    print(f"epoch {epoch}: lrs = {sched.get_last_lr()}")
    sched.step()
print("group lrs now:", [g["lr"] for g in opt.param_groups])
print("initial_lr kept:", [g["initial_lr"] for g in opt.param_groups])
print("group sizes:", [len(g["params"]) for g in opt.param_groups])
