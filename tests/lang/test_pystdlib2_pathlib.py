# ruff: noqa: E501  (the programs are kept as written)
"""pathlib: Path/PurePath string operations, and the file system queries and changes on
the sandbox's virtual tree (torch.save/torch.load take a Path): each program prints what
CPython 3.11 (torch 2.13's Python) prints for it, run in an empty directory."""

from __future__ import annotations

import pytest

from tests.lang.test_pyos_module import reference, run

PROGRAMS = {
    "strings_and_tree": """from pathlib import Path, PurePath, PurePosixPath
import pathlib
p = Path("data") / "train" / "img.tar.gz"
print(p, repr(p), p.name, p.stem, p.suffix, p.suffixes, p.parent, p.parts)
print(list(p.parents), len(p.parents), p.parents[0], p.parents[-1], p.parents)
print(p.with_suffix(".pt"), p.with_name("x.txt"), p.with_stem("y"), p.joinpath("a", "b"))
print(Path("/a/b") / "/c", "root" / Path("x"), Path(), Path("a//b/./c/"), Path("/"), Path("/").name)
print(p.as_posix(), str(p), p == Path("data/train/img.tar.gz"), p == "data/train/img.tar.gz")
print(sorted([Path("b"), Path("a/c"), Path("a")]), hash(Path("a")) == hash(Path("a")))
print({Path("a"): 1}[Path("a")], PurePath("x/y"), PurePosixPath("q"), type(p).__name__, isinstance(p, Path), isinstance(p, PurePath))
print(Path("/a/b/c").relative_to("/a"), Path("a.").suffix, Path(".bashrc").suffix, Path(".bashrc").stem)
print(Path("x.py").match("*.py"), Path("/a/b.py").is_absolute(), Path("a").is_absolute())
for bad in [lambda: p.with_suffix("pt"), lambda: Path("/").with_name("a"), lambda: Path("a") < "b", lambda: Path("a").relative_to("b"), lambda: Path(3)]:
    try:
        bad()
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
print(Path("ckpt").exists(), Path("ckpt").is_dir())
Path("ckpt/sub").mkdir(parents=True, exist_ok=True)
Path("ckpt/sub").mkdir(parents=True, exist_ok=True)
try:
    Path("ckpt/sub").mkdir()
except FileExistsError as e:
    print(e)
try:
    Path("zz/sub").mkdir()
except FileNotFoundError as e:
    print(e)
import torch
torch.save({"a": 1}, Path("ckpt") / "m.pt")
torch.save([1], Path("ckpt/sub/w.pt"))
print(torch.load(Path("ckpt/m.pt")), Path("ckpt/m.pt").is_file(), Path("ckpt/m.pt").exists())
print(sorted(Path("ckpt").iterdir()), sorted(Path("ckpt").glob("*.pt")), sorted(Path("ckpt").rglob("*.pt")), sorted(Path(".").glob("**/*.pt")))
Path("ckpt/m.pt").unlink()
Path("ckpt/m.pt").unlink(missing_ok=True)
try:
    Path("ckpt/m.pt").unlink()
except FileNotFoundError as e:
    print(e)
print(sorted(Path("ckpt").iterdir()), pathlib.Path("a").parent, Path("a").parent.parent)
print(Path("a/b").parents[1], Path("ckpt").resolve() == Path.cwd() / "ckpt", Path.home().is_absolute())
""",
    "os_takes_paths": """import os
from pathlib import Path
d = Path("out")
os.makedirs(d / "a", exist_ok=True)
print(os.path.exists(d), os.path.join(d, "x.pt"), os.path.isdir(d / "a"), os.listdir(d), os.path.basename(d / "q.txt"))
try:
    os.makedirs(d / "a")
except FileExistsError as e:
    print(e)
print(Path("nope").exists(), list(Path("nope").glob("*")))
try:
    list(Path("nope").iterdir())
except FileNotFoundError as e:
    print(e)
""",
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_prints_what_cpython_prints(name, tmp_path):
    text = PROGRAMS[name]
    assert run(text) == reference(text, tmp_path)


def test_cwd_and_home_are_the_sandbox():
    assert run("from pathlib import Path\nprint(Path.cwd(), Path.home(), Path('a').absolute(),"
               " Path('a/../b').resolve())\n") == "/sandbox /sandbox /sandbox/a /sandbox/b\n"
