"""Running one snippet in adcli's .py dialect and under CPython, for comparison."""

from __future__ import annotations

import subprocess
import sys

from adcli.lang.interpreter import Session
from adcli.limits import Limits


def run_adcli(text: str, limits: Limits | None = None) -> str:
    """What ``text`` prints in a fresh adcli session with Python's meaning of ``^``."""
    out: list[str] = []
    s = Session(limits=limits or Limits(), out=out.append)
    s.dialect = "py"
    s.exec_source(text)
    return "".join(out)


def run_python(text: str) -> str:
    """What ``text`` prints under this CPython: the reference."""
    proc = subprocess.run([sys.executable, "-c", text], capture_output=True, text=True,
                          timeout=60, check=True)
    return proc.stdout
