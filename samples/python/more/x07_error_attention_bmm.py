# Self-attention from scratch with torch.bmm: the version that works, the shape
# mistakes students print while debugging, and the forgotten transpose that crashes.
import math
import torch
import torch.nn.functional as F

torch.manual_seed(0)
B, T, D = 2, 4, 3
x = torch.randn(B, T, D)
Wq, Wk, Wv = (torch.randn(D, D) / math.sqrt(D) for _ in range(3))
q, k, v = x @ Wq, x @ Wk, x @ Wv
print("q, k, v:", q.shape, k.shape, v.shape)

scores = torch.bmm(q, k.transpose(1, 2)) / math.sqrt(D)
print("scores:", scores.shape)
mask = torch.tril(torch.ones(T, T)).bool()
scores = scores.masked_fill(~mask, float("-inf"))
weights = F.softmax(scores, dim=-1)
out = torch.bmm(weights, v)
print("weights[0]:\n", weights[0].round(decimals=3))
print("out:", out.shape, f"{out.abs().sum().item():.4f}")
print("same as matmul:", torch.allclose(out, weights @ v))

# debugging attempts that fail with a message
try:
    per_query = mask.expand(B, T + 1, T)
except RuntimeError as e:
    print("expand:", e)
try:
    torch.matmul(q[0, 0], k[0, 0, :2])
except RuntimeError as e:
    print("matmul 1-D:", e)
try:
    q @ k  # the @ version of the same mistake
except RuntimeError as e:
    print("matmul 3-D:", e)
try:
    Wq @ x[0, 0, :2]
except RuntimeError as e:
    print("matrix-vector:", e)
try:
    torch.bmm(q, v[:1].transpose(1, 2))
except RuntimeError as e:
    print("bmm batch:", e)


# more mistakes from the same homework, each printed as the error says it
mistakes = {
    "mask from ints": lambda: torch.where(torch.tril(torch.ones(T, T, dtype=torch.long)), scores[0], 0.0),
    "split heads": lambda: q.split([1, 1], dim=-1),
    "repeat per head": lambda: mask.repeat(2),
    "chunk zero heads": lambda: q.chunk(0, dim=-1),
    "clamp no bounds": lambda: scores.clamp(),
    "max of no keys": lambda: scores[:, :, :0].max(),
    "scale as 0-d @": lambda: torch.tensor(0.5) @ q[0, 0],
    "sum over a dim twice": lambda: weights.sum(dim=(1, 1)),
    "random key ids": lambda: torch.randint(T, 0, (2,)),
    "positions": lambda: torch.arange(T, 0, 1),
}
for what, f in mistakes.items():
    try:
        f()
    except (RuntimeError, IndexError) as e:
        print(f"{what}: {type(e).__name__}: {e}")

def attention(q, k, v):
    scores = torch.bmm(q, k) / math.sqrt(q.size(-1))  # forgot k.transpose(1, 2)
    return torch.bmm(scores.softmax(-1), v)


q2 = torch.randn(B, T, 5)
k2 = torch.randn(B, T, 5)
print(attention(q2, k2, v).shape)
