"""``try``/``except``/``else``/``finally`` and ``raise``, checked against CPython; and the
rule that a bound (``LimitError``) is never caught and never swallowed by ``finally``."""

from __future__ import annotations

import pytest

from adcli.errors import AdcliError, LimitError
from adcli.limits import Limits

from .pyrun import run_adcli, run_python

SNIPPETS = {
    "try-except-else-finally": '''
def check(x):
    if x < 0:
        raise ValueError("negative: %d" % x)
    return x
for v in [1, -1]:
    try:
        check(v)
    except ValueError as err:
        print("caught", err, repr(err), err.args, type(err).__name__)
        print(isinstance(err, ValueError), isinstance(err, Exception))
    else:
        print("else", v)
    finally:
        print("finally", v)
''',
    "builtin-errors": '''
try:
    1 / 0
except ZeroDivisionError as err:
    print("zde", err, isinstance(err, ArithmeticError))
try:
    [1][5]
except LookupError as err:
    print("lookup", repr(err))
try:
    {}["a"]
except KeyError as err:
    print("key", repr(err), err.args)
try:
    int("x")
except ValueError as err:
    print(err)
try:
    undefined_name_here
except NameError:
    print("name error")
try:
    len(5)
except TypeError as err:
    print(err)
''',
    "raise-forms": '''
try:
    raise KeyError("a")
except KeyError as err:
    print(err, repr(err))
try:
    raise NotImplementedError
except (ValueError, NotImplementedError) as err:
    print("tuple", repr(err), str(err) == "")
try:
    try:
        raise TypeError("inner")
    except TypeError:
        print("re-raising")
        raise
except Exception as err:
    print("outer", type(err).__name__, err)
try:
    raise RuntimeError("x") from ValueError("y")
except RuntimeError as err:
    print(err, repr(err.__cause__), err.__class__.__name__)
try:
    raise 1
except TypeError as err:
    print(err)
try:
    try:
        raise ValueError("v")
    except ValueError:
        raise TypeError("t")
except TypeError as err:
    print("replaced", err)
err_obj = ValueError("kept", 2)
try:
    raise err_obj
except ValueError as err:
    print(err.args, err is err_obj)
''',
    "handler-order-and-bare": '''
for exc in [ValueError("v"), KeyError("k"), AssertionError("a"), StopIteration()]:
    try:
        raise exc
    except LookupError:
        print("lookup")
    except ValueError:
        print("value")
    except Exception as err:
        print("other", type(err).__name__)
try:
    assert 1 == 2, "nope"
except:
    print("bare catches assert")
try:
    pass
except Exception:
    print("no")
else:
    print("else-ok")
''',
    "finally-through-control-flow": '''
def f():
    for i in range(3):
        try:
            if i == 0:
                continue
            if i == 2:
                return "ret"
        finally:
            print("fin", i)
print(f())
while True:
    try:
        break
    finally:
        print("fin-break")
def g():
    try:
        return "body"
    finally:
        print("cleanup")
print(g())
def h():
    try:
        raise ValueError("lost")
    finally:
        return "finally wins"
print(h())
''',
    "import-fallbacks": '''
try:
    from nonexistent_module_for_adcli import thing
except ImportError as err:
    print("fallback", type(err).__name__)
try:
    import nonexistent_module_for_adcli_2
except ModuleNotFoundError:
    print("fallback2")
try:
    raise ValueError("x") from 1
except TypeError as err:
    print(err)
''',
    "exceptions-in-functions": '''
def parse(s):
    try:
        return int(s)
    except ValueError:
        return None
    finally:
        print("parsed", s)
print(parse("12"), parse("x"))
def safe_div(a, b):
    try:
        return a / b
    except ZeroDivisionError as err:
        return str(err)
print(safe_div(1, 2), safe_div(1, 0))
''',
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_same_output_as_cpython(name):
    text = SNIPPETS[name]
    assert run_adcli(text) == run_python(text)


def test_engine_errors_are_runtime_errors():
    text = '''
import torch
try:
    torch.ones(2) + torch.ones(3)
except RuntimeError as err:
    print("caught", type(err).__name__)
'''
    assert run_adcli(text) == "caught RuntimeError\n"


def test_uncaught_script_exception_keeps_its_kind_and_message():
    with pytest.raises(AdcliError) as info:
        run_adcli("def f():\n    raise ValueError('bad value')\nf()\n")
    assert (info.value.kind, str(info.value), info.value.pos) == ("ValueError", "bad value",
                                                                   (2, 5))
    with pytest.raises(AdcliError) as info:
        run_adcli("raise\n")
    assert (info.value.kind, str(info.value)) == ("RuntimeError",
                                                  "No active exception to reraise")


def test_huge_messages_are_shortened():
    with pytest.raises(AdcliError) as info:
        run_adcli("raise ValueError('x' * 100000)\n")
    assert len(str(info.value)) < 2200
    assert str(info.value).endswith("more characters)")


def test_catching_a_non_exception_class_is_a_type_error():
    with pytest.raises(AdcliError) as info:
        run_adcli("try:\n    1 / 0\nexcept 5:\n    pass\n")
    assert info.value.kind == "TypeError"
    assert "do not inherit from BaseException" in str(info.value)


@pytest.mark.parametrize("text", [
    # a loop that catches everything still stops at the step bound
    "while True:\n    try:\n        pass\n    except:\n        pass\n",
    "while True:\n    try:\n        while True:\n            pass\n"
    "    except BaseException:\n        print('caught')\n",
    "while True:\n    try:\n        while True:\n            pass\n"
    "    finally:\n        continue\n",
    "def f():\n    try:\n        while True:\n            pass\n    finally:\n        return 5\n"
    "print(f())\n",
    "def f():\n    try:\n        while True:\n            pass\n    except Exception:\n"
    "        return 1\n    finally:\n        raise ValueError('swallow?')\nprint(f())\n",
])
def test_a_bound_cannot_be_caught_or_swallowed(text):
    with pytest.raises(LimitError) as info:
        run_adcli(text, Limits(max_steps=5000))
    assert "steps" in str(info.value)


def test_recursion_error_is_caught_as_in_python():
    text = ("def f(n):\n    try:\n        return f(n + 1)\n    except BaseException:\n"
            "        return -1\nprint(f(0))\n")
    assert run_adcli(text) == run_python(text) == "-1\n"


def test_host_stack_bound_cannot_be_caught():
    text = ("import sys\nsys.setrecursionlimit(50000)\ndef f(n):\n    try:\n"
            "        return f(n + 1)\n    except BaseException:\n        return -1\nprint(f(0))\n")
    with pytest.raises(LimitError):
        run_adcli(text)


def test_exceptions_expose_nothing_more():
    for attr in ("__traceback__", "__dict__", "with_traceback"):
        with pytest.raises(AdcliError):
            run_adcli(f"e = ValueError('x')\ngetattr(e, '{attr}')\n")
    with pytest.raises(AdcliError):
        run_adcli("getattr(ValueError, 'mro')\n")
