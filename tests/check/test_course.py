"""Course-scale features of ``adcli check``: notes on stray files, missing answers,
``--merge`` globs, content-keyed ``--resume``."""

from __future__ import annotations

import csv
import io
import json
import os
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from adcli.check import batch
from adcli.check.problems import read_submission
from adcli.cli.check_cmd import check_command

SET = """\
title = "Tiny"
[[problem]]
id = "a"
answer = "1 + 1"
[[problem]]
id = "b"
points = 2
answer = "2 * 3"
"""


@pytest.fixture
def course(tmp_path):
    (tmp_path / "set.toml").write_text(SET)
    cls = tmp_path / "class"
    cls.mkdir()
    (cls / "ann.toml").write_text('[answers]\na = "2"\nb = "6"\n')
    (cls / "ben.toml").write_text('[answers]\na = "2"\nc = "9"\n')
    (cls / "cat").mkdir()
    (cls / "cat" / "a.adc").write_text("2\n")
    (cls / "cat" / "notes.txt").write_text("hi\n")
    (cls / "cat" / "zz.py").write_text("1\n")
    (cls / "dan").mkdir()
    return tmp_path


def invoke(args, cwd):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(check_command, [str(a) for a in args])
    finally:
        os.chdir(old)


def test_a_broken_problem_set_is_a_usage_error(tmp_path):
    (tmp_path / "set.toml").write_text("title = \n[[problem]")
    (tmp_path / "s.toml").write_text('[answers]\na = "1"\n')
    result = invoke(["set.toml", "s.toml"], tmp_path)
    assert result.exit_code == 2
    assert "not valid TOML" in result.output
    assert "Traceback" not in result.output


def test_notes_and_missing_in_the_api(course):
    ids = ["a", "b"]
    folder = read_submission(str(course / "class" / "cat"), ids, 10_000)
    assert folder.answers == {"a": "2\n"}
    assert any("notes.txt is not an answer file" in n for n in folder.notes)
    assert any("zz.py: zz is not a problem of this set" in n for n in folder.notes)
    assert "b.adc, b.py, b.ipynb" in folder.missing("b")
    empty = read_submission(str(course / "class" / "dan"), ids, 10_000)
    assert len(empty.notes) == 1 and "is empty" in empty.notes[0]
    toml = read_submission(str(course / "class" / "ben.toml"), ids, 10_000)
    assert any("answers.c is not a problem" in n for n in toml.notes)
    assert "answers.b" in toml.missing("b")


def test_notes_and_missing_in_every_report(course):
    result = invoke(
        ["set.toml", "class", "--json", "r.json", "--csv", "r.csv", "--junit", "r.xml"], course
    )
    assert result.exit_code == 1, result.output
    doc = json.loads((course / "r.json").read_text())
    subs = {os.path.basename(s["submission"]): s for s in doc["submissions"]}
    assert all(isinstance(s["notes"], list) for s in subs.values())
    assert subs["ann.toml"]["notes"] == []
    assert [p["verdict"] for p in subs["cat"]["problems"]] == ["correct", "missing"]
    assert [p["verdict"] for p in subs["dan"]["problems"]] == ["missing", "missing"]
    assert "is empty" in subs["dan"]["notes"][0]
    assert "b.adc, b.py, b.ipynb" in subs["cat"]["problems"][1]["message"]
    assert doc["summary"]["verdicts"]["missing"] == 4
    rows = {r["submission"]: r for r in csv.DictReader(io.StringIO((course / "r.csv").read_text()))}
    assert "is empty" in rows[os.path.join("class", "dan")]["notes"]
    assert rows[os.path.join("class", "dan")]["missing"] == "2"
    root = ET.parse(course / "r.xml").getroot()
    dan = next(s for s in root if s.get("name").endswith("dan"))
    assert "is empty" in dan.find("system-err").text
    assert dan.get("errors") == "2"
    assert "note: " in result.output and "missing" in result.output


