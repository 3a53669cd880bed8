"""Shape checks with assert; the last one fails with a message and ends the run."""
import torch


def linear(x, W, b):
    assert x.dim() == 2, f"expected a batch of vectors, got {x.dim()} dims"
    assert x.shape[1] == W.shape[0], (
        f"input has {x.shape[1]} features but W expects {W.shape[0]}")
    return x @ W + b


W = torch.ones(3, 2, requires_grad=True)
b = torch.zeros(2, requires_grad=True)
x = torch.arange(6.0).reshape(2, 3)
out = linear(x, W, b)
print(out)
out.sum().backward()
print("W.grad:", W.grad)
print("b.grad:", b.grad)

for bad in (torch.ones(3), torch.ones(4, 2)):
    try:
        linear(bad, W, b)
    except AssertionError as err:
        print("caught:", err)

total = sum(p.numel() for p in (W, b))
print("parameters:", total)
expected = W.shape[0] * W.shape[1]
assert total == expected, f"parameter count is {total}, expected {expected} (bias counted twice?)"
print("unreachable")
