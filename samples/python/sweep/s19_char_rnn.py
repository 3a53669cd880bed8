# Homework: a tiny character-level language model with nn.Embedding + nn.LSTM.
import torch
from torch import nn

torch.manual_seed(19)
text = "hello world, hello torch. "
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
itos = {i: c for c, i in stoi.items()}
data = torch.tensor([stoi[c] for c in text])
print("vocab:", "".join(chars), "size", len(chars))


class CharModel(nn.Module):
    def __init__(self, vocab, emb=8, hidden=32):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb)
        self.rnn = nn.LSTM(emb, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, idx, state=None):
        out, state = self.rnn(self.embed(idx), state)
        return self.head(out), state


model = CharModel(len(chars))
print(model)
print("params:", sum(p.numel() for p in model.parameters() if p.requires_grad))
inp = data[:-1].unsqueeze(0)
tgt = data[1:].unsqueeze(0)
opt = torch.optim.Adam(model.parameters(), lr=0.02)
loss_fn = nn.CrossEntropyLoss()
for step in range(60):
    logits, _ = model(inp)
    loss = loss_fn(logits.view(-1, len(chars)), tgt.view(-1))
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if step % 15 == 0:
        print(f"step {step:3d} loss {loss.item():.4f}")

model.eval()
with torch.no_grad():
    idx = torch.tensor([[stoi["h"]]])
    state = None
    out = ["h"]
    for _ in range(len(text) - 1):
        logits, state = model(idx, state)
        nxt = logits[0, -1].argmax().item()
        out.append(itos[nxt])
        idx = torch.tensor([[nxt]])
print(repr("".join(out)))
h, c = state
print(h.shape, c.shape)

rnn = nn.RNN(4, 5, num_layers=2, nonlinearity="tanh")
o, hn = rnn(torch.randn(3, 2, 4))
print(o.shape, hn.shape, [n for n, _ in rnn.named_parameters()][:4])
