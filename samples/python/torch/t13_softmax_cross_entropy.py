"""Softmax and cross-entropy written by hand, checked against torch.nn.functional."""
import torch
import torch.nn.functional as F

torch.set_printoptions(precision=4)

logits = torch.tensor([[2.0, 1.0, 0.1],
                       [0.5, 2.5, -1.0],
                       [-0.3, 0.2, 3.0],
                       [1.0, 1.0, 1.0]], requires_grad=True)
targets = torch.tensor([0, 1, 2, 1])


def softmax(z):
    shifted = z - z.max(dim=1, keepdim=True).values
    e = shifted.exp()
    return e / e.sum(dim=1, keepdim=True)


def cross_entropy(z, y):
    log_probs = z - z.logsumexp(dim=1, keepdim=True)
    picked = log_probs[torch.arange(len(y)), y]
    return -picked.mean()


probs = softmax(logits)
print("probs:")
print(probs)
print("rows sum to one:", torch.allclose(probs.sum(dim=1), torch.ones(4)))
print("matches F.softmax:", torch.allclose(probs, F.softmax(logits, dim=1)))
print("log_softmax row 0:", F.log_softmax(logits, dim=1)[0])
print("predictions:", probs.argmax(dim=1).tolist(), "| targets:", targets.tolist())
accuracy = (probs.argmax(dim=1) == targets).float().mean()
print(f"accuracy: {accuracy.item():.2%}")

mine = cross_entropy(logits, targets)
theirs = F.cross_entropy(logits, targets)
nll = F.nll_loss(F.log_softmax(logits, dim=1), targets)
print(f"cross-entropy by hand {mine.item():.6f} | F.cross_entropy {theirs.item():.6f} | nll {nll.item():.6f}")
print("grad_fn names:", type(mine.grad_fn).__name__, type(theirs.grad_fn).__name__)

(grad,) = torch.autograd.grad(theirs, logits)
one_hot = F.one_hot(targets, num_classes=3).float()
expected = (F.softmax(logits, dim=1) - one_hot) / len(targets)
print("one_hot:")
print(one_hot)
print("gradient:")
print(grad)
print("softmax - one_hot, over N:", torch.allclose(grad, expected, atol=1e-6))

per_sample = F.cross_entropy(logits, targets, reduction="none")
print("per sample:", per_sample)
print("sum reduction equals 4 x mean:",
      torch.allclose(F.cross_entropy(logits, targets, reduction="sum"), 4 * theirs))
smooth = F.cross_entropy(logits, targets, label_smoothing=0.1)
print(f"with label smoothing: {smooth.item():.5f}")
temperature_probs = [F.softmax(logits[0] / t, dim=0) for t in (0.5, 1.0, 5.0)]
for t, p in zip((0.5, 1.0, 5.0), temperature_probs):
    print(f"T={t:<4} " + " ".join(f"{v:.3f}" for v in p.tolist()))
big = torch.tensor([1000.0, 1001.0, 1002.0])
print("stable softmax of large logits:", softmax(big.unsqueeze(0)), big.exp())
print(F.sigmoid(torch.tensor([0.0])), F.binary_cross_entropy(torch.tensor([0.8]), torch.tensor([1.0])))
