"""One file answers the whole set (issue 18): a `.py` or `.ipynb` submission that is a
file, not a folder. Function problems look their function up in it; a value problem's
answer is the variable named after its id (`mean_square` for `mean-square`)."""

import json
import os

from click.testing import CliRunner

from adcli.check.problems import answer_variable, expand_submissions, read_submission
from adcli.cli.check_cmd import check_command

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SET = os.path.join(ROOT, "samples", "homework", "set.toml")
FUNCTIONS = os.path.join(ROOT, "samples", "homework", "functions", "set.toml")
DEE = os.path.join(ROOT, "samples", "homework", "functions", "whole-set", "dee.py")
IDS = ["mean-square", "formula", "vector-jacobian", "sum-of-products", "accumulate"]
FUNCTION_IDS = ["grad-f", "my-exp", "scaled", "softplus-grad"]
C, W, INV, M = "correct", "wrong", "invalid", "missing"

# Every problem's setup runs before the whole file, so each part works on copies or
# checks that its own inputs are there.
MEAN_SQUARE = """import torch
xs = x.detach().clone().requires_grad_()
torch.mean(3 * (xs + 2) ** 2).backward()
mean_square = xs.grad
"""
FORMULA = "formula = 1.5 * (x + 2)\n"
VECTOR_JACOBIAN = """try:
    y.backward(v)
    vector_jacobian = x.grad
except NameError:
    if x.requires_grad and x.grad is None:
        y = ((x + 2) * (x - 2)).sum()
        y.backward()
"""
ACCUMULATE = """xa = x.detach().clone().requires_grad_()
o = 2.5 * torch.sum((xa + 1) ** 2)
o.backward(retain_graph=True)
o.backward()
accumulate = xa.grad
"""
VALUES = [MEAN_SQUARE, FORMULA, VECTOR_JACOBIAN, ACCUMULATE]

GRAD_F = """import torch

def grad_f(x):
    x = x.detach().requires_grad_()
    (torch.sin(x) * x).sum().backward()
    return x.grad
"""
MY_EXP = """class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return torch.exp(x)

    @staticmethod
    def backward(ctx, g):
        return g * 2
"""
SCALED = "def scaled(x, a):\n    return a * x\n"
SOFTPLUS = "def softplus_grad(x):\n    return torch.sigmoid(x)\n"


def notebook(*cells: str, student: dict | None = None) -> str:
    out = [
        {"cell_type": "code", "id": f"c{i}", "metadata": {}, "execution_count": None,
         "outputs": [], "source": text.splitlines(True)}
        for i, text in enumerate(cells)
    ]
    metadata = {"student": student} if student else {}
    return json.dumps({"cells": out, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5})


def check(tmp_path, problem_set, *args):
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        check_command,
        [str(problem_set), *map(str, args), "--json", str(out), "--show-hidden",
         "--log", str(tmp_path / "l.jsonl")],
    )
    assert "Traceback" not in result.output, result.output
    assert out.exists(), result.output
    return result, json.loads(out.read_text())


def problems_of(doc, name):
    (sub,) = [s for s in doc["submissions"] if os.path.basename(s["submission"]) == name]
    return {p["id"]: p for p in sub["problems"]}


def test_the_variable_is_named_after_the_id():
    assert answer_variable("mean-square") == "mean_square"
    assert answer_variable("q1.b-2") == "q1_b_2"


def test_a_whole_set_file_is_read_as_every_problems_answer(tmp_path):
    path = tmp_path / "ann.py"
    path.write_text(FORMULA)
    read = read_submission(str(path), IDS, 0)
    assert read.whole and set(read.answers) == set(IDS)
    assert {read.kind(i) for i in IDS} == {"py-set"}
    assert {read.runs_as(i) for i in IDS} == {"py"}
    assert read.filename("formula") == str(path)
    assert "leaves no variable mean_square" in read.missing("mean-square")
    nb = tmp_path / "bea.ipynb"
    nb.write_text(notebook(FORMULA, student={"id": "s2", "name": "Bea"}))
    read = read_submission(str(nb), IDS, 0)
    assert read.kind("formula") == "ipynb-set" and read.student == {"id": "s2", "name": "Bea"}


def test_a_whole_set_file_is_read_warily(tmp_path):
    (tmp_path / "real.py").write_text(FORMULA)
    os.symlink(tmp_path / "real.py", tmp_path / "link.py")
    try:
        read_submission(str(tmp_path / "link.py"), IDS, 0)
    except Exception as exc:  # noqa: BLE001
        assert "symbolic link" in str(exc)
    else:
        raise AssertionError("a link was followed")
    (tmp_path / "big.py").write_text("x" * 1001)
    try:
        read_submission(str(tmp_path / "big.py"), IDS, 1000)
    except Exception as exc:  # noqa: BLE001
        assert "larger than the limit" in str(exc)
    else:
        raise AssertionError("the bound was not kept")


