"""One optimised hedge for the whole book, robust in the normal and the stress regime.

docs/methodology/hedge-optimizer.md. With the book's exposures e (n factors, currency per unit
move of each factor), the loadings A (n × m: currency per contract per unit move), contracts x
and the residual r = e + A·x, the regime risk is σₖ(r) = √(rᵀΣₖr) (k = normal, stress) and the
hedge solves

    minimise   max(σ_normal(r), σ_stress(r)) + w · Σⱼ cⱼ·|xⱼ|
    subject to Σⱼ cⱼ·|xⱼ| ≤ budget,  lowerⱼ ≤ xⱼ ≤ upperⱼ   (and xⱼ whole with ``integer``)

Answers that reach the same objective (collinear instruments such as ES and MES) are ranked by
the smallest total cost, then the smallest Σ|xⱼ|, then the smallest Euclidean norm: the answer
is the lexicographic minimum of (objective, cost, Σ|x|, ‖x‖), each level to a tolerance of
1e-7 × the larger before-hedge σ.

Solver
------
The continuous problem is a second-order cone program: t ≥ ‖Lₖᵀ r‖ for both regimes
(Σₖ = Lₖ Lₖᵀ from its eigen-decomposition), uⱼ ≥ |xⱼ|, linear budget and bounds. It is solved
by Clarabel (an interior-point conic solver, Goulart & Chen 2024), called directly with the
problem's sparse matrices: four solves in a row give the lexicographic minimum (the last one a
convex QP on ‖x‖², so the answer is unique).

Whole contracts: best-first branch and bound on that convex relaxation. A node (box of integer
bounds) is pruned when its relaxation's lexicographic minimum is no better than the incumbent,
branched on its most fractional contract otherwise; a relaxation whose minimum is integral is the
node's best whole-contract answer. The first incumbent is the feasible point nearest to zero (it
always exists once :func:`optimize_hedge` has checked feasibility) and every node's rounded
relaxation is tried too. With at most :data:`EXACT_MAX_INSTRUMENTS` instruments the tree is
always searched to the end: the answer is the integer optimum (to the tolerance above). With more,
the search stops after ``max_nodes`` nodes and the result states its optimality gap: the
incumbent's objective minus the smallest lower bound of the nodes left open (0 when the tree was
exhausted).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine._typing import Float64Array1D, Float64Array2D
from xlhedge.engine.errors import InputError

__all__ = [
    "EXACT_MAX_INSTRUMENTS",
    "DEFAULT_MAX_NODES",
    "HedgeOptimum",
    "HedgeRisk",
    "optimize_hedge",
    "hedge_risk",
]

#: Up to this many instruments the whole-contract answer is the proven optimum (no node limit).
EXACT_MAX_INSTRUMENTS = 5
#: Node limit of the branch and bound beyond :data:`EXACT_MAX_INSTRUMENTS` instruments.
DEFAULT_MAX_NODES = 100
#: Safety limit up to :data:`EXACT_MAX_INSTRUMENTS` instruments: reached only by collinear instruments
#: without bounds (e.g. TLT and ZN alone on the duration factor, whose combinations approach any
#: target ever more finely with ever larger positions); the status then says "node limit".
EXACT_SAFETY_NODES = 50_000
#: Tie tolerance of the lexicographic levels, relative to the larger before-hedge σ.
TIE_TOL = 1e-7
_INTEGRAL_TOL = 1e-6


@dataclass(frozen=True, eq=False)
class HedgeOptimum:
    """The optimised hedge (currency amounts in the currency of the exposures).

    Attributes
    ----------
    contracts : contracts per instrument (long > 0, short < 0), indexed by instrument name.
    sigma_normal, sigma_stress : residual P&L standard deviation after the hedge, per regime.
    total_cost : Σ cⱼ·|xⱼ| (without ``cost_weight``).
    objective : max(σ_normal, σ_stress) + cost_weight · total_cost.
    sigma_normal_before, sigma_stress_before : the book's σ with no hedge.
    method : how the answer was found (continuous SOCP, exact or capped branch and bound).
    gap : absolute optimality gap on the objective (0 when proven optimal).
    status : ``"optimal"`` or ``"node limit"`` (then ``gap`` bounds the distance to the optimum).
    nodes : branch-and-bound nodes solved (0 for the continuous problem).
    binding : the constraints that hold with equality at the answer (``"budget"``,
        ``"lower ES"``, ``"upper TLT"``...).
    """

    contracts: pd.Series
    sigma_normal: float
    sigma_stress: float
    total_cost: float
    objective: float
    sigma_normal_before: float
    sigma_stress_before: float
    method: str
    gap: float
    status: str
    nodes: int
    binding: tuple[str, ...]

    def column(self) -> Float64Array1D:
        """The worksheet function's column: contracts, σ normal, σ stress, total cost."""
        return np.concatenate(
            [self.contracts.to_numpy(dtype=np.float64), [self.sigma_normal, self.sigma_stress, self.total_cost]]
        )


