# Variable-length sequence classification with a bidirectional GRU and packed sequences.
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

torch.manual_seed(1)

# task: does the sequence contain more positive than negative numbers?
def make_batch(n):
    seqs, labels = [], []
    for _ in range(n):
        length = torch.randint(2, 7, (1,)).item()
        s = torch.randn(length, 1)
        seqs.append(s)
        labels.append(int((s > 0).sum().item() * 2 > length))
    return seqs, torch.tensor(labels)


seqs, labels = make_batch(8)
lengths = torch.tensor([len(s) for s in seqs])
print("lengths:", lengths.tolist())
print("labels: ", labels.tolist())

padded = pad_sequence(seqs, batch_first=True)
print("padded:", padded.shape, padded.dtype)
print(padded[0].squeeze(-1))

packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
print("batch_sizes:", packed.batch_sizes)
print("sorted_indices:", packed.sorted_indices)
print("data shape:", packed.data.shape)


class GRUClassifier(nn.Module):
    def __init__(self, hidden=6):
        super().__init__()
        self.gru = nn.GRU(input_size=1, hidden_size=hidden, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden, 2)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        out, h_n = self.gru(packed)
        # h_n: (num_layers * num_directions, batch, hidden)
        h = torch.cat([h_n[-2], h_n[-1]], dim=1)
        return self.head(h), out


model = GRUClassifier()
print(model)
for name, p in model.named_parameters():
    print(f"{name:24s} {tuple(p.shape)}")

logits, out = model(padded, lengths)
unpacked, out_lengths = pad_packed_sequence(out, batch_first=True)
print("unpacked:", unpacked.shape, "lengths:", out_lengths.tolist())
# padding positions come back as zeros
print("zeros after end:", bool((unpacked[lengths.argmin(), lengths.min():] == 0).all()))

opt = torch.optim.Adam(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
train_seqs, train_labels = make_batch(48)
train_lengths = torch.tensor([len(s) for s in train_seqs])
train_padded = pad_sequence(train_seqs, batch_first=True)
for step in range(30):
    opt.zero_grad()
    logits, _ = model(train_padded, train_lengths)
    loss = loss_fn(logits, train_labels)
    loss.backward()
    opt.step()
    if step % 10 == 9:
        acc = (logits.argmax(1) == train_labels).float().mean()
        print(f"step {step + 1:2d} loss {loss.item():.3f} acc {acc.item():.3f}")

with torch.no_grad():
    logits, _ = model(padded, lengths)
print("pred:", logits.argmax(1).tolist())

# the same with an LSTM and an unbatched sequence
lstm = nn.LSTM(1, 3, num_layers=2)
o, (h, c) = lstm(seqs[0])
print("unbatched LSTM:", o.shape, h.shape, c.shape)
