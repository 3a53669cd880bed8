"""`adcli check` and `adcli verify` through click's CliRunner: exit statuses and files."""

import csv
import json
import os
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from adcli.cli.check_cmd import check_command
from adcli.cli.verify_cmd import verify_command

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SET = os.path.join(ROOT, "samples", "homework", "set.toml")
CLASS = os.path.join(ROOT, "samples", "homework", "submissions")
QUICK = [os.path.join(CLASS, n) for n in ("alice.toml", "bob", "carol.toml", "erin.toml")]


def check(*args, cwd):
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(cwd)  # the default results log goes into .adcli-check/ here
    try:
        return runner.invoke(check_command, [str(a) for a in args])
    finally:
        os.chdir(old)


def test_exit_0_when_every_answer_is_correct(tmp_path):
    result = check(SET, QUICK[0], QUICK[1], cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "2 submissions, 2 fully correct." in result.output
    assert os.listdir(tmp_path / ".adcli-check")  # the results log


def test_exit_1_and_every_report_file(tmp_path):
    result = check(
        SET,
        *QUICK,
        "--jobs",
        "2",
        "--json",
        tmp_path / "r.json",
        "--junit",
        tmp_path / "r.xml",
        "--csv",
        tmp_path / "r.csv",
        cwd=tmp_path,
    )
    assert result.exit_code == 1, result.output
    doc = json.loads((tmp_path / "r.json").read_text())
    assert [os.path.basename(s["submission"]) for s in doc["submissions"]] == [
        "alice.toml",
        "bob",
        "carol.toml",
        "erin.toml",
    ]
    assert set(doc["submissions"][0]) >= {"submission", "score", "max_score", "problems"}
    assert set(doc["submissions"][0]["problems"][0]) >= {
        "id",
        "verdict",
        "score",
        "points",
        "message",
    }
    junit = ET.parse(tmp_path / "r.xml").getroot()
    assert (junit.get("tests"), junit.get("failures"), junit.get("errors")) == ("20", "5", "5")
    rows = list(csv.DictReader((tmp_path / "r.csv").open()))
    assert [r["score"] for r in rows] == ["10", "10", "1", "0"]


def test_json_on_stdout(tmp_path):
    result = check(SET, QUICK[0], "--json", "-", cwd=tmp_path)
    assert json.loads(result.output)["summary"]["fully_correct"] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.toml", "x.toml"], "cannot read problem set"),
        (["bad.toml", "x.toml"], "unknown key 'chek'"),
        (["broken.toml", "x.toml"], "the reference answer fails"),
        ([SET], "give at least one SUBMISSION"),
        ([SET, "x.toml", "--shard", "5/4"], "1 <= I <= N"),
        ([SET, "x.toml", "--merge", "log.jsonl"], "takes no SUBMISSION"),
        ([SET, "--merge", "nothing.jsonl"], "no results log nothing.jsonl"),
    ],
)
def test_exit_2_on_usage_errors_and_bad_problem_sets(tmp_path, args, message):
    (tmp_path / "bad.toml").write_text('[[problem]]\nid = "a"\nanswer = "1"\nchek = ["x"]\n')
    (tmp_path / "broken.toml").write_text('[[problem]]\nid = "a"\nanswer = "1 +"\n')
    result = check(*args, cwd=tmp_path)
    assert result.exit_code == 2
    assert message in result.output


def test_shards_partition_and_merge_back(tmp_path):
    everything = []
    for i in (1, 2, 3):
        out = tmp_path / f"shard-{i}.json"
        result = check(
            SET,
            *QUICK,
            "--shard",
            f"{i}/3",
            "--json",
            out,
            "--log",
            tmp_path / f"shard-{i}.jsonl",
            cwd=tmp_path,
        )
        assert result.exit_code in (0, 1), result.output
        everything += [s["submission"] for s in json.loads(out.read_text())["submissions"]]
    assert sorted(everything) == sorted(QUICK)
    merged = tmp_path / "all.json"
    result = check(
        SET,
        "--merge",
        tmp_path / "shard-1.jsonl",
        "--merge",
        tmp_path / "shard-2.jsonl",
        "--merge",
        tmp_path / "shard-3.jsonl",
        "--json",
        merged,
        "--quiet",
        cwd=tmp_path,
    )
    assert result.exit_code == 1
    assert sorted(s["submission"] for s in json.loads(merged.read_text())["submissions"]) == sorted(
        QUICK
    )


