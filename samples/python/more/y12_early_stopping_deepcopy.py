"""Early stopping that keeps the best model's state_dict with copy.deepcopy."""
import copy
import os
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class TrainConfig:
    hidden: int = 64
    lr: float = 0.05
    max_epochs: int = 60
    patience: int = 5
    min_delta: float = 1e-4
    ckpt_dir: str = "checkpoints"
    tags: list = field(default_factory=lambda: ["mlp", "early-stop"])


cfg = TrainConfig(hidden=32)
print(cfg)

torch.manual_seed(4)
x = torch.linspace(-3, 3, 60).unsqueeze(1)
y = torch.sin(x) + 0.3 * torch.randn_like(x)
perm = torch.randperm(60)
tr, va = perm[:40], perm[40:]


class EarlyStopping:
    def __init__(self, patience, min_delta):
        self.patience = patience
        self.min_delta = min_delta
        self.best = float("inf")
        self.counter = 0
        self.best_state = None
        self.best_epoch = -1

    def __call__(self, val_loss, model, epoch):
        if val_loss < self.best - self.min_delta:
            self.best = val_loss
            self.counter = 0
            self.best_state = copy.deepcopy(model.state_dict())
            self.best_epoch = epoch
            return False
        self.counter += 1
        return self.counter >= self.patience


model = nn.Sequential(nn.Linear(1, cfg.hidden), nn.Tanh(), nn.Linear(cfg.hidden, cfg.hidden), nn.Tanh(),
                      nn.Linear(cfg.hidden, 1))
opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
stopper = EarlyStopping(cfg.patience, cfg.min_delta)

for epoch in range(cfg.max_epochs):
    model.train()
    opt.zero_grad()
    loss = F.mse_loss(model(x[tr]), y[tr])
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        val = F.mse_loss(model(x[va]), y[va]).item()
    if epoch % 5 == 0:
        print(f"epoch {epoch:2d} train {loss.item():.4f} val {val:.4f} patience {stopper.counter}")
    if stopper(val, model, epoch):
        print(f"early stop at epoch {epoch}; best epoch {stopper.best_epoch} val {stopper.best:.4f}")
        break

w_before = model[0].weight.detach().clone()
model.load_state_dict(stopper.best_state)
print("weights changed back:", not torch.equal(w_before, model[0].weight))
print("best state is a copy:", stopper.best_state["0.weight"].data_ptr() != model[0].weight.data_ptr())
with torch.no_grad():
    print(f"restored val loss {F.mse_loss(model(x[va]), y[va]).item():.4f}")

ckpt = Path(cfg.ckpt_dir) / f"model_epoch{stopper.best_epoch:03d}_val{stopper.best:.3f}.pt"
print("checkpoint name:", ckpt.name, "| suffix:", ckpt.suffix, "| parent:", ckpt.parent)
print("os.path:", os.path.join(cfg.ckpt_dir, "best.pt"), os.path.splitext(ckpt.name))
print("state_dict keys:", list(stopper.best_state.keys()))
print({k: tuple(v.shape) for k, v in stopper.best_state.items()})
