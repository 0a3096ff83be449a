"""The sheets read well: no chart covers another chart or a table, values fit their columns, wrapped
text fits its row, and every sheet renders through LibreOffice.

Generic over the built books (every sheet, every chart, every defined range, array formula and
filled cell), so a section another feature adds is checked too. The geometry is computed here
from the saved file, independently of xlhedge.template.geometry: a chart's box from its drawing
anchor (``from`` cell + offset, then ``to`` or ``ext`` in EMU) against the sheet's column widths
(ECMA-376 Part 1 §18.3.1.13: pixels = trunc(((256·w + trunc(128/7))/256)·7), 9,525 EMU per
pixel) and row heights (12,700 EMU per point, 15 pt by default).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from xlhedge.template import build_workbook

from .conftest import require_tool

EMU_PX, EMU_PT, DEFAULT_ROW_PT, DEFAULT_WIDTH = 9_525, 12_700, 15.0, 8.43
KINDS = {"template": False, "example": True, "figure01": "figure01"}


@cache
def _book(kind: str) -> Path:
    folder = Path(__import__("tempfile").mkdtemp(prefix=f"layout-{kind}-"))
    return build_workbook(folder / f"{kind}.xlsx", example=KINDS[kind])


def _col_px(ws: Worksheet, col: int) -> int:
    d = ws.column_dimensions.get(get_column_letter(col))
    w = d.width if d is not None and d.width else DEFAULT_WIDTH
    return math.trunc(((256 * w + math.trunc(128 / 7)) / 256) * 7)


def _row_pt(ws: Worksheet, row: int) -> float:
    d = ws.row_dimensions.get(row)
    return d.height if d is not None and d.height else DEFAULT_ROW_PT


def _walk(start: int, offset: int, extent: int, size) -> int:
    """The 1-based index where an extent of ``extent`` EMU ends, starting ``offset`` EMU into ``start``."""
    i, left = start, extent + offset
    while True:
        left -= size(i)
        if left <= 0:
            return i
        i += 1


def chart_boxes(ws: Worksheet) -> list[tuple[str, tuple[int, int, int, int]]]:
    """(title, (row1, col1, row2, col2)) of each chart, 1-based inclusive."""
    out = []
    for ch in ws._charts:
        a = ch.anchor
        r1, c1 = a._from.row + 1, a._from.col + 1
        if getattr(a, "to", None) is not None:
            r2, c2 = a.to.row + 1, a.to.col + 1
        else:
            c2 = _walk(c1, a._from.colOff, a.ext.width, lambda c: _col_px(ws, c) * EMU_PX)
            r2 = _walk(r1, a._from.rowOff, a.ext.height, lambda r: int(_row_pt(ws, r) * EMU_PT))
        title = ""
        if ch.title is not None and ch.title.tx is not None and ch.title.tx.rich is not None:
            title = "".join(r.t for p in ch.title.tx.rich.p for r in (p.r or []))
        out.append((title or f"chart at {get_column_letter(c1)}{r1}", (r1, c1, r2, c2)))
    return out


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def table_ranges(wb: openpyxl.Workbook, ws: Worksheet) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Every defined name on this sheet, every array formula range and every table."""
    out = []
    for name, dn in wb.defined_names.items():
        for sheet, ref in dn.destinations:
            if sheet == ws.title and re.fullmatch(r"\$?[A-Z]+\$?\d+(:\$?[A-Z]+\$?\d+)?", ref):
                c1, r1, c2, r2 = range_boundaries(ref.replace("$", ""))
                out.append((name, (r1, c1, r2, c2)))
    for ref in ws.array_formulae.values():
        c1, r1, c2, r2 = range_boundaries(ref)
        out.append((f"array {ref}", (r1, c1, r2, c2)))
    for t in ws.tables.values():
        c1, r1, c2, r2 = range_boundaries(t.ref)
        out.append((f"table {t.name}", (r1, c1, r2, c2)))
    return out


def _sheets():
    for kind in KINDS:
        for name in openpyxl.load_workbook(_book(kind), read_only=True).sheetnames:
            yield pytest.param(kind, name, id=f"{kind}-{name}")


