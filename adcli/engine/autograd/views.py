"""Views after an in-place write: a view whose storage was written through another view or
its base gets its history rebased (``refresh``), as torch's AsStridedBackward0; and
``edge``, where a tensor's gradient goes, which is current only once that is done."""

from __future__ import annotations

import numpy as np

from adcli.engine.autograd.graph import Node, _new, _seq


def edge(t):
    """Where a gradient for ``t`` goes: its grad_fn (a Node), itself if a leaf requiring grad,
    else None."""
    if t._view is not None:
        refresh(t)
    return t._grad_fn or (t if t._rg else None)


def capture_key(t):
    """The edge whose gradient is ``t``'s gradient (``t`` itself for a leaf)."""
    e = edge(t)
    return t if e is None else e


class AsStridedBackward0(Node):
    """The grad_fn of a view after an in-place op on it rebased its base's history."""

    def backward(self, F, g, *unused):
        return (F.place(g, self.in_shape, self.steps),)


def refresh(t) -> None:
    """Bring a view's history up to date after its storage was written in place through
    another view or its base: as torch, it becomes an AsStridedBackward0 of the base."""
    version = t._ver[0]
    if t._view_ver == version:
        return
    t._view_ver = version
    base, steps = t._view
    if base._rg and not t._view_nograd:
        fn = _graft(AsStridedBackward0, (base._grad_fn or base,), t._data)
        fn.steps, fn.in_shape = steps, base._data.shape
        _move_retain(t, fn)
        t._grad_fn, t._rg = fn, True


def _graft(cls, edges: tuple, like: np.ndarray) -> Node:
    """A node built by hand (not by an op's apply), with nothing saved."""
    node = _new(cls)
    node._next, node._seq, node._shape, node._dtype = edges, next(_seq), like.shape, like.dtype
    return node


def _move_retain(x, node: Node) -> None:
    """As torch: a tensor that retains its grad keeps doing so across in-place ops, whose
    node becomes the one whose gradient is kept."""
    if x._retains and x._grad_fn is not None:
        node._retain, x._grad_fn._retain = x._grad_fn._retain, None
        node._pre = True
