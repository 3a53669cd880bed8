"""Checking a hand-written layer against a reference with torch.testing.assert_close."""
import torch
from torch.testing import assert_close

torch.manual_seed(0)


def my_softmax(x, dim):
    e = torch.exp(x - x.max(dim=dim, keepdim=True).values)
    return e / e.sum(dim=dim, keepdim=True)


x = torch.randn(4, 5)
assert_close(my_softmax(x, 1), torch.softmax(x, 1))
print("softmax matches")

w = torch.randn(5, 3, requires_grad=True)
out = (x @ w).tanh().sum()
out.backward()
manual = x.t() @ (1 - torch.tanh(x @ w) ** 2)
assert_close(w.grad, manual)
print("gradient matches")


def check(name, fn):
    try:
        fn()
        print(name, "passed")
    except AssertionError as e:
        print(name, "failed:")
        print(e)
    except (TypeError, ValueError) as e:
        print(name, type(e).__name__, e)


check("off by 1e-3", lambda: assert_close(x, x + 1e-3))
check("loose", lambda: assert_close(x, x + 1e-3, rtol=0, atol=1e-2))
check("one element", lambda: assert_close(torch.tensor([[1.0, 2.0], [3.0, 4.0]]),
                                          torch.tensor([[1.0, 2.0], [3.0, 4.25]])))
check("dtype", lambda: assert_close(x, x.double()))
check("dtype ignored", lambda: assert_close(x, x.double(), check_dtype=False))
check("shape", lambda: assert_close(x, x.t()))
check("ints", lambda: assert_close(torch.tensor([1, 2, 3]), torch.tensor([1, 2, 4])))
check("scalar", lambda: assert_close(torch.tensor(1.0), torch.tensor(1.5)))
check("python floats", lambda: assert_close(0.1 + 0.2, 0.3))
check("python numbers", lambda: assert_close(2.0, 2.1))
check("nan", lambda: assert_close(torch.tensor([float("nan")]), torch.tensor([float("nan")])))
check("nan equal", lambda: assert_close(torch.tensor([float("nan")]),
                                        torch.tensor([float("nan")]), equal_nan=True))
check("list", lambda: assert_close([x, w], [x, w.detach() * 2]))
check("dict", lambda: assert_close({"a": x}, {"a": x + 1}))
check("keys", lambda: assert_close({"a": x}, {"b": x}))
check("lengths", lambda: assert_close([1.0, 2.0], [1.0]))
check("msg", lambda: assert_close(x, x + 1, msg="outputs differ"))
check("tolerance pair", lambda: assert_close(x, x, rtol=1e-3))
check("types", lambda: assert_close(x, x.tolist()))
