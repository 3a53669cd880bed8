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
])
def test_chainmap_keys_reach_only_dicts(src):
    out, errs = [], []
    outcome = programs.run_python(src, "prog.py", Limits(), out.append, errs.append)
    assert outcome.failed and not outcome.internal
    assert "".join(errs).strip().splitlines()[-1] == (
        "TypeError: adcli's ChainMap holds only dicts and ChainMaps, not "
        + ("'ndarray'" if "np." in src else "'Tensor'"))
