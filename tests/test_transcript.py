"""Unit tests of adcli.transcript: normalisation, numeric tolerance, strict mode, LCS
scoring, CLI (.adc and .py/.ipynb programs), and tools/corpus_score.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from adcli.transcript import (
    SCRIPT_SUFFIXES,
    align,
    compare,
    find_scripts,
    lines_match,
    main,
    normalize,
    percent,
    reference_path,
    tolerated,
)

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- normalize

def test_normalize_addresses():
    text = "<AddBackward0 object at 0x7f3a1c2b9d30>\n<MulBackward0 object at 0x55d0>"
    assert normalize(text) == ["<AddBackward0 object at 0x...>", "<MulBackward0 object at 0x...>"]
    assert normalize("<CopySlices object at 0x...>") == ["<CopySlices object at 0x...>"]


def test_normalize_error_lines_keep_only_type():
    text = ("RuntimeError: grad can be implicitly created only for scalar outputs\n"
            "IndexError: index 2 is out of bounds\n"
            "ZeroDivisionError: division by zero\n"
            "KeyError:\n"
            "torch.OutOfMemoryError: boom\n")
    assert normalize(text) == ["RuntimeError", "IndexError", "ZeroDivisionError", "KeyError",
                               "OutOfMemoryError"]


def test_normalize_leaves_other_lines_alone():
    assert normalize("input:  tensor([2., 3.])") == ["input:  tensor([2., 3.])"]
    assert normalize("Error: not a type name") == ["Error: not a type name"]
    assert normalize("tensor([1.]) RuntimeError: x") == ["tensor([1.]) RuntimeError: x"]


def test_normalize_drops_trailing_space_and_blank_lines():
    text = "tensor([[[1.]],   \n\n   \n        [[2.]]])\t\n\n"
    assert normalize(text) == ["tensor([[[1.]],", "        [[2.]]])"]
    assert normalize("") == []
    # leading indentation is significant (tensor continuation lines)
    assert normalize("        [3., 4.]])") == ["        [3., 4.]])"]


# --------------------------------------------------------------------------- tolerance

def test_last_digit_differences_match():
    assert lines_match("tensor([0.3333, 0.6667])", "tensor([0.3334, 0.6666])")
    assert lines_match("tensor(1.2346e+05)", "tensor(1.2347e+05)")
    assert lines_match("0.30000000000000004", "0.3")  # Python float noise
    assert lines_match("tensor(-0.0001)", "tensor(0.0000)")  # both within atol


def test_large_differences_do_not_match():
    assert not lines_match("tensor([0.3333])", "tensor([0.3433])")
    assert not lines_match("torch.Size([2, 3])", "torch.Size([2, 4])")
    assert not lines_match("tensor(7)", "tensor(8)")


def test_surrounding_text_must_be_identical():
    assert not lines_match("tensor([1., 2.])", "tensor([1., 2.], requires_grad=True)")
    assert not lines_match("tensor([ 1.0000, 2.0000])", "tensor([1.0000, 2.0000])")
    assert not lines_match("grad_fn=<AddBackward0>", "grad_fn=<AddBackward1>")
    assert not lines_match("dtype=torch.float32", "dtype=torch.float64")


def test_number_format_must_be_the_same():
    assert not lines_match("tensor([1., 2.])", "tensor([1.0000, 2.0000])")  # mode differs
    assert not lines_match("tensor(1.0000e-04)", "tensor(0.0001)")
    assert not lines_match("tensor(-0.)", "tensor(0.)")  # the sign of zero is printed


def test_nan_and_inf_must_be_exact():
    assert lines_match("tensor([nan, inf])", "tensor([nan, inf])")
    assert not lines_match("tensor([nan, 1.])", "tensor([inf, 1.])")
    assert not lines_match("tensor(inf)", "tensor(1.0000e+38)")


def test_digits_inside_words_are_not_numbers():
    # AddBackward0 vs AddBackward1 differ in text, not in a tolerated number
    assert not lines_match("<AddBackward0 object at 0x...>", "<AddBackward1 object at 0x...>")


# --------------------------------------------------------------------------- compare / LCS

def test_identical_transcripts():
    text = "tensor([1., 2.])\n<AddBackward0 object at 0x1234>\nRuntimeError: boom\n"
    assert compare(text, text) == (3, 3, [])


def test_addresses_and_error_messages_are_free():
    expected = "<AddBackward0 object at 0x7f00>\nRuntimeError: PyTorch's words\n"
    actual = "<AddBackward0 object at 0xdeadbeef>\nRuntimeError: adcli's clearer words\n"
    assert compare(expected, actual)[:2] == (2, 2)


def test_error_type_must_match():
    matched, total, diffs = compare("RuntimeError: x\n", "TypeError: x\n")
    assert (matched, total) == (0, 1)
    assert diffs == ["- RuntimeError", "+ TypeError"]


def test_missing_line_is_aligned_by_lcs():
    expected = "a\nb\nc\nd\n"
    actual = "a\nc\nd\n"
    matched, total, diffs = compare(expected, actual)
    assert (matched, total) == (3, 4)
    assert diffs == ["- b"]


def test_extra_lines_count_against_the_score():
    expected = "a\nb\n"
    actual = "a\nnoise\nb\nmore noise\nagain\n"
    matched, total, diffs = compare(expected, actual)
    assert matched == 2
    assert total == 5
    assert diffs == ["+ noise", "+ more noise", "+ again"]


def test_empty_actual_scores_zero():
    assert compare("a\nb\n", "") == (0, 2, ["- a", "- b"])
    assert compare("", "") == (0, 0, [])


def test_lcs_prefers_the_longest_alignment():
    expected = ["x", "a", "b", "c"]
    actual = ["a", "b", "c", "x"]
    ops = align(expected, actual)
    assert sum(op == "=" for op, _, _ in ops) == 3
    assert [op for op, _, _ in ops] == ["-", "=", "=", "=", "+"]


def test_tolerance_applies_inside_alignment():
    expected = "tensor([0.3333, 0.6667])\nRuntimeError: a\n"
    actual = "tensor([0.3334, 0.6667])\nextra\nRuntimeError: b\n"
    matched, total, diffs = compare(expected, actual)
    assert (matched, total, diffs) == (2, 3, ["+ extra"])


def test_blank_lines_do_not_count():
    expected = "tensor([[[1.]],\n\n        [[2.]]])\n"
    actual = "tensor([[[1.]],\n        [[2.]]])\n\n\n"
    assert compare(expected, actual)[:2] == (2, 2)


# --------------------------------------------------------------------------- command line

def test_main_pair_mode(tmp_path, capsys):
    exp = tmp_path / "e.out"
    act = tmp_path / "a.out"
    exp.write_text("tensor(1.)\nRuntimeError: x\n")
    act.write_text("tensor(1.)\nRuntimeError: y\n")
    assert main([str(exp), str(act)]) == 0
    out = capsys.readouterr().out
    assert "a.out: 2/2" in out
    assert "conformance: 2/2 lines (100.0%)" in out


def _fake_runner(tmp_path: Path) -> str:
    """A stand-in for `adcli run`: prints the script's lines that start with 'say '."""
    runner = tmp_path / "runner.py"
    runner.write_text(
        "import sys\n"
        "for line in open(sys.argv[1]):\n"
        "    if line.startswith('say '):\n"
        "        print(line[4:].rstrip())\n"
    )
    return f"{sys.executable} {runner}"


