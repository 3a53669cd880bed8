"""In-place operations: what works, and the errors autograd raises."""
import torch


def show_error(label, fn):
    try:
        fn()
        print(f"[{label}] no error")
    except RuntimeError as e:
        msg = str(e).split("\n")[0]
        print(f"[{label}] RuntimeError: {msg[:90]}")


leaf = torch.ones(3, requires_grad=True)
show_error("add_ on leaf", lambda: leaf.add_(1))
show_error("mul_ on leaf", lambda: leaf.mul_(2))
show_error("index set on leaf", lambda: leaf.__setitem__(0, 5.0))

with torch.no_grad():
    leaf.add_(1)
print("after no_grad add_:", leaf)
leaf.data.mul_(3)
print("after .data.mul_:", leaf)

a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a.sigmoid()
b.add_(1)
print("b._version:", b._version)
show_error("modified sigmoid output", lambda: b.sum().backward())

a2 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
c = a2 * 2
c.add_(1)  # AddBackward does not need its output: fine
c.sum().backward()
print("grad through add_:", a2.grad)
print("c.grad_fn:", c.grad_fn.name())

d = a2.clone()
d[1] = 0.0
print("d:", d, type(d.grad_fn).__name__)
d.sum().backward()
print("grad through CopySlices:", a2.grad)

e = torch.zeros(2, 3)
e[:, 1] = torch.tensor([7.0, 8.0])
e[0] += 1
e[e > 5] = -1
print("e:\n", e)

x = torch.arange(6.0)
v = x.view(2, 3)
v[0, 0] = 100
print("x shares with view:", x)
print("x._version:", x._version)
x.zero_()
print("v after x.zero_():", v)
t = torch.tensor([-1.5, 0.2, 3.7])
t.clamp_(min=0).sqrt_()
print("clamp_ then sqrt_:", t)
t.fill_(2).pow_(3)
print(t, t.dtype)

p = torch.tensor([1.0, 2.0], requires_grad=True)
q = p.exp()
r = q * 1
q.mul_(0.5)
show_error("exp saved result modified", lambda: r.sum().backward())
r2 = p.pow(2)
p_view = p.detach()
p_view.add_(1)
show_error("leaf modified via detach", lambda: r2.sum().backward())
print("p:", p)
