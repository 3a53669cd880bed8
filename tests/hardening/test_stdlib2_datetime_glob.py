"""``datetime`` and ``glob`` on untrusted scripts: glob lists no host file, strftime
formats are bounded, and the values' insides stay out of reach."""

from __future__ import annotations

import pytest

from adcli.engine import serialization

from .harness import assert_no_leak, run_script


def test_glob_sees_no_host_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "secret.pt").write_text("x")
    serialization.reset()
    o = run_script("import glob\nprint(glob.glob('*'), glob.glob('/etc/*'),"
                   " glob.glob('/**', recursive=True), glob.glob('secret.pt'))\n")
    assert_no_leak(o)
    assert o.out == "[] [] ['/', '/sandbox'] []\n"


@pytest.mark.parametrize("text", [
    "import datetime\ndatetime.date.today().strftime('%Y' * 10**6)\n",
    "import datetime\nf'{datetime.date.today():%Q}'\n",
    "import datetime\ndatetime.timedelta(days=1) * 10**20\n",
    "import datetime\ndatetime.date.today().__class__\n",
    "import datetime\ndatetime.datetime.strptime('2020', '%Y')\n",
])
def test_refused(text):
    o = run_script(text, max_elements=100_000)
    assert o.errors and o.elapsed < 10
    assert_no_leak(o)
