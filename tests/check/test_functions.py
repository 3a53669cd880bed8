"""Function problems (the answer defines a function that tests call on sampled inputs),
hidden tests, and the per-worker cache of syntax trees."""

import json
import os

import pytest
from click.testing import CliRunner

from adcli.check import grade as grade_mod
from adcli.check.grade import Grader, default_engine
from adcli.check.problems import ProblemSetError, parse_problem_set
from adcli.cli.check_cmd import check_command
from adcli.limits import Limits

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "samples", "homework", "functions")
SET = os.path.join(SAMPLE, "set.toml")
CLASS = os.path.join(SAMPLE, "submissions")

GRAD_F = '''
[[problem]]
id = "grad-f"
function = "grad_f"
reference = """
def grad_f(x):
    x = x.detach().requires_grad_()
    (x.sin() * x).sum().backward()
    return x.grad
"""
inputs = ["randn(3)", "randn(2, 2)"]
samples = 3
'''

MY_EXP = '''
[[problem]]
id = "my-exp"
function = "MyExp.apply"
gradcheck = true
inputs = ["randn(3)"]
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
'''

WRONG_BACKWARD = """
class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.exp()
    @staticmethod
    def backward(ctx, g):
        return g * 2
"""


def make_grader(text: str) -> Grader:
    g = Grader(parse_problem_set(text.encode()), Limits(timeout=5.0), default_engine())
    g.prepare()
    return g


@pytest.fixture(scope="module")
def grader():
    return make_grader(GRAD_F + MY_EXP)


def grade(grader, pid, answer, kind="adc"):
    index = [p.id for p in grader.problem_set.problems].index(pid)
    result, suspect = grader.grade(index, answer, f"{pid}.{kind}", kind)
    assert not suspect
    return result


# --- the problem set ---------------------------------------------------------------------


def test_function_problem_keys_are_read():
    problem = parse_problem_set((GRAD_F + MY_EXP).encode()).problems[1]
    assert (problem.function, problem.inputs, problem.gradcheck) == (
        "MyExp.apply",
        ("randn(3)",),
        True,
    )
    assert problem.check_names() == ("MyExp.apply(randn(3))", "gradcheck")
    assert "class MyExp" in problem.answer  # the reference


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("inputs = [\"randn(3)\", \"randn(2, 2)\"]", "inputs = []"), "inputs must be"),
        (('function = "grad_f"', 'function = "grad f"'), "function must be a name"),
        (('function = "grad_f"', 'function = "__class__"'), "function must be a name"),
        (("samples = 3", 'samples = 3\nanswer = "1"'), "a function problem has no answer"),
        (("samples = 3", 'samples = 3\ncheck = ["y"]'), "a function problem has no check"),
        (("samples = 3", "samples = 3\ngradcheck = 1"), "gradcheck must be true or false"),
        (("samples = 3", 'samples = 3\nhidden = "yes"'), "hidden must be true or false"),
        (('function = "grad_f"\n', ""), "reference is a key of a function problem"),
        (('reference = """', 'refrence = """'), "unknown key 'refrence'"),
        (("samples = 3", "samples = 3\nhidden_inputs = 3"), "hidden_inputs must be a list"),
    ],
)
def test_function_problem_mistakes_are_errors(change, message):
    old, new = change
    text = GRAD_F.replace(old, new)
    assert text != GRAD_F
    with pytest.raises(ProblemSetError, match=message):
        parse_problem_set(text.encode())


def test_a_reference_that_does_not_define_the_function_is_a_problem_set_error():
    with pytest.raises(ProblemSetError, match="the reference: grad_f is not defined"):
        make_grader(GRAD_F.replace("def grad_f(x):", "def other(x):"))


def test_a_reference_that_fails_gradcheck_is_a_problem_set_error():
    with pytest.raises(ProblemSetError, match="gradcheck"):
        make_grader(MY_EXP.replace("return g * r", "return g * 2"))


# --- grading -----------------------------------------------------------------------------


def test_a_correct_function_written_differently(grader):
    answer = "def grad_f(x):\n    return x.cos() * x + x.sin()"
    assert grade(grader, "grad-f", answer).verdict == "correct"


