"""Hedges, Scenarios and Instruments sheets, `xlhedge hedge`, and Python = worksheet = recompute."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.formula import ArrayFormula
from typer.testing import CliRunner

from xlhedge import read_book
from xlhedge.calc.bookread import book_from_io
from xlhedge.calc.hedges import hedge_plan, read_hedge_inputs
from xlhedge.calc.recompute import RecomputeOptions, recompute
from xlhedge.cli import app
from xlhedge.engine import perps, scenarios, sizing
from xlhedge.engine._typing import CORE_FACTORS
from xlhedge.engine.instruments import SHEET_COLUMNS
from xlhedge.functions.registry import registry
from xlhedge.template import build_workbook, hedges_sheet, instruments_sheet, scenarios_sheet
from xlhedge.workbook.filebook import FileBook

R = registry()


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    return build_workbook(tmp_path_factory.mktemp("ex") / "example.xlsx", example="figure01")


def _values(path: Path, sheet: str):
    return openpyxl.load_workbook(path, data_only=True)[sheet]


def test_hedges_sheet_equals_python_api(example):
    book = read_book(example)
    e = book.exposures()["exposure"].reindex(list(CORE_FACTORS))
    recs = sizing.recommend_hedges(e, book.nav, ratios=hedges_sheet.DEFAULT_RATIO)
    ws = _values(example, "Hedges")
    for i, f in enumerate(CORE_FACTORS):
        r = hedges_sheet.ROW0 + i
        rec = recs.loc[f]
        assert ws[f"B{r}"].value == pytest.approx(rec["exposure"])
        assert ws[f"F{r}"].value == pytest.approx(rec["notional"])
        assert ws[f"G{r}"].value == rec["side"]
        if rec["instrument"]:
            assert ws[f"H{r}"].value == pytest.approx(rec["units"])
            assert ws[f"I{r}"].value == rec["contracts"]
            assert ws[f"J{r}"].value == pytest.approx(rec["residual_exposure"], abs=1e-15)
        assert ws[f"M{r}"].value == pytest.approx(rec["exposure_after"])
    # no error text anywhere on the three sheets
    for sheet in ("Hedges", "Scenarios", "Instruments"):
        for row in _values(example, sheet).iter_rows():
            for c in row:
                assert not (isinstance(c.value, str) and c.value.startswith("#")), (sheet, c.coordinate, c.value)


def test_fx_block_uses_the_books_fx_rows(example):
    book = read_book(example)
    pos = book.positions
    e = sizing.currency_exposures(pos["weight"], pos["fx_currency"].fillna(""), pos["fx_share"].astype(float))
    ws = _values(example, "Hedges")
    got = {ws[f"A{r}"].value: ws[f"B{r}"].value for r in range(hedges_sheet.FX_ROW0, hedges_sheet.FX_LAST + 1)}
    assert got["CHF"] == pytest.approx(e["CHF"]) and got["AUD"] == pytest.approx(e["AUD"])
    assert got["EUR"] == 0 and got["USD"] == 0
    listed = {ws.cell(row=r, column=11).value for r in range(hedges_sheet.FX_ROW0, hedges_sheet.FX_ROW0 + 3)}
    assert {"CHF", "AUD"} <= listed


def test_fx_block_falls_back_to_the_listing_currency(tmp_path, example):
    """A EUR-listed position with a blank FX exposure currency is EUR exposure, share 1."""
    from xlhedge.calc import layout

    wb = openpyxl.load_workbook(example)
    tickers = [
        wb["Book"].cell(row=layout.attribute_row("ticker"), column=layout.FIRST_POSITION_COL + k).value
        for k in range(6)
    ]
    col = layout.FIRST_POSITION_COL + tickers.index("AHCO")  # weight 1.5%, no FX exposure currency
    assert wb["Book"].cell(row=layout.attribute_row("fx_currency"), column=col).value in (None, "")
    wb["Book"].cell(row=layout.attribute_row("currency"), column=col, value="EUR")
    path = tmp_path / "eur_listing.xlsx"
    wb.save(path)
    fb = FileBook(path)
    recompute(fb, RecomputeOptions(write_status=False))
    fb.save(path)
    ws = _values(path, "Hedges")
    got = {ws[f"A{r}"].value: ws[f"B{r}"].value for r in range(hedges_sheet.FX_ROW0, hedges_sheet.FX_LAST + 1)}
    assert got["EUR"] == pytest.approx(0.015)
    assert got["CHF"] == pytest.approx(0.010 * 0.6) and got["AUD"] == pytest.approx(0.015 * 0.3)
    listed = {
        ws.cell(row=r, column=11).value: ws.cell(row=r, column=12).value
        for r in range(hedges_sheet.FX_ROW0, hedges_sheet.FX_ROW0 + hedges_sheet.FX_LIST_ROWS)
    }
    assert listed["EUR"] == pytest.approx(0.015)
    eur = hedges_sheet.FX_ROW0 + list(hedges_sheet.FX_CURRENCIES).index("EUR")
    # 50% of 15,000 USD of EUR sold through 6E (1.08 USD per EUR, 125,000 EUR)
    assert ws[f"E{eur}"].value == pytest.approx(-0.5 * 15_000 / (1.08 * 125_000))
    # the CLI computes the same exposure
    plan = hedge_plan(book_from_io(fb), read_hedge_inputs(fb))
    fx = plan["fx"].set_index("currency")
    assert fx.loc["EUR", "exposure"] == pytest.approx(0.015)
    assert fx.loc["EUR", "contracts_unrounded"] == pytest.approx(ws[f"E{eur}"].value)


def test_scenarios_sheet(example):
    ws = _values(example, "Scenarios")
    # outcome table: the docs/methodology/scenarios.md worked check in the spot and hedge grids
    moves = [ws.cell(row=scenarios_sheet.grid_top(0), column=2 + j).value for j in range(7)]
    j = moves.index(-0.2)
    r = scenarios_sheet.grid_top(1) + 1 + list(scenarios_sheet.RATIOS).index(0.5)
    assert ws.cell(row=r, column=2 + j).value == pytest.approx(-60_000)
    r = scenarios_sheet.grid_top(2) + 1 + list(scenarios_sheet.RATIOS).index(0.5)
    assert ws.cell(row=r, column=2 + j).value == pytest.approx(30_000)
    t = scenarios.hedge_outcomes(5, 60_000, scenarios_sheet.RATIOS, moves, funding_rate=0.0001, days=30)
    net = scenarios.outcome_grid(t).to_numpy()
    top = scenarios_sheet.grid_top(0)
    got = [[ws.cell(row=top + 1 + i, column=2 + k).value for k in range(7)] for i in range(5)]
    np.testing.assert_allclose(got, net)
    # normal vs stress: the TLT hedge alone helps in normal and hurts in stress
    s = scenarios_sheet.SUM_HEADER
    assert ws[f"D{s + 1}"].value > 0 > ws[f"D{s + 2}"].value
    # shock table: hedged P&L = SCENARIO_PNL of the Hedges sheet's exposure after
    hedged = [ws[f"E{scenarios_sheet.S_ROW0 + i}"].value for i in range(len(CORE_FACTORS))]
    shocks = [ws[f"C{scenarios_sheet.S_ROW0 + i}"].value for i in range(len(CORE_FACTORS))]
    p = scenarios.scenario_pnl(pd.Series(hedged, index=list(CORE_FACTORS)), shocks, 1_000_000)
    assert ws[f"G{scenarios_sheet.S_TOTAL}"].value == pytest.approx(p.loc["total", "book"])


def test_charts_and_instruments_sheet(example):
    wb = openpyxl.load_workbook(example)
    assert wb.sheetnames[2:5] == ["Hedges", "Scenarios", "Instruments"]
    # Hedges: the per-factor plan and the optimised hedge; Scenarios: shocks, joint (options; book), regime, outcomes
    for sheet, n in (("Hedges", 2), ("Scenarios", 5)):
        charts = wb[sheet]._charts
        assert len(charts) == n
        for ch in charts:
            assert ch.title is not None and ch.x_axis.title is not None and ch.y_axis.title is not None
            assert ch.x_axis.delete is False and ch.y_axis.delete is False
    ws = wb["Instruments"]
    assert "ILLUSTRATIVE" in ws["A1"].value
    assert "InstrumentTable" in wb.defined_names
    vals = _values(example, "Instruments")
    rows = instruments_sheet.rows_for()
    # roll status from the example's valuation date (2026-11-13): ES 2026-12-18 → 35 days
    n = len(SHEET_COLUMNS)  # the computed columns follow the catalogue's: unit exposure, DV01, days, status
    assert vals.cell(row=rows["ES"], column=n + 3).value == 35
    assert vals.cell(row=rows["ES"], column=n + 4).value == "ok"
    assert vals.cell(row=rows["TLT"], column=n + 2).value == pytest.approx(90 * 17 * 1e-4)


def test_edited_price_on_instruments_sheet_reaches_the_hedge(tmp_path, example):
    wb = openpyxl.load_workbook(example)
    rows = instruments_sheet.rows_for()
    wb["Instruments"].cell(row=rows["TLT"], column=5, value=45.0)  # TLT price halves
    wb["Hedges"][f"D{hedges_sheet.ROW0 + 1}"] = 1.0  # duration ratio 100%
    path = tmp_path / "edited.xlsx"
    wb.save(path)
    fb = FileBook(path)
    recompute(fb, RecomputeOptions(write_status=False))
    fb.save(path)
    ws = _values(path, "Hedges")
    book = read_book(path)
    e_dur = book.exposures().loc["duration", "exposure"]
    units = -e_dur * book.nav / (45.0 * 17)
    assert ws[f"H{hedges_sheet.ROW0 + 1}"].value == pytest.approx(units)
    # the CLI reads the same inputs and gives the same numbers
    inp = read_hedge_inputs(fb)
    plan = hedge_plan(book_from_io(fb), inp)
    assert plan["factors"].loc["duration", "units"] == pytest.approx(units)


def test_hedge_command(example):
    runner = CliRunner()
    res = runner.invoke(app, ["hedge", str(example)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "Recommended hedges" in res.output and "TLT" in res.output and "-28" in res.output
    assert "FX hedges" in res.output and "6S" in res.output
    res = runner.invoke(
        app, ["hedge", str(example), "--ratio", "duration=100%", "--instrument", "equity=MES"], env={"COLUMNS": "200"}
    )
    assert res.exit_code == 0 and "MES" in res.output and "-56" in res.output  # 85,000 / (90 × 17)
    res = runner.invoke(app, ["hedge", str(example), "--ratio", "eq=1"])
    assert res.exit_code == 2 and "unknown factor 'eq'" in res.output
    res = runner.invoke(app, ["hedge", str(example), "--instrument", "equity=NQ"])
    assert res.exit_code == 2 and "valid tickers" in res.output and "Traceback" not in res.output


def test_same_numbers_python_worksheet_and_recompute(tmp_path):
    """A user's own workbook calling the functions: Python API = registry call = recompute."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Calc"
    ws["A1"] = "=HEDGE_NOTIONAL(0.92,100000,0.5)"
    ws["A2"] = '=LIQ_PRICE(60000,10,"long",0.005,"linear")'
    ws["A3"] = '=LIQ_PRICE(60000,5,"short",0.005,"inverse")'
    ws["A4"] = '=PERP_FUNDING(100000,0.0001,3,"long")'
    ws["A5"] = "=INVERSE_PNL(-3000,100,60000,48000)"
    ws["A6"] = "=PUT_DELTA(6000,5700,0.18,0.25,0.04,0.013)"
    ws["A7"] = "=UNIT_DV01(111,6.5,100000)"
    ws["A8"] = '=LIQ_PRICE(60000,0,"long")'
    ws["C1"], ws["C2"] = 0.5, 1.0
    ws["D1"], ws["E1"] = -0.2, 0.2
    ws["G1"] = ArrayFormula("G1:L4", "=HEDGE_OUTCOMES(5,60000,C1:C2,D1:E1)")
    ws["G6"] = ArrayFormula("G6:J6", "=HEDGE_CONTRACTS(-920000,6000,50,1,5)")
    path = tmp_path / "calc.xlsx"
    wb.save(path)
    runner = CliRunner()
    res = runner.invoke(app, ["recompute", str(path)])
    # A8 (leverage 0) ends in an error: the results are written and the exit code says so
    assert res.exit_code == 1, res.output
    assert "Calc!A8" in res.output and "leverage must be > 0" in res.output
    v = _values(path, "Calc")
    python = [
        sizing.hedge_notional(0.92, 100_000, 0.5),
        perps.liquidation_price(60_000, 10, "long"),
        perps.liquidation_price(60_000, 5, "short", 0.005, "inverse"),
        perps.funding_payment(100_000, 0.0001, 3, "long"),
        perps.inverse_pnl(-3000, 100, 60_000, 48_000),
        R["PUT_DELTA"].call(6000, 5700, 0.18, 0.25, 0.04, 0.013),
        sizing.dv01_unit(111, 6.5, 100_000),
    ]
    calls = [
        R["HEDGE_NOTIONAL"].call(0.92, 100000, 0.5),
        R["LIQ_PRICE"].call(60000, 10, "long", 0.005, "linear"),
        R["LIQ_PRICE"].call(60000, 5, "short", 0.005, "inverse"),
        R["PERP_FUNDING"].call(100000, 0.0001, 3, "long"),
        R["INVERSE_PNL"].call(-3000, 100, 60000, 48000),
    ]
    for i, want in enumerate(python):
        assert v[f"A{i + 1}"].value == pytest.approx(want, rel=1e-12)
    for i, want in enumerate(calls):
        assert v[f"A{i + 1}"].value == pytest.approx(want, rel=1e-12)
    assert v["A1"].value == pytest.approx(-46_000)
    assert v["A8"].value.startswith("#VALUE! LIQ_PRICE: leverage must be > 0")
    table = [[v.cell(row=r, column=c).value for c in range(7, 13)] for r in (1, 2, 3, 4)]
    t = scenarios.hedge_outcomes(5, 60_000, [0.5, 1.0], [-0.2, 0.2])
    np.testing.assert_allclose(table, t[["ratio", "move", "spot", "hedge", "funding", "net"]].to_numpy())
    assert [v.cell(row=6, column=c).value for c in range(7, 11)] == pytest.approx([-3, -20_000, -1, 10_000])


