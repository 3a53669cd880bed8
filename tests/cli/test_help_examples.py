"""Every example in a command's --help runs as pasted (those whose files exist here)."""

from __future__ import annotations

import os
import shlex
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _examples():
    from adcli.cli import (
        check_cmd,
        eval_cmd,
        explain_cmd,
        gradcheck_cmd,
        graph_cmd,
        plot_cmd,
        repl_cmd,
        run_cmd,
        test_cmd,
        verify_cmd,
    )

    found = []
    for module in (run_cmd, eval_cmd, verify_cmd, check_cmd, graph_cmd, explain_cmd,
                   gradcheck_cmd, plot_cmd, repl_cmd, test_cmd):
        text = module.EPILOG.replace("\\\n", " ")
        for line in text.splitlines():
            line = line.strip()
            if not line.startswith("adcli ") or "|" in line:
                continue
            words = shlex.split(line)
            paths = [w for w in words[2:] if "/" in w and not w.startswith("-")]
            paths += [w.split("@", 1)[1] for w in words if "=@" in w]
            if any("*" in p for p in paths):
                continue  # a shell glob
            if all(os.path.exists(os.path.join(ROOT, p)) for p in paths):
                found.append(line)
    return found


EXAMPLES = _examples()


def test_every_command_has_a_runnable_example():
    for command in ("adcli run", "adcli eval", "adcli verify", "adcli check", "adcli graph",
                    "adcli explain", "adcli gradcheck", "adcli plot"):
        assert any(e.startswith(command) for e in EXAMPLES), command


@pytest.mark.parametrize("line", EXAMPLES)
def test_help_example_runs_as_pasted(line, adcli_cmd, tmp_path):
    words = shlex.split(line)
    env = dict(os.environ, NO_COLOR="1")
    os.symlink(os.path.join(ROOT, "samples"), tmp_path / "samples")  # reports land in tmp
    done = subprocess.run([adcli_cmd, *words[1:]], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env=env, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    assert "internal error" not in done.stderr, done.stderr
    assert done.returncode in (0, 1), done.stderr  # 1: an example may show an error on purpose
