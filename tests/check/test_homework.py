"""The sample homework end to end, through the real interpreter: every verdict."""

import json
import os
import time

import pytest
from click.testing import CliRunner

from adcli.cli.check_cmd import check_command

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOMEWORK = os.path.join(ROOT, "samples", "homework")
SET = os.path.join(HOMEWORK, "set.toml")
CLASS = os.path.join(HOMEWORK, "submissions")
C, W, INV, T, L = "correct", "wrong", "invalid", "timeout", "limit"

EXPECTED = {  # mean-square, formula, vector-jacobian, sum-of-products, accumulate
    "alice.toml": [C, C, C, C, C],
    "bob": [C, C, C, C, C],
    "carol.toml": [W, W, W, W, W],
    "dave.toml": [C, W, W, W, C],
    "erin.toml": [INV, INV, INV, INV, INV],
    "grace": [C, C, C, C, C],  # .py and .ipynb answers
    "heidi.toml": [T, C, C, C, C],
    "ivan.toml": [C, L, C, C, C],
    "judy.toml": [L, L, C, C, C],
    "mallory.toml": [INV, INV, INV, L, L],
}
TIMEOUT = 2.0


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("homework")
    out = tmp / "report.json"
    start = time.monotonic()
    result = CliRunner().invoke(
        check_command,
        [
            SET,
            CLASS,
            "--jobs",
            "2",
            "--timeout",
            str(TIMEOUT),
            "--json",
            str(out),
            "--log",
            str(tmp / "log.jsonl"),
        ],
    )
    elapsed = time.monotonic() - start
    assert result.exit_code == 1, result.output
    return json.loads(out.read_text()), result.output, elapsed


def by_name(doc):
    return {os.path.basename(s["submission"]): s for s in doc["submissions"]}


def test_every_verdict_of_the_sample_homework(report):
    doc, _, _ = report
    got = {name: [p["verdict"] for p in s["problems"]] for name, s in by_name(doc).items()}
    assert got == EXPECTED


def test_scores_and_partial_credit(report):
    subs = by_name(report[0])
    assert subs["alice.toml"]["score"] == subs["alice.toml"]["max_score"] == 10.0
    assert subs["carol.toml"]["score"] == 1.0  # y right, x.grad None: half of 2 points
    assert subs["dave.toml"]["score"] == 2.0 + 1.0 + 1.0
    assert subs["erin.toml"]["score"] == 0.0


def test_messages_say_where_and_why(report):
    subs = by_name(report[0])
    carol = {p["id"]: p for p in subs["carol.toml"]["problems"]}
    assert carol["mean-square"]["message"] == (
        "last value: 4 of 4 elements differ: [0, 0] expected 4.5, got 18; [0, 1] expected "
        "4.5, got 18; [1, 0] expected 4.5, got 18; [1, 1] expected 4.5, got 18"
    )
    assert carol["sum-of-products"]["message"].startswith(
        "x.grad: expected a tensor of shape [2, 2], got None"
    )
    dave = {p["id"]: p for p in subs["dave.toml"]["problems"]}
    assert "(sample 1 of 5)" in dave["formula"]["message"]
    erin = {p["id"]: p for p in subs["erin.toml"]["problems"]}
    assert erin["mean-square"]["message"].startswith("SyntaxError at line 1")
    assert erin["mean-square"]["pos"][0] == 1
    assert erin["formula"]["message"].startswith("NameError at line 1, col 6")
    assert erin["sum-of-products"]["pos"][0] == 3  # the second backward()
    judy = {p["id"]: p for p in subs["judy.toml"]["problems"]}
    assert "elements" in judy["mean-square"]["message"]
    assert "memory" in judy["formula"]["message"]
    ivan = {p["id"]: p for p in subs["ivan.toml"]["problems"]}
    assert "multiply-adds" in ivan["formula"]["message"]


def test_hanging_and_bombing_submissions_cost_only_their_timeout(report):
    *_, elapsed = report
    # two workers; heidi's loop costs TIMEOUT, ivan's matmul is refused before it runs
    assert elapsed < 2 * TIMEOUT + 6


def test_plain_report_when_piped(report):
    _, output, _ = report
    alice = next(line for line in output.splitlines() if "alice.toml" in line)
    # five problems' "id=verdict" pairs pass 80 columns: a row of symbols, with a legend
    assert alice.split()[1:] == ["10/10", "[Alice]", "+++++"]
    assert "problems in order:  1 mean-square  2 formula" in output
    assert "10 submissions, 3 fully correct." in output


def test_an_answer_cannot_leak_grad_mode_into_the_next(tmp_path):
    leaky = tmp_path / "leaky.toml"
    leaky.write_text(
        '[answers]\nmean-square = "set_grad_enabled(False)"\n'
        'vector-jacobian = "y.backward(v); x.grad"\n'
    )
    out = tmp_path / "r.json"
    result = CliRunner().invoke(
        check_command,
        [
            SET,
            str(leaky),
            os.path.join(CLASS, "alice.toml"),
            "--jobs",
            "1",
            "--json",
            str(out),
            "--log",
            str(tmp_path / "log.jsonl"),
        ],
    )
    assert result.exit_code == 1
    leaky_result, alice = json.loads(out.read_text())["submissions"]
    verdicts = [p["verdict"] for p in leaky_result["problems"]]
    assert verdicts == [W, "missing", C, "missing", "missing"]
    assert alice["score"] == alice["max_score"]
