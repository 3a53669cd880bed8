"""``--stats``: where the common wrong answers of a function problem diverge, from
adcli's per-node gradcheck on one representative of each group."""

from __future__ import annotations

import json
import os
import textwrap

from click.testing import CliRunner

from adcli.check.problems import load_problem_set
from adcli.check.results import ProblemResult, SubmissionResult
from adcli.check.stats import compute_stats, first_divergence, stats_text
from adcli.cli.check_cmd import check_command
from adcli.limits import Limits

SET = '''\
title = "Functions"
[[problem]]
id = "my-exp"
points = 2
function = "MyExp.apply"
gradcheck = true
inputs = ["randn(3)", "randn(2, 2)"]
reference = """
class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        r = x.exp()
        ctx.save_for_backward(r)
        return r

    @staticmethod
    def backward(ctx, g):
        r, = ctx.saved_tensors
        return g * r
"""

[[problem]]
id = "double"
function = "double"
inputs = ["randn(3)"]
reference = "def double(x):\\n    return 2 * x"
'''

# A correct helper Function, then MyExp, whose backward is planted wrong ({back}).
ANSWER = textwrap.dedent("""\
    class Twice(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return 2 * x

        @staticmethod
        def backward(ctx, g):
            return 2 * g


    class MyExp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            r = (Twice.apply(x) / 2).exp()
            ctx.save_for_backward(r)
            return r

        @staticmethod
        def backward(ctx, g):
            r, = ctx.saved_tensors
            return {back}
""")
BACKWARD_LINE = 19  # "def backward" of MyExp, in ANSWER


def invoke(args, cwd):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(check_command, [str(a) for a in args])
    finally:
        os.chdir(old)


def write_class(tmp_path):
    (tmp_path / "set.toml").write_text(SET)
    cls = tmp_path / "class"
    cls.mkdir()
    plan = {  # name -> (kind, backward, double)
        "ann": ("adc", "g * r", "2 * x"),
        "bob": ("adc", "g * r * 2", "3 * x"),
        "cat": ("py", "g * r * 2", "3 * x"),
        "dan": ("adc", "g * r * 2", "2 * x"),
        "eve": ("py", "-g * r", "2 * x"),
    }
    for name, (kind, back, double) in plan.items():
        folder = cls / name
        folder.mkdir()
        head = "import torch\n" if kind == "py" else ""
        (folder / f"my-exp.{kind}").write_text(head + ANSWER.format(back=back))
        (folder / f"double.{kind}").write_text(f"def double(x):\n    return {double}\n")
    return cls


def test_the_first_divergence_of_a_planted_wrong_function(tmp_path):
    write_class(tmp_path)
    result = invoke(["set.toml", "class", "--stats", "--json", "r.json"], tmp_path)
    assert result.exit_code == 1, result.output
    doc = json.loads((tmp_path / "r.json").read_text())
    my_exp, double = doc["stats"]["problems"]
    groups = my_exp["wrong_answers"]
    assert [g["count"] for g in groups] == [4]  # gradcheck's message: one group
    found = groups[0]["diverges"]  # from bob's .adc answer, the first of the group
    assert found["node"] == "MyExpBackward"  # not the correct helper, Twice
    assert found["what"] == "backward" and found["line"] == BACKWARD_LINE
    assert found["message"].startswith("backward's gradient for input 0")
    assert found["max_diff"] > 0
    assert "first divergence: MyExpBackward (backward at line 19)" in result.output
    # a wrong answer that uses no custom Function has no divergence
    assert double["wrong_answers"] and "diverges" not in double["wrong_answers"][0]


def test_divergence_of_a_python_answer(tmp_path):
    cls = write_class(tmp_path)
    problem = load_problem_set(str(tmp_path / "set.toml")).problems[0]
    for name in ("cat", "eve"):  # the line of the file, after its "import torch"
        found = first_divergence(problem, str(cls / name), Limits())
        assert (found["node"], found["line"]) == ("MyExpBackward", BACKWARD_LINE + 1)


def test_divergence_of_a_notebook_names_its_cell(tmp_path):
    write_class(tmp_path)
    cells = [["import torch"], ANSWER.format(back="g * r * 3").splitlines()]
    doc = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
             "source": "\n".join(c)}
            for c in cells
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    folder = tmp_path / "class" / "nb"
    folder.mkdir()
    (folder / "my-exp.ipynb").write_text(json.dumps(doc))
    problem = load_problem_set(str(tmp_path / "set.toml")).problems[0]
    found = first_divergence(problem, str(folder), Limits())
    assert found["node"] == "MyExpBackward"
    assert (found["cell"], found["line"]) == (2, BACKWARD_LINE)


def test_a_correct_function_or_an_unreadable_submission_has_no_divergence(tmp_path):
    cls = write_class(tmp_path)
    problem = load_problem_set(str(tmp_path / "set.toml")).problems[0]
    assert first_divergence(problem, str(cls / "ann"), Limits()) is None
    assert first_divergence(problem, str(cls / "nobody"), Limits()) is None
    (cls / "ann" / "my-exp.adc").write_text("class MyExp(torch.autograd.Function)\n")
    assert first_divergence(problem, str(cls / "ann"), Limits()) is None


def test_at_most_five_groups_and_no_divergence_for_hidden_tests(tmp_path):
    cls = write_class(tmp_path)
    problem_set = load_problem_set(str(tmp_path / "set.toml"))
    results = [
        SubmissionResult(
            str(cls / "bob"),
            [
                ProblemResult("my-exp", "wrong", 0.0, 2.0, f"answer {k}"),
                ProblemResult("double", "wrong", 0.0, 1.0, "x").as_hidden(),
            ],
        )
        for k in range(8)
    ]
    stats = compute_stats(problem_set, results, Limits())
    my_exp, double = stats["problems"]
    assert len(my_exp["wrong_answers"]) == 5
    assert all(g["diverges"]["node"] == "MyExpBackward" for g in my_exp["wrong_answers"])
    assert double["wrong_answers"] == []  # how a hidden test failed is not told
    assert double["verdicts"]["failed"] == 1.0 and double["verdicts"]["wrong"] == 0
    assert "first divergence" in stats_text(stats)
    quiet = compute_stats(problem_set, results, Limits(), diverge=False)
    assert all("diverges" not in g for g in quiet["problems"][0]["wrong_answers"])
