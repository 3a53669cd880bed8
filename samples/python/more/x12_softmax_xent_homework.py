# Homework: implement softmax, log-softmax and cross-entropy by hand (with class
# weights, ignore_index and label smoothing) and check them against torch.nn.functional.
import torch
import torch.nn.functional as F

torch.manual_seed(2024)


def softmax(z, dim=-1):
    z = z - z.max(dim=dim, keepdim=True).values
    e = z.exp()
    return e / e.sum(dim=dim, keepdim=True)


def log_softmax(z, dim=-1):
    return z - torch.logsumexp(z, dim=dim, keepdim=True)


def cross_entropy(logits, target, weight=None, ignore_index=-100, label_smoothing=0.0):
    n, c = logits.shape
    logp = log_softmax(logits)
    valid = target != ignore_index
    safe_t = target.clamp(min=0)
    w = torch.ones(c) if weight is None else weight
    nll = -logp.gather(1, safe_t.unsqueeze(1)).squeeze(1) * w[safe_t]
    smooth = -(logp * w).sum(1)
    per = (1 - label_smoothing) * nll + label_smoothing / c * smooth
    per = per * valid
    return per.sum() / (w[safe_t] * valid).sum()


logits = torch.randn(6, 4) * 3
target = torch.tensor([0, 3, 1, 1, 2, 3])

p = softmax(logits)
print("rows sum to one:", torch.allclose(p.sum(1), torch.ones(6)))
assert torch.allclose(p, F.softmax(logits, dim=1), atol=1e-6)
assert torch.allclose(log_softmax(logits), F.log_softmax(logits, dim=1), atol=1e-6)

ours = cross_entropy(logits, target)
theirs = F.cross_entropy(logits, target)
print(f"plain:     ours {ours.item():.6f}  torch {theirs.item():.6f}")

w = torch.tensor([1.0, 2.0, 0.5, 1.5])
print(f"weighted:  ours {cross_entropy(logits, target, weight=w).item():.6f}  "
      f"torch {F.cross_entropy(logits, target, weight=w).item():.6f}")

t_ign = target.clone()
t_ign[[1, 4]] = -100
print(f"ignored:   ours {cross_entropy(logits, t_ign).item():.6f}  "
      f"torch {F.cross_entropy(logits, t_ign).item():.6f}")
print(f"smoothing: ours {cross_entropy(logits, target, label_smoothing=0.1).item():.6f}  "
      f"torch {F.cross_entropy(logits, target, label_smoothing=0.1).item():.6f}")
torch.testing.assert_close(cross_entropy(logits, target, weight=w, label_smoothing=0.2),
                           F.cross_entropy(logits, target, weight=w, label_smoothing=0.2))
print("assert_close passed")

# gradients: d CE / d logits = (softmax - onehot) / N
z = logits.clone().requires_grad_(True)
F.cross_entropy(z, target).backward()
manual = (softmax(logits) - F.one_hot(target, 4)) / len(target)
print("grad matches:", torch.allclose(z.grad, manual, atol=1e-7))
print(z.grad[:2])

# soft targets (probabilities) are accepted too
soft = F.softmax(torch.randn(6, 4), dim=1)
print(f"soft targets: {F.cross_entropy(logits, soft).item():.5f} "
      f"{-(soft * F.log_softmax(logits, 1)).sum(1).mean().item():.5f}")
print("reduction='none':", F.cross_entropy(logits, target, reduction="none").round(decimals=3))
print("nll == ce:", torch.allclose(F.nll_loss(F.log_softmax(logits, 1), target), theirs))

# numerically stable binary cross entropy from logits
x = torch.tensor([-50.0, -2.0, 0.0, 3.0, 60.0])
y = torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0])
naive = -(y * torch.log(torch.sigmoid(x)) + (1 - y) * torch.log(1 - torch.sigmoid(x)))
stable = x.clamp(min=0) - x * y + torch.log1p(torch.exp(-x.abs()))
print("naive: ", naive)
print("stable:", stable)
print("torch: ", F.binary_cross_entropy_with_logits(x, y, reduction="none"))
print(f"pos_weight: {F.binary_cross_entropy_with_logits(x, y, pos_weight=torch.tensor(3.0)).item():.4f}")

# KL divergence between two distributions
p_log = F.log_softmax(torch.tensor([[1.0, 2.0, 3.0]]), 1)
q = F.softmax(torch.tensor([[3.0, 2.0, 1.0]]), 1)
print(f"kl: {F.kl_div(p_log, q, reduction='batchmean').item():.5f}",
      f"manual: {(q * (q.log() - p_log)).sum().item():.5f}")

# the classic mistake: softmax before cross_entropy
double = F.cross_entropy(F.softmax(logits, 1), target)
print(f"softmax twice gives {double.item():.4f} instead of {theirs.item():.4f}")
try:
    F.cross_entropy(logits, target.float())
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    F.cross_entropy(logits, torch.tensor([0, 1, 4, 1, 2, 3]))
except IndexError as e:
    print("IndexError:", e)
