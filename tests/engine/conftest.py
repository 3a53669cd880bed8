"""Fixtures for the engine tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def warnings_seen(monkeypatch):
    """Collect what the engine reports through its warning hook."""
    from adcli.engine import tensor

    seen: list[str] = []
    monkeypatch.setattr(tensor, "emit_warning", seen.append)
    return seen
