"""Higher-order derivatives with torch.autograd.grad(create_graph=True)."""
import torch

x = torch.tensor(1.5, requires_grad=True)
y = x ** 4 - 3 * x ** 2 + torch.sin(x)
print("y =", y)

derivs = [y]
current = y
for order in range(1, 5):
    (current,) = torch.autograd.grad(current, x, create_graph=True)
    derivs.append(current)
    print(f"d^{order}y/dx^{order} = {current.item():.5f}", current.grad_fn.name())

print("requires_grad flags:", [d.requires_grad for d in derivs])

# Vector input, gradient of gradient norm (a "gradient penalty")
torch.manual_seed(1)
w = torch.randn(3, requires_grad=True)
data = torch.randn(5, 3)
out = torch.tanh(data @ w).sum()
(g,) = torch.autograd.grad(out, w, create_graph=True)
penalty = g.pow(2).sum()
print("grad:", g)
print("penalty:", penalty)
penalty.backward()
print("d penalty / dw:", w.grad)

# grad_outputs for a non-scalar output
v = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
z = v * v * v
gz = torch.autograd.grad(z, v, grad_outputs=torch.ones_like(z), create_graph=True)[0]
print("dz/dv:", gz)
hz = torch.autograd.grad(gz.sum(), v)[0]
print("second:", hz)

# Unused inputs and retain_graph
a = torch.tensor(2.0, requires_grad=True)
b = torch.tensor(3.0, requires_grad=True)
c = a * a
ga, gb = torch.autograd.grad(c, [a, b], allow_unused=True, retain_graph=True)
print("ga:", ga, "gb:", gb)
ga2, gb2 = torch.autograd.grad(c, [a, b], allow_unused=True, materialize_grads=True)
print("materialized:", ga2, gb2)

# Newton's method using the second derivative from autograd
def f(t):
    return t ** 3 - 2 * t - 5

r = torch.tensor(2.0, requires_grad=True)
for i in range(6):
    val = f(r)
    (d1,) = torch.autograd.grad(val, r)
    with torch.no_grad():
        r -= val / d1
    print(f"iter {i}: root ~ {r.item():.8f}  f = {f(r).item():+.2e}")
print(r)
