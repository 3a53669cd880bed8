"""Trusted and untrusted modes of the single-file commands, and the mistakes a user can
make with them: each ends in a clear message and exit status, never a traceback, an
internal error or a hang.

Trusted (the default): no wall-clock bound on one file or expression unless --timeout
(ADCLI_TIMEOUT) is given. --untrusted (ADCLI_UNTRUSTED=1): a wall-clock bound (--timeout,
default 10 s) and an address-space limit; `run` runs the file in a forked worker.
"""

import json
import os
import signal
import subprocess
import time

import pytest
from click.testing import CliRunner

from adcli import batch
from adcli.cli.main import cli
from adcli.limits import Limits

ENV = {"NO_COLOR": "1"}
SPIN = "x = 0\nwhile True:\n    x = x + 1\n"
# one statement of many seconds inside numpy: only a kill (or a signal) stops it
SLOW_STATEMENT = "x = ones(1200, 1200) / 1200\ny = x" + " @ x" * 150 + "\nprint('done')\n"
SLOW_EXPR = "sum(x" + " @ x" * 150 + ")"
# ten 240 MB tensors of zeros: cheap in memory actually touched, 2.4 GB of address space
HUGE_LIST = "[" + ", ".join(["zeros(30000000, dtype=float64)"] * 10) + "]"


def invoke(*args, input=None, env=None):
    return CliRunner().invoke(cli, list(args), input=input, env={**ENV, **(env or {})})


def write(path, text):
    path.write_text(text)
    return str(path)


def assert_clean(r, status):
    output = r.output if hasattr(r, "output") else r.stdout + r.stderr
    assert r.exit_code == status, output
    assert "Traceback" not in output and "internal error" not in output
    assert not isinstance(r.exception, Exception) or isinstance(r.exception, SystemExit)


def run_cmd(adcli_cmd, *args, **kwargs):
    kwargs.setdefault("timeout", 60)
    return subprocess.run([adcli_cmd, *args], capture_output=True, text=True, check=False,
                          **kwargs)


# ---- 3. wall-clock and memory bounds of single files -------------------------------------
def test_a_single_trusted_file_has_a_wall_clock_bound_only_when_given(tmp_path, capsys):
    src = write(tmp_path / "loop.adc", "x = 0\nfor i in range(300000):\n    x = x + 1\n"
                "print(x)\n")
    limits = Limits(timeout=0.05)  # the bound in force, as if from --timeout or the default
    assert batch.run_files([src], limits) == 0  # trusted, not given: no wall-clock bound
    assert capsys.readouterr().out == "300000\n"
    assert batch.run_files([src], limits, timeout_given=True) == 1
    assert capsys.readouterr().out.startswith("LimitError: the program ran longer than 0.05 s")
    assert batch.run_files([src], limits, untrusted=True) == 1
    assert capsys.readouterr().out.startswith("LimitError: the program ran longer than 0.05 s")


@pytest.mark.parametrize("how", [["--timeout", "0.3"], ["--untrusted", "--timeout", "0.3"]])
def test_a_single_file_with_a_bound_is_killed_in_its_worker_at_its_line(tmp_path, how):
    src = write(tmp_path / "slow.adc", SLOW_STATEMENT)
    start = time.perf_counter()
    r = invoke("run", *how, src)
    assert time.perf_counter() - start < 5
    assert_clean(r, 1)
    assert r.stdout == "LimitError: the file ran longer than 0.3 s and was stopped\n"
    assert f"{src}:2:" in r.stderr and "done" not in r.stdout


def test_untrusted_comes_from_the_environment_too(tmp_path):
    src = write(tmp_path / "spin.adc", SPIN)
    r = invoke("run", src, env={"ADCLI_UNTRUSTED": "1", "ADCLI_TIMEOUT": "0.3"})
    assert_clean(r, 1)
    assert r.stdout.startswith("LimitError: the program ran longer than 0.3 s (raise the bound "
                               "with --timeout or ADCLI_TIMEOUT)")
    assert f"{src}:3:" in r.stderr


def test_untrusted_stdin_runs_in_a_worker(adcli_cmd):
    proc = run_cmd(adcli_cmd, "run", "--untrusted", "--timeout", "0.3", "-", input=SPIN)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("LimitError: the program ran longer than 0.3 s")
    assert "<stdin>:3:" in proc.stderr
    proc = run_cmd(adcli_cmd, "run", "--untrusted", "-", input="print(6 * 7)\n")
    assert (proc.returncode, proc.stdout) == (0, "42\n")


