"""Portability (issue 18): ``adcli run``'s isolated workers under the spawn start method
(the default on macOS and Windows) print what forked ones print, under a cp1252 stdout
too."""

import glob
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEEDS = sorted(glob.glob(os.path.join(ROOT, "samples", "seeds", "*.adc")))
ADDRESS = re.compile(rb"0x[0-9a-fA-F]+")  # <AddBackward0 object at 0x...> differs per run


def run(args, method, encoding=None, stdin=None, cwd=None):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    env["ADCLI_START_METHOD"] = method
    if encoding:
        env["PYTHONIOENCODING"] = encoding
    command = [sys.executable, "-c", "from adcli.cli.main import main; main()", "run", *args]
    proc = subprocess.run(command, capture_output=True, env=env, input=stdin, cwd=cwd,
                          timeout=300)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")
    return proc.returncode, ADDRESS.sub(b"0x?", proc.stdout), ADDRESS.sub(b"0x?", proc.stderr)


@pytest.mark.skipif(not SEEDS, reason="no sample seeds")
@pytest.mark.parametrize("encoding", [None, "cp1252"])
def test_jobs_2_on_the_seeds_spawn_prints_what_fork_prints(encoding):
    args = ["--jobs", "2", *SEEDS]
    forked = run(args, "fork", encoding)
    spawned = run(args, "spawn", encoding)
    assert spawned == forked
    assert forked[0] == 0
    assert b"adcli run: " in forked[2]


def test_bounds_hold_in_spawned_workers(tmp_path):
    (tmp_path / "big.adc").write_text("import torch\nx = torch.ones(1000, 1000, 1000)\n")
    (tmp_path / "hang.adc").write_text("while True:\n    pass\n")
    (tmp_path / "fine.adc").write_text("import torch\nprint(torch.ones(2) * 3)\n")
    args = ["--timeout", "1", "--jobs", "2", "big.adc", "hang.adc", "fine.adc"]
    forked = run(args, "fork", cwd=tmp_path)
    spawned = run(args, "spawn", cwd=tmp_path)
    assert spawned == forked
    status, out, err = spawned
    assert status == 1
    assert b"over the limit" in out and b"ran longer than 1 s" in out
    assert b"tensor([3., 3.])" in out
    assert b"big.adc: raised an error" in err and b"hang.adc: timed out" in err


@pytest.mark.skipif(sys.platform == "win32", reason="stdin reaches a spawned worker on POSIX")
def test_untrusted_stdin_reaches_a_spawned_worker():
    source = b"import torch\nprint(torch.ones(2))\n"
    forked = run(["--untrusted", "-"], "fork", stdin=source)
    spawned = run(["--untrusted", "-"], "spawn", stdin=source)
    assert spawned == forked
    assert spawned[0] == 0 and b"tensor([1., 1.])" in spawned[1]
