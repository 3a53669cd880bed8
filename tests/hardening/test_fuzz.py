"""Fuzz with hypothesis: grammar-shaped scripts and expressions, and raw bytes.

Every input runs in a separate worker process (``fuzz_worker.py``) under an address-space
cap, so a crash, a hang or a memory blow-up fails the test instead of taking pytest down.
For each input it asserts that only adcli's own errors escape, that the run ends within
its bounds (wall clock), and that the worker's peak memory stays under a cap.

The budget is bounded for CI: ``ADCLI_FUZZ_EXAMPLES`` inputs per test (default 150).
"""

from __future__ import annotations

import base64
import json
import os
import select
import subprocess
import sys
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adcli.lang import names as N

from .fuzz_worker import BOUNDS

EXAMPLES = int(os.environ.get("ADCLI_FUZZ_EXAMPLES", "150"))
WALL_S = BOUNDS["timeout"] + 3.0  # the deadline, plus one statement's overrun
HANG_S = 30.0  # no reply by then: a hang
RSS_CAP_MB = 1024
WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fuzz_worker.py")

FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])


class Worker:
    """One worker process, restarted after it dies or hangs."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1"}
        self.stderr = tempfile.TemporaryFile()  # a pipe nobody reads would fill and block
        self.proc = subprocess.Popen([sys.executable, WORKER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr,
                                     text=True, env=env)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None
            self.stderr.close()

    def run(self, mode: str, data: str) -> dict:
        if self.proc is None:
            self.start()
        proc = self.proc
        try:
            proc.stdin.write(json.dumps({"mode": mode, "data": data}) + "\n")
            proc.stdin.flush()
        except BrokenPipeError:
            pass
        ready, _, _ = select.select([proc.stdout], [], [], HANG_S)
        if not ready:
            self.stop()
            return {"status": "hang"}
        line = proc.stdout.readline()
        if not line:
            code = proc.wait()
            self.stderr.seek(0)
            stderr = self.stderr.read()[-2000:].decode(errors="replace")
            self.stop()
            return {"status": "died", "message": f"exit code {code}: {stderr}"}
        return json.loads(line)


@pytest.fixture(scope="module")
def worker():
    w = Worker()
    yield w
    w.stop()


def check(reply: dict, source) -> None:
    """Only adcli's errors, within the bounds, under the memory cap."""
    where = f"input: {source!r}"[:3000]
    assert reply["status"] in ("ok", "error"), f"{reply}\n{where}"
    assert reply["elapsed"] < WALL_S, f"ran {reply['elapsed']:.1f} s\n{where}"
    assert reply["rss_mb"] < RSS_CAP_MB, f"peak memory {reply['rss_mb']:.0f} MB\n{where}"
    assert "out of memory" not in reply["message"], f"{reply}\n{where}"


# ---- grammar-shaped text ------------------------------------------------------------------
VARS = ["x", "y", "z", "w", "n", "i"]
TENSORS = ["ones(2)", "ones(2, 3, requires_grad=True)", "tensor([1., -2., 3.])",
           "randn(3, requires_grad=True)", "arange(6).reshape(2, 3)", "zeros(1)",
           "tensor(2.5, requires_grad=True)", "eye(3)", "tensor([[1, 2], [3, 4]])",
           "ones(1000, 1000)", "ones(100000, 100000)", "linspace(-1, 1, 5)"]
NUMBERS = ["0", "1", "2", "-1", "3.5", "1e-3", "1e308", "1e999", "10**10**8", "2**64",
           "9" * 60, ".5", "0.0"]
STRINGS = ["'a'", '"b"', "'%s'", "'%0*d'", "'{0.__class__}'", "'\\x00'", "''"]
FUNCTIONS = sorted(set(N.TORCH_FUNCTIONS) | set(N.PYTHON_BUILTINS) | {"print"}) + [
    "getattr", "eval", "exec", "open", "__import__", "type", "globals", "F.relu",
    "F.softmax", "autograd.grad", "autograd.functional.jacobian", "torch.load"]
ATTRIBUTES = sorted(N.TENSOR_ATTRIBUTES) + [
    "__class__", "__globals__", "_data", "tofile", "dump", "format", "ctypes", "base",
    "next_functions", "variable", "name", "append", "values", "__dict__"]
KEYWORDS = ["dim", "keepdim", "requires_grad", "retain_graph", "create_graph", "p", "sep",
            "end", "dtype", "gradient"]
BINOPS = ["+", "-", "*", "/", "//", "%", "@", "**", "^", "<", "<=", "==", "!=", ">",
          "and", "or", "is", "is not"]


