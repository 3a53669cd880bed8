"""adcli graph: the model, every format, and the limits. Reference values are the seed
tutorial's hand derivation (d mean(3 (x+2)^2) / dx = 3/2 (x+2) = 4.5 at x = 1)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from click.testing import CliRunner
from rich.console import Console

from adcli.cli.main import cli
from adcli.limits import Limits
from adcli.see import model
from adcli.see.formats import dot, layout, svg, text
from adcli.see.inspect import inspect_target

SEED = "samples/seeds/seed_000_variable_tutorial.adc"


def build(target, bindings=(), **kw):
    r = inspect_target(target, list(bindings), Limits(), **kw)
    return model.build(r.value, r.inspector.names(), title=r.name), r


def test_expression_graph_nodes_values_and_grads():
    g, _ = build("mean(3*(x+2)**2)", [("x", "ones(2,2)")])
    names = [n.grad_fn for n in g.nodes]
    assert names == ["MeanBackward0", "MulBackward0", "PowBackward0", "AddBackward0",
                     "AccumulateGrad"]
    leaf = g.nodes[-1]
    assert leaf.var == "x" and leaf.kind == "leaf"
    np.testing.assert_allclose(leaf.grad, np.full((2, 2), 4.5))  # 3/2 (x + 2)
    assert [n.text for n in g.nodes[:4]] == ["mean(3 * (x + 2) ** 2)", "3 * (x + 2) ** 2",
                                            "(x + 2) ** 2", "x + 2"]
    np.testing.assert_allclose(g.nodes[3].value, np.full((2, 2), 3.0))
    np.testing.assert_allclose(g.nodes[1].grad, np.full((2, 2), 0.25))  # d mean / d z
    assert len(g.edges) == 4


def test_file_graph_names_lines_and_shared_nodes(tmp_path):
    f = tmp_path / "t.adc"
    f.write_text("x = ones(2, requires_grad=True)\ny = x + 2\nz = y * y\nout = z.sum()\n"
                 "out.backward()\n")
    g, r = build(str(f))
    by = {n.var: n for n in g.nodes if n.var}
    assert set(by) >= {"x", "y", "z", "out"}
    assert by["y"].line == 2 and by["z"].line == 3 and by["out"].line == 4
    # y is used twice by z: one node, two edges into z
    y_id, z_id = by["y"].id, by["z"].id
    assert sum(1 for a, b, _ in g.edges if a == y_id and b == z_id) == 2
    assert len([n for n in g.nodes if n.grad_fn == "AddBackward0"]) == 1


def test_text_never_drops_a_node_at_any_width():
    g, _ = build("sum(sin(x) * x + exp(x) / (x + 1))", [("x", "[0.5, 1., 2.]")])
    for width in (30, 80, 120):
        con = Console(width=width, record=True, color_system=None)
        con.print(text.render(g))
        out = con.export_text()
        for n in g.nodes:
            assert f"#{n.id} " in out or f"↑ #{n.id}" in out, (width, n)


def test_dot_source_has_every_node_and_edge():
    g, _ = build("sum(x * w)", [("x", "ones(2,3)"), ("w", "[1., 2., 3.]")])
    src = dot.render(g)
    assert src.startswith("digraph autograd {")
    for n in g.nodes:
        assert f"n{n.id} [label=" in src
    for a, b, _ in g.edges:
        assert f"n{a} -> n{b};" in src


def _boxes(root):
    ns = {"s": "http://www.w3.org/2000/svg"}
    out = {}
    for grp in root.iter("{http://www.w3.org/2000/svg}g"):
        if grp.get("class") == "node":
            rect = grp.find("s:rect", ns)
            texts = [t.text for t in grp.findall("s:text", ns)]
            out[int(grp.get("data-id"))] = (float(rect.get("x")), float(rect.get("y")),
                                            float(rect.get("width")),
                                            float(rect.get("height")), texts)
    return out


@pytest.mark.parametrize("target, bindings", [
    ("mean(3*(x+2)**2)", [("x", "ones(2,2)")]),
    ("sum(sin(x) * x + exp(x) / (x + 1) - x ** 2 * y)", [("x", "[0.5, 1.]"), ("y", "[2., 3.]")]),
    ("sum(relu(x @ w1) @ w2)", [("x", "ones(4,3)"), ("w1", "ones(3,5)"), ("w2", "ones(5,2)")]),
])
def test_svg_has_every_node_and_edge_and_no_text_overlaps(target, bindings):
    g, _ = build(target, bindings)
    root = ET.fromstring(svg.render(g))
    boxes = _boxes(root)
    assert set(boxes) == {n.id for n in g.nodes}
    edges = {(int(p.get("data-from")), int(p.get("data-to")))
             for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("class") == "edge"}
    assert edges == {(a, b) for a, b, _ in g.edges}
    items = list(boxes.values())
    for i, (x, y, w, h, texts) in enumerate(items):
        for t in texts:  # each line fits inside its box
            assert len(t) * layout.CHAR_W <= w - 2 * layout.PAD_X + 0.01
        assert len(texts) * layout.LINE_H <= h - 2 * layout.PAD_Y + 0.01
        for x2, y2, w2, h2, _ in items[i + 1:]:  # no two boxes overlap
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y


def test_json_format_and_cli(tmp_path):
    res = CliRunner().invoke(cli, ["graph", "mean(3*(x+2)**2)", "-b", "x=ones(2,2)",
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert [n["grad_fn"] for n in doc["nodes"]][0] == "MeanBackward0"
    assert doc["nodes"][-1]["name"] == "x" and doc["nodes"][-1]["grad"] == [[4.5, 4.5],
                                                                           [4.5, 4.5]]
    assert {(e["from"], e["to"]) for e in doc["edges"]} == {(1, 0), (2, 1), (3, 2), (4, 3)}


def test_cli_text_svg_and_dot_outputs(tmp_path):
    r = CliRunner()
    res = r.invoke(cli, ["graph", SEED, "--of", "out"])
    assert res.exit_code == 0, res.output
    assert "out = z.mean()" in res.output and "MeanBackward0" in res.output
    out = tmp_path / "g.svg"
    res = r.invoke(cli, ["graph", SEED, "--of", "out", "-f", "svg", "-o", str(out),
                         "--layout", "builtin"])
    assert res.exit_code == 0, res.output
    assert ET.parse(out).getroot().tag.endswith("svg")
    res = r.invoke(cli, ["graph", "sum(x)", "-b", "x=[1., 2.]", "-f", "dot"])
    assert "digraph" in res.output


def test_png_with_matplotlib_or_a_clear_error(tmp_path, monkeypatch):
    from adcli.see.formats import png

    g, _ = build("sum(x * x)", [("x", "[1., 2.]")])
    pytest.importorskip("matplotlib")
    data = png.render(g, use_graphviz=False)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.setitem(__import__("sys").modules, "matplotlib", None)
    monkeypatch.setattr(png, "graphviz", lambda: None)
    res = CliRunner().invoke(cli, ["graph", "sum(x)", "-b", "x=[1.]", "-f", "png", "-o",
                                   str(tmp_path / "g.png")])
    assert res.exit_code == 2
    assert "Graphviz" in res.output and "matplotlib" in res.output


def test_depth_folds_and_too_big_says_so(tmp_path):
    f = tmp_path / "chain.adc"
    f.write_text("x = ones(3, requires_grad=True)\ny = x\nfor i in range(3000):\n"
                 "    y = y * 1.0001\nloss = y.sum()\nloss.backward()\n")
    res = CliRunner().invoke(cli, ["graph", str(f), "--max-shown", "500"])
    assert res.exit_code == 1
    assert "3,002 nodes" in res.output and "--depth" in res.output  # 3000 muls, sum, x
    res = CliRunner().invoke(cli, ["graph", str(f), "--depth", "2", "-f", "json"])
    doc = json.loads(res.output)
    assert len(doc["nodes"]) == 3 and doc["nodes"][2]["folded_inputs"] == 1


def test_no_graph_and_bad_expression_are_clear():
    r = CliRunner()
    res = r.invoke(cli, ["graph", "sum(x"])
    assert res.exit_code == 1 and "SyntaxError" in res.output
    res = r.invoke(cli, ["graph", "1 + 2"])
    assert res.exit_code == 0 and "no graph" in res.output


def test_installed_command_draws_a_graph(adcli_cmd, tmp_path):
    import subprocess

    out = tmp_path / "g.svg"
    p = subprocess.run([adcli_cmd, "graph", "sum(x * x)", "-b", "x=[1., 2.]", "-f", "svg",
                        "--layout", "builtin", "-o", str(out)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "MulBackward0" in out.read_text()


def test_eval_json_includes_the_graph():
    res = CliRunner().invoke(cli, ["eval", "mean(3*(x+2)^2)", "-b", "x=ones(2,2)", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    graph = doc["graph"]
    assert [n["grad_fn"] for n in graph["nodes"]] == [
        "MeanBackward0", "MulBackward0", "PowBackward0", "AddBackward0", "AccumulateGrad"]
    assert graph["nodes"][-1]["name"] == "x" and graph["nodes"][3]["expr"] == "x + 2"
    assert graph["nodes"][1]["grad"] == [[0.25, 0.25], [0.25, 0.25]]