SHEETS = list(_sheets())


@pytest.mark.parametrize(("kind", "sheet"), SHEETS)
def test_charts_cover_no_chart_table_or_cell(kind: str, sheet: str):
    wb = openpyxl.load_workbook(_book(kind))
    ws = wb[sheet]
    boxes = chart_boxes(ws)
    for i, (t1, b1) in enumerate(boxes):
        for t2, b2 in boxes[i + 1 :]:
            assert not _overlap(b1, b2), f"{sheet}: chart {t1!r} {b1} overlaps chart {t2!r} {b2}"
        for name, rng in table_ranges(wb, ws):
            assert not _overlap(b1, rng), f"{sheet}: chart {t1!r} {b1} covers {name} {rng}"
        r1, c1, r2, c2 = b1
        for row in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2):
            for c in row:
                filled = c.fill is not None and c.fill.fill_type not in (None, "none")
                assert c.value in (None, "") and not filled, f"{sheet}: chart {t1!r} covers {c.coordinate}"


# ----------------------------------------------------------------------- widths
def _section(fmt: str, v: float) -> str:
    parts = fmt.split(";")
    if v < 0 and len(parts) > 1:
        return parts[1]
    if v == 0 and len(parts) > 2:
        return parts[2]
    return parts[0]


def formatted(v: object, fmt: str) -> str:
    """A number as an Excel number format shows it (the formats the template uses)."""
    if isinstance(v, bool):
        return "FALSE" if not v else "TRUE"
    if isinstance(v, _dt.datetime | _dt.date):
        return "2026-12-31" if "yy" in fmt else str(v)
    if not isinstance(v, int | float):
        return str(v)
    if fmt in ("General", "", None):  # General shows the digits that fit: the integer part must
        return f"{v:.0f}" if abs(v) < 1e11 else f"{v:.2E}"
    sec = _section(fmt, v)
    cond = re.match(r"\[=(-?[\d.]+)\](.*)", sec)
    if cond and v == float(cond.group(1)):
        sec = cond.group(2)
    elif cond:
        sec = fmt.split(";")[1] if ";" in fmt else cond.group(2)
    neg = v < 0 and len(fmt.split(";")) == 1
    sec = re.sub(r"\[[^\]]*\]", "", sec)
    literal = "".join(re.findall(r'"([^"]*)"', sec))
    sec = re.sub(r'"[^"]*"', "", sec)
    x = abs(v) if not neg else -v
    if "E+" in sec.upper():
        decimals = len(sec.split(".")[1].split("E")[0]) if "." in sec else 0
        text = f"{x:.{decimals}E}"
    else:
        pct = sec.count("%")
        x = x * 100**pct
        frac = re.sub(r"[^0#]", "", sec.split(".")[1]) if "." in sec else ""
        decimals, required = len(frac), frac.count("0")
        text = f"{x:,.{decimals}f}" if "," in sec else f"{x:.{decimals}f}"
        if decimals > required:  # "#" places are shown only when not zero (Excel keeps the point)
            head, _, tail = text.partition(".")
            text = head + "." + tail[:required] + tail[required:].rstrip("0")
        text += "%" * pct
    sign = re.match(r"^[+\-]", sec)
    if neg:
        text = "-" + text
    elif sign:
        text = sign.group(0) + text
    return text + literal


def _width_chars(ws: Worksheet, col: int, row: int) -> float:
    """Characters the cell shows: its column, or its merged range."""
    for mr in ws.merged_cells.ranges:
        if mr.min_row <= row <= mr.max_row and mr.min_col <= col <= mr.max_col:
            return sum((_col_px(ws, c) - 5) / 7 for c in range(mr.min_col, mr.max_col + 1))
    return (_col_px(ws, col) - 5) / 7


def ems(text: str, bold: bool = False) -> float:
    """Width of ``text`` in digit widths of the default font (digits 1, capitals 1.1, lower case
    0.85, spaces and punctuation 0.5): proportional text is narrower than its character count."""
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


#: Realistic magnitudes on top of the built book's own values: a 2.5 bn NAV, a 250 m notional.
BIG = 2_500_000_000.0