def test_a_python_function_answer(grader):
    answer = "import torch\n\ndef grad_f(x):\n    return torch.cos(x) * x + torch.sin(x)\n"
    assert grade(grader, "grad-f", answer, "py").verdict == "correct"


def test_a_wrong_function_gets_partial_credit_per_input(grader):
    # right only for 1-d inputs: the first call matches, the second does not
    answer = "def grad_f(x):\n    return x.cos() * x + x.sin() if x.dim() == 1 else x"
    result = grade(grader, "grad-f", answer)
    assert result.verdict == "wrong" and result.score == 0.5
    assert result.message.startswith("grad_f(randn(2, 2)) (sample 1 of 3): ")


def test_the_inputs_do_not_depend_on_what_the_answer_draws(grader):
    answer = "noise = randn(100)\ndef grad_f(x):\n    return x.cos() * x + x.sin()"
    assert grade(grader, "grad-f", answer).verdict == "correct"


def test_a_missing_function_is_named(grader):
    result = grade(grader, "grad-f", "def grad_g(x):\n    return x")
    assert (result.verdict, result.score) == ("wrong", 0.0)
    assert result.message == "grad_f is not defined: the answer must define grad_f"


def test_a_value_that_is_not_a_function_is_named(grader):
    result = grade(grader, "grad-f", "grad_f = 3")
    assert result.message == "grad_f is not a function (it is int)"
    result = grade(grader, "my-exp", "MyExp = 3")
    assert result.message.startswith("MyExp.apply is not defined: ")


def test_an_error_inside_the_function_gives_its_kind_and_line(grader):
    answer = "import torch\n\ndef grad_f(x):\n    y = x * 2\n    return y.gradient\n"
    result = grade(grader, "grad-f", answer, "py")
    assert result.verdict == "wrong"
    assert "AttributeError at line 5, col 14: " in result.message
    assert "'Tensor' object has no attribute 'gradient'" in result.message


def test_an_autograd_function_and_gradcheck(grader):
    reference = grader.problem_set.problems[1].answer
    assert grade(grader, "my-exp", reference).verdict == "correct"
    result = grade(grader, "my-exp", WRONG_BACKWARD)
    assert result.verdict == "wrong" and result.score == 0.5  # the forward matches
    assert result.message.startswith("gradcheck: fails on MyExp.apply(randn(3)): ")
    assert "Jacobian mismatch for output 0 with respect to input 0" in result.message
    assert "\\x0a" not in result.message


def test_gradcheck_names_a_hidden_input_by_its_number():
    g = make_grader(MY_EXP.replace('inputs = ["randn(3)"]', 'inputs = ["randn(3)"]\n'
                                   'hidden_inputs = ["randn(5)"]'))
    result = grade(g, "my-exp", WRONG_BACKWARD)
    assert "fails on MyExp.apply(randn(3))" in result.message
    assert "randn(5)" not in result.without_secret_checks().message


def test_a_syntax_error_is_invalid(grader):
    result = grade(grader, "grad-f", "def grad_f(x:\n    return x")
    assert result.verdict == "invalid" and "line 1" in result.message


# --- hidden tests --------------------------------------------------------------------------


def run_cli(*args):
    result = CliRunner().invoke(check_command, [SET, CLASS, "--jobs", "1", *args])
    assert result.exit_code == 1, result.output
    return result.output


def problem(document, submission, pid):
    sub = next(s for s in document["submissions"] if s["submission"].endswith(submission))
    return next(p for p in sub["problems"] if p["id"] == pid)


def test_the_sample_class():
    document = json.loads(run_cli("--json", "-"))
    scores = {s["submission"].rsplit("/", 1)[-1]: s["score"] for s in document["submissions"]}
    assert scores == {"ann.toml": 7.0, "bob": 3.333333, "cat": 1.0}


