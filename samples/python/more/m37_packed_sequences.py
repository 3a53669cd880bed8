"""Variable-length sentences through an LSTM classifier: pad, pack, run, unpack."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import (pack_padded_sequence, pack_sequence, pad_packed_sequence,
                                pad_sequence)

torch.manual_seed(0)

vocab = {"<pad>": 0, "the": 1, "cat": 2, "sat": 3, "on": 4, "mat": 5, "dog": 6, "ran": 7}
sentences = [["the", "cat", "sat", "on", "the", "mat"], ["the", "dog", "ran"],
             ["dog", "sat"], ["the", "cat", "ran", "on"]]
labels = torch.tensor([1, 0, 0, 1])

ids = [torch.tensor([vocab[w] for w in s]) for s in sentences]
lengths = torch.tensor([len(s) for s in ids])
padded = pad_sequence(ids, batch_first=True, padding_value=vocab["<pad>"])
print("padded batch:")
print(padded)
print("lengths:", lengths)


class Classifier(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim, classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.lstm = nn.LSTM(embed_dim, hidden_dim, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * hidden_dim, classes)

    def forward(self, x, lengths):
        emb = self.embedding(x)
        packed = pack_padded_sequence(emb, lengths, batch_first=True, enforce_sorted=False)
        out, (h, c) = self.lstm(packed)
        unpacked, out_lengths = pad_packed_sequence(out, batch_first=True)
        final = torch.cat([h[-2], h[-1]], dim=1)
        return self.fc(final), unpacked, out_lengths


model = Classifier(len(vocab), 5, 4, 2)
print(model)
logits, unpacked, out_lengths = model(padded, lengths)
print("unpacked:", tuple(unpacked.shape), unpacked.grad_fn.name(), out_lengths)
print("padding positions are zero:", bool((unpacked[2, 2:] == 0).all()))
print("logits:", logits)

optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
for step in range(5):
    optimizer.zero_grad()
    logits, _, _ = model(padded, lengths)
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    optimizer.step()
    print(f"step {step}: loss {loss.item():.4f}")
print("lstm weight grad norm:", round(model.lstm.weight_hh_l0_reverse.grad.norm().item(), 4))

# a PackedSequence: its fields, and the order it keeps
emb = model.embedding(padded).detach()
packed = pack_padded_sequence(emb, lengths, batch_first=True, enforce_sorted=False)
print(type(packed).__name__, packed.batch_sizes, packed.sorted_indices,
      packed.unsorted_indices)
print("data:", tuple(packed.data.shape), packed.data.grad_fn)
data, batch_sizes, sorted_indices, unsorted_indices = packed
print(batch_sizes.sum().item() == data.shape[0])

# pack_sequence from a list, a GRU with an initial state
seqs = [torch.randn(4, 3), torch.randn(3, 3), torch.randn(1, 3)]
gru = nn.GRU(3, 2)
h0 = torch.zeros(1, 3, 2, requires_grad=True)
out, hn = gru(pack_sequence(seqs), h0)
print(out)
print(hn, hn.grad_fn.name())
hn.sum().backward()
print(h0.grad)

# the errors
for bad in ([3, 4, 5], [2, 2, 0]):
    try:
        pack_padded_sequence(torch.zeros(3, 5, 2), bad, batch_first=True)
    except RuntimeError as e:
        print("RuntimeError:", e)
try:
    pad_packed_sequence(pack_sequence(seqs), total_length=2)
except ValueError as e:
    print("ValueError:", e)
