"""`adcli run`: --echo, an error shown once on a terminal, and --jobs keeping file order."""

import json
import os
import pty
import subprocess

from click.testing import CliRunner

from adcli.batch import ErrorsOnce, echo_text
from adcli.cli.main import cli

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def invoke(*args, input=None):
    return CliRunner().invoke(cli, ["run", *args], input=input, env={"NO_COLOR": "1"})


# --------------------------------------------------------------------------- --echo
def test_echo_shows_each_cell_before_its_output():
    src = "x = ones(2)\n# %%\n\ny = x * 2\ny\n\n# %% raises NameError\nnope\n"
    r = invoke("--echo", "-", input=src)
    assert r.exit_code == 0
    assert r.stdout == (
        "In [1]: x = ones(2)\n"
        "\n"
        "In [2]: y = x * 2\n"
        "   ...: y\n"
        "tensor([2., 2.])\n"
        "\n"
        "In [3]: nope\n"
        "NameError: name 'nope' is not defined\n")


def test_without_echo_nothing_changes():
    r = invoke("-", input="x = ones(2)\n# %%\nx\n")
    assert r.stdout == "tensor([1., 1.])\n"


def test_echo_text_prompts():
    assert echo_text(1, "a\n\n  b\n\n") == "In [1]: a\n   ...:\n   ...:   b\n"
    assert echo_text(12, "a\nb") == "\nIn [12]: a\n    ...: b\n"


def test_echo_a_notebook_shows_its_code_cells(tmp_path):
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# title"},
        {"cell_type": "code", "metadata": {}, "source": "x = 1\nx + 1", "outputs": [],
         "execution_count": None},
        {"cell_type": "code", "metadata": {}, "source": "print(x)", "outputs": [],
         "execution_count": None}]}
    path = tmp_path / "n.ipynb"
    path.write_text(json.dumps(nb))
    r = invoke("--echo", str(path))
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "In [1]: x = 1\n   ...: x + 1\n2\n\nIn [2]: print(x)\n1\n"


def test_echo_a_python_program_once(tmp_path):
    path = tmp_path / "p.py"
    path.write_text("a = 2\nprint(a * 3)\n")
    r = invoke("--echo", str(path))
    assert r.stdout == "In [1]: a = 2\n   ...: print(a * 3)\n6\n"


def test_echo_with_jobs_in_workers(tmp_path):
    paths = []
    for i in range(3):
        p = tmp_path / f"f{i}.adc"
        p.write_text(f"print({i})\n")
        paths.append(str(p))
    r = invoke("--echo", "--jobs", "2", *paths)
    assert r.stdout == "".join(f"In [1]: print({i})\n{i}\n" for i in range(3))


# --------------------------------------------------------------------------- errors once
def test_errors_once_drops_the_line_its_diagnostic_repeats():
    out, err = [], []
    once = ErrorsOnce(out.append, err.append)
    once.out("tensor(1.)\n")
    once.out("RuntimeError: boom\n")
    once.err("f.adc:3:1: RuntimeError: boom\n    x\n    ^\n")
    once.out("ValueError: printed by the program\n")
    once.out("more\n")
    once.out("KeyError: 'k'\n")
    once.release()
    assert out == ["tensor(1.)\n", "ValueError: printed by the program\n", "more\n",
                   "KeyError: 'k'\n"]
    assert err == ["f.adc:3:1: RuntimeError: boom\n    x\n    ^\n"]


