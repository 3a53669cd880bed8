"""Any stdout encoding works (issue 18): under ``PYTHONIOENCODING=cp1252`` or an ASCII
stdout (``LANG=C PYTHONIOENCODING=ascii``, with strict or surrogateescape errors) `adcli
eval`, `adcli run` and `adcli check` never stop with an internal error; what the encoding
cannot hold is escaped (``\\u2202``), and eval's graph is drawn with ASCII guides.

(click.echo treats an ASCII stream as misconfigured and writes UTF-8 to it with errors
replaced; it never fails either.)"""

import glob
import os
import subprocess

import pytest

ENCODINGS = {
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "ascii": {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
    "ascii-surrogateescape": {"LANG": "C", "LC_ALL": "C",
                              "PYTHONIOENCODING": "ascii:surrogateescape"},
}
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def adcli(cmd, args, encoding, timeout=300, traceback_ok=False):
    env = dict(os.environ, NO_COLOR="1", **ENCODINGS[encoding])
    done = subprocess.run([cmd, *args], capture_output=True, timeout=timeout, env=env,
                          cwd=ROOT, check=False)
    for stream in (done.stdout, done.stderr):
        text = stream.decode("utf-8", errors="replace")
        assert "internal error" not in text and "UnicodeEncodeError" not in text, text
        assert traceback_ok or "Traceback" not in text, text
    return done


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_eval_draws_its_graph_in_ascii(encoding, adcli_cmd):
    done = adcli(adcli_cmd, ["eval", "x * y + x", "-b", "x=2.", "-b", "y=3."], encoding)
    assert done.returncode == 0
    out = done.stdout.decode("ascii")
    assert "|- MulBackward0" in out and "`- AccumulateGrad (y)" in out
    assert "grads  x = tensor(4.)" in out


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_eval_notes_errors_and_json(encoding, adcli_cmd):
    done = adcli(adcli_cmd, ["eval", "sum(x*x)", "-b", "x=[1, 2]", "--json"], encoding)
    assert done.returncode == 0
    assert b"integer tensor (int64)" in done.stderr
    done = adcli(adcli_cmd, ["eval", "x + \u2202", "-b", "x=1."], encoding)
    assert done.returncode == 1
    assert b"SyntaxError: unexpected character" in done.stderr


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_run_prints_non_ascii_as_escapes(encoding, adcli_cmd, tmp_path):
    path = tmp_path / "u.py"
    path.write_text('print("\u2202y/\u2202x \u2192 \u2026 \u250c\u2500\u2510 \u2502 '
                    '\u2514\u2500\u2518")\nraise ValueError("\u2202 \u2192")\n',
                    encoding="utf-8")
    done = adcli(adcli_cmd, ["run", str(path)], encoding, traceback_ok=True)
    assert done.returncode == 1
    assert done.stdout.startswith(b"\\u2202y/\\u2202x \\u2192 ")
    assert b"ValueError: \\u2202 \\u2192" in done.stderr


SAMPLES = sorted(glob.glob(os.path.join(ROOT, "samples", "seeds", "*.adc"))) + [
    os.path.join(ROOT, "samples", "python", "py", name)
    for name in ("p01_string_literals.py", "p02_fstrings_and_format.py")]


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
@pytest.mark.parametrize("sample", SAMPLES, ids=[os.path.basename(s) for s in SAMPLES])
def test_samples_run_under_any_encoding(sample, encoding, adcli_cmd):
    expected_status = 0
    status_file = os.path.splitext(sample)[0] + ".status"
    if os.path.exists(status_file):
        with open(status_file) as fh:
            expected_status = int(fh.read().split()[0])
    done = adcli(adcli_cmd, ["run", sample], encoding, traceback_ok=True)
    assert done.returncode == expected_status, done.stderr


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_check_reports_under_any_encoding(encoding, adcli_cmd):
    done = adcli(adcli_cmd, ["check", "samples/homework/set.toml",
                             "samples/homework/submissions/alice.toml", "--timeout", "20"],
                 encoding)
    assert done.returncode == 0, done.stderr
    assert b"alice.toml" in done.stdout
