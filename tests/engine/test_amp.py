# ruff: noqa: E501 - torch's printed lines, verbatim
"""torch.amp on torch 2.13's CPU build: autocast disabling itself (cuda, an unsupported
dtype, enabled=False) with torch's warnings, as a decorator too; GradScaler("cpu") scaling,
unscaling, skipping the step on inf gradients, backing off and growing the scale (every
value of an SGD run printed in full), its errors and state_dict; GradScaler() and
torch.cuda.amp's deprecated classes disabled on the CPU.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.engine import tensor as _tensor
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch.nn as nn
import torch
s = torch.cuda.amp.GradScaler()
print(type(s), type(torch.amp.GradScaler("cpu")), s.is_enabled())
a = torch.autocast("cpu", enabled=False)
print(type(a), torch.is_autocast_enabled(), torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu"), torch.amp.is_autocast_available("cpu"))
try:
    torch.autocast("foo")
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.autocast(3)
except Exception as e:
    print(type(e).__name__, e)
with torch.autocast("cpu", dtype=torch.float32):
    print(torch.is_autocast_enabled("cpu"))
@torch.autocast("cuda")
def f(x):
    return x * 2
print(f(torch.ones(1)))
g = torch.amp.GradScaler("cpu", growth_interval=1)
w = torch.nn.Parameter(torch.tensor([1e38, 1.0]))
opt = torch.optim.SGD([w], lr=0.1)
for i in range(3):
    opt.zero_grad()
    g.scale((w * w).sum()).backward()
    g.step(opt)
    g.update()
    print(g.get_scale(), w, g.state_dict())
try:
    g.update()
except Exception as e:
    print(type(e).__name__, e)
try:
    g.scale(torch.ones(1)); g.unscale_(opt); g.unscale_(opt)
except Exception as e:
    print(type(e).__name__, e)
print(g.scale([torch.ones(1), (torch.ones(2),)]))
try:
    torch.amp.GradScaler("cpu").step(opt)
except Exception as e:
    print(type(e).__name__, e)

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.01)
scaler = torch.amp.GradScaler("cpu", init_scale=1024.0, growth_interval=3)
x = torch.randn(16, 5)
y = torch.randn(16, 1)
for step in range(8):
    opt.zero_grad()
    with torch.autocast(device_type="cpu", enabled=False):
        loss = nn.functional.mse_loss(model(x), y)
    scaler.scale(loss).backward()
    scaler.unscale_(opt)
    norm = torch.tensor(0.)
    scaler.step(opt)
    scaler.update()
    print(step, loss.item(), norm.item(), scaler.get_scale(), scaler.state_dict()["_growth_tracker"])
print([p.tolist() for p in model.parameters()])

torch.manual_seed(0)
model = nn.Linear(3, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(4, 3)
y = torch.randn(4, 1)
device = "cuda" if torch.cuda.is_available() else "cpu"
scaler = torch.cuda.amp.GradScaler(enabled=(device == "cuda"))
print(scaler.is_enabled(), scaler.get_scale())
scaler2 = torch.amp.GradScaler()
print(scaler2.is_enabled())
scaler3 = torch.amp.GradScaler("cpu")
print(scaler3.is_enabled(), scaler3.get_scale())
for s in (scaler, scaler3):
    for step in range(2):
        opt.zero_grad()
        with torch.autocast(device_type=device, dtype=torch.float16, enabled=(device == "cuda")):
            out = model(x)
            loss = ((out - y) ** 2).mean()
        print(out.dtype, torch.is_autocast_enabled())
        sl = s.scale(loss)
        print(sl)
        sl.backward()
        s.unscale_(opt)
        print(model.weight.grad)
        s.step(opt)
        s.update()
        print(s.get_scale(), model.weight)
with torch.cuda.amp.autocast():
    print(model(x).dtype)
with torch.amp.autocast("cuda"):
    print(model(x).dtype)
print(scaler3.state_dict())
"""

