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
_THREAD_BASELINE = {v: os.environ.get(v) for v in _THREAD_VARS}  # as the session started


def _restore_thread_settings() -> None:
    from adcli.engine import cpu_kernels

    for var, value in _THREAD_BASELINE.items():
        if value is None:
            os.environ.pop(var, None)
        else:
            os.environ[var] = value
    cpu_kernels.SUM_THREADS[0] = None  # read again from the restored variables


@pytest.fixture(autouse=True)
def _thread_settings_stay_the_sessions():
    """`adcli check` sets the thread variables for its grading pool (os.environ.setdefault),
    and the engine reads OMP_NUM_THREADS once for torch's summation order; run in-process
    (CliRunner, often from a module-scoped fixture), that would change the sums of every
    later test. Each test starts and ends with the session's own settings."""
    _restore_thread_settings()
    yield
    _restore_thread_settings()
