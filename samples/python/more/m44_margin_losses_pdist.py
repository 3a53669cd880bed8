"""Hinge losses for classification: nn.MultiMarginLoss (p=1/2, margin, class weights,
reductions) on a linear classifier, nn.MultiLabelMarginLoss for multi-label targets
(padded with -1), and F.pdist's pairwise distances of embeddings."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(2)
X = torch.randn(24, 5)
y = (X[:, 0] > 0).long() + (X[:, 1] > 0.5).long()
clf = nn.Linear(5, 3)
crit = nn.MultiMarginLoss()
print(crit, nn.MultiMarginLoss(p=2, margin=0.5, weight=torch.tensor([1.0, 2.0, 1.0])))
opt = torch.optim.SGD(clf.parameters(), lr=0.2)
for epoch in range(6):
    opt.zero_grad()
    loss = crit(clf(X), y)
    loss.backward()
    opt.step()
    print(f"epoch {epoch} hinge {loss.item():.5f}")
print(loss.grad_fn.name())

scores = torch.tensor([[0.1, 0.2, 0.4, 0.8], [0.9, -0.3, 0.2, 0.1]], requires_grad=True)
target = torch.tensor([3, 0])
for kw in ({}, {"p": 2}, {"margin": 0.3}, {"weight": torch.tensor([1.0, 0.5, 2.0, 3.0])},
           {"reduction": "sum"}, {"reduction": "none"}):
    out = F.multi_margin_loss(scores, target, **kw)
    out.sum().backward()
    print(kw.get("reduction", "mean"), sorted(kw), [round(v, 5) for v in out.reshape(-1).tolist()],
          [round(v, 5) for v in scores.grad.flatten().tolist()])
    scores.grad = None
print(F.multi_margin_loss(torch.tensor([0.3, 0.1, 0.7]), torch.tensor(2)))

ml = nn.MultiLabelMarginLoss()
print(ml)
labels = torch.tensor([[3, 0, -1, 1], [1, 2, 3, -1]])
out = ml(scores, labels)
print(round(out.item(), 6), out.grad_fn.name())
out.backward()
print(scores.grad)
print(F.multilabel_margin_loss(scores, labels, reduction="none"))
print(F.multilabel_margin_loss(torch.tensor([0.1, 0.2, 0.4, 0.8]), torch.tensor([3, 0, -1, 1])))

emb = torch.tensor([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0], [-1.0, 2.0]], requires_grad=True)
d = F.pdist(emb)
print(d, d.grad_fn.name())
d.sum().backward()
print(emb.grad)
print(F.pdist(emb, p=1), F.pdist(emb, p=float("inf")))
print(torch.pdist(emb.detach(), 3).round(decimals=4))

for bad in (lambda: F.multi_margin_loss(scores, torch.tensor([4, 0])),
            lambda: F.multi_margin_loss(scores, target, p=3),
            lambda: F.multi_margin_loss(scores, torch.tensor([1, 2, 0])),
            lambda: F.multilabel_margin_loss(scores, torch.tensor([[5, -1, 0, 0], [0, -1, 0, 0]])),
            lambda: F.multilabel_margin_loss(scores, target),
            lambda: F.pdist(emb.reshape(2, 2, 2)),
            lambda: F.pdist(emb, p=-1)):
    try:
        bad()
    except (RuntimeError, ValueError) as e:
        print(type(e).__name__ + ":", e)
