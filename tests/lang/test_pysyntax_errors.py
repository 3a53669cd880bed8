# ruff: noqa: E501  (sources and messages are pasted as CPython printed them)
"""SyntaxError messages of .py text in CPython 3.11's words: the last line of stderr that
``python prog.py`` printed for each source (recorded with CPython 3.11.7), for the common
mistakes (a missing ':' or comma, '=' for '==', unclosed and mismatched brackets, bad
number literals, a character after a line continuation) and plain ``invalid syntax``
where CPython says only that. The .adc dialect keeps its own, more detailed words."""

from __future__ import annotations

import pytest

from adcli import programs
from adcli.errors import AdcliSyntaxError
from adcli.lang.parser import parse
from adcli.limits import Limits

CASES = [
    ('x := 5\n', 'invalid syntax'),
    ('x = 1\nif x > 0\n    print(x)\n',
     "expected ':'"),
    ('def f(x)\n    return x\n',
     "expected ':'"),
    ('for i in range(3)\n    print(i)\n',
     "expected ':'"),
    ('class A\n    pass\n',
     "expected ':'"),
    ('while True\n    pass\n',
     "expected ':'"),
    ('print((1, 2)\nx = 3\n',
     "'(' was never closed"),
    ('x = [1, 2, 3\ny = 4\n',
     "'[' was never closed"),
    ("d = {'a': 1\n",
     "'{' was never closed"),
    ('print(1\n',
     "'(' was never closed"),
    ('x = [1 2 3]\n',
     'invalid syntax. Perhaps you forgot a comma?'),
    ("print('a' 'b' x)\n",
     'invalid syntax. Perhaps you forgot a comma?'),
    ('f(a b)\n',
     'invalid syntax. Perhaps you forgot a comma?'),
    ('x = 1)\n',
     "unmatched ')'"),
    ('x = [1, 2]]\n',
     "unmatched ']'"),
    ('x = (1, 2]\n',
     "closing parenthesis ']' does not match opening parenthesis '('"),
    ("s = 'hello\nprint(s)\n",
     'unterminated string literal (detected at line 1)'),
    ('print("hi)\n',
     'unterminated string literal (detected at line 1)'),
    ("s = '''abc\nprint(s)\n",
     'unterminated triple-quoted string literal (detected at line 2)'),
    ('x = 1abc\n',
     'invalid decimal literal'),
    ('x = 3rd\n',
     'invalid decimal literal'),
    ('f() = 1\n',
     "cannot assign to function call here. Maybe you meant '==' instead of '='?"),
    ('print(x) = 5\n',
     "cannot assign to function call here. Maybe you meant '==' instead of '='?"),
    ('1 = x\n',
     "cannot assign to literal here. Maybe you meant '==' instead of '='?"),
    ('if x = 1:\n    pass\n',
     "invalid syntax. Maybe you meant '==' or ':=' instead of '='?"),
    ('x = 1 + \\ 2\n',
     'unexpected character after line continuation character'),
    ('x = [1, \\ # c\n 2]\n',
     'unexpected character after line continuation character'),
    ('class = 3\n',
     'invalid syntax'),
    ('def = 1\n',
     'invalid syntax'),
    ('else:\n    pass\n',
     'invalid syntax'),
    ('x=1\nelif x:\n    pass\n',
     'invalid syntax'),
    ("print 'hello'\n",
     "Missing parentheses in call to 'print'. Did you mean print(...)?"),
    ('print x\n',
     "Missing parentheses in call to 'print'. Did you mean print(...)?"),
    ('def f(:\n    pass\n',
     'invalid syntax'),
    ('x = 1 +* 2\n',
     'invalid syntax'),
    ('f = lambda x: return x\n',
     'invalid syntax'),
    ('return 5\n',
     "'return' outside function"),
    ('break\n',
     "'break' outside loop"),
    ('continue\n',
     "'continue' not properly in loop"),
    ('x = 1 +\n',
     'invalid syntax'),
    ('f(x=)\n',
     'invalid syntax'),
    ('f(x==1=2)\n',
     'expression cannot contain assignment, perhaps you meant "=="?'),
    ('match x:\n    pass\n',
     'invalid syntax'),
    ('x = 1 $ 2\n',
     'invalid syntax'),
    ('print(“hello”)\n',
     "invalid character '“' (U+201C)"),
    ('$x = 1\n',
     'invalid syntax'),
    ('x = 1;;\n',
     'invalid syntax'),
    ('from torch import\n',
     'invalid syntax'),
    ("d = {'a' 1}\n",
     'invalid syntax. Perhaps you forgot a comma?'),
    ('*a = 1\n',
     'starred assignment target must be in a list or tuple'),
    ('1 += 2\n',
     "'literal' is an illegal expression for augmented assignment"),
    ('del f()\n',
     'cannot delete function call'),
    ('try:\n    x = 1\nprint(x)\n',
     "expected 'except' or 'finally' block"),
    ('f(a=1, a=2)\n',
     'keyword argument repeated: a'),
    ('f(a=1, 2)\n',
     'positional argument follows keyword argument'),
    ('def f(a=1, b):\n    pass\n',
     'non-default argument follows default argument'),
    ('def f(a, a):\n    pass\n',
     "duplicate argument 'a' in function definition"),
    ("x = f'{'\n",
     "f-string: expecting '}'"),
    ("x = f'{}'\n",
     'f-string: empty expression not allowed'),
    ('x = 012\n',
     'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers'),
    ('... = 1\n',
     "cannot assign to ellipsis here. Maybe you meant '==' instead of '='?"),
    ('None = 1\n',
     'cannot assign to None'),
    ('True = 1\n',
     'cannot assign to True'),
    ('for x range(3):\n    pass\n',
     'invalid syntax'),
    ('if :\n    pass\n',
     'invalid syntax'),
    ('def f:\n    pass\n',
     "expected '('"),
    ('if x:\n    pass\nelse if y:\n    pass\n',
     "expected ':'"),
    ('def f(a, b:\n    pass\n',
     "'(' was never closed"),
    ('x = (y = 1)\n',
     "invalid syntax. Maybe you meant '==' or ':=' instead of '='?"),
    ('a, b += 1\n',
     "'tuple' is an illegal expression for augmented assignment"),
    ('nonlocal x\n',
     'nonlocal declaration not allowed at module level'),
    ('yield 1\n',
     "'yield' outside function"),
    ('x = (1,\n2\n',
     "'(' was never closed"),
    ('f(x for x in y, 1)\n',
     'Generator expression must be parenthesized'),
    ('*a\n',
     "can't use starred expression here"),
    ('a < b = 3\n',
     'cannot assign to comparison'),
    ('lambda x=1, y: x\n',
     'non-default argument follows default argument'),
    ("x = k'abc'\n",
     'invalid syntax'),
    ('x = 0xg\n',
     'invalid hexadecimal literal'),
    ('x = 1.2.3\n',
     'invalid syntax'),
    ('x =\n',
     'invalid syntax'),
    ('x == 1 = 2\n',
     'cannot assign to comparison'),
    ('a.f() = 3\n',
     "cannot assign to function call here. Maybe you meant '==' instead of '='?"),
    ("with open('f') as f\n    pass\n",
     "expected ':'"),
    ('try:\n    pass\nexcept ValueError\n    pass\n',
     "expected ':'"),
    ('x = 5 if y\n',
     "expected 'else' after 'if' expression"),
    ('for in range(3):\n    pass\n',
     'invalid syntax'),
    ("print('a, b)\n",
     'unterminated string literal (detected at line 1)'),
    ('1 <> 2\n',
     'invalid syntax'),
    ('x = `1`\n',
     'invalid syntax'),
    ('if x: pass; else: pass\n',
     'invalid syntax'),
    ('foo(1, [2, 3)\n',
     "closing parenthesis ')' does not match opening parenthesis '['"),
    ('}\n',
     "unmatched '}'"),
    ('x + 1 = 2\n',
     "cannot assign to expression here. Maybe you meant '==' instead of '='?"),
    ('-x = 1\n',
     "cannot assign to expression here. Maybe you meant '==' instead of '='?"),
    ('a = f(x) = 3\n',
     'cannot assign to function call'),
    ('f() = lambda: 1\n',
     'cannot assign to function call'),
    ('f() = 1, 2\n',
     "cannot assign to function call here. Maybe you meant '==' instead of '='?"),
    ('[f()] = 1\n',
     'cannot assign to function call'),
    ('for f() in x:\n    pass\n',
     'cannot assign to function call'),
    ('with a as f():\n    pass\n',
     'cannot assign to function call'),
    ('del f()\n',
     'cannot delete function call'),
    ('[x for f() in y]\n',
     'cannot assign to function call'),
    ('f(a.b=1)\n',
     'expression cannot contain assignment, perhaps you meant "=="?'),
    ('x = (a.b = 1)\n',
     "cannot assign to attribute here. Maybe you meant '==' instead of '='?"),
    ('x = [y = 1]\n',
     "invalid syntax. Maybe you meant '==' or ':=' instead of '='?"),
    ('while x = 1:\n    pass\n',
     "invalid syntax. Maybe you meant '==' or ':=' instead of '='?"),
    ('print(x = 1 = 2)\n',
     'invalid syntax'),
    ('x = 1 in\n',
     'invalid syntax'),
    ('x += 1 = 2\n',
     'invalid syntax'),
    ('(a, b) += 1\n',
     "'tuple' is an illegal expression for augmented assignment"),
    ('f() += 1\n',
     "'function call' is an illegal expression for augmented assignment"),
    ('x = yield = 3\n',
     'assignment to yield expression not possible'),
    ('lambda: x = 1\n',
     'cannot assign to lambda'),
    ('f(1, x for x in y)\n',
     'Generator expression must be parenthesized'),
    ('x = 0o8\n',
     "invalid digit '8' in octal literal"),
    ('x = 0b2\n',
     "invalid digit '2' in binary literal"),
    ('x = 1.5abc\n',
     'invalid decimal literal'),
    ('x = 1jk\n',
     'invalid imaginary literal'),
    ('x = ٣\n',
     "invalid character '٣' (U+0663)"),
    ('x = 1 ! 2\n',
     'invalid syntax'),
    ('x = 1 \x01\n',
     'invalid non-printable character U+0001'),
    ('x = 1_\n',
     'invalid decimal literal'),
    ('x = 1e\n',
     'invalid decimal literal'),
    ('x = (1,\n 2]\n',
     "closing parenthesis ']' does not match opening parenthesis '(' on line 1"),
    ('print(foo(1) 2)\n',
     'invalid syntax. Perhaps you forgot a comma?'),
    ("d = {'a': 1 'b': 2}\n",
     'invalid syntax. Perhaps you forgot a comma?'),
    ("[x 'a']\n",
     'invalid syntax'),
    ("f(a 'b')\n",
     'invalid syntax'),
    ('[_ x]\n',
     'invalid syntax'),
    ('f(True=1)\n',
     'cannot assign to True'),
    ("[a.b 'c']\n",
     'invalid syntax. Perhaps you forgot a comma?'),
    ('if f() = 1:\n    pass\n',
     "cannot assign to function call here. Maybe you meant '==' instead of '='?"),
    ('if a < b = 1:\n    pass\n',
     'invalid syntax'),
    ('if x:\n    pass\nelif y = 2:\n    pass\n',
     "invalid syntax. Maybe you meant '==' or ':=' instead of '='?"),
    ('x = 1 + \\ \n2\n',
     'unexpected character after line continuation character'),
    ('x = [1,\n2\ny = 3\n',
     "'[' was never closed"),
    ('foo(a b\n',
     "'(' was never closed"),
    ('if x:\n    pass\nelse\n    pass\n',
     "expected ':'"),
    ('f = lambda x x\n',
     'invalid syntax'),
    ('d = {1: 2, 3 4}\n',
     "':' expected after dictionary key"),
    ('import math as\n',
     'invalid syntax'),
    ('def f():\n    return 1,,\n',
     'invalid syntax'),
]


