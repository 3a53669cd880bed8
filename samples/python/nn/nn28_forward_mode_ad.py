"""Forward-mode AD with torch.autograd.forward_ad: dual numbers, directional derivatives, JVPs."""
import torch
import torch.autograd.forward_ad as fwAD
from torch import nn

torch.manual_seed(28)

x = torch.tensor([0.0, 1.0, 2.0])
tangent = torch.ones(3)
with fwAD.dual_level():
    dual = fwAD.make_dual(x, tangent)
    y = torch.sin(dual) * dual
    primal, jvp = fwAD.unpack_dual(y)
    print("primal:", primal)
    print("tangent (d/dx x sin x):", jvp)
    print("by hand:", torch.sin(x) + x * torch.cos(x))
    unpacked = fwAD.unpack_dual(y)
    print("unpack_dual fields:", unpacked._fields)
    print("a plain tensor has no tangent:", fwAD.unpack_dual(x).tangent)

print("outside the level, the tangent is gone:", fwAD.unpack_dual(y).tangent)


def f(a, b):
    return (a ** 2 * b).sum(), a * b.exp()


a = torch.tensor([1.0, 2.0])
b = torch.tensor([0.5, -0.5])
print("\npartial derivatives of f(a, b) = (sum(a^2 b), a e^b) one direction at a time:")
for name, ta, tb in (("d/da", torch.ones(2), torch.zeros(2)), ("d/db", torch.zeros(2), torch.ones(2))):
    with fwAD.dual_level():
        s, v = f(fwAD.make_dual(a, ta), fwAD.make_dual(b, tb))
        print(f"  {name}: scalar tangent {fwAD.unpack_dual(s).tangent.item():.4f}, "
              f"vector tangent {fwAD.unpack_dual(v).tangent}")

model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
inp = torch.randn(5, 3)
direction = torch.randn(5, 3)
with fwAD.dual_level():
    out = model(fwAD.make_dual(inp, direction))
    out_primal, out_tangent = fwAD.unpack_dual(out)
print("\nnetwork output:", tuple(out_primal.shape))
print("JVP along a random input direction:")
print(out_tangent)
_, ref = torch.autograd.functional.jvp(model, inp, direction)
print("matches autograd.functional.jvp:", torch.allclose(out_tangent, ref, atol=1e-6))

# directional derivative of a loss with respect to the weights (forward mode over parameters)
params = {name: p.detach() for name, p in model.named_parameters()}
tangents = {name: torch.randn_like(p) for name, p in params.items()}
with fwAD.dual_level():
    dual_params = {name: fwAD.make_dual(p, tangents[name]) for name, p in params.items()}
    pred = torch.func.functional_call(model, dual_params, (inp,))
    loss = pred.pow(2).mean()
    directional = fwAD.unpack_dual(loss).tangent
print(f"\nforward-mode directional derivative of the loss: {directional.item():.4f}")
loss_rev = model(inp).pow(2).mean()
grads = torch.autograd.grad(loss_rev, list(model.parameters()))
dot = sum((g * tangents[name]).sum() for g, (name, _) in zip(grads, model.named_parameters()))
print(f"reverse-mode gradient dotted with the same direction: {dot.item():.4f}")

with fwAD.dual_level():
    d = fwAD.make_dual(torch.tensor(3.0), torch.tensor(1.0))
    for fn in (torch.exp, torch.log, torch.sqrt, torch.sigmoid, lambda t: t ** 3):
        print("  derivative at 3:", f"{fwAD.unpack_dual(fn(d)).tangent.item():.4f}")
