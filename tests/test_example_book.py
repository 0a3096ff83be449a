"""The bundled example book (docs/example.md): its shape, its real prices, its hedges in whole contracts.

Every number is checked against an independent computation: numpy on the Book sheet's own
weights and betas (read with openpyxl, not through xlhedge), and numpy OLS on the shipped
price file for the estimated betas.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys

import numpy as np
import openpyxl
import pandas as pd
import pytest

import xlhedge
from xlhedge.calc.layout import FACTOR_ROW0, FIRST_POSITION_COL, HEADER_ROW, WEIGHT_ROW, attribute_row
from xlhedge.template import example_prices_path, template_path
from xlhedge.template.example import EXAMPLE_NAV, EXAMPLE_POSITIONS
from xlhedge.template.example_options import EXAMPLE_OPTIONS

CORE = ("equity", "duration", "usd", "commodity", "crypto", "vol")


@pytest.fixture(scope="module")
def sheet() -> tuple[list[str], np.ndarray, np.ndarray]:
    """Tickers, weights and the six core beta rows, as stored in the shipped book's cells."""
    ws = openpyxl.load_workbook(template_path("example"), data_only=True)["Book"]
    tickers, weights, betas = [], [], []
    col = FIRST_POSITION_COL
    while (t := ws.cell(row=attribute_row("ticker"), column=col).value) not in (None, ""):
        tickers.append(str(t))
        weights.append(float(ws.cell(row=WEIGHT_ROW, column=col).value))
        betas.append([float(ws.cell(row=FACTOR_ROW0 + k, column=col).value or 0.0) for k in range(len(CORE))])
        col += 1
    assert ws.cell(row=HEADER_ROW, column=FIRST_POSITION_COL).value is not None
    return tickers, np.array(weights), np.array(betas).T


def test_positions_and_nav(sheet):
    tickers, w, _ = sheet
    assert tickers == [p["ticker"] for p in EXAMPLE_POSITIONS]
    assert 20 <= len(tickers) <= 32
    book = xlhedge.read_book(template_path("example"))
    assert book.nav == EXAMPLE_NAV == 10_000_000
    classes = set(book.positions["asset_class"])
    assert {"equity", "rates", "commodity", "crypto", "vol"} <= classes
    assert set(book.positions["currency"]) >= {"USD", "EUR", "JPY", "CHF"}  # non-USD listings
    np.testing.assert_allclose(book.weights.to_numpy(), w)


def test_exposures_are_figure_02_shaped(sheet):
    """Σ weight × beta by numpy on the cells, equal to the book view and near Figure 02's bars.

    The linear positions alone give net equity +1.20; the SPY put's delta (−3.6% of NAV) takes the
    book to +1.16. The vol row is in % of NAV per VIX point: short 5% of NAV of the VIX future at 18
    (−0.278), less the protection's long vol (+0.027)."""
    tickers, w, b = sheet
    by_hand = dict(zip(CORE, b @ w, strict=True))
    e = xlhedge.read_book(template_path("example")).exposures()["exposure"]
    for f in CORE:
        assert e[f] == pytest.approx(by_hand[f], abs=1e-12), f
    linear = [k for k, t in enumerate(tickers) if t not in {o["ticker"] for o in EXAMPLE_OPTIONS}]
    assert len(linear) == len(tickers) - 2
    assert float(b[0, linear] @ w[linear]) == pytest.approx(1.20, abs=0.005)
    assert by_hand["equity"] == pytest.approx(1.16, abs=0.005)
    assert by_hand["duration"] == pytest.approx(-0.30, abs=0.01)
    assert by_hand["commodity"] == pytest.approx(-0.45, abs=0.01)
    assert -0.30 < by_hand["usd"] < 0 and 0 < by_hand["crypto"] <= 0.10
    assert float(b[5, linear] @ w[linear]) == pytest.approx(-0.05 * 100 / 18, rel=1e-12)  # the VX future alone
    assert -0.30 < by_hand["vol"] < -0.20  # a small short-vol position, net of the protection's long vol


