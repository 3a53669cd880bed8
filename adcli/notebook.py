"""Jupyter notebooks as adcli reads them: the code cells, in order, without IPython's extras.

A notebook is read with ``nbformat`` (the Jupyter project's own reader, imported only when
a notebook is read), so every version that Jupyter writes is converted to version 4; the
JSON is decoded first by adcli, so that a broken file gets a position and no quote.
Markdown and raw cells are skipped. In a code cell, a line whose first character is
``%`` (a line or cell magic such as ``%matplotlib inline`` or ``%%time``) or ``!`` (a
shell command) is blanked, so line numbers stay those of the cell; ``skip_note`` says
how many were skipped, once per notebook. A cell whose last line ends in ``;`` hides its
value, as in Jupyter.

Nothing here runs code: ``read_notebook`` turns bytes into ``CodeCell``s, or raises
``NotebookError`` with a message that names what is wrong and quotes nothing of the file.
"""

from __future__ import annotations

from dataclasses import dataclass

MAGIC_PREFIXES = ("%", "!")


class NotebookError(Exception):
    """The bytes are not a notebook that adcli can read (a usage error: exit status 2)."""


@dataclass(frozen=True)
class CodeCell:
    """One code cell: its number among the code cells (1-based, as Jupyter's ``In [n]``),
    its source with magics blanked, whether a trailing ``;`` hides its value, and whether
    it is tagged ``raises-exception`` (Jupyter Book's and nbval's tag: the cell is meant
    to raise an error)."""

    number: int
    source: str
    quiet: bool = False
    raises: bool = False


RAISES_TAG = "raises-exception"


def _tagged_raises(cell: dict) -> bool:
    metadata = cell.get("metadata")
    tags = metadata.get("tags") if isinstance(metadata, dict) else None
    return isinstance(tags, list) and RAISES_TAG in tags


def skip_note(skipped: int) -> str:
    """The one note on stderr about skipped IPython lines (empty when there were none)."""
    return f"adcli: skipped {skipped} IPython magic/shell line(s)\n" if skipped else ""


def _strip_magics(source: str) -> tuple[str, int]:
    from adcli.diagnostics import source_lines

    lines = source_lines(source)
    skipped = 0
    for i, line in enumerate(lines):
        if line.startswith(MAGIC_PREFIXES):
            lines[i] = ""
            skipped += 1
    return "\n".join(lines), skipped


def _ends_quietly(source: str) -> bool:
    """Jupyter hides the value of a cell whose last code line ends with ``;``."""
    for line in reversed(source.split("\n")):
        code = line.split("#", 1)[0].rstrip() if "#" in line else line.rstrip()
        if code:
            return code.endswith(";")
    return False


def read_notebook(data: bytes, max_bytes: int = 0) -> tuple[list[CodeCell], int]:
    """The code cells of a notebook and how many magic/shell lines were skipped.

    ``max_bytes`` (0: no bound) bounds the file, as ``--max-input-bytes`` bounds a script.
    """
    if max_bytes and len(data) > max_bytes:
        raise NotebookError(
            f"the notebook is larger than {max_bytes:,} bytes (raise the bound with "
            "--max-input-bytes or ADCLI_MAX_INPUT_BYTES)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NotebookError(f"not UTF-8 text (byte offset {exc.start})") from None
    import json

    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(
            f"not a notebook: not valid JSON at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise NotebookError("not a notebook: its JSON nests too deeply") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("nbformat"), int):
        raise NotebookError("not a notebook: no 'nbformat' version number")
    if raw["nbformat"] == 4:
        _check_cells(raw.get("cells"))
    nb = _as_version_4(raw, text)
    cells = nb.get("cells")
    _check_cells(cells)
    out: list[CodeCell] = []
    skipped = 0
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        source, n = _strip_magics(source)
        skipped += n
        out.append(CodeCell(len(out) + 1, source, _ends_quietly(source),
                            _tagged_raises(cell)))
    return out, skipped


def _check_cells(cells: object) -> None:
    """What adcli needs of the cells: dicts with a cell type and text as their source."""
    if not isinstance(cells, list):
        raise NotebookError("not a notebook: no list of cells")
    for index, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or not isinstance(cell.get("cell_type"), str):
            raise NotebookError(f"cell {index} is not a cell (no cell_type)")
        source = cell.get("source", "")
        if not (isinstance(source, str)
                or isinstance(source, list) and all(isinstance(s, str) for s in source)):
            raise NotebookError(f"cell {index}: its source is not text")


def _as_version_4(raw: dict, text: str) -> dict:
    """The notebook as nbformat reads it, converted to format 4 (older versions too)."""
    major = raw["nbformat"]
    if major not in (1, 2, 3, 4):
        raise NotebookError(f"notebook format {major} is not one that Jupyter writes (1 to 4)")
    import nbformat

    try:
        return nbformat.convert(nbformat.reader.reads(text), 4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds on bad input
        where = getattr(exc, "absolute_path", None)  # a validation error: the failing key
        at = ""
        if where:
            from adcli.diagnostics import printable, shorten

            at = " at " + printable(shorten("/".join(str(k) for k in where), 200))
        raise NotebookError(
            f"not a valid version {major} notebook ({type(exc).__name__}{at})"
        ) from None
