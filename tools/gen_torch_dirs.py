"""Record what ``dir()`` lists in torch 2.13 for a tensor and the modules adcli provides:
whether torch has an attribute at all (adcli words a missing one as torch does), and the
candidates of CPython's "Did you mean: ...?" (searched only in a list under 750 names).
Run with torch installed:

    python tools/gen_torch_dirs.py > adcli/lang/torch_dirs.py
"""

import torch
import torch.nn.functional as F

TARGETS = {
    "Tensor": torch.tensor(1.0),
    "torch": torch,
    "torch.nn": torch.nn,
    "torch.nn.functional": F,
    "torch.autograd": torch.autograd,
    "torch.autograd.functional": torch.autograd.functional,
    "torch.linalg": torch.linalg,
    "torch.cuda": torch.cuda,
}

print('"""What ``dir()`` lists in torch 2.13 for a tensor and some of its modules (made by')
print("tools/gen_torch_dirs.py): the candidates of CPython's \"Did you mean\" hint for an")
print('attribute typo. Data only."""')
print()
print("DIRS = {")
for name, obj in TARGETS.items():
    names = sorted(dir(obj))
    print(f"    {name!r}: (")
    line = "       "
    for n in names:
        item = f" {n!r},"
        if len(line) + len(item) > 92:
            print(line)
            line = "       "
        line += item
    print(line)
    print("    ),")
print("}")