def test_no_worksheet_function_is_named_like_a_cell():
    """Excel reads NAME( as a cell reference followed by a bracket when NAME is a cell (A1 … XFD1048576)
    or an R1C1 reference; no workbook could call such a function, so none may be registered."""
    import re

    from openpyxl.utils import column_index_from_string

    def cell_like(name: str) -> bool:
        m = re.fullmatch(r"([A-Z]{1,3})([0-9]+)", name.upper())
        a1 = bool(m) and column_index_from_string(m[1]) <= 16_384 and 1 <= int(m[2]) <= 1_048_576
        return a1 or bool(re.fullmatch(r"R[0-9]*C[0-9]*", name.upper()))

    assert cell_like("DV01") and cell_like("XFD1048576") and not cell_like("UNIT_DV01")
    assert [n for n in registry() if cell_like(n)] == []


def test_a_book_still_calling_dv01_recomputes_with_a_warning_naming_the_cell(tmp_path: Path):
    """DV01 was renamed UNIT_DV01 (Excel cannot call DV01): a book holding the old name still
    recomputes without Excel, to the same number, and each such cell gets a warning to rename it."""
    from xlhedge.functions.registry import RENAMED

    assert RENAMED == {"DV01": "UNIT_DV01"} and "DV01" not in registry()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rates"
    ws["A1"] = "=DV01(111,6.5,100000)"
    ws["A2"] = "=UNIT_DV01(111,6.5,100000)"
    path = tmp_path / "old.xlsx"
    wb.save(path)
    res = CliRunner().invoke(app, ["recompute", str(path)])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "Rates!A1" in text and "DV01 is now UNIT_DV01" in text and "Rates!A2" not in text
    v = _values(path, "Rates")
    assert v["A1"].value == v["A2"].value == pytest.approx(sizing.dv01_unit(111, 6.5, 100_000), rel=1e-12)
    assert openpyxl.load_workbook(path)["Rates"]["A1"].value == "=DV01(111,6.5,100000)"  # the formula is the user's
