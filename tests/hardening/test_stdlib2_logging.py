"""``logging`` and ``traceback`` on untrusted scripts: nothing is written to a host file
or stream other than the program's own output, format widths and logger counts are
bounded, and the handlers' insides stay out of reach."""

from __future__ import annotations

import pytest

from .harness import assert_no_leak, run_script


def test_no_file_is_written(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    for text in ["import logging\nlogging.basicConfig(filename='run.log')\n",
                 "import logging\nlogging.FileHandler('run.log')\n"]:
        o = run_script(text)
        assert o.errors and "file" in str(o.error)
        assert_no_leak(o)
    o = run_script("import logging\nimport traceback\nlogging.warning('w')\n"
                   "try:\n    1/0\nexcept ZeroDivisionError:\n    traceback.print_exc()\n")
    assert_no_leak(o)
    shown = o.err + capsys.readouterr().err  # the session's stderr (here the process's)
    assert "w\n" in shown and "ZeroDivisionError: division by zero" in shown
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.parametrize("text", [
    "import logging\nlogging.basicConfig(format='%(message)999999999s')\nlogging.warning('x')\n",
    "import logging\nlogging.warning('%999999999d', 1)\n",
    "import logging\nfor i in range(10**6):\n    logging.getLogger(str(i))\n",
])
def test_sizes_are_bounded(text):
    o = run_script(text, max_elements=100_000)
    assert o.errors and o.error.kind == "LimitError", o.err
    assert o.elapsed < 10
    assert_no_leak(o)


@pytest.mark.parametrize("expr", ["h._write", "h.stream.write.__self__", "log._manager",
                                  "log.handlers[0]._write", "logging.Formatter('%(x)s')._fmt"])
def test_internals_are_out_of_reach(expr):
    o = run_script("import logging, sys\nh = logging.StreamHandler(sys.stdout)\n"
                   "log = logging.getLogger('a')\nlog.addHandler(h)\n"
                   f"print({expr})\n")
    assert o.errors
    assert_no_leak(o)


def test_a_foreign_stream_is_refused():
    o = run_script("import logging\nclass S:\n    def write(self, t):\n        print(t)\n"
                   "logging.StreamHandler(S())\n")
    assert o.errors and "sys.stdout" in str(o.error)
    assert_no_leak(o)
