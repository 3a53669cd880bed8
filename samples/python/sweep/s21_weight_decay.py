# Homework: effect of weight decay (L2) on a ridge-like linear regression.
import torch
from torch import nn

torch.manual_seed(21)
n, d = 30, 10
X = torch.randn(n, d)
w_true = torch.zeros(d)
w_true[:3] = torch.tensor([1.5, -2.0, 0.7])
y = X @ w_true + 0.5 * torch.randn(n)


def fit(weight_decay, steps=300):
    torch.manual_seed(0)
    model = nn.Linear(d, 1, bias=False)
    opt = torch.optim.SGD(model.parameters(), lr=0.05, weight_decay=weight_decay)
    for _ in range(steps):
        loss = nn.functional.mse_loss(model(X).squeeze(1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model.weight.detach().squeeze(0), loss.item()


for wd in [0.0, 0.01, 0.1, 1.0]:
    w, l = fit(wd)
    print(f"wd={wd:<5} train_loss={l:.4f} ||w||={w.norm().item():.4f} max_tail={w[3:].abs().max().item():.4f}")

lam = 0.1
A = X.T @ X / n + lam * torch.eye(d)
closed = torch.linalg.solve(A, X.T @ y / n)
w_sgd, _ = fit(2 * lam, steps=3000)
print("closed form ridge:", closed[:3])
print("matches SGD w/ wd=2*lam:", torch.allclose(closed, w_sgd, atol=1e-3))

m = nn.Linear(d, 1)
decay, no_decay = [], []
for name, p in m.named_parameters():
    (no_decay if name.endswith("bias") else decay).append(p)
adamw = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-3)
print([g["weight_decay"] for g in adamw.param_groups])
print(adamw.defaults["betas"], adamw.defaults["amsgrad"])
