"""``torch.optim.LBFGS``: torch 2.13's algorithm, with ``line_search_fn=None`` or
``'strong_wolfe'``, step for step.

torch's L-BFGS mixes Python numbers and 0-dim tensors (``ys``, ``ro``, ``H_diag``, the
step ``t`` of the first iteration, ``gtd``, the line search's interpolation), and which
one a value is decides how it rounds: a 0-dim float32 tensor rounds every operation to
float32 (a Python number joining it is cast to float32 first; ``number / tensor`` is the
reciprocal times the number), Python numbers stay doubles, and ``min`` / ``max`` of the
two compare in float32 and return whichever object won. ``_S`` below is such a 0-dim
tensor value, so the same expressions give the same bits.

Differences: torch's CPU ``dot`` is MKL's ``sdot``, whose summation order depends on the
length (and the CPU); adcli follows it for flat parameter vectors of up to 4 elements and
of 8 and 16, and sums other lengths with numpy's ``dot`` (within float32 rounding, not
always bit for bit). The sqrt of the cubic interpolation is correctly rounded (torch's,
MKL's, may differ by an ulp).
"""

from __future__ import annotations

import numpy as np

from adcli.engine.optim import _kernels as K
from adcli.engine.optim._common import check_lr
from adcli.engine.optim.optimizer import Optimizer, number
from adcli.engine.tensor import Tensor, _wrap, bump, set_grad_mode
from adcli.errors import (
    TorchAssertionError,
    TorchRuntimeError,
    TorchTypeError,
    TorchValueError,
)


class _S:
    """A 0-dim tensor's value in the arithmetic of L-BFGS (see the module docstring)."""

    __slots__ = ("v",)

    def __init__(self, v) -> None:
        self.v = v  # a numpy scalar of the parameters' dtype

    def _c(self, other):
        if isinstance(other, _S):
            return other.v
        return type(self.v)(other)

    def _r(self, value) -> _S:
        return _S(type(self.v)(value))

    def __add__(self, o):
        return self._r(self.v + self._c(o))

    __radd__ = __add__

    def __sub__(self, o):
        return self._r(self.v - self._c(o))

    def __rsub__(self, o):
        return self._r(self._c(o) - self.v)

    def __mul__(self, o):
        return self._r(self.v * self._c(o))

    __rmul__ = __mul__

    def __truediv__(self, o):
        return self._r(self.v / self._c(o))

    def __rtruediv__(self, o):  # torch: self.reciprocal() * other
        one = type(self.v)(1)
        return self._r((one / self.v) * self._c(o))

    def __neg__(self):
        return self._r(-self.v)

    def __abs__(self):
        return self._r(abs(self.v))

    def __pow__(self, e):
        if e == 2:
            return self._r(self.v * self.v)
        return self._r(self.v ** self._c(e))

    def sqrt(self):
        return self._r(np.sqrt(self.v))

    def __lt__(self, o):
        return bool(self.v < self._c(o))

    def __le__(self, o):
        return bool(self.v <= self._c(o))

    def __gt__(self, o):
        return bool(self.v > self._c(o))

    def __ge__(self, o):
        return bool(self.v >= self._c(o))

    def __float__(self) -> float:
        return float(self.v)

    def __bool__(self) -> bool:
        return bool(self.v)


def _scalar(x, dtype):
    """A value read from the state: a 0-dim Tensor becomes an ``_S``."""
    if isinstance(x, Tensor):
        return _S(dtype.type(x._data))
    return x


def _stored(x):
    """A value for the state: an ``_S`` becomes a 0-dim Tensor."""
    if isinstance(x, _S):
        return _wrap(np.array(x.v))
    return x


def _dot(a: np.ndarray, b: np.ndarray) -> _S:
    """``a.dot(b)`` for flat vectors, in MKL sdot's order where it is known (see above)."""
    t = a.dtype.type
    n = a.shape[0]
    if n <= 3:
        s = t(0)
        for i in range(n):
            s = t(s + t(a[i] * b[i]))
        return _S(s)
    if n in (4, 8, 16):
        lanes = a[:4] * b[:4]
        for i in range(4, n, 4):
            lanes = lanes + a[i:i + 4] * b[i:i + 4]
        return _S(t(t(lanes[0] + lanes[2]) + t(lanes[1] + lanes[3])))
    return _S(t(np.dot(a, b)))


