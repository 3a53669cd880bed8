"""A course-sized class, generated from a seed, with the verdict each answer must get.

``generate(root, count, seed)`` writes ``set.toml`` and ``class/`` (``count``
submissions: folders of ``.adc``, ``.py`` and ``.ipynb`` answers, and TOML answers files)
under ``root`` and returns a ``Course``: per submission, the verdict expected for every
problem and whether the submission should carry notes. Every slip a class hands in is
planted at least once: a problem with no file (``missing``), an empty folder, unknown
files, a file with a suffix adcli does not read, a ``.py`` answer that raises, a
notebook with an error cell, wrong and correct answers, a function problem whose
function is right, wrong, missing or raising, a custom ``autograd.Function`` with a wrong
``backward`` (planted as ``BAD_BACKWARD``), a hidden test.

``resubmit(course, name, variants)`` rewrites one submission (a student who hands in
again) and updates its expectation.
"""

from __future__ import annotations

import json
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

SET = '''\
title = "Course fixture"
[defaults]
samples = 1

[[problem]]
id = "scale"
setup = "x = randn(3)"
answer = "3 * x"
samples = 2

[[problem]]
id = "mean-square"
points = 2
setup = "x = ones(2, 2, requires_grad=True)"
answer = "o = mean(3*(x+2)^2); o.backward(); x.grad"

[[problem]]
id = "grad-f"
points = 2
function = "grad_f"
inputs = ["randn(3)", "randn(2, 2)"]
reference = """
def grad_f(x):
    x = x.detach().requires_grad_()
    (x.sin() * x).sum().backward()
    return x.grad
"""

[[problem]]
id = "my-exp"
points = 2
function = "MyExp.apply"
gradcheck = true
inputs = ["randn(3)"]
reference = """
class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        r = x.exp()
        ctx.save_for_backward(r)
        return r

    @staticmethod
    def backward(ctx, g):
        r, = ctx.saved_tensors
        return g * r
"""

[[problem]]
id = "secret"
hidden = true
answer = "6 * 7"
'''

PROBLEMS = ("scale", "mean-square", "grad-f", "my-exp", "secret")
VARIANTS = ("correct", "wrong", "raises", "missing")
# extra variants of the function problems: no function defined, a function that raises
FUNCTION_VARIANTS = {"grad-f": ("undefined", "raising"), "my-exp": ("undefined", "raising")}
BAD_BACKWARD = "return g * r * 2"  # the planted wrong autograd.Function backward (my-exp)

_MY_EXP = """\
class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        r = x.exp()
        ctx.save_for_backward(r)
        return r

    @staticmethod
    def backward(ctx, g):
        r, = ctx.saved_tensors
        {back}
"""

# (problem, variant) -> the answer's code; "{py}" lines only in Python files
_CODE = {
    ("scale", "correct"): "3 * x",
    ("scale", "wrong"): "2 * x",
    ("scale", "raises"): "3 * no_such_name",
    ("mean-square", "correct"): "o = mean(3*(x+2)^2); o.backward(); x.grad",
    ("mean-square", "wrong"): "o = mean(3*(x+2)^2); o.backward(); 2 * x.grad",
    ("mean-square", "raises"): "o = mean(3*(x+2)^2); o.backward(); x.gradd",
    ("grad-f", "correct"): (
        "def grad_f(x):\n    x = x.detach().requires_grad_()\n"
        "    (x * x.sin()).sum().backward()\n    return x.grad\n"
    ),
    ("grad-f", "wrong"): "def grad_f(x):\n    return x.cos() * x\n",
    ("grad-f", "raises"): "def grad_f(x)\n    return x\n",
    ("grad-f", "undefined"): "def grad_g(x):\n    return x\n",
    ("grad-f", "raising"): "def grad_f(x):\n    return x.no_such_method()\n",
    ("my-exp", "correct"): _MY_EXP.format(back="return g * r"),
    ("my-exp", "wrong"): _MY_EXP.format(back=BAD_BACKWARD),
    ("my-exp", "raises"): "class MyExp(torch.autograd.Function)\n    pass\n",
    ("my-exp", "undefined"): "class MyLog(torch.autograd.Function):\n    pass\n",
    ("my-exp", "raising"): _MY_EXP.format(back="return g * r.no_such_method()"),
    ("secret", "correct"): "6 * 7",
    ("secret", "wrong"): "6 * 8",
    ("secret", "raises"): "6 * no_such_name",
}
_PY_CODE = {  # where Python's meaning differs from adcli's
    ("mean-square", "correct"): "out = torch.mean(3 * (x + 2) ** 2)\nout.backward()\nx.grad\n",
    ("mean-square", "wrong"): "out = torch.mean(3 * (x + 2) ** 2)\nout.backward()\n2 * x.grad\n",
    ("mean-square", "raises"): "out = torch.mean(3 * (x + 2) ** 2)\nout.backward()\nx.gradd\n",
}
EXPECTED = {
    "correct": "correct",
    "wrong": "wrong",
    "raises": "invalid",
    "missing": "missing",
    "undefined": "wrong",
    "raising": "wrong",
}


