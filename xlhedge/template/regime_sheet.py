"""The Regime sheet: vol regimes of VIX, MOVE, DVOL and CVIX (docs/methodology/regimes.md, Cross-Asset Hedging §10).

1. Current level of each index (linked to the Budget sheet's inputs, where they
   are typed), its editable low/high thresholds (:data:`xlhedge.engine.regimes.REGIME_THRESHOLDS`)
   and the regime ``=VOL_REGIME(level, index, low, high)``; boundaries are normal.
2. Calibration: thresholds for MOVE/DVOL/CVIX at the percentiles VIX's 18/28
   occupy in the VIX history below (``=CALIBRATE_THRESHOLDS``), to copy into the
   thresholds when they suit.
3. Vol-index history (dates down): the VIX column splits the Correlations
   sheet's normal/stress days; all four feed the calibration.
"""

from __future__ import annotations

import datetime as _dt

from openpyxl.styles import Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula

from xlhedge.engine.regimes import REGIME_THRESHOLDS
from xlhedge.template import prices_sheet, style
from xlhedge.template.context import TemplateContext

SHEET = "Regime"
INDEXES: tuple[str, ...] = tuple(REGIME_THRESHOLDS)  # VIX, MOVE, DVOL, CVIX
HEAD_ROW = 4
ROW0 = HEAD_ROW + 1
COLUMNS = [
    "Index",
    "Level",
    "Low threshold",
    "High threshold",
    "Regime",
    "Calibrated low",
    "Calibrated high",
    "Threshold note",
]
HIST_TITLE = ROW0 + len(INDEXES) + 3
HIST_HEAD = HIST_TITLE + 2
HIST_ROW0 = HIST_HEAD + 1
HIST_LAST = HIST_ROW0 + 10_000 - 1  # about 40 years of daily closes
MIN_HISTORY = 20


def build(wb: Workbook, ctx: TemplateContext) -> None:
    ws = wb.create_sheet(SHEET)
    style.title(
        ws,
        "Vol regimes — low < low threshold ≤ normal ≤ high threshold < high",
        "VIX 18/28 are from Kaijuka's Cross-Asset Hedging, §10; MOVE, DVOL and CVIX thresholds are starting values: paste their "
        "history below and copy the calibrated values (same percentiles as VIX's 18/28) into the yellow cells.",
    )
    style.header(ws, HEAD_ROW, 1, COLUMNS)
    hist_col = {idx: chr(ord("B") + i) for i, idx in enumerate(INDEXES)}  # history: A dates, B.. indexes
    for i, idx in enumerate(INDEXES):
        r = ROW0 + i
        t = REGIME_THRESHOLDS[idx]
        ws.cell(row=r, column=1, value=idx).font = Font(bold=True)
        # typed on the Budget sheet; a blank there reads as 0 here, which the format hides
        # (no level is ever 0) and the regime formula treats as blank
        lvl = ws.cell(row=r, column=2, value=f"=Vol{idx}")
        lvl.number_format = '0.0;-0.0;""'

        lvl.fill = style.OUTPUT_FILL
        for col, v in ((3, t.low), (4, t.high)):
            c = ws.cell(row=r, column=col, value=v)
            c.fill = style.INPUT_FILL
            c.border = style.BOX
            c.number_format = "0.0"
        ctx.define(f"RegimeLow{idx}", f"{SHEET}!$C${r}")
        ctx.define(f"RegimeHigh{idx}", f"{SHEET}!$D${r}")
        reg = ws.cell(row=r, column=5, value=f'=IF(ISBLANK(Vol{idx}),"",VOL_REGIME(Vol{idx},"{idx}",C{r},D{r}))')
        reg.fill = style.OUTPUT_FILL
        reg.font = Font(bold=True)
        hc = hist_col[idx]
        hist = f"${hc}${HIST_ROW0}:${hc}${HIST_LAST}"
        vix = f"$B${HIST_ROW0}:$B${HIST_LAST}"
        ws[f"F{r}"] = ArrayFormula(
            f"F{r}:G{r}",
            f'=IF(OR(COUNT({hist})<{MIN_HISTORY},COUNT({vix})<{MIN_HISTORY}),"no history yet",'
            f"CALIBRATE_THRESHOLDS({hist},{vix},RegimeLowVIX,RegimeHighVIX))",
        )
        for col in (6, 7):
            ws.cell(row=r, column=col).fill = style.OUTPUT_FILL
            ws.cell(row=r, column=col).number_format = "0.0"
        ws.cell(row=r, column=8, value=t.note).font = style.NOTE_FONT
    ctx.define("RegimeThresholds", f"{SHEET}!$A${HEAD_ROW}:$D${ROW0 + len(INDEXES) - 1}")
    ctx.define("RegimeVIX", f"{SHEET}!$E${ROW0}")

    ws.cell(row=HIST_TITLE, column=1, value="Vol-index history (dates down, oldest first)").font = Font(
        bold=True, size=12
    )
    ws.cell(
        row=HIST_TITLE + 1,
        column=1,
        value="VIX here splits the Correlations sheet into normal and stress days (by date); without it, "
        "days are split by the realised-vol percentile of the first Prices series.",
    ).font = style.NOTE_FONT
    style.header(ws, HIST_HEAD, 1, ["Date"] + list(INDEXES))
    for r in range(HIST_ROW0, HIST_ROW0 + 260):
        ws.cell(row=r, column=1).number_format = "yyyy-mm-dd"
    if ctx.extra.get("prices"):  # the example book: its real vol-index closes
        head, body = prices_sheet.read_shipped_prices(ctx.extra["prices"])
        cols = [(1 + INDEXES.index(h) + 1, j) for j, h in enumerate(head) if h in INDEXES]
        r = HIST_ROW0
        for row in body:
            if not any(row[j] for _, j in cols):
                continue
            ws.cell(row=r, column=1, value=_dt.datetime.strptime(row[0], "%Y-%m-%d")).number_format = "yyyy-mm-dd"
            for c, j in cols:
                if row[j]:
                    ws.cell(row=r, column=c, value=float(row[j])).number_format = "0.00"
            r += 1
    ctx.define("VolHistory", f"{SHEET}!$A${HIST_HEAD}:${chr(ord('A') + len(INDEXES))}${HIST_LAST}")
    ctx.define("VolHistoryVIX", f"{SHEET}!$A${HIST_HEAD}:$B${HIST_LAST}")
    for col, width in zip("ABCDEFGH", (12, 10, 14, 14, 11, 15, 15, 70)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = None
    style.print_setup(ws)
