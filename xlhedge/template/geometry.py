"""Where things sit on a sheet, in EMU (English Metric Units: 914,400 per inch), as Excel lays them out.

A column of width ``w`` characters is ``trunc(7·w + 5)`` pixels (7 px per digit of the default
11-pt font, 5 px of padding), a pixel 9,525 EMU; a row is its height in points (15 by default), a
point 12,700 EMU; a chart of ``height`` × ``width`` cm is 360,000 EMU per cm. :func:`add_chart`
uses these to anchor a chart at the first free rows of its column band, so no chart covers another
(tests/test_sheet_layout.py checks every sheet with its own reading of the saved file).

Text is measured in digit widths of the default font (:func:`text_width`): proportional text is
narrower than its character count, capitals wider than lower case. Cells show
``(pixels − 5) / 7`` digits of a column whose stored width is ``w``, the pixels being
``trunc(((256·w + trunc(128/7)) / 256)·7)`` (ECMA-376 Part 1 §18.3.1.13). :func:`fit_column` widens a
column to its longest text and :func:`fit_wrapped_rows` makes a row tall enough for its wrapped text.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from openpyxl.cell.cell import Cell
from openpyxl.chart._chart import ChartBase
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "EMU_PER_CM",
    "add_chart",
    "cell_chars",
    "chart_box",
    "col_emu",
    "fit_column",
    "fit_wrapped_rows",
    "row_emu",
    "text_width",
    "wrapped_lines",
]

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


#: Height of one line of wrapped text of the default font, points.
LINE_PT = 15.0


def text_width(text: str, bold: bool = False) -> float:
    """Width of ``text`` in digit widths of the default font (digits 1, capitals 1.1, lower case 0.85,
    spaces and narrow punctuation 0.5, anything else 1), bold 8% wider."""
    w = 0.0
    for ch in text:
        if ch.isdigit():
            w += 1.0
        elif ch.isupper():
            w += 1.1
        elif ch.islower():
            w += 0.85
        elif ch in " .,:;'|!()[]":
            w += 0.5
        else:
            w += 1.0
    return w * (1.08 if bold else 1.0)


def _col_chars(ws: Worksheet, col: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(col))
    w = dim.width if dim is not None and dim.width else DEFAULT_COL_WIDTH
    px = math.trunc(((256 * w + math.trunc(128 / 7)) / 256) * 7)
    return (px - 5) / 7


def cell_chars(ws: Worksheet, cell: Cell) -> float:
    """Digits the cell shows: its column's, or its merged range's."""
    for mr in ws.merged_cells.ranges:
        if mr.min_row <= cell.row <= mr.max_row and mr.min_col <= cell.column <= mr.max_col:
            return sum(_col_chars(ws, c) for c in range(mr.min_col, mr.max_col + 1))
    return _col_chars(ws, cell.column)


def wrapped_lines(text: str, width: float, bold: bool = True) -> int:
    """Lines ``text`` takes wrapped at word boundaries in a cell ``width`` digits wide."""
    lines, cur = 1, 0.0
    for word in str(text).split():
        w = text_width(word, bold)
        if cur and cur + 0.5 + w > width:
            lines, cur = lines + 1, w
        else:
            cur = cur + (0.5 if cur else 0) + w
    return lines


def fit_column(ws: Worksheet, col: int, texts: Iterable[object], *, bold: bool = False, least: float = 0.0) -> float:
    """Widen column ``col`` (1-based) to show the longest of ``texts`` on one line; returns its width."""
    need = max([least, *(text_width(str(t), bold) for t in texts if t is not None)])
    # the stored width that shows ``need`` digits (the inverse of _col_chars), rounded up a little
    width = math.ceil((need * 7 + 5 + 2) / 7 * 4) / 4
    dim = ws.column_dimensions[get_column_letter(col)]
    if not dim.width or dim.width < width:
        dim.width = width
    return float(dim.width)


def fit_wrapped_rows(ws: Worksheet, margin: float = 1.15) -> None:
    """Make every row tall enough for the lines of its wrapped text cells (never lower a row).

    Text is measured ``margin`` times wider than :func:`text_width` says, so a renderer with a
    wider font than Excel's Calibri (LibreOffice's substitute) wraps no more lines than the row holds.

    A formula's text is not known when the book is built: a wrapped formula cell (a header that
    shows another cell's label) keeps the height its builder gave the row.
    """
    need: dict[int, float] = {}
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if not isinstance(v, str) or not v or v.startswith("=") or not c.alignment.wrap_text:
                continue
            # measured as bold at the default size (headers are bold; other text only gets more room)
            lines = wrapped_lines(v, cell_chars(ws, c) / margin)
            need[c.row] = max(need.get(c.row, 0.0), lines * LINE_PT)
    for r, height in need.items():
        dim = ws.row_dimensions[r]
        if (dim.height or DEFAULT_ROW_HEIGHT) < height:
            dim.height = height
