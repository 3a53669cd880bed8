"""Problem sets, submissions, class directories and shards."""

import os

import pytest

from adcli.check.problems import (
    ProblemSetError,
    SubmissionError,
    expand_submissions,
    parse_problem_set,
    parse_shard,
    read_answers,
    shard_of,
)

from .fakes import PROBLEM_SET


def test_problem_set_with_defaults_and_overrides():
    ps = parse_problem_set(PROBLEM_SET.encode(), "fake.toml")
    assert ps.title == "Fake set"
    assert [p.id for p in ps.problems] == ["double", "formula", "pair"]
    double, formula, pair = ps.problems
    assert (double.points, double.samples, double.rtol, double.checks) == (2.0, 1, 1e-4, None)
    assert formula.samples == 3 and len(set(formula.seeds)) == 3
    assert formula.seeds == parse_problem_set(PROBLEM_SET.encode()).problems[1].seeds
    assert pair.checks == ("a", "b")
    assert ps.max_score == 4.0


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("title = 1\n[[problem]]\nid='a'\nanswer='1'", "title must be a string"),
        ("[[problem]]\nid='a'\nanswer='1'\nchek=['x']", "unknown key 'chek'"),
        ("[[problem]]\nid='a'\nanswer='1'\n[[problem]]\nid='a'\nanswer='2'", "duplicate id"),
        ("[[problem]]\nid='a'", "answer (the reference)"),
        ("[[problem]]\nid='../a'\nanswer='1'", "id must be a name"),
        ("[[problem]]\nid='a'\nanswer='1'\nsamples=0", "samples must be an integer"),
        ("[[problem]]\nid='a'\nanswer='1'\nrtol='x'", "rtol must be a number"),
        ("[[problem]]\nid='a'\nanswer='1'\ncheck=[]", "check must be a non-empty list"),
        ("title = 'x'", "no [[problem]] tables"),
        ("[[problem]\n", "not valid TOML"),
    ],
)
def test_problem_set_mistakes_are_named(text, fragment):
    with pytest.raises(ProblemSetError) as info:
        parse_problem_set(text.encode(), "set.toml")
    assert fragment in str(info.value)


def test_answers_from_toml_and_from_a_directory(tmp_path):
    toml = tmp_path / "alice.toml"
    toml.write_text('[answers]\na = "1 + 1"\nb = """\nx = 2\nx"""\nextra = "ignored"\n')
    assert read_answers(str(toml), ["a", "b", "c"], 1000) == {"a": "1 + 1", "b": "x = 2\nx"}
    folder = tmp_path / "bob"
    folder.mkdir()
    (folder / "a.adc").write_text("2\n")
    assert read_answers(str(folder), ["a", "b"], 1000) == {"a": "2\n"}


def test_unreadable_submissions_raise_submission_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[answers\n")
    with pytest.raises(SubmissionError, match="not a valid TOML"):
        read_answers(str(bad), ["a"], 1000)
    (tmp_path / "noanswers.toml").write_text("x = 1\n")
    with pytest.raises(SubmissionError, match=r"no \[answers\]"):
        read_answers(str(tmp_path / "noanswers.toml"), ["a"], 1000)
    (tmp_path / "big.toml").write_text('[answers]\na = "' + "1" * 2000 + '"\n')
    with pytest.raises(SubmissionError, match="larger than"):
        read_answers(str(tmp_path / "big.toml"), ["a"], 1000)
    folder = tmp_path / "fifo"
    folder.mkdir()
    os.mkfifo(folder / "a.adc")  # reading it would block: refused instead
    with pytest.raises(SubmissionError, match="not a regular file"):
        read_answers(str(folder), ["a"], 1000)
    with pytest.raises(SubmissionError, match="cannot read"):
        read_answers(str(tmp_path / "missing.toml"), ["a"], 1000)


def test_class_directories_expand_into_submissions(tmp_path):
    cls = tmp_path / "class"
    cls.mkdir()
    (cls / "b.toml").write_text("")
    (cls / "a.toml").write_text("")
    (cls / "carol").mkdir()
    (cls / "carol" / "p.adc").write_text("1")
    (cls / "notes.txt").write_text("")
    got = expand_submissions([str(cls), str(cls / "a.toml")])
    assert got == [str(cls / n) for n in ("a.toml", "b.toml", "carol")]
    assert expand_submissions([str(cls / "carol")]) == [str(cls / "carol")]


def test_shards_partition_the_class_deterministically():
    keys = [f"class/student{i:03}.toml" for i in range(300)]
    slices = [[k for k in keys if shard_of(k, 4) == i] for i in range(4)]
    assert sorted(sum(slices, [])) == keys
    assert all(50 <= len(s) <= 100 for s in slices)
    assert shard_of("class/student007.toml", 4) == shard_of("class/student007.toml", 4)
    assert parse_shard("2/4") == (2, 4)
    for bad in ("0/4", "5/4", "2", "a/b"):
        with pytest.raises(ValueError):
            parse_shard(bad)
