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
    ('numpy_scalar_format',
     'import numpy as np\nimport torch\n\nx = np.array([1.5, 2.], dtype=np.float32)\nprint(f"{x.mean():.3f}")\na = np.array([3, 1, 4])\nprint(f"{np.argmax(a):d}")\nprint(f"{a.sum():5d}|")\nprint(f"{np.int64(3):03d}")\nt = torch.tensor([1., 2., 4.])\nprint(f"{t.numpy().mean():.4f}")\nprint(\'{:.2f}\'.format(np.float32(1.5)))\nprint(\'%.2f\' % np.float32(1.5))\nprint(\'%d\' % np.int64(7), \'%5.1f\' % np.float64(2.25), \'%s\' % np.float32(0.1))\nprint(f"{np.float32(0.1)}", f"{np.float32(0.1):}", f"{np.float32(0.1):g}", f"{np.float32(0.1):10}|")\nprint(f"{np.float64(1/3):.3e}", f"{np.float16(1.5):.2f}", f"{np.int32(5):x}", f"{np.uint8(200):b}")\nprint(f"{np.int64(1234567):,}", f"{np.float32(2.5):>8.2f}|", f"{np.int64(5):.2f}")\nprint(f"{np.bool_(True)}", f"{x.mean()!r}", f"{np.int64(3)!s:>4}|")\nprint(\'{0:.1%}\'.format(np.float32(0.25)))\nprint(\'%i %x %e\' % (np.int64(10), np.int64(255), np.float32(1.5)))\ntry:\n    print(f"{np.float32(1.5):d}")\nexcept ValueError as e:\n    print("ValueError", e)\ntry:\n    print(f"{np.bool_(True):d}")\nexcept (ValueError, TypeError) as e:\n    print(type(e).__name__, e)\nprint(f"{np.array(2.5):.1f}", format(np.float32(1.5), \'.2f\'), format(np.int64(4), \'03d\'))\nprint(f"{np.array([1.5, 2])}")\ntry:\n    print(f"{np.array([1.5, 2]):.1f}")\nexcept TypeError as e:\n    print("TypeError", e)\n',
     "1.750\n2\n    8|\n003\n2.3333\n1.50\n1.50\n7   2.2 0.1\n0.10000000149011612 0.10000000149011612 0.1 0.10000000149011612|\n3.333e-01 1.50 5 11001000\n1,234,567     2.50| 5.00\nTrue np.float32(1.75)    3|\n25.0%\n10 ff 1.500000e+00\nValueError Unknown format code 'd' for object of type 'float'\n1\n2.5 1.50 004\n[1.5 2. ]\nTypeError unsupported format string passed to numpy.ndarray.__format__\n",
     None),
    ('contains_and_range_index',
     'import numpy as np\nimport torch\n\na = np.arange(5.) * 2\nprint(a[range(2)], a[range(1, 5, 2)], a[range(0)])\nprobs = np.array([[0.1, 0.9], [0.7, 0.3], [0.5, 0.5]])\ny = np.array([1, 0, 1])\nN = 3\nprint(probs[range(N), y])\nprint(-np.log(probs[range(N), y]).sum() / N)\nprobs[range(N), y] -= 1\nprint(probs)\nprint(2.0 in a, 3.0 in a, 4 in a, np.float32(6) in a, True in np.array([0, 1]))\nprint(2.0 not in a, [0., 2., 4., 6., 9.] in a)\nm = np.array([[1, 2], [3, 4]])\nprint(3 in m, 5 in m, [3, 4] in m, [9, 4] in m)\nt = torch.arange(5)\nprint(3 in t, 7 in t, 3.0 in t, torch.tensor(4) in t, True in torch.tensor([1.]))\nprint(np.int64(2) in t, 2 not in t)\ntry:\n    print(a[range(7)])\nexcept IndexError as e:\n    print("IndexError", e)\ntry:\n    print("x" in t)\nexcept RuntimeError as e:\n    print("RuntimeError", e)\ntry:\n    print([1, 2] in t)\nexcept RuntimeError as e:\n    print("RuntimeError", e)\n',
     "[0. 2.] [2. 6.] []\n[0.9 0.7 0.5]\n0.385060880052168\n[[ 0.1 -0.1]\n [-0.3  0.3]\n [ 0.5 -0.5]]\nTrue False True True True\nFalse True\nTrue False True True\nTrue False True True True\nTrue False\nIndexError index 5 is out of bounds for axis 0 with size 5\nRuntimeError Tensor.__contains__ only supports Tensor or scalar, but you passed in a <class 'str'>.\nRuntimeError Tensor.__contains__ only supports Tensor or scalar, but you passed in a <class 'list'>.\n",
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
