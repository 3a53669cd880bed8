import torch, torch.nn as nn
torch.manual_seed(0)
lin = nn.Linear(3, 2)
def hook(m, gi, go):
    print("hook", type(m).__name__, [None if g is None else g.shape for g in gi], [g.shape for g in go])
    return (gi[0] * 0,) if gi[0] is not None else None
def pre(m, go):
    print("pre", [g.shape for g in go])
lin.register_full_backward_hook(hook)
lin.register_full_backward_pre_hook(pre)
x = torch.randn(4, 3, requires_grad=True)
y = lin(x)
print(y.grad_fn.name(), y.grad_fn.next_functions[0][0].name())
y.sum().backward()
print(x.grad, lin.weight.grad)
y = lin(torch.randn(4, 3))
print(y.grad_fn.name())
y.sum().backward()
