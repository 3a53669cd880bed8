"""Sequence to sequence with nn.Transformer: learn to reverse a sequence of digits.

The source is 6 random tokens from 3..9; the target is the same tokens in reverse order.
The decoder reads the target shifted right behind a start token (teacher forcing) and
a causal mask from ``nn.Transformer.generate_square_subsequent_mask`` keeps each
position from looking ahead. After 160 SGD steps with dropout on (far from enough to
learn the task; the loss only starts to fall), the model decodes greedily, one token
at a time, with dropout off.
"""

import math

import torch
import torch.nn as nn

torch.manual_seed(0)

PAD, BOS = 0, 1
VOCAB, SEQ, D_MODEL = 10, 6, 32


def make_batch(n):
    src = torch.randint(3, VOCAB, (n, SEQ))
    tgt = src.flip(dims=[1])
    return src, tgt


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.src_embed = nn.Embedding(VOCAB, D_MODEL)
        self.tgt_embed = nn.Embedding(VOCAB, D_MODEL)
        self.pos = nn.Embedding(SEQ + 1, D_MODEL)
        self.transformer = nn.Transformer(d_model=D_MODEL, nhead=4, num_encoder_layers=2,
                                          num_decoder_layers=2, dim_feedforward=64,
                                          dropout=0.1, batch_first=True)
        self.out = nn.Linear(D_MODEL, VOCAB)

    def embed(self, table, tokens):
        positions = torch.arange(tokens.size(1)).unsqueeze(0)
        return table(tokens) * math.sqrt(D_MODEL) + self.pos(positions)

    def encode(self, src):
        return self.transformer.encoder(self.embed(self.src_embed, src))

    def decode(self, tgt_in, memory):
        mask = nn.Transformer.generate_square_subsequent_mask(tgt_in.size(1))
        h = self.transformer.decoder(self.embed(self.tgt_embed, tgt_in), memory,
                                     tgt_mask=mask)
        return self.out(h)

    def forward(self, src, tgt_in):
        return self.decode(tgt_in, self.encode(src))


def shift_right(tgt):
    start = torch.full((tgt.size(0), 1), BOS, dtype=torch.long)
    return torch.cat([start, tgt[:, :-1]], dim=1)


model = Seq2Seq()
print(model.transformer.decoder.layers[0])
print("parameters:", sum(p.numel() for p in model.parameters()))
print("transformer tensors:", len(list(model.transformer.parameters())))
print("first decoder keys:", [k for k in model.state_dict() if ".decoder.layers.0." in k][:6])
print("causal mask for 4 steps:")
print(nn.Transformer.generate_square_subsequent_mask(4))

w = model.transformer.encoder.layers[0].self_attn.in_proj_weight
print("xavier-initialised in_proj_weight:", [round(v, 4) for v in w[0, :4].tolist()])

optimizer = torch.optim.SGD(model.parameters(), lr=0.005, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()

src0, tgt0 = make_batch(4)
with torch.no_grad():
    logits0 = model(src0, shift_right(tgt0))
print("logits shape:", tuple(logits0.shape), "grad_fn:", type(logits0.grad_fn).__name__)

model.train()
for step in range(1, 161):
    src, tgt = make_batch(32)
    logits = model(src, shift_right(tgt))
    loss = loss_fn(logits.reshape(-1, VOCAB), tgt.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 20 == 0:
        print(f"step {step:3d}: loss {loss.item():.4f}")
print("loss grad_fn:", loss.grad_fn.name())


def greedy_decode(src):
    memory = model.encode(src)
    ys = torch.full((src.size(0), 1), BOS, dtype=torch.long)
    for _ in range(SEQ):
        logits = model.decode(ys, memory)
        next_token = logits[:, -1].argmax(dim=-1, keepdim=True)
        ys = torch.cat([ys, next_token], dim=1)
    return ys[:, 1:]


model.eval()
test_src, test_tgt = make_batch(6)
with torch.no_grad():
    test_logits = model(test_src, shift_right(test_tgt))
    test_loss = loss_fn(test_logits.reshape(-1, VOCAB), test_tgt.reshape(-1)).item()
    decoded = greedy_decode(test_src)
print(f"teacher-forced test loss {test_loss:.4f}")
for s, t, d in zip(test_src.tolist(), test_tgt.tolist(), decoded.tolist()):
    print(s, "->", d, "ok" if d == t else "expected " + str(t))
token_acc = (decoded == test_tgt).float().mean().item()
print(f"token accuracy {token_acc:.4f}")
