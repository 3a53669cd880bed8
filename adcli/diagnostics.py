"""Error reports for people: ``FILE:LINE:COL: Kind: message``, the source line, a caret."""

from __future__ import annotations

import re

_LINE_BREAK = r"\r\n|\r|\n"  # compiled by re on first use, not at start-up


def source_lines(text: str) -> list[str]:
    """The lines of a source text, split only where Python splits them (LF, CRLF, CR)."""
    return re.split(_LINE_BREAK, text)


MESSAGE_CAP = 2048  # characters of one message or value shown in any report


def _escape(ch: str, tab: str = " ") -> str:
    if ch == "\t":
        return tab
    if ch.isprintable():
        return ch
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` safe to show on a terminal or in a report: every unprintable character
    (control and escape sequences, newlines, tabs, zero-width and bidi marks, lone
    surrogates) is written as ``\\x1b``, ``\\x0a``, ``\\t``, ``\\u200b``, ...; a byte that
    was not UTF-8 in a file name (``os.fsdecode``'s surrogate escape) is ``\\xff``.

    This is the one escaping helper: diagnostics, reports, headers and titles all use it.
    It never interprets anything, so rich markup in the result must still be shown with
    ``rich.text.Text``, not parsed as markup.
    """
    if text.isprintable():
        return text
    return "".join([_escape(ch, "\\t") for ch in text])


def printable_lines(text: str) -> str:
    """A message of several lines as Python prints it: its newlines and tabs kept, every
    other unprintable character escaped as ``printable`` does."""
    return "\n".join("\t".join(printable(part) for part in line.split("\t"))
                     for line in text.split("\n"))


def show_path(path: str | bytes) -> str:
    """A file name as it may be shown: decoded as the OS would, unprintables escaped."""
    import os

    return printable(os.fsdecode(path))


def shorten(text: str, cap: int = MESSAGE_CAP) -> str:
    """``text`` cut to ``cap`` characters, saying how many more there were."""
    if len(text) <= cap:
        return text
    return f"{text[:cap]}… ({len(text) - cap:,} more characters)"


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
    filename = show_path(filename)
    message = "\n".join(printable(m) for m in shorten(message).split("\n"))
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
