"""The backward engine: ``backward`` and ``run_backward``, which walk the graph without
recursion, and what runs inside a pass: hooks, retain_grad, gradients handed to leaves.

Backward formulas run on numpy arrays (``backends.NP``), or on Tensors (``backends.TS``)
when ``create_graph=True`` so that the backward pass is recorded. Both backends are built
above the core: ``engine/__init__`` hands them down once, through ``connect``.
"""

from __future__ import annotations

import heapq

import numpy as np

from adcli.engine.autograd import anomaly as _anomaly
from adcli.engine.autograd.graph import (
    _ANOMALY,
    _FORMULA,
    _GRAD,
    _INPLACE,
    _NONES,
    FREED,
    AccumulateGrad,
    Node,
    _wrap,
    bump,
)
from adcli.engine.autograd.views import capture_key, edge
from adcli.engine.dtypes import BY_NP as _BY_NP
from adcli.engine.shape import unbroadcast
from adcli.errors import TorchRuntimeError, TorchTypeError

_ndarray = np.ndarray
# The Tensor class (engine/tensor.py), handed down by autograd.bind_tensor.
Tensor = None

# ---- the layers above the core -----------------------------------------------------------
# The engine calls back into what is built on it: the array backends of backward formulas,
# and the ops that copy a gradient. It imports none of them: engine/__init__ hands them
# over once, through tensor.connect, which passes them on here.
_clone = _fresh_copy = _NUMPY = _GRAPH = None


def connect(*, clone, fresh_copy, numpy_backend, graph_backend) -> None:
    """Give the engine the parts above it that it calls (done once, by tensor.connect)."""
    global _clone, _fresh_copy, _NUMPY, _GRAPH
    _clone, _fresh_copy = clone, fresh_copy
    _NUMPY, _GRAPH = numpy_backend, graph_backend


def as_tensor_list(x, fn: str, what: str) -> list:
    """A Tensor, or a list or tuple of them, as a list: torch's ``Sequence[Tensor] or
    Tensor``. Anything else (a range, a zip, a string) is a TypeError, never iterated."""
    if isinstance(x, Tensor):
        return [x]
    if not isinstance(x, list | tuple):
        raise TorchTypeError(f"{fn}(): {what} must be a Tensor or a sequence of Tensors, "
                             f"not {type(x).__name__}")
    return list(x)


def _root_gradients(roots, grads, create):
    """Check outputs and their gradients; make implicit ones for one-element outputs."""
    edges, values = [], []
    for i, t in enumerate(roots):
        if not isinstance(t, Tensor):
            raise TorchTypeError(f"backward expects Tensors as outputs, got {type(t).__name__}")
        if not t.requires_grad:
            raise TorchRuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        g = None if grads is None else grads[i]
        if g is None:
            if t._data.size != 1:
                raise TorchRuntimeError(
                    "grad can be implicitly created only for scalar outputs"
                )
            arr = np.ones(t._data.shape, t._data.dtype)
            values.append(_wrap(arr) if create else arr)
        else:
            if not isinstance(g, Tensor):
                raise TorchTypeError(
                    f"gradients can be either Tensors or None, but got {type(g).__name__}"
                )
            if g._data.shape != t._data.shape:
                # torch finds the positions with list.index, which compares tensors with ==
                # (and can fail as bool() of such a comparison fails)
                gi = i if i == 0 else list(grads).index(g)
                oi = i if i == 0 else list(roots).index(t)
                raise TorchRuntimeError(
                    f"Mismatch in shape: grad_output[{gi}] has a shape of "
                    f"torch.Size({list(g._data.shape)}) and output[{oi}] has a shape of "
                    f"torch.Size({list(t._data.shape)})."
                )
            if g._data.dtype != t._data.dtype:
                g = _wrap(g._data.astype(t._data.dtype))
            values.append(g if create else g._data)
        edges.append(edge(t))
    return edges, values


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """torch.autograd.backward: accumulate gradients of ``tensors`` into the leaves."""
    tensors = as_tensor_list(tensors, "backward", "tensors")
    if grad_tensors is not None:
        if isinstance(grad_tensors, int | float):  # as torch: tuple(5)
            raise TorchTypeError(f"'{type(grad_tensors).__name__}' object is not iterable")
        grad_tensors = as_tensor_list(grad_tensors, "backward", "grad_tensors")
        if len(grad_tensors) != len(tensors):
            raise TorchRuntimeError(
                f"got {len(grad_tensors)} gradients for {len(tensors)} outputs"
            )
    edges, grads = _root_gradients(tensors, grad_tensors, create_graph)
    capture = None
    if inputs is not None:
        inputs = as_tensor_list(inputs, "backward", "inputs")
        if not inputs:
            raise TorchRuntimeError("backward(inputs=...) got an empty list of inputs")
        capture = {}
        for t in inputs:
            capture[capture_key(t)] = t
    keep = create_graph if retain_graph is None else retain_graph
    run_backward(edges, grads, keep, create_graph, capture=capture, accumulate=True)


