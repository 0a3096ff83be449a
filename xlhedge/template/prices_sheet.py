"""The Prices sheet: price history for estimating betas and correlations (docs/methodology/estimation.md).

Dates down column A, one column per series from column B. The first four
series columns are the factor benchmarks, by position (the header text is the
user's: rename ``SPX`` to ``SPY`` and it stays the equity benchmark):

=======  ==========  =======================================
column   factor      default header
=======  ==========  =======================================
B        equity      SPX
C        usd         DXY
D        commodity   BCOM (a commodity composite)
E        crypto      BTC
=======  ==========  =======================================

Columns F onward hold one series per position, headed by the position's
ticker as typed on the Book sheet; ``xlhedge estimate`` and the refresh fill
the Book's beta rows from them (:mod:`xlhedge.calc.estimate`). The sheet ships
empty: nothing is estimated until prices are pasted (or imported with
``xlhedge estimate BOOK --prices FILE.csv``).
"""

from __future__ import annotations

import csv
import datetime as _dt
from pathlib import Path

from openpyxl.styles import Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from xlhedge.calc import layout
from xlhedge.calc.refs import col_letters
from xlhedge.template import style
from xlhedge.template.context import TemplateContext

SHEET = "Prices"
ROLE_ROW = 3  # "benchmark of" | equity | usd ... above the headers
HEADER_ROW = 4
FIRST_ROW = 5
#: Rows the defined names cover: about 20 years of daily closes.
LAST_ROW = FIRST_ROW + 5_200 - 1
FIRST_SERIES_COL = 2  # B
#: Series columns the names cover (B:AZ).
SERIES_COLS = 51
#: Benchmark columns by factor (docs/methodology/factor-model.md core factors estimated from prices), in sheet order.
BENCHMARK_COLUMNS: tuple[tuple[str, str], ...] = (
    ("equity", "SPX"),
    ("usd", "DXY"),
    ("commodity", "BCOM"),
    ("crypto", "BTC"),
)
#: The estimation settings the refresh and ``xlhedge estimate`` read (defaults; editable in the sheet).
SETTINGS_COL = SERIES_COLS + 3  # a column to the right of the series block (BC)
SETTINGS: tuple[tuple[str, str, object, str], ...] = (
    (layout.ESTIMATE_WINDOW, "Window (returns, blank = all)", 252, "0"),
    (layout.ESTIMATE_METHOD, "Method (ols or ewma)", "ols", "@"),
)
LOG_HEADER_ROW = HEADER_ROW + len(SETTINGS) + 3
LOG_COLUMNS = ("Cell", "Ticker", "Factor", "Benchmark", "Beta", "R²", "SE", "Returns", "From", "To", "Window", "Method")
LOG_ROWS = 400


def last_col() -> str:
    return col_letters(FIRST_SERIES_COL + SERIES_COLS - 1)


#: Columns of a shipped price file that go to the Regime sheet's vol history, not to Prices.
VOL_INDEX_COLUMNS = ("VIX", "MOVE", "DVOL", "CVIX")