@st.composite
def expressions(draw, depth: int = 3) -> str:
    """One expression of the language, nested up to ``depth``, hostile names included."""
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        pool = draw(st.sampled_from([VARS, TENSORS, NUMBERS, STRINGS,
                                     ["True", "False", "None", "..."]]))
        return draw(st.sampled_from(pool))

    def inner() -> str:
        return draw(expressions(depth - 1))

    def call_args() -> str:
        args = [inner() for _ in range(draw(st.integers(0, 3)))]
        for _ in range(draw(st.integers(0, 2))):
            args.append(f"{draw(st.sampled_from(KEYWORDS))}={inner()}")
        return ", ".join(args)

    form = draw(st.integers(0, 10))
    if form == 0:
        return f"{inner()} {draw(st.sampled_from(BINOPS))} {inner()}"
    if form == 1:
        return f"{draw(st.sampled_from(['-', '+', 'not ']))}{inner()}"
    if form == 2:
        return f"{draw(st.sampled_from(FUNCTIONS))}({call_args()})"
    if form == 3:
        return f"{inner()}.{draw(st.sampled_from(ATTRIBUTES))}"
    if form == 4:
        return f"{inner()}.{draw(st.sampled_from(ATTRIBUTES))}({call_args()})"
    if form == 5:
        return f"{inner()}[{inner()}]"
    if form == 6:
        return f"{inner()}[{draw(st.sampled_from(['', '1', '-1', '::2']))}:]"
    if form == 7:
        return f"({inner()})"
    if form == 8:
        return f"[{', '.join(inner() for _ in range(draw(st.integers(0, 3))))}]"
    if form == 9:
        return f"(lambda {draw(st.sampled_from(VARS[:3]))}: {inner()})"
    return f"{inner()} if {inner()} else {inner()}"


SIMPLE = ["import torch", "import torch.nn.functional as F", "import os",
          "from torch.autograd import Variable", "from os import path", "pass", "break",
          "continue", "# %%", "def f(): pass"]


@st.composite
def statements(draw, depth: int = 2) -> str:
    """One statement, or a block of them, as lines of text."""
    expr = expressions()
    form = draw(st.integers(0, 12 if depth > 0 else 7))
    var = draw(st.sampled_from(VARS))
    if form == 0:
        return f"{var} = {draw(expr)}"
    if form == 1:
        return f"{var} {draw(st.sampled_from(['+=', '-=', '*=', '/=', '@=']))} {draw(expr)}"
    if form in (2, 3):
        return draw(expr)
    if form == 4:
        return f"print({draw(expr)})"
    if form == 5:
        return f"{var}.backward()"
    if form == 6:
        return f"{var}[{draw(expr)}] = {draw(expr)}"
    if form == 7:
        return draw(st.sampled_from(SIMPLE))
    body = [draw(statements(depth - 1)) for _ in range(draw(st.integers(1, 3)))]
    head = {8: f"if {draw(expr)}:", 9: f"while {draw(expr)}:",
            10: f"for {var} in {draw(expr)}:", 11: "with no_grad():",
            12: "while True:"}[form]
    return head + "\n" + "\n".join("    " + line for b in body for line in b.split("\n"))


SETUP = "x = ones(2, 2, requires_grad=True)\ny = tensor([1., 2.])\nz = x * 3\nn = 3\n"
# statements in one cell (the first error ends it) or one cell each (all of them run)
scripts = st.tuples(st.lists(statements(), min_size=1, max_size=8),
                    st.sampled_from(["\n", "\n# %%\n"])).map(
    lambda t: SETUP + "# %%\n" + t[1].join(t[0]) + "\n")


@st.composite
def mangled(draw, text: st.SearchStrategy[str]) -> str:
    """Grammar-shaped text with a few characters inserted, deleted or replaced."""
    s = draw(text)
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(s)))
        junk = draw(st.sampled_from(["(", ")", "[", "]", ":", "\n", "\t", " ", "'", '"', "\\",
                                     "#", "\x00", "\r", "\u200b", "\ufeff", "\u0661", "**",
                                     "__", "%%", "\n    ", "\x1b", "\udcff"]))
        s = s[:i] + junk + s[i + draw(st.integers(0, 2)):]
    return s


@FUZZ
@given(source=scripts)
def test_fuzz_grammar_shaped_scripts(worker, source):
    check(worker.run("script", source), source)


@FUZZ
@given(source=mangled(scripts))
def test_fuzz_mangled_scripts(worker, source):
    check(worker.run("script", source), source)


@FUZZ
@given(source=expressions(depth=4))
def test_fuzz_expressions(worker, source):
    check(worker.run("expr", source), source)


@FUZZ
@given(data=st.one_of(
    st.binary(max_size=600),
    st.tuples(scripts.map(lambda s: s.encode("utf-8", "surrogatepass")),
              st.binary(max_size=40), st.integers(0, 400)).map(
        lambda t: t[0][:t[2]] + t[1] + t[0][t[2]:]),
))
def test_fuzz_raw_bytes(worker, data):
    check(worker.run("bytes", base64.b64encode(data).decode()), data)


def test_the_worker_catches_what_it_should(worker):
    """The fuzz harness itself: a hang and an escape are noticed, not missed."""
    assert worker.run("script", "x = 1\n")["status"] == "ok"
    reply = worker.run("script", "x = undefined\n")
    assert reply["status"] == "error" and reply["kind"] == "NameError"
    reply = worker.run("bytes", base64.b64encode(b"x = '\xff'\n").decode())
    assert reply["status"] == "error" and "byte offset 5" in reply["message"]
