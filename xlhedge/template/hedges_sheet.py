"""The Hedges sheet: recommended hedges for the book, one hedge-ratio input per factor (docs/methodology/sizing.md, perpetuals.md).

* Factor hedges: for each core factor, the exposure from the Exposures sheet,
  an instrument, hedge ratio and target (inputs), the notional
  ``=HEDGE_NOTIONAL`` and the recommendation row ``=HEDGE_PLAN`` (side, units,
  whole contracts, rounding residual, micro completion, exposure after, cost, and the
  vol exposure an option hedge adds: × NAV and currency per vol point) priced from the
  Instruments sheet.
* FX: exposure per currency (``=CURRENCY_EXPOSURE`` over the Book's FX rows, the
  listing currency standing in for a blank FX exposure currency) and
  the currency-future legs (``=FX_HEDGE``) for the currency of record; every
  foreign currency of the book is listed beside it (``=FX_EXPOSURE``).
* Perpetual hedge mechanics: liquidation price and distance, funding carry.
* A chart of exposure before vs after.
* Optimised hedge (docs/methodology/hedge-optimizer.md): one hedge for the whole book over an
  editable candidate list, minimising the worse of the normal and stress residual σ within the
  budget (``=HEDGE_OPTIMIZE``), from the factor vols and correlations (``=FACTOR_COVARIANCE``),
  the candidates' loadings and costs from the Instruments sheet, beside the rule of thumb above
  (``=HEDGE_RISK``), with a chart.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from xlhedge.calc import layout
from xlhedge.engine import candidates as cand
from xlhedge.engine._typing import CORE_FACTORS
from xlhedge.engine.instruments import DEFAULT_HEDGE_INSTRUMENTS, INSTRUMENTS
from xlhedge.engine.perps import CONTRACTS, LIQUIDATION_NOTE, SIDES
from xlhedge.engine.sizing import DEFAULT_HEDGE_RATIO
from xlhedge.template import budget_sheet, correlations_sheet, exposures_sheet, geometry, style
from xlhedge.template.context import TemplateContext

SHEET = "Hedges"
#: A label that wraps in its cell (its row made tall enough by geometry.fit_wrapped_rows), its last line
#: beside its input.
WRAP = Alignment(wrap_text=True)
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
    "Vol exposure added (× NAV per vol point)",
    "Vol exposure added (per vol point)",
]

#: Under the plan: the vol exposure after every hedge, the vega of option hedges on other rows included.
VOL_AFTER_ROW = LAST + 1
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
            f"G{r}:P{r}",
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
            (15, "0.000000;[Red]-0.000000"),
            (16, style.FMT_MONEY),
        ):
            ws.cell(row=r, column=col).number_format = fmt
        for col in range(6, 17):
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
        ("HedgeMicros", "K"),
        ("HedgeMicroContracts", "L"),
        ("HedgeExposureAfter", "M"),
        ("HedgeVolAdded", "O"),
        ("HedgeVolAddedCcy", "P"),
    ):
        ctx.define(name, f"{SHEET}!${col}${ROW0}:${col}${LAST}")

    # The vol row's "exposure after" is its own hedge's; an option hedge on another row (SPX puts on
    # equity) adds vega too: the vol exposure after every hedge, as `xlhedge hedge` prints it.
    vol_row = ROW0 + CORE_FACTORS.index("vol")
    r = VOL_AFTER_ROW
    ws.cell(row=r, column=1, value="Vol after every hedge (option hedges' vega included)").font = Font(italic=True)
    after = ws.cell(row=r, column=13, value=f"=M{vol_row}+100*SUM(O{ROW0}:O{LAST})")  # O is × NAV; vol is % of NAV
    after.number_format = style.FMT_EXPOSURE
    ccy = ws.cell(row=r, column=16, value=f"=M{r}*NAV*0.01")
    ccy.number_format = style.FMT_MONEY
    for c in (after, ccy):
        c.fill = style.OUTPUT_FILL
    ctx.define("HedgeVolAfter", f"{SHEET}!$M${r}")

    _fx_block(ws, ctx)
    _perp_block(ws, ctx)
    _optimised_block(ws, ctx)

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
    geometry.add_chart(ws, chart, f"R{HEADER_ROW}")

    # A holds the longest label ("Alpha estimate α (0 ≤ α < 1)"), G the liquidation price, K/L the FX list;
    # C/D the optimiser's bounds and D its P&L per unit move (up to -2,500,000,000 on a 2.5 bn book)
    for col, width in zip("ABCDEFGHIJKLMNOP", (32, 13, 12, 14, 12, 14, 12, 12, 10, 13, 12, 11, 13, 18, 14, 13)):
        ws.column_dimensions[col].width = width
    # B: the optimiser's move units on one line ("sector return relative to SPX"), so the correlation
    # matrices beside them keep even rows
    units = [*cand.FACTOR_MOVES["unit"], cand.TILT_MOVE["unit"]]
    geometry.fit_column(ws, 2, units)
    ws.row_dimensions[HEADER_ROW].height = 45
    geometry.fit_wrapped_rows(ws)
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


# ----------------------------------------------------------------------------- optimised hedge
OPT_TITLE_ROW = PERP_ROW0 + len(_PERP_INPUTS) + 3
OPT_INPUT_ROW0 = OPT_TITLE_ROW + 2
_OPT_INPUTS = (
    (layout.OPT_HORIZON, "Horizon (trading days) of the risk and of the funding carry", cand.DEFAULT_HORIZON_DAYS, "0"),
    (
        layout.OPT_BUDGET,
        "Budget for this hedge (default: the Budget sheet's remaining hedge buckets, without the rebalance reserve)",
        None,
        style.FMT_MONEY,
    ),
    (layout.OPT_COST_WEIGHT, "Cost weight w (objective = worse σ + w × cost)", 0.0, "0.00"),
    (layout.OPT_INTEGER, "Whole contracts (TRUE) or continuous (FALSE)", True, "General"),
    (layout.OPT_SIZE_LIMIT, "Size limit: one leg's σ at most this × the book's σ", cand.SIZE_LIMIT, "0.0"),
)
OPT_FACTOR_HEADER = OPT_INPUT_ROW0 + len(_OPT_INPUTS) + 2
OPT_F0 = OPT_FACTOR_HEADER + 1
N_OPT = layout.N_FACTORS
OPT_F_LAST = OPT_F0 + N_OPT - 1
OPT_FACTOR_COLUMNS = [
    "Factor",
    "Move unit",
    "Exposure (× NAV)",
    "Book P&L per unit move",
    "After the rule of thumb",
    "Vol normal (annual)",
    "Vol stress (annual)",
]
CORR_N_COL = 9  # I: normal correlations
CORR_S_COL = CORR_N_COL + N_OPT + 1
COV_HEADER = OPT_F_LAST + 3
COV_ROW0 = COV_HEADER + 1
LOAD_HEADER = COV_ROW0 + N_OPT + 2
LOAD_ROW0 = LOAD_HEADER + 1  # the spill's header row of tickers
CAND_HEADER = LOAD_ROW0 + N_OPT + 3
CAND_ROW0 = CAND_HEADER + 1
N_CAND = len(cand.DEFAULT_CANDIDATES) + 1
CAND_LAST = CAND_ROW0 + N_CAND - 1
CAND_COLUMNS = ["Candidate", "Cost per contract", "Lower (contracts)", "Upper (contracts)", "Optimised contracts"]
SUMMARY_HEADER = CAND_LAST + 6
SUMMARY_ROW0 = SUMMARY_HEADER + 1
SUMMARY_ROWS = ("Residual σ normal", "Residual σ stress", "Worse of the two", "Cost")
#: Pairs of the Correlations sheet's typical table: (factor, its row there, sign for a factor move).
_CORR_LINKS = {"duration": (0, -1.0), "usd": (1, 1.0), "commodity": (2, 1.0), "crypto": (3, 1.0)}


def _optimised_block(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(
        row=OPT_TITLE_ROW,
        column=1,
        value="Optimised hedge — one hedge for the whole book: min max(σ normal, σ stress) of the residual + w × cost, "
        "within the budget and bounds, whole contracts (docs/methodology/hedge-optimizer.md)",
    ).font = Font(bold=True, size=12)
    ws.cell(row=OPT_TITLE_ROW + 1, column=1, value=cand.ILLUSTRATIVE_NOTE).font = style.NOTE_FONT
    for k, (name, label, value, fmt) in enumerate(_OPT_INPUTS):
        r = OPT_INPUT_ROW0 + k
        ws.cell(row=r, column=1, value=label).alignment = WRAP  # its row is made tall enough
        if value is None:  # the budget: the Budget sheet's remaining long vol, tail, cross-asset and FX buckets
            r0 = budget_sheet.STATUS_ROW0
            value = f"=SUM(Budget!$E${r0}:$E${r0 + 3})"
        style.input_cell(ws, r, 2, value, fmt)
        ctx.define(name, f"{SHEET}!$B${r}")

    style.header(ws, OPT_FACTOR_HEADER, 1, OPT_FACTOR_COLUMNS)
    ex0 = exposures_sheet.ROW0
    plan_rows = {f: ROW0 + i for i, f in enumerate(CORE_FACTORS)}
    for i in range(N_OPT):
        r = OPT_F0 + i
        core = CORE_FACTORS[i] if i < len(CORE_FACTORS) else None
        ws.cell(row=r, column=1, value=f"=Exposures!$A${ex0 + i}").font = Font(bold=core is not None)
        unit = cand.FACTOR_MOVES.loc[core, "unit"] if core else cand.TILT_MOVE["unit"]
        ws.cell(row=r, column=2, value=unit)
        ws.cell(row=r, column=3, value=f"=Exposures!$B${ex0 + i}").number_format = style.FMT_EXPOSURE
        ws.cell(row=r, column=4, value=f"=EXPOSURE_PER_MOVE(C{r},A{r},NAV)").number_format = style.FMT_MONEY
        after = f"=EXPOSURE_PER_MOVE(M{plan_rows[core]},A{r},NAV)" if core else f"=D{r}"
        ws.cell(row=r, column=5, value=after).number_format = style.FMT_MONEY
        for col in (3, 4, 5):
            ws.cell(row=r, column=col).fill = style.OUTPUT_FILL
        for col, regime in ((6, "normal"), (7, "stress")):
            vol = float(cand.FACTOR_MOVES.loc[core, f"vol_{regime}"]) if core else cand.TILT_MOVE[f"vol_{regime}"]
            style.input_cell(ws, r, col, vol, "0.00")
    f_ref = f"{SHEET}!$A${OPT_F0}:$A${OPT_F_LAST}"
    ctx.define(layout.OPT_FACTORS, f_ref)
    ctx.define(layout.OPT_EXPOSURES, f"{SHEET}!$D${OPT_F0}:$D${OPT_F_LAST}")
    ctx.define(layout.OPT_VOLS_NORMAL, f"{SHEET}!$F${OPT_F0}:$F${OPT_F_LAST}")
    ctx.define(layout.OPT_VOLS_STRESS, f"{SHEET}!$G${OPT_F0}:$G${OPT_F_LAST}")

    ill0 = correlations_sheet.ILL_ROW0
    for col0, regime, src_col, name in (
        (CORR_N_COL, "normal", "B", layout.OPT_CORR_NORMAL),
        (CORR_S_COL, "stress", "C", layout.OPT_CORR_STRESS),
    ):
        ws.cell(
            row=OPT_FACTOR_HEADER - 1,
            column=col0,
            value=f"Correlations of the factor moves, {regime} (illustrative: the Correlations sheet's typical "
            "values, other pairs through SPX; edit them)",
        ).font = Font(bold=True)
        rho_spx = []
        for i in range(N_OPT):
            core = CORE_FACTORS[i] if i < len(CORE_FACTORS) else None
            if core == "equity":
                rho_spx.append("1")
            elif core in _CORR_LINKS:
                k, sign = _CORR_LINKS[core]
                rho_spx.append(f"{'-' if sign < 0 else ''}Correlations!${src_col}${ill0 + k}")
            elif core == "vol":
                rho_spx.append(repr(float(cand.FACTOR_MOVES.loc["vol", f"rho_spx_{regime}"])))
            else:
                rho_spx.append("0")
        for j in range(N_OPT):
            hdr = ws.cell(row=OPT_FACTOR_HEADER, column=col0 + j, value=f"=A{OPT_F0 + j}")
            hdr.font = Font(bold=True, size=8)
            hdr.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)  # 3 lines: 45 pt
        eq_col = get_column_letter(col0)
        for i in range(N_OPT):
            r = OPT_F0 + i
            for j in range(N_OPT):
                if i == j:
                    value: object = 1.0
                elif i == 0:
                    value = f"={rho_spx[j]}"
                elif j == 0:
                    value = f"={get_column_letter(col0 + i)}${OPT_F0}"
                else:  # through SPX: ρᵢⱼ = ρᵢ,SPX · ρⱼ,SPX (a one-factor matrix, always PSD)
                    value = f"=${eq_col}{r}*{get_column_letter(col0 + j)}${OPT_F0}"
                c = style.input_cell(ws, r, col0 + j, value, "+0.00;-0.00;0.00")
                c.font = Font(size=8)
        last = get_column_letter(col0 + N_OPT - 1)
        ctx.define(name, f"{SHEET}!${get_column_letter(col0)}${OPT_F0}:${last}${OPT_F_LAST}")

    for col0, regime, vols, corr, name in (
        (CORR_N_COL, "normal", layout.OPT_VOLS_NORMAL, layout.OPT_CORR_NORMAL, layout.OPT_COV_NORMAL),
        (CORR_S_COL, "stress", layout.OPT_VOLS_STRESS, layout.OPT_CORR_STRESS, layout.OPT_COV_STRESS),
    ):
        ws.cell(
            row=COV_HEADER, column=col0, value=f"Covariance of the factor moves over the horizon, {regime}"
        ).font = Font(bold=True)
        a1 = f"{get_column_letter(col0)}{COV_ROW0}"
        z1 = f"{get_column_letter(col0 + N_OPT - 1)}{COV_ROW0 + N_OPT - 1}"
        ws[a1] = ArrayFormula(f"{a1}:{z1}", f"=FACTOR_COVARIANCE({vols},{corr},OptHorizon)")
        for i in range(N_OPT):
            for j in range(N_OPT):
                c = ws.cell(row=COV_ROW0 + i, column=col0 + j)
                c.number_format = "0.0E+00"
                c.fill = style.OUTPUT_FILL
                c.font = Font(size=8)
        c0, cz = get_column_letter(col0), get_column_letter(col0 + N_OPT - 1)
        ctx.define(name, f"{SHEET}!${c0}${COV_ROW0}:${cz}${COV_ROW0 + N_OPT - 1}")

    ws.cell(
        row=LOAD_HEADER,
        column=1,
        value="Loadings: P&L of one long contract per unit move of each factor (price × multiplier × beta; options "
        "delta and vega)",
    ).font = Font(bold=True)
    ws.cell(row=LOAD_ROW0, column=1, value="Instrument").font = Font(bold=True)
    for i in range(N_OPT):
        ws.cell(row=LOAD_ROW0 + 1 + i, column=1, value=f"=A{OPT_F0 + i}")
    cands = f"$A${CAND_ROW0}:$A${CAND_LAST}"
    l1 = f"B{LOAD_ROW0}"
    lz = f"{get_column_letter(1 + N_CAND)}{LOAD_ROW0 + N_OPT}"
    ws[l1] = ArrayFormula(
        f"{l1}:{lz}", f"=HEDGE_LOADINGS(TRANSPOSE({cands}),OptFactors,InstrumentTable,OptionRate,OptionDiv)"
    )
    for i in range(N_OPT + 1):
        for j in range(N_CAND):
            c = ws.cell(row=LOAD_ROW0 + i, column=2 + j)
            c.fill = style.OUTPUT_FILL
            c.number_format = "#,##0.00;[Red]-#,##0.00" if i else "@"
            if not i:  # the tickers, over their right-aligned numbers
                c.font = Font(bold=True)
                c.alignment = Alignment(horizontal="right")
    ctx.define(layout.OPT_LOADINGS, f"{SHEET}!$B${LOAD_ROW0}:${get_column_letter(1 + N_CAND)}${LOAD_ROW0 + N_OPT}")

    ws.cell(row=CAND_HEADER - 1, column=1, value="Candidates (edit the list) and the optimised orders").font = Font(
        bold=True
    )
    style.header(ws, CAND_HEADER, 1, CAND_COLUMNS)
    for k, ticker in enumerate((*cand.DEFAULT_CANDIDATES, "=TILT_ETF(Exposures,ExposureLabels,InstrumentTable)")):
        style.input_cell(ws, CAND_ROW0 + k, 1, ticker, "@")
    ctx.define(layout.OPT_CANDIDATES, f"{SHEET}!{cands}")
    pick = DataValidation(
        type="list",
        formula1="InstrumentTickers",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Candidate",
        error="Pick a ticker listed on the Instruments sheet (or leave blank: a blank candidate never trades).",
    )
    pick.add(f"A{CAND_ROW0}:A{CAND_LAST}")
    ws.add_data_validation(pick)
    c1, cz = f"B{CAND_ROW0}", f"B{CAND_LAST}"
    ws[c1] = ArrayFormula(
        f"{c1}:{cz}", f"=HEDGE_COSTS({cands},InstrumentTable,OptHorizon,OptionRate,OptionDiv,FundingPerDay)"
    )
    ctx.define(layout.OPT_COSTS, f"{SHEET}!$B${CAND_ROW0}:$B${CAND_LAST}")
    b1, bz = f"C{CAND_ROW0}", f"D{CAND_LAST}"
    ws[b1] = ArrayFormula(
        f"{b1}:{bz}", f"=HEDGE_LIMITS({cands},OptLoadings,OptExposures,OptCovNormal,InstrumentTable,OptSizeLimit)"
    )
    ctx.define(layout.OPT_BOUNDS, f"{SHEET}!$C${CAND_ROW0}:$D${CAND_LAST}")
    r1, rz = f"E{CAND_ROW0}", f"E{CAND_LAST + 3}"
    ws[r1] = ArrayFormula(
        f"{r1}:{rz}",
        f"=HEDGE_OPTIMIZE(OptExposures,OptLoadings,OptCovNormal,OptCovStress,$B${CAND_ROW0}:$B${CAND_LAST},"
        f"OptBudget,$C${CAND_ROW0}:$C${CAND_LAST},$D${CAND_ROW0}:$D${CAND_LAST},OptInteger,OptCostWeight)",
    )
    ctx.define(layout.OPT_RESULT, f"{SHEET}!$E${CAND_ROW0}:$E${CAND_LAST + 3}")
    for k in range(N_CAND + 3):
        r = CAND_ROW0 + k
        for col, fmt in (
            (2, style.FMT_MONEY),
            (3, style.FMT_MONEY),
            (4, style.FMT_MONEY),
            (5, "#,##0.##;[Red]-#,##0.##"),
        ):
            if k < N_CAND or col == 5:
                ws.cell(row=r, column=col).number_format = fmt
                ws.cell(row=r, column=col).fill = style.OUTPUT_FILL
        if k >= N_CAND:
            ws.cell(row=r, column=1, value=SUMMARY_ROWS[[0, 1, 3][k - N_CAND]]).font = Font(italic=True)
            ws.cell(row=r, column=5).number_format = style.FMT_MONEY
    ws.cell(
        row=CAND_LAST + 4,
        column=1,
        value="Bounds and costs are formulas: overwrite any cell (a blank bound = none). Options are bought only.",
    ).font = style.NOTE_FONT

    style.header(ws, SUMMARY_HEADER, 1, ["", "Before hedge", "Rule of thumb (above)", "Optimised"])
    before = "HEDGE_RISK(OptExposures,OptLoadings,OptCovNormal,OptCovStress)"
    rot = f"HEDGE_RISK($E${OPT_F0}:$E${OPT_F_LAST},OptLoadings,OptCovNormal,OptCovStress)"
    for k, label in enumerate(SUMMARY_ROWS):
        r = SUMMARY_ROW0 + k
        ws.cell(row=r, column=1, value=label).font = Font(bold=True)
        for col in (2, 3, 4):
            ws.cell(row=r, column=col).number_format = style.FMT_MONEY
            ws.cell(row=r, column=col).fill = style.OUTPUT_FILL
    for col, call in ((2, before), (3, rot)):
        for k in (0, 1):
            ws.cell(row=SUMMARY_ROW0 + k, column=col, value=f"=INDEX({call},{k + 1},1)")
    for col in (2, 3, 4):
        L = get_column_letter(col)
        ws.cell(row=SUMMARY_ROW0 + 2, column=col, value=f"=MAX({L}{SUMMARY_ROW0},{L}{SUMMARY_ROW0 + 1})")
    ws.cell(row=SUMMARY_ROW0 + 3, column=2, value=0)
    ws.cell(row=SUMMARY_ROW0 + 3, column=3, value=f"=SUM($N${ROW0}:$N${LAST})")
    ws.cell(row=SUMMARY_ROW0, column=4, value=f"=$E${CAND_LAST + 1}")
    ws.cell(row=SUMMARY_ROW0 + 1, column=4, value=f"=$E${CAND_LAST + 2}")
    ws.cell(row=SUMMARY_ROW0 + 3, column=4, value=f"=$E${CAND_LAST + 3}")
    ws.cell(
        row=SUMMARY_ROW0 + 4,
        column=1,
        value="σ = standard deviation of the book's P&L over the horizon, in the currency of record. The rule of "
        "thumb's cost is the per-factor plan's cost column (premium, or funding per year).",
    ).font = style.NOTE_FONT

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = "Residual σ over the horizon: before, rule of thumb, optimised"
    chart.y_axis.title = "σ of P&L (currency)"
    chart.x_axis.title = "Regime"
    data = Reference(ws, min_col=2, max_col=4, min_row=SUMMARY_HEADER, max_row=SUMMARY_ROW0 + 1)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=SUMMARY_ROW0, max_row=SUMMARY_ROW0 + 1))
    style.chart_axes(chart, "#,##0")
    ws.add_chart(chart, f"G{CAND_HEADER}")
    for r in (OPT_FACTOR_HEADER, CAND_HEADER, SUMMARY_HEADER):
        ws.row_dimensions[r].height = 45
