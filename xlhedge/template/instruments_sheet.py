"""The Instruments sheet: the hedge-instrument catalogue as data (docs/methodology/sizing.md, perpetuals.md).

One row per instrument with the columns of
:data:`xlhedge.engine.instruments.SHEET_COLUMNS` (inputs, illustrative prices the user
refreshes), then computed columns: unit exposure (Δ-adjusted for puts), DV01
per unit for rates instruments, days to expiry and roll status. A settings
block above the table holds the sizing/perp defaults the Hedges and Scenarios
sheets read by name. ``InstrumentTable`` (header row + rows + spare rows) is
what ``HEDGE_PLAN`` / ``FX_HEDGE`` read, so a price edited here reaches every hedge.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from xlhedge.calc import layout
from xlhedge.engine import instruments as _inst
from xlhedge.engine.instruments import Instrument
from xlhedge.engine.perps import PERP_DEFAULTS
from xlhedge.engine.sizing import SIZING_DEFAULTS
from xlhedge.template import geometry, style
from xlhedge.template.context import TemplateContext

SHEET = "Instruments"
HEADER_ROW = 12
ROW0 = HEADER_ROW + 1
SPARE_ROWS = 8  # blank rows inside InstrumentTable for the user's own instruments

#: Settings block: (defined name, label, row, default, number format).
SETTINGS: tuple[tuple[str, str, int, object, str], ...] = (
    ("RollDate", "Valuation date for roll warnings (blank = none shown)", 4, None, "yyyy-mm-dd"),
    ("RollWarnDays", "Roll warning, days before expiry", 5, PERP_DEFAULTS["roll_warning_days"], "0"),
    ("FundingPerDay", "Perpetual funding periods per day", 6, SIZING_DEFAULTS["funding_periods_per_day"], "0"),
    ("MMR", "Maintenance margin rate (liquidation)", 7, PERP_DEFAULTS["mmr"], "0.00%"),
    ("OptionRate", "Risk-free rate r for option pricing", 8, SIZING_DEFAULTS["rate"], "0.00%"),
    ("OptionDiv", "Dividend yield q for option pricing (bs)", 9, SIZING_DEFAULTS["div"], "0.00%"),
)

EXTRA_COLUMNS = (
    "Unit exposure (currency)",
    "DV01 per unit",
    "Days to expiry",
    "Roll status",
    "Option premium per contract",
    "Option delta per contract (units)",
    "Option vega per contract (per vol point)",
)
_FORMATS = {
    "price": "#,##0.0000",
    "multiplier": "#,##0.###",
    "beta": "0.00",
    "face": "#,##0",
    "expiry": "yyyy-mm-dd",
    "strike": "#,##0.00",
    "vol": "0.0%",
    "years": "0.00",
    "funding_rate": "0.0000%",
    "strike2": "#,##0.00",
}
_WIDTHS = (10, 47, 11, 12, 11, 12, 10, 10, 9, 11, 7, 9, 7, 7, 10, 22, 10, 8, 9, 16, 11, 10, 10, 12, 12, 13)


def rows_for(instruments: Sequence[Instrument] | None = None) -> dict[str, int]:
    """Sheet row of each shipped ticker (the Hedges and Scenarios sheets refer to them)."""
    return {i.ticker: ROW0 + k for k, i in enumerate(instruments or _inst.INSTRUMENTS)}


def last_row() -> int:
    return ROW0 + len(_inst.INSTRUMENTS) + SPARE_ROWS - 1


def build(wb: Workbook, ctx: TemplateContext) -> None:
    ws = wb.create_sheet(SHEET)
    style.title(
        ws,
        "Hedge instruments — catalogue (ILLUSTRATIVE prices: refresh before use)",
        _inst.ILLUSTRATIVE_NOTE + " Yellow cells are inputs; the green columns are computed.",
    )
    ws["A3"] = "Settings"
    ws["A3"].font = Font(bold=True)
    for name, label, row, default, fmt in SETTINGS:
        ws.cell(row=row, column=1, value=label)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        c = ws.cell(row=row, column=4, value=default)
        if name == "RollDate" and ctx.as_of is not None:
            c.value = ctx.as_of
        c.fill = style.INPUT_FILL
        c.border = style.BOX
        c.number_format = fmt
        ctx.define(name, f"{SHEET}!$D${row}")

    labels = [h for h, _ in _inst.SHEET_COLUMNS]
    style.header(ws, HEADER_ROW, 1, labels + list(EXTRA_COLUMNS))
    fields = [f for _, f in _inst.SHEET_COLUMNS]
    col = {f: i + 1 for i, f in enumerate(fields)}
    L = {f: ws.cell(row=1, column=i).column_letter for f, i in col.items()}
    q, r, s, t, prem, dlt, vga = (len(fields) + k for k in range(1, 8))
    for k, inst in enumerate(_inst.INSTRUMENTS):
        row = ROW0 + k
        for f in fields:
            v = getattr(inst, f)
            if isinstance(v, _dt.date):
                v = _dt.datetime(v.year, v.month, v.day)
            c = ws.cell(row=row, column=col[f], value=v)
            c.fill = style.INPUT_FILL
            c.border = style.BOX
            if f in _FORMATS:
                c.number_format = _FORMATS[f]

        def ref(f: str, row: int = row) -> str:
            return f"{L[f]}{row}"

        if inst.kind == "option":

            def greek(strike: str, k: int = 2, f: Any = ref) -> str:
                """OPTION_GREEKS' k-th value (1 price, 2 delta, 4 vega per vol point) at ``strike``."""
                kind, model = f("option_type"), f("model")
                return (
                    f'INDEX(OPTION_GREEKS(IF(ISBLANK({kind}),"put",{kind}),{f("price")},{strike},{f("vol")},'
                    f'{f("years")},OptionRate,OptionDiv,IF(ISBLANK({model}),"bs",{model})),1,{k})'
                )

            def per_contract(k: int, spread_leg: bool = inst.strike2 is not None) -> str:
                """Long the option at strike, short the one at strike2 for a spread; × the multiplier."""
                spread = f"-{greek(ref('strike2'), k)}" if spread_leg else ""
                return f"=({greek(ref('strike'), k)}{spread})*{ref('multiplier')}"

            for cc, k, fmt in ((prem, 1, style.FMT_MONEY), (dlt, 2, "0.00;[Red]-0.00"), (vga, 4, "#,##0.00")):
                c = ws.cell(row=row, column=cc, value=per_contract(k))
                c.number_format = fmt
                c.fill = style.OUTPUT_FILL
            # one contract carries its delta in units of the underlying, at the underlying's price
            unit = f"={ws.cell(row=row, column=dlt).coordinate}*{ref('price')}"
        elif inst.kind == "perp_inverse":
            unit = f"={ref('face')}"
        else:
            unit = f"={ref('price')}*{ref('multiplier')}"
        ws.cell(row=row, column=q, value=unit).number_format = style.FMT_MONEY
        if inst.factor == "duration":
            face = f",{ref('face')}" if inst.face else ""
            ws.cell(
                row=row, column=r, value=f"=UNIT_DV01({ref('price')},{ref('beta')}{face})"
            ).number_format = "#,##0.000"
        if inst.expiry is not None:
            roll = f"ROLL_DAYS({ref('expiry')},RollDate,RollWarnDays)"
            ws.cell(row=row, column=s, value=f'=IF(ISBLANK(RollDate),"",INDEX({roll},1,1))').number_format = "0"
            ws.cell(row=row, column=t, value=f'=IF(ISBLANK(RollDate),"",INDEX({roll},1,2))')
        for cc in (q, r, s, t):
            ws.cell(row=row, column=cc).fill = style.OUTPUT_FILL
    for row in range(ROW0 + len(_inst.INSTRUMENTS), last_row() + 1):
        for f in fields:
            c = ws.cell(row=row, column=col[f])
            c.fill = style.INPUT_FILL
            c.border = style.BOX

    last_col = ws.cell(row=1, column=len(fields)).column_letter
    ctx.define(layout.INSTRUMENT_TABLE, f"{SHEET}!$A${HEADER_ROW}:${last_col}${last_row()}")
    ctx.define("InstrumentTickers", f"{SHEET}!$A${ROW0}:$A${last_row()}")
    kinds = DataValidation(
        type="list",
        formula1='"' + ",".join(_inst.KINDS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Kind",
        error="Kind: one of " + ", ".join(_inst.KINDS),
    )
    kinds.add(f"{L['kind']}{ROW0}:{L['kind']}{last_row()}")
    ws.add_data_validation(kinds)
    for i, w in enumerate(_WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = w
    # the name column shows the longest shipped name on one line (its neighbour is filled)
    geometry.fit_column(ws, col["name"], (i.name for i in _inst.INSTRUMENTS))
    geometry.fit_wrapped_rows(ws)
    ws.freeze_panes = ws.cell(row=ROW0, column=2)
    style.print_setup(ws)