@dataclass
class Course:
    root: Path
    set_path: Path
    class_dir: Path
    # submission name (as in the class folder) -> problem id -> variant
    plan: dict[str, dict[str, str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # name -> "toml" | "dir" | "empty"...
    notes: dict[str, bool] = field(default_factory=dict)  # name -> must carry notes

    def expected(self, name: str) -> list[str]:
        """The verdicts the submission must get, in the set's order."""
        return [EXPECTED[self.plan[name][pid]] for pid in PROBLEMS]


def _source(pid: str, variant: str, kind: str) -> str:
    code = _CODE[(pid, variant)]
    if kind == "adc":
        return code
    return "import torch\n" + _PY_CODE.get((pid, variant), code)


def _notebook(source: str, error_cell: bool) -> str:
    lines = source.splitlines()
    head, body = lines[:1], lines[1:]  # "import torch" on its own cell
    cells = [head, ["# a comment cell"], body]
    if error_cell:  # an error cell before the answer: the first error ends it
        cells.insert(1, ["no_such_name + 1"])
    doc = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": "\n".join(cell),
            }
            for cell in cells
        ]
        + [{"cell_type": "markdown", "metadata": {}, "source": "done"}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(doc, indent=1)


def _write_folder(folder: Path, plan: dict[str, str], rng: random.Random) -> None:
    folder.mkdir()
    for pid in PROBLEMS:
        variant = plan[pid]
        if variant == "missing":
            continue
        kind = rng.choice(("adc", "py", "ipynb"))
        if kind == "ipynb":
            error_cell = variant == "raises" and rng.random() < 0.5
            source = _source(pid, "correct" if error_cell else variant, "py")
            (folder / f"{pid}.ipynb").write_text(_notebook(source, error_cell))
        else:
            (folder / f"{pid}.{kind}").write_text(_source(pid, variant, kind) + "\n")


def _write_toml(path: Path, plan: dict[str, str]) -> None:
    lines = ["[answers]"]
    for pid in PROBLEMS:
        if plan[pid] != "missing":
            lines.append(f'"{pid}" = """\n{_CODE[(pid, plan[pid])]}\n"""')
    path.write_text("\n".join(lines) + "\n")


def _random_plan(rng: random.Random) -> dict[str, str]:
    plan = {}
    for pid in PROBLEMS:
        choices = ["correct"] * 5 + ["wrong"] * 2 + ["raises", "missing"]
        choices += list(FUNCTION_VARIANTS.get(pid, ()))
        plan[pid] = rng.choice(choices)
    return plan


def generate(root: Path, count: int = 200, seed: int = 18) -> Course:
    """Write the problem set and a class of ``count`` submissions under ``root``."""
    rng = random.Random(seed)
    course = Course(root, root / "set.toml", root / "class")
    course.set_path.write_text(SET)
    course.class_dir.mkdir()
    all_missing = dict.fromkeys(PROBLEMS, "missing")
    for n in range(count):
        name = f"s{n:03d}"
        if n == 0:  # an empty folder
            (course.class_dir / name).mkdir()
            course.plan[name], course.kinds[name], course.notes[name] = all_missing, "empty", True
            continue
        plan = dict.fromkeys(PROBLEMS, "correct") if n == 1 else _random_plan(rng)
        if n == 2:  # files that answer nothing: unknown names and a suffix adcli does not read
            plan["scale"] = "missing"
            _write_folder(course.class_dir / name, plan, rng)
            (course.class_dir / name / "notes.txt").write_text("my notes\n")
            (course.class_dir / name / "q7.py").write_text("1\n")
            (course.class_dir / name / "scale.pdf").write_bytes(b"%PDF-1.4 \x00\xff")
            course.plan[name], course.kinds[name], course.notes[name] = plan, "dir", True
            continue
        if n % 4 == 3:
            _write_toml(course.class_dir / f"{name}.toml", plan)
            name += ".toml"
            course.kinds[name] = "toml"
        else:
            _write_folder(course.class_dir / name, plan, rng)
            course.kinds[name] = "dir"
        course.plan[name] = plan
        course.notes[name] = False
    return course


def resubmit(course: Course, name: str, plan: dict[str, str], seed: int = 0) -> None:
    """The student behind ``name`` hands in again, with the answers ``plan`` says."""
    path = course.class_dir / name
    if path.is_dir():
        shutil.rmtree(path)
        _write_folder(path, plan, random.Random(seed))
    else:
        _write_toml(path, plan)
    course.plan[name] = dict(plan)
    course.notes[name] = False