@dataclass(frozen=True)
class HedgeRisk:
    """Residual risk and cost of a given hedge (e.g. the per-factor rule of thumb)."""

    sigma_normal: float
    sigma_stress: float
    total_cost: float

    @property
    def worst(self) -> float:
        return max(self.sigma_normal, self.sigma_stress)


# ----------------------------------------------------------------------------- inputs
def _vector(x: Any, name: str, size: int | None = None) -> Float64Array1D:
    a = np.asarray(x, dtype=np.float64).reshape(-1)
    if size is not None and a.size != size:
        raise InputError(f"has {a.size} values, expected {size}", where=name)
    return a


def _finite(a: np.ndarray[Any, Any], name: str) -> None:
    if not np.isfinite(a).all():
        idx = np.argwhere(~np.isfinite(a))[0]
        place = f"item {idx[0] + 1}" if a.ndim == 1 else f"row {idx[0] + 1}, column {idx[1] + 1}"
        raise InputError(f"{place} is not a number (blank or NaN)", where=name)


def _covariance(cov: Any, n: int, name: str) -> Float64Array2D:
    s = np.asarray(cov, dtype=np.float64)
    if s.shape != (n, n):
        raise InputError(f"must be {n}×{n} (one row and column per factor), got {s.shape}", where=name)
    _finite(s, name)
    scale = max(float(np.abs(s).max()), 1e-300)
    for i in range(n):
        for j in range(n):
            if abs(s[i, j] - s[j, i]) > 1e-9 * scale:
                raise InputError(
                    f"row {i + 1}, column {j + 1} is {s[i, j]:g} but row {j + 1}, column {i + 1} is {s[j, i]:g}: "
                    "a covariance matrix is symmetric",
                    where=name,
                )
    lam = float(np.linalg.eigvalsh(s).min())
    if lam < -1e-9 * scale:
        raise InputError(f"is not positive semi-definite (smallest eigenvalue {lam:.3g})", where=name)
    return 0.5 * (s + s.T)


def _root(cov: Float64Array2D) -> Float64Array2D:
    """Lᵀ with LLᵀ = Σ (rows for the positive eigenvalues only): ‖Lᵀr‖² = rᵀΣr."""
    w, v = np.linalg.eigh(cov)
    keep = w > 1e-14 * max(float(w.max()), 1e-300)
    return np.asarray((v[:, keep] * np.sqrt(w[keep])).T, dtype=np.float64)


def _sigma(cov: Float64Array2D, r: Float64Array1D) -> float:
    return math.sqrt(max(float(r @ cov @ r), 0.0))


