"""`from tqdm import tqdm` in programs: the items pass through unchanged, the bar is drawn on
stderr in tqdm 4's format, `tqdm.write` prints on stdout. The expected lines are what
tqdm 4.70 printed for the same counts and clock readings."""

from __future__ import annotations

import re

import pytest

from adcli import programs
from adcli.lang.pylib import tqdmmod
from adcli.limits import Limits


def run(text: str):
    out, err = [], []
    outcome = programs.run_python(text, "prog.py", Limits(), out.append, err.append)
    return "".join(out), "".join(err), outcome


def ok(text: str):
    out, err, outcome = run(text)
    assert not outcome.failed and not outcome.internal, err
    return out, err


def last_line(text: str) -> str:
    out, err, outcome = run(text)
    assert outcome.failed and not outcome.internal, err
    return err.strip().splitlines()[-1]


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(tqdmmod._time, "monotonic", c)
    return c


def bar(clock, **kwargs):
    lines = []

    class Context:
        def write_err(self, s):
            lines.append(s)

        def write_out(self, s):
            lines.append(("out", s))

    cls = type("tqdm", (tqdmmod.TqdmBase,), {"_context": Context(), "_open": [], "__slots__": ()})
    return cls(**kwargs), lines


def test_the_line_as_tqdm_formats_it(clock):
    b, _ = bar(clock, total=10, desc="x")
    b.n = 3
    b.set_postfix_str("loss=1", refresh=False)
    clock.now += 1.5
    assert str(b) == "x:  30%|███       | 3/10 [00:01<00:03,  2.00it/s, loss=1]"
    b2, _ = bar(clock, total=10)
    b2.n = 1
    clock.now += 3.5
    assert str(b2) == " 10%|█         | 1/10 [00:03<00:31,  3.50s/it]"
    b3, _ = bar(clock, total=10)
    b3.n = 7  # no time has passed: no rate yet
    assert str(b3) == " 70%|███████   | 7/10 [00:00<?, ?it/s]"
    b4, _ = bar(clock)
    b4.n = 3
    clock.now += 1.5
    assert str(b4) == "3it [00:01,  2.00it/s]"


def test_partial_blocks_and_ascii(clock):
    b, _ = bar(clock, total=3)
    b.n = 2
    assert str(b).startswith(" 67%|██████▋   | 2/3 ")
    b, _ = bar(clock, total=3, ascii=True)
    b.n = 2
    assert str(b).startswith(" 67%|######6   | 2/3 ")
    b, _ = bar(clock, total=4, ncols=40)
    b.n = 2
    assert len(str(b)) == 40


def test_numbers_as_tqdm_shows_them():
    f = tqdmmod
    assert f.format_interval(3725) == "1:02:05"
    assert f.format_interval(59.9) == "00:59"
    assert [f.format_num(v) for v in (0.123456, 5, 123456.0, 1e-5, 2.0)] == \
        ["0.123", "5", "1.23e+5", "1e-5", "2"]
    assert [f.format_sizeof(v) for v in (5, 1234, 45_600_000)] == ["5.00", "1.23k", "45.6M"]


def test_postfix_sorted_and_numbers_shortened(clock):
    b, _ = bar(clock, total=5)
    b.set_postfix(loss=0.123456, acc=5, refresh=False)
    assert b.postfix == "acc=5, loss=0.123"
    b.set_postfix({"b": "x ", "a": 1.5}, refresh=False)
    assert b.postfix == "b=x, a=1.5"


def test_a_loop_prints_its_items_and_draws_on_stderr():
    out, err = ok(
        "from tqdm import tqdm\n"
        "import torch\n"
        "total = 0.0\n"
        "for x in tqdm([torch.tensor(1.0), torch.tensor(2.5)], desc='sum'):\n"
        "    total += x.item()\n"
        "print('total', total)\n")
    assert out == "total 3.5\n"
    assert err.startswith("\rsum:   0%|          | 0/2 [00:00<?, ?it/s]")
    assert re.search(r"\rsum: 100%\|██████████\| 2/2 \[00:00<00:00, +[0-9.]+it/s\]\n$", err)


def test_write_goes_to_stdout_and_the_bar_closes():
    out, err = ok(
        "from tqdm.auto import tqdm, trange\n"
        "for epoch in trange(2, desc='epochs'):\n"
        "    tqdm.write(f'epoch {epoch} done')\n"
        "with tqdm(total=3, leave=False, unit='batch') as bar:\n"
        "    for i in range(3):\n"
        "        bar.update(1)\n"
        "        bar.set_postfix(loss=1 / (i + 1))\n"
        "print(bar.n, bar.total, len(bar), type(bar).__name__)\n")
    assert out == "epoch 0 done\nepoch 1 done\n3 3 3 tqdm\n"
    assert "epochs: 100%|██████████| 2/2" in err
    assert "loss=0.333]" in err and "batch/s" in err
    assert err.endswith("\r")  # leave=False: the line is cleared


def test_disabled_bars_draw_nothing():
    out, err = ok(
        "import tqdm\n"
        "print(list(enumerate(tqdm.tqdm([10, 20], disable=True))))\n"
        "print(sum(tqdm.notebook.tqdm(range(4), disable=None)))\n")
    assert out == "[(0, 10), (1, 20)]\n6\n"
    assert err == ""


def test_the_bar_on_stdout_when_asked():
    out, err = ok(
        "import sys\n"
        "from tqdm import tqdm\n"
        "for _ in tqdm(range(2), file=sys.stdout, mininterval=1000):\n"
        "    pass\n")
    assert out.startswith("\r  0%|          | 0/2") and out.endswith("\n") and err == ""


def test_mistakes():
    out, _ = ok("from tqdm import tqdm\ntry:\n    tqdm(range(3), colour_x=1)\n"
                "except KeyError as e:\n    print(e)\n")
    assert out == "\"Unknown argument(s): {'colour_x': 1}\"\n"  # as tqdm's TqdmKeyError
    assert "bar_format field" in last_line(
        "from tqdm import tqdm\ntqdm(range(3), bar_format='{n.__class__}')\n")
    assert "takes sys.stdout or sys.stderr" in last_line(
        "from tqdm import tqdm\ntqdm(range(3), file=print)\n")
    assert last_line("from tqdm import tqdm\nfor x in tqdm(5):\n    pass\n") == \
        "TypeError: 'int' object is not iterable"
    assert "has no attribute" in last_line(
        "from tqdm import tqdm\nb = tqdm(range(2), disable=True)\nb._stream('x')\n")
    assert "has no attribute" in last_line("from tqdm import tqdm\ntqdm._context\n")
    out, _ = ok("from tqdm import tqdm\nb = tqdm([1], disable=True)\n"
                "print(isinstance(b, tqdm), type(b) is tqdm, type(b))\n")
    assert out == "True True <class 'tqdm.std.tqdm'>\n"
