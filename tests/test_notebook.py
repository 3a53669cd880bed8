"""Reading notebooks: nbformat's versions, code cells only, IPython's extras blanked, and
clear errors that quote nothing of the file."""

from __future__ import annotations

import glob
import json
import os

import pytest

from adcli.notebook import NotebookError, read_notebook, skip_note

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = sorted(glob.glob(os.path.join(ROOT, "samples", "python", "notebooks", "*.ipynb")))


def notebook(*cells: tuple[str, str], major: int = 4) -> bytes:
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.v4.new_notebook()
    for kind, source in cells:
        make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
        nb.cells.append(make(source))
    if major != 4:
        nb = nbformat.convert(nb, major)
    return nbformat.writes(nb, version=major).encode()


def test_code_cells_in_order_markdown_skipped():
    data = notebook(("markdown", "# Title"), ("code", "x = 1"), ("markdown", "text"),
                    ("code", "x + 1"))
    cells, skipped = read_notebook(data)
    assert [(c.number, c.source) for c in cells] == [(1, "x = 1"), (2, "x + 1")]
    assert skipped == 0 and skip_note(0) == ""


@pytest.mark.parametrize("major", [3, 4])
def test_every_version_that_jupyter_writes(major):
    data = notebook(("markdown", "# T"), ("code", "a = 2\nprint(a)"), major=major)
    assert json.loads(data)["nbformat"] == major
    cells, _ = read_notebook(data)
    assert [c.source for c in cells] == ["a = 2\nprint(a)"]


def test_magics_and_shell_lines_are_blanked_keeping_line_numbers():
    data = notebook(("code", "%matplotlib inline\nx = 1\n!pip install torch\n  %notmagic"),
                    ("code", "%%time\ny = 2"))
    cells, skipped = read_notebook(data)
    assert cells[0].source == "\nx = 1\n\n  %notmagic"  # only at column 0, as IPython
    assert cells[1].source == "\ny = 2"
    assert skipped == 3
    assert skip_note(skipped) == "adcli: skipped 3 IPython magic/shell line(s)\n"


@pytest.mark.parametrize("source, quiet", [
    ("x = 1\nx;", True), ("x; # hidden", True), ("x", False), ("x;\ny", False),
    ("f(';')", False), ("", False),
])
def test_a_trailing_semicolon_hides_the_value(source, quiet):
    cells, _ = read_notebook(notebook(("code", source)))
    assert cells[0].quiet is quiet


@pytest.mark.parametrize("path", CORPUS, ids=os.path.basename)
def test_the_corpus_reads_as_the_reference_tool_reads_it(path):
    # tools/gen_py_references.py is the independent emulator that recorded the references
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "gen_py_references", os.path.join(ROOT, "tools", "gen_py_references.py"))
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    expected, expected_skipped = tool.notebook_code_cells(path)
    with open(path, "rb") as fh:
        cells, skipped = read_notebook(fh.read())
    assert [c.source.rstrip("\n") for c in cells] == [e.rstrip("\n") for e in expected]
    assert skipped == expected_skipped


SECRET = "s3cr3t-token"


@pytest.mark.parametrize("data, words", [
    (b'{"nbformat": 4, "cells": [' + SECRET.encode(), "not valid JSON at line 1, column"),
    (("[" * 100_000).encode(), "nests too deeply"),
    (b'{"cells": []}', "no 'nbformat' version"),
    (b'["' + SECRET.encode() + b'"]', "no 'nbformat' version"),
    (b'{"nbformat": 9, "cells": []}', "format 9"),
    (b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": "' + SECRET.encode()
     + b'"}', "no list of cells"),
    (b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"source": "'
     + SECRET.encode() + b'"}]}', "cell 1 is not a cell"),
    (b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code",'
     b' "source": 7}]}', "cell 1: its source is not text"),
    (b'\xff\xfe' + SECRET.encode(), "not UTF-8"),
    (b'{"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "code", "source": "x",'
     b' "outputs": "' + SECRET.encode() + b'"}]}', "not a valid version 4 notebook"),
])
def test_broken_notebooks_are_clear_errors_that_quote_nothing(data, words, capfd):
    with pytest.raises(NotebookError) as info:
        read_notebook(data)
    assert words in str(info.value)
    assert SECRET not in str(info.value)
    out, err = capfd.readouterr()
    assert out == err == ""  # nothing logged by the reader


def test_the_input_bound_holds_before_parsing():
    with pytest.raises(NotebookError, match="larger than 100 bytes"):
        read_notebook(b" " * 101, max_bytes=100)
