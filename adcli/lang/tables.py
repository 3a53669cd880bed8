"""LALR tables for the grammar in ``grammars/adcli.lark``, built by lark and cached.

lark compiles the grammar (LALR, basic lexer) once; ``build`` flattens what the parser
needs into plain data: the terminal regexes in lark's lexer order, the keyword map, the
parse table, and each rule's tree-shaping plan (which children are kept, inlined or
padded with None). ``adcli/lang/_tables.py`` holds that data, marshalled into one string
literal, with the grammar text it was built from, so a one-liner pays for neither lark's
import nor its table construction. ``load`` compares that text with the grammar file and
rebuilds the tables in memory when they differ.

Regenerate the cache after editing the grammar:  ``python -m adcli.lang.tables``.
"""

from __future__ import annotations

import base64
import marshal
import os

_HERE = os.path.dirname(os.path.abspath(__file__))
_CACHE = os.path.join(_HERE, "_tables.py")
START_SYMBOLS = ("file_input", "eval_input")


def grammar_path() -> str:
    """The grammar file: inside the installed package, else in the source tree."""
    installed = os.path.join(os.path.dirname(_HERE), "grammars", "adcli.lark")
    if os.path.exists(installed):
        return installed
    return os.path.join(os.path.dirname(os.path.dirname(_HERE)), "grammars", "adcli.lark")


def grammar_text() -> str:
    with open(grammar_path(), encoding="utf-8") as fh:
        return fh.read()


def build(text: str) -> dict:
    """Compile the grammar with lark and flatten its tables into plain data."""
    from lark import Lark
    from lark.lexer import PatternStr, _create_unless
    from lark.parse_tree_builder import maybe_create_child_filter
    from lark.parsers.lalr_analysis import Shift

    lk = Lark(
        text,
        parser="lalr",
        lexer="basic",
        start=list(START_SYMBOLS),
        maybe_placeholders=True,
    )
    lexer_conf = lk.lexer_conf
    terms = sorted(
        lexer_conf.terminals,
        key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name),
    )
    import re

    terms, callbacks = _create_unless(terms, lexer_conf.g_regex_flags, re, False)
    keywords = {}
    for regex_name, cb in callbacks.items():
        keywords[regex_name] = {
            str(t.pattern.value): str(t.name)
            for t in cb.scanner.terminals
            if isinstance(t.pattern, PatternStr)
        }
    ignore = sorted(str(name) for name in lexer_conf.ignore)
    terminals = [(str(t.name), t.pattern.to_regexp()) for t in terms]

    rules = lk.rules
    rule_index = {rule: i for i, rule in enumerate(rules)}
    plans = []
    for rule in rules:
        opts = rule.options
        expand1 = bool(opts.expand1 and not rule.alias)
        include = [(i, bool(sym.name.startswith("_") and not sym.is_term), 0)
                   for i, sym in enumerate(rule.expansion)
                   if opts.keep_all_tokens or not (sym.is_term and sym.filter_out)]
        append_none = 0
        filt = maybe_create_child_filter(
            rule.expansion, opts.keep_all_tokens, False, opts.empty_indices
        )
        if filt is not None:
            args = filt.args
            if len(args) == 2:  # (to_include, append_none) with placeholders
                include, append_none = [tuple(x) for x in args[0]], args[1]
            else:
                include = [(i, e, 0) for i, e in args[0]]
        plans.append(
            (
                str(rule.origin.name),
                len(rule.expansion),
                str(rule.alias or rule.origin.name),
                expand1,
                rule.origin.name.startswith("_") and not rule.alias,
                tuple((i, bool(e), n) for i, e, n in include),
                append_none,
            )
        )

    table = lk.parser.parser.parser.parse_table
    states = {}
    for state, actions in table.states.items():
        row = {}
        for sym, (action, arg) in actions.items():
            row[str(sym)] = (0, arg) if action is Shift else (1, rule_index[arg])
        states[state] = row
    return {
        "terminals": terminals,
        "keywords": keywords,
        "ignore": ignore,
        "rules": plans,
        "states": states,
        "start_states": {str(k): v for k, v in table.start_states.items()},
        "end_states": {str(k): v for k, v in table.end_states.items()},
    }


def cached() -> tuple[str, dict] | None:
    """The cached module's (grammar text, tables), or None when it is missing or unreadable."""
    try:
        from adcli.lang import _tables
    except ImportError:
        return None
    import zlib

    try:
        return _tables.GRAMMAR, marshal.loads(zlib.decompress(base64.b64decode(_tables.TABLES)))
    except (ValueError, EOFError, TypeError, zlib.error):  # another Python's marshal format
        return None


def load() -> dict:
    """The tables for the current grammar: the cached module if it matches, else built."""
    text = grammar_text()
    cache = cached()
    if cache is not None and cache[0] == text:
        return cache[1]
    return build(text)


def write_cache(path: str = _CACHE) -> None:
    """Write the tables for the current grammar as a Python module.

    The tables are one marshalled, zlib-compressed, base64-encoded string (34 KB): Python
    compiles a single string constant in no time, where a 200 KB dict literal costs
    ~150 ms whenever the module's bytecode is not cached (PYTHONDONTWRITEBYTECODE, a
    read-only install), and decoding it takes ~3 ms in C (base85 took ~25 ms in Python).
    """
    import zlib

    text = grammar_text()
    tables = build(text)
    blob = base64.b64encode(zlib.compress(marshal.dumps(tables), 9)).decode("ascii")
    lines = "\n".join(repr(blob[i:i + 96]) for i in range(0, len(blob), 96))
    body = (
        '"""Generated by ``python -m adcli.lang.tables`` from grammars/adcli.lark. '
        'Do not edit."""\n'
        f"GRAMMAR = {text!r}\n"
        f"TABLES = (\n{lines}\n)\n"
    )
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(body)
    os.replace(tmp, path)


if __name__ == "__main__":
    write_cache()
    print(f"wrote {_CACHE}")
