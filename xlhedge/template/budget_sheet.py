"""The Budget sheet: the hedging budget, its regime split, spend against it and what to do now.

docs/methodology/budget.md / Cross-Asset Hedging §09–§10. Inputs (yellow): the budget rate, the check date,
the current VIX / MOVE / DVOL / CVIX levels, the editable split table and the
hedge ledger. Outputs (green): ``=BUDGET_STATUS`` (budget per bucket against
premium spent this year), ``=HEDGE_DEPLOYMENT`` (deploy / maintain / hold per
bucket), ``=HEDGE_DEPLOYMENT_CURVE`` (Figure 06's data), and two native charts:
the budget split (Figure 05) and deployment against VIX (Figure 06).
"""

from __future__ import annotations

import datetime as _dt

from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, Reference, ScatterChart, Series
from openpyxl.styles import Alignment, Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from xlhedge.calc import layout
from xlhedge.engine.budget import BUCKET_LABELS, BUCKETS, BUDGET_RATE, DEFAULT_SPLITS, VOL_INDEXES
from xlhedge.engine.regimes import REGIMES
from xlhedge.template import geometry, style
from xlhedge.template.context import TemplateContext

SHEET = "Budget"

RATE_ROW = 5
NAV_ROW = 6
TOTAL_ROW = 7
DATE_ROW = 8
VOL_ROW0 = 9  # VIX, MOVE, DVOL, CVIX
REGIME_ROW = VOL_ROW0 + len(VOL_INDEXES)

SPLIT_HEADER = REGIME_ROW + 2
SPLIT_ROW0 = SPLIT_HEADER + 1
SPLIT_LAST = SPLIT_ROW0 + len(BUCKETS) - 1

STATUS_HEADER = SPLIT_LAST + 3
STATUS_ROW0 = STATUS_HEADER + 1
STATUS_LAST = STATUS_ROW0 + len(BUCKETS) - 1

DEPLOY_HEADER = STATUS_LAST + 4
DEPLOY_ROW0 = DEPLOY_HEADER + 1
DEPLOY_LAST = DEPLOY_ROW0 + len(BUCKETS) - 1

LEDGER_HEADER = DEPLOY_LAST + 3
LEDGER_ROWS = 60
LEDGER_LAST = LEDGER_HEADER + LEDGER_ROWS
LEDGER_COLUMNS = ["Date", "Instrument", "Bucket", "Premium", "Vol index", "Vol level"]

CURVE_COL = 13  # M: VIX, N: regime, O: deploy, P: to rebalance
CURVE_HEADER = 4
CURVE_ROW0 = CURVE_HEADER + 1
CURVE_LAST = CURVE_ROW0 + 35  # VIX 10…45

#: Example values (the example book): a low-VIX day with a stressed rates market.
EXAMPLE_DATE = _dt.datetime(2026, 11, 21)
EXAMPLE_LEVELS = {"VIX": 16.5, "MOVE": 131.0, "DVOL": None, "CVIX": 8.9}
TEMPLATE_LEVELS = {"VIX": 20.0, "MOVE": None, "DVOL": None, "CVIX": None}
#: The example ledger: the late put (VIX 31.5, LATE_PROTECTION), then purchases done right.
EXAMPLE_LEDGER = (
    (_dt.datetime(2026, 2, 9), "VIX Jun26 25C", "Long volatility", 2200.0, "VIX", 15.2),
    (_dt.datetime(2026, 4, 8), "SPX Jun26 4800P", "Tail protection", 6500.0, "VIX", 31.5),
    (_dt.datetime(2026, 5, 20), "SPX Jun26 4800P: sold calls", "Tail protection", -1800.0, "VIX", 24.0),
    (_dt.datetime(2026, 7, 14), "GLD Dec26 calls", "Cross-asset diversifiers", 1500.0, "MOVE", 96.0),
    (_dt.datetime(2026, 9, 2), "6C Dec26 puts", "FX hedges", 900.0, "CVIX", 7.8),
)

