"""The hedge optimiser (xlhedge.engine.optimize, covariance): docs/methodology/hedge-optimizer.md.

Independent references: numpy least squares in the Σ metric (the minimum-variance hedge),
scipy's SLSQP on a smooth reformulation of the continuous problem, exhaustive search over a
box that provably holds the whole-contract optimum, statsmodels' nearest-correlation routine
and the worked example of Higham (2002).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize

import xlhedge
from xlhedge.engine.covariance import check_correlation, factor_covariance, nearest_correlation
from xlhedge.engine.errors import InputError
from xlhedge.engine.optimize import HedgeOptimum, hedge_risk, optimize_hedge

# ----------------------------------------------------------------------------- helpers


def random_problem(rng: np.random.Generator, n: int, m: int, ill: bool = False) -> dict:
    """Exposures near a hedgeable point, PD covariances; ``ill``: near-collinear loadings, spread spectrum."""
    a = rng.normal(size=(n, m)) * 1000.0
    if ill and m >= 2:
        a[:, 1] = 0.5 * a[:, 0] + 1e-3 * 1000.0 * rng.normal(size=n)
    x_true = rng.uniform(-5, 5, size=m)
    e = -a @ x_true + rng.normal(size=n) * 800.0

    def cov() -> np.ndarray:
        q, _ = np.linalg.qr(rng.normal(size=(n, n)))
        lam = np.logspace(-4, 0, n) if ill else rng.uniform(0.5, 1.5, size=n)
        return (q * lam) @ q.T

    return {"exposures": e, "loadings": a, "cov_normal": cov(), "cov_stress": cov()}


def keys(p: dict, xs: np.ndarray, w: float = 0.0) -> tuple[np.ndarray, ...]:
    """Objective, cost, Σ|x|, ‖x‖² of many hedges (rows of xs), by plain numpy."""
    r = p["exposures"][None, :] + xs @ p["loadings"].T
    sig = [np.sqrt(np.einsum("ij,jk,ik->i", r, p[k], r)) for k in ("cov_normal", "cov_stress") if p.get(k) is not None]
    c = p.get("costs")
    cost = np.zeros(len(xs)) if c is None else np.abs(xs) @ np.asarray(c)
    return np.max(sig, axis=0) + w * cost, cost, np.abs(xs).sum(axis=1), (xs * xs).sum(axis=1)


def level_set_box(p: dict, f_upper: float, lo: np.ndarray, hi: np.ndarray) -> list[range]:
    """Integer box holding every x with σ_normal(e + A x) ≤ f_upper (hence every x at least as good).

    σ_normal ≤ max(σ_normal, σ_stress) + w·cost = f, so the optimum x* (f(x*) ≤ f_upper) lies in
    the ellipsoid (x − x0)ᵀG(x − x0) ≤ f_upper² − σ_min², G = AᵀΣA, x0 its centre; its bounding
    box is x0 ± √((f_upper² − σ_min²)·(G⁻¹)ᵢᵢ).
    """
    a, s, e = p["loadings"], p["cov_normal"], p["exposures"]
    g = a.T @ s @ a
    x0 = -np.linalg.solve(g, a.T @ s @ e)
    r0 = e + a @ x0
    smin2 = float(r0 @ s @ r0)
    rad = np.sqrt(max(f_upper**2 - smin2, 0.0) * np.diag(np.linalg.inv(g)))
    lo_b = np.maximum(np.floor(x0 - rad) - 1, np.where(np.isfinite(lo), lo, -np.inf))
    hi_b = np.minimum(np.ceil(x0 + rad) + 1, np.where(np.isfinite(hi), hi, np.inf))
    return [range(int(a_), int(b_) + 1) for a_, b_ in zip(lo_b, hi_b)]


def exhaustive(p: dict, opt: HedgeOptimum, lo: np.ndarray, hi: np.ndarray, budget: float | None, w: float) -> tuple:
    box = level_set_box(p, opt.objective * (1 + 1e-9) + 1e-9, lo, hi)
    size = math.prod(len(r) for r in box)
    assert size < 2_000_000, f"box too large for the test: {size}"
    xs = np.array(list(itertools.product(*box)), dtype=float)
    if budget is not None:
        xs = xs[np.abs(xs) @ np.asarray(p["costs"]) <= budget * (1 + 1e-12)]
    f, cost, l1, l2 = keys(p, xs, w)
    tol = 1e-7 * max(opt.sigma_normal_before, opt.sigma_stress_before)
    keep = f <= f.min() + tol
    for k in (cost, l1, l2):
        keep &= k <= k[keep].min() + 1e-9 * max(1.0, k[keep].min())
    return xs[keep][0], f.min(), size


def slsqp(p: dict, lo: np.ndarray, hi: np.ndarray, budget: float | None, w: float) -> np.ndarray:
    """The continuous problem as a smooth NLP: x = u − v (u, v ≥ 0), t² ≥ rᵀΣₖr, t ≥ 0."""
    e, a = p["exposures"], p["loadings"]
    m = a.shape[1]
    scale = max(math.sqrt(e @ p["cov_normal"] @ e), 1.0)
    c = np.zeros(m) if p.get("costs") is None else np.asarray(p["costs"], dtype=float) / scale
    covs = [p[k] / scale**2 for k in ("cov_normal", "cov_stress") if p.get(k) is not None]

    def split(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        return z[:m], z[m : 2 * m], z[-1]

    cons = []
    for s in covs:
        cons.append(
            {
                "type": "ineq",
                "fun": lambda z, s=s: split(z)[2] ** 2 - (r := e + a @ (split(z)[0] - split(z)[1])) @ s @ r,
            }
        )
    if budget is not None:
        cons.append({"type": "ineq", "fun": lambda z: budget / scale - c @ (split(z)[0] + split(z)[1])})
    for j in range(m):
        if np.isfinite(hi[j]):
            cons.append({"type": "ineq", "fun": lambda z, j=j: hi[j] - (z[j] - z[m + j])})
        if np.isfinite(lo[j]):
            cons.append({"type": "ineq", "fun": lambda z, j=j: (z[j] - z[m + j]) - lo[j]})
    z0 = np.concatenate([np.zeros(2 * m), [1.0]])
    res = minimize(
        lambda z: split(z)[2] + w * (c @ (split(z)[0] + split(z)[1])) + 1e-12 * (z[: 2 * m] ** 2).sum(),
        z0,
        method="SLSQP",
        bounds=[(0, None)] * (2 * m + 1),
        constraints=cons,
        options={"ftol": 1e-14, "maxiter": 2000},
    )
    assert res.success, res.message
    u, v, _ = split(res.x)
    return u - v


# ----------------------------------------------------------------------------- covariance


def test_factor_covariance_formula() -> None:
    vols = [0.16, 90.0, 0.07]
    rho = np.array([[1, 0.3, -0.4], [0.3, 1, -0.12], [-0.4, -0.12, 1]])
    cov = factor_covariance(vols, rho, 21, 252)
    for i in range(3):
        for j in range(3):
            assert cov[i, j] == pytest.approx(rho[i, j] * vols[i] * vols[j] * 21 / 252, rel=1e-14)


@pytest.mark.parametrize(
    ("matrix", "where"),
    [
        ([[1, 0.2], [0.3, 1]], "row 1, column 2"),
        ([[1, 1.5], [1.5, 1]], "row 1, column 2"),
        ([[1, 0.2], [0.2, 0.9]], "row 2, column 2"),
        ([[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]], "row 3, column 2"),
    ],
)
def test_bad_correlations_name_the_entry(matrix: list, where: str) -> None:
    with pytest.raises(InputError, match=where):
        factor_covariance([1, 1, 1][: len(matrix)], matrix)


def test_repair_is_highams_nearest_correlation() -> None:
    a = np.array([[1, 1, 0], [1, 1, 1], [0, 1, 1.0]])
    # Higham (2002), section 4: the nearest correlation matrix of this matrix
    expected = np.array([[1, 0.7607, 0.1573], [0.7607, 1, 0.7607], [0.1573, 0.7607, 1]])
    ncm = nearest_correlation(a)
    np.testing.assert_allclose(ncm, expected, atol=5e-5)
    assert np.linalg.eigvalsh(ncm).min() >= -1e-9
    check_correlation(ncm)
    from statsmodels.stats.correlation_tools import corr_nearest

    bad = np.array([[1, 0.9, 0.9], [0.9, 1, -0.9], [0.9, -0.9, 1]])
    with pytest.warns(Warning):
        ref = corr_nearest(bad, threshold=1e-15, n_fact=200)
    np.testing.assert_allclose(nearest_correlation(bad), ref, atol=1e-5)
    cov = factor_covariance([1, 2, 3], bad, 252, repair=True)
    np.testing.assert_allclose(cov, nearest_correlation(bad) * np.outer([1, 2, 3], [1, 2, 3]), atol=1e-12)
    good = [[1, 0.3], [0.3, 1]]
    np.testing.assert_allclose(nearest_correlation(good), good, atol=1e-12)


# ----------------------------------------------------------------------------- properties


def test_exact_hedge_at_k_contracts() -> None:
    rng = np.random.default_rng(3)
    p = random_problem(rng, 4, 3)
    for k in (1.0, 3.0, -7.0):
        opt = optimize_hedge(p["exposures"], (-p["exposures"] / k)[:, None], p["cov_normal"], p["cov_stress"])
        assert opt.contracts.iloc[0] == k
        assert opt.sigma_normal == pytest.approx(0.0, abs=1e-9) and opt.sigma_stress == pytest.approx(0.0, abs=1e-9)


def test_normal_only_equals_minimum_variance_hedge() -> None:
    rng = np.random.default_rng(5)
    for n, m in ((3, 2), (6, 4), (7, 7)):
        p = random_problem(rng, n, m)
        opt = optimize_hedge(p["exposures"], p["loadings"], p["cov_normal"], integer=False)
        chol = np.linalg.cholesky(p["cov_normal"])
        ref, *_ = np.linalg.lstsq(chol.T @ p["loadings"], -chol.T @ p["exposures"], rcond=None)
        np.testing.assert_allclose(opt.contracts.to_numpy(), ref, rtol=2e-5, atol=1e-6)  # Clarabel's tolerance
        assert opt.sigma_stress == opt.sigma_normal
        # the same with Σ_stress = Σ_normal given explicitly
        same = optimize_hedge(p["exposures"], p["loadings"], p["cov_normal"], p["cov_normal"], integer=False)
        np.testing.assert_allclose(same.contracts.to_numpy(), ref, rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_continuous_optimum_matches_slsqp(seed: int) -> None:
    rng = np.random.default_rng(seed)
    p = random_problem(rng, 5, 3)
    p["costs"] = rng.uniform(10, 100, size=3)
    lo = np.array([-np.inf, -2.0, -np.inf])
    hi = np.array([np.inf, 2.0, 3.0])
    budget = 0.5 * float(np.abs(optimize_hedge(**p, integer=False).contracts) @ p["costs"])
    for w in (0.0, 0.01):
        opt = optimize_hedge(**p, budget=budget, lower=lo, upper=hi, integer=False, cost_weight=w)
        ref = slsqp(p, lo, hi, budget, w)
        f_opt = keys(p, opt.contracts.to_numpy()[None, :], w)[0][0]
        f_ref = keys(p, ref[None, :], w)[0][0]
        assert f_opt == pytest.approx(opt.objective, rel=1e-12)
        assert f_opt <= f_ref * (1 + 1e-7)
        assert f_opt == pytest.approx(f_ref, rel=1e-5)
        np.testing.assert_allclose(opt.contracts.to_numpy(), ref, atol=1e-3 * max(1.0, np.abs(ref).max()))


def test_adding_a_candidate_never_worsens_and_scaling() -> None:
    rng = np.random.default_rng(11)
    p = random_problem(rng, 5, 4)
    p["costs"] = rng.uniform(1, 50, size=4)
    lo, hi = np.array([-3.0, -np.inf, 0.0, -10.0]), np.array([3.0, np.inf, 8.0, 10.0])
    for integer in (False, True):
        prev = math.inf
        for k in range(1, 5):
            opt = optimize_hedge(
                p["exposures"],
                p["loadings"][:, :k],
                p["cov_normal"],
                p["cov_stress"],
                p["costs"][:k],
                500.0,
                lo[:k],
                hi[:k],
                integer=integer,
            )
            assert opt.objective <= prev * (1 + 1e-7)
            prev = opt.objective
    base = optimize_hedge(**p, budget=500.0, lower=lo, upper=hi, integer=False)
    for k in (0.5, 4.0):
        scaled = optimize_hedge(
            p["exposures"] * k,
            p["loadings"],
            p["cov_normal"],
            p["cov_stress"],
            p["costs"],
            500.0 * k,
            lo * k,
            hi * k,
            integer=False,
        )
        np.testing.assert_allclose(scaled.contracts.to_numpy(), k * base.contracts.to_numpy(), rtol=1e-5, atol=1e-5)
        assert scaled.objective == pytest.approx(k * base.objective, rel=1e-7)


def test_budget_and_bounds_hold_and_infeasible_problems_say_why() -> None:
    rng = np.random.default_rng(17)
    for _ in range(5):
        p = random_problem(rng, 4, 3)
        p["costs"] = rng.uniform(1, 20, size=3)
        lo, hi = rng.uniform(-6, 0, size=3), rng.uniform(0, 6, size=3)
        budget = float(rng.uniform(5, 60))
        for integer in (False, True):
            opt = optimize_hedge(**p, budget=budget, lower=lo, upper=hi, integer=integer)
            x = opt.contracts.to_numpy()
            assert (x >= lo - 1e-7).all() and (x <= hi + 1e-7).all()
            assert opt.total_cost <= budget * (1 + 1e-7)
            assert opt.total_cost == pytest.approx(float(np.abs(x) @ p["costs"]), rel=1e-12)
    p = random_problem(rng, 3, 2)
    p["costs"] = [10.0, 5.0]
    with pytest.raises(InputError, match=r"budget is 20.00, below the cost 30.00.*lower bound of instrument 1"):
        optimize_hedge(**p, budget=20.0, lower=[3, None], upper=None)
    with pytest.raises(InputError, match="bounds of instrument 2: lower bound 2 is above the upper bound 1"):
        optimize_hedge(**p, lower=[None, 2], upper=[None, 1])
    with pytest.raises(InputError, match="no whole number of contracts"):
        optimize_hedge(**p, lower=[0.2, None], upper=[0.7, None])
    assert optimize_hedge(**p, lower=[0.2, None], upper=[0.7, None], integer=False).contracts.iloc[0] >= 0.2


def test_ties_break_by_cost_then_size() -> None:
    """ES and MES are collinear: every 10·ES + MES = 41 reaches the same residual."""
    nav_equity = 41.15 * 30_000.0  # SPX-equivalent currency of the book
    e, a = [nav_equity], [[-300_000.0, -30_000.0]]
    cov = [[0.16**2 / 12]]
    zero = optimize_hedge(e, a, cov, names=["ES", "MES"])
    assert zero.contracts.to_dict() == {"ES": 4.0, "MES": 1.0}  # smallest Σ|x| (no costs)
    cheap_es = optimize_hedge(e, a, cov, costs=[10.0, 1.5], names=["ES", "MES"])
    assert cheap_es.contracts.to_dict() == {"ES": 4.0, "MES": 1.0} and cheap_es.total_cost == 41.5
    cheap_mes = optimize_hedge(e, a, cov, costs=[10.0, 0.5], names=["ES", "MES"])
    assert cheap_mes.contracts.to_dict() == {"ES": 0.0, "MES": 41.0} and cheap_mes.total_cost == 20.5
    cont = optimize_hedge(e, a, cov, integer=False, names=["ES", "MES"])
    np.testing.assert_allclose(cont.contracts.to_numpy(), [4.115, 0.0], atol=1e-6)
    # equal cost per unit of hedge: the smallest Σ|x| wins (ES), then the smallest norm
    tie = optimize_hedge(e, a, cov, costs=[10.0, 1.0], integer=False, names=["ES", "MES"])
    np.testing.assert_allclose(tie.contracts.to_numpy(), [4.115, 0.0], atol=1e-5)


CASES = [(m, seed, ill) for m in (2, 3, 4, 5) for seed, ill in ((0, False), (1, False), (2, True))]


@pytest.mark.parametrize(("m", "seed", "ill"), CASES)
def test_integer_optimum_matches_exhaustive_search(m: int, seed: int, ill: bool) -> None:
    rng = np.random.default_rng(100 * m + seed)
    p = random_problem(rng, m + 1, m, ill)
    lo = np.full(m, -np.inf)
    hi = np.full(m, np.inf)
    budget = None
    w = 0.0
    if seed == 1:  # costs, a binding budget and bounds
        p["costs"] = rng.uniform(50, 200, size=m)
        budget = 0.6 * float(np.abs(optimize_hedge(**p, integer=False).contracts) @ p["costs"])
        lo[0], hi[-1] = -1.0, 4.0
        w = 0.5 / float(np.mean(p["costs"]))
    if ill:
        lo, hi = np.full(m, -6.0), np.full(m, 6.0)
    opt = optimize_hedge(**p, budget=budget, lower=lo, upper=hi, cost_weight=w)
    assert opt.status == "optimal" and opt.gap == 0.0
    x_exh, f_exh, _ = exhaustive(p, opt, lo, hi, budget, w)
    assert opt.objective <= f_exh + 1e-7 * opt.sigma_normal_before
    np.testing.assert_array_equal(opt.contracts.to_numpy(), x_exh)


def test_beyond_five_instruments_states_its_gap() -> None:
    rng = np.random.default_rng(7)
    p = random_problem(rng, 9, 8)
    opt = optimize_hedge(**p, max_nodes=5)
    cont = optimize_hedge(**p, integer=False)
    assert opt.status in ("optimal", "node limit")
    assert opt.gap >= 0
    # the gap bounds the distance to the continuous relaxation, a lower bound of the integer optimum
    assert opt.objective - opt.gap <= opt.objective
    assert cont.objective <= opt.objective + 1e-9
    if opt.status == "node limit":
        assert opt.gap > 0 and "stopped at its node limit" in opt.method
    full = optimize_hedge(**p, max_nodes=100_000)
    assert full.status == "optimal" and full.objective <= opt.objective + 1e-9
    assert full.objective >= opt.objective - opt.gap - 1e-6 * opt.sigma_normal_before


def test_python_api_and_inputs_untouched() -> None:
    rng = np.random.default_rng(2)
    p = random_problem(rng, 3, 2)
    frame = pd.DataFrame(p["loadings"], columns=["ES", "TLT"])
    before = frame.copy()
    opt = xlhedge.optimize_hedge(p["exposures"], frame, p["cov_normal"], p["cov_stress"])
    pd.testing.assert_frame_equal(frame, before)
    assert list(opt.contracts.index) == ["ES", "TLT"]
    assert opt.column().shape == (5,)
    risk = hedge_risk(p["exposures"], p["loadings"], p["cov_normal"], p["cov_stress"], opt.contracts)
    assert (risk.sigma_normal, risk.sigma_stress) == pytest.approx((opt.sigma_normal, opt.sigma_stress))
    assert opt.sigma_normal_before == pytest.approx(math.sqrt(p["exposures"] @ p["cov_normal"] @ p["exposures"]))


# ----------------------------------------------------------------------------- real data


def test_bond_proxy_whose_stress_correlation_flips_gets_less_weight() -> None:
    """Monthly US market returns (Fama–French) and AAA yields (FRED), 2000–2018, from arch's data.

    Stress months: the trailing 6-month vol of the market in its top 20%. A long-duration bond
    (TLT-like, D = 17) hedges equity in normal months (its return is negatively correlated with
    the market) and adds to the loss in stress months (positively correlated): the normal-only
    hedge buys it, the robust hedge holds less of it (here it even sells it, the stress regime's
    hedge) and so loses less in stress.
    """
    from tests._market_data import arch_file

    ff = pd.read_csv(arch_file("frenchdata"), index_col=0)
    ff.index = pd.to_datetime(ff.index.astype(str), format="%Y%m")
    market = (ff["Mkt-RF"] + ff["RF"]) / 100
    aaa = pd.read_csv(arch_file("default"), index_col=0, parse_dates=True)["AAA"]
    df = pd.concat([market.rename("equity"), (aaa.diff() * 100).rename("duration")], axis=1, sort=True).dropna()
    df["vol"] = df["equity"].rolling(6).std().shift(1)
    df = df.dropna().loc["2000":"2018"]
    stress = df["vol"] >= df["vol"].quantile(0.8)
    moves = df[["equity", "duration"]]
    cov_n, cov_s = np.cov(moves[~stress].T), np.cov(moves[stress].T)
    bond_return_corr = [-np.corrcoef(moves[mask].T)[0, 1] for mask in (~stress, stress)]
    assert bond_return_corr[0] < 0 < bond_return_corr[1]  # the flip, in the data

    exposures = [1_000_000.0, 0.0]  # a long equity book: P&L per unit market return, per bp
    loadings = pd.DataFrame({"ES": [300_000.0, 0.0], "TLT": [0.0, -90.0 * 17 * 1e-4]})
    bounds = dict(lower=[-2, None], upper=[0, None])  # ES capped: bonds must do part of the job
    normal_only = optimize_hedge(exposures, loadings, cov_n, **bounds)
    robust = optimize_hedge(exposures, loadings, cov_n, cov_s, **bounds)
    assert normal_only.contracts["ES"] == robust.contracts["ES"] == -2
    assert normal_only.contracts["TLT"] > 0
    assert robust.contracts["TLT"] < normal_only.contracts["TLT"]
    stressed = hedge_risk(exposures, loadings, cov_n, cov_s, normal_only.contracts)
    assert robust.sigma_stress < stressed.sigma_stress
    assert max(robust.sigma_normal, robust.sigma_stress) < stressed.worst
    assert normal_only.sigma_normal <= robust.sigma_normal  # the price of robustness, paid in normal months


# ----------------------------------------------------------------------------- collinear and larger problems


def _local_search(p: dict, x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, float]:
    """Round, then the best ±1 step on one coordinate while the objective falls (plain numpy)."""
    x = np.clip(np.round(x), lo, hi)
    f = keys(p, x[None, :])[0][0]
    steps = np.vstack([np.eye(x.size), -np.eye(x.size)])
    while True:
        y = x + steps
        y = y[((y >= lo) & (y <= hi)).all(axis=1)]
        fy = keys(p, y)[0]
        k = int(np.argmin(fy))
        if not fy[k] < f:
            return x, f
        x, f = y[k], fy[k]


def test_nearly_proportional_pair_takes_the_smallest_size() -> None:
    """TLT and ZN load on the yield factor in a ratio of 471.57 (to 1e-9): their whole-contract combinations
    approach any duration ever more finely with ever larger offsetting positions (+391,921 TLT against
    −827 ZN). The answer is the smallest Σ|x| among the whole-contract hedges within the tie tolerance of
    the optimum (exhaustive search over a box), with or without bounds."""
    cov_n = np.array([[0.16**2 / 12, 0.3 * 0.16 * 90 / 12], [0.3 * 0.16 * 90 / 12, 90.0**2 / 12]])
    cov_s = np.array([[0.30**2 / 12, -0.4 * 0.30 * 140 / 12], [-0.4 * 0.30 * 140 / 12, 140.0**2 / 12]])
    e = np.array([1_000_000.0, 295.0])  # P&L per unit SPX return, per bp
    a = np.array([[0.0, 1e-6], [-0.153, -72.15]])  # TLT (one share), ZN: yield loadings nearly proportional
    p = {"exposures": e, "loadings": a, "cov_normal": cov_n, "cov_stress": cov_s}
    lo, hi = np.array([-5000.0, -20.0]), np.array([5000.0, 20.0])
    xs = np.array(list(itertools.product(range(-5000, 5001), range(-20, 21))), dtype=float)
    f, _, l1, l2 = keys(p, xs)
    for bounds in ({"lower": lo, "upper": hi}, {}):
        opt = optimize_hedge(e, a, cov_n, cov_s, names=["TLT", "ZN"], **bounds)
        assert opt.status == "optimal"
        tol = 1e-7 * max(opt.sigma_normal_before, opt.sigma_stress_before)
        band = f <= f.min() + tol
        assert opt.objective <= f.min() + tol
        best = xs[band][np.lexsort((l2[band], l1[band]))[0]]
        np.testing.assert_array_equal(opt.contracts.to_numpy(), best)
        assert abs(opt.contracts["TLT"]) < 472  # never more TLT than one ZN carries


@pytest.mark.parametrize("skew", [0.0, 1e-9])
def test_exactly_and_nearly_proportional_pairs_among_many_candidates(skew: float) -> None:
    """Eight candidates, ES = 10 MES exactly and ZN ≈ 471.57 TLT (exactly, or to 1e-9 on each factor),
    bounded like the sheet's size limit: the search ends with a small stated gap, the answer never holds
    a pair's smaller contract beyond one larger one and is no worse than rounding + local search."""
    rng = np.random.default_rng(21)
    n, m = 6, 8
    a = rng.normal(size=(n, m)) * 1e4
    a[:, 1] = a[:, 0] / 10  # ES, MES
    a[:, 2] = a[:, 3] / 471.57 * (1 + skew * rng.normal(size=n))  # TLT, ZN
    e = -a @ np.array([23.4, 0.0, 0.0, 4.3, 2.2, -1.7, 3.1, 0.4]) + rng.normal(size=n) * 2e3
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    cov_n = (q * rng.uniform(0.5, 1.5, size=n)) @ q.T
    p = {"exposures": e, "loadings": a, "cov_normal": cov_n, "cov_stress": cov_n * 1.8}
    book = math.sqrt(e @ p["cov_stress"] @ e)
    one = np.sqrt(np.einsum("ij,jk,ik->i", a.T, p["cov_stress"], a.T))
    hi = np.ceil(2 * book / one)  # a leg's σ at most twice the book's
    opt = optimize_hedge(**p, lower=-hi, upper=hi)
    x = opt.contracts.to_numpy()
    assert opt.status == "optimal"
    assert opt.gap <= 1e-2 * opt.objective
    assert abs(x[1]) <= 9 and abs(x[2]) <= 472
    cont = optimize_hedge(**p, lower=-hi, upper=hi, integer=False)
    assert cont.objective <= opt.objective - opt.gap + 1e-9 * book
    _, f_heur = _local_search(p, cont.contracts.to_numpy(), -hi, hi)
    assert opt.objective <= f_heur * (1 + 1e-5)
    assert opt.objective - opt.gap <= f_heur


