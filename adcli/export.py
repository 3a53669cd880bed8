"""``adcli run --to md|html|ipynb OUT``: the executed material, cells with their outputs.

A ``Recorder`` collects, while a file runs, each cell's source (from the run's cell
callback, the one ``--echo`` uses) and what it wrote to stdout and stderr; ``write``
turns that into

* ``ipynb``: a notebook (nbformat 4, validated with ``nbformat.validate``): a code cell
  per cell, its stdout and stderr as stream outputs, execution counts 1, 2, ...;
* ``md``: Markdown: each cell's source in a fenced code block, its stdout in a ``text``
  block, its stderr in another one marked ``stderr``;
* ``html``: one self-contained page (inline style, no script, nothing fetched).

A ``.py`` program is one cell; a notebook's code cells are its cells (markdown cells are
not run, and not exported).
"""

from __future__ import annotations

import html
import os

FORMATS = ("md", "html", "ipynb")
LANGUAGE = {"adc": "python", "py": "python", "ipynb": "python"}


class Cell:
    __slots__ = ("source", "outputs")

    def __init__(self, source: str | None) -> None:
        self.source = source  # None: what was written before the first cell
        self.outputs: list[list[str]] = []  # [stream, text], consecutive writes merged

    def add(self, stream: str, text: str) -> None:
        if self.outputs and self.outputs[-1][0] == stream:
            self.outputs[-1][1] += text
        else:
            self.outputs.append([stream, text])

    def text(self, stream: str) -> str:
        return "".join(t for s, t in self.outputs if s == stream)


class Recorder:
    """What one file's run wrote, cell by cell."""

    def __init__(self) -> None:
        self.cells: list[Cell] = [Cell(None)]

    def start(self, source: str) -> None:
        self.cells.append(Cell(_strip_blank(source)))

    def out(self, text: str) -> None:
        self.cells[-1].add("stdout", text)

    def err(self, text: str) -> None:
        self.cells[-1].add("stderr", text)

    def shown(self) -> list[Cell]:
        """The cells, the one before the first cell only when something was written."""
        first, rest = self.cells[0], self.cells[1:]
        return ([first] if first.outputs else []) + rest


def _strip_blank(source: str) -> str:
    lines = source.rstrip().split("\n")
    while len(lines) > 1 and not lines[0].strip():
        del lines[0]
    return "\n".join(lines)


def output_path(out: str, path: str, fmt: str, several: bool) -> str:
    """Where a file's export goes: ``out`` itself for one file (unless it is a directory),
    else ``out/NAME.FMT``."""
    if several or os.path.isdir(out):
        stem = os.path.splitext(os.path.basename(path))[0] if path != "-" else "stdin"
        return os.path.join(out, f"{stem}.{fmt}")
    return out


def render(fmt: str, cells: list[Cell], title: str, kind: str) -> str:
    return {"md": to_markdown, "html": to_html, "ipynb": to_ipynb}[fmt](cells, title, kind)


def write(fmt: str, target: str, cells: list[Cell], title: str, kind: str) -> None:
    """Write the export (raises OSError when it cannot be written)."""
    text = render(fmt, cells, title, kind)
    folder = os.path.dirname(target)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with open(target, "w", encoding="utf-8") as fh:
        fh.write(text)


def to_ipynb(cells: list[Cell], title: str, kind: str) -> str:
    import nbformat
    from nbformat import v4

    nb = v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["adcli"] = {"source": title, "kind": kind}
    count = 0
    for cell in cells:
        outputs = [v4.new_output("stream", name=stream, text=text)
                   for stream, text in cell.outputs]
        if cell.source is None:
            nb.cells.append(v4.new_raw_cell("".join(t for _s, t in cell.outputs)))
            continue
        count += 1
        nb.cells.append(v4.new_code_cell(cell.source, execution_count=count,
                                         outputs=outputs))
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def _fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in ``text``."""
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def to_markdown(cells: list[Cell], title: str, kind: str) -> str:
    parts = [f"# {title}\n"]
    for cell in cells:
        if cell.source is not None:
            fence = _fence(cell.source)
            parts.append(f"{fence}{LANGUAGE.get(kind, '')}\n{cell.source}\n{fence}\n")
        for stream in ("stdout", "stderr"):
            text = cell.text(stream)
            if text:
                fence = _fence(text)
                label = "text" if stream == "stdout" else "text stderr"
                parts.append(f"{fence}{label}\n{text.rstrip(chr(10))}\n{fence}\n")
    return "\n".join(parts)


_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #1b1b1b; }
pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9rem;
      padding: 0.6rem 0.8rem; margin: 0; white-space: pre-wrap; overflow-x: auto; }
.cell { margin: 1rem 0; border-left: 3px solid #9ab; }
.prompt { color: #678; font-size: 0.8rem; padding: 0.2rem 0.8rem 0; }
.source { background: #f4f6f8; }
.stdout { background: #fff; }
.stderr { background: #fdecec; color: #8a1f11; }
"""


def to_html(cells: list[Cell], title: str, kind: str) -> str:
    body = []
    count = 0
    for cell in cells:
        parts = []
        if cell.source is not None:
            count += 1
            parts.append(f'<div class="prompt">In [{count}]:</div>')
            parts.append(f'<pre class="source"><code>{html.escape(cell.source)}</code></pre>')
        for stream, text in cell.outputs:
            parts.append(f'<pre class="{stream}">{html.escape(text.rstrip(chr(10)))}</pre>')
        body.append('<div class="cell">\n' + "\n".join(parts) + "\n</div>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
            f"<body>\n<h1>{html.escape(title)}</h1>\n" + "\n".join(body)
            + "\n</body>\n</html>\n")
