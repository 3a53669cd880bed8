"""Logistic regression with a hand-written gradient, checked against autograd."""
import torch

torch.manual_seed(8)

N, D = 120, 4
X = torch.randn(N, D, dtype=torch.float64)
w_true = torch.tensor([2.0, -1.0, 0.0, 0.5], dtype=torch.float64)
y = (torch.sigmoid(X @ w_true + 0.3) > torch.rand(N, dtype=torch.float64)).double()
print("positives:", int(y.sum().item()), "of", N)


def sigmoid(z):
    return 1.0 / (1.0 + torch.exp(-z))


def loss_and_grad(w, b, X, y, lam=0.01):
    z = X @ w + b
    p = sigmoid(z)
    eps = 1e-12
    loss = -(y * torch.log(p + eps) + (1 - y) * torch.log(1 - p + eps)).mean() + 0.5 * lam * (w @ w)
    err = p - y
    gw = X.T @ err / X.shape[0] + lam * w
    gb = err.mean()
    return loss, gw, gb


w = torch.zeros(D, dtype=torch.float64, requires_grad=True)
b = torch.zeros((), dtype=torch.float64, requires_grad=True)
loss, gw, gb = loss_and_grad(w, b, X, y)
loss.backward()
print(f"initial loss {loss.item():.6f} (log 2 = {torch.log(torch.tensor(2.0)).item():.6f})")
print("manual gw:", gw.detach().numpy().round(6))
print("auto   gw:", w.grad.numpy().round(6))
print("grad w close:", torch.allclose(gw, w.grad), "| grad b close:", torch.allclose(gb, b.grad))
print(f"max abs diff: {(gw - w.grad).abs().max().item():.2e}")

# training with the manual gradient only
w = torch.zeros(D, dtype=torch.float64)
b = torch.tensor(0.0, dtype=torch.float64)
for it in range(300):
    loss, gw, gb = loss_and_grad(w, b, X, y)
    w = w - 0.5 * gw
    b = b - 0.5 * gb
    if it % 100 == 0 or it == 299:
        print(f"it {it:3d} loss {loss.item():.4f}")

pred = (sigmoid(X @ w + b) >= 0.5).double()
acc = (pred == y).double().mean().item()
print(f"train accuracy: {acc:.3f}")
print("learned w:", [round(v, 3) for v in w.tolist()], "b:", round(b.item(), 3))

# finite differences on one coordinate
wv = w.clone()
h = 1e-6
e = torch.zeros(D, dtype=torch.float64); e[0] = h
fd = (loss_and_grad(wv + e, b, X, y)[0] - loss_and_grad(wv - e, b, X, y)[0]) / (2 * h)
print(f"finite diff vs analytic: {abs(fd.item() - loss_and_grad(wv, b, X, y)[1][0].item()) < 1e-6}")
print("gradcheck:", torch.autograd.gradcheck(lambda ww: loss_and_grad(ww, b, X, y)[0],
                                            (wv.clone().requires_grad_(),)))
