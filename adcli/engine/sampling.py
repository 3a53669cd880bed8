"""``torch.poisson``: counts drawn from a Poisson distribution, one per rate.

The draws are ``TorchGenerator.poisson`` (ATen's ``sample_poisson``, bit for bit with
torch's CPU stream); the result has the rates' shape and float dtype and records
``PoissonBackward0``, whose gradient is zeros as torch's (derivatives.yaml:
``self: zeros_like(self)``). ``Tensor.poisson`` does not exist in torch 2.13.
"""

from __future__ import annotations

from adcli.engine import api as _api
from adcli.engine import dtypes as _dt
from adcli.engine import ops as _ops
from adcli.engine.tensor import Tensor
from adcli.errors import TorchNotImplementedError, TorchTypeError


def poisson(input, generator=None) -> Tensor:
    """torch.poisson(input, generator=None): a Poisson count for each rate in input."""
    if not isinstance(input, Tensor):
        raise TorchTypeError("poisson(): argument 'input' (position 1) must be Tensor, not "
                             f"{type(input).__name__}")
    if generator is not None and not isinstance(generator, _api.Generator):
        raise TorchTypeError("poisson(): argument 'generator' must be torch.Generator, not "
                             f"{type(generator).__name__}")
    rates = input._data
    if rates.dtype.kind != "f":
        raise TorchNotImplementedError(f"\"poisson_cpu\" not implemented for "
                                       f"'{_dt.BY_NP[rates.dtype].legacy}'")
    counts = _api._generator(generator).poisson(rates)
    if rates.dtype == _dt.float16.np:
        data = counts.astype("float32").astype(rates.dtype)  # c10::Half takes a float
    else:
        data = counts.astype(rates.dtype)
    return _ops.PoissonBackward0.apply(input, data)
