"""`adcli eval --json` against what PyTorch 2.13 computed for the same cases
(tests/fixtures/eval_goldens.json, written by tools/gen_eval_goldens.py under torch)."""

import json
import math
import os

import numpy as np
import pytest
from click.testing import CliRunner

from adcli.cli.main import cli

FIXTURE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "fixtures", "eval_goldens.json")
with open(FIXTURE, encoding="utf-8") as fh:
    CASES = json.load(fh)


def _close(got, want):
    if want is None or got is None:
        return got is want
    g = np.array(got, dtype=object)
    w = np.array(want, dtype=object)
    if g.shape != w.shape:
        return False
    for a, b in zip(g.ravel().tolist(), w.ravel().tolist()):
        if isinstance(b, str) or isinstance(a, str):
            if a != b:
                return False
        elif not math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6):
            return False
    return True


@pytest.mark.parametrize("case", CASES, ids=[c["expr"] for c in CASES])
def test_eval_json_matches_pytorch(case):
    args = ["eval", case["expr"], "--json"]
    for name, text in case["bindings"]:
        args += ["-b", f"{name}={text}"]
    if case["vjp"] is not None:
        args += ["--vjp", case["vjp"]]
    r = CliRunner().invoke(cli, args)
    assert r.exit_code == 0, r.output
    got, want = json.loads(r.stdout), case["json"]
    for key in ("expr", "shape", "dtype", "grad_fn"):
        assert got[key] == want[key], key
    assert _close(got["value"], want["value"])
    assert got["grads"].keys() == want["grads"].keys()
    for name in want["grads"]:
        assert _close(got["grads"][name], want["grads"][name]), name


@pytest.mark.torch
def test_eval_goldens_are_current():
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.dirname(FIXTURE)))
    proc = subprocess.run([sys.executable, os.path.join(root, "tools", "gen_eval_goldens.py"),
                           "--check"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
