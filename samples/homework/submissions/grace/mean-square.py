# Grace hands in Python files and notebooks: ID.py or ID.ipynb per problem. They run with
# Python's meaning (torch needs its import, ** is the power, ^ is XOR), after the setup,
# whose names (here x) they see. The value compared is the last statement's value.
import torch

out = torch.mean(3 * (x + 2) ** 2)
out.backward()
x.grad
