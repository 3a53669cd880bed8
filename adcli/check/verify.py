"""``adcli verify``: a hand-derived gradient formula against autograd, at several points."""

from __future__ import annotations

from dataclasses import dataclass, field

from adcli.check.compare import Comparison, compare, describe, plain
from adcli.engine import api
from adcli.errors import AdcliError
from adcli.evaluate import BindingError, bind_input
from adcli.lang.interpreter import Session
from adcli.limits import Limits


class VerifyUsageError(Exception):
    """The expression, a binding or a --wrt name cannot be used (exit status 2)."""


@dataclass
class PointResult:
    """One point and one --wrt name: autograd's gradient against the claim's value."""

    point: str  # "the bound point" or "random point K"
    seed: int | None
    wrt: str
    comparison: Comparison
    inputs: dict[str, object] = field(default_factory=dict)  # plain values of the inputs


@dataclass
class VerifyOutcome:
    """The verdict (agree, differ or invalid) with every point that was checked."""

    verdict: str
    points: list[PointResult] = field(default_factory=list)
    message: str = ""  # for invalid: the claim's error

    @property
    def exit_status(self) -> int:
        return 0 if self.verdict == "agree" else 1


def _discard(text: str) -> None:
    """Where prints in the expressions go."""


def _where(exc: AdcliError, what: str) -> str:
    at = f" at {exc.pos[0]}:{exc.pos[1]}" if exc.pos else ""
    return f"{exc.kind} in {what}{at}: {exc}"


def verify(
    expr: str,
    wrt: list[str],
    claims: list[str],
    bindings: list[tuple[str, str]],
    *,
    samples: int = 5,
    rtol: float = 1e-4,
    atol: float = 1e-6,
    seed: int = 0,
    limits: Limits | None = None,
) -> VerifyOutcome:
    """Compare d(expr)/d(wrt[i]) with claims[i] at the bound point and ``samples`` redraws.

    A redraw replaces every floating-point input by ``randn`` of its shape and dtype, under
    seed ``seed + k``. Raises VerifyUsageError for a mistake outside the claims.
    """
    if len(wrt) != len(claims):
        raise VerifyUsageError(f"give one --claim per --wrt (got {len(wrt)} and {len(claims)})")
    bound = {name for name, _ in bindings}
    for name in wrt:
        if name not in bound:
            raise VerifyUsageError(f"--wrt {name}: bind it with -b {name}=VALUE")
    limits = limits or Limits()
    outcome = VerifyOutcome("agree")
    for k in range(samples + 1):
        point_seed = None if k == 0 else seed + k
        session = Session(limits=limits, out=_discard)
        inputs = _bind(session, bindings, point_seed)
        try:
            out = session.eval_expr(expr)
        except AdcliError as exc:
            raise VerifyUsageError(_where(exc, "EXPR")) from None
        if not hasattr(out, "backward") or out.numel() != 1:
            raise VerifyUsageError(
                f"EXPR gives {describe(plain(out))}; verify needs a scalar tensor "
                "(wrap it in sum(...) or mean(...))"
            )
        claimed = []
        for claim in claims:
            try:
                claimed.append(plain(session.eval_expr(claim)))
            except AdcliError as exc:
                outcome.verdict = "invalid"
                outcome.message = _where(exc, f"the claim {claim!r}")
                return outcome
        try:
            out.backward()
        except AdcliError as exc:
            raise VerifyUsageError(_where(exc, "EXPR's backward")) from None
        label = "the bound point" if k == 0 else f"random point {k}"
        for name, value in zip(wrt, claimed, strict=True):
            grad = plain(inputs[name].grad)
            if grad is None:
                comparison = Comparison(
                    False, f"autograd gives no gradient for {name}: EXPR does not depend on it"
                )
            else:
                comparison = compare(grad, value, rtol=rtol, atol=atol, broadcast=True)
            shown = {n: plain(t) for n, t in inputs.items()}
            outcome.points.append(PointResult(label, point_seed, name, comparison, shown))
            if not comparison.match:
                outcome.verdict = "differ"
    return outcome


def _bind(session: Session, bindings: list[tuple[str, str]], seed: int | None) -> dict:
    """Evaluate and bind each NAME=VALUE as ``adcli eval`` does; a seed redraws floating ones."""
    if seed is not None:
        api.manual_seed(seed)
    inputs = {}
    for name, text in bindings:
        try:
            value = bind_input(session, name, text)
        except BindingError as exc:
            raise VerifyUsageError(str(exc)) from None
        except AdcliError as exc:
            raise VerifyUsageError(_where(exc, f"-b {name}")) from None
        if seed is not None and value.dtype.is_floating_point:
            value = api.randn(*value.shape, dtype=value.dtype, requires_grad=True)
        session.bind(name, value)
        inputs[name] = value
    return inputs


def _claims_of(outcome: VerifyOutcome) -> str:
    return ", ".join(dict.fromkeys(p.wrt for p in outcome.points))


def outcome_text(expr: str, outcome: VerifyOutcome, *, rtol: float, atol: float) -> str:
    """The verdict line, then each point where autograd and the claim differ."""
    if outcome.verdict == "invalid":
        return f"invalid: {outcome.message}\n"
    points = {p.point for p in outcome.points}
    if outcome.verdict == "agree":
        extra = len(points) - 1
        where = "the bound point" + (
            f" and {extra} random point{'s' if extra != 1 else ''}" if extra else ""
        )
        return f"agree: autograd and the claim match for {_claims_of(outcome)} at {where}\n"
    bad = [p for p in outcome.points if not p.comparison.match]
    failing = len({p.point for p in bad})
    head = f"differ: autograd and the claim differ at {failing} of {len(points)} points"
    lines = [f"{head} (rtol={rtol:g}, atol={atol:g})"]
    for p in bad[:3]:
        seed = f" (seed {p.seed})" if p.seed is not None else ""
        lines.append(f"  {p.point}{seed}, d/d{p.wrt}: {p.comparison.summary}")
        for name, value in p.inputs.items():
            lines.append(f"    {name} = {_show(value)}")
        for d in p.comparison.differences:
            lines.append(f"    {list(d.index)} autograd {_num(d.expected)}, claim {_num(d.got)}")
    if len(bad) > 3:
        lines.append(f"  ... and {len(bad) - 3} more")
    return "\n".join(lines) + "\n"


def outcome_json(expr: str, outcome: VerifyOutcome) -> dict:
    """The --json object: the verdict, and every point with its differences."""
    return {
        "expr": expr,
        "verdict": outcome.verdict,
        "message": outcome.message,
        "points": [
            {
                "point": p.point,
                "seed": p.seed,
                "wrt": p.wrt,
                "match": p.comparison.match,
                "summary": p.comparison.summary,
                "differences": [d.to_json() for d in p.comparison.differences],
            }
            for p in outcome.points
        ],
    }


def _show(value: object) -> str:
    import numpy as np

    if isinstance(value, np.ndarray):
        if value.size > 12:
            return f"a tensor of shape {list(value.shape)}"
        return str(np.round(value, 4).tolist() if value.dtype.kind == "f" else value.tolist())
    return repr(value)


def _num(value: object) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)