def test_hidden_tests_show_only_passed_or_failed(tmp_path):
    out = {kind: str(tmp_path / f"r.{kind}") for kind in ("json", "csv", "junit", "html")}
    lms = str(tmp_path / "gs")
    text = run_cli(*(a for kind, path in out.items() for a in (f"--{kind}", path)),
                   "--gradescope", lms, "--prairielearn", str(tmp_path / "pl"), "--stats")
    with open(out["json"]) as f:
        document = json.load(f)
    bob = problem(document, "bob", "scaled")
    assert bob == {"id": "scaled", "verdict": "failed", "score": 0.0, "points": 1.0,
                   "message": "hidden test: failed"}
    assert problem(document, "ann.toml", "scaled")["message"] == "hidden test: passed"
    assert problem(document, "cat", "scaled")["verdict"] == "missing"
    reports = [text]
    for path in [*out.values(), *(os.path.join(lms, n) for n in os.listdir(lms))]:
        with open(path) as f:
            reports.append(f.read())
    for report in reports:
        assert "scaled(randn" not in report  # neither the calls nor their values
    for report in (text, reports[3], reports[4]):  # the table, JUnit, HTML
        assert "hidden test: failed" in report


def test_show_hidden_gives_the_teacher_the_details():
    document = json.loads(run_cli("--json", "-", "--show-hidden"))
    bob = problem(document, "bob", "scaled")
    assert bob["message"].startswith("scaled(randn(4), 0.5) (sample 1 of 3): 4 of 4 elements")
    assert bob["differences"]


def test_hidden_with_hide_expected():
    document = json.loads(run_cli("--json", "-", "--hide-expected"))
    assert problem(document, "bob", "scaled")["message"] == "hidden test: failed"
    assert "expected" not in json.dumps(problem(document, "bob", "grad-f"))
    assert problem(document, "cat", "softplus-grad")["message"] == "hidden test 1: failed"


def test_hidden_inputs_withhold_only_their_own_checks():
    document = json.loads(run_cli("--json", "-"))
    cat = problem(document, "cat", "softplus-grad")
    assert cat == {"id": "softplus-grad", "verdict": "wrong", "score": 1.0, "points": 2.0,
                   "message": "hidden test 1: failed"}
    shown = json.loads(run_cli("--json", "-", "--show-hidden"))
    cat = problem(shown, "cat", "softplus-grad")
    assert cat["message"].startswith("softplus_grad(tensor([-30.0, 0.0, 30.0])) (sample 1 of 3)")
    assert {d["check"] for d in cat["differences"]} == {"softplus_grad(tensor([-30.0, 0.0, 30.0]))"}


def test_a_visible_failure_is_shown_beside_a_hidden_one():
    g = make_grader(GRAD_F.replace('samples = 3', 'samples = 3\nhidden_inputs = ["randn(4)"]'))
    result = grade(g, "grad-f", "def grad_f(x):\n    return x")
    assert result.verdict == "wrong" and result.score == 0
    assert result.secret_checks == ["grad_f(randn(4))"]
    public = result.without_secret_checks()
    assert public.message.endswith(" | hidden test 1: failed")
    assert public.message.startswith("grad_f(randn(3)) (sample 1 of 3): ")
    assert "randn(4)" not in public.message + public.hidden + json.dumps(public.differences)
    assert "expected" not in public.without_expected().message


def test_hidden_details_survive_the_log_and_merge(tmp_path):
    log = str(tmp_path / "log.jsonl")
    run_cli("--log", log, "--quiet")
    merged = CliRunner().invoke(check_command, [SET, "--merge", log, "--json", "-"])
    document = json.loads(merged.output)
    assert problem(document, "cat", "softplus-grad")["message"] == "hidden test 1: failed"
    merged = CliRunner().invoke(
        check_command, [SET, "--merge", log, "--json", "-", "--show-hidden"]
    )
    document = json.loads(merged.output)
    assert "30.0" in problem(document, "cat", "softplus-grad")["message"]
    assert "scaled(randn(4), 0.5)" in problem(document, "bob", "scaled")["message"]


# --- the cache of syntax trees -------------------------------------------------------------


