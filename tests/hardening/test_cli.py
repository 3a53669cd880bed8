"""Hostile input through the command line: `adcli eval`, `adcli run`, batches, workers.

Each test runs in an empty working directory (see conftest) that must stay empty: the
scripts below all try to write a file named `pwned` there.
"""

import json
import os
import subprocess
import time

import numpy as np
import pytest
from click.testing import CliRunner

from adcli.cli.main import cli

ENV = {"NO_COLOR": "1"}


def invoke(*args, input=None, env=None):
    return CliRunner().invoke(cli, list(args), input=input, env={**ENV, **(env or {})})


def assert_clean_failure(r, status=1):
    assert r.exit_code == status, r.output
    assert "Traceback" not in r.output and "internal error" not in r.output
    assert not isinstance(r.exception, Exception) or isinstance(r.exception, SystemExit)


def test_eval_refuses_dunder_import_at_parse_time():
    r = invoke("eval", "__import__('os').system('touch pwned')")
    assert_clean_failure(r)
    assert "<expr>:1:1: SyntaxError" in r.stderr and "^" in r.stderr


def test_eval_json_reports_the_error_kind_and_position():
    r = invoke("eval", "ones(2).numpy().tofile('pwned')", "--json")
    assert_clean_failure(r)
    data = json.loads(r.stdout)
    assert data["error"]["type"] == "AttributeError" and data["error"]["pos"] == [1, 17]


def test_eval_binding_cannot_open_files():
    r = invoke("eval", "x", "-b", "x=open('pwned', 'w')")
    assert_clean_failure(r)
    assert "-b x:1:1: NameError" in r.stderr


def test_eval_refuses_a_huge_tensor_at_once():
    start = time.perf_counter()
    r = invoke("eval", "sum(ones(100000, 1) * ones(1, 100000))")
    assert_clean_failure(r)
    assert "<expr>:1:21: LimitError" in r.stderr
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_element_bound_is_configurable(how):
    if how == "option":
        r = invoke("eval", "sum(ones(11))", "--max-elements", "10")
    else:
        r = invoke("eval", "sum(ones(11))", env={"ADCLI_MAX_ELEMENTS": "10"})
    assert_clean_failure(r)
    assert "LimitError" in r.stderr and "over the limit of 10 " in r.stderr


def test_a_pickled_npy_binding_is_never_unpickled(tmp_path):
    path = tmp_path / "evil.npy"
    np.save(path, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    r = invoke("eval", "x", "-b", f"x=@{path}")
    assert_clean_failure(r, status=2)
    assert "cannot read it" in r.stderr or "not numbers" in r.stderr


def test_run_refuses_a_ten_megabyte_file_as_a_limit(tmp_path):
    path = tmp_path / "big.adc"
    path.write_text("x = " + "1" * (10 << 20) + "\n")
    start = time.perf_counter()
    r = invoke("run", str(path))
    assert_clean_failure(r)
    assert r.stdout.startswith("LimitError: the file is larger than 1,000,000 bytes")
    assert f"{path}:1:1: LimitError" in r.stderr
    assert time.perf_counter() - start < 5


def test_run_from_stdin_refuses_an_oversized_input():
    r = invoke("run", "-", "--max-input-bytes", "100", input="x = 1\n" * 50)
    assert_clean_failure(r)
    assert r.stdout.startswith("LimitError: ")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_wall_time_per_file_in_batch_mode(tmp_path, jobs):
    spin = tmp_path / "spin.adc"
    spin.write_text("x = 0\nwhile True:\n    x = x + 1\n")
    # one statement that runs for many seconds inside numpy: only a worker kill stops it
    slow = tmp_path / "slow.adc"
    slow.write_text("x = ones(3000, 3000)\ny = x" + " @ x" * 60 + "\nprint('done')\n")
    ok = tmp_path / "ok.adc"
    ok.write_text("print('fine')\n")
    start = time.perf_counter()
    r = invoke("run", "--timeout", "1", "--jobs", jobs, str(spin), str(slow), str(ok))
    elapsed = time.perf_counter() - start
    assert_clean_failure(r)
    assert r.stdout.count("LimitError: ") == 2 and r.stdout.endswith("fine\n")
    assert "done" not in r.stdout
    assert f"{spin}:3:" in r.stderr and f"{slow}:2:" in r.stderr  # each names its line
    assert "spin.adc: timed out" in r.stderr and "slow.adc: timed out" in r.stderr
    assert elapsed < 12, elapsed  # 1 s per file, and a grace for the kill


def test_installed_command_leaves_no_trace(adcli_cmd, tmp_path):
    script = tmp_path / "evil.adc"
    script.write_text(
        "# %%\n__import__('os').system('touch pwned')\n"
        "# %%\nones(2).numpy().tofile('pwned')\n"
        "# %%\nimport subprocess\n"
        "# %%\nopen('pwned', 'w')\n"
        "# %%\nprint('still here')\n"
    )
    proc = subprocess.run([adcli_cmd, "run", str(script)], capture_output=True, text=True,
                          timeout=60, cwd=os.getcwd(), check=False)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "SyntaxError: `__import__`: names starting with '__' are not part of the language",
        "AttributeError: 'ndarray' object has no attribute 'tofile'",
        proc.stdout.splitlines()[2], "NameError: name 'open' is not defined", "still here",
    ]
    assert proc.stdout.splitlines()[2].startswith("ImportError: ")
    assert "Traceback" not in proc.stderr


def test_installed_command_survives_undecodable_arguments(adcli_cmd):
    proc = subprocess.run([adcli_cmd, "eval", b"x\xff"], capture_output=True, timeout=60,
                          check=False, env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert proc.returncode == 1
    assert b"<expr>:1:2: SyntaxError" in proc.stderr and b"\\udcff" in proc.stderr
    assert b"Traceback" not in proc.stderr


def test_warnings_turned_into_errors_do_not_break_numerics(adcli_cmd):
    # nan from log of a negative number is a value, as in torch, even under -W error
    proc = subprocess.run([adcli_cmd, "eval", "sum(log(x - 2) + sqrt(x - 2))", "-b",
                           "x=ones(2)", "--json"], capture_output=True, text=True, timeout=60,
                          check=False, env={**os.environ, "PYTHONWARNINGS": "error"})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["value"] == "nan"
    assert "Traceback" not in proc.stderr
