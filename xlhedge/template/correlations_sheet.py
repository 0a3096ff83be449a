"""The Correlations sheet: correlation heatmaps, normal vs stress (docs/methodology/estimation.md, regimes.md, Figures 03–04).

1. docs/methodology/estimation.md's typical values (illustrative, recompute): what the book uses when no
   prices are given; editable.
2. From the Prices sheet, split by the VIX history on the Regime sheet (or by
   realised-vol percentile when there is none): the normal-day and stress-day
   matrices side by side, the stress matrix with the Forbes–Rigobon adjustment,
   and the all-days matrix over the last ``CorrWindow`` returns. Each is one
   xlhedge array formula, so ``xlhedge recompute`` and Refresh fill them, and a
   three-colour scale (conditional formatting) makes them a heatmap.
"""

from __future__ import annotations

from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from xlhedge.calc.refs import col_letters
from xlhedge.template import style
from xlhedge.template.context import TemplateContext

SHEET = "Correlations"
#: docs/methodology/estimation.md typical values (Cross-Asset Hedging §04): pair, normal, stress. Illustrative, recompute.
ILLUSTRATIVE: tuple[tuple[str, float, float], ...] = (
    ("SPX × TLT", -0.3, 0.4),
    ("SPX × DXY", -0.4, 0.2),
    ("SPX × Gold", 0.1, -0.2),
    ("SPX × BTC", 0.4, 0.7),
)
N = 16  # series shown per matrix: the 4 benchmarks and 12 positions (enlarge the arrays for more)
ILL_HEAD = 5
ILL_ROW0 = ILL_HEAD + 1
SET_ROW = ILL_ROW0 + len(ILLUSTRATIVE) + 2
M_TITLE1 = SET_ROW + 4
M_ROW1 = M_TITLE1 + 2  # first data row of the top matrices (labels row above)
M_TITLE2 = M_ROW1 + N + 2
M_ROW2 = M_TITLE2 + 2
LEFT_COL = 2  # B: first data column of the left matrices (labels in A)
RIGHT_COL = LEFT_COL + N + 2  # right matrices (labels one column to the left)
NO_PRICES = "No prices yet: paste them on the Prices sheet, then recompute (the table above applies meanwhile)"

HEAT = dict(
    start_type="num",
    start_value=-1,
    start_color="5B9BD5",
    mid_type="num",
    mid_value=0,
    mid_color="FFFFFF",
    end_type="num",
    end_value=1,
    end_color="E06666",
)


def _guarded(call: str, message: str = "") -> str:
    return f'=IF(COUNT(PricesValues)<3,"{message}",{call})'


def _matrix(ws: Worksheet, title_row: int, row0: int, col0: int, title: str, formula: str) -> None:
    ws.cell(row=title_row, column=col0 - 1, value=title).font = Font(bold=True)
    for k in range(N):
        ws.cell(row=row0 - 1, column=col0 + k).font = Font(bold=True)
        ws.cell(row=row0 - 1, column=col0 + k).alignment = Alignment(horizontal="center")
        ws.cell(row=row0 + k, column=col0 - 1).font = Font(bold=True)
        for j in range(N):
            ws.cell(row=row0 + k, column=col0 + j).number_format = "+0.00;-0.00;0.00"
    # labels as the functions see the series (an xlhedge formula, so a recompute refreshes them too)
    top0, top1 = f"{col_letters(col0)}{row0 - 1}", f"{col_letters(col0 + N - 1)}{row0 - 1}"
    ws[top0] = ArrayFormula(f"{top0}:{top1}", _guarded("SERIES_NAMES(PricesTable)", ""))
    side0, side1 = f"{col_letters(col0 - 1)}{row0}", f"{col_letters(col0 - 1)}{row0 + N - 1}"
    ws[side0] = ArrayFormula(f"{side0}:{side1}", _guarded("SERIES_NAMES(PricesTable,TRUE)", ""))
    last = f"{col_letters(col0 + N - 1)}{row0 + N - 1}"
    first = f"{col_letters(col0)}{row0}"
    ws[first] = ArrayFormula(f"{first}:{last}", formula)
    ws.conditional_formatting.add(f"{first}:{last}", ColorScaleRule(**HEAT))


