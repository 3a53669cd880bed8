# Word embeddings: lookups, padding_idx, from_pretrained, cosine similarity and nearest words.
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
words = ["<pad>", "king", "queen", "man", "woman", "apple", "orange", "fruit"]
w2i = {w: i for i, w in enumerate(words)}

emb = nn.Embedding(len(words), 4, padding_idx=0)
print(emb)
print("pad row:", emb.weight[0])
print("weight dtype/shape:", emb.weight.dtype, tuple(emb.weight.shape))

sentence = torch.tensor([[w2i["king"], w2i["man"], 0], [w2i["apple"], 0, 0]])
vecs = emb(sentence)
print("lookup:", vecs.shape)
mask = (sentence != 0).unsqueeze(-1).float()
mean_vec = (vecs * mask).sum(1) / mask.sum(1)
print("masked mean:\n", mean_vec.detach().round(decimals=4))

loss = vecs.sum()
loss.backward()
print("grad of pad row:", emb.weight.grad[0].tolist())
print("grad of king row:", emb.weight.grad[w2i["king"]].tolist())

# hand-made "pretrained" vectors with some structure
pretrained = torch.tensor([
    [0.0, 0.0, 0.0],
    [0.9, 0.8, 0.1],   # king
    [0.9, 0.1, 0.8],   # queen
    [0.1, 0.9, 0.1],   # man
    [0.1, 0.1, 0.9],   # woman
    [-0.5, 0.2, 0.2],  # apple
    [-0.6, 0.1, 0.3],  # orange
    [-0.7, 0.2, 0.2],  # fruit
])
frozen = nn.Embedding.from_pretrained(pretrained, freeze=True, padding_idx=0)
print("frozen requires_grad:", frozen.weight.requires_grad)


def vec(w):
    return frozen(torch.tensor(w2i[w]))


sim = F.cosine_similarity(vec("apple").unsqueeze(0), vec("orange").unsqueeze(0))
print(f"cos(apple, orange) = {sim.item():.4f}")
print(f"cos(king, apple)   = {F.cosine_similarity(vec('king'), vec('apple'), dim=0).item():.4f}")

analogy = vec("king") - vec("man") + vec("woman")
normed = F.normalize(frozen.weight[1:], dim=1)
scores = normed @ F.normalize(analogy, dim=0)
best = scores.argsort(descending=True)[:3] + 1
print("king - man + woman ~", [words[i] for i in best.tolist()])
print("scores:", [f"{s:.3f}" for s in scores.tolist()])

# pairwise similarity matrix and nearest neighbours
all_vecs = F.normalize(pretrained[1:], dim=1)
sims = all_vecs @ all_vecs.T
sims.fill_diagonal_(-1.0)
nearest = sims.argmax(dim=1)
for w, n in zip(words[1:], nearest.tolist()):
    print(f"{w:>7s} -> {words[n + 1]}")
print(torch.cdist(pretrained[1:3], pretrained[5:7]).round(decimals=3))

# max_norm renormalises looked-up rows in place
mn = nn.Embedding(3, 2, max_norm=1.0)
with torch.no_grad():
    mn.weight.copy_(torch.tensor([[3.0, 4.0], [0.3, 0.4], [1.0, 0.0]]))
out = mn(torch.tensor([0, 1]))
print("max_norm rows:", out.tolist())
print("weight after:", mn.weight.data.tolist())
print(F.embedding(torch.tensor([[2, 1]]), pretrained).shape)
one_hot = F.one_hot(torch.tensor([1, 3]), num_classes=len(words)).float()
print("one_hot @ W == lookup:", torch.equal(one_hot @ pretrained, pretrained[[1, 3]]))
