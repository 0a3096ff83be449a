"""The Book sheet: the source article's "spreadsheet factor model" (docs/workbook.md).

One column per position (B, C, ...), one row per attribute, then the weight
row and one row per factor beta. Inputs are shaded yellow; validation lists
keep asset class, instrument type, currency and the hedge flag to valid values.
"""

from __future__ import annotations

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xlhedge.calc.layout import (
    ATTRIBUTE_ROW0,
    ATTRIBUTES,
    BOOK_FIELDS,
    BOOK_SHEET,
    FACTOR_LABEL_LIST,
    FACTOR_ROW0,
    FIRST_POSITION_COL,
    HEADER_ROW,
    LAST_FACTOR_ROW,
    WEIGHT_ROW,
    BookLayout,
)
from xlhedge.calc.refs import col_letters
from xlhedge.engine._typing import CORE_FACTORS
from xlhedge.engine.schema import factor_key
from xlhedge.template import style
from xlhedge.template.context import TemplateContext

FACTOR_HELP = {
    "equity": "Beta to SPX. An index trade is 1.0.",
    "duration": "Effective duration in years (TLT ≈ 17). Long bonds > 0.",
    "usd": "Beta to the dollar index DXY. Long EUR/USD < 0.",
    "commodity": "Composite commodity beta (oil, copper, gold, ags).",
    "crypto": "Beta to BTC.",
    "vol": "% NAV change per +1 vol point of VIX-equivalent, per unit weight.",
}


def build(wb: Workbook, ctx: TemplateContext) -> None:
    layout: BookLayout = ctx.layout
    ws = wb.create_sheet(BOOK_SHEET)
    style.title(
        ws,
        "Book — one column per position",
        "Yellow cells are inputs. Weight = fraction of NAV (short < 0); to size by notional type "
        "=notional/NAV. Blank betas count as 0. Insert positions as columns inside the block.",
    )
    for _name, label, row, fmt in BOOK_FIELDS:
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        c = ws.cell(row=row, column=2)
        c.fill = style.INPUT_FILL
        c.number_format = fmt
        c.border = style.BOX
    # Legend (columns D–F of the NAV rows); its cells also put the named styles'
    # formats into the file, so a headless write can apply them (FileBook.write_input).
    ws["D3"] = "Legend:"
    ws["D3"].font = Font(bold=True)
    ws["E3"], ws["E3"].fill = "input", style.INPUT_FILL
    ws["F3"], ws["F3"].style = "estimated", "estimated"
    ws["G3"], ws["G3"].style = "status OK", "status_ok"
    ws["H3"], ws["H3"].style = "needs attention", "status_warn"
    ws["B3"] = ctx.nav
    ws["B4"] = ctx.currency
    ws["B5"] = ctx.as_of

    ws.cell(row=HEADER_ROW, column=1, value="Attribute / factor")
    style.header(ws, HEADER_ROW, 1, ["Attribute / factor"])
    for j in range(layout.positions):
        c = ws.cell(row=HEADER_ROW, column=FIRST_POSITION_COL + j, value=f"Position {j + 1}")
        c.fill = style.HEADER_FILL
        c.font = style.HEADER_FONT
        c.alignment = Alignment(horizontal="center")

    last = FIRST_POSITION_COL + layout.positions - 1
    for i, att in enumerate(ATTRIBUTES):
        r = ATTRIBUTE_ROW0 + i
        label = ws.cell(row=r, column=1, value=att.label)
        label.font = Font(bold=True)
        if att.note:
            label.comment = Comment(att.note, "xlhedge")
        # a boolean row shows TRUE/FALSE in every viewer, whether it stores a boolean or 1/0
        _shade_row(ws, r, last, style.FMT_BOOL if att.kind == "bool" else att.number_format)
        if att.choices:
            # An open list (e.g. Hedge factor, which also takes a tilt name) only warns.
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(att.choices) + '"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=att.label,
                errorStyle="warning" if att.open_list else "stop",
                error=f"{att.label}: one of {', '.join(att.choices)}"
                + ("; another value (e.g. a tilt name) is accepted" if att.open_list else ""),
            )
            dv.add(f"{layout.first_col}{r}:{layout.last_col}{r}")
            ws.add_data_validation(dv)

    ws.cell(row=WEIGHT_ROW, column=1, value="Weight (× NAV)").font = Font(bold=True)
    _shade_row(ws, WEIGHT_ROW, last, style.FMT_WEIGHT)
    dv = DataValidation(
        type="decimal",
        operator="between",
        formula1="-10",
        formula2="10",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Weight",
        error="Weight is a fraction of NAV between -10 and 10 (e.g. 1.5% or -0.01)",
    )
    dv.add(f"{layout.first_col}{WEIGHT_ROW}:{layout.last_col}{WEIGHT_ROW}")
    ws.add_data_validation(dv)

    for i, label in enumerate(FACTOR_LABEL_LIST):
        r = FACTOR_ROW0 + i
        cell = ws.cell(row=r, column=1, value=label)
        if i < len(CORE_FACTORS):
            cell.font = Font(bold=True)
            cell.comment = Comment(FACTOR_HELP[CORE_FACTORS[i]], "xlhedge")
        else:
            cell.fill = style.INPUT_FILL  # tilt labels are editable
        _shade_row(ws, r, last, style.FMT_BETA)

    factor_rows = [factor_key(label) for label in FACTOR_LABEL_LIST]
    for j, pos in enumerate(ctx.positions):
        col = FIRST_POSITION_COL + j
        for i, att in enumerate(ATTRIBUTES):
            if att.key in pos:
                ws.cell(row=ATTRIBUTE_ROW0 + i, column=col, value=pos[att.key])
        ws.cell(row=WEIGHT_ROW, column=col, value=pos.get("weight"))
        for key, beta in pos.get("betas", {}).items():
            ws.cell(row=FACTOR_ROW0 + factor_rows.index(factor_key(key)), column=col, value=beta)

    ws.column_dimensions["A"].width = 30
    for j in range(layout.positions):
        ws.column_dimensions[col_letters(FIRST_POSITION_COL + j)].width = 13
    ws.freeze_panes = ws.cell(row=ATTRIBUTE_ROW0, column=FIRST_POSITION_COL)
    style.print_setup(ws)
    for name, ref in layout.defined_names().items():
        ctx.define(name, ref)
    assert LAST_FACTOR_ROW == FACTOR_ROW0 + len(FACTOR_LABEL_LIST) - 1


def _shade_row(ws: Worksheet, row: int, last_col: int, fmt: str) -> None:
    for col in range(FIRST_POSITION_COL, last_col + 1):
        c = ws.cell(row=row, column=col)
        c.fill = style.INPUT_FILL
        c.number_format = fmt
        c.border = style.BOX
