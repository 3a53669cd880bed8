"""Anomaly detection: torch.autograd.detect_anomaly / set_detect_anomaly.

The transcript below was recorded from torch 2.13 (CPU) running PROGRAM as ``prog.py``
with /work/torchenv/bin/python; ``test_program_matches_live_torch`` runs it again where
torch is installed. adcli keeps the user's frames of torch's tracebacks and leaves out
torch's own (``user_view``); torch's "Error detected" warning is located in torch's
graph.py, adcli's at the user's backward line.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import numpy as np
import pytest

from adcli import programs
from adcli.engine import api
from adcli.engine.autograd import anomaly, engine, sites
from adcli.errors import TorchRuntimeError, TorchTypeError
from adcli.lang.interpreter import Session
from adcli.limits import Limits

PROGRAM = '''\
import torch


def f(x):
    y = x.sqrt()
    return y * 0


x = torch.tensor([-1.0, 4.0], requires_grad=True)
with torch.autograd.detect_anomaly():
    z = f(x).sum()
    try:
        z.backward()
    except RuntimeError as e:
        print("caught:", e)
print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())
a = torch.tensor([0.0, 1.0], requires_grad=True)
b = torch.tensor([0.0, 2.0], requires_grad=True)
with torch.autograd.set_detect_anomaly(True, check_nan=False):
    (a / b).sum().backward()
    print(a.grad, b.grad)
torch.autograd.set_detect_anomaly(True)
c = (a / b).sum()
c.backward()
'''

TORCH_STDOUT = """\
caught: Function 'SqrtBackward0' returned nan values in its 0th output.
False True
tensor([   inf, 0.5000]) tensor([    nan, -0.2500])
"""

TORCH_STDERR = """\
/tmp/fx/prog.py:10: UserWarning: Anomaly Detection has been enabled. This mode will \
increase the runtime and should only be enabled for debugging.
  with torch.autograd.detect_anomaly():
