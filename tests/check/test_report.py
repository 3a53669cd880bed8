"""Reports: JSON keys, JUnit failures against errors, CSV rows, plain text, atomic writes."""

import csv
import io
import json
import os
import xml.etree.ElementTree as ET

import pytest

from adcli.check import report
from adcli.check.problems import parse_problem_set
from adcli.check.results import ProblemResult, ResultsLog, SubmissionResult, read_log

from .fakes import PROBLEM_SET

PS = parse_problem_set(PROBLEM_SET.encode(), "fake.toml")


def make_results():
    alice = SubmissionResult(
        "alice.toml",
        [
            ProblemResult("double", "correct", 2.0, 2.0),
            ProblemResult("formula", "correct", 1.0, 1.0),
            ProblemResult("pair", "correct", 1.0, 1.0),
        ],
    )
    bob = SubmissionResult(
        "bob",
        [
            ProblemResult(
                "double",
                "wrong",
                0.0,
                2.0,
                "last value: 1 of 3 elements differ: [1] expected 2, got 3",
                differences=[
                    {"check": "last value", "sample": 0, "index": [1], "expected": 2.0, "got": 3.0}
                ],
            ),
            ProblemResult(
                "formula", "invalid", 0.0, 1.0, "SyntaxError at line 1, col 4: \x00bad", pos=(1, 4)
            ),
            ProblemResult("pair", "timeout", 0.0, 1.0, "no result within 1 s"),
        ],
    )
    return [alice, bob]


def test_json_has_the_keys_of_the_spec():
    doc = json.loads(report.to_json(PS, make_results()))
    assert doc["title"] == "Fake set"
    alice, bob = doc["submissions"]
    assert alice == {
        "submission": "alice.toml",
        "student": {"id": "", "name": ""},
        "notes": [],
        "score": 4.0,
        "max_score": 4.0,
        "problems": [
            {"id": "double", "verdict": "correct", "score": 2.0, "points": 2.0, "message": ""},
            {"id": "formula", "verdict": "correct", "score": 1.0, "points": 1.0, "message": ""},
            {"id": "pair", "verdict": "correct", "score": 1.0, "points": 1.0, "message": ""},
        ],
    }
    assert bob["score"] == 0.0 and bob["problems"][1]["pos"] == [1, 4]
    assert bob["problems"][0]["differences"][0]["got"] == 3.0
    assert doc["summary"] == {
        "submissions": 2,
        "fully_correct": 1,
        "verdicts": {
            "correct": 3,
            "wrong": 1,
            "invalid": 1,
            "timeout": 1,
            "limit": 0,
            "missing": 0,
        },
    }


def test_junit_wrong_is_a_failure_invalid_and_timeout_are_errors():
    root = ET.fromstring(report.to_junit(PS, make_results()))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "1", "2")
    cases = root.findall("testsuite/testcase")
    assert [(c.get("classname"), c.get("name")) for c in cases][:3] == [
        ("alice.toml", "double"),
        ("alice.toml", "formula"),
        ("alice.toml", "pair"),
    ]
    bob = root.findall("testsuite")[1]
    assert bob.find("testcase[@name='double']/failure").get("type") == "wrong"
    assert bob.find("testcase[@name='formula']/error").get("type") == "invalid"
    assert bob.find("testcase[@name='pair']/error").get("type") == "timeout"
    assert "\x00" not in bob.find("testcase[@name='formula']/error").text


def test_csv_has_one_row_per_submission():
    rows = list(csv.DictReader(io.StringIO(report.to_csv(PS, make_results()))))
    assert [r["submission"] for r in rows] == ["alice.toml", "bob"]
    assert rows[1]["score"] == "0" and rows[1]["max_score"] == "4"
    assert rows[1]["double:verdict"] == "wrong" and rows[1]["invalid"] == "1"


def test_text_lists_each_submission_and_why():
    text = report.to_text(PS, make_results())
    assert "alice.toml  4/4  double=correct formula=correct pair=correct" in text
    assert "  formula: invalid: SyntaxError at line 1, col 4" in text
    assert text.rstrip().endswith(
        "2 submissions, 1 fully correct. Problems: 3 correct, 1 wrong, 1 invalid, "
        "1 timeout, 0 limit."
    )


