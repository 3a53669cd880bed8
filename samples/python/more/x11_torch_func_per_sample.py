# torch.func: per-sample gradients with vmap(grad(...)) + functional_call, jacobians,
# hessians and ensembling with stack_module_state.
import copy
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import grad, grad_and_value, vmap, jacrev, jacfwd, hessian, functional_call, stack_module_state

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
params = {k: v.detach() for k, v in model.named_parameters()}
buffers = {k: v.detach() for k, v in model.named_buffers()}
data = torch.randn(6, 3)
targets = torch.tensor([0, 1, 1, 0, 1, 0])


def loss_one(params, buffers, x, y):
    logits = functional_call(model, (params, buffers), (x.unsqueeze(0),))
    return F.cross_entropy(logits, y.unsqueeze(0))


per_sample = vmap(grad(loss_one), in_dims=(None, None, 0, 0))(params, buffers, data, targets)
for k, g in per_sample.items():
    print(f"{k:10s} {tuple(g.shape)}")

# the mean of per-sample gradients equals the batch gradient
model.zero_grad()
F.cross_entropy(model(data), targets).backward()
for k, p in model.named_parameters():
    ok = torch.allclose(per_sample[k].mean(0), p.grad, atol=1e-6)
    print(f"{k:10s} matches batch grad: {ok}")


def f(x):
    return torch.stack([x[0] ** 2 * x[1], torch.sin(x[1]) + x[2], x.prod()])


x = torch.tensor([1.0, 2.0, 3.0])
J1 = jacrev(f)(x)
J2 = jacfwd(f)(x)
print("jacobian:\n", J1.round(decimals=4))
print("jacrev == jacfwd:", torch.allclose(J1, J2))


def energy(x):
    return (x ** 3).sum() + x[0] * x[1]


print("hessian:\n", hessian(energy)(torch.tensor([1.0, -1.0])))

g, val = grad_and_value(lambda w: ((w * data[:, 0]) ** 2).mean())(torch.tensor(0.5))
print(f"value {val.item():.4f} grad {g.item():.4f}")


def with_aux(w):
    pred = data @ w
    return pred.pow(2).mean(), pred.detach()


gw, aux = grad(with_aux, has_aux=True)(torch.ones(3))
print("grad with aux:", gw.round(decimals=4), aux.shape)

# batched dot products and a batched jacobian
print(vmap(torch.dot)(torch.ones(4, 3), data[:4]).round(decimals=4))
print(vmap(jacrev(torch.sin))(torch.zeros(2, 3)).shape)
print(vmap(lambda a, b: a * b, in_dims=(1, None), out_dims=1)(torch.arange(6.0).view(2, 3), torch.tensor([1.0, 10.0])))

# an ensemble of three models evaluated in one call
models = [nn.Linear(3, 1) for _ in range(3)]
p_stack, b_stack = stack_module_state(models)
print({k: tuple(v.shape) for k, v in p_stack.items()})
base = copy.deepcopy(models[0])


def run_one(p, b, x):
    return functional_call(base, (p, b), (x,))


ens = vmap(run_one, in_dims=(0, 0, None))(p_stack, b_stack, data[:2])
direct = torch.stack([m(data[:2]) for m in models])
print("ensemble:", ens.shape, torch.allclose(ens, direct))

# grad of a function of several arguments
def loss(w, b, x):
    return ((x * w + b) ** 2).sum()


gw, gb = grad(loss, argnums=(0, 1))(torch.tensor(2.0), torch.tensor(1.0), torch.tensor([1.0, 2.0]))
print(gw, gb)
