"""The grad_fn classes, one module per family, each class its forward beside its backward:

    kinds        Unary, Binary, Nary, Bilinear, View: what every class builds on
    elementwise  arithmetic, powers, exponentials, trigonometry, rounding, selection
    shapes       views, reshapes, joins, splits, reading an index
    reductions   sums, means, products, extrema, norms, moments, scans
    linalg       matrix and vector products, traces, diagonals
    nn           activations, softmax, losses, and their backward-of-backward nodes
    writes       writing into a tensor: in-place ops, index assignment, CopySlices
    special      the gamma family, Bessel functions, sinc, hypot, logaddexp, xlog1py, zeta

Which torch names reach each class is declared in ``engine/declarations/``. This module
gathers the classes under one name (``ops.AddBackward0``) for the code that uses them.
"""

from adcli.engine.ops.elementwise import *  # noqa: F403
from adcli.engine.ops.kinds import *  # noqa: F403
from adcli.engine.ops.kinds import _number, _operands  # noqa: F401 - used as ops._number
from adcli.engine.ops.linalg import *  # noqa: F403
from adcli.engine.ops.nn import *  # noqa: F403
from adcli.engine.ops.reductions import *  # noqa: F403
from adcli.engine.ops.selection import *  # noqa: F403
from adcli.engine.ops.shapes import *  # noqa: F403
from adcli.engine.ops.shapes import _Permuting, _Reshaping  # noqa: F401
from adcli.engine.ops.special import *  # noqa: F403
from adcli.engine.ops.writes import *  # noqa: F403