# An observer of backward passes (``adcli explain``, ``run --trace-grad``), or None: an
# object with started(roots, grads, create), ran(node, g, grads_in), passed(node, edge,
# given, conformed), leaf(tensor, g) and finished(). Only read once per pass and per node
# (``_to_leaf`` reads it per leaf). In anomaly mode with check_nan, the pass wraps it in an
# ``anomaly.Watch``, which checks each node's gradients and passes every event on.
OBSERVER: list = [None]
# the running pass's ``needed`` (the edges that lead to autograd.grad's or backward(inputs=)'s
# inputs; None: every edge), saved and restored around a nested pass
_NEEDED: list = [None]


def wants_gradient(node: Node, i: int) -> bool:
    """Whether the running backward pass wants the gradient of ``node``'s i-th input, as
    torch's should_compute_output: an input that leads to no requested gradient is not
    asked for. Outside a pass, every input with an edge is wanted."""
    edge = node._next[i]
    if edge is None:
        return False
    needed = _NEEDED[0]
    return needed is None or edge in needed


def run_backward(roots, grads, keep, create, capture=None, accumulate=True, sources=None):
    """The engine. ``roots``: edges (nodes or leaf Tensors) with their ``grads``.

    Without ``capture``, gradients accumulate into every leaf reached. With ``capture``
    (a dict edge -> tensor), only the nodes leading to those edges run; with ``accumulate``
    their tensors' ``.grad`` accumulate (backward(inputs=...)), else the gradients are
    returned as a dict edge -> gradient (autograd.grad).

    A node runs once all its consumers have passed their gradient on, the newest first as
    in torch. A gradient whose shape or dtype differs from its input's is reduced with
    ``unbroadcast`` or cast here. Nothing recurses: a chain of any length works.
    """
    deps = _count_consumers(roots)
    needed = None if capture is None else _needed(deps, capture)
    # pending: edge -> the sum of the gradients it has received while it waits
    pending: dict = {}
    for e, g in zip(roots, grads):
        pending[e] = g if e not in pending else pending[e] + g
    owned: set = {id(g) for g in grads}  # arrays not ours to hand to a leaf without a copy
    found: dict = {}
    heap = []
    for e in roots:
        if deps[e] == 0 and e in pending:
            if type(e) is Tensor:
                _to_leaf(e, pending.pop(e), capture, accumulate, found, owned, create)
            else:
                heap.append((-e._seq, e))
    heapq.heapify(heap)
    prev, prev_formula, prev_needed = _GRAD[0], _FORMULA[0], _NEEDED[0]
    _GRAD[0] = _FORMULA[0] = create
    _NEEDED[0] = needed
    obs = OBSERVER[0]
    if _ANOMALY[0] and _ANOMALY[1]:  # anomaly detection: each node's gradients checked
        obs = _anomaly.Watch(obs, needed)
    if obs is not None:
        obs.started(roots, grads, create)
    try:
        _run_nodes(heap, pending, deps, needed, keep, create, capture, accumulate, found,
                   owned, sources, obs)
    finally:
        _GRAD[0], _FORMULA[0], _NEEDED[0] = prev, prev_formula, prev_needed
        if obs is not None:
            obs.finished()
    return found


def _count_consumers(roots) -> dict:
    """Every edge reached from ``roots``, with the number of its consumers in the graph
    (the gradients it waits for before it runs)."""
    deps: dict = {}
    stack = []
    for e in roots:
        if e not in deps:
            deps[e] = 0
            if type(e) is not Tensor:
                stack.append(e)
    while stack:
        for e in stack.pop()._next:
            if e is not None:
                if e in deps:
                    deps[e] += 1
                else:
                    deps[e] = 1
                    if type(e) is not Tensor:
                        stack.append(e)
    return deps