def hedge_risk(
    exposures: Any,
    loadings: Any,
    cov_normal: Any,
    cov_stress: Any = None,
    contracts: Any = None,
    costs: Any = None,
) -> HedgeRisk:
    """σ of the residual e + A·x in both regimes and the cost Σ cⱼ·|xⱼ| of the hedge ``contracts``."""
    e = _vector(exposures, "exposures")
    a = np.asarray(loadings, dtype=np.float64).reshape(e.size, -1)
    m = a.shape[1]
    x = np.zeros(m) if contracts is None else _vector(contracts, "contracts", m)
    cn = _covariance(cov_normal, e.size, "cov_normal")
    cs = cn if cov_stress is None else _covariance(cov_stress, e.size, "cov_stress")
    c = np.zeros(m) if costs is None else _vector(costs, "costs", m)
    r = e + a @ x
    return HedgeRisk(_sigma(cn, r), _sigma(cs, r), float(c @ np.abs(x)))


# ----------------------------------------------------------------------------- the conic problem
@dataclass(frozen=True)
class _Level:
    """A point's lexicographic key (scaled units): objective, cost, Σ|x|, ‖x‖²."""

    f: float
    cost: float
    l1: float
    l2: float


def _better(a: _Level, b: _Level) -> bool:
    for x, y, tol in (
        (a.f, b.f, TIE_TOL),
        (a.cost, b.cost, 1e-9 * max(1.0, abs(b.cost))),
        (a.l1, b.l1, 1e-9 * max(1.0, b.l1)),
        (a.l2, b.l2, 1e-9 * max(1.0, b.l2)),
    ):
        if x < y - tol:
            return True
        if x > y + tol:
            return False
    return False


