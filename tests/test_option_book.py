"""Options as positions of the book: weight and betas from the Greeks, in Python, the worksheet
functions and the headless recompute of a saved book (docs/methodology/options.md)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import xlhedge
from xlhedge.calc import layout
from xlhedge.calc.bookread import book_findings
from xlhedge.calc.refs import parse_ref
from xlhedge.cli import app
from xlhedge.engine.book import Book, OptionInputs
from xlhedge.engine.errors import InputError
from xlhedge.engine.instruments import lookup
from xlhedge.functions.options import BOOK_GREEKS, OPTION_EXPOSURE
from xlhedge.template import build_workbook
from xlhedge.template import options_sheet as osh
from xlhedge.workbook.filebook import FileBook

ql = pytest.importorskip("QuantLib")
runner = CliRunner()

AS_OF = dt.datetime(2026, 11, 13)
NAV = 10_000_000.0
RATE, DIV = 0.04, 0.013

#: A linear book (SPY with an equity and a vol beta, a VIX future) and three options:
#: a put on SPY (a position), a call on ES (the catalogue) and VIX calls on VX (Black-76).
POSITIONS: tuple[dict, ...] = (
    dict(ticker="SPY", asset_class="equity", price=600.0, weight=0.6, betas={"equity": 1.0, "vol": -0.3}),
    dict(ticker="VXF", asset_class="vol", price=18.0, weight=0.01, betas={"equity": -0.2, "vol": 100 / 18}),
    dict(
        ticker="P570",
        asset_class="option",
        is_hedge=True,
        option_type="put",
        underlying="SPY",
        strike=570.0,
        implied_vol=0.19,
        contracts=200.0,
        multiplier=100.0,
        expiry=dt.datetime(2027, 3, 19),
        weight=None,
        betas={},
    ),
    dict(
        ticker="ESC",
        asset_class="option",
        option_type="call",
        underlying="ES",
        strike=6300.0,
        implied_vol=0.16,
        contracts=-5.0,
        multiplier=50.0,
        expiry=dt.datetime(2027, 1, 15),
        weight=None,
        betas={},
    ),
    dict(
        ticker="VIXC",
        asset_class="option",
        option_type="call",
        underlying="VXF",
        strike=25.0,
        implied_vol=0.85,
        contracts=300.0,
        expiry=dt.datetime(2027, 1, 20),
        option_model="black76",
        weight=None,
        betas={},
    ),
)


def _frame(positions: tuple[dict, ...] = POSITIONS) -> pd.DataFrame:
    rows = []
    for p in positions:
        r = {k: v for k, v in p.items() if k != "betas"}
        r.update({"equity": 0.0, "vol": 0.0, **p["betas"]})
        rows.append(r)
    return pd.DataFrame(rows)


def _ql(kind: str, s: float, k: float, vol: float, expiry: dt.datetime, r: float, q: float):
    """QuantLib's analytic European engine (Actual/365 from the as-of date)."""
    today = ql.Date(AS_OF.day, AS_OF.month, AS_OF.year)
    ql.Settings.instance().evaluationDate = today
    dc = ql.Actual365Fixed()
    opt = ql.EuropeanOption(
        ql.PlainVanillaPayoff(ql.Option.Call if kind == "call" else ql.Option.Put, k),
        ql.EuropeanExercise(ql.Date(expiry.day, expiry.month, expiry.year)),
    )
    proc = ql.BlackScholesMertonProcess(
        ql.QuoteHandle(ql.SimpleQuote(s)),
        ql.YieldTermStructureHandle(ql.FlatForward(today, q, dc)),
        ql.YieldTermStructureHandle(ql.FlatForward(today, r, dc)),
        ql.BlackVolTermStructureHandle(ql.BlackConstantVol(today, ql.NullCalendar(), vol, dc)),
    )
    opt.setPricingEngine(ql.AnalyticEuropeanEngine(proc))
    return opt


