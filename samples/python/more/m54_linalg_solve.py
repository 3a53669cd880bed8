# Homework 7: solving linear systems without forming an inverse.
#
# Part 1 uses a triangular solve, part 2 factors a matrix once (LU) and reuses the
# factors for several right-hand sides, part 3 does the same with a Cholesky factor,
# and part 4 integrates a linear ODE with the matrix exponential. Each part checks
# its answer and differentiates through the solver.
import torch

torch.set_printoptions(precision=5)

# ---- Part 1: back substitution ------------------------------------------------
U = torch.tensor([[2.0, -1.0, 0.5],
                  [0.0, 3.0, 1.0],
                  [0.0, 0.0, 4.0]], dtype=torch.float64, requires_grad=True)
rhs = torch.tensor([[1.0, 0.0],
                    [2.0, 1.0],
                    [4.0, -2.0]], dtype=torch.float64, requires_grad=True)
x = torch.linalg.solve_triangular(U, rhs, upper=True)
print("x =", x)
print("grad_fn:", x.grad_fn.name())
print("residual:", (U @ x - rhs).abs().max().item())

# the loss only sees x, so U's gradient stays in its upper triangle
loss = (x ** 2).sum()
loss.backward()
print("dL/dU =", U.grad)
print("dL/drhs =", rhs.grad)

# solving from the right (x A = b) and with a unit diagonal
row = torch.linalg.solve_triangular(U.detach(), torch.ones(1, 3, dtype=torch.float64),
                                    upper=True, left=False)
print("row solution:", row)
unit = torch.linalg.solve_triangular(U.detach(), rhs.detach(), upper=True, unitriangular=True)
print("unit diagonal:", unit)

# ---- Part 2: factor once, solve many times ------------------------------------
A = torch.tensor([[2.0, 1.0, -1.0],
                  [4.0, -3.0, 1.5],
                  [-1.0, 2.5, 3.0]], dtype=torch.float64, requires_grad=True)
LU, pivots = torch.linalg.lu_factor(A)
print("pivots:", pivots, pivots.dtype)
print("LU grad_fn:", LU.grad_fn.name())
P, L, Uf = torch.linalg.lu(A.detach())
print("P =", P)
print("L =", L)
print("U =", Uf)
print("P @ L @ U == A:", torch.allclose(P @ L @ Uf, A.detach()))

b = torch.tensor([[1.0], [-0.5], [2.0]], dtype=torch.float64)
for rhs_scale in (1.0, -2.0):
    sol = torch.linalg.lu_solve(LU, pivots, b * rhs_scale)
    print(f"scale {rhs_scale}: x^T =", sol.detach().flatten())
sol = torch.linalg.lu_solve(LU, pivots, b)
print("lu_solve grad_fn:", sol.grad_fn.name())
sol.sum().backward()
print("d(sum x)/dA =", A.grad)

# the same gradient from linalg.solve, as a check
A2 = A.detach().clone().requires_grad_()
torch.linalg.solve(A2, b).sum().backward()
print("agrees with linalg.solve:", torch.allclose(A2.grad, A.grad))

# solving with A^T, reusing the same factors
solT = torch.linalg.lu_solve(LU.detach(), pivots, b, adjoint=True)
print("A^T x = b:", solT.flatten())
P2, L2, U2 = torch.lu_unpack(LU.detach(), pivots)
print("unpacked L equal:", torch.equal(L2, L))

info = torch.linalg.lu_factor_ex(torch.zeros(2, 2, dtype=torch.float64)).info
print("info for a zero matrix:", info)
try:
    torch.linalg.lu_factor(torch.zeros(2, 2, dtype=torch.float64))
except RuntimeError as err:
    print("RuntimeError:", err)

# ---- Part 3: a symmetric positive definite system ------------------------------
K = torch.tensor([[4.0, 1.0, 0.5],
                  [1.0, 3.0, -0.2],
                  [0.5, -0.2, 2.0]], dtype=torch.float64)
C = torch.linalg.cholesky(K).requires_grad_()
f = torch.tensor([[1.0], [2.0], [3.0]], dtype=torch.float64, requires_grad=True)
u = torch.cholesky_solve(f, C)
print("u =", u.flatten())
print("grad_fn:", u.grad_fn.name())
energy = 0.5 * (u * f).sum()
energy.backward()
print("dE/dC =", C.grad)
print("dE/df =", f.grad)
Kinv = torch.cholesky_inverse(C.detach())
print("K^-1 =", Kinv)
print("K @ K^-1 close to I:", torch.allclose(K @ Kinv, torch.eye(3, dtype=torch.float64)))

try:
    torch.cholesky_solve(torch.ones(4, 1, dtype=torch.float64), C.detach())
except RuntimeError as err:
    print("RuntimeError:", err)

# ---- Part 4: x'(t) = M x(t), so x(t) = exp(t M) x(0) --------------------------
M = torch.tensor([[0.0, 1.0], [-2.0, -0.3]], requires_grad=True)
x0 = torch.tensor([1.0, 0.0])
for t in (0.0, 0.5, 1.0, 4.0):
    xt = torch.linalg.matrix_exp(t * M) @ x0
    print(f"t={t}: x =", xt.detach())
E = torch.matrix_exp(M)
print("grad_fn:", E.grad_fn.name())
(E[0, 0] + E[1, 1]).backward()
print("d trace(exp M)/dM =", M.grad)
# a batch: one exponential per matrix
batch = torch.stack([M.detach() * 0.01, M.detach(), M.detach() * 5])
print("batched:", torch.linalg.matrix_exp(batch))

# second derivatives go through the solvers too
S = torch.tensor([[2.0, 0.3], [0.0, 1.5]], dtype=torch.float64, requires_grad=True)
y = torch.linalg.solve_triangular(S, torch.ones(2, 1, dtype=torch.float64), upper=True)
g, = torch.autograd.grad(y.pow(2).sum(), S, create_graph=True)
h, = torch.autograd.grad(g.sum(), S)
print("first:", g)
print("second:", h)

try:
    torch.linalg.matrix_exp(torch.ones(2, 3))
except RuntimeError as err:
    print("RuntimeError:", err)
