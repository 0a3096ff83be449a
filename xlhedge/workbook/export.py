"""A copy of a book anyone can open: static ``.xlsx`` (xlhedge formulas → their values) or a PDF report.

A live book's xlhedge cells hold formulas such as ``=FACTOR_EXPOSURE(BookBlock)``. Excel without
the add-in, LibreOffice and Google Sheets do not have those functions: once they recalculate, the
cells show ``#NAME?`` and the charts that read them go blank. :func:`export_static` recomputes the
book (so the stored values are current), then patches the package: in every worksheet the ``<f>``
of each cell whose formula calls an xlhedge function is removed and its cached ``<v>`` kept (for an
array formula, every cell of its range keeps its value). Everything else stays as it was: number
formats, styles, charts, comments, defined names, and the native formulas (``=SUMPRODUCT(...)``,
``=B5*2``), which now read constants and compute anywhere. ``xl/calcChain.xml``, where present,
is dropped (it would list cells that no longer hold a formula; Excel rebuilds it).

:func:`export_pdf` renders the static copy through LibreOffice headless, one page per sheet (each
sheet set to fit one page; long data sheets print their first rows). :func:`export_book` picks
by the output's suffix; it is ``xlhedge.export_book`` and ``xlhedge export BOOK OUT``.
"""

from __future__ import annotations

import functools
import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from openpyxl.xml.constants import SHEET_MAIN_NS

from xlhedge.calc.layout import BOOK_SHEET
from xlhedge.calc.recompute import RecomputeOptions, RecomputeReport, recompute
from xlhedge.calc.refs import col_letters
from xlhedge.engine.errors import InputError, XlhedgeError
from xlhedge.functions.registry import registry
from xlhedge.workbook import libreoffice
from xlhedge.workbook.filebook import FileBook
from xlhedge.workbook.opc import atomic_write_bytes, check_writable
from xlhedge.workbook.package import XlsxPackage, open_package

__all__ = ["ExportReport", "export_book", "export_pdf", "export_static", "is_xlhedge_formula", "PDF_MAX_ROWS"]

_M = f"{{{SHEET_MAIN_NS}}}"
_F = _M + "f"
_CALC_CHAIN = "xl/calcChain.xml"
#: A data sheet longer than this prints its first rows only in the PDF report (one readable page).
PDF_MAX_ROWS = 70
#: Sheets whose print area is cut to :data:`PDF_MAX_ROWS` (date-by-date histories).
_LONG_SHEETS = ("Prices", "Regime")


@dataclass
class ExportReport:
    """What an export did."""

    out: Path
    formulas_replaced: int = 0
    formulas_kept: int = 0
    sheets: list[str] = field(default_factory=list)
    recompute: RecomputeReport | None = None


@functools.cache
def _pattern() -> re.Pattern[str]:
    names = sorted(registry(renamed=True), key=len, reverse=True)
    # a call of a registered function, bare or as Excel stores an unknown UDF (_xludf.NAME)
    return re.compile(r"(?<![A-Za-z0-9_.])(?:_xludf\.)?(?:" + "|".join(map(re.escape, names)) + r")\s*\(", re.I)


def is_xlhedge_formula(text: str | None) -> bool:
    """True when a formula calls an xlhedge worksheet function (outside string literals)."""
    if not text:
        return False
    code = re.sub(r'"(?:[^"]|"")*"', '""', text)
    return _pattern().search(code) is not None


def _freeze(pkg: XlsxPackage) -> tuple[dict[str, set[tuple[int, int]]], int, int]:
    """Drop the ``<f>`` of every xlhedge formula cell; return the cells changed per sheet and counts."""
    dropped: dict[str, set[tuple[int, int]]] = {}
    replaced = kept = 0
    for name in pkg.sheet_order:
        part = pkg.sheet(name)
        if not part.formulas:
            continue
        # a shared formula's dependents carry only its index: they go with their master
        shared_master = {
            f.si: f.formula for f in part.formulas.values() if f.ftype == "shared" and f.formula and f.si is not None
        }
        victims = []
        for key, f in part.formulas.items():
            text = shared_master.get(f.si) if f.ftype == "shared" and not f.formula else f.formula
            if is_xlhedge_formula(text):
                victims.append(key)
            else:
                kept += 1
        if not victims:
            continue
        pkg._tree(part)
        for key in victims:
            el = part.elements.get(key)
            f_el = el.find(_F) if el is not None else None
            if f_el is not None:
                el.remove(f_el)
                el.attrib.pop("cm", None)  # dynamic-array metadata belongs to the formula
            part.formulas.pop(key, None)
            replaced += 1
        part.dirty = True
        dropped[name] = set(victims)
    return dropped, replaced, kept


