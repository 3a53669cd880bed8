"""Interpreter behaviour that a PyTorch script sees, compared with torch 2.13.

Each ``tests/lang/parity/NAME.py`` runs in a fresh adcli session; ``NAME.out`` is what
``PYTHONHASHSEED=0 /work/torchenv/bin/python NAME.py`` printed under CPython 3.11 and
torch 2.13, and, for a program that ends in an uncaught error, ``NAME.err`` holds the last
line of its stderr. Regenerate a reference with ``tools/gen_py_references.py``-style runs
of the real torch, never from adcli.
"""

from __future__ import annotations

import glob
import os

import pytest

from adcli.errors import AdcliError
from adcli.lang.interpreter import Session
from adcli.limits import Limits

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "parity")
CASES = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(HERE, "*.py")))


def _read(name: str, ext: str) -> str | None:
    path = os.path.join(HERE, name + ext)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as fh:
        return fh.read()


@pytest.mark.parametrize("name", CASES)
def test_same_output_as_torch(name):
    out: list[str] = []
    session = Session(limits=Limits(), out=out.append, dialect="py")
    err = None
    try:
        session.exec_source(_read(name, ".py"))
    except AdcliError as e:
        err = f"{e.kind}: {e}"
    assert "".join(out) == _read(name, ".out")
    expected_err = _read(name, ".err")
    assert err == (expected_err.strip() if expected_err else None)
