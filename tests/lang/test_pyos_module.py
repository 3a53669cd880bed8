"""``import os``: os.path's string functions, the in-memory file system that torch.save
fills, os.environ, and CPython's errors. Each program prints what CPython 3.11 (+ torch
2.13 where it saves) printed when run in an empty directory; the hardening tests check
that nothing of the host is reached."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from adcli import programs
from adcli.engine import serialization
from adcli.lang.interpreter import Session
from adcli.limits import Limits

TORCH_PYTHON = os.environ.get("ADCLI_TORCH_PYTHON", "/work/torchenv/bin/python")


def run(text: str, limits: Limits | None = None) -> str:
    serialization.reset()
    out: list[str] = []
    Session(limits=limits or Limits(), out=out.append, dialect="py").exec_source(text)
    return "".join(out)


def reference(text: str, tmp_path) -> str:
    """What CPython prints for ``text`` run in an empty directory (torch's Python for a
    program that imports torch)."""
    python = sys.executable
    if "torch" in text:
        if not os.path.exists(TORCH_PYTHON):
            pytest.skip("needs torch: set ADCLI_TORCH_PYTHON")
        python = TORCH_PYTHON
    done = subprocess.run([python, "-c", text], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path, check=True, env={"PATH": os.environ.get("PATH", "")})
    return done.stdout


SAME_AS_CPYTHON = {
    "path_strings": """
import os
import os.path as osp
from os.path import join, splitext
print(os.path.join("ckpt", "model.pt"), join("a", "b/", "c"), join("a", "/abs", "c"))
print(splitext("data/x.tar.gz"), splitext(".bashrc"), osp.split("/a/b/"), osp.split("f"))
print(os.path.basename("/x/y/z.pt"), os.path.dirname("/x/y/z.pt"), os.path.dirname("z.pt"))
print(os.path.normpath("a/../../b/./c//d/"), os.path.normpath(""), os.path.isabs("/a"))
print(os.path.commonprefix(["/usr/lib", "/usr/local"]), os.path.splitdrive("c/d"))
print(os.path.join(b"a", b"b"), os.path.basename(b"x/y"))
print(os.sep, repr(os.linesep), os.name, os.curdir, os.pardir, os.extsep, os.pathsep)
print(os.path.sep, os.devnull, os.altsep, os.path.relpath("/a/b/c", "/a"))
print(os)
print(os.path, osp)
for args in [(1,), ("a", None), (None, "a")]:
    try:
        os.path.join(*args)
    except TypeError as e:
        print(e)
try:
    os.path.basename(3)
except TypeError as e:
    print(e)
try:
    os.path.exists(None)
except TypeError as e:
    print(e)
print(os.path.exists(3), os.path.isfile(""), os.path.exists(""))
""",
    "file_system": """
import os
print(os.path.exists("ckpt"), os.path.isdir("."), os.path.exists("."), os.listdir("."))
os.makedirs("ckpt/run1", exist_ok=True)
os.makedirs("ckpt/run1", exist_ok=True)
print(os.path.isdir("ckpt"), os.path.isdir("ckpt/run1"), os.path.isfile("ckpt"))
print(os.listdir("."), os.listdir("ckpt"), os.listdir("./ckpt/../ckpt"))
os.mkdir("logs")
print(sorted(os.listdir(".")))
for bad in [lambda: os.makedirs("ckpt"), lambda: os.mkdir("logs"),
            lambda: os.mkdir("a/b/c"), lambda: os.listdir("nope"),
            lambda: os.remove("nope"), lambda: os.remove("ckpt"), lambda: os.rmdir("ckpt"),
            lambda: os.rmdir("nope"), lambda: os.makedirs(""), lambda: os.mkdir("")]:
    try:
        bad()
    except OSError as e:
        print(type(e).__name__, e, e.errno, e.filename, e.strerror)
try:
    os.makedirs("ckpt")
except FileExistsError:
    print("caught FileExistsError")
try:
    os.listdir("nope")
except FileNotFoundError as e:
    print("caught", repr(e.filename))
os.rmdir("logs")
os.rmdir("ckpt/run1")
print(os.path.exists("logs"), os.listdir("ckpt"))
for root, dirs, files in os.walk("."):
    print(root, dirs, files)
""",
    "torch_save_files": """
import os
import torch
os.makedirs("checkpoints", exist_ok=True)
path = os.path.join("checkpoints", "model.pth")
print(os.path.exists(path))
torch.save({"w": torch.ones(2)}, path)
print(os.path.exists(path), os.path.isfile(path), os.path.isdir(path))
print(os.path.isfile("./checkpoints/model.pth"), os.listdir("checkpoints"))
torch.save([1, 2], "other.pt")
print(sorted(os.listdir(".")))
try:
    os.listdir("other.pt")
except NotADirectoryError as e:
    print(type(e).__name__, e)
try:
    os.makedirs("other.pt/x")
