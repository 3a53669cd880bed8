"""Special functions in a likelihood: log-gamma, digamma and torch.special."""
import math

import torch
import torch.special as sp

torch.manual_seed(0)

# A Gamma(alpha, beta) negative log-likelihood, written with lgamma
x = torch.tensor([0.5, 1.2, 2.7, 0.9, 3.3])
alpha = torch.tensor(2.0, requires_grad=True)
beta = torch.tensor(1.5, requires_grad=True)
nll = -(alpha * torch.log(beta) - torch.lgamma(alpha)
        + (alpha - 1) * torch.log(x) - beta * x).sum()
print("nll:", round(nll.item(), 4), nll.grad_fn.name())
nll.backward()
print("d/dalpha:", round(alpha.grad.item(), 4))
print("d/dbeta:", round(beta.grad.item(), 4))
# the digamma in alpha's gradient, by hand
manual = -(len(x) * (math.log(1.5) - torch.digamma(torch.tensor(2.0)).item()) + torch.log(x).sum())
print("by hand:", round(manual.item(), 4))

# gamma function values and their derivatives
z = torch.linspace(0.5, 4.0, 8, requires_grad=True)
for name, f in [("lgamma", torch.lgamma), ("digamma", torch.digamma),
                ("trigamma", lambda t: torch.polygamma(1, t)), ("gammaln", sp.gammaln),
                ("psi", sp.psi)]:
    y = f(z)
    (g,) = torch.autograd.grad(y.sum(), z)
    print(name, y.grad_fn.name(), [round(v, 4) for v in y.tolist()])
    print("  grad", [round(v, 3) for v in g.tolist()])

print(torch.mvlgamma(torch.tensor([2.0, 3.5]), p=3))
print(sp.multigammaln(torch.tensor([[2.0, 3.5]]), 2))

# torch.special: the logistic function and friends
p = torch.tensor([0.05, 0.25, 0.5, 0.75, 0.95], requires_grad=True)
logits = sp.logit(p)
print(logits)
print(sp.expit(logits))
ent = sp.entr(p)
print(ent, ent.grad_fn.name())
ent.sum().backward()
print(p.grad)
print(sp.ndtr(torch.tensor([-1.0, 0.0, 1.96])))
print(sp.ndtri(torch.tensor([0.025, 0.5, 0.975])))
print(sp.log_ndtr(torch.tensor([-3.0, 0.0, 3.0])))
print(sp.xlogy(torch.tensor([0.0, 1.0, 2.0]), torch.tensor([0.0, 2.0, 3.0])))
print(sp.xlog1py(torch.tensor([0.0, 1.0, 2.0]), torch.tensor([-1.0, 1.0, 3.0])))
print(sp.sinc(torch.tensor([0.0, 0.5, 1.0, 1.5])))
print(sp.i0(torch.tensor([0.0, 1.0, 2.0])), sp.i0e(torch.tensor([0.0, 1.0, 2.0])))
print(sp.i1(torch.tensor([0.0, 1.0, 2.0])), sp.i1e(torch.tensor([0.0, 1.0, 2.0])))
print(sp.erfcx(torch.tensor([-1.0, 0.0, 2.0])))
print(sp.zeta(torch.tensor([2.0, 4.0]), torch.tensor([1.0, 1.0])), math.pi ** 2 / 6)
print(sp.log_softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0))
print(sp.logsumexp(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), dim=1))
print(sp.round(torch.tensor([0.5, 1.5, 2.49])), sp.exp2(torch.tensor([3.0])))

# errors as torch words them
for bad in (lambda: torch.polygamma(-1, z), lambda: torch.mvlgamma(z, 0),
            lambda: torch.polygamma(1.5, z)):
    try:
        bad()
    except (RuntimeError, TypeError) as e:
        print(type(e).__name__, e)