def build(wb: Workbook, ctx: TemplateContext) -> None:
    ws = wb.create_sheet(SHEET)
    style.title(
        ws,
        "Correlations — normal vs stress",
        "Correlations measured on high-vol days are biased upward (Forbes–Rigobon): the adjusted stress "
        "matrix ρ/√(1+δ(1−ρ²)), δ = σ²_stress/σ²_normal − 1 of the first Prices series, sits beside the raw one.",
    )
    ws.cell(
        row=ILL_HEAD - 1, column=1, value="1. Typical values (docs/methodology/estimation.md) — illustrative, recompute"
    ).font = Font(bold=True, size=12)
    style.header(ws, ILL_HEAD, 1, ["Pair", "Normal", "Stress"])
    for i, (pair, normal, stress) in enumerate(ILLUSTRATIVE):
        r = ILL_ROW0 + i
        ws.cell(row=r, column=1, value=pair).font = Font(bold=True)
        for col, v in ((2, normal), (3, stress)):
            c = ws.cell(row=r, column=col, value=v)
            c.fill = style.INPUT_FILL
            c.border = style.BOX
            c.number_format = "+0.00;-0.00;0.00"
    ill = f"B{ILL_ROW0}:C{ILL_ROW0 + len(ILLUSTRATIVE) - 1}"
    ws.conditional_formatting.add(ill, ColorScaleRule(**HEAT))
    ctx.define("CorrIllustrative", f"{SHEET}!$A${ILL_HEAD}:$C${ILL_ROW0 + len(ILLUSTRATIVE) - 1}")
    ws.cell(
        row=ILL_ROW0 + len(ILLUSTRATIVE),
        column=1,
        value="illustrative, recompute: replace with the matrices below once prices are in",
    ).font = style.NOTE_FONT

    ws.cell(row=SET_ROW, column=1, value="Window for the all-days matrix (returns)").font = Font(bold=True)
    w = ws.cell(row=SET_ROW, column=2, value=252)
    w.fill = style.INPUT_FILL
    w.border = style.BOX
    ctx.define("CorrWindow", f"{SHEET}!$B${SET_ROW}")
    ws.cell(row=SET_ROW + 1, column=1, value="Stress = VIX above (Regime sheet)").font = Font(bold=True)
    ws.cell(row=SET_ROW + 1, column=2, value="=RegimeHighVIX").number_format = "0.0"
    ws.cell(row=SET_ROW + 2, column=1, value="Normal = VIX from … to").font = Font(bold=True)
    ws.cell(row=SET_ROW + 2, column=2, value="=RegimeLowVIX").number_format = "0.0"
    ws.cell(row=SET_ROW + 2, column=3, value="=RegimeHighVIX").number_format = "0.0"

    ws.cell(row=M_TITLE1 - 1, column=1, value="2. From the Prices sheet").font = Font(bold=True, size=12)
    # never "" (a live book reads an empty-text result back as a blank cell)
    split = (
        'IF(COUNT(VolHistoryVIX)>0,"normal/stress days split by the VIX history on the Regime sheet",'
        '"normal/stress days split by the realised-vol percentile of the first series (no VIX history)")'
    )
    msg = ws.cell(row=M_TITLE1 - 1, column=LEFT_COL + 2, value=f'=IF(COUNT(PricesValues)<3,"{NO_PRICES}",{split})')
    msg.font = Font(italic=True, color="C00000")
    regime = 'REGIME_CORRELATION(PricesTable,VolHistoryVIX,"{}",RegimeLowVIX,RegimeHighVIX{})'
    _matrix(ws, M_TITLE1, M_ROW1, LEFT_COL, "Normal days", _guarded(regime.format("normal", "")))
    _matrix(ws, M_TITLE1, M_ROW1, RIGHT_COL, "Stress days (raw)", _guarded(regime.format("stress", "")))
    _matrix(
        ws,
        M_TITLE2,
        M_ROW2,
        LEFT_COL,
        "Stress days, Forbes–Rigobon adjusted",
        _guarded(regime.format("stress", ",TRUE")),
    )
    _matrix(
        ws,
        M_TITLE2,
        M_ROW2,
        RIGHT_COL,
        "All days, last CorrWindow returns",
        _guarded("CORRELATION_MATRIX(PricesTable,CorrWindow)"),
    )
    for name, row, col in (
        ("CorrNormal", M_ROW1, LEFT_COL),
        ("CorrStress", M_ROW1, RIGHT_COL),
        ("CorrStressAdjusted", M_ROW2, LEFT_COL),
        ("CorrAll", M_ROW2, RIGHT_COL),
    ):
        ctx.define(name, f"{SHEET}!${col_letters(col)}${row}:${col_letters(col + N - 1)}${row + N - 1}")
    ws.column_dimensions["A"].width = 36
    for c in range(LEFT_COL, RIGHT_COL + N):
        ws.column_dimensions[col_letters(c)].width = 7.5
    ws.column_dimensions[col_letters(RIGHT_COL - 1)].width = 9
    style.print_setup(ws)
