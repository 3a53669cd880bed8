"""The grad_fn classes of the products tutorials use beside mm and bmm: vdot and addbmm.
The names are declared in engine/declarations/scatters.py.
"""

from __future__ import annotations

import numpy as np

from adcli.engine.ops.kinds import Nary
from adcli.engine.ops.linalg import BmmBackward0, DotBackward0


class VdotBackward0(DotBackward0):
    """torch.vdot(a, b): the dot product of two vectors (the first conjugated; adcli's
    tensors are real)."""

    what = "vdot()"


class AddbmmBackward0(Nary):
    """addbmm(input, batch1, batch2, beta, alpha): beta * input + alpha * the sum over the
    batch of batch1[i] @ batch2[i], accumulated batch after batch as torch's loop of addmm_."""

    saves = "-oo"

    def forward(self, arrays, beta, alpha):
        c, a, b = arrays
        self.beta, self.alpha, self.n = beta, alpha, a.shape[0]
        shape = (a.shape[1], b.shape[2])
        dtype = a.dtype
        al = np.asarray(alpha, dtype)
        if beta == 0:
            out = np.zeros(shape, dtype)
        else:
            out = np.broadcast_to(c, shape).astype(dtype, copy=True)
            if beta != 1:
                out = out * np.asarray(beta, dtype)
        for i in range(a.shape[0]):
            prod = a[i] @ b[i]
            out = out + (prod * al if alpha != 1 else prod)
        return out

    def backward(self, F, g, c, a, b):
        numpy = F.numpy
        gc = None if self._next[0] is None else (g * self.beta if self.beta != 1 else g)
        ga = gb = None
        if numpy:
            ge = np.broadcast_to(g, (self.n, *g.shape))
            if b is not None and self._next[1] is not None:
                ga = np.matmul(ge, np.swapaxes(b, 1, 2))
            if a is not None and self._next[2] is not None:
                gb = np.matmul(np.swapaxes(a, 1, 2), ge)
        else:
            ge = g.unsqueeze(0).expand(self.n, *g.shape)
            if b is not None and self._next[1] is not None:
                ga = BmmBackward0.apply(ge, F.mT(b))
            if a is not None and self._next[2] is not None:
                gb = BmmBackward0.apply(F.mT(a), ge)
        if self.alpha != 1:
            ga = None if ga is None else ga * self.alpha
            gb = None if gb is None else gb * self.alpha
        return gc, ga, gb



__all__ = ["AddbmmBackward0", "VdotBackward0"]
