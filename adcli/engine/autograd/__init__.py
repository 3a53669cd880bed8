"""The autograd core, apart from the Tensor class built on it (``engine/tensor.py``):

    graph    grad, inference and forward-AD modes; Node (a grad_fn), what it saves and its
             version checks; version counters (bump, box); AccumulateGrad; hook handles
    views    views refreshed after in-place writes (AsStridedBackward0); ``edge``
    engine   backward and run_backward, hooks and retain_grad during a pass

Imports run graph <- views <- engine, and nothing here imports a module above. The core
makes Tensors and tells them apart (``type(x) is Tensor``), so ``engine/tensor.py`` hands it
the class once, through ``bind_tensor``, when it is imported.
"""

from adcli.engine.autograd import engine, graph


def bind_tensor(cls) -> None:
    """Give the core the Tensor class (done once, by engine/tensor.py)."""
    graph.Tensor = engine.Tensor = cls
