"""Common losses written by hand, their gradients derived by hand, compared with autograd."""
import math
import torch
import torch.nn.functional as F

torch.manual_seed(9)

logits = torch.randn(4, 3, requires_grad=True)
targets = torch.tensor([0, 2, 1, 2])


def softmax(z, dim=-1):
    z = z - z.max(dim=dim, keepdim=True).values
    e = z.exp()
    return e / e.sum(dim=dim, keepdim=True)


def cross_entropy(z, y):
    logp = z - torch.logsumexp(z, dim=1, keepdim=True)
    return -logp[torch.arange(len(y)), y].mean()


p = softmax(logits)
print("softmax rows sum to one:", p.sum(dim=1))
print("probabilities:\n", p)
ce = cross_entropy(logits, targets)
print(f"my cross entropy {ce.item():.6f}  F.cross_entropy {F.cross_entropy(logits, targets).item():.6f}")
ce.backward()
onehot = F.one_hot(targets, num_classes=3).float()
manual = (p.detach() - onehot) / len(targets)
print("autograd grad:\n", logits.grad)
print("(p - y)/N:\n", manual)
print("match:", torch.allclose(logits.grad, manual, atol=1e-6))

# Mean squared error and Huber loss
pred = torch.tensor([2.5, 0.0, 2.0, 8.0], requires_grad=True)
true = torch.tensor([3.0, -0.5, 2.0, 7.0])
mse = ((pred - true) ** 2).mean()
mse.backward()
print("mse", mse.item(), "grad", pred.grad, "by hand", 2 * (pred.detach() - true) / 4)
pred.grad = None


def huber(a, b, delta=1.0):
    r = (a - b).abs()
    return torch.where(r < delta, 0.5 * r ** 2, delta * (r - 0.5 * delta)).mean()


h = huber(pred, true, 0.75)
h.backward()
print(f"huber {h.item():.4f} grad {pred.grad}")
print("F.huber_loss:", F.huber_loss(pred, true, delta=0.75))
print("F.mse_loss:", F.mse_loss(pred, true), "F.l1_loss:", F.l1_loss(pred, true))

# Binary cross entropy with logits vs by hand
s = torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)
lab = torch.tensor([0.0, 1.0, 1.0])
bce = -(lab * F.logsigmoid(s) + (1 - lab) * F.logsigmoid(-s)).mean()
bce.backward()
print("bce:", bce, "F:", F.binary_cross_entropy_with_logits(s, lab))
print("grad:", s.grad, "by hand:", (torch.sigmoid(s.detach()) - lab) / 3)
kl = F.kl_div(F.log_softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0), torch.tensor([0.2, 0.3, 0.5]), reduction="sum")
print("kl:", kl)
print("entropy of uniform over 3:", -3 * (1 / 3) * math.log(1 / 3), math.log(3))
print(F.softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0), F.relu(torch.tensor([-1.0, 2.0])))
print(F.nll_loss(F.log_softmax(logits, dim=1), targets))
