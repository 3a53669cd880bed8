"""Hostile submissions for `adcli check`: links, FIFOs, file names, huge values, bad logs.

A student controls the files and the names in a submission, never the command line. The
grader must not open anything outside a submission, must show every name escaped, must
keep every message small, and must answer a teacher's mistake with a clear error (exit
status 2), never an internal error. Each test runs in an empty working directory (see
conftest): every log and report goes under ``tmp_path`` instead.
"""

import csv
import json
import os
import shutil
import signal
import subprocess
import threading
import time
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from adcli.check.results import read_log
from adcli.cli.main import cli
from adcli.diagnostics import MESSAGE_CAP

SET = """\
title = "Files"

[[problem]]
id = "p1"
answer = "1 + 1"

[[problem]]
id = "p2"
answer = "'ok'"
"""
RIGHT = '[answers]\np1 = "2"\np2 = "\'ok\'"\n'
SECRET = "TOPSECRET_4d1f"  # in files a student may link to; never in any report


@pytest.fixture
def work(tmp_path):
    """A problem set and a class of two honest students (alice: TOML, bob: a directory)."""
    (tmp_path / "set.toml").write_text(SET)
    (tmp_path / "solution.adc").write_text(f"'ok'  # {SECRET}\n")  # the teacher's, outside
    (tmp_path / "secret.toml").write_text(f'[answers]\np1 = "2"\n{SECRET} = [\n')
    cls = tmp_path / "class"
    cls.mkdir()
    (cls / "alice.toml").write_text(RIGHT)
    (cls / "bob").mkdir()
    (cls / "bob" / "p1.adc").write_text("2\n")
    (cls / "bob" / "p2.adc").write_text("'ok'\n")
    return tmp_path


def check(*args, limit=20.0):
    """`adcli check` through click in this process; SIGINT ends it after ``limit`` s (a hang)."""
    guard = threading.Timer(limit, os.kill, (os.getpid(), signal.SIGINT))
    guard.start()
    try:
        return CliRunner().invoke(cli, ["check", *map(str, args)], env={"NO_COLOR": "1"})
    finally:
        guard.cancel()


def report(work, *submissions, extra=()):
    """Check the submissions with every report; the result and the parsed JSON report."""
    out = work / "out"
    out.mkdir(exist_ok=True)
    result = check(
        work / "set.toml",
        *submissions,
        "--jobs",
        "1",
        "--timeout",
        "2",
        "--log",
        out / "log.jsonl",
        "--json",
        out / "r.json",
        "--junit",
        out / "r.xml",
        "--csv",
        out / "r.csv",
        *extra,
    )
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    doc = json.loads((out / "r.json").read_text(encoding="utf-8"))
    return result, doc


def all_reports(work, result):
    """Every report as text (each file must be valid UTF-8) and the terminal output."""
    texts = [result.output]
    for name in ("r.json", "r.xml", "r.csv", "log.jsonl"):
        texts.append((work / "out" / name).read_bytes().decode("utf-8"))
    return "\n".join(texts)


def by_name(doc):
    return {os.path.basename(s["submission"]): s for s in doc["submissions"]}


def problems(sub):
    return {p["id"]: p for p in sub["problems"]}


# --- 1. links ----------------------------------------------------------------------------


def test_a_linked_answer_file_is_invalid_and_never_read(work):
    bob = work / "class" / "bob"
    (bob / "p2.adc").unlink()
    (bob / "p2.adc").symlink_to(work / "solution.adc")  # the teacher's solution, outside
    result, doc = report(work, work / "class")
    got = problems(by_name(doc)["bob"])
    assert got["p1"]["verdict"] == "correct"
    assert got["p2"]["verdict"] == "invalid"
    assert got["p2"]["message"].endswith(
        "bob/p2.adc is a symbolic link; answers must be regular files"
    )
    assert SECRET not in all_reports(work, result)


