"""Parse adcli source into a syntax tree: a lexer, an indenter and an LALR driver.

The tables come from lark (see ``tables.py``); this module runs them without importing
lark, so a one-liner starts fast. Everything here is iterative: the LALR stack is a
list, so ``(`` × 20000 costs memory, not Python recursion, and the tree builder caps the
nesting depth of what it builds.
"""

from __future__ import annotations

import re
import unicodedata

from adcli.errors import AdcliSyntaxError, LimitError
from adcli.lang import ast as A
from adcli.lang import tables as _tables_mod

_OPEN = {"LPAR": "RPAR", "LSQB": "RSQB", "LBRACE": "RBRACE"}
_CLOSE = {"RPAR": "LPAR", "RSQB": "LSQB", "RBRACE": "LBRACE"}
_SHOW = {
    "LPAR": "'('", "RPAR": "')'", "LSQB": "'['", "RSQB": "']'", "COLON": "':'",
    "COMMA": "','", "DOT": "'.'", "EQUAL": "'='", "SEMICOLON": "';'", "NAME": "a name",
    "NUMBER": "a number", "STRING": "a string", "_NEWLINE": "end of line",
    "_INDENT": "an indented block", "_DEDENT": "end of the indented block",
    "$END": "end of input", "ADD_OP": "'+' or '-'", "MUL_OP": "an operator",
    "POW_OP": "'**'", "COMP_OP": "a comparison", "AUGASSIGN": "'+=' and friends",
    "LBRACE": "'{'", "RBRACE": "'}'", "STAR": "'*'", "SLASH": "'/'", "AT": "'@'",
    "VBAR": "'|'", "AMPER": "'&'", "CIRCUMFLEX": "'^'", "TILDE": "'~'", "SHIFT_OP": "'<<' or '>>'",
}
_NEVER_CLOSED = " was never closed"
# statements that start with an expression sit where their text starts, as in CPython
_AT_START = frozenset({"expr_stmt", "assign", "augassign", "annassign"})
_NOT_IN_LANGUAGE = {
    "async": "`async` is not part of the language",
    "await": "`await` is not part of the language",
}


class AdcliIndentationError(AdcliSyntaxError):
    """A parse error in the indentation, reported under CPython's name for it."""

    kind = "IndentationError"


class AdcliTabError(AdcliIndentationError):
    kind = "TabError"


class Token:
    __slots__ = ("type", "value", "line", "col")

    def __init__(self, type_: str, value: str, line: int, col: int) -> None:
        self.type = type_
        self.value = value
        self.line = line
        self.col = col

    def __repr__(self) -> str:
        return f"Token({self.type}, {self.value!r}, {self.line}:{self.col})"


class _Inline(list):
    """Children of a ``_rule`` that the parent splices into its own children."""

    __slots__ = ()


class _Grammar:
    """The loaded tables, compiled once per process."""

    def __init__(self) -> None:
        t = _tables_mod.load()
        self.master = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in t["terminals"]))
        self.keywords = t["keywords"]
        self.ignore = frozenset(t["ignore"])
        self.rules = t["rules"]
        self.states = t["states"]
        self.start_states = t["start_states"]
        self.end_states = t["end_states"]


_grammar: _Grammar | None = None


def _get_grammar() -> _Grammar:
    global _grammar
    if _grammar is None:
        _grammar = _Grammar()
    return _grammar


def _describe_char(ch: str) -> str:
    return f"{ch!r} (U+{ord(ch):04X})"


_TRIPLE = ("'" * 3, '"' * 3)


def _unterminated(text: str, pos: int, line: int, line_start: int) -> AdcliSyntaxError:
    """Python's error for a string that does not end, at its prefix (``f'``, ``rb"``)."""
    start = pos
    while start > line_start and text[start - 1] in "rRbBfFuU":
        start -= 1
    if start > line_start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        start = pos
    col = start - line_start + 1
    if text.startswith(_TRIPLE, pos):
        return AdcliSyntaxError(
            f"unterminated triple-quoted string literal (detected at line "
            f"{line + text.count(chr(10), pos) - 1})", pos=(line, col))
    return AdcliSyntaxError(f"unterminated string literal (detected at line {line})",
                            pos=(line, col))


# what may follow a number with no space between in CPython 3.11 (with a warning)
_AFTER_NUMBER_KEYWORDS = ("and", "else", "for", "if", "in", "is", "not", "or")