def test_merge_expands_glob_patterns(course):
    for i in (1, 2):
        result = invoke(
            ["set.toml", "class", "--shard", f"{i}/2", "--log", f"logs/shard-{i}.jsonl", "-q"],
            course,
        )
        assert result.exit_code == 1, result.output
    assert batch.expand_log_patterns([str(course / "logs" / "*.jsonl")]) == [
        str(course / "logs" / "shard-1.jsonl"),
        str(course / "logs" / "shard-2.jsonl"),
    ]
    result = invoke(["set.toml", "--merge", "logs/*.jsonl", "--json", "all.json", "-q"], course)
    assert result.exit_code == 1, result.output
    doc = json.loads((course / "all.json").read_text())
    assert sorted(os.path.basename(s["submission"]) for s in doc["submissions"]) == [
        "ann.toml",
        "ben.toml",
        "cat",
        "dan",
    ]
    result = invoke(["set.toml", "--merge", "nowhere/*.jsonl"], course)
    assert result.exit_code == 2
    assert "matches no file" in result.output and "Traceback" not in result.output


def _graded(log):
    lines = log.read_text().splitlines()[1:]
    return [json.loads(line) for line in lines]


def test_resume_regrades_changed_submissions(course):
    log = course / "log.jsonl"
    result = invoke(["set.toml", "class", "--log", log, "-q"], course)
    assert result.exit_code == 1
    first = _graded(log)
    assert len(first) == 4 and all(len(r["digest"]) == 64 for r in first)
    # a kill -9 mid-run: the last result is lost and the line before it torn
    lines = log.read_text().splitlines(keepends=True)
    log.write_text("".join(lines[:-2]) + lines[-2][:20])
    # two students hand in again: a TOML file and a file in a folder
    (course / "class" / "ann.toml").write_text('[answers]\na = "3"\nb = "6"\n')
    (course / "class" / "cat" / "b.adc").write_text("6\n")
    result = invoke(["set.toml", "class", "--log", log, "--json", "r.json", "--resume"], course)
    assert result.exit_code == 1, result.output
    # ann and ben were logged; ann changed since; cat was torn and dan lost
    assert "1 result(s) were taken from the results log" in result.output
    names = [os.path.basename(r["submission"]) for r in _graded(log)]
    assert names == ["ann.toml", "ben.toml", "ann.toml", "cat", "dan"]
    doc = json.loads((course / "r.json").read_text())
    subs = {os.path.basename(s["submission"]): s for s in doc["submissions"]}
    assert subs["ann.toml"]["problems"][0]["verdict"] == "wrong"
    assert subs["cat"]["score"] == 3.0
    assert "digest" not in subs["cat"]


def test_content_digest_follows_nothing(course, tmp_path_factory):
    from adcli.check.problems import content_digest

    cat = course / "class" / "cat"
    before = content_digest(str(cat), 1000)
    assert before == content_digest(str(cat), 1000)
    outside = tmp_path_factory.mktemp("outside") / "secret.adc"
    outside.write_text("1\n")
    (cat / "b.adc").symlink_to(outside)
    linked = content_digest(str(cat), 1000)
    assert linked != before
    outside.write_text("2\n")  # the target is never read
    assert content_digest(str(cat), 1000) == linked
    (cat / "notes.txt").write_text("changed\n")
    assert content_digest(str(cat), 1000) != linked


