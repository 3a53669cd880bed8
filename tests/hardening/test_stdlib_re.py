"""``re`` on untrusted patterns: exponential backtracking is stopped before it starts,
and no host object (the engine's own Match, a host callable) reaches the script."""

from __future__ import annotations

import time

import pytest

from adcli.errors import AdcliError, LimitError
from tests.lang.pyrun import run_adcli

CATASTROPHIC = [
    r're.match(r"(a+)+$", "a" * 40 + "b")',
    r're.search(r"(\w*\s?)*$", "word " * 20 + "!")',
    r're.fullmatch(r"(a|aa)+", "a" * 60 + "b")',
    r're.compile(r"(x+x+)+y").findall("x" * 50)',
    r're.sub(r"((a*)*)*b", "", "a" * 30)',
    r're.match(r"(a|a)*\1b", "a" * 40)',
]


@pytest.mark.parametrize("call", CATASTROPHIC)
def test_catastrophic_pattern_is_refused_quickly(call: str) -> None:
    start = time.monotonic()
    with pytest.raises(LimitError, match="backtrack exponentially"):
        run_adcli("import re\n" + call + "\n")
    assert time.monotonic() - start < 5


def test_risky_pattern_still_runs_on_short_subjects() -> None:
    assert run_adcli('import re\nprint(re.match(r"(a+)+$", "aaa"))\n') == \
        "<re.Match object; span=(0, 3), match='aaa'>\n"


def test_limit_error_is_not_catchable() -> None:
    text = ("import re\ntry:\n    re.match(r'(a+)+$', 'a' * 99)\n"
            "except Exception:\n    print('caught')\n")
    with pytest.raises(LimitError):
        run_adcli(text)


@pytest.mark.parametrize("expr", [
    "re.match('a', 'a')._m", "re.compile('a')._re", "re.compile('a').__class__.__init__",
    "re.match('a', 'a').__dict__", "re.error.__init__",
])
def test_internals_are_unreachable(expr: str) -> None:
    with pytest.raises(AdcliError):
        run_adcli(f"import re\nprint({expr})\n")


def test_callable_replacement_gets_the_wrapper() -> None:
    out = run_adcli("import re\nprint(re.sub('a', lambda m: type(m).__name__, 'a'))\n")
    assert out == "Match\n"


def test_huge_replacement_is_bounded() -> None:
    with pytest.raises(LimitError):
        run_adcli("import re\nre.sub('', 'x' * 100000, 'y' * 100000)\n")