def _identifier_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _number_error(text: str, start: int, end: int, line: int, line_start: int):
    """CPython's error for a number run into a letter (``1abc``, ``0xg``, ``0o8``,
    ``1jk``), or None when what follows may follow a number (``1if x else 2``)."""
    if end >= len(text) or not _identifier_char(text[end]):
        return None
    rest = text[end:end + 4]
    for kw in _AFTER_NUMBER_KEYWORDS:
        if rest.startswith(kw) and not _identifier_char(text[end + len(kw):end + len(kw) + 1]):
            return None
    number = text[start:end]
    col = start - line_start + 1
    head = text[start:start + 2].lower()
    if number == "0" and head in ("0x", "0o", "0b"):
        digit = text[start + 2:start + 3]
        if head == "0o" and digit.isdigit():
            return AdcliSyntaxError(f"invalid digit '{digit}' in octal literal",
                                    pos=(line, col + 2))
        if head == "0b" and digit.isdigit():
            return AdcliSyntaxError(f"invalid digit '{digit}' in binary literal",
                                    pos=(line, col + 2))
        what = {"0x": "hexadecimal", "0o": "octal", "0b": "binary"}[head]
        return AdcliSyntaxError(f"invalid {what} literal", pos=(line, col + 1))
    if head in ("0x", "0o", "0b"):
        what = {"0x": "hexadecimal", "0o": "octal", "0b": "binary"}[head]
        ch = text[end]
        if head == "0o" and ch.isdigit():
            return AdcliSyntaxError(f"invalid digit '{ch}' in octal literal",
                                    pos=(line, end - line_start + 1))
        if head == "0b" and ch.isdigit():
            return AdcliSyntaxError(f"invalid digit '{ch}' in binary literal",
                                    pos=(line, end - line_start + 1))
        return AdcliSyntaxError(f"invalid {what} literal", pos=(line, end - line_start))
    if number[-1] in "jJ":
        return AdcliSyntaxError("invalid imaginary literal", pos=(line, col))
    return AdcliSyntaxError("invalid decimal literal", pos=(line, col))


def _bad_character(ch: str, line: int, col: int, py: bool) -> AdcliSyntaxError:
    """A character that starts no token: CPython's words in .py text."""
    if not py:
        return AdcliSyntaxError(f"unexpected character {_describe_char(ch)}", pos=(line, col))
    if ch == "\\":
        return AdcliSyntaxError("unexpected character after line continuation character",
                                pos=(line, col + 1))
    if not ch.isprintable():
        return AdcliSyntaxError(f"invalid non-printable character U+{ord(ch):04X}",
                                pos=(line, col))
    if ord(ch) < 128:
        return AdcliSyntaxError("invalid syntax", pos=(line, col))
    return AdcliSyntaxError(f"invalid character '{ch}' (U+{ord(ch):04X})", pos=(line, col))