def _abs_max(a: np.ndarray) -> _S:
    return _S(a.dtype.type(np.abs(a).max()))


def _abs_sum(a: np.ndarray) -> _S:
    from adcli.engine.ops.reductions import torch_sum

    return _S(a.dtype.type(torch_sum(np.abs(a))))


def _fmax(a, b):
    """Python's ``max(a, b)``: ``a`` unless ``b > a``."""
    return b if b > a else a


def _fmin(a, b):
    return b if b < a else a


def _maxl(xs):
    m = xs[0]
    for x in xs[1:]:
        m = _fmax(m, x)
    return m


def _minl(xs):
    m = xs[0]
    for x in xs[1:]:
        m = _fmin(m, x)
    return m


def _cubic_interpolate(x1, f1, g1, x2, f2, g2, bounds=None):
    if bounds is not None:
        xmin_bound, xmax_bound = bounds
    else:
        xmin_bound, xmax_bound = (x1, x2) if x1 <= x2 else (x2, x1)
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1 ** 2 - g1 * g2
    if d2_square >= 0:
        d2 = d2_square.sqrt() if isinstance(d2_square, _S) else d2_square ** 0.5
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return _fmin(_fmax(min_pos, xmin_bound), xmax_bound)
    return (xmin_bound + xmax_bound) / 2.0


