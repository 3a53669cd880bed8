"""torch.func: grad, grad_and_value, vjp, jvp, jacrev, jacfwd and hessian as function transforms."""
import torch
from torch.func import grad, grad_and_value, hessian, jacfwd, jacrev, jvp, vjp

torch.manual_seed(29)


def f(x):
    return (x.sin() * x).sum()


x = torch.tensor([0.5, 1.0, 1.5])
print("grad(f)(x):", grad(f)(x))
print("by hand:", x.sin() + x * x.cos())
g, value = grad_and_value(f)(x)
print(f"grad_and_value: value {value.item():.4f}, grad {g}")
print("second derivative via grad(grad):", grad(lambda t: grad(f)(t).sum())(x))


def loss(w, b, data, target):
    pred = data @ w + b
    return ((pred - target) ** 2).mean()


data = torch.randn(6, 3)
target = torch.randn(6)
w = torch.zeros(3)
b = torch.tensor(0.0)
gw, gb = grad(loss, argnums=(0, 1))(w, b, data, target)
print("\nargnums=(0, 1):", gw, gb)
print("argnums=1 only:", grad(loss, argnums=1)(w, b, data, target))


def with_aux(w):
    err = data @ w - target
    return (err ** 2).mean(), {"max_err": err.abs().max()}


gw, aux = grad(with_aux, has_aux=True)(w)
print("has_aux:", gw, f"max_err={aux['max_err'].item():.4f}")


def h(x):
    return torch.stack([x[0] * x[1], x[1].exp(), x.pow(2).sum()])


p = torch.tensor([1.0, 0.5])
print("\njacrev(h):")
print(jacrev(h)(p))
print("jacfwd(h) equal:", torch.allclose(jacrev(h)(p), jacfwd(h)(p)))
out, vjp_fn = vjp(h, p)
print("vjp output:", out)
print("vjp with [1, 0, 0]:", vjp_fn(torch.tensor([1.0, 0.0, 0.0])))
out, tangent = jvp(h, (p,), (torch.tensor([0.0, 1.0]),))
print("jvp along e2:", tangent)


def energy(x):
    return x[0] ** 2 * x[1] + x[1] ** 3 - 3 * x[0]


q = torch.tensor([1.0, 2.0])
H = hessian(energy)(q)
print("\nhessian(energy):")
print(H)
print("jacfwd(jacrev) equal:", torch.allclose(H, jacfwd(jacrev(energy))(q)))

print("jacrev over two arguments:", [tuple(j.shape) for j in jacrev(lambda a, c: a * c, argnums=(0, 1))(p, p)])

steps = []
param = torch.tensor([3.0, -2.0])
for i in range(4):
    gval, v = grad_and_value(lambda t: (t ** 2).sum() + t.prod())(param)
    steps.append(f"{v.item():.4f}")
    param = param - 0.3 * gval
print("\nfunctional gradient descent values:", steps)
print("final param:", param)
