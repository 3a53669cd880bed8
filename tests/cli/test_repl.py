"""`adcli repl`: values and errors as `adcli run` shows them, blocks, shortcuts, completion,
the plain loop (stdin piped) and prompt_toolkit's (a pipe input, no terminal)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from adcli.cli.repl_cmd import EPILOG, repl_command
from adcli.repl import (
    COMPLETE,
    ERROR,
    INCOMPLETE,
    OPEN,
    LineCollector,
    Repl,
    complete,
    grad_rows,
    history_path,
    input_status,
    needs_more,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = {"NO_COLOR": "1", "ADCLI_HISTORY": ""}


def repl(text: str, *args: str):
    return CliRunner().invoke(repl_command, list(args), input=text, env=ENV)


# ---- the command, stdin piped --------------------------------------------------------------
def test_values_print_as_torch_prints_them():
    r = repl("x = ones(2, requires_grad=True)\nx * 2\ny = (x * x).sum()\ny.backward()\n"
             "x.grad\n")
    assert r.exit_code == 0, r.output
    assert r.stdout == ("tensor([2., 2.], grad_fn=<MulBackward0>)\n"
                        "tensor([2., 2.])\n")
    assert r.stderr == ""


def test_no_prompt_is_echoed_when_stdin_is_piped():
    r = repl("1 + 1\nfor i in range(2):\n    i\n\n")
    assert r.stdout == "2\n0\n1\n"
    assert ">>>" not in r.output and "..." not in r.output


def test_a_def_then_its_call():
    r = repl("def f(a):\n    b = a * 3\n    return b + 1\n\nf(ones(2))\n")
    assert r.exit_code == 0
    assert r.stdout == "tensor([4., 4.])\n"


def test_a_block_ends_at_a_line_at_the_margin_too():
    # a piped script seldom has a blank line after each block
    r = repl("for i in range(2):\n    print(i)\nprint('after')\nif False:\n    1\nelse:\n"
             "    2\n")
    assert r.stdout == "0\n1\nafter\n2\n"


def test_an_error_ends_only_its_input():
    r = repl("x = ones(2)\nfoo + 1\nx.gradd\nx * 3\n")
    assert r.exit_code == 1  # stdin piped: some input raised
    assert r.stdout == ("NameError: name 'foo' is not defined\n"
                        "AttributeError: 'Tensor' object has no attribute 'gradd'\n"
                        "tensor([3., 3.])\n")
    assert "<stdin>:1:1: NameError: name 'foo' is not defined\n    foo + 1\n    ^\n" \
        in r.stderr
    assert "<stdin>:1:3: AttributeError" in r.stderr and "Did you mean: 'grad'?" in r.stderr
    assert "Traceback" not in r.output


def test_a_syntax_error_is_reported_at_once_and_the_session_goes_on():
    r = repl("1 +\ny = [1,\n\n 2]\ny\n")
    assert r.stdout == "SyntaxError: invalid syntax: unexpected end of line\n[1, 2]\n"
    assert "<stdin>:1:4: SyntaxError" in r.stderr


def test_a_bound_ends_only_its_input_and_each_input_has_its_own():
    loop = "for i in range(300):\n    pass\n\n"  # 600 steps
    r = repl(loop + loop + "i\nwhile True:\n    pass\n\nprint('still here')\n",
             "--max-steps", "1000")
    assert r.stdout == ("299\nLimitError: the program ran more than 1,000 steps (an endless "
                        "loop? raise the bound with --max-steps or ADCLI_MAX_STEPS)\n"
                        "still here\n")


def test_untrusted_bounds_each_input_by_the_wall_clock():
    r = repl("while True:\n    pass\n\nprint('still here')\n", "--untrusted", "--timeout",
             "0.5")
    assert r.stdout.splitlines() == [
        "LimitError: the program ran longer than 0.5 s (raise the bound with --timeout or "
        "ADCLI_TIMEOUT)", "still here"]


def test_quit_ends_the_session():
    r = repl("1\n:quit\n2\n")
    assert r.exit_code == 0
    assert r.stdout == "1\n"


def test_help_lists_the_shortcuts():
    r = repl(":help\n")
    for shortcut in (":grad", ":graph NAME", ":explain NAME", ":help", ":quit"):
        assert shortcut in r.stdout


def test_an_unknown_shortcut_is_named():
    r = repl(":grda\n:frobnicate\n1\n")
    assert r.stdout == "1\n"
    assert "unknown shortcut ':grda'; did you mean :grad?" in r.stderr
    assert "unknown shortcut ':frobnicate' (:help lists them)" in r.stderr
    assert r.exit_code == 0  # a shortcut's mistake is not an input that raised


def test_grad_shows_every_tensor_with_a_grad():
    r = repl("x = tensor([1., 2.], requires_grad=True)\nw = ones(2, requires_grad=True)\n"
             "c = ones(2)\nparams = [x, w]\nm = torch.nn.Linear(2, 1)\n"
             "((x ^ 2) * w).sum().backward()\nm(x).sum().backward()\n:grad\n")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["name", "shape", "grad"]
    rows = {line.split()[0]: line.split(None, 2)[1:] for line in lines[1:]}
    assert rows["x"][0] == "[2]" and rows["x"][1].startswith("tensor([")  # m's weight added
    assert rows["w"] == ["[2]", "tensor([1., 4.])"]
    assert "m.weight" in rows and "m.bias" in rows
    assert "c" not in rows and "params[0]" not in rows  # each tensor once, by its name


def test_grad_with_no_grads_says_so():
    r = repl("x = ones(2)\n:grad\n")
    assert r.stdout == ""
    assert "no tensor of the session has a .grad yet" in r.stderr


def test_graph_and_explain_when_their_views_are_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "adcli.see.shortcuts", None)  # import fails
    r = repl("y = ones(2)\n:graph y\n:explain y\n")
    assert ":graph is not available in this version of adcli" in r.stderr
    assert ":explain is not available in this version of adcli" in r.stderr
    assert "Traceback" not in r.output


def test_graph_and_explain_show_their_views(monkeypatch):
    import types

    from adcli.errors import TorchNameError

    calls = []

    def graph_view(session, name):
        calls.append(("graph", name))
        if name not in dict.keys(session.scope):
            raise TorchNameError(f"name '{name}' is not defined")
        return f"graph of {name}: {session.scope[name]!r}"

    def explain_view(session, name):
        calls.append(("explain", name))
        return "explained"

    fake = types.ModuleType("adcli.see.shortcuts")
    fake.graph_view, fake.explain_view = graph_view, explain_view
    monkeypatch.setitem(sys.modules, "adcli.see.shortcuts", fake)
    r = repl("y = ones(2)\n:graph y\n:explain y\n:graph nope\n:graph\n:graph 1+x\n")
    assert calls == [("graph", "y"), ("explain", "y"), ("graph", "nope")]
    assert r.stdout == "graph of y: tensor([1., 1.])\nexplained\n"
    assert ":graph nope: NameError: name 'nope' is not defined" in r.stderr
    assert "usage: :graph NAME" in r.stderr
    assert ":graph: '1+x' is not a variable name" in r.stderr


def test_piped_seed_scripts_print_what_adcli_run_prints():
    # a script that raises nowhere shows the same transcript line by line as run as a file
    for name in ("seed_000_variable_tutorial", "seed_001_detach", "seed_003_backward_rules"):
        path = os.path.join(ROOT, "samples", "seeds", name + ".adc")
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        from adcli.cli.run_cmd import run_command

        ran = CliRunner().invoke(run_command, [path], env=ENV)
        shown = repl(text)

        def scrub(s):
            return re.sub(r"0x[0-9a-f]+", "0x", s)

        assert scrub(shown.stdout) == scrub(ran.stdout), name


def test_help_shows_a_working_example():
    r = CliRunner().invoke(repl_command, ["--help"])
    assert r.exit_code == 0
    assert "| adcli repl" in r.output and ":grad" in r.output
    example = next(line.strip() for line in EPILOG.splitlines() if "| adcli repl" in line)
    script = example.split("'")[1].encode().decode("unicode_escape")
    assert repl(script).stdout == "tensor([2., 2.])\n"


# ---- through a process ---------------------------------------------------------------------
def _module_cmd():
    return [sys.executable, "-m", "adcli.cli.repl_cmd"]


def test_the_command_with_stdin_piped():
    env = dict(os.environ, **ENV)
    done = subprocess.run(_module_cmd(), input="x = ones(2)\nx * 2\nnope\nx.sum()\n",
                          capture_output=True, text=True, timeout=60, env=env, check=False)
    assert done.stdout == ("tensor([2., 2.])\nNameError: name 'nope' is not defined\n"
                           "tensor(2.)\n")
    assert "<stdin>:1:1: NameError" in done.stderr and "Traceback" not in done.stderr
    assert done.returncode == 1


def test_the_installed_adcli_repl(adcli_cmd):
    from adcli.cli.main import COMMANDS

    if "repl" not in COMMANDS:
        pytest.skip("adcli repl is not registered in adcli/cli/main.py yet")
    env = dict(os.environ, **ENV)
    done = subprocess.run([adcli_cmd, "repl"], input="x = ones(2)\nx * 2\n:grad\n",
                          capture_output=True, text=True, timeout=60, env=env, check=False)
    assert done.stdout == "tensor([2., 2.])\n"
    assert done.returncode == 0


def test_ctrl_c_stops_a_long_evaluation_and_the_session_goes_on():
    env = dict(os.environ, **ENV)
    proc = subprocess.Popen(_module_cmd() + ["--max-steps", "0"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        proc.stdin.write("print('ready')\nwhile True:\n    pass\n\n")
        proc.stdin.flush()
        assert proc.stdout.readline() == "ready\n"  # the loop starts now
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        proc.stdin.write("print('after')\n")
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert out == "after\n"
    assert "KeyboardInterrupt" in err and "Traceback" not in err


def test_ctrl_c_in_process(monkeypatch, capsys):
    session = Repl()
    previous = signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(
        KeyboardInterrupt()))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.2)
        assert session.execute("with no_grad():\n    while True:\n        pass") is True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert session.execute("ones(1, requires_grad=True) * 2") is True  # grad mode is back
    out, err = capsys.readouterr()
    assert "KeyboardInterrupt" in err
    assert out == "tensor([2.], grad_fn=<MulBackward0>)\n"


def test_works_without_prompt_toolkit(monkeypatch):
    from adcli import repl as module

    monkeypatch.setitem(sys.modules, "prompt_toolkit", None)
    assert module.has_prompt_toolkit() is False
    assert repl("1 + 2\n").stdout == "3\n"


# ---- when an input is complete -------------------------------------------------------------
@pytest.mark.parametrize("text, status", [
    ("x = 1", COMPLETE),
    ("def f(x):", INCOMPLETE),
    ("def f(x):\n    return x", COMPLETE),
    ("try:\n    x", INCOMPLETE),
    ("@dec", INCOMPLETE),
    ("(1 +", OPEN),
    ("x = [1,\n\n", OPEN),
    ('"""abc', OPEN),
    ("x = \\", OPEN),
    ("1 +", ERROR),
    ("x = = 1", ERROR),
    ("def f():\nx = 1", ERROR),
])
def test_input_status(text, status):
    assert input_status(text) == status


