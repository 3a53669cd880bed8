"""Mistakes that autograd reports, caught and printed."""
import torch


def attempt(label, action):
    try:
        result = action()
    except Exception as err:
        print(f"{label}: {type(err).__name__}")
        return err
    print(f"{label}: ok -> {result}")
    return None


x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x * x).sum()
y.backward()
err = attempt("backward twice", y.backward)
print("  message starts:", str(err)[:46])
print("  mentions retain_graph:", "retain_graph=True" in str(err))

z = (x * x).sum()
z.backward(retain_graph=True)
z.backward()
print("with retain_graph the grads add up:", x.grad)

err = attempt("non-scalar backward", lambda: (x * 2).backward())
print("  message:", err)
attempt("non-scalar with gradient", lambda: (x * 2).backward(torch.ones(3)))
print("  grad now:", x.grad)

c = torch.tensor([1.0, 2.0])
err = attempt("no grad_fn", lambda: c.sum().backward())
print("  message:", err)

err = attempt("in-place on a leaf", lambda: x.add_(1))
print("  message:", err)

err = attempt("grad of unused input", lambda: torch.autograd.grad((x * 2).sum(), [x, c.requires_grad_()]))
print("  message:", err)
g = torch.autograd.grad((x * 2).sum(), [x, c], allow_unused=True)
print("allow_unused:", g)

err = attempt("item of many", lambda: x.item())
print("  message:", err)
err = attempt("shape mismatch", lambda: x + torch.ones(2))
print("  message:", err)
err = attempt("matmul mismatch", lambda: torch.ones(2, 3) @ torch.ones(2, 3))
print("  message:", err)
err = attempt("int requires grad", lambda: torch.tensor([1, 2], requires_grad=True))
print("  message:", err)

a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.exp()
b.mul_(2)
err = attempt("modified saved tensor", lambda: b.sum().backward())
print("  is a RuntimeError:", isinstance(err, RuntimeError))
print("  mentions inplace:", "inplace operation" in str(err))

for bad in (lambda: x.view(4), lambda: x[5], lambda: torch.ones(2).reshape(3)):
    try:
        bad()
    except (RuntimeError, IndexError) as e:
        print(type(e).__name__, "|", e)