@pytest.mark.parametrize(("m", "seed"), [(8, 0), (9, 1), (11, 2)])
def test_many_instruments_not_worse_than_rounding_and_local_search(m: int, seed: int) -> None:
    """8–11 instruments: the answer is no worse than rounding the continuous optimum and descending by ±1
    steps (up to the near-tie tolerance 1e-5), its stated gap is a true bound (the heuristic's objective is
    not below answer − gap), and the search ends before its node limit (about a second)."""
    rng = np.random.default_rng(300 + seed)
    p = random_problem(rng, m + 1, m)
    p["costs"] = rng.uniform(0, 50, size=m)
    lo, hi = np.full(m, -np.inf), np.full(m, np.inf)
    opt = optimize_hedge(**p)
    assert opt.status == "optimal" and opt.gap <= 1e-4 * opt.objective
    cont = optimize_hedge(**p, integer=False)
    _, f_heur = _local_search(p, cont.contracts.to_numpy(), lo, hi)
    scale = max(opt.sigma_normal_before, opt.sigma_stress_before)
    assert opt.objective <= f_heur * (1 + 1e-5) + 1e-9 * scale
    assert opt.objective - opt.gap <= f_heur + 1e-9 * scale
    assert cont.objective <= opt.objective - opt.gap + 1e-9 * scale  # the relaxation is a lower bound too