def _run_nodes(heap, pending, deps, needed, keep, create, capture, accumulate, found, owned,
               sources, obs) -> None:
    """Run the ready nodes, each once its gradient is complete, and pass their gradients
    on: to the node's inputs, each of which is ready when its last consumer has run.
    ``obs``: the pass's observer, or None."""
    F = _GRAPH if create else _NUMPY
    numpy_mode = not create
    node, g = _pop_ready(heap, pending)
    try:
        while node is not None:
            if node._pre:
                g = _pre_hooks(node, g, create)
            if capture is not None and node in capture and _captured_last(node, g, needed,
                                                                           accumulate, found):
                node, g = _pop_ready(heap, pending)
                continue
            # the node's backward: spelled out for one and two arguments, as a star call costs
            # more; the numpy pass frees what the node saved as it goes (unless ``keep``)
            saved = node._saved
            if saved is None:
                n = len(node._next)
                if n == 1:
                    grads_in = node.backward(F, g, None)
                elif n == 2:
                    grads_in = node.backward(F, g, None, None)
                else:
                    grads_in = node.backward(F, g, *(_NONES[n] if n < 64 else (None,) * n))
            elif numpy_mode and saved is not FREED:
                if node._seq < _INPLACE[0]:
                    node.check_versions()
                n = len(saved)
                if n == 1:
                    grads_in = node.backward(F, g, saved[0])
                elif n == 2:
                    grads_in = node.backward(F, g, saved[0], saved[1])
                else:
                    grads_in = node.backward(F, g, *saved)
                if not keep:
                    if node._releases:
                        node.release()
                    else:
                        node._saved = FREED
                        node._saved_t = None
            else:
                grads_in = node.run(F, g)
                if not keep:
                    node.release()
            if obs is not None:
                obs.ran(node, g, grads_in)
            # pass the gradients on; a lone ready input runs next without going by the heap
            nxt = None
            exact = node._exact
            for e, gi in zip(node._next, grads_in):
                if e is None or (needed is not None and e not in needed):
                    continue
                if gi is None:  # no gradient this way, but one consumer fewer to wait for
                    _without_gradient(e, deps, pending, heap, needed, capture, accumulate,
                                      found, owned, create)
                    continue
                if type(e) is Tensor or not exact:
                    if obs is not None:
                        given = gi
                        gi = _conform(gi, e, numpy_mode)
                        obs.passed(node, e, given, gi)
                    else:
                        gi = _conform(gi, e, numpy_mode)
                elif obs is not None:
                    obs.passed(node, e, gi, gi)
                n = deps[e] - 1
                deps[e] = n
                if n:  # more consumers to come: wait for their gradients
                    pending[e] = pending[e] + gi if e in pending else gi
                elif type(e) is Tensor:
                    if e in pending:  # a sum of gradients: a fresh array
                        gi = pending.pop(e) + gi
                    elif sources is not None:  # the one node that handed the leaf its gradient
                        sources[e] = node
                    _to_leaf(e, gi, capture, accumulate, found, owned, create)
                else:
                    if e in pending:
                        gi = pending.pop(e) + gi
                    if nxt is None and not heap:
                        nxt, g_next = e, gi  # the common chain case: no need for the heap
                    else:
                        if nxt is not None:
                            pending[nxt] = g_next
                            heapq.heappush(heap, (-nxt._seq, nxt))
                            nxt = None
                        pending[e] = gi
                        heapq.heappush(heap, (-e._seq, e))
            if nxt is not None:
                node, g = nxt, g_next
            elif heap:
                node = heapq.heappop(heap)[1]
                g = pending.pop(node)
            else:
                node = None
    except Exception as exc:
        if _ANOMALY[0]:  # anomaly detection: name the forward call of the failing node
            _anomaly.failed(node, exc, getattr(exc, "_anomaly_leaf", None))
        raise


def _pop_ready(heap, pending) -> tuple:
    """The newest ready node and its gradient, or (None, None) when none is left."""
    if not heap:
        return None, None
    node = heapq.heappop(heap)[1]
    return node, pending.pop(node)


def _captured_last(node: Node, g, needed, accumulate: bool, found: dict) -> bool:
    """Keep the gradient of a captured node; True when nothing past it needs to run (its
    gradient is returned, and no input of it leads to another captured edge)."""
    found[node] = g
    return not accumulate and not any(e is not None and e in needed for e in node._next)


def _conform(gi, e, numpy_mode: bool):
    """The gradient ``gi`` for edge ``e`` in that input's shape and dtype: summed over the
    broadcast dimensions and cast where the node's backward gave another."""
    if type(e) is Tensor:
        data = e._data
        shape, dtype = data.shape, data.dtype
    else:
        shape, dtype = e._shape, e._dtype
    if gi.shape != shape:
        gi = unbroadcast(gi, shape)
    if gi.dtype is not dtype and gi.dtype != dtype:
        gi = gi.astype(dtype) if numpy_mode else gi.to(_BY_NP[dtype])
    return gi


