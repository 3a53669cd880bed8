# renorm (each slice's p-norm capped), pinverse (the SVD pseudoinverse) and
# special.zeta's gradient for q alone, torch.gradient (finite differences): values,
# grad_fn names and gradients.
import torch

torch.manual_seed(0)
w = torch.randn(4, 3, requires_grad=True)
capped = torch.renorm(w, 2, 0, 1.0)
print(capped.grad_fn.name())
print(capped.norm(dim=1))
(capped * torch.arange(12.0).reshape(4, 3)).sum().backward()
print(w.grad)

for p in (1, 3, float("inf")):
    x = torch.randn(3, 4, requires_grad=True)
    y = x.renorm(p, 1, 0.5)
    g, = torch.autograd.grad(y.pow(2).sum(), x)
    print(p, y.detach().round(decimals=4))
    print(g.round(decimals=4))

emb = torch.tensor([[3.0, 4.0], [0.3, 0.4]])
emb.renorm_(2, 0, 1.0)
print(emb)

a = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]], dtype=torch.float64,
                 requires_grad=True)
pa = torch.pinverse(a)
print(pa.grad_fn.name())
print(pa.round(decimals=6))
(pa * torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], dtype=torch.float64)).sum().backward()
print(a.grad.round(decimals=6))
print(a.t().pinverse(rcond=1e-3).shape)

x = torch.tensor([2.0, 3.0], requires_grad=True)
q = torch.tensor([1.5, 2.0], requires_grad=True)
z = torch.special.zeta(x, q)
gq, = torch.autograd.grad(z.sum(), q, retain_graph=True)
print(z.grad_fn.name(), gq)
try:
    z.sum().backward()
except NotImplementedError as e:
    print("NotImplementedError:", e)

f = torch.tensor([[1.0, 2.0, 4.0, 8.0], [10.0, 20.0, 40.0, 80.0], [1.0, 0.5, 0.25, 0.1]],
                 requires_grad=True)
dy, dx = torch.gradient(f)
print(dy, dx)
print(torch.gradient(f, spacing=2.0, dim=1, edge_order=2))
print(torch.gradient(f, spacing=[2.0, 0.5]))
coords = (torch.tensor([0.0, 1.0, 3.0]), torch.tensor([0.0, 0.5, 2.0, 2.5]))
for order in (1, 2):
    parts = torch.gradient(f, spacing=coords, edge_order=order)
    print([p.grad_fn.name() for p in parts], parts[1])
    g, = torch.autograd.grad(sum((p * p).sum() for p in parts), f)
    print(g)
print(torch.gradient(torch.tensor([1, 4, 9, 16])))

for bad in (lambda: torch.gradient(f, edge_order=3),
            lambda: torch.gradient(torch.ones(2, 5), edge_order=2),
            lambda: torch.gradient(f, spacing=[1.0, 2.0], dim=1),
            lambda: torch.renorm(torch.ones(3), 2, 0, 1.0),
            lambda: torch.renorm(w, 0, 0, 1.0),
            lambda: torch.renorm(w, 2, 0, -1.0),
            lambda: torch.pinverse(torch.ones(3))):
    try:
        bad()
    except RuntimeError as e:
        print("RuntimeError:", e)
