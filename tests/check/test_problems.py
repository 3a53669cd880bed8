"""Problem sets, submissions, class directories and shards."""

import os

import pytest

from adcli.check.problems import (
    ProblemSetError,
    SubmissionError,
    expand_submissions,
    load_problem_set,
    parse_problem_set,
    parse_shard,
    read_submission,
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


def read_answers(path, ids, max_bytes):
    submission = read_submission(path, ids, max_bytes)
    if submission.refused:
        raise SubmissionError(next(iter(submission.refused.values())))
    return submission.answers


def test_answers_from_toml_and_from_a_directory(tmp_path):
    toml = tmp_path / "alice.toml"
    toml.write_text('[answers]\na = "1 + 1"\nb = """\nx = 2\nx"""\nextra = "ignored"\n')
    assert read_answers(str(toml), ["a", "b", "c"], 1000) == {"a": "1 + 1", "b": "x = 2\nx"}
    assert read_submission(str(toml), ["a"], 1000).filename("a") == f"{toml}:answers.a"
    folder = tmp_path / "bob"
    folder.mkdir()
    (folder / "a.adc").write_text("2\n")
    assert read_answers(str(folder), ["a", "b"], 1000) == {"a": "2\n"}
    assert read_submission(str(folder), ["a"], 1000).filename("a") == str(folder / "a.adc")


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


def test_links_are_refused_and_never_followed(tmp_path):
    (tmp_path / "other.toml").write_text('[answers]\na = "1"\n')
    (tmp_path / "link.toml").symlink_to(tmp_path / "other.toml")
    with pytest.raises(SubmissionError, match="link.toml is a symbolic link; submissions must"):
        read_submission(str(tmp_path / "link.toml"), ["a"], 1000)
    folder = tmp_path / "bob"
    folder.mkdir()
    (folder / "a.adc").write_text("1\n")
    (tmp_path / "linkdir").symlink_to(folder)
    with pytest.raises(SubmissionError, match="linkdir is a symbolic link"):
        read_submission(str(tmp_path / "linkdir"), ["a"], 1000)
    (folder / "b.adc").symlink_to(tmp_path / "other.toml")
    (folder / "c.adc").symlink_to("/proc/self/environ")
    got = read_submission(str(folder), ["a", "b", "c", "d"], 1000)
    assert got.answers == {"a": "1\n"}
    assert got.refused == {
        "b": f"{folder}/b.adc is a symbolic link; answers must be regular files",
        "c": f"{folder}/c.adc is a symbolic link; answers must be regular files",
    }


def test_a_file_swapped_after_lstat_is_refused(tmp_path, monkeypatch):
    import adcli.check.problems as problems

    (tmp_path / "a.toml").write_text('[answers]\na = "1"\n')
    (tmp_path / "decoy.toml").write_text('[answers]\na = "2"\n')
    real = os.lstat
    decoy = real(tmp_path / "decoy.toml")  # what lstat saw is not what open got
    monkeypatch.setattr(
        problems.os, "lstat", lambda p, **kw: decoy if "a.toml" in str(p) else real(p, **kw)
    )
    with pytest.raises(SubmissionError, match="was replaced while it was read"):
        read_submission(str(tmp_path / "a.toml"), ["a"], 1000)


@pytest.mark.parametrize(
    "text",
    [
        "SECRET_KEY=hunter2\0",
        "[hunter2]\n[hunter2]\n",
        'a = "hunter2\x01"\n',
        "a = { hunter2 = 1, hunter2 = 2 }\n",
        "a.hunter2 = 1\n[a]\nhunter2 = 2\n",
        "a = [" * 3000,
    ],
)
def test_toml_mistakes_say_where_but_quote_nothing(tmp_path, text):
    path = tmp_path / "s.toml"
    path.write_text(text)
    with pytest.raises(SubmissionError) as info:
        read_submission(str(path), ["a"], 10**6)
    message = str(info.value)
    assert "hunter2" not in message and "SECRET" not in message
    assert message.startswith(f"{path}: not a valid TOML answers file: ")
    with pytest.raises(ProblemSetError) as info:
        parse_problem_set(text.encode(), "set.toml")
    assert "hunter2" not in str(info.value) and "SECRET" not in str(info.value)


def test_classes_list_links_and_names_that_are_not_utf8(tmp_path):
    cls = tmp_path / "class"
    cls.mkdir()
    (cls / "a.toml").write_text("")
    (cls / "sub").mkdir()
    (cls / "notes.txt").write_text("")
    (cls / "b.toml").symlink_to(tmp_path / "elsewhere.toml")  # dangling: still listed
    (cls / "c").symlink_to(tmp_path)  # a link to a directory: listed
    (cls / "d").symlink_to(cls / "notes.txt")  # a link to a file without .toml: not
    with open(os.path.join(os.fsencode(cls), b"e\xff.toml"), "w"):
        pass
    got = expand_submissions([str(cls)])
    names = [os.path.basename(k) for k in got]
    assert names == ["a.toml", "b.toml", "c", "e\udcff.toml", "sub"]
    (cls / "x.adc").symlink_to(tmp_path / "y.adc")  # any .adc: a submission, not a class
    assert expand_submissions([str(cls)]) == [str(cls)]


def test_problem_sets_that_are_not_regular_files_are_refused(tmp_path):
    os.mkfifo(tmp_path / "fifo.toml")
    with pytest.raises(ProblemSetError, match="fifo.toml is not a regular file"):
        load_problem_set(str(tmp_path / "fifo.toml"))
    with pytest.raises(ProblemSetError, match="is a directory"):
        load_problem_set(str(tmp_path))
    (tmp_path / "set.toml").write_text(PROBLEM_SET)
    (tmp_path / "link.toml").symlink_to(tmp_path / "set.toml")  # the teacher's own link
    assert load_problem_set(str(tmp_path / "link.toml")).title == "Fake set"
    (tmp_path / "odd.toml").write_bytes(b"title = 'a'\n\xff")
    with pytest.raises(ProblemSetError, match=r"odd.toml: not UTF-8 text \(byte 12\)"):
        load_problem_set(str(tmp_path / "odd.toml"))
