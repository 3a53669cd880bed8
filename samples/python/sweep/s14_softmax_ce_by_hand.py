# Homework: numerically stable softmax cross-entropy vs F.cross_entropy.
import torch
import torch.nn.functional as F

torch.manual_seed(14)


def softmax(logits):
    shifted = logits - logits.max(dim=1, keepdim=True).values
    e = shifted.exp()
    return e / e.sum(dim=1, keepdim=True)


def cross_entropy(logits, target):
    logp = logits - torch.logsumexp(logits, dim=1, keepdim=True)
    return -logp.gather(1, target.unsqueeze(1)).squeeze(1).mean()


logits = torch.randn(6, 4, requires_grad=True)
target = torch.tensor([0, 3, 1, 1, 2, 0])
p = softmax(logits)
print("rows sum to one:", torch.allclose(p.sum(1), torch.ones(6)))
print("matches F.softmax:", torch.allclose(p, F.softmax(logits, dim=1)))

mine = cross_entropy(logits, target)
ref = F.cross_entropy(logits, target)
print(f"mine={mine.item():.6f} torch={ref.item():.6f}")

g_mine, = torch.autograd.grad(mine, logits)
onehot = F.one_hot(target, num_classes=4).float()
g_formula = (p - onehot) / logits.shape[0]
print("grad matches (p - y)/N:", torch.allclose(g_mine, g_formula.detach(), atol=1e-6))
print(onehot)

big = torch.tensor([[1000.0, 0.0, -1000.0]])
print("naive:", (big.exp() / big.exp().sum()).tolist())
print("stable:", softmax(big).tolist())
print("ls:", F.cross_entropy(logits, target, label_smoothing=0.1).item() > 0)
print("weighted:", round(F.cross_entropy(logits, target, weight=torch.tensor([1.0, 2.0, 0.5, 1.0])).item(), 4))
print("none:", F.cross_entropy(logits, target, reduction="none").detach())
print("nll:", round(F.nll_loss(F.log_softmax(logits, dim=1), target).item(), 4))
