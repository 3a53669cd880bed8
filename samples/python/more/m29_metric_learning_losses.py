"""Lab 10: metric learning in two dimensions.

An embedding net trained with a triplet loss, then the other pairwise losses on the
same embeddings: contrastive-style cosine embedding loss, margin ranking, hinge
embedding, and the likelihood losses for regression with uncertainty and for counts.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(10)

centres = torch.tensor([[2.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 2.0]])
labels = torch.arange(3).repeat_interleave(4)
points = centres[labels] + 0.5 * torch.randn(12, 3)

embed = nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 2))
triplet = nn.TripletMarginLoss(margin=1.0)
opt = torch.optim.SGD(embed.parameters(), lr=0.1)
anchor_idx = torch.tensor([0, 4, 8, 1, 5, 9])
positive_idx = torch.tensor([2, 6, 10, 3, 7, 11])
negative_idx = torch.tensor([4, 8, 0, 9, 1, 5])
for step in range(5):
    opt.zero_grad()
    z = embed(points)
    loss = triplet(z[anchor_idx], z[positive_idx], z[negative_idx])
    loss.backward()
    opt.step()
    print(f"step {step}: triplet loss {loss.item():.4f}")

with torch.no_grad():
    z = embed(points)
d_same = F.pairwise_distance(z[anchor_idx], z[positive_idx])
d_diff = F.pairwise_distance(z[anchor_idx], z[negative_idx])
print("same-class distances:", d_same)
print("other-class distances:", d_diff)
print("PairwiseDistance(p=1):", nn.PairwiseDistance(p=1)(z[:2], z[2:4]))

same = torch.tensor([1.0, 1.0, 1.0, -1.0, -1.0, -1.0])
left = torch.cat([z[anchor_idx[:3]], z[anchor_idx[3:]]])
right = torch.cat([z[positive_idx[:3]], z[negative_idx[3:]]])
print("cosine embedding:", nn.CosineEmbeddingLoss(margin=0.2)(left, right, same))
print("margin ranking:", nn.MarginRankingLoss(margin=0.5)(d_diff, d_same, torch.ones(6)))
print("hinge embedding:", nn.HingeEmbeddingLoss(margin=2.0)(torch.cat([d_same, d_diff]),
                                                          torch.cat([torch.ones(6), -torch.ones(6)])))
print("soft margin:", nn.SoftMarginLoss()(d_diff - d_same, torch.ones(6)))
print("multi-label soft margin:",
      nn.MultiLabelSoftMarginLoss()(z @ torch.ones(2, 3), F.one_hot(labels, 3).float()))

mean = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
var = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
target = torch.tensor([1.5, 1.0, 3.5])
gnll = nn.GaussianNLLLoss()(mean, target, var)
gnll.backward()
print(f"Gaussian NLL {gnll.item():.4f}", mean.grad, var.grad)
rates = torch.tensor([0.1, 1.0, 2.0], requires_grad=True)
counts = torch.tensor([0.0, 2.0, 7.0])
pnll = nn.PoissonNLLLoss(full=True)(rates, counts)
pnll.backward()
print(f"Poisson NLL {pnll.item():.4f}", rates.grad)
