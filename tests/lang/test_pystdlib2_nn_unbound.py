"""nn.Module subclasses: super().__getattr__ in a __getattr__ override, unbound calls of
the nn classes' methods (nn.Module.__init__(self), nn.Linear.forward(self, x),
nn.Module.parameters(m)), and del on containers and submodules: the program prints what
torch 2.13 prints for it."""

from __future__ import annotations

from tests.lang.test_pyos_module import reference, run

PROGRAM = """
import torch
import torch.nn as nn
torch.manual_seed(0)
class Wrapped(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module
    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self.module, name)
class Adapter(nn.Module):
    def __init__(self, dim):
        nn.Module.__init__(self)
        self.down = nn.Linear(dim, 2)
class Half(nn.Linear):
    def forward(self, x):
        return nn.Linear.forward(self, x) * 0.5
w = Wrapped(nn.Sequential(nn.Linear(2, 2), nn.ReLU()))
print(w.module[1], type(w.module).__name__, w.training, w.module is w.module)
a = Adapter(4)
print(a, sum(p.numel() for p in nn.Module.parameters(a)))
h = Half(2, 1)
x = torch.ones(1, 2)
print(torch.allclose(h(x), nn.functional.linear(x, h.weight, h.bias) * 0.5))
seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
del seq[1]
del a.down
print(seq, a)
"""


def test_prints_what_torch_prints(tmp_path):
    assert run(PROGRAM) == reference(PROGRAM, tmp_path)
