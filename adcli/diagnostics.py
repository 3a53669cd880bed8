"""Error reports for people: ``FILE:LINE:COL: Kind: message``, the source line, a caret."""

from __future__ import annotations

import re

_LINE_BREAK = r"\r\n|\r|\n"  # compiled by re on first use, not at start-up


def source_lines(text: str) -> list[str]:
    """The lines of a source text, split only where Python splits them (LF, CRLF, CR)."""
    return re.split(_LINE_BREAK, text)


def _escape(ch: str) -> str:
    if ch == "\t":
        return " "
    if ch.isprintable():
        return ch
    code = ord(ch)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def show_line(line: str, col: int) -> tuple[str, int]:
    """The line with unprintable characters escaped, and where column ``col`` moved to."""
    out, new_col = [], 1
    for i, ch in enumerate(line.rstrip("\r\n")):
        if i + 1 == col:
            new_col = len("".join(out)) + 1
        out.append(_escape(ch))
    text = "".join(out)
    if col > len(line.rstrip("\r\n")):
        new_col = len(text) + 1
    return text, new_col


def format_diagnostic(filename: str, lines: list[str], pos, kind: str, message: str) -> str:
    """Where an error happened, as a compiler would say it, with the line and a caret."""
    if not pos:
        return f"{filename}: {kind}: {message}\n"
    line_no, col = pos
    head = f"{filename}:{line_no}:{col}: {kind}: {message}\n"
    if not 1 <= line_no <= len(lines):
        return head
    line = lines[line_no - 1]
    cut = max(0, col - 101)  # escape only a window of a very long line
    text, caret = show_line(line[cut:col + 100], col - cut)
    start = max(0, caret - 100) if len(text) > 200 else 0
    if cut or start:  # keep a window around the caret on very long lines
        text = "..." + text[start:start + 200]
        caret = caret - start + 3
    return f"{head}    {text}\n    {' ' * (caret - 1)}^\n"
