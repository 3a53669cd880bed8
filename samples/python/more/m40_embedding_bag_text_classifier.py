"""A bag-of-words text classifier: nn.EmbeddingBag over token ids with offsets, a linear
head, a few SGD steps; then the sum/max modes, per-sample weights, padding and errors."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(7)

vocab = {w: i for i, w in enumerate(
    "<pad> the a movie film was great awful boring fun plot acting loved hated".split())}
sentences = [("the movie was great fun", 1), ("awful plot boring acting", 0),
             ("loved the film", 1), ("hated the movie", 0), ("a great film", 1),
             ("boring awful film", 0)]


def encode(batch):
    ids, offsets, labels = [], [], []
    for text, label in batch:
        offsets.append(len(ids))
        ids.extend(vocab[w] for w in text.split())
        labels.append(label)
    return torch.tensor(ids), torch.tensor(offsets), torch.tensor(labels)


class TextClassifier(nn.Module):
    def __init__(self, vocab_size, dim, classes):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab_size, dim, mode="mean")
        self.fc = nn.Linear(dim, classes)

    def forward(self, text, offsets):
        return self.fc(self.embedding(text, offsets))


model = TextClassifier(len(vocab), 4, 2)
print(model)
print(list(model.state_dict().keys()))
ids, offsets, labels = encode(sentences)
print("ids", ids.tolist())
print("offsets", offsets.tolist())
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(5):
    opt.zero_grad()
    logits = model(ids, offsets)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    opt.step()
    acc = (logits.argmax(1) == labels).float().mean().item()
    print(f"epoch {epoch} loss {loss.item():.4f} acc {acc:.3f}")
bag = model.embedding(ids, offsets)
print(bag.grad_fn.name(), tuple(bag.shape))
print(model.embedding.weight.grad[:4])

# the other modes, and a 2-D input of fixed-length bags
table = torch.arange(20.0).reshape(5, 4).requires_grad_()
x2 = torch.tensor([[0, 2, 4], [1, 1, 3]])
for mode in ("sum", "mean", "max"):
    out = F.embedding_bag(x2, table, mode=mode)
    out.sum().backward()
    print(mode, out.tolist(), table.grad.sum(1).tolist())
    table.grad = None

# per-sample weights (sum mode only) and include_last_offset
w = torch.tensor([0.5, 2.0, 1.0, -1.0], requires_grad=True)
out = F.embedding_bag(torch.tensor([0, 1, 2, 3]), table, torch.tensor([0, 1, 4]),
                      mode="sum", per_sample_weights=w, include_last_offset=True)
print(out)
out.sum().backward()
print(w.grad, table.grad[3])

# padding_idx rows take no part (and the mean counts the others only)
pad_bag = nn.EmbeddingBag.from_pretrained(table.detach(), mode="mean", padding_idx=0)
print(pad_bag, pad_bag.weight.requires_grad)
print(pad_bag(torch.tensor([[0, 1, 2], [0, 0, 0]])))
empty = F.embedding_bag(torch.tensor([1, 2]), table, torch.tensor([0, 0, 2]), mode="max")
print(empty)

for bad in (lambda: F.embedding_bag(torch.tensor([1, 9]), table, torch.tensor([0])),
            lambda: F.embedding_bag(torch.tensor([1, 2]), table),
            lambda: F.embedding_bag(torch.tensor([1, 2]), table, torch.tensor([0]),
                                    mode="mean", per_sample_weights=torch.ones(2)),
            lambda: F.embedding_bag(torch.tensor([1, 2]), table, torch.tensor([0]),
                                    mode="median"),
            lambda: F.embedding_bag(torch.tensor([1, 2]), table, torch.tensor([0, 3]))):
    try:
        bad()
    except (RuntimeError, ValueError, NotImplementedError) as e:
        print(type(e).__name__ + ":", e)
