"""Adam, AdamW, RMSprop and Adagrad side by side on one small regression problem."""
import torch
from torch import nn

torch.manual_seed(12)

X = torch.randn(40, 3)
true_w = torch.tensor([[0.5, -1.0, 2.0]])
y = X @ true_w.T + 0.3
init = nn.Linear(3, 1)
print("shared initial weights:", init.weight.data, init.bias.data)

configs = {
    "Adam": lambda ps: torch.optim.Adam(ps, lr=0.1),
    "Adam amsgrad": lambda ps: torch.optim.Adam(ps, lr=0.1, amsgrad=True),
    "AdamW": lambda ps: torch.optim.AdamW(ps, lr=0.1, weight_decay=0.1),
    "RMSprop": lambda ps: torch.optim.RMSprop(ps, lr=0.05),
    "RMSprop centered": lambda ps: torch.optim.RMSprop(ps, lr=0.05, centered=True, momentum=0.5),
    "Adagrad": lambda ps: torch.optim.Adagrad(ps, lr=0.5),
}

results = {}
for name, make in configs.items():
    model = nn.Linear(3, 1)
    model.load_state_dict(init.state_dict())
    opt = make(model.parameters())
    trace = []
    for step in range(40):
        loss = nn.functional.mse_loss(model(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step in (0, 9, 39):
            trace.append(f"{loss.item():.4f}")
    results[name] = (model, opt)
    print(f"{name:<17} losses at steps 0/9/39: {' '.join(trace)}")

print()
for name, (model, opt) in results.items():
    print(f"{name:<17} weight {model.weight.data}")

print()
print(results["AdamW"][1])
print(results["Adagrad"][1])

for name in ("Adam", "RMSprop", "Adagrad", "RMSprop centered"):
    opt = results[name][1]
    state = opt.state_dict()["state"][0]
    print(f"{name} state keys: {sorted(state)}")
print("Adam step:", results["Adam"][1].state_dict()["state"][0]["step"])
print("Adagrad sum of squares:", results["Adagrad"][1].state_dict()["state"][1]["sum"])

groups = results["RMSprop"][1].state_dict()["param_groups"]
print("RMSprop param_groups:")
for key in sorted(groups[0]):
    print(f"  {key}: {groups[0][key]}")