def _on_a_terminal(args, cwd=ROOT):
    """Run the installed command with stdout and stderr on one pseudo-terminal."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdout=slave, stderr=slave, stdin=subprocess.DEVNULL,
                            cwd=cwd, env=dict(os.environ, NO_COLOR="1"))
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    proc.wait(timeout=120)
    return proc.returncode, b"".join(chunks).decode().replace("\r\n", "\n")


def test_an_error_is_shown_once_on_a_terminal(adcli_cmd, tmp_path):
    path = tmp_path / "e.adc"
    path.write_text("print(1)\n# %%\nundefined_name\n# %%\nprint(2)\n")
    code, shown = _on_a_terminal([adcli_cmd, "run", str(path)])
    assert code == 1
    # a long message may wrap at word boundaries on the terminal: compare the words
    words = " ".join(shown.split())
    assert words.count("NameError: name 'undefined_name' is not defined") == 1
    assert f"{path}:3:1: NameError" in shown
    assert shown.index("1\n") < shown.index("NameError") < shown.index("\n2\n")
    code, shown = _on_a_terminal([adcli_cmd, "run", "--jobs", "2", str(path), str(path)])
    words = " ".join(shown.split())
    assert words.count("NameError: name 'undefined_name' is not defined") == 2


def test_piped_output_keeps_the_error_line(adcli_cmd, tmp_path):
    path = tmp_path / "e.adc"
    path.write_text("undefined_name\n")
    done = subprocess.run([adcli_cmd, "run", str(path)], capture_output=True, text=True,
                          check=False)
    assert done.stdout == "NameError: name 'undefined_name' is not defined\n"
    assert "e.adc:1:1: NameError" in done.stderr


# --------------------------------------------------------------------------- --jobs order
def test_jobs_keep_outputs_and_error_blocks_in_file_order(adcli_cmd, tmp_path):
    paths = []
    for i in range(6):
        p = tmp_path / f"f{i}.adc"
        # the first files take longest, so that later ones finish first
        p.write_text(f"s = 0\nfor k in range({(6 - i) * 20000}):\n    s = s + 1\n"
                     f"print('out {i}')\n# %%\nmissing_{i}\n")
        paths.append(str(p))
    done = subprocess.run([adcli_cmd, "run", "--jobs", "4", *paths], capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.stdout.splitlines() == [
        line for i in range(6)
        for line in (f"out {i}", f"NameError: name 'missing_{i}' is not defined")]
    blocks = [line for line in done.stderr.splitlines()
              if line.startswith("==>") or ": NameError:" in line]
    assert blocks == [line for i in range(6) for line in (
        f"==> {paths[i]} <==", f"{paths[i]}:6:1: NameError: name 'missing_{i}' is not "
        "defined")]
    # one stream, as a terminal or `2>&1` shows it: each file whole, in order
    both = subprocess.run([adcli_cmd, "run", "--jobs", "4", *paths], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300, check=False)
    lines = both.stdout.splitlines()
    for i in range(6):
        head = lines.index(f"==> {paths[i]} <==")
        assert lines[head + 1] == f"out {i}"
        assert lines[head + 2] == f"NameError: name 'missing_{i}' is not defined"
        assert lines[head + 3].startswith(f"{paths[i]}:6:1: NameError")


def test_echo_counts_against_the_output_bound():
    src = "# %%\n" + "x = 1\n" * 200 + "# %%\nprint(2)\n"
    r = invoke("--echo", "--max-output-bytes", "500", "-", input=src)
    assert r.exit_code == 1
    assert "LimitError: the transcript is over 500 bytes" in r.stdout
    assert "2\n" not in r.stdout


def test_diagnostics_on_a_terminal_wrap_at_words_keeping_the_source_columns():
    from adcli.batch import wrap_at_words

    text = ("f.adc:3:3: RuntimeError: Trying to backward through the graph a second time "
            "(or directly access saved tensors after they have already been freed).\n"
            "    y.backward()\n      ^\n")
    out = wrap_at_words(text, 60).split("\n")
    assert all(len(line) <= 60 for line in out)
    assert out[0].startswith("f.adc:3:3: RuntimeError:")
    assert out[1].startswith("  ") and not out[1].startswith("    ")
    assert out[-3:] == ["    y.backward()", "      ^", ""]
    words = " ".join(line.strip() for line in out[:-3])
    assert words == text.split("\n")[0]  # no word cut or lost
    assert wrap_at_words("short\n", 60) == "short\n"
