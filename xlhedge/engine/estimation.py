"""Betas and correlations from price history (docs/methodology/estimation.md, Cross-Asset Hedging §03–§04).

    β_{i,m} = Cov(r_i, r_m) / Var(r_m)          OLS slope with intercept
    R²      = ρ²_{i,m}                            (one regressor)
    SE(β)   = sqrt( Σ e² / (n − 2) / Σ (r_m − r̄_m)² )
    EWMA β  = Σ λ^k r_i r_m / Σ λ^k r_m²          RiskMetrics, zero mean, k = 0 newest
    adjusted β = 0.67 · β + 0.33                   (Blume; weights editable)
    ρ*      = ρ / sqrt(1 + δ (1 − ρ²)),  δ = σ²_regime / σ²_normal − 1   (Forbes–Rigobon)

Conventions
-----------
* Prices in, returns computed here: simple (P_t/P_{t−1} − 1) by default, log
  optional, daily or weekly (last price of each week).
* Every pair of series is **aligned pairwise** on the dates where both have a
  price (:func:`xlhedge.engine.prices.pair_returns`); a gap in either gives one
  multi-day return for both. Nothing is forward-filled.
* ``window`` counts returns (the last ``window`` common returns of the pair).
* The numeric core works on float64 ndarrays, one column per asset, and
  reduces along ``axis=0``: one call serves one asset or five hundred.

Rolling estimates use windowed sums from cumulative sums (O(T·n), one pass
per moment). Before summing, the benchmark is centred on its sample mean and
every co-moment is formed about it, so the sums do not cancel catastrophically;
the results agree with statsmodels ``RollingOLS`` to 1e-10 (tests pin it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine._typing import (
    METHODS,
    REGIME_CHOICES,
    AnyArray,
    BoolArray,
    BoolArray1D,
    BoolArray2D,
    Float64Array,
    Float64Array1D,
    Float64Array2D,
    FloatArrayLike,
    Frequency,
    IntArray1D,
    IntArray2D,
    Method,
    RegimeChoice,
    ReturnKind,
    StrArray,
)
from xlhedge.engine.errors import InputError, NotEnoughData
from xlhedge.engine.prices import (
    CLEAN_PRICES_HINT,
    FREQUENCIES,
    RETURN_KINDS,
    check_positive_prices,
    pair_returns,
    simple_or_log_returns,
    to_weekly,
)
from xlhedge.engine.regimes import check_percentiles, classify

__all__ = [
    "beta",
    "beta_stats",
    "ewma_beta",
    "adjusted_beta",
    "rolling_beta",
    "rolling_correlation",
    "correlation",
    "correlation_matrix",
    "regime_correlation",
    "realised_vol_regimes",
    "forbes_rigobon",
    "RegimeCorrelation",
    "ESTIMATION_DEFAULTS",
    "ADJUSTED_BETA",
    "METHODS",
    "MIN_OBSERVATIONS",
    "REGIME_CHOICES",
]

#: Editable defaults (docs/methodology/estimation.md): rolling window in returns, RiskMetrics λ,
#: realised-vol window (returns) used to split regimes when no vol index is given.
ESTIMATION_DEFAULTS: dict[str, float] = {"window": 252, "lam": 0.94, "realised_vol_window": 21}
#: Adjusted (Blume) beta: weight · β + (1 − weight) · prior (docs/methodology/estimation.md: 0.67·β + 0.33).
ADJUSTED_BETA: dict[str, float] = {"weight": 0.67, "prior": 1.0}
#: Fewest returns for an estimate with a standard error (n − 2 degrees of freedom > 0).
MIN_OBSERVATIONS = 3


# =========================================================================== inputs


def _frame(x: Any, name: str) -> pd.DataFrame:
    if isinstance(x, pd.Series):
        return x.to_frame(name=x.name if x.name is not None else name)
    if isinstance(x, pd.DataFrame):
        if x.shape[1] == 0:
            raise InputError("has no columns", where=name)
        return x
    try:
        a = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("expected numbers (prices)", where=name) from None
    if a.ndim == 1:
        a = a[:, None]
    if a.ndim != 2:
        raise InputError(f"has {a.ndim} dimensions, expected a table of prices", where=name)
    cols = [name] if a.shape[1] == 1 else [f"{name}_{j + 1}" for j in range(a.shape[1])]
    return pd.DataFrame(a, columns=cols)


def _check_prices(df: pd.DataFrame, name: str) -> Float64Array2D:
    try:
        a = df.to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("has cells that are not numbers; read it with xlhedge.read_prices", where=name) from None
    dates = df.index if isinstance(df.index, pd.DatetimeIndex) else None
    return check_positive_prices(a, name, dates=dates, columns=df.columns, hint=CLEAN_PRICES_HINT)


def _sorted_dates(df: pd.DataFrame, name: str) -> pd.DataFrame:
    if isinstance(df.index, pd.DatetimeIndex):
        if df.index.has_duplicates:
            d = df.index[df.index.duplicated()][0]
            raise InputError(f"has the date {d:%Y-%m-%d} twice; clean_prices() handles it", where=name)
        if not df.index.is_monotonic_increasing:
            raise InputError("dates are not in ascending order; clean_prices() sorts them", where=name)
    return df


def _align(
    asset: Any, benchmark: Any, frequency: str
) -> tuple[pd.Index, Float64Array2D, Float64Array1D, list[str], str]:
    """Asset prices (T, n) and benchmark prices (T,) on one index.

    Two date-indexed inputs are joined on their dates (outer join: each pair is
    then aligned on its common dates); otherwise rows are matched by position
    and must be as many.
    """
    a = _sorted_dates(_frame(asset, "asset"), "asset_prices")
    b = _sorted_dates(_frame(benchmark, "benchmark"), "benchmark_prices")
    if b.shape[1] != 1:
        raise InputError(f"expected one benchmark series, got {b.shape[1]} columns", where="benchmark_prices")
    bname = str(b.columns[0])
    dated = isinstance(a.index, pd.DatetimeIndex) and isinstance(b.index, pd.DatetimeIndex)
    if dated and not a.index.equals(b.index):
        b = b.set_axis(["__benchmark__"], axis=1)
        j = a.join(b, how="outer")
        j = j[j.notna().any(axis=1)]
        a, b = j.iloc[:, :-1], j.iloc[:, -1:]
    elif not dated and len(a) != len(b):
        raise InputError(
            f"has {len(b)} rows, asset_prices {len(a)}; give both with dates to align them",
            where="benchmark_prices",
        )
    if coerce.choice(frequency, "frequency", FREQUENCIES) == "weekly":
        if not dated:
            raise InputError("weekly returns need date-indexed prices", where="frequency")
        a, b = to_weekly(a), to_weekly(b)
    pa = _check_prices(a, "asset_prices")
    pb = _check_prices(b, "benchmark_prices")[:, 0]
    return a.index, pa, pb, list(a.columns), bname


def _last_n(valid: BoolArray2D, window: int | None) -> BoolArray2D:
    """Mask of the last ``window`` valid rows of each column (all valid rows if None)."""
    if window is None:
        return valid
    from_end = np.cumsum(valid[::-1], axis=0)[::-1]
    return valid & (from_end <= window)


def _window_arg(window: Any, name: str = "window") -> int | None:
    return coerce.optional_whole_number(window, name, minimum=2, what="a whole number of returns")


def _need(n: AnyArray | int, needed: int, names: Sequence[Any], what: str, where: str) -> None:
    n = np.atleast_1d(np.asarray(n))
    if (n < needed).any():
        j = int(np.argmin(n))
        who = f" for {names[j]!s}" if len(names) > 1 else ""
        raise NotEnoughData(f"found {int(n[j])} {what}{who}, need at least {needed}", where=where)


# =========================================================================== OLS beta


def _ols(x: Float64Array2D, y: Float64Array2D, keep: BoolArray2D) -> dict[str, Float64Array1D]:
    """Column-wise OLS of x (asset) on y (benchmark) with intercept over rows ``keep``.

    Two-pass (centred) sums, so no cancellation. All arrays (T, n).
    """
    n = keep.sum(axis=0).astype(np.float64)
    xz = np.where(keep, x, 0.0)
    yz = np.where(keep, y, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = xz.sum(axis=0) / n
        my = yz.sum(axis=0) / n
        dx = np.where(keep, x - mx, 0.0)
        dy = np.where(keep, y - my, 0.0)
        syy = np.einsum("ij,ij->j", dy, dy)
        sxy = np.einsum("ij,ij->j", dx, dy)
        sxx = np.einsum("ij,ij->j", dx, dx)
        b = sxy / syy
        e = dx - dy * b
        ssr = np.einsum("ij,ij->j", e, e)
        r2 = np.clip(sxy * sxy / (sxx * syy), 0.0, 1.0)
        se = np.sqrt(ssr / (n - 2) / syy)
        corr = sxy / np.sqrt(sxx * syy)
    return {"beta": b, "alpha": mx - b * my, "r2": r2, "se": se, "n": n, "correlation": corr}


def _t_stat(b: Float64Array1D, se: Float64Array1D) -> Float64Array1D:
    """β / SE(β); NaN for a perfect fit (SE = 0: the residual variance is zero and t is undefined)."""
    out = np.full_like(b, np.nan)
    ok = se > 0
    out[ok] = b[ok] / se[ok]
    return out


def _ewma(x: Float64Array2D, y: Float64Array2D, keep: BoolArray2D, lam: float) -> Float64Array1D:
    """RiskMetrics EWMA beta: Σ λ^k x y / Σ λ^k y², k = 0 for each column's newest return."""
    k = np.cumsum(keep[::-1], axis=0)[::-1] - 1  # 0 at the newest kept row
    w = np.where(keep, lam ** np.maximum(k, 0).astype(np.float64), 0.0)
    xz = np.where(keep, x, 0.0)
    yz = np.where(keep, y, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.einsum("ij,ij->j", w * xz, yz) / np.einsum("ij,ij->j", w * yz, yz)


def _lam_arg(lam: Any) -> float:
    try:
        v = float(lam)
    except (TypeError, ValueError):
        raise InputError(f"expected a number between 0 and 1, found {lam!r}", where="lam") from None
    if not 0.0 < v < 1.0:
        raise InputError(f"must be > 0 and < 1, got {v:g}", where="lam")
    return v


def _window_start(pa: Float64Array2D, pb: Float64Array1D, w: int | None) -> int:
    """First price row that the last ``w`` common returns of every column can use (0: all rows).

    A column's last ``w`` returns need its last ``w + 1`` rows where it and the benchmark both
    have a price; rows before the earliest such row of any column change no estimate. When some
    column has fewer, every row is kept (its error message counts them all).
    """
    t, need = pa.shape[0], (w or 0) + 1
    if w is None or t <= need:
        return 0
    if not (np.isnan(pa[t - need :]).any() or np.isnan(pb[t - need :]).any()):
        return t - need  # no gap in the last w + 1 rows (the usual case): no full-length pass
    ok = ~np.isnan(pa) & ~np.isnan(pb)[:, None]
    from_end = np.cumsum(ok[::-1], axis=0)[::-1]  # rows with both prices, from t to the end
    if (from_end[0] < need).any():
        return 0
    return int(((from_end >= need).sum(axis=0) - 1).min())


def beta_stats(
    asset_prices: Any,
    benchmark_prices: Any,
    window: int | None = None,
    *,
    kind: ReturnKind = "simple",
    frequency: Frequency = "daily",
    lam: float = ESTIMATION_DEFAULTS["lam"],
) -> pd.DataFrame:
    """OLS (and EWMA) beta of each asset against one benchmark, with its statistics.

    Parameters
    ----------
    asset_prices : DataFrame (dates × assets), Series or array
        Prices > 0; NaN where missing. Dated inputs are joined on their dates.
    benchmark_prices : Series, one-column DataFrame or 1-D array
        The factor's benchmark (SPX, DXY, a commodity composite, BTC).
    window : int, optional
        Use the last ``window`` common returns of each pair (all when None).
    kind : {"simple", "log"}
    frequency : {"daily", "weekly"}
    lam : float
        EWMA decay λ (RiskMetrics 0.94) for the ``ewma_beta`` column.

    Returns
    -------
    DataFrame, one row per asset, columns ``beta`` (unitless: asset return per
    unit benchmark return), ``alpha`` (per period), ``r2``, ``se`` (standard
    error of β), ``t`` (β / se; NaN for a perfect fit, where se = 0 and t is undefined), ``correlation``, ``ewma_beta``, ``adjusted_beta``,
    ``n`` (returns used), ``start``/``end`` (first and last return date).

    Raises
    ------
    NotEnoughData
        Fewer than :data:`MIN_OBSERVATIONS` common returns, or fewer than
        ``window``, for some asset (says which, how many found and needed);
        or benchmark returns that do not vary over an asset's returns.
    """
    k = coerce.choice(kind, "kind", RETURN_KINDS)
    w = _window_arg(window)
    lam = _lam_arg(lam)
    index, pa, pb, names, _ = _align(asset_prices, benchmark_prices, frequency)
    start = _window_start(pa, pb, None if w is None else max(MIN_OBSERVATIONS, w))
    if start:  # only the rows the window can use
        index, pa, pb = index[start:], pa[start:], pb[start:]
    ra, rb = pair_returns(pa, pb, k)
    valid = ~np.isnan(ra)
    found = valid.sum(axis=0)
    _need(found, max(MIN_OBSERVATIONS, w or 0), names, "common returns", "asset_prices")
    keep = _last_n(valid, w)
    s = _ols(ra, rb, keep)
    flat = ~np.isfinite(s["beta"])  # Var(r_m) = 0: every benchmark return the same
    if flat.any():
        j = int(np.argmax(flat))
        who = f" for {names[j]}" if len(names) > 1 else ""
        raise NotEnoughData(
            f"has no variance over the {int(s['n'][j])} common returns{who}; a beta needs a benchmark that moves",
            where="benchmark_prices",
        )
    s["ewma_beta"] = _ewma(ra, rb, keep, lam)
    first = np.argmax(keep, axis=0)
    last = keep.shape[0] - 1 - np.argmax(keep[::-1], axis=0)
    out = pd.DataFrame(
        {
            "beta": s["beta"],
            "alpha": s["alpha"],
            "r2": s["r2"],
            "se": s["se"],
            "t": _t_stat(s["beta"], s["se"]),
            "correlation": s["correlation"],
            "ewma_beta": s["ewma_beta"],
            "adjusted_beta": adjusted_beta(s["beta"]),
            "n": s["n"].astype(int),
            "start": index[first],
            "end": index[last],
        },
        index=pd.Index(names, name="asset"),
    )
    return out


def beta(
    asset_prices: Any,
    benchmark_prices: Any,
    window: int | None = None,
    method: Method = "ols",
    *,
    lam: float = ESTIMATION_DEFAULTS["lam"],
    kind: ReturnKind = "simple",
    frequency: Frequency = "daily",
) -> float | pd.Series:
    """Beta of asset returns to benchmark returns over the last ``window`` returns (docs/methodology/estimation.md).

    ``method="ols"``: Cov/Var slope with intercept; ``"ewma"``: RiskMetrics
    λ-weighted, zero-mean. A single asset gives a float, several a Series.
    See :func:`beta_stats` for R², standard error and dates.

    Examples
    --------
    >>> import numpy as np
    >>> b = np.array([100, 101, 99, 102, 103.0])
    >>> round(beta(100 * (b / 100) ** 2, b), 2)   # about twice the moves
    2.01
    """
    m = coerce.choice(method, "method", METHODS)
    st = beta_stats(asset_prices, benchmark_prices, window, kind=kind, frequency=frequency, lam=lam)
    col = st["beta" if m == "ols" else "ewma_beta"]
    single = isinstance(asset_prices, pd.Series) or (
        not isinstance(asset_prices, pd.DataFrame) and np.ndim(asset_prices) == 1
    )
    return float(col.iloc[0]) if single else col.rename("beta" if m == "ols" else "ewma_beta")


def ewma_beta(
    asset_prices: Any,
    benchmark_prices: Any,
    window: int | None = None,
    *,
    lam: float = ESTIMATION_DEFAULTS["lam"],
    **kw: Any,
) -> float | pd.Series:
    """RiskMetrics EWMA beta, Σ λ^k r_a r_m / Σ λ^k r_m² (k = 0 newest), docs/methodology/estimation.md."""
    return beta(asset_prices, benchmark_prices, window, "ewma", lam=lam, **kw)


def adjusted_beta(b: Any, weight: float = ADJUSTED_BETA["weight"], prior: float = ADJUSTED_BETA["prior"]) -> Any:
    """Adjusted (Blume) beta = weight · β + (1 − weight) · prior; docs/methodology/estimation.md default 0.67·β + 0.33."""
    return weight * b + (1.0 - weight) * prior


# =========================================================================== rolling


def _window_sums(x: Float64Array, w: int, *, inplace: bool = False) -> Float64Array:
    """Sums over every window of ``w`` consecutive rows (row k = rows k..k+w−1), via one cumsum.

    With ``inplace`` the cumulative sum overwrites ``x`` (saves a T×n buffer).
    """
    c = np.cumsum(x, axis=0, out=x if inplace else None)
    s = np.empty_like(c[w - 1 :])  # keeps the input's memory layout (pandas hands F-order)
    s[0] = c[w - 1]
    np.subtract(c[w:], c[:-w], out=s[1:])
    return s


def _rolling_kernel(
    x: Float64Array2D,
    y: Float64Array,
    w: int,
    what: str,
    out: Float64Array2D,
    *,
    overwrite: bool = False,
    x_centred: bool = False,
) -> Float64Array2D:
    """Rolling beta or correlation of complete returns, written into ``out``.

    ``x`` (m, n) asset returns, ``y`` (m,) one benchmark or (m, n) one per
    column, no NaN. ``out`` (m, n) receives NaN in rows < w−1 and, in row t,
    the estimate over rows t−w+1..t. ``overwrite`` lets the kernel use ``x``
    as scratch space; ``x_centred`` says the caller already centred ``x`` (to
    within much less than its standard deviation), saving a pass.

    Both series are centred on their sample means first (no co-moment changes
    with a shift), so the sums do not cancel catastrophically: Σxy is then of
    the size of the covariance itself and Σx·Σy/w a small correction. Per
    window, cov·w = Σxy − Σx·Σy/w, var·w = Σy² − (Σy)²/w and, for
    correlations, var_x·w = Σx² − (Σx)²/w.
    """
    m = x.shape[0]
    out[: w - 1] = np.nan
    if m < w:
        return out
    yc = y - y.mean(axis=0)
    sy = _window_sums(yc, w)
    vy = _window_sums(yc * yc, w, inplace=True)
    vy -= sy * sy * (1.0 / w)
    if y.ndim == 1:
        yc, sy, vy = yc[:, None], sy[:, None], vy[:, None]
    if not x_centred:
        x = x - x.mean(axis=0) if not overwrite else np.subtract(x, x.mean(axis=0), out=x)
    xy = x * yc
    xx = x * x if what != "beta" else None
    sx = _window_sums(x, w, inplace=True)
    sxy = _window_sums(xy, w, inplace=True)
    del xy
    if xx is not None:
        vx = _window_sums(xx, w, inplace=True)
        vx -= sx * sx * (1.0 / w)
    sx *= sy * (1.0 / w)
    sxy -= sx  # cov · w
    with np.errstate(invalid="ignore", divide="ignore"):
        if what == "beta":
            np.divide(sxy, vy, out=out[w - 1 :])
        else:
            vx *= vy
            np.sqrt(vx, out=vx)
            np.divide(sxy, vx, out=out[w - 1 :])
    return out


def _rolling_pairs(ra: Float64Array2D, rb: Float64Array2D, w: int, what: str) -> Float64Array2D:
    """Rolling statistic over each column's own last ``w`` valid returns.

    ``ra``/``rb`` are (T, n) pair returns (NaN where the pair has none). The
    result is aligned to the rows of ``ra``: row t holds the estimate over the
    last ``w`` returns up to t when the pair has a return at t, NaN otherwise.
    Columns with gaps are compacted (valid rows moved up, stable order),
    rolled, and scattered back: no loop over columns.
    """
    valid = ~np.isnan(ra)
    order = np.argsort(~valid, axis=0, kind="stable")
    x = np.take_along_axis(ra, order, axis=0)
    y = np.take_along_axis(rb, order, axis=0)
    cnt = valid.sum(axis=0)
    live = np.arange(ra.shape[0])[:, None] < cnt[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        mx = np.where(live, x, 0.0).sum(axis=0) / np.maximum(cnt, 1)
        my = np.where(live, y, 0.0).sum(axis=0) / np.maximum(cnt, 1)
    # dead tail rows hold each column's mean: finite, and they never enter a kept window
    x = np.where(live, x, mx)
    y = np.where(live, y, my)
    res = _rolling_kernel(x, y, w, what, np.empty(x.shape), overwrite=True)
    out = np.full(ra.shape, np.nan)
    np.put_along_axis(out, order, np.where(live, res, np.nan), axis=0)
    return out


def _centred_returns(p: Float64Array2D, kind: ReturnKind) -> Float64Array2D:
    """Returns of complete prices (T, n) minus a per-column centre, in two passes.

    The centre is the mean log return (P_T/P_0)^(1/(T−1)) taken from the first
    and last prices: exact for log returns, within about σ²/2 of the mean for
    simple returns, which is all the cancellation-free sums need (a shift
    changes no co-moment, so the estimates are those of the plain returns).
    """
    g = np.log(p[-1] / p[0]) / (p.shape[0] - 1)
    if kind == "log":
        r = np.log(p)
        r = np.subtract(r[1:], r[:-1], out=r[1:])
        r -= g
        return r
    r = np.divide(p[1:], p[:-1])
    r -= np.exp(g)
    return r


def _rolling(
    asset_prices: Any, benchmark_prices: Any, window: Any, what: str, kind: str, frequency: str
) -> pd.DataFrame:
    k = coerce.choice(kind, "kind", RETURN_KINDS)
    w = _window_arg(window)
    if w is None:
        raise InputError("is required (number of returns)", where="window")
    index, pa, pb, names, _ = _align(asset_prices, benchmark_prices, frequency)
    if not (np.isnan(pa.min()) or np.isnan(pb.min())):
        # one calendar, no gap: the fast path (no pairwise bookkeeping)
        _need(pa.shape[0] - 1, w, names, "returns", "asset_prices")
        ra = _centred_returns(pa, k)
        rb = simple_or_log_returns(pb[1:], pb[:-1], k)
        out = np.empty(pa.shape, order="F" if pa.flags.f_contiguous else "C")
        out[0] = np.nan
        _rolling_kernel(ra, rb, w, what, out[1:], overwrite=True, x_centred=True)
    else:
        ra, rb = pair_returns(pa, pb, k)
        found = (~np.isnan(ra)).sum(axis=0)
        _need(found, w, names, "common returns", "asset_prices")
        out = _rolling_pairs(ra, rb, w, what)
    return pd.DataFrame(out, index=index, columns=names, copy=False)


def rolling_beta(
    asset_prices: Any,
    benchmark_prices: Any,
    window: int = int(ESTIMATION_DEFAULTS["window"]),
    *,
    kind: ReturnKind = "simple",
    frequency: Frequency = "daily",
) -> pd.DataFrame:
    """Rolling OLS beta of every asset column against one benchmark (docs/methodology/estimation.md).

    Parameters
    ----------
    asset_prices : DataFrame (dates × assets) or 2-D array
        Prices > 0, NaN where missing (pairwise alignment with the benchmark).
    benchmark_prices : Series or 1-D array
        Benchmark prices (SPX, DXY, BTC...).
    window : int
        Returns per window (default 252, about one trading year).

    Returns
    -------
    DataFrame aligned to the input dates (the union of both inputs' dates when
    both are dated), one column per asset: the slope over the last ``window``
    common returns ending on that row; NaN before the first full window and on
    rows where the pair has no common return.

    Notes
    -----
    O(T·n) time and memory through windowed cumulative sums of centred
    returns; equal to statsmodels ``RollingOLS`` to 1e-10.
    """
    return _rolling(asset_prices, benchmark_prices, window, "beta", kind, frequency)


def rolling_correlation(
    asset_prices: Any,
    benchmark_prices: Any,
    window: int = int(ESTIMATION_DEFAULTS["window"]),
    *,
    kind: ReturnKind = "simple",
    frequency: Frequency = "daily",
) -> pd.DataFrame:
    """Rolling Pearson correlation of each asset with one benchmark; shape as :func:`rolling_beta`."""
    return _rolling(asset_prices, benchmark_prices, window, "correlation", kind, frequency)


# =========================================================================== correlation


def _calendar_groups(present: BoolArray2D) -> list[IntArray1D]:
    """Columns grouped by identical presence pattern (same calendar)."""
    packed = np.packbits(present, axis=0).T
    _, inv = np.unique(packed, axis=0, return_inverse=True)
    inv = np.asarray(inv).ravel()
    return [np.nonzero(inv == g)[0] for g in range(int(inv.max()) + 1)]


def _corr_block(r: Float64Array2D, ca: IntArray1D, cb: IntArray1D) -> Float64Array2D:
    """Pearson correlations between columns ca and cb of complete returns r (m, ·)."""
    xa = r[:, ca] - r[:, ca].mean(axis=0)
    sa = np.sqrt(np.einsum("ij,ij->j", xa, xa))
    if ca is cb or (len(ca) == len(cb) and (ca == cb).all()):
        c = xa.T @ xa
        with np.errstate(invalid="ignore", divide="ignore"):
            c = c / sa[:, None] / sa[None, :]
        np.fill_diagonal(c, 1.0)
        return c
    xb = r[:, cb] - r[:, cb].mean(axis=0)
    sb = np.sqrt(np.einsum("ij,ij->j", xb, xb))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (xa.T @ xb) / sa[:, None] / sb[None, :]


def _pairwise_blocks(present: BoolArray2D) -> Iterator[tuple[IntArray1D, IntArray1D, BoolArray1D]]:
    """Yield (cols_a, cols_b, row mask) for every pair of calendar groups (a ≤ b)."""
    groups = _calendar_groups(present)
    for i, ga in enumerate(groups):
        for gb in groups[i:]:
            rows = present[:, ga[0]] & present[:, gb[0]]
            yield ga, gb, rows


def _block_returns(
    p: Float64Array2D, cols: IntArray1D, rows: BoolArray1D, kind: ReturnKind
) -> tuple[Float64Array2D, IntArray1D]:
    """Returns of columns ``cols`` on the common dates ``rows``: (m−1, k) and their row numbers."""
    idx = np.nonzero(rows)[0]
    sub = p[np.ix_(idx, cols)]
    return simple_or_log_returns(sub[1:], sub[:-1], kind), idx[1:]


def _prices_frame(prices: Any, frequency: str) -> tuple[pd.DataFrame, Float64Array2D]:
    df = _sorted_dates(_frame(prices, "prices"), "prices")
    if coerce.choice(frequency, "frequency", FREQUENCIES) == "weekly":
        if not isinstance(df.index, pd.DatetimeIndex):
            raise InputError("weekly returns need date-indexed prices", where="frequency")
        df = to_weekly(df)
    return df, _check_prices(df, "prices")


def _corr_pairwise(
    p: Float64Array2D,
    names: list[str],
    kind: ReturnKind,
    window: int | None,
    select: BoolArray1D | None = None,
    what: str = "common returns",
) -> tuple[Float64Array2D, IntArray2D]:
    """Pairwise-aligned correlation matrix and the number of returns behind each entry.

    ``select`` (T,) bool, optional: keep only returns dated on these rows (regimes).
    A series without any price (an empty column) gets a NaN row and column.
    """
    has = ~np.isnan(p).all(axis=0)
    if not has.any():
        raise NotEnoughData("found no prices in any series", where="prices")
    if not has.all():
        keep = np.nonzero(has)[0]
        c_in, n_in = _corr_pairwise(p[:, keep], [names[k] for k in keep], kind, window, select, what)
        c = np.full((p.shape[1], p.shape[1]), np.nan)
        counts = np.zeros(c.shape, dtype=int)
        c[np.ix_(keep, keep)] = c_in
        counts[np.ix_(keep, keep)] = n_in
        return c, counts
    n = p.shape[1]
    present = ~np.isnan(p)
    c = np.full((n, n), np.nan)
    counts = np.zeros((n, n), dtype=int)
    if present.all():  # one calendar: one Xᵀ X, no per-block copies
        r = simple_or_log_returns(p[1:], p[:-1], kind)
        if select is not None:
            r = r[select[1:]]
        if window is not None:
            r = r[-window:]
        counts[:] = r.shape[0]
        if r.shape[0] >= MIN_OBSERVATIONS:
            r -= r.mean(axis=0)
            c = r.T @ r
            sd = np.sqrt(np.diag(c))
            with np.errstate(invalid="ignore", divide="ignore"):
                c /= sd[:, None]
                c /= sd[None, :]
            np.fill_diagonal(c, 1.0)
        blocks: Any = ()
    else:
        blocks = _pairwise_blocks(present)
    for ca, cb, rows in blocks:
        cols = np.concatenate([ca, cb]) if ca is not cb and not np.array_equal(ca, cb) else ca
        r, at = _block_returns(p, cols, rows, kind)
        if select is not None:
            r = r[select[at]]
        if window is not None:
            r = r[-window:]
        m = r.shape[0]
        counts[np.ix_(ca, cb)] = m
        counts[np.ix_(cb, ca)] = m
        if m < MIN_OBSERVATIONS:
            continue
        ia = np.arange(len(ca))
        ib = np.arange(len(ca), len(cols)) if cols is not ca else ia
        block = _corr_block(r, ia, ib)
        c[np.ix_(ca, cb)] = block
        c[np.ix_(cb, ca)] = block.T
    need = max(MIN_OBSERVATIONS, window or 0) if select is None else MIN_OBSERVATIONS
    if (counts < need).any():
        i, j = np.unravel_index(np.argmin(counts), counts.shape)
        pair = names[i] if i == j else f"{names[i]} × {names[j]}"
        raise NotEnoughData(f"found {counts[i, j]} {what} for {pair}, need at least {need}", where="prices")
    return c, counts


def correlation_matrix(
    prices: Any,
    window: int | None = None,
    *,
    kind: ReturnKind = "simple",
    frequency: Frequency = "daily",
) -> pd.DataFrame:
    """Pearson correlation matrix of returns, each pair aligned on its common dates (docs/methodology/estimation.md).

    Parameters
    ----------
    prices : DataFrame (dates × series) or 2-D array
        Prices > 0, NaN where missing.
    window : int, optional
        The last ``window`` common returns of each pair (all when None).

    Returns
    -------
    DataFrame (series × series), symmetric, unit diagonal.

    Notes
    -----
    Series sharing a calendar form a group; each pair of groups costs one
    matrix product ``Xᵀ Y``, so 500 series on one calendar are one ``Xᵀ X``.
    """
    k = coerce.choice(kind, "kind", RETURN_KINDS)
    w = _window_arg(window)
    df, p = _prices_frame(prices, frequency)
    names = [str(c) for c in df.columns]
    c, _ = _corr_pairwise(p, names, k, w)
    return pd.DataFrame(c, index=names, columns=names)


def correlation(a: Any, b: Any, window: int | None = None, **kw: Any) -> float:
    """Correlation of two price series on their common dates (see :func:`correlation_matrix`)."""
    fa, fb = _frame(a, "a"), _frame(b, "b")
    if fa.shape[1] != 1 or fb.shape[1] != 1:
        raise InputError("expected one series each; use correlation_matrix for more", where="a")
    if isinstance(fa.index, pd.DatetimeIndex) and isinstance(fb.index, pd.DatetimeIndex):
        j = fa.set_axis(["a"], axis=1).join(fb.set_axis(["b"], axis=1), how="outer")
    else:
        if len(fa) != len(fb):
            raise InputError(f"has {len(fb)} rows, a {len(fa)}; give both with dates to align them", where="b")
        j = pd.DataFrame({"a": fa.iloc[:, 0].to_numpy(), "b": fb.iloc[:, 0].to_numpy()})
    return float(correlation_matrix(j, window, **kw).to_numpy()[0, 1])


# =========================================================================== regimes


def forbes_rigobon(rho: Any, delta: float) -> Any:
    """Heteroskedasticity-adjusted correlation ρ* = ρ / sqrt(1 + δ(1 − ρ²)) (Forbes–Rigobon 2002).

    ``delta`` = σ²_regime / σ²_normal − 1 of the market series that splits the
    regimes: δ > 0 (stress) pulls correlations toward zero, δ = 0 leaves them.
    """
    r = np.asarray(rho, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        return r / np.sqrt(1.0 + delta * (1.0 - r * r))


def realised_vol_regimes(
    market_returns: FloatArrayLike,
    *,
    window: int = int(ESTIMATION_DEFAULTS["realised_vol_window"]),
    percentiles: Mapping[str, float] | None = None,
) -> StrArray:
    """Regime of each date from the trailing realised vol of a market series.

    The vol of the last ``window`` returns (ending that day) is ranked against
    its own history; days below the ``low`` percentile are ``low``, above the
    ``high`` percentile ``high``, the rest ``normal``. The default percentiles
    are where VIX 18 and 28 sit in VIX's history (:data:`VIX_PERCENTILES`), so
    both ways of splitting give regimes of about the same frequency.
    Returns a (T,) str array, ``""`` where there is no full window.
    """
    p = check_percentiles(percentiles)
    w = _window_arg(window, "realised_vol_window")
    if w is None:
        raise InputError("is required (number of returns)", where="realised_vol_window")
    r = np.asarray(market_returns, dtype=np.float64)
    s = pd.Series(r).rolling(w, min_periods=w).std().to_numpy()
    ok = ~np.isnan(s)
    if ok.sum() < MIN_OBSERVATIONS:
        raise NotEnoughData(
            f"found {int(ok.sum())} days with a {w}-day realised vol, need at least {MIN_OBSERVATIONS}",
            where="prices",
        )
    lo, hi = np.quantile(s[ok], [p["low"], p["high"]])
    return classify(s, lo, hi)


@dataclass
class RegimeCorrelation:
    """Correlation matrices per regime, raw and Forbes–Rigobon adjusted.

    ``counts[regime]`` is the number of regime days; ``delta[regime]`` =
    σ²_regime / σ²_normal − 1 of the ``market`` series; ``adjusted[regime]``
    is the raw matrix with ρ* = ρ / sqrt(1 + δ(1 − ρ²)).
    """

    raw: dict[str, pd.DataFrame]
    adjusted: dict[str, pd.DataFrame]
    counts: dict[str, int]
    delta: dict[str, float]
    market: str
    regimes: pd.Series = field(repr=False)


def _regime_mask(labels: StrArray, regime: str) -> BoolArray:
    if regime in ("stress", "high"):
        return labels == "high"
    if regime == "calm":
        return (labels == "low") | (labels == "normal")
    if regime == "all":
        return labels != ""
    return labels == regime


def regime_correlation(
    prices: Any,
    vol_index: Any = None,
    *,
    low: float = 18.0,
    high: float = 28.0,
    regimes: RegimeChoice | Sequence[RegimeChoice] = ("normal", "stress"),
    market: int | str = 0,
    kind: ReturnKind = "simple",
    percentiles: Mapping[str, float] | None = None,
    realised_vol_window: int = int(ESTIMATION_DEFAULTS["realised_vol_window"]),
) -> RegimeCorrelation:
    """Correlation matrices on normal and on stress days, raw and adjusted (docs/methodology/estimation.md, regimes.md).

    Parameters
    ----------
    prices : DataFrame (dates × series) or 2-D array
        Prices > 0, NaN where missing; pairs are aligned on their common dates.
    vol_index : Series or 1-D array, optional
        The vol index level per date (VIX...). A return dated t belongs to the
        regime of the index on t: ``low`` (< low), ``normal`` (low ≤ level ≤
        high, boundaries included), ``stress`` (> high). Dated inputs are
        matched by date, arrays by row. When omitted, regimes come from the
        trailing realised vol of the ``market`` series
        (:func:`realised_vol_regimes`).
    low, high : float
        Vol-index thresholds (docs/methodology/regimes.md VIX defaults 18 and 28).
    regimes : {"low", "normal", "stress", "high", "calm", "all"} or a sequence of them
        Which matrices to compute (``calm`` = not stress).
    market : int or str
        Column of the market series whose variance ratio gives δ (default the first).

    Returns
    -------
    RegimeCorrelation
    """
    k = coerce.choice(kind, "kind", RETURN_KINDS)
    df, p = _prices_frame(prices, "daily")
    names = [str(c) for c in df.columns]
    if isinstance(market, str):
        if market not in names:
            raise InputError(f"expected one of {', '.join(names)}, found {market!r}", where="market")
        mi = names.index(market)
    else:
        mi = coerce.whole_number(market, "market", minimum=0, maximum=len(names) - 1, what="a column index")
    if isinstance(regimes, str):
        regimes = (regimes,)
    wanted = [coerce.choice(r, "regime", REGIME_CHOICES) for r in regimes]
    # regime label per row of df
    if vol_index is None:
        mkt = df.iloc[:, mi].to_numpy(dtype=np.float64)
        pm = mkt[~np.isnan(mkt)]
        rm = simple_or_log_returns(pm[1:], pm[:-1], k)
        lab_m = realised_vol_regimes(rm, window=realised_vol_window, percentiles=percentiles)
        labels = np.full(len(df), "", dtype="<U6")
        labels[np.nonzero(~np.isnan(mkt))[0][1:]] = lab_m
    else:
        v = vol_index
        if isinstance(v, pd.DataFrame):
            if v.shape[1] != 1:
                raise InputError(f"expected one series, got {v.shape[1]} columns", where="vol_index")
            v = v.iloc[:, 0]
        if (
            isinstance(v, pd.Series)
            and isinstance(df.index, pd.DatetimeIndex)
            and isinstance(v.index, pd.DatetimeIndex)
        ):
            lv = v.astype(np.float64).reindex(df.index).to_numpy()
        else:
            lv = np.asarray(v, dtype=np.float64).ravel()
            if lv.size != len(df):
                raise InputError(
                    f"has {lv.size} rows, prices {len(df)}; give both with dates to align them", where="vol_index"
                )
        labels = classify(lv, low, high)
    raw: dict[str, pd.DataFrame] = {}
    adj: dict[str, pd.DataFrame] = {}
    counts: dict[str, int] = {}
    delta: dict[str, float] = {}
    # market variance per regime, on the market's own dates
    mkt = p[:, mi]
    idx = np.nonzero(~np.isnan(mkt))[0]
    rm = simple_or_log_returns(mkt[idx[1:]], mkt[idx[:-1]], k)
    lab_rm = labels[idx[1:]]

    def var_of(reg: str) -> float:
        x = rm[_regime_mask(lab_rm, reg)]
        return float(np.var(x, ddof=1)) if x.size >= 2 else np.nan

    var_normal = var_of("normal")
    for reg in wanted:
        sel = _regime_mask(labels, reg)
        counts[reg] = int(sel.sum())
        c, _ = _corr_pairwise(p, names, k, None, select=sel, what=f"returns on {reg} days")
        raw[reg] = pd.DataFrame(c, index=names, columns=names)
        d = var_of(reg) / var_normal - 1.0
        delta[reg] = d
        adj[reg] = pd.DataFrame(forbes_rigobon(c, d), index=names, columns=names)
    lab_series = pd.Series(labels, index=df.index, name="regime")
    return RegimeCorrelation(raw, adj, counts, delta, names[mi], lab_series)
