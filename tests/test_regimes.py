"""Vol regimes (docs/methodology/regimes.md): thresholds as data, boundaries normal, percentile calibration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlhedge.engine.errors import InputError, NotEnoughData
from xlhedge.engine.regimes import (
    REGIME_THRESHOLDS,
    VIX_PERCENTILES,
    Thresholds,
    calibrate_thresholds,
    classify,
    regime_counts,
    threshold_percentiles,
    thresholds_table,
    vol_regime,
)
from xlhedge.functions.registry import registry

from ._market_data import vix


@pytest.mark.parametrize(
    "level, regime",
    [
        (0.0, "low"),
        (17.99, "low"),
        (18.0, "normal"),
        (23.0, "normal"),
        (28.0, "normal"),
        (28.000001, "high"),
        (80.0, "high"),
    ],
)
def test_vix_thresholds_boundaries_are_normal(level, regime):
    assert vol_regime(level) == regime
    assert registry()["VOL_REGIME"].call(level) == regime


def test_thresholds_are_editable_data():
    assert set(REGIME_THRESHOLDS) == {"VIX", "MOVE", "DVOL", "CVIX"}
    assert (REGIME_THRESHOLDS["VIX"].low, REGIME_THRESHOLDS["VIX"].high) == (18.0, 28.0)
    table = thresholds_table()
    assert list(table.index) == ["VIX", "MOVE", "DVOL", "CVIX"] and (table["low"] < table["high"]).all()
    assert all(table["note"].str.len() > 0)
    mine = {"VIX": Thresholds(15.0, 25.0)}
    assert vol_regime(16.0, thresholds=mine) == "normal" and vol_regime(16.0) == "low"
    assert vol_regime(130, "move") == "high" and vol_regime(100, "MOVE") == "normal"


def test_bad_inputs_name_the_argument():
    with pytest.raises(InputError, match="VIX, MOVE, DVOL, CVIX"):
        vol_regime(20, "SKEW")
    with pytest.raises(InputError, match="low"):
        Thresholds(30, 20)
    with pytest.raises(InputError, match="level"):
        vol_regime(-1)
    f = registry()["VOL_REGIME"]
    assert f.call(10, "skew") == "#VALUE! VOL_REGIME: index: expected one of VIX, MOVE, DVOL, CVIX, found 'skew'"
    assert "high" in f.call(20, "VIX", 30, 25)


def test_classify_vectorised_and_missing_is_blank():
    out = classify([10.0, np.nan, 18.0, 40.0])
    assert out.tolist() == ["low", "", "normal", "high"]
    cells = registry()["VOL_REGIME"].call([[10.0], [None], [18.0], [40.0]])
    assert cells == [["low"], [None], ["normal"], ["high"]]
    assert registry()["VOL_REGIME"].call([[19.0, 27.0]], "VIX", 20, 26) == [["low", "high"]]


def test_vix_regime_counts_on_arch_history():
    v = vix().prices["vix"]
    assert len(v) == 1259 and v.index[0].strftime("%Y-%m-%d") == "2014-01-03"
    counts = regime_counts(v.to_numpy())
    # independent: plain comparisons on the same data
    assert counts == {"low": int((v < 18).sum()), "normal": int(v.between(18, 28).sum()), "high": int((v > 28).sum())}
    assert counts == {"low": 1021, "normal": 221, "high": 17}


def test_calibrating_vix_on_itself_returns_about_18_and_28():
    v = vix().prices["vix"].to_numpy()
    t = calibrate_thresholds(v, reference=v)
    assert t.low == pytest.approx(18.0, abs=0.1) and t.high == pytest.approx(28.0, abs=0.5)
    p = threshold_percentiles(v)
    assert p == {"low": pytest.approx(1021 / 1259), "high": pytest.approx(1242 / 1259)}
    # same regime shares, to within one day per boundary
    c_new, c_ref = regime_counts(v, t.low, t.high), regime_counts(v)
    assert all(abs(c_new[k] - c_ref[k]) <= 2 for k in c_ref)


@settings(max_examples=30, deadline=None)
@given(st.floats(0.1, 50.0), st.floats(-20.0, 20.0), st.integers(0, 2**31 - 1))
def test_calibration_is_percentile_mapping(scale, shift, seed):
    """An index that is an affine image of VIX gets the affine image of VIX's thresholds."""
    rng = np.random.default_rng(seed)
    ref = np.exp(rng.normal(np.log(18), 0.35, 400))
    base = calibrate_thresholds(ref, reference=ref)
    t = calibrate_thresholds(scale * ref + shift, reference=ref)
    assert t.low == pytest.approx(scale * base.low + shift, rel=1e-9, abs=1e-9)
    assert t.high == pytest.approx(scale * base.high + shift, rel=1e-9, abs=1e-9)


def test_calibration_defaults_and_errors():
    h = np.linspace(50, 150, 101)
    t = calibrate_thresholds(h)
    assert t.low == pytest.approx(50 + 100 * VIX_PERCENTILES["low"])
    assert t.high == pytest.approx(50 + 100 * VIX_PERCENTILES["high"])
    with pytest.raises(NotEnoughData, match="found 5 observations, need at least 20"):
        calibrate_thresholds([1, 2, 3, 4, 5.0])
    with pytest.raises(InputError, match="percentiles"):
        calibrate_thresholds(h, percentiles={"low": 0.2})
    got = registry()["CALIBRATE_THRESHOLDS"].call([[x] for x in h])
    assert got == [[pytest.approx(t.low), pytest.approx(t.high)]]
    v = vix().prices["vix"].to_numpy()
    move_like = 4.5 * v + 10
    got = registry()["CALIBRATE_THRESHOLDS"].call([[x] for x in move_like], [[x] for x in v])
    ref = calibrate_thresholds(move_like, reference=v)
    assert got == [[pytest.approx(ref.low), pytest.approx(ref.high)]]


def test_bad_levels_and_percentiles_are_input_errors_not_tracebacks():
    from xlhedge.engine.estimation import realised_vol_regimes

    with pytest.raises(InputError, match="level: expected a number, found text '20'"):
        vol_regime("20")
    with pytest.raises(InputError, match="level"):
        vol_regime(float("nan"))
    h = np.linspace(50, 150, 101)
    with pytest.raises(InputError, match=r"percentiles needs low \(0.9\) ≤ high \(0.1\)"):
        calibrate_thresholds(h, percentiles={"low": 0.9, "high": 0.1})
    with pytest.raises(InputError, match="history item 2: expected a number, found text 'x'"):
        calibrate_thresholds([1.0, "x"] + [2.0] * 30)
    r = np.random.default_rng(0).normal(0, 0.01, 300)
    with pytest.raises(InputError, match="percentiles needs 'high'"):
        realised_vol_regimes(r, percentiles={"low": 0.5})
    with pytest.raises(InputError, match="realised_vol_window"):
        realised_vol_regimes(r, window=1)


def test_realised_vol_regimes_equal_pandas_quantiles():
    """Independent: pandas rolling std, numpy quantiles at VIX_PERCENTILES, strict comparisons."""
    from xlhedge.engine.estimation import realised_vol_regimes

    r = np.random.default_rng(3).standard_t(4, 400) * 0.01
    got = realised_vol_regimes(r, window=21)
    s = pd.Series(r).rolling(21).std()
    lo, hi = s.dropna().quantile([VIX_PERCENTILES["low"], VIX_PERCENTILES["high"]])
    ref = np.where(s.isna(), "", np.where(s < lo, "low", np.where(s > hi, "high", "normal")))
    assert got.tolist() == ref.tolist()
