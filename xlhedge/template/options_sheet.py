"""The Options sheet: the Greeks of the book's option positions and their theta against the budget
(docs/methodology/options.md).

* Greeks table (``=BOOK_GREEKS``): per option position and for the book, delta exposure,
  vol exposure, gamma exposure (× NAV), premium and theta per day (currency) and theta per
  year (× NAV), valued at the book's as-of date with the Instruments sheet's option rate and
  dividend yield.
* Theta vs budget (``=OPTION_THETA_BUDGET``): the annualised theta of the options held against
  their budget bucket on the Budget sheet (long puts: tail protection; options on a vol
  instrument: long vol), with a chart; the Checks sheet's THETA_OVER_BUDGET reads it.
* The joint SPX / VIX scenarios that value these options in full live on the Scenarios sheet
  (section 2), beside the book's other scenarios and its recommended hedges: one table, one set
  of numbers.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.hyperlink import Hyperlink

from xlhedge.calc import layout
from xlhedge.functions.options import BOOK_GREEKS_COLUMNS
from xlhedge.template import geometry, scenarios_sheet, style
from xlhedge.template.context import TemplateContext

SHEET = "Options"
GREEKS_HEADER = 4
GREEKS_ROW0 = GREEKS_HEADER + 1
GREEKS_ROWS = 12
GREEKS_LAST = GREEKS_ROW0 + GREEKS_ROWS - 1
THETA_TITLE = GREEKS_LAST + 2
THETA_HEADER = THETA_TITLE + 1
THETA_ROW0 = THETA_HEADER + 1
THETA_ROWS = 5  # one per budget bucket
THETA_LAST = THETA_ROW0 + THETA_ROWS - 1
THETA_COLUMNS = ["Bucket", "Theta per year", "Budget", "Theta / budget", "Options"]
POINTER_ROW = THETA_LAST + 2


def build(wb: Workbook, ctx: TemplateContext) -> None:
    ws = wb.create_sheet(SHEET)
    style.title(
        ws,
        "Options — Greeks and theta against the budget",
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

    # theta of the protection held against its budget bucket (the Budget sheet's BUDGET_STATUS)
    ws.cell(
        row=THETA_TITLE,
        column=1,
        value="Theta of the options held vs their budget bucket (a year at today's Greeks; > 0 = cost)",
    ).font = Font(bold=True)
    style.header(ws, THETA_HEADER, 1, THETA_COLUMNS)
    ws[f"A{THETA_ROW0}"] = ArrayFormula(
        f"A{THETA_ROW0}:E{THETA_LAST}",
        "=OPTION_THETA_BUDGET(BookAttributeBlock,NAV,AsOf,OptionRate,OptionDiv,InstrumentTable,BudgetStatus)",
    )
    for r in range(THETA_ROW0, THETA_LAST + 1):
        for col, fmt in ((2, style.FMT_MONEY), (3, style.FMT_MONEY), (4, style.FMT_PCT), (5, "@")):
            c = ws.cell(row=r, column=col)
            c.number_format = fmt
            c.fill = style.OUTPUT_FILL
        ws.cell(row=r, column=5).alignment = Alignment(indent=1)
        ws.cell(row=r, column=1).fill = style.OUTPUT_FILL
    ctx.define("OptionThetaBudget", f"{SHEET}!$A${THETA_ROW0}:$E${THETA_LAST}")

    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = "Theta a year vs the budget, per bucket"
    chart.x_axis.title = "Budget bucket"
    chart.y_axis.title = "Currency a year"
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=THETA_HEADER, max_row=THETA_LAST), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=THETA_ROW0, max_row=THETA_LAST))
    style.chart_axes(chart, "#,##0", height=9.5, width=15)
    chart.x_axis.scaling.orientation = "maxMin"
    geometry.add_chart(ws, chart, f"K{GREEKS_HEADER}")

    link = ws.cell(
        row=POINTER_ROW,
        column=1,
        value="Joint SPX / VIX scenarios (options by full revaluation, their delta-only estimate and the convexity, "
        f"unhedged vs hedged): the Scenarios sheet, section 2, row {scenarios_sheet.J_TITLE}.",
    )
    link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{scenarios_sheet.SHEET}'!A{scenarios_sheet.J_TITLE}")
    link.font = Font(color="0563C1", underline="single")

    for col, width in zip("ABCDEFGHI", (24, 14, 12, 16, 16, 16, 14, 16, 16)):
        ws.column_dimensions[col].width = width
    geometry.fit_wrapped_rows(ws)
    style.print_setup(ws)
