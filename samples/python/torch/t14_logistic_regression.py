"""Logistic regression on a deterministic 2-D grid, trained by hand."""
import torch
import torch.nn.functional as F

# A 6 x 6 grid of points; the label says whether x0 + 2 * x1 > 0.5.
coords = torch.linspace(-1.0, 1.0, 6)
X = torch.cartesian_prod(coords, coords)
y = (X[:, 0] + 2 * X[:, 1] > 0.5).float()
print("X:", tuple(X.shape), "| positives:", int(y.sum().item()), "of", len(y))
print("first rows:", X[:3].tolist())

w = torch.zeros(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)


def forward(inputs):
    return inputs @ w + b


def accuracy(logits, labels):
    return ((logits > 0).float() == labels).float().mean().item()


lr = 1.0
for epoch in range(1, 151):
    logits = forward(X)
    loss = F.binary_cross_entropy_with_logits(logits, y)
    loss.backward()
    with torch.no_grad():
        for p in (w, b):
            p -= lr * p.grad
            p.grad = None
    if epoch in (1, 2, 5, 10, 50, 100, 150):
        print(f"epoch {epoch:3d} | loss {loss.item():.4f} | acc {accuracy(logits, y):.3f}")

print(f"w = {w.detach()}, b = {b.item():.3f}")
print(f"direction ratio w1/w0 = {w[1].item() / w[0].item():.3f} (true boundary 2.0)")

# The same loss written out with sigmoid and log, for comparison.
with torch.no_grad():
    logits = forward(X)
    p = torch.sigmoid(logits)
    manual = -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
    library = F.binary_cross_entropy_with_logits(logits, y)
    print(f"manual {manual.item():.5f} vs library {library.item():.5f}")
    print("close:", torch.isclose(manual, library, atol=1e-5).item())
    tests = torch.tensor([[0.9, 0.9], [-0.9, -0.9], [0.5, 0.0]])
    print("test probabilities:", [round(v, 3) for v in torch.sigmoid(forward(tests)).tolist()])
    wrong = [(round(a, 1), round(c, 1)) for (a, c), lab, lg in zip(X.tolist(), y.tolist(), logits.tolist())
             if (lg > 0) != (lab > 0.5)]
    print("misclassified points:", wrong)
