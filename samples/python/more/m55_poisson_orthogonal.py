# Homework 8: counting events and keeping a layer orthogonal.
#
# Part 1 simulates call-centre arrivals with torch.poisson and checks the sample
# mean against the rate. Part 2 recovers the rate by maximising the Poisson
# log-likelihood with gradient descent (torch.distributions.Poisson). Part 3 trains a
# small linear map whose weight is constrained to be orthogonal, and checks that the
# constraint survives the optimiser. The last line is a deliberate mistake.
import torch
import torch.nn as nn
from torch.distributions import Poisson, kl_divergence
from torch.nn.utils.parametrizations import orthogonal

torch.manual_seed(2024)

# ---- Part 1: simulated arrivals -----------------------------------------------
# three queues, calls per minute: quiet, normal and busy (busy uses the rejection
# sampler because its rate is above 10)
rates = torch.tensor([0.8, 4.0, 23.5])
minutes = rates.expand(12, 3)
arrivals = torch.poisson(minutes)
print("arrivals per minute:")
print(arrivals)
print("sample means:", arrivals.mean(dim=0))
print("largest count:", int(arrivals.max().item()))

# a separate generator gives a reproducible stream that leaves the global one alone
gen = torch.Generator().manual_seed(7)
print("replayed day:", torch.poisson(torch.full((5,), 3.0), generator=gen))

# the sampler is not differentiable: the rate gets a zero gradient
r = torch.tensor([2.0, 15.0], requires_grad=True)
draw = torch.poisson(r)
print("draw:", draw, draw.grad_fn.name())
draw.sum().backward()
print("rate gradient:", r.grad)

# ---- Part 2: maximum likelihood for the rate ----------------------------------
counts = arrivals[:, 2]
log_rate = torch.zeros((), requires_grad=True)
opt = torch.optim.Adam([log_rate], lr=0.2)
for step in range(150):
    opt.zero_grad()
    nll = -Poisson(log_rate.exp()).log_prob(counts).mean()
    nll.backward()
    opt.step()
    if step % 50 == 0:
        print(f"step {step:3d}  nll {nll.item():.4f}  rate {log_rate.exp().item():.3f}")
print(f"fitted rate {log_rate.exp().item():.3f} vs sample mean {counts.mean().item():.3f}")

fitted = Poisson(log_rate.exp().detach())
print(fitted)
print("ten more minutes:", fitted.sample((10,)))
kl = kl_divergence(Poisson(torch.tensor(23.5)), fitted)
print(f"KL(true || fitted) = {kl.item():.5f}")

# ---- Part 3: an orthogonal layer ----------------------------------------------
layer = orthogonal(nn.Linear(4, 4, bias=False))
print(layer)
W = layer.weight
print("W^T W == I:", torch.allclose(W.T @ W, torch.eye(4), atol=1e-5))
print("weight grad_fn:", W.grad_fn.name())

# learn a rotation that maps the inputs onto targets of the same length
x = torch.randn(32, 4)
target = x.flip(-1)
opt = torch.optim.SGD(layer.parameters(), lr=0.1)
for step in range(60):
    opt.zero_grad()
    loss = (layer(x) - target).pow(2).mean()
    loss.backward()
    opt.step()
    if step % 20 == 0:
        print(f"step {step:2d}  loss {loss.item():.4f}")
W = layer.weight.detach()
print("still orthogonal:", torch.allclose(W.T @ W, torch.eye(4), atol=1e-5))
print("learned map (rounded):")
print(W.round(decimals=2))

# a tall weight uses Householder reflections instead of the matrix exponential
tall = orthogonal(nn.Linear(2, 5))
Q = tall.weight
print("tall columns orthonormal:", torch.allclose(Q.T @ Q, torch.eye(2), atol=1e-5))
print("original after registration:", tall.parametrizations.weight.original)

# a buffer name with a dot is refused by torch with a KeyError
layer.register_buffer("running.mean", torch.zeros(4))
