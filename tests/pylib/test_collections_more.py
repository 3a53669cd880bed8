# ruff: noqa: E501  (sources and outputs are pasted as CPython printed them)
"""Whole scripts using collections.Counter operators (& | unary + -), ChainMap item access and
str.translate / str.maketrans:
adcli's stdout (and last error line) must equal what CPython 3.11
printed for the same source (the expected strings below were produced by running each
source under /work/torchenv/bin/python, never by adcli)."""

from __future__ import annotations

import pytest

from adcli import programs
from adcli.limits import Limits

CASES = [
    ('counter_chainmap',
     'from collections import ChainMap, Counter\n\na = Counter("aabbbc")\nb = Counter("abbd")\nprint(a & b)\nprint(a | b)\nc = Counter({"x": 2, "y": -1, "z": 0})\nprint(+c)\nprint(-c)\nprint(a - b, a + b)\ncm = ChainMap({"a": 1}, {"a": 2, "b": 3})\nprint(cm["a"], cm["b"], "b" in cm, len(cm), cm.get("z", 0))\ncm["c"] = 4\nprint(cm.maps[0], sorted(cm))\ndel cm["c"]\nprint(cm)\ntry:\n    cm["zz"]\nexcept KeyError as e:\n    print("KeyError", e)\nc2 = Counter(a=3)\nc2 |= Counter(a=5, b=1)\nc2 &= Counter(a=4, b=2)\nprint(c2, +Counter(), -Counter(a=-2, b=3))\nimport operator\nprint(operator.neg(Counter(a=-1)), operator.pos(Counter(a=1, b=-1)))\ncm2 = ChainMap({}, cm)\ncm2["q"] = 1\nprint(cm2["a"], cm2["q"], "q" in cm2, "a" in cm2)\ndel cm2["q"]\nprint(cm2)\ntry:\n    Counter(a=1) & {"a": 1}\nexcept TypeError as e:\n    print("TypeError", e)\ntry:\n    del cm2["a"]\nexcept KeyError as e:\n    print("KeyError", e)\n',
     'Counter({\'b\': 2, \'a\': 1})\nCounter({\'b\': 3, \'a\': 2, \'c\': 1, \'d\': 1})\nCounter({\'x\': 2})\nCounter({\'y\': 1})\nCounter({\'a\': 1, \'b\': 1, \'c\': 1}) Counter({\'b\': 5, \'a\': 3, \'c\': 1, \'d\': 1})\n1 3 True 2 0\n{\'a\': 1, \'c\': 4} [\'a\', \'b\', \'c\']\nChainMap({\'a\': 1}, {\'a\': 2, \'b\': 3})\nKeyError \'zz\'\nCounter({\'a\': 4, \'b\': 1}) Counter() Counter({\'a\': 2})\nCounter({\'a\': 1}) Counter({\'a\': 1})\n1 1 True True\nChainMap({}, ChainMap({\'a\': 1}, {\'a\': 2, \'b\': 3}))\nTypeError unsupported operand type(s) for &: \'Counter\' and \'dict\'\nKeyError "Key not found in the first mapping: \'a\'"\n',
     None),
    ('str_translate',
     't = str.maketrans("abc", "xyz")\nprint(sorted(t.items()))\nprint("aabbcc".translate(t))\nprint("hello, world!".translate(str.maketrans("", "", ",!")))\nprint("abc".translate({97: "AA", 98: None, 99: 100}))\nprint("abc".translate(str.maketrans({"a": "1", "b": None})))\nprint(str.maketrans("ab", "cd", "e"))\nprint("xyz".maketrans("x", "y"))\ntry:\n    str.maketrans("ab", "c")\nexcept ValueError as e:\n    print("ValueError", e)\nprint("abc".translate(["0", "1"] * 50))\nprint("hello".translate({ord("l"): "L" * 3}), "x".translate({}), "".translate({1: "a"}))\ntable = "".maketrans({"a": 1, 98: "B"})\nprint(table, "ab".translate(table))\nfor bad in ({97: 1.5}, {97: -1}):\n    try:\n        "abc".translate(bad)\n    except (TypeError, ValueError) as e:\n        print(type(e).__name__, e)\ntry:\n    str.maketrans("ab")\nexcept TypeError as e:\n    print("TypeError", e)\ntry:\n    str.maketrans({"ab": 1})\nexcept ValueError as e:\n    print("ValueError", e)\n',
     "[(97, 120), (98, 121), (99, 122)]\nxxyyzz\nhello world\nAAd\n1c\n{97: 99, 98: 100, 101: None}\n{120: 121}\nValueError the first two maketrans arguments must have equal length\n101\nheLLLLLLo x \n{97: 1, 98: 'B'} \x01B\nTypeError character mapping must return integer, None or str\nValueError character mapping must be in range(0x110000)\nTypeError if you give only one argument to maketrans it must be a dict\nValueError string keys in translate table must be of length 1\n",
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


@pytest.mark.parametrize("src", [
    "import numpy as np\nfrom collections import ChainMap\nChainMap({}, np.ones(3))\n",
    "import numpy as np\nfrom collections import ChainMap\nc = ChainMap({})\n"
    "c.maps.append(np.ones(3))\nc[(range(10**9),)]\n",
    "import torch\nfrom collections import ChainMap\nc = ChainMap({})\n"
    "c.maps.append(torch.ones(3))\n(0,) in c\n",
    "import numpy as np\nfrom collections import ChainMap\nc = ChainMap({})\n"
    "c.maps.append(np.ones(3))\nc.get((range(10**9),))\n",
    "import numpy as np\nfrom collections import ChainMap\nc = ChainMap({})\n"
    "c.maps.append(np.ones(3))\nc.pop((range(10**9),), 0)\n",
])
def test_chainmap_keys_reach_only_dicts(src):
    out, errs = [], []
    outcome = programs.run_python(src, "prog.py", Limits(), out.append, errs.append)
    assert outcome.failed and not outcome.internal
    assert "".join(errs).strip().splitlines()[-1] == (
        "TypeError: adcli's ChainMap holds only dicts and ChainMaps, not "
        + ("'ndarray'" if "np." in src else "'Tensor'"))


def test_translate_result_is_bounded_before_python_builds_it():
    src = 's = "a" * 10**6\nprint(len(s.translate({97: "b" * 10**3})))\n'
    out, errs = [], []
    outcome = programs.run_python(src, "prog.py", Limits(), out.append, errs.append)
    assert outcome.failed and not outcome.internal
    assert "".join(errs).strip().splitlines()[-1].startswith("LimitError: ")
