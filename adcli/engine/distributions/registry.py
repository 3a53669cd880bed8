"""``torch.distributions.constraint_registry``: ``biject_to`` and ``transform_to``, the
transforms from unconstrained space onto a constraint's region, looked up by the
constraint's class as torch looks them up (so ``positive``, a ``greater_than(0.)``, maps
through ``exp`` then ``+ 0``)."""

from __future__ import annotations

from adcli.engine.distributions import core as _core
from adcli.engine.distributions.transformed import (
    AffineTransform,
    ComposeTransform,
    ExpTransform,
    IndependentTransform,
    SigmoidTransform,
    SoftmaxTransform,
    StickBreakingTransform,
    identity_transform,
)
from adcli.errors import TorchNotImplementedError, TorchTypeError


class ConstraintRegistry:
    """Constraint classes to transform factories."""

    __adcli_public__ = frozenset({"register"})

    def __init__(self) -> None:
        self._registry: dict = {}

    def register(self, constraint, factory=None):
        if factory is None:
            return lambda f: self.register(constraint, f)
        if isinstance(constraint, _core.Constraint):
            constraint = type(constraint)
        if not isinstance(constraint, type) or not issubclass(constraint, _core.Constraint):
            raise TorchTypeError("Expected constraint to be either a Constraint subclass or "
                                 f"instance, but got {constraint}")
        self._registry[constraint] = factory
        return factory

    def __call__(self, constraint):
        factory = self._registry.get(type(constraint))
        if factory is None:
            raise TorchNotImplementedError(
                f"Cannot transform {type(constraint).__name__} constraints")
        return factory(constraint)


biject_to = ConstraintRegistry()
transform_to = ConstraintRegistry()


def _to_real(constraint):
    return identity_transform


def _biject_independent(constraint):
    return IndependentTransform(biject_to(constraint.base_constraint),
                                constraint.reinterpreted_batch_ndims)


def _transform_independent(constraint):
    return IndependentTransform(transform_to(constraint.base_constraint),
                                constraint.reinterpreted_batch_ndims)


def _to_greater_than(constraint):
    return ComposeTransform([ExpTransform(), AffineTransform(constraint.lower_bound, 1)])


def _to_less_than(constraint):
    return ComposeTransform([ExpTransform(), AffineTransform(constraint.upper_bound, -1)])


def _to_interval(constraint):
    lower, upper = constraint.lower_bound, constraint.upper_bound
    if _core._is_number(lower) and lower == 0 and _core._is_number(upper) and upper == 1:
        return SigmoidTransform()
    return ComposeTransform([SigmoidTransform(), AffineTransform(lower, upper - lower)])


for _registry in (biject_to, transform_to):
    _registry.register(_core._Real, _to_real)
    # positive and nonnegative are greater_than(0.) / greater_than_eq(0.): their class's
    # factory is the greater_than one, registered after the exp one in torch
    _registry.register(_core._GreaterThan, _to_greater_than)
    _registry.register(_core._GreaterThanEq, _to_greater_than)
    _registry.register(_core._LessThan, _to_less_than)
    _registry.register(_core._Interval, _to_interval)
    _registry.register(_core._HalfOpenInterval, _to_interval)
biject_to.register(_core._IndependentConstraint, _biject_independent)
transform_to.register(_core._IndependentConstraint, _transform_independent)
biject_to.register(_core._Simplex, lambda c: StickBreakingTransform())
transform_to.register(_core._Simplex, lambda c: SoftmaxTransform())

MEMBERS = {"ConstraintRegistry": ConstraintRegistry, "biject_to": biject_to,
           "transform_to": transform_to}
