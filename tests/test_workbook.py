"""Headless recompute: values, formula forms, fidelity of everything else, bad files."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula

from xlhedge import WorkbookError, factor_exposure, read_book
from xlhedge.calc.layout import FACTOR_ROW0, LAST_FACTOR_ROW, WEIGHT_ROW
from xlhedge.calc.recompute import RecomputeOptions, recompute
from xlhedge.template.exposures_sheet import ROW0, STATUS_ROW
from xlhedge.template.figure01 import FIGURE01_POSITIONS
from xlhedge.workbook.filebook import FileBook

from .conftest import zip_members

XLWINGS_XLSM = Path(__import__("xlwings").__file__).parent / "quickstart.xlsm"


def run(path: Path, **kw):
    fb = FileBook(path)
    rep = recompute(fb, RecomputeOptions(**kw))
    fb.save()
    return rep, fb


def values(path: Path, sheet: str, ref: str) -> list[list]:
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    return [[c.value for c in row] for row in ws[ref]]


def test_example_book_values_equal_engine(example_book: Path):
    rep, _ = run(example_book)
    assert not rep.errors and not rep.warnings, rep.findings
    # Independent: read the Book inputs with openpyxl and do the sum-product in numpy.
    ws = openpyxl.load_workbook(example_book, data_only=True)["Book"]
    w = np.array([c.value or 0.0 for c in ws[WEIGHT_ROW][1:]], dtype=float)
    b = np.array([[c.value or 0.0 for c in ws[r][1:]] for r in range(FACTOR_ROW0, LAST_FACTOR_ROW + 1)], dtype=float)
    nav = ws["B3"].value
    last = ROW0 + b.shape[0] - 1
    got = np.array(values(example_book, "Exposures", f"B{ROW0}:C{last}"), dtype=float)
    np.testing.assert_allclose(got[:, 0], b @ w, rtol=0, atol=1e-15)
    np.testing.assert_allclose(got[:, 1], (b @ w) * nav, rtol=1e-15)
    # The Python API gives the same numbers.
    book = read_book(example_book)
    np.testing.assert_allclose(book.exposures()["exposure"].to_numpy(), got[:, 0], rtol=0, atol=0)
    # Formulas are kept.
    f = openpyxl.load_workbook(example_book)["Exposures"][f"B{ROW0}"].value
    assert "FACTOR_EXPOSURE(BookBlock)" in f.text
    # Status line written.
    status = values(example_book, "Exposures", f"B{STATUS_ROW}:B{STATUS_ROW}")[0][0]
    assert status.startswith("Refreshed ") and f"{len(FIGURE01_POSITIONS)} positions" in status and "OK" in status


def _unusual_workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    data = wb.active
    data.title = "Positions data"
    data.append(["Weight", 0.02, -0.01, 0.005])
    data.append(["equity", 1.2, 0.9, None])
    data.append(["duration", 0, 0, 17])
    data["F1"] = 250_000
    wb.defined_names["MyNav"] = DefinedName("MyNav", attr_text="'Positions data'!$F$1")
    wb.defined_names["Blk"] = DefinedName("Blk", attr_text="'Positions data'!$A$1:$D$3")
    out = wb.create_sheet("Elsewhere")
    out["B2"] = ArrayFormula("B2:B3", "=[1]!FACTOR_EXPOSURE(Blk)")
    out["C2"] = ArrayFormula("C2:C3", "=_xludf.FACTOR_EXPOSURE('Positions data'!B2:D3,'Positions data'!B1:D1,MyNav)")
    out["D2"] = "=B2*MyNav"  # native, no cached value, between two xlhedge calls
    # Chained: a block built from results of other formulas (weights = B2:B3, betas = D-column natives).
    out["E2"] = "=C2/1000"
    out["E3"] = "=C3/1000"
    out["F2"] = ArrayFormula("F2:F2", "=FACTOR_EXPOSURE(E2:E3)")
    out["G2"] = "=FACTOR_EXPOSURE(B2:B3,1)"  # single cell, scalar result
    out["H2"] = "='xlhedge.xlam'!FACTOR_EXPOSURE(Blk)"  # plain formula, 2 results: first shows
    wb.save(path)


def test_formulas_in_unusual_places(tmp_path: Path):
    p = tmp_path / "odd.xlsx"
    _unusual_workbook(p)
    rep, _ = run(p)
    e = factor_exposure([[1.2, 0.9, 0], [0, 0, 17]], [0.02, -0.01, 0.005]).to_numpy()
    v = values(p, "Elsewhere", "B2:H3")
    np.testing.assert_allclose([v[0][0], v[1][0]], e, rtol=0, atol=1e-15)
    np.testing.assert_allclose([v[0][1], v[1][1]], e * 250_000, rtol=1e-15)
    assert v[0][2] == pytest.approx(e[0] * 250_000, rel=1e-15)
    assert v[0][3] == pytest.approx(e[0] * 250, rel=1e-15)
    assert v[0][4] == pytest.approx((e[0] * 250) * (e[1] * 250), rel=1e-14)
    assert v[0][5] == pytest.approx(e[0] * e[1], rel=1e-14)
    assert v[0][6] == pytest.approx(e[0], rel=1e-15)
    # The plain single-cell formula with two results: a clear warning naming the cell.
    assert any("Elsewhere!H2" in str(f) and "array formula over H2:H3" in f.message for f in rep.warnings)
    assert not rep.errors


def test_cycle_is_an_error_naming_the_cells(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = 0.1
    ws["B1"] = "=FACTOR_EXPOSURE(A1:A2)"
    ws["A2"] = "=FACTOR_EXPOSURE(A1:B1, 1)"
    p = tmp_path / "cycle.xlsx"
    wb.save(p)
    rep, _ = run(p)
    assert rep.errors and "circular reference" in rep.errors[0].message
    assert "Sheet!B1" in rep.errors[0].message and "Sheet!A2" in rep.errors[0].message


def test_bad_cell_values_show_in_the_cell_and_the_report(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Weight", 0.1, "#N/A"])
    ws.append(["equity", 1, "high"])
    ws["A4"] = "=FACTOR_EXPOSURE(A1:C2)"
    p = tmp_path / "bad.xlsx"
    wb.save(p)
    rep, _ = run(p)
    msg = values(p, "Sheet", "A4:A4")[0][0]
    assert msg.startswith("#VALUE! FACTOR_EXPOSURE: block")
    assert "position 2" in msg
    assert "(cell Sheet!C1)" in msg  # the cell behind the bad value
    # one error, at the source, listing the formula that fails because of it
    assert [f.where for f in rep.errors] == ["Sheet!C1"]
    assert "Sheet!A4" in rep.errors[0].message


def test_missing_sheet_and_unknown_name(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "=FACTOR_EXPOSURE(Nowhere!A1:B2)"
    ws["A2"] = "=FACTOR_EXPOSURE(NotAName)"
    p = tmp_path / "missing.xlsx"
    wb.save(p)
    rep, _ = run(p)
    text = " ".join(str(f) for f in rep.errors)
    assert "Nowhere!A1:B2" in text and "sheet that does not exist" in text
    assert "NotAName" in text and "neither a cell reference nor a defined name" in text


def test_native_input_without_value_is_computed_or_reported(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Weight", "=0.5/2", 0.1])  # native, computed by xlhedge (no stored value)
    ws.append(["equity", "=VLOOKUP(1,D1:E2,2)", 1])  # native xlhedge cannot compute
    ws["A4"] = "=FACTOR_EXPOSURE(A1:C2)"
    p = tmp_path / "natives.xlsx"
    wb.save(p)
    fb = FileBook(p)
    rep = recompute(fb, RecomputeOptions(strict=True))
    assert any("Sheet!B2" in f.message and "cannot compute" in f.message for f in rep.errors)
    assert fb.read(fb_range("Sheet", 1, 2))[0][0] == 0.25


def fb_range(sheet: str, r: int, c: int):
    from xlhedge.calc.refs import CellRange

    return CellRange(sheet, r, c, r, c)


def _png() -> bytes:
    from PIL import Image as PILImage

    buf = io.BytesIO()
    PILImage.new("RGB", (8, 8), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


def _add_external_link(path: Path) -> None:
    """Give the file the external-link part Excel writes for add-in functions ([1]!NAME)."""
    members = zip_members(path)
    ct = members["[Content_Types].xml"].decode()
    ct = ct.replace(
        "</Types>",
        '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
    )
    rels = members["xl/_rels/workbook.xml.rels"].decode()
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/externalLink" Target="externalLinks/externalLink1.xml"/>'
        "</Relationships>",
    )
    wbxml = members["xl/workbook.xml"].decode()
    wbxml = wbxml.replace(
        "</sheets>",
        '</sheets><externalReferences><externalReference xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rIdX1"/>'
        "</externalReferences>",
    )
    members.update(
        {
            "[Content_Types].xml": ct.encode(),
            "xl/_rels/workbook.xml.rels": rels.encode(),
            "xl/workbook.xml": wbxml.encode(),
            "xl/externalLinks/externalLink1.xml": (
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<externalLink xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships"><externalBook r:id="rId1"><sheetNames><sheetName val="conf"/>'
                b'</sheetNames><definedNames><definedName name="FACTOR_EXPOSURE"/></definedNames></externalBook>'
                b"</externalLink>"
            ),
            "xl/externalLinks/_rels/externalLink1.xml.rels": (
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
                b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                b'openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="xlhedge.xlam" '
                b'TargetMode="External"/></Relationships>'
            ),
        }
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def _rich_xlsm(path: Path) -> None:
    from openpyxl.drawing.image import Image

    wb = openpyxl.load_workbook(XLWINGS_XLSM, keep_vba=True)
    ws = wb.create_sheet("Risk")
    ws.append(["Weight", 0.02, 0.03])
    ws.append(["equity", 1.1, 0.8])
    ws.append(["duration", 0.0, 7.5])
    ws["B1"].comment = Comment("trader's note", "desk")
    dv = DataValidation(type="decimal", operator="between", formula1="-1", formula2="1")
    dv.add("B1:C1")
    ws.add_data_validation(dv)
    ws["E1"] = ArrayFormula("E1:E2", "=[1]!FACTOR_EXPOSURE(A1:C3)")
    ws["E1"].number_format = "0.000%"
    ch = BarChart()
    ch.title = "mine"
    ch.add_data(Reference(ws, min_col=2, min_row=1, max_row=3))
    ws.add_chart(ch, "H2")
    img_path = path.with_suffix(".png")
    img_path.write_bytes(_png())
    ws.add_image(Image(str(img_path)), "H20")
    wb.create_sheet("Untouched")["A1"] = "keep me"
    wb.save(path)
    _add_external_link(path)


def test_everything_else_is_byte_identical(tmp_path: Path):
    p = tmp_path / "rich.xlsm"
    _rich_xlsm(p)
    before = zip_members(p)
    assert "xl/vbaProject.bin" in before
    assert any(n.startswith("xl/charts/") for n in before) and any(n.startswith("xl/media/") for n in before)
    rep, fb = run(p)
    assert not rep.errors, rep.findings
    after = zip_members(p)
    assert list(after) == list(before)  # same members, same order
    changed = sorted(n for n in before if before[n] != after[n])
    risk_part = fb.pkg.sheets["Risk"].member
    assert changed == [risk_part]
    np.testing.assert_allclose(
        [r[0] for r in values(p, "Risk", "E1:E2")],
        factor_exposure([[1.1, 0.8], [0.0, 7.5]], [0.02, 0.03]).to_numpy(),
        rtol=1e-15,
    )
    # The patched sheet kept its comment link, validation, drawing and formula.
    wb = openpyxl.load_workbook(p, keep_vba=True)
    ws = wb["Risk"]
    assert ws["B1"].comment.text == "trader's note"
    assert ws.data_validations.dataValidation[0].sqref is not None
    assert "FACTOR_EXPOSURE" in ws["E1"].value.text
    assert ws["E1"].number_format == "0.000%"


def test_failed_write_leaves_the_original_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    p = tmp_path / "book.xlsx"
    _unusual_workbook(p)
    original = p.read_bytes()
    fb = FileBook(p)
    recompute(fb, RecomputeOptions())

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", boom)
    with pytest.raises(WorkbookError, match=r"book\.xlsx: cannot be written \(disk full\)"):
        fb.save()
    assert p.read_bytes() == original
    assert sorted(x.name for x in tmp_path.iterdir()) == ["book.xlsx"]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("corrupt.xlsx", b"PK\x03\x04 this is not really a zip", "not a valid .xlsx/.xlsm file"),
        ("plain.xlsx", b"hello", "not a valid .xlsx/.xlsm file"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "Excel 97-2003 .xls file"),
        ("secret.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "password-protected"),
    ],
)
def test_unusable_files_get_one_clear_error(tmp_path: Path, name: str, content: bytes, message: str):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(WorkbookError, match=message):
        FileBook(p)


def test_zip_that_is_not_a_workbook(tmp_path: Path):
    p = tmp_path / "other.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(WorkbookError, match="no xl/workbook.xml"):
        FileBook(p)


def test_locked_file(tmp_path: Path, example_book: Path):
    lock = example_book.with_name("~$" + example_book.name)
    lock.write_bytes(b"owner")
    with pytest.raises(WorkbookError, match="open in Excel"):
        FileBook(example_book)


def test_empty_book_and_missing_book_sheet(tmp_path: Path):
    from xlhedge.template import template_path

    p = tmp_path / "empty.xlsx"
    shutil.copyfile(template_path("template"), p)
    with pytest.raises(Exception, match="has no positions"):
        read_book(p)
    other = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(other)
    with pytest.raises(WorkbookError, match="not an xlhedge book"):
        read_book(other)


def test_array_range_smaller_than_result_warns(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["w", 0.1, 0.2])
    ws.append(["a", 1, 1])
    ws.append(["b", 2, 2])
    ws["E1"] = ArrayFormula("E1:E1", "=FACTOR_EXPOSURE(A1:C3)")
    ws["F1"] = ArrayFormula("F1:F3", "=FACTOR_EXPOSURE(A1:C3)")
    p = tmp_path / "small.xlsx"
    wb.save(p)
    rep, _ = run(p)
    assert any("E1" in str(f) and "enlarge the array range" in f.message for f in rep.warnings)
    v = values(p, "Sheet", "F1:F3")
    # the cell beyond the result is blank (Excel fills #N/A; a stored book shows no filler errors)
    assert v[0][0] == pytest.approx(0.3) and v[1][0] == pytest.approx(0.6) and v[2][0] in (None, "")


@pytest.mark.parametrize("maker", ["example", "rich", "odd"])
def test_fast_reader_agrees_with_tree_reader(tmp_path: Path, example_book: Path, maker: str):
    from xlhedge.workbook.package import open_package, reference_cells

    if maker == "example":
        p = example_book
    elif maker == "rich":
        p = tmp_path / "rich.xlsm"
        _rich_xlsm(p)
    else:
        p = tmp_path / "odd.xlsx"
        _unusual_workbook(p)
        run(p)  # stored values of every kind: numbers, text, errors
    pkg = open_package(p)
    for name in pkg.sheet_order:
        part = pkg.sheet(name)
        fast_values, fast_formulas = dict(part.values), dict(part.formulas)
        tree_values, tree_formulas = reference_cells(pkg, name)
        assert tree_values == fast_values, name
        assert tree_formulas == fast_formulas, name


def test_if_evaluates_only_the_branch_it_returns(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["w", 0.1])
    ws.append(["e", 2.0])
    ws["A4"] = '=IF(COUNT(B1:B2)<3,"no data",FACTOR_EXPOSURE(B1:B1))'  # the call would fail
    ws["A5"] = "=IF(COUNT(B1:B2)=2,FACTOR_EXPOSURE(A1:B2),-1)"
    ws["A6"] = '=IFERROR(FACTOR_EXPOSURE(A1:A2),"bad block")'
    ws["A7"] = '=IFERROR(1/0+A5,"divided by zero")'  # reads an xlhedge result: recomputed
    ws["A8"] = '=IFERROR(1/0,"divided by zero")'  # outside xlhedge's reach: left as the file has it
    p = tmp_path / "if.xlsx"
    wb.save(p)
    rep, _ = run(p)
    # The failing calls in unchosen branches never ran: only A6's (chosen) call reports.
    assert [f.where for f in rep.findings] == ["Sheet!A6"], rep.findings
    v = values(p, "Sheet", "A4:A8")
    assert v[4][0] is None  # no cached value, neither feeds nor reads an xlhedge formula: not computed
    assert v[0][0] == "no data" and v[1][0] == pytest.approx(0.2)
    # As in Excel: an xlhedge message is text, which IFERROR passes through; error values it catches.
    assert v[2][0].startswith("#VALUE! FACTOR_EXPOSURE: block") and v[3][0] == "divided by zero"


def test_a_bug_in_a_function_is_one_line_in_the_cell_and_an_error_in_the_report(tmp_path: Path, monkeypatch):
    import dataclasses

    from xlhedge.functions import registry as reg

    def boom(*args):
        raise ZeroDivisionError("float division by zero")

    fe = reg.registry()["FACTOR_EXPOSURE"]
    monkeypatch.setitem(reg._REGISTRY, "FACTOR_EXPOSURE", dataclasses.replace(fe, impl=boom))
    wb = openpyxl.Workbook()
    wb.active["A1"] = "=FACTOR_EXPOSURE(B1:B2)"
    p = tmp_path / "bug.xlsx"
    wb.save(p)
    rep, _ = run(p)
    cell = values(p, "Sheet", "A1:A1")[0][0]
    assert cell == "#VALUE! FACTOR_EXPOSURE: internal error (ZeroDivisionError: float division by zero)"
    assert reg.registry()["FACTOR_EXPOSURE"].call([[1], [2]]) == cell  # the Excel door shows the same
    assert any("internal error in FACTOR_EXPOSURE" in f.message for f in rep.errors)


def _patch_sheet(path: Path, sheet_member: str, edit) -> None:
    members = zip_members(path)
    members[sheet_member] = edit(members[sheet_member].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def test_shared_formulas_are_expanded_per_cell(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, (w, b) in enumerate(((0.1, 2.0), (0.2, 3.0), (-0.3, 0.5)), start=1):
        ws.cell(row=i, column=1, value=w)
        ws.cell(row=i, column=2, value=b)
    ws["C1"] = "=FACTOR_EXPOSURE(B1,A1,1)"
    ws["C2"] = "=1"
    ws["C3"] = "=1"
    p = tmp_path / "shared.xlsx"
    wb.save(p)
    # As Excel stores a formula filled down: a master with ref/si, children with si only.
    _patch_sheet(
        p,
        "xl/worksheets/sheet1.xml",
        lambda x: x.replace(
            "<f>FACTOR_EXPOSURE(B1,A1,1)</f>", '<f t="shared" ref="C1:C3" si="0">FACTOR_EXPOSURE(B1,A1,1)</f>'
        ).replace("<f>1</f>", '<f t="shared" si="0"/>'),
    )
    rep, _ = run(p)
    assert not rep.findings, rep.findings
    got = [r[0] for r in values(p, "Sheet", "C1:C3")]
    assert got == pytest.approx([0.1 * 2.0, 0.2 * 3.0, -0.3 * 0.5], rel=1e-15)


def test_dynamic_array_spills_resizes_and_reports_a_blocked_spill(tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["w", 0.1, 0.2])
    ws.append(["a", 1, 1])
    ws.append(["b", 2, 2])
    ws["E1"] = ArrayFormula("E1:E1", "=FACTOR_EXPOSURE(A1:C3)")
    ws["G1"] = ArrayFormula("G1:G1", "=FACTOR_EXPOSURE(A1:C3)")
    ws["G2"] = "in the way"
    p = tmp_path / "dyn.xlsx"
    wb.save(p)
    # Excel 365 marks dynamic-array formulas with the cm attribute.
    _patch_sheet(
        p,
        "xl/worksheets/sheet1.xml",
        lambda x: x.replace('<c r="E1">', '<c r="E1" cm="1">').replace('<c r="G1">', '<c r="G1" cm="1">'),
    )
    rep, fb = run(p)
    assert [r[0] for r in values(p, "Sheet", "E1:E2")] == pytest.approx([0.3, 0.6])
    assert fb.pkg.sheet("Sheet").formulas[(1, 5)].fref == "E1:E2"  # the spill range grew
    assert values(p, "Sheet", "G1:G2") == [["#SPILL!"], ["in the way"]]
    assert any(f.where == "Sheet!G1" and "G2 is not empty" in f.message for f in rep.warnings)
    # Recomputing again is stable.
    assert run(p)[1].changed == []


def test_sheet_scoped_names(tmp_path: Path):
    wb = openpyxl.Workbook()
    risk = wb.active
    risk.title = "Risk"
    risk.append(["w", 0.1, 0.2])
    risk.append(["e", 1.0, 3.0])
    risk.defined_names["Blk"] = DefinedName("Blk", attr_text="Risk!$A$1:$C$2")
    other = wb.create_sheet("Other")
    other.append(["w", 1.0])
    other.append(["e", 5.0])
    other.defined_names["Blk"] = DefinedName("Blk", attr_text="Other!$A$1:$B$2")  # same name, other sheet
    risk["E1"] = "=FACTOR_EXPOSURE(Blk)"
    other["E1"] = "=FACTOR_EXPOSURE(Blk)"
    other["E2"] = "=FACTOR_EXPOSURE(Risk!Blk)"
    p = tmp_path / "local.xlsx"
    wb.save(p)
    rep, _ = run(p)
    assert not rep.findings, rep.findings
    assert values(p, "Risk", "E1:E1")[0][0] == pytest.approx(0.1 + 0.6)
    assert values(p, "Other", "E1:E2") == [[5.0], [pytest.approx(0.7)]]


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ODD_SHEETS = {
    # Attributes the common form does not have: vm (data types), t before s, ph, cm; rich inline text.
    "attributes": (
        f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
        '<c r="B1" t="e" vm="1"><v>#VALUE!</v></c><c r="C1" t="n" s="0"><v>2.5</v></c><c r="D1" ph="1"><v>7</v></c>'
        '</row><row r="2"><c r="A2" t="inlineStr"><is><r><t>ri</t></r><r><rPr><b/></rPr><t xml:space="preserve">ch </t>'
        '</r></is></c><c r="B2" cm="1"><f t="array" ref="B2:B3">A1:A2</f><v>1</v></c></row></sheetData></worksheet>',
        {(1, 1): "hello", (1, 2): "#VALUE!", (1, 3): 2.5, (1, 4): 7.0, (2, 1): "rich ", (2, 2): 1.0},
    ),
    # A prefixed namespace, rows and cells without r, a comment, CDATA, r not first.
    "prefixed": (
        f'<x:worksheet xmlns:x="{_MAIN}"><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c>'
        '<x:c><x:v>3</x:v></x:c></x:row><x:row><x:c t="str"><x:f>"a"&amp;"b"</x:f><x:v>ab</x:v></x:c></x:row>'
        '<x:row r="5"><x:c r="C5"><!-- note --><x:v><![CDATA[4.5]]></x:v></x:c><x:c s="0" r="D5" t="b"><x:v>1</x:v>'
        "</x:c></x:row></x:sheetData></x:worksheet>",
        {(1, 1): "hello", (1, 2): 3.0, (2, 1): "ab", (5, 3): 4.5, (5, 4): True},
    ),
    # Attributes on new lines, after tabs, in single quotes.
    "spacing": (
        f'<worksheet xmlns="{_MAIN}"><sheetData><row r="1"><c r="A1"\n t=\'s\'><v>0</v></c>'
        '<c r="B1"\ts="0"\tt="n"><v>2</v></c><c r="C1" ><f t=\'shared\'\n ref="C1:C2" si = "0">A1</f><v>3</v></c>'
        "<c r=\"D1\" cm = '1'><f>A1</f><v>4</v></c></row></sheetData></worksheet>",
        {(1, 1): "hello", (1, 2): 2.0, (1, 3): 3.0, (1, 4): 4.0},
    ),
    # The default namespace, but a cell without r and a <v> with an attribute.
    "no-r": (
        f'<worksheet xmlns="{_MAIN}"><sheetData><row r="3"><c r="B3"><v xml:space="preserve"> 8 </v></c>'
        "<c><v>9</v></c></row></sheetData></worksheet>",
        {(3, 2): 8.0, (3, 3): 9.0},
    ),
}


@pytest.mark.parametrize("kind", sorted(_ODD_SHEETS))
def test_reader_reads_every_well_formed_sheet_as_the_reference_does(tmp_path: Path, kind: str):
    from xlhedge.engine.coerce import ExcelError
    from xlhedge.workbook.package import open_package, reference_cells

    xml, expected = _ODD_SHEETS[kind]
    p = tmp_path / f"{kind}.xlsx"
    openpyxl.Workbook().save(p)
    members = zip_members(p)
    members["xl/worksheets/sheet1.xml"] = xml.encode()
    members["xl/sharedStrings.xml"] = f'<sst xmlns="{_MAIN}"><si><t>hello</t></si></sst>'.encode()  # string 0
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
    )
    with zipfile.ZipFile(p, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    pkg = open_package(p)
    part = pkg.sheet("Sheet")
    got = {k: (v.code if isinstance(v, ExcelError) else v) for k, v in part.values.items()}
    assert got == expected
    assert (part.values, part.formulas) == reference_cells(pkg, "Sheet")
    # The sheet can be patched too: a value written into it reads back.
    pkg.set_cached("Sheet", 4, 2, 42.0)
    pkg.save(p)
    assert open_package(p).sheet("Sheet").values[(4, 2)] == 42.0


def test_a1_references_over_openpyxl_helpers():
    from xlhedge.calc.refs import CellRange, cell_name, col_index, col_letters, parse_ref
    from xlhedge.engine.errors import FormulaError

    assert [col_letters(i) for i in (1, 26, 27, 702, 703, 16384)] == ["A", "Z", "AA", "ZZ", "AAA", "XFD"]
    assert [col_index(s) for s in ("A", "z", "AA", "XFD")] == [1, 26, 27, 16384]
    assert cell_name(12, 28) == "AB12"
    assert parse_ref("'My ''Book'''!$B$2:A1") == CellRange("My 'Book'", 1, 1, 2, 2)
    assert parse_ref("C:A", "S") == CellRange("S", 1, 1, 1_048_576, 3)
    assert parse_ref("$3:$5", "S") == CellRange("S", 3, 1, 5, 16_384)
    assert parse_ref("b7", "S") == CellRange("S", 7, 2, 7, 2)
    for bad in ("BLK", "3", "A1:B", "A1:B2:C3", ":", "A 1"):
        with pytest.raises(FormulaError):
            parse_ref(bad, "S")
    with pytest.raises(ValueError):
        col_index("AAAA")


# Excel's prefix minus binds tighter than ^: -2^2 = 4, but 0-2^2 = -4.
_PRECEDENCE = {
    "=-2^2": 4.0,
    "=-A1^2": 9.0,
    "=0-2^2": -4.0,
    "=1-A1^2": -8.0,
    "=2^-2": 0.25,
    "=-A1^-2": 1 / 9,
    "=--2^2": 4.0,
    "=-(2^2)": -4.0,
    "=2*-3^2": 18.0,
    "=-2^2*3": 12.0,
    "=-A1^3": -27.0,
    "=2^3^2": 64.0,  # left to right
    "=-50%^2": 0.25,
    "=+-A1^2": 9.0,
}


def _precedence_book(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = 3
    for i, f in enumerate(_PRECEDENCE, start=1):
        ws.cell(row=i, column=2, value=f)
    # An xlhedge formula reading them: a book with none is left alone by recompute.
    ws["D1"] = f"=LINEAR_PNL(SUM(B1:B{len(_PRECEDENCE)}),1,2)"
    wb.save(path)


def test_prefix_minus_binds_tighter_than_power(tmp_path: Path):
    from xlhedge.calc.formula import parse

    assert parse("-2^2") == ("bin", "^", ("neg", ("num", 2.0)), ("num", 2.0))
    assert parse("0-2^2") == ("bin", "-", ("num", 0.0), ("bin", "^", ("num", 2.0), ("num", 2.0)))
    p = tmp_path / "precedence.xlsx"
    _precedence_book(p)
    rep, _ = run(p)
    assert not rep.findings, rep.findings
    got = [r[0] for r in values(p, "Sheet", f"B1:B{len(_PRECEDENCE)}")]
    assert got == pytest.approx(list(_PRECEDENCE.values()), rel=1e-15)


def test_prefix_minus_precedence_as_libreoffice_computes_it(tmp_path: Path):
    from xlhedge.workbook.libreoffice import recalculate

    from .conftest import require_tool

    require_tool("soffice")
    p = tmp_path / "precedence.xlsx"
    _precedence_book(p)
    run(p)
    lo_path, _ = recalculate(p, tmp_path / "lo")
    ours = [r[0] for r in values(p, "Sheet", f"B1:B{len(_PRECEDENCE)}")]
    theirs = [r[0] for r in values(lo_path, "Sheet", f"B1:B{len(_PRECEDENCE)}")]
    # LibreOffice writes 15 significant digits (1/9 -> 0.111111111111111).
    assert ours == pytest.approx(theirs, rel=1e-14), dict(zip(_PRECEDENCE, zip(ours, theirs)))


def test_a_sheet_part_cut_short_is_refused_not_read_as_a_partial_book(example_book, tmp_path):
    """A worksheet whose XML stops half way is damaged: the reader says so (the scan alone would
    read the cells before the cut and silently miss the rest)."""
    import zipfile

    src = zipfile.ZipFile(example_book)
    bad = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            out.writestr(info, data)
    with pytest.raises(WorkbookError, match=r"xl/worksheets/sheet1\.xml: the part is damaged"):
        read_book(bad)
