"""Portability (issue 18): the grading pool under the spawn start method, and under a
cp1252 stdout, grades the sample class exactly as the forked pool does.

CI runs only ``python -m pytest -q``; these tests run ``adcli check`` in subprocesses with
``ADCLI_START_METHOD=spawn`` and ``PYTHONIOENCODING=cp1252`` and compare the JSON reports.
"""

import json
import os
import subprocess
import sys

import pytest

from adcli import sandbox_process
from adcli.check.grade import Grader
from adcli.check.pool import Pool
from adcli.check.problems import parse_problem_set
from adcli.limits import Limits
from adcli.sandbox_process import start_method

from .fakes import ENGINE, PROBLEM_SET
from .test_pool import write_submission

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOMEWORK = os.path.join(ROOT, "samples", "homework")
CHECK_TIMEOUT = "5"  # heidi's answer hangs: a shorter run than the default 10 s


# ---- the setting ------------------------------------------------------------------------
@pytest.mark.parametrize("value, linux, expected", [
    ("spawn", True, "spawn"),
    ("SPAWN ", True, "spawn"),
    ("fork", True, "fork"),
    ("", True, "fork"),
    ("forkserver", True, "fork"),  # not one of ours: the default
    ("", False, "spawn"),
    ("fork", False, "fork"),  # asked for, and os.fork exists (macOS)
])
def test_start_method_setting(monkeypatch, value, linux, expected):
    monkeypatch.setattr(sys, "platform", "linux" if linux else "darwin")
    assert start_method({"ADCLI_START_METHOD": value}) == expected


def test_without_fork_the_start_method_is_spawn(monkeypatch):
    monkeypatch.delattr(os, "fork", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    assert start_method({"ADCLI_START_METHOD": "fork"}) == "spawn"
    assert start_method({}) == "spawn"


def test_without_the_resource_module_no_memory_bound_and_no_crash(monkeypatch):
    monkeypatch.setitem(sys.modules, "resource", None)  # as on Windows: import fails
    assert sandbox_process.limit_address_space(1 << 30) is None
    sandbox_process.restore_address_space((1, 2))  # nothing to put back, no error


def test_die_with_parent_off_linux_does_not_crash(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    sandbox_process.die_with_parent(os.getppid())  # still here: the parent is alive


def test_exit_description():
    assert sandbox_process.exit_description(0) == "exit code 0"
    assert sandbox_process.exit_description(-9) == "signal SIGKILL"
    assert sandbox_process.exit_description(None) == "it vanished"


# ---- the pool, spawned ------------------------------------------------------------------
def test_a_spawned_pool_grades_as_the_forked_one(tmp_path):
    grader = Grader(parse_problem_set(PROBLEM_SET.encode()), Limits(timeout=1.0), ENGINE)
    grader.prepare()
    keys = [write_submission(tmp_path, "good"),
            write_submission(tmp_path, "wrong", double="3 * x"),
            write_submission(tmp_path, "crash", formula="crash()"),
            write_submission(tmp_path, "stall", formula="stall(60)")]
    seen = {}
    for method in ("fork", "spawn"):
        done = {}
        Pool(grader, jobs=2, memory_mb=512, method=method).run(
            keys, lambda r, done=done: done.__setitem__(r.submission, r))
        seen[method] = {k: [(p.verdict, p.score, p.message) for p in r.problems]
                        for k, r in done.items()}
    assert seen["spawn"] == seen["fork"]
    verdicts = {os.path.basename(k): [v for v, _, _ in r] for k, r in seen["spawn"].items()}
    assert verdicts == {
        "good.toml": ["correct"] * 3,
        "wrong.toml": ["wrong", "correct", "correct"],
        "crash.toml": ["correct", "limit", "correct"],
        "stall.toml": ["correct", "timeout", "correct"],
    }


# ---- adcli check on the sample class, in subprocesses ----------------------------------
def _check(tmp_path, name, method, encoding=None, json_to_stdout=False):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    env["ADCLI_START_METHOD"] = method
    if encoding:
        env["PYTHONIOENCODING"] = encoding
    report = tmp_path / f"{name}.json"
    target = "-" if json_to_stdout else str(report)
    command = [sys.executable, "-c", "from adcli.cli.main import main; main()", "check",
               os.path.join(HOMEWORK, "set.toml"), os.path.join(HOMEWORK, "submissions"),
               "--jobs", "2", "--timeout", CHECK_TIMEOUT, "--json", target,
               "--log", str(tmp_path / f"{name}.jsonl")]
    proc = subprocess.run(command, capture_output=True, cwd=tmp_path, env=env, timeout=300)
    assert b"Traceback" not in proc.stderr, proc.stderr.decode("utf-8", "replace")
    if json_to_stdout:
        return proc, json.loads(proc.stdout.decode(encoding or "utf-8"))
    return proc, json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fork_report(tmp_path_factory):
    return _check(tmp_path_factory.mktemp("fork"), "fork", "fork")


def _verdicts(report):
    return {s["submission"]: [(p["id"], p["verdict"], p["score"]) for p in s["problems"]]
            for s in report["submissions"]}


def test_the_sample_class_has_every_kind_of_verdict(fork_report):
    proc, report = fork_report
    assert proc.returncode == 1  # some answers are not correct
    kinds = {v for problems in _verdicts(report).values() for _, v, _ in problems}
    assert {"correct", "wrong", "invalid", "timeout", "limit"} <= kinds


def test_spawn_under_cp1252_gives_the_same_report(fork_report, tmp_path):
    fork_proc, fork = fork_report
    proc, spawned = _check(tmp_path, "spawn", "spawn", encoding="cp1252")
    assert proc.returncode == fork_proc.returncode
    assert _verdicts(spawned) == _verdicts(fork)
    assert spawned["summary"] == fork["summary"]
    assert spawned == fork  # messages too: nothing depends on how the worker started
    assert proc.stdout.strip()  # the text report, written in cp1252


def test_fork_under_cp1252_json_on_stdout_is_the_same_report(fork_report, tmp_path):
    fork_proc, fork = fork_report
    proc, report = _check(tmp_path, "fork1252", "fork", encoding="cp1252",
                          json_to_stdout=True)
    assert proc.returncode == fork_proc.returncode
    assert report == fork