def test_students_from_metadata_and_roster(course):
    cls = course / "class"
    (cls / "ann.toml").write_text('[student]\nid = "s1"\nname = "Ann"\n[answers]\na = "2"\n')
    (cls / "ben.toml").write_text('student = "Ben \\u001b[2J"\n[answers]\na = "2"\n')
    (cls / "cat" / "student.toml").write_text('id = "s3"\nname = "Cat"\n')
    nb = {"cells": [], "metadata": {"student": {"id": "s4", "name": "Dan"}}, "nbformat": 4}
    (cls / "dan" / "b.ipynb").write_text(json.dumps(nb))
    ids = ["a", "b"]
    assert read_submission(str(cls / "ann.toml"), ids, 10_000).student == {
        "id": "s1",
        "name": "Ann",
    }
    assert read_submission(str(cls / "ben.toml"), ids, 10_000).student == {
        "name": "Ben \\x1b[2J"
    }
    cat = read_submission(str(cls / "cat"), ids, 10_000)
    assert cat.student == {"id": "s3", "name": "Cat"}
    assert not any("student.toml" in n for n in cat.notes)
    assert read_submission(str(cls / "dan"), ids, 10_000).student == {"id": "s4", "name": "Dan"}
    args = ["set.toml", "class", "--json", "r.json", "--csv", "r.csv", "--junit", "r.xml"]
    result = invoke(args, course)
    assert result.exit_code == 1, result.output
    doc = json.loads((course / "r.json").read_text())
    students = {os.path.basename(s["submission"]): s["student"] for s in doc["submissions"]}
    assert students["cat"] == {"id": "s3", "name": "Cat"}
    assert students["ben.toml"] == {"id": "", "name": "Ben \\x1b[2J"}
    assert "[s1 Ann]" in result.output
    # the roster (the teacher's) wins; a row without a submission matches by id
    (course / "roster.csv").write_text(
        "id,name,submission\nS-9,Annabel,ann.toml\ns3,Catherine,\nx7,Nobody,\n"
    )
    result = invoke([*args, "--roster", "roster.csv"], course)
    assert result.exit_code == 1, result.output
    assert "2 student(s) of the roster have no submission here: s3, x7" in result.output
    doc = json.loads((course / "r.json").read_text())
    students = {os.path.basename(s["submission"]): s["student"] for s in doc["submissions"]}
    assert students["ann.toml"] == {"id": "S-9", "name": "Annabel"}
    assert students["cat"] == {"id": "s3", "name": "Cat"}  # no folder s3: metadata stays
    rows = list(csv.DictReader(io.StringIO((course / "r.csv").read_text())))
    assert {r["student_name"] for r in rows} >= {"Annabel", "Cat", "Dan"}
    assert {r["student_id"] for r in rows} >= {"S-9", "s3", "s4"}
    root = ET.parse(course / "r.xml").getroot()
    ann = next(s for s in root if s.get("name").endswith("ann.toml"))
    props = {p.get("name"): p.get("value") for p in ann.iter("property")}
    assert props == {"student_id": "S-9", "student_name": "Annabel"}


def test_a_bad_roster_is_a_usage_error(course):
    (course / "roster.csv").write_text("who,what\n1,2\n")
    result = invoke(["set.toml", "class", "--roster", "roster.csv"], course)
    assert result.exit_code == 2
    assert "needs a header row with the columns id and name" in result.output
    result = invoke(["set.toml", "class", "--roster", "nope.csv"], course)
    assert result.exit_code == 2 and "cannot read the roster" in result.output


def _gradescope_ok(doc):
    assert isinstance(doc["score"], float) and isinstance(doc["output"], str)
    assert doc["visibility"] in ("hidden", "after_due_date", "after_published", "visible")
    for t in doc["tests"]:
        assert set(t) == {"name", "score", "max_score", "status", "output", "visibility"}
        assert isinstance(t["name"], str) and isinstance(t["output"], str)
        assert isinstance(t["score"], float) and isinstance(t["max_score"], float)
        assert t["status"] in ("passed", "failed")


def _prairielearn_ok(doc):
    assert doc["gradable"] is True and 0.0 <= doc["score"] <= 1.0
    assert isinstance(doc["message"], str)
    for t in doc["tests"]:
        assert {"name", "points", "max_points", "message", "output"} <= set(t)
        assert all(isinstance(t[k], float) for k in ("points", "max_points"))


def test_gradescope_and_prairielearn_for_one_submission(course):
    args = ["set.toml", "class/cat", "--gradescope", "gs.json", "--prairielearn", "pl.json"]
    result = invoke(args, course)
    assert result.exit_code == 1, result.output
    gs = json.loads((course / "gs.json").read_text())
    _gradescope_ok(gs)
    assert gs["score"] == 1.0
    assert [(t["name"], t["status"]) for t in gs["tests"]] == [("a", "passed"), ("b", "failed")]
    assert "b.adc, b.py, b.ipynb" in gs["tests"][1]["output"]
    assert "notes.txt" in gs["output"]
    pl = json.loads((course / "pl.json").read_text())
    _prairielearn_ok(pl)
    assert pl["score"] == pytest.approx(1 / 3)


