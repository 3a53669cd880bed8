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