def _hand_typed_book() -> Book:
    """The same book with each option replaced by a linear position: its QuantLib delta typed as
    the weight (n·m·Δ·S/NAV) and its underlying's betas typed by hand, the vega on the vol row."""
    es = lookup("ES")
    under = {"SPY": (600.0, {"equity": 1.0, "vol": -0.3}, 1.0, DIV), "ES": (es.price, {"equity": 1.0}, 1.0, DIV)}
    under["VXF"] = (18.0, {"equity": -0.2, "vol": 100 / 18}, 0.0, RATE)  # black76: q = r, vol beta 0
    rows = []
    for p in POSITIONS:
        if "option_type" not in p:
            rows.append(dict(ticker=p["ticker"], weight=p["weight"], **{"equity": 0.0, "vol": 0.0, **p["betas"]}))
            continue
        s, b, vb, q = under[p["underlying"]]
        o = _ql(p["option_type"], s, p["strike"], p["implied_vol"], p["expiry"], RATE, q)
        units = p["contracts"] * p.get("multiplier", 100.0)
        w = units * o.delta() * s / NAV
        vol_exposure = units * 0.01 * o.vega() * vb / NAV  # fraction of NAV per vol point
        betas = {"equity": b.get("equity", 0.0), "vol": b.get("vol", 0.0) + 100 * vol_exposure / w}
        rows.append(dict(ticker=p["ticker"], weight=w, **betas))
    return Book.from_frame(pd.DataFrame(rows), NAV, as_of=AS_OF)


def _option_book() -> Book:
    return Book.from_frame(_frame(), NAV, as_of=AS_OF, options=OptionInputs(rate=RATE, div=DIV))


