"""Positions everywhere: runtime errors deep inside expressions, loops, lambdas and cells
point at the line and column of the operation that failed."""

import pytest

from .harness import assert_rejected, run_script

DEEP = 150  # deep, but within the default nesting bound of 200

# (id, source, kind, (line, col))
CASES = [
    ("matmul-in-nested-parentheses", "y = 1 + (2 * (3 + (4 * (ones(2) @ ones(3)))))\n",
     "RuntimeError", (1, 33)),
    ("operator-on-a-continuation-line",
     "y = (1 +\n     2 *\n     (ones(2)\n      + ones(3)))\n", "RuntimeError", (4, 7)),
    ("150-parentheses-deep", "(" * DEEP + "ones(2) + ones(3)" + ")" * DEEP + "\n",
     "RuntimeError", (1, DEEP + 9)),
    ("150-unary-minus-deep", "-" * DEEP + "'a'\n", "TypeError", (1, DEEP)),
    ("150-powers-deep", "2 ** " * DEEP + "'a'\n", "TypeError", (1, 5 * DEEP - 2)),
    ("deep-across-lines", "(\n" * DEEP + "1 / 0\n" + ")\n" * DEEP, "ZeroDivisionError",
     (DEEP + 1, 3)),
    ("inside-a-lambda-called-by-the-engine",
     "autograd.functional.jacobian(lambda x: x @ ones(3), ones(2))\n", "RuntimeError",
     (1, 42)),
    ("inside-a-lambda-called-by-a-lambda",
     "f = lambda a: a.sum() + a[10]\ng = lambda b: f(b * 2)\ng(ones(3))\n", "IndexError",
     (1, 25)),
    ("nested-loops", "for i in range(3):\n    for j in range(3):\n        k = i / (j - 1)\n",
     "ZeroDivisionError", (3, 15)),
    ("ternary-branch", "x = [ones(2), ones(3)]\nz = x[0] + x[1] if True else 0\n",
     "RuntimeError", (2, 10)),
    ("while-condition", "while ones(2):\n    pass\n", "RuntimeError", (1, 7)),
    ("chained-comparison", "a = 0 < ones(2) < 2\nif a:\n    pass\n", "RuntimeError", (1, 5)),
    ("method-call", "x = ones(2)\nx.reshape(3)\n", "RuntimeError", (2, 3)),
    ("second-backward", "x = ones(3, requires_grad=True)\ny = (x * x).sum()\n"
     "y.backward()\ny.backward()\n", "RuntimeError", (4, 3)),
    ("non-scalar-backward", "x = ones(3, requires_grad=True)\ny = x * 2\ny.backward()\n",
     "RuntimeError", (3, 3)),
    ("index-assignment", "x = ones(2)\nx[0, 0] = 1\n", "IndexError", (2, 1)),
    ("in-place-on-a-leaf", "x = ones(2, requires_grad=True)\nx += 1\n", "RuntimeError",
     (2, 1)),
    ("name-inside-a-call", "print(undefined_name + 1)\n", "NameError", (1, 7)),
    ("unpacking", "x, y = ones(3)\n", "ValueError", (1, 1)),
    ("inside-an-if-inside-a-with",
     "x = ones(2)\nwith no_grad():\n    if True:\n        y = x.view(3)\n", "RuntimeError",
     (4, 15)),
    ("in-the-third-cell", "# %%\nx = 1\n# %%\ny = 2\n# %%\n\n\nz = [1, 2][x + y]\n",
     "IndexError", (8, 5)),
]


@pytest.mark.parametrize("source, kind, pos", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_runtime_errors_point_at_the_failing_operation(source, kind, pos):
    assert_rejected(run_script(source), kind, pos)
