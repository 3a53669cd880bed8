"""The worker pool: isolation of hanging, stalling, crashing and bombing answers; resume."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from adcli.check.batch import CheckOptions, run_check
from adcli.check.grade import Grader
from adcli.check.pool import GRACE_S, Pool
from adcli.check.problems import parse_problem_set
from adcli.limits import Limits

from .fakes import CORRECT, ENGINE, PROBLEM_SET

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT = 1.0


def write_submission(folder, name, **answers):
    merged = {**CORRECT, **answers}
    body = "".join(f"{k} = {json.dumps(v)}\n" for k, v in merged.items())
    path = folder / f"{name}.toml"
    path.write_text("[answers]\n" + body)
    return str(path)


@pytest.fixture(scope="module")
def grader():
    g = Grader(parse_problem_set(PROBLEM_SET.encode()), Limits(timeout=TIMEOUT), ENGINE)
    g.prepare()
    return g


def run_pool(grader, keys, jobs=2, memory_mb=512):
    done, when = {}, {}
    start = time.monotonic()

    def on_done(result):
        done[result.submission] = result
        when[result.submission] = time.monotonic() - start

    Pool(grader, jobs=jobs, memory_mb=memory_mb).run(keys, on_done)
    return done, when


def verdicts(result):
    return [p.verdict for p in result.problems]


def test_every_submission_is_checked(grader, tmp_path):
    keys = [write_submission(tmp_path, f"s{i:02}") for i in range(12)]
    keys.append(write_submission(tmp_path, "wrong", double="3 * x"))
    done, _ = run_pool(grader, keys)
    assert set(done) == set(keys)
    assert verdicts(done[keys[-1]]) == ["wrong", "correct", "correct"]
    assert all(verdicts(done[k]) == ["correct"] * 3 for k in keys[:-1])


def test_a_hanging_answer_does_not_delay_the_others(grader, tmp_path):
    stall = write_submission(tmp_path, "stall", formula="stall(60)")  # ignores the alarm
    quick = [write_submission(tmp_path, f"quick{i}") for i in range(10)]
    start = time.monotonic()
    done, when = run_pool(grader, [stall, *quick], jobs=2)
    elapsed = time.monotonic() - start
    assert verdicts(done[stall]) == ["correct", "timeout", "correct"]
    assert "killed" in done[stall].problems[1].message
    assert max(when[k] for k in quick) < 0.5 * TIMEOUT  # checked beside it meanwhile
    assert elapsed < TIMEOUT + GRACE_S + 0.5  # the watchdog's kill


def test_with_one_worker_a_hang_delays_the_others_by_its_timeout_only(grader, tmp_path):
    hang = write_submission(tmp_path, "hang", double="while True:\n    pass")
    quick = [write_submission(tmp_path, f"quick{i}") for i in range(10)]
    done, when = run_pool(grader, [hang, *quick], jobs=1)
    assert verdicts(done[hang]) == ["timeout", "correct", "correct"]
    assert done[hang].problems[0].message == f"no result within {TIMEOUT:g} s"
    assert all(verdicts(done[k]) == ["correct"] * 3 for k in quick)
    assert max(when[k] for k in quick) < TIMEOUT + 0.5


def test_a_crashing_answer_costs_its_problem_and_the_worker_is_replaced(grader, tmp_path):
    crash = write_submission(tmp_path, "crash", double="crash()")
    after = [write_submission(tmp_path, f"after{i}") for i in range(4)]
    done, _ = run_pool(grader, [crash, *after], jobs=1)
    assert verdicts(done[crash]) == ["limit", "correct", "correct"]
    assert "SIGSEGV" in done[crash].problems[0].message
    assert all(verdicts(done[k]) == ["correct"] * 3 for k in after)


def test_a_worker_that_died_while_idle_is_replaced(tmp_path):
    # the replacement's first answer may start cold on a loaded machine: a clock that only
    # a hang would reach, since this is about the replacement, not about the timeout
    grader = Grader(parse_problem_set(PROBLEM_SET.encode()), Limits(timeout=30), ENGINE)
    grader.prepare()
    pool = Pool(grader, jobs=1)
    idle = pool._spawn()
    os.kill(idle.pid, signal.SIGKILL)
    time.sleep(0.05)
    key = write_submission(tmp_path, "one")
    done = []
    pool.run([key], done.append)
    assert [verdicts(r) for r in done] == [["correct"] * 3]


def test_a_memory_bomb_hits_the_workers_rlimit(grader, tmp_path):
    bomb = write_submission(tmp_path, "bomb", double="b = bytearray(100 * 2**30)\n2 * x")
    other = write_submission(tmp_path, "other")
    done, _ = run_pool(grader, [bomb, other], memory_mb=256)
    assert verdicts(done[bomb]) == ["limit", "correct", "correct"]
    assert "memory" in done[bomb].problems[0].message
    assert verdicts(done[other]) == ["correct"] * 3


def test_workers_print_nothing(grader, tmp_path, capfd):
    noisy = write_submission(
        tmp_path, "noisy", double="import sys\nsys.stderr.write('noise')\nprint('noise')\n2 * x"
    )
    done, _ = run_pool(grader, [noisy])
    assert verdicts(done[noisy]) == ["correct"] * 3
    assert "noise" not in "".join(capfd.readouterr())


def test_an_unreadable_submission_is_invalid_everywhere(grader, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[answers\n")
    done, _ = run_pool(grader, [str(bad)])
    assert verdicts(done[str(bad)]) == ["invalid"] * 3
    assert "not a valid TOML" in done[str(bad)].problems[0].message


_KILLED_RUN = """
import sys
sys.path.insert(0, {here!r})
from fakes import ENGINE, PROBLEM_SET
from adcli.check.batch import CheckOptions, run_check
from adcli.check.problems import parse_problem_set
from adcli.limits import Limits

