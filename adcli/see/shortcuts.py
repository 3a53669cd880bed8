"""The REPL's ``:graph NAME`` and ``:explain NAME``: the same views as ``adcli graph`` and
``adcli explain``, for a variable of a live session. The REPL runs its session under an
inspector (``session.see_inspector``), so nodes carry their sites and backward passes
are recorded; without one, the graph still shows but without the user's words."""

from __future__ import annotations

from adcli.engine.tensor import Tensor
from adcli.errors import TorchNameError, TorchValueError


def _value(session, name: str):
    if name not in session.scope:
        raise TorchNameError(f"name '{name}' is not defined")
    return session.scope[name]


def _inspector(session):
    inspector = getattr(session, "see_inspector", None)
    if inspector is None:
        from adcli.see.inspect import Inspector

        inspector = Inspector()
        inspector.sessions.append(session)
    return inspector


def graph_view(session, name: str):
    """The graph of variable ``name`` as a rich tree."""
    from adcli.see import model
    from adcli.see.formats import text

    value = _value(session, name)
    if not isinstance(value, Tensor):
        raise TorchValueError(f"'{name}' is a {type(value).__name__}, not a tensor")
    names = _inspector(session).names()
    graph = model.build(value, names, max_nodes=2000, title=name)
    return text.render(graph)


def explain_view(session, name: str):
    """The session's last backward pass, narrowed to the steps that lead to ``name``."""
    from adcli.see.explain import explain, rich_view

    value = _value(session, name)
    if not isinstance(value, Tensor):
        raise TorchValueError(f"'{name}' is a {type(value).__name__}, not a tensor")
    return rich_view(explain(_inspector(session), None, [name]))