def test_rich_table_renders():
    from rich.console import Console

    console = Console(file=io.StringIO(), width=120, color_system=None)
    console.print(report.to_rich(PS, make_results()))
    out = console.file.getvalue()
    assert "alice.toml" in out and "timeout" in out and "fully correct" in out


def test_write_atomic_replaces_whole_files_and_leaves_no_temporaries(tmp_path):
    path = tmp_path / "report.json"
    path.write_text("old")
    report.write_atomic(str(path), "new\n")
    assert path.read_text() == "new\n"
    assert os.listdir(tmp_path) == ["report.json"]

    with pytest.raises(TypeError):
        report.write_atomic(str(path), 42)  # a failed write leaves the old file
    assert path.read_text() == "new\n" and os.listdir(tmp_path) == ["report.json"]


def test_results_log_survives_a_torn_line(tmp_path):
    path = str(tmp_path / "log.jsonl")
    log = ResultsLog(path, {"problem_set": "abc", "shard": None})
    log.open(resume=False)
    first, second = make_results()
    log.append(first)
    log.close()
    with open(path, "a") as f:
        f.write('{"submission": "bob", "sco')  # a kill in the middle of a write
    assert list(ResultsLog(path, {"problem_set": "abc", "shard": None}).read()) == ["alice.toml"]
    log = ResultsLog(path, {"problem_set": "abc", "shard": None})
    log.open(resume=True)
    log.append(second)
    log.close()
    header, results = read_log(path)
    assert header["problem_set"] == "abc"
    assert list(results) == ["alice.toml", "bob"]
    assert results["bob"].problems[1].pos == (1, 4)


def one(name, message="", verdict="invalid"):
    problems = [ProblemResult(p.id, "correct", p.points, p.points) for p in PS.problems]
    problems[1] = ProblemResult("formula", verdict, 0.0, 1.0, message)
    return SubmissionResult(name, problems)


def test_csv_cells_that_a_spreadsheet_would_run_are_text():
    names = ['=HYPERLINK("http://x","y")', "-1+1", "+1", "@SUM(A1)", "\tx", "\rx", "ok-1"]
    rows = list(csv.reader(io.StringIO(report.to_csv(PS, [one(n) for n in names]))))
    assert [r[0] for r in rows[1:]] == [
        '\'=HYPERLINK("http://x","y")', "'-1+1", "'+1", "'@SUM(A1)", "\\tx", "\\x0dx", "ok-1"
    ]
    assert rows[1][1:3] == ["3", "4"]  # our own numbers stay numbers


def test_rich_table_shows_markup_and_escapes_in_names_literally():
    from rich.console import Console

    ps = parse_problem_set(PROBLEM_SET.replace("Fake set", "[red]Set\\u001b[2J").encode(), "s")
    results = [
        one("[bold]alice[/bold]", "[link=http://evil]click[/link]"),
        one("[link=http://evil]bob[/link]\x1b]8;;http://evil\x07"),
    ]
    console = Console(file=io.StringIO(), width=200, force_terminal=True, color_system="truecolor")
    console.print(report.to_rich(ps, results))
    out = console.file.getvalue()
    assert "[bold]alice[/bold]" in out and "[link=http://evil]bob[/link]" in out
    assert "[link=http://evil]click[/link]" in out and "[red]Set\\x1b[2J" in out
    assert "\x1b]8;" not in out  # no hyperlink was drawn
    assert "\\x1b]8;;http://evil\\x07" in out


def test_names_that_are_not_utf8_are_escaped_in_every_report():
    import os

    name = os.fsdecode(b"class/0\xff\x1b[2J.toml")
    results = [one(name, f"{name} is a symbolic link")]
    for build in (report.to_json, report.to_junit, report.to_csv, report.to_text):
        text = build(PS, results)
        text.encode("utf-8")  # no lone surrogate is left
        assert "\x1b" not in text and "\\u001b" not in text
        if build is not report.to_json:
            assert "0\\xff\\x1b[2J.toml" in text
    doc = json.loads(report.to_json(PS, results))
    assert doc["submissions"][0]["submission"] == "class/0\\xff\\x1b[2J.toml"
    assert doc["submissions"][0]["problems"][1]["message"].startswith("class/0\\xff\\x1b[2J")