@pytest.mark.parametrize(("kind", "sheet"), SHEETS)
def test_values_fit_their_columns(kind: str, sheet: str):
    """No number would show ### and no label is cut by a filled neighbour, at the template's widths."""
    wb = openpyxl.load_workbook(_book(kind), data_only=True)
    ws = wb[sheet]
    problems = []
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if v in (None, "") or c.alignment.wrap_text:
                continue
            width = _width_chars(ws, c.column, c.row)
            if isinstance(v, int | float | _dt.datetime | _dt.date) and not isinstance(v, bool):
                shown = formatted(v, c.number_format)
                if ems(shown) > width:
                    problems.append(f"{c.coordinate} {shown!r} ({c.number_format}) in {width:.1f} chars")
                if "#,##0" in c.number_format and isinstance(v, float) and abs(v) >= 100_000:
                    big = formatted(math.copysign(BIG, v) if abs(v) > 1e7 else v * 10, c.number_format)
                    if ems(big) > width:
                        problems.append(f"{c.coordinate} {big!r} at 10× this book's size in {width:.1f} chars")
            elif isinstance(v, str) and c.column < ws.max_column:
                nxt = ws.cell(row=c.row, column=c.column + 1).value
                bold = c.font is not None and bool(c.font.b)
                if nxt not in (None, "") and ems(v, bold) > width and c.alignment.horizontal != "fill":
                    problems.append(f"{c.coordinate} label {v[:40]!r} cut at {width:.1f} chars")
    assert not problems, f"{sheet}:\n" + "\n".join(problems[:40])


def _lines(text: str, width: float) -> int:
    lines, cur = 1, 0.0
    for word in str(text).split():
        w = ems(word, True)
        if cur and cur + 0.5 + w > width:
            lines, cur = lines + 1, w
        else:
            cur = cur + (0.5 if cur else 0) + w
    return lines


@pytest.mark.parametrize(("kind", "sheet"), SHEETS)
def test_wrapped_text_fits_its_row(kind: str, sheet: str):
    """A wrapped cell's text needs no more lines than its row holds (else it overprints the next row)."""
    wb = openpyxl.load_workbook(_book(kind), data_only=True)
    ws = wb[sheet]
    problems = []
    for row in ws.iter_rows():
        for c in row:
            if c.value in (None, "") or not c.alignment.wrap_text:
                continue
            need = _lines(str(c.value), _width_chars(ws, c.column, c.row))
            room = max(1, int(_row_pt(ws, c.row) // 14.5))
            if need > room:
                problems.append(f"{c.coordinate}: {need} lines in a {room}-line row: {str(c.value)[:50]!r}")
    assert not problems, f"{sheet}:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("kind", ["example"])
def test_no_filler_na_and_booleans_show_alike(kind: str):
    wb = openpyxl.load_workbook(_book(kind), data_only=True)
    na = [(ws.title, c.coordinate) for ws in wb for row in ws.iter_rows() for c in row if c.value == "#N/A"]
    assert not na, na[:10]
    book = wb["Book"]
    row = next(r for r in range(1, 40) if book.cell(row=r, column=1).value == "Is hedge")
    formats = {book.cell(row=row, column=c).number_format for c in range(2, 32)}
    assert formats == {'"TRUE";"TRUE";"FALSE"'}


def test_every_sheet_renders_through_libreoffice(tmp_path: Path):
    """The example's static copy renders one non-blank page per sheet (look at them too: docs/workbook.md)."""
    require_tool("soffice")
    pdftoppm = require_tool("pdftoppm")
    from PIL import Image

    from xlhedge.workbook.export import export_pdf

    pdf = tmp_path / "example.pdf"
    export_pdf(_book("example"), pdf)
    subprocess.run([pdftoppm, "-r", "30", "-png", str(pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) == len(openpyxl.load_workbook(_book("example"), read_only=True).sheetnames)
    for p in pages:
        lo, hi = Image.open(p).convert("L").getextrema()
        assert lo < 128 < hi, f"{p.name} is blank"
    shutil.rmtree(tmp_path, ignore_errors=True)
