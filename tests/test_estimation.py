"""Betas and correlations pinned against numpy/statsmodels on real price history."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.regression.rolling import RollingOLS

import xlhedge
from xlhedge.engine.errors import InputError, NotEnoughData
from xlhedge.engine.estimation import (
    _rolling_kernel,
    adjusted_beta,
    beta,
    beta_stats,
    correlation,
    correlation_matrix,
    ewma_beta,
    forbes_rigobon,
    regime_correlation,
    rolling_beta,
    rolling_correlation,
)
from xlhedge.functions.registry import registry

from ._market_data import stocks_index_wti, vix

TOL = 1e-10


@pytest.fixture(scope="module")
def px() -> pd.DataFrame:
    return stocks_index_wti().prices


def _pair(px: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Independent pairwise alignment: common dates, then pct_change."""
    return px[[a, b]].dropna().pct_change().iloc[1:]


# ----------------------------------------------------------------------- OLS


@pytest.mark.parametrize("window", [None, 252, 1260])
def test_ols_beta_r2_se_equal_statsmodels(px, window):
    st_ = beta_stats(px[["XOM", "CVX"]], px["SP500"], window)
    for name in ("XOM", "CVX"):
        r = _pair(px, name, "SP500")
        if window:
            r = r.iloc[-window:]
        fit = sm.OLS(r[name], sm.add_constant(r["SP500"])).fit()
        row = st_.loc[name]
        assert row["beta"] == pytest.approx(fit.params.iloc[1], abs=TOL)
        assert row["alpha"] == pytest.approx(fit.params.iloc[0], abs=TOL)
        assert row["r2"] == pytest.approx(fit.rsquared, abs=TOL)
        assert row["se"] == pytest.approx(fit.bse.iloc[1], abs=TOL)
        assert row["n"] == len(r) and row["end"] == r.index[-1] and row["start"] == r.index[0]
        assert row["correlation"] ** 2 == pytest.approx(row["r2"], abs=TOL)


def test_xom_beta_and_wti_correlation_are_plausible(px):
    b = beta(px["XOM"], px["SP500"])
    assert 0.6 < b < 1.1  # an integrated oil major: a little below the market
    rho = correlation(px["XOM"], px["DCOILWTICO"])  # FRED vs exchange calendar, pairwise
    assert 0.15 < rho < 0.6
    r = _pair(px, "XOM", "DCOILWTICO")
    assert rho == pytest.approx(np.corrcoef(r["XOM"], r["DCOILWTICO"])[0, 1], abs=TOL)


def test_ewma_beta_equals_weighted_least_squares(px):
    r = _pair(px, "XOM", "SP500").iloc[-500:]
    w = 0.94 ** np.arange(len(r))[::-1]
    fit = sm.WLS(r["XOM"], r["SP500"], weights=w).fit()  # no constant: RiskMetrics zero mean
    assert ewma_beta(px["XOM"], px["SP500"], 500) == pytest.approx(fit.params.iloc[0], abs=TOL)
    assert beta(px["XOM"], px["SP500"], 500, "ewma", lam=0.97) != pytest.approx(fit.params.iloc[0], abs=1e-6)


def test_adjusted_beta():
    assert adjusted_beta(1.5) == pytest.approx(0.67 * 1.5 + 0.33)
    assert adjusted_beta(1.0) == pytest.approx(1.0)
    assert adjusted_beta(2.0, weight=0.5, prior=0.0) == 1.0


def test_beta_invariances_and_input_types(px):
    sub = px[["XOM", "SP500"]].dropna().iloc[-300:]
    b = beta(sub["XOM"], sub["SP500"])
    assert beta(sub["XOM"] * 7, sub["SP500"] / 3) == pytest.approx(b, abs=TOL)  # units do not matter
    assert beta(sub["XOM"].to_numpy(), sub["SP500"].to_numpy()) == pytest.approx(b, abs=TOL)
    assert beta(sub["XOM"].tolist(), sub["SP500"].tolist()) == pytest.approx(b, abs=TOL)
    before = sub.copy()
    beta(sub[["XOM"]], sub["SP500"], 100)
    pd.testing.assert_frame_equal(sub, before)