def test_needs_more_as_pythons_repl():
    assert not needs_more("x = 1")
    assert needs_more("def f(x):")
    assert needs_more("def f(x):\n    return x")  # a block waits for a blank line
    assert not needs_more("def f(x):\n    return x\n")
    assert not needs_more("def f(x):\n    return x\n    ")  # whitespace is blank
    assert needs_more("for i in range(3): print(i)")
    assert needs_more("def f():\n    s = '''\n\n")  # a blank line inside a string
    assert needs_more("y = (1,\n")
    assert not needs_more("1 +")  # an error: reported at once
    assert not needs_more(":grad")
    assert not needs_more("match = 1")  # a soft keyword used as a name


def test_line_collector():
    c = LineCollector()
    assert c.feed("x = 1\n") == ["x = 1"]
    assert c.feed("def f():\n") == [] and c.pending
    assert c.feed("    return 1\n") == []
    assert c.feed("f()\n") == ["def f():\n    return 1", "f()"]
    assert c.feed("if x:\n") == []
    assert c.feed("    1\n") == []
    assert c.feed("else:\n") == []  # else goes on with the if
    assert c.feed("    2\n") == []
    assert c.feed("\n") == ["if x:\n    1\nelse:\n    2"]
    assert c.feed("\n") == [] and not c.pending
    assert c.feed("y = [1,\n") == []
    assert c.feed("2]\n") == ["y = [1,\n2]"]


