"""The docs stay true: the function table is generated from the name table, and every
name the table lists exists in the engine."""

import os
import subprocess
import sys

from adcli.lang import names

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_every_listed_name_exists_in_the_engine():
    assert names.missing_names() == []


def test_functions_doc_is_current():
    proc = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen_functions_doc.py"),
                           "--check"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_readme_links_resolve():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as fh:
        readme = fh.read()
    for target in ("docs/language.md", "docs/functions.md", "docs/differences.md",
                   "docs/ARCHITECTURE.md"):
        assert target in readme
        assert os.path.exists(os.path.join(ROOT, target))
