# ruff: noqa: E501  (the programs are kept as written)
"""csv over io.StringIO / a list of lines / sys.stdout, and numbers' abstract classes:
the program prints what CPython 3.11 prints for it."""

from __future__ import annotations

import pytest

from tests.lang.pyrun import run_adcli, run_python

PROGRAM = """import csv, io, numbers, sys
buf = io.StringIO()
w = csv.writer(buf)
w.writerow(["epoch", "loss", "note"])
w.writerows([[1, 0.5, "a,b"], [2, 0.25, 'say "hi"']])
print(repr(buf.getvalue()))
buf.seek(0)
r = csv.reader(buf)
header = next(r)
print(header, [row for row in r], r.line_num)
print(list(csv.reader(["a;b", "c;d"], delimiter=";")))
out = io.StringIO()
dw = csv.DictWriter(out, fieldnames=["x", "y"])
dw.writeheader()
dw.writerow({"x": 1, "y": 2})
print(repr(out.getvalue()))
out.seek(0)
for row in csv.DictReader(out):
    print(row, row["x"])
print(isinstance(3, numbers.Number), isinstance(2.5, numbers.Integral), isinstance(True, numbers.Integral), isinstance(1j, numbers.Real), isinstance("x", numbers.Number))
"""


def test_prints_what_cpython_prints():
    assert run_adcli(PROGRAM) == run_python(PROGRAM)


@pytest.mark.parametrize("text", [
    "import csv\ncsv.reader('/etc/passwd')\n",
    "import csv\ncsv.writer(print)\n",
    "import csv\ncsv.reader(['a'], dialect=object())\n",
])
def test_only_in_memory_text_is_read_or_written(text):
    from adcli.errors import AdcliError

    with pytest.raises(AdcliError, match="csv|dialect"):
        run_adcli(text)