class _Conic:
    """The scaled SOCP over z = [x (m), u (m), t], solved by Clarabel at each lexicographic level."""

    def __init__(
        self,
        e: Float64Array1D,
        a: Float64Array2D,
        roots: list[Float64Array2D],
        c: Float64Array1D,
        budget: float | None,
        w: float,
    ) -> None:
        self.e, self.a, self.roots, self.c, self.budget, self.w = e, a, roots, c, budget, w
        self.m = a.shape[1]
        self.soc = [(-(lt @ a), lt @ e) for lt in roots]
        self.solves = 0

    def key(self, x: Float64Array1D) -> _Level:
        r = self.e + self.a @ x
        sig = max(float(np.linalg.norm(lt @ r)) for lt in self.roots)
        cost = float(self.c @ np.abs(x))
        return _Level(sig + self.w * cost, cost, float(np.abs(x).sum()), float(x @ x))

    def _blocks(self) -> None:
        m, n_z = self.m, 2 * self.m + 1
        eye = np.eye(m)
        zc = np.zeros((m, 1))
        self._abs = np.vstack([np.hstack([eye, -eye, zc]), np.hstack([-eye, -eye, zc])])
        self._box = np.hstack([eye, np.zeros((m, m + 1))])
        self.cost_row = np.concatenate([np.zeros(m), self.c, [0.0]])
        self.obj_row = np.concatenate([np.zeros(m), self.w * self.c, [1.0]])
        self.l1_row = np.concatenate([np.zeros(m), np.ones(m), [0.0]])
        soc_rows, soc_rhs, self._cone_sizes = [], [], []
        for g, h in self.soc:
            tip = np.zeros((1, n_z))
            tip[0, -1] = -1.0
            soc_rows.append(np.vstack([tip, np.hstack([g, np.zeros((g.shape[0], m + 1))])]))
            soc_rhs.append(np.concatenate([[0.0], h]))
            self._cone_sizes.append(g.shape[0] + 1)
        self._soc = np.vstack(soc_rows)
        self._soc_rhs = np.concatenate(soc_rhs)
        self._p3 = np.diag(np.concatenate([np.ones(m), np.zeros(m + 1)]))

    def solve(
        self,
        level: int,
        lo: Float64Array1D,
        hi: Float64Array1D,
        caps: tuple[float, float, float] = (math.inf, math.inf, math.inf),
    ) -> tuple[float, Float64Array1D] | None:
        """Minimise level 0 (objective), 1 (cost), 2 (Σ|x|) or 3 (‖x‖²) within the box and caps.

        ``caps`` bounds the earlier levels (objective ≤ F, cost ≤ C, Σ|x| ≤ S). None = infeasible.
        """
        import clarabel  # type: ignore[import-untyped]
        from scipy import sparse  # type: ignore[import-untyped]

        if not hasattr(self, "_abs"):
            self._blocks()
        m, n_z = self.m, 2 * self.m + 1
        fin_hi = np.isfinite(hi)
        fin_lo = np.isfinite(lo)
        rows = [self._abs, self._box[fin_hi], -self._box[fin_lo]]
        rhs = [np.zeros(2 * m), hi[fin_hi], -lo[fin_lo]]
        extra: list[tuple[Float64Array1D, float]] = []
        if self.budget is not None:
            extra.append((self.cost_row, self.budget))
        if level >= 1:
            extra.append((self.obj_row, caps[0]))
        if level >= 2 and math.isfinite(caps[1]):
            extra.append((self.cost_row, caps[1]))
        if level >= 3:
            extra.append((self.l1_row, caps[2]))
        if extra:
            rows.append(np.vstack([r for r, _ in extra]))
            rhs.append(np.array([b for _, b in extra]))
        n_lin = sum(r.shape[0] for r in rows)
        rows.append(self._soc)
        rhs.append(self._soc_rhs)
        cones: list[Any] = [clarabel.NonnegativeConeT(n_lin)] + [clarabel.SecondOrderConeT(k) for k in self._cone_sizes]
        a_mat = sparse.csc_matrix(np.vstack(rows))
        b = np.concatenate(rhs)
        q = [self.obj_row, self.cost_row, self.l1_row, np.zeros(n_z)][level]
        p = sparse.csc_matrix(self._p3) if level == 3 else sparse.csc_matrix((n_z, n_z))
        settings = clarabel.DefaultSettings()
        settings.verbose = False
        settings.tol_gap_abs = settings.tol_gap_rel = settings.tol_feas = 1e-10
        settings.max_iter = 400
        sol = clarabel.DefaultSolver(p, q, a_mat, b, cones, settings).solve()
        self.solves += 1
        if "Infeasible" in str(sol.status):
            return None
        z = np.asarray(sol.x, dtype=np.float64)
        x = np.clip(z[:m], lo, hi)
        value = float(q @ z) if level < 3 else float(x @ x)
        return value, x

    def quick(self, lo: Float64Array1D, hi: Float64Array1D) -> tuple[float, Float64Array1D | None]:
        """(min objective in the box, the least-norm point within the tie tolerance of it); inf, None if empty."""
        r0 = self.solve(0, lo, hi)
        if r0 is None:
            return math.inf, None
        r3 = self.solve(3, lo, hi, (r0[0] + TIE_TOL, math.inf, math.inf))
        return r0[0], (r0[1] if r3 is None else r3[1])

    def lexmin(
        self, lo: Float64Array1D, hi: Float64Array1D, incumbent: _Level | None = None
    ) -> tuple[float, Float64Array1D | None]:
        """(lower bound on the objective in the box, the box's lexicographic minimiser or None if pruned/empty).

        Levels whose minimum cannot beat ``incumbent`` prune the box (then x is None).
        """
        r0 = self.solve(0, lo, hi)
        if r0 is None:
            return math.inf, None
        f0, x = r0
        return self._levels(f0, x, lo, hi, incumbent)

    def _levels(
        self, f0: float, x: Float64Array1D, lo: Float64Array1D, hi: Float64Array1D, incumbent: _Level | None
    ) -> tuple[float, Float64Array1D | None]:
        tie = incumbent is not None and abs(f0 - incumbent.f) <= TIE_TOL
        if incumbent is not None and f0 > incumbent.f + TIE_TOL:
            return f0, None
        cap_f = max(f0, incumbent.f if tie and incumbent else f0) + TIE_TOL
        cap_c = math.inf
        if self.c.any():
            r1 = self.solve(1, lo, hi, (cap_f, math.inf, math.inf))
            if r1 is None:  # numerically empty: keep the level-0 point
                return f0, x
            c1 = r1[0]
            if tie and incumbent is not None:
                if c1 > incumbent.cost + 1e-9 * max(1.0, incumbent.cost):
                    return f0, None
                tie = abs(c1 - incumbent.cost) <= 1e-9 * max(1.0, incumbent.cost)
            cap_c = max(c1, incumbent.cost if tie and incumbent else c1) + 1e-9 * max(1.0, c1)
            x = r1[1]
        r2 = self.solve(2, lo, hi, (cap_f, cap_c, math.inf))
        if r2 is None:
            return f0, x
        s2 = r2[0]
        if tie and incumbent is not None:
            if s2 > incumbent.l1 + 1e-9 * max(1.0, incumbent.l1):
                return f0, None
            tie = abs(s2 - incumbent.l1) <= 1e-9 * max(1.0, incumbent.l1)
        cap_s = max(s2, incumbent.l1 if tie and incumbent else s2) + 1e-9 * max(1.0, s2)
        r3 = self.solve(3, lo, hi, (cap_f, cap_c, cap_s))
        return f0, (r2[1] if r3 is None else r3[1])


