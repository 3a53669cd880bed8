"""Strings and sequences built in one step are bounded whatever the other operand is.

``'%0999999999d' % tensor(1)``, ``'a' * tensor(10**9)``, ``tensor(10**9) * 'a'``, a numpy
integer as a repeat count: each goes through ``adcli.lang.pyformat`` and is refused before
Python allocates. ``check_spec`` and ``check_pad`` are tested directly: the language has
no f-strings, ``str.format`` or ``ljust`` yet, and they are the checks those must call.
"""

import numpy as np
import pytest

from adcli import limits
from adcli.engine import api
from adcli.errors import LimitError, TorchTypeError
from adcli.lang import pyformat
from adcli.limits import Limits

from .harness import address_space_cap, assert_no_leak, assert_rejected, run_script

MB = 1 << 20


@pytest.fixture
def bound_1000():
    limits.install(Limits(max_elements=1000))


# ---- scripts: real-size attacks, refused before allocating --------------------------------
REFUSED = [
    ("percent-tensor", "'%0999999999d' % tensor(1)\n", (1, 16), "formatting"),
    ("percent-tensor-precision", "'%.999999999d' % tensor(1)\n", (1, 16), "formatting"),
    ("percent-numpy-scalar", "'%0999999999d' % arange(3).numpy()[1]\n", (1, 16),
     "formatting"),
    ("percent-star-in-tuple", "'%0*d' % (2**31 - 1, tensor(1))\n", (1, 8), "formatting"),
    ("percent-star-bool-then-width", "'%*d%0999999999d' % (True, 1, 2)\n", (1, 19),
     "formatting"),
    ("str-times-tensor", "'a' * tensor(10**9)\n", (1, 5), "items"),
    ("list-times-tensor", "[0] * tensor(10**9)\n", (1, 5), "items"),
    ("tensor-times-str", "tensor(10**9) * 'a'\n", (1, 15), "items"),
    ("tuple-times-tensor", "(0,) * tensor(10**9)\n", (1, 6), "items"),
    ("str-times-numpy-int", "'a' * tensor(10**9).numpy()\n", (1, 5), "items"),
    ("numpy-int-times-list", "tensor([10**9]).numpy()[0] * [0]\n", (1, 28), "items"),
    ("augmented-repeat", "s = 'ab'\ns *= tensor(10**9)\n", (2, 1), "items"),
    ("augmented-format", "s = '%0999999999d'\ns %= tensor(1)\n", (2, 1), "formatting"),
    ("print-separator-by-tensor", "print(1, 2, sep='x' * tensor(10**9))\n", (1, 21), "items"),
]


@pytest.mark.parametrize("source, pos, words", [c[1:] for c in REFUSED],
                         ids=[c[0] for c in REFUSED])
def test_refused_before_allocating(source, pos, words):
    with address_space_cap(1 << 30):
        o = run_script(source, trace_memory=True)
    assert_rejected(o, "LimitError", pos, words)
    assert o.peak_bytes < 64 * MB, o.peak_bytes


ALLOWED = [
    ("'ab' * tensor(3)", "'ababab'"),
    ("tensor(2) * [1]", "[1, 1]"),
    ("'a' * True + 'b' * False", "'a'"),
    ("'ab' * arange(4).numpy()[2]", "'abab'"),
    ("'%d|%5.1f' % (tensor(3), tensor(2.5))", "'3|  2.5'"),
    ("'%s' % tensor([1., 2.])", "'tensor([1., 2.])'"),
    ("'%*d' % (5, 10**9)", "'1000000000'"),  # the value is not a width
    ("'%%%d' % 7", "'%7'"),
    ("(1, 2) * -1", "()"),
]


@pytest.mark.parametrize("source, shown", ALLOWED)
def test_ordinary_repetition_and_formatting_work(source, shown):
    o = run_script(source + "\n")
    assert_no_leak(o)
    assert not o.errors, o.err
    assert o.out == shown + "\n"


