"""``argparse`` on untrusted scripts: the host's argv, files and streams stay out of
reach, help texts are bounded, and the parser's insides are not exposed."""

from __future__ import annotations

import pytest

from .harness import assert_no_leak, run_script


def test_host_argv_is_not_read(monkeypatch):
    import sys

    monkeypatch.setattr(sys, "argv", ["host-prog", "--secret", "hunter2"])
    o = run_script("import argparse\np = argparse.ArgumentParser()\n"
                   "p.add_argument('--secret', default='none')\nprint(p.parse_args())\n"
                   "print(p.prog)\n")
    assert_no_leak(o)
    assert "hunter2" not in o.out and "host-prog" not in o.out


@pytest.mark.parametrize("text", [
    "p.add_argument('--x', help='%(default)999999999s')\np.print_help()\n",
    "argparse.ArgumentParser(description='x' * 10**6)\n",
    "p.add_argument('--x', type=argparse.FileType('w'))\n",
    "argparse.ArgumentParser(fromfile_prefix_chars='@').parse_args(['@/etc/passwd'])\n",
    "p.add_argument('--x', action=print)\n",
    "p.add_argument('--__init__')\n",
    "p.set_defaults(__class__=1)\n",
    "p._actions\n",
    "p.parse_args([]).__dict__\n",
])
def test_refused(text):
    o = run_script("import argparse\np = argparse.ArgumentParser()\n" + text)
    assert o.errors and o.elapsed < 10
    assert_no_leak(o)
