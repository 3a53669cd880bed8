"""`adcli eval` through click's CliRunner. Expected values come from PyTorch's transcripts
of the seed tutorials (seed_000, seed_004) and from SPEC §2."""

import json

import pytest
from click.testing import CliRunner

from adcli.cli.main import cli


def run(*args, env=None):
    return CliRunner().invoke(cli, ["eval", *args], env=env or {"NO_COLOR": "1"})


def test_json_matches_the_spec_example():
    r = run("mean(3*(x+2)^2)", "-b", "x=ones(2,2)", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    graph = doc.pop("graph")  # issue 17 adds the graph (tests/see/test_graph.py)
    assert doc == {
        "expr": "mean(3*(x+2)^2)", "value": 27.0, "shape": [], "dtype": "float32",
        "grad_fn": "MeanBackward0", "grads": {"x": [[4.5, 4.5], [4.5, 4.5]]},
    }
    assert set(graph) == {"title", "root", "nodes", "edges"}


def test_seed_004_sum_of_powers():
    # o = (1/2) * sum(5 * (x + 1) ^ 2) at x = ones(2): o = 20, do/dx = 10 (torch transcript)
    r = run("(1/2) * sum(5 * (x + 1) ^ 2)", "-b", "x=ones(2)", "--json")
    data = json.loads(r.stdout)
    assert data["value"] == 20.0 and data["grad_fn"] == "MulBackward0"
    assert data["grads"] == {"x": [10.0, 10.0]}


def test_non_scalar_result_without_vjp_has_null_grads_and_a_note():
    r = run("x * 2", "-b", "x=[1., 2.]", "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["grads"] == {"x": None} and data["shape"] == [2]
    assert "--vjp" in r.stderr
    assert "--vjp 'ones(2)'" in data["note"] and "constants" not in data


def test_vjp_back_propagates_a_vector():
    # seed_000: y = x * 2^9 for three inputs; grad for v = [0.1, 1, 1e-4] is 512 * v
    r = run("x * 512", "-b", "x=[1.3043, -2.0869, -0.6267]", "--vjp", "[0.1, 1.0, 0.0001]",
            "--json")
    data = json.loads(r.stdout)
    assert data["grads"]["x"] == pytest.approx([51.2, 512.0, 0.0512], rel=1e-6)


def test_plain_output_shows_value_graph_and_grads():
    r = run("mean(3*(x+2)^2)", "-b", "x=ones(2,2)")
    assert r.exit_code == 0
    out = r.stdout
    assert "tensor(27., grad_fn=<MeanBackward0>)" in out
    for name in ("MeanBackward0", "MulBackward0", "PowBackward0", "AddBackward0",
                 "AccumulateGrad (x)"):
        assert name in out
    assert "tensor([[4.5000, 4.5000]," in out
    assert "\x1b[" not in out  # no colour codes when piped


def test_graph_branches_when_inputs_branch():
    r = run("x * y + x", "-b", "x=2.", "-b", "y=3.")
    assert "├─" in r.stdout and "AccumulateGrad (y)" in r.stdout


def test_plain_graph_guides_fall_back_to_ascii():
    from adcli.evaluate import evaluate, grad_fn_tree
    from adcli.render import can_encode, plain_eval

    result = evaluate("x * y + x", [("x", "2."), ("y", "3.")])
    tree = grad_fn_tree(result.value, {id(t): n for n, t in result.inputs.items()})
    text = plain_eval(result, tree, ascii_only=True)
    assert text.isascii() and "|- MulBackward0" in text and "`- AccumulateGrad (x)" in text
    assert "├─ MulBackward0" in plain_eval(result, tree)

    class Stream:
        def __init__(self, encoding):
            self.encoding = encoding

    assert can_encode(Stream("utf-8")) and not can_encode(Stream("cp1252"))
    assert not can_encode(Stream("ascii")) and not can_encode(Stream("no-such-codec"))


def test_bindings_from_files(tmp_path):
    import numpy as np

    np.save(tmp_path / "a.npy", np.array([1.0, 2.0, 3.0], dtype=np.float32))
    (tmp_path / "b.csv").write_text("1,2\n3,4\n")
    r = run("sum(a^2) + sum(b)", "-b", f"a=@{tmp_path / 'a.npy'}", "-b",
            f"b=@{tmp_path / 'b.csv'}", "--json")
    data = json.loads(r.stdout)
    assert data["value"] == 24.0
    assert data["grads"] == {"a": [2.0, 4.0, 6.0], "b": [[1.0, 1.0], [1.0, 1.0]]}


@pytest.mark.parametrize("args, status, words", [
    (["x +", "-b", "x=1."], 1, "<expr>:1:4"),
    (["y", "-b", "x=1."], 1, "name 'y' is not defined"),
    (["x", "-b", "x=ones(2,"], 1, "-b x:1:"),
    (["x", "-b", "x"], 2, "NAME=VALUE"),
    (["x", "-b", "x=@/nonexistent.npy"], 2, "no such file"),
    (["x.sum() + ones(3)", "-b", "x=ones(2)", "--vjp", "ones(2)"], 1, "shape"),
])
def test_errors_are_clear_and_have_status(args, status, words):
    r = run(*args)
    assert r.exit_code == status, r.output
    assert words in r.stderr
    assert "Traceback" not in r.output + r.stderr


def test_help_shows_a_working_example():
    r = CliRunner().invoke(cli, ["eval", "--help"])
    assert "adcli eval 'mean(3*(x+2)^2)' -b 'x=ones(2,2)'" in r.output


def test_a_bug_in_adcli_exits_3_with_a_short_message(monkeypatch):
    import adcli.evaluate

    def broken(*args, **kwargs):
        raise KeyError("oops")

    monkeypatch.setattr(adcli.evaluate, "evaluate", broken)
    r = run("x", "-b", "x=1.")
    assert r.exit_code == 3
    assert "internal error" in r.stderr and "report" in r.stderr
    assert "Traceback" not in r.stderr


def test_rich_only_on_a_terminal_without_no_color(monkeypatch):
    from adcli.cli.eval_cmd import use_rich

    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_rich(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_rich(Tty())


def test_rich_rendering_records_a_panel_with_the_tree():
    from rich.console import Console

    from adcli.evaluate import evaluate, grad_fn_tree
    from adcli.render import rich_eval

    result = evaluate("sum(x*y)", [("x", "[1., 2.]"), ("y", "[3., 4.]")])
    tree = grad_fn_tree(result.value, {id(t): n for n, t in result.inputs.items()})
    console = Console(record=True, width=80, color_system="truecolor")
    console.print(rich_eval(result, tree))
    text = console.export_text()
    assert "SumBackward0" in text and "AccumulateGrad (y)" in text
    assert "tensor([3., 4.])" in text  # x.grad = y
    assert "<svg" in console.export_svg()
