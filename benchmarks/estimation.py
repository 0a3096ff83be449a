"""Rolling betas and the correlation matrix: xlhedge vs pandas, statsmodels and the floor.

Run: ``python benchmarks/estimation.py`` (about half a minute on 2 cores).

Problem: 500 assets × 2,520 trading days (ten years) of prices against one
benchmark, rolling 252-day OLS betas; then the full 500 × 500 correlation
matrix. Every timing is the best of ``REPEAT`` runs in this process.

* ``xlhedge.rolling_beta`` — the public API: DataFrame of *prices* in,
  DataFrame of betas out (aligned to the input dates), returns computed inside.
* pandas baseline — ``R.rolling(w).cov(RB).div(RB.rolling(w).var(), axis=0)``
  on ready returns (the return computation is not charged to pandas).
* statsmodels ``RollingOLS`` — one regression per asset, so timed on a subset
  of ``SM_SUBSET`` assets and scaled to 500.
* floor — one ``np.cumsum`` over the same (2,520 × 500) returns array: any
  windowed-sum method touches the data at least this much.

Results are checked equal (max |Δ| ≤ 1e-10) before any ratio is printed;
memory is the tracemalloc peak of one ``rolling_beta`` call in multiples of
the input price array (O(assets × days) means a small constant).
Goals (issue): ≥ 4× faster than pandas, within 5× of the floor, ≥ 100× faster
than RollingOLS.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from _common import Row
from statsmodels.regression.rolling import RollingOLS

import xlhedge
from xlhedge.engine.estimation import _rolling_kernel

REPEAT = 9
ASSETS, DAYS, WINDOW = 500, 2_520, 252
SM_SUBSET = 10
TOL = 1e-10


def best(f: Callable[[], Any], repeat: int = REPEAT) -> float:
    t = np.inf
    for _ in range(repeat):
        s = time.perf_counter()
        f()
        t = min(t, time.perf_counter() - s)
    return t


def data() -> tuple[pd.DataFrame, pd.Series]:
    """One-factor prices: r_i = β_i r_m + ε_i, β_i spread over 0.2–1.8 (a realistic book)."""
    rng = np.random.default_rng(42)
    rm = rng.normal(3e-4, 0.011, DAYS)
    betas = rng.uniform(0.2, 1.8, ASSETS)
    ri = rm[:, None] * betas + rng.normal(1e-4, 0.015, (DAYS, ASSETS))
    dates = pd.bdate_range("2015-01-02", periods=DAYS + 1)
    bench = pd.Series(np.r_[100.0, 100 * np.cumprod(1 + rm)], index=dates, name="SPX")
    prices = pd.DataFrame(
        np.vstack([np.full(ASSETS, 50.0), 50 * np.cumprod(1 + ri, axis=0)]),
        index=dates,
        columns=[f"A{i:03d}" for i in range(ASSETS)],
    )
    return prices, bench


def window_floor(p: np.ndarray, b: np.ndarray, w: int) -> np.ndarray:
    """The numpy floor of a beta over the last ``w`` returns: slice, returns, centre, one product."""
    pa, pb = p[-w - 1 :], b[-w - 1 :]
    ra = pa[1:] / pa[:-1] - 1.0
    rb = pb[1:] / pb[:-1] - 1.0
    rb = rb - rb.mean()
    return (ra - ra.mean(axis=0)).T @ rb / (rb @ rb)


def collect(repeat: int = REPEAT) -> list[Row]:
    """The issue-13 targets of this file: rolling_beta vs one cumsum; BETA/EWMA_BETA with a window vs
    the numpy floor on the window (medians)."""
    import statistics

    def med(f: Callable[[], Any]) -> float:
        f()
        ts = []
        for _ in range(repeat):
            s = time.perf_counter()
            f()
            ts.append(time.perf_counter() - s)
        return statistics.median(ts)

    prices, bench = data()
    x = prices.pct_change().iloc[1:].to_numpy()
    p, b = prices.to_numpy(), bench.to_numpy()
    got = xlhedge.beta(prices, bench, WINDOW).to_numpy()
    assert np.allclose(got, window_floor(p, b, WINDOW), rtol=1e-10, atol=1e-12), "beta and the floor disagree"
    t_roll = med(lambda: xlhedge.rolling_beta(prices, bench, WINDOW))
    t_cum = med(lambda: np.cumsum(x, axis=0))
    t_beta = med(lambda: xlhedge.beta(prices, bench, WINDOW))
    t_ewma = med(lambda: xlhedge.ewma_beta(prices, bench, WINDOW))
    t_floor = med(lambda: window_floor(p, b, WINDOW))
    t_full = med(lambda: xlhedge.beta(prices, bench))
    return [
        Row(f"`rolling_beta` {ASSETS} × {DAYS:,}, window {WINDOW}", t_roll, "one `np.cumsum` (floor)", t_cum, 5.0),
        Row(
            f"`beta` {ASSETS} × {DAYS:,}, window {WINDOW}",
            t_beta,
            "`beta` over all rows",
            t_full,
            None,
            note=f"numpy on the window alone: {t_floor * 1e3:.1f} ms",
        ),
        Row(f"`ewma_beta` {ASSETS} × {DAYS:,}, window {WINDOW}", t_ewma, "`beta` over all rows", t_full, None),
    ]


def main() -> None:
    prices, bench = data()
    R = prices.pct_change().iloc[1:]
    RB = bench.pct_change().iloc[1:]
    x = R.to_numpy()  # the layout pandas hands out (column-major)
    y = RB.to_numpy()
    print(f"rolling {WINDOW}-day betas: {ASSETS} assets x {DAYS:,} days against one benchmark\n")

    ours = xlhedge.rolling_beta(prices, bench, WINDOW)
    t_api = best(lambda: xlhedge.rolling_beta(prices, bench, WINDOW))
    out = np.empty_like(x)
    scratch = np.empty_like(x)

    def kernel() -> np.ndarray:
        np.copyto(scratch, x)  # the kernel may use its input as scratch space
        return _rolling_kernel(scratch, y, WINDOW, "beta", out, overwrite=True)

    t_core = best(kernel)
    t_floor = best(lambda: np.cumsum(x, axis=0))

    def pandas_beta() -> pd.DataFrame:
        return R.rolling(WINDOW).cov(RB).div(RB.rolling(WINDOW).var(), axis=0)

    pb = pandas_beta()
    t_pandas = best(pandas_beta, 3)
    d_pandas = float(np.nanmax(np.abs(pb.to_numpy() - ours.iloc[1:].to_numpy())))
    assert np.array_equal(np.isnan(pb.to_numpy()), np.isnan(ours.iloc[1:].to_numpy()))

    X = sm.add_constant(RB)
    cols = list(R.columns[:SM_SUBSET])

    def statsmodels_beta() -> list[np.ndarray]:
        return [RollingOLS(R[c], X, window=WINDOW).fit().params["SPX"].to_numpy() for c in cols]

    sm_res = statsmodels_beta()
    t_sm = best(statsmodels_beta, 1) * ASSETS / SM_SUBSET
    d_sm = max(float(np.nanmax(np.abs(s - ours[c].iloc[1:].to_numpy()))) for s, c in zip(sm_res, cols))

    tracemalloc.start()
    xlhedge.rolling_beta(prices, bench, WINDOW)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    mem_ratio = peak / prices.to_numpy().nbytes

    print(f"  xlhedge.rolling_beta (prices DataFrame in/out) {t_api * 1e3:9.1f} ms")
    print(f"  xlhedge kernel (returns array)                 {t_core * 1e3:9.1f} ms")
    print(f"  pandas rolling().cov()/var()                   {t_pandas * 1e3:9.1f} ms   max |diff| {d_pandas:.1e}")
    print(
        f"  statsmodels RollingOLS ({SM_SUBSET} assets, x{ASSETS // SM_SUBSET})       "
        f"{t_sm * 1e3:9.1f} ms   max |diff| {d_sm:.1e}"
    )
    print(f"  floor: one np.cumsum over the returns          {t_floor * 1e3:9.1f} ms")
    print(f"  peak memory of one call: {peak / 2**20:.1f} MiB = {mem_ratio:.1f} x the price array")
    print()
    print(f"  pandas / xlhedge        {t_pandas / t_api:7.1f}x   (goal >= 4x)")
    print(f"  xlhedge / floor         {t_api / t_floor:7.1f}x   (goal <= 5x; kernel alone {t_core / t_floor:.1f}x)")
    print(f"  RollingOLS / xlhedge    {t_sm / t_api:7.0f}x   (goal >= 100x)")
    if max(d_pandas, d_sm) > TOL:
        raise SystemExit(f"results differ by more than {TOL:g}")

    print(f"\ncorrelation matrix: {ASSETS} x {ASSETS} from {DAYS:,} days of prices\n")
    c = xlhedge.correlation_matrix(prices)
    t_c = best(lambda: xlhedge.correlation_matrix(prices))
    t_np = best(lambda: np.corrcoef(x, rowvar=False))
    t_pd = best(lambda: R.corr(), 3)
    d_np = float(np.max(np.abs(c.to_numpy() - np.corrcoef(x, rowvar=False))))
    d_pd = float(np.max(np.abs(c.to_numpy() - R.corr().to_numpy())))
    print(f"  xlhedge.correlation_matrix (prices in)   {t_c * 1e3:9.1f} ms")
    print(f"  numpy corrcoef (returns in)              {t_np * 1e3:9.1f} ms   max |diff| {d_np:.1e}")
    print(f"  pandas DataFrame.corr (returns in)       {t_pd * 1e3:9.1f} ms   max |diff| {d_pd:.1e}")
    print(f"  pandas / xlhedge {t_pd / t_c:.1f}x, xlhedge / numpy {t_c / t_np:.1f}x")
    if max(d_np, d_pd) > TOL:
        raise SystemExit(f"results differ by more than {TOL:g}")


if __name__ == "__main__":
    main()
