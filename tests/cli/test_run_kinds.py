"""`adcli run` on .py programs and notebooks: kinds, --as, --seed, errors and tracebacks.

Expected values come from CPython (run here in a subprocess) or from the rules of
SPEC §1; never from adcli's own output.
"""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from adcli.cli.main import cli


def run(*args, input=None):
    return CliRunner().invoke(cli, ["run", *args], input=input, env={"NO_COLOR": "1"})


def python(source: str) -> str:
    return subprocess.run([sys.executable, "-c", source], capture_output=True, text=True,
                          check=True).stdout


def notebook(tmp_path, *cells: str):
    doc = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
           "cells": [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "outputs": [],
                      "execution_count": None, "source": src} for i, src in enumerate(cells)]}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(doc))
    return str(path)


def test_a_py_file_has_pythons_meaning(tmp_path):
    source = ("import torch\nx = 3\nx ^ 1\nprint(x ^ 1, sum([1, 2]), max(3, 4), round(2.5))\n"
              "print(__name__)\n")
    path = tmp_path / "prog.py"
    path.write_text(source)
    r = run(str(path))
    assert r.exit_code == 0, r.output
    assert r.stdout == python(source.replace("import torch\n", ""))  # nothing shown bare


def test_torch_names_need_their_import_in_py_text():
    r = run("--as", "py", "-", input="ones(2)\n")
    assert r.exit_code == 1
    assert r.stderr.splitlines()[-1].startswith("NameError: name 'ones' is not defined")
    r = run("--as", "py", "-", input="import torch\nprint(torch.ones(2))\n")
    assert r.exit_code == 0 and r.stdout == "tensor([1., 1.])\n"


def test_an_uncaught_error_prints_pythons_traceback_shape(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text("print('before')\nx = [1, 2]\nx[5]\nprint('never')\n")
    r = run(str(path))
    assert r.exit_code == 1
    assert r.stdout == "before\n"
    assert r.stderr.splitlines() == [
        "Traceback (most recent call last):",
        f'  File "{path}", line 3, in <module>',
        "    x[5]",
        "IndexError: list index out of range",
    ]


def test_a_syntax_error_in_py_text_is_shown_as_python_shows_it(tmp_path):
    path = tmp_path / "syntax.py"
    path.write_text("print('a')\nif True\n    pass\n")
    r = run(str(path))
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.splitlines()[-1] == "SyntaxError: expected ':'"
    assert f'File "{path}", line 2' in r.stderr


def test_a_notebook_shows_last_values_and_goes_on_after_an_error(tmp_path):
    path = notebook(tmp_path, "%matplotlib inline\nx = 2\nx * 3", "y = x + 1",
                    "print('p')\n[1, 2][9]", "x;", "x + 100\nNone", "x - 1")
    r = run(path)
    assert r.exit_code == 1  # a cell raised
    assert r.stdout == "6\np\nIndexError: list index out of range\n1\n"
    assert r.stderr.splitlines()[0] == "adcli: skipped 1 IPython magic/shell line(s)"
    assert r.stderr.splitlines()[-1] == "IndexError: list index out of range"


def test_a_broken_notebook_cannot_be_read(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text('{"nbformat": 4, "cells": [')
    r = run(str(path))
    assert r.exit_code == 2
    assert "not valid JSON at line 1" in r.stderr and "Traceback" not in r.stderr


def test_as_overrides_the_suffix(tmp_path):
    path = tmp_path / "script.txt"
    path.write_text("x = 2\nx ^ 3\n")
    assert run(str(path)).stdout == "8\n"  # adcli's dialect: shown, and ^ is power
    assert run("--as", "py", str(path)).stdout == ""  # Python: nothing printed


def test_seed_seeds_random_and_numpy_as_python_does():
    source = "import random\nimport numpy as np\nprint(random.random(), np.random.rand())\n"
    r = run("--as", "py", "--seed", "7", "-", input=source)
    assert r.exit_code == 0, r.output
    expected = python("import random\nimport numpy as np\nrandom.seed(7)\n"
                      "np.random.seed(7)\nprint(random.random(), np.random.rand())\n")
    assert r.stdout == expected


def test_seed_makes_torch_draws_repeat():
    source = "import torch\nprint(torch.randn(3))\n"
    first = run("--as", "py", "--seed", "1", "-", input=source).stdout
    second = run("--as", "py", "--seed", "1", "-", input=source).stdout
    assert first == second and first.startswith("tensor([")


def test_sys_exit_status_and_a_traceback_with_its_frames(tmp_path, adcli_cmd):
    """``sys.exit(n)`` ends ``adcli run`` with status n, and an uncaught error prints a
    frame for each function it left, as CPython does (expected: CPython's traceback
    without its caret lines)."""
    import subprocess

    prog = tmp_path / "prog.py"
    prog.write_text("import sys\nprint('bye')\nsys.exit(4)\n")
    done = subprocess.run([adcli_cmd, "run", str(prog)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert (done.returncode, done.stdout) == (4, "bye\n")
    prog.write_text("def inner(x):\n    return x / 0\n\ndef outer(x):\n    return inner(x)"
                    " + 1\n\nprint(outer(2))\n")
    done = subprocess.run([adcli_cmd, "run", str(prog)], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 1
    assert done.stderr == (
        "Traceback (most recent call last):\n"
        f'  File "{prog}", line 7, in <module>\n    print(outer(2))\n'
        f'  File "{prog}", line 5, in outer\n    return inner(x) + 1\n'
        f'  File "{prog}", line 2, in inner\n    return x / 0\n'
        "ZeroDivisionError: division by zero\n")


def test_a_warning_torch_raises_in_its_own_code_names_torchs_line(tmp_path):
    # torch 2.13's nn.Transformer builds its encoder in transformer.py, line 143, and
    # Python reports the encoder's warning there; built by the script, at the script's line
    path = tmp_path / "t.py"
    path.write_text("import torch.nn as nn\n"
                    "m = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1,\n"
                    "                   num_decoder_layers=1, dim_feedforward=8)\n"
                    "e = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2), 2)\n")
    r = CliRunner().invoke(cli, ["run", str(path)], env={"NO_COLOR": "1"})
    lines = r.stderr.splitlines()
    why = ("UserWarning: enable_nested_tensor is True, but self.use_nested_tensor is False "
           "because encoder_layer.self_attn.batch_first was not True(use batch_first for "
           "better inference performance)")
    assert lines == [f"torch/nn/modules/transformer.py:143: {why}",
                     "  self.encoder = TransformerEncoder(",
                     f"{path}:4: {why}",
                     "  e = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2), 2)"]