def _lex(text: str, g: _Grammar, first_line: int = 1, caret_is_power: bool = True,
         first_col: int = 1):
    """Yield tokens, then the indentation tokens, for ``text`` (which ends in a newline).

    ``^`` is CIRCUMFLEX (Python's XOR), or POW_OP when ``caret_is_power`` (.adc text);
    .py text (not ``caret_is_power``) gets CPython's words for the lexical errors.
    """
    py = not caret_is_power
    master_match = g.master.match
    keywords = g.keywords
    ignore = g.ignore
    pos = 0
    line = first_line
    line_start = 1 - first_col  # columns of the first line start at first_col
    n = len(text)
    while pos < n:
        m = master_match(text, pos)
        if m is None:
            ch = text[pos]
            col = pos - line_start + 1
            if ch in "'\"":
                raise _unterminated(text, pos, line, line_start)
            if ch.isdigit() and not py:
                raise AdcliSyntaxError(
                    f"the digit {_describe_char(ch)} is not an ASCII digit; write numbers with 0-9",
                    pos=(line, col),
                )
            raise _bad_character(ch, line, col, py)
        kind = m.lastgroup
        value = m.group()
        end = m.end()
        if py and kind == "NUMBER":
            err = _number_error(text, pos, end, line, line_start)
            if err is not None:
                raise err
        if kind in ignore and py and value[0] == "\\" and value[1] not in "\r\n":
            # a line continuation with something after the backslash (CPython: only \n)
            raise _bad_character("\\", line, pos - line_start + 1, py)
        if kind == "NAME" and not value.isascii():  # CPython's identifiers (PEP 3131)
            if not py:  # .adc names are ASCII
                i = next(i for i, ch in enumerate(value) if not ch.isascii())
                ch = value[i]
                if ch.isdigit():
                    raise AdcliSyntaxError(
                        f"the digit {_describe_char(ch)} is not an ASCII digit; write "
                        "numbers with 0-9", pos=(line, pos + i - line_start + 1))
                raise _bad_character(ch, line, pos + i - line_start + 1, py)
            if not value.isidentifier():
                i = next(i for i in range(1, len(value) + 1)
                         if not value[:i].isidentifier())
                raise _bad_character(value[i - 1], line, pos + i - line_start, py)
            value = unicodedata.normalize("NFKC", value)
        if kind not in ignore:
            kw = keywords.get(kind)
            if kw is not None:
                kind = kw.get(value, kind)
            elif kind == "STRING" and value[-2:] in ('""', "''") and text.startswith(
                    value[-1], end) and value.lstrip("rRbBfFuU") == value[-2:]:
                raise _unterminated(text, end - 2, line, line_start)  # an unclosed '''/"""
            elif kind == "CIRCUMFLEX" and caret_is_power:
                kind = "POW_OP"
            yield Token(kind, value, line, pos - line_start + 1)
        newlines = value.count("\n")
        if newlines:
            line += newlines
            line_start = pos + value.rindex("\n") + 1
        pos = end


