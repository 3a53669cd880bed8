"""A tiny Transformer encoder that classifies toy sequences.

Each sequence is 6 tokens from a vocabulary of 8; its label says whether token 1 appears
more often than token 2. The model embeds the tokens, adds a learned position embedding,
runs two TransformerEncoder layers, mean-pools over the sequence and classifies. A few
epochs of SGD with dropout on, then evaluation without it.
"""

import torch
import torch.nn as nn

torch.manual_seed(42)

VOCAB, SEQ, D_MODEL, N_CLASSES = 8, 6, 16, 2


def make_batch(n):
    x = torch.randint(0, VOCAB, (n, SEQ))
    y = ((x == 1).sum(dim=1) > (x == 2).sum(dim=1)).long()
    return x, y


class TinyTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, D_MODEL)
        self.pos = nn.Parameter(torch.zeros(1, SEQ, D_MODEL))
        layer = nn.TransformerEncoderLayer(d_model=D_MODEL, nhead=4, dim_feedforward=32,
                                           dropout=0.1)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.head = nn.Linear(D_MODEL, N_CLASSES)

    def forward(self, tokens, padding_mask=None):
        h = self.embed(tokens) + self.pos
        # the encoder wants (sequence, batch, features)
        h = self.encoder(h.transpose(0, 1), src_key_padding_mask=padding_mask)
        return self.head(h.mean(dim=0))


model = TinyTransformer()
print(model)
n_params = sum(p.numel() for p in model.parameters())
print("parameters:", n_params)

train_x, train_y = make_batch(64)
test_x, test_y = make_batch(32)
print("positives in train:", train_y.sum().item(), "of", len(train_y))

optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()

for epoch in range(6):
    model.train()
    total = 0.0
    for start in range(0, 64, 16):
        xb, yb = train_x[start:start + 16], train_y[start:start + 16]
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch + 1}: mean loss {total / 4:.4f}")

model.eval()
with torch.no_grad():
    logits = model(test_x)
    test_loss = loss_fn(logits, test_y).item()
    accuracy = (logits.argmax(dim=1) == test_y).float().mean().item()
print(f"test loss {test_loss:.4f}, accuracy {accuracy:.4f}")

# a padding mask: the last two tokens of the first sequence are ignored
mask = torch.zeros(2, SEQ, dtype=torch.bool)
mask[0, -2:] = True
with torch.no_grad():
    probs = torch.softmax(model(test_x[:2], padding_mask=mask), dim=-1)
print("probabilities:", [[round(p, 4) for p in row] for row in probs.tolist()])

attn = model.encoder.layers[0].self_attn
print("heads:", attn.num_heads, "head dim:", attn.head_dim, "batch_first:", attn.batch_first)