def test_untrusted_memory_is_bounded_by_the_address_space_limit(tmp_path, adcli_cmd):
    src = write(tmp_path / "hoard.adc", "x = []\nfor i in range(10):\n"
                "    x.append(zeros(30000000, dtype=float64))\nprint('kept them all')\n")
    proc = run_cmd(adcli_cmd, "run", "--untrusted", "--max-elements", "30000000", src)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout == "LimitError: out of memory\n"
    assert f"{src}:3:14: LimitError: out of memory" in proc.stderr
    proc = run_cmd(adcli_cmd, "eval", "--untrusted", "--max-elements", "30000000", HUGE_LIST)
    assert proc.returncode == 1, proc.stderr
    assert "<expr>:1:" in proc.stderr and "LimitError: out of memory" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_untrusted_eval_stops_at_its_wall_clock_bound_with_the_position():
    start = time.perf_counter()
    r = invoke("eval", "--untrusted", "--timeout", "0.3", SLOW_EXPR, "-b", "x=ones(800, 800)")
    assert time.perf_counter() - start < 5
    assert_clean(r, 1)
    assert "<expr>:1:" in r.stderr and ": LimitError: the evaluation ran longer than 0.3 s " \
        "and was stopped (raise the bound with --timeout or ADCLI_TIMEOUT)" in r.stderr


def test_eval_timeout_given_applies_and_json_reports_it():
    r = invoke("eval", SLOW_EXPR, "-b", "x=ones(800, 800)", "--json",
               env={"ADCLI_TIMEOUT": "0.3"})
    assert_clean(r, 1)
    error = json.loads(r.stdout)["error"]
    assert error["type"] == "LimitError" and "ran longer than 0.3 s" in error["message"]
    assert error["where"] == "<expr>" and error["pos"][0] == 1


def test_a_binding_that_runs_too_long_is_named():
    r = invoke("eval", "sum(y)", "-b", f"y={SLOW_EXPR[4:-1]}", "--timeout", "0.3",
               "-b", "x=ones(800, 800)")
    # bindings run in order: x is not bound yet when y runs, so y fails at once instead
    assert r.exit_code == 1
    r = invoke("eval", "sum(y)", "-b", "x=ones(800, 800)", "-b", f"y={SLOW_EXPR}",
               "--timeout", "0.3")
    assert_clean(r, 1)
    assert "-b y:1:" in r.stderr and "ran longer than 0.3 s" in r.stderr


def test_eval_without_a_bound_is_not_timed(monkeypatch):
    import adcli.sandbox_process as sp

    seen = []
    real = sp.wall_clock

    def spy(seconds, *args, **kwargs):
        seen.append(seconds)
        return real(seconds, *args, **kwargs)

    monkeypatch.setattr(sp, "wall_clock", spy)
    assert invoke("eval", "x", "-b", "x=1.").exit_code == 0
    assert invoke("eval", "x", "-b", "x=1.", "--timeout", "3").exit_code == 0
    assert invoke("eval", "x", "-b", "x=1.", "--untrusted").exit_code == 0
    assert seen == [0, 3.0, 10.0]


def test_untrusted_verify_stops_at_its_bound_as_invalid():
    r = invoke("verify", "--untrusted", "--timeout", "0.3", SLOW_EXPR, "--wrt", "x",
               "--claim", "x", "-b", "x=ones(800, 800)")
    assert_clean(r, 1)
    assert r.stdout.startswith("invalid: LimitError in EXPR at 1:")
    assert "ran longer than 0.3 s and was stopped (raise the bound with --timeout" in r.stdout
    r = invoke("verify", "--untrusted", "sum(x*x)", "--wrt", "x", "--claim", "2*x",
               "-b", "x=ones(3)")
    assert_clean(r, 0)


def test_a_long_single_call_in_eval_is_ended_from_outside_python(adcli_cmd):
    # one matmul of ~1e11 multiply-adds: SIGALRM waits for it, the watchdog does not
    start = time.perf_counter()
    proc = run_cmd(adcli_cmd, "eval", "--timeout", "0.5",
                   "sum(ones(4600, 4600) @ ones(4600, 4600))")
    elapsed = time.perf_counter() - start
    assert proc.returncode == 1
    if "was killed" in proc.stderr:  # the call outlived the grace: the hard stop
        assert elapsed < 8
        assert proc.stderr.startswith("adcli eval: LimitError: the evaluation ran longer than "
                                      "0.5 s and was killed (raise the bound with --timeout")
    else:  # a fast machine: the call returned within the grace, then the alarm stopped it
        assert "ran longer than 0.5 s and was stopped" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_the_rlimit_of_a_one_shot_command_is_put_back():
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    r = invoke("eval", "--untrusted", "sum(x)", "-b", "x=ones(3)")
    assert_clean(r, 0)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None, signal.default_int_handler)


# ---- 4. mistakes: usage errors (2), never a traceback or a hang --------------------------
@pytest.mark.parametrize("args", [
    ["run", "--timeout", "-1", "x.adc"],
    ["run", "--timeout", "nan", "x.adc"],
    ["run", "--timeout", "inf", "x.adc"],
    ["run", "--timeout", "soon", "x.adc"],
    ["run", "--max-output-bytes", "-5", "x.adc"],
    ["run", "--max-elements", "-1", "x.adc"],
    ["run", "--untrusted", "--timeout", "0", "x.adc"],
    ["run", "--jobs", "0", "x.adc"],
    ["run"],
    ["eval", "x", "--timeout", "-3"],
    ["eval", "x", "--untrusted", "--timeout", "0"],
    ["verify", "x", "--wrt", "x", "--claim", "1", "--timeout", "nan"],
])
def test_bad_options_are_usage_errors(args):
    r = invoke(*args)
    assert_clean(r, 2)
    assert "Usage:" in r.stderr


