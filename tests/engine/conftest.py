"""Fixtures for the engine tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def warnings_seen(monkeypatch):
    """Collect what the engine reports through its warning hook."""
    from adcli.engine import tensor

    seen: list[str] = []
    # the hook also gets torch's line (site) for a warning raised in torch's own code
    monkeypatch.setattr(tensor, "emit_warning", lambda message, site=None: seen.append(message))
    return seen
