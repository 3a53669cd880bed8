"""An autograder-style script: student functions checked with asserts and try/except."""
import traceback
import torch

torch.manual_seed(0)


# ----- student submission -----
def relu(x):
    return torch.clamp(x, min=0)


def softmax(x, dim=-1):
    e = torch.exp(x - x.max(dim=dim, keepdim=True).values)
    return e / e.sum(dim=dim, keepdim=True)


def mse(a, b):
    return ((a - b) ** 2).sum()          # bug: should be mean


def batch_dot(a, b):
    return (a * b).sum(1)


def one_hot(labels, n):
    out = torch.zeros(len(labels), n)
    out[torch.arange(len(labels)), labels] = 1
    return out


def conv_out_size(n, k, s, p):
    return (n + 2 * p - k) / s + 1       # bug: float division


def flatten_all(x):
    return x.view(-1)


# ----- grader -----
results = []


def check(name, fn, points):
    try:
        fn()
        results.append((name, points, points, "ok"))
    except AssertionError as e:
        results.append((name, 0, points, f"wrong answer: {e}"))
    except Exception as e:
        results.append((name, 0, points, f"{type(e).__name__}: {e}"))


def t_relu():
    x = torch.tensor([-1.0, 0.0, 2.5])
    assert torch.equal(relu(x), torch.tensor([0.0, 0.0, 2.5])), "relu values"


def t_softmax():
    x = torch.randn(4, 5)
    got = softmax(x)
    assert torch.allclose(got, torch.softmax(x, dim=-1), atol=1e-6), "softmax mismatch"
    assert torch.allclose(got.sum(-1), torch.ones(4)), "rows must sum to 1"


def t_mse():
    a, b = torch.ones(3), torch.zeros(3)
    got = mse(a, b)
    assert abs(got.item() - 1.0) < 1e-6, f"expected 1.0, got {got.item()}"


def t_batch_dot():
    a, b = torch.randn(3, 4), torch.randn(3, 5)
    batch_dot(a, b)


def t_one_hot():
    got = one_hot(torch.tensor([0, 2, 1]), 3)
    assert got.tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]], got.tolist()
    assert got.dtype == torch.float32


def t_conv():
    got = conv_out_size(32, 3, 2, 1)
    assert isinstance(got, int), f"expected int, got {type(got).__name__} ({got})"


def t_flatten():
    x = torch.arange(12).reshape(3, 4).t()
    flatten_all(x)


check("relu", t_relu, 1)
check("softmax", t_softmax, 2)
check("mse", t_mse, 1)
check("batch_dot", t_batch_dot, 1)
check("one_hot", t_one_hot, 2)
check("conv_out_size", t_conv, 1)
check("flatten", t_flatten, 1)

width = max(len(r[0]) for r in results)
for name, got, total, msg in results:
    print(f"{name:<{width}}  {got}/{total}  {msg}")
score = sum(r[1] for r in results)
total = sum(r[2] for r in results)
print("-" * 40)
print(f"TOTAL: {score}/{total} ({100 * score / total:.1f}%)")

try:
    torch.randn(2, 3) @ torch.randn(2, 3)
except RuntimeError as err:
    lines = traceback.format_exception_only(type(err), err)
    print("formatted:", lines[-1].strip())
assert score == total, f"{total - score} points lost"
