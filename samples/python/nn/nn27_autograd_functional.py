"""torch.autograd.functional: vjp, jvp, hvp, vhp, jacobian and hessian on small functions."""
import torch
from torch.autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp

torch.manual_seed(27)


def polar_to_cartesian(rt):
    r, theta = rt[0], rt[1]
    return torch.stack([r * torch.cos(theta), r * torch.sin(theta)])


p = torch.tensor([2.0, 0.5])
J = jacobian(polar_to_cartesian, p)
print("Jacobian of polar -> cartesian at r=2, theta=0.5:")
print(J)
print(f"determinant (should be r): {torch.linalg.det(J).item():.4f}")

v = torch.tensor([1.0, -1.0])
out, vj = vjp(polar_to_cartesian, p, v)
print("\nvjp output:", out)
print("v^T J:", vj, "| by matmul:", v @ J)
out, jv = jvp(polar_to_cartesian, p, v)
print("J v:", jv, "| by matmul:", J @ v)


def rosenbrock(xy):
    x, y = xy[0], xy[1]
    return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2


point = torch.tensor([0.5, 0.5])
H = hessian(rosenbrock, point)
print("\nRosenbrock Hessian at (0.5, 0.5):")
print(H)
u = torch.tensor([1.0, 2.0])
val, Hu = hvp(rosenbrock, point, u)
print(f"f = {val.item():.4f}")
print("hvp:", Hu, "| H @ u:", H @ u)
val, uH = vhp(rosenbrock, point, u)
print("vhp:", uH, "| u @ H:", u @ H)
print("symmetric Hessian so hvp == vhp:", torch.allclose(Hu, uH))

W = torch.randn(3, 4)
b = torch.randn(3)


def layer(x):
    return torch.tanh(W @ x + b)


x0 = torch.randn(4)
J = jacobian(layer, x0)
print("\nJacobian of tanh(Wx + b):", tuple(J.shape))
expected = torch.diag(1 - layer(x0) ** 2) @ W
print("matches diag(1 - y^2) W:", torch.allclose(J, expected, atol=1e-6))
print(J)


def two_inputs(a, c):
    return (a * c).sum() + (a ** 2).sum()


a = torch.tensor([1.0, 2.0])
c = torch.tensor([3.0, -1.0])
Ja, Jc = jacobian(two_inputs, (a, c))
print("\njacobian w.r.t. two inputs:", Ja, Jc)
H = hessian(two_inputs, (a, c))
print("hessian blocks:")
for i, row in enumerate(H):
    for j, block in enumerate(row):
        print(f"  d2f/d{'ac'[i]}d{'ac'[j]} = {block.tolist()}")

Jv = jacobian(lambda t: t ** 2, torch.tensor([1.0, 2.0, 3.0]), vectorize=True)
print("vectorized jacobian of x^2:")
print(Jv)
Jc = jacobian(lambda t: t.cumsum(0), torch.ones(3), create_graph=False, strategy="reverse-mode")
print("jacobian of cumsum:", Jc.tolist())