def _write_without_calc_chain(pkg: XlsxPackage, dst: Path, patched: dict[str, bytes]) -> None:
    """Write the package without ``xl/calcChain.xml`` (its part, relationship and content type).

    The chain lists the cells that hold formulas; once some no longer do, Excel would report the file
    as needing repair. Without a chain Excel simply builds a new one.
    """
    rels_member = "xl/_rels/" + pkg.workbook_part.rsplit("/", 1)[-1] + ".rels"
    patched = dict(patched)
    if rels_member in pkg.opc:
        rels = etree.fromstring(pkg.opc.read(rels_member))
        for rel in list(rels):
            if rel.get("Type", "").endswith("/calcChain"):
                rels.remove(rel)
        patched[rels_member] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = etree.fromstring(pkg.opc.read("[Content_Types].xml"))
    for o in list(types):
        if o.get("PartName", "").lstrip("/") == _CALC_CHAIN:
            types.remove(o)
    patched["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    data = pkg.opc.to_bytes(patched)
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if info.filename != _CALC_CHAIN:
                    zout.writestr(info, zin.read(info), compress_type=zipfile.ZIP_DEFLATED)
    atomic_write_bytes(dst, buf.getvalue())


def export_static(
    book: str | os.PathLike[str], out: str | os.PathLike[str], *, recompute_first: bool = True
) -> ExportReport:
    """Write ``out``: a copy of ``book`` whose xlhedge formulas are replaced by their values.

    The book is recomputed in memory first (``recompute_first``), so the values are current;
    the source file is not changed.
    """
    src, dst = Path(book), Path(out)
    if dst.suffix.lower() not in (".xlsx", ".xlsm"):
        raise InputError("the static copy must be an .xlsx (or .xlsm) file", where=str(dst))
    if src.resolve() == dst.resolve():
        raise InputError("would overwrite the book itself; give another output file", where=str(dst))
    check_writable(dst)  # before any work: a missing folder or a read-only file is refused, as elsewhere
    fb = FileBook(src)
    rep = recompute(fb, RecomputeOptions()) if recompute_first else None
    pkg = fb.pkg
    dropped, replaced, kept = _freeze(pkg)
    patched = {
        p.member: etree.tostring(p.root, xml_declaration=True, encoding="UTF-8", standalone=True)
        for p in pkg.sheets.values()
        if p.dirty
    }
    if _CALC_CHAIN in pkg.opc and dropped:
        _write_without_calc_chain(pkg, dst, patched)
    else:
        pkg.opc.write(dst, patched)
    return ExportReport(dst, replaced, kept, sorted(dropped), rep)


def _print_setup(pkg: XlsxPackage) -> dict[str, bytes]:
    """Each sheet fits one landscape page; a long history prints its first :data:`PDF_MAX_ROWS` rows
    and a sheet without charts the cells in use."""
    out: dict[str, bytes] = {}
    wb = pkg.opc.xml(pkg.workbook_part)
    names = wb.find(_M + "definedNames")
    sheets = [sh.get("name") for sh in wb.iterfind(f"{_M}sheets/{_M}sheet")]
    for name in pkg.sheet_order:
        part = pkg.sheet(name)
        root = pkg._tree(part)
        pr = root.find(_M + "sheetPr")
        if pr is None:
            pr = etree.Element(_M + "sheetPr")
            root.insert(0, pr)
        psp = pr.find(_M + "pageSetUpPr")
        if psp is None:
            psp = etree.SubElement(pr, _M + "pageSetUpPr")
        psp.set("fitToPage", "1")
        ps = root.find(_M + "pageSetup")
        if ps is None:
            ps = etree.Element(_M + "pageSetup")
            anchor = root.find(_M + "pageMargins")
            if anchor is None:
                # schema order: ... printOptions, pageMargins, pageSetup, headerFooter, ..., drawing ...
                later = [
                    root.find(_M + t) for t in ("headerFooter", "rowBreaks", "colBreaks", "drawing", "legacyDrawing")
                ]
                first = next((e for e in later if e is not None), None)
                anchor = etree.Element(
                    _M + "pageMargins", left="0.5", right="0.5", top="0.5", bottom="0.5", header="0.3", footer="0.3"
                )
                if first is not None:
                    first.addprevious(anchor)
                else:
                    root.append(anchor)
            anchor.addnext(ps)
        ps.set("orientation", "landscape")
        ps.set("fitToWidth", "1")
        ps.set("fitToHeight", "1")
        out[part.member] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        rows = max((r for r, _ in part.values), default=0)
        area = None
        if name in _LONG_SHEETS and rows > PDF_MAX_ROWS:
            # the history's first rows and its block of columns (up to the first empty column:
            # the Prices sheet's spare series columns and its estimate log stay off the page)
            used = {c for r, c in part.values if r <= PDF_MAX_ROWS}
            last = 1
            while last + 1 in used:
                last += 1
            area = (PDF_MAX_ROWS, last)
        elif root.find(_M + "drawing") is None and part.values:
            # no chart: print the cells in use
            cols = [c for _, c in part.values]
            if name == BOOK_SHEET:  # its spare position columns hold only "Position N" labels
                cols = [
                    c for (_, c), v in part.values.items() if isinstance(v, int | float) and not isinstance(v, bool)
                ]
            area = (rows, max(cols or [c for _, c in part.values]))
        if area is not None and name in sheets:
            last_row, cols = area
            if names is None:
                names = etree.Element(_M + "definedNames")
                after = wb.find(_M + "sheets")
                after.addnext(names)
            idx = str(sheets.index(name))
            for dn in list(names):
                if dn.get("name") == "_xlnm.Print_Area" and dn.get("localSheetId") == idx:
                    names.remove(dn)
            quoted = "'" + name.replace("'", "''") + "'"
            dn = etree.SubElement(names, _M + "definedName", name="_xlnm.Print_Area", localSheetId=idx)
            dn.text = f"{quoted}!$A$1:${col_letters(cols)}${last_row}"
    out[pkg.workbook_part] = etree.tostring(wb, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


def export_pdf(book: str | os.PathLike[str], out: str | os.PathLike[str]) -> ExportReport:
    """Render ``book`` to a PDF report through LibreOffice: its static copy, one page per sheet."""
    dst = Path(out)
    if dst.suffix.lower() != ".pdf":
        raise InputError("the report must be a .pdf file", where=str(dst))
    if libreoffice.soffice_path() is None:
        raise XlhedgeError(
            "the PDF report needs LibreOffice (soffice), which is not installed: install it "
            "(e.g. apt-get install libreoffice-calc) or export a static .xlsx copy instead"
        )
    check_writable(dst)
    with tempfile.TemporaryDirectory(prefix="xlhedge-export-") as tmp:
        static = Path(tmp) / (dst.stem + ".xlsx")
        rep = export_static(book, static)
        pkg = open_package(static)
        pkg.opc.write(static, _print_setup(pkg))
        pdf, _ = libreoffice.convert(static, "pdf", tmp, recalc=False)
        atomic_write_bytes(dst, Path(pdf).read_bytes())
    rep.out = dst
    return rep


def export_book(book: str | os.PathLike[str], out: str | os.PathLike[str]) -> ExportReport:
    """A copy of ``book`` anyone can open: ``out`` ending in ``.xlsx`` is a static workbook, ``.pdf`` a report."""
    suffix = Path(out).suffix.lower()
    if suffix == ".pdf":
        return export_pdf(book, out)
    if suffix in (".xlsx", ".xlsm"):
        return export_static(book, out)
    raise InputError("the export must end in .xlsx (a static workbook) or .pdf (a report)", where=str(out))
