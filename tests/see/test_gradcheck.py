"""adcli gradcheck: finds planted bugs in custom autograd.Functions at the right node, and
raises no false alarm on correct code, the seeds or the conformance corpus."""

from __future__ import annotations

import glob
import json
import textwrap

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from adcli.cli.main import cli
from adcli.limits import Limits
from adcli.see import gradcheck

PROGRAM = textwrap.dedent('''
    import torch

    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return {square}

    class RowDot(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, w):
            ctx.save_for_backward(a, w)
            return (a * w).sum(dim=1)

        @staticmethod
        def backward(ctx, g):
            a, w = ctx.saved_tensors
            return g[:, None] * w, {reduce}

    class Cube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x ** 3
            ctx.save_for_backward({saved})
            return y

        @staticmethod
        def backward(ctx, g):
            (s,) = ctx.saved_tensors
            return g * 3 * s ** 2

    a = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], requires_grad=True)
    w = torch.tensor([0.3, -0.2, 0.9], requires_grad=True)
    h = Square.apply(a)
    r = RowDot.apply(h, w)
    c = Cube.apply(r)
    loss = c.sum()
    loss.backward()
''')
RIGHT = {"square": "2 * x * g", "reduce": "(g[:, None] * a).sum(0)", "saved": "x"}


def run(tmp_path, **changes):
    f = tmp_path / "hw.py"
    f.write_text(PROGRAM.format(**{**RIGHT, **changes}))
    return gradcheck.run(str(f), [], Limits())[1], f


def test_correct_functions_pass(tmp_path):
    report, _ = run(tmp_path)
    assert report.ok
    assert [c.name for c in report.checks] == ["CubeBackward", "RowDotBackward",
                                               "SquareBackward"]


@pytest.mark.parametrize("change, node, line", [
    ({"square": "-2 * x * g"}, "SquareBackward", "Square.apply(a)"),  # a wrong sign
    ({"reduce": "(g[:, None] * a).mean(0)"}, "RowDotBackward", "RowDot.apply(h, w)"),
    ({"saved": "y"}, "CubeBackward", "Cube.apply(r)"),  # the wrong tensor saved
])
def test_planted_bugs_point_at_their_node(tmp_path, change, node, line):
    report, f = run(tmp_path, **change)
    assert not report.ok
    first = report.first_failure()
    assert first.name == node and line in first.where
    lineno = next(i for i, t in enumerate(f.read_text().splitlines(), 1) if line in t)
    assert first.line == lineno
    others = [c for c in report.checks if c is not first]
    assert all(c.ok for c in others)  # the other nodes, checked on their own, are right


def test_cli_exit_status_and_json(tmp_path):
    _, f = run(tmp_path, square="-2 * x * g")
    res = CliRunner().invoke(cli, ["gradcheck", str(f)])
    assert res.exit_code == 1
    assert "first disagreement: SquareBackward" in res.output
    res = CliRunner().invoke(cli, ["gradcheck", str(f), "--json"])
    doc = json.loads(res.output)
    assert doc["ok"] is False and doc["checks"][doc["first_failure"]]["name"] == \
        "SquareBackward"
    res = CliRunner().invoke(cli, ["gradcheck", "samples/see/custom_function.py"])
    assert res.exit_code == 0, res.output


def test_end_to_end_for_expressions():
    report = gradcheck.run("sum(sin(x) * x + exp(x) / (1 + x ** 2))",
                           [("x", "[0.5, 1., 2.]")], Limits())[1]
    assert report.ok and [c.kind for c in report.checks] == ["leaf"]
    res = CliRunner().invoke(cli, ["gradcheck", "sum(x * w)", "-b", "x=ones(2,3)",
                                   "-b", "w=[1., 2., 3.]"])
    assert res.exit_code == 0, res.output and "leaf w" in res.output


UNARY = ["sin", "cos", "exp", "tanh", "sigmoid", "sinh"]


@settings(max_examples=25, deadline=None)
@given(f=st.sampled_from(UNARY), g=st.sampled_from(UNARY),
       op=st.sampled_from(["+", "*", "-"]),
       xs=st.lists(st.floats(-2, 2, allow_nan=False), min_size=1, max_size=4))
def test_no_false_alarm_on_smooth_expressions(f, g, op, xs):
    expr = f"sum({f}(x) {op} {g}(x * y))"
    report = gradcheck.run(expr, [("x", repr([float(v) for v in xs])),
                                  ("y", repr([0.5] * len(xs)))], Limits())[1]
    assert report.ok, (expr, xs, report.checks)


def test_no_false_alarm_on_the_seeds_and_the_conformance_corpus():
    paths = sorted(glob.glob("samples/seeds/*.adc") + glob.glob("samples/conformance/*.adc"))
    assert len(paths) > 50
    for path in paths:
        report = gradcheck.run(path, [], Limits())[1]
        assert report.ok, (path, [c for c in report.checks if not c.ok])
