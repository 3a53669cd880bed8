"""Verdicts of single answers, graded in this process over the fake interpreter."""

import pytest

from adcli.check.grade import Grader
from adcli.check.problems import ProblemSetError, parse_problem_set
from adcli.limits import Limits

from .fakes import CORRECT, ENGINE, PROBLEM_SET


@pytest.fixture(scope="module")
def grader():
    g = Grader(parse_problem_set(PROBLEM_SET.encode()), Limits(timeout=1.0), ENGINE)
    g.prepare()
    return g


def grade(grader, pid, answer):
    index = [p.id for p in grader.problem_set.problems].index(pid)
    result, suspect = grader.grade(index, answer, f"{pid}.adc")
    return result, suspect


@pytest.mark.parametrize("pid", ["double", "formula", "pair"])
def test_correct_answers(grader, pid):
    result, suspect = grade(grader, pid, CORRECT[pid])
    assert (result.verdict, result.score, result.message, suspect) == (
        "correct",
        result.points,
        "",
        False,
    )


def test_wrong_answer_shows_the_differing_elements(grader):
    result, _ = grade(grader, "double", "2 * x + tensor([0, 1, 0])")
    assert result.verdict == "wrong" and result.score == 0
    assert result.message == "last value: 1 of 3 elements differ: [1] expected 2, got 3"
    assert result.differences == [
        {"check": "last value", "sample": 0, "index": [1], "expected": 2.0, "got": 3.0}
    ]


def test_hard_coded_number_fails_a_formula_with_samples(grader):
    first_draw = grader.expected[1][0][0]  # what the reference gives under the first seed
    hard_coded = f"tensor({first_draw.tolist()})"
    result, _ = grade(grader, "formula", hard_coded)
    assert result.verdict == "wrong"
    assert "(sample 2 of 3)" in result.message


def test_partial_credit_is_the_fraction_of_checks(grader):
    result, _ = grade(grader, "pair", "a = 2 * x\nb = x")
    assert result.verdict == "wrong" and result.score == 0.5
    assert result.message.startswith("b: 2 of 2 elements differ")


def test_a_missing_check_name_is_wrong_not_invalid(grader):
    result, _ = grade(grader, "pair", "a = 2 * x")
    assert result.verdict == "wrong" and result.score == 0.5
    assert "NameError" in result.message


def test_shape_mismatch_and_none(grader):
    result, _ = grade(grader, "double", "2.0")
    assert result.verdict == "wrong" and "expected shape [3], got shape []" in result.message
    result, _ = grade(grader, "double", "None")
    assert result.verdict == "wrong" and "got None" in result.message


def test_invalid_answers_carry_their_position(grader):
    result, _ = grade(grader, "double", "y = 1\n2 * (x")
    assert result.verdict == "invalid" and result.pos is not None
    assert result.message.startswith("SyntaxError at line 2")
    result, _ = grade(grader, "double", "y = 1\nz * 2")
    assert result.verdict == "invalid" and result.pos == (2, 1)
    assert result.message.startswith("NameError at line 2, col 1")


def test_no_answer_is_invalid(grader):
    result, _ = grade(grader, "double", None)
    assert (result.verdict, result.message) == ("invalid", "no answer given")


def test_limit_and_timeout(grader):
    result, suspect = grade(grader, "double", "limit()")
    assert result.verdict == "limit" and "over the limit" in result.message and not suspect
    result, suspect = grade(grader, "double", "while True:\n    pass")
    assert result.verdict == "timeout" and suspect
    assert result.message == "no result within 1 s"


def test_an_internal_error_is_marked_and_exits_3(grader):
    from adcli.check.batch import Outcome
    from adcli.check.results import SubmissionResult

    result, suspect = grade(grader, "double", "bug()")
    assert (result.verdict, result.internal, suspect) == ("invalid", True, True)
    assert result.message == "internal error: Bug: an engine bug"
    outcome = Outcome(grader.problem_set, [SubmissionResult("s", [result])])
    assert outcome.exit_status == 3


def test_a_failing_reference_is_a_problem_set_error():
    text = '[[problem]]\nid = "p"\nsetup = "x = ones(2)"\nanswer = "x +"\n'
    with pytest.raises(ProblemSetError, match="problem 'p': the reference answer fails"):
        Grader(parse_problem_set(text.encode()), Limits(), ENGINE).prepare()
    text = '[[problem]]\nid = "p"\nanswer = "1"\ncheck = ["nothing"]\n'
    with pytest.raises(ProblemSetError, match="check 'nothing' fails on the reference"):
        Grader(parse_problem_set(text.encode()), Limits(), ENGINE).prepare()