def test_results_log_keeps_names_that_are_not_utf8_losslessly(tmp_path):
    import os

    name = os.fsdecode(b"class/0\xff.toml")
    path = str(tmp_path / "log.jsonl")
    log = ResultsLog(path, {"problem_set": "abc", "shard": None})
    log.open(resume=False)
    log.append(one(name))
    log.close()
    raw = (tmp_path / "log.jsonl").read_bytes()
    assert raw.isascii() and b"\\udcff" in raw
    assert list(ResultsLog(path, {"problem_set": "abc", "shard": None}).read()) == [name]


def test_messages_are_bounded_and_escaped_when_a_result_is_made():
    from adcli.check.results import bounded
    from adcli.diagnostics import MESSAGE_CAP

    result = ProblemResult("p", "wrong", 0.0, 1.0, "\x1b[2J" + "x" * 50_000_000)
    assert len(result.message) < MESSAGE_CAP + 40 and "\x1b" not in result.message
    assert result.message.startswith("\\x1b[2Jxxx")
    assert result.message.endswith("… (49,997,956 more characters)")
    assert bounded(result.message) == result.message  # reading a log back changes nothing
    assert ProblemResult.from_json(result.to_json()).message == result.message
    diff = ProblemResult("p", "wrong", 0, 1, differences=[{"got": "y" * 10**6, "evil": 1}])
    assert len(diff.differences[0]["got"]) < MESSAGE_CAP + 40 and "evil" not in diff.differences[0]


@pytest.mark.parametrize(
    "line",
    [
        '{"submission": 5, "problems": []}',
        '{"submission": ["a"], "problems": []}',
        '{"submission": "a", "problems": [{"id": "p", "verdict": "=1", "score": 0, "points": 1}]}',
        '{"submission": "a", "problems": [{"id": "p", "verdict": "wrong", "score": -1, '
        '"points": 1}]}',
        '{"submission": "a", "problems": [{"id": "p", "verdict": "wrong", "score": Infinity, '
        '"points": 1}]}',
        '{"submission": "a", "problems": [{"id": "p", "verdict": "wrong", "score": 0, '
        '"points": 1, "message": 7}]}',
        '{"submission": "a", "problems": [{"id": "p", "verdict": "wrong", "score": 0, '
        '"points": 1, "pos": "12"}]}',
        "[" * 100_000,
        "",
        "\xff",
    ],
)
def test_damaged_log_lines_are_skipped_and_counted(tmp_path, line):
    path = tmp_path / "log.jsonl"
    good = json.dumps(one("b").to_json())
    header = '{"adcli_check_log": 1, "problem_set": "abc", "shard": null}'
    path.write_bytes(f"{header}\n{line}\n{good}\n".encode("utf-8", "surrogateescape"))
    damaged = []
    _, results = read_log(str(path), damaged)
    assert list(results) == ["b"] and damaged == [2]


def test_a_log_that_is_a_fifo_or_a_directory_is_refused_without_blocking(tmp_path):
    import os

    from adcli.check.results import LogError

    os.mkfifo(tmp_path / "fifo")
    for path in (tmp_path / "fifo", tmp_path):
        with pytest.raises(LogError):
            read_log(str(path))
        with pytest.raises(LogError):
            ResultsLog(str(path), {}).open(resume=True)


def test_details_wrap_at_words_and_differences_align():
    from adcli.check.report import detail_lines

    lines = detail_lines("  formula: wrong", "last value: 2 of 4 elements differ: [0, 0] "
                         "expected 2.87907, got 5.75815; [1, 1] expected 1.5, got 30")
    assert lines == ["  formula: wrong: last value: 2 of 4 elements differ",
                     "      element  expected  got",
                     "      [0, 0]   2.87907   5.75815",
                     "      [1, 1]   1.5       30"]
    hidden = detail_lines("  f: wrong", "differs from the expected value: [0] got 3; [1] got 4")
    assert hidden[1:] == ["      element  got", "      [0]      3", "      [1]      4"]
    long = detail_lines("  p: invalid", "RuntimeError at line 3, col 3: " + "word " * 40)
    assert all(len(line) <= 80 for line in long) and len(long) > 2
    assert all(line.startswith("      ") for line in long[1:])
