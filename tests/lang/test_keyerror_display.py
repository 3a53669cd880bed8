"""A KeyError shows its argument through ``repr``, as CPython prints it: the last line of
an uncaught one (torch's, a script's own ``raise KeyError(...)``, a dict miss) and
``str(e)`` / ``print(e)`` of a caught one. Every expected line below is what CPython
3 with torch 2.13.0+cpu printed for the same program, never adcli's own output."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from adcli.cli.main import cli

# program -> the last line torch 2.13 / CPython wrote to stderr
UNCAUGHT = {
    "import torch.nn as nn\nnn.Module().register_buffer('a.b', None)\n":
        "KeyError: 'buffer name can\\'t contain \".\"'",
    "import torch.nn as nn\nnn.Module().register_buffer('', None)\n":
        "KeyError: 'buffer name can\\'t be empty string \"\"'",
    "import torch.nn as nn\nm = nn.Module()\nm.x = 1\nm.register_buffer('x', None)\n":
        "KeyError: \"attribute 'x' already exists\"",
    "import torch\ntorch.optim.SGD([{'lr': 0.1}], lr=0.1)\n": "KeyError: 'params'",
    "import torch.nn as nn\nfrom torch.nn.utils import spectral_norm\n"
    "spectral_norm(nn.Linear(2, 2), name='nope')\n": "KeyError: 'nope'",
    "d = {}\nd['missing']\n": "KeyError: 'missing'",
    "d = {}\nd[3]\n": "KeyError: 3",
    "d = {}\nd[(1, 'a')]\n": "KeyError: (1, 'a')",
    "raise KeyError('x')\n": "KeyError: 'x'",
    "raise KeyError(\"it's\")\n": "KeyError: \"it's\"",
    "raise KeyError()\n": "KeyError",
    "raise KeyError('a', 'b')\n": "KeyError: ('a', 'b')",
    "'{nope}'.format(a=1)\n": "KeyError: 'nope'",
    "import torch.nn as nn\ntry:\n    nn.Module().register_buffer('a.b', None)\n"
    "except KeyError as e:\n    raise e\n": "KeyError: 'buffer name can\\'t contain \".\"'",
    "import torch\np = torch.nn.Parameter(torch.zeros(1))\n"
    "o = torch.optim.SGD([p], lr=0.1)\ntorch.optim.lr_scheduler.StepLR(o, 2, last_epoch=3)\n":
        "KeyError: \"param 'initial_lr' is not specified in param_groups[0] when resuming "
        "scheduler with last_epoch >= 0.\\nThis typically happens when:\\n1. You're trying "
        "to resume training from a checkpoint but haven't properly loaded the optimizer "
        "state\\n2. You're using last_epoch >= 0 for a fresh training run (not "
        "recommended)\"",
    "import torch.nn as nn\nnn.ModuleDict().update([('a',)])\n":
        "ValueError: ModuleDict update sequence element #0 has length 1; 2 is required",
}


def _run(tmp_path, source: str):
    path = tmp_path / "prog.py"
    path.write_text(source, encoding="utf-8")
    return CliRunner().invoke(cli, ["run", str(path)], env={"NO_COLOR": "1"})


@pytest.mark.parametrize("source", list(UNCAUGHT), ids=range(len(UNCAUGHT)))
def test_an_uncaught_keyerror_ends_as_cpythons(tmp_path, source):
    r = _run(tmp_path, source)
    assert r.exit_code == 1
    assert r.stderr.strip().splitlines()[-1] == UNCAUGHT[source]


CAUGHT = """\
import torch.nn as nn
try:
    nn.Module().register_buffer('a.b', None)
except KeyError as e:
    print(e)
    print(repr(e), e.args, str(e), f"{e}")
try:
    '{nope}'.format(a=1)
except KeyError as e:
    print(e, repr(e))
try:
    {}['m']
except Exception as e:
    print(e, repr(e), e.args)
try:
    raise KeyError(5)
except KeyError as e:
    print(e, "%s" % e)
"""

CAUGHT_PRINTED = """\
'buffer name can\\'t contain "."'
KeyError('buffer name can\\'t contain "."') ('buffer name can\\'t contain "."',) \
'buffer name can\\'t contain "."' 'buffer name can\\'t contain "."'
'nope' KeyError('nope')
'm' KeyError('m') ('m',)
5 5
"""


def test_a_caught_keyerror_prints_as_cpythons(tmp_path):
    r = _run(tmp_path, CAUGHT)
    assert r.exit_code == 0
    assert r.stdout == CAUGHT_PRINTED
