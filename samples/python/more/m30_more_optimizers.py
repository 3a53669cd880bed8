"""Handout: the other optimizers in torch.optim.

Fit the same small regression (a linear model written by hand) with Adadelta, Adamax,
NAdam (plain, with decoupled weight decay), RAdam, Rprop and ASGD, look at what each keeps
in its state, save and restore an optimizer mid-training, and see the errors a wrong
hyperparameter gives.
"""
import torch
import torch.optim as optim

torch.manual_seed(0)
X = torch.randn(32, 3)
true_w = torch.tensor([1.5, -2.0, 0.5])
y = (X * true_w).sum(1) + 0.3 + 0.05 * torch.randn(32)


class LinearModel:
    """y = x . weight + bias, with the parameters as plain leaf tensors."""

    def __init__(self):
        torch.manual_seed(1)
        self.weight = (0.3 * torch.randn(3)).requires_grad_()
        self.bias = torch.zeros(1, requires_grad=True)

    def parameters(self):
        return [self.weight, self.bias]

    def __call__(self, x):
        return (x * self.weight).sum(1) + self.bias


def make_model():
    return LinearModel()


def mse(pred, target):
    return ((pred - target) ** 2).mean()


def train(name, make_opt, epochs=25):
    model = make_model()
    opt = make_opt(model.parameters())
    history = []
    for _epoch in range(epochs):
        opt.zero_grad()
        loss = mse(model(X), y)
        loss.backward()
        opt.step()
        history.append(loss.item())
    print(f"{name:22s} first {history[0]:.4f}  last {history[-1]:.4f}")
    return model, opt


optimizers = {
    "Adadelta": lambda p: optim.Adadelta(p, lr=1.0),
    "Adamax": lambda p: optim.Adamax(p, lr=0.05),
    "NAdam": lambda p: optim.NAdam(p, lr=0.05),
    "NAdam (decoupled wd)": lambda p: optim.NAdam(p, lr=0.05, weight_decay=0.01,
                                                  decoupled_weight_decay=True),
    "RAdam": lambda p: optim.RAdam(p, lr=0.05),
    "RAdam (decoupled wd)": lambda p: optim.RAdam(p, lr=0.05, weight_decay=0.01,
                                                  decoupled_weight_decay=True),
    "Rprop": lambda p: optim.Rprop(p, lr=0.01),
    "ASGD": lambda p: optim.ASGD(p, lr=0.05, t0=10),
}
results = {}
for name, make in optimizers.items():
    results[name] = train(name, make)

# --- what each optimizer remembers per parameter --------------------------------------------
for name in ["Adadelta", "Adamax", "NAdam", "RAdam", "Rprop", "ASGD"]:
    model, opt = results[name]
    state = opt.state[model.weight]
    print(name, sorted(state.keys()), state["step"])
print(results["NAdam"][1].state[results["NAdam"][0].bias]["mu_product"])
asgd_model, asgd = results["ASGD"]
print("ASGD average of the weights:", asgd.state[asgd_model.weight]["ax"])
print("ASGD eta and mu:", asgd.state[asgd_model.weight]["eta"],
      asgd.state[asgd_model.weight]["mu"])
rprop_model, rprop = results["Rprop"]
print("Rprop step sizes:", rprop.state[rprop_model.weight]["step_size"])

# --- the printed form and the param groups ---------------------------------------------------
print(results["NAdam (decoupled wd)"][1])
print(optim.Rprop(make_model().parameters()))
print(optim.ASGD(make_model().parameters()).param_groups[0]["t0"])

# --- final weights ------------------------------------------------------------------------------
for name in ["Adamax", "NAdam", "RAdam", "Rprop"]:
    model = results[name][0]
    print(name, model.weight.detach(), model.bias.detach())

# --- save, restore and continue ----------------------------------------------------------------
model = make_model()
opt = optim.RAdam(model.parameters(), lr=0.05)
for _ in range(3):
    opt.zero_grad()
    mse(model(X), y).backward()
    opt.step()
saved = opt.state_dict()
print(list(saved.keys()), list(saved["state"].keys()), saved["param_groups"][0]["params"])
print(sorted(saved["param_groups"][0].keys()))
opt2 = optim.RAdam(model.parameters(), lr=0.05)
opt2.load_state_dict(saved)
print(opt2.state[model.weight]["step"], opt2.state[model.bias]["exp_avg"])

# --- wrong hyperparameters ------------------------------------------------------------------
bad = [
    lambda: optim.Adadelta(model.parameters(), rho=1.5),
    lambda: optim.Adamax(model.parameters(), betas=(0.9, 1.0)),
    lambda: optim.NAdam(model.parameters(), momentum_decay=-0.1),
    lambda: optim.RAdam(model.parameters(), lr=-0.01),
    lambda: optim.Rprop(model.parameters(), etas=(1.5, 0.5)),
    lambda: optim.ASGD(model.parameters(), weight_decay=-1),
]
for make in bad:
    try:
        make()
    except ValueError as e:
        print("ValueError:", e)
