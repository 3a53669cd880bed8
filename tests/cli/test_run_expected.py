"""`adcli run`: cells marked '# %% raises KIND' expect their error."""

import glob
import os
import subprocess

import pytest
from click.testing import CliRunner

from adcli.cli.main import cli
from adcli.lang.interpreter import CellReport, Session

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def invoke(*args, input=None):
    return CliRunner().invoke(cli, ["run", *args], input=input, env={"NO_COLOR": "1"})


def test_marker_parsing():
    assert CellReport.marker("# %% raises RuntimeError") == (True, "RuntimeError")
    assert CellReport.marker("# %% raises RuntimeError: backward twice") == (
        True, "RuntimeError")
    assert CellReport.marker("# %% raises") == (True, None)
    assert CellReport.marker("# %%") == (False, None)
    assert CellReport.marker("# %% the raises part") == (False, None)
    assert CellReport.marker("x = 1") == (False, None)


def test_an_expected_error_passes_and_the_transcript_is_unchanged(tmp_path):
    plain = "x = ones(2, requires_grad=True)\n# %%\n(x * 2).backward()\n# %%\nprint(1)\n"
    marked = plain.replace("# %%\n(x", "# %% raises RuntimeError\n(x")
    (tmp_path / "plain.adc").write_text(plain)
    (tmp_path / "marked.adc").write_text(marked)
    a = invoke(str(tmp_path / "plain.adc"))
    b = invoke(str(tmp_path / "marked.adc"))
    assert a.exit_code == 1 and b.exit_code == 0
    assert a.stdout == b.stdout
    assert b.stdout.startswith("RuntimeError: grad can be implicitly created")
    assert "marked.adc:3:" in b.stderr  # the diagnostic is still shown


def test_a_marked_cell_that_runs_cleanly_fails():
    r = invoke("-", input="# %% raises RuntimeError\nprint(1)\n")
    assert r.exit_code == 1
    assert r.stdout == "1\n"
    assert "<stdin>:1: expected RuntimeError, the cell ran without error" in r.stderr


def test_a_marked_cell_that_raises_another_kind_fails():
    r = invoke("-", input="x = 1\n# %% raises RuntimeError\nlen(3)\n")
    assert r.exit_code == 1
    assert r.stdout.startswith("TypeError: ")
    assert "<stdin>:2: expected RuntimeError, got TypeError" in r.stderr


def test_python_bases_and_any_error():
    r = invoke("-", input="# %% raises LookupError\n[1][3]\n# %% raises\n1/0\n"
                          "# %% raises Exception\nundefined\n")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ["IndexError: list index out of range",
                                     "ZeroDivisionError: division by zero",
                                     "NameError: name 'undefined' is not defined"]


def test_an_unmarked_error_still_fails_next_to_expected_ones():
    r = invoke("-", input="# %% raises NameError\nnope\n# %%\nnope2\n")
    assert r.exit_code == 1


def test_the_report_counts():
    s = Session(out=lambda t: None)
    report = s.run_cells("# %% raises NameError\na\n# %% raises TypeError\nb\n# %%\nc\n"
                         "# %% raises\n1\n", "f.adc", err=lambda t: None)
    assert (report.cells, report.expected, report.unmet, report.failed) == (4, 1, 2, 3)
    assert report.unmet_messages == ["f.adc:3: expected TypeError, got NameError",
                                     "f.adc:7: expected an error, the cell ran without error"]
    assert len(report.errors) == 3


@pytest.mark.parametrize("jobs", ["1", "3"])
def test_a_batch_summary_says_ran_as_expected(tmp_path, jobs):
    good = tmp_path / "a.adc"
    good.write_text("print(1)\n")
    expected = tmp_path / "b.adc"
    expected.write_text("# %% raises NameError\nnope\n")
    unmet = tmp_path / "c.adc"
    unmet.write_text("# %% raises NameError\nprint(2)\n")
    r = invoke("--jobs", jobs, str(good), str(expected))
    assert r.exit_code == 0
    assert "2 files: 2 ran as expected (1 with only the errors their cells expect), " \
           "0 did not" in r.stderr
    r = invoke("--jobs", jobs, str(good), str(expected), str(unmet))
    assert r.exit_code == 1
    assert "3 files: 2 ran as expected" in r.stderr
    assert "c.adc: a cell marked 'raises' did not raise the error it expects" in r.stderr


def test_the_sample_folders_run_as_expected(adcli_cmd):
    for folder in ("seeds", "conformance", "features"):
        files = sorted(glob.glob(os.path.join(ROOT, "samples", folder, "*.adc")))
        proc = subprocess.run([adcli_cmd, "run", "--jobs", "4", *files], capture_output=True,
                              text=True, timeout=600, check=False)
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert f"{len(files)} files: {len(files)} ran as expected" in proc.stderr


def test_the_reference_runners_read_the_marker_as_a_header():
    # tools/gen_transcripts.py splits on '# %%' as the shared torch_reference.py does
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "gen_transcripts", os.path.join(ROOT, "tools", "gen_transcripts.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cells = module.split_cells("# %% raises RuntimeError\nx\n# %%\ny\n")
    assert cells == [(2, "x\n"), (4, "y\n")]


def _notebook(tmp_path, cells):
    import json

    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                "cells": [{"cell_type": "code", "source": src,
                                           "metadata": {"tags": tags}, "outputs": [],
                                           "execution_count": None}
                                          for src, tags in cells]}))
    return str(path)


def test_a_notebook_cell_tagged_raises_exception(tmp_path):
    path = _notebook(tmp_path, [("1/0", ["raises-exception"]), ("print(1)", [])])
    r = invoke(path)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "ZeroDivisionError: division by zero\n1\n"
    path = _notebook(tmp_path, [("print(2)", ["raises-exception"])])
    r = invoke(path)
    assert r.exit_code == 1
    assert "<n.ipynb cell 1>: expected an error (tagged raises-exception), the cell ran " \
           "without error" in r.stderr
    path = _notebook(tmp_path, [("1/0", [])])
    assert invoke(path).exit_code == 1
