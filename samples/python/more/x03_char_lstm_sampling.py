# Character-level LSTM language model trained on a tiny text, then sampled with temperature.
import string
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(42)

text = "hello world. hello there. the world says hello."
chars = sorted(set(text))
stoi = {ch: i for i, ch in enumerate(chars)}
itos = {i: ch for ch, i in stoi.items()}
vocab_size = len(chars)
print(f"vocab ({vocab_size}): {''.join(chars)!r}")
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
print("encoded head:", data[:10])
print("decoded:", "".join(itos[i] for i in data[:11].tolist()))

seq_len = 8
xs = torch.stack([data[i:i + seq_len] for i in range(len(data) - seq_len)])
ys = torch.stack([data[i + 1:i + seq_len + 1] for i in range(len(data) - seq_len)])
print("dataset:", xs.shape, ys.shape)


class CharLSTM(nn.Module):
    def __init__(self, vocab, emb=8, hidden=24):
        super().__init__()
        self.embed = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, x, state=None):
        h, state = self.lstm(self.embed(x), state)
        return self.out(h), state


model = CharLSTM(vocab_size)
opt = torch.optim.Adam(model.parameters(), lr=0.02)
for epoch in range(60):
    logits, _ = model(xs)
    loss = F.cross_entropy(logits.reshape(-1, vocab_size), ys.reshape(-1))
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if epoch % 20 == 0 or epoch == 59:
        print(f"epoch {epoch:3d}  loss {loss.item():.4f}  perplexity {loss.exp().item():.2f}")


@torch.no_grad()
def generate(prompt, n, temperature=1.0):
    model.eval()
    idx = torch.tensor([[stoi[c] for c in prompt]])
    logits, state = model(idx)
    out = list(prompt)
    last = logits[:, -1, :]
    for _ in range(n):
        probs = F.softmax(last / temperature, dim=-1)
        nxt = torch.multinomial(probs, num_samples=1)
        out.append(itos[nxt.item()])
        logits, state = model(nxt, state)
        last = logits[:, -1, :]
    return "".join(out)


torch.manual_seed(7)
print(repr(generate("hel", 20, temperature=0.5)))
print(repr(generate("the", 20, temperature=1.0)))
# greedy decoding
with torch.no_grad():
    idx = torch.tensor([[stoi["w"]]])
    s = "w"
    state = None
    for _ in range(10):
        logits, state = model(idx, state)
        idx = logits[:, -1].argmax(-1, keepdim=True)
        s += itos[idx.item()]
print("greedy:", s)
top = torch.topk(F.softmax(model(torch.tensor([[stoi["h"]]]))[0][0, -1], -1), 3)
print("after 'h':", [(itos[i], round(p, 3)) for p, i in zip(top.values.tolist(), top.indices.tolist())])
print(string.ascii_lowercase[:5], all(c in string.printable for c in text))
