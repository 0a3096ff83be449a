"""The Options sheet: the Greeks of the book's option positions and joint SPX / VIX scenarios
(docs/methodology/options.md).

* Greeks table (``=BOOK_GREEKS``): per option position and for the book, delta exposure,
  vol exposure, gamma exposure (× NAV), premium and theta per day (currency) and theta per
  year (× NAV), valued at the book's as-of date with the Instruments sheet's option rate and
  dividend yield.
* Joint scenarios (``=OPTION_BOOK_SCENARIOS``): an SPX move with the VIX move that comes with
  it (editable; normal −5% / +3 points, stress −20% / +25 points). The options are valued by
  full revaluation, everything else through its exposures; unhedged (the book without its
  options) vs hedged, with the delta-only estimate beside it and a chart.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from xlhedge.calc import layout
from xlhedge.engine.optionbook import JOINT_SCENARIOS
from xlhedge.functions.options import BOOK_GREEKS_COLUMNS
from xlhedge.template import style
from xlhedge.template.context import TemplateContext

SHEET = "Options"
GREEKS_HEADER = 4
GREEKS_ROW0 = GREEKS_HEADER + 1
GREEKS_ROWS = 12
GREEKS_LAST = GREEKS_ROW0 + GREEKS_ROWS - 1
SCEN_TITLE = GREEKS_LAST + 2
SCEN_INPUT_HEADER = SCEN_TITLE + 1
SCEN_INPUT_ROW0 = SCEN_INPUT_HEADER + 1
SCEN_ROWS = 4
SCEN_INPUT_LAST = SCEN_INPUT_ROW0 + SCEN_ROWS - 1
SCEN_OUT_HEADER = SCEN_INPUT_LAST + 2
SCEN_OUT_ROW0 = SCEN_OUT_HEADER + 1
SCEN_OUT_LAST = SCEN_OUT_ROW0 + SCEN_ROWS - 1
JOINT_SCENARIOS_NAME = "JointScenarios"
THETA_TITLE = SCEN_TITLE
THETA_ROW0 = THETA_TITLE + 2
THETA_ROWS = 5  # one per budget bucket

SCENARIO_COLUMNS = [
    "Scenario",
    "SPX move",
    "VIX move (points)",
    "Unhedged (book without options)",
    "Options, full revaluation",
    "Options, delta only",
    "Hedged",
    "Hedged, delta-only estimate",
    "Convexity (full − delta)",
]


def build(wb: Workbook, ctx: TemplateContext) -> None:
    ws = wb.create_sheet(SHEET)
    style.title(
        ws,
        "Options — Greeks and joint scenarios",
        "Option positions are Book columns with an Option type; their weight (delta exposure) and betas come "
        "from these Greeks (docs/methodology/options.md). Vol exposure: × NAV per vol point; gamma exposure: "
        "convexity P&L of a 1% move, × NAV.",
    )
    style.header(ws, GREEKS_HEADER, 1, list(BOOK_GREEKS_COLUMNS))
    ws.row_dimensions[GREEKS_HEADER].height = 45  # the wrapped unit labels
    ws[f"A{GREEKS_ROW0}"] = ArrayFormula(
        f"A{GREEKS_ROW0}:I{GREEKS_LAST}",
        f"=BOOK_GREEKS(BookAttributeBlock,NAV,AsOf,OptionRate,OptionDiv,InstrumentTable,{GREEKS_ROWS})",
    )
    for r in range(GREEKS_ROW0, GREEKS_LAST + 1):
        for col, fmt in (
            (4, style.FMT_EXPOSURE),
            (5, "0.000000;[Red]-0.000000"),
            (6, "0.000000;[Red]-0.000000"),
            (7, style.FMT_MONEY),
            (8, "#,##0.00;[Red]-#,##0.00"),
            (9, "0.00%;[Red]-0.00%"),
        ):
            c = ws.cell(row=r, column=col)
            c.number_format = fmt
            c.fill = style.OUTPUT_FILL
    ctx.define(layout.GREEKS_TABLE, f"{SHEET}!$A${GREEKS_ROW0}:$I${GREEKS_LAST}")

    ws.cell(
        row=SCEN_TITLE, column=1, value="Joint scenarios: SPX move with the VIX move that comes with it"
    ).font = Font(bold=True)
    style.header(ws, SCEN_INPUT_HEADER, 1, SCENARIO_COLUMNS[:3])
    for i in range(SCEN_ROWS):
        r = SCEN_INPUT_ROW0 + i
        if i < len(JOINT_SCENARIOS):
            name, row = JOINT_SCENARIOS.index[i], JOINT_SCENARIOS.iloc[i]
            vals: tuple = (str(name), float(row["spx_move"]), float(row["vix_move"]))
        else:
            vals = (None, None, None)
        style.input_cell(ws, r, 1, vals[0])
        style.input_cell(ws, r, 2, vals[1], "0%;[Red]-0%")
        style.input_cell(ws, r, 3, vals[2], "+0.0;[Red]-0.0")
    ctx.define(JOINT_SCENARIOS_NAME, f"{SHEET}!$A${SCEN_INPUT_ROW0}:$C${SCEN_INPUT_LAST}")

    style.header(ws, SCEN_OUT_HEADER, 1, SCENARIO_COLUMNS)
    ws[f"A{SCEN_OUT_ROW0}"] = ArrayFormula(
        f"A{SCEN_OUT_ROW0}:I{SCEN_OUT_LAST}",
        "=OPTION_BOOK_SCENARIOS(BookAttributeBlock,BookFactorBlock,NAV,AsOf,OptionRate,OptionDiv,"
        f"InstrumentTable,{JOINT_SCENARIOS_NAME})",
    )
    for r in range(SCEN_OUT_ROW0, SCEN_OUT_LAST + 1):
        for col in range(1, 10):
            c = ws.cell(row=r, column=col)
            c.fill = style.OUTPUT_FILL
            c.number_format = {2: "0%;[Red]-0%", 3: "+0.0;[Red]-0.0"}.get(col, style.FMT_MONEY)

    chart = BarChart()
    chart.type = "col"
    chart.title = "Joint scenarios: P&L (currency)"
    for col in (4, 7, 8):
        chart.add_data(
            Reference(ws, min_col=col, min_row=SCEN_OUT_HEADER, max_row=SCEN_OUT_ROW0 + len(JOINT_SCENARIOS) - 1),
            titles_from_data=True,
        )
    chart.set_categories(
        Reference(ws, min_col=1, min_row=SCEN_OUT_ROW0, max_row=SCEN_OUT_ROW0 + len(JOINT_SCENARIOS) - 1)
    )
    style.chart_axes(chart, "#,##0", height=8, width=16)
    ws.add_chart(chart, f"A{SCEN_OUT_LAST + 2}")

    # theta of the protection held against its budget bucket (the Budget sheet's BUDGET_STATUS)
    ws.cell(row=THETA_TITLE, column=11, value="Theta of the options held vs their budget bucket").font = Font(bold=True)
    style.header(ws, THETA_TITLE + 1, 11, ["Bucket", "Theta per year", "Budget", "Theta / budget"])
    ws[f"K{THETA_ROW0}"] = ArrayFormula(
        f"K{THETA_ROW0}:N{THETA_ROW0 + THETA_ROWS - 1}",
        "=OPTION_THETA_BUDGET(BookAttributeBlock,NAV,AsOf,OptionRate,OptionDiv,InstrumentTable,BudgetStatus)",
    )
    for r in range(THETA_ROW0, THETA_ROW0 + THETA_ROWS):
        for col, fmt in ((12, style.FMT_MONEY), (13, style.FMT_MONEY), (14, style.FMT_PCT)):
            c = ws.cell(row=r, column=col)
            c.number_format = fmt
            c.fill = style.OUTPUT_FILL
    ctx.define("OptionThetaBudget", f"{SHEET}!$K${THETA_ROW0}:$N${THETA_ROW0 + THETA_ROWS - 1}")

    for col, width in zip("ABCDEFGHIJKLMN", (16, 12, 12, 16, 16, 16, 14, 16, 16, 3, 24, 14, 12, 13)):
        ws.column_dimensions[col].width = width
    style.print_setup(ws)
