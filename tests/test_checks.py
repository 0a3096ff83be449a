"""The common-mistakes checks (docs/methodology/checks.md, Cross-Asset Hedging §11): one book that triggers each check
and a near miss that does not; the worksheet function gives the same findings."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from xlhedge import InputError
from xlhedge.calc.bookread import book_from_io
from xlhedge.engine.checks import (
    CHECK_CODES,
    DEFAULT_TOLERANCES,
    FIXES,
    TOLERANCE_DOCS,
    Finding,
    findings_frame,
    run_checks,
    tolerances_table,
)
from xlhedge.engine.hedgebook import book_tables, hedge_state
from xlhedge.engine.schema import POSITION_FIELDS, factor_key
from xlhedge.functions.registry import registry

HC = registry()["HEDGE_CHECKS"]
TODAY = dt.date(2026, 11, 21)
FACTORS = ["equity", "duration", "usd", "commodity", "crypto", "vol", "technology", "energy"]


def pos(ticker, weight, **kw):
    """One position row; betas by factor name, everything else a field."""
    row = {"ticker": ticker, "weight": weight, "asset_class": "equity", "currency": "USD"}
    row.update(kw)
    return row


def base_rows():
    """A clean book: two tech longs hedged 45% with ES futures against a 50% target."""
    return [
        pos("AAPL", 0.30, equity=1.2, technology=0.3),
        pos("MSFT", 0.20, equity=1.0, technology=0.3),
        pos(
            "ESZ6",
            -0.25,
            asset_class="equity",
            is_hedge=True,
            equity=1.0,
            target_ratio=0.5,
            hedge_inception_ratio=0.5,
            price=5000.0,
            multiplier=50.0,
        ),
    ]


def frame(rows):
    df = pd.DataFrame(rows)
    for f in FACTORS:
        df[f] = df[f].fillna(0.0) if f in df else 0.0
    return df


def check(rows, ledger=None, code=None, **kw):
    kw.setdefault("today", TODAY)
    kw.setdefault("last_decomposition", TODAY - dt.timedelta(days=1))
    kw.setdefault("vol_levels", {"VIX": 20.0})
    kw.setdefault("nav", 1_000_000.0)
    found = run_checks(frame(rows), ledger=ledger, **kw)
    return [f for f in found if code is None or f.code == code]


def test_the_base_book_is_clean():
    assert check(base_rows()) == []


# ---------------------------------------------------------------- OVER_HEDGE


def test_over_hedge_factor_hedge_larger_than_exposure():
    rows = base_rows()
    rows[2]["weight"] = -0.60  # U = 0.56, H = -0.60: 107%
    (f,) = check(rows, code="OVER_HEDGE")
    assert f.severity == "error"
    assert "107%" in f.message and "ESZ6" in f.message and "-4.0% of NAV" in f.message
    assert f.positions == ("ESZ6",)
    assert f.fix == FIXES["OVER_HEDGE"]


def test_over_hedge_near_miss_at_98_percent():
    rows = base_rows()
    rows[2]["weight"] = -0.55  # 98%
    assert check(rows, code="OVER_HEDGE") == []


def test_over_hedge_one_hedge_per_position():
    rows = base_rows()[:2] + [pos("NVDA", 0.1, equity=1.8)]
    rows += [
        pos(f"{t}_PUT", -w * 0.5, is_hedge=True, hedge_for=t, equity=b)
        for t, w, b in (("AAPL", 0.36, 1.0), ("MSFT", 0.2, 1.0), ("NVDA", 0.18, 1.0))
    ]
    (f,) = check(rows, code="OVER_HEDGE")
    assert f.severity == "warning"
    assert f.positions == ("AAPL_PUT", "MSFT_PUT", "NVDA_PUT")
    assert "3 hedges each cover a single position" in f.message and "equity beta" in f.message


def test_over_hedge_two_single_position_hedges_are_tolerated():
    rows = base_rows()[:2]
    rows += [pos(f"{t}_PUT", -0.1, is_hedge=True, hedge_for=t, equity=1.0) for t in ("AAPL", "MSFT")]
    assert check(rows, code="OVER_HEDGE") == []


def test_over_hedge_on_a_factor_the_book_does_not_hold():
    rows = base_rows() + [
        pos("TLT", 0.10, asset_class="rates", is_hedge=True, duration=17.0, equity=-0.2, corr_stress=-0.1)
    ]
    (f,) = check(rows, code="OVER_HEDGE")
    assert f.severity == "error" and f.positions == ("TLT",)
    assert "+1.70 years of duration" in f.message
    # near miss: the same TLT declared as an equity diversifier is not a duration bet
    rows[-1]["hedge_factor"] = "equity"
    assert check(rows, code="OVER_HEDGE") == []


# ---------------------------------------------------------------- WRONG_FACTOR


def energy_book(tilt=1.0):
    return [
        pos("XOM", 0.15, equity=0.9, energy=tilt),
        pos("CVX", 0.15, equity=0.95, energy=tilt),
        pos("OXY", 0.10, equity=1.1, energy=tilt),
        pos("SPY_PUT", -0.20, asset_class="option", is_hedge=True, equity=1.0),
    ]


def test_wrong_factor_energy_book_hedged_with_spx_puts():
    (f,) = check(energy_book(), code="WRONG_FACTOR")
    assert f.severity == "warning"
    assert f.message.startswith("The book's energy tilt is +40.0% of NAV (XOM, CVX, OXY) and unhedged")
    assert "SPY_PUT" in f.message and "sits on equity beta" in f.message
    assert f.positions == ("XOM", "CVX", "OXY", "SPY_PUT")


def test_wrong_factor_near_miss_small_tilt():
    # energy tilt 0.3 -> 12% of NAV, below 0.75 × the hedged equity exposure (38.75%)
    assert check(energy_book(tilt=0.3), code="WRONG_FACTOR") == []


def test_wrong_factor_near_miss_hedged_with_xle():
    rows = energy_book()
    rows[-1] = pos("XLE", -0.20, is_hedge=True, equity=1.0, energy=1.0)
    assert check(rows, code="WRONG_FACTOR") == []


# ---------------------------------------------------------------- FX_UNDECIDED


def test_fx_undecided_by_currency():
    rows = base_rows() + [
        pos("SAP", 0.03, currency="EUR", equity=1.1),
        pos("ASML", 0.02, currency="EUR", equity=1.3),
        pos("AMRZ", 0.01, fx_currency="CHF", fx_share=0.6, equity=1.0),
    ]
    found = check(rows, code="FX_UNDECIDED")
    assert [(f.severity, f.positions) for f in found] == [("warning", ("SAP", "ASML")), ("info", ("AMRZ",))]
    assert found[0].message.startswith(
        "EUR exposure of +5.0% of NAV (SAP +3.0%, ASML +2.0%) has no recorded FX decision"
    )
    assert "+0.60% of NAV (AMRZ +0.60%)" in found[1].message


def test_fx_undecided_near_miss_decisions_recorded():
    rows = base_rows() + [
        pos("SAP", 0.03, currency="EUR", equity=1.1, fx_decision="Accept as thesis"),
        pos("ASML", 0.02, currency="EUR", equity=1.3, fx_decision="hedge"),
        pos("6E", -0.05, currency="EUR", is_hedge=True, usd=-1.0),
    ]
    assert check(rows, code="FX_UNDECIDED") == []
    # the record currency is a parameter: in a EUR book the USD names are the FX exposure
    assert [f.positions for f in check(rows, code="FX_UNDECIDED", record_currency="EUR")] == [("AAPL", "MSFT")]


def test_fx_decision_must_be_a_known_choice():
    rows = base_rows() + [pos("SAP", 0.03, currency="EUR", fx_decision="maybe")]
    with pytest.raises(InputError, match="FX decision of SAP.*hedge, accept, avoid"):
        check(rows)


# ---------------------------------------------------------------- LATE_PROTECTION

LEDGER_HEAD = ["Date", "Instrument", "Bucket", "Premium", "Vol index", "Vol level"]


def test_late_protection_bought_with_vix_above_28():
    ledger = [
        LEDGER_HEAD,
        [dt.date(2026, 4, 8), "SPX 4800P", "Tail protection", 6500, "VIX", 28.5],
        [dt.date(2026, 4, 9), "TLT calls", "cross-asset", 900, "MOVE", 140],
    ]
    found = check(base_rows(), ledger, code="LATE_PROTECTION")
    assert [f.positions for f in found] == [("SPX 4800P",), ("TLT calls",)]
    assert found[0].message == (
        "SPX 4800P (tail protection) was bought on 2026-04-08 for $6,500 with VIX at 28.5, above 28: "
        "protection bought after the move is at its most expensive."
    )
    assert "MOVE at 140, above 125" in found[1].message


def test_late_protection_near_misses():
    ledger = [
        LEDGER_HEAD,
        [dt.date(2026, 4, 8), "SPX 4800P", "tail", 6500, "VIX", 28.0],  # boundary: normal
        [dt.date(2026, 4, 8), "sold calls", "tail", -800, "VIX", 35.0],  # monetising is right in high vol
        [dt.date(2025, 10, 1), "old puts", "tail", 500, "VIX", 35.0],  # outside the look-back
        [dt.date(2026, 4, 8), "cash", "rebalance", 500, "VIX", 35.0],
    ]  # the reserve is not protection
    assert check(base_rows(), ledger, code="LATE_PROTECTION") == []


def test_late_protection_uses_todays_level_for_todays_purchase():
    ledger = [LEDGER_HEAD, [TODAY, "SPX puts", "tail", 100, None, None]]
    assert check(base_rows(), ledger, code="LATE_PROTECTION", vol_levels={"VIX": 27.0}) == []
    (f,) = check(base_rows(), ledger, code="LATE_PROTECTION", vol_levels={"VIX": 31.0})
    assert "VIX at 31" in f.message


# ---------------------------------------------------------------- STALE_HEDGE


def test_stale_hedge_drift_beyond_ten_points():
    rows = base_rows()
    rows[2]["weight"] = -0.34  # 0.34 / 0.56 = 60.7% against 50%
    (f,) = check(rows, code="STALE_HEDGE")
    assert f.message == (
        "The equity beta hedge (ESZ6) now covers 61% of the book's +56.0% of NAV against a 50% target: "
        "+11 pp, beyond the 10 pp tolerance."
    )


def test_stale_hedge_drift_near_miss():
    rows = base_rows()
    rows[2]["weight"] = -0.33  # 58.9%: +8.9 pp
    assert check(rows, code="STALE_HEDGE") == []


def test_stale_hedge_target_falls_back_to_the_inception_ratio():
    rows = base_rows()
    rows[2].update(target_ratio=np.nan, hedge_inception_ratio=0.30)  # 44.6% vs 30%
    (f,) = check(rows, code="STALE_HEDGE")
    assert "against a 30% target: +15 pp" in f.message


def test_stale_hedge_not_decomposed_for_eight_days():
    (f,) = check(base_rows(), code="STALE_HEDGE", last_decomposition=TODAY - dt.timedelta(days=8))
    assert f.message.startswith("The book was last decomposed on 2026-11-13, 8 days ago (limit 7 days)")
    assert f.positions == ("ESZ6",)
    assert check(base_rows(), code="STALE_HEDGE", last_decomposition=TODAY - dt.timedelta(days=7)) == []
    (f,) = check(base_rows(), code="STALE_HEDGE", last_decomposition=None)
    assert "no last-decomposition date" in f.message


# ---------------------------------------------------------------- STRESS_FLIP


def test_stress_flip_long_tlt_as_equity_hedge():
    rows = base_rows() + [
        pos("TLT", 0.10, asset_class="rates", is_hedge=True, hedge_factor="equity", duration=17.0, equity=-0.2)
    ]
    (f,) = check(rows, code="STRESS_FLIP")
    assert f.message == (
        "TLT (long 10.0% of NAV) is meant to offset the book's equity risk, but its correlation to SPX turns "
        "+0.40 in stress (normal -0.30): it loses with the book when it is needed."
    )


def test_stress_flip_near_misses():
    gold = pos("GLD", 0.05, asset_class="commodity", is_hedge=True, hedge_factor="equity", commodity=1.0)
    assert check(base_rows() + [gold], code="STRESS_FLIP") == []  # gold: −0.2 in stress
    own = pos(
        "TLT",
        0.10,
        asset_class="rates",
        is_hedge=True,
        hedge_factor="equity",
        duration=17.0,
        corr_normal=-0.3,
        corr_stress=-0.05,
    )  # the user's own stress estimate keeps the sign
    assert check(base_rows() + [own], code="STRESS_FLIP") == []


# ---------------------------------------------------------------- ROLL_DUE


@pytest.mark.parametrize("days, severity", [(5, "warning"), (0, "warning"), (-1, "error"), (6, None)])
def test_roll_due(days, severity):
    rows = base_rows()
    rows[2]["expiry"] = TODAY + dt.timedelta(days=days)
    found = check(rows, code="ROLL_DUE")
    assert [f.severity for f in found] == ([severity] if severity else [])
    if days == 5:
        assert found[0].message == (
            "ESZ6 expires on 2026-11-26, in 5 days (roll window 5 days): roll the hedge out now."
        )


def test_roll_due_reads_only_dated_positions_with_a_weight():
    """Undated rows (blank, NaN) and a zero-weight dated row give nothing; each dated row its own finding."""
    rows = base_rows() + [
        pos("CLZ6", 0.05, asset_class="commodity", commodity=1.0, expiry=TODAY - dt.timedelta(days=3)),
        pos("NGZ6", 0.0, asset_class="commodity", commodity=1.0, expiry=TODAY),
        pos("XOM", 0.05, energy=1.0, expiry=float("nan")),
    ]
    rows[2]["expiry"] = TODAY + dt.timedelta(days=1)
    found = check(rows, code="ROLL_DUE")
    assert [(f.positions, f.severity) for f in found] == [(("CLZ6",), "error"), (("ESZ6",), "warning")]
    assert found[0].message == (
        "CLZ6 expired on 2026-11-18, 3 days ago: the position the book counts on is no longer there."
    )
    assert "in 1 day (" in found[1].message


# ---------------------------------------------------------------- FUNDING_DRAG


def perp(rate, weight=-0.10):
    return base_rows() + [pos("BTC-PERP", weight, asset_class="crypto", is_hedge=True, crypto=1.0, funding_rate=rate)]


def test_funding_drag_short_paying_negative_funding():
    # −0.01% per 8h, short: pays 0.0001 × 3 × 365 = 10.95% a year > 10%
    (f,) = check(perp(-0.0001), code="FUNDING_DRAG")
    assert f.message == (
        "BTC-PERP (short 10.0% of NAV) pays funding at -0.0100% per period: 11.0% a year of its value, "
        "1.10% of NAV, about $10,950 a year."
    )


def test_funding_drag_near_misses():
    assert check(perp(-0.00009), code="FUNDING_DRAG") == []  # 9.9% a year
    assert check(perp(+0.0005), code="FUNDING_DRAG") == []  # positive funding: the short earns it
    assert len(check(perp(+0.0005, weight=0.10), code="FUNDING_DRAG")) == 1  # ... and a long pays it


# ---------------------------------------------------------------- LIQUIDATION_NEAR


@pytest.mark.parametrize("liq, severity", [(114.0, "warning"), (116.0, None), (104.0, "error"), (99.0, "error")])
def test_liquidation_near_short(liq, severity):
    rows = base_rows() + [
        pos("ETH-PERP", -0.05, is_hedge=True, crypto=1.0, price=100.0, liquidation_price=liq, daily_vol=0.04)
    ]
    found = check(rows, code="LIQUIDATION_NEAR")
    assert [f.severity for f in found] == ([severity] if severity else [])
    if liq == 114.0:
        assert "is 14.0% from its liquidation price 114.00, 3.5 daily σ" in found[0].message
    if liq == 99.0:
        assert "is past its liquidation price" in found[0].message


def test_liquidation_near_long():
    rows = base_rows() + [pos("BTC-LONG", 0.05, crypto=1.0, price=100.0, liquidation_price=90.0)]
    (f,) = check(rows, code="LIQUIDATION_NEAR")
    assert f.severity == "warning" and "(long)" in f.message


# ---------------------------------------------------------------- all together


def kitchen_sink():
    rows = energy_book() + [
        pos("SAP", 0.05, currency="EUR", equity=1.1),
        pos("TLT", 0.10, asset_class="rates", is_hedge=True, hedge_factor="equity", duration=17.0, equity=-0.2),
        pos(
            "BTC-PERP",
            -0.05,
            asset_class="crypto",
            is_hedge=True,
            crypto=1.0,
            funding_rate=-0.0002,
            price=60_000.0,
            liquidation_price=62_000.0,
            expiry=TODAY + dt.timedelta(days=2),
        ),
        pos("BTC", 0.04, asset_class="crypto", crypto=1.0),
    ]
    ledger = [LEDGER_HEAD, [dt.date(2026, 3, 10), "SPY 450P", "tail", 5000, "VIX", 31.2]]
    return rows, ledger


def test_every_check_fires_on_one_book_errors_first():
    rows, ledger = kitchen_sink()
    # the options' theta against the budget (the rows of OPTION_THETA_BUDGET): 12,000 a year on 9,000
    theta = [["Tail protection", 12_000.0, 9_000.0, 12 / 9, "SPY 450P"]]
    found = check(rows, ledger, last_decomposition=TODAY - dt.timedelta(days=20), theta=theta)
    assert {f.code for f in found} == set(CHECK_CODES)
    (bleed,) = [f for f in found if f.code == "THETA_OVER_BUDGET"]
    assert "133% of its $9,000 annual budget" in bleed.message and bleed.positions == ("SPY 450P",)
    (over,) = [f for f in found if f.code == "OVER_HEDGE"]  # BTC-PERP −5% against BTC +4%
    assert "125%" in over.message and over.positions == ("BTC-PERP",)
    sev = [f.severity for f in found]
    assert sev == sorted(sev, key=["error", "warning", "info"].index)
    assert all(f.fix == FIXES[f.code] for f in found)
    assert all(f.message.endswith(".") and f.positions for f in found)


def test_tolerances_are_editable():
    rows = base_rows()
    rows[2]["weight"] = -0.33  # +8.9 pp
    assert check(rows, code="STALE_HEDGE", tolerances={"drift_pp": 5}) != []
    assert check(rows, code="STALE_HEDGE", tolerances={"Hedge ratio drift tolerance": 5}) != []
    with pytest.raises(InputError, match="unknown tolerance"):
        check(rows, tolerances={"drift": 5})
    with pytest.raises(InputError, match="liquidation_error must be"):
        check(rows, tolerances={"liquidation_error": 0.5})
    t = tolerances_table()
    assert list(t["key"]) == list(DEFAULT_TOLERANCES)


def test_findings_frame_and_rows():
    rows, ledger = kitchen_sink()
    found = check(rows, ledger)
    df = findings_frame(found)
    assert list(df.columns) == ["code", "severity", "message", "positions", "fix"]
    assert df.shape[0] == len(found)
    assert str(Finding("ROLL_DUE", "warning", "x.")) == "WARNING ROLL_DUE: x."


# ---------------------------------------------------------------- the worksheet function


LABELS = {f.key: f.label for f in POSITION_FIELDS}


def book_sheet(rows):
    """The same book laid out as the Book sheet: labels in column A, one column per position."""
    df = frame(rows)
    fields = [c for c in df.columns if c not in FACTORS]
    label = {**LABELS, "weight": "Weight (× NAV)", "currency": "Currency (listing)", "fx_share": "FX share (0–1)"}

    def cell(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, dt.date):
            return dt.datetime(v.year, v.month, v.day)
        return v

    positions = [[label[f]] + [cell(v) for v in df[f]] for f in fields]
    positions.insert(2, ["Sector"] + ["x"] * len(df))  # a row the checks do not read
    betas = [
        [{"equity": "Equity beta (SPX)", "duration": "Rate duration (years)"}.get(f, f"{f.title()} tilt")]
        + df[f].tolist()
        for f in FACTORS
    ]
    return positions, betas


def test_worksheet_function_gives_the_python_findings():
    rows, ledger = kitchen_sink()
    positions, betas = book_sheet(rows)
    settings = [
        ["NAV", 1_000_000],
        ["Currency of record", "USD"],
        ["As of (last decomposition date)", dt.datetime(2026, 11, 1)],
        ["Today", dt.datetime(2026, 11, 21)],
        ["VIX", 20.0],
        ["MOVE", None],
    ]
    cells = HC.call(positions, betas, settings, ledger)
    python = check(rows, ledger, last_decomposition=dt.date(2026, 11, 1))
    assert cells == [f.as_row() for f in python]
    assert len(cells) >= 8


def test_worksheet_function_no_findings_and_errors():
    positions, betas = book_sheet(base_rows())
    settings = [["NAV", 1e6], ["Today", dt.datetime(2026, 11, 21)], ["Last decomposition", dt.datetime(2026, 11, 20)]]
    assert HC.call(positions, betas, settings) == [["", "", "No findings.", "", ""]]
    bad = [list(r) for r in positions]
    (w,) = [r for r in bad if r[0].startswith("Weight")]
    w[1] = "heavy"  # a weight that is text
    assert HC.call(bad, betas, settings) == (
        "#VALUE! HEDGE_CHECKS: Weight of AAPL: expected a number, found text 'heavy'"
    )
    assert HC.call(positions, betas, [["Navv", 1]]).startswith("#VALUE! HEDGE_CHECKS: settings has an unknown label")


def test_book_tables_reads_both_shapes_alike():
    rows, _ = kitchen_sink()
    f1, b1 = book_tables(frame(rows))
    f2, b2 = book_tables(*book_sheet(rows))
    pd.testing.assert_frame_equal(b1[FACTORS].astype(float), b2[FACTORS])
    assert f1["weight"].tolist() == f2["weight"].tolist()
    assert f1["expiry"].tolist() == f2["expiry"].tolist()
    assert factor_key("Energy tilt") == "energy" and factor_key("Equity beta (SPX)") == "equity"


def test_hedge_state_by_hand():
    f, b = book_tables(frame(base_rows()))
    s = hedge_state(f, b)
    assert s.at["equity", "exposure"] == pytest.approx(0.56)
    assert s.at["equity", "hedge"] == pytest.approx(-0.25)
    assert s.at["equity", "ratio"] == pytest.approx(0.25 / 0.56)
    assert s.at["equity", "drift_pp"] == pytest.approx((0.25 / 0.56 - 0.5) * 100)
    assert s.at["equity", "main_hedge"] == "ESZ6"
    assert np.isnan(s.at["duration", "ratio"])


def test_worksheet_function_pads_and_truncates_to_rows():
    rows, ledger = kitchen_sink()
    positions, betas = book_sheet(rows)
    settings = [["Today", dt.datetime(2026, 11, 21)], ["Last decomposition", dt.datetime(2026, 11, 1)], ["VIX", 20]]
    full = HC.call(positions, betas, settings, ledger)
    padded = HC.call(positions, betas, settings, ledger, None, len(full) + 3)
    assert padded[: len(full)] == full and padded[len(full) :] == [[None] * 5] * 3
    cut = HC.call(positions, betas, settings, ledger, None, 3)
    assert cut[:2] == full[:2] and len(cut) == 3
    assert cut[2][0] == "MORE" and cut[2][2].startswith(f"{len(full) - 2} more findings")


# ---------------------------------------------------------------- the Checks sheet and `xlhedge check`

import json  # noqa: E402

import openpyxl  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from xlhedge.calc.bookread import book_findings  # noqa: E402
from xlhedge.calc.refs import parse_ref  # noqa: E402
from xlhedge.cli import app  # noqa: E402
from xlhedge.template import build_workbook  # noqa: E402
from xlhedge.template import checks_sheet as cs  # noqa: E402
from xlhedge.workbook.filebook import FileBook  # noqa: E402

#: The example book's findings (Figure 01's book, the Budget sheet's example ledger, check date 2026-11-21).
EXAMPLE_FINDINGS = [
    (
        "LATE_PROTECTION",
        "warning",
        "SPX Jun26 4800P (tail protection) was bought on 2026-04-08 for $6,500 with VIX at 31.5, above 28: "
        "protection bought after the move is at its most expensive.",
    ),
    (
        "STALE_HEDGE",
        "warning",
        # Figure 01's book flags no position as a hedge (the example book, whose SPY put is one, says
        # "the hedges are sized")
        "The book was last decomposed on 2026-11-13, 8 days ago (limit 7 days): any hedge would be sized on "
        "stale exposures.",
    ),
    (
        "FX_UNDECIDED",
        "info",
        "AUD exposure of +0.45% of NAV (IPX +0.45%) has no recorded FX decision: part of its P&L will be the "
        "AUD/USD move.",
    ),
    (
        "FX_UNDECIDED",
        "info",
        "CHF exposure of +0.60% of NAV (AMRZ +0.60%) has no recorded FX decision: part of its P&L will be the "
        "CHF/USD move.",
    ),
]


@pytest.fixture(scope="module")
def example_book(tmp_path_factory):
    return build_workbook(tmp_path_factory.mktemp("ex") / "example.xlsx", example="figure01")


@pytest.fixture(scope="module")
def error_book(tmp_path_factory):
    book = (
        dict(
            ticker="SPY",
            asset_class="equity",
            instrument="etf",
            currency="USD",
            is_hedge=False,
            weight=0.5,
            betas={"equity": 1.0},
        ),
        dict(
            ticker="ES",
            asset_class="equity",
            instrument="future",
            currency="USD",
            is_hedge=True,
            weight=-0.8,
            betas={"equity": 1.0},
        ),
    )
    return build_workbook(tmp_path_factory.mktemp("err") / "err.xlsx", book=book, nav=1_000_000.0)


def _sheet_findings(path):
    fb = FileBook(path)
    rows = fb.read(parse_ref(f"Checks!A{cs.FINDINGS_ROW0}:E{cs.FINDINGS_LAST}"))
    return [tuple(r) for r in rows if r[0]]


def test_example_book_findings_are_pinned(example_book):
    found = book_findings(FileBook(example_book))
    assert [(f.code, f.severity, f.message) for f in found] == EXAMPLE_FINDINGS
    assert len({f.code for f in found}) >= 3  # a newcomer sees several kinds


def test_same_findings_from_python_the_sheet_and_the_cli(example_book):
    python = [tuple(f.as_row()) for f in book_findings(FileBook(example_book))]
    assert _sheet_findings(example_book) == python  # =HEDGE_CHECKS as recomputed in the file
    res = CliRunner().invoke(app, ["check", str(example_book), "--json"])
    assert res.exit_code == 0, res.output
    cli = [
        (d["code"], d["severity"], d["message"], ", ".join(d["positions"]), d["fix"]) for d in json.loads(res.output)
    ]
    assert cli == python
    res = CliRunner().invoke(app, ["check", str(example_book)])
    assert res.exit_code == 0
    flat = " ".join(res.output.split())  # the counts line wraps at the terminal's width
    assert "LATE_PROTECTION" in flat and "4 findings — 0 errors, 2 warnings, 2 info." in flat


def test_check_exits_1_on_an_error_finding(error_book):
    res = CliRunner().invoke(app, ["check", str(error_book)])
    assert res.exit_code == 1
    assert "ERROR   OVER_HEDGE The equity beta hedge (ES, -80.0% of NAV) is 160%" in res.output
    assert _sheet_findings(error_book)[0][:2] == ("OVER_HEDGE", "error")


def test_check_strict_and_bad_input(example_book, tmp_path):
    assert CliRunner().invoke(app, ["check", str(example_book), "--strict"]).exit_code == 1
    res = CliRunner().invoke(app, ["check", str(example_book), "--today", "2026-11-15", "--json"])
    assert "STALE_HEDGE" not in res.output  # 2 days after the last decomposition
    res = CliRunner().invoke(app, ["check", str(tmp_path / "missing.xlsx")])
    assert res.exit_code == 2 and "Traceback" not in res.output
    before = example_book.read_bytes()
    CliRunner().invoke(app, ["check", str(example_book)])
    assert example_book.read_bytes() == before  # check never writes


def test_checks_sheet_structure(example_book):
    wb = openpyxl.load_workbook(example_book)
    ws = wb["Checks"]
    rules = ws.conditional_formatting
    formulas = [r.formula[0] for cf in rules for r in cf.rules]
    for sev in ("error", "warning", "info"):
        assert f'$B{cs.FINDINGS_ROW0}="{sev}"' in formulas
    for name in ("CheckSettings", "CheckTolerances", "BookAttributeBlock", "BookFactorBlock", "HedgeLedger"):
        assert name in wb.defined_names
    labels = [ws.cell(row=r, column=1).value for r in range(cs.TOL_ROW0, cs.TOL_LAST + 1)]
    assert labels == [TOLERANCE_DOCS[k][0] for k in DEFAULT_TOLERANCES]


def test_recompute_refills_the_checks_sheet_after_an_edit(example_book, tmp_path):
    path = tmp_path / "edited.xlsx"
    path.write_bytes(example_book.read_bytes())
    fb = FileBook(path)
    tol = [k for k in DEFAULT_TOLERANCES].index("decomposition_days")
    fb.write_input(parse_ref(f"Checks!B{cs.TOL_ROW0 + tol}"), [[10.0]])  # re-decompose every 10 days
    fb.save()
    res = CliRunner().invoke(app, ["recompute", str(path)])
    assert res.exit_code == 0, res.output
    codes = [r[0] for r in _sheet_findings(path)]
    assert codes == ["LATE_PROTECTION", "FX_UNDECIDED", "FX_UNDECIDED"]


def test_wrong_factor_token_hedge_on_the_dominant_factor_does_not_close_it():
    rows = energy_book() + [pos("XLE", -0.03, is_hedge=True, equity=1.0, energy=1.0, hedge_factor="energy")]
    (f,) = check(rows, code="WRONG_FACTOR")  # XLE covers 3 of the 40 points of energy: 7.5% < 25%
    assert "energy tilt is +40.0% of NAV" in f.message


def test_descriptive_dataframe_columns_are_not_betas():
    rows = base_rows()
    rows[0].update(sector="Technology", instrument="stock", notes="core")
    assert check(rows) == []


# --------------------------------------------------------------------------- the Book sheet's hedge rows
from xlhedge.calc.layout import (  # noqa: E402
    ATTRIBUTES,
    FACTOR_ROW0,
    FIRST_POSITION_COL,
    LAST_FACTOR_ROW,
    WEIGHT_ROW,
    BookLayout,
    attribute_row,
)
from xlhedge.engine.schema import field_key as _field_key  # noqa: E402

HEDGE_ROWS_BOOK = (
    dict(
        ticker="SPY",
        asset_class="equity",
        instrument="etf",
        currency="USD",
        is_hedge=False,
        weight=0.5,
        betas={"equity": 1.0},
    ),
    dict(
        ticker="NESN",
        asset_class="equity",
        instrument="stock",
        currency="CHF",
        is_hedge=False,
        weight=0.1,
        fx_decision="accept",
        betas={"equity": 0.8},
    ),
    dict(
        ticker="SAP",
        asset_class="equity",
        instrument="stock",
        currency="EUR",
        is_hedge=False,
        weight=0.1,
        betas={"equity": 1.1},
    ),
    dict(
        ticker="ES",
        asset_class="equity",
        instrument="future",
        currency="USD",
        is_hedge=True,
        weight=-0.3,
        hedge_factor="equity",
        hedge_inception_ratio=0.5,
        target_ratio=0.5,
        hedge_date=dt.datetime(2026, 11, 2),
        expiry=dt.datetime(2026, 11, 20),
        price=5000.0,
        multiplier=50,
        betas={"equity": 1.0},
    ),
    dict(
        ticker="BTC-PERP",
        asset_class="crypto",
        instrument="perp",
        currency="USD",
        is_hedge=False,
        weight=0.05,
        price=60000.0,
        liquidation_price=54000.0,
        funding_rate=0.0005,
        daily_vol=0.03,
        betas={"crypto": 1.0},
    ),
)


def test_every_book_row_label_is_read_as_its_field():
    """The checks match Book rows by label: each attribute row must land on the field of its key."""
    read = {f.key for f in POSITION_FIELDS}
    for att in ATTRIBUTES:
        if att.key in read:
            assert _field_key(att.label) == att.key, att.label
    assert {a.key for a in ATTRIBUTES} - read == {"instrument", "sector"}  # descriptive rows only


def test_hedge_rows_in_a_built_book_reach_the_checks_and_the_book(tmp_path):
    path = build_workbook(tmp_path / "hedged.xlsx", book=HEDGE_ROWS_BOOK, nav=1_000_000.0)
    found = book_findings(FileBook(path), today=dt.date(2026, 11, 16))
    assert [(f.code, f.positions) for f in found] == [
        ("FX_UNDECIDED", ("SAP",)),  # NESN's CHF is decided ("accept")
        ("STALE_HEDGE", ("ES",)),  # no last-decomposition date; ES at 43% against its 50% target is within 10 pp
        ("ROLL_DUE", ("ES",)),
        ("FUNDING_DRAG", ("BTC-PERP",)),
        ("LIQUIDATION_NEAR", ("BTC-PERP",)),
    ]
    msgs = {f.code: f.message for f in found}
    assert "has no last-decomposition date" in msgs["STALE_HEDGE"]
    assert "in 4 days" in msgs["ROLL_DUE"]
    assert "+0.0500% per period: 54.8% a year" in msgs["FUNDING_DRAG"]  # 0.05% × 3 × 365
    assert "10.0% from its liquidation price 54,000.00, 3.3 daily σ" in msgs["LIQUIDATION_NEAR"]

    b = book_from_io(FileBook(path))
    es = b.positions.loc["ES"]
    assert (es["price"], es["multiplier"], es["target_ratio"], es["hedge_factor"]) == (5000.0, 50.0, 0.5, "equity")
    assert es["expiry"] == dt.datetime(2026, 11, 20) and es["hedge_date"] == dt.datetime(2026, 11, 2)
    assert np.isnan(b.positions.loc["SPY", "multiplier"])  # blank: the checks take 1
    assert b.positions.loc["BTC-PERP", "funding_rate"] == 0.0005

    ws = openpyxl.load_workbook(path)["Book"]
    c = FIRST_POSITION_COL + 3
    assert ws.cell(row=attribute_row("expiry"), column=c).number_format == "yyyy-mm-dd"
    assert ws.cell(row=attribute_row("funding_rate"), column=c).number_format == "0.0000%"
    dvs = {dv.formula1: dv for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert dvs['"hedge,accept,avoid"'].errorStyle in (None, "stop")
    assert dvs['"equity,duration,usd,commodity,crypto,vol"'].errorStyle == "warning"  # a tilt name is allowed


def test_a_non_number_in_a_numeric_book_row_names_the_cell(tmp_path):
    rows = list(HEDGE_ROWS_BOOK)
    rows[3] = {**rows[3], "price": "n/a"}
    path = build_workbook(tmp_path / "bad.xlsx", book=tuple(rows), nav=1_000_000.0)
    with pytest.raises(InputError, match=rf"Price at Book!E{attribute_row('price')} \(ES\): expected a number"):
        book_from_io(FileBook(path))


def test_check_reads_a_book_with_the_older_shorter_layout(error_book, tmp_path):
    """A book saved before the hedge rows and the block names: the blocks come from its own names."""
    from openpyxl.workbook.defined_name import DefinedName

    from xlhedge.calc.recompute import RecomputeOptions, recompute

    expected = [(f.code, f.message) for f in book_findings(FileBook(error_book))]
    assert expected[0][0] == "OVER_HEDGE"
    wb = openpyxl.load_workbook(error_book)
    first = attribute_row("fx_decision")  # the hedge rows were appended after FX share
    k = len(ATTRIBUTES) - [a.key for a in ATTRIBUTES].index("fx_decision")
    wb["Book"].delete_rows(first, k)
    for name in [a.sheet_name for a in ATTRIBUTES[-k:]] + [
        "BookAttributeBlock",
        "BookFactorBlock",
        "BookWeights",
        "BookBetas",
    ]:
        del wb.defined_names[name]
    z = BookLayout().last_col
    wb.defined_names["BookWeights"] = DefinedName(
        "BookWeights", attr_text=f"Book!$B${WEIGHT_ROW - k}:${z}${WEIGHT_ROW - k}"
    )
    wb.defined_names["BookBetas"] = DefinedName(
        "BookBetas", attr_text=f"Book!$B${FACTOR_ROW0 - k}:${z}${LAST_FACTOR_ROW - k}"
    )
    old = tmp_path / "old.xlsx"
    wb.save(old)
    fb = FileBook(old)
    recompute(fb, RecomputeOptions(write_status=False))
    assert [(f.code, f.message) for f in book_findings(fb)] == expected
