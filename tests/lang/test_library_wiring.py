"""The runtime library reached from scripts: imports, methods, builtins, numpy.

Expected output comes from running the same program under CPython (and numpy) in a
subprocess, or, for torch lines, from PyTorch 2.13's own printing; never from adcli.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from adcli.lang.interpreter import Session
from adcli.limits import Limits


def adcli_prints(source: str, dialect: str = "adc") -> str:
    out: list[str] = []
    session = Session(limits=Limits(), out=out.append)
    session.dialect = dialect
    report = session.run_cells(source, "<test>", err=lambda text: None)
    assert report.internal == 0
    return "".join(out)


def python_prints(source: str) -> str:
    done = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True,
                          timeout=60, check=True)
    return done.stdout


# Programs whose every line prints with print(): the same text under CPython and adcli.
SAME_AS_PYTHON = [
    "import math\nprint(math.sqrt(2), math.pi, math.floor(2.5), math.isclose(0.1 + 0.2, 0.3))\n",
    "import random\nrandom.seed(0)\nprint(random.random(), random.randint(1, 10))\n"
    "xs = [1, 2, 3, 4]\nrandom.shuffle(xs)\nprint(xs, random.choice('abc'))\n",
    "from collections import Counter, defaultdict, deque\n"
    "c = Counter('mississippi')\nprint(c.most_common(2))\n"
    "d = defaultdict(list)\nd['a'].append(1)\nprint(dict(d))\n"
    "q = deque([1, 2, 3], maxlen=2)\nprint(q, q[0])\n",
    "import itertools\nprint(list(itertools.product('ab', repeat=2)))\n"
    "print(list(itertools.accumulate([1, 2, 3])), list(itertools.islice(itertools.count(), 3)))\n",
    "from functools import reduce, partial\nprint(reduce(lambda a, b: a * b, [1, 2, 3, 4]))\n"
    "print(partial(divmod, 7)(2))\n",
    "x = [3, 1, 2]\nx.sort()\nx.append(4)\nprint(x, x.index(2), x.pop(), x)\n",
    "s = ' a,b , c '\nprint(s.strip().split(','), '-'.join(['x', 'y']), s.upper().count('B'))\n"
    "print('{:>6.2f}|{!r}'.format(3.14159, 'q'), 'ab'.center(6, '*'), 'x'.zfill(3))\n",
    "d = {'k': 1}\nd['j'] = 2\nprint(d.items(), d.get('z', 0), sorted(d), list(d.values()))\n"
    "d.update(z=3)\nprint(d.pop('k'), d)\n",
    "print(sorted([3, 1, 2], reverse=True), list(map(str, [1, 2])), set([1, 1, 2]))\n"
    "print(isinstance([], list), isinstance((), (list, tuple)), isinstance(3, float))\n"
    "print(dict(a=1), divmod(7, 2), type(3), repr('x'), chr(65), ord('A'))\n",
    "import numpy as np\na = np.arange(6).reshape(2, 3)\nprint(a)\n"
    "print(a.shape, a.sum(axis=0), a.mean(), a.T.tolist(), a.dtype)\n"
    "b = np.linspace(0, 1, 5)\nprint(b * 2 + 1, (b > 0.5).sum(), np.dot(b, b))\n"
    "np.random.seed(0)\nprint(np.random.rand(3), np.random.randint(0, 10, size=4))\n"
    "c = np.zeros(3)\nc[1] = 7\nprint(c, np.exp(c).round(2))\n",
    "from typing import List, Optional\nx: List[int] = [1]\nprint(x)\n",
    "a, b = {1, 2, 3}, {2, 4}\nprint(a - b, a | b, a & b)\n"
    "from collections import Counter\nprint(Counter('aab') + Counter('bc'), {'x': 1} | {'y': 2})\n",
    "r = 0.25\nprint(f'[{r:.1%}] [{r:%}] [{0.5:.0%}] [{7:08.0f}]')\n",
]


@pytest.mark.parametrize("source", SAME_AS_PYTHON, ids=lambda s: s.split("\n")[0][:40])
def test_the_library_prints_what_python_prints(source):
    assert adcli_prints(source) == python_prints(source)


def test_py_text_calls_the_special_methods_of_dicts_and_lists_by_name():
    # a forward hook's idiom: ``lambda m, i, o: acts.__setitem__(name, o)``
    source = ("acts = {}\nacts.__setitem__('a', 1)\nprint(acts, acts.__getitem__('a'), "
              "acts.__contains__('b'), acts.__len__())\nacts.__delitem__('a')\n"
              "print(acts, [5, 6].__getitem__(1), [5, 6].__len__(), [5].__contains__(5))\n")
    assert adcli_prints(source, "py") == python_prints(source)


def test_from_numpy_shares_memory_as_torch():
    # torch 2.13 prints these two lines for the same program
    out = adcli_prints("import numpy as np\na = np.ones(3)\nt = torch.from_numpy(a)\n"
                       "a[0] = 5\nprint(t)\nprint(torch.from_numpy(np.arange(3)))\n")
    assert out == "tensor([5., 1., 1.], dtype=torch.float64)\ntensor([0, 1, 2])\n"


def test_each_session_has_its_own_random_state():
    source = "import random\nrandom.seed(1)\nprint(random.random())\n"
    first, second = adcli_prints(source), adcli_prints(source)
    assert first == second == python_prints(source)
    # a session that draws without seeding does not disturb another's stream
    assert adcli_prints("import numpy as np\nnp.random.seed(3)\nprint(np.random.rand())\n") \
        == python_prints("import numpy as np\nnp.random.seed(3)\nprint(np.random.rand())\n")


@pytest.mark.parametrize("source, kind, words", [
    ("import subprocess\n", "ImportError", "subprocess"),  # .adc refuses it when parsed
    ("from math import nosuch\n", "ImportError", "cannot import name 'nosuch'"),
    ("from math import *\n", "SyntaxError", "import the names you use"),
    ("import numpy as np\nnp.load('x')\n", "AttributeError", "load"),
    ("import numpy as np\nnp.zeros((10**5, 10**5))\n", "LimitError", "10,000,000,000"),
    ("import numpy as np\na = np.ones(20000)\na.reshape(-1, 1) * a\n", "LimitError",
     "400,000,000"),
    ("'ab'.ljust(10**9)\n", "LimitError", ""),
    ("'{0.__class__}'.format(1)\n", "AttributeError", "__class__"),
    ("getattr(1, '__class__')\n", "AttributeError", "__class__"),
    ("import numpy as np\nnp.ones(2) + ones(2)\n", "TypeError",
     "Concatenation operation is not implemented for NumPy arrays"),  # torch's words
])
def test_library_mistakes_and_bounds_are_clear_errors(source, kind, words):
    session = Session(limits=Limits(), out=lambda text: None)
    report = session.run_cells(source, "<test>", err=lambda text: None)
    errors = report.errors
    assert report.internal == 0
    assert len(errors) == 1 and errors[0].kind == kind, errors
    assert words in str(errors[0])


def test_other_modules_are_not_found_in_python_text():
    session = Session(limits=Limits(), out=lambda text: None)
    session.dialect = "py"
    report = session.run_cells("import shutil\n", "<test>", err=lambda text: None)
    (error,) = report.errors
    assert error.kind == "ModuleNotFoundError"
    assert str(error).startswith("No module named 'shutil' (adcli can import: torch, numpy, "
                                 "math")


def test_assigning_a_number_to_grad_is_torchs_type_error():
    # torch 2.13: "TypeError: assigned grad expected to be a Tensor or None but got grad
    # of type float" (the official polynomial_autograd tutorial stops here in torch too)
    session = Session(limits=Limits(), out=lambda text: None)
    report = session.run_cells("a = ones(1, requires_grad=True)\na.grad = 0.\n", "<test>",
                               err=lambda text: None)
    (error,) = report.errors
    assert (error.kind, str(error)) == (
        "TypeError", "assigned grad expected to be a Tensor or None but got grad of type float")
