"""No escape: the language never reaches Python objects, files, imports or the interpreter.

One test per hostile input. Each asserts the error's kind and (line, column), that the
error is reported with a caret, and that nothing leaked (see ``harness``).
"""

import pytest

from .harness import assert_rejected, run_script

ARR = "a = ones(2).numpy()\n"

# (id, source, kind, (line, col), words in the message)
CASES = [
    # dunder names and private attributes are refused by the parser, before anything runs
    ("dunder-import", "print('before')\n__import__('os').system('id')\n",
     "SyntaxError", (2, 1), "__import__"),
    ("dunder-builtins", "__builtins__\n", "SyntaxError", (1, 1), "__builtins__"),
    ("dunder-attribute", "x = ones(2)\nx.__class__.__mro__\n", "SyntaxError", (2, 3),
     "__class__"),
    ("lambda-globals", "(lambda: 0).__globals__\n", "SyntaxError", (1, 13), "__globals__"),
    ("lambda-code", "f = lambda: 0\nf.__code__\n", "SyntaxError", (2, 3), "__code__"),
    ("private-attribute", "x = ones(2)\nx._data\n", "SyntaxError", (2, 3), "_data"),
    ("module-dict", "torch.__dict__\n", "SyntaxError", (1, 7), "__dict__"),
    ("dunder-keyword-argument", "ones(2, __x=1)\n", "SyntaxError", (1, 9), "__x"),
    ("dunder-lambda-parameter", "lambda __x: 0\n", "SyntaxError", (1, 8), "__x"),
    ("bound-method-self", "print.__self__\n", "SyntaxError", (1, 7), "__self__"),
    ("array-interface", ARR + "a.__array_interface__\n", "SyntaxError", (2, 3),
     "__array_interface__"),
    # Python's builtins and reflection are simply not defined
    ("getattr", "getattr(ones(2), '__class__')\n", "AttributeError", (1, 1), "__class__"),
    ("eval", "eval('1 + 1')\n", "NameError", (1, 1), "eval"),
    ("exec", "exec('import os')\n", "NameError", (1, 1), "exec"),
    ("open", "open('pwned', 'w')\n", "NameError", (1, 1), "open"),
    ("compile", "compile('1', 'f', 'eval')\n", "NameError", (1, 1), "compile"),
    ("type", "type(1).mro()\n", "AttributeError", (1, 9), "mro"),
    ("globals", "globals()\n", "NameError", (1, 1), "globals"),
    ("function-internals", "def f():\n    return 1\ngetattr(f, 'func_globals')\n",
     "AttributeError", (3, 1), "func_globals"),
    ("exception-internals", "try:\n    1 / 0\nexcept Exception as e:\n    e.with_traceback\n",
     "AttributeError", (4, 7), "with_traceback"),
    # vars(obj) is obj.__dict__: a script instance's own dict, nothing of a host value's
    ("vars", "x = 1\nvars(x)\n", "TypeError", (2, 1), "__dict__"),
    ("input", "input()\n", "NameError", (1, 1), "input"),
    ("hook-open", "x = ones(2, requires_grad=True)\nx.register_hook(open)\n",
     "NameError", (2, 17), "open"),
    # format strings: strings have no attributes; an f-string's fields are parsed as code
    ("format-method", "'{0.__class__}'.format(ones(2))\n", "AttributeError", (1, 17),
     "__class__"),
    ("format-map", "'{x.__class__}'.format_map({'x': 1})\n", "AttributeError", (1, 17),
     "__class__"),
    ("f-string", "f'{ones(2).__class__}'\n", "SyntaxError", (1, 12), "__class__"),
    # numpy arrays from .numpy(): printable and indexable, no attributes at all
    ("numpy-tofile", "ones(2).numpy().tofile('pwned')\n", "AttributeError", (1, 17),
     "tofile"),
    ("numpy-dump", ARR + "a.dump('pwned')\n", "AttributeError", (2, 3), "dump"),
    ("numpy-dumps", ARR + "a.dumps()\n", "AttributeError", (2, 3), "dumps"),
    ("numpy-ctypes", ARR + "a.ctypes\n", "AttributeError", (2, 3), "ctypes"),
    ("numpy-tobytes", ARR + "a.tobytes()\n", "AttributeError", (2, 3), "tobytes"),
    ("numpy-base", ARR + "a.base\n", "AttributeError", (2, 3), "base"),
    ("numpy-element-method", ARR + "a[0].tofile('pwned')\n", "AttributeError", (2, 6),
     "tofile"),
    ("numpy-through-grad-fn",
     "x = ones(2, requires_grad=True)\ny = x * 2\n"
     "y.grad_fn.next_functions[0][0].variable.detach().numpy().tofile('pwned')\n",
     "AttributeError", (3, 58), "tofile"),
    ("numpy-ctypes", ARR + "a.ctypes\n", "AttributeError", (2, 3), "ctypes"),
    # the torch namespace holds only what adcli implements: no hub, no file access
    # (torch.save/load keep objects in memory: test_save_and_load_touch_no_file)
    ("torch-hub", "torch.hub\n", "AttributeError", (1, 7), "hub"),
    ("torch-from-file", "torch.from_file('pwned')\n", "AttributeError", (1, 7),
     "from_file"),
    ("lambda-attribute", "(lambda: 0).func\n", "AttributeError", (1, 13), "func"),
    ("list-method-internals", "[1].pop.x\n", "AttributeError", (1, 9), "x"),
    # imports other than the accepted torch lines are refused when the script is parsed
    ("import-shutil", "print('before')\nimport shutil\n", "ImportError", (2, 1), "shutil"),
    ("from-os", "from os import system\n", "ImportError", (1, 1), "os"),
    ("import-subprocess", "import subprocess\n", "ImportError", (1, 1), "subprocess"),
    ("import-torch-as", "import torch as np\n", "ImportError", (1, 1), "torch"),
    ("numpy-load", "import numpy\nnumpy.load('pwned')\n", "AttributeError", (2, 7), "load"),
    ("from-torch-builtins", "from torch import __builtins__\n", "ImportError", (1, 1), ""),
    ("import-inside-block", "if True:\n    import socket\n", "ImportError", (2, 5),
     "socket"),
    # general Python that the parser accepts and the interpreter does not run yet
    ("yield-in-expression", "def g():\n    print((yield))\n", "SyntaxError", (2, 12),
     "yield"),
    # a class cannot reach the host object model
    ("class-dict", "class A:\n    pass\ngetattr(getattr(A, '__dict__'), '_cls')\n",
     "AttributeError", (3, 1), "_cls"),
    # sandboxed callables refuse what is not theirs
    ("with-open", "with open('pwned'):\n    pass\n", "NameError", (1, 6), "open"),
    ("with-arbitrary", "with ones(2):\n    pass\n", "TypeError", (1, 6), "with"),
    ("self-applying-lambda", "(lambda f: f(f))(lambda f: f(f))\n", "RecursionError", (1, 28),
     "maximum recursion depth exceeded"),
]


