"""Malformed text: each gets an error with line and column, the line and a caret.

Text-level cases run in-process (as ``adcli run`` runs a decoded file); byte-level cases
(NUL, invalid UTF-8, BOM, CRLF) go through ``adcli run -`` so that the decoding is tested
too. Unprintable characters are escaped in the diagnostic, so a script cannot write
terminal control sequences into a grader's terminal.
"""

import pytest
from click.testing import CliRunner

from adcli.cli.main import cli

from .harness import assert_no_leak, assert_rejected, run_script

# (id, source, (line, col), words in the message)
SYNTAX_ERRORS = [
    ("nul-byte", "x = 1\ny = \x002\n", (2, 5), "NUL"),
    ("terminal-escape", "x = 1\x1b[2J\n", (1, 6), "U+001B"),
    ("zero-width-space", "x\u200b = 1\n", (1, 2), "U+200B"),
    ("bom-inside-the-text", "x = 1\n\ufeffy = 2\n", (2, 1), "U+FEFF"),
    ("lone-surrogate", "x = \udcff\n", (1, 5), "U+DCFF"),
    ("emoji", "x = \U0001F600\n", (1, 5), "U+1F600"),
    ("arabic-indic-digits", "x = \u0661\u0662\n", (1, 5), "ASCII digit"),
    ("fullwidth-digit", "x = \uff11 + 1\n", (1, 5), "ASCII digit"),
    ("devanagari-digit-in-a-name", "x\u0967 = 1\n", (1, 2), "ASCII digit"),
    ("tabs-then-spaces", "if 1:\n\tx = 1\n        y = 2\n", (3, 1), "indentation"),
    ("spaces-then-tabs", "if 1:\n        x = 1\n\ty = 2\n", (3, 1), "indentation"),
    ("dedent-to-a-new-column", "if 1:\n        x = 1\n    y = 2\n", (3, 10), "indentation"),
    ("unexpected-indent", "x = 1\n    y = 2\n", (2, 4), "indent"),
    ("missing-block", "if 1:\nx = 1\n", (2, 1), "indented block"),
    ("missing-final-newline", "x = (1 +", (1, 5), "never closed"),
    ("unclosed-bracket-at-end", "x = [1, 2\n", (1, 5), "never closed"),
    ("unclosed-bracket-then-more", "x = [1, 2\ny = 3\n", (1, 5), "never closed"),
    ("unclosed-call", "print(1,\n", (1, 6), "never closed"),
    ("mismatched-bracket", "x = (1]\n", (1, 7), "does not match"),
    ("unmatched-close", "x = 1)\n", (1, 6), "unmatched"),
    ("unterminated-string", "print('abc)\n", (1, 7), "unterminated string"),
    ("unterminated-double-quoted", 'x = "abc\n', (1, 5), "unterminated string"),
    ("triple-quotes", 'x = """abc\n', (1, 5), "unterminated triple-quoted string"),
    ("huge-integer-literal", "x = " + "9" * 5000 + "\n", (1, 5), "5000 digits"),
    ("leading-zeros", "x = 0777\n", (1, 5), "leading zeros"),
    ("hex-literal", "x = 0x\n", (1, 6), "'x'"),
    ("backslash-at-end", "x = 1 \\", (1, 6), "end of input"),
    ("block-missing-at-end", "if 1:", (1, 6), "indented block"),
    ("crlf-with-error", "x = 1\r\nif x:\r\n    y = 2 +\r\n", (3, 12), "end of line"),
    ("error-in-a-later-cell", "# %%\nx = 1\n# %%\ny = x +* 2\n", (4, 8), "'*'"),
    ("internal-rule-names-hidden", "f = lambda x\n", (1, 13), "expected ':'"),
]


# CPython 3.11's subclasses of SyntaxError for indentation errors (checked with python)
KINDS = {"tabs-then-spaces": "TabError", "spaces-then-tabs": "TabError",
         "dedent-to-a-new-column": "IndentationError", "unexpected-indent": "IndentationError",
         "missing-block": "IndentationError", "block-missing-at-end": "IndentationError"}


@pytest.mark.parametrize("case, source, pos, words", SYNTAX_ERRORS,
                         ids=[c[0] for c in SYNTAX_ERRORS])