def _ql_option(kind: str, spot: float, strike: float, vol: float, expiry: tuple[int, int, int]) -> tuple:
    """QuantLib's analytic European engine at the book's as-of date (r = q = 0, Actual/365): with
    r = q, Black–Scholes–Merton on a futures price is Black-76. Price, delta and vega per vol point."""
    ql = pytest.importorskip("QuantLib")
    today = ql.Date(13, 11, 2026)
    ql.Settings.instance().evaluationDate = today
    dc = ql.Actual365Fixed()
    flat = ql.YieldTermStructureHandle(ql.FlatForward(today, 0.0, dc))
    sigma = ql.BlackVolTermStructureHandle(ql.BlackConstantVol(today, ql.NullCalendar(), vol, dc))
    proc = ql.BlackScholesMertonProcess(ql.QuoteHandle(ql.SimpleQuote(spot)), flat, flat, sigma)
    opt = ql.VanillaOption(
        ql.PlainVanillaPayoff(ql.Option.Put if kind == "put" else ql.Option.Call, strike),
        ql.EuropeanExercise(ql.Date(*expiry)),
    )
    opt.setPricingEngine(ql.AnalyticEuropeanEngine(proc))
    return opt.NPV(), opt.delta(), opt.vega() / 100, opt.thetaPerDay()


def test_options_weights_and_betas_are_quantlib_greeks(sheet):
    """The two option columns: weight = n·m·Δ·S/NAV and the vol cell β_vol(underlying) + 100·n·m·vega·β_σ/(NAV·D),
    with Δ and vega from QuantLib; the other betas are the underlying's (SPY from the catalogue, VX the book's)."""
    tickers, w, b = sheet
    put, call = tickers.index("SPY_P570"), tickers.index("VIX_C25")
    price, delta, vega, theta = _ql_option("put", 600.0, 570.0, 0.19, (19, 3, 2027))
    d_put = 20 * 100 * delta * 600.0 / EXAMPLE_NAV
    assert w[put] == pytest.approx(d_put, rel=1e-9) and w[put] == pytest.approx(-0.03638, abs=1e-5)
    assert b[0, put] == 1.0 and b[5, put] == pytest.approx(100 * 20 * 100 * vega / (EXAMPLE_NAV * d_put), rel=1e-9)
    assert 20 * 100 * price == pytest.approx(27_475, abs=1) and 20 * 100 * theta == pytest.approx(-186, abs=1)
    price, delta, _, theta = _ql_option("call", 18.0, 25.0, 0.85, (20, 1, 2027))
    d_call = 10 * 100 * delta * 18.0 / EXAMPLE_NAV
    assert w[call] == pytest.approx(d_call, rel=1e-9)
    vx = tickers.index("VX")
    np.testing.assert_array_equal(b[:, call], b[:, vx])  # a VIX option's own vega is to the vol of VIX
    assert 10 * 100 * price == pytest.approx(780, abs=1) and 10 * 100 * theta == pytest.approx(-15, abs=1)


def _prices() -> dict[str, np.ndarray]:
    with open(example_prices_path(), newline="") as fh:
        rows = list(csv.reader(fh))
    head = rows[0]
    return {h: np.array([float(r[j]) if r[j] else np.nan for r in rows[1:]]) for j, h in enumerate(head) if j}


def _ols_beta(y: np.ndarray, x: np.ndarray, window: int = 252) -> float:
    ok = ~np.isnan(x) & ~np.isnan(y)
    px, py = x[ok], y[ok]
    rx, ry = px[1:] / px[:-1] - 1, py[1:] / py[:-1] - 1
    rx, ry = rx[-window:], ry[-window:]
    return float(np.cov(ry, rx)[0, 1] / np.var(rx, ddof=1))


@pytest.mark.parametrize("ticker", ["AAPL", "JPM", "XOM", "GE", "MTUM"])
def test_estimated_betas_are_numpy_ols_on_the_shipped_prices(sheet, ticker):
    tickers, _, b = sheet
    px = _prices()
    k = tickers.index(ticker)
    assert b[0, k] == pytest.approx(_ols_beta(px[ticker], px["SPX"]), rel=1e-9)
    assert b[2, k] == pytest.approx(_ols_beta(px[ticker], px["DXY"]), rel=1e-9)
    assert b[3, k] == pytest.approx(_ols_beta(px[ticker], px["WTI"]), rel=1e-9)


def test_prices_are_real_history():
    px = _prices()
    assert list(px)[:3] == ["SPX", "DXY", "WTI"]
    assert len(px["SPX"]) == 754  # NYSE days 2016-01-04 .. 2018-12-31
    assert px["SPX"][0] == pytest.approx(2012.66)  # S&P 500 close on 2016-01-04
    assert px["VIX"].max() == pytest.approx(37.32)  # 2018-02-05
    assert np.nanmin(px["WTI"]) == pytest.approx(26.19)  # 2016-02-11