@pytest.mark.parametrize("source, kind, pos, words", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_hostile_input_is_refused(source, kind, pos, words):
    o = run_script(source)
    assert_rejected(o, kind, pos, words)


def test_nothing_runs_after_a_parse_time_refusal():
    # the whole cell is parsed before it runs: the print on line 1 never happens
    o = run_script("print('ran')\nx.__class__\n")
    assert_rejected(o, "SyntaxError", (2, 3))
    assert "ran" not in o.out


def test_numpy_arrays_are_still_usable_as_values():
    o = run_script("a = ones(2).numpy()\nprint(a)\nprint(a[0])\ntensor(a) * 2\n")
    assert not o.errors, o.err
    assert o.out == "[1. 1.]\n1.0\ntensor([2., 2.])\n"


def test_the_accepted_torch_imports_do_nothing_else():
    o = run_script("import torch\nimport torch.nn.functional as F\n"
                   "from torch.autograd import Variable\nfrom torch import autograd\n"
                   "F.relu(torch.tensor([-1., 2.]))\n")
    assert not o.errors, o.err
    assert o.out == "tensor([0., 2.])\n"


def test_save_and_load_touch_no_file(tmp_path):
    """torch.save keeps the object in memory under its path and torch.load reads only what
    this run saved: no file is written, and an existing file is never read."""
    target = tmp_path / "pwned.pt"
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    o = run_script(f"torch.save(ones(2), {str(target)!r})\n"
                   f"print(torch.load({str(target)!r}))\n"
                   f"torch.load({str(secret)!r})\n")
    assert not target.exists()
    assert o.out.startswith("tensor([1., 1.])\n"), o.out
    assert "FileNotFoundError" in o.out + o.err and "do not read" not in o.out + o.err
