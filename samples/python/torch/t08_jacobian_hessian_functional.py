"""torch.autograd.functional: jacobian, hessian, vjp, jvp, hvp."""
import torch
from torch.autograd.functional import hessian, hvp, jacobian, jvp, vjp


def f(x):
    return torch.stack([x[0] * x[1], x[0] ** 2 + torch.sin(x[1]), x.sum()])


def energy(x):
    return (x ** 2).sum() + x[0] * x[1] * x[2]


x = torch.tensor([1.0, 2.0, 3.0])
J = jacobian(f, x[:2])
print("J =", J)
print("J shape:", tuple(J.shape), "| requires_grad:", J.requires_grad)
H = hessian(energy, x)
print("H =", H)
print("H is symmetric:", torch.equal(H, H.T))
out, v_j = vjp(f, x[:2], torch.tensor([1.0, 0.0, 1.0]))
print("f(x) =", out)
print("vjp   =", v_j)
out, j_v = jvp(f, x[:2], torch.tensor([1.0, 1.0]))
print("jvp   =", j_v)
value, h_v = hvp(energy, x, torch.tensor([1.0, 0.0, 0.0]))
print("energy =", value, "| hvp =", h_v)
print("J @ v equals jvp:", torch.allclose(J @ torch.tensor([1.0, 1.0]), j_v))


def two_inputs(a, b):
    return a * b + a ** 2


Ja, Jb = jacobian(two_inputs, (torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])))
print("d/da:", Ja)
print("d/db:", Jb)
Jg = jacobian(lambda t: t.exp(), torch.tensor([0.0, 1.0]), create_graph=False)
print("diag of J for exp:", torch.diagonal(Jg))


def rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


p = torch.tensor([1.0, 1.0], dtype=torch.float64)
print("rosenbrock hessian at the minimum:")
print(hessian(rosenbrock, p))
grad = jacobian(rosenbrock, p)
print("gradient there:", grad, grad.dtype)

# A Jacobian built row by row with autograd.grad, to compare.
xs = torch.tensor([0.5, -1.0], requires_grad=True)
ys = f(xs)
rows = []
for i in range(ys.numel()):
    (row,) = torch.autograd.grad(ys[i], xs, retain_graph=True)
    rows.append(row)
manual = torch.stack(rows)
print(manual)
print("same as jacobian():", torch.allclose(manual, jacobian(f, xs.detach())))
