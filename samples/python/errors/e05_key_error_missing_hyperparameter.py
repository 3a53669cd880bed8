"""A KeyError from a dictionary lookup ends the run."""
from collections import defaultdict

runs = [
    {"name": "baseline", "lr": 0.1, "batch_size": 32},
    {"name": "small-batch", "lr": 0.05, "batch_size": 8},
    {"name": "typo", "learning_rate": 0.01, "batch_size": 64},
]
by_batch = defaultdict(list)
for run in runs:
    by_batch[run["batch_size"]].append(run["name"])
print(dict(by_batch))


def describe(run):
    return f"{run['name']:<12} lr={run['lr']:<6} bs={run['batch_size']}"


for run in runs:
    print(describe(run))
