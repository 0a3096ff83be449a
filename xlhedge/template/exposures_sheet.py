"""The Exposures sheet: the book view (docs/methodology/factor-model.md, Cross-Asset Hedging Figure 02).

Per factor row of the Book: exposure in NAV fractions and in currency (both
``=FACTOR_EXPOSURE``), a native ``=SUMPRODUCT`` check beside it (any
spreadsheet recomputes it; the LibreOffice cross-check test compares them),
the largest contributor, the book DV01 and vol P&L per point (the two rows whose
exposure × NAV is not a P&L per unit move), a bar chart, and the Status area the
refresh writes into.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from xlhedge.calc import layout
from xlhedge.calc.layout import FACTOR_ROW0, N_FACTORS, BookLayout
from xlhedge.engine._typing import CORE_FACTORS
from xlhedge.template import geometry, style
from xlhedge.template.context import TemplateContext

SHEET = "Exposures"
ROW0 = 5  # first factor row on this sheet
DV01_ROW = ROW0 + N_FACTORS + 1
VOL_ROW = DV01_ROW + 1
NAV_ROW = DV01_ROW + 2
STATUS_ROW = DV01_ROW + 4
STATUS_ROWS = 10

COLUMNS = [
    "Factor",
    "Exposure (× NAV)",
    "Exposure × NAV (currency)",
    "SUMPRODUCT check",
    "Difference",
    "Largest contributor",
    "Its contribution (× NAV)",
    "Share of gross",
]


def build(wb: Workbook, ctx: TemplateContext) -> None:
    book_layout: BookLayout = ctx.layout
    ws = wb.create_sheet(SHEET)
    style.title(
        ws,
        "Book view — net factor exposures",
        "E_f = Σ weight × beta (docs/methodology/factor-model.md). Columns B, C and F–H are xlhedge formulas; D is a plain "
        "SUMPRODUCT any spreadsheet recomputes, E must stay 0. The vol row is % of NAV per VIX point: its P&L per "
        "point is the row under the DV01.",
    )
    style.header(ws, ROW0 - 1, 1, COLUMNS)
    last = ROW0 + N_FACTORS - 1
    for i in range(N_FACTORS):
        r = ROW0 + i
        ws.cell(row=r, column=1, value=f"=Book!$A${FACTOR_ROW0 + i}").font = Font(bold=i < 6)
        ws.cell(row=r, column=4, value=f"=SUMPRODUCT(BookWeights,{book_layout.row_ref(FACTOR_ROW0 + i)})")
        # Rounded to 1e-10: the two sums differ by float noise (2.8E-17), not by a number to act on.
        ws.cell(row=r, column=5, value=f"=ROUND(B{r}-D{r},10)")
        for col, fmt in (
            (2, style.FMT_EXPOSURE),
            (3, style.FMT_MONEY),
            (4, style.FMT_EXPOSURE),
            (5, "[=0]0;0.0E+00"),
            (7, style.FMT_EXPOSURE),
            (8, style.FMT_PCT),
        ):
            ws.cell(row=r, column=col).number_format = fmt
        for col in (2, 3, 6, 7, 8):
            ws.cell(row=r, column=col).fill = style.OUTPUT_FILL
        ws.cell(row=r, column=6).alignment = Alignment(indent=1)  # clear of the Difference column
    ws[f"B{ROW0}"] = ArrayFormula(f"B{ROW0}:B{last}", "=FACTOR_EXPOSURE(BookBlock)")
    ws[f"C{ROW0}"] = ArrayFormula(f"C{ROW0}:C{last}", "=FACTOR_EXPOSURE(BookBetas,BookWeights,NAV)")
    ws[f"F{ROW0}"] = ArrayFormula(f"F{ROW0}:H{last}", "=FACTOR_CONTRIBUTORS(BookBlock,BookTickers)")

    ws.cell(row=DV01_ROW, column=1, value="Book DV01 (currency per +1bp)").font = Font(bold=True)
    dv01 = ws.cell(row=DV01_ROW, column=3, value=f"=-B{ROW0 + 1}*NAV*0.0001")
    dv01.number_format = "#,##0.00;[Red]-#,##0.00"
    dv01.fill = style.OUTPUT_FILL
    ws.cell(row=VOL_ROW, column=1, value="Book vol P&L (currency per +1 vol point)").font = Font(bold=True)
    vol_b = f"B{ROW0 + CORE_FACTORS.index('vol')}"  # the vol row is % of NAV per point
    vol = ws.cell(row=VOL_ROW, column=3, value=f"={vol_b}*NAV*0.01")
    vol.number_format = style.FMT_MONEY
    vol.fill = style.OUTPUT_FILL
    ws.cell(row=NAV_ROW, column=1, value="NAV").font = Font(bold=True)
    nav = ws.cell(row=NAV_ROW, column=3, value="=NAV")
    nav.number_format = style.FMT_MONEY

    ws.cell(row=STATUS_ROW, column=1, value="Status").font = Font(bold=True)
    ctx.define(layout.STATUS, f"{SHEET}!$B${STATUS_ROW}:$B${STATUS_ROW + STATUS_ROWS - 1}")
    ctx.define("Exposures", f"{SHEET}!$B${ROW0}:$B${last}")
    ctx.define("ExposuresCcy", f"{SHEET}!$C${ROW0}:$C${last}")
    ctx.define("ExposureLabels", f"{SHEET}!$A${ROW0}:$A${last}")
    ctx.define("BookDV01", f"{SHEET}!$C${DV01_ROW}")
    ctx.define("BookVolPerPoint", f"{SHEET}!$C${VOL_ROW}")

    chart = BarChart()
    chart.type = "bar"
    chart.title = "Factor exposures (× NAV)"
    chart.y_axis.title = "Exposure (× NAV)"
    chart.x_axis.title = None
    chart.add_data(Reference(ws, min_col=2, min_row=ROW0, max_row=last), titles_from_data=False)
    chart.set_categories(Reference(ws, min_col=1, min_row=ROW0, max_row=last))
    chart.legend = None
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # first factor on top, as in the source article's Figure 02
    chart.x_axis.tickLblPos = "low"  # labels clear of negative bars
    chart.y_axis.number_format = "0.00"
    chart.y_axis.majorGridlines = None
    chart.height, chart.width = 9, 16
    geometry.add_chart(ws, chart, "J4")

    for col, width in zip("ABCDEFGH", (38, 16, 18, 16, 13, 20, 18, 13)):
        ws.column_dimensions[col].width = width
    style.print_setup(ws)
