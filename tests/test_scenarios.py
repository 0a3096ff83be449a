"""Scenarios and outcome tables (docs/methodology/scenarios.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlhedge.engine import scenarios, sizing
from xlhedge.engine.errors import InputError
from xlhedge.functions.registry import registry

R = registry()


def call(name, *args):
    return R[name].call(*args)


def test_spec_outcome_worked_check():
    # docs/methodology/scenarios.md: 5 BTC at 60,000, 50% hedge = 2.5 BTC short; at −20%: −60,000 / +30,000 / −30,000
    t = scenarios.hedge_outcomes(5, 60_000, [0.5], [-0.2])
    row = t.iloc[0]
    assert row["hedge_units"] == pytest.approx(-2.5)
    assert (row["spot"], row["hedge"], row["net"]) == (
        pytest.approx(-60_000),
        pytest.approx(30_000),
        pytest.approx(-30_000),
    )
    cell = call("HEDGE_OUTCOMES", 5, 60_000, [[0.5]], [[-0.2]])
    assert cell == [[0.5, -0.2, pytest.approx(-60_000), pytest.approx(30_000), 0.0, pytest.approx(-30_000)]]


def test_outcome_table_shapes_and_funding():
    ratios, moves = [0, 0.25, 0.5, 0.75, 1.0], [-0.3, -0.1, 0, 0.1, 0.3]
    t = scenarios.hedge_outcomes(5, 60_000, ratios, moves, funding_rate=0.0001, days=30)
    assert len(t) == 25
    # funding: hedge notional r·Q·P0 × rate × days × 3, received by the short hedge
    assert t.set_index(["ratio", "move"]).loc[(0.5, 0.0), "funding"] == pytest.approx(150_000 * 0.0001 * 90)
    grid = call("HEDGE_OUTCOMES", 5, 60_000, [ratios], [moves], "linear", 0.0001, 30, None, None, "net")
    assert np.array(grid).shape == (5, 5)
    assert grid[4] == pytest.approx([300_000 * 0.0001 * 90] * 5)  # fully hedged: only funding left
    assert "expected one of linear, inverse" in call("HEDGE_OUTCOMES", 5, 60_000, [[0.5]], [[0]], "quanto")
    assert "ratios must be in [0, 1]" in call("HEDGE_OUTCOMES", 5, 60_000, [[1.5]], [[0]])
    assert "expected one of table, net" in call(
        "HEDGE_OUTCOMES", 5, 60_000, [[1]], [[0]], None, None, None, None, None, "wide"
    )


@settings(max_examples=60, deadline=None)
@given(q=st.floats(0.1, 100), p0=st.floats(100, 100_000), move=st.floats(-0.95, 5))
def test_inverse_full_hedge_keeps_usd_value(q, p0, move):
    t = scenarios.hedge_outcomes(q, p0, [1.0], [move], contract="inverse", face=100)
    row = t.iloc[0]
    assert row["spot"] + row["hedge"] == pytest.approx(0.0, abs=1e-7 * q * p0)
    # in coin: spot Q plus the hedge coin PnL is worth Q·P0 at the exit price
    assert (q + row["hedge_coin"]) * row["exit"] == pytest.approx(q * p0, rel=1e-9)


def test_scenario_pnl_per_factor_and_total():
    e = pd.Series({"equity": 0.92, "duration": 2.0, "usd": -0.1, "commodity": 0.15, "crypto": 0.05, "vol": -0.3})
    shocks = {"equity": -0.1, "duration": 25, "usd": 0.02, "commodity": -0.05, "crypto": -0.2, "vol": 10}
    p = scenarios.scenario_pnl(e, shocks, 1_000_000)
    by_hand = {
        "equity": -92_000,
        "duration": -2.0 * 1e6 * 1e-4 * 25,
        "usd": -2_000,
        "commodity": -7_500,
        "crypto": -10_000,
        "vol": -0.3 * 1e6 * 10 * 0.01,
    }
    assert p["book"].drop("total").to_dict() == pytest.approx(by_hand)
    assert p.loc["total", "book"] == pytest.approx(sum(by_hand.values()))
    cell = call("SCENARIO_PNL", e.to_numpy().reshape(-1, 1).tolist(), [[shocks[f]] for f in e.index], 1_000_000)
    assert [r[0] for r in cell] == pytest.approx(list(by_hand.values()) + [sum(by_hand.values())])
    with pytest.raises(InputError, match="names factors not in the exposures"):
        scenarios.scenario_pnl(e, {"gold": 0.1}, 1e6)
    assert "has 2 values, exposures 6" in call(
        "SCENARIO_PNL", e.to_numpy().reshape(-1, 1).tolist(), [[0.1], [0.2]], 1e6
    )


def test_unhedged_vs_hedged_after_sizing():
    e = pd.Series({"equity": 0.92, "duration": 2.0})
    recs = sizing.recommend_hedges(e, 1_000_000)
    hedged = recs["exposure_after"]
    t = scenarios.shock_table(e, hedged, {"equity": -0.2, "duration": 50}, 1_000_000)
    assert abs(t.loc["total", "hedged"]) < 0.05 * abs(t.loc["total", "unhedged"])
    assert t.loc["equity", "hedge_effect"] > 0


def test_regime_scenario_tlt_helps_in_normal_hurts_in_stress():
    rs = scenarios.regime_shocks(-0.10)
    # ρ·σ_TLT/σ_SPX·s: normal −0.3·(0.15/0.18)·(−0.10) = +2.5% TLT, stress −3.33%
    assert rs.loc["duration", "move_normal"] == pytest.approx(0.025)
    assert rs.loc["duration", "move_stress"] == pytest.approx(-0.4 * 0.15 / 0.18 * 0.10)
    books = pd.DataFrame({"book": [0.92, 0.0], "book + TLT": [0.92, 0.30 * 17]}, index=["equity", "duration"])
    c = scenarios.regime_comparison(books, -0.10, 1_000_000)
    tlt_normal = c.loc["duration", "normal: book + TLT"]
    tlt_stress = c.loc["duration", "stress: book + TLT"]
    assert tlt_normal == pytest.approx(0.30 * 1e6 * 0.025)  # long TLT gains its price move
    assert tlt_normal > 0 > tlt_stress
    assert c.loc["total", "normal: book + TLT"] > c.loc["total", "normal: book"]
    assert c.loc["total", "stress: book + TLT"] < c.loc["total", "stress: book"]
    # the same through the worksheet function
    t = scenarios.REGIME_DEFAULTS
    out = call(
        "REGIME_MOVE",
        -0.10,
        0.18,
        t[["vol"]].to_numpy().tolist(),
        t[["rho_stress"]].to_numpy().tolist(),
        t[["per_unit"]].to_numpy().tolist(),
    )
    assert [r[0] for r in out] == pytest.approx(rs["stress"].tolist())
    assert "correlations must be in [−1, 1]" in call("REGIME_MOVE", -0.1, 0.18, [[0.1]], [[1.5]])


def test_regime_defaults_are_spec_table():
    t = scenarios.REGIME_DEFAULTS
    assert t.loc[["TLT", "DXY", "Gold", "BTC"], "rho_normal"].tolist() == [-0.3, -0.4, 0.1, 0.4]
    assert t.loc[["TLT", "DXY", "Gold", "BTC"], "rho_stress"].tolist() == [0.4, 0.2, -0.2, 0.7]
    edited = t.copy()
    edited.loc["TLT", "rho_stress"] = -0.5  # user-editable: the table is an argument
    assert scenarios.regime_shocks(-0.1, edited).loc["duration", "move_stress"] > 0
