"""Python's syntax: errors where CPython puts them, and hostile text in the new forms.

Each broken program is compiled by CPython here, in the test, and adcli's parser must
report the same line and column (and, where it is cheap, the same message).
"""

from __future__ import annotations

import pytest

from adcli.errors import AdcliSyntaxError, LimitError
from adcli.lang.parser import parse

# (id, source, whether adcli's message must equal CPython's)
BROKEN = [
    ("unclosed-paren", "x = (1 + 2\n", True),
    ("unclosed-bracket-then-more", "x = [1, 2\ny = 3\n", True),
    ("unclosed-brace", "d = {'a': 1\n", True),
    ("unclosed-over-lines", "x = (1,\n     2\n", True),
    ("unterminated-string", "print('abc)\n", True),
    ("unterminated-after-concat", "x = 'a' 'b\n", True),
    ("unterminated-triple", 'x = """abc\n', True),
    ("unterminated-f-prefix", "x = f'abc\n", True),
    ("if-without-colon", "if x\n    pass\n", True),
    ("while-without-colon", "while True\n    pass\n", True),
    ("for-without-colon", "for x in y\n    pass\n", True),
    ("def-without-colon", "def f()\n    pass\n", True),
    ("class-without-colon", "class A\n    pass\n", True),
    ("missing-block", "if x:\npass\n", True),
    ("missing-block-after-def", "def f():\nreturn 1\n", True),
    ("unindent-mismatch", "if x:\n    a = 1\n  b = 2\n", True),
    ("unexpected-indent", "x = 1\n    y = 2\n", True),
    ("tabs-and-spaces", "if 1:\n\tx = 1\n        y = 2\n", True),
    ("dangling-operator", "x = 1 +\n", False),
    ("unmatched-close", "x = )\n", True),
    ("triple-equals", "x === 1\n", False),
    ("double-comma", "x = [1, 2,, 3]\n", False),
    ("else-alone", "else:\n    pass\n", False),
    ("default-then-plain", "def f(a=1, b):\n    pass\n", True),
    ("star-after-double-star", "f(**k, *a)\n", True),
    ("yield-in-lambda", "lambda x: yield\n", False),
    ("try-alone", "try:\n    pass\n", False),
    ("import-nothing", "import\n", False),
    ("assign-to-keyword", "return = 3\n", False),
    ("delete-call", "del f()\n", True),
    ("with-as-call", "with a as f(): pass\n", True),
    ("bad-dedent-deeper", "if 1:\n        x = 1\n    y = 2\n", True),
    ("print-statement", "print 'hello'\n", True),
    ("print-statement-in-block", "if x:\n    print x\n", True),
    ("ternary-without-else", "x = 1 if y\n", True),
    ("ternary-without-else-in-call", "f(a + b if c)\n", True),
]


def _cpython_error(source: str) -> SyntaxError:
    with pytest.raises(SyntaxError) as info:
        compile(source, "<test>", "exec", dont_inherit=True)
    return info.value


@pytest.mark.parametrize("source, same_message", [c[1:] for c in BROKEN],
                         ids=[c[0] for c in BROKEN])
def test_syntax_errors_are_where_cpython_puts_them(source, same_message):
    expected = _cpython_error(source)
    with pytest.raises(AdcliSyntaxError) as info:
        parse(source, dialect="py")
    assert info.value.pos == (expected.lineno, expected.offset), (str(info.value), expected)
    if same_message:
        assert str(info.value) == expected.msg


def test_async_is_a_clear_error():
    with pytest.raises(AdcliSyntaxError) as info:
        parse("async def f():\n    pass\n", dialect="py")
    assert info.value.pos == (1, 1) and "async" in str(info.value)


# ---- hostile text in the new forms --------------------------------------------------------
@pytest.mark.parametrize("source", [
    "x = " + "{" * 5000 + "}" * 5000 + "\n",
    "x = " + "[" * 300 + "]" * 300 + "\n",
    "x = " + "(" * 100000 + "\n",
])
def test_deep_brackets_are_a_limit_error(source):
    with pytest.raises(LimitError):
        parse(source, dialect="py", max_depth=200)


@pytest.mark.parametrize("source", [
    "x = [" + "[y for y in " * 300 + "z" + "]" * 300 + "]\n",
    "x = " + "-" * 5000 + "1\n",
    "x = " + "lambda: " * 500 + "0\n",
    "x = " + "not " * 5000 + "1\n",
    "x = f'{" + "(" * 250 + "1" + ")" * 250 + "}'\n",
    "x = f'{1:{2:{3}}}'\n",
    "x = [0 " + "for a in b " * 300 + "]\n",
    "x = [0 for a in b " + "if a " * 300 + "]\n",
])
def test_deep_nesting_is_refused(source):
    with pytest.raises((LimitError, AdcliSyntaxError)):
        parse(source, dialect="py", max_depth=200)


