# Homework: logistic regression from scratch with manual SGD updates.
import torch

torch.manual_seed(16)
n = 200
X = torch.randn(n, 2)
true_w = torch.tensor([2.0, -3.0])
true_b = 0.5
y = ((X @ true_w + true_b + 0.3 * torch.randn(n)) > 0).float()
print("positives:", int(y.sum().item()), "of", n)

w = torch.zeros(2, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.5


def predict_proba(X):
    return torch.sigmoid(X @ w + b)


for epoch in range(301):
    p = predict_proba(X)
    loss = -(y * torch.log(p + 1e-9) + (1 - y) * torch.log(1 - p + 1e-9)).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    if epoch % 50 == 0:
        with torch.no_grad():
            acc = ((predict_proba(X) > 0.5).float() == y).float().mean()
        print(f"epoch {epoch:3d} loss {loss.item():.4f} acc {acc.item():.3f}")

print("w:", [round(v, 3) for v in w.tolist()], "b:", round(b.item(), 3))
direction = w.detach() / w.detach().norm()
print("direction:", direction)
print("cosine with truth:", f"{torch.dot(direction, true_w / true_w.norm()).item():.4f}")
with torch.no_grad():
    bce = torch.nn.functional.binary_cross_entropy(predict_proba(X), y)
print(f"final BCE {bce:.4f}")