def test_not_enough_data_says_found_and_needed(px):
    with pytest.raises(NotEnoughData, match="found 9 common returns, need at least 20"):
        beta(px["XOM"].iloc[-10:], px["SP500"].iloc[-10:], 20)
    with pytest.raises(InputError, match="ols, ewma"):
        beta(px["XOM"], px["SP500"], method="median")
    with pytest.raises(InputError, match="zero or negative"):
        beta(pd.Series([1.0, -2, 3, 4]), pd.Series([1.0, 2, 3, 4]))


# ----------------------------------------------------------------------- rolling


def test_rolling_beta_equals_statsmodels_rollingols(px):
    sub = px[["XOM", "CVX", "SP500"]].dropna().iloc[-1500:]
    rb = rolling_beta(sub[["XOM", "CVX"]], sub["SP500"], 252)
    assert list(rb.index) == list(sub.index) and list(rb.columns) == ["XOM", "CVX"]
    r = sub.pct_change().iloc[1:]
    for name in ("XOM", "CVX"):
        ref = RollingOLS(r[name], sm.add_constant(r["SP500"]), window=252).fit().params["SP500"]
        got = rb[name].iloc[1:]
        np.testing.assert_array_equal(got.isna().to_numpy(), ref.isna().to_numpy())
        np.testing.assert_allclose(got.to_numpy(), ref.to_numpy(), rtol=0, atol=TOL)
    assert rb.iloc[:252].isna().all().all() and rb.iloc[252:].notna().all().all()


def test_rolling_with_mismatched_calendars_is_pairwise(px):
    """XOM (exchange) vs WTI (FRED): each window is 63 common returns."""
    sub = px.loc["2010":"2018", ["XOM", "DCOILWTICO"]]
    rc = rolling_correlation(sub[["XOM"]], sub["DCOILWTICO"], 63)
    r = _pair(sub, "XOM", "DCOILWTICO")
    ref = r["XOM"].rolling(63).corr(r["DCOILWTICO"])
    got = rc["XOM"]
    assert got.dropna().index.equals(ref.dropna().index)
    np.testing.assert_allclose(got.reindex(ref.index).to_numpy(), ref.to_numpy(), atol=TOL)
    # rows where the pair has no common price are blank, not carried forward
    only_wti = sub.index[sub["XOM"].isna() & sub["DCOILWTICO"].notna()]
    assert len(only_wti) > 0 and rc.loc[only_wti, "XOM"].isna().all()


def _naive_rolling_beta(x: np.ndarray, y: np.ndarray, w: int) -> np.ndarray:
    out = np.full(x.shape, np.nan)
    for t in range(w - 1, len(y)):
        yy = y[t - w + 1 : t + 1]
        for j in range(x.shape[1]):
            out[t, j] = np.polyfit(yy, x[t - w + 1 : t + 1, j], 1)[0]
    return out


def test_kernel_is_numerically_careful_with_large_means():
    """Returns far from zero (mean ≫ vol) would cancel in raw sums; centring keeps 1e-10."""
    rng = np.random.default_rng(7)
    y = 50.0 + rng.normal(0, 0.01, 200)
    x = 30.0 + 1.3 * (y - 50)[:, None] + rng.normal(0, 0.01, (200, 3))
    got = _rolling_kernel(x, y, 20, "beta", np.empty(x.shape))
    np.testing.assert_allclose(got, _naive_rolling_beta(x, y, 20), atol=1e-8, equal_nan=True)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 1), st.floats(0.0, 0.3), st.integers(3, 15))
def test_rolling_beta_with_gaps_equals_per_pair_reference(seed, holes, w):
    rng = np.random.default_rng(seed)
    T, n = 60, 3
    b = 100 * np.cumprod(1 + rng.normal(0, 0.01, T))
    a = 100 * np.cumprod(1 + rng.normal(0, 0.01, (T, n)), axis=0)
    a[rng.random((T, n)) < holes] = np.nan
    b[rng.random(T) < holes / 3] = np.nan
    A, B = pd.DataFrame(a), pd.Series(b)
    try:
        got = rolling_beta(A, B, w)
    except NotEnoughData:
        assert min(pd.concat([A[j], B], axis=1).dropna().shape[0] for j in range(n)) - 1 < w
        return
    for j in range(n):
        r = pd.concat([A[j], B], axis=1).dropna().pct_change().iloc[1:]
        ref = r.iloc[:, 0].rolling(w).cov(r.iloc[:, 1]) / r.iloc[:, 1].rolling(w).var()
        np.testing.assert_allclose(got[j].reindex(ref.index).to_numpy(), ref.to_numpy(), atol=1e-9)
        assert got[j].notna().sum() == ref.notna().sum()


