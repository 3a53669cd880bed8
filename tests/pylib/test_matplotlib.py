"""`import matplotlib.pyplot as plt` in programs: calls skipped with one note, or figures
drawn with matplotlib into the plots directory, and never a path a script chooses."""

from __future__ import annotations

import os
import sys

import pytest

from adcli import programs
from adcli.lang import ast as lang_ast
from adcli.lang import library
from adcli.lang.pylib import matplotlibmod
from adcli.lang.pylib.matplotlibmod import MISSING_NOTE, SKIP_NOTE, set_plots_dir
from adcli.limits import Limits

PNG = b"\x89PNG\r\n\x1a\n"
_IMPORTS = frozenset({"matplotlib", "matplotlib.pyplot"})


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    """The imports accepted (a no-op once library.py lists them); no plots directory
    before and after each test."""
    if not _IMPORTS <= library.LIBRARY_MODULES:
        monkeypatch.setattr(library, "LIBRARY_MODULES", library.LIBRARY_MODULES | _IMPORTS)
        monkeypatch.setattr(lang_ast, "LIBRARY_MODULES", lang_ast.LIBRARY_MODULES | _IMPORTS)
    set_plots_dir(None)
    yield
    set_plots_dir(None)


def run(text: str):
    out, err = [], []
    outcome = programs.run_python(text, "prog.py", Limits(), out.append, err.append)
    return "".join(out), "".join(err), outcome


def ok(text: str):
    out, err, outcome = run(text)
    assert not outcome.failed and not outcome.internal, err
    return out, err


def failed(text: str) -> str:
    out, err, outcome = run(text)
    assert outcome.failed and not outcome.internal, err
    return err.strip().splitlines()[-1]


LOSSES = """\
import matplotlib.pyplot as plt
import torch
losses = []
w = torch.tensor(3.0, requires_grad=True)
for step in range(20):
    loss = (w - 1) ** 2
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
    w.grad.zero_()
    losses.append(loss.item())
plt.figure(figsize=(6, 4))
plt.plot(losses, label="loss")
plt.plot(torch.arange(20), torch.tensor(losses).detach(), 'r--')
plt.xlabel("step"); plt.ylabel("loss"); plt.title("Training"); plt.legend(); plt.grid(True)
plt.savefig("loss.png")
plt.show()
fig, axes = plt.subplots(2, 2, figsize=(8, 6))
axes[0, 0].plot([1, 2, 3], [3, 1, 2])
axes[0][1].scatter([1, 2], [2, 1])
axes[1, 0].hist(torch.randn(500), bins=20)
axes[1, 1].imshow(torch.rand(4, 4))
for ax in axes.flat:
    ax.set_title("panel")
fig.suptitle("four")
fig.tight_layout()
plt.show()
print("done", len(losses))
"""


# ---- skipping: no plots directory, or no matplotlib ------------------------------------
def test_without_a_plots_dir_calls_are_skipped_with_one_note():
    out, err = ok(LOSSES)
    assert out == "done 20\n"
    assert err == SKIP_NOTE
    assert err.count("adcli: matplotlib calls are skipped") == 1


def test_with_a_plots_dir_but_no_matplotlib_the_note_says_what_to_install(
        tmp_path, monkeypatch):
    for name in ("matplotlib", "matplotlib.figure"):
        monkeypatch.setitem(sys.modules, name, None)
    set_plots_dir(str(tmp_path / "plots"))
    out, err = ok(LOSSES)
    assert out == "done 20\n" and err == MISSING_NOTE
    assert "pip install 'adcli[see]'" in err
    assert os.listdir(tmp_path / "plots") == []


def test_a_program_that_never_plots_gets_no_note():
    assert ok("import matplotlib.pyplot as plt\nprint(1)\n") == ("1\n", "")


def test_hist_counts_are_computed_when_skipped():
    out, _ = ok("import matplotlib.pyplot as plt\n"
                "n, bins, patches = plt.hist([1, 2, 2, 3, 3, 3], bins=3)\n"
                "print(n.tolist(), bins.tolist())\n")
    assert out == "[1.0, 2.0, 3.0] [1.0, 1.6666666666666665, 2.333333333333333, 3.0]\n"


def test_the_import_forms():
    out, _ = ok("import matplotlib\nmatplotlib.use('Agg')\n"
                "import matplotlib.pyplot as plt\n"
                "from matplotlib import pyplot\n"
                "from matplotlib.pyplot import plot, show\n"
                "print(plt is not None, pyplot.plot is plt.plot, plot is plt.plot)\n"
                "print(matplotlib.pyplot.plot is plt.plot, plt)\n")
    assert out == "True True True\nTrue <module 'matplotlib.pyplot'>\n"


