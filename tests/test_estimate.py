"""Filling the Book's betas from prices: `xlhedge estimate`, the refresh step, the sheets."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from xlhedge.calc.recompute import RecomputeOptions, recompute
from xlhedge.calc.refs import col_letters, parse_ref
from xlhedge.cli import app
from xlhedge.engine.estimation import beta_stats, correlation_matrix, regime_correlation
from xlhedge.template import template_path
from xlhedge.template.correlations_sheet import ILLUSTRATIVE, LEFT_COL, M_ROW1, M_ROW2, RIGHT_COL
from xlhedge.workbook.filebook import FileBook
from xlhedge.workbook.prices_csv import read_prices

from ._market_data import skfolio_file

runner = CliRunner()


@pytest.fixture(scope="module")
def prices_csv(tmp_path_factory) -> Path:
    """Three years of skfolio's real closes (20 stocks + the S&P 500 index), as a wide CSV."""
    t = read_prices([skfolio_file("sp500_dataset"), skfolio_file("sp500_index")])
    p = tmp_path_factory.mktemp("px") / "closes.csv"
    t.prices.loc["2020":, ["SP500", "XOM", "CVX", "AAPL", "JPM"]].to_csv(p, index_label="Date")
    return p


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """The template with four positions: XOM, CVX (equity beta typed: 0.5), AAPL, and one without prices."""
    p = tmp_path / "book.xlsx"
    shutil.copyfile(template_path("template"), p)
    rows = _rows(p)
    wb = load_workbook(p)
    ws = wb["Book"]
    for j, (t, w) in enumerate((("XOM", 0.02), ("CVX", 0.02), ("AAPL", 0.03), ("ZZZZ", 0.01))):
        ws.cell(row=rows["tickers"], column=2 + j, value=t)
        ws.cell(row=rows["weights"], column=2 + j, value=w)
    ws.cell(row=rows["equity"], column=3, value=0.5)  # typed by the user
    wb.save(p)
    return p


def _rows(path: Path) -> dict[str, int]:
    """Book rows from the file's defined names (whatever the layout)."""
    names = FileBook(path).defined_names()
    r = {
        k: parse_ref(names[n].lstrip("=")).r1
        for k, n in (("tickers", "BOOKTICKERS"), ("weights", "BOOKWEIGHTS"), ("equity", "BOOKBETAS"))
    }
    return r  # the first beta row is the equity factor (docs/methodology/factor-model.md order)


def _equity(path: Path) -> list:
    r = _rows(path)["equity"]
    return FileBook(path).read(parse_ref(f"Book!B{r}:E{r}"))[0]


def test_estimate_command_fills_betas_and_keeps_typed_ones(book: Path, prices_csv: Path):
    res = runner.invoke(app, ["estimate", str(book), "--prices", str(prices_csv), "--window", "252"])
    assert res.exit_code == 0, res.output
    px = read_prices([prices_csv]).prices
    ref = beta_stats(px[["XOM", "AAPL"]], px["SP500"], 252)["beta"]
    xom, cvx, aapl, none = _equity(book)
    assert xom == pytest.approx(ref["XOM"], abs=1e-12) and aapl == pytest.approx(ref["AAPL"], abs=1e-12)
    assert cvx == 0.5 and none is None
    assert "kept Book!C" in res.output and "ZZZZ" in res.output
    # estimated cells are marked with the "estimated" cell style; the typed one is not
    eq_row = _rows(book)["equity"]
    styles = [load_workbook(book)["Book"].cell(row=eq_row, column=c).style for c in (2, 3, 4)]
    assert styles[0] == styles[2] == "estimated" and styles[1] != "estimated"
    # recorded: the log on the Prices sheet, the imported prices, the settings
    fb = FileBook(book)
    log = [r for r in fb.read(parse_ref(fb.defined_names()["ESTIMATELOG"])) if r[0]]
    eq = _rows(book)["equity"]
    assert {r[0] for r in log} == {f"Book!B{eq}", f"Book!D{eq}"}
    assert all(r[2] == "equity" and r[3] == "SP500" and r[10] == 252 and r[8] < r[9] for r in log)
    # an unchanged book recomputes to the same bytes: `xlhedge recompute --check` passes
    check = runner.invoke(app, ["recompute", str(book), "--check"])
    assert "out of date" not in check.output, check.output
    assert fb.read(parse_ref("Prices!A4:B4"))[0] == ["Date", "SP500"]
    assert fb.read(parse_ref(fb.defined_names()["ESTIMATEWINDOW"]))[0][0] == 252
    # --overwrite replaces the typed beta too
    res = runner.invoke(app, ["estimate", str(book), "--overwrite"])
    assert res.exit_code == 0, res.output
    assert _equity(book)[1] == pytest.approx(beta_stats(px["CVX"], px["SP500"], 252)["beta"].iloc[0], abs=1e-12)


