"""Rebalance the hedge ratios back to target (Cross-Asset Hedging §11 mistake 5: the weekly discipline)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlhedge import InputError
from xlhedge.engine.rebalance import rebalance
from xlhedge.functions.registry import registry

from .test_checks import book_sheet, frame, pos

RB = registry()["REBALANCE"]
NAV = 100_000_000.0


def book(hedge_weight=-0.25):
    return [
        pos("AAPL", 0.30, equity=1.2),
        pos("MSFT", 0.20, equity=1.0),
        pos("IEF", 0.50, asset_class="rates", duration=7.5),
        pos("ESZ6", hedge_weight, is_hedge=True, equity=1.0, target_ratio=0.5, price=5000.0, multiplier=50.0),
        pos("TLT", -0.10, asset_class="rates", is_hedge=True, duration=17.0, target_ratio=0.6, price=90.0),
    ]


def test_orders_by_hand():
    r = rebalance(frame(book()), nav=NAV)
    assert list(r.index) == ["equity", "duration"]
    eq = r.loc["equity"]
    # U = 0.56, H = −0.25, target 50%: H* = −0.28, ΔH = −0.03 → −$3,000,000 of ES at 5000 × $50 = −12
    assert eq["ratio"] == pytest.approx(0.25 / 0.56)
    assert eq["drift_pp"] == pytest.approx((0.25 / 0.56 - 0.5) * 100)
    assert not eq["flag"]
    assert eq["notional_change"] == pytest.approx(-3_000_000)
    assert (eq["instrument"], eq["side"], eq["contracts"]) == ("ESZ6", "sell", -12.0)
    assert eq["ratio_after"] == pytest.approx(0.5)
    du = r.loc["duration"]
    # U = 3.75 years, H = −1.7, target 60%: H* = −2.25, ΔH = −0.55 years·NAV
    # → −55,000,000 / (90 × 17) = −35,947.7 TLT shares → sell 35,948
    assert du["ratio"] == pytest.approx(1.7 / 3.75)
    assert du["drift_pp"] == pytest.approx((1.7 / 3.75 - 0.6) * 100)
    assert du["flag"]  # −14.7 pp
    assert (du["side"], du["contracts"]) == ("sell", -35_948.0)
    assert du["ratio_after"] == pytest.approx((1.7 + 35_948 * 90 * 17 / NAV) / 3.75)  # rounding residual


def test_tolerance_and_targets_and_instruments():
    r = rebalance(frame(book()), nav=NAV, tolerance_pp=5)
    assert r.loc["equity", "flag"]  # −5.4 pp beyond 5
    r = rebalance(frame(book()), nav=NAV, targets={"Equity beta (SPX)": 0.25 / 0.56})
    assert r.loc["equity", "drift_pp"] == pytest.approx(0, abs=1e-9)
    assert r.loc["equity", "contracts"] == 0 and r.loc["equity", "side"] == ""
    r = rebalance(frame(book()), nav=NAV, instruments={"equity": {"instrument": "MES", "price": 5000, "multiplier": 5}})
    assert (r.loc["equity", "instrument"], r.loc["equity", "contracts"]) == ("MES", -120.0)
    with pytest.raises(InputError, match="targets"):
        rebalance(frame(book()), nav=NAV, targets={"gold": 0.5})
    with pytest.raises(InputError, match="nav"):
        rebalance(frame(book()), nav=0)
    for bad in (None, float("inf"), "a lot"):
        with pytest.raises(InputError, match="nav"):
            rebalance(frame(book()), nav=bad)
    # a numpy integer (a NAV read from an array) is a NAV like any other
    pd.testing.assert_frame_equal(rebalance(frame(book()), nav=np.int64(NAV)), rebalance(frame(book()), nav=NAV))


def test_a_factor_without_target_gets_no_order():
    rows = book()
    rows[3]["target_ratio"] = np.nan
    r = rebalance(frame(rows), nav=NAV)
    assert math.isnan(r.loc["equity", "target"]) and math.isnan(r.loc["equity", "contracts"])
    assert not r.loc["equity", "flag"]


def test_missing_price_gives_the_notional_but_no_contracts():
    rows = book()
    rows[3]["price"] = np.nan
    r = rebalance(frame(rows), nav=NAV)
    assert r.loc["equity", "notional_change"] == pytest.approx(-3_000_000)
    assert math.isnan(r.loc["equity", "contracts"])


@settings(max_examples=60, deadline=None)
@given(
    hedge=st.floats(-0.9, 0.0, allow_nan=False),
    target=st.floats(0.0, 1.0, allow_nan=False),
    price=st.floats(10, 10_000, allow_nan=False),
)
def test_after_the_order_the_ratio_is_within_half_a_contract_of_target(hedge, target, price):
    rows = book(hedge)
    rows[3].update(target_ratio=target, price=price)
    r = rebalance(frame(rows), nav=NAV).loc["equity"]
    half = 0.5 * price * 50.0 / NAV / 0.56
    assert abs(r["ratio_after"] - target) <= half + 1e-9
    assert (r["side"] == "sell") == (r["contracts"] < 0)


def test_worksheet_function_matches_python():
    positions, betas = book_sheet(book())
    cells = RB.call(positions, betas, NAV)
    r = rebalance(frame(book()), nav=NAV)
    assert [c[0] for c in cells] == ["equity beta", "duration"]
    assert [c[5] for c in cells] == pytest.approx(r["drift_pp"].tolist())
    assert [c[6] for c in cells] == ["ok", "REBALANCE"]
    assert [c[7:10] for c in cells] == [["ESZ6", "sell", -12.0], ["TLT", "sell", -35_948.0]]
    assert RB.call(positions, betas, NAV, 5)[0][6] == "REBALANCE"
    cells = RB.call(positions, betas, NAV, None, [["Equity", 0.25 / 0.56], ["Duration", 0.6]])
    assert cells[0][6] == "ok" and cells[0][9] == 0
    assert RB.call(positions, betas, -1).startswith("#VALUE! REBALANCE: nav")
    no_hedges = book_sheet(book()[:3])
    assert RB.call(*no_hedges, NAV)[0][0] == "No hedges or targets"


def test_blank_targets_in_a_targets_range_keep_the_hedges_own():
    positions, betas = book_sheet(book())
    targets = [["Equity beta (SPX)", None], ["Rate duration (years)", 0.6], [None, None]]
    assert RB.call(positions, betas, NAV, None, targets) == RB.call(positions, betas, NAV)
