"""`adcli run --to md|html|ipynb OUT`: the executed material with its outputs."""

import json
import os
import re

import nbformat
from click.testing import CliRunner

from adcli.cli.main import cli

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = "x = ones(2)\n# %%\ny = x * 2\ny\n# %% raises NameError\nnope\n# %%\nprint('<b>')\n"


def invoke(*args, input=None):
    return CliRunner().invoke(cli, ["run", *args], input=input, env={"NO_COLOR": "1"})


def _script(tmp_path):
    path = tmp_path / "s.adc"
    path.write_text(SRC)
    return str(path)


def test_ipynb_is_a_valid_notebook_with_the_outputs(tmp_path):
    out = tmp_path / "s.ipynb"
    plain = invoke(_script(tmp_path))
    r = invoke("--to", "ipynb", str(out), _script(tmp_path))
    assert r.exit_code == 0, r.stderr
    assert r.stdout == plain.stdout  # the transcript is unchanged
    nb = nbformat.read(str(out), as_version=4)
    nbformat.validate(nb)
    assert [c.source for c in nb.cells] == ["x = ones(2)", "y = x * 2\ny", "nope",
                                            "print('<b>')"]
    assert [c.execution_count for c in nb.cells] == [1, 2, 3, 4]
    assert nb.cells[0].outputs == []
    assert nb.cells[1].outputs[0]["text"] == "tensor([2., 2.])\n"
    streams = {o["name"]: o["text"] for o in nb.cells[2].outputs}
    assert streams["stdout"] == "NameError: name 'nope' is not defined\n"
    assert "s.adc:6:1: NameError" in streams["stderr"]


def test_markdown_has_fenced_blocks(tmp_path):
    out = tmp_path / "s.md"
    r = invoke("--to", "md", str(out), _script(tmp_path))
    assert r.exit_code == 0
    text = out.read_text()
    assert "```python\ny = x * 2\ny\n```\n" in text
    assert "```text\ntensor([2., 2.])\n```\n" in text
    assert "```text stderr\n" in text
    assert text.count("```python") == 4


def test_html_is_self_contained_and_escaped(tmp_path):
    out = tmp_path / "s.html"
    r = invoke("--to", "html", str(out), _script(tmp_path))
    assert r.exit_code == 0
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "&lt;b&gt;" in page and "<b>" not in page
    assert not re.search(r"(src|href)=|<script|@import|url\(", page)
    assert "In [4]:" in page and "tensor([2., 2.])" in page


def test_several_files_go_into_a_directory_with_jobs(tmp_path):
    a = _script(tmp_path)
    nb = tmp_path / "n.ipynb"
    nb.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "source": "1 + 1", "outputs": [],
         "execution_count": None}]}))
    py = tmp_path / "p.py"
    py.write_text("print(3)\n")
    r = invoke("--jobs", "2", "--to", "ipynb", str(tmp_path / "out"), a, str(nb), str(py))
    assert r.exit_code == 0, r.stderr
    assert sorted(os.listdir(tmp_path / "out")) == ["n.ipynb", "p.ipynb", "s.ipynb"]
    got = nbformat.read(str(tmp_path / "out" / "n.ipynb"), as_version=4)
    assert got.cells[0].outputs[0]["text"] == "2\n"
    got = nbformat.read(str(tmp_path / "out" / "p.ipynb"), as_version=4)
    assert [c.source for c in got.cells] == ["print(3)"]


def test_an_export_that_cannot_be_written(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    r = invoke("--to", "md", str(blocker / "x.md"), _script(tmp_path))
    assert r.exit_code == 2
    assert "cannot write" in r.stderr


def test_to_refuses_trace_grad_and_a_bad_format(tmp_path):
    r = invoke("--to", "md", "x.md", "--trace-grad", _script(tmp_path))
    assert r.exit_code == 2 and "--to goes without --trace-grad" in r.output
    r = invoke("--to", "pdf", "x.pdf", _script(tmp_path))
    assert r.exit_code == 2