def test_subplots_give_axes_as_numpy_would():
    out, _ = ok("import matplotlib.pyplot as plt\n"
                "fig, ax = plt.subplots()\nprint(ax)\n"
                "fig, (a, b) = plt.subplots(1, 2)\nprint(a, b)\n"
                "fig, axes = plt.subplots(2, 3)\n"
                "print(axes.shape, len(axes), len(axes.flat), axes.flatten().shape)\n"
                "print(axes[1, 2] is axes[1][2], axes[-1, -1] is axes.flat[-1])\n"
                "print([len(row) for row in axes], axes[:, 0].shape)\n"
                "print(fig)\n")
    assert out == ("<Axes: >\n<Axes: > <Axes: >\n(2, 3) 2 6 (6,)\nTrue True\n[3, 3] (2,)\n"
                   "<Figure size 640x480 with 6 Axes>\n")


# ---- the sandbox ---------------------------------------------------------------------------
def test_unknown_attributes_are_attribute_errors():
    assert failed("import matplotlib.pyplot as plt\nplt.nosuch\n") == (
        "AttributeError: module 'matplotlib.pyplot' has no attribute 'nosuch'")
    assert "AttributeError" in failed("import matplotlib.pyplot as plt\n"
                                      "fig, ax = plt.subplots()\nax.__class__.__init__\n")
    assert failed("import matplotlib.pyplot as plt\nline, = plt.plot([1, 2])\n"
                  "line.set_data\n").startswith("AttributeError: 'Line2D' object")
    assert failed("import matplotlib.pyplot as plt\nplt.gcf()._real\n").startswith(
        "AttributeError")


def test_unknown_keywords_are_refused():
    for call in ("plt.plot([1, 2], usetex=True)", "plt.title('t', usetex=True)",
                 "plt.savefig('a.pgf', backend='pgf')", "plt.savefig('a.png', metadata={})",
                 "plt.plot([1, 2], picker=print)", "plt.xlabel('x', fontproperties='f.ttf')"):
        last = failed(f"import matplotlib.pyplot as plt\n{call}\n")
        assert last.startswith("TypeError") and "unexpected keyword argument" in last, call


def test_values_are_numbers_strings_and_arrays_only():
    last = failed("import matplotlib.pyplot as plt\nplt.plot([1, 2], color=print)\n")
    assert last.startswith("TypeError")
    last = failed("import matplotlib.pyplot as plt\nplt.plot({'a': 1})\n")
    assert last.startswith("TypeError")
    last = failed("import matplotlib.pyplot as plt\nimport torch\n"
                  "plt.plot(torch.ones(3, requires_grad=True))\n")
    assert last == ("RuntimeError: Can't call numpy() on Tensor that requires grad. "
                    "Use tensor.detach().numpy() instead.")
    ok("import matplotlib.pyplot as plt\nimport numpy as np\nimport torch\n"
       "plt.plot(np.arange(3), [1, 2, 3]); plt.plot(range(3)); plt.bar(['a', 'b'], [1, 2])\n"
       "plt.plot(torch.ones(3, requires_grad=True).detach())\n")


def test_sizes_are_bounded():
    assert failed("import matplotlib.pyplot as plt\n"
                  "plt.figure(figsize=(150, 150), dpi=1000)\n").startswith("LimitError")
    assert failed("import matplotlib.pyplot as plt\nplt.subplots(50, 50)\n").startswith(
        "LimitError")
    assert failed("import matplotlib.pyplot as plt\nplt.hist([1, 2], bins=10**9)\n"
                  ).startswith("ValueError")
    assert failed("import matplotlib.pyplot as plt\nplt.figure(figsize=(-1, 2))\n"
                  ).startswith("ValueError")


def test_file_names_are_reduced_to_a_base_name():
    name = matplotlibmod._file_name
    assert name("../../etc/x.png", None, "savefig") == ("x.png", "png")
    assert name("/etc/passwd", None, "savefig") == ("passwd.png", "png")
    assert name("..\\..\\x.svg", None, "savefig") == ("x.svg", "svg")
    assert name("..", None, "savefig") == ("figure.png", "png")
    assert name(".bashrc", None, "savefig") == ("bashrc.png", "png")
    assert name("a b;rm -rf.PNG", None, "savefig") == ("a_b_rm_-rf.PNG", "png")
    assert name("plot", "svg", "savefig") == ("plot.svg", "svg")
    with pytest.raises(ValueError):
        name("x.exe", None, "savefig")


