"""``pathlib`` on untrusted scripts: no host file is seen, read or written, the path's
internals and its host ``__fspath__`` stay out of reach, and a glob is bounded."""

from __future__ import annotations

import os

import pytest

from adcli.engine import serialization

from .harness import assert_no_leak, run_script


def _run(text: str, **bounds):
    serialization.reset()
    return run_script(text, **bounds)


def test_host_files_are_invisible(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secret.txt").write_text("x")
    home = os.path.expanduser("~")
    o = _run("from pathlib import Path\n"
             "print(Path('secret.txt').exists(), list(Path('.').iterdir()),"
             " list(Path('/').glob('*')), Path('/etc/passwd').is_file(),"
             f" Path({home!r}).exists(), list(Path('/').rglob('*.txt')))\n")
    assert_no_leak(o)
    assert o.out == "False [] [PosixPath('/sandbox')] False False []\n"


def test_nothing_is_written_to_the_host(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    o = _run("from pathlib import Path\nimport torch\n"
             "Path('made/deep').mkdir(parents=True)\n"
             "torch.save([1], Path('made/deep') / 'w.pt')\n"
             "print(sorted(Path('made').rglob('*')))\n"
             "_ = Path('made/deep/w.pt').rename('made/v.pt')\n"
             "print(torch.load(Path('made/v.pt')))\n")
    assert_no_leak(o)
    assert o.out == ("[PosixPath('made/deep'), PosixPath('made/deep/w.pt')]\n[1]\n")
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.parametrize("expr", ["p._root", "p._parts", "p.__fspath__", "p._make",
                                  "p.parents._path", "p._glob"])
def test_internals_are_out_of_reach(expr):
    o = _run(f"from pathlib import Path\np = Path('a/b')\nprint({expr})\n")
    assert o.errors and "a/b" not in o.out
    assert_no_leak(o)


def test_a_long_path_and_a_big_tree_are_bounded():
    o = _run("from pathlib import Path\np = Path('a')\nfor i in range(100000):\n"
             "    p = p / 'b'\n")
    assert o.error.kind == "LimitError" and o.elapsed < 5
    assert_no_leak(o)