# ----------------------------------------------------------------------------- feasibility
def _check_feasible(
    names: list[str], lo: Float64Array1D, hi: Float64Array1D, c: Float64Array1D, budget: float | None, integer: bool
) -> tuple[Float64Array1D, Float64Array1D]:
    """Whole-contract bounds when ``integer``; a clear error naming the constraint that binds."""
    for j, name in enumerate(names):
        if lo[j] > hi[j]:
            raise InputError(
                f"lower bound {lo[j]:g} is above the upper bound {hi[j]:g}: no hedge satisfies both",
                where=f"bounds of {name}",
            )
    if integer:
        lo = np.where(np.isfinite(lo), np.ceil(lo - 1e-9), lo)
        hi = np.where(np.isfinite(hi), np.floor(hi + 1e-9), hi)
        for j, name in enumerate(names):
            if lo[j] > hi[j]:
                raise InputError(
                    "no whole number of contracts lies between the lower and the upper bound",
                    where=f"bounds of {name}",
                )
    nearest0 = np.clip(0.0, lo, hi)
    forced = c * np.abs(nearest0)
    if budget is not None and forced.sum() > budget * (1 + 1e-12) + 1e-12:
        who = ", ".join(
            f"{'lower' if nearest0[j] > 0 else 'upper'} bound of {names[j]} ({nearest0[j]:g} contracts, "
            f"cost {forced[j]:,.2f})"
            for j in np.nonzero(forced > 0)[0]
        )
        raise InputError(
            f"is {budget:,.2f}, below the cost {forced.sum():,.2f} that the bounds force ({who}): "
            "raise the budget or relax those bounds",
            where="budget",
        )
    return lo, hi