def test_value_problems_py_and_ipynb(tmp_path):
    (tmp_path / "ann.py").write_text("".join(VALUES))
    # bob: formula wrong, accumulate missing, no sum-of-products
    wrong = [MEAN_SQUARE, "formula = 3 * (x + 2)\n", VECTOR_JACOBIAN.replace(
        "        y = ((x + 2) * (x - 2)).sum()\n        y.backward()\n", "        pass\n")]
    (tmp_path / "bob.ipynb").write_text(notebook(*wrong))
    result, doc = check(tmp_path, SET, tmp_path / "ann.py", tmp_path / "bob.ipynb")
    assert result.exit_code == 1
    ann = problems_of(doc, "ann.py")
    assert {i: ann[i]["verdict"] for i in IDS} == dict.fromkeys(IDS, C)
    bob = problems_of(doc, "bob.ipynb")
    assert [bob[i]["verdict"] for i in IDS] == [C, W, C, W, M]
    assert bob["formula"]["message"].startswith("last value (sample 1 of 5)")
    assert bob["accumulate"]["message"] == (
        f"no answer: {tmp_path / 'bob.ipynb'} leaves no variable accumulate "
        "(the answer to accumulate)"
    )
    assert bob["sum-of-products"]["message"].startswith("y: NameError")  # check expressions


def test_an_error_in_the_file_is_invalid(tmp_path):
    (tmp_path / "cy.py").write_text(FORMULA + "print(x.grad\n")
    _, doc = check(tmp_path, SET, tmp_path / "cy.py")
    got = problems_of(doc, "cy.py")
    assert {got[i]["verdict"] for i in IDS} == {INV}
    assert got["formula"]["message"].startswith("SyntaxError at line 2")


def test_function_problems_py_and_ipynb(tmp_path):
    _, doc = check(tmp_path, FUNCTIONS, DEE)
    dee = problems_of(doc, "dee.py")
    assert [dee[i]["verdict"] for i in FUNCTION_IDS] == [C, C, W, C]
    assert dee["scaled"]["message"] == "scaled is not defined: the answer must define scaled"
    (tmp_path / "eve.ipynb").write_text(notebook(GRAD_F, MY_EXP, SOFTPLUS))
    _, doc = check(tmp_path, FUNCTIONS, tmp_path / "eve.ipynb")
    eve = problems_of(doc, "eve.ipynb")
    assert [eve[i]["verdict"] for i in FUNCTION_IDS] == [C, W, W, C]
    assert "fails on MyExp.apply(randn(3)): " in eve["my-exp"]["message"]
    assert eve["scaled"]["message"] == "scaled is not defined: the answer must define scaled"
    (tmp_path / "fay.py").write_text(GRAD_F + SCALED + SOFTPLUS)
    _, doc = check(tmp_path, FUNCTIONS, tmp_path / "fay.py")
    fay = problems_of(doc, "fay.py")
    assert [fay[i]["verdict"] for i in FUNCTION_IDS] == [C, W, C, C]


def test_a_class_mixes_whole_set_files_and_folders(tmp_path, monkeypatch):
    cls = tmp_path / "class"
    cls.mkdir()
    (cls / "ann.py").write_text("".join(VALUES))
    (cls / "bea.ipynb").write_text(notebook(FORMULA))
    (cls / "cat").mkdir()
    (cls / "cat" / "formula.py").write_text("1.5 * (x + 2)")
    (cls / "dan.toml").write_text('[answers]\nformula = "3/2*(x+2)"\n')
    (cls / "notes.txt").write_text("not a submission")
    os.symlink(tmp_path / "elsewhere.py", cls / "eve.py")
    names = ["ann.py", "bea.ipynb", "cat", "dan.toml", "eve.py"]
    assert expand_submissions([str(cls)], IDS) == [str(cls / n) for n in names]
    # without the ids, as before: a directory holding .py files is one submission
    assert expand_submissions([str(cls)]) == [str(cls)]
    # a folder holding an answer named after a problem stays one submission
    assert expand_submissions([str(cls / "cat")], IDS) == [str(cls / "cat")]
    (cls / "formula.py").write_text("x")
    assert expand_submissions([str(cls)], IDS) == [str(cls)]
    (cls / "formula.py").unlink()

    _, doc = check(tmp_path, SET, cls)  # run_check passes the set's ids to the expansion
    assert [os.path.basename(s["submission"]) for s in doc["submissions"]] == names
    assert {p["verdict"] for p in problems_of(doc, "ann.py").values()} == {C}
    bea = problems_of(doc, "bea.ipynb")
    assert [bea[i]["verdict"] for i in IDS] == [M, C, M, W, M]
    assert bea["mean-square"]["message"].endswith("leaves no variable mean_square "
                                                  "(the answer to mean-square)")
    assert problems_of(doc, "cat")["formula"]["verdict"] == C
    assert problems_of(doc, "cat")["mean-square"]["verdict"] == M
    assert problems_of(doc, "dan.toml")["formula"]["verdict"] == C
    eve = problems_of(doc, "eve.py")
    assert {p["verdict"] for p in eve.values()} == {INV}
    assert "symbolic link" in eve["formula"]["message"]
