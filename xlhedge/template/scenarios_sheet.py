"""The Scenarios sheet (docs/methodology/scenarios.md): factor shocks, normal vs stress, the hedge-ratio outcome table.

1. Factor-shock P&L of the book unhedged (Exposures sheet) vs hedged (the Hedges
   sheet's exposure after), per factor and total: ``=SCENARIO_PNL``.
2. Joint SPX / VIX scenarios (editable: an SPX move with the VIX move that comes with it,
   normal −5% / +3 points, stress −20% / +25 points): every position but the options
   through its exposures, the options by full revaluation beside their delta-only
   estimate and the convexity, unhedged vs hedged with the Hedges sheet's recommended
   hedges (option hedges revalued in full too): ``=JOINT_SCENARIO_PNL``.
3. Regime-consistent scenario: an SPX move carried to every factor through the
   normal and the stress correlations (docs/methodology/estimation.md's table, editable) with
   ``=REGIME_MOVE``; the book with and without a long-TLT "hedge" side by side —
   it helps in normal times and hurts in stress.
4. Hedge-ratio outcome table: ratios × price moves → spot, hedge,
   funding, net (``=HEDGE_OUTCOMES``), for a linear or an inverse contract, and
   the inverse hedge in coin.
Each section has a native chart.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from xlhedge.engine._typing import CORE_FACTORS
from xlhedge.engine.optionbook import JOINT_SCENARIOS
from xlhedge.engine.perps import CONTRACTS
from xlhedge.engine.scenarios import FACTOR_SHOCKS, REGIME_DEFAULTS, REGIME_NOTE
from xlhedge.template import exposures_sheet, geometry, hedges_sheet, instruments_sheet, style
from xlhedge.template.context import TemplateContext

SHEET = "Scenarios"
K = len(CORE_FACTORS)

# 1. factor shocks
S_TITLE = 4
S_HEADER = 5
S_ROW0 = 6
S_TOTAL = S_ROW0 + K
S_COLUMNS = [
    "Factor",
    "Shock unit",
    "Shock",
    "Exposure unhedged (× NAV)",
    "Exposure hedged (× NAV)",
    "P&L unhedged",
    "P&L hedged",
    "Hedge effect",
]

S_NOTE = S_TOTAL + 1

# 2. joint SPX / VIX scenarios
J_TITLE = S_TOTAL + 3
J_INPUT_HEADER = J_TITLE + 4
J_INPUT0 = J_INPUT_HEADER + 1
J_ROWS = 4  # the shipped scenarios, then blank rows for the user's own
J_INPUT_LAST = J_INPUT0 + J_ROWS - 1
J_HEADER = J_INPUT_LAST + 2
J_ROW0 = J_HEADER + 1
J_LAST = J_ROW0 + J_ROWS - 1
J_CHART_ROWS = 17  # the chart below the table
JOINT_SCENARIOS_NAME = "JointScenarios"
J_COLUMNS = [
    "Scenario",
    "SPX move",
    "VIX move (points)",
    "Book excluding options (through exposures)",
    "Options, full revaluation",
    "Options, delta only (linear estimate)",
    "Convexity (full − delta only)",
    "Unhedged (book + options)",
    "Recommended hedges",
    "Hedged",
]

# 3. regime-consistent
R_TITLE = J_LAST + 2 + J_CHART_ROWS + 1
R_INPUT0 = R_TITLE + 2
R_HEADER = R_INPUT0 + 4
R_ROW0 = R_HEADER + 1
R_LAST = R_ROW0 + len(REGIME_DEFAULTS)  # + the vol row
R_COLUMNS = [
    "Proxy",
    "Factor",
    "Vol (annual)",
    "ρ with SPX, normal",
    "ρ with SPX, stress",
    "Factor shock per unit move",
    "Shock, normal",
    "Shock, stress",
]
C_HEADER = R_LAST + 2
C_ROW0 = C_HEADER + 1
C_TOTAL = C_ROW0 + K
C_COLUMNS = [
    "Factor",
    "Exposure: book",
    "Exposure: book + TLT",
    "Normal: book",
    "Normal: book + TLT",
    "Stress: book",
    "Stress: book + TLT",
]
SUM_HEADER = C_TOTAL + 2

# 4. outcome table
O_TITLE = SUM_HEADER + 5
O_INPUT0 = O_TITLE + 2
O_INPUTS = (
    ("Spot held (coin)", 5.0, "0.####"),
    ("Entry price", 60_000.0, "#,##0"),
    ("Hedge contract", "linear", "@"),
    ("Funding rate per period", 0.0001, "0.0000%"),
    ("Horizon (days)", 30.0, "0"),
    ("Inverse face (USD per contract)", 100.0, "#,##0"),
)
RATIOS = (0.0, 0.25, 0.5, 0.75, 1.0)
MOVES = (-0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3)
O_GRID0 = O_INPUT0 + len(O_INPUTS) + 2
GRIDS = (
    ("net", "Net P&L (spot + hedge + funding)"),
    ("spot", "Spot P&L"),
    ("hedge", "Hedge P&L (currency, at the exit price)"),
    ("funding", "Funding over the horizon"),
    ("hedge_coin", "Inverse hedge P&L in coin (contract inverse)"),
)
GRID_STRIDE = len(RATIOS) + 3


def grid_top(k: int) -> int:
    """Header row (moves) of grid k; ratios are in column A below it."""
    return O_GRID0 + k * GRID_STRIDE


def build(wb: Workbook, ctx: TemplateContext) -> None:
    ws = wb.create_sheet(SHEET)
    style.title(
        ws,
        "Scenarios — shocks, normal vs stress, hedge-ratio outcomes",
        "P&L in the currency of record. Shocks: % factors as decimal moves, duration in bp of "
        "yield (P&L = book DV01 × bp), vol in index points. Yellow = inputs.",
    )
    _shock_table(ws, ctx)
    _joint(ws, ctx)
    _regime(ws, ctx)
    _outcomes(ws, ctx)
    for col, width in zip("ABCDEFGHIJ", (38, 13, 13, 15, 15, 14, 14, 14, 14, 14)):
        ws.column_dimensions[col].width = width
    geometry.fit_wrapped_rows(ws)  # e.g. "Exposure unhedged (× NAV)" on three lines
    style.print_setup(ws)


def _shock_table(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(
        row=S_TITLE, column=1, value="1. Factor shocks — unhedged vs hedged (docs/methodology/scenarios.md)"
    ).font = Font(bold=True, size=12)
    style.header(ws, S_HEADER, 1, S_COLUMNS)
    ex0 = exposures_sheet.ROW0
    for i, f in enumerate(CORE_FACTORS):
        r = S_ROW0 + i
        ws.cell(row=r, column=1, value=f"=Exposures!$A${ex0 + i}").font = Font(bold=True)
        ws.cell(row=r, column=2, value=FACTOR_SHOCKS.loc[f, "unit"])
        unit = FACTOR_SHOCKS.loc[f, "unit"]
        style.input_cell(ws, r, 3, float(FACTOR_SHOCKS.loc[f, "default_shock"]), "0.0%" if unit == "% move" else "0.0")
        ws.cell(row=r, column=4, value=f"=Exposures!$B${ex0 + i}")
        # the vol row adds the vega of the option hedges (Hedges sheet, × NAV per vol point → % of NAV)
        add = "+100*SUM(HedgeVolAdded)" if f == "vol" else ""
        ws.cell(row=r, column=5, value=f"=Hedges!$M${hedges_sheet.ROW0 + i}{add}")
    ws.cell(row=S_TOTAL, column=1, value="Total").font = Font(bold=True)
    ws.cell(
        row=S_NOTE,
        column=1,
        value="Hedged = the exposure after the Hedges sheet's recommended hedges; the vol row adds the vol "
        "exposure an option hedge brings (long puts add long vol).",
    ).font = style.NOTE_FONT
    ws[f"F{S_ROW0}"] = ArrayFormula(
        f"F{S_ROW0}:G{S_TOTAL}", f"=SCENARIO_PNL(D{S_ROW0}:E{S_TOTAL - 1},C{S_ROW0}:C{S_TOTAL - 1},NAV)"
    )
    for r in range(S_ROW0, S_TOTAL + 1):
        ws.cell(row=r, column=8, value=f"=G{r}-F{r}")
        for col, fmt in (
            (4, style.FMT_EXPOSURE),
            (5, style.FMT_EXPOSURE),
            (6, style.FMT_MONEY),
            (7, style.FMT_MONEY),
            (8, style.FMT_MONEY),
        ):
            ws.cell(row=r, column=col).number_format = fmt
        for col in (6, 7, 8):
            ws.cell(row=r, column=col).fill = style.OUTPUT_FILL
    ctx.define("ScenarioShocks", f"{SHEET}!$C${S_ROW0}:$C${S_TOTAL - 1}")

    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = "Factor-shock P&L: unhedged vs hedged"
    chart.x_axis.title = "Factor"
    chart.y_axis.title = "P&L (currency)"
    chart.add_data(Reference(ws, min_col=6, max_col=7, min_row=S_HEADER, max_row=S_TOTAL), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=S_ROW0, max_row=S_TOTAL))
    style.chart_axes(chart, "#,##0")
    chart.x_axis.scaling.orientation = "maxMin"
    geometry.add_chart(ws, chart, f"K{S_TITLE}")


def _joint(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(
        row=J_TITLE,
        column=1,
        value="2. Joint SPX / VIX scenarios — options by full revaluation, unhedged vs hedged "
        "(docs/methodology/scenarios.md)",
    ).font = Font(bold=True, size=12)
    for k, note in enumerate(
        (
            "An SPX move with the VIX move that comes with it (edit them; other factors stay still). Every position "
            "but the options moves through its exposures;",
            "each option is revalued in full (its underlying and implied vol moved), its delta-only estimate "
            "beside it: the convexity is what the linear view misses.",
            "Hedged adds the Hedges sheet's recommended hedges, leg by leg (an option hedge revalued in full too).",
        )
    ):
        ws.cell(row=J_TITLE + 1 + k, column=1, value=note).font = style.NOTE_FONT
    style.header(ws, J_INPUT_HEADER, 1, J_COLUMNS[:3])
    for i in range(J_ROWS):
        r = J_INPUT0 + i
        if i < len(JOINT_SCENARIOS):
            name, row = JOINT_SCENARIOS.index[i], JOINT_SCENARIOS.iloc[i]
            vals: tuple = (str(name), float(row["spx_move"]), float(row["vix_move"]))
        else:
            vals = (None, None, None)
        style.input_cell(ws, r, 1, vals[0])
        style.input_cell(ws, r, 2, vals[1], "0%;[Red]-0%")
        style.input_cell(ws, r, 3, vals[2], "+0.0;[Red]-0.0")
    ctx.define(JOINT_SCENARIOS_NAME, f"{SHEET}!$A${J_INPUT0}:$C${J_INPUT_LAST}")

    style.header(ws, J_HEADER, 1, J_COLUMNS)
    ws[f"A{J_ROW0}"] = ArrayFormula(
        f"A{J_ROW0}:J{J_LAST}",
        "=JOINT_SCENARIO_PNL(BookAttributeBlock,BookFactorBlock,NAV,AsOf,OptionRate,OptionDiv,InstrumentTable,"
        f"{JOINT_SCENARIOS_NAME},HedgeInstruments,HedgeContracts,HedgeMicros,HedgeMicroContracts)",
    )
    for r in range(J_ROW0, J_LAST + 1):
        for col in range(1, 11):
            c = ws.cell(row=r, column=col)
            c.fill = style.OUTPUT_FILL
            c.number_format = {2: "0%;[Red]-0%", 3: "+0.0;[Red]-0.0"}.get(col, style.FMT_MONEY)
    ctx.define("JointScenarioPnl", f"{SHEET}!$A${J_ROW0}:$J${J_LAST}")

    last = J_ROW0 + len(JOINT_SCENARIOS) - 1  # the shipped scenarios (a row added below is in the table)
    for anchor, cols, title in (
        ("A", (5, 6), "The options: full revaluation vs their delta alone"),
        ("F", (8, 10), "The book: unhedged vs with the recommended hedges"),
    ):
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        chart.title = title
        chart.x_axis.title = "Scenario"
        chart.y_axis.title = "P&L (currency)"
        for col in cols:
            chart.add_data(Reference(ws, min_col=col, min_row=J_HEADER, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=J_ROW0, max_row=last))
        style.chart_axes(chart, "#,##0", height=7.5, width=13)
        ws.add_chart(chart, f"{anchor}{J_LAST + 2}")


def _regime(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(
        row=R_TITLE,
        column=1,
        value="3. Regime-consistent scenario — an SPX move through normal vs stress correlations (docs/methodology/scenarios.md)",
    ).font = Font(bold=True, size=12)
    ws.cell(row=R_TITLE + 1, column=1, value=REGIME_NOTE + " Move_j = ρ·σ_j/σ_SPX·SPX move.").font = style.NOTE_FONT
    tlt_row = instruments_sheet.rows_for()["TLT"]
    inputs = (
        ("SPX move", -0.10, "0.0%", "ScenarioSpxMove"),
        ("Long TLT held as an equity hedge (× NAV)", 0.30, "0.0%", "ScenarioTltWeight"),
    )
    for k, (label, value, fmt, name) in enumerate(inputs):
        r = R_INPUT0 + k
        ws.cell(row=r, column=1, value=label)
        style.input_cell(ws, r, 2, value, fmt)
        ctx.define(name, f"{SHEET}!$B${r}")
    r_dur = R_INPUT0 + 2
    ws.cell(row=r_dur, column=1, value="TLT duration (from Instruments)")
    ws.cell(row=r_dur, column=2, value=f"=Instruments!$G${tlt_row}").number_format = "0.0"

    style.header(ws, R_HEADER, 1, R_COLUMNS)
    for k, (proxy, row) in enumerate(REGIME_DEFAULTS.iterrows()):
        r = R_ROW0 + k
        ws.cell(row=r, column=1, value=proxy).font = Font(bold=True)
        ws.cell(row=r, column=2, value=row["factor"])
        style.input_cell(ws, r, 3, float(row["vol"]), "0%")
        for col, key in ((4, "rho_normal"), (5, "rho_stress")):
            style.input_cell(ws, r, col, float(row[key]), "+0.00;-0.00;0.00")
        per_unit = f"=-1/($B${r_dur}*0.0001)" if row["factor"] == "duration" else 1.0
        c = ws.cell(row=r, column=6, value=per_unit)
        c.number_format = "0.0"
    vol_r = R_LAST
    ws.cell(row=vol_r, column=1, value="VIX (not in the shipped table)").font = Font(bold=True)
    ws.cell(row=vol_r, column=2, value="vol")
    style.input_cell(ws, vol_r, 7, 0.0, "0.0")
    style.input_cell(ws, vol_r, 8, 0.0, "0.0")
    spx = R_ROW0  # the SPX row holds σ_SPX
    for col, rho in (("G", "D"), ("H", "E")):
        ws[f"{col}{R_ROW0}"] = ArrayFormula(
            f"{col}{R_ROW0}:{col}{vol_r - 1}",
            f"=REGIME_MOVE(ScenarioSpxMove,$C${spx},C{R_ROW0}:C{vol_r - 1},{rho}{R_ROW0}:{rho}{vol_r - 1},"
            f"F{R_ROW0}:F{vol_r - 1})",
        )
    for r in range(R_ROW0, vol_r):
        for col in (7, 8):
            c = ws.cell(row=r, column=col)
            c.fill = style.OUTPUT_FILL
            c.number_format = "0.0" if ws.cell(row=r, column=2).value == "duration" else "0.0%"
    ctx.define("RegimeTable", f"{SHEET}!$A${R_HEADER}:$H${vol_r}")

    style.header(ws, C_HEADER, 1, C_COLUMNS)
    ex0 = exposures_sheet.ROW0
    for i, f in enumerate(CORE_FACTORS):
        r = C_ROW0 + i
        ws.cell(row=r, column=1, value=f"=Exposures!$A${ex0 + i}").font = Font(bold=True)
        ws.cell(row=r, column=2, value=f"=Exposures!$B${ex0 + i}")
        add = f"+ScenarioTltWeight*$B${r_dur}" if f == "duration" else ""
        ws.cell(row=r, column=3, value=f"=B{r}{add}")
    ws.cell(row=C_TOTAL, column=1, value="Total").font = Font(bold=True)
    ex_rng = f"B{C_ROW0}:C{C_TOTAL - 1}"
    ws[f"D{C_ROW0}"] = ArrayFormula(f"D{C_ROW0}:E{C_TOTAL}", f"=SCENARIO_PNL({ex_rng},G{R_ROW0}:G{vol_r},NAV)")
    ws[f"F{C_ROW0}"] = ArrayFormula(f"F{C_ROW0}:G{C_TOTAL}", f"=SCENARIO_PNL({ex_rng},H{R_ROW0}:H{vol_r},NAV)")
    for r in range(C_ROW0, C_TOTAL + 1):
        for col in (2, 3):
            ws.cell(row=r, column=col).number_format = style.FMT_EXPOSURE
        for col in (4, 5, 6, 7):
            ws.cell(row=r, column=col).number_format = style.FMT_MONEY
            ws.cell(row=r, column=col).fill = style.OUTPUT_FILL

    style.header(ws, SUM_HEADER, 1, ["Regime", "Book", "Book + TLT", "The TLT hedge alone"])
    for k, (label, a, b) in enumerate((("Normal", "D", "E"), ("Stress", "F", "G"))):
        r = SUM_HEADER + 1 + k
        ws.cell(row=r, column=1, value=label).font = Font(bold=True)
        ws.cell(row=r, column=2, value=f"={a}{C_TOTAL}")
        ws.cell(row=r, column=3, value=f"={b}{C_TOTAL}")
        ws.cell(row=r, column=4, value=f"={b}{C_TOTAL}-{a}{C_TOTAL}")
        for col in (2, 3, 4):
            ws.cell(row=r, column=col).number_format = style.FMT_MONEY
            ws.cell(row=r, column=col).fill = style.OUTPUT_FILL

    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = "Same SPX move, two regimes: the TLT hedge helps in normal, hurts in stress"
    chart.x_axis.title = "Correlation regime"
    chart.y_axis.title = "P&L (currency)"
    chart.add_data(
        Reference(ws, min_col=2, max_col=4, min_row=SUM_HEADER, max_row=SUM_HEADER + 2), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=SUM_HEADER + 1, max_row=SUM_HEADER + 2))
    style.chart_axes(chart, "#,##0")
    geometry.add_chart(ws, chart, f"K{R_TITLE}")


def _outcomes(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(
        row=O_TITLE,
        column=1,
        value="4. Hedge-ratio outcome table — long spot, short hedge (docs/methodology/scenarios.md)",
    ).font = Font(bold=True, size=12)
    ws.cell(
        row=O_TITLE + 1,
        column=1,
        value="Worked check: 5 BTC at 60,000, 50% hedge = 2.5 BTC short; at −20% spot −60,000, hedge "
        "+30,000, net −30,000 before funding (a short earns funding when the rate is > 0). In "
        "currency an inverse short of ratio×qty×price/face contracts pays the same as the linear "
        "one; it differs in coin (last grid).",
    ).font = style.NOTE_FONT
    refs = {}
    for k, (label, value, fmt) in enumerate(O_INPUTS):
        r = O_INPUT0 + k
        ws.cell(row=r, column=1, value=label)
        style.input_cell(ws, r, 2, value, fmt)
        refs[label] = f"$B${r}"
    dv = DataValidation(type="list", formula1='"' + ",".join(CONTRACTS) + '"', allow_blank=False)
    dv.add(refs["Hedge contract"].replace("$", ""))
    ws.add_data_validation(dv)
    qty, price, contract = refs["Spot held (coin)"], refs["Entry price"], refs["Hedge contract"]
    fr, days, face = refs["Funding rate per period"], refs["Horizon (days)"], refs["Inverse face (USD per contract)"]
    last_move_col = 1 + len(MOVES)
    for k, (output, title) in enumerate(GRIDS):
        top = grid_top(k)
        ws.cell(row=top - 1, column=1, value=title).font = Font(bold=True)
        ws.cell(row=top, column=1, value="Hedge ratio ↓ / price move →").font = Font(bold=True)
        for j, m in enumerate(MOVES):
            c = ws.cell(row=top, column=2 + j)
            if k == 0:
                style.input_cell(ws, top, 2 + j, m, "+0%;-0%;0%")
            else:
                c.value = f"={ws.cell(row=grid_top(0), column=2 + j).coordinate}"
                c.number_format = "+0%;-0%;0%"
            c.font = Font(bold=True)
        for i, h in enumerate(RATIOS):
            r = top + 1 + i
            if k == 0:
                style.input_cell(ws, r, 1, h, "0%")
            else:
                ws.cell(row=r, column=1, value=f"=A{grid_top(0) + 1 + i}").number_format = "0%"
            for j in range(len(MOVES)):
                c = ws.cell(row=r, column=2 + j)
                c.number_format = "0.0000;[Red]-0.0000" if output == "hedge_coin" else style.FMT_MONEY
                c.fill = style.OUTPUT_FILL
        ratios = f"$A${grid_top(0) + 1}:$A${grid_top(0) + len(RATIOS)}"
        moves = f"$B${grid_top(0)}:${ws.cell(row=1, column=last_move_col).column_letter}${grid_top(0)}"
        first = ws.cell(row=top + 1, column=2).coordinate
        last = ws.cell(row=top + len(RATIOS), column=last_move_col).coordinate
        kind = '"inverse"' if output == "hedge_coin" else contract
        ws[first] = ArrayFormula(
            f"{first}:{last}",
            f'=HEDGE_OUTCOMES({qty},{price},{ratios},{moves},{kind},{fr},{days},FundingPerDay,{face},"{output}")',
        )

    chart = LineChart()
    chart.title = "Net P&L by hedge ratio across price moves"
    chart.x_axis.title = "Price move"
    chart.y_axis.title = "Net P&L (currency)"
    top = grid_top(0)
    data = Reference(ws, min_col=1, max_col=1 + len(MOVES), min_row=top + 1, max_row=top + len(RATIOS))
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=2, max_col=1 + len(MOVES), min_row=top, max_row=top))
    style.chart_axes(chart, "#,##0")
    chart.x_axis.number_format = "+0%;-0%;0%"
    geometry.add_chart(ws, chart, f"K{O_TITLE}")
