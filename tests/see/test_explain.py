"""adcli explain: the steps in the engine's order, each formula in the user's names, the
values, broadcast sums, accumulation, and why a .grad is None. Reference values: the
seed tutorial's hand derivation (d out/dx = 3/2 (x + 2) = 4.5) and derivatives by hand."""

from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner

from adcli.cli.main import cli
from adcli.limits import Limits
from adcli.see.explain import explain, latex, markdown
from adcli.see.inspect import inspect_target

SEED = "samples/seeds/seed_000_variable_tutorial.adc"


def ex(target, bindings=(), **kw):
    r = inspect_target(target, list(bindings), Limits())
    return explain(r.inspector, **kw)


def test_seed_derivation_step_by_step():
    e = ex(SEED, pass_number=1)
    assert e.passes == 2
    assert [s.grad_fn for s in e.steps] == ["MeanBackward0", "MulBackward0", "MulBackward0",
                                            "AddBackward0"]
    mean, times3, square, add = e.steps
    np.testing.assert_allclose(mean.contributions[0].passed, np.full((2, 2), 0.25))  # 1/4
    assert times3.contributions[0].local == "3"
    assert [c.local for c in square.contributions] == ["y", "y"]
    np.testing.assert_allclose(square.contributions[0].local_value, np.full((2, 2), 3.0))
    assert add.uses == [3, 3]  # y's two uses, summed
    np.testing.assert_allclose(add.grad_out, np.full((2, 2), 4.5))
    assert add.contributions[0].local == "1"
    (name, received, grad, _), = e.leaves
    assert name == "x"
    np.testing.assert_allclose(received, np.full((2, 2), 4.5))  # 3/2 (x + 2) at x = 1


def test_formulas_in_the_users_words():
    e = ex("sum(2 * x - x ** 3 / y)", [("x", "[1., 2.]"), ("y", "[2., 4.]")])
    locals_ = {(s.label, c.input): c.local for s in e.steps for c in s.contributions}
    assert locals_[("x ** 3 / y", "y")] == "-x ** 3 / (y * y)"
    assert locals_[("x ** 3", "x")] == "3 * x ** 2"
    assert locals_[("2 * x", "x")] == "2"
    assert locals_[("2 * x - x ** 3 / y", "x ** 3 / y")] == "-1"
    by_leaf = {n: r for n, r, _, _ in e.leaves}
    np.testing.assert_allclose(by_leaf["x"], [2 - 3 * 1 / 2, 2 - 3 * 4 / 4])
    np.testing.assert_allclose(by_leaf["y"], [1 / 4, 8 / 16])
    assert [len(u) for n, _, _, u in e.leaves if n == "x"] == [2]


def test_broadcast_reduction_is_explained():
    e = ex("sum(x * b)", [("x", "ones(2,3)"), ("b", "[1., 2., 3.]")])
    (c,) = [c for s in e.steps for c in s.contributions if c.input == "b"]
    assert c.reduction.startswith("summed over dim 0, because b is (3,)")
    np.testing.assert_allclose(c.passed, [2.0, 2.0, 2.0])


def test_why_grad_is_none(tmp_path):
    f = tmp_path / "t.py"
    f.write_text("import torch\n"
                 "a = torch.ones(2, requires_grad=True)\n"
                 "b = torch.ones(2)\n"
                 "c = torch.ones(2, requires_grad=True)\n"
                 "i = torch.tensor([1, 2])\n"
                 "h = a * 2\n"
                 "loss = (h * b + c.detach()).sum()\n"
                 "loss.backward()\n")
    r = inspect_target(str(f), [], Limits())
    notes = explain(r.inspector, wrt=["b", "c", "h", "i"]).notes
    text = "\n".join(notes)
    assert "b does not require grad" in text
    assert "no backward pass reached c" in text
    assert "h is not a leaf" in text and "retain_grad" in text
    assert "integer" in text


def test_wrt_keeps_only_the_steps_leading_to_it():
    e = ex("sum(x * y + y)", [("x", "[1., 2.]"), ("y", "[3., 4.]")], wrt=["x"])
    inputs = {c.input for s in e.steps for c in s.contributions}
    assert "x" in inputs and "y" not in inputs
    assert [n for n, _, _, _ in e.leaves] == ["x"]


def test_markdown_latex_and_json():
    e = ex("mean(3*(x+2)**2)", [("x", "ones(2,2)")])
    md = markdown(e)
    assert md.count("\n| ") >= 5 and "∂(`(x + 2) ** 2`)/∂(`x + 2`) = `2 * (x + 2)`" in md
    tex = latex(e)
    assert tex.startswith("\\begin{align*}") and tex.rstrip().endswith("\\end{align*}")
    assert "{\\left(x + 2\\right)}^{2}" in tex
    res = CliRunner().invoke(cli, ["explain", "mean(3*(x+2)**2)", "-b", "x=ones(2,2)",
                                   "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert [s["grad_fn"] for s in doc["steps"]] == ["MeanBackward0", "MulBackward0",
                                                   "PowBackward0", "AddBackward0"]
    assert doc["leaves"][0]["grad"] == [[4.5, 4.5], [4.5, 4.5]]


def test_cli_table_and_errors():
    r = CliRunner()
    res = r.invoke(cli, ["explain", SEED, "--wrt", "x"])
    assert res.exit_code == 0, res.output
    assert "backward pass 2 of 2" in res.output and "x received" in res.output
    res = r.invoke(cli, ["explain", "1 + 2"])
    assert res.exit_code == 1 and "no backward pass" in res.output
    res = r.invoke(cli, ["explain", SEED, "--pass", "9"])
    assert res.exit_code == 1 and "2 backward pass" in res.output
    res = r.invoke(cli, ["explain", SEED, "--wrt", "nope"])
    assert res.exit_code == 1 and "no variable 'nope'" in res.output


def test_every_seed_explains_without_error():
    import glob

    for path in sorted(glob.glob("samples/seeds/*.adc")):
        res = CliRunner().invoke(cli, ["explain", path, "--markdown"])
        assert res.exit_code in (0, 1), (path, res.output)
        assert "internal error" not in res.output and "Traceback" not in res.output
