"""Estimation worksheet functions (docs/methodology/estimation.md, regimes.md): BETA, ROLLING_BETA, CORRELATION_MATRIX,
REGIME_CORRELATION, VOL_REGIME and helpers.

Price arguments are columns as pasted in Excel:

* an optional first row of text headers (tickers);
* an optional first column of dates (cells formatted as dates, or numbers
  under a ``Date`` header). Two ranges that both have dates are matched by
  date, so series with different calendars may sit in separate ranges; without
  dates, rows are matched by position and must be as many. Dates may run
  oldest-first or newest-first (as many downloads do); other orders and
  repeated dates are errors;
* blank cells and ``#N/A`` are missing prices: each pair of series is aligned
  on the rows where both have a price (a gap gives one multi-day return).

Too little data gives ``#NUM! NAME: ... found N ..., need at least M``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine._typing import Float64Array, Float64Array2D, ReturnKind
from xlhedge.engine.errors import InputError
from xlhedge.engine.estimation import ADJUSTED_BETA as ADJUSTED_BETA_DEFAULTS
from xlhedge.engine.estimation import (
    ESTIMATION_DEFAULTS,
    METHODS,
    REGIME_CHOICES,
    adjusted_beta,
    beta_stats,
    correlation_matrix,
    regime_correlation,
    rolling_beta,
    rolling_correlation,
)
from xlhedge.engine.prices import (
    DATE_COLUMN_NAMES,
    RETURN_KINDS,
    blank_cells,
    check_positive_prices,
    date_column,
    number_cells,
)
from xlhedge.engine.regimes import REGIME_THRESHOLDS, calibrate_thresholds, classify, thresholds_for
from xlhedge.functions.registry import worksheet_function


@dataclass
class PriceRange:
    """A pasted price range, parsed: data rows × series, with optional dates and labels."""

    values: Float64Array2D  # (T, k) float, NaN = missing
    dates: pd.DatetimeIndex | None
    labels: list[str] | None
    header: bool  # the range's first row held labels
    reversed: bool  # dates ran newest-first; rows were flipped to oldest-first
    raw_rows: int = 0  # data rows in the range before trailing blank rows were dropped

    def frame(self) -> pd.DataFrame:
        cols = self.labels or [f"series_{j + 1}" for j in range(self.values.shape[1])]
        cols = _unique(cols)
        index = self.dates if self.dates is not None else pd.RangeIndex(self.values.shape[0])
        return pd.DataFrame(self.values, index=index, columns=cols)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for j, n in enumerate(names):
        n = n or f"series_{j + 1}"
        if n in seen:
            seen[n] += 1
            n = f"{n} ({seen[n]})"
        else:
            seen[n] = 1
        out.append(n)
    return out


def _is_date(v: Any) -> bool:
    return isinstance(v, (_dt.date, _dt.datetime, pd.Timestamp, np.datetime64))


def _text(v: Any) -> bool:
    return isinstance(v, str) and not coerce.is_error_value(v) and v != ""


def _na_to_blank(v: Any) -> Any:
    if coerce.is_error_value(v) and str(v).strip().upper() == "#N/A":
        return None
    return v


_na_to_blank_u = coerce.object_map(_na_to_blank)


class RangeValues(list[list[Any]]):
    """A range's values (a 2-D list) that the caller will not change while it is in use.

    The headless evaluator hands the same ``RangeValues`` object to every function reading the
    same range during one recompute, and makes a new one when a result is written over it;
    :func:`parse_prices` parses such an object once (``SERIES_NAMES``, ``BETA``, ``ROLLING_BETA``…
    over one Prices table). Any other argument (a list from Excel, a DataFrame) is parsed on
    every call.
    """


#: id(range) -> (the range, its parse): at most a few, cleared by the evaluator at the end of a recompute.
_PARSED: dict[int, tuple[RangeValues, PriceRange]] = {}
_PARSED_MAX = 8


def clear_parse_cache() -> None:
    """Forget the parsed ranges (the evaluator calls it when a recompute ends)."""
    _PARSED.clear()


def parse_prices(x: Any, name: str) -> PriceRange:
    """Parse one pasted price range (see the module docstring); a :class:`RangeValues` once."""
    if not isinstance(x, RangeValues):
        return _parse_prices(x, name)
    hit = _PARSED.get(id(x))
    if hit is not None and hit[0] is x:
        return hit[1]
    pr = _parse_prices(x, name)
    pr.values.flags.writeable = False  # shared by every caller: a write would be a bug, so it raises
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.pop(next(iter(_PARSED)))
    _PARSED[id(x)] = (x, pr)
    return pr


def _parse_prices(x: Any, name: str) -> PriceRange:
    """Parse one pasted price range (see the module docstring)."""
    g = coerce.grid(x, name)
    header = False
    labels: list[str] | None = None
    first = g[0]
    if any(_text(v) for v in first) and all(coerce.is_blank(v) or _text(v) for v in first):
        header = True
        labels = [str(v).strip() if _text(v) else "" for v in first]
        g = g[1:]
        if g.shape[0] == 0:
            raise InputError("has a header row but no prices below it", where=name)
    # trailing rows and columns that are entirely blank (a selection larger than the data)
    raw_rows = g.shape[0]
    blank = blank_cells(g)  # one pass for the usual cells (is_blank of each)
    if blank.all():
        raise InputError("has no prices (all cells are blank)", where=name)
    rows_used = blank.shape[0] - int(np.argmax(~np.asarray(blank.all(axis=1))[::-1]))
    cols_used = blank.shape[1] - int(np.argmax(~np.asarray(blank.all(axis=0))[::-1]))
    if labels is not None:
        named = [j for j, lab in enumerate(labels) if lab]
        cols_used = max(cols_used, named[-1] + 1 if named else 0)
        labels = labels[:cols_used]
    g, blank = g[:rows_used, :cols_used], blank[:rows_used, :cols_used]
    dates = None
    col0 = g[:, 0]
    nonblank0 = [v for v in col0 if not coerce.is_blank(v)]
    named_date = labels is not None and labels[0].strip().lower() in DATE_COLUMN_NAMES
    if nonblank0 and (all(_is_date(v) for v in nonblank0) or named_date):
        if g.shape[1] < 2:
            raise InputError("has a date column but no price column", where=name)
        empty = blank.all(axis=1)
        g, col0 = g[~empty], col0[~empty]  # rows with neither a date nor a price
        dates = date_column(col0)  # one pass where every cell is a date or a whole serial
        if dates is None:
            stamps = []
            for i, v in enumerate(col0):
                if coerce.is_blank(v):
                    raise InputError(
                        f"row {int(np.nonzero(~empty)[0][i]) + 1 + header} has prices but no date", where=name
                    )
                d = coerce.to_datetime(v)  # a date, or a serial in Excel's range; a huge serial is not a date
                if d is None:
                    raise InputError(f"expected a date in row {i + 1 + header}, found {v!r}", where=name, found=v)
                try:
                    stamps.append(pd.Timestamp(d))
                except (OverflowError, ValueError):  # pandas' dates end in 2262
                    raise InputError(
                        f"the date in row {i + 1 + header} ({d:%Y-%m-%d}) is outside 1677–2262", where=name, found=v
                    ) from None
            dates = pd.DatetimeIndex(stamps)
        g = g[:, 1:]
        if labels is not None:
            labels = labels[1:]
    lab = labels

    def place(i: int, j: int) -> str:
        col = f"column {j + 1}" + (f" ({lab[j]})" if lab and lab[j] else "")
        return f"row {i + 1 + header}, {col}"

    nums = number_cells(g)  # only numbers and blanks: no #N/A to blank first
    vals = coerce.to_float(nums if nums is not None else _na_to_blank_u(g), name, blank=np.nan, place=place)
    check_positive_prices(vals, name, place=place)
    rev = False
    if dates is not None and len(dates) > 1:
        step = np.diff(dates.asi8)
        if (step < 0).all():
            dates, vals, rev = dates[::-1], vals[::-1], True
        elif not (step > 0).all():
            i = int(np.argmax(step <= 0)) + 1
            what = "repeats the date" if step[i - 1] == 0 else "goes back to"
            raise InputError(
                f"row {i + 1 + header} {what} {dates[i]:%Y-%m-%d}: dates must be in order, each once",
                where=name,
            )
    return PriceRange(vals, dates, labels, header, rev, raw_rows)


_blank_u = coerce.object_map(coerce.is_blank)


def all_blank(x: Any) -> bool:
    """True when a range holds nothing but blanks (and optionally a text header row)."""
    if x is None:
        return True
    g = coerce.grid(x, "range")
    b = _blank_u(g).astype(bool)
    if b.all():
        return True
    return bool(b[1:].all()) and all(coerce.is_blank(v) or _text(v) for v in g[0])


def _pad(fr: pd.DataFrame, rows: int) -> pd.DataFrame:
    extra = pd.DataFrame(np.nan, index=pd.RangeIndex(len(fr), rows), columns=fr.columns)
    return pd.concat([fr, extra])


def _pair_frames(asset: PriceRange, bench: PriceRange) -> tuple[pd.DataFrame, pd.Series]:
    a = asset.frame()
    if bench.values.shape[1] != 1:
        raise InputError(
            f"expected one column of benchmark prices, got {bench.values.shape[1]}", where="benchmark_prices"
        )
    b = bench.frame().iloc[:, 0]
    if (asset.dates is None) != (bench.dates is None):
        # one range dated, the other not: match by row
        if len(a) != len(b):
            raise InputError(
                f"has {len(b)} rows of prices, asset_prices {len(a)}; give both a date column to match them by date",
                where="benchmark_prices",
            )
        b = pd.Series(b.to_numpy(), index=a.index, name=b.name)
    elif asset.dates is None and len(a) != len(b) and asset.raw_rows == bench.raw_rows:
        # same rows selected; one series simply ends earlier (trailing blanks dropped)
        n = max(len(a), len(b))
        a = _pad(a, n) if len(a) < n else a
        b = _pad(b.to_frame(), n).iloc[:, 0] if len(b) < n else b
    elif asset.dates is None and len(a) != len(b):
        raise InputError(
            f"has {len(b)} rows of prices, asset_prices {len(a)}; give both a date column to match them by date",
            where="benchmark_prices",
        )
    return a, b


def _window(window: Any, name: str = "window") -> int | None:
    return coerce.optional_whole_number(window, name, minimum=2, what="a whole number of returns")


def _kind(returns: Any) -> ReturnKind:
    return coerce.choice(returns, "returns", RETURN_KINDS, default="simple")


def _bool(x: Any, name: str) -> bool:
    a = coerce.grid(x, name)
    if a.size != 1:
        raise InputError("expected a single value", where=name)
    v = a[0, 0]
    if coerce.is_blank(v):
        return False
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, float)) and v in (0, 1):
        return bool(v)
    if isinstance(v, str) and v.strip().lower() in ("true", "false", "raw", "adjusted"):
        return v.strip().lower() in ("true", "adjusted")
    raise InputError(f"expected TRUE or FALSE, found {v!r}", where=name)


def _row(values: Float64Array) -> float | Float64Array2D:
    v = np.asarray(values, dtype=np.float64).ravel()
    return float(v[0]) if v.size == 1 else v.reshape(1, -1)


_PRICES_DOC = (
    "Prices (> 0), dates down, one column per series; optional header row of tickers and "
    "first column of dates; blanks and #N/A are missing (aligned pairwise)."
)
_BENCH_DOC = (
    "Benchmark prices (> 0), one column (SPX, DXY, a commodity composite, BTC), same rows as "
    "the assets or with its own date column."
)


@worksheet_function(
    "BETA",
    "Beta of asset returns to benchmark returns (OLS slope with intercept, or EWMA), docs/methodology/estimation.md.",
    docs={
        "asset_prices": "Asset prices: " + _PRICES_DOC + " Several columns give a row of betas.",
        "benchmark_prices": _BENCH_DOC,
        "window": "Number of most recent returns to use (optional; all when blank). Whole number ≥ 2.",
        "method": 'Estimator: "ols" (default, Cov/Var) or "ewma" (RiskMetrics, zero mean).',
        "lam": "EWMA decay λ in (0, 1), default 0.94; ignored for ols.",
        "returns": 'Return type: "simple" (default, P1/P0 − 1) or "log".',
    },
    ranges=("asset_prices", "benchmark_prices"),
)
def BETA(
    asset_prices: Any,
    benchmark_prices: Any,
    window: Any = None,
    method: Any = "ols",
    lam: Any = ESTIMATION_DEFAULTS["lam"],
    returns: Any = "simple",
) -> Any:
    """Beta (unitless: asset return per unit benchmark return) over the last ``window`` returns."""
    m = coerce.choice(method, "method", METHODS, default="ols")
    a, b = _pair_frames(parse_prices(asset_prices, "asset_prices"), parse_prices(benchmark_prices, "benchmark_prices"))
    st = beta_stats(
        a, b, _window(window), kind=_kind(returns), lam=coerce.scalar(lam, "lam", default=ESTIMATION_DEFAULTS["lam"])
    )
    return _row(st["beta" if m == "ols" else "ewma_beta"].to_numpy())


@worksheet_function(
    "EWMA_BETA",
    "RiskMetrics EWMA beta Σλᵏ·rₐ·rₘ / Σλᵏ·rₘ² (k = 0 newest), docs/methodology/estimation.md.",
    docs={
        "asset_prices": "Asset prices: " + _PRICES_DOC,
        "benchmark_prices": _BENCH_DOC,
        "lam": "Decay λ in (0, 1), default 0.94 (RiskMetrics daily).",
        "window": "Number of most recent returns to use (optional; all when blank).",
    },
    ranges=("asset_prices", "benchmark_prices"),
)
def EWMA_BETA(
    asset_prices: Any, benchmark_prices: Any, lam: Any = ESTIMATION_DEFAULTS["lam"], window: Any = None
) -> Any:
    return BETA(asset_prices, benchmark_prices, window, "ewma", lam)


@worksheet_function(
    "BETA_STATS",
    "OLS beta with its statistics, one column per asset: rows beta, alpha, R², SE(β), t, n.",
    docs={
        "asset_prices": "Asset prices: " + _PRICES_DOC,
        "benchmark_prices": _BENCH_DOC,
        "window": "Number of most recent returns to use (optional; all when blank).",
        "returns": 'Return type: "simple" (default) or "log".',
    },
    ranges=("asset_prices", "benchmark_prices"),
)
def BETA_STATS(asset_prices: Any, benchmark_prices: Any, window: Any = None, returns: Any = "simple") -> Float64Array2D:
    """Rows: beta, alpha (per period), R², standard error of beta, t = beta/SE, n returns."""
    a, b = _pair_frames(parse_prices(asset_prices, "asset_prices"), parse_prices(benchmark_prices, "benchmark_prices"))
    st = beta_stats(a, b, _window(window), kind=_kind(returns))
    perfect = st.index[st["t"].isna()]
    if len(perfect):
        who = f" for {perfect[0]}" if len(st) > 1 else ""
        raise InputError(
            f"perfect fit{who}: the residual variance is zero, so SE(β) = 0 and the t-statistic is undefined "
            "(is the asset the benchmark itself?); BETA gives the beta",
            where="asset_prices",
        )
    return st[["beta", "alpha", "r2", "se", "t", "n"]].to_numpy(dtype=np.float64).T


@worksheet_function(
    "ADJUSTED_BETA",
    "Adjusted (Blume) beta = weight·β + (1 − weight)·prior; docs/methodology/estimation.md default 0.67·β + 0.33.",
    docs={
        "beta": "Raw beta(s), a cell or a range.",
        "weight": "Weight on the raw beta, default 0.67.",
        "prior": "Beta the estimate is pulled toward, default 1.0.",
    },
    ranges=("beta",),
)
def ADJUSTED_BETA(
    beta: Any, weight: Any = ADJUSTED_BETA_DEFAULTS["weight"], prior: Any = ADJUSTED_BETA_DEFAULTS["prior"]
) -> Any:
    b = coerce.to_float(beta, "beta", blank=np.nan)
    w = coerce.scalar(weight, "weight", default=ADJUSTED_BETA_DEFAULTS["weight"], minimum=0, maximum=1)
    p = coerce.scalar(prior, "prior", default=ADJUSTED_BETA_DEFAULTS["prior"])
    out = adjusted_beta(b, w, p)
    return float(out[0, 0]) if out.size == 1 else out


def _rolling_cells(fn: Any, asset_prices: Any, benchmark_prices: Any, window: Any, returns: Any) -> list[list[Any]]:
    ar = parse_prices(asset_prices, "asset_prices")
    br = parse_prices(benchmark_prices, "benchmark_prices")
    a, b = _pair_frames(ar, br)
    w = _window(window)
    if w is None:
        raise InputError("is required: the number of returns in each window", where="window")
    table = fn(a, b, w, kind=_kind(returns))
    res = table.reindex(a.index).to_numpy(dtype=np.float64)  # back onto the asset's rows
    if ar.reversed:
        res = res[::-1]
    cells = np.where(np.isnan(res), np.array(None, dtype=object), res).astype(object).tolist()
    if ar.header:
        labels = ar.labels or [""] * res.shape[1]
        cells.insert(0, list(labels))
    return cells


@worksheet_function(
    "ROLLING_BETA",
    "Rolling OLS beta, one column per asset column, aligned to the input rows (docs/methodology/estimation.md).",
    docs={
        "asset_prices": "Asset prices: " + _PRICES_DOC + " Several columns give several beta columns.",
        "benchmark_prices": _BENCH_DOC,
        "window": "Returns per window (e.g. 252 ≈ one trading year). Whole number ≥ 2.",
        "returns": 'Return type: "simple" (default) or "log".',
    },
    ranges=("asset_prices", "benchmark_prices"),
)
def ROLLING_BETA(asset_prices: Any, benchmark_prices: Any, window: Any, returns: Any = "simple") -> list[list[Any]]:
    """Row t: beta over the last ``window`` common returns up to t; blank before the first full window."""
    return _rolling_cells(rolling_beta, asset_prices, benchmark_prices, window, returns)


@worksheet_function(
    "ROLLING_CORRELATION",
    "Rolling correlation of each asset column with the benchmark, aligned to the input rows.",
    docs={
        "asset_prices": "Asset prices: " + _PRICES_DOC,
        "benchmark_prices": _BENCH_DOC,
        "window": "Returns per window. Whole number ≥ 2.",
        "returns": 'Return type: "simple" (default) or "log".',
    },
    ranges=("asset_prices", "benchmark_prices"),
)
def ROLLING_CORRELATION(
    asset_prices: Any, benchmark_prices: Any, window: Any, returns: Any = "simple"
) -> list[list[Any]]:
    return _rolling_cells(rolling_correlation, asset_prices, benchmark_prices, window, returns)


@worksheet_function(
    "CORRELATION_MATRIX",
    "Pearson correlation matrix of returns, each pair aligned on its common rows (docs/methodology/estimation.md).",
    docs={
        "prices": "Prices: " + _PRICES_DOC,
        "window": "Number of most recent common returns per pair (optional; all when blank).",
        "returns": 'Return type: "simple" (default) or "log".',
    },
    ranges=("prices",),
)
def CORRELATION_MATRIX(prices: Any, window: Any = None, returns: Any = "simple") -> Float64Array2D:
    """Series × series matrix (no labels), unit diagonal."""
    pr = parse_prices(prices, "prices")
    return correlation_matrix(pr.frame(), _window(window), kind=_kind(returns)).to_numpy()


@worksheet_function(
    "CORRELATION",
    "Correlation of two price series on their common rows (docs/methodology/estimation.md).",
    docs={
        "prices_a": "First series' prices (one column, optional date column).",
        "prices_b": "Second series' prices (one column, same rows or its own date column).",
        "window": "Number of most recent common returns (optional; all when blank).",
    },
    ranges=("prices_a", "prices_b"),
)
def CORRELATION(prices_a: Any, prices_b: Any, window: Any = None) -> float:
    ar = parse_prices(prices_a, "prices_a")
    br = parse_prices(prices_b, "prices_b")
    if ar.values.shape[1] != 1:
        raise InputError(f"expected one column of prices, got {ar.values.shape[1]}", where="prices_a")
    a, b = _pair_frames(ar, br)
    df = pd.concat([a.iloc[:, 0].rename("a"), b.rename("b")], axis=1, sort=True)
    return float(correlation_matrix(df, _window(window)).to_numpy()[0, 1])


@worksheet_function(
    "REGIME_CORRELATION",
    "Correlation matrix over normal or stress days of a vol index (docs/methodology/estimation.md, regimes.md), raw or Forbes–Rigobon adjusted.",
    docs={
        "prices": "Prices: " + _PRICES_DOC + " The market series (δ for the adjustment) is column `market`.",
        "vol_index": (
            "Vol index level per row of prices (VIX...), or with its own date column. Blank: regimes "
            "from the market series' 21-day realised-vol percentile instead."
        ),
        "regime": 'Which days: "normal" (low ≤ level ≤ high), "stress" (> high), "low" (< low), '
        '"calm" (not stress) or "all".',
        "low": "Lower threshold, index points (default 18, VIX). Boundary values are normal.",
        "high": "Upper threshold, index points (default 28, VIX). Boundary values are normal.",
        "adjusted": "FALSE (default): raw correlations. TRUE: Forbes–Rigobon ρ/√(1+δ(1−ρ²)), "
        "δ = σ²_regime/σ²_normal − 1 of the market series.",
        "market": "Column number (1 = first price column) of the market series, default 1.",
    },
    ranges=("prices", "vol_index"),
)
def REGIME_CORRELATION(
    prices: Any, vol_index: Any, regime: Any, low: Any = 18.0, high: Any = 28.0, adjusted: Any = False, market: Any = 1
) -> Float64Array2D:
    reg = coerce.choice(regime, "regime", REGIME_CHOICES)
    lo = coerce.scalar(low, "low", default=18.0)
    hi = coerce.scalar(high, "high", default=28.0)
    if lo > hi:
        raise InputError(f"must be ≥ low ({lo:g}), got {hi:g}", where="high")
    adj = _bool(adjusted, "adjusted")
    pr = parse_prices(prices, "prices")
    df = pr.frame()
    mk = coerce.whole_number(market, "market", default=1, minimum=1, maximum=df.shape[1], what="a column number")
    v: pd.Series | Float64Array | None
    if all_blank(vol_index):
        v = None
    else:
        vr = parse_prices(vol_index, "vol_index")
        if vr.values.shape[1] != 1:
            raise InputError(f"expected one column of index levels, got {vr.values.shape[1]}", where="vol_index")
        if vr.dates is not None and pr.dates is not None:
            v = pd.Series(vr.values[:, 0], index=vr.dates)
        else:
            if vr.values.shape[0] < df.shape[0] and vr.raw_rows == pr.raw_rows:
                vr.values = np.vstack([vr.values, np.full((df.shape[0] - vr.values.shape[0], 1), np.nan)])
            elif vr.values.shape[0] > df.shape[0] and pr.raw_rows == vr.raw_rows:
                vr.values = vr.values[: df.shape[0]]
            if vr.values.shape[0] != df.shape[0]:
                raise InputError(
                    f"has {vr.values.shape[0]} levels for {df.shape[0]} rows of prices; one level per row, "
                    "or give both a date column",
                    where="vol_index",
                )
            v = vr.values[:, 0]
    rc = regime_correlation(df, v, low=lo, high=hi, regimes=(reg,), market=mk - 1, kind="simple")
    return (rc.adjusted if adj else rc.raw)[reg].to_numpy()


@worksheet_function(
    "VOL_REGIME",
    'Vol regime of an index level: "low", "normal" or "high" (docs/methodology/regimes.md; boundaries are normal).',
    docs={
        "level": "Index level(s), index points (VIX 18 = 18% annualised); a cell or a range.",
        "index": 'Which index\'s thresholds: "VIX" (default, 18/28), "MOVE", "DVOL" or "CVIX".',
        "low": "Override the lower threshold (optional; e.g. the Regime sheet's editable value).",
        "high": "Override the upper threshold (optional).",
    },
    ranges=("level",),
)
def VOL_REGIME(level: Any, index: Any = "VIX", low: Any = None, high: Any = None) -> Any:
    ig = coerce.grid(index, "index")
    if ig.size != 1 or not (coerce.is_blank(ig[0, 0]) or isinstance(ig[0, 0], str)):
        raise InputError(f"expected one of {', '.join(REGIME_THRESHOLDS)}", where="index")
    t = thresholds_for("VIX" if coerce.is_blank(ig[0, 0]) else ig[0, 0])
    lo = coerce.optional_scalar(low, "low")
    hi = coerce.optional_scalar(high, "high")
    lo = t.low if lo is None else lo
    hi = t.high if hi is None else hi
    if lo > hi:
        raise InputError(f"must be ≥ low ({lo:g}), got {hi:g}", where="high")
    lv = coerce.to_float(level, "level", blank=np.nan)
    if (lv < 0).any():
        raise InputError(f"must be ≥ 0, got {float(lv[lv < 0][0]):g}", where="level")
    out = classify(lv, lo, hi).astype(object)
    out[out == ""] = None
    return out[0, 0] if out.size == 1 else out


@worksheet_function(
    "CALIBRATE_THRESHOLDS",
    "Regime thresholds for another index by percentile mapping (docs/methodology/regimes.md): returns [low, high].",
    docs={
        "history": "Daily levels of the index to calibrate (MOVE, DVOL, CVIX...); blanks ignored.",
        "reference": "A VIX history (optional): maps its 18/28 percentiles. Blank: the shipped percentiles.",
        "reference_low": "Reference lower threshold, default 18.",
        "reference_high": "Reference upper threshold, default 28.",
    },
    ranges=("history", "reference"),
)
def CALIBRATE_THRESHOLDS(
    history: Any, reference: Any = None, reference_low: Any = 18.0, reference_high: Any = 28.0
) -> Float64Array2D:
    h = coerce.to_float(history, "history", blank=np.nan).ravel()
    ref = None
    if reference is not None:
        rg = coerce.grid(reference, "reference")
        if not (rg.size == 1 and coerce.is_blank(rg[0, 0])):
            ref = coerce.to_float(rg, "reference", blank=np.nan).ravel()
    t = calibrate_thresholds(
        h,
        reference=ref,
        reference_thresholds=(
            coerce.scalar(reference_low, "reference_low", default=18.0),
            coerce.scalar(reference_high, "reference_high", default=28.0),
        ),
    )
    return np.array([[t.low, t.high]])


@worksheet_function(
    "SERIES_NAMES",
    "Names of the series of a price range as the estimation functions see them (labels for their matrices).",
    docs={
        "prices": "Prices: " + _PRICES_DOC,
        "vertical": "FALSE (default): one row of names; TRUE: one column.",
    },
    ranges=("prices",),
)
def SERIES_NAMES(prices: Any, vertical: Any = False) -> list[list[Any]]:
    """Header text of each series column (``series_N`` where a column has none), dates excluded."""
    pr = parse_prices(prices, "prices")
    names = list(pr.frame().columns)
    return [[n] for n in names] if _bool(vertical, "vertical") else [names]
