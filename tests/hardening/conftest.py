"""Every hardening test runs in an empty directory that must still be empty afterwards,
and leaves the process-wide bounds as it found them."""

import os

import pytest

from adcli import limits


@pytest.fixture(autouse=True)
def empty_cwd(tmp_path, monkeypatch):
    """Run in an empty directory; fail if the test's adcli run left any file in it."""
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    yield work
    left = sorted(os.listdir(work))
    assert not left, f"files were created: {left}"


@pytest.fixture(autouse=True)
def restore_bounds():
    """A Session installs its bounds process-wide; put back the ones in force before."""
    before = limits.current()
    yield
    limits.install(before)
