"""Shared fixtures; tests marked `torch` skip cleanly when PyTorch is not installed."""

import importlib.util
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HAS_TORCH = importlib.util.find_spec("torch") is not None


def pytest_collection_modifyitems(config, items):
    if HAS_TORCH:
        return
    skip = pytest.mark.skip(reason="needs PyTorch 2.13 (pip install torch==2.13.0)")
    for item in items:
        if "torch" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def root():
    return ROOT


@pytest.fixture
def adcli_cmd():
    """The installed `adcli` command next to this Python, or skip."""
    exe = os.path.join(os.path.dirname(sys.executable), "adcli")
    if not os.path.exists(exe):
        pytest.skip("the adcli command is not installed in this environment")
    return exe


_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@pytest.fixture(autouse=True)
def _thread_settings_stay_the_tests_own():
    """`adcli check` sets the thread variables for its grading pool (os.environ.setdefault),
    and the engine reads OMP_NUM_THREADS once for torch's summation order; run in-process
    (CliRunner), that would change every later test's sums. Each test gets the process's
    own settings back."""
    from adcli.engine import cpu_kernels

    saved = {v: os.environ.get(v) for v in _THREAD_VARS}
    threads = cpu_kernels.SUM_THREADS[0]
    yield
    for var, value in saved.items():
        if value is None:
            os.environ.pop(var, None)
        else:
            os.environ[var] = value
    cpu_kernels.SUM_THREADS[0] = threads
