"""The Book sheet: the source article's "spreadsheet factor model" (docs/workbook.md).

One column per position (B, C, ...), one row per attribute, then the weight
row and one row per factor beta. Inputs are shaded yellow; validation lists
keep asset class, instrument type, currency and the hedge flag to valid values.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass
from typing import Any

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
from xlhedge.calc.refs import col_index, col_letters
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

#: Write the empty input cells of the position block as XML text when the sheet is saved (copies of
#: each row's last openpyxl cell, :class:`BlockFill`) instead of one openpyxl cell per position: the
#: same bytes (tests/test_template.py checks both ways agree), 16,000 positions in a fraction of a
#: second instead of half a minute. False builds every cell with openpyxl (the reference).
DEFER_BLOCK = True
_FILLS = "book_sheet.fills"


_DIMENSION = re.compile(rb'<dimension ref="([A-Z]+[0-9]+):([A-Z]+)([0-9]+)"')


@dataclass
class BlockFill:
    """The part of a sheet's position block left to :meth:`expand`: columns ``proto_col + 1 …
    last_col`` of ``rows`` (empty copies of the ``proto_col`` cell), of ``header_row`` (copies
    labelled "Position j", j counted from ``first_col``) and their ``<col>`` widths."""

    sheet: str
    rows: list[int]
    proto_col: int
    last_col: int
    header_row: int
    first_col: int

    def expand(self, xml: bytes) -> bytes:
        """The sheet's XML (as openpyxl wrote it) with the missing columns added.

        A copy differs from its prototype (the last ``<col>`` element, the last cell of each row,
        which must be empty but for the header's label) only in its column, so the file is what
        openpyxl writes with every cell in the workbook. A prototype that is not where it should
        be raises RuntimeError (a bug, not bad input).
        """
        cols = range(self.proto_col + 1, self.last_col + 1)
        letters = [col_letters(c).encode() for c in cols]
        starts = [b'<c r="' + L for L in letters]  # a row's cells: suffix.join(starts) + suffix
        p = col_letters(self.proto_col)
        out: list[bytes] = []
        pos = 0

        def take(start: bytes, stop: bytes, then: bytes) -> bytes:
            """The element from ``start`` through ``stop``, which ``then`` must follow; copies go after it."""
            nonlocal pos
            i = xml.index(start, pos)
            end = xml.index(stop, i) + len(stop)
            if not xml.startswith(then, end):
                raise RuntimeError(f"{self.sheet}: {start.decode()}… is not the last of its kind in its row or list")
            out.append(xml[pos:end])
            pos = end
            return xml[i:end]

        # the used range: <dimension ref="A1:H48"/> reaches the last column
        m = _DIMENSION.search(xml)
        if m is None:
            raise RuntimeError(f"{self.sheet}: no <dimension> element")
        last = col_letters(max(self.last_col, col_index(m.group(2).decode())))
        out.append(xml[: m.start(2)] + last.encode())
        pos = m.end(2)
        # column widths: <col … min="P" max="P"/>, the last before </cols>
        tag = f' min="{self.proto_col}" max="{self.proto_col}"/>'.encode()
        take(tag, b"/>", b"</cols>")
        proto = xml[xml.rindex(b"<col ", 0, pos) : pos]
        out.append(b"".join([proto.replace(tag, f' min="{c}" max="{c}"/>'.encode()) for c in cols]))
        # the header: <c r="P6" …><is><t>Position k</t></is></c>
        k = self.proto_col - self.first_col + 1
        cell = take(f'<c r="{p}{self.header_row}"'.encode(), b"</c>", b"</row>")
        label = f">Position {k}<".encode()
        if cell.count(label) != 1:
            raise RuntimeError(f"{self.sheet}!{p}{self.header_row} is not labelled Position {k}")
        before, after = cell[len(f'<c r="{p}{self.header_row}"') :].split(label)
        row = f'{self.header_row}"'.encode() + before + b">Position "
        out.append(
            b"".join(
                [
                    b'<c r="' + L + row + str(c - self.first_col + 1).encode() + b"<" + after
                    for L, c in zip(letters, cols)
                ]
            )
        )
        # input rows: <c r="P9" s="13" t="n"/> (or …></c>)
        for r in self.rows:
            ref = f'<c r="{p}{r}"'.encode()
            i = xml.index(ref, pos)
            end = xml.index(b">", i) + 1
            if not xml.endswith(b"/>", 0, end):
                if not xml.startswith(b"</c>", end):
                    raise RuntimeError(f"{self.sheet}!{p}{r} is not an empty cell")
                end += 4
            if not xml.startswith(b"</row>", end):
                raise RuntimeError(f"{self.sheet} row {r} has cells after {p}{r}")
            suffix = f'{r}"'.encode() + xml[i + len(ref) : end]
            out.append(xml[pos:end])
            out.append(suffix.join(starts) + suffix)
            pos = end
        out.append(xml[pos:])
        return b"".join(out)


class BlockArchive(zipfile.ZipFile):
    """The zip that openpyxl's ``ExcelWriter`` writes into, completing the deferred blocks of
    :func:`archive_patches` as their sheets are added (whether it adds a sheet from its temporary
    file or as bytes). Closing it with a block still missing is a RuntimeError, never a book with
    a silently blank block."""

    def __init__(self, file: Any, patches: dict[str, Callable[[bytes], bytes]]) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._patches = dict(patches)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        if str(arcname) not in self._patches:
            super().write(filename, arcname, *args, **kwargs)
            return
        with open(filename, "rb") as f:
            self.writestr(str(arcname), f.read())

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        patch = self._patches.pop(str(name), None)
        if patch is not None:
            data = patch(data.encode() if isinstance(data, str) else bytes(data))
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def close(self) -> None:
        missing, self._patches = sorted(self._patches), {}
        super().close()
        if missing:
            raise RuntimeError(f"the position block of {', '.join(missing)} was not written")


def archive_patches(wb: Workbook, ctx: TemplateContext) -> dict[str, Callable[[bytes], bytes]]:
    """Zip member -> the function completing its deferred position block (see :data:`DEFER_BLOCK`)."""
    out: dict[str, Callable[[bytes], bytes]] = {}
    for fill in ctx.extra.get(_FILLS, []):
        idx = wb.sheetnames.index(fill.sheet) + 1  # ExcelWriter numbers the sheets in tab order
        out[f"xl/worksheets/sheet{idx}.xml"] = fill.expand
    return out


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
    last = FIRST_POSITION_COL + layout.positions - 1
    # openpyxl makes the columns of the positions given and one empty column after them; the rest
    # of the block is written as copies of that column when the sheet is saved (DEFER_BLOCK)
    shaded = min(last, FIRST_POSITION_COL + len(ctx.positions)) if DEFER_BLOCK else last
    block_rows: list[int] = []
    head = ws.cell(row=HEADER_ROW, column=FIRST_POSITION_COL, value="Position 1")
    head.fill, head.font, head.alignment = style.HEADER_FILL, style.HEADER_FONT, Alignment(horizontal="center")
    for col in range(FIRST_POSITION_COL + 1, shaded + 1):  # one style shared by value, not three lookups a cell
        ws.cell(row=HEADER_ROW, column=col, value=f"Position {col - FIRST_POSITION_COL + 1}")._style = copy(head._style)
    for i, att in enumerate(ATTRIBUTES):
        r = ATTRIBUTE_ROW0 + i
        label = ws.cell(row=r, column=1, value=att.label)
        label.font = Font(bold=True)
        if att.note:
            label.comment = Comment(att.note, "xlhedge")
        # a boolean row shows TRUE/FALSE in every viewer, whether it stores a boolean or 1/0
        _shade_row(ws, r, shaded, style.FMT_BOOL if att.kind == "bool" else att.number_format)
        block_rows.append(r)
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
    _shade_row(ws, WEIGHT_ROW, shaded, style.FMT_WEIGHT)
    block_rows.append(WEIGHT_ROW)
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
        _shade_row(ws, r, shaded, style.FMT_BETA)
        block_rows.append(r)
    if shaded < last:
        ctx.extra.setdefault(_FILLS, []).append(
            BlockFill(ws.title, block_rows, shaded, last, HEADER_ROW, FIRST_POSITION_COL)
        )

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
    for col in range(FIRST_POSITION_COL, shaded + 1):
        ws.column_dimensions[col_letters(col)].width = 13
    ws.freeze_panes = ws.cell(row=ATTRIBUTE_ROW0, column=FIRST_POSITION_COL)
    style.print_setup(ws)
    for name, ref in layout.defined_names().items():
        ctx.define(name, ref)
    assert LAST_FACTOR_ROW == FACTOR_ROW0 + len(FACTOR_LABEL_LIST) - 1


def _shade_row(ws: Worksheet, row: int, last_col: int, fmt: str) -> None:
    """Input cells (yellow, boxed, ``fmt``) from the first position column to ``last_col``."""
    first = ws.cell(row=row, column=FIRST_POSITION_COL)
    first.fill, first.number_format, first.border = style.INPUT_FILL, fmt, style.BOX
    for col in range(FIRST_POSITION_COL + 1, last_col + 1):
        ws.cell(row=row, column=col)._style = copy(first._style)
