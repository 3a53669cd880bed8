"""``torch.optim``: SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, NAdam, RAdam,
Rprop, ASGD, LBFGS and ``lr_scheduler``, on the engine.

The optimizers follow torch 2.13's default CPU algorithm (single-tensor, ``foreach=False``)
operation for operation in the parameters' dtype, with ATen's kernel rounding (see
``_kernels``), so that trained values agree with torch bit for bit.

``MEMBERS`` maps the names a script reaches as ``torch.optim.<name>`` to their classes;
``lr_scheduler`` is a dict of its own (``torch.optim.lr_scheduler.<name>``). Each class
lists what a script may read or call on it in ``__adcli_public__``.
"""

from adcli.engine.optim import lr_scheduler
from adcli.engine.optim.adadelta import Adadelta
from adcli.engine.optim.adagrad import Adagrad
from adcli.engine.optim.adam import Adam, AdamW
from adcli.engine.optim.adamax import Adamax
from adcli.engine.optim.asgd import ASGD
from adcli.engine.optim.lbfgs import LBFGS
from adcli.engine.optim.nadam import NAdam
from adcli.engine.optim.optimizer import Optimizer
from adcli.engine.optim.radam import RAdam
from adcli.engine.optim.rmsprop import RMSprop
from adcli.engine.optim.rprop import Rprop
from adcli.engine.optim.sgd import SGD

MEMBERS = {
    "Optimizer": Optimizer,
    "SGD": SGD,
    "Adam": Adam,
    "AdamW": AdamW,
    "RMSprop": RMSprop,
    "Adagrad": Adagrad,
    "Adadelta": Adadelta,
    "Adamax": Adamax,
    "NAdam": NAdam,
    "RAdam": RAdam,
    "Rprop": Rprop,
    "ASGD": ASGD,
    "LBFGS": LBFGS,
    "lr_scheduler": dict(lr_scheduler.MEMBERS),
}

__all__ = ["ASGD", "LBFGS", "MEMBERS", "SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax",
           "NAdam", "Optimizer", "RAdam", "RMSprop", "Rprop", "lr_scheduler"]