STATUS_COLUMNS = ["Bucket", "Share", "Budget", "Spent YTD", "Remaining", "Used"]
DEPLOY_COLUMNS = [
    "Bucket",
    "Vol index",
    "Level",
    "Regime",
    "Budget",
    "Spent YTD",
    "Remaining",
    "Action",
    "Deploy now",
    "To / from rebalance cash",
]


def build(wb: Workbook, ctx: TemplateContext) -> None:
    ws = wb.create_sheet(SHEET)
    style.title(
        ws,
        "Hedging budget — split, spend and what to do now",
        "docs/methodology/budget.md / Cross-Asset Hedging §09–§10: ~2–4% of NAV a year, split across five buckets by vol regime. "
        "Yellow cells are inputs; green cells are xlhedge formulas.",
    )
    _inputs(ws, ctx)
    _splits(ws, ctx)
    _status(ws, ctx)
    _deployment(ws, ctx)
    _ledger(ws, ctx)
    _curve(ws, ctx)
    _charts(ws)
    # B, C: the ledger's instrument and category
    for col, width in zip("ABCDEFGHIJ", (32, 26, 24, 12, 12, 12, 12, 52, 12, 14)):
        ws.column_dimensions[col].width = width
    for col, width in zip("MNOP", (8, 10, 12, 14)):
        ws.column_dimensions[col].width = width
    style.print_setup(ws)


def _label(ws: Worksheet, row: int, text: str, note: str | None = None) -> None:
    ws.cell(row=row, column=1, value=text).font = Font(bold=True)
    if note:
        ws.cell(row=row, column=3, value=note).font = style.NOTE_FONT


def _output(c: Cell, fmt: str = "General") -> None:
    c.fill = style.OUTPUT_FILL
    c.number_format = fmt


def _inputs(ws: Worksheet, ctx: TemplateContext) -> None:
    style.header(ws, RATE_ROW - 1, 1, ["Input", "Value"])
    _label(ws, RATE_ROW, "Hedging budget (% NAV / year)", "2–4% of NAV is the usual range (Cross-Asset Hedging §09)")
    style.input_cell(ws, RATE_ROW, 2, BUDGET_RATE, "0.0%")
    ctx.define("BudgetRate", f"{SHEET}!$B${RATE_ROW}")
    _label(ws, NAV_ROW, "NAV")
    _output(ws.cell(row=NAV_ROW, column=2, value="=NAV"), style.FMT_MONEY)
    _label(ws, TOTAL_ROW, "Annual budget (currency)")
    _output(ws.cell(row=TOTAL_ROW, column=2, value="=ROUND(NAV*BudgetRate,2)"), style.FMT_MONEY)
    _label(ws, DATE_ROW, "Check date (blank = today)", "year-to-date spend and the checks run to this date")
    style.input_cell(ws, DATE_ROW, 2, EXAMPLE_DATE if ctx.example else None, "yyyy-mm-dd")
    ctx.define("CheckDate", f"{SHEET}!$B${DATE_ROW}")
    levels = EXAMPLE_LEVELS if ctx.example else TEMPLATE_LEVELS
    notes = {
        "VIX": "SPX implied vol: < 18 low, 18–28 normal, > 28 high (Cross-Asset Hedging §10)",
        "MOVE": "rates vol, sets the cross-asset bucket's regime (blank = follow VIX)",
        "DVOL": "crypto vol (map a crypto book's tail bucket to it)",
        "CVIX": "FX vol, sets the FX bucket's regime (blank = follow VIX)",
    }
    for i, idx in enumerate(VOL_INDEXES):
        r = VOL_ROW0 + i
        _label(ws, r, idx, notes[idx])
        style.input_cell(ws, r, 2, levels[idx], "0.0")
        ctx.define(f"Vol{idx}", f"{SHEET}!$B${r}")
    ctx.define("VolLevels", f"{SHEET}!$A${VOL_ROW0}:$B${REGIME_ROW - 1}")
    _label(ws, REGIME_ROW, "Regime (VIX)")
    _output(ws.cell(row=REGIME_ROW, column=2, value="=VOL_REGIME(VolVIX)"))


