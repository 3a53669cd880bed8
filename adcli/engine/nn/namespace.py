"""The members of ``torch.nn`` (and its ``init`` and ``utils``) that scripts reach."""

from __future__ import annotations

from adcli.engine.devices import Namespace
from adcli.engine.nn import (
    attention,
    containers,
    conv,
    extra,
    init,
    layers,
    losses,
    normalization,
    padding,
    prune,
    resampling,
    rnn,
    utils,
)
from adcli.engine.nn.module import Module
from adcli.engine.nn.parameter import Parameter

MODULE_CLASSES = {
    name: cls for name, cls in (
        *((n, getattr(containers, n)) for n in (
            "Sequential", "ModuleList", "ModuleDict", "ParameterList", "ParameterDict")),
        *((n, getattr(m, n))
          for m in (layers, conv, normalization, padding, resampling, losses, extra)
          for n in dir(m)),
        *rnn.RNN_CLASSES.items(),
        *attention.ATTENTION_CLASSES.items(),
    )
    if isinstance(cls, type) and issubclass(cls, Module) and not name.startswith("_")
}

NN_MEMBERS = {"Module": Module, "Parameter": Parameter, **MODULE_CLASSES}
INIT_MEMBERS = dict(init.MEMBERS)
UTILS_MEMBERS = dict(utils.MEMBERS)
UTILS_MEMBERS["prune"] = Namespace("torch.nn.utils.prune", dict(prune.MEMBERS))
