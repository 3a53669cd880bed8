"""A custom optimizer by subclassing torch.optim.Optimizer (SGD with Nesterov momentum + sign)."""
import torch
from torch.optim import Optimizer


class MomentumSGD(Optimizer):
    def __init__(self, params, lr=0.01, momentum=0.9, weight_decay=0.0):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        defaults = dict(lr=lr, momentum=momentum, weight_decay=weight_decay)
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
                d_p = p.grad
                if group["weight_decay"] != 0:
                    d_p = d_p.add(p, alpha=group["weight_decay"])
                state = self.state[p]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = torch.clone(d_p).detach()
                    state["step"] = 0
                buf = state["momentum_buffer"]
                buf.mul_(group["momentum"]).add_(d_p)
                state["step"] += 1
                p.add_(buf, alpha=-group["lr"])
        return loss


class SignSGD(Optimizer):
    def __init__(self, params, lr=1e-3):
        super().__init__(params, {"lr": lr})

    def step(self, closure=None):
        loss = closure() if closure is not None else None
        with torch.no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        p -= group["lr"] * torch.sign(p.grad)
        return loss


def rosenbrock(xy):
    x, y = xy[0], xy[1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


for opt_cls, kwargs in [(MomentumSGD, {"lr": 1e-3, "momentum": 0.9}), (SignSGD, {"lr": 1e-2}),
                        (torch.optim.SGD, {"lr": 1e-3, "momentum": 0.9})]:
    xy = torch.tensor([-1.5, 2.0], requires_grad=True)
    opt = opt_cls([xy], **kwargs)

    def closure():
        opt.zero_grad()
        loss = rosenbrock(xy)
        loss.backward()
        return loss

    for i in range(500):
        loss = opt.step(closure)
    print(f"{opt_cls.__name__:12s} loss={loss.item():.4f} xy={[round(v, 4) for v in xy.tolist()]}")

torch.manual_seed(0)
model = torch.nn.Linear(3, 1)
opt = MomentumSGD([{"params": [model.weight]}, {"params": [model.bias], "lr": 0.1}], lr=0.05,
                  weight_decay=1e-4)
print("groups:", len(opt.param_groups), [g["lr"] for g in opt.param_groups])
print("defaults:", opt.defaults)
X = torch.randn(64, 3)
y = X @ torch.tensor([[1.0], [2.0], [-1.0]]) + 0.5
for epoch in range(60):
    opt.zero_grad()
    loss = torch.nn.functional.mse_loss(model(X), y)
    loss.backward()
    opt.step()
print(f"final loss {loss.item():.4f}")
print("state keys:", sorted(opt.state[model.weight].keys()), "steps:", opt.state[model.weight]["step"])
sd = opt.state_dict()
print("state_dict keys:", list(sd.keys()), "param ids:", sd["param_groups"][0]["params"], sd["param_groups"][1]["params"])
print(opt)
try:
    MomentumSGD(model.parameters(), lr=-1)
except ValueError as e:
    print("ValueError:", e)
