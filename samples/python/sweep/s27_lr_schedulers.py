# Homework: learning-rate schedulers and reading optimizer.param_groups.
import torch
from torch import nn
from torch.optim.lr_scheduler import StepLR, ExponentialLR, MultiStepLR, CosineAnnealingLR, LambdaLR

torch.manual_seed(27)
model = nn.Linear(4, 1)
X = torch.randn(64, 4)
y = X @ torch.tensor([[1.0], [-1.0], [0.5], [2.0]])
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched = StepLR(opt, step_size=5, gamma=0.5)
for epoch in range(15):
    loss = nn.functional.mse_loss(model(X), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    print(f"epoch {epoch:2d} loss {loss.item():.4f} lr {optimizer_lr if (optimizer_lr := opt.param_groups[0]['lr']) else 0}")
print("last lr:", sched.get_last_lr())
print(sched.state_dict())


def trace(make, steps=6):
    p = nn.Parameter(torch.zeros(1))
    o = torch.optim.SGD([p], lr=1.0)
    s = make(o)
    lrs = []
    for _ in range(steps):
        lrs.append(round(o.param_groups[0]["lr"], 5))
        o.step()
        s.step()
    return lrs


print("Exponential:", trace(lambda o: ExponentialLR(o, gamma=0.8)))
print("MultiStep:", trace(lambda o: MultiStepLR(o, milestones=[2, 4], gamma=0.1)))
print("Cosine:", trace(lambda o: CosineAnnealingLR(o, T_max=5, eta_min=0.1)))
print("Lambda:", trace(lambda o: LambdaLR(o, lr_lambda=lambda e: 1 / (e + 1))))
p = nn.Parameter(torch.zeros(1))
o = torch.optim.Adam([p], lr=0.01)
plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=1)
for metric in [1.0, 0.9, 0.95, 0.96, 0.97, 0.5, 0.6, 0.7]:
    plateau.step(metric)
    print(metric, o.param_groups[0]["lr"])
