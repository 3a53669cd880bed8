"""The sandbox around torch.nn, torch.optim and torch.utils.data: modules, hooks,
optimizers and loaders reach no Python internals (SPEC §3, issue 16).

A host class that scripts use lists what they may read (``__adcli_public__``); everything
else, and every dunder, stays out of reach, whether read on an instance, through a
script subclass, through ``super()``, or on what the public methods return."""

from __future__ import annotations

import pytest

from adcli.errors import AdcliError, AdcliSyntaxError
from adcli.lang.interpreter import Session
from adcli.limits import Limits

PRELUDE = """import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
m = nn.Linear(2, 2)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 1)
    def forward(self, x):
        return self.fc(x)
net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.1)
loader = DataLoader(TensorDataset(torch.ones(4, 2)), batch_size=2)
class Twice(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        ctx.note = 2
        return x * 2
    @staticmethod
    def backward(ctx, g):
        return g * 2
leaf = torch.ones(2, requires_grad=True)
out = Twice.apply(leaf)
"""


def run(text: str) -> str:
    out: list[str] = []
    Session(limits=Limits(), out=out.append, dialect="py").exec_source(PRELUDE + text)
    return "".join(out)


HOSTILE = {
    "generator frame": "getattr(m.parameters(), 'gi_frame')",
    "generator code": "getattr(net.named_modules(), 'gi_code')",
    "module dict": "getattr(m, '__dict__')",
    "module class dict": "getattr(type(m), '__dict__')",
    "module private method": "m._convert",
    "module host getattr": "getattr(m, '__getattr__')",
    "module adcli getattr": "getattr(m, '__adcli_getattr__')",
    "module public list": "getattr(m, '__adcli_public__')",
    "module reduce": "getattr(m, '__reduce_ex__')",
    "bound method func": "getattr(m.forward, '__func__')",
    "bound method globals": "getattr(m.parameters, '__globals__')",
    "bound method self dict": "getattr(getattr(m.forward, '__self__'), '__dict__')",
    "class init globals": "getattr(nn.Module.__init__, '__globals__')",
    "class private": "nn.Module._named_members",
    "class forward closure": "getattr(nn.Linear.forward, '__closure__')",
    "class forward on a foreign object": "nn.Linear.forward(nn.ReLU(), 1)",
    "class method on a non-module": "nn.Module.parameters([1])",
    "subclass private": "net._convert",
    "super private": ("class S(nn.Module):\n    def f(self):\n        return super()._convert\n"
                      "S().f()"),
    "super dict": ("class S(nn.Module):\n    def f(self):\n        return getattr(super(), "
                   "'__dict__')\nS().f()"),
    "setattr dunder on module": "setattr(m, '__class__', nn.Module)",
    "setattr dunder on subclass": "setattr(net, '__class__', nn.Module)",
    "setattr host method": "setattr(nn.Linear, 'forward', print)",
    "optimizer private": "opt._init_group",
    "optimizer dunder": "getattr(opt, '__dict__')",
    "optimizer step func": "getattr(opt.step, '__func__')",
    "loader private": "getattr(loader, '__dict__')",
    "loader iterator frame": "getattr(iter(loader), 'gi_frame')",
    "parameter class": "getattr(nn.Parameter, '__subclasses__')",
    "hook handle dict": "getattr(m.register_forward_hook(print), '__dict__')",
    "function node dict": "getattr(out.grad_fn, '__dict__')",
    "function node private": "out.grad_fn._saved",
    "function node class": "getattr(out.grad_fn, '__class__')",
    "function apply func": "getattr(Twice.apply, '__func__')",
    "function base private": "torch.autograd.Function._apply",
    "ctx engine state": ("class Peek(torch.autograd.Function):\n    @staticmethod\n"
                         "    def forward(ctx, x):\n        return ctx._adcli_state\n"
                         "    @staticmethod\n    def backward(ctx, g):\n        return g\n"
                         "Peek.apply(leaf)"),
    "ctx dict": ("class Peek(torch.autograd.Function):\n    @staticmethod\n"
                 "    def forward(ctx, x):\n        return getattr(ctx, '__dict__')\n"
                 "    @staticmethod\n    def backward(ctx, g):\n        return g\n"
                 "Peek.apply(leaf)"),
    "ctx overwrite state": ("class Peek(torch.autograd.Function):\n    @staticmethod\n"
                            "    def forward(ctx, x):\n        ctx._adcli_state = None\n"
                            "        return x\n    @staticmethod\n    def backward(ctx, g):"
                            "\n        return g\nPeek.apply(leaf)"),
    "ctx overwrite method": ("class Peek(torch.autograd.Function):\n    @staticmethod\n"
                             "    def forward(ctx, x):\n        ctx.save_for_backward = print"
                             "\n        return x\n    @staticmethod\n"
                             "    def backward(ctx, g):\n        return g\nPeek.apply(leaf)"),
    "dual level internals": ("import torch.autograd.forward_ad as fwAD\n"
                             "getattr(fwAD.dual_level(), '__dict__')"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_internals_stay_out_of_reach(name):
    with pytest.raises(AdcliError) as info:
        run(HOSTILE[name] + "\n")
    assert info.value.kind in ("AttributeError", "TypeError"), info.value


@pytest.mark.parametrize("text", [
    "m.__weakref__\n", "net.__class__.__bases__\n", "opt.__getstate__\n",
    "m.forward.__func__\n",
])
def test_the_parser_refuses_dunder_reads(text):
    with pytest.raises(AdcliSyntaxError, match="attributes starting with '__'"):
        run(text)


@pytest.mark.parametrize("text", ["m.__dict__\n", "opt.__dict__\n", "vars(m)\n"])
def test_an_engine_objects_dict_is_refused_when_read(text):
    # `__dict__` parses (a script instance's own dict); the engine's state does not show
    with pytest.raises(AdcliError) as info:
        run(text)
    assert info.value.kind in ("AttributeError", "TypeError"), info.value


def test_a_hook_gets_the_module_and_tensors_only():
    out = run("seen = []\n"
              "h = m.register_forward_hook(lambda mod, inp, o: seen.append("
              "(type(mod).__name__, len(inp), o.shape)))\n"
              "m(torch.ones(1, 2))\nh.remove()\nm(torch.ones(1, 2))\nprint(seen)\n")
    assert out == "[('Linear', 1, torch.Size([1, 2]))]\n"


def test_apply_calls_the_function_on_each_module():
    out = run("names = []\nnet.apply(lambda mod: names.append(type(mod).__name__))\n"
              "print(names)\n")
    assert out == "['Linear', 'Net']\n"


def test_registration_and_reads_go_through_the_module():
    out = run("net.extra = nn.Parameter(torch.zeros(1))\nnet.note = 'x'\n"
              "print(sorted(n for n, _ in net.named_parameters()), net.note, "
              "net.extra.shape)\n")
    assert out == "['extra', 'fc.bias', 'fc.weight'] x torch.Size([1])\n"


def test_a_custom_function_keeps_what_the_script_set_on_ctx():
    out = run("class Keep(torch.autograd.Function):\n    @staticmethod\n"
              "    def forward(ctx, x):\n        ctx.scale = 3.0\n"
              "        return x * ctx.scale\n    @staticmethod\n    def backward(ctx, g):\n"
              "        return g * ctx.scale\n"
              "y = Keep.apply(leaf)\ny.sum().backward()\n"
              "print(leaf.grad, type(y.grad_fn).__name__)\n")
    assert out == "tensor([3., 3.]) KeepBackward\n"


def test_deep_module_nesting_is_bounded_and_iterative():
    # named_modules walks iteratively: a deep chain of Sequentials is no host recursion
    out = run("s = nn.Identity()\nfor _ in range(300):\n    s = nn.Sequential(s)\n"
              "print(sum(1 for _ in s.modules()))\n")
    assert out == "301\n"