def _splits(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(
        row=SPLIT_HEADER - 1, column=1, value="Budget split by regime (editable; each column sums to 100%)"
    ).font = Font(bold=True)
    style.header(ws, SPLIT_HEADER, 1, ["Bucket", *(r.title() for r in REGIMES)])
    for i, b in enumerate(BUCKETS):
        r = SPLIT_ROW0 + i
        ws.cell(row=r, column=1, value=BUCKET_LABELS[b])
        for j, reg in enumerate(REGIMES):
            style.input_cell(ws, r, 2 + j, float(DEFAULT_SPLITS.at[b, reg]), "0%")
    r = SPLIT_LAST + 1
    ws.cell(row=r, column=1, value="Total").font = Font(bold=True)
    for j in range(len(REGIMES)):
        col = "BCD"[j]
        _output(ws.cell(row=r, column=2 + j, value=f"=SUM({col}{SPLIT_ROW0}:{col}{SPLIT_LAST})"), "0%")
    ctx.define("BudgetSplits", f"{SHEET}!$A${SPLIT_HEADER}:$D${SPLIT_LAST}")


def _status(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(
        row=STATUS_HEADER - 1,
        column=1,
        value="Budget and premium spent this year (each bucket in its own index's regime)",
    ).font = Font(bold=True)
    style.header(ws, STATUS_HEADER, 1, STATUS_COLUMNS)
    ws[f"A{STATUS_ROW0}"] = ArrayFormula(
        f"A{STATUS_ROW0}:F{STATUS_LAST}",
        "=BUDGET_STATUS(NAV,BudgetRate,VolLevels,HedgeLedger,CheckDate,BudgetSplits)",
    )
    for r in range(STATUS_ROW0, STATUS_LAST + 1):
        for col, fmt in zip(range(1, 7), ("General", "0%", style.FMT_MONEY, style.FMT_MONEY, style.FMT_MONEY, "0%")):
            _output(ws.cell(row=r, column=col), fmt)
    r = STATUS_LAST + 1
    ws.cell(row=r, column=1, value="Total").font = Font(bold=True)
    for col in "CDE":
        _output(
            ws.cell(row=r, column=" ABCDE".index(col), value=f"=SUM({col}{STATUS_ROW0}:{col}{STATUS_LAST})"),
            style.FMT_MONEY,
        )
    ctx.define("BudgetStatus", f"{SHEET}!$A${STATUS_ROW0}:$F${STATUS_LAST}")


def _deployment(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(
        row=DEPLOY_HEADER - 1,
        column=1,
        value="What to do now: low vol deploys, normal maintains and rolls, high holds and moves budget "
        "to rebalance cash (Cross-Asset Hedging §10)",
    ).font = Font(bold=True)
    style.header(ws, DEPLOY_HEADER, 1, DEPLOY_COLUMNS)
    ws[f"A{DEPLOY_ROW0}"] = ArrayFormula(
        f"A{DEPLOY_ROW0}:J{DEPLOY_LAST}",
        "=HEDGE_DEPLOYMENT(NAV,BudgetRate,VolLevels,HedgeLedger,CheckDate,BudgetSplits)",
    )
    fmts = (
        "General",
        "General",
        "0.0",
        "General",
        style.FMT_MONEY,
        style.FMT_MONEY,
        style.FMT_MONEY,
        "General",
        style.FMT_MONEY,
        style.FMT_MONEY,
    )
    for r in range(DEPLOY_ROW0, DEPLOY_LAST + 1):
        for col, fmt in enumerate(fmts, start=1):
            _output(ws.cell(row=r, column=col), fmt)
        ws.cell(row=r, column=8).alignment = Alignment(wrap_text=True, vertical="top")
    ctx.define("BudgetDeployment", f"{SHEET}!$A${DEPLOY_ROW0}:$J${DEPLOY_LAST}")


def _ledger(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(
        row=LEDGER_HEADER - 1,
        column=1,
        value="Hedge ledger: one row per premium paid (> 0) or received (< 0); Vol level = the index on "
        "the trade date (read by LATE_PROTECTION)",
    ).font = Font(bold=True)
    style.header(ws, LEDGER_HEADER, 1, LEDGER_COLUMNS)
    rows = EXAMPLE_LEDGER if ctx.example else ()
    fmts = ("yyyy-mm-dd", "@", "General", style.FMT_MONEY, "General", "0.0")
    for i in range(LEDGER_ROWS):
        r = LEDGER_HEADER + 1 + i
        vals = rows[i] if i < len(rows) else (None,) * 6
        for j, (v, fmt) in enumerate(zip(vals, fmts), start=1):
            style.input_cell(ws, r, j, v, fmt)
    buckets = DataValidation(
        type="list",
        formula1='"' + ",".join(BUCKET_LABELS.values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Bucket",
        error="Bucket: " + ", ".join(BUCKET_LABELS.values()),
    )
    indexes = DataValidation(type="list", formula1='"' + ",".join(VOL_INDEXES) + '"', allow_blank=True)
    ws.add_data_validation(buckets)
    ws.add_data_validation(indexes)
    buckets.add(f"C{LEDGER_HEADER + 1}:C{LEDGER_LAST}")
    indexes.add(f"E{LEDGER_HEADER + 1}:E{LEDGER_LAST}")
    ctx.define(layout.HEDGE_LEDGER, f"{SHEET}!$A${LEDGER_HEADER}:$F${LEDGER_LAST}")


def _curve(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(row=CURVE_HEADER - 1, column=CURVE_COL, value="Deployment against VIX (Figure 06)").font = Font(bold=True)
    style.header(ws, CURVE_HEADER, CURVE_COL, ["VIX", "Regime", "Deploy now", "To rebalance"])
    ws.cell(row=CURVE_ROW0, column=CURVE_COL).value = ArrayFormula(
        f"M{CURVE_ROW0}:P{CURVE_LAST}", "=HEDGE_DEPLOYMENT_CURVE()"
    )
    for r in range(CURVE_ROW0, CURVE_LAST + 1):
        for j, fmt in enumerate(("0", "General", "0%", "0%")):
            _output(ws.cell(row=r, column=CURVE_COL + j), fmt)


def _charts(ws: Worksheet) -> None:
    split = BarChart()
    split.type = "bar"
    split.title = "Hedging budget split (Figure 05)"
    split.y_axis.title = "Budget (currency)"
    split.x_axis.title = "Bucket"
    split.add_data(Reference(ws, min_col=3, min_row=STATUS_ROW0, max_row=STATUS_LAST), titles_from_data=False)
    split.set_categories(Reference(ws, min_col=1, min_row=STATUS_ROW0, max_row=STATUS_LAST))
    split.legend = None
    split.x_axis.delete = False
    split.y_axis.delete = False
    split.x_axis.scaling.orientation = "maxMin"
    split.y_axis.number_format = "#,##0"
    split.height, split.width = 8, 16
    geometry.add_chart(ws, split, "R4")

    curve = ScatterChart()
    curve.title = "Budget deployment against VIX (Figure 06)"
    curve.style = 13
    curve.x_axis.title = "VIX"
    curve.y_axis.title = "Share of remaining budget"
    x = Reference(ws, min_col=CURVE_COL, min_row=CURVE_ROW0, max_row=CURVE_LAST)
    for col, name in ((CURVE_COL + 2, "Deploy now"), (CURVE_COL + 3, "Move to rebalance cash")):
        s = Series(Reference(ws, min_col=col, min_row=CURVE_ROW0, max_row=CURVE_LAST), x, title=name)
        s.marker.symbol = "none"
        s.smooth = False
        curve.series.append(s)
    curve.x_axis.scaling.min = 10
    curve.x_axis.scaling.max = 45
    curve.y_axis.scaling.min = 0
    curve.y_axis.scaling.max = 1
    curve.y_axis.number_format = "0%"
    curve.x_axis.delete = False
    curve.y_axis.delete = False
    curve.legend.position = "b"
    curve.height, curve.width = 8, 16
    geometry.add_chart(ws, curve, "R22")