# ----------------------------------------------------------------------------- entry point
def optimize_hedge(
    exposures: Any,
    loadings: Any,
    cov_normal: Any,
    cov_stress: Any = None,
    costs: Any = None,
    budget: float | None = None,
    lower: Any = None,
    upper: Any = None,
    integer: bool = True,
    cost_weight: float = 0.0,
    *,
    names: Any = None,
    max_nodes: int | None = None,
) -> HedgeOptimum:
    """The hedge that minimises the worse regime's residual σ plus ``cost_weight`` × cost.

    Parameters
    ----------
    exposures : n values, the book's P&L per unit move of each factor (currency; the units of the
        moves are listed in docs/methodology/hedge-optimizer.md).
    loadings : n × m, P&L per contract (long) per unit move of each factor; a DataFrame's
        columns name the instruments.
    cov_normal, cov_stress : n × n covariances of the factor moves over the horizon
        (:func:`xlhedge.engine.covariance.factor_covariance`); ``cov_stress=None`` = normal only
        (the stress σ reported then equals the normal σ).
    costs : m costs per contract over the horizon (≥ 0), charged on |contracts|; None = 0.
    budget : most the hedge may cost, Σ cⱼ·|xⱼ| ≤ budget; None = no limit.
    lower, upper : m bounds in contracts; NaN/None/±inf = no bound on that side.
    integer : whole contracts (default) or the continuous optimum.
    cost_weight : w ≥ 0 in the objective max(σ_normal, σ_stress) + w·Σ cⱼ·|xⱼ|.
    names : instrument names (default the DataFrame's columns, else "instrument 1", …).
    max_nodes : branch-and-bound node limit beyond :data:`EXACT_MAX_INSTRUMENTS` instruments
        (default :data:`DEFAULT_MAX_NODES`); up to that many instruments there is no limit.

    Raises
    ------
    InputError
        Shapes, non-finite or negative costs, covariances that are not symmetric PSD, and an
        infeasible problem (a lower bound above an upper one, or bounds that force a cost above
        the budget): the message names the constraint.

    >>> opt = optimize_hedge([100.0], [[-30.0]], [[1.0]])
    >>> opt.contracts.tolist(), round(opt.sigma_normal, 6)
    [3.0, 10.0]
    """
    e = _vector(exposures, "exposures")
    _finite(e, "exposures")
    n = e.size
    if isinstance(loadings, pd.DataFrame) and names is None:
        names = [str(c) for c in loadings.columns]
    a = np.asarray(loadings, dtype=np.float64)
    if a.ndim == 1 and n == 1:
        a = a.reshape(1, -1)
    if a.ndim != 2 or a.shape[0] != n:
        raise InputError(f"must have one row per factor ({n}), got shape {a.shape}", where="loadings")
    _finite(a, "loadings")
    m = a.shape[1]
    labels = [f"instrument {j + 1}" for j in range(m)] if names is None else [str(s) for s in names]
    if len(labels) != m:
        raise InputError(f"has {len(labels)} names for {m} instruments", where="names")
    cn = _covariance(cov_normal, n, "cov_normal")
    cs = None if cov_stress is None else _covariance(cov_stress, n, "cov_stress")
    c = np.zeros(m) if costs is None else np.nan_to_num(_vector(costs, "costs", m), nan=0.0)
    _finite(c, "costs")
    if (c < 0).any():
        j = int(np.nonzero(c < 0)[0][0])
        raise InputError(f"item {j + 1} ({labels[j]}) is {c[j]:g}; a cost is ≥ 0", where="costs")
    if budget is not None and not (np.isfinite(budget) and budget >= 0):
        raise InputError(f"must be ≥ 0, got {budget:g}", where="budget")
    w = float(cost_weight)
    if not (np.isfinite(w) and w >= 0):
        raise InputError(f"must be ≥ 0, got {cost_weight!r}", where="cost_weight")

    def bound(v: Any, name: str, fill: float) -> Float64Array1D:
        if v is None:
            return np.full(m, fill)
        b = np.array([np.nan if x is None else x for x in np.asarray(v, dtype=object).reshape(-1)], dtype=np.float64)
        if b.size != m:
            raise InputError(f"has {b.size} values, expected {m} (one per instrument)", where=name)
        return np.where(np.isnan(b), fill, b)

    lo = bound(lower, "lower", -math.inf)
    hi = bound(upper, "upper", math.inf)
    lo, hi = _check_feasible(labels, lo, hi, c, budget, bool(integer))

    sn0 = _sigma(cn, e)
    ss0 = sn0 if cs is None else _sigma(cs, e)
    scale = max(sn0, ss0)
    if scale <= 0:
        scale = max(max(_sigma(cn, a[:, j]) for j in range(m)) if m else 0.0, 1.0)
    covs = [cn] if cs is None else [cn, cs]
    live = (e != 0) | (a != 0).any(axis=1)  # a factor no one is exposed to leaves every residual at 0 there
    if not live.any():
        live[:] = True
    prob = _Conic(
        e[live] / scale,
        a[live] / scale,
        [_root(s[np.ix_(live, live)]) for s in covs],
        c / scale,
        None if budget is None else float(budget) / scale,
        w,
    )

    nodes = 0
    gap = 0.0
    status = "optimal"
    if not integer:
        if all(
            np.linalg.matrix_rank(lt @ a, tol=1e-10 * max(1.0, float(np.abs(lt @ a).max()))) == m for lt in prob.roots
        ):
            r0 = prob.solve(0, lo, hi)  # strictly convex: the minimiser is unique, no tie to break
            x = None if r0 is None else r0[1]
        else:
            _, x = prob.lexmin(lo, hi)
        if x is None:  # pragma: no cover - the feasibility check makes the root feasible
            raise InputError("has no feasible hedge", where="optimize_hedge")
        method = "continuous SOCP (Clarabel), lexicographic tie-break"
    else:
        x, nodes, gap, status = _branch_and_bound(prob, *_multiples(a, c, lo, hi), m, max_nodes)
        gap *= scale
        method = "whole contracts: branch and bound on the SOCP relaxation (Clarabel), " + (
            "searched to the end (proven optimum)" if status == "optimal" else f"stopped at {nodes} nodes"
        )
    x = np.where(x == 0, 0.0, x)
    r = e + a @ x
    sn = _sigma(cn, r)
    ss = sn if cs is None else _sigma(cs, r)
    cost = float(c @ np.abs(x))
    binding: list[str] = []
    if budget is not None and c.any() and cost >= budget - 1e-6 * max(1.0, budget):
        binding.append("budget")
    for j in range(m):
        if math.isfinite(lo[j]) and abs(x[j] - lo[j]) <= 1e-6 * max(1.0, abs(lo[j])):
            binding.append(f"lower {labels[j]}")
        if math.isfinite(hi[j]) and abs(x[j] - hi[j]) <= 1e-6 * max(1.0, abs(hi[j])):
            binding.append(f"upper {labels[j]}")
    return HedgeOptimum(
        contracts=pd.Series(x, index=pd.Index(labels, name="instrument"), name="contracts"),
        sigma_normal=sn,
        sigma_stress=ss,
        total_cost=cost,
        objective=max(sn, ss) + w * cost,
        sigma_normal_before=sn0,
        sigma_stress_before=ss0,
        method=method,
        gap=float(gap),
        status=status,
        nodes=nodes,
        binding=tuple(binding),
    )


