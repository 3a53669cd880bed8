"""The autograd engine on numpy, assembled here once, whichever part is imported first.

The layers import one way (see docs/ARCHITECTURE.md). Three things point back down, and
this module connects them: the core's backward pass calls the view machinery and the array
backends (``tensor.connect``), ``Tensor(...)`` is the legacy constructor
(``construct.tensor_new``), and Tensor's methods and operators come from the op
declarations (``declarations.install``).
"""

from adcli.engine import backends as _backends
from adcli.engine import construct as _construct
from adcli.engine import declarations as _declarations
from adcli.engine import ops as _ops
from adcli.engine import tensor as _tensor

_tensor.connect(**_ops.CORE_SERVICES, numpy_backend=_backends.NP, graph_backend=_backends.TS)
_tensor.Tensor.__new__ = staticmethod(_construct.tensor_new)
_declarations.install(_tensor.Tensor)
