"""CrossEntropyLoss in all its forms, NLLLoss, BCELoss, BCEWithLogitsLoss and KLDivLoss."""
import warnings

import torch
from torch import nn

torch.manual_seed(22)

logits = torch.randn(4, 3, requires_grad=True)
targets = torch.tensor([0, 2, 1, 2])
print("logits:")
print(logits)

print("\nCrossEntropyLoss with class indices:")
for reduction in ("none", "mean", "sum"):
    out = nn.CrossEntropyLoss(reduction=reduction)(logits, targets)
    print(f"  {reduction:<4}", out.detach() if reduction == "none" else f"{out.item():.4f}")
ce = nn.CrossEntropyLoss()(logits, targets)
print("  grad_fn:", ce.grad_fn.name())
nll = nn.NLLLoss()(nn.LogSoftmax(dim=1)(logits), targets)
print(f"  NLLLoss(LogSoftmax) {nll.item():.4f}  grad_fn {nll.grad_fn.name()}")

weights = torch.tensor([1.0, 2.0, 0.5])
wce = nn.CrossEntropyLoss(weight=weights)
print(f"\nwith class weights {weights.tolist()}: {wce(logits, targets).item():.4f}")
per = nn.CrossEntropyLoss(weight=weights, reduction="none")(logits, targets)
print(f"  weighted mean by hand: {(per.sum() / weights[targets].sum()).item():.4f}")

masked = torch.tensor([0, -100, 1, 2])
print(f"ignore_index=-100 skips item 1: {nn.CrossEntropyLoss()(logits, masked).item():.4f}")
print("  per item:", nn.CrossEntropyLoss(reduction="none")(logits, masked).detach())
print(f"ignore_index=2: {nn.CrossEntropyLoss(ignore_index=2)(logits, targets).item():.4f}")
print(f"label_smoothing=0.1: {nn.CrossEntropyLoss(label_smoothing=0.1)(logits, targets).item():.4f}")

soft_targets = torch.tensor([[0.7, 0.2, 0.1], [0.0, 0.0, 1.0], [0.1, 0.8, 0.1], [1/3, 1/3, 1/3]])
prob_ce = nn.CrossEntropyLoss()(logits, soft_targets)
print(f"\nwith class probabilities: {prob_ce.item():.4f}")
by_hand = -(soft_targets * logits.log_softmax(dim=1)).sum(dim=1).mean()
print(f"  by hand: {by_hand.item():.4f}")
(g,) = torch.autograd.grad(prob_ce, logits)
print("  gradient:", g)

seq_logits = torch.randn(2, 3, 5)
seq_targets = torch.tensor([[0, 1, 2, 1, 0], [2, 2, 1, 0, -100]])
print(f"(N, C, L) inputs with padding: {nn.CrossEntropyLoss()(seq_logits, seq_targets).item():.4f}")

probs = torch.tensor([0.9, 0.2, 0.6, 0.05])
labels = torch.tensor([1.0, 0.0, 1.0, 1.0])
print("\nBCELoss:")
for reduction in ("none", "mean", "sum"):
    out = nn.BCELoss(reduction=reduction)(probs, labels)
    print(f"  {reduction:<4}", out if reduction == "none" else f"{out.item():.4f}")
print(f"  weighted: {nn.BCELoss(weight=torch.tensor([1.0, 1.0, 2.0, 0.5]))(probs, labels).item():.4f}")
raw = torch.logit(probs)
print("BCEWithLogitsLoss on logit(p):")
for reduction in ("none", "mean", "sum"):
    out = nn.BCEWithLogitsLoss(reduction=reduction)(raw, labels)
    print(f"  {reduction:<4}", out if reduction == "none" else f"{out.item():.4f}")
print(f"  pos_weight 2: {nn.BCEWithLogitsLoss(pos_weight=torch.tensor(2.0))(raw, labels).item():.4f}")

p_log = torch.log_softmax(torch.tensor([[1.0, 2.0, 0.5], [0.0, 0.0, 0.0]]), dim=1)
q = torch.tensor([[0.2, 0.5, 0.3], [0.25, 0.25, 0.5]])
print("\nKLDivLoss (input log-probs, target probs):")
for reduction in ("none", "sum", "mean", "batchmean"):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = nn.KLDivLoss(reduction=reduction)(p_log, q)
    print(f"  {reduction:<9}", out if reduction == "none" else f"{out.item():.4f}")
    for w in caught:
        print(f"    {w.category.__name__}: {str(w.message).split('.')[0]}")
kl_log = nn.KLDivLoss(reduction="batchmean", log_target=True)(p_log, q.log())
print(f"  log_target=True: {kl_log.item():.4f}")
print(f"  by hand: {(q * (q.log() - p_log)).sum().item() / 2:.4f}")