# ----------------------------------------------------------------------- correlation


def test_correlation_matrix_equals_numpy(px):
    one = px.drop(columns="DCOILWTICO").dropna()
    c = correlation_matrix(one)
    ref = np.corrcoef(one.pct_change().iloc[1:].to_numpy(), rowvar=False)
    np.testing.assert_allclose(c.to_numpy(), ref, atol=TOL)
    assert list(c.columns) == list(one.columns)
    cw = correlation_matrix(one, 252)
    refw = np.corrcoef(one.pct_change().iloc[-252:].to_numpy(), rowvar=False)
    np.testing.assert_allclose(cw.to_numpy(), refw, atol=TOL)


def test_correlation_matrix_pairwise_across_calendars(px):
    sub = px[["XOM", "CVX", "SP500", "DCOILWTICO"]]
    c = correlation_matrix(sub, 500)
    for a in sub.columns:
        for b in sub.columns:
            if a == b:
                assert c.loc[a, b] == 1.0
                continue
            r = _pair(sub, a, b).iloc[-500:]
            assert c.loc[a, b] == pytest.approx(np.corrcoef(r[a], r[b])[0, 1], abs=TOL), (a, b)


def test_correlation_matrix_needs_enough_common_returns():
    df = pd.DataFrame({"A": [1.0, 1.1, np.nan, np.nan, 1.2], "B": [1.0, np.nan, 1.2, 1.1, np.nan]})
    with pytest.raises(NotEnoughData, match="found 0 common returns for A × B, need at least 3"):
        correlation_matrix(df)


# ----------------------------------------------------------------------- regimes


@pytest.fixture(scope="module")
def regime_inputs(px):
    v = vix().prices["vix"]
    sub = px.loc["2014":"2018", ["SP500", "XOM", "CVX", "DCOILWTICO"]]
    return sub, v


def test_regime_correlation_equals_numpy_on_regime_days(regime_inputs):
    sub, v = regime_inputs
    rc = regime_correlation(sub, v, regimes=("normal", "stress", "low"))
    lv = v.reindex(sub.index)
    assert rc.counts == {
        "normal": int(((lv >= 18) & (lv <= 28)).sum()),
        "stress": int((lv > 28).sum()),
        "low": int((lv < 18).sum()),
    }
    for reg, mask in (("normal", (lv >= 18) & (lv <= 28)), ("stress", lv > 28)):
        for a, b in (("SP500", "XOM"), ("XOM", "DCOILWTICO")):
            r = _pair(sub, a, b)
            r = r[mask.reindex(r.index).fillna(False).to_numpy()]
            assert rc.raw[reg].loc[a, b] == pytest.approx(np.corrcoef(r[a], r[b])[0, 1], abs=TOL)
    # δ from the market series' variance on stress vs normal days
    rm = sub["SP500"].dropna().pct_change().iloc[1:]
    lm = lv.reindex(rm.index)
    delta = rm[lm > 28].var() / rm[(lm >= 18) & (lm <= 28)].var() - 1
    assert rc.delta["stress"] == pytest.approx(delta, rel=1e-12)
    assert rc.delta["normal"] == 0.0
    rho = rc.raw["stress"].loc["SP500", "XOM"]
    assert rc.adjusted["stress"].loc["SP500", "XOM"] == pytest.approx(rho / np.sqrt(1 + delta * (1 - rho**2)))
    pd.testing.assert_frame_equal(rc.adjusted["normal"], rc.raw["normal"])


def test_stress_correlations_are_higher_and_adjustment_pulls_them_down(regime_inputs):
    sub, v = regime_inputs
    rc = regime_correlation(sub, v)
    raw_s, raw_n, adj_s = rc.raw["stress"], rc.raw["normal"], rc.adjusted["stress"]
    assert rc.delta["stress"] > 0
    assert raw_s.loc["SP500", "XOM"] > raw_n.loc["SP500", "XOM"]  # Forbes–Rigobon's point
    off = ~np.eye(4, dtype=bool)
    assert (np.abs(adj_s.to_numpy()[off]) <= np.abs(raw_s.to_numpy()[off]) + 1e-15).all()


