"""torch.nn, torch.optim, torch.utils.data, torch.func and torch.autograd are imported on
first use (start-up, issue 19): `adcli eval` does not import them, a script that reaches
them gets the same members as before, and the batch and grading parents build them before
they fork."""

from __future__ import annotations

import json
import subprocess
import sys

from adcli.engine.devices import LazyNamespace, Namespace

LAZY_MODULES = ("adcli.engine.nn", "adcli.engine.optim", "adcli.engine.data",
                "adcli.engine.func", "adcli.engine.forward_ad", "adcli.engine.custom_function")


def _imported_after(code: str) -> list[str]:
    """The adcli modules a fresh interpreter has imported after running ``code``."""
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout
    return [m for m in json.loads(out.splitlines()[-1]) if m.startswith("adcli")]


def test_eval_imports_none_of_the_lazy_namespaces():
    mods = _imported_after(
        "import sys\nfrom adcli.cli.main import main\n"
        "sys.argv = ['adcli', 'eval', 'mean(3*(x+2)^2)', '-b', 'x=1.0,2.0']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass")
    assert "adcli.evaluate" in mods  # the command did run
    loaded = [m for m in mods if m in LAZY_MODULES or m.startswith(
        tuple(f"{lazy}." for lazy in LAZY_MODULES))]
    assert loaded == []


def test_a_script_that_reaches_nn_imports_it():
    mods = _imported_after(
        "from adcli.lang.interpreter import Session\n"
        "import io\n"
        "Session(out=io.StringIO()).run_cells('m = torch.nn.Linear(2, 1)', '<t>')")
    assert "adcli.engine.nn.layers" in mods
    assert "adcli.engine.optim" not in mods  # only what the script reached


def test_a_lazy_namespace_builds_once_and_becomes_plain():
    calls = []

    def load():
        calls.append(1)
        return {"a": 1}

    ns = LazyNamespace("torch.example", load)
    assert isinstance(ns, Namespace) and repr(ns) == "<module 'torch.example'>"
    assert ns.members == {"a": 1}
    assert ns.members is ns.members
    assert type(ns) is Namespace and calls == [1]


def test_load_all_builds_every_lazy_namespace():
    out = subprocess.run([sys.executable, "-c", (
        "import json\nfrom adcli.lang import names\n"
        "lazy = [n for n in (names.NN, names.AUTOGRAD, names.OPTIM, names.FUNC,\n"
        "        names.UTILS.members['data'], *names.IMPORT_MODULES.values())\n"
        "        if type(n).__name__ != 'CudnnModule']  # a plain object, built at import\n"
        "before = [type(n).__name__ for n in lazy]\n"
        "names.load_all()\n"
        "print(json.dumps([before, [type(n).__name__ for n in lazy]]))")],
        capture_output=True, text=True, check=True).stdout
    before, after = json.loads(out)
    assert set(before) == {"LazyNamespace"}
    assert set(after) == {"Namespace"}


def test_the_lazy_members_are_torchs():
    from adcli.lang import names

    assert {"Linear", "Module", "Sequential", "functional", "init", "utils"} <= set(
        names.NN.members)
    assert {"SGD", "Adam", "lr_scheduler"} <= set(names.OPTIM.members)
    assert {"grad", "backward", "Function", "forward_ad", "functional", "Variable"} <= set(
        names.AUTOGRAD.members)
    assert {"DataLoader", "TensorDataset"} <= set(names.UTILS.members["data"].members)
    assert {"grad", "vmap", "jacrev"} <= set(names.FUNC.members)
    assert names.GLOBALS["Variable"] is names.AUTOGRAD.members["Variable"]