ps = parse_problem_set(PROBLEM_SET.encode(), {set_path!r})
run_check(ps, {keys!r}, CheckOptions(limits=Limits(timeout=5), jobs=2, log_path={log!r}),
          engine=ENGINE)
"""


def live_members(group: int) -> list[int]:
    """The processes of a process group that are neither gone nor zombies (from /proc)."""
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group and fields[0] != "Z":
                alive.append(int(entry))
    return alive


def test_resume_after_kill_9_loses_nothing(tmp_path):
    keys = [
        write_submission(tmp_path, f"s{i:02}", pair="sleep(0.05)\na = 2 * x\nb = 3 * x")
        for i in range(40)
    ]
    log = str(tmp_path / "results.jsonl")
    set_path = str(tmp_path / "fake.toml")
    script = _KILLED_RUN.format(here=HERE, set_path=set_path, keys=keys, log=log)
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if os.path.exists(log) and open(log).read().count("\n") >= 6:
                break
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        for _ in range(200):  # the workers die with their parent: the group empties
            if not live_members(proc.pid):
                break
            time.sleep(0.01)
        else:
            raise AssertionError("workers outlived their killed parent")
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    with open(log) as f:
        before = [json.loads(line) for line in f.read().split("\n")[1:] if line.endswith("}")]
    logged = {r["submission"] for r in before}
    assert 5 <= len(logged) < len(keys)

    ps = parse_problem_set(PROBLEM_SET.encode(), set_path)
    checked = []
    outcome = run_check(
        ps,
        keys,
        CheckOptions(limits=Limits(timeout=5), jobs=2, log_path=log, resume=True),
        engine=ENGINE,
        on_result=lambda r: checked.append(r.submission),
    )
    assert [r.submission for r in outcome.results] == keys
    assert all(r.all_correct for r in outcome.results)
    assert outcome.resumed == len(logged)
    assert sorted(checked) == sorted(set(keys) - logged)
    with open(log) as f:
        lines = f.read().splitlines()
    assert len(lines) == 1 + len(keys)
    assert sorted(json.loads(line)["submission"] for line in lines[1:]) == sorted(keys)


def test_resume_refuses_a_log_of_another_problem_set(tmp_path):
    from adcli.check.results import LogError

    key = write_submission(tmp_path, "one")
    log = str(tmp_path / "results.jsonl")
    ps = parse_problem_set(PROBLEM_SET.encode(), "fake.toml")
    run_check(ps, [key], CheckOptions(log_path=log), engine=ENGINE)
    other = parse_problem_set(PROBLEM_SET.replace("Fake set", "Other").encode(), "fake.toml")
    with pytest.raises(LogError, match="another problem set"):
        run_check(other, [key], CheckOptions(log_path=log, resume=True), engine=ENGINE)