@pytest.mark.parametrize("env", [{"ADCLI_UNTRUSTED": "maybe"}, {"ADCLI_TIMEOUT": "abc"},
                                 {"ADCLI_MAX_OUTPUT_BYTES": "lots"}])
def test_bad_environment_values_are_usage_errors(env):
    r = invoke("run", "x.adc", env=env)
    assert_clean(r, 2)


def test_a_directory_is_a_usage_error_and_named_escaped(tmp_path):
    folder = tmp_path / "dir\x1b[31m"
    folder.mkdir()
    r = invoke("run", str(folder))
    assert_clean(r, 2)
    assert "dir\\x1b[31m is a directory" in r.stderr and "\x1b" not in r.stderr


def test_a_name_with_a_nul_cannot_be_read():
    r = invoke("run", "a\x00b.adc")
    assert_clean(r, 2)
    assert "cannot read a\\x00b.adc" in r.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_fifo_with_no_writer_does_not_hang_an_untrusted_run(tmp_path, jobs):
    fifo = tmp_path / "pipe\x1b.adc"
    os.mkfifo(fifo)
    ok = write(tmp_path / "ok.adc", "print(1)\n")
    start = time.perf_counter()
    r = invoke("run", "--untrusted", "--timeout", "0.3", "--jobs", jobs, str(fifo), ok)
    assert time.perf_counter() - start < 5
    assert_clean(r, 2)
    assert r.stdout == "1\n"
    assert "cannot read " + str(tmp_path) + "/pipe\\x1b.adc: nothing could be read within " \
        "0.3 s" in r.stderr


def test_a_fifo_with_a_writer_is_read(tmp_path, adcli_cmd):
    # process substitution, <(...), is a pipe too: trusted or not, it is an input
    proc = subprocess.run(["bash", "-c", f"{adcli_cmd} run --untrusted <(echo 'print(7)')"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert (proc.returncode, proc.stdout) == (0, "7\n"), proc.stderr


def test_closed_stdin_is_a_file_that_cannot_be_read(adcli_cmd):
    for extra in ([], ["--untrusted"]):
        proc = run_cmd(adcli_cmd, "run", *extra, "-", preexec_fn=lambda: os.close(0))
        assert proc.returncode == 2, proc.stderr
        assert "adcli: cannot read <stdin>: stdin is closed" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_closed_stdout_and_stderr_are_no_crash(tmp_path, adcli_cmd):
    src = write(tmp_path / "ok.adc", "print(1)\nprint(undefined)\n")
    proc = run_cmd(adcli_cmd, "run", src, preexec_fn=lambda: os.close(1))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    proc = run_cmd(adcli_cmd, "run", src, src, preexec_fn=lambda: os.close(2))
    assert proc.returncode == 1 and proc.stdout.count("1\n") == 2
    proc = run_cmd(adcli_cmd, "eval", "x", "-b", "x=1.", preexec_fn=lambda: os.close(1))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr


@pytest.mark.parametrize("args", [[], ["--jobs", "2"], ["--untrusted"]])
def test_a_reader_that_goes_away_is_no_traceback(tmp_path, adcli_cmd, args):
    src = write(tmp_path / "many.adc", "s = 'x' * 1000\nfor i in range(2000):\n    print(s)\n")
    proc = subprocess.run(["bash", "-c", f"{adcli_cmd} run {' '.join(args)} {src} {src} "
                           "| head -c 10"], capture_output=True, text=True, timeout=60,
                          check=False)
    assert proc.stdout == "x" * 10
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    assert "BrokenPipeError" not in proc.stderr


def test_a_full_disk_is_a_clear_error(tmp_path, adcli_cmd):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    src = write(tmp_path / "ok.adc", "print(1)\n")
    with open("/dev/full", "w") as full:
        proc = subprocess.run([adcli_cmd, "run", src], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "adcli: cannot write the output: No space left on device"


def test_an_ascii_output_holds_any_transcript(tmp_path, adcli_cmd):
    src = write(tmp_path / "u.adc", "print('h\u00e9llo \u4e16\u754c')\n# %%\n"
                "print(unknown_\u00e9)\n")
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    for args in ([src], ["--jobs", "2", src, src], ["--untrusted", src]):
        proc = run_cmd(adcli_cmd, "run", *args, env=env)
        assert proc.returncode == 1, proc.stderr
        assert "h\\xe9llo \\u4e16\\u754c" in proc.stdout
        assert "UnicodeEncodeError" not in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cmd(adcli_cmd, "eval", "x + 1", "-b", "x=[1.]", env=env)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