def test_set_plots_dir_refuses_a_file(tmp_path):
    path = tmp_path / "f"
    path.write_text("")
    with pytest.raises(ValueError, match="not a directory"):
        set_plots_dir(str(path))
    set_plots_dir(str(tmp_path / "new" / "plots"))
    assert os.path.isdir(tmp_path / "new" / "plots")
    assert matplotlibmod.plots_dir() == str(tmp_path / "new" / "plots")


# ---- drawing ------------------------------------------------------------------------------
@pytest.fixture
def plots(tmp_path):
    pytest.importorskip("matplotlib")
    d = tmp_path / "work" / "plots"
    set_plots_dir(str(d))
    return d


def test_figures_are_drawn_into_the_plots_dir(plots):
    out, err = ok(LOSSES)
    assert out == "done 20\n"
    assert sorted(os.listdir(plots)) == ["figure-1.png", "figure-2.png", "loss.png"]
    for name in os.listdir(plots):
        assert (plots / name).read_bytes()[:8] == PNG
    assert err.splitlines() == [f"adcli: saved {plots}/{n}" for n in
                                ("loss.png", "figure-1.png", "figure-2.png")]
    assert "skipped" not in err


def test_savefig_never_leaves_the_plots_dir(plots):
    before = set(os.listdir(plots.parent))
    ok("import matplotlib.pyplot as plt\nplt.plot([1, 2])\n"
       "plt.savefig('../../etc/x.png')\nplt.savefig('../escape.svg')\n"
       "plt.savefig('/tmp/abs')\n")
    assert sorted(os.listdir(plots)) == ["abs.png", "escape.svg", "x.png"]
    assert set(os.listdir(plots.parent)) == before
    assert (plots / "escape.svg").read_text().startswith("<?xml")


def test_savefig_does_not_follow_a_link(plots, tmp_path):
    target = tmp_path / "outside.png"
    target.write_bytes(b"keep")
    os.symlink(target, plots / "link.png")
    last = failed("import matplotlib.pyplot as plt\nplt.plot([1])\n"
                  "plt.savefig('link.png')\n")
    assert last.startswith("RuntimeError: savefig(): cannot write")
    assert target.read_bytes() == b"keep"


def test_show_numbers_figures_and_closes_them(plots):
    ok("import matplotlib.pyplot as plt\n"
       "plt.figure(); plt.plot([1, 2])\nplt.figure(); plt.plot([2, 1])\nplt.show()\n"
       "plt.show()\nplt.plot([3])\nplt.show()\n")
    assert sorted(os.listdir(plots)) == ["figure-1.png", "figure-2.png", "figure-3.png"]


def test_matplotlib_errors_are_the_scripts(plots):
    last = failed("import matplotlib.pyplot as plt\nplt.plot([1, 2], 'zz')\n")
    assert last.startswith("ValueError")
    err = run("import matplotlib.pyplot as plt\nplt.plot([1, 2], [1, 2, 3])\n")[1]
    assert "line 2" in err
    assert err.strip().endswith("ValueError: x and y must have same first dimension, but "
                                "have shapes (2,) and (3,)")


def test_hist_counts_agree_with_numpy_when_drawn(plots):
    out, _ = ok("import matplotlib.pyplot as plt\n"
                "n, bins, patches = plt.hist([1, 2, 2, 3, 3, 3], bins=3)\n"
                "print(n.tolist(), bins.tolist())\n")
    assert out == "[1.0, 2.0, 3.0] [1.0, 1.6666666666666665, 2.333333333333333, 3.0]\n"


def test_matplotlib_warnings_are_the_scripts_warnings(plots):
    _, err = ok("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.legend()\n")
    assert "prog.py:3: UserWarning: No artists with labels found to put in legend" in err
    assert "site-packages" not in err


# ---- through the command line (needs library.py to list the imports) ----------------------
def test_adcli_run_program_imports_matplotlib(tmp_path, adcli_cmd):
    import subprocess

    prog = tmp_path / "p.py"
    prog.write_text("import matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n"
                    "print('ok')\n")
    done = subprocess.run([adcli_cmd, "run", str(prog)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n" and done.stderr == SKIP_NOTE


def test_import_without_alias_binds_the_top_module_as_python_does():
    out, _ = ok("import matplotlib.pyplot\nimport numpy.random\n"
                "matplotlib.pyplot.plot([1, 2], [3, 4])\n"
                "print(type(numpy.random.rand(2)).__name__)\n")
    assert out == "ndarray\n"