def test_realised_vol_regimes_when_no_index(px):
    rc = regime_correlation(px[["SP500", "XOM"]], None)
    share = rc.counts["stress"] / (rc.counts["stress"] + rc.counts["normal"] + (rc.regimes == "low").sum())
    assert 0.08 < share < 0.12  # top 10% of realised-vol days, as VIX_PERCENTILES says
    assert rc.raw["stress"].loc["SP500", "XOM"] > rc.raw["normal"].loc["SP500", "XOM"]


def test_forbes_rigobon_formula():
    assert forbes_rigobon(0.5, 0.0) == 0.5
    assert forbes_rigobon(1.0, 3.0) == 1.0
    assert forbes_rigobon(0.6, 3.0) == pytest.approx(0.6 / np.sqrt(1 + 3 * 0.64))


# ----------------------------------------------------------------------- worksheet functions


def _cells(df: pd.DataFrame, header: bool = False, dates: bool = False) -> list[list]:
    rows = [[None if pd.isna(v) else float(v) for v in r] for r in df.to_numpy()]
    if dates:
        rows = [[d.to_pydatetime()] + r for d, r in zip(df.index, rows)]
    if header:
        rows.insert(0, (["Date"] if dates else []) + [str(c) for c in df.columns])
    return rows


def test_worksheet_beta_equals_python_api(px):
    sub = px.loc["2016":"2018", ["XOM", "CVX", "SP500"]]
    f = registry()
    api = beta_stats(sub[["XOM", "CVX"]], sub["SP500"], 252)
    got = f["BETA"].call(_cells(sub[["XOM", "CVX"]], header=True), _cells(sub[["SP500"]]), 252)
    np.testing.assert_allclose(np.array(got, dtype=float)[0], api["beta"].to_numpy(), atol=1e-12)
    one = f["BETA"].call(_cells(sub[["XOM"]]), _cells(sub[["SP500"]]), None, "ewma")
    assert one == pytest.approx(ewma_beta(sub["XOM"], sub["SP500"]), abs=1e-12)
    stats = np.array(f["BETA_STATS"].call(_cells(sub[["XOM"]]), _cells(sub[["SP500"]])), dtype=float)
    full = beta_stats(sub[["XOM"]], sub["SP500"]).loc["XOM"]
    np.testing.assert_allclose(stats[:, 0], [full.beta, full.alpha, full.r2, full.se, full.t, full.n], atol=1e-12)


def test_worksheet_dated_ranges_align_by_date(px):
    """XOM and WTI in separate dated ranges (different calendars), WTI pasted newest-first."""
    xom = px.loc["2017":"2018", ["XOM"]].dropna()
    wti = px.loc["2017":"2018", ["DCOILWTICO"]].dropna()
    f = registry()
    got = f["CORRELATION"].call(_cells(xom, True, True), _cells(wti.iloc[::-1], True, True))
    assert got == pytest.approx(correlation(xom["XOM"], wti["DCOILWTICO"]), abs=1e-12)
    b = f["BETA"].call(_cells(xom, True, True), _cells(wti, True, True))
    assert b == pytest.approx(beta(xom["XOM"], wti["DCOILWTICO"]), abs=1e-12)


def test_worksheet_rolling_beta_aligned_to_input_rows(px):
    sub = px.loc["2017":"2018", ["XOM", "CVX", "SP500"]]
    f = registry()
    cells = f["ROLLING_BETA"].call(_cells(sub[["XOM", "CVX"]], header=True), _cells(sub[["SP500"]], header=True), 60)
    assert cells[0] == ["XOM", "CVX"] and len(cells) == len(sub) + 1
    got = np.array([[np.nan if v is None else v for v in r] for r in cells[1:]], dtype=float)
    api = rolling_beta(sub[["XOM", "CVX"]], sub["SP500"], 60).to_numpy()
    np.testing.assert_allclose(got, api, atol=1e-12, equal_nan=True)
    assert cells[1] == [None, None]


def test_worksheet_correlation_matrices_equal_python_api(regime_inputs):
    sub, v = regime_inputs
    f = registry()
    vcol = _cells(v.reindex(sub.index).to_frame())
    got = np.array(f["CORRELATION_MATRIX"].call(_cells(sub, header=True), 252), dtype=float)
    np.testing.assert_allclose(got, correlation_matrix(sub, 252).to_numpy(), atol=1e-12)
    rc = regime_correlation(sub, v)
    for reg in ("normal", "stress"):
        raw = np.array(f["REGIME_CORRELATION"].call(_cells(sub), vcol, reg), dtype=float)
        np.testing.assert_allclose(raw, rc.raw[reg].to_numpy(), atol=1e-12)
        adj = np.array(f["REGIME_CORRELATION"].call(_cells(sub), vcol, reg, 18, 28, True), dtype=float)
        np.testing.assert_allclose(adj, rc.adjusted[reg].to_numpy(), atol=1e-12)