def test_gradescope_for_a_class_writes_a_directory(course):
    result = invoke(["set.toml", "class", "--gradescope", "gs", "--prairielearn", "pl"], course)
    assert result.exit_code == 1, result.output
    names = ["ann.toml.json", "ben.toml.json", "cat.json", "dan.json"]
    assert sorted(os.listdir(course / "gs")) == names
    assert sorted(os.listdir(course / "pl")) == names
    for name in names:
        _gradescope_ok(json.loads((course / "gs" / name).read_text()))
        _prairielearn_ok(json.loads((course / "pl" / name).read_text()))


HIDDEN_SET = """\
[[problem]]
id = "t"
answer = "ones(2) * 7.25"
[[problem]]
id = "s"
answer = "ones(2, 2) * 7.25"
[[problem]]
id = "n"
answer = "7.25"
"""


def test_hide_expected_keeps_reference_values_out_of_every_report(tmp_path):
    (tmp_path / "set.toml").write_text(HIDDEN_SET)
    (tmp_path / "s.toml").write_text('[answers]\nt = "ones(2) * 5.5"\ns = "ones(3)"\nn = "4.5"\n')
    reports = ["--json", "r.json", "--csv", "r.csv", "--junit", "r.xml"]
    reports += ["--gradescope", "gs.json", "--prairielearn", "pl.json"]
    shown = invoke(["set.toml", "s.toml", *reports], tmp_path)
    assert shown.exit_code == 1
    assert "7.25" in (tmp_path / "r.json").read_text()
    result = invoke(["set.toml", "s.toml", *reports, "--hide-expected"], tmp_path)
    assert result.exit_code == 1
    assert "7.25" not in result.output
    for name in ("r.json", "r.csv", "r.xml", "gs.json", "pl.json"):
        text = (tmp_path / name).read_text()
        assert "7.25" not in text, name
    doc = json.loads((tmp_path / "r.json").read_text())
    t, s, n = doc["submissions"][0]["problems"]
    assert "differ" in t["message"] and "got 5.5" in t["message"]
    assert all("expected" not in d for d in t["differences"])
    assert "differs from the expected shape, got shape [3]" in s["message"]
    assert "got 4.5" in n["message"]
    # the log keeps both, so a later --merge can show either
    log = tmp_path / ".adcli-check"
    (logfile,) = list(log.iterdir())
    assert "hidden_message" in logfile.read_text() and "7.25" in logfile.read_text()
    args = ["set.toml", "--merge", str(logfile), "--hide-expected", "--json", "-"]
    merged = invoke(args, tmp_path)
    assert "7.25" not in merged.output and "got 5.5" in merged.output


def test_stats_per_problem(tmp_path):
    (tmp_path / "set.toml").write_text(HIDDEN_SET)
    answers = ["5.5", "5.5", "5.50000001", "7.25", "3"]
    for k, value in enumerate(answers):
        (tmp_path / f"s{k}.toml").write_text(f'[answers]\nn = "{value}"\nt = "ones(2) * 7.25"\n')
    names = [f"s{k}.toml" for k in range(len(answers))]
    args = ["set.toml", *names, "--stats", "--json", "r.json", "--hide-expected"]
    result = invoke(args, tmp_path)
    assert result.exit_code == 1, result.output
    stats = json.loads((tmp_path / "r.json").read_text())["stats"]["problems"]
    t, s, n = stats
    assert t["mean"] == 1.0 and t["std"] == 0.0 and t["verdicts"]["correct"] == 1.0
    assert s["verdicts"]["missing"] == 1.0 and s["wrong_answers"] == []
    assert n["mean"] == pytest.approx(0.2) and n["std"] == pytest.approx(0.4)
    assert n["verdicts"]["wrong"] == pytest.approx(0.8)
    top = n["wrong_answers"][0]
    assert top["count"] == 3 and "5.5" in top["value"] and len(top["key"]) == 12
    assert sum(w["count"] for w in n["wrong_answers"]) == 4
    assert all(isinstance(w["value"], str) for w in n["wrong_answers"])
    assert "Per problem (" in result.output and "Most common wrong answers to n:" in result.output
    after = result.output.split("Per problem (")[1]
    assert max(len(line) for line in after.splitlines()) <= 80
    assert "\nn                      0.2    0.4  +20% x80%\n" in after


