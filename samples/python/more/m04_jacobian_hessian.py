"""Jacobians, Hessians, vjp/jvp/hvp with torch.autograd.functional."""
import torch
from torch.autograd.functional import jacobian, hessian, vjp, jvp, hvp, vhp


def polar_to_cartesian(p):
    r, theta = p[0], p[1]
    return torch.stack([r * torch.cos(theta), r * torch.sin(theta)])


p = torch.tensor([2.0, 0.5])
J = jacobian(polar_to_cartesian, p)
print("J =\n", J)
print("det J =", torch.linalg.det(J), "(should be r =", p[0].item(), ")")


def rosenbrock(v):
    x, y = v[0], v[1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


pt = torch.tensor([1.2, 1.0])
H = hessian(rosenbrock, pt)
print("Hessian at", pt.tolist(), ":\n", H)
eig = torch.linalg.eigvalsh(H)
print("eigenvalues:", eig)
print("positive definite:", bool((eig > 0).all()))

# Two inputs: the jacobian is a tuple
def bilinear(a, b):
    return a @ b

A = torch.arange(6.0).reshape(2, 3)
B = torch.ones(3, 2)
jA, jB = jacobian(bilinear, (A, B))
print("jacobian shapes:", tuple(jA.shape), tuple(jB.shape))
print("jA[0, 0] =\n", jA[0, 0])

# vector-Jacobian and Jacobian-vector products
def f(x):
    return x ** 2 + x.sum()

x = torch.tensor([1.0, 2.0, 3.0])
out, vjp_val = vjp(f, x, torch.tensor([1.0, 0.0, 0.0]))
print("f(x) =", out)
print("vjp =", vjp_val)
out, jvp_val = jvp(f, x, torch.tensor([0.0, 1.0, 0.0]))
print("jvp =", jvp_val)
print("full J =\n", jacobian(f, x))

def energy(x):
    return (x ** 3).sum() / 3

val, hv = hvp(energy, x, torch.ones(3))
print("energy =", val, "hvp =", hv)
val, vh = vhp(energy, x, torch.tensor([1.0, -1.0, 2.0]))
print("vhp =", vh)

# create_graph and strict
Jc = jacobian(lambda t: t.exp(), x, create_graph=True)
print("create_graph jacobian requires grad:", Jc.requires_grad)
Hd = hessian(lambda t: (t ** 4).sum(), x)
print("diag of hessian:", torch.diagonal(Hd))
try:
    jacobian(lambda t: torch.ones(2), x, strict=True)
except RuntimeError as e:
    print("strict error:", str(e)[:60])
print(jacobian(lambda t: torch.ones(2), x))
