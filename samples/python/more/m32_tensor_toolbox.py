"""A tour of torch's tensor toolbox: stacking and splitting, moving dims, statistics
with their means, nan-aware reductions, running extremes, quantiles and histograms,
and asking dtypes about their limits."""

import torch

torch.manual_seed(0)

# ---- stacking and splitting -------------------------------------------------------
a = torch.arange(3.0)
b = torch.arange(3.0, 6.0)
print("hstack:", torch.hstack([a, b]))
print("vstack:\n", torch.vstack([a, b]))
print("column_stack:\n", torch.column_stack([a, b]))
print("dstack shape:", torch.dstack([a, b]).shape)
print("atleast_2d:", torch.atleast_2d(torch.tensor(7.0)))

grid = torch.arange(12).reshape(3, 4)
for part in torch.tensor_split(grid, 3, dim=1):
    print("tensor_split part:", part.tolist())
left, right = torch.hsplit(grid, 2)
print("hsplit:", left.shape, right.shape)
top, bottom = torch.vsplit(grid, [1])
print("vsplit:", top.tolist(), bottom.shape)

# ---- moving dims, narrowing, unflattening -------------------------------------------
images = torch.randn(2, 3, 4, 5)  # N, C, H, W
print("channels last:", torch.movedim(images, 1, -1).shape)
print("moveaxis:", images.moveaxis(0, -1).shape)
print("narrow:", grid.narrow(1, 1, 2))
print("unflatten:", torch.arange(24).unflatten(0, (2, -1, 4)).shape)
u, w = torch.broadcast_tensors(torch.zeros(3, 1), torch.ones(4))
print("broadcast_tensors:", u.shape, w.shape)

# ---- statistics with their means ---------------------------------------------------
x = torch.tensor([[1.0, 2.0, 4.0, 7.0], [0.5, 0.25, 3.0, 1.0]], requires_grad=True)
std, mean = torch.std_mean(x, dim=1)
print("std:", std)
print("mean:", mean)
var, mean0 = torch.var_mean(x, 0, correction=0)
print("var (dim 0):", var)
(std.sum() + mean.sum()).backward()
print("x.grad:", x.grad)
print("aminmax:", torch.aminmax(x.detach(), dim=1))

# ---- nan-aware reductions ------------------------------------------------------------
readings = torch.tensor([[20.5, float("nan"), 21.0], [float("nan"), 19.0, 18.5]])
print("nansum:", torch.nansum(readings), readings.nansum(dim=1))
print("nanmean:", torch.nanmean(readings, dim=0))
print("nanquantile:", torch.nanquantile(readings, 0.5, dim=1))

# ---- running extremes and log-sum-exp ------------------------------------------------
prices = torch.tensor([3.0, 5.0, 4.0, 5.0, 8.0, 2.0])
best = torch.cummax(prices, dim=0)
print("cummax values:", best.values)
print("cummax indices:", best.indices)
print("cummin:", prices.cummin(0).values)
scores = torch.tensor([0.1, -1.2, 2.5, 0.3], requires_grad=True)
running = torch.logcumsumexp(scores, dim=0)
print("logcumsumexp:", running)
running.sum().backward()
print("its gradient:", scores.grad)

# ---- elementwise extras ------------------------------------------------------------
p = torch.tensor([0.0, 0.25, 0.75, 1.0])
print("entropy terms:", -torch.xlogy(p, p))
print("copysign:", torch.copysign(torch.tensor([1.5, -2.0, 3.0]), -1.0))
print("signbit:", torch.signbit(torch.tensor([-0.0, 0.0, -3.0])))
print("fmod vs remainder:", torch.fmod(torch.tensor([-7.0, 7.0]), 3),
      torch.remainder(torch.tensor([-7.0, 7.0]), 3))
print("float_power:", torch.float_power(torch.tensor([2, 3]), 2))
mantissa, exponent = torch.frexp(torch.tensor([8.0, 0.3, -5.0]))
print("frexp:", mantissa, exponent)
print("ldexp:", torch.ldexp(mantissa, exponent))
print("heaviside:", torch.heaviside(torch.tensor([-1.0, 0.0, 2.0]), torch.tensor([0.5])))
print("isin:", torch.isin(torch.tensor([1, 2, 3, 4]), torch.tensor([2, 4])))

# ---- products with an input, combinations, index helpers ------------------------------
M = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
vec = torch.tensor([1.0, -1.0])
print("addmv:", torch.addmv(torch.ones(2), M, vec, beta=0.5))
print("addr:\n", torch.addr(torch.zeros(2, 2), vec, vec, alpha=2))
print("pairs:\n", torch.combinations(torch.tensor([10, 20, 30])))
print("tril_indices:\n", torch.tril_indices(3, 3))
print("triu_indices:\n", torch.triu_indices(3, 3, offset=1))

# ---- quantiles and histograms --------------------------------------------------------
data = torch.randn(200)
print("quartiles:", torch.quantile(data, torch.tensor([0.25, 0.5, 0.75])))
print("median (lower):", data.quantile(0.5, interpolation="lower"))
hist, edges = torch.histogram(data, bins=5)
print("hist:", hist)
print("edges:", edges)

# ---- dtypes and their limits -------------------------------------------------------
print(torch.finfo(torch.float32))
print("eps float16:", torch.finfo(torch.float16).eps)
print("tiny float64:", torch.finfo(torch.float64).tiny)
print(torch.iinfo(torch.int16))
print("int8 max:", torch.iinfo(torch.int8).max)
print("is a dtype:", isinstance(data.dtype, torch.dtype), data.dtype.is_floating_point)
print("promote:", torch.promote_types(torch.int32, torch.float16))
print("result_type:", torch.result_type(torch.tensor([1, 2]), 2.5))
print("can_cast:", torch.can_cast(torch.float64, torch.int32))
print("randint_like:", torch.randint_like(torch.zeros(2, 3), 5, 9))

try:
    torch.narrow(grid, 1, 3, 2)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.finfo(torch.int64)
except TypeError as e:
    print("TypeError:", e)
