"""Where things sit on a sheet, in EMU (English Metric Units: 914,400 per inch), as Excel lays them out.

A column of width ``w`` characters is ``trunc(7·w + 5)`` pixels (7 px per digit of the default
11-pt font, 5 px of padding), a pixel 9,525 EMU; a row is its height in points (15 by default), a
point 12,700 EMU; a chart of ``height`` × ``width`` cm is 360,000 EMU per cm. :func:`add_chart`
uses these to anchor a chart at the first free rows of its column band, so no chart covers another
(tests/test_sheet_layout.py checks every sheet with its own reading of the saved file).
"""

from __future__ import annotations

from openpyxl.chart._chart import ChartBase
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["EMU_PER_CM", "add_chart", "chart_box", "col_emu", "row_emu"]

EMU_PER_CM = 360_000
EMU_PER_PX = 9_525
EMU_PER_PT = 12_700
DEFAULT_COL_WIDTH = 8.43
DEFAULT_ROW_HEIGHT = 15.0


def col_emu(ws: Worksheet, col: int) -> int:
    """Width of column ``col`` (1-based) in EMU."""
    dim = ws.column_dimensions.get(get_column_letter(col))
    width = dim.width if dim is not None and dim.width else DEFAULT_COL_WIDTH
    return int(7 * width + 5) * EMU_PER_PX


def row_emu(ws: Worksheet, row: int) -> int:
    """Height of row ``row`` (1-based) in EMU."""
    dim = ws.row_dimensions.get(row)
    height = dim.height if dim is not None and dim.height else DEFAULT_ROW_HEIGHT
    return int(height * EMU_PER_PT)


def _span(size: int, start: int, step: object) -> int:
    """The last 1-based index an extent of ``size`` EMU reaches from index ``start``."""
    i, left = start, size
    while True:
        left -= step(i)  # type: ignore[operator]
        if left <= 0:
            return i
        i += 1


def chart_box(ws: Worksheet, chart: ChartBase, anchor: str) -> tuple[int, int, int, int]:
    """(first row, first col, last row, last col), 1-based and inclusive, a chart anchored at ``anchor`` covers."""
    letters, row = coordinate_from_string(anchor)
    col = column_index_from_string(letters)
    last_col = _span(int(chart.width * EMU_PER_CM), col, lambda c: col_emu(ws, c))
    last_row = _span(int(chart.height * EMU_PER_CM), row, lambda r: row_emu(ws, r))
    return row, col, last_row, last_col


def add_chart(ws: Worksheet, chart: ChartBase, anchor: str, *, gap: int = 1) -> str:
    """Add ``chart`` at ``anchor``, moved down below any chart already on the sheet it would cover.

    Returns the anchor used. Sections that grow (more rows, a new table) push later charts down
    instead of stacking them on top of each other.
    """
    letters, row = coordinate_from_string(anchor)
    moved = True
    while moved:
        moved = False
        r1, c1, r2, c2 = chart_box(ws, chart, f"{letters}{row}")
        for other in ws._charts:
            if not isinstance(other.anchor, str):
                continue
            o1, oc1, o2, oc2 = chart_box(ws, other, other.anchor)
            if r1 <= o2 and o1 <= r2 and c1 <= oc2 and oc1 <= c2:
                row = o2 + 1 + gap
                moved = True
                break
    used = f"{letters}{row}"
    ws.add_chart(chart, used)
    return used
