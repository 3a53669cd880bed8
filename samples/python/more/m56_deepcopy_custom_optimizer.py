# Homework 9: write your own optimizer and learning-rate schedule, and keep the best
# model with early stopping.
#
# Part 1 implements SGD with heavy-ball momentum as a torch.optim.Optimizer subclass and
# a linear warm-up schedule as an LRScheduler subclass. Part 2 trains a small regression
# network with them, keeps a deep copy of the best model seen on a validation split, and
# stops once the validation loss has not improved for a few epochs. Part 3 checks that
# the copy really is independent, saves it to an in-memory buffer, and reloads it. Part 4
# prints what the objects are. The last line is a deliberate mistake.
import copy
import io

import torch
import torch.nn as nn
from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler

torch.manual_seed(56)


# ---- Part 1: the optimizer and the schedule -----------------------------------
class HeavyBall(Optimizer):
    """p <- p - lr * v,  v <- beta * v + grad (+ weight decay)."""

    def __init__(self, params, lr=0.1, beta=0.9, weight_decay=0.0):
        if lr <= 0:
            raise ValueError(f"learning rate must be positive, got {lr}")
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"beta must be in [0, 1), got {beta}")
        super().__init__(params, dict(lr=lr, beta=beta, weight_decay=weight_decay))

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
                g = p.grad
                if group["weight_decay"] != 0:
                    g = g.add(p, alpha=group["weight_decay"])
                state = self.state[p]
                if "velocity" not in state:
                    state["velocity"] = torch.clone(g).detach()
                    state["steps"] = 0
                else:
                    state["velocity"].mul_(group["beta"]).add_(g)
                state["steps"] += 1
                p.add_(state["velocity"], alpha=-group["lr"])
        return loss


class LinearWarmup(LRScheduler):
    """Ramp each group's lr from base_lr / warmup up to base_lr, then hold it."""

    def __init__(self, optimizer, warmup, last_epoch=-1):
        self.warmup = warmup
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        factor = min(1.0, (self.last_epoch + 1) / self.warmup)
        return [base * factor for base in self.base_lrs]


# ---- Part 2: training with early stopping -------------------------------------
x = torch.linspace(-2, 2, 64).unsqueeze(1)
y = torch.sin(2 * x) + 0.1 * torch.randn_like(x)
perm = torch.randperm(64)
train_idx, val_idx = perm[:48], perm[48:]

model = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
model.register_buffer("epochs_seen", torch.zeros((), dtype=torch.long))
opt = HeavyBall(model.parameters(), lr=0.2, beta=0.9, weight_decay=1e-4)
sched = LinearWarmup(opt, warmup=4)
loss_fn = nn.MSELoss()
print(opt)

best_model, best_val, best_epoch, patience, waited = None, float("inf"), -1, 8, 0
for epoch in range(200):
    model.train()

    def closure():
        opt.zero_grad()
        loss = loss_fn(model(x[train_idx]), y[train_idx])
        loss.backward()
        return loss

    train_loss = opt.step(closure)
    sched.step()
    model.epochs_seen += 1
    model.eval()
    with torch.no_grad():
        val_loss = loss_fn(model(x[val_idx]), y[val_idx]).item()
    if val_loss < best_val - 1e-4:
        best_val, best_epoch, waited = val_loss, epoch, 0
        best_model = copy.deepcopy(model)
    else:
        waited += 1
    if epoch % 20 == 0:
        print(f"epoch {epoch:2d}  lr {sched.get_last_lr()[0]:.4f}  "
              f"train {train_loss.item():.4f}  val {val_loss:.4f}")
    if waited >= patience:
        print(f"stopping at epoch {epoch}: no improvement for {patience} epochs")
        break

print(f"best epoch {best_epoch}, val loss {best_val:.4f}")
print("best copy has seen", best_model.epochs_seen.item(), "epochs; the model",
      model.epochs_seen.item())
state = opt.state[model[0].weight]
print("momentum steps:", state["steps"], "velocity norm:",
      round(state["velocity"].norm().item(), 4))
sd = opt.state_dict()
print("optimizer state keys:", sorted(sd["state"].keys()), sd["param_groups"][0]["lr"])
saved_opt = copy.deepcopy(sd)
saved_opt["state"][0]["velocity"].zero_()
print("deep-copied state is separate:", sd["state"][0]["velocity"].abs().sum() > 0)

# ---- Part 3: the copy is a different model ------------------------------------
print(best_model[0].weight is model[0].weight, best_model[2].bias is model[2].bias)
print(best_model[0].weight.requires_grad, best_model[0].weight.grad)
with torch.no_grad():
    before = model(x[:3]).squeeze(1)
    best_model[0].weight.zero_()
    after = model(x[:3]).squeeze(1)
print("model unchanged by editing the copy:", torch.equal(before, after))

buf = io.BytesIO()
torch.save(model.state_dict(), buf)
buf.seek(0)
restored = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 1))
restored.register_buffer("epochs_seen", torch.zeros((), dtype=torch.long))
print(restored.load_state_dict(torch.load(buf)))
with torch.no_grad():
    print("restored matches:", torch.equal(restored(x[:5]), model(x[:5])))

# ---- Part 4: what are these objects? ------------------------------------------
for obj in (model, model[0], model[1], opt, sched, loss_fn, buf, state["velocity"]):
    print(type(obj).__name__, type(obj))
out = model(x[:2]).sum()
print(out.grad_fn.__class__.__name__, isinstance(sched, LRScheduler),
      isinstance(opt, Optimizer), type(model[0]) is nn.Linear)
print(type(torch.max(x, 0)), type(print), type(lambda: 0), type(closure))

# a typo in the schedule's attribute name
print(sched.warm_up)
