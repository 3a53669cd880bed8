"""`adcli run --trace-grad [--json]`: every .grad change of a program, with its statement,
its tensor's name, what happened and the new value."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from adcli import batch
from adcli.cli.main import cli
from adcli.engine import api
from adcli.engine.autograd import anomaly, engine, sites

TRAIN = """\
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Linear(2, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
X = torch.randn(8, 2)
y = torch.randn(8, 1)
for epoch in range(2):
    opt.zero_grad()
    loss = ((model(X) - y) ** 2).mean()
    loss.backward()
    opt.step()
x = torch.ones(3, requires_grad=True)
(x * x).sum().backward()
x.grad.zero_()
x.grad = None
x.grad = torch.full((3,), 5.0)
g, = torch.autograd.grad((x * 3).sum(), x)
w = torch.randn(40, requires_grad=True)
params = [w]
(w * w).sum().backward()
torch.nn.utils.clip_grad_norm_(params, 0.5)


def step(t):
    s = (t * 4).sum()
    s.backward()


step(x)
model.zero_grad(set_to_none=False)
print("done")
"""

# (line, tensor, kind) in order
EXPECTED = [
    (12, "model.bias", "accumulated"), (12, "model.weight", "accumulated"),
    (10, "model.bias", "set_none"), (10, "model.weight", "set_none"),
    (12, "model.bias", "accumulated"), (12, "model.weight", "accumulated"),
    (15, "x", "accumulated"),
    (16, "x", "zeroed"),
    (17, "x", "set_none"),
    (18, "x", "assigned"),
    (22, "w", "accumulated"),
    (23, "w", "modified"),
    (28, "t", "accumulated"),  # inside step(): x is its parameter t there
    (32, "model.bias", "zeroed"), (32, "model.weight", "zeroed"),
]


@pytest.fixture(autouse=True)
def _fresh_state():
    api.reset_state()
    yield
    anomaly.reset()
    api.reset_state()


@pytest.fixture
def train(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(TRAIN, encoding="utf-8")
    return str(path)


def invoke(*args):
    return CliRunner().invoke(cli, ["run", *args], env={"NO_COLOR": "1"})


def test_json_lists_every_change(train):
    r = invoke("--trace-grad", "--json", train)
    assert r.exit_code == 0, r.output
    report = json.loads(r.stdout)
    assert set(report) == {"file", "outcome", "stdout", "entries", "dropped"}
    assert report["outcome"] == "ok" and report["stdout"] == "done\n"
    assert report["dropped"] == 0
    entries = report["entries"]
    assert [(e["line"], e["tensor"], e["kind"]) for e in entries] == EXPECTED
    assert [e["step"] for e in entries] == list(range(1, len(EXPECTED) + 1))
    for e in entries:
        assert set(e) == {"step", "line", "function", "statement", "tensor", "named", "kind",
                          "shape", "dtype", "value", "norm"}
    first = entries[0]
    assert first["statement"] == "loss.backward()" and first["function"] == "<module>"
    assert first["shape"] == [1] and first["dtype"] == "float32" and first["named"]
    xs = [e for e in entries if e["tensor"] == "x"]
    assert [e["value"] for e in xs] == [[2.0, 2.0, 2.0], [0.0, 0.0, 0.0], None,
                                        [5.0, 5.0, 5.0]]
    assert xs[0]["norm"] == pytest.approx(12 ** 0.5) and xs[2]["norm"] is None
    assert xs[1]["statement"] == "x.grad.zero_()" and xs[2]["statement"] == "x.grad = None"
    big = [e for e in entries if e["tensor"] == "w"]
    assert big[0]["value"] is None and big[0]["norm"] > 0  # 40 elements: its norm only
    assert big[1]["norm"] == pytest.approx(0.5, rel=1e-5)
    inner = [e for e in entries if e["function"] == "step"]
    assert [(e["statement"], e["tensor"]) for e in inner] == [("s.backward()", "t")]


def test_table_follows_the_programs_output(train):
    r = invoke("--trace-grad", train)
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert out.startswith("done\n")
    assert "grad trace: 15 changes of .grad" in out
    rows = out.splitlines()
    header = next(i for i, line in enumerate(rows) if "statement" in line and "tensor" in line)
    body = rows[header + 1:]
    assert "loss.backward()" in body[0] and "model.bias" in body[0]
    assert "accumulated by backward" in body[0]
    assert any("opt.zero_grad()" in line and "set to None" in line for line in body)
    assert any("x.grad.zero_()" in line and "zeroed" in line and "[0., 0., 0.]" in line
               for line in body)
    assert any("clip_grad_norm_" in line for line in body)
    assert any("norm 0.5" in line for line in body)
    assert "\x1b[" not in out  # plain under NO_COLOR


def test_the_trace_is_put_away_after_the_run(train):
    invoke("--trace-grad", train)
    assert engine.OBSERVER[0] is None and sites.HOOK[0] is None and not sites.active()


def test_without_the_option_nothing_is_installed(train, monkeypatch):
    seen = []
    run_file = batch.run_file

    def watched(*args, **kwargs):
        seen.append((engine.OBSERVER[0], sites.HOOK[0], sites.active()))
        return run_file(*args, **kwargs)

    monkeypatch.setattr(batch, "run_file", watched)
    r = invoke(train)
    assert r.exit_code == 0 and r.stdout == "done\n"
    assert seen == [(None, None, False)]


def test_a_trace_keeps_the_observer_it_found():
    from adcli.see.trace import GradTrace, tracing

    class Counting:
        def __init__(self):
            self.events = 0

        def started(self, *a):
            self.events += 1

        ran = passed = leaf = started

        def finished(self):
            self.events += 1

    outer = Counting()
    engine.OBSERVER[0] = outer
    try:
        with tracing(GradTrace()) as trace:
            x = api.ones(2, requires_grad=True)
            api.mul(x, x).sum().backward()
        assert engine.OBSERVER[0] is outer
        assert outer.events > 0  # passed on
        assert [e.kind for e in trace.entries] == ["accumulated"]
        assert trace.entries[0].tensor == "tensor of shape [2]"  # no program: no name
    finally:
        engine.OBSERVER[0] = None


def test_an_error_still_shows_the_trace_so_far(tmp_path):
    path = tmp_path / "bad.py"
    path.write_text("import torch\nx = torch.ones(2, requires_grad=True)\n"
                    "(x * 2).sum().backward()\nraise ValueError('stop')\n", encoding="utf-8")
    r = invoke("--trace-grad", "--json", str(path))
    assert r.exit_code == 1
    report = json.loads(r.stdout)
    assert report["outcome"] == "raised"
    assert [(e["line"], e["tensor"]) for e in report["entries"]] == [(3, "x")]
    assert "ValueError: stop" in r.stderr


def test_several_files_have_headers_and_a_summary(train, tmp_path):
    other = tmp_path / "other.py"
    other.write_text("print('hi')\n", encoding="utf-8")
    r = invoke("--trace-grad", train, str(other))
    assert r.exit_code == 0, r.output
    assert "no .grad changed" in r.stdout
    assert "==> " in r.stderr and "2 files: 2 ran cleanly" in r.stderr


@pytest.mark.parametrize("args, words", [
    (["--json"], "--json goes with --trace-grad"),
    (["--trace-grad", "--jobs", "2"], "leave out --jobs"),
])
def test_usage_errors(train, args, words):
    r = invoke(*args, train)
    assert r.exit_code == 2
    assert words in r.stderr


def test_plots_must_be_a_directory(train):
    r = invoke("--plots", train, train)  # a file is no plots directory
    assert r.exit_code == 2
    assert "not a directory" in r.stderr
