"""Plain SGD, momentum, Nesterov and weight decay on the same quadratic bowl."""
import torch
from torch import nn

torch.manual_seed(11)

A = torch.tensor([[3.0, 0.5], [0.5, 1.0]])
b = torch.tensor([1.0, -2.0])
x_star = torch.linalg.solve(A, b)
print("minimiser:", x_star)


def bowl(x):
    return 0.5 * x @ A @ x - b @ x


def run(label, steps=25, **kwargs):
    x = nn.Parameter(torch.tensor([2.0, 2.0]))
    opt = torch.optim.SGD([x], lr=0.1, **kwargs)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = bowl(x)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    dist = (x.detach() - x_star).norm().item()
    print(f"{label:<28} final loss {bowl(x).item():.4f}  distance {dist:.4f}  "
          f"losses[:3] {[round(v, 4) for v in losses[:3]]}")
    return x, opt


run("plain")
run("momentum 0.9", momentum=0.9)
x_nest, opt_nest = run("nesterov 0.9", momentum=0.9, nesterov=True)
run("momentum 0.5, dampening 0.5", momentum=0.5, dampening=0.5)
x_wd, _ = run("weight_decay 0.5", weight_decay=0.5)
print("with weight decay the solution shrinks:", x_wd.detach())
print("ridge solution:", torch.linalg.solve(A + 0.5 * torch.eye(2), b))
run("maximize (walks uphill)", steps=3, maximize=True)

print()
print(opt_nest)
state = opt_nest.state_dict()
print("state of the one parameter:", state["state"][0])
print("param_groups[0]['params']:", state["param_groups"][0]["params"])

print("\none step by hand vs optimizer (momentum 0.9, wd 0.1):")
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=0.1)
inputs = torch.randn(4, 3)
target = torch.randn(4, 1)
w_before = model.weight.detach().clone()
for step in range(2):
    opt.zero_grad()
    nn.functional.mse_loss(model(inputs), target).backward()
    g = model.weight.grad + 0.1 * model.weight.detach()
    if step == 0:
        buf = g.clone()
    else:
        buf = 0.9 * buf + g
    expected = model.weight.detach() - 0.05 * buf
    opt.step()
    print(f"  step {step}: matches = {torch.allclose(model.weight.detach(), expected, atol=1e-6)}")
print("weight moved from", w_before, "to", model.weight.detach())
print("momentum buffer:", opt.state[model.weight]["momentum_buffer"])
