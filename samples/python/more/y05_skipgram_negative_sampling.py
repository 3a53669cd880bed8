"""word2vec skip-gram with negative sampling on a toy corpus."""
from collections import Counter
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1)

corpus = """the king rules the kingdom . the queen rules the kingdom .
the man walks the dog . the woman walks the dog .
a king is a man . a queen is a woman . the dog barks at the man""".split()

counts = Counter(corpus)
vocab = sorted(counts, key=lambda w: (-counts[w], w))
w2i = {w: i for i, w in enumerate(vocab)}
i2w = {i: w for w, i in w2i.items()}
print(f"{len(corpus)} tokens, vocab size {len(vocab)}")
print("most common:", counts.most_common(3))

window = 2
pairs = []
for i, w in enumerate(corpus):
    for j in range(max(0, i - window), min(len(corpus), i + window + 1)):
        if j != i:
            pairs.append((w2i[w], w2i[corpus[j]]))
pairs = torch.tensor(pairs)
print("training pairs:", pairs.shape[0], "first:", pairs[:3].tolist())

freq = torch.tensor([counts[i2w[i]] for i in range(len(vocab))], dtype=torch.float)
noise_dist = freq.pow(0.75)
noise_dist = noise_dist / noise_dist.sum()


class SkipGramNS(nn.Module):
    def __init__(self, n_vocab, dim):
        super().__init__()
        self.in_embed = nn.Embedding(n_vocab, dim)
        self.out_embed = nn.Embedding(n_vocab, dim)
        self.in_embed.weight.data.uniform_(-0.5 / dim, 0.5 / dim)
        self.out_embed.weight.data.zero_()

    def forward(self, center, context, negatives):
        v = self.in_embed(center)                       # (B, D)
        u = self.out_embed(context)                     # (B, D)
        u_neg = self.out_embed(negatives)               # (B, K, D)
        pos = F.logsigmoid((v * u).sum(dim=1))
        neg = F.logsigmoid(-torch.bmm(u_neg, v.unsqueeze(2)).squeeze(2)).sum(dim=1)
        return -(pos + neg).mean()


K = 5
model = SkipGramNS(len(vocab), 16)
opt = torch.optim.SGD(model.parameters(), lr=1.0)
for epoch in range(30):
    perm = torch.randperm(len(pairs))
    total = 0.0
    for start in range(0, len(pairs), 32):
        batch = pairs[perm[start:start + 32]]
        negs = torch.multinomial(noise_dist, batch.size(0) * K, replacement=True).view(-1, K)
        loss = model(batch[:, 0], batch[:, 1], negs)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    if epoch % 10 == 9:
        print(f"epoch {epoch + 1}: loss {total:.4f}")

emb = F.normalize(model.in_embed.weight.detach(), dim=1)
sims = emb @ emb.T
for word in ["king", "dog"]:
    idx = w2i[word]
    top = sims[idx].topk(3)
    neighbours = [(i2w[i], round(s, 3)) for s, i in zip(top.values.tolist(), top.indices.tolist())]
    print(word, "->", neighbours)
