"""The typed public engine API: shared checks, result dataclasses, warnings (issue #9, "one house")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from xlhedge.engine import coerce, estimation, prices, sizing
from xlhedge.engine.errors import InputError
from xlhedge.functions.registry import registry

R = registry()


# ----------------------------------------------------------------------------- prices > 0, one wording
def test_non_positive_price_has_one_wording_in_every_door():
    dated = pd.DataFrame({"X": [1.0, 2.0, -3.0]}, index=pd.date_range("2024-01-01", periods=3))
    with pytest.raises(InputError) as exc:
        prices.returns(dated)
    assert str(exc.value) == (
        "prices column X has a zero or negative price (-3) on 2024-01-03; prices must be > 0; "
        "clean_prices() reports and drops them"
    )
    with pytest.raises(InputError) as exc:
        estimation.beta(pd.Series([1.0, -2, 3, 4]), pd.Series([1.0, 2, 3, 4]))
    assert "has a zero or negative price (-2) in row 2; prices must be > 0" in str(exc.value)
    with pytest.raises(InputError) as exc:
        sizing.minvar_hedge([1, -2, 3, 4], [1, 2, 4, 5])
    assert str(exc.value) == "spot_prices has a zero or negative price (-2) in row 2; prices must be > 0"
    cell = R["BETA"].call([[1], [-2], [3], [4]], [[1], [2], [4], [5]])
    assert cell == "#VALUE! BETA: asset_prices row 2, column 1 has a zero or negative price (-2); prices must be > 0"


def test_check_positive_prices_allows_missing_and_returns_its_input():
    a = np.array([[1.0, np.nan], [2.0, 3.0]])
    assert prices.check_positive_prices(a, "p") is a
    assert prices.check_positive_prices(np.empty((0, 2)), "p").shape == (0, 2)
    with pytest.raises(InputError, match=r"p column B has a zero or negative price \(0\) in row 2"):
        prices.check_positive_prices(np.array([[1.0, 1.0], [1.0, 0.0]]), "p", columns=["A", "B"])


def test_simple_or_log_returns():
    now, before = np.array([110.0, np.nan]), np.array([100.0, 100.0])
    np.testing.assert_allclose(prices.simple_or_log_returns(now, before, "simple"), [0.1, np.nan])
    np.testing.assert_allclose(prices.simple_or_log_returns(now, before, "log"), [np.log(1.1), np.nan])


# ----------------------------------------------------------------------------- boundary array checks
def test_boundary_array_checks():
    assert coerce.float_or_array(coerce.float_array(2, "x")) == 2.0
    assert isinstance(coerce.float_or_array(coerce.float_array(2, "x")), float)
    np.testing.assert_array_equal(coerce.float_or_array(coerce.float_array([1, 2], "x")), [1.0, 2.0])
    with pytest.raises(InputError, match="x is missing"):
        coerce.float_array([1.0, np.nan], "x")
    with pytest.raises(InputError, match=r"nav must be > 0, got -1"):
        coerce.bounded_array([1.0, -1.0], "nav", low=0, low_open=True)
    with pytest.raises(InputError, match=r"ratio must be ≤ 1, got 2"):
        coerce.bounded_array(2.0, "ratio", low=0, high=1)
    with pytest.raises(InputError, match="beta must be non-zero"):
        coerce.bounded_array(0.0, "beta", nonzero=True)


# ----------------------------------------------------------------------------- factor names
def test_default_factor_names_core_then_tilts():
    from xlhedge.engine import scenarios
    from xlhedge.engine._typing import CORE_FACTORS
    from xlhedge.engine.factors import default_factor_names, factor_exposure

    assert default_factor_names(0) == []
    assert default_factor_names(2) == ["equity", "duration"]
    assert default_factor_names(8) == [*CORE_FACTORS, "tilt_1", "tilt_2"]
    # the two places that name unlabelled rows agree
    e = factor_exposure(np.ones((8, 2)), [0.5, 0.5])
    assert list(e.index) == default_factor_names(8)
    pnl = scenarios.scenario_pnl(np.zeros(8), np.zeros(8), 1e6)
    assert list(pnl.index) == [*default_factor_names(8), "total"]


# ----------------------------------------------------------------------------- soft issues are warnings
def test_budget_rate_warning_is_a_warning_with_the_same_sentence():
    import warnings

    from xlhedge.engine.budget import budget_rate_warning
    from xlhedge.engine.errors import BudgetRateWarning, XlhedgeWarning

    assert budget_rate_warning(0.03) is None
    w = budget_rate_warning(0.01)
    assert isinstance(w, BudgetRateWarning) and isinstance(w, XlhedgeWarning) and isinstance(w, UserWarning)
    assert str(w) == (
        "Hedging budget 1.0% of NAV is below the usual 2%–4% institutional range (Cross-Asset Hedging §09)."
    )
    with pytest.warns(BudgetRateWarning, match="above the usual"):
        warnings.warn(budget_rate_warning(0.05), stacklevel=1)


# ----------------------------------------------------------------------------- result dataclasses
def test_size_hedge_is_a_frozen_dataclass_and_the_table_is_built_from_it():
    import dataclasses

    rec = sizing.size_hedge(0.92, 1_000_000, "ES", ratio=0.5)
    assert isinstance(rec, sizing.HedgeSizing)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rec.units = 0.0  # type: ignore[misc]
    assert rec.notional == pytest.approx(-460_000) and rec.side == "sell" and rec.micro == "MES"
    recs = sizing.recommend_hedges(pd.Series({"equity": 0.92, "vol": -0.3}), 1_000_000, ratios=0.5)
    assert list(recs.columns) == sizing.HEDGE_COLUMNS == [f.name for f in dataclasses.fields(sizing.HedgeSizing)]
    assert recs.loc["equity"].to_dict() == dataclasses.asdict(rec)
    back = sizing.hedge_sizings(recs)
    assert back[0] == rec
    assert back[1].instrument == "" and back[1].side == "none" and back[1].exposure_after == -0.3
    assert sizing.hedge_table([]).empty and list(sizing.hedge_table([]).columns) == sizing.HEDGE_COLUMNS


def test_round_contracts_is_a_dataclass():
    r = sizing.round_contracts(-46_000, 6000 * 50, 6000 * 5)
    assert isinstance(r, sizing.RoundedContracts)
    assert r.units == pytest.approx(-46_000 / 300_000) and r.contracts == 0.0 and r.micro == -2.0
    assert r.residual == pytest.approx(-46_000) and r.residual_after_micro == pytest.approx(-46_000 + 60_000)
    many = sizing.round_contracts(np.array([-46_000.0, 610_000.0]), 300_000)
    np.testing.assert_array_equal(many.contracts, [0.0, 2.0])
    assert np.isnan(many.micro).all()
