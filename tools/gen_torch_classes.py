"""Record where torch 2.13 defines each class of the namespaces adcli provides, so that a
script sees torch's names: ``type(nn.Linear(1, 1))`` prints
``<class 'torch.nn.modules.linear.Linear'>``, ``type(optim.Adam(...))``
``<class 'torch.optim.adam.Adam'>``. Run with torch installed:

    python tools/gen_torch_classes.py > adcli/lang/torch_classes.py

adcli/lang/names.py gives each engine class a script reaches as ``NAMESPACE.Name`` the
``__module__`` listed here for that name (its ``__name__`` is torch's already).
"""

import importlib
import inspect

NAMESPACES = (
    "torch", "torch.nn", "torch.nn.utils", "torch.nn.utils.rnn",
    "torch.nn.utils.parametrize", "torch.nn.utils.parametrizations", "torch.nn.init",
    "torch.optim", "torch.optim.lr_scheduler", "torch.autograd", "torch.autograd.function",
    "torch.autograd.forward_ad", "torch.autograd.functional", "torch.autograd.anomaly_mode",
    "torch.autograd.gradcheck", "torch.utils.data", "torch.func", "torch.distributions",
    "torch.distributions.constraints", "torch.distributions.transforms",
    "torch.distributions.kl", "torch.testing", "torch.linalg", "torch.special",
)

print('"""Where torch 2.13 defines the classes of its namespaces (made by')
print("tools/gen_torch_classes.py): namespace -> {class name: torch's ``__module__``}.")
print('Data only."""')
print()
print("MODULES = {")
for ns_name in NAMESPACES:
    ns = importlib.import_module(ns_name)
    entries = {}
    for name in sorted(dir(ns)):
        try:
            value = getattr(ns, name)
        except Exception:  # noqa: BLE001 - a lazy attribute that fails to load
            continue
        if inspect.isclass(value) and value.__name__ == name:
            entries[name] = value.__module__
    print(f"    {ns_name!r}: {{")
    for name, module in entries.items():
        print(f"        {name!r}: {module!r},")
    print("    },")
print("}")
