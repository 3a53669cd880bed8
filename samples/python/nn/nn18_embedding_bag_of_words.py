"""nn.Embedding with a padding index, and a tiny bag-of-embeddings sentiment classifier."""
import torch
from torch import nn

torch.manual_seed(18)

sentences = [
    ("good movie", 1), ("great fun", 1), ("bad plot", 0), ("boring and bad", 0),
    ("great acting good plot", 1), ("boring movie", 0), ("fun and good", 1), ("bad bad acting", 0),
]
vocab = {"<pad>": 0}
for text, _ in sentences:
    for word in text.split():
        vocab.setdefault(word, len(vocab))
print("vocabulary:", vocab)


def encode(text, length=4):
    ids = [vocab[w] for w in text.split()]
    return ids + [0] * (length - len(ids))


tokens = torch.tensor([encode(t) for t, _ in sentences])
labels = torch.tensor([float(y) for _, y in sentences])
print("token ids:")
print(tokens)

emb = nn.Embedding(len(vocab), 3, padding_idx=0)
print("\n", emb, sep="")
print("the padding row is zero:", emb.weight[0])
print("rows 1-2:")
print(emb.weight[1:3])
looked_up = emb(tokens[:2])
print("lookup shape:", tuple(looked_up.shape), looked_up.grad_fn.name())
print(looked_up[0])

looked_up.sum().backward()
print("gradient rows touched:", emb.weight.grad.abs().sum(dim=1).nonzero().flatten().tolist())
print("padding row gets no gradient:", emb.weight.grad[0])
emb.zero_grad()


class BagOfEmbeddings(nn.Module):
    def __init__(self, vocab_size, dim):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.out = nn.Linear(dim, 1)

    def forward(self, ids):
        mask = (ids != 0).float().unsqueeze(-1)
        summed = (self.embed(ids) * mask).sum(dim=1)
        mean = summed / mask.sum(dim=1)
        return self.out(mean).squeeze(-1)


model = BagOfEmbeddings(len(vocab), 4)
print("\n", model, sep="")
opt = torch.optim.Adam(model.parameters(), lr=0.1)
loss_fn = nn.BCEWithLogitsLoss()
for epoch in range(30):
    logits = model(tokens)
    loss = loss_fn(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 10 == 9:
        print(f"epoch {epoch + 1}: loss {loss.item():.4f}")

with torch.no_grad():
    tests = ["good fun", "boring plot", "bad movie", "great"]
    probs = torch.sigmoid(model(torch.tensor([encode(t) for t in tests])))
for t, p in zip(tests, probs.tolist()):
    print(f"  {t!r:<14} positive with probability {p:.4f}")
print("padding row still zero:", model.embed.weight[0])
pretrained = nn.Embedding.from_pretrained(torch.eye(3), freeze=True)
print("from_pretrained:", pretrained, pretrained.weight.requires_grad, pretrained(torch.tensor([2, 0])))