def test_refresh_reestimates_only_estimated_cells(book: Path, prices_csv: Path):
    assert runner.invoke(app, ["estimate", str(book), "--prices", str(prices_csv)]).exit_code == 0
    fb = FileBook(book)
    eq = _rows(book)["equity"]
    # the user types over AAPL's estimate and changes the window; a refresh follows
    fb.write_input(parse_ref(f"Book!D{eq}"), [[1.25]])
    fb.write_input(parse_ref(fb.defined_names()["ESTIMATEWINDOW"]), [[60]])
    rep = recompute(fb, RecomputeOptions(write_status=False))
    assert not rep.errors
    px = read_prices([prices_csv]).prices
    xom, cvx, aapl, _ = fb.read(parse_ref(f"Book!B{eq}:E{eq}"))[0]
    assert xom == pytest.approx(beta_stats(px["XOM"], px["SP500"], 60)["beta"].iloc[0], abs=1e-12)
    assert cvx == 0.5 and aapl == 1.25  # typed values untouched
    log = {r[0] for r in fb.read(parse_ref(fb.defined_names()["ESTIMATELOG"])) if r[0]}
    assert log == {f"Book!B{eq}"}  # AAPL's line dropped: the value is the user's now
    # without prices nothing happens
    assert recompute(FileBook(template_path("template")), RecomputeOptions(write_status=False)).findings == []


def test_estimate_without_prices_is_one_clear_error(book: Path):
    res = runner.invoke(app, ["estimate", str(book)])
    assert res.exit_code == 2 and "Prices sheet has no prices" in res.output


def test_correlations_sheet_matrices_equal_the_api(book: Path, prices_csv: Path):
    assert runner.invoke(app, ["estimate", str(book), "--prices", str(prices_csv)]).exit_code == 0
    fb = FileBook(book)
    px = read_prices([prices_csv]).prices  # stored in B..F: SP500 first (equity benchmark), then the rest
    order = ["SP500", None, None, None, "XOM", "CVX", "AAPL", "JPM"]
    cols = [c for c in order if c]
    idx = [k for k, c in enumerate(order) if c]
    normal = np.array(fb.read(parse_ref(f"Correlations!B{M_ROW1}:I{M_ROW1 + 7}")), dtype=float)
    # no VIX history on the Regime sheet: regimes by realised-vol percentile of the first series
    rc = regime_correlation(px[cols], None)
    np.testing.assert_allclose(normal[np.ix_(idx, idx)], rc.raw["normal"].to_numpy(), atol=1e-12)
    assert np.isnan(normal[1]).all()  # the empty DXY column: a blank row
    labels = fb.read(parse_ref(f"Correlations!B{M_ROW1 - 1}:I{M_ROW1 - 1}"))[0]
    assert labels == ["SP500", "DXY", "BCOM", "BTC", "XOM", "CVX", "AAPL", "JPM"]
    rc0, rc1 = col_letters(RIGHT_COL), col_letters(RIGHT_COL + 7)
    stress = np.array(fb.read(parse_ref(f"Correlations!{rc0}{M_ROW1}:{rc1}{M_ROW1 + 7}")), dtype=float)
    np.testing.assert_allclose(stress[np.ix_(idx, idx)], rc.raw["stress"].to_numpy(), atol=1e-12)
    adj = np.array(fb.read(parse_ref(f"Correlations!B{M_ROW2}:I{M_ROW2 + 7}")), dtype=float)
    np.testing.assert_allclose(adj[np.ix_(idx, idx)], rc.adjusted["stress"].to_numpy(), atol=1e-12)
    allw = np.array(fb.read(parse_ref(f"Correlations!{rc0}{M_ROW2}:{rc1}{M_ROW2 + 7}")), dtype=float)
    np.testing.assert_allclose(allw[np.ix_(idx, idx)], correlation_matrix(px[cols], 252).to_numpy(), atol=1e-12)
    assert col_letters(LEFT_COL) == "B"


