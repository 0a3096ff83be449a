"""The Instruments sheet's option columns: premium, delta and vega per contract of each option in the
catalogue, as the recompute pipeline stores them in the shipped book, against QuantLib's analytic
European engine (Black–Scholes–Merton with r and q; Black-76 as BSM with q = r on the future) and
against the engine's own per-unit figures (xlhedge.engine.instruments.option_unit × multiplier)."""

from __future__ import annotations

import openpyxl
import pytest

import xlhedge
from xlhedge.engine.instruments import INSTRUMENTS, option_unit
from xlhedge.template import template_path
from xlhedge.template.instruments_sheet import HEADER_ROW, ROW0, SETTINGS

COLUMNS = (
    "Option premium per contract",
    "Option delta per contract (units)",
    "Option vega per contract (per vol point)",
)


@pytest.fixture(scope="module")
def sheet():
    ws = openpyxl.load_workbook(template_path("example"), data_only=True)["Instruments"]
    header = {ws.cell(row=HEADER_ROW, column=c).value: c for c in range(1, ws.max_column + 1)}
    rows = {ws.cell(row=r, column=1).value: r for r in range(ROW0, ws.max_row + 1)}
    settings = {name: ws.cell(row=row, column=4).value for name, _, row, _, _ in SETTINGS}
    return ws, header, rows, settings


def _quantlib(kind: str, spot: float, strike: float, vol: float, years: float, r: float, q: float):
    """Price, delta, vega per vol point of one unit: QuantLib's BlackCalculator on the forward
    S·e^{(r−q)T} with discount e^{−rT} and standard deviation σ√T (no calendar in between)."""
    import math

    ql = pytest.importorskip("QuantLib")
    payoff = ql.PlainVanillaPayoff(ql.Option.Put if kind == "put" else ql.Option.Call, strike)
    calc = ql.BlackCalculator(payoff, spot * math.exp((r - q) * years), vol * math.sqrt(years), math.exp(-r * years))
    return calc.value(), calc.delta(spot), calc.vega(years) / 100


def test_every_catalogue_option_has_premium_delta_and_vega_per_contract(sheet):
    ws, header, rows, settings = sheet
    r, q = float(settings["OptionRate"]), float(settings["OptionDiv"])
    options = [i for i in INSTRUMENTS if i.kind == "option"]
    assert {"SPX_PUT", "SPX_CALL", "SPX_PS", "VIX_CALL"} <= {i.ticker for i in options}
    for inst in options:
        got = [ws.cell(row=rows[inst.ticker], column=header[c]).value for c in COLUMNS]
        unit = option_unit(inst, rate=r, div=q)
        assert got == pytest.approx([u * inst.multiplier for u in unit], rel=1e-9), inst.ticker
        kind = str(inst.option_type or "put")
        qq = r if inst.model == "black76" else q  # Black-76: the future carries at r
        legs = [(inst.strike, 1.0)] + ([(inst.strike2, -1.0)] if inst.strike2 is not None else [])
        ql = [0.0, 0.0, 0.0]
        for k, sign in legs:
            for j, v in enumerate(_quantlib(kind, inst.price, k, inst.vol, inst.years, r, qq)):
                ql[j] += sign * v
        assert got == pytest.approx([v * inst.multiplier for v in ql], rel=1e-6), inst.ticker
    for inst in INSTRUMENTS:  # futures and ETFs leave the columns blank
        if inst.kind != "option":
            assert all(ws.cell(row=rows[inst.ticker], column=header[c]).value is None for c in COLUMNS), inst.ticker


def test_a_put_spread_costs_less_and_carries_less_vega_than_its_long_put(sheet):
    ws, header, rows, _ = sheet
    put, spread = rows["SPX_PUT"], rows["SPX_PS"]
    assert xlhedge.instrument("SPX_PS").strike == xlhedge.instrument("SPX_PUT").strike
    for c in (COLUMNS[0], COLUMNS[2]):
        assert 0 < ws.cell(row=spread, column=header[c]).value < ws.cell(row=put, column=header[c]).value
    assert ws.cell(row=put, column=header[COLUMNS[1]]).value < ws.cell(row=spread, column=header[COLUMNS[1]]).value < 0