def _multiples(
    a: Float64Array2D, c: Float64Array1D, lo: Float64Array1D, hi: Float64Array1D
) -> tuple[Float64Array1D, Float64Array1D]:
    """Valid whole-contract bounds for pairs of instruments whose loadings are whole multiples (ES = 10 MES).

    If column k = κ·column j (κ ≥ 2 whole) and neither has a bound, trading d = (+1 k, −κ j) leaves the
    residual unchanged. When c_k ≤ κ·c_j, a lexicographic optimum has |x_j| ≤ κ − 1 (otherwise the trade
    lowers Σ|x| by ≥ κ − 1 without raising the cost); when c_k > κ·c_j it has x_k = 0 (the reverse trade
    lowers the cost). Without these bounds the relaxation is equally good along d everywhere and the
    branch and bound would not end.
    """
    lo, hi = lo.copy(), hi.copy()
    m = a.shape[1]
    free = ~np.isfinite(lo) & ~np.isfinite(hi)
    norms = np.abs(a).max(axis=0)
    for j in range(m):
        for k in range(m):
            if j == k or not (free[j] and free[k]) or norms[j] == 0:
                continue
            kappa = norms[k] / norms[j]
            if kappa < 1.5 or abs(kappa - round(kappa)) > 1e-9 * kappa:
                continue
            kappa = float(round(kappa))
            sign = 1.0 if np.abs(a[:, k] - kappa * a[:, j]).max() <= 1e-12 * norms[k] else -1.0
            if np.abs(a[:, k] - sign * kappa * a[:, j]).max() > 1e-12 * norms[k]:
                continue
            if c[k] <= kappa * c[j]:
                lo[j], hi[j] = -(kappa - 1), kappa - 1
            else:
                lo[k], hi[k] = 0.0, 0.0
            free[j] = free[k] = False
    return lo, hi