def test_linked_class_entries_are_listed_and_every_problem_is_invalid(work):
    cls = work / "class"
    (cls / "eve.toml").symlink_to("/proc/self/environ")
    (cls / "carol.toml").symlink_to(cls / "alice.toml")  # another student's answers
    (cls / "mallory").symlink_to(cls / "bob")  # another student's directory
    (cls / "trent.toml").symlink_to(work / "secret.toml")  # a file outside the class
    (cls / "dangling.toml").symlink_to(work / "nothing.toml")
    result, doc = report(work, cls)
    subs = by_name(doc)
    assert sorted(subs) == [
        "alice.toml", "bob", "carol.toml", "dangling.toml", "eve.toml", "mallory", "trent.toml"
    ]
    for name in ("carol.toml", "dangling.toml", "eve.toml", "mallory", "trent.toml"):
        for p in subs[name]["problems"]:
            assert p["verdict"] == "invalid"
            assert p["message"] == (
                f"{cls / name} is a symbolic link; submissions must be regular files or directories"
            )
    assert subs["alice.toml"]["score"] == subs["bob"]["score"] == 2
    text = all_reports(work, result)
    assert SECRET not in text and "PATH=" not in text


def test_a_linked_submission_on_the_command_line_is_invalid(work):
    (work / "mine.toml").symlink_to(work / "class" / "alice.toml")
    (work / "mydir").symlink_to(work / "class" / "bob")
    _, doc = report(work, work / "mine.toml", work / "mydir")
    for sub in doc["submissions"]:
        assert [p["verdict"] for p in sub["problems"]] == ["invalid", "invalid"]
        assert "is a symbolic link" in sub["problems"][0]["message"]


def test_fifos_cost_their_answer_and_never_hang_a_worker(work):
    bob = work / "class" / "bob"
    (bob / "p2.adc").unlink()
    os.mkfifo(bob / "p2.adc")
    os.mkfifo(work / "class" / "zed.toml")
    start = time.monotonic()
    _, doc = report(work, work / "class")
    assert time.monotonic() - start < 10  # a blocked open would cost the 2 s timeout, each
    got = by_name(doc)
    assert [p["verdict"] for p in got["bob"]["problems"]] == ["correct", "invalid"]
    assert got["bob"]["problems"][1]["message"].endswith("bob/p2.adc is not a regular file")
    assert got["zed.toml"]["problems"][0]["message"].endswith(
        "zed.toml is not a regular file or a directory"
    )


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (f"{SECRET}=1\0HOME=/root\0", "end of document after a statement (at line 1, column 17)"),
        (f"[{SECRET}]\n[{SECRET}]\n", "a table declared twice (at line 2, column 16)"),
        (f'a = "{SECRET}\x01"\n', "an illegal character (at line 1, column 20)"),
        (f"a = {{ {SECRET} = 1, {SECRET} = 2 }}\n", "a key repeated in an inline table"),
        (f"[answers]\np1 = [\"{SECRET}\"]\n", "answers.p1 must be a string of adcli code"),
        (f"{SECRET} = 1\n\xff\n".encode("latin-1"), "not UTF-8 text (byte 19)"),
    ],
)
def test_messages_about_a_broken_file_quote_none_of_it(work, content, why):
    path = work / "class" / "zed.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    result, doc = report(work, path)
    message = doc["submissions"][0]["problems"][0]["message"]
    assert why in message
    assert SECRET not in all_reports(work, result)


# --- 2. file names that are not UTF-8 -----------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_graded_shown_escaped_and_resumed(work):
    cls = os.fsencode(work / "class")
    with open(os.path.join(cls, b"0\xff.toml"), "w") as f:
        f.write(RIGHT.replace('"2"', '"3"'))
    result, doc = report(work, work / "class")
    assert result.exit_code == 1
    subs = by_name(doc)
    assert [p["verdict"] for p in subs["0\\xff.toml"]["problems"]] == ["wrong", "correct"]
    assert "0\\xff.toml" in result.output
    text = all_reports(work, result)  # every file decodes as UTF-8
    root = ET.fromstring((work / "out" / "r.xml").read_text(encoding="utf-8"))
    assert any(s.get("name").endswith("0\\xff.toml") for s in root.iter("testsuite"))
    rows = list(csv.DictReader((work / "out" / "r.csv").open(encoding="utf-8")))
    assert rows[0]["submission"].endswith("0\\xff.toml")
    assert "\\udcff" in text  # the log keeps the name losslessly ...
    _, logged = read_log(str(work / "out" / "log.jsonl"))
    assert os.fsdecode(os.path.join(cls, b"0\xff.toml")) in logged  # ... as the OS gives it

    before = (work / "out" / "r.json").read_text()
    again, _ = report(work, work / "class", extra=["--resume"])
    assert "3 result(s) were taken from the results log" in again.output
    assert (work / "out" / "r.json").read_text() == before


