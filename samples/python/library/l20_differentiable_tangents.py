import torch
import torch.autograd.forward_ad as fwAD
torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
x = torch.randn(3)
with fwAD.dual_level():
    d = fwAD.make_dual(x, torch.ones(3))
    y = (d * w).sin() + w
    p, t = fwAD.unpack_dual(y)
    print(p, t)
    z = torch.tanh(d) * 2 + torch.exp(w).sum()
    print(fwAD.unpack_dual(z).tangent)
    m = d.unsqueeze(0).mm(w.unsqueeze(1))
    print(fwAD.unpack_dual(m).tangent)
    s = (d + 1.0) * w
    print(fwAD.unpack_dual(s).tangent)
    t.sum().backward()
print(w.grad)