def test_malformed_text_is_a_syntax_error_with_a_caret(case, source, pos, words):
    o = run_script(source)
    assert_rejected(o, KINDS.get(case, "SyntaxError"), pos, words)
    assert "__" not in str(o.error)  # no grammar-internal names in a message


def test_unprintable_characters_are_escaped_under_the_caret():
    o = run_script("x = 1\x1b[2J\n")
    assert "\x1b" not in o.err and "\x1b" not in o.out
    shown = o.err.splitlines()
    assert shown[1] == "    x = 1\\x1b[2J" and shown[2] == "         ^"


# accepted text: (id, source, transcript)
ACCEPTED = [
    ("crlf", "x = 1\r\nif x:\r\n    y = 2\r\nprint(y)\r\n", "2\n"),
    ("lone-cr-line-ends", "x = 1\ry = 2\rprint(x + y)\r", "3\n"),
    ("form-feed-is-whitespace", "x = 1\x0cprint(x)\n".replace("\x0cprint", "\x0c\nprint"),
     "1\n"),
    ("line-separator-inside-a-string", "print(len('a\u2028b'))\n", "3\n"),
    ("no-final-newline", "x = 1\nx", "1\n"),
    ("only-a-comment", "# nothing", ""),
    ("empty", "", ""),
    ("huge-float-literal", "print(1e999999)\n", "inf\n"),
    ("huge-exponent", "print(1e" + "9" * 100000 + ")\n", "inf\n"),
    ("long-mantissa", "print(" + "1" * 100000 + ".5)\n", "inf\n"),
    ("a-long-comparison-chain", " < ".join(["1"] * 100000) + "\n", "False\n"),
    ("a-long-argument-list", "print(len([" + ", ".join(["1"] * 100000) + "]))\n", "100000\n"),
    ("many-cells", "# %%\nx = 1\n" * 20000 + "# %%\nprint(x)\n", "1\n"),
]


@pytest.mark.parametrize("source, transcript", [c[1:] for c in ACCEPTED],
                         ids=[c[0] for c in ACCEPTED])
def test_odd_but_valid_text_runs(source, transcript):
    o = run_script(source)
    assert_no_leak(o)
    assert not o.errors, o.err
    assert o.out == transcript
    assert o.elapsed < 15.0, o.elapsed  # a guard against quadratic blow-ups, not a speed test


def run_bytes(data: bytes):
    return CliRunner().invoke(cli, ["run", "-"], input=data, env={"NO_COLOR": "1"})


def test_invalid_utf8_names_the_byte_offset():
    r = run_bytes(b"x = 1\ny = '\xff'\n")
    assert r.exit_code == 1
    assert "byte offset 11" in r.stdout
    assert "<stdin>:2:6: SyntaxError" in r.stderr
    assert "Traceback" not in r.output


def test_invalid_utf8_after_multibyte_characters_counts_columns_in_characters():
    r = run_bytes("print('é')\nz = 'ü".encode() + b"\xc3(\n")
    assert r.exit_code == 1
    assert "byte offset 19" in r.stdout
    assert "<stdin>:2:7: SyntaxError" in r.stderr


def test_overlong_and_surrogate_encodings_are_invalid_utf8():
    r = run_bytes(b"x = '\xed\xa0\x80'\n")  # a UTF-16 surrogate, encoded as UTF-8
    assert r.exit_code == 1
    assert "byte offset 5" in r.stdout and "<stdin>:1:6:" in r.stderr


def test_a_bom_is_dropped_and_columns_stay_right():
    r = run_bytes(b"\xef\xbb\xbfx = 1\nprint(x)\n# %%\ny = )\n")
    assert r.stdout == "1\nSyntaxError: unmatched ')'\n"
    assert "<stdin>:4:5: SyntaxError" in r.stderr


def test_a_nul_byte_in_a_file():
    r = run_bytes(b"print(1)\n# %%\nx = '\x00'\n")
    assert r.exit_code == 1
    assert r.stdout == "1\nSyntaxError: the source contains a NUL byte\n"
    assert "<stdin>:3:6: SyntaxError" in r.stderr and "\\x00" in r.stderr
    assert "\x00" not in r.stderr