def test_worksheet_errors_are_clear_cell_messages():
    f = registry()
    p = [[100.0], [101.0], [None], [102.0]]
    msg = f["BETA"].call(p, [[50.0], [51.0], [52.0], [50.0]])
    assert msg == "#NUM! BETA: asset_prices: found 2 common returns, need at least 3"
    msg = f["ROLLING_BETA"].call(p, [[50.0], [51.0], [52.0], [50.0]], 10)
    assert msg.startswith("#NUM! ROLLING_BETA") and "found 2" in msg and "need at least 10" in msg
    assert "has 3 rows of prices, asset_prices 4" in f["BETA"].call(p, [[1.0], [2.0], [3.0]])
    assert "row 2, column 1" in f["BETA"].call([[1.0], ["x"], [2.0]], [[1.0], [2.0], [3.0]])
    assert "normal, stress" in f["REGIME_CORRELATION"].call(p, p, "panic")
    assert "one level per row" in f["REGIME_CORRELATION"].call(p, 20, "stress")
    assert f["BETA"].call(
        [[100.0], ["#N/A"], [101], [103], [104]], [[1.0], [2.0], [3.0], [2.5], [3.0]]
    ) == pytest.approx(beta(pd.Series([100.0, 101, 103, 104]), pd.Series([1.0, 3.0, 2.5, 3.0])))


def test_package_exports():
    for name in ("beta", "rolling_beta", "correlation_matrix", "vol_regime", "regime_correlation", "read_prices"):
        assert callable(getattr(xlhedge, name))


def test_worksheet_adjusted_beta_and_series_names():
    f = registry()
    assert f["ADJUSTED_BETA"].call(1.5) == pytest.approx(0.67 * 1.5 + 0.33)
    assert f["ADJUSTED_BETA"].call([[1.0, 2.0]], 0.5, 0) == [[0.5, 1.0]]
    g = [["SPX", "XOM", None], [100.0, 50.0, None], [101.0, 51.0, None], [None, None, None]]
    assert f["SERIES_NAMES"].call(g) == [["SPX", "XOM"]]
    assert f["SERIES_NAMES"].call(g, True) == [["SPX"], ["XOM"]]


def test_worksheet_series_ending_early_in_the_same_selection_are_padded():
    """B5:B10 vs C5:C10 where C's last rows are blank: rows still match by position."""
    f = registry()
    a = [[100.0], [101.0], [103.0], [102.0], [104.0], [None]]
    b = [[10.0], [10.2], [10.1], [10.4], [None], [None]]
    assert f["BETA"].call(a, b) == pytest.approx(
        beta(pd.Series([100.0, 101, 103, 102]), pd.Series([10.0, 10.2, 10.1, 10.4]))
    )


def test_t_and_adjusted_beta_columns_equal_statsmodels(px):
    """BETA_STATS shows t; the estimate log and docs show adjusted beta: pin both independently."""
    st_ = beta_stats(px[["XOM"]], px["SP500"], 500).loc["XOM"]
    r = _pair(px, "XOM", "SP500").iloc[-500:]
    fit = sm.OLS(r["XOM"], sm.add_constant(r["SP500"])).fit()
    assert st_["t"] == pytest.approx(fit.tvalues.iloc[1], rel=1e-10)
    assert st_["adjusted_beta"] == pytest.approx(0.67 * fit.params.iloc[1] + 0.33, abs=TOL)
    w = 0.94 ** np.arange(len(r))[::-1]
    assert st_["ewma_beta"] == pytest.approx(sm.WLS(r["XOM"], r["SP500"], weights=w).fit().params.iloc[0], abs=TOL)