def test_a_perfect_hedge_among_many_candidates_under_the_numeric_guard() -> None:
    """A book that eight candidates hedge exactly (the relaxation's σ is 0): the search runs under the
    command line's and the registry's strict floating-point rules (overflow raises) and finds it."""
    from xlhedge.engine.errors import numeric_guard

    rng = np.random.default_rng(5)
    a = rng.normal(size=(9, 8)) * 1e4
    x_true = np.array([3.0, -2.0, 0.0, 5.0, 1.0, -4.0, 2.0, 0.0])
    e = -a @ x_true
    q, _ = np.linalg.qr(rng.normal(size=(9, 9)))
    cov = (q * rng.uniform(0.5, 1.5, size=9)) @ q.T
    with numeric_guard():
        opt = optimize_hedge(e, a, cov, 2 * cov)
    assert opt.objective <= 1e-6 * opt.sigma_normal_before
    assert opt.status == "optimal"
    np.testing.assert_array_equal(opt.contracts.to_numpy(), x_true)


def test_optimiser_sparse_matrix_is_scipys():
    """The branch-and-bound's direct CSC build gives the very arrays scipy's csc_matrix(dense) gives."""
    import numpy as np
    from scipy import sparse

    from xlhedge.engine.optimize import _csc

    rng = np.random.default_rng(3)
    for shape in [(7, 5), (40, 23), (1, 1), (3, 4)]:
        a = rng.normal(size=shape)
        a[rng.random(shape) < 0.6] = 0.0
        mine, ref = _csc(sparse, a), sparse.csc_matrix(a)
        assert np.array_equal(mine.indptr, ref.indptr)
        assert np.array_equal(mine.indices, ref.indices)
        assert np.array_equal(mine.data, ref.data)
        assert mine.shape == ref.shape
    zero = _csc(sparse, np.zeros((3, 2)))
    assert zero.nnz == 0 and zero.shape == (3, 2)
