"""The trusted and untrusted modes as each command's --help explains them, and the
examples of the help working as pasted."""

import os
import shlex
import subprocess

import pytest
from click.testing import CliRunner

from adcli.cli.main import cli

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def help_text(command):
    r = CliRunner().invoke(cli, [command, "--help"], terminal_width=100)
    assert r.exit_code == 0
    return r.output


SEE = ["graph", "explain", "gradcheck", "plot"]


@pytest.mark.parametrize("command", ["run", "eval", "verify", *SEE])
def test_help_explains_the_modes(command):
    text = help_text(command)
    assert "--untrusted" in text and "ADCLI_UNTRUSTED" in text
    assert "Modes:" in text and "trusted (the default)" in text
    assert "--timeout" in text and "ADCLI_TIMEOUT" in text
    assert f"adcli {command} --untrusted --timeout" in text
    if command == "run":
        assert "--max-output-bytes" in text and "ADCLI_MAX_OUTPUT_BYTES" in text


@pytest.mark.parametrize("command", ["run", "eval", "verify", *SEE])
def test_the_untrusted_example_works_as_pasted(command, adcli_cmd):
    line = next(line.strip() for line in help_text(command).splitlines()
                if line.strip().startswith(f"adcli {command} --untrusted"))
    proc = subprocess.run([adcli_cmd, *shlex.split(line)[1:]], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr


def test_check_keeps_its_own_timeout_help():
    text = help_text("check")
    assert "Wall-clock seconds per file in batch mode." in text
    assert "--untrusted" not in text


def test_run_a_single_file_untrusted_prints_the_same_transcript(tmp_path):
    src = tmp_path / "t.adc"
    src.write_text("x = ones(2, requires_grad=True)\ny = (x * x).sum()\ny.backward()\n"
                   "print(x.grad)\n# %%\nprint(missing)\n# %%\nprint('after')\n")
    runs = [CliRunner().invoke(cli, ["run", *extra, str(src)], env={"NO_COLOR": "1"})
            for extra in ([], ["--untrusted"], ["--timeout", "30"])]
    assert {r.exit_code for r in runs} == {1}
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert runs[0].stdout.endswith("after\n")
    assert runs[0].stderr == runs[1].stderr == runs[2].stderr