def read_shipped_prices(path: Path) -> tuple[list[str], list[list[str]]]:
    """A shipped price CSV (dates in the first column) as its header and rows of text."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _fill(ws: Worksheet, path: Path) -> None:
    """Write a shipped price file (the example book's): benchmarks by header into B–E, the rest from F.

    The file's first column is the date; a benchmark it names replaces the default header
    (``WTI`` stands in for the commodity composite), one it lacks stays an empty column.
    """
    head, body = read_shipped_prices(path)
    roles = {"equity": "SPX", "usd": "DXY", "commodity": "WTI", "crypto": "BTC"}
    order: list[int | None] = []
    for factor, _ in BENCHMARK_COLUMNS:
        order.append(head.index(roles[factor]) if roles[factor] in head else None)
    rest = [j for j in range(1, len(head)) if j not in order and head[j] not in VOL_INDEX_COLUMNS]
    cols = order + rest
    for k, j in enumerate(cols):
        c = FIRST_SERIES_COL + k
        if j is None:
            continue
        ws.cell(row=HEADER_ROW, column=c, value=head[j])
        for i, row in enumerate(body):
            if row[j] != "":
                ws.cell(row=FIRST_ROW + i, column=c, value=float(row[j])).number_format = "#,##0.00"
    for i, row in enumerate(body):
        cell = ws.cell(row=FIRST_ROW + i, column=1, value=_dt.datetime.strptime(row[0], "%Y-%m-%d"))
        cell.number_format = "yyyy-mm-dd"


def build(wb: Workbook, ctx: TemplateContext) -> None:
    ws = wb.create_sheet(SHEET)
    style.title(
        ws,
        "Prices — dates down, one column per series",
        "Paste daily closes, oldest first. B–E are the factor benchmarks (equity, USD, commodity, crypto): "
        "rename their headers freely. From F on, one column per position, headed by its Book ticker. "
        "Blanks are missing prices (each pair is aligned on its common dates).",
    )
    ws.cell(row=HEADER_ROW, column=1, value="Date")
    style.header(ws, HEADER_ROW, 1, ["Date"])
    for j, (factor, label) in enumerate(BENCHMARK_COLUMNS):
        col = FIRST_SERIES_COL + j
        role = ws.cell(row=ROLE_ROW, column=col, value=factor)
        role.font = style.NOTE_FONT
        h = ws.cell(row=HEADER_ROW, column=col, value=label)
        h.fill = style.INPUT_FILL
        h.font = Font(bold=True)
        h.border = style.BOX
    ws.cell(row=ROLE_ROW, column=1, value="benchmark of").font = style.NOTE_FONT
    ws.cell(row=ROLE_ROW, column=FIRST_SERIES_COL + len(BENCHMARK_COLUMNS), value="positions →").font = style.NOTE_FONT
    for j in range(len(BENCHMARK_COLUMNS), SERIES_COLS):
        h = ws.cell(row=HEADER_ROW, column=FIRST_SERIES_COL + j)
        h.fill = style.INPUT_FILL
        h.border = style.BOX
    for r in range(FIRST_ROW, FIRST_ROW + 260):  # a year of formatted rows; more paste in as they are
        ws.cell(row=r, column=1).number_format = "yyyy-mm-dd"
    if ctx.extra.get("prices"):
        _fill(ws, ctx.extra["prices"])
    ws.column_dimensions["A"].width = 12
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=FIRST_SERIES_COL)

    z = last_col()
    ctx.define(layout.PRICES_TABLE, f"{SHEET}!$A${HEADER_ROW}:${z}${LAST_ROW}")
    ctx.define("PricesSeries", f"{SHEET}!$B${HEADER_ROW}:${z}${LAST_ROW}")
    ctx.define("PricesValues", f"{SHEET}!$B${FIRST_ROW}:${z}${LAST_ROW}")
    ctx.define("PricesHeaders", f"{SHEET}!$B${HEADER_ROW}:${z}${HEADER_ROW}")

    sc = SETTINGS_COL
    ws.cell(row=HEADER_ROW - 1, column=sc, value="Estimation settings").font = Font(bold=True)
    for i, (name, label, value, fmt) in enumerate(SETTINGS):
        r = HEADER_ROW + i
        ws.cell(row=r, column=sc, value=label)
        c = ws.cell(row=r, column=sc + 1, value=value)
        c.fill = style.INPUT_FILL
        c.border = style.BOX
        c.number_format = fmt
        ctx.define(name, f"{SHEET}!${col_letters(sc + 1)}${r}")
    ws.cell(
        row=LOG_HEADER_ROW - 1,
        column=sc,
        value="Estimated betas (written by xlhedge estimate / Refresh; a Book beta that no longer "
        "matches its line here was typed by you and is left alone)",
    ).font = style.NOTE_FONT
    style.header(ws, LOG_HEADER_ROW, sc, list(LOG_COLUMNS))
    ctx.define(
        "EstimateLog",
        f"{SHEET}!${col_letters(sc)}${LOG_HEADER_ROW + 1}:"
        f"${col_letters(sc + len(LOG_COLUMNS) - 1)}${LOG_HEADER_ROW + LOG_ROWS}",
    )
    ws.column_dimensions[col_letters(sc)].width = 28
    # the log's columns wide enough for their values (dates as text, betas to 3 places)
    for k, width in enumerate((10, 11, 10, 8, 7, 7, 8, 11, 11, 8, 8), start=1):
        ws.column_dimensions[col_letters(sc + k)].width = width
    for r in range(LOG_HEADER_ROW + 1, LOG_HEADER_ROW + LOG_ROWS + 1):
        for k, fmt in ((4, "0.000"), (5, "0.00"), (6, "0.000")):
            ws.cell(row=r, column=sc + k).number_format = fmt
    style.print_setup(ws)
