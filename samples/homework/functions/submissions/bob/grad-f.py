# grad_f raises: reported with its kind and line
import torch


def grad_f(x):
    y = x * 2
    return y.gradient