# ---- completion ----------------------------------------------------------------------------
@pytest.fixture
def session():
    r = Repl()
    assert r.execute("x = ones(2, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"
                     "m = torch.nn.Linear(2, 1)\nitems = [1, 2]\nmy_value = 3")
    return r.session


def test_complete_torch_names(session):
    fragment, names = complete(session, "tor")
    assert fragment == "tor" and names[0] == "torch"
    assert complete(session, "torch.li") == ("li", ["linalg", "linspace"])
    assert "relu" in complete(session, "F.rel")[1]
    assert "Linear" in complete(session, "torch.nn.Lin")[1]
    assert "zeros_like" in complete(session, "a = zeros")[1]


def test_complete_tensor_attributes(session):
    fragment, names = complete(session, "x.gr")
    assert fragment == "gr" and names[:2] == ["grad", "grad_fn"]
    assert set(names) <= {"grad", "grad_fn", "greater", "greater_equal", "greater_",
                          "greater_equal_"}
    assert "shape" in complete(session, "print(x.grad.sh")[1]
    assert "next_functions" in complete(session, "y.grad_fn.")[1]
    assert "backward" in complete(session, "y.")[1]


def test_complete_session_variables_and_other_types(session):
    assert complete(session, "my_") == ("my_", ["my_value"])
    assert "weight" in complete(session, "m.we")[1]
    assert "append" in complete(session, "items.ap")[1]
    assert complete(session, "nope.") == ("", [])
    assert complete(session, "'x.gr") == ("", [])  # inside a string
    assert "_version" not in complete(session, "x.")[1]  # private names need a '_'


