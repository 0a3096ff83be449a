"""Shared look of the template sheets: fonts, fills, number formats, print setup."""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.chart._chart import ChartBase
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xlhedge.calc.layout import CELL_STYLES, CellStyle

NAVY = "1F3864"
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # inputs the user types
OUTPUT_FILL = PatternFill("solid", fgColor="E2EFDA")  # computed by xlhedge
HEADER_FILL = PatternFill("solid", fgColor=NAVY)
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14, color=NAVY)
NOTE_FONT = Font(italic=True, size=9, color="595959")
THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)

FMT_WEIGHT = "0.00%;[Red]-0.00%"
FMT_BETA = "0.00;[Red]-0.00"
FMT_EXPOSURE = "0.0000;[Red]-0.0000"
FMT_MONEY = "#,##0;[Red]-#,##0"
FMT_PCT = "0.0%"
#: Booleans as TRUE/FALSE whether stored as booleans or as 1/0 (LibreOffice shows a stored FALSE as 0
#: under General).
FMT_BOOL = '"TRUE";"TRUE";"FALSE"'


#: Cell styles the pipeline refers to by name (BookIO.write_input(style=...)).
def _named_style(name: str, spec: CellStyle) -> NamedStyle:
    kw: dict[str, Any] = {"font": Font(bold=spec.bold or None, italic=spec.italic or None, color=spec.font_color)}
    if spec.fill:
        kw["fill"] = PatternFill("solid", fgColor=spec.fill)
    if spec.number_format:
        kw["number_format"] = spec.number_format
    return NamedStyle(name=name, **kw)


def add_named_styles(wb: Workbook) -> None:
    for name, spec in CELL_STYLES.items():
        if name not in wb.named_styles:
            wb.add_named_style(_named_style(name, spec))


def title(ws: Worksheet, text: str, note: str | None = None) -> None:
    ws["A1"] = text
    ws["A1"].font = TITLE_FONT
    if note:
        ws["A2"] = note
        ws["A2"].font = NOTE_FONT


def header(ws: Worksheet, row: int, col: int, labels: list[str]) -> None:
    """A header row; tall enough for two lines of wrapped text."""
    ws.row_dimensions[row].height = 30
    for j, text in enumerate(labels):
        c = ws.cell(row=row, column=col + j, value=text)
        c.fill = HEADER_FILL
        c.font = HEADER_FONT
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def print_setup(ws: Worksheet) -> None:
    """Landscape, fit to one page wide, so the sheet prints/renders readably."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False


def chart_axes(chart: ChartBase, y_format: str, *, height: float = 8, width: float = 16) -> None:
    """Show both axes (openpyxl hides them by default), format the value axis, legend below."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    # category labels at the low end of the value axis, not on the bars where values are negative
    chart.x_axis.tickLblPos = "low"
    chart.y_axis.number_format = y_format
    chart.height, chart.width = height, width
    if chart.legend is not None:
        chart.legend.position = "b"


def input_cell(ws: Worksheet, row: int, col: int, value: object, number_format: str = "General") -> Cell:
    """A yellow, boxed input cell holding ``value``; returns the cell."""
    c = ws.cell(row=row, column=col, value=value)
    c.fill, c.border, c.number_format = INPUT_FILL, BOX, number_format
    return c
