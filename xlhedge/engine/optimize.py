"""One optimised hedge for the whole book, robust in the normal and the stress regime.

docs/methodology/hedge-optimizer.md. With the book's exposures e (n factors, currency per unit
move of each factor), the loadings A (n × m: currency per contract per unit move), contracts x
and the residual r = e + A·x, the regime risk is σₖ(r) = √(rᵀΣₖr) (k = normal, stress) and the
hedge solves

    minimise   max(σ_normal(r), σ_stress(r)) + w · Σⱼ cⱼ·|xⱼ|
    subject to Σⱼ cⱼ·|xⱼ| ≤ budget,  lowerⱼ ≤ xⱼ ≤ upperⱼ   (and xⱼ whole with ``integer``)

Answers that reach the same objective (collinear instruments such as ES and MES) are ranked by
the smallest total cost, then the smallest Σ|xⱼ|, then the smallest Euclidean norm. "The same"
is to a tolerance: up to :data:`EXACT_MAX_INSTRUMENTS` instruments :data:`TIE_TOL` (1e-7) × the
larger before-hedge σ; beyond, also :data:`NEAR_TIE` (1e-5) × the objective, because nearly
collinear instruments (ZN ≈ 471.6 TLT) reach objectives equal to 1e-7 with wildly different,
offsetting positions (+391,921 TLT against −827 ZN) that no desk would trade.

Solver
------
The continuous problem is a second-order cone program: t ≥ ‖Lₖᵀ r‖ for both regimes
(Σₖ = Lₖ Lₖᵀ from its eigen-decomposition), uⱼ ≥ |xⱼ|, linear budget and bounds. It is solved
by Clarabel (an interior-point conic solver, Goulart & Chen 2024), called directly with the
problem's sparse matrices. Well-conditioned problems have one minimiser; otherwise (condition
number of Lₖᵀ·A above :data:`CONTINUOUS_COND`, or rank-deficient) four solves in a row give the
lexicographic minimum within the tie tolerance (the last one a convex QP on ‖x‖², so the answer is
unique).

Whole contracts: three best-first branch-and-bound searches on that convex relaxation, each a
box of integer bounds per node (:func:`_branch_and_bound`):

1. the least objective f₁: a node is pruned when its relaxation cannot beat the incumbent by more
   than :data:`OBJECTIVE_TOL` × the before-hedge σ (beyond five instruments also NEAR_TIE/10 × f);
2. among whole contracts with objective ≤ f₁ + the tie band, the least cost C (the objective a
   constraint of the relaxation);
3. among those with cost ≤ C, the least Σ|x| (a whole number: a node is pruned unless its
   relaxation can beat the incumbent by a whole contract), then ‖x‖².

Branching: pseudo-costs (the observed bound increase per squared rounding distance, per instrument
and direction), first estimated from σ⊥ⱼ, the risk of one contract of j that the other free
instruments cannot offset: rounding ES beside MES or ZN beside TLT costs nothing, rounding CL (the
only commodity instrument) costs its whole σ. Incumbents: a dive at the root (fix the contract
with the largest rounding cost, re-solve, repeat), each node's rounded relaxation and a ±1-contract
local search from it. Pairs of proportional instruments are bounded first (:func:`_multiples`).

With at most :data:`EXACT_MAX_INSTRUMENTS` instruments the searches run to the end: the answer is
the integer optimum (to the tolerances above), gap 0. With more, the objective search stops after
``max_nodes`` nodes (default :data:`DEFAULT_MAX_NODES` × m) and the result states its gap: the
answer's objective minus the smallest lower bound left (or the pruning tolerance), plus the σ the
pair bounds may cost.
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
from xlhedge.engine.sizing import whole_contracts

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
#: Node limit of the objective search beyond :data:`EXACT_MAX_INSTRUMENTS` instruments, per instrument
#: (each tie search gets half of it).
DEFAULT_MAX_NODES = 100
#: Safety limit of each search up to :data:`EXACT_MAX_INSTRUMENTS` instruments (not reached in the tests,
#: which include ES/MES and a nearly proportional TLT/ZN pair); the status would say "node limit".
EXACT_SAFETY_NODES = 50_000
#: Tie tolerance of the lexicographic levels, relative to the larger before-hedge σ.
TIE_TOL = 1e-7
#: The objective search prunes a node whose relaxation cannot beat the incumbent by more than this
#: (relative to the larger before-hedge σ): "proven optimum" means to this precision.
OBJECTIVE_TOL = 1e-8
#: Continuous problems whose risk loadings Lᵀ·A have a larger condition number are solved with the tie-break.
CONTINUOUS_COND = 1e6
#: Beyond :data:`EXACT_MAX_INSTRUMENTS` instruments: answers within this share of the optimum's objective
#: are near-ties, ranked by cost then size (and the objective search stops within a tenth of it).
NEAR_TIE = 1e-5
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
        pos = c[c > 0]
        #: weight of Σ|x| beside the cost in the tie-break (cost + λ·Σ|x|): 1e-6 of the cheapest contract's cost
        self.lam = 1e-6 * float(pos.min()) if pos.size else 1.0
        self.solves = 0
        self.sizes: dict[bytes, Float64Array1D] = {}  # σ⊥ by set of free instruments (_granularity)

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
        if level in (2, 3) and math.isfinite(caps[1]):
            extra.append((self.cost_row, caps[1]))
        if level == 3:
            extra.append((self.l1_row, caps[2]))
        if extra:
            rows.append(np.vstack([r for r, _ in extra]))
            rhs.append(np.array([b for _, b in extra]))
        n_lin = sum(r.shape[0] for r in rows)
        rows.append(self._soc)
        rhs.append(self._soc_rhs)
        cones: list[Any] = [clarabel.NonnegativeConeT(n_lin)] + [clarabel.SecondOrderConeT(k) for k in self._cone_sizes]
        a_mat = _csc(sparse, np.vstack(rows))
        b = np.concatenate(rhs)
        q = [self.obj_row, self.cost_row, self.l1_row, np.zeros(n_z), self.cost_row + self.lam * self.l1_row][level]
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
        value = float(x @ x) if level == 3 else float(q @ z)
        return value, x

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
    max_nodes : node limit of the objective search beyond :data:`EXACT_MAX_INSTRUMENTS` instruments
        (default :data:`DEFAULT_MAX_NODES` × m; the tie searches get half each); up to that many
        instruments there is no limit.

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
        if all(_well_conditioned(lt @ prob.a) for lt in prob.roots):
            r0 = prob.solve(0, lo, hi)  # strictly convex: the minimiser is unique, no tie to break
            x = None if r0 is None else r0[1]
        else:
            _, x = prob.lexmin(lo, hi)
        if x is None:  # pragma: no cover - the feasibility check makes the root feasible
            raise InputError("has no feasible hedge", where="optimize_hedge")
        method = "continuous SOCP (Clarabel), lexicographic tie-break"
    else:
        near = m > EXACT_MAX_INSTRUMENTS
        blo, bhi, approx = _multiples(a, c, lo, hi, near)
        x, nodes, gap, status = _branch_and_bound(prob, blo, bhi, m, max_nodes)
        gap = gap * scale + sum(max(_sigma(s_, d[0]) + _sigma(s_, d[1]) for s_ in covs) for _, d in approx)
        method = "whole contracts: branch and bound on the SOCP relaxation (Clarabel), " + (
            f"stopped at its node limit ({nodes} nodes)"
            if status != "optimal"
            else f"searched to the end, near-ties within {NEAR_TIE:g} of the objective"
            if near
            else "searched to the end (proven optimum)"
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


def _well_conditioned(g: Float64Array2D) -> bool:
    """Full column rank with condition number ≤ :data:`CONTINUOUS_COND`: the continuous minimiser is unique
    and well determined. Otherwise (ES beside MES, TLT beside a ZN of nearly proportional loadings) nearly
    equal objectives are reached far apart and the lexicographic tie-break decides within :data:`TIE_TOL`."""
    if g.shape[0] < g.shape[1]:
        return False
    sv = np.linalg.svd(g, compute_uv=False)
    return bool(sv.size and sv[-1] > sv[0] / CONTINUOUS_COND)


def _multiples(
    a: Float64Array2D, c: Float64Array1D, lo: Float64Array1D, hi: Float64Array1D, near: bool = False
) -> tuple[Float64Array1D, Float64Array1D, list[tuple[int, Float64Array1D]]]:
    """Whole-contract bounds for pairs of instruments whose loadings are proportional (ES = 10 MES, ZN ≈ 472 TLT).

    If column k = κ·column j (|κ| ≥ 1.5) trading d = (+1 k, −κ j) leaves the residual unchanged. With κ whole
    and neither bounded: when c_k ≤ |κ|·c_j a lexicographic optimum has |x_j| ≤ |κ| − 1 (otherwise the
    trade lowers Σ|x| by ≥ |κ| − 1 without raising the cost); when c_k > |κ|·c_j it has x_k = 0 (the
    reverse trade lowers the cost). Without these bounds the relaxation is equally good along d
    everywhere and the branch and bound would not end.

    With ``near`` (beyond :data:`EXACT_MAX_INSTRUMENTS` instruments), when c_k ≤ |κ|·c_j, also for κ not
    whole, within given bounds, and for columns proportional to 1e-6 when j has bounds on both sides:
    |x_j| ≤ ⌈|κ|⌉ (|κ| − 1 for κ whole): the smaller carries at most the remainder of one larger contract.
    Any hedge maps to one within these bounds (trade q = trunc(x_j/κ) of k for q·κ of j and round j) whose
    residual differs by at most ½·a_j + q·(a_k − κ·a_j), so the optimum within them is above the true one
    by at most the σ of that (triangle inequality; provided k's own bounds hold the traded k): each such
    pair is returned as (j, that difference's worst case: a_j/2 and q_max·(a_k − κ a_j), stacked) and its σ
    is added to the stated gap.
    """
    lo, hi = lo.copy(), hi.copy()
    m = a.shape[1]
    free = ~np.isfinite(lo) & ~np.isfinite(hi)
    used = np.zeros(m, dtype=bool)
    norms = np.abs(a).max(axis=0)
    approx: list[tuple[int, Float64Array1D]] = []
    for j in range(m):
        for k in range(m):
            if j == k or used[j] or used[k] or norms[j] == 0:
                continue
            kappa = norms[k] / norms[j]
            if kappa < 1.5:
                continue
            whole = abs(kappa - round(kappa)) <= 1e-9 * kappa
            devs = [np.abs(a[:, k] - sg * kappa * a[:, j]).max() / norms[k] for sg in (1.0, -1.0)]
            sign = 1.0 if devs[0] <= devs[1] else -1.0
            dev = min(devs)
            exact = dev <= 1e-12
            bounded = bool(np.isfinite(lo[j]) and np.isfinite(hi[j]))
            if exact and whole and free[j] and free[k]:
                kappa = float(round(kappa))
                if c[k] <= kappa * c[j]:
                    lo[j], hi[j] = -(kappa - 1), kappa - 1
                else:
                    lo[k], hi[k] = 0.0, 0.0
            elif near and (exact or (dev <= 1e-6 and bounded)) and c[k] <= kappa * c[j] * (1 + 1e-12):
                cap = float(round(kappa)) - 1 if (exact and whole) else float(math.ceil(kappa - 1e-9))
                new_lo, new_hi = max(lo[j], -cap), min(hi[j], cap)
                if new_lo > new_hi:  # the given bounds exclude the remainder band: leave them alone
                    continue
                if not (exact and whole):
                    q_max = (max(abs(lo[j]), abs(hi[j])) / kappa + 1) if bounded else 0.0
                    approx.append((j, np.vstack([0.5 * a[:, j], q_max * (a[:, k] - sign * kappa * a[:, j])])))
                lo[j], hi[j] = new_lo, new_hi
            else:
                continue
            used[j] = used[k] = True
            free[j] = free[k] = False
    return lo, hi, approx


def _branch_and_bound(
    prob: _Conic, lo: Float64Array1D, hi: Float64Array1D, m: int, max_nodes: int | None
) -> tuple[Float64Array1D, int, float, str]:
    """(best whole-contract x, nodes solved, gap in scaled units, status): three searches in a row.

    1. the least objective f₁ (to :data:`OBJECTIVE_TOL`; beyond :data:`EXACT_MAX_INSTRUMENTS`
       instruments to a tenth of :data:`NEAR_TIE` × f, a node limit of ``max_nodes``);
    2. the least cost C among whole contracts with f ≤ f₁ + the tie band (:data:`TIE_TOL`, plus
       :data:`NEAR_TIE` × f₁ beyond five instruments);
    3. the least Σ|x| among those with cost ≤ C (1e-9 relative); ‖x‖² orders the hedges of equal Σ|x|
       that the search meets (a node is pruned unless it can save a whole contract).

    The gap is the answer's objective minus the least lower bound of the objective search: 0 up to five
    instruments (where the answer is the optimum, ties within :data:`TIE_TOL`).
    """
    exact = m <= EXACT_MAX_INSTRUMENTS
    limit = EXACT_SAFETY_NODES if exact else (max_nodes or DEFAULT_MAX_NODES * m)
    tie_limit = limit if exact else max(limit // 2, 1)
    near = 0.0 if exact else NEAR_TIE
    x, nodes, lower, done1 = _search(prob, 0, lo, hi, np.clip(0.0, lo, hi), (math.inf, math.inf), limit, near / 10)
    f1 = prob.key(x).f
    cap_f = f1 + TIE_TOL + near * f1
    done = done1
    if prob.c.any():
        x, n2, _, done2 = _search(prob, 1, lo, hi, x, (cap_f, math.inf), tie_limit)
        nodes, done = nodes + n2, done and done2
    cost = float(prob.c @ np.abs(x))
    x, n3, _, done3 = _search(prob, 2, lo, hi, x, (cap_f, cost + 1e-9 * max(cost, 1e-12)), tie_limit)
    nodes, done = nodes + n3, done and done3
    gap = 0.0 if exact and done1 else max(prob.key(x).f - lower, 0.0)
    return x, nodes, gap, "optimal" if done else "node limit"


def _search(
    prob: _Conic,
    level: int,
    lo: Float64Array1D,
    hi: Float64Array1D,
    x0: Float64Array1D,
    caps: tuple[float, float],
    limit: int,
    rel: float = 0.0,
) -> tuple[Float64Array1D, int, float, bool]:
    """Best-first branch and bound minimising level 0 (objective), 1 (cost) or 2 (Σ|x|, then ‖x‖²) over
    whole contracts with objective ≤ caps[0] and cost ≤ caps[1], on the convex relaxation.

    ``x0``: the first incumbent (a point meeting the caps). A node is pruned when its relaxation cannot
    beat the incumbent by more than the level's tolerance (:data:`OBJECTIVE_TOL` + ``rel`` × value for
    the objective, 1e-9 relative for the cost, 1 contract for Σ|x|, a whole number). Returns (best x,
    nodes, smallest bound of the nodes left open, searched to the end).
    """
    feasible = _Feasible(prob, lo, hi)
    best_x = np.asarray(x0, dtype=np.float64)
    cap_f, cap_c = caps
    l2_scale = 1e-12 / max(1.0, float(best_x @ best_x))  # ‖x‖² orders equal Σ|x| only

    def values(y: Float64Array2D) -> tuple[Float64Array1D, Float64Array1D]:
        """(value of the level, how far a point is outside the caps) of many points."""
        f = _objectives(prob, y)
        cost = np.abs(y) @ prob.c
        out = np.maximum(f - cap_f, 0.0) + np.maximum(cost - cap_c, 0.0)
        v = [f, cost, np.abs(y).sum(axis=1) + l2_scale * (y * y).sum(axis=1)][level]
        return np.asarray(v, dtype=np.float64), np.asarray(out, dtype=np.float64)

    def tol(v: float) -> float:
        if level == 0:
            return OBJECTIVE_TOL + rel * abs(v)
        if level == 1:
            return 1e-9 * max(abs(v), 1e-12)
        return 1.0 - 1e-6

    best_v = float(values(best_x[None, :])[0][0])

    def offer(x: Float64Array1D | None) -> None:
        nonlocal best_x, best_v
        if x is None or not feasible(x):
            return
        v, out = values(x[None, :])
        # the objective search takes only real improvements (beyond its tolerance): near-ties are the later
        # searches' business, and chasing 1e-12 gains along a flat direction leads to absurd sizes
        if out[0] <= 0 and v[0] < best_v - (tol(best_v) if level == 0 else 0.0):
            best_x, best_v = x, float(v[0])

    def polish(x: Float64Array1D, nlo: Float64Array1D, nhi: Float64Array1D) -> Float64Array1D:
        """±1-contract steps on one instrument: first back within the caps, then down the level's value."""
        steps = np.vstack([np.eye(prob.m), -np.eye(prob.m)])
        v, out = (a[0] for a in values(x[None, :]))
        for _ in range(4 * prob.m):
            y = x + steps
            y = y[feasible.rows(y, nlo, nhi)]
            if not len(y):
                break
            vy, oy = values(y)
            key = np.where(oy > 0, np.inf, vy) if out <= 0 else oy
            k = int(np.argmin(key))
            if not key[k] < (v if out <= 0 else out):
                break
            x, v, out = y[k], float(vy[k]), float(oy[k])
        return x

    solve_caps = (cap_f, cap_c, math.inf)
    # pseudo-costs of the objective search: observed bound increase per squared rounding distance,
    # by instrument and direction, first estimated from σ⊥ (the increase is about (δ·σ⊥)²/(2f))
    seen = np.zeros((2, prob.m))
    psi = np.zeros((2, prob.m))
    heap: list[tuple[float, int, Float64Array1D, Float64Array1D, int, int, float]] = [
        (-math.inf, 0, lo.copy(), hi.copy(), -1, 0, 0.0)
    ]
    counter, nodes = 1, 0
    while heap:
        bound = heap[0][0]
        if bound >= best_v - tol(best_v):  # what is left cannot beat the incumbent by more than tol
            return best_x, nodes, best_v - tol(best_v), True
        if nodes >= limit:
            return best_x, nodes, bound, False
        parent_v, _, nlo, nhi, bj, bdir, bdist = heapq.heappop(heap)
        nodes += 1
        r = prob.solve(level, nlo, nhi, solve_caps)
        if r is None:
            continue
        v, x = r
        if level < 2 and bj >= 0 and bdist > 0:
            seen[bdir, bj] += 1
            psi[bdir, bj] += (max(v - parent_v, 0.0) / bdist ** (2 - level) - psi[bdir, bj]) / seen[bdir, bj]
        if v >= best_v - tol(best_v):
            continue
        if level == 0 and nodes == 1:
            offer(_dive(prob, nlo, nhi, x))
        xr = np.clip(_nearest(x), nlo, nhi)
        offer(xr)
        if np.abs(x - xr).max() <= _INTEGRAL_TOL:
            continue
        offer(polish(xr, nlo, nhi))
        g = _granularity(prob, nlo < nhi)
        if level < 2:
            # v ≥ 1e-9 (scaled: of the before-hedge σ) keeps a perfect hedge's estimate finite
            est = g**2 / (2 * max(v, 1e-9)) if level == 0 else prob.c + 1e-6 * g
            p_ = 2 - level
            down_d = x - np.floor(x)
            up_d = np.ceil(x) - x
            down = np.where(seen[0] > 0, psi[0], est) * down_d**p_
            up = np.where(seen[1] > 0, psi[1], est) * up_d**p_
            # the product of the two estimated increases, in logs (never overflows)
            score = np.log(np.maximum(down, 1e-300)) + np.log(np.maximum(up, 1e-300))
            score[_distance(x) <= _INTEGRAL_TOL] = -np.inf
            j = int(np.argmax(score))
        else:
            j = _branch_var(x, g)
        for direction, (clo, chi) in _children(nlo, nhi, j, x[j]):
            dist = (x[j] - chi[j]) if direction == 0 else (clo[j] - x[j])
            heapq.heappush(heap, (v, counter, clo, chi, j, direction, float(dist)))
            counter += 1
    return best_x, nodes, best_v - tol(best_v), True


def _csc(sparse: Any, dense: Float64Array2D) -> Any:
    """``sparse.csc_matrix(dense)`` built directly from the nonzeros (the same arrays, without scipy's
    detour through a COO matrix, which was a tenth of each branch-and-bound node)."""
    cols, rows = np.nonzero(dense.T)  # column-major: row indices ascending within each column
    indptr = np.zeros(dense.shape[1] + 1, dtype=np.int32)
    np.cumsum(np.bincount(cols, minlength=dense.shape[1]), out=indptr[1:])
    return sparse.csc_matrix((dense.T[cols, rows], rows.astype(np.int32), indptr), shape=dense.shape)


class _Feasible:
    """Box, budget and (optionally) objective-cap tests on whole-contract points, in scaled units."""

    def __init__(self, prob: _Conic, lo: Float64Array1D, hi: Float64Array1D) -> None:
        self.prob, self.lo, self.hi = prob, lo, hi

    def rows(self, y: Float64Array2D, lo: Float64Array1D, hi: Float64Array1D) -> np.ndarray[Any, Any]:
        ok = ((y >= lo - 1e-9) & (y <= hi + 1e-9)).all(axis=1)
        if self.prob.budget is not None:
            ok &= np.abs(y) @ self.prob.c <= self.prob.budget * (1 + 1e-12) + 1e-15
        return np.asarray(ok)

    def __call__(self, x: Float64Array1D) -> bool:
        return bool(self.rows(x[None, :], self.lo, self.hi)[0])


def _objectives(prob: _Conic, y: Float64Array2D) -> Float64Array1D:
    """The objective of many points (rows of y), scaled units."""
    r = prob.e[None, :] + y @ prob.a.T
    sig = np.max([np.linalg.norm(r @ lt.T, axis=1) for lt in prob.roots], axis=0)
    return np.asarray(sig + prob.w * (np.abs(y) @ prob.c), dtype=np.float64)


def _granularity(prob: _Conic, free: np.ndarray[Any, Any] | None = None) -> Float64Array1D:
    """The risk one contract of each instrument adds that the other free instruments cannot offset.

    σ⊥ⱼ = maxₖ minᵧ ‖Lₖᵀ(aⱼ − A_F y)‖ (F = the free instruments other than j, scaled units): the bound
    increase of rounding xⱼ by δ is about (δ·σ⊥ⱼ)²/(2f) while the free ones re-optimise, so branching
    on the largest δ·σ⊥ⱼ raises the bound fastest. ES beside MES, TLT beside ZN have σ⊥ ≈ 0: rounding
    one is absorbed by the other; a contract only it carries (CL, the BTC perpetual) has σ⊥ = its σ.
    A small share (1e-3) of the contract's whole σ keeps the order among the absorbed ones.
    """
    m = prob.m
    free = np.ones(m, dtype=bool) if free is None else free
    key = free.tobytes()
    if key in prob.sizes:
        return prob.sizes[key]
    out = np.zeros(m)
    for lt in prob.roots:
        g = lt @ prob.a
        for j in range(m):
            others = free.copy()
            others[j] = False
            col = g[:, j]
            if others.any():
                b = g[:, others]
                y, *_ = np.linalg.lstsq(b, col, rcond=None)
                col = col - b @ y
            out[j] = max(out[j], float(np.linalg.norm(col)) + 1e-3 * float(np.linalg.norm(g[:, j])))
    prob.sizes[key] = out
    return out


def _distance(x: Float64Array1D) -> Float64Array1D:
    """Distance of each contract to its nearest whole number (in [0, ½])."""
    return np.asarray(np.abs(x - np.floor(x + 0.5)), dtype=np.float64)


def _branch_var(x: Float64Array1D, size: Float64Array1D) -> int:
    """The contract whose rounding moves the most risk: distance to the nearest whole number × σ⊥."""
    dist = _distance(x)
    score = np.where(dist > _INTEGRAL_TOL, dist * np.maximum(size, 1e-300), -1.0)
    return int(np.argmax(score))


def _dive(prob: _Conic, lo: Float64Array1D, hi: Float64Array1D, x: Float64Array1D) -> Float64Array1D | None:
    """A whole-contract point near the relaxation: fix the fractional contract whose rounding the other free
    instruments absorb least (largest distance × σ⊥) to its nearest whole number, re-solve, repeat."""
    lo, hi = lo.copy(), hi.copy()
    for _ in range(prob.m):
        size = _granularity(prob, lo < hi)
        j = _branch_var(x, size)
        if _distance(x[j : j + 1])[0] <= _INTEGRAL_TOL:
            break
        v = float(np.clip(_nearest(x[j : j + 1])[0], lo[j], hi[j]))
        lo[j] = hi[j] = v
        r = prob.solve(0, lo, hi)
        if r is None:
            return None
        x = r[1]
    return np.clip(_nearest(x), lo, hi)


def _children(
    nlo: Float64Array1D, nhi: Float64Array1D, j: int, v: float
) -> list[tuple[int, tuple[Float64Array1D, Float64Array1D]]]:
    """The two boxes of a branch on x_j = v: (0, x_j ≤ ⌊v⌋) and (1, x_j ≥ ⌈v⌉), the empty ones left out."""
    down_hi = nhi.copy()
    down_hi[j] = math.floor(v)
    up_lo = nlo.copy()
    up_lo[j] = math.ceil(v)
    return [(d, (clo, chi)) for d, (clo, chi) in enumerate(((nlo, down_hi), (up_lo, nhi))) if clo[j] <= chi[j]]


def _nearest(x: Float64Array1D) -> Float64Array1D:
    """The nearest whole contracts of a relaxation, halves away from zero (the one rounding, sizing's)."""
    return np.asarray(whole_contracts(x), dtype=np.float64)
