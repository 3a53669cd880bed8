"""The grammar ships in the wheel: build it, install it into a fresh venv, run `adcli`.

Slow (it builds a wheel and installs numpy & co. into a new venv), so it is marked
`slow`; CI runs it.
"""

import os
import subprocess
import sys
import venv

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.slow
def test_installed_wheel_runs_a_seed_from_another_directory(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    ROOT], check=True, timeout=600)
    (wheel,) = dist.glob("adcli-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True, timeout=900)
    seed = os.path.join(ROOT, "samples", "seeds", "seed_004_variables_gradients.adc")
    work = tmp_path / "elsewhere"
    work.mkdir()
    proc = subprocess.run([str(env_dir / "bin" / "adcli"), "run", seed], cwd=work,
                          capture_output=True, text=True, timeout=120, check=False)
    assert "tensor([10., 10.])" in proc.stdout, proc.stderr
    grammar = subprocess.run(
        [str(py), "-c", "from adcli.lang import tables; print(tables.grammar_path())"],
        cwd=work, capture_output=True, text=True, check=True).stdout.strip()
    assert grammar.startswith(str(env_dir)) and os.path.exists(grammar)
