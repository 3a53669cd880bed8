"""Comparison of plain values: shapes, allclose, None, sequences, the differing elements."""

import numpy as np

from adcli.check.compare import Failed, Opaque, Seq, compare, format_differences, plain


def cmp(expected, got, **kw):
    kw.setdefault("rtol", 1e-4)
    kw.setdefault("atol", 1e-6)
    return compare(plain(expected), plain(got), **kw)


def test_equal_arrays_match_and_tolerance_is_relative_to_expected():
    assert cmp(np.array([1.0, 2.0]), np.array([1.0, 2.0])).match
    assert cmp(np.array([1000.0]), np.array([1000.05])).match  # 5e-5 relative
    assert not cmp(np.array([1000.0]), np.array([1000.2])).match
    assert cmp(np.array([0.0]), np.array([5e-7])).match  # atol
    assert not cmp(np.array([0.0]), np.array([5e-6])).match


def test_shapes_must_match():
    outcome = cmp(np.ones((2, 2)), np.ones(4))
    assert not outcome.match
    assert outcome.summary == "expected shape [2, 2], got shape [4]"
    assert not cmp(np.ones(()), np.ones((1,))).match


def test_none_never_matches_a_tensor():
    outcome = cmp(np.ones((2, 2)), None)
    assert not outcome.match and "got None" in outcome.summary
    assert not cmp(None, np.zeros(2)).match
    assert cmp(None, None).match


def test_differences_list_expected_against_got():
    outcome = cmp(np.array([[4.5, 4.5], [4.5, 4.5]]), np.array([[4.5, 3.0], [4.5, 1.0]]))
    assert outcome.summary == "2 of 4 elements differ"
    assert [(d.index, d.expected, d.got) for d in outcome.differences] == [
        ((0, 1), 4.5, 3.0),
        ((1, 1), 4.5, 1.0),
    ]
    assert format_differences(outcome.differences) == (
        "[0, 1] expected 4.5, got 3; [1, 1] expected 4.5, got 1"
    )


def test_at_most_five_differences_are_listed():
    outcome = cmp(np.zeros(100), np.ones(100))
    assert outcome.summary == "100 of 100 elements differ" and len(outcome.differences) == 5


def test_numbers_lists_and_dtypes():
    assert cmp(np.array(3.0, dtype=np.float32), 3.0).match
    assert cmp(np.array([1, 2]), [1.0, 2.0]).match
    assert cmp(np.array([True, False]), np.array([True, False])).match
    assert not cmp(np.array([True, False]), np.array([True, True])).match
    assert cmp(np.array([np.nan, 1.0]), np.array([np.nan, 1.0])).match


def test_sequences_compare_item_by_item():
    assert isinstance(plain((np.ones(2), None)), Seq)
    outcome = cmp((np.ones(2), np.ones(3)), (np.ones(2), np.zeros(3)))
    assert not outcome.match and outcome.summary.startswith("item 1: 3 of 3")
    assert not cmp((np.ones(2),), (np.ones(2), np.ones(2))).match


def test_opaque_values_compare_by_text_without_addresses():
    class GradFn:
        def __repr__(self):
            return f"<MulBackward0 object at 0x{id(self):x}>"

    assert plain(GradFn()) == Opaque("<MulBackward0 object>")
    assert cmp(GradFn(), GradFn()).match
    assert not cmp("a", np.ones(1)).match


def test_a_failed_check_never_matches():
    outcome = compare(
        plain(np.ones(1)), Failed("NameError: name 'o' is not defined"), rtol=0, atol=0
    )
    assert not outcome.match and "NameError" in outcome.summary


def test_broadcast_only_when_asked():
    assert not cmp(np.full(3, 3.0), 3.0).match
    assert cmp(np.full(3, 3.0), 3.0, broadcast=True).match
    assert not cmp(np.full(3, 3.0), np.ones(2), broadcast=True).match


def test_nonfinite_differences_stay_json_friendly():
    outcome = cmp(np.array([1.0]), np.array([np.inf]))
    assert outcome.differences[0].got == "inf"


def test_a_huge_string_is_never_repred_whole_and_still_compares_exactly():
    from adcli.diagnostics import MESSAGE_CAP

    big = "x" * 5_000_000
    value = plain(big)
    assert isinstance(value, Opaque) and len(value.text) < MESSAGE_CAP + 40
    assert value.text.startswith("'xxx") and value.text.endswith("more characters)")
    assert cmp(big, "x" * 5_000_000).match
    assert not cmp(big, "x" * 4_999_999 + "y").match  # differs only past the shown text
    assert not cmp(big, "x" * 4_999_999).match
    outcome = cmp("ok", big)
    assert len(outcome.summary) < 100 and outcome.summary.startswith("expected 'ok', got 'xx")
    assert plain("short") == Opaque("'short'")  # small values keep their exact repr


def test_huge_ragged_lists_and_failures_are_bounded():
    from adcli.diagnostics import MESSAGE_CAP

    ragged = [[1, 2]] * 100_000 + [[3]]
    value = plain(ragged)
    assert isinstance(value, Opaque) and len(value.text) < MESSAGE_CAP + 40
    assert value.text.startswith("[[1, 2], [1, 2]")
    assert plain([(1,), [2, [3]]]) == Opaque("[(1,), [2, [3]]]")  # as repr writes it
    assert cmp(ragged, [[1, 2]] * 100_000 + [[3]]).match
    assert not cmp(ragged, [[1, 2]] * 100_000 + [[4]]).match
    assert len(Failed("E" * 10**6).error) < MESSAGE_CAP + 40