def test_texts_are_parsed_once_per_process(monkeypatch):
    import adcli.lang.interpreter as interpreter

    calls = []
    real = interpreter.parse

    def counting(text, *args, **kwargs):
        calls.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(interpreter, "parse", counting)
    monkeypatch.setattr(grade_mod, "_PARSED", {})
    g = make_grader(GRAD_F)
    answer = "def grad_f(x):\n    return x.cos() * x + x.sin()"
    for _ in range(3):
        assert grade(g, "grad-f", answer).verdict == "correct"
    # the reference, the answer and each input parsed once, for 3 seeds and 3 gradings
    assert sorted(calls) == sorted(
        [g.problem_set.problems[0].answer, answer, "(randn(3),)", "(randn(2, 2),)", "grad_f"]
    )


def test_seeding_twice_gives_the_same_stream():
    from adcli.engine import api

    seed = default_engine().manual_seed
    seed(7)
    first = api.randn(4).tolist()
    seed(8)
    seed(7)  # the remembered state
    assert api.randn(4).tolist() == first and api.initial_seed() == 7


def test_a_parse_error_is_not_cached(grader):
    for _ in range(2):
        assert grade(grader, "grad-f", "def grad_f(x:").verdict == "invalid"


def test_an_input_that_does_not_run_is_a_problem_set_error():
    with pytest.raises(ProblemSetError, match=r"setup fails: inputs 'randn\(3'"):
        make_grader(GRAD_F.replace('"randn(3)"', '"randn(3"'))


def test_an_endless_function_is_a_timeout():
    g = Grader(parse_problem_set(GRAD_F.encode()), Limits(timeout=0.5), default_engine())
    g.prepare()
    result, suspect = g.grade(0, "def grad_f(x):\n    while True:\n        pass", "a.adc")
    assert result.verdict == "timeout"


def test_a_notebook_defines_the_function(grader):
    cells = ["import torch", "def grad_f(x):\n    return torch.cos(x) * x + torch.sin(x)"]
    nb = json.dumps(
        {
            "cells": [
                {"cell_type": "code", "metadata": {}, "execution_count": None,
                 "outputs": [], "source": c}
                for c in cells
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 4,
        }
    )
    assert grade(grader, "grad-f", nb, "ipynb").verdict == "correct"


def test_a_long_text_is_not_kept(monkeypatch):
    monkeypatch.setattr(grade_mod, "_PARSED", {})
    g = make_grader(GRAD_F)
    long_answer = "def grad_f(x):\n    return x.cos() * x + x.sin()\n" + "#" * 20_000
    assert grade(g, "grad-f", long_answer).verdict == "correct"
    assert all(len(key[0]) <= grade_mod._PARSED_TEXT_MAX for key in grade_mod._PARSED)


HIDDEN_CHECK = """
[[problem]]
id = "pair"
setup = "x = tensor([1.0, 2.0], requires_grad=True)"
answer = "y = (x * x).sum(); y.backward()"
check = ["y"]
hidden_check = ["x.grad"]
"""


def test_a_hidden_check_of_a_value_problem():
    g = make_grader(HIDDEN_CHECK)
    problem_ = g.problem_set.problems[0]
    assert problem_.check_names() == ("y", "x.grad") and problem_.hidden_checks() == {1}
    result = grade(g, "pair", "y = (x * x).sum()")  # y right, x.grad never computed
    assert result.verdict == "wrong" and result.score == 0.5
    assert result.message.startswith("x.grad: ")
    public = result.without_secret_checks()
    assert public.message == "hidden test 1: failed" and public.differences == []
    assert grade(g, "pair", "y = (x * x).sum(); y.backward()").verdict == "correct"


def test_a_hidden_check_of_the_last_value():
    g = make_grader(HIDDEN_CHECK.replace('check = ["y"]\n', ""))
    assert g.problem_set.problems[0].check_names() == ("last value", "x.grad")
    result = grade(g, "pair", "y = (x * x).sum(); y.backward(); x.grad * 0")
    assert result.without_secret_checks().message.startswith("last value: ")
    assert result.without_secret_checks().message.endswith(" | hidden test 1: passed")


def test_hidden_check_is_not_a_key_of_a_function_problem():
    with pytest.raises(ProblemSetError, match="a function problem has no hidden_check"):
        parse_problem_set(GRAD_F.replace("samples = 3", 'samples = 3\nhidden_check = "y"').encode())