def test_a_name_that_is_not_utf8_on_the_command_line(work):
    path = os.path.join(os.fsencode(work), b"\xff\xfe.toml")
    with open(path, "w") as f:
        f.write(RIGHT)
    adcli = shutil.which("adcli") or pytest.skip("the adcli command is not installed")
    log = os.fsencode(work / "log.jsonl")
    run = subprocess.run(
        [adcli, b"check", os.fsencode(work / "set.toml"), path, b"--log", log, b"--csv", b"-"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    out = run.stdout.decode("utf-8")
    assert "\\xff\\xfe.toml,2,2" in out


# --- 3. names that would drive the terminal -----------------------------------------------


def test_escape_sequences_and_newlines_in_names_are_shown_escaped(work):
    evil = "x\x1b[2J\x1b]8;;http:evil\x07y\u202e\nalice.toml  2\u22152  p1=correct.toml"
    (work / "class" / evil).write_text("[answers]\np1 = \"1\"\n")
    result, doc = report(work, work / "class")
    out = result.output
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "x\\x1b[2J\\x1b]8;;http:evil\\x07y\\u202e\\x0aalice.toml  2\u22152" in out
    lines = out.splitlines()
    assert sum(line.startswith("alice.toml") for line in lines) == 1  # no forged row
    text = all_reports(work, result)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text


def test_the_title_of_the_problem_set_is_escaped(work):
    (work / "set.toml").write_text(SET.replace('"Files"', '"Files\\u001b[2J\\u0007"'))
    result, doc = report(work, work / "class" / "alice.toml")
    assert doc["title"] == "Files\\x1b[2J\\x07"
    assert result.output.startswith("Files\\x1b[2J\\x07\n")


# --- 4. formulas in CSV cells ---------------------------------------------------------------


def test_csv_cells_from_names_never_run_as_formulas(work, monkeypatch):
    names = ["=HYPERLINK(\"http:x\",\"y\").toml", "-1+1.toml", "+1.toml", "@SUM(A1).toml"]
    for name in names:
        (work / "class" / name).write_text(RIGHT)
    monkeypatch.chdir(work / "class")  # relative names: the cell starts with the name
    result = check(
        work / "set.toml", "--log", work / "log.jsonl", "--csv", work / "r.csv", "--", *names
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader((work / "r.csv").open(encoding="utf-8")))
    assert sorted(r[0] for r in rows[1:]) == sorted("'" + n for n in names)
    assert all(r[1] == "2" for r in rows[1:])  # scores stay numbers


# --- 5. huge values --------------------------------------------------------------------------


def test_a_50_mb_string_answer_makes_a_small_report(work):
    (work / "set.toml").write_text(
        SET + '\n[[problem]]\nid = "p3"\nsetup = "y = 1"\nanswer = "y = 2"\ncheck = ["y"]\n'
    )
    big = "'x' * 50000000"
    for name, answers in {
        "a.toml": {"p1": big, "p2": big, "p3": f"y = [{big}]"},
        "b.toml": {"p1": f"int({big})", "p2": f"{big} + 'y'", "p3": f"y = {big}"},
    }.items():
        body = "".join(f"{k} = {json.dumps(v)}\n" for k, v in answers.items())
        (work / "class" / name).write_text("[answers]\n" + body)
    result, doc = report(work, work / "class" / "a.toml", work / "class" / "b.toml")
    messages = [p["message"] for s in doc["submissions"] for p in s["problems"]]
    assert "wrong" in [p["verdict"] for p in doc["submissions"][0]["problems"]]
    assert all(len(m) <= MESSAGE_CAP + 40 for m in messages)
    for name in ("r.json", "r.xml", "r.csv", "log.jsonl"):
        assert (work / "out" / name).stat().st_size < 40_000, name
    assert len(result.output) < 40_000


# --- 6. the teacher's mistakes are clear errors ---------------------------------------------


def damaged_log(work):
    """A results log of this set with damaged lines among good ones."""
    out = work / "out"
    out.mkdir(exist_ok=True)
    result = check(work / "set.toml", work / "class", "--log", out / "log.jsonl", "--quiet")
    assert result.exit_code == 0, result.output
    lines = (out / "log.jsonl").read_text().splitlines()
    weird = [
        '{"submission": 5, "score": 1, "max_score": 1, "problems": []}',
        "[" * 100_000,
        '{"submission": "x", "problems": [{"id": "p1", "verdict": "=cmd", "score": 0, '
        '"points": 1}, {"id": "p2", "verdict": "correct", "score": 1, "points": 1}]}',
        '{"submission": "y", "problems": [{"id": "other", "verdict": "correct", "score": 1, '
        '"points": 1}]}',
        '{"submission": "z", "problems": [{"id": "p1", "verdict": "correct", "score": NaN, '
        '"points": 1}, {"id": "p2", "verdict": "correct", "score": 1, "points": 1}]}',
        "",
        "\udcff",
    ]
    text = "\n".join([lines[0], *weird, *lines[1:]]) + "\n"
    (out / "log.jsonl").write_bytes(text.encode("utf-8", "surrogateescape"))
    return out / "log.jsonl"


def test_resume_with_damaged_lines_rechecks_only_what_it_must(work):
    log = damaged_log(work)
    result = check(work / "set.toml", work / "class", "--log", log, "--resume")
    assert result.exit_code == 0, result.output
    assert "2 result(s) were taken from the results log" in result.output


def test_merge_skips_damaged_lines_with_a_warning(work):
    log = damaged_log(work)
    result = check(work / "set.toml", "--merge", log, "--json", work / "m.json")
    assert result.exit_code == 0, result.output
    assert "7 damaged line(s) skipped" in result.output
    assert len(json.loads((work / "m.json").read_text())["submissions"]) == 2


@pytest.mark.parametrize(
    ("make", "args", "message"),
    [
        (lambda w: os.mkfifo(w / "s.toml"), ["s.toml", "class"], "s.toml is not a regular file"),
        (lambda w: (w / "s.toml").mkdir(), ["s.toml", "class"], "s.toml is a directory"),
        (lambda w: (w / "s.toml").write_bytes(b"title = '\xff'"), ["s.toml", "class"],
         "s.toml: not UTF-8 text (byte 9)"),
        (lambda w: (w / "s.toml").symlink_to(w / "none"), ["s.toml", "class"],
         "cannot read problem set"),
        (lambda w: (w / "s.toml").write_text("a = " + "[" * 100_000), ["s.toml", "class"],
         "s.toml: not valid TOML"),
        (lambda w: (w / "s.toml").write_text(f"[{SECRET}]\n[{SECRET}]\n"), ["s.toml", "class"],
         "a table declared twice (at line 2, column"),
        (lambda w: (w / "l").mkdir(), ["set.toml", "class", "--log", "l"], "is a directory"),
        (lambda w: os.mkfifo(w / "l"), ["set.toml", "class", "--log", "l"], "not a regular file"),
        (lambda w: os.mkfifo(w / "l"), ["set.toml", "class", "--log", "l", "--resume"],
         "not a regular file"),
        (lambda w: (w / "l").write_text(""), ["set.toml", "class", "--log", "l/x.jsonl"],
         "is not a directory"),
        (lambda w: os.mkfifo(w / "l"), ["set.toml", "--merge", "l"], "not a regular file"),
        (lambda w: (w / "l").mkdir(), ["set.toml", "--merge", "l"], "is a directory"),
        (lambda w: (w / "l").write_bytes(b"\xff\x00garbage\n"), ["set.toml", "--merge", "l"],
         "is not an adcli check results log"),
        (lambda w: (w / "l").write_bytes(b"\xff"), ["set.toml", "--merge", "l"],
         "holds no results"),
        (lambda w: (w / "l").mkdir(), ["set.toml", "class", "--json", "l", "--log", "x.jsonl"],
         "cannot write the report"),
    ],
)
def test_a_teachers_mistake_is_a_clear_usage_error(work, make, args, message):
    make(work)
    start = time.monotonic()
    result = check(*[work / a if not a.startswith("-") else a for a in args], limit=10)
    assert time.monotonic() - start < 8, "it hung"
    assert result.exit_code == 2, result.output
    assert result.output.startswith("adcli check: ")
    assert message in result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    assert SECRET not in result.output