@pytest.mark.parametrize("src,message", CASES)
def test_message_is_cpythons(src, message):
    out, errs = [], []
    outcome = programs.run_python(src, "prog.py", Limits(), out.append, errs.append)
    assert outcome.failed and not outcome.internal
    assert "".join(errs).strip().splitlines()[-1] == "SyntaxError: " + message


# where CPython's caret points (line, column), for the lexical errors
POSITIONS = [
    ("x = 1 + \\ 2\n", (1, 10), "unexpected character after line continuation character"),
    ("x = [1, \\ # c\n 2]\n", (1, 10), "unexpected character after line continuation character"),
    ("x = 1abc\n", (1, 5), "invalid decimal literal"),
    ("print((1, 2)\nx = 3\n", (1, 6), "'(' was never closed"),
    ("s = 'hello\nprint(s)\n", (1, 5), "unterminated string literal (detected at line 1)"),
]


@pytest.mark.parametrize("src,pos,message", POSITIONS)
def test_position_is_cpythons(src, pos, message):
    with pytest.raises(AdcliSyntaxError) as info:
        parse(src, dialect="py")
    assert info.value.message == message
    assert info.value.pos == pos


def test_adc_keeps_its_own_words():
    with pytest.raises(AdcliSyntaxError) as info:
        parse("x = 1 +\n")
    assert str(info.value) == "invalid syntax: unexpected end of line"
    with pytest.raises(AdcliSyntaxError) as info:
        parse("x = 1 $ 2\n")
    assert "unexpected character" in str(info.value)