def _many(count):
    from adcli.check.problems import parse_problem_set
    from adcli.check.results import ProblemResult, SubmissionResult

    body = "".join(
        f'[[problem]]\nid = "problem-number-{k}"\nanswer = "1"\n' for k in range(count)
    )
    ps = parse_problem_set(body.encode(), "many.toml")
    cycle = ["correct", "wrong", "invalid", "timeout", "limit", "missing"]
    results = [
        SubmissionResult(
            f"class/student-{s}.toml",
            [
                ProblemResult(p.id, cycle[(k + s) % 6], 0.0, 1.0, "why")
                for k, p in enumerate(ps.problems)
            ],
            student={"id": f"s{s}", "name": f"Student {s}"},
        )
        for s in range(3)
    ]
    return ps, results


@pytest.mark.parametrize("count", [1, 4, 12, 40])
def test_the_table_keeps_to_80_columns_for_any_number_of_problems(count):
    from rich.console import Console

    from adcli.check import report

    ps, results = _many(count)
    console = Console(file=io.StringIO(), width=80, color_system=None)
    console.print(report.to_rich(ps, results, width=80))
    out = console.file.getvalue()
    table = out.split("student-0.toml (s0 Student 0)")[0]
    assert max(len(line) for line in table.splitlines()) <= 80
    assert "│" in table and "student-2.toml" in table
    if count >= 12:
        assert "one symbol per problem" in out and "+ correct" in out
    text = report.to_text(ps, results)
    grid = [line for line in text.splitlines() if not line.startswith("  ") or "  " not in line[2:]]
    assert max(len(line) for line in grid[:-1]) <= 80  # the foot may be longer
    if count >= 4:  # every verdict is there, folded onto indented lines
        lines = text.splitlines()
        first = next(i for i, line in enumerate(lines) if line.startswith("student-0.toml"))
        row = lines[first].split("]  ", 1)[1]
        for line in lines[first + 1 :]:
            if not line.startswith("    "):
                break
            row += line
        assert len(row.replace(" ", "")) == count
    assert ("problems in order" in text) == (count >= 4)
    # details grouped per student: a heading, then that student's problems
    assert "student-0.toml (s0 Student 0)\n  note" not in out
    assert "student-1.toml (s1 Student 1)\n  problem-number-0 wrong: why" in out


def test_html_report_is_self_contained(course):
    from html.parser import HTMLParser

    (course / "class" / "<script>alert(1)<").mkdir()
    ann = '[student]\nname = "<b>Ann</b>"\n[answers]\na = "3"\n'
    (course / "class" / "ann.toml").write_text(ann)
    result = invoke(["set.toml", "class", "--html", "r.html", "--stats"], course)
    assert result.exit_code == 1, result.output
    text = (course / "r.html").read_text()

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags, self.stack, self.rows, self.links = [], [], {}, []
            self.data = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            self.stack.append(tag)
            attrs = dict(attrs)
            for key in ("href", "src"):
                if key in attrs:
                    self.links.append(attrs[key])
            if tag == "table":
                self.current = attrs.get("id")
                self.rows.setdefault(self.current, 0)
            if tag == "tr":
                self.rows[self.current] += 1

        def handle_endtag(self, tag):
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass

        def handle_data(self, data):
            self.data.append(data)

    parser = Collect()
    parser.feed(text)
    parser.close()
    assert parser.stack == []  # every element closed
    assert {"html", "head", "style", "body", "table", "section"} <= set(parser.tags)
    assert not {"script", "link", "img", "iframe"} & set(parser.tags)
    assert all(link.startswith("#") for link in parser.links) and len(parser.links) == 5
    assert parser.rows["class"] == 1 + 5  # the head and a row per submission
    assert parser.rows["stats"] == 1 + 2
    data = "".join(parser.data)
    assert "<script>alert(1)<" in data and "<b>Ann</b>" in data
    assert "b.adc, b.py, b.ipynb" in data and "is empty" in data
    assert "http" not in text


