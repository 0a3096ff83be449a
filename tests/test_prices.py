"""Price tables: CSV shapes, validation report, pairwise alignment, returns."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlhedge.engine.errors import InputError
from xlhedge.engine.prices import clean_prices, pair_returns, returns, validate_prices
from xlhedge.workbook.prices_csv import read_prices, read_prices_csv

from ._market_data import arch_file, skfolio_file, stocks_index_wti, vix

WIDE = """Date,SPY,TLT
2024-01-02,470.0,98.0
2024-01-03,468.0,99.0
2024-01-04,465.0,
2024-01-05,466.0,97.5
"""
FRED = """DATE,VALUE
2024-01-01,.
2024-01-02,72.70
2024-01-03,72.95
"""
YAHOO = """Date,Open,High,Low,Close,Adj Close,Volume
2024-01-02,100,101,99,100.5,99.5,1000
2024-01-03,100.5,102,100,101.5,100.5,1200
2024-01-04,101.5,103,101,102.5,null,1300
"""


# ----------------------------------------------------------------------- CSV shapes


def test_wide_csv_reports_the_gap_with_series_and_date():
    t = read_prices_csv(WIDE)
    assert t.series == ["SPY", "TLT"]
    assert np.isnan(t.prices.loc["2024-01-04", "TLT"])
    (issue,) = t.report.issues
    assert issue.kind == "calendar" and issue.series == "TLT"
    assert issue.dates == (pd.Timestamp("2024-01-04"),)
    assert "2024-01-04" in str(t.report)


def test_fred_csv_dot_is_missing_and_value_column_named_from_ticker():
    t = read_prices_csv(FRED, ticker="WTI")
    assert t.series == ["WTI"]
    assert t.prices["WTI"].tolist() == [72.70, 72.95]  # the "." date has no price at all: dropped
    assert read_prices_csv(FRED).series == ["series_1"]


def test_yahoo_csv_uses_adj_close_and_reports_null():
    t = read_prices_csv(YAHOO, ticker="ABC")
    assert t.prices["ABC"].iloc[:2].tolist() == [99.5, 100.5]
    assert t.prices.shape == (2, 1)
    (issue,) = t.report.issues
    assert issue.kind == "missing" and issue.series == "ABC"
    assert issue.dates == (pd.Timestamp("2024-01-04"),)


def test_yahoo_without_adj_close_uses_close():
    text = "Date,Open,High,Low,Close,Volume\n2024-01-02,1,2,0.5,1.5,10\n2024-01-03,1,2,0.5,1.6,10\n"
    assert read_prices_csv(text, ticker="X").prices["X"].tolist() == [1.5, 1.6]


def test_real_yahoo_file_from_arch():
    t = read_prices_csv(arch_file("sp500"))
    raw = pd.read_csv(arch_file("sp500"))
    assert t.series == ["sp500"]
    assert len(t.prices) == len(raw) == 5031
    assert t.prices.index[0] == pd.Timestamp("1999-01-04")  # M/D/YYYY parsed as such
    np.testing.assert_array_equal(t.prices["sp500"].to_numpy(), raw["Adj Close"].to_numpy())
    assert t.report.ok


def test_real_fred_file_from_arch_reports_every_dot():
    t = read_prices_csv(arch_file("wti"))
    raw = pd.read_csv(arch_file("wti"), dtype=str)
    dots = pd.to_datetime(raw.loc[raw["DCOILWTICO"] == ".", "Date"], format="%m/%d/%Y")
    (issue,) = t.report.issues
    assert issue.series == "DCOILWTICO" and issue.kind == "missing"
    assert list(issue.dates) == list(dots) and len(dots) == 290
    assert len(t.prices) == len(raw) - 290
    assert not t.prices["DCOILWTICO"].isna().any()


def test_real_wide_file_from_skfolio():
    t = read_prices_csv(skfolio_file("sp500_dataset"))
    assert {"XOM", "CVX", "AAPL"} <= set(t.series) and len(t.series) == 20
    assert t.report.ok and t.prices.index.is_monotonic_increasing


def test_joined_real_files_report_mismatched_calendars():
    t = stocks_index_wti()
    cal = {i.series: i for i in t.report.of_kind("calendar")}
    # the exchange is shut on Presidents' Day 1990; FRED's WTI has a price that day
    assert pd.Timestamp("1990-02-19") in cal["XOM"].dates
    assert not np.isnan(t.prices.loc["1990-02-19", "DCOILWTICO"])
    assert np.isnan(t.prices.loc["1990-02-19", "XOM"])
    # WTI ends in 2019, the stocks in 2022: a range issue naming WTI
    (rng,) = [i for i in t.report.of_kind("range") if i.series == "DCOILWTICO"]
    assert "ends 2019-01-03" in rng.message


def test_read_prices_joins_one_yahoo_file_per_ticker(tmp_path):
    (tmp_path / "AAA.csv").write_text(YAHOO)
    (tmp_path / "BBB.csv").write_text(YAHOO.replace("2024-01-04", "2024-01-05"))
    t = read_prices([tmp_path / "AAA.csv", tmp_path / "BBB.csv"])
    assert t.series == ["AAA", "BBB"]
    assert len(t.prices) == 2  # 01-04 / 01-05 have only nulls
    assert {i.series for i in t.report.issues} == {"AAA", "BBB"}


def test_read_prices_name_clash_is_an_error(tmp_path):
    (tmp_path / "a.csv").write_text(WIDE)
    (tmp_path / "b.csv").write_text(WIDE)
    with pytest.raises(InputError, match="SPY"):
        read_prices([tmp_path / "a.csv", tmp_path / "b.csv"])


def test_date_formats_and_observation_date_header():
    us = "observation_date,DGS10\n01/31/2024,4.0\n02/01/2024,3.9\n"
    t = read_prices_csv(us)
    assert t.series == ["DGS10"] and t.prices.index[0] == pd.Timestamp("2024-01-31")
    eu = "Date,X\n31/01/2024,4.0\n01/02/2024,3.9\n"
    assert read_prices_csv(eu).prices.index[-1] == pd.Timestamp("2024-02-01")


def test_unreadable_dates_and_missing_file():
    with pytest.raises(InputError, match="cannot read 1 dates"):
        read_prices_csv("Date,X\n2024-01-02,1\nyesterday,2\n")
    with pytest.raises(InputError, match="not found"):
        read_prices_csv("/nonexistent/file.csv")


# ----------------------------------------------------------------------- validation


def _messy() -> pd.DataFrame:
    idx = pd.to_datetime(["2024-01-03", "2024-01-02", "2024-01-04", "2024-01-04", "2024-01-05", "2024-01-08"])
    return pd.DataFrame({"A": [10.0, 11.0, 12.0, 12.5, -1.0, 13.0], "B": [5.0, 5.0, np.nan, 5.2, 5.3, 5.4]}, index=idx)


def test_validate_finds_everything_and_changes_nothing():
    df = _messy()
    before = df.copy()
    r = validate_prices(df)
    pd.testing.assert_frame_equal(df, before)
    kinds = {(i.kind, i.series) for i in r.issues}
    assert ("unsorted", "") in kinds and ("duplicate_date", "") in kinds
    assert ("non_positive", "A") in kinds
    (neg,) = r.of_kind("non_positive")
    assert neg.dates == (pd.Timestamp("2024-01-05"),)
    (dup,) = r.of_kind("duplicate_date")
    assert dup.dates == (pd.Timestamp("2024-01-04"),)
    assert all(i.action == "" for i in r.issues)


def test_clean_applies_the_documented_handling():
    t = clean_prices(_messy())
    p = t.prices
    assert p.index.is_monotonic_increasing and not p.index.has_duplicates
    assert p.loc["2024-01-04", "A"] == 12.5  # last of the duplicate kept
    assert np.isnan(p.loc["2024-01-05", "A"])  # non-positive -> missing
    assert all(i.action for i in t.report.issues)
    assert clean_prices(_messy(), duplicates="first").prices.loc["2024-01-04", "A"] == 12.0
    with pytest.raises(InputError, match="duplicate dates: 2024-01-04"):
        clean_prices(_messy(), duplicates="error")
    frame = t.report.to_frame()
    assert set(frame["kind"]) >= {"unsorted", "duplicate_date", "non_positive"}


def test_non_numeric_cells_are_reported():
    df = pd.DataFrame({"A": ["1.0", "oops", "1.2"]}, index=pd.date_range("2024-01-01", periods=3))
    t = clean_prices(df)
    (i,) = t.report.of_kind("non_numeric")
    assert i.series == "A" and i.dates == (pd.Timestamp("2024-01-02"),)


def test_vix_holidays_reported_from_real_file():
    t = vix()
    (i,) = t.report.issues
    assert i.series == "vix" and len(i.dates) == 46


# ----------------------------------------------------------------------- returns


def test_pair_returns_span_gaps_for_both_series():
    a = np.array([100.0, 110.0, np.nan, 121.0, 133.1])
    b = np.array([50.0, np.nan, 55.0, 60.5, 66.55])
    ra, rb = pair_returns(a, b)
    # common dates: rows 0, 3, 4
    np.testing.assert_allclose(ra[:, 0], [np.nan, np.nan, np.nan, 0.21, 0.1])
    np.testing.assert_allclose(rb[:, 0], [np.nan, np.nan, np.nan, 0.21, 0.1])
    la, _ = pair_returns(a, b, "log")
    np.testing.assert_allclose(la[3, 0], np.log(1.21))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**31 - 1), st.floats(0.0, 0.4))
def test_pair_returns_equal_dropna_pct_change(seed, holes):
    rng = np.random.default_rng(seed)
    T, n = 30, 4
    a = 100 * np.cumprod(1 + rng.normal(0, 0.02, (T, n)), axis=0)
    b = 100 * np.cumprod(1 + rng.normal(0, 0.02, T))
    a[rng.random((T, n)) < holes] = np.nan
    b[rng.random(T) < holes / 2] = np.nan
    ra, rb = pair_returns(a, b)
    for j in range(n):
        df = pd.DataFrame({"a": a[:, j], "b": b}).dropna()
        ref = df.pct_change().iloc[1:]
        got_a = pd.Series(ra[:, j]).dropna()
        got_b = pd.Series(rb[:, j]).dropna()
        assert list(got_a.index) == list(ref.index)
        np.testing.assert_allclose(got_a.to_numpy(), ref["a"].to_numpy(), rtol=1e-12)
        np.testing.assert_allclose(got_b.to_numpy(), ref["b"].to_numpy(), rtol=1e-12)


def test_returns_simple_log_weekly():
    idx = pd.bdate_range("2024-01-01", periods=10)  # Mon 1 Jan .. Fri 12 Jan
    p = pd.DataFrame({"X": np.arange(100.0, 110.0)}, index=idx)
    r = returns(p)
    assert r["X"].iloc[1] == pytest.approx(0.01)
    assert returns(p, "log")["X"].iloc[1] == pytest.approx(np.log(1.01))
    w = returns(p, frequency="weekly")
    assert w["X"].iloc[1] == pytest.approx(109.0 / 104.0 - 1)  # Friday to Friday
    with pytest.raises(InputError, match="simple, log"):
        returns(p, "pct")
    with pytest.raises(InputError, match="zero or negative"):
        returns(p - 200)


def test_report_summary_groups_series_with_the_same_problem():
    t = stocks_index_wti()
    lines = t.report.summary()
    grouped = [ln for ln in lines if ln.startswith("AAPL, AMD")]
    assert grouped and "14 more" in grouped[0] and "no price on 19 dates" in grouped[0]
    assert len(lines) < len(t.report.issues)


# ----------------------------------------------------------------------- the fast CSV path


def _both_paths(path, monkeypatch):
    """A file read through the numeric fast path and through the text path (the reference)."""
    from xlhedge.workbook import prices_csv

    fast = read_prices_csv(path)
    with monkeypatch.context() as m:
        m.setattr(prices_csv, "_read_numeric", lambda _path: None)
        ref = read_prices_csv(path)
    return fast, ref


@pytest.mark.parametrize(
    "text",
    [
        WIDE,
        FRED,
        YAHOO,
        "Date,A,B\n2024-01-02,1.1,TRUE\n2024-01-03,1.2,2\n",  # a boolean: the text path reports it
        "Date,A,B\n2024-01-02,0.1,n/a\n2024-01-03,0.30000000000000004,N/A\n2024-01-04,1e-3, 7\n",
        "Day,X\n20240102,5\n20240103,\n20240104,#N/A\n",
        "Date,A\n2024-01-02,3\n,4\n",  # a row without a date
    ],
)
def test_fast_csv_path_equals_the_text_path(text, tmp_path, monkeypatch):
    p = tmp_path / "f.csv"
    p.write_text(text)
    try:
        fast, ref = _both_paths(p, monkeypatch)
    except InputError as exc:
        with pytest.raises(InputError, match=re.escape(exc.message)):
            with monkeypatch.context() as m:
                from xlhedge.workbook import prices_csv

                m.setattr(prices_csv, "_read_numeric", lambda _path: None)
                read_prices_csv(p)
        return
    pd.testing.assert_frame_equal(fast.prices, ref.prices, check_exact=True)
    assert [str(i) for i in fast.report.issues] == [str(i) for i in ref.report.issues]


def test_fast_csv_path_on_real_files(monkeypatch):
    for path in (arch_file("sp500"), arch_file("wti"), skfolio_file("sp500_dataset"), skfolio_file("sp500_index")):
        fast, ref = _both_paths(path, monkeypatch)
        pd.testing.assert_frame_equal(fast.prices, ref.prices, check_exact=True)
        assert [str(i) for i in fast.report.issues] == [str(i) for i in ref.report.issues]


def test_fast_csv_path_parses_every_digit_as_the_text_path(tmp_path, monkeypatch):
    rng = np.random.default_rng(7)
    v = np.exp(rng.normal(0, 3, (400, 3)))
    rows = [
        f"{d:%Y-%m-%d},{a!r},{b:.6g},{c:.17e}" for d, (a, b, c) in zip(pd.bdate_range("2020-01-01", periods=400), v)
    ]
    p = tmp_path / "digits.csv"
    p.write_text("Date,A,B,C\n" + "\n".join(rows) + "\n")
    fast, ref = _both_paths(p, monkeypatch)
    pd.testing.assert_frame_equal(fast.prices, ref.prices, check_exact=True)
