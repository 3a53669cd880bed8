"""torch.distributions basics: seeded samples, log-probabilities, entropies, the
reparameterisation trick, KL divergences, reprs and argument validation."""
import math

import torch
import torch.distributions as D
from torch.distributions import Bernoulli, Categorical, Normal, Uniform, kl_divergence

torch.manual_seed(0)

# Normal: sample() draws without a graph, rsample() keeps one to loc and scale
loc = torch.tensor([0.0, 1.0, -2.0], requires_grad=True)
scale = torch.tensor([1.0, 0.5, 2.0], requires_grad=True)
n = Normal(loc, scale)
print(n)
print(Normal(0.0, 1.0), n.batch_shape, n.event_shape)
print(n.sample())
print(n.sample((2,)))
z = n.rsample((4,))
print(z)
z.sum().backward()
print(loc.grad, scale.grad)
x = torch.tensor([0.5, 1.5, -0.3])
print(n.log_prob(x))
print(n.entropy(), n.mean, n.stddev, n.variance)
print(n.cdf(x))
print(Normal(0.0, 1.0).sample((20,)))

# the log-likelihood's gradient against the closed form
mu = torch.tensor(0.3, requires_grad=True)
sigma = torch.tensor(1.5, requires_grad=True)
lp = Normal(mu, sigma).log_prob(torch.tensor(1.2))
lp.backward()
print(lp.item(), mu.grad.item(), sigma.grad.item())
closed = -((1.2 - 0.3) ** 2) / (2 * 1.5 ** 2) - math.log(1.5) - 0.5 * math.log(2 * math.pi)
print(round(closed, 5), round(lp.item(), 5))

# Bernoulli from probabilities or logits
b = Bernoulli(torch.tensor([0.1, 0.5, 0.9]))
print(b)
print(b.sample((5,)))
print(b.log_prob(torch.tensor([1.0, 0.0, 1.0])))
print(b.logits)
print(b)
print(Bernoulli(0.3).sample((12,)))

# Categorical: a policy-gradient step
logits = torch.tensor([[0.2, -0.4, 1.0], [1.5, 0.0, -1.0]], requires_grad=True)
policy = Categorical(logits=logits)
actions = policy.sample()
print(actions, policy.sample((3,)))
print(policy.probs)
loss = -(policy.log_prob(actions) * torch.tensor([1.0, -0.5])).sum()
loss.backward()
print(loss, logits.grad)
c = Categorical(torch.tensor([1.0, 2.0, 3.0, 4.0]))
print(c, c.probs, c.sample((10,)))
print(c.entropy(), c.mode, c.mean)

# Uniform
u = Uniform(torch.tensor([0.0, -1.0]), torch.tensor([1.0, 3.0]))
print(u, u.sample(), u.rsample((3,)))
print(u.log_prob(torch.tensor([0.5, 2.5])), u.entropy(), u.mean, u.variance)

# KL divergences
q = Normal(torch.tensor([0.5, -0.5]), torch.tensor([0.8, 1.2]))
p = Normal(torch.zeros(2), torch.ones(2))
print(kl_divergence(q, p), D.kl.kl_divergence(q, p))
print(kl_divergence(Bernoulli(torch.tensor([0.2, 0.0])), Bernoulli(torch.tensor([0.5, 0.5]))))
print(kl_divergence(Categorical(torch.tensor([0.2, 0.8, 0.0])),
                    Categorical(torch.tensor([0.5, 0.25, 0.25]))))
print(kl_divergence(Uniform(0.0, 1.0), Uniform(-1.0, 2.0)))

# argument validation, as torch does it by default
for make in (lambda: Normal(0.0, -1.0),
             lambda: Bernoulli(1.5),
             lambda: Bernoulli(),
             lambda: Categorical(torch.tensor([1.0, -2.0, 3.0])),
             lambda: Uniform(2.0, 1.0),
             lambda: n.log_prob(0.5),
             lambda: b.log_prob(torch.tensor([1.0, 2.0, 0.0])),
             lambda: c.log_prob(torch.tensor(4)),
             lambda: n.log_prob(torch.zeros(2))):
    try:
        make()
    except ValueError as e:
        print("ValueError:", e)
try:
    kl_divergence(Categorical(torch.tensor([0.5, 0.5])), Uniform(0.0, 1.0))
except NotImplementedError as e:
    print("NotImplementedError:", e)
print(torch.rand(2))
