# Lab 9: three uses of torch.distributions.
#
# Part 1 trains a tiny policy on a two-armed bandit with REINFORCE: actions come from
# a Categorical over the policy's logits, the loss is -log_prob * advantage.
# Part 2 is the heart of a VAE: a reparameterised Normal / MultivariateNormal sample,
# the KL to the prior both in closed form and per dimension through Independent.
# Part 3 is a Bayesian coin: a Beta prior updated by Bernoulli flips, posterior
# draws, and a Gamma-Poisson check. Values go through 4 decimals where a log or an exp
# sits in between.
import math

import torch
import torch.nn as nn
from torch.distributions import (
    Bernoulli,
    Beta,
    Categorical,
    Dirichlet,
    Exponential,
    Gamma,
    Independent,
    MultivariateNormal,
    Normal,
    OneHotCategorical,
    kl_divergence,
)

torch.manual_seed(57)


def show(name, t):
    values = t.detach().flatten().tolist()
    print(f"{name}:", [round(v, 4) for v in values])


# ---- Part 1: REINFORCE on a bandit -----------------------------------------------
# arm 0 pays 1 with probability 0.2, arm 1 with probability 0.8
payout = torch.tensor([0.2, 0.8])
policy = nn.Linear(1, 2)
opt = torch.optim.SGD(policy.parameters(), lr=0.5)
state = torch.ones(1, 1)
for episode in range(30):
    logits = policy(state)
    dist = Categorical(logits=logits)
    actions = dist.sample((8,))  # eight pulls per episode
    rewards = Bernoulli(payout[actions.squeeze(-1)]).sample()
    advantage = rewards - rewards.mean()
    loss = -(dist.log_prob(actions).squeeze(-1) * advantage).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if episode % 10 == 9:
        print(f"episode {episode + 1}: mean reward {rewards.mean().item():.3f}, "
              f"p(arm 1) {dist.probs[0, 1].item():.4f}")
print("policy entropy:", round(dist.entropy().item(), 4))
print("actions dtype:", actions.dtype, "shape:", tuple(actions.shape))

# the same choice as one-hot vectors
onehot = OneHotCategorical(logits=policy(state).detach())
print("one-hot draws:", onehot.sample((3,)).squeeze(1).tolist())
print(onehot)

# ---- Part 2: a VAE's latent --------------------------------------------------------
encoder_mu = torch.tensor([[0.3, -0.7], [1.1, 0.2]], requires_grad=True)
encoder_logvar = torch.tensor([[-0.5, 0.1], [0.0, -1.2]], requires_grad=True)
std = torch.exp(0.5 * encoder_logvar)
q = Normal(encoder_mu, std)
z = q.rsample()
print("z grad_fn:", type(z.grad_fn).__name__)
prior = Normal(torch.zeros(2, 2), torch.ones(2, 2))
kl_closed = kl_divergence(q, prior).sum()
kl_manual = -0.5 * torch.sum(1 + encoder_logvar - encoder_mu ** 2 - encoder_logvar.exp())
print(f"KL closed form {kl_closed.item():.4f} vs textbook {kl_manual.item():.4f}")
latent = Independent(q, 1)
print(latent, "batch", tuple(latent.batch_shape), "event", tuple(latent.event_shape))
show("log q(z)", latent.log_prob(z))
recon = (z ** 2).sum()
(recon + kl_closed).backward()
show("d/d mu", encoder_mu.grad)
show("d/d logvar", encoder_logvar.grad)

# the same latent as a full-covariance Gaussian with a learnt lower factor
scale_tril = torch.tensor([[0.8, 0.0], [0.3, 0.5]], requires_grad=True)
mvn = MultivariateNormal(torch.zeros(2), scale_tril=scale_tril)
print(mvn)
samples = mvn.rsample((4,))
show("mvn samples", samples)
show("mvn log_prob", mvn.log_prob(samples))
print("mvn entropy:", round(mvn.entropy().item(), 4))
std_mvn = MultivariateNormal(torch.zeros(2), covariance_matrix=torch.eye(2))
kl_mvn = kl_divergence(mvn, std_mvn)
kl_mvn.backward()
print("KL(mvn || N(0, I)):", round(kl_mvn.item(), 4))
show("d KL / d scale_tril", scale_tril.grad)
print("covariance:", mvn.covariance_matrix.detach().tolist())

# ---- Part 3: a Bayesian coin ----------------------------------------------------------
true_bias = 0.65
flips = Bernoulli(torch.full((40,), true_bias)).sample()
heads = flips.sum().item()
prior_a, prior_b = 2.0, 2.0
posterior = Beta(prior_a + heads, prior_b + (len(flips) - heads))
print(f"heads {int(heads)} of {len(flips)}; posterior mean {posterior.mean.item():.4f}")
draws = posterior.sample((1000,))
print("posterior draws mean:", round(draws.mean().item(), 4),
      "P(bias > 0.5):", round((draws > 0.5).float().mean().item(), 4))
print("95% interval:", [round(v, 4) for v in draws.sort().values[[25, 974]].tolist()])
print("KL(posterior || prior):", round(kl_divergence(posterior, Beta(prior_a, prior_b)).item(), 4))

# a Gamma prior on a Poisson rate, and a Dirichlet over three outcomes
rate_prior = Gamma(torch.tensor(3.0), torch.tensor(1.5))
rates = rate_prior.sample((5,))
show("rates from the prior", rates)
waits = Exponential(rates).sample()
show("waiting times", waits)
mix = Dirichlet(torch.tensor([2.0, 5.0, 1.0]))
weights = mix.sample((2,))
show("mixture weights", weights)
print("rows sum to one:", torch.allclose(weights.sum(-1), torch.ones(2)))
print("log p(weights):", [round(v, 4) for v in mix.log_prob(weights).tolist()])
print("next uniform:", torch.rand(1).item())
print("constant check:", round(math.log(2 * math.pi), 4))

# a covariance that is not positive definite is refused
try:
    MultivariateNormal(torch.zeros(2), covariance_matrix=torch.tensor([[1.0, 2.0], [2.0, 1.0]]))
except ValueError as err:
    print("refused:", str(err).splitlines()[0][-60:])

# a deliberate mistake: the mean alone does not define the Gaussian
MultivariateNormal(torch.zeros(2))
