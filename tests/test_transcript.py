"""Unit tests of adcli.transcript: normalisation, numeric tolerance, LCS scoring, CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from adcli.transcript import align, compare, lines_match, main, normalize

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
