"""Seq2seq with GRU encoder/decoder and teacher forcing: learn to reverse digit strings."""
import random
import torch
import torch.nn as nn

torch.manual_seed(7)
random.seed(7)

SOS, EOS = 10, 11
VOCAB = 12
HIDDEN = 32
SEQ_LEN = 5


def make_pair():
    seq = [random.randint(0, 9) for _ in range(SEQ_LEN)]
    return seq, seq[::-1]


class EncoderRNN(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.embedding = nn.Embedding(vocab, hidden)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)

    def forward(self, src):
        embedded = self.embedding(src)
        outputs, hidden = self.gru(embedded)
        return outputs, hidden


class DecoderRNN(nn.Module):
    def __init__(self, vocab, hidden):
        super().__init__()
        self.embedding = nn.Embedding(vocab, hidden)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward_step(self, token, hidden):
        emb = torch.relu(self.embedding(token))
        output, hidden = self.gru(emb, hidden)
        return self.out(output), hidden


encoder = EncoderRNN(VOCAB, HIDDEN)
decoder = DecoderRNN(VOCAB, HIDDEN)
params = list(encoder.parameters()) + list(decoder.parameters())
optimizer = torch.optim.Adam(params, lr=0.01)
criterion = nn.CrossEntropyLoss()
teacher_forcing_ratio = 0.5


def train_batch(batch_size=16):
    pairs = [make_pair() for _ in range(batch_size)]
    src = torch.tensor([p[0] for p in pairs])
    tgt = torch.tensor([p[1] + [EOS] for p in pairs])
    optimizer.zero_grad()
    _, hidden = encoder(src)
    dec_input = torch.full((batch_size, 1), SOS, dtype=torch.long)
    loss = 0
    use_tf = random.random() < teacher_forcing_ratio
    for t in range(tgt.size(1)):
        logits, hidden = decoder.forward_step(dec_input, hidden)
        loss = loss + criterion(logits.squeeze(1), tgt[:, t])
        if use_tf:
            dec_input = tgt[:, t].unsqueeze(1)
        else:
            dec_input = logits.argmax(dim=-1).detach()
    loss.backward()
    nn.utils.clip_grad_norm_(params, 1.0)
    optimizer.step()
    return loss.item() / tgt.size(1), use_tf


for it in range(1, 121):
    loss, tf = train_batch()
    if it % 20 == 0:
        print(f"iter {it:4d}  loss {loss:.4f}  teacher_forcing={tf}")


def greedy_decode(seq):
    with torch.no_grad():
        _, hidden = encoder(torch.tensor([seq]))
        tok = torch.tensor([[SOS]])
        out = []
        for _ in range(SEQ_LEN + 1):
            logits, hidden = decoder.forward_step(tok, hidden)
            tok = logits.argmax(-1)
            if tok.item() == EOS:
                break
            out.append(tok.item())
        return out


for _ in range(3):
    s, t = make_pair()
    pred = greedy_decode(s)
    print("src", s, "-> pred", pred, "target", t, "ok" if pred == t else "x")
print("encoder:", encoder)