def _strong_wolfe(obj_func, x, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9,
                  max_ls=25):
    d_norm = _abs_max(d)
    g = g.copy()
    f_new, g_new = obj_func(x, t, d)
    ls_func_evals = 1
    gtd_new = _dot(g_new, d)
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    while ls_iter < max_ls:
        if f_new > f + c1 * t * gtd or (ls_iter > 1 and f_new >= f_prev):
            bracket = [t_prev, t]
            bracket_f = [f_prev, f_new]
            bracket_g = [g_prev, g_new.copy()]
            bracket_gtd = [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket = [t_prev, t]
            bracket_f = [f_prev, f_new]
            bracket_g = [g_prev, g_new.copy()]
            bracket_gtd = [gtd_prev, gtd_new]
            break
        min_step = t + 0.01 * (t - t_prev)
        max_step = t * 10
        tmp = t
        t = _cubic_interpolate(t_prev, f_prev, gtd_prev, t, f_new, gtd_new,
                               bounds=(min_step, max_step))
        t_prev = tmp
        f_prev = f_new
        g_prev = g_new.copy()
        gtd_prev = gtd_new
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = _dot(g_new, d)
        ls_iter += 1
    if ls_iter == max_ls:
        bracket = [0, t]
        bracket_f = [f, f_new]
        bracket_g = [g, g_new]
    insuf_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = _cubic_interpolate(bracket[0], bracket_f[0], bracket_gtd[0], bracket[1],
                               bracket_f[1], bracket_gtd[1])
        eps = 0.1 * (_maxl(bracket) - _minl(bracket))
        if _fmin(_maxl(bracket) - t, t - _minl(bracket)) < eps:
            if insuf_progress or t >= _maxl(bracket) or t <= _minl(bracket):
                if abs(t - _maxl(bracket)) < abs(t - _minl(bracket)):
                    t = _maxl(bracket) - eps
                else:
                    t = _minl(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = obj_func(x, t, d)
        ls_func_evals += 1
        gtd_new = _dot(g_new, d)
        ls_iter += 1
        if f_new > f + c1 * t * gtd or f_new >= bracket_f[low_pos]:
            bracket[high_pos] = t
            bracket_f[high_pos] = f_new
            bracket_g[high_pos] = g_new.copy()
            bracket_gtd[high_pos] = gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:
                bracket[high_pos] = bracket[low_pos]
                bracket_f[high_pos] = bracket_f[low_pos]
                bracket_g[high_pos] = bracket_g[low_pos]
                bracket_gtd[high_pos] = bracket_gtd[low_pos]
            bracket[low_pos] = t
            bracket_f[low_pos] = f_new
            bracket_g[low_pos] = g_new.copy()
            bracket_gtd[low_pos] = gtd_new
    t = bracket[low_pos]
    f_new = bracket_f[low_pos]
    g_new = bracket_g[low_pos]
    return f_new, g_new, t, ls_func_evals


class LBFGS(Optimizer):
    """L-BFGS (torch.optim.LBFGS): ``step(closure)`` re-evaluates the model as often as
    the iterations (and the optional strong-Wolfe line search) need; one param group."""

    __adcli_public__ = Optimizer.__adcli_public__

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None) -> None:
        check_lr(lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = {
            "lr": lr,
            "max_iter": max_iter,
            "max_eval": max_eval,
            "tolerance_grad": tolerance_grad,
            "tolerance_change": tolerance_change,
            "history_size": history_size,
            "line_search_fn": line_search_fn,
        }
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise TorchValueError(
                "LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]
        self._numel_cache = None

    def _numel(self) -> int:
        if self._numel_cache is None:
            self._numel_cache = sum(p.numel() for p in self._params)
        return self._numel_cache

    def _dtype(self):
        return self._params[0]._data.dtype

    def _gather_flat_grad(self) -> np.ndarray:
        views = []
        for p in self._params:
            g = p._grad
            views.append(np.zeros(p._data.size, p._data.dtype) if g is None
                         else g._data.reshape(-1))
        return np.concatenate(views).astype(np.result_type(*[v.dtype for v in views]),
                                            copy=False)

    def _add_grad(self, step_size, update: np.ndarray) -> None:
        offset = 0
        for p in self._params:
            numel = p._data.size
            part = update[offset:offset + numel].reshape(p._data.shape)
            alpha = float(step_size)
            K.write(p, K.add(p._data, part, alpha))
            bump(p)
            offset += numel
        if offset != self._numel():
            raise TorchAssertionError(f"Expected offset {offset} to equal {self._numel()}")

    def _clone_param(self) -> list:
        return [p._data.copy() for p in self._params]

    def _set_param(self, params_data) -> None:
        for p, data in zip(self._params, params_data):
            np.copyto(p._data, data, casting="unsafe")
            bump(p)

    def _closure(self, closure):
        prev = set_grad_mode(True)
        try:
            return closure()
        finally:
            set_grad_mode(prev)

    def _directional_evaluate(self, closure, x, t, d):
        self._add_grad(t, d)
        loss = float(self._closure(closure))
        flat_grad = self._gather_flat_grad()
        self._set_param(x)
        return loss, flat_grad

    def _update(self, group: dict) -> None:
        raise TorchRuntimeError("LBFGS.step needs a closure that returns the loss")

    def step(self, closure=None):
        """Perform a single optimization step: up to ``max_iter`` L-BFGS iterations,
        each re-evaluating ``closure``; returns the loss of its first evaluation."""
        if closure is None:
            raise TorchTypeError("LBFGS.step() missing 1 required positional argument: "
                                 "'closure'")
        if self._sched_patched:
            self._opt_called = True
        prev_mode = set_grad_mode(False)
        try:
            return self._step(closure)
        finally:
            set_grad_mode(prev_mode)

    def _step(self, closure):
        if len(self.param_groups) != 1:
            raise TorchAssertionError(
                f"Expected exactly one param_group, but got {len(self.param_groups)}")
        group = self.param_groups[0]
        lr = number(group["lr"], "lr")
        max_iter = group["max_iter"]
        max_eval = group["max_eval"]
        tolerance_grad = group["tolerance_grad"]
        tolerance_change = group["tolerance_change"]
        line_search_fn = group["line_search_fn"]
        history_size = group["history_size"]
        dtype = self._dtype()

        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = self._closure(closure)
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1

        flat_grad = self._gather_flat_grad()
        opt_cond = _abs_max(flat_grad) <= tolerance_grad
        if opt_cond:
            return orig_loss

        def arr(x):
            return None if x is None else x._data

        d = arr(state.get("d"))
        t = _scalar(state.get("t"), dtype)
        # the lists of tensors the state holds (torch keeps appending to the same lists)
        dirs_t, stps_t = state.get("old_dirs"), state.get("old_stps")
        old_dirs = None if dirs_t is None else [x._data for x in dirs_t]
        old_stps = None if stps_t is None else [x._data for x in stps_t]
        ro = None if state.get("ro") is None else [_scalar(x, dtype) for x in state["ro"]]
        H_diag = _scalar(state.get("H_diag"), dtype)
        prev_flat_grad = arr(state.get("prev_flat_grad"))
        prev_loss = state.get("prev_loss")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro = [], [], []
                dirs_t, stps_t = [], []
                H_diag = 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * (t.v if isinstance(t, _S) else dtype.type(t))
                ys = _dot(y, s)
                if ys > 1e-10:
                    if len(old_dirs) == history_size:
                        for lst in (old_dirs, old_stps, ro, dirs_t, stps_t):
                            lst.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    dirs_t.append(_wrap(y))
                    stps_t.append(_wrap(s))
                    ro.append(1.0 / ys)
                    H_diag = ys / _dot(y, y)
                num_old = len(old_dirs)
                if "al" not in state:
                    state["al"] = [None] * history_size
                al = state["al"]
                q = -flat_grad
                al_s = [_scalar(a, dtype) for a in al]
                for i in range(num_old - 1, -1, -1):
                    al_s[i] = _dot(old_stps[i], q) * ro[i]
                    q = K.add(q, old_dirs[i], float(-al_s[i]))
                r = q * (H_diag.v if isinstance(H_diag, _S) else dtype.type(H_diag))
                for i in range(num_old):
                    be_i = _dot(old_dirs[i], r) * ro[i]
                    r = K.add(r, old_stps[i], float(al_s[i] - be_i))
                d = r
                for i in range(num_old):
                    al[i] = _stored(al_s[i])

            prev_flat_grad = flat_grad.copy()
            prev_loss = loss
            if state["n_iter"] == 1:
                t = _fmin(1.0, 1.0 / _abs_sum(flat_grad)) * lr
            else:
                t = lr
            gtd = _dot(flat_grad, d)
            if gtd > -tolerance_change:
                break

            ls_func_evals = 0
            if line_search_fn is not None:
                if line_search_fn != "strong_wolfe":
                    raise TorchRuntimeError("only 'strong_wolfe' is supported")
                x_init = self._clone_param()

                def obj_func(x, t, d):
                    return self._directional_evaluate(closure, x, t, d)

                loss, flat_grad, t, ls_func_evals = _strong_wolfe(
                    obj_func, x_init, t, d, loss, flat_grad, gtd,
                    max_ls=max_eval - current_evals)
                self._add_grad(t, d)
                opt_cond = _abs_max(flat_grad) <= tolerance_grad
            else:
                self._add_grad(t, d)
                if n_iter != max_iter:
                    loss = float(self._closure(closure))
                    flat_grad = self._gather_flat_grad()
                    opt_cond = _abs_max(flat_grad) <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            if n_iter == max_iter:
                break
            if current_evals >= max_eval:
                break
            if opt_cond:
                break
            step_norm = np.abs(d * (t.v if isinstance(t, _S) else dtype.type(t))).max()
            if _S(dtype.type(step_norm)) <= tolerance_change:
                break
            if abs(loss - prev_loss) < tolerance_change:
                break

        state["d"] = _wrap(d)
        state["t"] = _stored(t)
        state["old_dirs"] = dirs_t
        state["old_stps"] = stps_t
        state["ro"] = [_stored(x) for x in ro]
        state["H_diag"] = _stored(H_diag)
        state["prev_flat_grad"] = _wrap(prev_flat_grad)
        state["prev_loss"] = prev_loss
        return orig_loss

