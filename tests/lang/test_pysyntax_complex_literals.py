# ruff: noqa: E501  (the program is kept as written)
"""Imaginary literals and complex numbers (``2+3j``): arithmetic, ``abs``, ``.real`` /
``.imag`` / ``.conjugate()``, repr and format, and CPython's errors, as CPython prints
them (run on the same text)."""

from __future__ import annotations

from adcli.lang.interpreter import Session
from adcli.limits import Limits
from tests.lang.pyrun import run_python

PROGRAM = """
import math
c = 2 + 3j
print(c, c * c, abs(3 + 4j), c.real, c.imag, c.conjugate(), repr(1j), complex(1, 2), -c, c / 2, c ** 2, c == 2 + 3j)
print(complex("1+2j"), 1j * 1j, (1+2j) - 1, 2 - 1j, type(c).__name__, isinstance(c, complex), f"{c}", f"{c:.2f}", str(c), hash(1+0j) == hash(1))
print([c, 1j], {"z": 0j}, (1e300+1e300j) * 10, complex(0, -0.0), -0j, 1j ** 0.5, pow(1j, 2), 2 ** 1j)
print(round(abs(1+1j), 4), c != 1, sum([1j, 2j]), c + True)
try:
    c < 1j
except TypeError as e:
    print(e)
try:
    int(c)
except TypeError as e:
    print(e)
try:
    (1+1j) // 2
except TypeError as e:
    print(e)
try:
    1j / 0
except ZeroDivisionError as e:
    print(e)
print(divmod(5, 2), 0j == 0, bool(0j), bool(1j))
"""


def run(text: str) -> str:
    out: list[str] = []
    Session(limits=Limits(), out=out.append, dialect="py").exec_source(text)
    return "".join(out)


def test_complex_numbers_print_what_cpython_prints():
    assert run(PROGRAM) == run_python(PROGRAM)