def test_a_number_may_run_into_a_keyword():
    out, errs = [], []
    programs.run_python("x = 1if 1 else 2\nprint(x)\n", "prog.py", Limits(), out.append,
                        errs.append)
    assert "".join(out) == "1\n"


def test_unicode_identifiers_are_cpythons():
    """PEP 3131 names (``η = 0.1``), NFKC-normalized as CPython does (``𝐱`` is ``x``);
    a character that cannot be in a name is CPython's invalid character."""
    src = ("η = 0.1\nθ = [1.0, 2.0]\ncafé = 'x'\n𝐱 = 3\nprint(η * 2, θ, café, x, 𝐱)\n"
           "def ƒ(α, β=2):\n    return α + β\nprint(ƒ(1), ƒ.__name__)\n")
    out, errs = [], []
    programs.run_python(src, "prog.py", Limits(), out.append, errs.append)
    assert "".join(out) == "0.2 [1.0, 2.0] x 3 3\n3 ƒ\n"
    for bad in ("½ = 1\n", "a½ = 1\n"):
        out, errs = [], []
        programs.run_python(bad, "prog.py", Limits(), out.append, errs.append)
        assert "".join(errs).strip().splitlines()[-1] == \
            "SyntaxError: invalid character '½' (U+00BD)"


def test_a_parenthesized_walrus_is_a_statement():
    out, errs = [], []
    programs.run_python("(x := 5)\nprint(x)\n", "prog.py", Limits(), out.append, errs.append)
    assert "".join(out) == "5\n"
