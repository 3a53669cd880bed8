"""``__future__``: the feature flags, Python's own objects; importing them changes nothing."""

from __future__ import annotations

FEATURES = ("annotations", "print_function", "division", "absolute_import",
            "unicode_literals", "generators", "nested_scopes", "with_statement",
            "generator_stop")


def make_table() -> dict:
    import __future__

    return {name: getattr(__future__, name) for name in FEATURES}
