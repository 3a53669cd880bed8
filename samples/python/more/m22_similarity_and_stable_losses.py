"""Week 6 drill: comparing embeddings, and losses that stay finite.

Cosine similarity between word vectors, a contrastive-style score, and the
numerically stable forms of log-sum-exp and binary cross-entropy on logits.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(6)

# --- 1. cosine similarity of a few "word vectors" --------------------------------------
words = ["cat", "dog", "car"]
emb = torch.tensor([[0.9, 0.1, 0.3],
                    [0.8, 0.2, 0.4],
                    [-0.2, 0.9, 0.1]], requires_grad=True)
sim = F.cosine_similarity(emb[0:1], emb, dim=1)
for w, s in zip(words, sim):
    print(f"sim(cat, {w:>3}) = {s.item():.4f}")
print("grad_fn:", sim.grad_fn.name())
sim.sum().backward()
print("d/d emb:\n", emb.grad)

cos = nn.CosineSimilarity(dim=0)
print(cos, cos(torch.tensor([3.0, 4.0]), torch.tensor([4.0, 3.0])))
print("zero vector:", F.cosine_similarity(torch.zeros(1, 3), torch.ones(1, 3)))

# --- 2. logsumexp: the safe way to add probabilities in log space ------------------------
scores = torch.tensor([[1.0, 2.0, 3.0], [1000.0, 1000.5, 999.0]])
print("naive:", torch.log(torch.exp(scores).sum(dim=1)))
lse = torch.logsumexp(scores, dim=1)
print("logsumexp:", lse)
print("log-probs:", scores - lse.unsqueeze(1))
s = scores.clone().requires_grad_()
torch.logsumexp(s, dim=1).sum().backward()
print("grad is softmax:", s.grad)

# --- 3. BCE on logits versus on probabilities --------------------------------------------
logits = torch.tensor([-30.0, -2.0, 0.0, 0.5, 4.0, 40.0], requires_grad=True)
target = torch.tensor([0.0, 0.0, 1.0, 1.0, 1.0, 0.0])
stable = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
print("with logits:", stable)
probs = torch.sigmoid(logits)
print("on sigmoid :", F.binary_cross_entropy(probs, target, reduction="none"))
loss = nn.BCEWithLogitsLoss()(logits, target)
loss.backward()
print(f"mean loss {loss.item():.6f}", loss.grad_fn.name())
print("grad:", logits.grad)

weighted = nn.BCEWithLogitsLoss(pos_weight=torch.tensor(3.0))(logits.detach(), target)
print(f"pos_weight=3: {weighted.item():.6f}")

# --- 4. clamp_min and clamp_max keep a denominator away from zero ------------------------
norms = emb.detach().norm(dim=1)
print(norms.clamp_min(1.0), norms.clamp_max(torch.tensor([1.0, 0.5, 2.0])))
x = torch.tensor([0.5, 1.5, -0.5], requires_grad=True)
y = x.clamp_min(0.0).clamp_max(1.0)
y.sum().backward()
print(y, y.grad_fn.name(), x.grad)