def test_the_formats_through_the_api(tmp_path):
    from adcli.check import html, lms, stats
    from adcli.check.roster import apply_roster, load_roster

    ps, results = _many(3)
    results[0].problems[1].hidden = "last value: got 9"
    results[0].problems[1].message = "last value: expected 1, got 9"
    roster = tmp_path / "roster.csv"
    roster.write_text("\ufeffID, Name ,submission\nA1,Ann,student-0\nA2,Ben,class/student-1.toml\n")
    warnings = apply_roster(load_roster(str(roster)), results)
    assert warnings == []
    assert [r.student_name for r in results] == ["Ann", "Ben", "Student 2"]
    gs = json.loads(lms.to_gradescope(ps, results[0].without_expected()))
    _gradescope_ok(gs)
    assert gs["tests"][1]["output"] == "wrong: last value: got 9"
    _prairielearn_ok(json.loads(lms.to_prairielearn(ps, results[0])))
    assert lms.file_names(results[:1] * 2) == ["student-0.toml.json", "student-0.toml-2.json"]
    got = stats.compute_stats(ps, results)
    assert [p["id"] for p in got["problems"]] == [p.id for p in ps.problems]
    first = got["problems"][0]
    assert set(first) == {"id", "points", "submissions", "mean", "std", "verdicts", "wrong_answers"}
    assert first["submissions"] == 3
    assert sum(first["verdicts"].values()) == pytest.approx(1.0, abs=1e-5)
    assert got["problems"][1]["wrong_answers"][0]["value"] == "last value: got 9"
    page = html.to_html(ps, results, got)
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page and "Ann" in page


def test_a_roster_that_is_not_a_file_is_refused(course):
    os.mkfifo(course / "fifo.csv")
    result = invoke(["set.toml", "class", "--roster", "fifo.csv"], course)
    assert result.exit_code == 2 and "is not a regular file" in result.output
    result = invoke(["set.toml", "class", "--roster", "class"], course)
    assert result.exit_code == 2 and "roster" in result.output


def test_resume_after_a_real_kill_regrades_only_what_changed(tmp_path, adcli_cmd):
    import signal
    import subprocess
    import time

    (tmp_path / "set.toml").write_text(SET)
    cls = tmp_path / "class"
    cls.mkdir()
    for name in ("s1", "s2", "s4"):
        (cls / f"{name}.toml").write_text('[answers]\na = "2"\nb = "6"\n')
    endless = 'a = """\nwhile True:\n    y = randn(100, 100) @ randn(100, 100)\n"""\n'
    (cls / "s3.toml").write_text("[answers]\n" + endless)
    log = tmp_path / "log.jsonl"
    args = [adcli_cmd, "check", "set.toml", "class", "--log", str(log)]
    run = subprocess.Popen(
        [*args, "-q", "--timeout", "60"], cwd=tmp_path, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if log.exists() and len(log.read_text().splitlines()) >= 3:
                break
            time.sleep(0.05)
        time.sleep(0.3)  # s3 is on its endless answer now
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
    assert [os.path.basename(r["submission"]) for r in _graded(log)] == ["s1.toml", "s2.toml"]
    (cls / "s1.toml").write_text('[answers]\na = "3"\nb = "6"\n')  # handed in again
    (cls / "s3.toml").write_text('[answers]\na = "2"\nb = "6"\n')
    done = subprocess.run(
        [*args, "--resume", "--json", "r.json"], cwd=tmp_path, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "1 result(s) were taken from the results log" in done.stderr
    names = [os.path.basename(r["submission"]) for r in _graded(log)]
    assert names == ["s1.toml", "s2.toml", "s1.toml", "s3.toml", "s4.toml"]
    doc = json.loads((tmp_path / "r.json").read_text())
    assert [s["score"] for s in doc["submissions"]] == [2.0, 3.0, 3.0, 3.0]


def test_html_each_writes_one_page_per_student(tmp_path):
    from html.parser import HTMLParser

    from click.testing import CliRunner

    from adcli.cli.main import cli

    out = tmp_path / "pages"
    res = CliRunner().invoke(cli, ["check", "samples/homework/set.toml",
                                   "samples/homework/submissions/carol.toml",
                                   "samples/homework/submissions/alice.toml",
                                   "--html-each", str(out), "--hide-expected", "--quiet"])
    assert res.exit_code in (0, 1), res.output
    pages = sorted(p.name for p in out.iterdir())
    assert pages == ["alice.html", "carol.html"]
    carol = (out / "carol.html").read_text()
    HTMLParser().feed(carol)
    assert "carol" in carol and "alice" not in carol
    assert "expected 4.5" not in carol  # --hide-expected reaches the pages too