def test_complete_shortcuts(session):
    assert complete(session, ":gr") == (":gr", [":grad", ":graph"])
    assert complete(session, ":graph ") == ("", ["items", "m", "my_value", "x", "y"])
    assert complete(session, ":explain my") == ("my", ["my_value"])


def test_grad_rows(session):
    assert [name for name, _ in grad_rows(session)] == ["x"]


def test_history_path(monkeypatch):
    monkeypatch.setenv("ADCLI_HISTORY", "")
    assert history_path() is None
    monkeypatch.setenv("ADCLI_HISTORY", "/tmp/h")
    assert history_path() == "/tmp/h"
    monkeypatch.delenv("ADCLI_HISTORY")
    assert history_path() == os.path.join(os.path.expanduser("~"), ".adcli_history")


# ---- prompt_toolkit, on a pipe input ------------------------------------------------------
def _prompt_toolkit_run(keys: str, history=None):
    pytest.importorskip("prompt_toolkit")
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from adcli.repl import make_prompt_session, run_prompt_toolkit

    r = Repl()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        prompt = make_prompt_session(r, input=pipe, output=DummyOutput(), history=history)
        run_prompt_toolkit(r, prompt)
    return r, prompt


def test_prompt_toolkit_runs_lines_and_blocks(capsys, monkeypatch):
    monkeypatch.setenv("ADCLI_HISTORY", "")
    # Enter is \r; a block's body is indented for you; a blank line ends it; ^D quits
    _, prompt = _prompt_toolkit_run(
        "x = ones(2, requires_grad=True)\rx * 2\rdef f(a):\rreturn a + 1\r\rf(x)\r"
        "(x * x).sum().backward()\r:grad\rnope\r\x04")
    out, err = capsys.readouterr()
    assert out.splitlines()[:2] == ["tensor([2., 2.], grad_fn=<MulBackward0>)",
                                    "tensor([2., 2.], grad_fn=<AddBackward0>)"]
    assert out.splitlines()[2].split() == ["name", "shape", "grad"]
    assert out.splitlines()[3].split(None, 2) == ["x", "[2]", "tensor([2., 2.])"]
    assert "<stdin>:1:1: NameError: name 'nope' is not defined" in err
    assert list(prompt.history.get_strings())[2] == "def f(a):\n    return a + 1"


def test_prompt_toolkit_ctrl_c_clears_the_line_and_quit_ends(capsys, monkeypatch):
    monkeypatch.setenv("ADCLI_HISTORY", "")
    _prompt_toolkit_run("1 + \x03" "2 * 3\r:quit\r4\r")
    assert capsys.readouterr().out == "6\n"


def test_prompt_toolkit_history_file(tmp_path, monkeypatch, capsys):
    path = tmp_path / "history"
    monkeypatch.setenv("ADCLI_HISTORY", str(path))
    _prompt_toolkit_run("x = 1\rx + 1\r\x04")
    assert capsys.readouterr().out == "2\n"
    text = path.read_text()
    assert "+x = 1" in text and "+x + 1" in text


def test_prompt_toolkit_history_that_cannot_be_written(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ADCLI_HISTORY", str(tmp_path))  # a directory
    _prompt_toolkit_run("x = 1\rx + 1\r\x04")
    out, err = capsys.readouterr()
    assert out == "2\n"
    assert "adcli repl: history is off: cannot write" in err


def test_prompt_toolkit_completer(session):
    pytest.importorskip("prompt_toolkit")
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document
    from prompt_toolkit.history import InMemoryHistory
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from adcli.repl import make_prompt_session

    r = Repl()
    r.session = session
    with create_pipe_input() as pipe:
        prompt = make_prompt_session(r, input=pipe, output=DummyOutput(),
                                     history=InMemoryHistory())
        found = list(prompt.completer.get_completions(Document("x.gr"), CompleteEvent()))
    assert [c.text for c in found][:2] == ["grad", "grad_fn"]
    assert all(c.start_position == -2 for c in found)
