# ruff: noqa: E501  (sources and outputs are pasted as CPython printed them)
"""Whole scripts using numpy in ways tutorials do (unary operators on arrays and numpy
scalars, format specs on numpy scalars, ranges as indices, ``in`` on arrays and tensors):
adcli's stdout (and last error line) must equal what CPython 3.11 + torch 2.13 + numpy 2.4
printed for the same source (the expected strings below were produced by running each
source under /work/torchenv/bin/python, never by adcli)."""

from __future__ import annotations

import pytest

from adcli import programs
from adcli.limits import Limits

CASES = [
    ('unary_ops',
     'import operator\n\nimport numpy as np\n\na = np.array([1., 2.])\nprint(-a)\nprint(+a)\nprint(~np.array([1, 2]))\nprint(~np.array([True, False]))\nprint(-np.float32(1.5), type(-np.float32(1.5)))\nprint(-np.int64(3), type(-np.int64(3)))\nprint(~np.int64(3))\nprint(-np.float64(2.5))\nprint(-a.sum())\nprint(operator.neg(a))\nprint(-np.arange(3).reshape(3, 1))\ntry:\n    print(~np.array([1.5]))\nexcept TypeError as e:\n    print("TypeError", e)\ntry:\n    print(-np.array([True]))\nexcept TypeError as e:\n    print("TypeError", e)\n',
     "[-1. -2.]\n[1. 2.]\n[-2 -3]\n[False  True]\n-1.5 <class 'numpy.float32'>\n-3 <class 'numpy.int64'>\n-4\n-2.5\n-3.0\n[-1. -2.]\n[[ 0]\n [-1]\n [-2]]\nTypeError ufunc 'invert' not supported for the input types, and the inputs could not be safely coerced to any supported types according to the casting rule ''safe''\nTypeError The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.\n",
     None),
]


@pytest.mark.parametrize("name,src,stdout,err", CASES, ids=[c[0] for c in CASES])
def test_script_matches_cpython(name, src, stdout, err):
    out, errs = [], []
    outcome = programs.run_python(src, "prog.py", Limits(), out.append, errs.append)
    assert not outcome.internal, "".join(errs)
    assert "".join(out) == stdout
    if err is None:
        assert not outcome.failed, "".join(errs)
    else:
        assert outcome.failed
        assert "".join(errs).strip().splitlines()[-1] == err