except OSError as e:
    print(type(e).__name__, e)
try:
    os.makedirs("other.pt", exist_ok=True)
except OSError as e:
    print(type(e).__name__, e)
try:
    os.mkdir("other.pt")
except OSError as e:
    print(type(e).__name__, e)
os.rename("other.pt", "moved.pt")
print(torch.load("moved.pt"), os.path.exists("other.pt"))
try:
    os.rmdir("checkpoints")
except OSError as e:
    print(type(e).__name__, e)
print(torch.load(path)["w"])
os.remove(path)
os.remove("moved.pt")
print(os.path.exists(path), os.listdir("checkpoints"))
try:
    torch.load(path)
except FileNotFoundError as e:
    print("gone:", e)
os.rmdir("checkpoints")
print(os.listdir("."))
""",
    "environ": """
import os
print(os.environ.get("ADCLI_NO_SUCH_VAR"), os.environ.get("ADCLI_NO_SUCH_VAR", "dflt"))
print(os.getenv("ADCLI_NO_SUCH_VAR"), os.getenv("ADCLI_NO_SUCH_VAR", 5))
print("ADCLI_NO_SUCH_VAR" in os.environ)
try:
    os.environ["ADCLI_NO_SUCH_VAR"]
except KeyError as e:
    print("KeyError", e, repr(e))
os.environ["ADCLI_MINE"] = "1"
os.environ.setdefault("ADCLI_OTHER", "x")
print(os.environ["ADCLI_MINE"], os.getenv("ADCLI_MINE"), "ADCLI_MINE" in os.environ)
print(os.environ.pop("ADCLI_OTHER"), os.environ.pop("ADCLI_OTHER", None))
def set_int():
    os.environ["X"] = 1
for bad in [set_int, lambda: os.getenv(3),
            lambda: os.environ.get(3), lambda: os.environ.setdefault("A", 1)]:
    try:
        bad()
    except TypeError as e:
        print("TypeError", e)
