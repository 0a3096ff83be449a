"""The Checks sheet: the common-mistakes findings and the rebalance (docs/methodology/checks.md, Cross-Asset Hedging §11).

``=HEDGE_CHECKS`` lists the findings (errors red, warnings amber, info blue by
conditional formatting; THETA_OVER_BUDGET from the Options sheet's ``OptionThetaBudget``), ``=REBALANCE`` the hedge ratio per factor against its
target with the orders back to target. The settings block gathers the
book-level inputs the checks read (NAV, currency of record, last decomposition
date, the check date, the vol levels) by formula from where they live; the
tolerances are editable. The Book blocks it reads (``BookAttributeBlock``,
``BookFactorBlock``) are defined with the Book sheet's other names
(:meth:`xlhedge.calc.layout.BookLayout.defined_names`).
"""

from __future__ import annotations

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook import Workbook
from openpyxl.worksheet.formula import ArrayFormula
from openpyxl.worksheet.worksheet import Worksheet

from xlhedge.calc import layout
from xlhedge.engine._typing import CORE_FACTORS, FACTOR_LABELS
from xlhedge.engine.budget import VOL_INDEXES
from xlhedge.engine.checks import DEFAULT_TOLERANCES, TOLERANCE_DOCS
from xlhedge.template import style
from xlhedge.template.context import TemplateContext

SHEET = "Checks"

FINDINGS_HEADER = 4
FINDINGS_ROWS = 30
#: Points per findings row: three lines of wrapped 11-pt text.
FINDING_ROW_HEIGHT = 45
FINDINGS_ROW0 = FINDINGS_HEADER + 1
FINDINGS_LAST = FINDINGS_ROW0 + FINDINGS_ROWS - 1
FINDINGS_COLUMNS = ["Code", "Severity", "Message", "Positions", "Fix"]

REBALANCE_HEADER = FINDINGS_HEADER  # beside the findings, columns G:R
REBALANCE_COL0 = 7
REBALANCE_ROWS = 12
REBALANCE_ROW0 = REBALANCE_HEADER + 1
REBALANCE_LAST = REBALANCE_ROW0 + REBALANCE_ROWS - 1
REBALANCE_COLUMNS = [
    "Factor",
    "Exposure",
    "Hedge",
    "Hedge ratio",
    "Target",
    "Drift (pp)",
    "Flag",
    "Instrument",
    "Side",
    "Contracts",
    "Notional change",
    "Ratio after",
]

SETTINGS_HEADER = FINDINGS_LAST + 4
SETTINGS = (
    ("NAV", "=NAV", "#,##0"),
    ("Currency of record", "=RecordCurrency", "@"),
    ("Last decomposition", "=AsOf", "yyyy-mm-dd"),
    ("Today", "=CheckDate", "yyyy-mm-dd"),
    *((idx, f"=Vol{idx}", "0.0") for idx in VOL_INDEXES),
)
SETTINGS_ROW0 = SETTINGS_HEADER + 1
SETTINGS_LAST = SETTINGS_ROW0 + len(SETTINGS) - 1

TOL_HEADER = SETTINGS_LAST + 3
TOL_ROW0 = TOL_HEADER + 1
TOL_LAST = TOL_ROW0 + len(DEFAULT_TOLERANCES) - 1

TARGET_HEADER = TOL_LAST + 3
TARGET_ROW0 = TARGET_HEADER + 1
TARGET_LAST = TARGET_ROW0 + len(CORE_FACTORS) - 1

#: Severity colours (fill, font) for the findings list.
SEVERITY_COLOURS = {
    "error": ("F8CBAD", "9C0006"),
    "warning": ("FFE699", "7F6000"),
    "info": ("DDEBF7", "1F4E79"),
}


def build(wb: Workbook, ctx: TemplateContext) -> None:
    ws = wb.create_sheet(SHEET)
    style.title(
        ws,
        "Checks — common hedging mistakes and the weekly rebalance",
        "docs/methodology/checks.md / Cross-Asset Hedging §11: most hedging failures are structural, not directional. Errors first; "
        "`xlhedge check BOOK.xlsx` prints the same list and exits 1 when an error is present.",
    )
    _settings(ws, ctx)
    _tolerances(ws, ctx)
    _targets(ws, ctx)
    _findings(ws, ctx)
    _rebalance(ws, ctx)
    widths = (36, 12, 90, 22, 70, 3, 16, 11, 11, 11, 9, 10, 11, 12, 8, 10, 15, 11)  # A: the tolerance labels
    for i, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    ws.freeze_panes = f"A{FINDINGS_ROW0}"
    style.print_setup(ws)


