# ruff: noqa: E501  (the programs are kept as written)
"""``import re``: Python's own engine behind adcli's Pattern/Match wrappers. Each program
prints what CPython 3.11 prints for it (run both ways)."""

from __future__ import annotations

import pytest

from tests.lang.pyrun import run_adcli, run_python

PROGRAMS = {
    "module_functions": r'''
import re
s = "Hello, World! It's 2024."
print(re.findall(r"\d+", "a1b22"), re.findall(r"(\w)(\d)", "a1b2"))
print(re.sub(r"([.!?])", r" \1", s))
print(re.sub(r"[^a-zA-Z.!?]+", r" ", s))
print(re.subn("o", "0", s), re.escape("a.b*c"))
print(re.sub(r"\d", lambda m: str(int(m.group()) * 2), "a1b2"), re.sub("a", "b", "aaa", count=2))
print(re.split(r",", "a,b,c", 1), re.split(",", "a,b,c", maxsplit=1), re.split(r"(\s)", "a b"))
print([m.group() for m in re.finditer(r"o", s)], [m.span() for m in re.finditer("l+", s)])
print(re.fullmatch(r"\d+", "123"), re.fullmatch(r"\d+", "12a"), re.search("W", s).span())
print(re.search(r"^b", "a\nb", re.M), re.search(r"a.b", "a\nb", flags=re.S), re.match("HELLO", s, re.I))
''',
    "match_objects": r'''
import re
s = "Hello, World"
m = re.match(r"(\w+), (?P<w>\w+)(x)?", s)
print(m, m.group(0), m.group(1, 2), m.groups(), m.groups("-"), m.span(), m.start(2), m.end())
print(m.groupdict(), m["w"], m.group("w"), m.lastindex, m.string, m.re, bool(m))
try:
    m.group(5)
except IndexError as e:
    print("IndexError", e)
''',
    "patterns_and_flags": r'''
import re
p = re.compile(r"\s+", re.IGNORECASE | re.MULTILINE)
print(p, p.pattern, p.flags, re.I, re.I | re.M, repr(re.DOTALL), p.groups)
print(p.split("a b  c"), p.sub("_", "a b  c"), p.findall("a b"), p.search("ab c").start())
q = re.compile(r"(?P<k>\w+)=(?P<v>\d+)")
print(q.groupindex, q.match("x=1").groupdict(), [m.group("k") for m in q.finditer("a=1 b=2")])
print(re.compile("a") == re.compile("a"), type(p), type(q.match("x=1")))
''',
    "errors_caught": r'''
import re
try:
    re.compile("(")
except re.error as e:
    print("error", e)
try:
    re.compile("*")
except ValueError:
    print("not a ValueError")
except Exception as e:
    print(type(e).__name__, e)
try:
    re.findall(r"\d", 5)
except TypeError as e:
    print(e)
''',
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_as_cpython(name: str) -> None:
    text = PROGRAMS[name]
    assert run_adcli(text) == run_python(text)