del os.environ["ADCLI_MINE"]
print(os.environ.get("ADCLI_MINE"), type(os.cpu_count()).__name__)
""",
}


@pytest.mark.parametrize("name", list(SAME_AS_CPYTHON))
def test_prints_what_cpython_prints(name, tmp_path):
    text = SAME_AS_CPYTHON[name]
    assert run(text) == reference(text, tmp_path)


# ---- the uncaught error: the last line of stderr ----------------------------------------
UNCAUGHT = {
    "import os\nos.remove('model.pth')\n":
        "FileNotFoundError: [Errno 2] No such file or directory: 'model.pth'",
    "import os\nos.makedirs('d')\nos.makedirs('d')\n":
        "FileExistsError: [Errno 17] File exists: 'd'",
    "import os\nos.environ['ADCLI_NO_SUCH_VAR']\n": "KeyError: 'ADCLI_NO_SUCH_VAR'",
    "import os\nos.listdir('data/train')\n":
        "FileNotFoundError: [Errno 2] No such file or directory: 'data/train'",
}


@pytest.mark.parametrize("source", list(UNCAUGHT))
def test_uncaught_error_is_cpythons(source, tmp_path):
    serialization.reset()
    out, errs = [], []
    outcome = programs.run_python(source, "prog.py", Limits(), out.append, errs.append)
    assert outcome.failed and not outcome.internal
    last = "".join(errs).strip().splitlines()[-1]
    assert last == UNCAUGHT[source]
    done = subprocess.run([sys.executable, "-c", source], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path, check=False)
    assert done.stderr.strip().splitlines()[-1] == last


# ---- the virtual working directory (documented in adcli/lang/pylib/osmod.py) -------------
def test_the_working_directory_is_virtual():
    assert run("import os\nprint(os.getcwd(), os.path.abspath('a/../m.pt'))\n"
               "print(os.path.expanduser('~/data'), os.path.expanduser('~bob/x'))\n"
               "print(os.path.realpath('.'), os.path.relpath('/sandbox/a/b'))\n") == (
        "/sandbox /sandbox/m.pt\n/sandbox/data ~bob/x\n/sandbox a/b\n")


# ---- hardening --------------------------------------------------------------------------
def test_no_real_file_is_read_or_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "real.txt").write_text("secret")
    out = run("import os\nimport torch\n"
              "print(os.path.exists('real.txt'), os.listdir('.'), os.path.isfile(__name__))\n"
              "os.makedirs('made/deep', exist_ok=True)\nos.mkdir('made2')\n"
              "torch.save([1], 'made/deep/w.pt')\n"
              "print(os.listdir('made'), os.path.exists('made/deep/w.pt'))\n"
              "os.remove('made/deep/w.pt')\n"
              "try:\n    os.remove('real.txt')\nexcept FileNotFoundError as e:\n    print(e)\n")
    assert out == ("False [] False\n['deep'] True\n"
                   "[Errno 2] No such file or directory: 'real.txt'\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["real.txt"]
    assert (tmp_path / "real.txt").read_text() == "secret"


@pytest.mark.parametrize("path", ["/etc/passwd", "../../etc/passwd", "/", "/proc/self/environ",
                                  "/etc", "~", os.path.expanduser("~"), sys.executable,
                                  os.getcwd()])
def test_host_paths_reveal_nothing(path):
    text = (f"import os\np = {path!r}\n"
            "print(os.path.isfile(p))\n"
            "try:\n    print(len(os.listdir(p)))\nexcept OSError as e:\n"
            "    print(type(e).__name__)\n")
    out = run(text)
    assert out.splitlines()[0] == "False"  # no host file is visible
    # the root and the virtual directory list only what the program made (nothing)
    assert out.splitlines()[1] in ("FileNotFoundError", "0", "1")
    if out.splitlines()[1] == "1":
        assert run("import os\nprint(os.listdir('/'))\n") == "['sandbox']\n"


def test_environ_shows_no_host_variable(monkeypatch):
    monkeypatch.setenv("ADCLI_SECRET_TOKEN", "hunter2")
    out = run("import os\nprint(os.environ, len(os.environ), list(os.environ))\n"
              "print(os.getenv('ADCLI_SECRET_TOKEN'), os.getenv('PATH'), os.getenv('HOME'))\n"
              "print(dict(os.environ.items()), os.environ.copy())\n")
    assert out == "environ({}) 0 []\nNone None None\n{} {}\n"
    assert "hunter2" not in out
    # what a program sets stays in the program
    run("import os\nos.environ['ADCLI_SECRET_TOKEN'] = 'changed'\nos.environ['ADCLI_X'] = '1'\n")
    assert os.environ["ADCLI_SECRET_TOKEN"] == "hunter2" and "ADCLI_X" not in os.environ
    assert run("import os\nprint(os.getenv('ADCLI_X'))\n") == "None\n"


def test_the_store_belongs_to_the_program():
    run("import os\nos.makedirs('only_mine')\n")
    assert run("import os\nprint(os.path.exists('only_mine'))\n") == "False\n"


def test_what_is_not_there_is_refused():
    for name in ("system", "popen", "execv", "fork", "kill", "chdir", "putenv", "open",
                 "scandir", "stat", "symlink", "chmod", "urandom", "getpid"):
        with pytest.raises(Exception) as info:
            run(f"import os\nos.{name}\n")
        assert "AttributeError" in type(info.value).__name__ or \
            getattr(info.value, "kind", "") == "AttributeError", name
    with pytest.raises(Exception) as info:
        run("from os import system\n")
    assert getattr(info.value, "kind", "") == "ImportError"
    with pytest.raises(Exception) as info:
        run("open('x.txt', 'w')\n")
    assert getattr(info.value, "kind", "") == "NameError"


SMALL = Limits(max_elements=10_000, max_steps=200_000)


@pytest.mark.parametrize("text", [
    "import os\nfor i in range(100000):\n    os.makedirs(f'd{i}', exist_ok=True)\n",
    "import os\ni = 0\nwhile True:\n    os.mkdir(f'd{i}')\n    i += 1\n",
    "import os\nfor i in range(100000):\n    os.environ[f'V{i}'] = 'x'\n",
    "import os\np = 'a'\nwhile True:\n    p = os.path.join(p, p)\n",
    "import os\nos.path.join('a', *(['b'] * 100000))\n",
])
def test_loops_are_bounded(text):
    with pytest.raises(Exception) as info:
        run(text, SMALL)
    assert getattr(info.value, "kind", "") == "LimitError", info.value


def test_file_is_the_script_in_the_virtual_directory():
    out, errs = [], []
    programs.run_python("import os\nprint(__file__, os.path.basename(__file__))\n"
                        "print(os.path.dirname(os.path.abspath(__file__)) == os.getcwd())\n",
                        "/some/host/dir/prog.py", Limits(), out.append, errs.append)
    assert "".join(out) == "/sandbox/prog.py prog.py\nTrue\n"
    with pytest.raises(Exception) as info:  # `python -c`: no __file__
        run("print(__file__)\n")
    assert getattr(info.value, "kind", "") == "NameError"


def test_deep_and_long_paths_are_bounded():
    """A path Linux refuses (over 4096 bytes, or a part over 255) is File name too long,
    and one saved by torch.save is not in the tree: walking a path's parents stays small."""
    out = run("import os\nimport torch\n"
              "for p in ['a' * 300, 'd/' * 100000]:\n"
              "    print(os.path.exists(p))\n"
              "    try:\n        os.makedirs(p)\n    except OSError as e:\n"
              "        print(e.errno, e.strerror)\n"
              "torch.save(1, 'e/' * 200000 + 'w.pt')\n"
              "print(os.path.exists('e'), os.listdir('.'))\n")
    assert out == ("False\n36 File name too long\nFalse\n36 File name too long\n"
                   "False []\n")