def test_flat_benchmark_is_not_enough_data_not_a_blank_beta():
    a = pd.Series([100.0, 101, 99, 102, 104, 103])
    flat = pd.Series([50.0] * 6)
    with pytest.raises(NotEnoughData, match="benchmark_prices has no variance over the 5 common returns"):
        beta_stats(a, flat)
    # B trades only on the dates the benchmark stands still: its beta is undefined, A's is not
    two = pd.DataFrame({"A": a, "B": [np.nan, np.nan, 3.0, 3.1, 2.9, 3.2]})
    with pytest.raises(NotEnoughData, match="over the 3 common returns for B"):
        beta(two, pd.Series([10.0, 11, 12, 12, 12, 12]))
    msg = registry()["BETA"].call([[v] for v in a], [[v] for v in flat])
    assert msg.startswith("#NUM! BETA: benchmark_prices has no variance")


def test_option_arguments_are_normalised_once():
    sub = pd.DataFrame({"a": [100.0, 101, 99, 102, 104, 103], "b": [50.0, 50.5, 49, 51, 52, 51.2]})
    assert beta(sub["a"], sub["b"], method=" EWMA ", kind="LOG") == beta(sub["a"], sub["b"], method="ewma", kind="log")
    with pytest.raises(InputError, match="kind: expected one of simple, log, found 'cubic'"):
        correlation_matrix(sub, kind="cubic")
    with pytest.raises(InputError, match="frequency: expected one of daily, weekly"):
        rolling_beta(sub[["a"]], sub["b"], 3, frequency="monthly")


def test_regime_correlation_accepts_one_regime_name(regime_inputs):
    sub, v = regime_inputs
    one = regime_correlation(sub, v, regimes="Stress")
    assert list(one.raw) == ["stress"]
    pd.testing.assert_frame_equal(one.raw["stress"], regime_correlation(sub, v).raw["stress"])
    with pytest.raises(InputError, match="market must be a column index, got 1.5"):
        regime_correlation(sub, v, market=1.5)
    with pytest.raises(InputError, match="market must be a column index ≤ 3, got 4"):
        regime_correlation(sub, v, market=4)
    with pytest.raises(InputError, match="market: expected a finite number, found inf"):
        regime_correlation(sub, v, market=float("inf"))


# ------------------------------------------------------------- a window uses only its own rows


def _trim_cases():
    rng = np.random.default_rng(11)
    dates = pd.bdate_range("2018-01-01", periods=900)
    rm = rng.normal(0, 0.01, dates.size)
    bench = pd.Series(100 * np.cumprod(1 + rm), index=dates, name="SPX")
    px = pd.DataFrame(
        100 * np.cumprod(1 + rm[:, None] * [0.5, 1.0, 1.5, 2.0] + rng.normal(0, 0.01, (dates.size, 4)), axis=0),
        index=dates,
        columns=list("ABCD"),
    )
    gappy = px.copy()
    gappy.iloc[-30:-10, 1] = np.nan  # a gap inside the window
    gappy.iloc[-400:, 2] = np.nan  # a series that stopped: its last returns are far back
    other_cal = bench.drop(bench.index[-60::7])  # the benchmark misses some days
    return [(px, bench), (gappy, bench), (px, other_cal), (gappy.iloc[:, [1, 3]], other_cal)]


@pytest.mark.parametrize("case", range(4))
@pytest.mark.parametrize("window", [2, 3, 60, 252])
def test_window_estimates_equal_the_full_length_computation(case, window, monkeypatch):
    from xlhedge.engine import estimation as est

    a, b = _trim_cases()[case]
    fast = est.beta_stats(a, b, window)
    with monkeypatch.context() as m:
        m.setattr(est, "_window_start", lambda pa, pb, w: 0)  # the reference: every row
        ref = est.beta_stats(a, b, window)
        ref_weekly = est.beta_stats(a, b, min(window, 40), frequency="weekly")
    pd.testing.assert_frame_equal(fast, ref, rtol=1e-12)
    pd.testing.assert_frame_equal(est.beta_stats(a, b, min(window, 40), frequency="weekly"), ref_weekly, rtol=1e-12)


def test_window_too_long_for_one_series_keeps_the_full_message(monkeypatch):
    from xlhedge.engine import estimation as est

    a, b = _trim_cases()[1]
    with pytest.raises(NotEnoughData) as fast:
        est.beta_stats(a, b, 600)
    monkeypatch.setattr(est, "_window_start", lambda pa, pb, w: 0)
    with pytest.raises(NotEnoughData) as ref:
        est.beta_stats(a, b, 600)
    assert str(fast.value) == str(ref.value) and " for C" in str(fast.value)
