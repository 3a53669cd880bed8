"""`adcli run`: transcripts of the samples against PyTorch's, cells, errors, batches."""

import glob
import os
import subprocess

import pytest
from click.testing import CliRunner

from adcli.cli.main import cli
from adcli.transcript import compare

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = sorted(glob.glob(os.path.join(ROOT, "samples", "**", "*.adc"), recursive=True))
SAMPLES = [s for s in SAMPLES if os.path.exists(s[:-4] + ".out")]
SEEDS = [s for s in SAMPLES if os.sep + "seeds" + os.sep in s]


def invoke(*args, input=None):
    return CliRunner().invoke(cli, ["run", *args], input=input, env={"NO_COLOR": "1"})


def expected(path):
    with open(path[:-4] + ".out", encoding="utf-8") as fh:
        return fh.read()


def test_there_are_seeds_and_samples():
    assert len(SEEDS) == 5
    assert len(SAMPLES) >= 50


@pytest.mark.parametrize("path", SEEDS, ids=os.path.basename)
def test_seed_transcripts_match_pytorch(path):
    r = invoke(path)
    matched, total, diffs = compare(expected(path), r.stdout)
    assert matched == total, "\n".join(diffs)
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: os.path.relpath(p, ROOT))
def test_every_sample_through_the_installed_command(path, adcli_cmd):
    proc = subprocess.run([adcli_cmd, "run", path], capture_output=True, text=True,
                          timeout=120, check=False)
    matched, total, diffs = compare(expected(path), proc.stdout)
    assert matched == total, "\n".join(diffs[:20])
    assert proc.returncode in (0, 1)
    assert "Traceback" not in proc.stderr


def test_an_error_ends_its_cell_and_the_next_cell_runs():
    src = "# %%\nx = ones(2)\n# %%\ny = x +\nprint('no')\n# %%\nprint(x.sum())\n"
    r = invoke("-", input=src)
    assert r.exit_code == 1
    assert r.stdout == "SyntaxError: invalid syntax: unexpected end of line\ntensor(2.)\n" or (
        r.stdout.splitlines()[0].startswith("SyntaxError: ")
        and r.stdout.splitlines()[1] == "tensor(2.)")
    assert "<stdin>:4:8: SyntaxError" in r.stderr
    assert "    y = x +\n" in r.stderr and "^" in r.stderr


def test_runtime_error_points_into_the_expression():
    src = "x = ones(2, 2, requires_grad=True)\ny = 1 + (x + 2) * 3\ny.backward()\n"
    r = invoke("-", input=src)
    assert r.stdout.startswith("RuntimeError: ")
    assert "<stdin>:3:3: RuntimeError" in r.stderr


def test_status_two_for_an_unreadable_file(tmp_path):
    good = tmp_path / "good.adc"
    good.write_text("print(1 + 1)\n")
    r = invoke(str(tmp_path / "missing.adc"), str(good))
    assert r.exit_code == 2
    assert r.stdout == "2\n"  # the other file still ran
    assert "could not be read" in r.stderr


def test_many_files_with_jobs_keep_order_and_summarise(tmp_path):
    paths = []
    for i in range(4):
        p = tmp_path / f"f{i}.adc"
        p.write_text(f"print({i})\n" if i != 2 else "print(undefined)\n")
        paths.append(str(p))
    r = invoke("--jobs", "2", *paths)
    assert r.stdout == "0\n1\nNameError: name 'undefined' is not defined\n3\n" or \
        r.stdout.splitlines()[:2] == ["0", "1"] and r.stdout.splitlines()[3] == "3"
    assert r.exit_code == 1
    assert "4 files: 3 ran cleanly" in r.stderr
    assert "f2.adc: raised an error" in r.stderr


def test_a_hanging_file_costs_only_itself(tmp_path):
    hang = tmp_path / "hang.adc"
    hang.write_text("x = ones(2)\nwhile True:\n    x = x + 0\n")
    ok = tmp_path / "ok.adc"
    ok.write_text("print('fine')\n")
    r = invoke("--jobs", "2", "--timeout", "1", str(hang), str(ok))
    assert "fine" in r.stdout
    assert "LimitError" in r.stdout
    assert r.exit_code == 1


def test_invalid_utf8_reports_the_byte_offset(tmp_path):
    bad = tmp_path / "bad.adc"
    bad.write_bytes(b"x = 1\ny = '\xff'\n")
    r = invoke(str(bad))
    assert r.exit_code == 1
    assert "byte offset 11" in r.stdout
    assert ":2:6:" in r.stderr


def test_help_shows_a_working_example():
    r = CliRunner().invoke(cli, ["run", "--help"])
    assert "adcli run samples/seeds/seed_000_variable_tutorial.adc" in r.output