/work/torchenv/lib/python3.11/site-packages/torch/autograd/graph.py:979: UserWarning: \
Error detected in SqrtBackward0. Traceback of forward call that caused the error:
  File "/tmp/fx/prog.py", line 11, in <module>
    z = f(x).sum()
  File "/tmp/fx/prog.py", line 5, in f
    y = x.sqrt()
 (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:122.)
  return Variable._execution_engine.run_backward(  # Calls into the C++ engine to run \
the backward pass
/work/torchenv/lib/python3.11/site-packages/torch/autograd/graph.py:979: UserWarning: \
Error detected in DivBackward0. Traceback of forward call that caused the error:
  File "/tmp/fx/prog.py", line 23, in <module>
    c = (a / b).sum()
 (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:122.)
  return Variable._execution_engine.run_backward(  # Calls into the C++ engine to run \
the backward pass
Traceback (most recent call last):
  File "/tmp/fx/prog.py", line 24, in <module>
    c.backward()
  File "/work/torchenv/lib/python3.11/site-packages/torch/_tensor.py", line 623, in backward
    torch.autograd.backward(
  File "/work/torchenv/lib/python3.11/site-packages/torch/autograd/__init__.py", line 395, \
in backward
    _engine_run_backward(
  File "/work/torchenv/lib/python3.11/site-packages/torch/autograd/graph.py", line 979, in \
_engine_run_backward
    return Variable._execution_engine.run_backward(  # Calls into the C++ engine to run \
the backward pass
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
^^^^^^^^^^^^^^^^
RuntimeError: Function 'DivBackward0' returned nan values in its 1th output.
"""

ENABLED = ("Anomaly Detection has been enabled. This mode will increase the runtime and "
           "should only be enabled for debugging.")


def user_view(text: str) -> str:
    """A transcript's stderr as both tools can agree on it: torch's own frames left out,
    file names without their directory, and the place an "Error detected" warning is
    reported at (torch's graph.py, the user's backward line) left out."""
    lines = text.splitlines()
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith('  File "') and "site-packages" in line:  # a torch frame
            i += 1
            while i < len(lines) and lines[i].startswith("    "):
                i += 1
            continue
        if line.startswith(" (Triggered internally at"):
            out.append(line)
            i += 2  # and the line the warning is reported at
            continue
        m = re.match(r"^\S+?:\d+: UserWarning: (Error detected in .*)", line)
        if m:
            line = "WHERE: UserWarning: " + m.group(1)
        line = re.sub(r'File "[^"]*?([^"/]+)"', r'File "\1"', line)
        line = re.sub(r"^/\S*/([^/\s:]+\.py):", r"\1:", line)
        out.append(line)
        i += 1
    return "\n".join(out) + "\n"


@pytest.fixture(autouse=True)
def _fresh_state():
    api.reset_state()
    anomaly.reset()
    yield
    anomaly.reset()
    api.reset_state()


def run_program(source: str, filename: str = "prog.py") -> tuple[str, str]:
    out: list[str] = []
    err: list[str] = []
    programs.run_python(source, filename, Limits(), out.append, err.append)
    return "".join(out), "".join(err)


def run_py(source: str) -> str:
    out: list[str] = []
    Session(dialect="py", out=out.append).exec_source(source, filename="prog.py")
    return "".join(out)


# ---- the whole transcript -------------------------------------------------------------------
def test_program_matches_torchs_transcript():
    out, err = run_program(PROGRAM)
    assert out == TORCH_STDOUT
    assert user_view(err) == user_view(TORCH_STDERR)


def test_the_warning_is_reported_at_the_users_backward_line():
    _, err = run_program(PROGRAM)
    where = os.path.abspath("prog.py")
    assert (f"{where}:13: UserWarning: Error detected in SqrtBackward0. Traceback of forward "
            "call that caused the error:\n"
            f'  File "{where}", line 11, in <module>\n'
            "    z = f(x).sum()\n"
            f'  File "{where}", line 5, in f\n'
            "    y = x.sqrt()\n"
            " (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/"
            "python_anomaly_mode.cpp:122.)\n"
            "  z.backward()\n") in err
    assert err.count(ENABLED) == 1


@pytest.mark.torch
def test_program_matches_live_torch(tmp_path):
    pytest.importorskip("torch")
    prog = tmp_path / "prog.py"
    prog.write_text(PROGRAM, encoding="utf-8")
    done = subprocess.run([sys.executable, str(prog)], capture_output=True, text=True,
                          timeout=300, check=False, cwd=tmp_path)
    out, err = run_program(PROGRAM)
    assert out == done.stdout
    assert user_view(err) == user_view(done.stderr)


# ---- the modes --------------------------------------------------------------------------------
def test_modes_and_their_restoring():
    assert (anomaly.is_anomaly_enabled(), anomaly.is_anomaly_check_nan_enabled()) == (False, True)
    with anomaly.set_detect_anomaly(True, check_nan=False):
        assert (api_is_on(), anomaly.is_anomaly_check_nan_enabled()) == (True, False)
        assert sites.active()
    assert (api_is_on(), anomaly.is_anomaly_check_nan_enabled()) == (False, True)
    assert not sites.active()
    anomaly.set_detect_anomaly(True)
    assert api_is_on() and sites.active()
    anomaly.set_detect_anomaly(False)
    assert not api_is_on() and not sites.active()


def api_is_on() -> bool:
    return anomaly.is_anomaly_enabled()


def test_detect_anomaly_warns_when_made(warnings_seen):
    manager = anomaly.detect_anomaly(check_nan=False)
    assert warnings_seen == [ENABLED]
    assert not anomaly.is_anomaly_enabled()
    with manager:
        assert anomaly.is_anomaly_enabled() and not anomaly.is_anomaly_check_nan_enabled()
    assert not anomaly.is_anomaly_enabled() and anomaly.is_anomaly_check_nan_enabled()


def test_the_log_another_user_started_stays_on():
    sites.start()
    try:
        anomaly.set_anomaly_enabled(True)
        anomaly.set_anomaly_enabled(False)
        assert sites.active()
    finally:
        sites.stop()
    assert not sites.active()
    anomaly.set_anomaly_enabled(True)
    sites.start()
    sites.stop()  # explain's own log ends; anomaly mode still holds it
    assert sites.active()
    anomaly.set_anomaly_enabled(False)
    assert not sites.active()


@pytest.mark.parametrize("call, message", [
    (lambda: anomaly.set_detect_anomaly("yes"),
     "set_anomaly_enabled(): argument 'enabled' (position 1) must be bool, not str"),
    (lambda: anomaly.set_anomaly_enabled(1),
     "set_anomaly_enabled(): argument 'enabled' (position 1) must be bool, not int"),
    (lambda: anomaly.set_anomaly_enabled(True, "x"),
     "set_anomaly_enabled(): argument 'check_nan' (position 2) must be bool, not str"),
    (lambda: anomaly.set_detect_anomaly(True, check_nan=None),
     "set_anomaly_enabled(): argument 'check_nan' (position 2) must be bool, not NoneType"),
])
def test_arguments_must_be_bools(call, message):
    with pytest.raises(TorchTypeError) as info:
        call()
    assert str(info.value) == message
    assert not anomaly.is_anomaly_enabled()


# ---- in backward ------------------------------------------------------------------------------
def test_nan_names_the_node_and_its_output(warnings_seen):
    anomaly.set_anomaly_enabled(True)
    a = api.tensor([0.0, 1.0], requires_grad=True)
    b = api.tensor([0.0, 2.0], requires_grad=True)
    c = api.div(a, b).sum()
    with pytest.raises(TorchRuntimeError) as info:
        c.backward()
    # output 0 (a's gradient) is inf, not nan: the first nan is output 1's
    assert str(info.value) == "Function 'DivBackward0' returned nan values in its 1th output."
    # outside a program no statement was marked: the forward call is not known
    assert warnings_seen == [
        "Error detected in DivBackward0. No forward pass information available. Enable "
        "detect anomaly during forward pass for more information. (Triggered internally at "
        "/__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:100.)"]


def test_check_nan_off_lets_nan_through():
    anomaly.set_anomaly_enabled(True, False)
    a = api.tensor([0.0, 1.0], requires_grad=True)
    api.div(a, a).sum().backward()
    assert np.isnan(a.grad._data[0])


def test_anomaly_off_lets_nan_through_and_installs_nothing(monkeypatch):
    def refuse(*args):
        raise AssertionError("an anomaly watch in a pass without anomaly mode")

    monkeypatch.setattr(anomaly, "Watch", refuse)
    a = api.tensor([0.0, 1.0], requires_grad=True)
    api.div(a, a).sum().backward()
    assert np.isnan(a.grad._data[0])
    assert engine.OBSERVER[0] is None and not sites.active()


def test_autograd_grad_checks_only_what_it_needs():
    anomaly.set_anomaly_enabled(True)
    x = api.tensor([0.0], requires_grad=True)
    w = api.tensor([0.0], requires_grad=True)
    y = api.div(x, w)  # DivBackward0: x's gradient inf, w's nan (0/0)
    from adcli.engine.functional import grad

    (gx,) = grad(y.sum(), x)  # w's gradient is not computed for this: no error
    assert np.isinf(gx._data[0])
    with pytest.raises(TorchRuntimeError, match="returned nan values in its 1th output"):
        grad(api.div(x, w).sum(), w)


def test_forward_outside_anomaly_mode_has_no_traceback():
    _, err = run_program(
        "import torch\n"
        "a = torch.tensor([0.0, 1.0], requires_grad=True)\n"
        "c = (a / a).sum()\n"
        "with torch.autograd.detect_anomaly():\n"
        "    try:\n"
        "        c.backward()\n"
        "    except RuntimeError as e:\n"
        "        print(e)\n")
    assert ("prog.py:6: UserWarning: Error detected in DivBackward0. No forward pass "
            "information available. Enable detect anomaly during forward pass for more "
            "information. (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/"
            "python_anomaly_mode.cpp:100.)\n        c.backward()\n") in err.replace(
        "  c.backward()", "        c.backward()")


def test_inplace_error_hint_in_anomaly_mode():
    out, err = run_program(
        "import torch\n"
        "torch.autograd.set_detect_anomaly(True)\n"
        "a = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "b = a.exp()\n"
        "b.add_(1)\n"
        "try:\n"
        "    b.sum().backward()\n"
        "except RuntimeError as e:\n"
        "    print(e)\n")
    # torch 2.13's words
    assert out == (
        "one of the variables needed for gradient computation has been modified by an "
        "inplace operation: [torch.FloatTensor [2]], which is output 0 of Exp, is at "
        "version 1; expected version 0 instead. Hint: the backtrace further above shows the "
        "operation that failed to compute its gradient. The variable in question was "
        "changed in there or anywhere later. Good luck!\n")
    assert "UserWarning: Error detected in ExpBackward0. Traceback of forward call" in err
    assert '    b = a.exp()\n' in err


def test_inplace_error_hint_without_anomaly_mode_is_unchanged():
    out = run_py(
        "import torch\n"
        "a = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "b = a.exp()\n"
        "b.add_(1)\n"
        "try:\n"
        "    b.sum().backward()\n"
        "except RuntimeError as e:\n"
        "    print(e)\n")
    assert out.endswith("Hint: enable anomaly detection to find the operation that failed "
                        "to compute its gradient, with torch.autograd.set_detect_anomaly("
                        "True, check_nan=False).\n")


def test_hook_errors_name_their_node():
    out, err = run_program(
        "import torch\n"
        "torch.autograd.set_detect_anomaly(True)\n"
        "x = torch.tensor([1.0], requires_grad=True)\n"
        "def bad(g):\n"
        "    raise ValueError('leafboom')\n"
        "x.register_hook(bad)\n"
        "try:\n"
        "    (x * 2).sum().backward()\n"
        "except ValueError as e:\n"
        "    print('caught:', e)\n"
        "w = torch.tensor([1.0], requires_grad=True)\n"
        "v = w * 3\n"
        "v.register_hook(bad)\n"
        "try:\n"
        "    (v * 2).sum().backward()\n"
        "except ValueError as e:\n"
        "    print('caught:', e)\n")
    assert out == "caught: leafboom\ncaught: leafboom\n"
    # as torch: a leaf's hook runs in its AccumulateGrad; a tensor's in its grad_fn
    assert "Error detected in torch::autograd::AccumulateGrad. Traceback of forward" in err
    assert ("Error detected in MulBackward0. Traceback of forward call that caused the "
            "error:\n") in err
    assert "    v = w * 3\n" in err


def test_the_traceback_goes_through_a_modules_forward():
    _, err = run_program(
        "import torch\n"
        "import torch.nn as nn\n"
        "\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.fc = nn.Linear(2, 1)\n"
        "\n"
        "    def forward(self, x):\n"
        "        h = self.fc(x)\n"
        "        return torch.sqrt(h - 100)\n"
        "\n"
        "net = Net()\n"
        "torch.autograd.set_detect_anomaly(True)\n"
        "out = net(torch.ones(3, 2)).sum()\n"
        "out.backward()\n")
    # torch 2.13's, without its module.py frames (_wrapped_call_impl, _call_impl)
    where = os.path.abspath("prog.py")
    assert (f'  File "{where}", line 15, in <module>\n'
            "    out = net(torch.ones(3, 2)).sum()\n"
            f'  File "{where}", line 11, in forward\n'
            "    return torch.sqrt(h - 100)\n") in err
    assert err.endswith("RuntimeError: Function 'SqrtBackward0' returned nan values in its "
                        "0th output.\n")


# ---- names ------------------------------------------------------------------------------------
def test_names_reach_scripts():
    out = run_py(
        "import torch\n"
        "from torch.autograd import detect_anomaly, set_detect_anomaly\n"
        "print(torch.autograd.detect_anomaly is detect_anomaly)\n"
        "print(torch.autograd.set_detect_anomaly is set_detect_anomaly)\n"
        "print(torch.autograd.anomaly_mode.detect_anomaly is detect_anomaly)\n"
        "print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())\n"
        "torch.set_anomaly_enabled(True, False)\n"
        "print(torch.is_anomaly_enabled(), torch.is_anomaly_check_nan_enabled())\n"
        "print(torch.autograd.detect_anomaly)\n"
        "torch.set_anomaly_enabled(False)\n")
    assert out == ("True\nTrue\nTrue\nFalse True\nTrue False\n"
                   "<class 'torch.autograd.anomaly_mode.detect_anomaly'>\n")


def test_reset_turns_it_off():
    anomaly.set_anomaly_enabled(True, False)
    anomaly.reset()
    assert not anomaly.is_anomaly_enabled() and anomaly.is_anomaly_check_nan_enabled()
    assert not sites.active()


# ---- sites: the calls that led to a statement ----------------------------------------------
def test_a_return_makes_the_callers_statement_current_again():
    sites.acquire(stacks=True)
    try:
        outer = (11, 5, "<module>")
        sites.LOG[0].append((sites.graph_clock(), (5, 5, "f"), (outer,)))
        sites.returned()
        assert sites.LOG[0][-1][1] == outer and len(sites.LOG[0][-1]) == 2

        class Made:
            _seq = sites.graph_clock()

        assert sites.stack_of(Made) == (outer,)
        inner = (9, 1, "g")
        sites.LOG[0].append((sites.graph_clock(), (2, 1, "h"), (outer, inner)))
        sites.returned()
        assert sites.LOG[0][-1][1:] == (inner, (outer,))
    finally:
        sites.release(stacks=True)
    assert not sites.active()


def test_a_node_made_after_a_call_returns_is_the_callers(monkeypatch):
    """torch 2.13 names only line 8 for the product made after f returned, and f's line
    too for the square root made inside it. The interpreter tells ``sites`` of each
    return (``sites.returned``); until it does, this test stands in for it."""
    from adcli.lang import functions

    call = functions.Function.__call__
    if "returned" not in call.__code__.co_names:
        def calling(self, *args, **kwargs):
            try:
                return call(self, *args, **kwargs)
            finally:
                if sites.LOG[0] is not None:
                    sites.returned()

        monkeypatch.setattr(functions.Function, "__call__", calling)
    _, err = run_program(
        "import torch\n"
        "def f(x):\n"
        "    y = x * 1\n"
        "    return y\n"
        "def g(x):\n"
        "    return f(x).sqrt()\n"
        "x = torch.tensor([-1.0, 4.0], requires_grad=True)\n"
        "torch.autograd.set_detect_anomaly(True)\n"
        "z = (f(x) * 0).sqrt()\n"
        "try:\n"
        "    z.sum().backward()\n"
        "except RuntimeError as e:\n"
        "    print(e)\n"
        "w = g(x) * 0\n"
        "try:\n"
        "    w.sum().backward()\n"
        "except RuntimeError as e:\n"
        "    print(e)\n")
    where = os.path.abspath("prog.py")
    assert ("Error detected in MulBackward0. Traceback of forward call that caused the "
            f'error:\n  File "{where}", line 9, in <module>\n'
            "    z = (f(x) * 0).sqrt()\n (Triggered") in err
    assert ("Error detected in SqrtBackward0. Traceback of forward call that caused the "
            f'error:\n  File "{where}", line 14, in <module>\n'
            "    w = g(x) * 0\n"
            f'  File "{where}", line 6, in g\n'
            "    return f(x).sqrt()\n (Triggered") in err