def _settings(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(
        row=SETTINGS_HEADER - 1,
        column=1,
        value="Settings the checks read (formulas pointing at the Book and Budget sheets)",
    ).font = Font(bold=True)
    style.header(ws, SETTINGS_HEADER, 1, ["Setting", "Value"])
    for i, (label, formula, fmt) in enumerate(SETTINGS):
        r = SETTINGS_ROW0 + i
        ws.cell(row=r, column=1, value=label)
        c = ws.cell(row=r, column=2, value=formula)
        c.number_format = fmt
    ctx.define(layout.CHECK_SETTINGS, f"{SHEET}!$A${SETTINGS_ROW0}:$B${SETTINGS_LAST}")


def _tolerances(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(row=TOL_HEADER - 1, column=1, value="Tolerances (editable)").font = Font(bold=True)
    style.header(ws, TOL_HEADER, 1, ["Tolerance", "Value", "What it does"])
    for i, (key, value) in enumerate(DEFAULT_TOLERANCES.items()):
        r = TOL_ROW0 + i
        label, unit, doc = TOLERANCE_DOCS[key]
        ws.cell(row=r, column=1, value=label)
        c = ws.cell(row=r, column=2, value=float(value))
        c.fill = style.INPUT_FILL
        c.border = style.BOX
        ws.cell(row=r, column=3, value=f"{doc} ({unit})").font = style.NOTE_FONT
        if key == "drift_pp":
            ctx.define("DriftTolerance", f"{SHEET}!$B${r}")
    ctx.define(layout.CHECK_TOLERANCES, f"{SHEET}!$A${TOL_ROW0}:$B${TOL_LAST}")


def _targets(ws: Worksheet, ctx: TemplateContext) -> None:
    ws.cell(
        row=TARGET_HEADER - 1,
        column=1,
        value="Target hedge ratio per factor for the rebalance (blank = the hedges' own Target hedge ratio)",
    ).font = Font(bold=True)
    style.header(ws, TARGET_HEADER, 1, ["Factor", "Target"])
    for i, f in enumerate(CORE_FACTORS):
        r = TARGET_ROW0 + i
        ws.cell(row=r, column=1, value=FACTOR_LABELS[f])
        c = ws.cell(row=r, column=2)
        c.fill = style.INPUT_FILL
        c.border = style.BOX
        c.number_format = "0%"
    ctx.define("RebalanceTargets", f"{SHEET}!$A${TARGET_ROW0}:$B${TARGET_LAST}")


def _findings(ws: Worksheet, ctx: TemplateContext) -> None:
    style.header(ws, FINDINGS_HEADER, 1, FINDINGS_COLUMNS)
    ws[f"A{FINDINGS_ROW0}"] = ArrayFormula(
        f"A{FINDINGS_ROW0}:E{FINDINGS_LAST}",
        f"=HEDGE_CHECKS(BookAttributeBlock,BookFactorBlock,CheckSettings,HedgeLedger,CheckTolerances,{FINDINGS_ROWS},"
        "OptionThetaBudget)",
    )
    for r in range(FINDINGS_ROW0, FINDINGS_LAST + 1):
        # room for three wrapped lines, so a long message or fix does not run over the next finding
        # (a viewer keeps the stored row height; it does not grow rows for recomputed text)
        ws.row_dimensions[r].height = FINDING_ROW_HEIGHT
        for col in range(1, 6):
            c = ws.cell(row=r, column=col)
            c.fill = style.OUTPUT_FILL
            c.alignment = Alignment(wrap_text=col in (3, 5), vertical="top")
    area = f"A{FINDINGS_ROW0}:E{FINDINGS_LAST}"
    for sev, (fill, font) in SEVERITY_COLOURS.items():
        ws.conditional_formatting.add(
            area,
            FormulaRule(
                formula=[f'$B{FINDINGS_ROW0}="{sev}"'],
                stopIfTrue=True,
                fill=PatternFill("solid", fgColor=fill, bgColor=fill),
                font=Font(color=font, bold=sev == "error"),
            ),
        )
    ctx.define("CheckFindings", f"{SHEET}!$A${FINDINGS_ROW0}:$E${FINDINGS_LAST}")


def _rebalance(ws: Worksheet, ctx: TemplateContext) -> None:
    from openpyxl.utils import get_column_letter as col

    c0 = REBALANCE_COL0
    first, last = col(c0), col(c0 + len(REBALANCE_COLUMNS) - 1)
    ws.cell(
        row=REBALANCE_HEADER - 1,
        column=c0,
        value="Rebalance: hedge ratio per factor against its target, and the orders back to target (weekly; Cross-Asset Hedging §11)",
    ).font = Font(bold=True)
    style.header(ws, REBALANCE_HEADER, c0, REBALANCE_COLUMNS)
    ws[f"{first}{REBALANCE_ROW0}"] = ArrayFormula(
        f"{first}{REBALANCE_ROW0}:{last}{REBALANCE_LAST}",
        f"=REBALANCE(BookAttributeBlock,BookFactorBlock,NAV,DriftTolerance,RebalanceTargets,{REBALANCE_ROWS})",
    )
    fmts = (
        "General",
        style.FMT_EXPOSURE,
        style.FMT_EXPOSURE,
        "0.0%",
        "0.0%",
        "0.0",
        "General",
        "General",
        "General",
        "#,##0",
        style.FMT_MONEY,
        "0.0%",
    )
    for r in range(REBALANCE_ROW0, REBALANCE_LAST + 1):
        for j, fmt in enumerate(fmts):
            c = ws.cell(row=r, column=c0 + j)
            c.fill = style.OUTPUT_FILL
            c.number_format = fmt
    flag = col(c0 + REBALANCE_COLUMNS.index("Flag"))
    ws.conditional_formatting.add(
        f"{flag}{REBALANCE_ROW0}:{flag}{REBALANCE_LAST}",
        FormulaRule(
            formula=[f'${flag}{REBALANCE_ROW0}="REBALANCE"'],
            fill=PatternFill("solid", fgColor="FFE699", bgColor="FFE699"),
            font=Font(bold=True),
        ),
    )
    ctx.define("CheckRebalance", f"{SHEET}!${first}${REBALANCE_ROW0}:${last}${REBALANCE_LAST}")
