"""inference_mode, inference tensors and requires_grad on computed tensors.

Expected results and messages were recorded from torch 2.13 (CPU) running the same
statements; ``test_matches_live_torch`` re-checks them against torch where it is installed.
"""

from __future__ import annotations

import pytest

from adcli.engine import api as torch
from adcli.errors import TorchRuntimeError

LEAF_ONLY = "you can only change requires_grad flags of leaf variables."
LEAF_ONLY_HINT = (LEAF_ONLY + " If you want to use a computed variable in a subgraph that "
                  "doesn't require differentiation use var_no_grad = var.detach().")


def _session(lib):
    """The statements, run against ``lib`` (adcli's api or torch); their observable results."""
    seen = []

    def attempt(fn):
        try:
            seen.append(repr(fn()) if not hasattr(fn(), "shape") else "tensor")
        except RuntimeError as e:  # TorchRuntimeError is a RuntimeError
            seen.append(f"RuntimeError: {e}")

    x = lib.ones(2, requires_grad=True)
    y = x * 2
    attempt(lambda: y.requires_grad_(False))
    attempt(lambda: setattr(y, "requires_grad", False))
    attempt(lambda: setattr(y, "requires_grad", True))
    attempt(lambda: y.requires_grad_(True).requires_grad)
    seen.append(lib.is_inference_mode_enabled())
    with lib.inference_mode():
        seen.append(lib.is_inference_mode_enabled())
        a = lib.ones(2)
        b = a * 2
        c = x * 2
        v = b[0]
        seen += [a.is_inference(), b.is_inference(), c.is_inference(), c.requires_grad,
                 v.is_inference(), lib.is_grad_enabled()]
        b.add_(1)  # allowed inside
    seen += [lib.is_inference_mode_enabled(), lib.is_grad_enabled(), b.is_inference(),
             lib.is_inference(b), (b * 1).is_inference(), b.tolist()]
    attempt(lambda: (x * b).sum())
    attempt(lambda: (x + b).sum().requires_grad)
    attempt(lambda: b.requires_grad_())
    attempt(lambda: b.add_(1))
    attempt(lambda: b.clone().add_(1).tolist())
    with lib.inference_mode(False):
        seen.append(lib.ones(1).is_inference())
    with lib.no_grad():
        seen.append(lib.ones(1).is_inference())

    @lib.inference_mode()
    def decorated(t):
        return t * 3

    out = decorated(x)
    seen += [out.is_inference(), out.requires_grad, lib.is_inference_mode_enabled()]
    return seen


EXPECTED = [
    f"RuntimeError: {LEAF_ONLY_HINT}",
    f"RuntimeError: {LEAF_ONLY_HINT}",
    f"RuntimeError: {LEAF_ONLY}",
    "True",
    False,
    True,
    True, True, True, False, True, False,
    False, True, True, True, False, [3.0, 3.0],
    "RuntimeError: Inference tensors cannot be saved for backward. Please do not use Tensors "
    "created in inference mode in computation tracked by autograd. To work around this, you "
    "can make a clone to get a normal tensor and use it in autograd, or use "
    "`torch.no_grad()` instead of `torch.inference_mode()`.",
    "True",
    "RuntimeError: Setting requires_grad=True on inference tensor outside InferenceMode is "
    "not allowed.",
    "RuntimeError: Inplace update to inference tensor outside InferenceMode is not allowed."
    "You can make a clone to get a normal tensor before doing inplace update.See "
    "https://github.com/pytorch/rfcs/pull/17 for more details.",
    "[5.0, 5.0]",  # as torch: the refused add_ has written its values
    False,
    False,
    True, False, False,
]


def test_inference_mode_as_torch_2_13():
    assert _session(torch) == EXPECTED


def test_inference_errors_are_runtime_errors():
    with torch.inference_mode():
        b = torch.ones(2)
    with pytest.raises(TorchRuntimeError):
        b.mul_(2)


@pytest.mark.torch
def test_matches_live_torch():
    real = pytest.importorskip("torch")
    assert _session(real) == EXPECTED
