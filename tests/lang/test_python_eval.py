"""The new expression-level Python that the interpreter runs, checked against CPython.

Each snippet runs in adcli (``.py`` dialect) and under ``python`` in a subprocess; the
printed output must be the same. Snippets avoid the names whose meaning differs in adcli
(``sum``, ``max``, ``min``, ``abs``, ``round`` are torch's).
"""

from __future__ import annotations

import pytest

from adcli.errors import AdcliError, AdcliSyntaxError, LimitError
from adcli.lang.interpreter import Session
from adcli.limits import Limits

from .pyrun import run_adcli, run_python

SNIPPETS = {
    "string-forms": '''
print('a' "b" \'\'\'c\'\'\' """d""", r'\\n\\t', u'u', 'x\\
y')
print('\\x41\\101\\u00e9\\N{GREEK SMALL LETTER ALPHA}\\t|', ['\\0'], b'\\x00', b'a' b'b')
print("""line one
line two""", len(\'\'\'
\'\'\'))
''',
    "docstring": '''
"""A module docstring."""
print(__name__ == "__main__")
''',
    "f-strings": '''
x = 3.14159
n = 42
name = "adcli"
w = 8
print(f"{x:.2f}|{x!r:>10}|{name!s:^9}|{name!a}|{n:08b}|{n:#x}|{n:,}|{x:{w}.{2}f}|")
print(f"{n=} {x = :.1f} {name=!s}")
print(f"{'nested ' + f'{n:>4}'}" f" and {{braces}}" ' plain')
print(f"{[1, 2][1]} {(1, 'a')} {None} {True:>6} {1e300 * 10} {-0.0:+.1f}")
print(f\'\'\'{n
}\'\'\', rf"\\d{n}")
''',
    "dict-and-set-displays": '''
d = {"a": 1, "b": 2, **{"c": 3}, "a": 9}
s = {3, 1, 2, *[2, 5]}
print(d, s, {}, len(d), "a" in d, "z" not in d, 5 in s)
print({(1, 2): "t", 3.5: None})
''',
    "comprehensions": '''
print([i * j for i in range(4) for j in range(i) if j if i % 2])
print({k: k ** 2 for k in range(5) if k != 2})
print({len(c) * 3 for c in "mississippi"})
print(list(x + y for x, y in zip([1, 2], [10, 20])))
g = (i * i for i in range(4))
print(list(zip([0], g)), list(g))
x = "outer"
print([x for x in range(3)], x)
print([[y for y in range(x)] for x in range(3)])
''',
    "unpacking": '''
a, *b, c = range(6)
print(a, b, c)
*h, t = "xyz"
print(h, t)
(p, q), *r = [(1, 2), 3, 4]
print(p, q, r)
print(*[1, 2], *"ab", sep="-", **{"end": "!\\n"})
print([*range(3), *(4, 5)], (*"ab", 1), {**{"k": 1}})
''',
    "statements": '''
x: int = 3
y: list
assert x == 3, "not three"
for i in range(3):
    if i == 5:
        break
else:
    print("for-else ran", i)
for i in range(3):
    if i == 1:
        break
else:
    print("never")
n = 0
while n < 3:
    n += 1
else:
    print("while-else ran", n)
items = [1, 2, 3, 4]
d = {"a": 1, "b": 2}
del items[0], d["a"]
del items[-1]
z = 5
del z
print(items, d)
''',
    "operators": '''
print(5 ^ 3, 5 | 2, 6 & 3, ~5, 1 << 10, -16 >> 2, True ^ True, 3 ^ 1 << 2)
v = 6
v ^= 3
v |= 8
v <<= 2
v >>= 1
v &= 0xff
print(v, 0x1F, 0o17, 0b101, 1_000_000, 2j, 1.5e3j)
print(2 in [1, 2], "b" in "abc", 3 in range(5), (1, 2) in [(1, 2)], 4 not in (1, 2))
print(1 < 2 < 3, 1 is not None, [] is not None)
print({1, 2} | {3}, {1, 2} & {2, 5}, {1, 2} ^ {2, 3}, {"a": 1} | {"b": 2})
a = {1}
b = a
a |= {2}
c = {"k": 1}
e = c
c |= {"j": 2}
print(b, e)
''',
    "walrus": '''
if (n := len("abcd")) > 3:
    print(n)
print([y := 5, y ** 2], [last := i for i in range(3)], last)
''',
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_prints_what_cpython_prints(name):
    text = SNIPPETS[name]
    assert run_adcli(text) == run_python(text)


def test_tensors_format_as_torch_does():
    out = run_adcli(
        't = torch.tensor(2.5)\n'
        'print(f"{t:.3f}|{t}|{t:>6}|{torch.ones(2)}|{torch.tensor(3)!r}")\n'
    )
    assert out == "2.500|2.5|   2.5|tensor([1., 1.])|tensor(3)\n"
    with pytest.raises(AdcliError) as info:
        run_adcli('f"{torch.ones(2):.2f}"\n')
    assert info.value.kind == "TypeError"
    assert "unsupported format string passed to Tensor.__format__" in str(info.value)


def test_the_torch_imports_and_future_imports_run_in_python_text():
    out = run_adcli("from __future__ import annotations\nimport torch\n"
                    "import torch.nn.functional as F\nfrom torch.autograd import grad\n"
                    "print(F.relu(torch.tensor(-1.)), grad is not None)\n")
    assert out == "tensor(0.) True\n"


def test_assert_failure_is_an_assertion_error():
    with pytest.raises(AdcliError) as info:
        run_adcli('x = 2\nassert x == 3, f"x is {x}"\n')
    assert info.value.kind == "AssertionError" and str(info.value) == "x is 2"
    assert info.value.pos == (2, 1)


@pytest.mark.parametrize("source, kind", [
    ("a, *b, c = [1]\n", "ValueError"),
    ("{[1]: 2}\n", "TypeError"),
    ("{[1], 2}\n", "TypeError"),
    ("{**[1]}\n", "TypeError"),
    ("print(*5)\n", "TypeError"),
    ("print(**{1: 2})\n", "TypeError"),
    ("1.5 ^ 2\n", "TypeError"),
    ("1 << -1\n", "ValueError"),
    ("1 in 5\n", "TypeError"),
    ("1 in 'abc'\n", "TypeError"),
    ("del undefined_name\n", "NameError"),
    ("t = (1, 2)\ndel t[0]\n", "TypeError"),
    ("f'{1:q}'\n", "ValueError"),
    ("f'{[1]:>3}'\n", "TypeError"),
    ("[x for x in 5]\n", "TypeError"),
])
def test_mistakes_are_python_errors(source, kind):
    with pytest.raises(AdcliError) as info:
        run_adcli(source)
    assert info.value.kind == kind
    assert info.value.pos is not None


@pytest.mark.parametrize("source, what", [
    ("def g():\n    print((yield 1))\n", "`yield` inside an expression"),
    ("def g():\n    x = 1 + (yield)\n", "`yield` inside an expression"),
])
def test_what_is_not_run_yet_is_a_clear_syntax_error(source, what):
    with pytest.raises(AdcliSyntaxError) as info:
        run_adcli(source)
    assert str(info.value).startswith(what)
    assert " is not supported by adcli yet" in str(info.value)
    assert info.value.pos is not None


# ---- hostile input ----------------------------------------------------------------------
SMALL = dict(max_elements=10_000, max_steps=200_000)


@pytest.mark.parametrize("source", [
    "[0 for i in range(5000)]\n",  # over the Python-object bound (1000)
    "{i: i for i in range(5000)}\n",
    "{i for i in range(5000)}\n",
    "[*range(10**12)]\n",
    "print(*range(10**12))\n",
    "a, *b = range(10**12)\n",
    "x = [1] * 900\n[*x, *x]\n",
    "list(i for i in range(10**9))\n",
    "[[j for j in range(10**6)] for i in range(10**6)]\n",
    "[0 for a in range(10**6) for b in range(10**6)]\n",
    "f'{1:>999999999}'\n",
    "f'{1:.999999999f}'\n",
    "f'{1:{10**9}}'\n",
    "f'{\"a\":{\"9\" * 30}}'\n",
    "f'{\"a\" * 10**9}'\n",
    "x = 'a' * 9000\nf'{x}{x}'\n",
    "1 << 10**9\n",
    "v = 1\nv <<= 10**9\n",
])
def test_bombs_are_refused(source):
    with pytest.raises(LimitError):
        run_adcli(source, Limits(**SMALL))


def test_a_generator_is_lazy():
    out = run_adcli("g = (1 / x for x in [1, 0])\nprint(list(zip([0], g)))\n")
    assert out == "[(0, 1.0)]\n"


def test_comprehension_scope_does_not_leak_and_reaches_out():
    out = run_adcli("k = 10\nr = [k + i for i in range(2)]\nprint(r)\n")
    assert out == "[10, 11]\n"
    with pytest.raises(AdcliError) as info:
        run_adcli("[i for i in range(2)]\ni\n")
    assert info.value.kind == "NameError"


def test_nothing_reaches_python_objects_through_the_new_forms():
    for source in ("g = (x for x in [1])\ng.gi_frame\n", "d = {}\nd.__class__.mro\n",
                   "s = {1}\ns.pop.x\n", "f'{(1).__init__}'\n"):
        with pytest.raises(AdcliError) as info:
            run_adcli(source)
        assert info.value.kind in ("AttributeError", "SyntaxError"), source


def test_dunder_class_is_what_type_gives():
    text = ("d = {}\nprint(d.__class__ is dict, d.__class__, (1).__class__.__name__, "
            "[].__class__ is type([]))\n")
    assert run_adcli(text) == run_python(text) == "True <class 'dict'> int True\n"


def test_from_torch_autograd_import_grad_binds_the_function():
    # this accepted .adc import used to fail inside the interpreter (KeyError: 'grad')
    out: list[str] = []
    Session(out=out.append).exec_source(
        "from torch.autograd import grad\nx = ones(2, requires_grad=True)\n"
        "print(grad((x * x).sum(), x))\n")
    assert "".join(out) == "(tensor([2., 2.]),)\n"


def test_and_or_give_their_last_operand_untested():
    # expected: what torch 2.13 prints for the same text
    text = ("import torch\nx = torch.tensor([1.0, 2.0])\n"
            "print(None or x, 1 and x, 0 or 0.0, [] and 5)\n")
    out: list[str] = []
    from adcli.lang.interpreter import Session

    Session(out=out.append, dialect="py").exec_source(text)
    assert "".join(out) == "tensor([1., 2.]) tensor([1., 2.]) 0.0 []\n"


def test_invert_of_bool_and_integer_tensors():
    # expected: what torch 2.13 prints for the same text
    text = ("import torch\nm = torch.tensor([True, False])\n"
            "print(~m, ~torch.tensor([1, -2]))\nprint(m[~m])\n")
    out: list[str] = []
    from adcli.lang.interpreter import Session

    Session(out=out.append, dialect="py").exec_source(text)
    assert "".join(out) == "tensor([False,  True]) tensor([-2,  1])\ntensor([False])\n"


def test_a_tensors_special_methods_by_name():
    # expected: what torch 2.13 prints for the same text
    text = ("import torch\nx = torch.zeros(3)\nx.__setitem__(1, 5.0)\n"
            "print(x, x.__len__(), x.__getitem__(1), x.__add__(1))\n")
    out: list[str] = []
    from adcli.lang.interpreter import Session

    Session(out=out.append, dialect="py").exec_source(text)
    assert "".join(out) == "tensor([0., 5., 0.]) 3 tensor(5.) tensor([1., 6., 1.])\n"
    for attr in ("__init__", "__setattr__", "__class__", "__dict__"):
        with pytest.raises(AdcliError):
            Session(dialect="py").exec_source(
                f"import torch\ngetattr(torch.zeros(1), '{attr}')\n")