def _without_gradient(edge, deps, pending, heap, needed, capture, accumulate, found, owned,
                      create):
    """A consumer of ``edge`` passed it no gradient: one consumer fewer to wait for. An edge
    left with no consumer and no gradient does not run, and the same goes on for each of
    its inputs in turn; one left with a gradient is ready."""
    stack = [edge]
    while stack:
        e = stack.pop()
        n = deps[e] - 1
        deps[e] = n
        if n:
            continue
        if e in pending:
            if type(e) is Tensor:
                _to_leaf(e, pending.pop(e), capture, accumulate, found, owned, create)
            else:
                heapq.heappush(heap, (-e._seq, e))
        elif type(e) is not Tensor:
            stack.extend(c for c in e._next
                         if c is not None and (needed is None or c in needed))


def _needed(reached, capture: dict) -> set:
    """The edges from which a captured edge can be reached (the part of the graph to run)."""
    needed = {e for e in capture if e in reached}
    # a node is created after its inputs, so in creation order inputs come first
    for n in sorted((e for e in reached if type(e) is not Tensor), key=lambda n: n._seq):
        if n not in needed and any(e is not None and e in needed for e in n._next):
            needed.add(n)
    return needed


def _own(g, owned: set, create: bool):
    """``g`` as a gradient a leaf may keep: copied if it may be shared with anything else."""
    if create:
        if id(g) in owned:
            return _clone(g)
        owned.add(id(g))
        return g
    if type(g) is not _ndarray or g.base is not None or id(g) in owned or not g.flags.writeable:
        g = np.array(g)
    owned.add(id(g))
    return g


def _to_leaf(t: Tensor, g, capture, accumulate, found, owned, create) -> None:
    if t._hooks:
        try:
            g = _run_hooks(t._hooks, g, create, t._data.shape, t._data.dtype)
        except Exception as exc:  # torch runs a leaf's hooks in its AccumulateGrad node
            if _ANOMALY[0] and hasattr(exc, "__dict__"):
                exc._anomaly_leaf = AccumulateGrad(t).name()
            raise
    obs = OBSERVER[0]
    if obs is not None:
        obs.leaf(t, g)
    if capture is not None:
        if t not in capture:
            return
        if not accumulate:
            found[t] = g
            return
    g = _own(g, owned, create)
    if t._grad is None:
        # as torch: under create_graph the new .grad is a copy_ of the gradient
        t._grad = _fresh_copy(g) if create else _wrap(g)
    elif create:
        t._grad = t._grad + g
    else:
        old = t._grad._data
        if old.shape == g.shape and old.flags.writeable:
            np.add(old, g, out=old, casting="unsafe")
            bump(t._grad)
        else:
            t._grad = _wrap(old + g)
    if t._post_acc:
        _post_accumulate(t)


def _post_accumulate(t: Tensor) -> None:
    """The leaf's post-accumulate-grad hooks, each given the tensor; they return None."""
    for hook in list(t._post_acc.values()):
        r = _call_user(hook, t)
        if r is not None:
            raise TorchTypeError(f"expected Variable, but hook returned '{type(r).__name__}'")


def _pre_hooks(node: Node, g, create: bool):
    """A node's gradient is complete: run the hooks of the tensor it made, then keep the
    gradient if that tensor retains it (last, as torch does). Returns the gradient."""
    if node._hooks:
        g = _run_hooks(node._hooks, g, create, node._shape, node._dtype)
    if node._retain is not None:
        _retain(node, g, create)
    return g


def _run_hooks(hooks: dict, g, create: bool, shape, dtype):
    for hook in list(hooks.values()):
        r = _call_user(hook, g if create else _wrap(g))
        if r is None:
            continue
        if not isinstance(r, Tensor):
            raise TorchTypeError(f"a hook must return a Tensor or None, not {type(r).__name__}")
        if r._data.shape != shape:
            raise TorchRuntimeError(
                f"a hook changed the gradient's shape from {list(shape)} to "
                f"{list(r._data.shape)}; it must return a tensor of the gradient's shape"
            )
        if r._data.dtype != dtype:
            raise TorchRuntimeError(
                f"a hook changed the gradient's dtype from {_BY_NP[dtype]} to {r.dtype}; it "
                "must return a tensor of the gradient's dtype"
            )
        g = r if create else np.array(r._data)  # the script may hold r: never alias it
    return g


def _call_user(fn, *args):
    """Call a script's function (a hook) from inside a backward pass, as a script: its
    `g * 2` is recorded as a script's would be."""
    if not _FORMULA[0]:
        return fn(*args)
    _FORMULA[0] = False
    try:
        return fn(*args)
    finally:
        _FORMULA[0] = True


def _retain(node: Node, g, create: bool) -> None:
    t = node._retain()
    if t is None:
        return
    if t._grad is None:
        t._grad = _clone(g) if create else _wrap(np.array(g))
    else:
        t._grad = t._grad + g if create else _wrap(t._grad._data + g)