def _columns(indent: str) -> tuple[int, int]:
    """An indentation's column with tabs to the next multiple of 8, and with tabs as one
    column (CPython's tokenizer; a form feed starts the count again)."""
    col = alt = 0
    for ch in indent:
        if ch == "\t":
            col = (col // 8 + 1) * 8
            alt += 1
        elif ch == "\f":
            col = alt = 0
        else:
            col += 1
            alt += 1
    return col, alt


def _tokens(text: str, g: _Grammar, max_depth: int, first_line: int = 1,
            caret_is_power: bool = True, first_col: int = 1):
    """Tokens with Python's indentation rules: _INDENT/_DEDENT, newlines in brackets dropped."""
    brackets: list[Token] = []
    levels = [(0, 0)]  # (column, column with tabs as 1) of each open block
    last = None
    for tok in _lex(text, g, first_line, caret_is_power, first_col):
        kind = tok.type
        if kind == "_NEWLINE":
            if brackets:
                continue
            yield tok
            indent = tok.value[tok.value.rfind("\n") + 1:]
            if "#" in indent:  # a trailing comment with no newline after it
                indent = indent[: indent.index("#")]
            line = tok.line + tok.value.count("\n")
            # CPython's rule: the column with tabs to the next multiple of 8, and with
            # tabs as one column, must order the same way against each open level
            col, alt = _columns(indent)
            top, top_alt = levels[-1]
            if col == top:
                if alt != top_alt:
                    raise AdcliTabError(
                        "inconsistent use of tabs and spaces in indentation", pos=(line, 1))
                continue
            if col > top:
                if alt <= top_alt:
                    raise AdcliTabError(
                        "inconsistent use of tabs and spaces in indentation", pos=(line, 1))
                levels.append((col, alt))
                yield Token("_INDENT", indent, line, len(indent) + 1)
                continue
            while len(levels) > 1 and col < levels[-1][0]:
                levels.pop()
                yield Token("_DEDENT", "", line, len(indent) + 1)
            if col != levels[-1][0]:
                # CPython puts the caret at the end of the line
                rest = text.split("\n", line - first_line + 1)[line - first_line]
                raise AdcliIndentationError(
                    "unindent does not match any outer indentation level",
                    pos=(line, len(rest.rstrip("\r")) + 1),
                )
            if alt != levels[-1][1]:
                raise AdcliTabError(
                    "inconsistent use of tabs and spaces in indentation", pos=(line, 1))
            continue
        if kind in _OPEN:
            brackets.append(tok)
            if len(brackets) > max_depth:
                raise LimitError(
                    f"brackets nest deeper than {max_depth} levels "
                    "(raise the bound with --max-depth or ADCLI_MAX_DEPTH)",
                    pos=(tok.line, tok.col),
                )
        elif kind in _CLOSE:
            if not brackets:
                raise AdcliSyntaxError(f"unmatched {tok.value!r}", pos=(tok.line, tok.col))
            opener = brackets.pop()
            if _OPEN[opener.type] != kind:
                where = "" if opener.line == tok.line else f" on line {opener.line}"
                raise AdcliSyntaxError(
                    f"closing parenthesis {tok.value!r} does not match opening parenthesis "
                    f"{opener.value!r}{where}", pos=(tok.line, tok.col))
        last = tok
        yield tok
    if brackets:
        opener = brackets[-1]
        raise AdcliSyntaxError(f"{opener.value!r}{_NEVER_CLOSED}", pos=(opener.line, opener.col))
    # the end of input sits just after the last token, on a line that the text has
    end = (last.line, last.col + len(last.value)) if last is not None else (first_line, 1)
    while len(levels) > 1:
        levels.pop()
        yield Token("_DEDENT", "", *end)
    yield Token("$END", "", *end)


_BLOCK_AFTER = {
    "IF": "'if' statement", "ELIF": "'elif' statement", "ELSE": "'else' statement",
    "WHILE": "'while' statement", "FOR": "'for' statement", "WITH": "'with' statement",
    "TRY": "'try' statement", "EXCEPT": "'except' statement",
    "FINALLY": "'finally' statement", "DEF": "function definition",
    "CLASS": "class definition", "MATCH": "'match' statement", "CASE": "'case' statement",
}


def _syntax_error(tok: Token, prev: Token | None, expected, stack=(),
                  starts=()) -> AdcliSyntaxError:
    """CPython's message and position for the common mistakes, else ``invalid syntax``.

    ``stack`` and ``starts`` are the parser's values and where each one's text starts.
    """
    pos = (tok.line, tok.col)
    for t in (prev, tok):
        if t is not None and t.type == "NAME" and t.value in _NOT_IN_LANGUAGE:
            return AdcliSyntaxError(f"`{t.value}`: {_NOT_IN_LANGUAGE[t.value]}",
                                    pos=(t.line, t.col))
    if tok.type == "_INDENT":
        return AdcliIndentationError("unexpected indent", pos=(tok.line, max(1, tok.col - 1)))
    if tok.type == "_NEWLINE" and "COLON" in expected:
        return AdcliSyntaxError("expected ':'", pos=pos)
    if (prev is not None and prev.type == "NAME" and prev.value in ("print", "exec")
            and tok.type in ("STRING", "NAME", "NUMBER") and len(stack) >= 1
            and stack[-1] is prev and (len(stack) == 1 or type(stack[-2]) is not Token
                                       or stack[-2].type in ("_NEWLINE", "_INDENT",
                                                             "_DEDENT", "SEMICOLON"))):
        return AdcliSyntaxError(f"Missing parentheses in call to '{prev.value}'. "
                                f"Did you mean {prev.value}(...)?", pos=(prev.line, prev.col))
    if "ELSE" in expected and len(stack) >= 2 and type(stack[-2]) is Token and (
            stack[-2].type == "IF") and len(starts) >= 3:
        return AdcliSyntaxError("expected 'else' after 'if' expression", pos=starts[-3])
    if tok.type == "$END":
        what = "unexpected end of input"
    elif tok.type == "_NEWLINE":
        what = "unexpected end of line"
    elif tok.type == "_DEDENT":
        what = "unexpected dedent"
    else:
        what = f"unexpected {tok.value!r}"
    names = sorted({_SHOW.get(e, repr(e.lower())) for e in expected
                    if (e.isupper() or e[0] in "_$") and not e.startswith("__")})
    if "an indented block" in names and len(names) <= 3:
        for t in reversed(stack):
            if type(t) is Token and t.type in _BLOCK_AFTER:
                return AdcliIndentationError(
                    f"expected an indented block after {_BLOCK_AFTER[t.type]} on line {t.line}",
                    pos=pos)
        return AdcliSyntaxError(f"{what}: expected an indented block", pos=pos)
    if A.CTX.dialect == "py":
        return _python_syntax_error(tok, prev, frozenset(expected), stack, starts)
    hint = f"; expected {', '.join(names[:6])}" if names and len(names) <= 6 else ""
    return AdcliSyntaxError(f"invalid syntax: {what}{hint}", pos=pos)


_HEADERS = frozenset({"IF", "ELIF", "WHILE", "FOR", "CLASS", "DEF", "TRY", "FINALLY",
                      "ELSE", "WITH", "EXCEPT", "MATCH", "CASE"})
_FORCED_COLON = frozenset({"FOR", "CLASS", "DEF", "TRY", "FINALLY", "ELSE"})
_EXPRESSION_END = frozenset({"NAME", "NUMBER", "STRING", "RPAR", "RSQB", "RBRACE"})
_EXPRESSION_START = frozenset({"NAME", "NUMBER", "STRING", "LPAR", "LSQB", "LBRACE"})
# what CPython calls an expression in "cannot assign to ... here" (a bitwise_or's kinds)
_TARGET_WHAT = {"call": "function call", "const": "literal", "fstring": "f-string expression",
                "binop": "expression", "unary": "expression", "power": "expression",
                "getattr": "attribute", "getitem": "subscript", "dict": "dict literal",
                "set": "set display", "listcomp": "list comprehension",
                "setcomp": "set comprehension", "dictcomp": "dict comprehension"}


def _open_bracket(stack):
    """The innermost bracket still open on the parser's stack, and its index, or None."""
    for i in range(len(stack) - 1, -1, -1):
        t = stack[i]
        if type(t) is Token and t.type in _OPEN:
            return t, i
    return None, -1


def _is_call_paren(stack, i: int) -> bool:
    """Whether the ``(`` at ``stack[i]`` opens a call's arguments (``f(``, ``x[0](``)."""
    if i < 1 or stack[i].type != "LPAR":
        return False
    before = stack[i - 1]
    return type(before) is not Token or before.type in ("NAME", "RPAR", "RSQB", "STRING")


def _python_syntax_error(tok: Token, prev, expected: frozenset, stack, starts):
    """CPython 3.11's message for a parse error in .py text: its specific words for the
    common mistakes (a missing ':' or comma, '=' for '=='), else ``invalid syntax``."""
    pos = (tok.line, tok.col)
    bracket, at = _open_bracket(stack)
    top = stack[-1] if stack else None
    if tok.type == "EQUAL" and top is not None and not (
            type(top) is Token and top.type not in _EXPRESSION_END):
        before = stack[-2] if len(stack) >= 2 else None
        after_assign = type(before) is Token and before.type in ("EQUAL", "AUGASSIGN")
        left = starts[-1] if starts else pos
        if bracket is not None and at == len(stack) - 2 and _is_call_paren(stack, at) or (
                type(before) is Token and before.type == "COMMA" and bracket is not None
                and _is_call_paren(stack, at)):
            return AdcliSyntaxError('expression cannot contain assignment, perhaps you meant '
                                    '"=="?', pos=left)
        if not after_assign:
            if (type(top) is Token and top.type == "NAME") or (
                    type(top) is A.Node and top.kind == "name"):
                name = top.value if type(top) is Token else top.fields[0]
                if name not in ("True", "False", "None"):
                    return AdcliSyntaxError("invalid syntax. Maybe you meant '==' or ':=' "
                                            "instead of '='?", pos=left)
            elif type(top) is A.Node and top.kind in _TARGET_WHAT:
                return AdcliSyntaxError(f"cannot assign to {_TARGET_WHAT[top.kind]} here. "
                                        "Maybe you meant '==' instead of '='?", pos=left)
    if expected == {"COLON"}:  # the headers whose ':' CPython's grammar forces (&&':')
        for t in reversed(stack):
            if type(t) is Token and t.type in _HEADERS:
                if t.type in _FORCED_COLON:
                    return AdcliSyntaxError("expected ':'", pos=pos)
                break
        return AdcliSyntaxError("invalid syntax", pos=pos)
    if expected == {"LPAR"}:
        return AdcliSyntaxError("expected '('", pos=pos)
    if "EXCEPT" in expected and "FINALLY" in expected:
        return AdcliSyntaxError("expected 'except' or 'finally' block", pos=pos)
    if tok.type == "FOR" and bracket is not None and _is_call_paren(stack, at) and any(
            type(t) is Token and t.type == "COMMA" for t in stack[at + 1:]):
        return AdcliSyntaxError("Generator expression must be parenthesized", pos=pos)
    if tok.type == "COMMA" and bracket is not None and _is_call_paren(stack, at) and any(
            type(t) is Token and t.type == "FOR" for t in stack[at + 1:]):
        return AdcliSyntaxError("Generator expression must be parenthesized", pos=pos)
    if bracket is not None and bracket.type == "LBRACE" and tok.type != "COLON":
        items = stack[at + 1:]  # a dict display so far: its pairs, reduced to tuples
        commas = [i for i, t in enumerate(items) if type(t) is Token and t.type == "COMMA"]
        if commas and type(items[0]) is tuple and not any(
                type(t) is Token and t.type == "COLON" for t in items[commas[-1]:]):
            return AdcliSyntaxError("':' expected after dictionary key", pos=pos)
    if (bracket is not None and tok.type in _EXPRESSION_START and prev is not None
            and prev.type in _EXPRESSION_END and stack and stack[-1] is not None):
        single = type(stack[-1]) is Token and stack[-1] is prev and prev.type == "NAME" and not (
            len(stack) >= 2 and type(stack[-2]) is Token and stack[-2].type == "DOT")
        soft = single and prev.value in ("match", "case", "_")
        if not (single and tok.type == "STRING") and not soft:
            return AdcliSyntaxError("invalid syntax. Perhaps you forgot a comma?", pos=pos)
    return AdcliSyntaxError("invalid syntax", pos=pos)


def parse(text: str, start: str = "file_input", max_depth: int = 200,
          first_line: int = 1, dialect: str = "adc", first_col: int = 1) -> A.Node:
    """Parse a whole script (``file_input``) or one expression (``eval_input``).

    ``first_line`` is the line number of the text's first line (a cell's, in a file).
    ``dialect`` is ``"adc"`` (``^`` is power, only the torch imports) or ``"py"``
    (``^`` is XOR, every import parses; the interpreter decides what it can import).
    """
    if dialect not in ("adc", "py"):
        raise ValueError(f"unknown dialect {dialect!r}")

    def parse_field(field: str, line: int, col: int) -> A.Node:
        return parse(field, "eval_input", max_depth, line, dialect, col)

    saved = A.CTX
    A.CTX = A.ParseContext(dialect, max_depth, parse_field)
    try:
        return _parse(text, start, max_depth, first_line, dialect, first_col)
    finally:
        A.CTX = saved


_FIRST_LINE_INDENT = re.compile(r"[ \t]+(?=[^\s#\\])")


def _parse(text: str, start: str, max_depth: int, first_line: int, dialect: str,
           first_col: int) -> A.Node:
    if "\x00" in text:
        i = text.index("\x00")
        line = text.count("\n", 0, i) + first_line
        col = i - (text.rfind("\n", 0, i) + 1) + 1
        raise AdcliSyntaxError("the source contains a NUL byte", pos=(line, col))
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.endswith("\n"):
        text += "\n"
    if start == "file_input" and dialect == "py" and first_col == 1:
        # the first line's indentation precedes every _NEWLINE token: check it here
        first = _FIRST_LINE_INDENT.match(text)
        if first:
            raise AdcliIndentationError("unexpected indent", pos=(first_line, first.end()))
    g = _get_grammar()
    states = g.states
    rules = g.rules
    builders = A.BUILDERS
    end_state = g.end_states[start]
    state_stack = [g.start_states[start]]
    value_stack: list = []
    start_stack: list = []  # where each value's text starts
    prev = None
    tokens = _Lookahead(_tokens(text, g, max_depth, first_line, dialect == "adc", first_col))
    for tok in tokens:
        is_end = tok.type == "$END"
        while True:
            row = states[state_stack[-1]]
            if tok.type == "NAME" and tok.value in _SOFT_KEYWORDS:
                tok = _soft_keyword(tok, row, tokens)
            action = row.get(tok.type)
            if action is None:
                raise _unclosed_or(
                    _syntax_error(tok, prev, row.keys(), value_stack, start_stack), tokens,
                    tok if dialect == "py" else None)
            kind, arg = action
            if kind == 0:  # shift
                state_stack.append(arg)
                value_stack.append(tok)
                start_stack.append((tok.line, tok.col))
                prev = tok
                break
            origin, size, name, expand1, inline, include, append_none = rules[arg]
            if size:
                children = value_stack[-size:]
                del value_stack[-size:]
                start = start_stack[-size]
                del start_stack[-size:]
                del state_stack[-size:]
            else:
                children = []
                start = (tok.line, tok.col)
            if inline and include and include[0] == (0, True, 0) and type(children[0]) is _Inline:
                # a left-recursive repetition: grow its list in place, not by copying it
                filtered = children[0]
                include = include[1:]
            else:
                filtered = _Inline() if inline else []
            for i, to_expand, add_none in include:
                if add_none:
                    filtered.extend([None] * add_none)
                if to_expand:
                    filtered.extend(children[i])
                else:
                    filtered.append(children[i])
            if append_none:
                filtered.extend([None] * append_none)
            if inline:
                value = filtered
            elif expand1 and len(filtered) == 1:
                value = filtered[0]
            else:
                pos = start if name in _AT_START else _first_pos(children, tok)
                value = builders[name](filtered, pos)
                if type(value) is A.Node and value.depth > max_depth:
                    raise LimitError(
                        f"the expression nests deeper than {max_depth} levels "
                        "(raise the bound with --max-depth or ADCLI_MAX_DEPTH)",
                        pos=value.pos,
                    )
            state_stack.append(states[state_stack[-1]][origin][1])
            value_stack.append(value)
            start_stack.append(start)
            if is_end and state_stack[-1] == end_state:
                return value_stack[-1]
    raise AdcliSyntaxError("unexpected end of input", pos=None)  # pragma: no cover


_SOFT_KEYWORDS = frozenset({"match", "case"})


class _Lookahead:
    """The token stream with a look at what comes next; a lexing error met while
    looking ahead is raised when the parser reaches it, not before."""

    __slots__ = ("source", "buffer", "error")

    def __init__(self, source) -> None:
        self.source = source
        self.buffer: list = []
        self.error: BaseException | None = None

    def __iter__(self):
        return self

    def __next__(self):
        if self.buffer:
            return self.buffer.pop(0)
        if self.error is not None:
            error, self.error = self.error, None
            raise error
        return next(self.source)

    def peek(self, i: int):
        """The i-th token after the current one (0: the next), or None past the end."""
        while len(self.buffer) <= i:
            if self.error is not None:
                return None
            try:
                self.buffer.append(next(self.source))
            except StopIteration:
                return None
            except (AdcliSyntaxError, LimitError) as e:
                self.error = e
                return None
        return self.buffer[i]


def _soft_keyword(tok: Token, row, tokens: _Lookahead) -> Token:
    """``match``/``case`` as the keyword where a match statement or a case block can
    start (a statement that starts with ``match`` and ends its line with ``:``), else a
    name."""
    if tok.value == "case":
        if "CASE" in row and "NAME" not in row:
            return Token("CASE", tok.value, tok.line, tok.col)
        return tok
    if "MATCH" not in row:
        return tok
    i = 0
    prev = None
    while True:
        nxt = tokens.peek(i)
        if nxt is None or nxt.type == "$END":
            return tok
        if nxt.type == "_NEWLINE":
            break
        prev = nxt
        i += 1
    # a line that ends in ':' (outside brackets) heads a block: no simple statement does
    if prev is None or prev.type != "COLON" or i < 2:
        return tok
    return Token("MATCH", tok.value, tok.line, tok.col)


def _unclosed_or(error: AdcliSyntaxError, rest, tok=None) -> AdcliSyntaxError:
    """``error``, or the bracket opened before it that the text never closes (as Python).

    CPython's rule: the unclosed bracket wins over an error on a later line, and over
    one at a name, number or string that the text ends right after (the parser looked
    one token past it, into the end of the input), given ``tok``, the error's token."""
    last = tok is not None and tok.type in ("NAME", "NUMBER", "STRING")
    try:
        for _ in rest:
            last = False
    except AdcliSyntaxError as unclosed:
        if unclosed.message.endswith(_NEVER_CLOSED) and (
                error.pos is None or unclosed.pos[0] < error.pos[0] or last):
            return unclosed
    except LimitError:
        pass
    return error


def _first_pos(children: list, tok: Token) -> tuple[int, int]:
    for child in children:
        if isinstance(child, Token):
            return (child.line, child.col)
        if isinstance(child, A.Node):
            return child.pos
        if isinstance(child, list):
            for sub in child:
                if isinstance(sub, Token):
                    return (sub.line, sub.col)
                if isinstance(sub, A.Node):
                    return sub.pos
    return (tok.line, tok.col)