def _branch_and_bound(
    prob: _Conic, lo: Float64Array1D, hi: Float64Array1D, m: int, max_nodes: int | None
) -> tuple[Float64Array1D, int, float, str]:
    """(best whole-contract x, nodes solved, gap in scaled units, status)."""
    limit = EXACT_SAFETY_NODES if m <= EXACT_MAX_INSTRUMENTS else (max_nodes or DEFAULT_MAX_NODES)
    budget = prob.budget

    def feasible(x: Float64Array1D) -> bool:
        if (x < lo - 1e-9).any() or (x > hi + 1e-9).any():
            return False
        return budget is None or float(prob.c @ np.abs(x)) <= budget * (1 + 1e-12) + 1e-15

    best_x = np.clip(0.0, lo, hi).astype(np.float64)
    best = prob.key(best_x)

    def offer(x: Float64Array1D) -> None:
        nonlocal best_x, best
        if feasible(x):
            k = prob.key(x)
            if _better(k, best):
                best_x, best = x, k

    heap: list[tuple[float, int, Float64Array1D, Float64Array1D]] = [(-math.inf, 0, lo.copy(), hi.copy())]
    counter = 1
    nodes = 0
    while heap:
        bound_f, _, nlo, nhi = heapq.heappop(heap)
        if bound_f > best.f + TIE_TOL:
            continue
        if nodes >= limit:
            heapq.heappush(heap, (bound_f, counter, nlo, nhi))
            break
        nodes += 1
        f0, x = prob.quick(nlo, nhi)
        if x is None or f0 > best.f + TIE_TOL:
            continue
        if abs(f0 - best.f) <= TIE_TOL or np.abs(x - np.round(x)).max() <= _INTEGRAL_TOL:
            # the node may hold the answer: its lexicographic minimiser decides
            f0, x = prob._levels(f0, x, nlo, nhi, best)
            if x is None:
                continue
            if np.abs(x - np.round(x)).max() <= _INTEGRAL_TOL:
                offer(np.clip(np.round(x), nlo, nhi))
                continue
        xr = np.clip(np.round(x), nlo, nhi)
        if nodes == 1 or (feasible(xr) and prob.key(xr).f < best.f + 0.05 * max(best.f, TIE_TOL)):
            offer(_polish(prob, xr, nlo, nhi, feasible))
        frac = np.abs(x - np.floor(x) - 0.5)
        frac[np.abs(x - np.round(x)) <= _INTEGRAL_TOL] = math.inf
        j = int(np.argmin(frac))
        down_hi = nhi.copy()
        down_hi[j] = math.floor(x[j])
        up_lo = nlo.copy()
        up_lo[j] = math.ceil(x[j])
        for clo, chi in ((nlo, down_hi), (up_lo, nhi)):
            if clo[j] <= chi[j]:
                heapq.heappush(heap, (f0, counter, clo, chi))
                counter += 1
    open_bounds = [b for b, *_ in heap if b <= best.f + TIE_TOL]
    if open_bounds:
        return best_x, nodes, max(best.f - min(open_bounds), 0.0), "node limit"
    return best_x, nodes, 0.0, "optimal"


def _polish(prob: _Conic, x: Float64Array1D, lo: Float64Array1D, hi: Float64Array1D, feasible: Any) -> Float64Array1D:
    """Local search from a rounded point: the best ±1-contract step on one instrument while it improves."""
    if not feasible(x):
        return x
    best = prob.key(x)
    m = x.size
    steps = np.vstack([np.eye(m), -np.eye(m)])
    for _ in range(200):
        y = x + steps
        ok = ((y >= lo) & (y <= hi)).all(axis=1)
        if prob.budget is not None:
            ok &= np.abs(y) @ prob.c <= prob.budget * (1 + 1e-12) + 1e-15
        if not ok.any():
            break
        y = y[ok]
        r = prob.e[None, :] + y @ prob.a.T
        sig = np.max([np.linalg.norm(r @ lt.T, axis=1) for lt in prob.roots], axis=0)
        f = sig + prob.w * (np.abs(y) @ prob.c)
        k = prob.key(y[int(np.argmin(f))])
        if not _better(k, best):
            break
        x, best = y[int(np.argmin(f))], k
    return x
