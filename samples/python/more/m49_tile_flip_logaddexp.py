"""Tiling, flipping and numerically stable log-sum terms, as small tutorials use them."""
import torch

torch.manual_seed(0)
torch.use_deterministic_algorithms(True)
print("deterministic:", torch.are_deterministic_algorithms_enabled())

pattern = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
tiled = torch.tile(pattern, (2, 3))
print(tiled)
print(tiled.shape, tiled.grad_fn.name())
tiled.sum().backward()
print(pattern.grad)
print(pattern.tile((2,)).shape, torch.tile(torch.arange(3), (2, 2)))

img = torch.arange(12.0).reshape(3, 4)
print(torch.fliplr(img))
print(torch.flipud(img))
print(img.fliplr().flipud().equal(img.flip(0, 1)))

# log(exp(a) + exp(b)) without overflow
a = torch.tensor([1000.0, -1000.0, 0.0, 2.0], requires_grad=True)
b = torch.tensor([1000.0, -999.0, 1.0, -3.0], requires_grad=True)
naive = torch.log(torch.exp(a) + torch.exp(b))
stable = torch.logaddexp(a, b)
print(naive)
print(stable, stable.grad_fn.name())
stable.sum().backward()
print(a.grad, b.grad)
print(torch.logaddexp2(torch.tensor([1.0, 3.0]), torch.tensor([1.0, 2.0])))

# hypot: the length of 2-D vectors
xs = torch.tensor([3.0, 5.0, 8.0], requires_grad=True)
ys = torch.tensor([4.0, 12.0, 15.0], requires_grad=True)
r = torch.hypot(xs, ys)
print(r, r.grad_fn.name())
r.sum().backward()
print(xs.grad, ys.grad)

print(torch.gcd(torch.tensor([12, 18, 7]), torch.tensor([8, 27, 0])))
print(torch.lcm(torch.tensor([4, 6, 0]), torch.tensor([6, 8, 3])))
print(torch.nextafter(torch.tensor([1.0]), torch.tensor([2.0])) - 1.0)

# a batched dot product with torch.vmap
batch = torch.randn(3, 4)
weights = torch.randn(4)
print(torch.vmap(torch.dot, in_dims=(0, None))(batch, weights))
print(batch @ weights)

for bad in (lambda: torch.fliplr(torch.ones(3)), lambda: torch.tile(pattern, 2),
            lambda: torch.hypot(xs, 2.0), lambda: torch.gcd(torch.ones(2), torch.ones(2)),
            lambda: torch.logaddexp(torch.tensor([1]), torch.tensor([2]))):
    try:
        bad()
    except (RuntimeError, TypeError, NotImplementedError) as e:
        print(type(e).__name__ + ":", e)
