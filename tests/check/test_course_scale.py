"""A course-sized class (200 generated submissions, every slip of issue 18) graded end to
end: every verdict is the one the generator planted, and no answer is a silent zero."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from click.testing import CliRunner

from adcli.cli.check_cmd import check_command
from tests.check import course_fixture as fixture

COUNT = 200


def invoke(args, cwd):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(check_command, [str(a) for a in args])
    finally:
        os.chdir(old)


def by_name(doc):
    return {os.path.basename(s["submission"]): s for s in doc["submissions"]}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    course = fixture.generate(root, COUNT, seed=18)
    result = invoke(
        ["set.toml", "class", "--jobs", "2", "--json", "teacher.json", "--show-hidden",
         "--log", "log.jsonl", "-q"],
        root,
    )
    assert result.exit_code == 1, result.output
    result = invoke(
        ["set.toml", "--merge", "log.jsonl", "--json", "student.json", "--stats",
         "--csv", "student.csv", "--junit", "student.xml", "--html", "student.html"],
        root,
    )
    assert result.exit_code == 1, result.output
    (root / "student.txt").write_text(result.output)
    teacher = json.loads((root / "teacher.json").read_text())
    student = json.loads((root / "student.json").read_text())
    return course, teacher, student


def test_the_generator_plants_every_slip(graded):
    course, _, _ = graded
    assert len(course.plan) == COUNT
    planted = Counter(v for plan in course.plan.values() for v in plan.values())
    assert set(planted) == set(fixture.EXPECTED)
    kinds = Counter(course.kinds.values())
    assert kinds["empty"] == 1 and kinds["toml"] > 20 and kinds["dir"] > 100
    files = Counter(p.suffix for p in course.class_dir.rglob("*") if p.is_file())
    assert files[".adc"] > 50 and files[".py"] > 50 and files[".ipynb"] > 50
    assert files[".pdf"] == 1 and files[".txt"] == 1


def test_every_verdict_is_the_planted_one(graded):
    course, teacher, _ = graded
    subs = by_name(teacher)
    assert sorted(subs) == sorted(course.plan)
    wrong = {
        name: ([p["verdict"] for p in s["problems"]], course.expected(name))
        for name, s in subs.items()
        if [p["verdict"] for p in s["problems"]] != course.expected(name)
    }
    assert not wrong
    counts = Counter(v for name in course.plan for v in course.expected(name))
    assert teacher["summary"]["verdicts"] == {
        v: counts.get(v, 0) for v in ("correct", "wrong", "invalid", "timeout", "limit", "missing")
    }
    assert teacher["summary"]["fully_correct"] == sum(
        set(course.expected(n)) == {"correct"} for n in course.plan
    )


def test_notes_name_what_answers_nothing(graded):
    course, teacher, _ = graded
    subs = by_name(teacher)
    for name, must in course.notes.items():
        assert bool(subs[name]["notes"]) == must, name
    assert "is empty" in subs["s000"]["notes"][0]
    notes = " ".join(subs["s002"]["notes"])
    assert "notes.txt is not an answer file" in notes
    assert "scale.pdf is not an answer file" in notes
    assert "q7.py: q7 is not a problem of this set" in notes


def test_no_silent_zeros(graded):
    _, teacher, student = graded
    for doc in (teacher, student):
        for s in doc["submissions"]:
            for p in s["problems"]:
                if p["score"] == 0:
                    assert p["message"], (s["submission"], p["id"])
            if s["score"] == 0:
                assert s["notes"] or all(p["message"] for p in s["problems"])


def test_messages_say_why(graded):
    course, teacher, _ = graded
    for name, s in by_name(teacher).items():
        for pid, p in zip(fixture.PROBLEMS, s["problems"], strict=True):
            variant = course.plan[name][pid]
            if variant == "missing":
                assert p["message"].startswith("no answer: "), p
            elif variant == "undefined":
                assert "is not defined: the answer must define" in p["message"]
            elif variant == "raising":
                assert "AttributeError at line" in p["message"]
            elif variant == "raises":
                assert "Error" in p["message"] and "at line" in p["message"]


def test_hidden_tests_keep_their_details_from_students(graded):
    course, _, student = graded
    for name, s in by_name(student).items():
        secret = s["problems"][fixture.PROBLEMS.index("secret")]
        variant = course.plan[name]["secret"]
        if variant == "missing":
            assert secret["message"].startswith("no answer: ")
        else:
            passed = "passed" if variant == "correct" else "failed"
            assert secret["message"] == f"hidden test: {passed}"
            assert "differences" not in secret and "pos" not in secret


def test_resubmissions_are_regraded_and_the_rest_reused(tmp_path):
    course = fixture.generate(tmp_path, 30, seed=7)
    result = invoke(["set.toml", "class", "--jobs", "2", "--log", "log.jsonl", "-q"], tmp_path)
    assert result.exit_code == 1, result.output
    again = {
        "s001": dict.fromkeys(fixture.PROBLEMS, "wrong"),  # all correct before
        "s003.toml": dict.fromkeys(fixture.PROBLEMS, "correct"),
        "s004": {**dict.fromkeys(fixture.PROBLEMS, "correct"), "my-exp": "raising"},
    }
    for seed, (name, plan) in enumerate(again.items()):
        fixture.resubmit(course, name, plan, seed)
    result = invoke(
        ["set.toml", "class", "--jobs", "2", "--log", "log.jsonl", "--resume",
         "--json", "r.json", "--show-hidden", "-q"],
        tmp_path,
    )
    assert result.exit_code == 1, result.output
    lines = (tmp_path / "log.jsonl").read_text().splitlines()
    regraded = [os.path.basename(json.loads(line)["submission"]) for line in lines[31:]]
    assert sorted(regraded) == sorted(again)
    for name, s in by_name(json.loads((tmp_path / "r.json").read_text())).items():
        assert [p["verdict"] for p in s["problems"]] == course.expected(name), name


def test_hidden_tests_show_only_passed_or_failed_in_tables_and_counts(graded):
    course, teacher, student = graded
    root = course.root
    secret = fixture.PROBLEMS.index("secret")
    planted = Counter(shown_secret(course, name) for name in course.plan)
    # the counts: a hidden test that failed is "failed", never wrong or invalid
    counts = student["summary"]["verdicts"]
    assert counts["failed"] == planted["failed"] > 0
    teacher_counts = teacher["summary"]["verdicts"]
    assert "failed" not in teacher_counts
    for verdict in ("wrong", "invalid"):
        hidden = sum(
            s["problems"][secret]["verdict"] == verdict for s in teacher["submissions"]
        )
        assert counts[verdict] == teacher_counts[verdict] - hidden
    stats = student["stats"]["problems"][secret]
    assert set(k for k, v in stats["verdicts"].items() if v) == {"correct", "failed", "missing"}
    assert stats["wrong_answers"] == []  # how a hidden test failed is not a wrong answer
    # the tables: the CSV, the plain text, JUnit, the HTML
    rows = list(csv.DictReader(io.StringIO((root / "student.csv").read_text())))
    for row in rows:
        name = os.path.basename(row["submission"])
        assert row["secret:verdict"] == shown_secret(course, name)
    assert sum(int(row["failed"]) for row in rows) == planted["failed"]
    text = (root / "student.txt").read_text()
    assert re.search(r"^  secret: failed: hidden test: failed$", text, re.M)
    assert not re.search(r"^  secret: (wrong|invalid)", text, re.M)
    assert not re.search(r"secret=(wrong|invalid)", text)
    junit = ET.parse(root / "student.xml").getroot()
    cases = [c for c in junit.iter("testcase") if c.get("name") == "secret"]
    assert {c[0].get("type") for c in cases if len(c)} == {"failed", "missing"}
    html = (root / "student.html").read_text()
    assert '<td class="failed">failed</td>' in html


def shown_secret(course, name):
    """How the student-facing reports show the hidden problem's verdict."""
    verdict = course.expected(name)[fixture.PROBLEMS.index("secret")]
    return {"correct": "passed", "missing": "missing"}.get(verdict, "failed")