def test_resume_takes_logged_results(tmp_path):
    log = tmp_path / "log.jsonl"
    first = check(SET, *QUICK[:2], "--log", log, "--json", tmp_path / "a.json", cwd=tmp_path)
    again = check(
        SET, *QUICK[:2], "--log", log, "--json", tmp_path / "b.json", "--resume", cwd=tmp_path
    )
    assert (first.exit_code, again.exit_code) == (0, 0)
    assert "2 result(s) were taken from the results log" in again.output
    assert (tmp_path / "a.json").read_text() == (tmp_path / "b.json").read_text()


def test_help_shows_working_examples():
    for command in (check_command, verify_command):
        result = CliRunner().invoke(command, ["--help"])
        assert result.exit_code == 0 and "Examples:" in result.output


def verify(*args):
    return CliRunner().invoke(verify_command, list(args))


def test_verify_agrees_with_the_seed_derivation():
    result = verify("mean(3*(x+2)^2)", "--wrt", "x", "--claim", "3/2*(x+2)", "-b", "x=ones(2,2)")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "agree: autograd and the claim match for x at the bound point and 5 random points\n"
    )


def test_verify_shows_the_differing_elements():
    result = verify(
        "mean(3*(x+2)^2)", "--wrt", "x", "--claim", "3*(x+2)", "-b", "x=ones(2,2)", "--samples", "0"
    )
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "differ: autograd and the claim differ at 1 of 1 points (rtol=0.0001, atol=1e-06)",
        "  the bound point, d/dx: 4 of 4 elements differ",
        "    x = [[1.0, 1.0], [1.0, 1.0]]",
        "    [0, 0] autograd 4.5, claim 9",
        "    [0, 1] autograd 4.5, claim 9",
        "    [1, 0] autograd 4.5, claim 9",
        "    [1, 1] autograd 4.5, claim 9",
    ]


def test_verify_random_points_catch_a_hard_coded_claim():
    args = ["sum(x*x)", "--wrt", "x", "--claim", "tensor([2., 4.])", "-b", "x=[1., 2.]"]
    assert verify(*args, "--samples", "0").exit_code == 0
    result = verify(*args, "--json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["verdict"] == "differ"
    assert [p["match"] for p in doc["points"]] == [True] + [False] * 5


def test_verify_several_inputs_and_a_broadcast_claim():
    assert (
        verify(
            "sum(x*y)",
            "--wrt",
            "x",
            "--claim",
            "y",
            "--wrt",
            "y",
            "--claim",
            "x",
            "-b",
            "x=[1., 2.]",
            "-b",
            "y=[3., 4.]",
        ).exit_code
        == 0
    )
    assert verify("sum(3*x)", "--wrt", "x", "--claim", "3", "-b", "x=[1., 2.]").exit_code == 0


def test_verify_a_claim_that_raises_is_invalid():
    result = verify("sum(x*x)", "--wrt", "x", "--claim", "2*q", "-b", "x=[1., 2.]")
    assert result.exit_code == 1
    assert result.output.startswith("invalid: NameError in the claim '2*q' at 1:3")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x*x", "--wrt", "x", "--claim", "2*x", "-b", "x=[1., 2.]"], "needs a scalar"),
        (["sum(x*x", "--wrt", "x", "--claim", "2*x", "-b", "x=[1., 2.]"], "SyntaxError in EXPR"),
        (["sum(x*x)", "--wrt", "z", "--claim", "2*x", "-b", "x=[1., 2.]"], "bind it with -b z"),
        (["sum(x*x)", "--wrt", "x", "--claim", "2*x", "-b", "x"], "expected NAME=VALUE"),
        (["sum(x*x)", "--wrt", "x", "-b", "x=[1., 2.]"], "Missing option '--claim'"),
    ],
)
def test_verify_exit_2_on_usage_errors(args, message):
    result = verify(*args)
    assert result.exit_code == 2
    assert message in result.output