@pytest.mark.parametrize("source, words", [
    ("x.__class__.__bases__\n", "__bases__"),
    ("(lambda: 0).__globals__\n", "__globals__"),
    ("f'{x.__globals__}'\n", "__globals__"),
    ("f'{x!r:{y.__globals__}}'\n", "__globals__"),
    ("[c for c in ().__class__.__subclasses__()]\n", "__subclasses__"),
    ("{k: v for k, v in x.__globals__.items()}\n", "__globals__"),
    ("__builtins__\n", "__builtins__"),
    ("def __getattr__(self, name):\n    pass\n", "__getattr__"),
    ("def __init__(self):\n    pass\n", "only a class body"),
    ("class A:\n    def __getattribute__(self, n):\n        pass\n", "__getattribute__"),
    ("class A:\n    def f(self):\n        def __init__(s):\n            pass\n", "class body"),
    ("x = super().__getattribute__('x')\n", "__getattribute__"),
    ("__name__ = 'evil'\n", "__name__"),
    ("f(__x=1)\n", "__x"),
    ("def f(__x):\n    pass\n", "__x"),
    ("global __builtins__\n", "__builtins__"),
    ("from m import a as __b\n", "__b"),
])
def test_dunders_stay_refused_in_python_text(source, words):
    with pytest.raises(AdcliSyntaxError) as info:
        parse(source, dialect="py")
    assert words in str(info.value)


def test_what_a_class_may_define_and_read():
    tree = parse(
        'class A(Base):\n    """Doc."""\n    def __init__(self, n):\n'
        '        super().__init__()\n        self._n = n\n\n    def __repr__(self):\n'
        '        return f"{type(self).__name__}({self._n})"\n\n'
        'if __name__ == "__main__":\n    print(A.__doc__)\n',
        dialect="py",
    )
    assert [s.kind for s in tree.fields[0]] == ["class", "if"]


def test_caret_is_power_in_adc_and_xor_in_py():
    adc = parse("-2^2\n", "eval_input")
    py = parse("-2^2\n", "eval_input", dialect="py")
    assert adc.kind == "unary" and adc.fields[1].fields[1] == "**"
    assert py.kind == "binop" and py.fields[1] == "^" and py.fields[0].kind == "unary"
    assert parse("x ^= 2\n").fields[0][0].fields[1] == "**"
    assert parse("x ^= 2\n", dialect="py").fields[0][0].fields[1] == "^"


def test_only_torch_and_library_imports_in_adc_every_import_in_py():
    from adcli.errors import TorchImportError

    with pytest.raises(TorchImportError):
        parse("import subprocess\n")
    assert parse("import math\n").fields[0][0].kind == "import_names"  # the library's
    tree = parse("import math, os.path as p\nfrom typing import (List, Dict as D)\n",
                 dialect="py")
    assert tree.fields[0][0].fields[0] == [("math", None), ("os.path", "p")]
    assert tree.fields[0][1].fields[1] == [("List", None), ("Dict", "D")]


@pytest.mark.parametrize("source, value", [
    ("'a' \"b\" '''c''' \"\"\"d\"\"\"\n", "abcd"),
    ("r'\\n\\d' u'x'\n", "\\n\\dx"),
    ("'\\x41\\101\\u00e9\\N{GREEK SMALL LETTER ALPHA}\\t\\\\'\n", "AAé\u03b1\t\\"),
    ("'a\\\nb'\n", "ab"),
    ("b'\\x00\\xff' rb'\\n'\n", b"\x00\xff\\n"),
    ("'\\d'\n", "\\d"),
])
def test_string_literals_decode_as_python(source, value):
    node = parse(source, "eval_input", dialect="py")
    assert node.kind == "const" and node.fields[0] == value


@pytest.mark.parametrize("source", [
    "'\\x4'\n", "'\\N{NO SUCH NAME}'\n", "b'é'\n", "'a' b'b'\n", "f'{}'\n", "f'{x!z}'\n",
    "f'{x'\n", "f'}'\n", "f'{a\\n}'\n", "f'{#}'\n",
])
def test_bad_literals_are_syntax_errors(source):
    with pytest.raises(SyntaxError):
        compile(source, "<test>", "eval")
    with pytest.raises(AdcliSyntaxError):
        parse(source, "eval_input", dialect="py")