def test_main_run_mode_reports_per_file_and_total(tmp_path, capsys):
    good = tmp_path / "s" / "001_good.adc"
    bad = tmp_path / "s" / "002_bad.adc"
    good.parent.mkdir()
    good.write_text("say tensor(1.)\nsay <X object at 0x1>\n")
    (tmp_path / "s" / "001_good.out").write_text("tensor(1.)\n<X object at 0x...>\n")
    bad.write_text("say one\nsay three\nsay four\n")
    (tmp_path / "s" / "002_bad.out").write_text("one\ntwo\nthree\n")
    status = main(["--run", _fake_runner(tmp_path), "-j", "2", str(tmp_path / "s")])
    out = capsys.readouterr().out
    assert status == 1
    assert "001_good.adc: 2/2" in out
    assert "002_bad.adc: 2/3" in out
    assert "- two" in out and "+ four" in out
    assert "conformance: 4/5 lines (80.0%)" in out


def test_main_run_mode_all_matching_exits_zero(tmp_path, capsys):
    script = tmp_path / "a.adc"
    script.write_text("say RuntimeError: whatever\n")
    (tmp_path / "a.out").write_text("RuntimeError: the reference wording\n")
    assert main(["--run", _fake_runner(tmp_path), str(script)]) == 0
    assert "conformance: 1/1 lines (100.0%)" in capsys.readouterr().out


