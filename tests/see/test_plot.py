"""`adcli plot`: values against closed forms and finite differences, the JSON, files,
the terminal plot, the table fallback and the messages for missing libraries."""

from __future__ import annotations

import json
import math
import os
import shlex
import sys
import types

import numpy as np
import pytest
from click.testing import CliRunner

from adcli.cli import main as cli_main
from adcli.see import plot as P


@pytest.fixture(autouse=True)
def _plot_registered(monkeypatch):
    """`adcli plot` in the command group (a no-op once main.py registers it)."""
    monkeypatch.setitem(cli_main.COMMANDS, "plot", ("adcli.cli.plot_cmd", "plot_command"))


def invoke(*args, env=None):
    return CliRunner().invoke(cli_main.cli, list(args), env=env or {"NO_COLOR": "1"})


def grid(a, b, n):
    return np.linspace(a, b, n)


def central(fn, x, h=1e-5):
    return (fn(x + h) - fn(x - h)) / (2 * h)


# ---- sampling ------------------------------------------------------------------------
def test_cube_and_its_derivatives_match_the_closed_forms():
    s = P.sample("x**3", "x", -2.0, 2.0, points=41, order=2)
    x = grid(-2, 2, 41)
    np.testing.assert_allclose(s.x, x, rtol=0, atol=1e-12)
    np.testing.assert_allclose(s.f, x**3, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(s.df, 3 * x**2, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(s.d2f, 6 * x, rtol=1e-12, atol=1e-12)


def test_first_and_second_derivatives_match_finite_differences():
    def f(x):
        return np.sin(x) * np.exp(-x**2 / 4)

    s = P.sample("sin(x)*exp(-x^2/4)", "x", -6.0, 6.0, points=101, order=2)
    x = grid(-6, 6, 101)
    np.testing.assert_allclose(s.f, f(x), atol=1e-12)
    np.testing.assert_allclose(s.df, central(f, x), atol=1e-8)
    np.testing.assert_allclose(s.d2f, central(lambda t: central(f, t, 1e-4), x, 1e-4),
                               atol=1e-5)


def test_order_one_leaves_out_the_second_derivative():
    s = P.sample("x^2", "x", 0.0, 1.0, points=5)
    assert s.d2f is None and [c for c, _ in s.curves] == ["f", "f'"]


def test_bindings_are_constants_of_the_plotted_function():
    s = P.sample("tanh(a*t)", "t", -3.0, 3.0, points=31, bindings=[("a", "2.")])
    t = grid(-3, 3, 31)
    np.testing.assert_allclose(s.df, 2 * (1 - np.tanh(2 * t) ** 2), atol=1e-12)


def test_a_constant_is_plotted_flat_with_zero_derivatives():
    s = P.sample("3", "x", -1.0, 1.0, points=4, order=2)
    assert s.f.tolist() == [3.0] * 4
    assert s.df.tolist() == [0.0] * 4 and s.d2f.tolist() == [0.0] * 4


def test_a_linear_function_has_zero_second_derivative():
    s = P.sample("2*x + 1", "x", -1.0, 1.0, points=5, order=2)
    assert s.df.tolist() == [2.0] * 5 and s.d2f.tolist() == [0.0] * 5


def test_a_step_has_zero_derivative():
    s = P.sample("x > 0", "x", -1.0, 1.0, points=5)
    assert s.f.tolist() == [0.0, 0.0, 0.0, 1.0, 1.0] and s.df.tolist() == [0.0] * 5


@pytest.mark.parametrize("expr, words", [
    ("sum(x^2)", "reduces the 201 points of x to one value"),
    ("outer(x, x)", "shape [201, 201]"),
    ("cumsum(x, 0)", "does not act on each point of x alone"),
    ("x - mean(x)", "does not act on each point of x alone"),
    ("flip(x, [0])", "does not act on each point of x alone"),
    ("x + randn(201)", "does not act on each point of x alone"),
    ("x * ones(201)", "does not act on each point of x alone"),
])
def test_what_does_not_act_on_each_point_is_refused(expr, words):
    from adcli.errors import AdcliError

    with pytest.raises(AdcliError) as info:
        P.sample(expr, "x", -1.0, 1.0)
    assert words in str(info.value)
    assert info.value.source == ("<expr>", expr)


def test_range_parsing():
    assert P.parse_range("-2:2") == (-2.0, 2.0)
    a, b = P.parse_range("-pi:2*pi")
    assert a == -math.pi and b == 2 * math.pi
    for bad in ("2:1", "1", ":1", "0:inf", "a:b", "0:nan"):
        with pytest.raises(ValueError):
            P.parse_range(bad)


# ---- the command -------------------------------------------------------------------------
def test_json_has_the_samples_and_closed_form_derivatives():
    r = invoke("plot", "x^3", "--range", "-1:1", "--points", "5", "--order", "2", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["expr"] == "x^3" and data["wrt"] == "x"
    x = np.array(data["x"])
    np.testing.assert_allclose(x, grid(-1, 1, 5), atol=1e-15)
    np.testing.assert_allclose(data["f"], x**3, atol=1e-15)
    np.testing.assert_allclose(data["df"], 3 * x**2, atol=1e-15)
    np.testing.assert_allclose(data["d2f"], 6 * x, atol=1e-15)


def test_json_without_order_two_has_no_d2f_and_non_finite_values_as_strings():
    r = invoke("plot", "log(x)", "--range=-1:1", "--points", "3", "--json")
    data = json.loads(r.stdout)
    assert "d2f" not in data
    assert data["f"] == ["nan", "-inf", 0.0]
    assert data["df"][2] == 1.0


def test_an_error_in_expr_reads_as_adcli_eval_reads_it():
    for expr in ("sin(x", "x + nosuch", "x @ 'a'"):
        plotted = invoke("plot", expr, "--range", "-1:1")
        evaluated = invoke("eval", expr, "-b", "x=linspace(-1., 1., 201, dtype=float64)")
        assert plotted.exit_code == evaluated.exit_code == 1
        assert plotted.stderr == evaluated.stderr
        assert plotted.stdout == "" and "Traceback" not in plotted.stderr
    r = invoke("plot", "sin(x", "--range", "-1:1")
    assert r.stderr.startswith("<expr>:1:4: SyntaxError")


def test_an_error_in_a_binding_names_it():
    r = invoke("plot", "a*x", "-b", "a=nosuch")
    assert r.exit_code == 1 and r.stderr.startswith("-b a:1:1: NameError")


def test_refusals_are_usage_errors():
    for args in (["x", "--range", "2:1"], ["x", "--range", "nope"], ["x", "--wrt", "1x"],
                 ["x", "-b", "x=1."], ["x", "--out", "plot.txt"], ["x", "--points", "1"],
                 ["x", "--order", "3"]):
        r = invoke("plot", *args)
        assert r.exit_code == 2, (args, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr


def test_not_one_value_per_point_is_an_error_in_expr():
    r = invoke("plot", "sum(x^2)")
    assert r.exit_code == 1
    assert r.stderr.startswith("<expr>: ValueError: EXPR reduces the 201 points")


def test_table_lists_the_values():
    r = invoke("plot", "x^2", "--range", "-1:1", "--points", "5", "--table")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "f(x) = x^2"
    assert lines[1].split() == ["x", "f", "f'"]
    assert [row.split() for row in lines[2:]] == [
        ["-1", "1", "-2"], ["-0.5", "0.25", "-1"], ["0", "0", "0"], ["0.5", "0.25", "1"],
        ["1", "1", "2"]]


def test_a_long_table_shows_evenly_spaced_rows_with_both_ends():
    text = P.text_table(P.sample("x", "x", 0.0, 1.0, points=201))
    lines = text.splitlines()
    assert lines[1] == "(41 of 201 points; --json gives them all)"
    assert lines[3].split()[0] == "0" and lines[-1].split()[0] == "1"
    assert len(lines) == 3 + 41


def _missing(monkeypatch, *names):
    for name in names:
        monkeypatch.setitem(sys.modules, name, None)  # `import name` raises ImportError


def test_without_plotext_the_table_is_shown_with_a_note(monkeypatch):
    _missing(monkeypatch, "plotext")
    r = invoke("plot", "x^2", "--range", "-1:1", "--points", "3")
    assert r.exit_code == 0
    assert "plotext is not installed" in r.stderr and "pip install 'adcli[see]'" in r.stderr
    assert r.stdout.splitlines()[1].split() == ["x", "f", "f'"]


def test_without_matplotlib_out_says_what_to_install(monkeypatch, tmp_path):
    _missing(monkeypatch, "matplotlib", "matplotlib.figure")
    out = tmp_path / "p.png"
    r = invoke("plot", "x^2", "--out", str(out))
    assert r.exit_code == 2
    assert "needs matplotlib, which is not installed" in r.stderr
    assert "pip install 'adcli[see]'" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


def test_png_and_svg_files(tmp_path):
    pytest.importorskip("matplotlib")
    png, svg = tmp_path / "cube.png", tmp_path / "cube.svg"
    r = invoke("plot", "x^3", "--range", "-2:2", "--order", "2", "--out", str(png))
    assert r.exit_code == 0, r.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert r.stdout == "" and f"saved {png}" in r.stderr
    r = invoke("plot", "1/x", "--range", "-1:1", "--out", str(svg))
    assert r.exit_code == 0, r.stderr
    text = svg.read_text()
    assert text.startswith("<?xml") and "<svg" in text


def test_out_to_a_missing_directory_is_refused(tmp_path):
    pytest.importorskip("matplotlib")
    r = invoke("plot", "x", "--out", str(tmp_path / "no" / "p.png"))
    assert r.exit_code == 2 and "cannot write" in r.stderr


def test_terminal_plot_with_plotext():
    pytest.importorskip("plotext")
    r = invoke("plot", "x^3", "--range", "-2:2", "--order", "2")
    assert r.exit_code == 0, r.stderr
    text = r.stdout
    assert "f(x) = x^3" in text
    for label in (" f ", " f' ", " f'' "):
        assert label in text
    assert "\x1b[" not in text  # NO_COLOR / not a terminal: no escapes
    assert len(text.splitlines()) >= 12


def test_terminal_plot_in_colour():
    pytest.importorskip("plotext")
    text = P.terminal_plot(P.sample("x^2", "x", -1.0, 1.0), 60, 15, color=True)
    assert "\x1b[" in text and "f(x) = x^2" in text


def test_plotext_5_api_is_used_when_present(monkeypatch):
    calls = []
    fake = types.ModuleType("plotext")
    for name in ("clear_figure", "theme", "title", "xlabel", "plotsize"):
        setattr(fake, name, lambda *a, _n=name, **k: calls.append((_n, a, k)))
    fake.plot = lambda xs, ys, **k: calls.append(("plot", (list(xs), list(ys)), k))
    fake.build = lambda: "PLOT\n"
    fake.uncolorize = lambda s: s.lower()
    monkeypatch.setitem(sys.modules, "plotext", fake)
    s = P.sample("1/x", "x", -1.0, 1.0, points=5)
    assert P.terminal_plot(s, 60, 15, color=False) == "plot\n"
    plots = [c for c in calls if c[0] == "plot"]
    # f = 1/x is infinite at 0: each curve is drawn in two pieces, labelled once
    assert [p[2]["label"] for p in plots] == ["f", None, "f'", None]
    assert plots[0][1] == ([-1.0, -0.5], [-1.0, -2.0])
    assert ("title", ("f(x) = 1/x",), {}) in calls


def test_a_pole_does_not_flatten_the_plot():
    s = P.sample("1/x", "x", -1.0, 1.0, points=201)
    low, high = P.y_limits(s)
    assert -1000 < low < -10 and 10 < high < 1000
    assert P.y_limits(P.sample("x^3", "x", -2.0, 2.0, order=2)) is None


def test_help_examples_run(tmp_path, monkeypatch):
    from adcli.cli import plot_cmd

    monkeypatch.chdir(tmp_path)
    lines = [ln.strip() for ln in plot_cmd.EPILOG.splitlines()
             if ln.strip().startswith("adcli plot ")]
    assert len(lines) >= 4
    for line in lines:
        words = shlex.split(line)[1:]
        if "--out" in words:
            pytest.importorskip("matplotlib")
        r = invoke(*words)
        assert r.exit_code == 0, (line, r.stderr)
        assert "Traceback" not in r.stderr
    assert os.path.exists(tmp_path / "softplus.png")
