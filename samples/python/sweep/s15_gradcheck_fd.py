# Homework: centered finite differences to verify autograd gradients.
import torch

torch.manual_seed(15)
torch.set_default_dtype(torch.float64)


def f(w, x):
    return torch.tanh(x @ w).pow(2).sum() + 0.5 * (w ** 2).sum()


x = torch.randn(4, 3)
w = torch.randn(3, 2, requires_grad=True)
loss = f(w, x)
loss.backward()
analytic = w.grad.clone()

eps = 1e-6
numeric = torch.zeros_like(w)
with torch.no_grad():
    for i in range(w.shape[0]):
        for j in range(w.shape[1]):
            old = w[i, j].item()
            w[i, j] = old + eps
            fp = f(w, x).item()
            w[i, j] = old - eps
            fm = f(w, x).item()
            w[i, j] = old
            numeric[i, j] = (fp - fm) / (2 * eps)

print("analytic:\n", analytic)
print("numeric:\n", numeric)
diff = (analytic - numeric).abs().max().item()
print(f"max abs diff below 1e-7: {diff < 1e-7}")
print("default dtype:", torch.get_default_dtype(), w.dtype)

from torch.autograd import gradcheck, gradgradcheck
inp = (torch.randn(3, 2, requires_grad=True), torch.randn(4, 3))
print("gradcheck:", gradcheck(lambda a, b: f(a, b), inp, eps=1e-6, atol=1e-4))
print("gradgradcheck:", gradgradcheck(lambda a: torch.sin(a).sum(), (torch.randn(3, requires_grad=True),)))


def bad_fn(a):
    return BadSquare.apply(a)


class BadSquare(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a * a

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * a  # missing factor 2


ok = gradcheck(bad_fn, (torch.randn(2, requires_grad=True),), raise_exception=False)
print("bad gradient detected:", not ok)
torch.set_default_dtype(torch.float32)
print(torch.tensor([1.5]).dtype)