def test_futures_hedges_are_whole_nonzero_contracts(sheet):
    """At the CLI's default 50% ratio: contracts = round(-½ · exposure · NAV / (price · multiplier · beta))."""
    _, w, b = sheet
    e = dict(zip(CORE, b @ w, strict=True))
    plan = xlhedge.recommend_hedges(pd.Series(e), EXAMPLE_NAV, ratios=0.5).set_index("instrument")
    for factor, t in (("equity", "ES"), ("commodity", "CL"), ("crypto", "BTC")):
        inst = xlhedge.instrument(t)
        by_hand = round(-0.5 * e[factor] * EXAMPLE_NAV / (inst.price * inst.multiplier * inst.beta))
        assert by_hand != 0
        assert plan.loc[t, "contracts"] == by_hand, t


def test_fx_hedges_are_whole_nonzero_contracts(tmp_path):
    """The non-USD listings give EUR, JPY and CHF futures hedges of at least one contract."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}  # a fresh process: the console reads its width
    r = subprocess.run(
        [sys.executable, "-m", "xlhedge", "hedge", str(template_path("example"))],
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    for fut, n in (("6E", -2), ("6J", -2), ("6S", -1)):
        assert re.search(rf"\b{fut}\b.*\s{n:+d}\s", r.stdout), (fut, r.stdout)


def test_docs_example_page_lists_the_book(sheet):
    """docs/example.md's positions table is the shipped book: weights and every beta (2 places)."""
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "example.md").read_text()
    tickers, w, b = sheet
    rows = [ln.strip("|").split("|") for ln in text.splitlines() if re.match(r"\| [A-Z0-9_]+ \| [a-z]+ \|", ln)]
    assert [r[0].strip() for r in rows] == tickers

    def num(s: str) -> float:
        s = s.strip().strip("*").replace("−", "-").rstrip("%")
        return float(s) if s else 0.0

    for k, r in enumerate(rows):
        assert num(r[4]) / 100 == pytest.approx(w[k], abs=5e-7), tickers[k]  # 4 places of %
        for j in range(len(CORE)):
            assert num(r[5 + j]) == pytest.approx(b[j, k], abs=0.005 if j < 5 else 1e-4), (tickers[k], CORE[j])
    e = dict(zip(CORE, b @ w, strict=True))
    for label, f in (("Equity beta (SPX)", "equity"), ("Commodity beta", "commodity"), ("USD beta (DXY)", "usd")):
        shown = re.search(rf"\| {re.escape(label)} \| ([−+\d.]+) \|", text)[1]
        assert num(shown) == pytest.approx(e[f], abs=5e-5), label


def test_vol_pnl_per_point_is_a_hundredth_of_exposure_times_nav(sheet):
    """The vol row is % of NAV per VIX point, so its P&L per point is Σ w·β_vol · NAV / 100 (numpy on the
    cells): the same in Python, the CLI line under the book view, `report --json` and the Exposures
    sheet's BookVolPerPoint cell as the recompute pipeline stored it; the JSON's per-move P&L of every row follows
    the factor's unit (duration: the DV01)."""
    import json

    from typer.testing import CliRunner

    from xlhedge.cli import app

    _, w, b = sheet
    by_hand = float(b[5] @ w) * EXAMPLE_NAV / 100
    assert by_hand == pytest.approx(-25_076.5, abs=0.5)
    book = xlhedge.read_book(template_path("example"))
    assert book.vol_per_point() == pytest.approx(by_hand, rel=1e-12)
    runner = CliRunner()
    out = runner.invoke(app, ["report", str(template_path("example"))])
    assert out.exit_code == 0, out.output
    assert f"vol {by_hand:+,.0f} USD per +1 VIX point" in " ".join(out.output.split())  # however it wraps
    res = runner.invoke(app, ["report", str(template_path("example")), "--json"])
    doc = json.loads(res.output)
    assert doc["vol_per_point"] == pytest.approx(by_hand, rel=1e-12)
    assert doc["dv01"] == pytest.approx(-float(b[1] @ w) * EXAMPLE_NAV * 1e-4, rel=1e-12)
    rows = {e["factor"]: e for e in doc["exposures"]}
    assert rows["vol"]["per_move"] == pytest.approx(by_hand, rel=1e-12) and rows["vol"]["unit"] == "VIX points"
    assert rows["duration"]["per_move"] == pytest.approx(doc["dv01"], rel=1e-12)
    assert rows["equity"]["per_move"] == pytest.approx(rows["equity"]["amount"], rel=1e-12)
    assert rows["vol"]["amount"] == pytest.approx(100 * by_hand, rel=1e-12)  # exposure × NAV, as documented
    # the shipped book's values are the recompute pipeline's (the template builder runs it)
    ws = openpyxl.load_workbook(template_path("example"), data_only=True)["Exposures"]
    cells = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=3).value for r in range(1, ws.max_row + 1)}
    assert cells["Book vol P&L (currency per +1 vol point)"] == pytest.approx(by_hand, rel=1e-9)
