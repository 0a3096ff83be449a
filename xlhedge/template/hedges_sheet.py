"""The Hedges sheet: recommended hedges for the book, one hedge-ratio input per factor (docs/methodology/sizing.md, perpetuals.md).

* Factor hedges: for each core factor, the exposure from the Exposures sheet,
  an instrument, hedge ratio and target (inputs), the notional
  ``=HEDGE_NOTIONAL`` and the recommendation row ``=HEDGE_PLAN`` (side, units,
  whole contracts, rounding residual, micro completion, exposure after, cost)
  priced from the Instruments sheet.
* FX: exposure per currency (``=CURRENCY_EXPOSURE`` over the Book's FX rows, the
  listing currency standing in for a blank FX exposure currency) and
  the currency-future legs (``=FX_HEDGE``) for the currency of record; every
  foreign currency of the book is listed beside it (``=FX_EXPOSURE``).
* Perpetual hedge mechanics: liquidation price and distance, funding carry.
* A chart of exposure before vs after.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from xlhedge.calc import layout
from xlhedge.engine._typing import CORE_FACTORS
from xlhedge.engine.instruments import DEFAULT_HEDGE_INSTRUMENTS, INSTRUMENTS
from xlhedge.engine.perps import CONTRACTS, LIQUIDATION_NOTE, SIDES
from xlhedge.engine.sizing import DEFAULT_HEDGE_RATIO
from xlhedge.template import exposures_sheet, geometry, style
from xlhedge.template.context import TemplateContext

SHEET = "Hedges"
ALPHA_ROW = 4
HEADER_ROW = 6
ROW0 = HEADER_ROW + 1
LAST = ROW0 + len(CORE_FACTORS) - 1
#: Default hedge ratio per factor on the sheet (Cross-Asset Hedging §05's "50% hedge"), an input.
DEFAULT_RATIO = DEFAULT_HEDGE_RATIO

COLUMNS = [
    "Factor",
    "Exposure (× NAV)",
    "Instrument",
    "Hedge ratio",
    "Target (× NAV)",
    "Hedge notional",
    "Side",
    "Units (unrounded)",
    "Contracts",
    "Rounding residual (× NAV)",
    "Micro",
    "Micro contracts",
    "Exposure after (× NAV)",
    "Cost (premium, or funding per year; < 0 received)",
]

FX_TITLE_ROW = LAST + 3
FX_HEADER_ROW = FX_TITLE_ROW + 1
FX_ROW0 = FX_HEADER_ROW + 1
FX_CURRENCIES = tuple(i.currency for i in INSTRUMENTS if i.factor == "fx") + ("USD",)
FX_LAST = FX_ROW0 + len(FX_CURRENCIES) - 1
FX_COLUMNS = [
    "Currency",
    "Exposure (× NAV)",
    "Hedge ratio",
    "Future",
    "Contracts (unrounded)",
    "Contracts",
    "Record-ccy future",
    "Contracts (unrounded)",
    "Contracts",
]
FX_LIST_COL = 11  # K: every foreign currency of the book
FX_LIST_ROWS = 10

PERP_TITLE_ROW = max(FX_LAST, FX_ROW0 + FX_LIST_ROWS - 1) + 3
PERP_ROW0 = PERP_TITLE_ROW + 2

_PERP_INPUTS = (
    ("Entry price", 60_000.0, "#,##0.00"),
    ("Leverage", 3.0, "0.0"),
    ("Side", "short", "@"),
    ("Contract", "linear", "@"),
    ("σ of daily moves", 0.03, "0.00%"),
    ("Position value (currency)", 100_000.0, "#,##0"),
    ("Funding rate per period", 0.0001, "0.0000%"),
    ("Horizon (days)", 30.0, "0"),
)


def build(wb: Workbook, ctx: TemplateContext) -> None:
    ws = wb.create_sheet(SHEET)
    style.title(
        ws,
        "Hedges — recommended per factor",
        "H = −h·(E − T)·NAV/(1 − α); units = H / (unit exposure × beta); whole contracts (nearest) "
        "and a micro contract for the rest (docs/methodology/sizing.md). Yellow = inputs; prices come from the Instruments "
        "sheet (illustrative: refresh them).",
    )
    ws.cell(row=ALPHA_ROW, column=1, value="Alpha estimate α (0 ≤ α < 1)").font = Font(bold=True)
    style.input_cell(ws, ALPHA_ROW, 2, 0.0, "0%")
    ctx.define(layout.HEDGE_ALPHA, f"{SHEET}!$B${ALPHA_ROW}")

    style.header(ws, HEADER_ROW, 1, COLUMNS)
    ex0 = exposures_sheet.ROW0
    for i, factor in enumerate(CORE_FACTORS):
        r = ROW0 + i
        ws.cell(row=r, column=1, value=f"=Exposures!$A${ex0 + i}").font = Font(bold=True)
        ws.cell(row=r, column=2, value=f"=Exposures!$B${ex0 + i}").number_format = style.FMT_EXPOSURE
        for col, value, fmt in (
            (3, DEFAULT_HEDGE_INSTRUMENTS.get(factor), "@"),
            (4, DEFAULT_RATIO, "0%"),
            (5, 0.0, style.FMT_EXPOSURE),
        ):
            style.input_cell(ws, r, col, value, fmt)
        ws.cell(row=r, column=6, value=f"=HEDGE_NOTIONAL(B{r},NAV,D{r},E{r},HedgeAlpha)")
        ws[f"G{r}"] = ArrayFormula(
            f"G{r}:N{r}",
            f"=HEDGE_PLAN(C{r},B{r},NAV,D{r},E{r},HedgeAlpha,InstrumentTable,OptionRate,OptionDiv,FundingPerDay)",
        )
        for col, fmt in (
            (6, style.FMT_MONEY),
            (8, "0.00;[Red]-0.00"),
            (9, "0;[Red]-0"),
            (10, style.FMT_EXPOSURE),
            (12, "0;[Red]-0"),
            (13, style.FMT_EXPOSURE),
            (14, style.FMT_MONEY),
        ):
            ws.cell(row=r, column=col).number_format = fmt
        for col in range(6, 15):
            ws.cell(row=r, column=col).fill = style.OUTPUT_FILL
    tickers = DataValidation(
        type="list",
        formula1="InstrumentTickers",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Instrument",
        error="Pick a ticker listed on the Instruments sheet (or leave blank).",
    )
    tickers.add(f"C{ROW0}:C{LAST}")
    ws.add_data_validation(tickers)
    ratio = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="1",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Hedge ratio",
        error="The hedge ratio is between 0% and 100%.",
    )
    ratio.add(f"D{ROW0}:D{LAST}")
    ws.add_data_validation(ratio)
    for name, col in (
        ("HedgeFactors", "A"),
        ("HedgeInstruments", "C"),
        ("HedgeRatios", "D"),
        ("HedgeTargets", "E"),
        ("HedgeNotionals", "F"),
        ("HedgeContracts", "I"),
        ("HedgeExposureAfter", "M"),
    ):
        ctx.define(name, f"{SHEET}!${col}${ROW0}:${col}${LAST}")

    _fx_block(ws, ctx)
    _perp_block(ws, ctx)

    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = "Exposure before and after the recommended hedges (× NAV)"
    chart.y_axis.title = "Exposure (× NAV)"
    chart.x_axis.title = "Factor"
    before = Reference(ws, min_col=2, min_row=HEADER_ROW, max_row=LAST)
    after = Reference(ws, min_col=13, min_row=HEADER_ROW, max_row=LAST)
    chart.add_data(before, titles_from_data=True)
    chart.add_data(after, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=ROW0, max_row=LAST))
    style.chart_axes(chart, "0.00")
    chart.x_axis.scaling.orientation = "maxMin"
    geometry.add_chart(ws, chart, f"P{HEADER_ROW}")

    # A holds the longest label ("Alpha estimate α (0 ≤ α < 1)"), G the liquidation price, K/L the FX list
    for col, width in zip("ABCDEFGHIJKLMN", (32, 13, 11, 9, 12, 14, 12, 12, 10, 13, 12, 11, 13, 18)):
        ws.column_dimensions[col].width = width
    ws.row_dimensions[HEADER_ROW].height = 45
    style.print_setup(ws)


def _fx_block(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(
        row=FX_TITLE_ROW,
        column=1,
        value="FX exposure per currency against the currency of record (docs/methodology/sizing.md FX): "
        "Σ weight × FX share over the Book's FX rows (a blank FX exposure currency = "
        "the listing currency)",
    ).font = Font(bold=True)
    style.header(ws, FX_HEADER_ROW, 1, FX_COLUMNS)
    for k, ccy in enumerate(FX_CURRENCIES):
        r = FX_ROW0 + k
        ws.cell(row=r, column=1, value=ccy).font = Font(bold=True)
        ws.cell(
            row=r,
            column=2,
            value=f"=CURRENCY_EXPOSURE(BookWeights,BookFxCurrencies,BookFxShares,A{r},RecordCurrency,BookCurrencies)",
        ).number_format = style.FMT_EXPOSURE
        style.input_cell(ws, r, 3, DEFAULT_RATIO, "0%")
        ws[f"D{r}"] = ArrayFormula(f"D{r}:I{r}", f"=FX_HEDGE(A{r},B{r},NAV,C{r},RecordCurrency,InstrumentTable)")
        for col, fmt in ((5, "0.00;[Red]-0.00"), (6, "0;[Red]-0"), (8, "0.00;[Red]-0.00"), (9, "0;[Red]-0")):
            ws.cell(row=r, column=col).number_format = fmt
        for col in (2, 4, 5, 6, 7, 8, 9):
            ws.cell(row=r, column=col).fill = style.OUTPUT_FILL
    ctx.define(layout.FX_CURRENCIES, f"{SHEET}!$A${FX_ROW0}:$A${FX_LAST}")
    ctx.define(layout.FX_RATIOS, f"{SHEET}!$C${FX_ROW0}:$C${FX_LAST}")
    style.header(ws, FX_HEADER_ROW, FX_LIST_COL, ["Every foreign currency", "Exposure (× NAV)"])
    ws.row_dimensions[FX_HEADER_ROW].height = 45  # three wrapped lines: "Contracts (unrounded)"
    top = f"K{FX_ROW0}"
    end = f"L{FX_ROW0 + FX_LIST_ROWS - 1}"
    ws[top] = ArrayFormula(
        f"{top}:{end}",
        f"=FX_EXPOSURE(BookWeights,BookFxCurrencies,BookFxShares,RecordCurrency,{FX_LIST_ROWS},BookCurrencies)",
    )
    for k in range(FX_LIST_ROWS):
        ws.cell(row=FX_ROW0 + k, column=FX_LIST_COL + 1).number_format = style.FMT_EXPOSURE
        for col in (FX_LIST_COL, FX_LIST_COL + 1):
            ws.cell(row=FX_ROW0 + k, column=col).fill = style.OUTPUT_FILL


def _perp_block(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(
        row=PERP_TITLE_ROW, column=1, value="Perpetual / futures hedge mechanics (docs/methodology/perpetuals.md)"
    ).font = Font(bold=True)
    ws.cell(row=PERP_TITLE_ROW + 1, column=1, value=LIQUIDATION_NOTE).font = style.NOTE_FONT
    refs = {}
    for k, (label, value, fmt) in enumerate(_PERP_INPUTS):
        r = PERP_ROW0 + k
        ws.cell(row=r, column=1, value=label)
        style.input_cell(ws, r, 2, value, fmt)
        refs[label] = f"B{r}"
    side = DataValidation(type="list", formula1='"' + ",".join(SIDES) + '"', allow_blank=False)
    side.add(refs["Side"])
    contract = DataValidation(type="list", formula1='"' + ",".join(CONTRACTS) + '"', allow_blank=False)
    contract.add(refs["Contract"])
    ws.add_data_validation(side)
    ws.add_data_validation(contract)
    p, lev, sd, ct = refs["Entry price"], refs["Leverage"], refs["Side"], refs["Contract"]
    out_col = 4
    outputs = (
        ("Liquidation price", f"=LIQ_PRICE({p},{lev},{sd},MMR,{ct})", "#,##0.00"),
        ("Distance to liquidation (%, σ daily)", None, "0.0%"),
        (
            "Funding over the horizon (received > 0)",
            f"=PERP_FUNDING({refs['Position value (currency)']},{refs['Funding rate per period']},"
            f"{refs['Horizon (days)']}*FundingPerDay,{sd})",
            style.FMT_MONEY,
        ),
        (
            "Annualised carry (× position value)",
            f"=PERP_FUNDING(1,{refs['Funding rate per period']},365*FundingPerDay,{sd})",
            "0.00%",
        ),
    )
    for k, (label, formula, fmt) in enumerate(outputs):
        r = PERP_ROW0 + k
        ws.cell(row=r, column=out_col, value=label)
        ws.merge_cells(start_row=r, start_column=out_col, end_row=r, end_column=out_col + 2)
        cell = ws.cell(row=r, column=out_col + 3)
        if formula is None:  # the distance row: two cells
            ws[cell.coordinate] = ArrayFormula(
                f"{cell.coordinate}:{ws.cell(row=r, column=out_col + 4).coordinate}",
                f"=LIQ_DISTANCE({p},{ws.cell(row=PERP_ROW0, column=out_col + 3).coordinate},"
                f"{refs['σ of daily moves']})",
            )
            ws.cell(row=r, column=out_col + 4).number_format = '0.0" σ"'
            ws.cell(row=r, column=out_col + 4).fill = style.OUTPUT_FILL
        else:
            cell.value = formula
        cell.number_format = fmt
        cell.fill = style.OUTPUT_FILL