def test_percentage_is_rounded_down(tmp_path, capsys):
    exp = tmp_path / "e.out"
    act = tmp_path / "a.out"
    exp.write_text("".join(f"line {i}\n" for i in range(2000)))
    act.write_text("".join(f"line {i}\n" for i in range(1999)))
    assert main([str(exp), str(act)]) == 1
    assert "(99.9%)" in capsys.readouterr().out


def test_module_is_stdlib_only_and_runs_as_module(tmp_path):
    code = ("import sys, adcli.transcript; "
            "bad = [m for m in ('numpy', 'lark', 'rich', 'click', 'torch') if m in sys.modules]; "
            "print(bad)")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, cwd=tmp_path, check=True).stdout
    assert out.strip() == "[]"
    exp = tmp_path / "e.out"
    exp.write_text("a\n")
    proc = subprocess.run([sys.executable, "-m", "adcli.transcript", str(exp), str(exp)],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert proc.returncode == 0
    assert "conformance: 1/1 lines (100.0%)" in proc.stdout


# --------------------------------------------------------------------------- strict mode

def test_strict_rejects_last_digit_differences():
    assert lines_match("tensor([0.3333, 0.6667])", "tensor([0.3334, 0.6667])")
    assert not lines_match("tensor([0.3333, 0.6667])", "tensor([0.3334, 0.6667])", strict=True)
    assert not lines_match("0.30000000000000004", "0.3", strict=True)
    expected = "loss 38.0527\ntensor(1.)\n"
    actual = "loss 38.0526\ntensor(1.)\n"
    assert compare(expected, actual) == (2, 2, [])
    assert compare(expected, actual, strict=True) == (1, 2, ["- loss 38.0527", "+ loss 38.0526"])
    assert tolerated(expected, actual) == [("loss 38.0527", "loss 38.0526")]


def test_strict_accepts_identical_lines():
    text = "tensor([1., 2.])\n1399 38.0527\n<AddBackward0 object at 0x1234>\n"
    assert lines_match("1399 38.0527", "1399 38.0527", strict=True)
    assert compare(text, text, strict=True) == (3, 3, [])
    assert tolerated(text, text) == []


def test_strict_keeps_the_normalisation():
    expected = "<AddBackward0 object at 0x7f00>\nRuntimeError: PyTorch's words\n\n"
    actual = "<AddBackward0 object at 0xbeef>   \nRuntimeError: adcli's words\n"
    assert compare(expected, actual, strict=True) == (2, 2, [])
    # the error type still must be the same
    assert compare("RuntimeError: x\n", "TypeError: x\n", strict=True)[:2] == (0, 1)


def test_strict_alignment_is_an_lcs_of_identical_lines():
    expected = ["a", "x 1.0001", "b"]
    actual = ["a", "x 1.0002", "b"]
    assert [op for op, _, _ in align(expected, actual)] == ["=", "=", "="]
    assert [op for op, _, _ in align(expected, actual, strict=True)] == ["=", "-", "+", "="]


def test_percent_rounds_down():
    assert percent(1999, 2000) == 99.9
    assert percent(0, 0) == 100.0
    assert percent(1, 3) == 33.3


def test_main_prints_both_totals(tmp_path, capsys):
    exp = tmp_path / "e.out"
    act = tmp_path / "a.out"
    exp.write_text("tensor(0.3333)\nsame\nRuntimeError: x\n")
    act.write_text("tensor(0.3334)\nsame\nRuntimeError: y\n")
    assert main([str(exp), str(act)]) == 0  # tolerant: every line matched
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "a.out: 3/3 (strict 2/3)"
    assert out[-2:] == ["conformance: 3/3 lines (100.0%)", "strict: 2/3 lines (66.6%)"]


def test_main_strict_exit_status_and_diffs(tmp_path, capsys):
    exp = tmp_path / "e.out"
    act = tmp_path / "a.out"
    exp.write_text("tensor(0.3333)\nsame\n")
    act.write_text("tensor(0.3334)\nsame\n")
    assert main(["--strict", str(exp), str(act)]) == 1
    out = capsys.readouterr().out
    assert "a.out: 1/2 (tolerant 2/2)" in out
    assert "- tensor(0.3333)" in out and "+ tensor(0.3334)" in out
    assert "conformance: 2/2 lines (100.0%)" in out
    assert "strict: 1/2 lines (50.0%)" in out
    act.write_text("tensor(0.3333)\nsame\n")
    assert main(["--strict", str(exp), str(act)]) == 0
    assert "strict: 2/2 lines (100.0%)" in capsys.readouterr().out


# --------------------------------------------------------------------------- .py / .ipynb

def _python_program(folder: Path, name: str, body: str, reference: str | None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text(body)
    if reference is not None:
        (folder / (program.stem + ".out")).write_text(reference)
    return program


# Prints its working directory's name, its argv[0] and NO_COLOR: the runner is `python`.
_PY_BODY = ("import os, sys\n"
            "print(os.path.basename(os.getcwd()))\n"
            "print(sys.argv[0])\n"
            "print(os.environ.get('NO_COLOR'))\n"
            "print(0.3334)\n")


def test_find_scripts_finds_python_programs_with_a_reference(tmp_path):
    progs = tmp_path / "progs"
    a = _python_program(progs, "a.py", "print(1)\n", "1\n")
    nb = _python_program(progs / "sub", "n.ipynb", "{}", "")
    _python_program(progs, "helper.py", "X = 1\n", None)  # no reference: not a program
    adc = progs / "c.adc"
    adc.write_text("say x\n")
    assert find_scripts([str(progs)], SCRIPT_SUFFIXES) == [str(a), str(adc), str(nb)]
    assert find_scripts([str(progs)]) == [str(adc)]  # the default: .adc only
    assert reference_path(str(nb)) == str(progs / "sub" / "n.out")
    assert reference_path(str(a)) == str(progs / "a.out")


def test_run_mode_runs_python_programs_in_their_directory(tmp_path, capsys, monkeypatch):
    progs = tmp_path / "progs"
    _python_program(progs, "p1.py", _PY_BODY, "progs\np1.py\n1\n0.3333\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    status = main(["--run", sys.executable, "progs"])  # a relative directory
    out = capsys.readouterr().out
    assert "p1.py: 4/4 (strict 3/4)" in out
    assert "conformance: 4/4 lines (100.0%)" in out
    assert "strict: 3/4 lines (75.0%)" in out
    assert status == 0
    assert main(["--strict", "--run", sys.executable, "progs/p1.py"]) == 1
    assert "+ 0.3334" in capsys.readouterr().out


def test_run_mode_makes_relative_command_paths_absolute(tmp_path, capsys, monkeypatch):
    progs = tmp_path / "progs"
    _python_program(progs, "p2.py", "", "progs\np2.py\n")
    runner = tmp_path / "tools" / "runner.py"
    runner.parent.mkdir()
    runner.write_text("import os, sys\n"
                      "print(os.path.basename(os.getcwd()))\n"
                      "print(sys.argv[1])\n")
    monkeypatch.chdir(tmp_path)
    assert main(["--run", f"{sys.executable} tools/runner.py", "progs"]) == 0
    assert "p2.py: 2/2" in capsys.readouterr().out


def test_run_mode_missing_reference_of_a_named_program(tmp_path, capsys):
    program = _python_program(tmp_path, "lonely.py", "print(1)\n", None)
    assert main(["--run", sys.executable, str(program)]) == 2
    assert "no reference transcript" in capsys.readouterr().err


# --------------------------------------------------------------------------- corpus_score

def _corpus_score(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tools" / "corpus_score.py"), *args],
                          capture_output=True, text=True, cwd=cwd, timeout=60)


def _tiny_corpus(root: Path) -> None:
    seeds = root / "samples" / "seeds"
    seeds.mkdir(parents=True)
    (seeds / "s.adc").write_text("say tensor(1.)\nsay RuntimeError: mine\n")
    (seeds / "s.out").write_text("tensor(1.)\nRuntimeError: theirs\n")
    _python_program(root / "samples" / "python" / "py", "p1.py", _PY_BODY,
                    "py\np1.py\n1\n0.3333\n")
    _python_program(root / "samples" / "python" / "zz", "p2.py", "print('hello')\n",
                    "hello\nbye\n")
    _python_program(root / "samples" / "python" / "zz", "z.py", "print(2)\n", "2\n")


def test_corpus_score_table_and_json(tmp_path):
    _tiny_corpus(tmp_path)
    # the fake runner: `python` for .py programs, the say-runner for .adc
    runner = tmp_path / "runner.py"
    runner.write_text(
        "import runpy, sys\n"
        "if sys.argv[1].endswith('.adc'):\n"
        "    for line in open(sys.argv[1]):\n"
        "        if line.startswith('say '):\n"
        "            print(line[4:].rstrip())\n"
        "else:\n"
        "    sys.argv = sys.argv[1:]\n"
        "    runpy.run_path(sys.argv[0], run_name='__main__')\n")
    command = f"{sys.executable} {runner}"
    done = _corpus_score("--root", str(tmp_path), "--command", command, "-j", "2",
                         "--show-strict-diffs", cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # p2.py lacks a line
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["folder", "files", "tolerant", "%", "strict", "%"]
    assert set(lines[4]) == {"-", " "}  # the rule above TOTAL
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:6] if line != lines[4]}
    assert rows["samples/seeds"] == ["1", "2/2", "100.0", "2/2", "100.0"]
    assert rows["samples/python/py"] == ["1", "4/4", "100.0", "3/4", "75.0"]
    assert rows["samples/python/zz"] == ["2", "2/3", "66.6", "2/3", "66.6"]
    assert rows["TOTAL"] == ["4", "8/9", "88.8", "7/9", "77.7"]
    assert "samples/python/py/p1.py" in lines
    assert "    - 0.3333" in lines and "    + 0.3334" in lines

    done = _corpus_score("--root", str(tmp_path), "--command", command, "--json",
                         cwd=tmp_path)
    report = json.loads(done.stdout)
    assert [row["folder"] for row in report["folders"]] == [
        "samples/seeds", "samples/python/py", "samples/python/zz"]
    assert report["total"]["tolerant"] == {"matched": 8, "total": 9, "percent": 88.8}
    assert report["total"]["strict"] == {"matched": 7, "total": 9, "percent": 77.7}
    assert report["total"]["files"] == 4
    assert "strict_diffs" not in report
    by_file = {f["file"]: (f["tolerant"]["matched"], f["strict"]["matched"], f["strict"]["total"])
               for f in report["files"]}
    assert by_file["samples/python/py/p1.py"] == (4, 3, 4)
    assert by_file["samples/python/zz/p2.py"] == (1, 1, 2)

    # one folder given as an argument, every line matching tolerantly: exit 0, but not --strict
    folder = str(tmp_path / "samples" / "python" / "py")
    ok = _corpus_score("--root", str(tmp_path), "--command", command, folder, cwd=tmp_path)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert [line.split()[0] for line in ok.stdout.splitlines()] == [
        "folder", "samples/python/py", "-----------------", "TOTAL"]
    strict = _corpus_score("--root", str(tmp_path), "--command", command, "--strict", folder,
                           cwd=tmp_path)
    assert strict.returncode == 1


def test_corpus_score_missing_reference(tmp_path):
    seeds = tmp_path / "samples" / "seeds"
    seeds.mkdir(parents=True)
    (seeds / "s.adc").write_text("")
    done = _corpus_score("--root", str(tmp_path), "--command", sys.executable, cwd=tmp_path)
    assert done.returncode == 2
    assert "no reference transcript" in done.stderr


# --------------------------------------------------------------------------- the corpus

SAMPLES = ROOT / "samples"
CORPUS = [p for d in ("seeds", "conformance", "features")
          for p in sorted((SAMPLES / d).glob("*.adc"))]


@pytest.mark.parametrize("adc", CORPUS, ids=lambda p: p.name)
def test_every_sample_has_a_reference_transcript(adc):
    out = adc.with_suffix(".out")
    assert out.is_file(), f"{out} missing: run tools/gen_transcripts.py under torch 2.13"
    lines = normalize(out.read_text(encoding="utf-8"))
    assert compare(out.read_text(encoding="utf-8"), out.read_text(encoding="utf-8"))[:2] == (
        len(lines), len(lines))


def test_corpus_size():
    assert len(list((SAMPLES / "conformance").glob("*.adc"))) >= 50
    assert len(list((SAMPLES / "seeds").glob("*.adc"))) == 5
