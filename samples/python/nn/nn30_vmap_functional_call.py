"""vmap, vmap(grad(f)) for per-sample gradients, and functional_call on nn.Linear."""
import torch
from torch import nn
from torch.func import functional_call, grad, vmap

torch.manual_seed(30)


def dot(a, b):
    return (a * b).sum()


A = torch.randn(4, 3)
B = torch.randn(4, 3)
print("vmap(dot) over rows:", vmap(dot)(A, B))
print("same as row-wise sum:", (A * B).sum(dim=1))
print("in_dims=(0, None):", vmap(dot, in_dims=(0, None))(A, B[0]))
print("out_dims=1 shape:", tuple(vmap(lambda r: r * 2, out_dims=1)(A).shape))
outer = vmap(vmap(lambda a, b: a * b, in_dims=(None, 0)), in_dims=(0, None))
print("nested vmap outer product:")
print(outer(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0, 5.0])))

model = nn.Linear(3, 1)
print("\nmodel:", model)
params = {k: v.detach() for k, v in model.named_parameters()}
x = torch.randn(5, 3)
y = torch.randn(5, 1)
print("functional_call equals model(x):", torch.allclose(functional_call(model, params, (x,)), model(x)))
zeros = {k: torch.zeros_like(v) for k, v in params.items()}
print("with zero parameters:", functional_call(model, zeros, (x,)).flatten())
half = {"weight": params["weight"] * 0.5}
print("partial dict (bias from the module):", functional_call(model, half, (x[:2],)).flatten())


def sample_loss(p, xi, yi):
    pred = functional_call(model, p, (xi.unsqueeze(0),))
    return nn.functional.mse_loss(pred, yi.unsqueeze(0))


per_sample = vmap(grad(sample_loss), in_dims=(None, 0, 0))(params, x, y)
print("\nper-sample gradient shapes:", {k: tuple(v.shape) for k, v in per_sample.items()})
print("per-sample bias gradients:", per_sample["bias"].flatten())

manual = []
for i in range(5):
    model.zero_grad()
    nn.functional.mse_loss(model(x[i:i + 1]), y[i:i + 1]).backward()
    manual.append(model.weight.grad.clone())
print("matches a Python loop:", torch.allclose(per_sample["weight"], torch.stack(manual), atol=1e-6))
print("mean of per-sample grads == batch grad:")
model.zero_grad()
nn.functional.mse_loss(model(x), y).backward()
print("  ", torch.allclose(per_sample["weight"].mean(0), model.weight.grad, atol=1e-6), model.weight.grad)

norms = per_sample["weight"].flatten(1).norm(dim=1)
print("per-sample weight-gradient norms:", norms)
clipped = per_sample["weight"] / torch.clamp(norms / 1.0, min=1.0).view(-1, 1, 1)
print("after per-sample clipping to 1:", clipped.flatten(1).norm(dim=1))

ensemble = [nn.Linear(3, 1) for _ in range(3)]
stacked = {k: torch.stack([dict(m.named_parameters())[k].detach() for m in ensemble])
           for k in ("weight", "bias")}
ens_out = vmap(lambda p, xx: functional_call(model, p, (xx,)), in_dims=(0, None))(stacked, x[:2])
print("\nensemble of 3 models on 2 inputs:", tuple(ens_out.shape))
print(ens_out.squeeze(-1))
print("model 1 directly:", ensemble[1](x[:2]).detach().flatten())
