# ruff: noqa: E501  (the programs are kept as written)
"""datetime (values, arithmetic, strftime and f-string specs, isoformat) and glob over the
virtual file system: each program prints what CPython 3.11 (torch 2.13's Python for the
one that saves) prints for it, run in an empty directory."""

from __future__ import annotations

import pytest

from tests.lang.test_pyos_module import reference, run

PROGRAMS = {
    "datetime": """from datetime import datetime, date, timedelta, timezone
import datetime as dtm
d = date(2024, 3, 15)
t = datetime(2024, 3, 15, 13, 45, 30, 123456)
print(d, repr(d), t, repr(t), d.year, d.month, d.day, d.weekday(), d.isoformat(), t.isoformat())
print(t.strftime("%Y-%m-%d %H:%M:%S"), d.strftime("%d/%m/%Y"), f"{d:%B %d}", t.hour, t.minute, t.second, t.microsecond)
td = timedelta(days=1, hours=2, minutes=3)
print(td, repr(td), td.total_seconds(), td.days, td.seconds, t + td, t - td, d + timedelta(days=30))
print(t - datetime(2024, 1, 1), (t - datetime(2024, 1, 1)).days, td * 2, td / 2, td // timedelta(hours=1), -td, abs(-td))
print(d < date(2025, 1, 1), t == datetime(2024, 3, 15, 13, 45, 30, 123456), sorted([date(2024, 1, 2), date(2023, 5, 1)]))
print(datetime.fromisoformat("2024-03-15T10:00:00"), date.fromisoformat("2024-03-15"), type(datetime.now()).__name__, type(date.today()))
print(isinstance(t, date), isinstance(d, datetime), t.date(), t.time(), t.replace(year=2000), dtm.timedelta(seconds=90), timezone.utc)
print(datetime(2024, 1, 1, tzinfo=timezone.utc), {d: 1}, timedelta(0) == timedelta(), max(timedelta(1), timedelta(2)))
print(str(timedelta(microseconds=1500)), sum([timedelta(1), timedelta(2)], timedelta()), datetime.combine(d, t.time()))
""",
    "glob": """import glob, os
import torch
os.makedirs("runs/a", exist_ok=True)
torch.save([1], "runs/a/m1.pt")
torch.save([2], "runs/m0.pt")
torch.save([3], "runs/a/notes.txt")
print(sorted(glob.glob("runs/*.pt")), sorted(glob.glob("runs/*")), sorted(glob.glob("runs/**/*.pt", recursive=True)))
print(sorted(glob.glob("runs/*/*.pt")), glob.glob("nothing/*"), glob.glob("runs/m0.pt"), sorted(glob.glob(os.path.join("runs", "a", "*"))))
print(sorted(glob.glob("runs/**", recursive=True)), glob.escape("a*b"), glob.has_magic("x?"))
""",
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_prints_what_cpython_prints(name, tmp_path):
    text = PROGRAMS[name]
    assert run(text) == reference(text, tmp_path)
