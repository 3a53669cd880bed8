"""`.py` and `.ipynb` answers: Python's meaning, the same sandbox, the same verdicts.

A submission directory may hold ``ID.py`` or ``ID.ipynb`` instead of ``ID.adc``. The answer
runs with Python's meaning after the problem's setup, whose names it sees; its value is its
last statement's (a notebook's: its last code cell's), or the problem's check expressions.
"""

import json
import os
import subprocess
import time

from click.testing import CliRunner

from adcli.check.problems import expand_submissions, read_submission
from adcli.cli.check_cmd import check_command

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SET = os.path.join(ROOT, "samples", "homework", "set.toml")
IDS = ["mean-square", "formula", "vector-jacobian", "sum-of-products", "accumulate"]
C, W, INV, T, L = "correct", "wrong", "invalid", "timeout", "limit"


def notebook(*cells: str, markdown: tuple[str, ...] = ()) -> str:
    """A version-4 notebook: markdown cells first, then the code cells, in order."""
    out = [
        {"cell_type": "markdown", "id": f"m{i}", "metadata": {}, "source": text}
        for i, text in enumerate(markdown)
    ]
    out += [
        {
            "cell_type": "code",
            "id": f"c{i}",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": text.splitlines(True),
        }
        for i, text in enumerate(cells)
    ]
    return json.dumps({"cells": out, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def submission(root, name: str, files: dict[str, str]):
    path = root / name
    path.mkdir(parents=True)
    for file, text in files.items():
        (path / file).write_text(text)
    return path


def check(tmp_path, *args, problem_set=SET):
    """Run `adcli check` in-process; the result and the parsed JSON report."""
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        check_command,
        [str(problem_set), *map(str, args), "--json", str(out), "--log", str(tmp_path / "l.jsonl")],
    )
    assert "Traceback" not in result.output, result.output
    doc = json.loads(out.read_text()) if out.exists() else None
    return result, doc


def problems_of(doc, name):
    (sub,) = [s for s in doc["submissions"] if os.path.basename(s["submission"]) == name]
    return {p["id"]: p for p in sub["problems"]}


# --- reading -----------------------------------------------------------------------------


def test_a_directory_of_py_and_ipynb_files_is_a_submission(tmp_path):
    sub = submission(
        tmp_path / "class",
        "pat",
        {"mean-square.py": "x.grad", "formula.ipynb": notebook("x"), "accumulate.adc": "x"},
    )
    read = read_submission(str(sub), IDS, 0)
    assert read.answers == {"mean-square": "x.grad", "formula": read.answers["formula"],
                            "accumulate": "x"}
    assert [read.kind(i) for i in IDS] == ["py", "ipynb", "adc", "adc", "adc"]
    assert read.filename("mean-square").endswith(os.path.join("pat", "mean-square.py"))
    assert read.filename("formula").endswith("formula.ipynb")
    # a class whose students hand in only .py files still expands into its students
    only_py = submission(tmp_path / "class", "quinn", {"formula.py": "x"})
    assert expand_submissions([str(tmp_path / "class")]) == [str(sub), str(only_py)]
    # and a directory holding only a .py answer is one submission, not a class
    assert expand_submissions([str(only_py)]) == [str(only_py)]


def test_python_answer_files_are_read_as_warily_as_adc_files(tmp_path):
    sub = submission(tmp_path, "links", {"formula.py": "1.5 * (x + 2)"})
    (tmp_path / "elsewhere.py").write_text("x.grad")
    os.symlink(tmp_path / "elsewhere.py", sub / "mean-square.py")
    os.mkfifo(sub / "accumulate.ipynb")
    read = read_submission(str(sub), IDS, 1000)
    assert read.answers == {"formula": "1.5 * (x + 2)"}
    assert read.refused["mean-square"].endswith(
        "mean-square.py is a symbolic link; answers must be regular files"
    )
    assert read.refused["accumulate"].endswith("accumulate.ipynb is not a regular file")
    (sub / "formula.py").write_text("x" * 1001)
    assert "larger than the limit" in read_submission(str(sub), IDS, 1000).refused["formula"]


def test_two_answers_to_one_problem_cost_only_that_problem(tmp_path):
    sub = submission(
        tmp_path,
        "twice",
        {
            "mean-square.adc": "o = mean(3*(x+2)^2); o.backward(); x.grad",
            "mean-square.py": "x.grad",
            "formula.py": "1.5 * (x + 2)",
            "formula.ipynb": notebook("1.5 * (x + 2)"),
            "accumulate.py": "import torch\no = 2.5 * torch.sum((x + 1) ** 2)\n"
            "o.backward(retain_graph=True)\no.backward()\nx.grad",
        },
    )
    read = read_submission(str(sub), IDS, 0)
    assert set(read.refused) == {"mean-square", "formula"}
    result, doc = check(tmp_path, sub)
    assert result.exit_code == 1
    got = problems_of(doc, "twice")
    assert [got[i]["verdict"] for i in IDS] == [INV, INV, "missing", "missing", C]
    assert got["mean-square"]["message"] == (
        f"{sub} holds 2 answers to problem mean-square: mean-square.adc and mean-square.py; "
        "keep one"
    )
    assert "formula.py and formula.ipynb" in got["formula"]["message"]


# --- grading -----------------------------------------------------------------------------

PY_ANSWERS = {
    "mean-square.py": "import torch\nout = torch.mean(3 * (x + 2) ** 2)\nout.backward()\nx.grad\n",
    "formula.py": "def g(x):\n    return 6 * (x + 2) / x.numel()\n\ng(x)\n",
    "vector-jacobian.py": "y.backward(v)\nprint('done')\nx.grad\n",
    "sum-of-products.py": "y = ((x + 2) * (x - 2)).sum()\ny.backward()\n",
    "accumulate.py": (
        "import torch\n"
        "o = 0.5 * torch.sum(5 * (x + 1) ** 2)\n"
        "for _ in range(2):\n"
        "    o.backward(retain_graph=True)\n"
        "x.grad\n"
    ),
}


def test_py_answers_are_graded_on_their_last_value_or_the_checks(tmp_path):
    right = submission(tmp_path, "right", PY_ANSWERS)
    wrong = submission(
        tmp_path,
        "wrong",
        {
            # Python's meaning: ^ is XOR, so this is an error, not a power
            "mean-square.py": "import torch\no = torch.mean(3 * (x + 2) ^ 2)\no.backward()\nx.grad",
            # a bare torch name needs its import, as in Python
            "formula.py": "mean(x)",
            # a wrong value: the differing elements, as for .adc
            "vector-jacobian.py": "y.backward(v)\nx.grad * 2\n",
            # y right, x.grad never computed: half the points, as for .adc
            "sum-of-products.py": "y = ((x + 2) * (x - 2)).sum()\n",
            # the last statement is not an expression: no value, and a hint says why
            "accumulate.py": "import torch\ng = x * 0 + 10\n",
        },
    )
    result, doc = check(tmp_path, right, wrong)
    assert result.exit_code == 1, result.output
    assert [p["verdict"] for p in problems_of(doc, "right").values()] == [C] * 5
    got = problems_of(doc, "wrong")
    assert [got[i]["verdict"] for i in IDS] == [INV, INV, W, W, W]
    assert got["mean-square"]["message"].startswith("NotImplementedError at line 2, col ")
    assert got["mean-square"]["message"].endswith(
        ": \"bitwise_xor_cpu\" not implemented for 'Float'")  # torch 2.13's words
    assert got["mean-square"]["pos"][0] == 2
    assert got["formula"]["message"].startswith("NameError at line 1, col 1: name 'mean'")
    assert "elements differ" in got["vector-jacobian"]["message"]
    assert got["sum-of-products"]["score"] == 1.0
    assert got["sum-of-products"]["message"].startswith("x.grad: expected a tensor")
    assert got["accumulate"]["message"] == (
        "last value: expected a tensor of shape [2], got None (a .py answer's value is its "
        "last statement, when that is an expression)"
    )


def test_notebook_answers_run_their_code_cells_in_order(tmp_path):
    right = submission(
        tmp_path,
        "nb",
        {
            # magics are skipped; the value is the last cell that holds code, even when a
            # trailing ';' hides it, and an empty or comment-only last cell changes nothing
            "mean-square.ipynb": notebook(
                "%matplotlib inline\nimport torch",
                "o = torch.mean(3 * (x + 2) ** 2)\no.backward()",
                "x.grad;",
                "# done\n",
                "",
                markdown=("# Mean square",),
            ),
            "formula.ipynb": notebook("k = 1.5", "k * (x + 2)"),
            "sum-of-products.ipynb": notebook("y = ((x + 2) * (x - 2)).sum()", "y.backward()"),
            # a cell's error ends the answer and names the cell
            "vector-jacobian.ipynb": notebook("import torch", "y.backward(v)\nx.grad(", "x.grad"),
            "accumulate.ipynb": "{not a notebook",
        },
    )
    result, doc = check(tmp_path, right)
    assert result.exit_code == 1, result.output
    got = problems_of(doc, "nb")
    assert [got[i]["verdict"] for i in IDS] == [C, C, INV, C, INV]
    assert got["vector-jacobian"]["message"].startswith("SyntaxError in cell 2 at line 2, col ")
    assert got["vector-jacobian"]["pos"][0] == 2  # within the cell
    assert got["accumulate"]["message"] == (
        f"{right / 'accumulate.ipynb'}: not a notebook: not valid JSON at line 1, column 2"
    )


def test_a_python_answer_sees_the_same_random_stream_as_an_adc_answer(tmp_path):
    problem_set = tmp_path / "set.toml"
    problem_set.write_text(
        '[[problem]]\nid = "noise"\nsetup = "x = randn(3)"\nanswer = "x + randn(3)"\n'
        "samples = 3\n"
    )
    sub = submission(tmp_path, "s", {"noise.py": "import torch\nx + torch.randn(3)\n"})
    nb = submission(tmp_path, "n", {"noise.ipynb": notebook("import torch", "x + torch.randn(3)")})
    result, doc = check(tmp_path, sub, nb, problem_set=problem_set)
    assert result.exit_code == 0, result.output


# --- hostile answers ---------------------------------------------------------------------

HOSTILE = {
    # an endless loop: stopped by the clock or by the step bound, whichever comes first
    "loop": ("while True:\n    pass\n", (T, L), ("ran longer than", "steps")),
    "memory": ("import torch\nbig = torch.ones(100000, 100000)\n", L, "elements"),
    "list-bomb": ("a = [0] * 10 ** 10\n", L, "over the limit"),
    "growing": ("a = []\nwhile True:\n    a.append([0.5] * 10 ** 7)\n", L, "memory"),
    "recursion": ("def f(n):\n    return f(n + 1)\n\nf(0)\n", (INV, L),
                  ("RecursionError", "nest deeper")),
    "open": ("open('/etc/passwd').read()\n", INV, "NameError at line 1, col 1"),
    "import": ("__import__('os').system('true')\n", INV, "SyntaxError at line 1"),
    "import-os": ("import os\nos.system('true')\n", INV, "AttributeError at line 2"),
    "eval": ("eval('1 + 1')\n", INV, "NameError"),
    "dunder": ("().__class__.__bases__[0].__subclasses__()\n", INV, "SyntaxError at line 1"),
    "getattr": ("getattr(x, '__class__')\n", INV, "AttributeError at line 1"),
    "format": ("'{0.__class__}'.format(x)\n", INV, "AttributeError at line 1"),
    "syntax": ("def f(:\n    pass\n", INV, "SyntaxError at line 1, col "),
}


def test_hostile_python_answers_get_a_clean_verdict_each(tmp_path):
    """Each hostile .py answer costs only its own problem and its own submission."""
    cls = tmp_path / "class"
    for name, (text, _, _) in HOSTILE.items():
        submission(cls, name, {"mean-square.py": text})
    submission(cls, "zz-right", PY_ANSWERS)
    start = time.monotonic()
    # memory grows at the speed of page faults (under 0.5 GB/s on some machines): a cap well
    # within the clock makes "growing" meet the cap first
    result, doc = check(tmp_path, cls, "--jobs", "2", "--timeout", "5", "--memory", "512")
    elapsed = time.monotonic() - start
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    for name, (_, verdict, fragment) in HOSTILE.items():
        got = problems_of(doc, name)["mean-square"]
        verdicts = verdict if isinstance(verdict, tuple) else (verdict,)
        fragments = fragment if isinstance(fragment, tuple) else (fragment,)
        assert got["verdict"] in verdicts, (name, got)
        assert any(f in got["message"] for f in fragments), (name, got)
        assert "Traceback" not in got["message"]
    assert [p["verdict"] for p in problems_of(doc, "zz-right").values()] == [C] * 5
    assert elapsed < 30  # one loop's timeout, not one per answer


def test_the_installed_command_grades_python_answers(tmp_path, adcli_cmd):
    sub = submission(
        tmp_path,
        "pat",
        {**PY_ANSWERS, "formula.py": "while True:\n    pass\n", "accumulate.py": "1 +\n"},
    )
    run = subprocess.run(
        [adcli_cmd, "check", SET, str(sub), "--timeout", "2", "--json", "-",
         "--log", str(tmp_path / "l.jsonl")],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, NO_COLOR="1"),
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    doc = json.loads(run.stdout)
    got = problems_of(doc, "pat")
    verdicts = [got[i]["verdict"] for i in IDS]
    # the endless loop is stopped by the clock or by the step bound, whichever comes first
    assert verdicts[1] in (T, L)
    assert verdicts[:1] + verdicts[2:] == [C, C, C, INV]
    assert got["accumulate"]["message"].startswith("SyntaxError at line 1, col ")