WRONG_TYPES = [
    ("'a' * 1.5", "can't multiply sequence by non-int of type 'float'"),
    ("'a' * ones(2)", "only integer tensors"),
    ("[1] * [2]", "can't multiply sequence by non-int of type 'list'"),
    ("'a' * tensor(2.)", "only integer tensors"),
    ("'%*d' % (arange(3).numpy()[2], 1)", "* wants int"),
    ("'%d' % 'a'", "number is required"),
]


@pytest.mark.parametrize("source, words", WRONG_TYPES)
def test_wrong_operand_types_are_type_errors(source, words):
    o = run_script(source + "\n")
    assert_rejected(o, "TypeError", o.error.pos, words)
    assert o.error.pos[0] == 1


# ---- the module itself ----------------------------------------------------------------------
def test_bounded_repeat_takes_any_integer(bound_1000):
    assert pyformat.bounded_repeat("ab", np.int64(2)) == "abab"
    assert pyformat.bounded_repeat([0], True) == [0]
    assert pyformat.bounded_repeat((1,), api.tensor(3)) == (1, 1, 1)
    assert pyformat.bounded_repeat("a", -5) == ""
    with pytest.raises(LimitError):
        pyformat.bounded_repeat("ab", 501)
    with pytest.raises(LimitError):
        pyformat.bounded_repeat([0], np.int64(10**18))
    with pytest.raises(TorchTypeError, match="non-int of type 'float'"):
        pyformat.bounded_repeat("a", 2.0)


@pytest.mark.parametrize("fmt, args, size", [
    ("%d", 1, 2),
    ("%5d", 1, 8),
    ("%.7f", 1.0, 11),
    ("%*.*f", (3, 4, 1.0), 12),
    ("%*d", (5, 10**9), 8),  # the value is not counted as a width
    ("%%%5d", (1,), 10),
    ("%(a)5s", 1, 11),
    ("%-*d", (-9, 1), 13),
    ("%0" + "9" * 30 + "d", 1, 10**18 + 33),  # a width of 30 digits counts as huge
    ("%*d", ("x", 1), 3),  # Python refuses the star; nothing to count
])
def test_percent_format_size(fmt, args, size):
    assert pyformat.percent_format_size(fmt, args) == size


@pytest.mark.parametrize("spec, fields", [
    ("", (0, 0)),
    (">10", (10, 0)),
    ("0>10", (10, 0)),  # a fill of '0', then the width
    ("*^+#012,.3f", (12, 3)),
    (".999999999f", (0, 999999999)),
    ("z#010_.4e", (10, 4)),
    (">" + "9" * 40, (10**18, 0)),
    ("bogus 77 and 5", (77, 82)),  # not the mini-language: every run of digits counts
])
def test_spec_fields(spec, fields):
    assert pyformat.spec_fields(spec) == fields


def test_check_spec(bound_1000):
    pyformat.check_spec(">1000")
    pyformat.check_spec(".1000f")
    for spec in (">1001", ".1001f", "x<99999999999999999999", "0" * 5000 + "1001"):
        with pytest.raises(LimitError, match="formatting"):
            pyformat.check_spec(spec)
    with pytest.raises(TorchTypeError):
        pyformat.check_spec(5)


def test_check_pad(bound_1000):
    assert pyformat.check_pad(1000) == 1000
    assert pyformat.check_pad(np.int64(7), "center") == 7
    assert pyformat.check_pad(-5, "zfill") == -5
    with pytest.raises(LimitError):
        pyformat.check_pad(1001)
    with pytest.raises(LimitError):
        pyformat.check_pad(api.tensor(10**9), "rjust")
    with pytest.raises(TorchTypeError, match="ljust"):
        pyformat.check_pad(2.5)


def test_a_zero_bound_disables_the_checks():
    limits.install(Limits(max_elements=0))
    pyformat.check_spec(">" + "9" * 12)
    assert len(pyformat.bounded_repeat("a", 2000)) == 2000


@pytest.mark.parametrize("spec, fields", [(".0%", (0, 0)), ("00", (0, 0)), ("08.0f", (8, 0)),
                                          (".1%", (0, 1)), (">8.3f", (8, 3))])
def test_zero_widths_and_precisions_are_read_as_zero(spec, fields):
    from adcli.lang.pyformat import spec_fields

    assert spec_fields(spec) == fields
