"""`adcli test`: sample files compared with their `.out` transcripts."""

import glob
import os
import shlex
import subprocess
import sys

from click.testing import CliRunner

from adcli.cli import test_cmd
from adcli.cli.test_cmd import EPILOG
from adcli.transcript import unified_diff

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def invoke(*args):
    return CliRunner().invoke(test_cmd.test_command, list(args), env={"NO_COLOR": "1"})


def test_the_seeds_match_their_transcripts():
    seeds = sorted(glob.glob(os.path.join(ROOT, "samples", "seeds", "*.adc")))
    r = invoke(*seeds)
    assert r.exit_code == 0, r.output
    assert r.output.count("PASS ") == 5
    assert "adcli test: 5 files: 5 matched their transcripts" in r.output


def test_a_directory_and_programs(tmp_path):
    r = invoke("-q", os.path.join(ROOT, "samples", "features"),
               os.path.join(ROOT, "samples", "python", "torch", "t09_no_grad_and_detach.py"))
    assert r.exit_code == 0, r.output
    assert "PASS" not in r.output
    assert "8 files: 8 matched" in r.output


def test_a_difference_gets_a_unified_diff_and_status_one(tmp_path):
    (tmp_path / "a.adc").write_text("print(ones(2) * 3)\nprint(1.00001)\nprint(2)\n")
    (tmp_path / "a.out").write_text("tensor([3., 4.])\n1.0\n2\n")
    r = invoke(str(tmp_path / "a.adc"))
    assert r.exit_code == 1
    assert "FAIL " in r.output and "(2/3 lines match)" in r.output
    assert f"--- {tmp_path / 'a.out'}" in r.output
    assert "-tensor([3., 4.])\n+tensor([3., 3.])\n 1.00001\n 2\n" in r.output
    assert "1 file: 0 matched their transcripts, 1 differs" in r.output


def test_strict_counts_the_last_digit(tmp_path):
    (tmp_path / "a.adc").write_text("print(1.00001)\n")
    (tmp_path / "a.out").write_text("1.0\n")
    assert invoke(str(tmp_path / "a.adc")).exit_code == 0
    r = invoke("--strict", str(tmp_path / "a.adc"))
    assert r.exit_code == 1
    assert "-1.0\n+1.00001\n" in r.output
    assert "(strict)" in r.output


def test_a_file_without_transcript_is_a_usage_error(tmp_path):
    (tmp_path / "b.adc").write_text("print(1)\n")
    r = invoke(str(tmp_path / "b.adc"), str(tmp_path / "missing.adc"), "-")
    assert r.exit_code == 2
    assert f"b.adc: no transcript {tmp_path / 'b.out'} beside it" in r.stderr
    assert "missing.adc: no such file" in r.stderr
    assert "(stdin) has no transcript" in r.stderr
    assert r.stdout == ""  # nothing ran


def test_not_a_script(tmp_path):
    (tmp_path / "c.txt").write_text("1\n")
    r = invoke(str(tmp_path / "c.txt"))
    assert r.exit_code == 2 and "not a .adc, .py or .ipynb file" in r.stderr
    r = invoke(str(tmp_path))
    assert r.exit_code == 2 and "no .adc, .py or .ipynb files found" in r.stderr


def test_unified_diff_hunks():
    e = "".join(f"{c}\n" for c in "abcdefghijkl") + "RuntimeError: theirs\n"
    a = "a\nb\nC\n" + "".join(f"{c}\n" for c in "defghijkl") + "m\nRuntimeError: mine\n"
    assert unified_diff(e, a, "E", "A", context=2) == [
        "--- E", "+++ A", "@@ -1,5 +1,5 @@", " a", " b", "-c", "+C", " d", " e",
        "@@ -11,3 +11,4 @@", " k", " l", "+m", " RuntimeError"]
    assert unified_diff(e, e) == []


def test_help_examples_run_as_pasted(tmp_path):
    os.symlink(os.path.join(ROOT, "samples"), tmp_path / "samples")
    examples = [line.strip() for line in EPILOG.splitlines()
                if line.strip().startswith("adcli test ")]
    assert len(examples) >= 3
    for line in examples:
        words = shlex.split(line)[2:]
        if any("*" in w for w in words):  # a shell glob: expand it as the shell does
            words = [x for w in words
                     for x in (sorted(glob.glob(w, root_dir=tmp_path)) if "*" in w else [w])]
        done = subprocess.run(
            [sys.executable, "-c", "from adcli.cli.test_cmd import test_command; "
             "test_command(prog_name='adcli test')", *words],
            cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, (line, done.stdout[-2000:], done.stderr)
        assert "matched their transcripts" in done.stdout
