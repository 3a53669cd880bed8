"""``def`` and full lambdas, checked against CPython; and their bounds and sandbox.

Each snippet runs in adcli (``.py`` dialect) and under ``python`` in a subprocess; the
printed output must be the same.
"""

from __future__ import annotations

import pytest

from adcli.errors import AdcliError, AdcliSyntaxError, LimitError, TorchAttributeError
from adcli.limits import Limits

from .pyrun import run_adcli, run_python

SNIPPETS = {
    "parameters": '''
def f(a, b=2, *args, c, d=4, **kw):
    """Doc here."""
    return a, b, args, c, d, kw
print(f(1, c=3))
print(f(1, 2, 3, 4, c=5, e=6))
print(f(*[1, 2], **{"c": 7, "z": 8}))
print(f.__name__, f.__doc__)
def g(x, /, y, *, z=3):
    return x + y + z
print(g(1, 2), g(1, y=5), g(1, 2, z=0))
def h(x: int, y: "str" = "s") -> list:
    return [x, y]
print(h(1), h.__doc__)
''',
    "defaults-once": '''
calls = []
def default():
    calls.append(1)
    return len(calls)
def f(x=default(), acc=[]):
    acc.append(x)
    return acc
print(f(), f(), f(9), calls)
''',
    "return": '''
def none():
    return
def nothing():
    pass
def early(x):
    for i in range(10):
        while True:
            if i == x:
                return i * 10
            break
    return -1
print(none(), nothing(), early(3), early(20))
''',
    "recursion": '''
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
def is_even(n):
    return True if n == 0 else is_odd(n - 1)
def is_odd(n):
    return False if n == 0 else is_even(n - 1)
print(fact(30), fib(15), is_even(50), is_odd(7))
''',
    "closures": '''
def counter():
    count = 0
    def inc(step=1):
        nonlocal count
        count += step
        return count
    return inc
c = counter()
print(c(), c(), c(10))
def make_adders():
    return [lambda x, i=i: x + i for i in range(3)]
print([a(10) for a in make_adders()])
def outer():
    x = "outer"
    def middle():
        def inner():
            return x
        return inner()
    x = "late"
    return middle()
print(outer())
def nest():
    def inner():
        pass
    return inner
print(repr(nest()).split(" at ")[0])
''',
    "global": '''
total = 0
def add(n):
    global total
    total += n
    return total
add(2); add(3)
print(total)
def shadow():
    total = "local"
    return total
print(shadow(), total)
def reads_global():
    return total * 2
print(reads_global())
''',
    "decorators": '''
def trace(fn):
    def wrapper(*args, **kwargs):
        print("calling", fn.__name__, args, kwargs)
        return fn(*args, **kwargs)
    return wrapper
def repeat(n):
    def deco(fn):
        def wrapper(*args):
            return [fn(*args) for _ in range(n)]
        return wrapper
    return deco
@trace
@repeat(2)
def square(x, y=0):
    return x * x + y
print(square(3))
''',
    "lambdas": '''
f = lambda a, b=2, *rest, k=1, **kw: (a, b, rest, k, kw)
print(f(1), f(1, 2, 3, k=4, z=5))
print(sorted([3, 1, 2], key=lambda v, s=-1: s * v))
print(list(map(lambda *xs: len(xs), [1, 2])))
print((lambda: 1).__name__, (lambda x=1: x).__name__, (lambda: 1).__doc__)
''',
    "library-callbacks": '''
def key(p):
    return p[1]
def double(v):
    return v * 2
def odd(v):
    return v % 2 == 1
print(sorted([(1, "b"), (2, "a")], key=key), list(map(double, [1, 2])),
      list(filter(odd, range(6))))
''',
    "functools": '''
import functools
def deco(fn):
    @functools.wraps(fn)
    def wrapper(*a, **k):
        return fn(*a, **k)
    return wrapper
@deco
def hello(x):
    """Says hello."""
    return "hello " + x
print(hello("w"), hello.__name__, hello.__doc__)
@functools.lru_cache(maxsize=128)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
print(fib(50))
print(functools.partial(hello, "p")(), functools.reduce(lambda a, b: a + b, [1, 2, 3]))
''',
    "argument-errors": '''
def h(x, y):
    pass
def k(x, /):
    pass
def kw(*, a, b):
    pass
def d(a, b=1):
    pass
def z():
    pass
def outer():
    def inner(q):
        pass
    return inner
calls = [lambda: h(1), lambda: h(), lambda: h(1, 2, 3), lambda: h(1, x=2),
         lambda: h(1, 2, z=3), lambda: k(x=1), lambda: kw(), lambda: kw(a=1),
         lambda: d(1, 2, 3), lambda: d(), lambda: z(1), lambda: outer()()]
for c in calls:
    try:
        c()
    except TypeError as e:
        print(e)
def three(a, b, c):
    pass
try:
    three()
except TypeError as e:
    print(e)
''',
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_same_output_as_cpython(name):
    text = SNIPPETS[name]
    assert run_adcli(text) == run_python(text)


def test_torch_calls_user_functions():
    text = '''
import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
def f(t):
    return (t * t).sum()
print(torch.autograd.functional.jacobian(f, x))
def hook(g):
    return g * 2
h = x.register_hook(hook)
f(x).backward()
print(x.grad)
'''
    assert run_adcli(text) == "tensor([2., 4.])\ntensor([4., 8.])\n"


def test_function_repr_and_only_name_and_doc():
    out = run_adcli("def f():\n    'd'\nprint(f)\n")
    assert out.startswith("<function f at 0x")
    # a function's own __dict__ is what the script set on it (CPython's)
    assert run_adcli("def f(): pass\nf.n = 1\nprint(f.__dict__)\n") == "{'n': 1}\n"
    for attr in ("__globals__", "__code__", "__closure__", "__defaults__"):
        with pytest.raises(AdcliSyntaxError):  # refused when parsed
            run_adcli(f"def f(): pass\nf.{attr}\n")
        with pytest.raises(TorchAttributeError):  # and at run time
            run_adcli(f"def f(): pass\ngetattr(f, '{attr}')\n")
    for text in ("f = lambda x=1: x\n", "f = lambda x: x\n"):
        for attr in ("body", "scope", "session", "params", "__globals__"):
            with pytest.raises(TorchAttributeError):
                run_adcli(f"{text}getattr(f, '{attr}')\n")


@pytest.mark.parametrize("text", [
    "def f(n):\n    return f(n + 1)\nf(0)\n",
    "def f(n):\n    return 1 + f(n + 1) * 2\nf(0)\n",
    "def a(n):\n    return b(n)\ndef b(n):\n    return a(n)\na(0)\n",
    "def d(fn):\n    return d(fn)\n@d\ndef g():\n    pass\n",
    "def f(n):\n    return sorted([1, 2], key=lambda v: f(n))\nf(0)\n",
    "def f(n):\n    return [f(n) for _ in [1]]\nf(0)\n",
    "(lambda f: f(f))(lambda f: f(f))\n",
])
def test_endless_recursion_is_pythons_recursion_error(text):
    """CPython 3.11's RecursionError at its default limit of 1000 frames."""
    with pytest.raises(AdcliError) as info:
        run_adcli(text)
    assert info.value.kind == "RecursionError"
    assert str(info.value) == "maximum recursion depth exceeded"


def test_recursion_error_is_caught_and_finally_may_swallow_it():
    text = ("def f(n):\n    return f(n + 1)\ntry:\n    f(0)\nexcept RecursionError as e:\n"
            "    print('caught', e)\n"
            "def g(n):\n    try:\n        return g(n + 1)\n    finally:\n        return 0\n"
            "print(g(0))\n")
    assert run_adcli(text) == run_python(text) == \
        "caught maximum recursion depth exceeded\n0\n"


def test_retrying_recursion_ends_at_the_step_bound():
    # Python retries 2**1000 times; adcli stops at its step bound
    text = ("def f(n):\n    try:\n        return f(n + 1)\n    except:\n"
            "        return f(n + 1)\nf(0)\n")
    with pytest.raises(LimitError, match="steps"):
        run_adcli(text, Limits(max_steps=100_000))


def test_recursion_as_deep_as_cpython():
    text = ("def f(n):\n    return 0 if n == 0 else f(n - 1) + 1\nprint(f(998))\n"
            "try:\n    f(999)\nexcept RecursionError:\n    print('too deep')\n"
            "import sys\nsys.setrecursionlimit(1100)\nprint(f(1050), sys.getrecursionlimit())\n")
    assert run_adcli(text) == run_python(text) == "998\ntoo deep\n1050 1100\n"


def test_recursion_past_the_host_stack_is_a_limit():
    text = "import sys\nsys.setrecursionlimit(100000)\ndef f(n):\n    return f(n + 1)\nf(0)\n"
    with pytest.raises(LimitError, match="nest deeper than"):
        run_adcli(text)


def test_recursion_through_default_is_a_name_error():
    with pytest.raises(AdcliError) as info:
        run_adcli("def f(x=f(1)):\n    pass\n")
    assert info.value.kind == "NameError"


def test_every_call_counts_a_step():
    with pytest.raises(LimitError) as info:
        run_adcli("def f():\n    pass\nwhile True:\n    f()\n", Limits(max_steps=1000))
    assert "steps" in str(info.value)


@pytest.mark.parametrize("text, message", [
    ("return 1\n", "'return' outside function"),
    ("nonlocal x\n", "nonlocal declaration not allowed at module level"),
    ("def f(a, a):\n    pass\n", "duplicate argument 'a'"),
    ("def f():\n    for i in []:\n        pass\n    break\n", "'break' outside loop"),
    ("class A:\n    return 1\n", "'return' outside function"),
    ("yield 1\n", "'yield' outside function"),
])
def test_compile_errors(text, message):
    with pytest.raises(AdcliSyntaxError) as info:
        run_adcli(text)
    assert message in str(info.value)


def test_with_as_and_several_items():
    # torch's grad-mode managers return None from __enter__ (torch 2.x), so `as` binds None
    text = '''
import torch
x = torch.ones(2, requires_grad=True)
with torch.no_grad() as g, torch.enable_grad():
    print(g, (x * 2).requires_grad)
with torch.no_grad() as g:
    print(g, (x * 2).requires_grad)
    with torch.set_grad_enabled(True) as h:
        print(h, (x * 2).requires_grad)
def f():
    with torch.no_grad():
        return (x * 2).requires_grad
print(f(), torch.is_grad_enabled())
try:
    with torch.no_grad():
        raise ValueError("inside")
except ValueError as err:
    print(err, torch.is_grad_enabled())
'''
    assert run_adcli(text) == ("None True\nNone False\nNone True\nFalse True\n"
                               "inside True\n")
    with pytest.raises(AdcliError) as info:
        run_adcli("with torch.no_grad() as g, open('x') as h:\n    pass\n")
    assert info.value.kind in ("NameError", "TypeError")