def test_option_positions_give_the_exposures_of_their_deltas_typed_as_betas() -> None:
    book, hand = _option_book(), _hand_typed_book()
    np.testing.assert_allclose(book.weights.to_numpy(), hand.weights.to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(book.contributions().to_numpy(), hand.contributions().to_numpy(), rtol=1e-8, atol=1e-14)
    np.testing.assert_allclose(
        book.exposures()["exposure"].to_numpy(), hand.exposures()["exposure"].to_numpy(), rtol=1e-9
    )
    g = book.greeks
    assert list(g.index) == ["P570", "ESC", "VIXC"]
    assert g.loc["P570", "delta_exposure"] < 0 < g.loc["P570", "vol_exposure"]  # a long put: short delta, long vol
    assert g.loc["ESC", "premium"] < 0 and g.loc["ESC", "theta_day"] > 0  # a short call earns theta
    assert g.loc["VIXC", "vol_exposure"] == 0.0  # a VIX option's own vega is to the vol of vol
    t = book.greeks_table()
    assert t.loc["Book", "premium"] == pytest.approx(g["premium"].sum())
    assert t.loc["Book", "theta_year_nav"] == pytest.approx(g["theta_day"].sum() * 365 / NAV)


def test_typed_weights_and_betas_of_an_option_are_replaced() -> None:
    f = _frame()
    f.loc[f.ticker == "P570", ["weight", "equity", "vol"]] = [0.5, 7.0, 9.0]
    book = Book.from_frame(f, NAV, as_of=AS_OF, options=OptionInputs(rate=RATE, div=DIV))
    assert book.exposures()["exposure"].tolist() == pytest.approx(_option_book().exposures()["exposure"].tolist())


@pytest.mark.parametrize(
    "change,where,fragment",
    [
        ({"underlying": "NOPE"}, "underlying", "neither a position of the book nor an instrument"),
        ({"underlying": "ESC"}, "underlying", "is itself an option"),
        ({"strike": None}, "strike", "is blank"),
        ({"implied_vol": -0.2}, "implied_vol", "must be > 0"),
        ({"expiry": None}, "expiry", "expiry date"),
        ({"option_type": "straddle"}, "option_type", "call, put"),
        ({"option_model": "sabr"}, "option_model", "bs, black76"),
    ],
)
def test_bad_option_inputs_name_the_field(change: dict, where: str, fragment: str) -> None:
    f = _frame()
    for k, v in change.items():
        f.loc[f.ticker == "P570", k] = v
    with pytest.raises(InputError) as e:
        Book.from_frame(f, NAV, as_of=AS_OF)
    assert where in str(e.value.where) and "P570" in str(e.value.where) and fragment in e.value.message


def test_joint_scenarios_full_revaluation_against_quantlib() -> None:
    book = _option_book()
    sc = pd.DataFrame({"spx_move": [-0.2], "vix_move": [25.0]}, index=["stress"])
    out = book.joint_scenarios(sc).loc["stress"]
    # by hand, each underlying moving as its own betas say (Σ β_f·shock_f·scale_f): SPY by 1.0·(−20%)
    # + (−0.3)·25·0.01, ES (catalogue, equity beta 1) by −20%, VXF by (−0.2)·(−20%) + (100/18)·25·0.01;
    # the SPY put's and the ES call's implied vols +25 points (vol beta 1), the VIX calls' unchanged
    full = 0.0
    for p, s0, s1, dv, q in (
        (POSITIONS[2], 600.0, 600.0 * (1 - 0.2 - 0.3 * 0.25), 0.25, DIV),
        (POSITIONS[3], 6000.0, 6000.0 * 0.8, 0.25, DIV),
        (POSITIONS[4], 18.0, 18.0 * (1 + (-0.2) * (-0.2) + (100 / 18) * 25 * 0.01), 0.0, RATE),
    ):
        units = p["contracts"] * p.get("multiplier", 100.0)
        before = _ql(p["option_type"], s0, p["strike"], p["implied_vol"], p["expiry"], RATE, q).NPV()
        after = _ql(p["option_type"], s1, p["strike"], p["implied_vol"] + dv, p["expiry"], RATE, q).NPV()
        full += units * (after - before)
    assert out["options"] == pytest.approx(full, rel=1e-9)
    rest = NAV * ((0.6 * 1.0 + 0.01 * -0.2) * -0.2 + (0.6 * -0.3 + 0.01 * 100 / 18) * 25 * 0.01)
    assert out["book_ex_options"] == pytest.approx(rest, rel=1e-12)
    assert out["unhedged"] == pytest.approx(rest + full, rel=1e-12)
    assert out["hedges"] == 0.0 and out["hedged"] == out["unhedged"]  # no hedges given
    assert out["convexity"] == pytest.approx(out["options"] - out["options_delta_only"], rel=1e-12)
    assert out["convexity"] > 0  # long puts and long VIX calls dominate: convexity adds in a crash


@pytest.fixture(scope="module")
def saved_book(tmp_path_factory) -> Path:
    """A template book holding POSITIONS, built (and recomputed) by the template builder."""
    p = tmp_path_factory.mktemp("opt") / "options.xlsx"
    build_workbook(p, book=POSITIONS, nav=NAV, as_of=AS_OF)
    wb = load_workbook(p)  # the Instruments sheet's option rate and dividend yield
    names = FileBook(p).defined_names()
    for name, v in ((layout.OPTION_RATE, RATE), (layout.OPTION_DIV, DIV)):
        ref = parse_ref(names[name.upper()].lstrip("="))
        wb[ref.sheet].cell(row=ref.r1, column=ref.c1, value=v)
    wb.save(p)
    return p


def test_python_worksheet_function_and_recompute_agree(saved_book: Path, tmp_path: Path) -> None:
    path = tmp_path / "b.xlsx"
    path.write_bytes(saved_book.read_bytes())
    res = runner.invoke(app, ["recompute", str(path)])
    assert res.exit_code == 0, res.output
    py = xlhedge.read_book(path)
    frame = _option_book().exposures()["exposure"]
    e = py.exposures()["exposure"]
    assert e[["equity", "vol"]].tolist() == pytest.approx(frame[["equity", "vol"]].tolist(), rel=1e-12)
    assert (e.drop(["equity", "vol"]) == 0).all()
    fb = FileBook(path)
    names = fb.defined_names()

    def rng(name: str) -> list[list]:
        return fb.read(parse_ref(names[name.upper()].lstrip("=")))

    # the Book cells the recompute wrote, and the Exposures sheet's FACTOR_EXPOSURE over them
    tickers = rng(layout.BOOK_TICKERS)[0]
    weights = rng(layout.BOOK_WEIGHTS)[0]
    for t in ("P570", "ESC", "VIXC"):
        assert weights[tickers.index(t)] == pytest.approx(py.weights[t], rel=1e-12)
    sheet = [r[0] for r in rng("Exposures")]
    assert sheet[:6] == pytest.approx(py.exposures()["exposure"].tolist()[:6], rel=1e-12, abs=1e-15)
    # the worksheet function on the same cells: delta exposure of the put
    attrs = {r[0]: r[1:] for r in rng(layout.BOOK_ATTRIBUTE_BLOCK)}
    j = tickers.index("P570")
    row = OPTION_EXPOSURE(
        "put",
        200,
        100,
        600.0,
        attrs["Strike"][j],
        attrs["Implied vol"][j],
        (dt.date(2027, 3, 19) - AS_OF.date()).days / 365,
        NAV,
        RATE,
        DIV,
    )[0]
    assert row[0] == pytest.approx(py.weights["P570"], rel=1e-12)
    assert row[1] == pytest.approx(py.greeks.loc["P570", "vol_exposure"], rel=1e-12)
    # the Options sheet's Greeks table (the joint scenarios: tests/test_option_scenarios.py)
    greeks = fb.read(parse_ref(f"{osh.SHEET}!A{osh.GREEKS_ROW0}:I{osh.GREEKS_ROW0 + 3}"))
    table = py.greeks_table()
    for r in greeks:
        key = "Book" if r[0] == "Book (options)" else r[0]
        assert r[3:] == pytest.approx(table.loc[key].iloc[2:].astype(float).tolist(), rel=1e-12)
    # BOOK_GREEKS called directly on the block
    direct = BOOK_GREEKS(rng(layout.BOOK_ATTRIBUTE_BLOCK), NAV, AS_OF, RATE, DIV)
    assert [x for d in direct for x in d[3:]] == pytest.approx([x for g in greeks for x in g[3:]], rel=1e-12)


def test_estimate_never_overwrites_option_columns(saved_book: Path, tmp_path: Path) -> None:
    path = tmp_path / "e.xlsx"
    path.write_bytes(saved_book.read_bytes())
    csv = tmp_path / "px.csv"
    idx = pd.bdate_range("2024-01-01", periods=300)
    rng = np.random.default_rng(3)
    spx = 5000 * np.exp(np.cumsum(rng.normal(0, 0.01, 300)))
    frame = pd.DataFrame({"SPX": spx, "P570": spx * np.exp(rng.normal(0, 0.02, 300)), "SPY": spx / 10}, index=idx)
    frame.to_csv(csv, index_label="Date")
    before = xlhedge.read_book(path).betas["P570"].tolist()
    res = runner.invoke(app, ["estimate", str(path), "--prices", str(csv)])
    assert res.exit_code == 0, res.output
    fb = FileBook(path)
    names = fb.defined_names()
    betas = fb.read(parse_ref(names[layout.BOOK_BETAS.upper()].lstrip("=")))
    j = fb.read(parse_ref(names[layout.BOOK_TICKERS.upper()].lstrip("=")))[0].index("P570")
    assert [r[j] for r in betas][:6] == pytest.approx(before[:6], rel=1e-12)


def test_an_option_expiring_within_the_roll_window_is_roll_due(saved_book: Path) -> None:
    found = book_findings(FileBook(saved_book), today=dt.date(2027, 1, 10))
    roll = [f for f in found if f.code == "ROLL_DUE"]
    assert roll and any("ESC" in f.positions for f in roll), found


def test_report_json(saved_book: Path) -> None:
    res = runner.invoke(app, ["report", str(saved_book), "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    book = xlhedge.read_book(saved_book)
    assert doc["nav"] == NAV and doc["currency"] == "USD"
    keys = [e["factor"] for e in doc["exposures"]]
    assert keys[:6] == ["equity", "duration", "usd", "commodity", "crypto", "vol"]
    for e in doc["exposures"]:
        assert e["exposure"] == pytest.approx(float(book.exposures().loc[e["factor"], "exposure"]), rel=1e-12, abs=0)
        assert e["amount"] == pytest.approx(e["exposure"] * NAV, rel=1e-12, abs=1e-9)
    assert doc["greeks"]["book"]["premium"] == pytest.approx(float(book.greeks["premium"].sum()))
    assert {p["ticker"] for p in doc["greeks"]["options"]} == {"P570", "ESC", "VIXC"}
    assert [p["ticker"] for p in doc["positions"]] == list(book.positions.index)


def test_theta_of_the_protection_against_its_budget_bucket(saved_book: Path, tmp_path: Path) -> None:
    from xlhedge.calc.recompute import RecomputeOptions, recompute
    from xlhedge.engine.budget import hedge_budget

    book = _option_book()
    g = book.greeks
    assert g["bucket"].to_dict() == {"P570": "tail", "ESC": "cross_asset", "VIXC": "long_vol"}
    t = book.theta_budget(rate=0.03)
    budget = hedge_budget(NAV, 0.03)["amount"]
    for bucket, tk in (("tail", "P570"), ("long_vol", "VIXC"), ("cross_asset", "ESC")):
        assert t.loc[bucket, "theta_year"] == pytest.approx(-365 * g.loc[tk, "theta_day"])
        assert t.loc[bucket, "used"] == pytest.approx(t.loc[bucket, "theta_year"] / budget[bucket])
    assert t.loc["tail", "theta_year"] > 0 > t.loc["cross_asset", "theta_year"]  # a short call earns theta
    # the Options sheet's block, against the Budget sheet's budget column
    path = tmp_path / "t.xlsx"
    path.write_bytes(saved_book.read_bytes())
    fb = FileBook(path)
    recompute(fb, RecomputeOptions(write_status=False))  # the rate and dividend yield the fixture typed
    names = fb.defined_names()
    status = fb.read(parse_ref(names["BUDGETSTATUS"].lstrip("=")))
    sheet = fb.read(parse_ref(names["OPTIONTHETABUDGET"].lstrip("=")))
    py = xlhedge.read_book(saved_book).greeks
    by_label = {r[0]: r for r in sheet}
    tail = by_label["Tail protection"]
    assert tail[1] == pytest.approx(-365 * py.loc["P570", "theta_day"], rel=1e-12)
    assert tail[2] == next(r[2] for r in status if r[0] == "Tail protection")
    assert tail[3] == pytest.approx(tail[1] / tail[2], rel=1e-12)


def test_trades_view_side_of_an_option_is_the_contracts_held():
    """Long puts have a negative delta weight but are long contracts; short calls the reverse."""
    frame = pd.DataFrame(
        {
            "ticker": ["SPY", "P", "C"],
            "weight": [0.6, None, None],
            "price": [600.0, None, None],
            "equity": [1.0, None, None],
            "option_type": [None, "put", "call"],
            "underlying": [None, "SPY", "SPY"],
            "strike": [None, 570.0, 630.0],
            "implied_vol": [None, 0.19, 0.17],
            "contracts": [None, 20, -5],
            "multiplier": [None, 100, 100],
            "expiry": [None, dt.date(2027, 3, 19), dt.date(2027, 3, 19)],
        }
    )
    book = Book.from_frame(frame, 10_000_000, as_of=dt.datetime(2026, 11, 13), options=OptionInputs(rate=0.0, div=0.0))
    t = book.trades_view()
    assert book.weights["P"] < 0 and book.weights["C"] < 0  # both delta exposures are negative
    assert t.loc["P", "side"] == "long" and t.loc["C", "side"] == "short" and t.loc["SPY", "side"] == "long"