TORCH_PRINTED = """\
<class 'torch.cuda.amp.grad_scaler.GradScaler'> <class 'torch.amp.grad_scaler.GradScaler'> False
<class 'torch.amp.autocast_mode.autocast'> False False torch.bfloat16 True
RuntimeError Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: foo
ValueError Expected `device_type` of type `str`, got: `<class 'int'>`
False
tensor([2.])
32768.0 Parameter containing:
tensor([1.0000e+38, 1.0000e+00], requires_grad=True) {'scale': 32768.0, 'growth_factor': 2.0, 'backoff_factor': 0.5, 'growth_interval': 1, '_growth_tracker': 0}
16384.0 Parameter containing:
tensor([1.0000e+38, 1.0000e+00], requires_grad=True) {'scale': 16384.0, 'growth_factor': 2.0, 'backoff_factor': 0.5, 'growth_interval': 1, '_growth_tracker': 0}
8192.0 Parameter containing:
tensor([1.0000e+38, 1.0000e+00], requires_grad=True) {'scale': 8192.0, 'growth_factor': 2.0, 'backoff_factor': 0.5, 'growth_interval': 1, '_growth_tracker': 0}
AssertionError No inf checks were recorded prior to update.
RuntimeError unscale_() has already been called on this optimizer since the last update().
[tensor([8192.]), (tensor([8192., 8192.]),)]
AssertionError Attempted step but _scale is None.  This may indicate your script did not use scaler.scale(loss or outputs) earlier in the iteration.
0 1.459914207458496 0.0 1024.0 1
1 1.4448639154434204 0.0 1024.0 2
2 1.4305527210235596 0.0 2048.0 0
3 1.416987657546997 0.0 2048.0 1
4 1.4045833349227905 0.0 2048.0 2
5 1.3928358554840088 0.0 4096.0 0
6 1.3816652297973633 0.0 4096.0 1
7 1.371034860610962 0.0 4096.0 2
[[[0.004478673916310072, 0.2397204339504242, -0.36564964056015015, -0.32936960458755493, -0.174662783741951], [0.12004643678665161, -0.008913081139326096, 0.35444337129592896, -0.03967380151152611, 0.11852846294641495], [-0.14755482971668243, -0.09274310618638992, -0.4351414442062378, -0.29570889472961426, -0.17832280695438385], [0.015520231798291206, 0.1792488843202591, 0.27245721220970154, -0.3041113317012787, -0.19804663956165314], [0.1625305414199829, 0.3694261908531189, -0.0935266986489296, 0.33392763137817383, -0.0725766271352768], [0.04681814834475517, 0.4047994017601013, -0.41513165831565857, -0.2816052734851837, -0.11274813860654831], [-0.18809495866298676, 0.3784729838371277, -0.2973443865776062, -0.2082141786813736, -0.30598628520965576], [-0.4101961851119995, -0.2576634883880615, 0.3914373815059662, 0.2022504359483719, 0.21588805317878723]], [0.01752031408250332, -0.22932521998882294, 0.09312586486339569, -0.415025919675827, -0.3242579698562622, -0.23049475252628326, 0.300165057182312, 0.247965469956398], [[-0.15319454669952393, -0.012395527213811874, 0.2505996525287628, 0.35545670986175537, 0.1373734325170517, 0.04737013578414917, 0.2587464153766632, -0.182564839720726]], [0.13247396051883698]]
False 1.0
False
True 65536.0
torch.float32 False
tensor(1.2724, grad_fn=<MeanBackward0>)
tensor([[-1.1512,  0.8372, -2.0357]])
1.0 Parameter containing:
tensor([[ 0.1108,  0.2260, -0.2716]], requires_grad=True)
torch.float32 False
tensor(0.7350, grad_fn=<MeanBackward0>)
tensor([[-0.5559,  0.5781, -1.5343]])
1.0 Parameter containing:
tensor([[ 0.1664,  0.1682, -0.1182]], requires_grad=True)
torch.float32 False
tensor(29517.1230, grad_fn=<MulBackward0>)
tensor([[-0.2691,  0.4093, -1.1846]])
65536.0 Parameter containing:
tensor([[0.1933, 0.1273, 0.0003]], requires_grad=True)
torch.float32 False
tensor(18570.0273, grad_fn=<MulBackward0>)
tensor([[-0.1294,  0.2935, -0.9297]])
65536.0 Parameter containing:
tensor([[0.2062, 0.0979, 0.0933]], requires_grad=True)
torch.float32
torch.float32
{'scale': 65536.0, 'growth_factor': 2.0, 'backoff_factor': 0.5, 'growth_interval': 2000, '_growth_tracker': 2}
"""

# torch's warnings in order: (category, where Python reports it: None for the script line)
TORCH_WARNED = [
    ("FutureWarning", None), ("UserWarning", "cuda/amp/grad_scaler.py"),
    ("UserWarning", None), ("UserWarning", None), ("FutureWarning", None),
    ("UserWarning", None), ("FutureWarning", None),
    ("UserWarning", "cuda/amp/autocast_mode.py"), ("UserWarning", None),
]


def test_the_program_prints_what_torch_prints(monkeypatch):
    warned: list = []
    monkeypatch.setattr(_tensor, "emit_warning",
                        lambda message, site=None: warned.append((message, site)))
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    got = "".join(out).splitlines()
    want = TORCH_PRINTED.splitlines()
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"line {i + 1}"
    assert len(got) == len(want)
    seen = [(type(m).__name__ if isinstance(m, Warning) else "UserWarning", s and s[0])
            for m, s in warned]
    assert seen == TORCH_WARNED
