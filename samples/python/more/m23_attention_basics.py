"""Self-attention on a toy sequence: by hand first, then with nn.MultiheadAttention.

A tutorial-style walk through scaled dot-product attention: queries, keys and values
from learned projections, the attention weights, a causal mask, the gradient that flows
back into the projections, and the same thing done by PyTorch's MultiheadAttention.
"""

import math

import torch
import torch.nn as nn

torch.manual_seed(0)

seq_len, d_model = 4, 6
tokens = torch.randn(seq_len, d_model)

# --- attention by hand -------------------------------------------------------------
W_q = torch.randn(d_model, d_model, requires_grad=True)
W_k = torch.randn(d_model, d_model, requires_grad=True)
W_v = torch.randn(d_model, d_model, requires_grad=True)

Q = tokens @ W_q
K = tokens @ W_k
V = tokens @ W_v

scores = Q @ K.T / math.sqrt(d_model)
weights = torch.softmax(scores, dim=-1)
print("attention weights (rows sum to 1):")
print(weights.detach().numpy().round(4))
print("row sums:", [round(s, 4) for s in weights.sum(dim=-1).tolist()])

context = weights @ V
print("context shape:", tuple(context.shape))

# a causal mask: position i may only look at positions <= i
causal = torch.triu(torch.ones(seq_len, seq_len, dtype=torch.bool), diagonal=1)
masked_scores = scores.masked_fill(causal, float("-inf"))
causal_weights = torch.softmax(masked_scores, dim=-1)
print("causal weights, first row:", [round(w, 4) for w in causal_weights[0].tolist()])
print("causal weights, last row:", [round(w, 4) for w in causal_weights[-1].tolist()])

loss = (causal_weights @ V).pow(2).mean()
loss.backward()
print(f"loss = {loss.item():.4f}")
print("grad norm of W_q:", round(W_q.grad.norm().item(), 4))
print("grad norm of W_v:", round(W_v.grad.norm().item(), 4))

# --- the same idea with nn.MultiheadAttention ----------------------------------------
torch.manual_seed(1)
mha = nn.MultiheadAttention(embed_dim=d_model, num_heads=2)
print(mha)
for name, p in mha.named_parameters():
    print(f"{name:18s} {tuple(p.shape)}")

x = tokens.unsqueeze(1)  # (seq_len, batch=1, d_model)
out, attn = mha(x, x, x, attn_mask=causal)
print("output shape:", tuple(out.shape), "weights shape:", tuple(attn.shape))
print("averaged weights:")
print(attn[0].detach().numpy().round(4))
print("output grad_fn:", type(out.grad_fn).__name__)

out.sum().backward()
print("in_proj_weight grad norm:", round(mha.in_proj_weight.grad.norm().item(), 4))
print("out_proj.bias grad:", [round(g, 4) for g in mha.out_proj.bias.grad.tolist()])

# per-head weights and a batch-first layout with a padding mask
mha_bf = nn.MultiheadAttention(d_model, 3, batch_first=True)
batch = torch.randn(2, seq_len, d_model)
padding = torch.tensor([[False, False, False, True], [False, False, False, False]])
out_bf, per_head = mha_bf(batch, batch, batch, key_padding_mask=padding,
                          average_attn_weights=False)
print("per-head weights shape:", tuple(per_head.shape))
print("padded key gets weight:", round(per_head[0, :, :, 3].abs().max().item(), 4))
print("first output row:", [round(v, 4) for v in out_bf[0, 0].tolist()])
