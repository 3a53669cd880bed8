"""Tensor.register_post_accumulate_grad_hook: the hook gets the leaf after its ``.grad``
has accumulated (after register_hook's hooks), a handle removes it, non-leaves and tensors
without grad are refused in torch's words; an optimizer stepping from the hook (torch's
fused-optimizer recipe) runs. register_hook's refusal is torch's too.

The expected output was printed by torch 2.13.0+cpu running PROGRAM, never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = '''\
import torch
t = torch.ones(2)
try:
    t.register_hook(lambda g: g)
except Exception as e:
    print(type(e).__name__, e)
x = torch.ones(2, requires_grad=True)
y = x * 2
try:
    y.register_post_accumulate_grad_hook(lambda t: None)
except Exception as e:
    print(type(e).__name__, e)
try:
    t.register_post_accumulate_grad_hook(lambda t: None)
except Exception as e:
    print(type(e).__name__, e)
p = torch.nn.Parameter(torch.ones(2))
h = p.register_post_accumulate_grad_hook(lambda t: print("hook", t.grad, t is p))
p.register_post_accumulate_grad_hook(lambda t: print("second", t.grad))
p.register_hook(lambda g: print("pre", g))
(p * 3).sum().backward()
h.remove()
(p * 2).sum().backward()
print(p.grad)
w = torch.ones(3, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.1)
def step_now(t):
    opt.step()
    opt.zero_grad()
w.register_post_accumulate_grad_hook(step_now)
(w ** 2).sum().backward()
print(w, w.grad)
'''

TORCH_PRINTED = """\
RuntimeError cannot register a hook on a tensor that doesn't require gradient
RuntimeError post accumulate grad hooks cannot be registered on non-leaf tensors
RuntimeError cannot register a hook on a tensor that doesn't require gradient
pre tensor([3., 3.])
hook tensor([3., 3.]) True
second tensor([3., 3.])
pre tensor([2., 2.])
second tensor([5., 5.])
tensor([5., 5.])
tensor([0.8000, 0.8000, 0.8000], requires_grad=True) None
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    assert "".join(out) == TORCH_PRINTED