def test_template_sheets_ship_defaults():
    wb = load_workbook(template_path("template"))
    assert {"Correlations", "Regime", "Prices"} <= set(wb.sheetnames)
    ws = wb["Correlations"]
    got = [
        (ws.cell(row=r, column=1).value, ws.cell(row=r, column=2).value, ws.cell(row=r, column=3).value)
        for r in range(6, 6 + len(ILLUSTRATIVE))
    ]
    assert got == list(ILLUSTRATIVE)
    assert ("SPX × TLT", -0.3, 0.4) in got
    assert "illustrative, recompute" in str(ws["A4"].value)
    assert ws.conditional_formatting  # the heatmaps
    reg = wb["Regime"]
    assert [reg.cell(row=r, column=1).value for r in range(5, 9)] == ["VIX", "MOVE", "DVOL", "CVIX"]
    assert (reg["C5"].value, reg["D5"].value) == (18.0, 28.0)
    assert "VOL_REGIME" in str(reg["E5"].value)


def test_example_book_regimes():
    fb = FileBook(template_path("figure01"))
    rows = fb.read(parse_ref("Regime!A5:E8"))
    assert [(r[0], r[4]) for r in rows] == [("VIX", "low"), ("MOVE", "high"), ("DVOL", ""), ("CVIX", "normal")]


def test_estimate_bad_method_is_one_line_naming_the_flag(book: Path, prices_csv: Path):
    res = runner.invoke(app, ["estimate", str(book), "--prices", str(prices_csv), "--method", "Median"])
    assert res.exit_code == 2 and "--method: expected one of ols, ewma, found 'Median'" in res.output
    res = runner.invoke(app, ["estimate", str(book), "--prices", str(prices_csv), "--method", " EWMA "])
    assert res.exit_code == 0, res.output
    fb = FileBook(book)
    assert fb.read(parse_ref(fb.defined_names()["ESTIMATEMETHOD"]))[0][0] == "ewma"


def test_factor_stats_vectorised_equals_one_call_per_column(prices_csv: Path):
    """estimate_book's one beta_stats call per factor gives, column for column, what one call per
    position gives (the reference), including a column with gaps and one with too little data."""
    import pandas as pd

    from xlhedge.calc.estimate import factor_stats, factor_stats_each

    px = read_prices([prices_csv]).prices.copy()
    px.loc[px.index[100:140], "CVX"] = np.nan  # a gap: aligned pairwise, one multi-day return
    px["NEW"] = np.nan
    px.loc[px.index[-20:], "NEW"] = 50.0 + np.arange(20.0)  # 19 returns < the window
    cols = ["XOM", "CVX", "AAPL", "XOM", "JPM"]
    fast = factor_stats(px, cols, "SP500", 252)
    ref = factor_stats_each(px, cols, "SP500", 252)
    assert list(fast) == list(ref) == ["XOM", "CVX", "AAPL", "JPM"]
    for c in fast:
        pd.testing.assert_series_equal(fast[c], ref[c], rtol=1e-12)
    both = factor_stats(px, [*cols, "NEW"], "SP500", 252)  # the short column: the others still estimated
    assert isinstance(both["NEW"], str) and "need at least 252" in both["NEW"]
    pd.testing.assert_series_equal(both["CVX"], ref["CVX"], rtol=1e-12)


def test_a_prices_range_is_parsed_once_per_recompute(book: Path, prices_csv: Path, monkeypatch):
    """Every formula reading the Prices table (SERIES_NAMES, CORRELATION_MATRIX…) gets the same parse;
    the numbers are those of a recompute that parses on every call."""
    from xlhedge.functions import estimation as fe

    assert runner.invoke(app, ["estimate", str(book), "--prices", str(prices_csv), "-q"]).exit_code == 0
    copy = book.with_name("copy.xlsx")
    shutil.copyfile(book, copy)
    parsed: list[int] = []
    calls: list[int] = []
    real_parse, real_cached = fe._parse_prices, fe.parse_prices

    def spy_parse(x, name):
        parsed.append(id(x))
        return real_parse(x, name)

    def spy_cached(x, name):
        calls.append(id(x))
        return real_cached(x, name)

    monkeypatch.setattr(fe, "_parse_prices", spy_parse)
    monkeypatch.setattr(fe, "parse_prices", spy_cached)
    fb = FileBook(book)
    recompute(fb, RecomputeOptions(estimate=False))
    assert len(calls) > len(set(calls)) and len(parsed) == len(set(calls))  # each range once
    assert fe._PARSED == {}  # forgotten when the recompute ends
    monkeypatch.setattr(fe, "parse_prices", real_parse)  # the reference: parse on every call
    ref = FileBook(copy)
    recompute(ref, RecomputeOptions(estimate=False))
    cells = [fc.cell for fc in fb.formula_cells()]
    assert [fb.read(c) for c in cells] == [ref.read(c) for c in cells]
