"""Hedging budget and vol-conditioned deployment (docs/methodology/budget.md, regimes.md; Cross-Asset Hedging §09–§10)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlhedge import InputError
from xlhedge.engine.budget import (
    BUCKETS,
    BUDGET_RATE,
    DEFAULT_SPLITS,
    DEPLOYMENT_RULES,
    REGIMES,
    allocate,
    bucket_regimes,
    budget_amount,
    budget_rate_warning,
    budget_status,
    deployment,
    deployment_curve,
    hedge_budget,
    ledger_frame,
    split_fractions,
    ytd_spend,
)
from xlhedge.engine.regimes import vol_regime
from xlhedge.functions.registry import registry

HB = registry()["HEDGE_BUDGET"]
BS = registry()["BUDGET_STATUS"]
HD = registry()["HEDGE_DEPLOYMENT"]
CURVE = registry()["HEDGE_DEPLOYMENT_CURVE"]

TODAY = dt.date(2026, 11, 21)
LEDGER = [
    ["Date", "Instrument", "Bucket", "Premium", "Vol index", "Vol level"],
    [dt.datetime(2026, 2, 3), "VIX Jun 25C", "Long volatility", 4000, "VIX", 15.0],
    [dt.datetime(2026, 4, 8), "SPX 4800P", "tail", 6000, "VIX", 31.0],
    ["2026-05-02", "SPX 4800P (sold calls)", "Tail protection", -1500, None, None],
    [dt.datetime(2025, 12, 30), "last year's puts", "tail", 9999, "VIX", 14.0],  # not this year
    [dt.datetime(2026, 12, 1), "future-dated", "fx", 777, None, None],  # after today
    [None, None, None, None, None, None],  # blank row skipped
    [46000, "TLT calls", "cross-asset", 2500, "MOVE", 90.0],  # Excel serial 46000 = 2025-12-09
    [dt.datetime(2026, 6, 1), "6E puts", "FX hedges", 1200.5, "CVIX", 7.5],
]


def test_article_normal_split_by_hand():
    # docs/methodology/budget.md: 3% of 1,000,000 = 30,000 split 25/30/20/15/10.
    b = hedge_budget(1_000_000)
    assert b["amount"].tolist() == [7500.0, 9000.0, 6000.0, 4500.0, 3000.0]
    assert list(b.index) == list(BUCKETS)
    assert budget_amount(1_000_000) == 30_000.0


def test_default_tables_sum_to_one_and_shift_the_right_way():
    assert np.allclose(DEFAULT_SPLITS.sum(axis=0), 1.0)
    lo, no, hi = (DEFAULT_SPLITS[r] for r in REGIMES)
    assert lo["long_vol"] + lo["tail"] > no["long_vol"] + no["tail"]  # low vol: protection is cheap
    assert hi["rebalance"] > no["rebalance"]  # high vol: rebalance cash
    assert (no.to_numpy() == [0.25, 0.30, 0.20, 0.15, 0.10]).all()


@settings(max_examples=200, deadline=None)
@given(
    nav=st.floats(1.0, 5e10, allow_nan=False),
    rate=st.floats(0.0, 0.2, allow_nan=False),
    regime=st.sampled_from(REGIMES),
)
def test_splits_sum_to_the_budget_exactly_in_every_regime(nav, rate, regime):
    b = hedge_budget(nav, rate, regime)
    total = budget_amount(nav, rate)
    cents = np.rint(b["amount"].to_numpy() * 100).astype(np.int64)
    assert int(cents.sum()) == int(round(total * 100))  # exact, in cents
    assert np.all(np.abs(cents / 100 - b["amount"].to_numpy()) < 1e-6)
    # each bucket within a cent of its ideal share
    assert np.all(np.abs(b["amount"].to_numpy() - b["fraction"].to_numpy() * total) <= 0.01 + 1e-6)


@settings(max_examples=100, deadline=None)
@given(
    nav=st.floats(1.0, 1e9, allow_nan=False),
    regs=st.lists(st.sampled_from(REGIMES), min_size=5, max_size=5),
)
def test_mixed_regimes_still_sum_exactly(nav, regs):
    mapping = dict(zip(BUCKETS, regs))
    f = split_fractions(mapping)
    assert f.sum() == pytest.approx(1.0, abs=1e-12)
    assert (f >= 0).all()
    b = hedge_budget(nav, 0.03, mapping)
    assert int(np.rint(b["amount"] * 100).sum()) == int(round(budget_amount(nav) * 100))


def test_allocate_largest_remainder_by_hand():
    # 100.00 in thirds: 33.34 + 33.33 + 33.33 (the first gets the spare cent)
    assert allocate(100.0, np.array([1, 1, 1]) / 3).tolist() == [33.34, 33.33, 33.33]
    assert allocate(0.05, np.array([0.5, 0.5])).tolist() == [0.03, 0.02]


def test_mixed_regime_difference_goes_to_the_reserve():
    # VIX normal, MOVE high: cross-asset takes its high share (0.20), the reserve the rest
    f = split_fractions({"cross_asset": "high", "fx": "low"})
    n = DEFAULT_SPLITS["normal"]
    assert f["cross_asset"] == DEFAULT_SPLITS.at["cross_asset", "high"]
    assert f["fx"] == DEFAULT_SPLITS.at["fx", "low"]
    assert f["rebalance"] == pytest.approx(1 - n["long_vol"] - n["tail"] - 0.20 - DEFAULT_SPLITS.at["fx", "low"])


def test_negative_reserve_is_an_error():
    bad = DEFAULT_SPLITS.copy()
    bad.loc[:, "low"] = [0.5, 0.4, 0.05, 0.03, 0.02]
    bad.loc[:, "high"] = [0.1, 0.1, 0.4, 0.3, 0.1]
    with pytest.raises(InputError, match="negative"):
        split_fractions({"long_vol": "low", "tail": "low", "cross_asset": "high", "fx": "high"}, bad)


def test_bad_split_tables_are_reported():
    bad = DEFAULT_SPLITS.copy()
    bad.loc["tail", "low"] = 0.5
    with pytest.raises(InputError, match="column low sums to"):
        hedge_budget(1e6, 0.03, "low", splits=bad)
    with pytest.raises(InputError, match="no row for"):
        hedge_budget(1e6, splits=DEFAULT_SPLITS.drop(index="fx"))
    with pytest.raises(InputError, match="expected one of low, normal, high"):
        hedge_budget(1e6, 0.03, "calm")


def test_rate_warning_outside_two_to_four_percent():
    assert budget_rate_warning(0.03) is None
    assert budget_rate_warning(0.02) is None and budget_rate_warning(0.04) is None
    assert "below" in str(budget_rate_warning(0.01))
    assert "above" in str(budget_rate_warning(0.05))


@pytest.mark.parametrize("vix, regime", [(17.99, "low"), (18.0, "normal"), (28.0, "normal"), (28.01, "high")])
def test_boundary_vix_values_land_in_normal(vix, regime):
    assert bucket_regimes({"VIX": vix}).loc["tail", "regime"] == regime
    # the worksheet function takes a VIX level for the regime
    assert HB.call(1_000_000, 0.03, vix) == HB.call(1_000_000, 0.03, regime)
    assert deployment_curve([vix])["regime"].tolist() == [regime]


def test_ledger_parsing_and_ytd_spend_by_hand():
    lf = ledger_frame(LEDGER)
    assert len(lf) == 7
    assert lf.loc[5, "date"] == dt.date(2025, 12, 9)  # Excel serial
    spent = ytd_spend(LEDGER, TODAY)
    assert spent["long_vol"] == 4000
    assert spent["tail"] == 6000 - 1500  # monetised premium reduces spend; last year's excluded
    assert spent["cross_asset"] == 0  # dated 2025
    assert spent["fx"] == 1200.5  # the future-dated row is excluded
    assert spent["rebalance"] == 0


def test_ledger_errors_name_the_row():
    with pytest.raises(InputError, match="ledger row 2 bucket"):
        ledger_frame([["Date", "Bucket", "Premium"], ["2026-01-01", "insurance", 5]])
    with pytest.raises(InputError, match="needs a 'premium' column"):
        ledger_frame([["Date", "Bucket"], ["2026-01-01", "tail"]])
    with pytest.raises(InputError, match="ledger row 2 date"):
        ledger_frame([["Date", "Bucket", "Premium"], ["yesterday", "tail", 5]])


def test_budget_status_remaining_by_hand():
    st_ = budget_status(1_000_000, 0.03, "normal", LEDGER, TODAY)
    assert st_["budget"].tolist() == [7500.0, 9000.0, 6000.0, 4500.0, 3000.0]
    assert st_["remaining"].tolist() == [3500.0, 4500.0, 6000.0, 3299.5, 3000.0]
    assert st_.at["long_vol", "used"] == pytest.approx(4000 / 7500)
    rows = BS.call(1_000_000, 0.03, "normal", LEDGER, dt.datetime(2026, 11, 21))
    assert [r[0] for r in rows] == st_["label"].tolist()
    assert [r[4] for r in rows] == st_["remaining"].tolist()


def test_deployment_by_regime_by_hand():
    # VIX 16 (low): long vol / tail / reserve on the low table; MOVE 130 (high); CVIX 9 (normal)
    d = deployment(1_000_000, 0.03, {"VIX": 16, "MOVE": 130, "CVIX": 9}, LEDGER, TODAY)
    assert d["regime"].tolist() == ["low", "low", "high", "normal", "low"]
    lo = DEFAULT_SPLITS["low"]
    budget = d["budget"]
    assert budget["long_vol"] == 30_000 * lo["long_vol"]
    remaining = d["remaining"]
    assert d.at["long_vol", "deploy_now"] == pytest.approx(0.75 * remaining["long_vol"], abs=0.005)
    assert d.at["fx", "deploy_now"] == pytest.approx(0.25 * remaining["fx"], abs=0.005)  # cents
    assert d.at["cross_asset", "deploy_now"] == 0.0  # high: do not add
    assert d.at["cross_asset", "rebalance_change"] == -remaining["cross_asset"]
    assert d.at["rebalance", "rebalance_change"] == remaining["cross_asset"]
    assert d["rebalance_change"].sum() == pytest.approx(0.0)  # money moves, none is created
    assert d.at["cross_asset", "action"] == DEPLOYMENT_RULES.at["high", "action"]
    assert int(np.rint(budget * 100).sum()) == 3_000_000


def test_deployment_curve_by_hand_and_bad_rules():
    c = deployment_curve([10, 17.99, 18, 28, 28.01, 45])
    assert c["regime"].tolist() == ["low", "low", "normal", "normal", "high", "high"]
    assert c["deploy"].tolist() == [0.75, 0.75, 0.25, 0.25, 0.0, 0.0]
    assert c["to_rebalance"].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0, 1.0]
    default = deployment_curve()
    assert default["vix"].tolist() == list(range(10, 46))
    assert default["regime"].tolist() == [vol_regime(float(v)) for v in range(10, 46)]  # one level at a time
    assert CURVE.call()[8] == [18.0, "normal", 0.25, 0.0]
    with pytest.raises(InputError, match="vix_levels must be ≥ 0"):
        deployment_curve([20, -1])
    for bad, msg in (
        (DEPLOYMENT_RULES.drop(index="high"), "no row for regime high"),
        (DEPLOYMENT_RULES.assign(deploy=["most", 0.25, 0.0]), "expected numbers"),
    ):
        with pytest.raises(InputError, match=msg):
            deployment_curve(rules=bad)
        with pytest.raises(InputError, match=msg):
            deployment(1_000_000, 0.03, 20.0, rules=bad)


def test_deployment_missing_index_falls_back_to_vix():
    d = deployment(1_000_000, 0.03, 30.0)
    assert (d["regime"] == "high").all()
    assert (d["vol_index"] == "VIX").all()
    assert d["deploy_now"].sum() == 0.0
    with pytest.raises(InputError, match="needs a VIX level"):
        deployment(1_000_000, 0.03, {"MOVE": 90})


def test_worksheet_functions_match_python():
    rows = HB.call(1_000_000, 0.03, "high")
    b = hedge_budget(1_000_000, 0.03, "high")
    assert rows == [[lab, a] for lab, a in zip(b["label"], b["amount"])]
    assert len(rows) == 5 and all(len(r) == 2 for r in rows)
    assert HB.call(1_000_000) == HB.call(1_000_000, None, None)  # defaults: 3%, normal
    levels = [["VIX", 16], ["MOVE", 130], ["CVIX", 9], ["DVOL", None]]
    rows = HD.call(1_000_000, 0.03, levels, LEDGER, dt.datetime(2026, 11, 21))
    d = deployment(1_000_000, 0.03, {"VIX": 16, "MOVE": 130, "CVIX": 9}, LEDGER, TODAY)
    assert [r[8] for r in rows] == d["deploy_now"].tolist()
    assert [r[3] for r in rows] == d["regime"].tolist()
    curve = CURVE.call(None)
    assert curve[0] == [10.0, "low", 0.75, 0.0]
    assert curve[-1] == [45.0, "high", 0.0, 1.0]
    assert len(curve) == 36


def test_split_table_from_a_range():
    grid = [[None, "Low", "Normal", "High"]] + [
        [lab, *DEFAULT_SPLITS.loc[k].tolist()]
        for k, lab in zip(
            BUCKETS,
            ["Long volatility", "Tail protection", "Cross-asset diversifiers", "FX hedges", "Rebalance reserve"],
        )
    ]
    assert HB.call(2_000_000, 0.025, "low", grid) == HB.call(2_000_000, 0.025, "low")
    grid[2][1] = 0.9
    assert HB.call(2_000_000, 0.025, "low", grid).startswith("#VALUE! HEDGE_BUDGET: splits")


def test_bad_input_is_a_cell_message_not_a_traceback():
    assert HB.call("abc").startswith("#VALUE! HEDGE_BUDGET: nav")
    assert HB.call(1e6, 0.03, "stormy").startswith("#VALUE! HEDGE_BUDGET: regime")
    assert HB.call(-5).startswith("#VALUE! HEDGE_BUDGET: nav")
    assert HD.call(1e6, 0.03, [["VIXX", 3], ["MOVE", 2]]).startswith("#VALUE! HEDGE_DEPLOYMENT")


def test_inputs_are_not_modified():
    splits = DEFAULT_SPLITS.copy()
    led = [list(r) for r in LEDGER]
    hedge_budget(1e6, 0.03, "low", splits=splits)
    ytd_spend(led, TODAY)
    pd.testing.assert_frame_equal(splits, DEFAULT_SPLITS)
    assert led == LEDGER


# ---------------------------------------------------------------- the Budget sheet

import openpyxl  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from xlhedge.calc.refs import parse_ref  # noqa: E402
from xlhedge.cli import app  # noqa: E402
from xlhedge.template import budget_sheet as bs  # noqa: E402
from xlhedge.template import build_workbook  # noqa: E402
from xlhedge.workbook.filebook import FileBook  # noqa: E402


@pytest.fixture(scope="module")
def example_book(tmp_path_factory):
    return build_workbook(tmp_path_factory.mktemp("bud") / "example.xlsx", example="figure01")


def _example_python():
    levels = {k: v for k, v in bs.EXAMPLE_LEVELS.items() if v is not None}
    ledger = [bs.LEDGER_COLUMNS, *map(list, bs.EXAMPLE_LEDGER)]
    return deployment(1_000_000, 0.03, levels, ledger, bs.EXAMPLE_DATE)


def test_budget_sheet_values_equal_the_python_api(example_book):
    fb = FileBook(example_book)
    status = fb.read(parse_ref(f"Budget!A{bs.STATUS_ROW0}:F{bs.STATUS_LAST}"))
    deploy = fb.read(parse_ref(f"Budget!A{bs.DEPLOY_ROW0}:J{bs.DEPLOY_LAST}"))
    d = _example_python()
    assert [r[2] for r in status] == d["budget"].tolist()
    assert [r[3] for r in status] == d["spent"].tolist()
    assert [r[8] for r in deploy] == d["deploy_now"].tolist()
    assert [r[3] for r in deploy] == ["low", "low", "high", "normal", "low"]  # MOVE 131 is high
    total = fb.read(parse_ref(f"Budget!C{bs.STATUS_LAST + 1}"))[0][0]
    assert total == 30_000.0
    assert fb.read(parse_ref(f"Budget!B{bs.REGIME_ROW}"))[0][0] == "low"
    curve = fb.read(parse_ref(f"Budget!M{bs.CURVE_ROW0}:P{bs.CURVE_LAST}"))
    assert [r[0] for r in curve] == list(np.arange(10.0, 46.0))


def test_budget_sheet_charts_and_inputs(example_book):
    wb = openpyxl.load_workbook(example_book)
    ws = wb["Budget"]
    assert len(ws._charts) == 2
    for ch in ws._charts:
        assert ch.title is not None and ch.x_axis.delete is False and ch.y_axis.delete is False
        assert ch.x_axis.title is not None and ch.y_axis.title is not None
    for name in ("BudgetRate", "BudgetSplits", "VolLevels", "HedgeLedger", "CheckDate", "VolVIX"):
        assert name in wb.defined_names
    assert ws[f"B{bs.RATE_ROW}"].value == BUDGET_RATE


def test_recompute_fills_the_budget_sheet_after_an_edit(example_book, tmp_path):
    path = tmp_path / "edited.xlsx"
    path.write_bytes(example_book.read_bytes())
    fb = FileBook(path)
    fb.write_input(parse_ref(f"Budget!B{bs.RATE_ROW}"), [[0.04]])
    fb.write_input(parse_ref(f"Budget!B{bs.VOL_ROW0}"), [[18.0]])  # VIX at the boundary: normal
    fb.save()
    assert CliRunner().invoke(app, ["recompute", str(path)]).exit_code == 0
    fb = FileBook(path)
    status = fb.read(parse_ref(f"Budget!A{bs.STATUS_ROW0}:F{bs.STATUS_LAST}"))
    assert sum(r[2] for r in status) == pytest.approx(40_000.0)
    assert status[0][1] == DEFAULT_SPLITS.at["long_vol", "normal"]
    assert fb.read(parse_ref(f"Budget!B{bs.REGIME_ROW}"))[0][0] == "normal"
