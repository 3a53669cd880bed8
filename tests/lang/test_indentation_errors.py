# ruff: noqa: E501  (sources and stderr are pasted as CPython printed them)
"""Parse errors in the indentation carry CPython 3.11's names and messages
(IndentationError, TabError), and a raised SyntaxError is a plain traceback: each
expected stderr below is what CPython 3.11 printed for the source, run as prog.py."""

from __future__ import annotations

import pytest

from adcli import programs
from adcli.limits import Limits

CASES = [
    ('if True:\nx = 1\n',
     '  File "prog.py", line 2\n    x = 1\n    ^\nIndentationError: expected an indented block after \'if\' statement on line 1\n'),
    ('x = 1\n    y = 2\n',
     '  File "prog.py", line 2\n    y = 2\nIndentationError: unexpected indent\n'),
    ('if True:\n        x = 1\n    y = 2\n',
     '  File "prog.py", line 3\n    y = 2\n         ^\nIndentationError: unindent does not match any outer indentation level\n'),
    ('def f():\n\tx = 1\n        return x\n',
     '  File "prog.py", line 3\n    return x\nTabError: inconsistent use of tabs and spaces in indentation\n'),
    ('for i in range(3):\n\n# c\nprint(i)\n',
     '  File "prog.py", line 4\n    print(i)\n    ^\nIndentationError: expected an indented block after \'for\' statement on line 1\n'),
    ('while 1:\n  pass\nelse:\nx\n',
     '  File "prog.py", line 4\n    x\n    ^\nIndentationError: expected an indented block after \'else\' statement on line 3\n'),
    ('try:\nx\nexcept:\n  pass\n',
     '  File "prog.py", line 2\n    x\n    ^\nIndentationError: expected an indented block after \'try\' statement on line 1\n'),
    ('def f():\n"""doc"""\n',
     '  File "prog.py", line 2\n    """doc"""\n    ^\nIndentationError: expected an indented block after function definition on line 1\n'),
    ('class A:\npass\n',
     '  File "prog.py", line 2\n    pass\n    ^\nIndentationError: expected an indented block after class definition on line 1\n'),
    ('with open("f") as f:\npass\n',
     '  File "prog.py", line 2\n    pass\n    ^\nIndentationError: expected an indented block after \'with\' statement on line 1\n'),
    ('if 1:\n  pass\nelif 2:\npass\n',
     '  File "prog.py", line 4\n    pass\n    ^\nIndentationError: expected an indented block after \'elif\' statement on line 3\n'),
    ('try:\n  pass\nexcept ValueError:\npass\n',
     '  File "prog.py", line 4\n    pass\n    ^\nIndentationError: expected an indented block after \'except\' statement on line 3\n'),
    ('try:\n  pass\nfinally:\npass\n',
     '  File "prog.py", line 4\n    pass\n    ^\nIndentationError: expected an indented block after \'finally\' statement on line 3\n'),
    ('if 1:\n  pass\nelse:\npass\n',
     '  File "prog.py", line 4\n    pass\n    ^\nIndentationError: expected an indented block after \'else\' statement on line 3\n'),
    ('raise SyntaxError("x")\n',
     'Traceback (most recent call last):\n  File "prog.py", line 1, in <module>\n    raise SyntaxError("x")\nSyntaxError: x\n'),
    ('  x = 1\n',
     '  File "prog.py", line 1\n    x = 1\nIndentationError: unexpected indent\n'),
    ('\tprint(1)\nprint(2)\n',
     '  File "prog.py", line 1\n    print(1)\nIndentationError: unexpected indent\n'),
    ('   # c\n\n  \nif 1:\n  x = 1\n    y = 2\n',
     '  File "prog.py", line 6\n    y = 2\nIndentationError: unexpected indent\n'),
    ('if 1:\n    x = 1\n\ty = 2\n',
     '  File "prog.py", line 3\n    y = 2\nTabError: inconsistent use of tabs and spaces in indentation\n'),
    ('if 1:\n\tx = 1\n        print(x)\n',
     '  File "prog.py", line 3\n    print(x)\nTabError: inconsistent use of tabs and spaces in indentation\n'),
    ('if 1:\n  if 1:\n\tx = 1\n',
     '  File "prog.py", line 3\n    x = 1\nTabError: inconsistent use of tabs and spaces in indentation\n'),
    ('if 1:\n\tif 1:\n\t\tx=1\n  print(3)\n',
     '  File "prog.py", line 4\n    print(3)\n            ^\nIndentationError: unindent does not match any outer indentation level\n'),
    ('if 1:\n        if 1:\n\t\tx=1\n\t\tprint(x)\n',
     '  File "prog.py", line 3\n    x=1\nTabError: inconsistent use of tabs and spaces in indentation\n'),
]


@pytest.mark.parametrize("src,stderr", CASES)
def test_stderr_as_cpython(src, stderr):
    out, errs = [], []
    outcome = programs.run_python(src, "prog.py", Limits(), out.append, errs.append)
    assert outcome.failed and not outcome.internal
    assert "".join(errs) == stderr


# tabs count to the next multiple of 8 (and as one column): CPython accepts these
ACCEPTED = [
    ('if 1:\n\tx = 1\n\tif x:\n\t    y = 2\n\t    print(y)\n\tprint(x)\n',
     '2\n1\n'),
    ('x = 1\n   \n\t\nprint(x)\n',
     '1\n'),
    ('if 1:\n\tif 1:\n        \tx=1\n',
     ''),
]


@pytest.mark.parametrize("src,stdout", ACCEPTED)
def test_tab_indentation_accepted_as_cpython(src, stdout):
    out, errs = [], []
    outcome = programs.run_python(src, "prog.py", Limits(), out.append, errs.append)
    assert not outcome.failed, "".join(errs)
    assert "".join(out) == stdout
