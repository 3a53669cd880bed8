# A tiny transformer encoder block written by hand around nn.MultiheadAttention,
# compared with nn.TransformerEncoderLayer and F.scaled_dot_product_attention.
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)
B, T, D, H = 2, 5, 8, 2


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=16):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return x + self.pe[:, :x.size(1)]


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(D, H, batch_first=True)
        self.ln1 = nn.LayerNorm(D)
        self.ln2 = nn.LayerNorm(D)
        self.ff = nn.Sequential(nn.Linear(D, 4 * D), nn.GELU(), nn.Linear(4 * D, D))

    def forward(self, x, attn_mask=None, key_padding_mask=None):
        a, w = self.attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                         need_weights=True, average_attn_weights=False)
        x = self.ln1(x + a)
        x = self.ln2(x + self.ff(x))
        return x, w


pos = PositionalEncoding(D)
print("pe buffer:", pos.pe.shape, [n for n, _ in pos.named_buffers()])
print(pos.pe[0, :3, :4])

x = pos(torch.randn(B, T, D))
causal = nn.Transformer.generate_square_subsequent_mask(T)
print("causal mask:\n", causal)
bool_causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
padding = torch.tensor([[False] * 5, [False, False, False, True, True]])

block = Block()
out, w = block(x, attn_mask=bool_causal, key_padding_mask=padding)
print("out:", out.shape, "weights:", w.shape)
print("row sums:", w.sum(-1)[1, 0])
print(w[1, 0].round(decimals=4))
print("masked weights are zero:", bool((w[1, :, :, 3:] == 0).all()))

out_float, _ = block(x, attn_mask=causal)
out_bool, _ = block(x, attn_mask=bool_causal)
print("float and bool masks agree:", torch.allclose(out_float, out_bool, atol=1e-6))

# multi-head attention written out by hand with the module's own weights
q_w, k_w, v_w = block.attn.in_proj_weight.chunk(3)
q_b, k_b, v_b = block.attn.in_proj_bias.chunk(3)
q = F.linear(x, q_w, q_b).view(B, T, H, D // H).transpose(1, 2)
k = F.linear(x, k_w, k_b).view(B, T, H, D // H).transpose(1, 2)
v = F.linear(x, v_w, v_b).view(B, T, H, D // H).transpose(1, 2)
scores = q @ k.transpose(-2, -1) / math.sqrt(D // H)
scores = scores.masked_fill(bool_causal, float("-inf"))
att = scores.softmax(-1)
ctx = (att @ v).transpose(1, 2).reshape(B, T, D)
manual = block.attn.out_proj(ctx)
ref, _ = block.attn(x, x, x, attn_mask=bool_causal, need_weights=False)
print("manual == module:", torch.allclose(manual, ref, atol=1e-5))
sdpa = F.scaled_dot_product_attention(q, k, v, is_causal=True)
print("sdpa == manual:", torch.allclose(sdpa, att @ v, atol=1e-6))

layer = nn.TransformerEncoderLayer(d_model=D, nhead=H, dim_feedforward=16, dropout=0.0,
                                   batch_first=True, norm_first=True)
encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
encoder.eval()
y = encoder(x, mask=causal, src_key_padding_mask=padding)
print("encoder out:", y.shape, f"mean {y.mean().item():.4f} std {y.std().item():.4f}")
print(sum(p.numel() for p in encoder.parameters()), "parameters")
print([name for name, _ in encoder.named_children()], len(encoder.layers))
print(encoder.layers[0].self_attn)
print(f"{y[0, 0, :4].tolist()[0]:.4f}")
