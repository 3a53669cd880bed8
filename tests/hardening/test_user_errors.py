"""A user's mistake is a clear AdcliError (exit status 1), never an internal error (3).

Each case here was once reported as an internal error: numpy's own type errors on a
``.numpy()`` array, a ``v`` of the wrong type given to ``vjp``/``jvp``, ``.variable`` of a
grad_fn that is not AccumulateGrad, and ``-b x=@file.npy`` whose header claims more
elements than the bound (adcli read the header only after allocating 37 GiB for it).
"""

import json

import numpy as np
import pytest
from click.testing import CliRunner

from adcli.cli.main import cli
from adcli.evaluate import BindingError, load_array_file

from .harness import address_space_cap, assert_rejected, run_script

MB = 1 << 20


@pytest.mark.parametrize("source, pos, kind, words", [
    ("x = ones(3).numpy()\nx < 'a'\n", (2, 1), "TypeError", "'<' is not supported"),
    ("x = ones(3).numpy()\n'a' >= x\n", (2, 1), "TypeError", "'>=' is not supported"),
    ("x = ones(3)\nautograd.functional.vjp(lambda a: a * 2, x, 'v')\n", (2, 21), "TypeError",
     "The v given to vjp must be either a Tensor or a tuple of Tensors"),
    ("x = ones(3)\nautograd.functional.vjp(lambda a: a * 2, x, ['v'])\n", (2, 21),
     "TypeError", "the value at index 0 has type str"),
    ("x = ones(3)\nautograd.functional.jvp(lambda a: a * 2, x, 5)\n", (2, 21), "TypeError",
     "has type int"),
    ("y = ones(2, requires_grad=True) * 2\ny.grad_fn.variable\n", (2, 11), "AttributeError",
     "'MulBackward0' object has no attribute 'variable'"),
])
def test_mistakes_are_adcli_errors(source, pos, kind, words):
    assert_rejected(run_script(source), kind, pos, words)


def _npy(path, shape: str, descr: str = "'<f4'", data: bytes = b"") -> str:
    """A .npy file whose header claims ``shape`` and ``descr`` (Python literals), followed
    by ``data``."""
    header = f"{{'descr': {descr}, 'fortran_order': False, 'shape': {shape}, }}"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    path.write_bytes(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little")
                     + header.encode() + data)
    return str(path)


def run_eval(*args):
    return CliRunner().invoke(cli, ["eval", *args], env={"NO_COLOR": "1"})


def test_a_npy_header_over_the_element_bound_is_refused_before_reading(tmp_path):
    path = _npy(tmp_path / "big.npy", "(10000000000,)", data=b"\0" * 16)
    with address_space_cap(1 << 30):
        r = run_eval("x.sum()", "-b", f"x=@{path}")
    assert r.exit_code == 1, r.output
    assert "LimitError" in r.stderr and "10,000,000,000 elements" in r.stderr, r.stderr
    assert "big.npy" in r.stderr and "internal error" not in r.stderr


def test_a_npy_file_shorter_than_its_header_says_is_a_usage_error(tmp_path):
    path = _npy(tmp_path / "short.npy", "(1000,)", data=b"\0" * 16)
    with pytest.raises(BindingError, match="header says 1,000 elements"):
        load_array_file(path)
    r = run_eval("x.sum()", "-b", f"x=@{path}")
    assert r.exit_code == 2 and "only" in r.output, r.output


@pytest.mark.parametrize("descr, words", [("'|O'", "not numbers"), ("'<c8'", "not numbers"),
                                          ("[('a', '<f4')]", "not numbers"),
                                          ("('<f4', (1000,))", "not numbers")])
def test_a_npy_file_of_other_dtypes_is_refused_before_reading(tmp_path, descr, words):
    path = _npy(tmp_path / "odd.npy", "(10000000000,)", descr=descr)
    with pytest.raises(BindingError, match=words):
        load_array_file(path)


def test_a_npy_file_within_the_bounds_loads(tmp_path):
    np.save(tmp_path / "a.npy", np.arange(6, dtype=">f8").reshape(2, 3))  # big-endian too
    np.save(tmp_path / "f.npy", np.asfortranarray(np.ones((2, 3), np.float32)))
    r = run_eval("sum(a) + sum(f)", "-b", f"a=@{tmp_path / 'a.npy'}", "-b",
                 f"f=@{tmp_path / 'f.npy'}", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["value"] == 21.0


def test_a_csv_file_over_the_input_bound_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("1,2\n" * 300)
    r = CliRunner().invoke(cli, ["eval", "x.sum()", "-b", f"x=@{path}"],
                           env={"NO_COLOR": "1", "ADCLI_MAX_INPUT_BYTES": "1000"})
    assert r.exit_code == 1, r.output
    assert "LimitError" in r.stderr and "1,200 bytes" in r.stderr, r.stderr
    r = run_eval("x.sum()", "-b", f"x=@{path}", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["value"] == 900.0, r.output
