"""The OPC module: parts, relationships, content types, writing a new package."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlhedge import WorkbookError
from xlhedge.workbook.opc import OFFICE_DOCUMENT, OpcPackage, Relationship, atomic_write_bytes
from xlhedge.workbook.package import open_package

CT = b"""<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="XML" ContentType="application/xml"/>
<Override PartName="/Book/Main.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/>
</Types>"""
ROOT_RELS = b"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="book/main.xml"/>
<Relationship Id="rId2" Type="urn:x-test" Target="https://example.com/x" TargetMode="External"/>
</Relationships>"""
BOOK_RELS = b"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
 Target="sheets/one.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
 Target="/other/two.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
 Target="./strings/../sst.xml"/>
</Relationships>"""
WORKBOOK = b"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="One" sheetId="1" r:id="rId1"/><sheet name="Two" sheetId="2" r:id="rId2"/></sheets>
</workbook>"""
SST = b"""<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>hello</t></si></sst>"""
SHEET = b"""<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>%s</v></c></row></sheetData></worksheet>"""


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _odd_package() -> bytes:
    """A workbook whose main part is not xl/workbook.xml: found only through relationships."""
    return _zip(
        {
            "[Content_Types].xml": CT,
            "_rels/.rels": ROOT_RELS,
            "book/main.xml": WORKBOOK,
            "book/_rels/main.xml.rels": BOOK_RELS,
            "book/sst.xml": SST,
            "book/sheets/one.xml": SHEET % b"1.5",
            "other/two.xml": SHEET % b"2.5",
        }
    )


def test_parts_in_zip_order_as_a_mapping():
    pkg = OpcPackage(_odd_package(), where="odd.xlsm")
    assert list(pkg)[:3] == ["[Content_Types].xml", "_rels/.rels", "book/main.xml"]
    assert len(pkg) == 7 and "book/sst.xml" in pkg and "xl/workbook.xml" not in pkg
    assert pkg["book/sst.xml"] == SST == pkg.read("book/sst.xml")
    with pytest.raises(KeyError):
        pkg["nope.xml"]
    with pytest.raises(WorkbookError, match=r"odd.xlsm has no part nope.xml"):
        pkg.read("nope.xml")


def test_relationships_resolve_relative_absolute_and_external():
    pkg = OpcPackage(_odd_package(), where="odd.xlsm")
    assert pkg.related("", OFFICE_DOCUMENT) == ["book/main.xml"]
    assert pkg.relationships("")[1] == Relationship("rId2", "urn:x-test", "https://example.com/x", external=True)
    assert pkg.rel_targets("book/main.xml") == {
        "rId1": "book/sheets/one.xml",
        "rId2": "other/two.xml",
        "rId3": "book/sst.xml",
    }
    assert pkg.relationships("book/sst.xml") == []  # no rels part


def test_content_types_override_then_default_case_insensitive():
    pkg = OpcPackage(_odd_package(), where="odd.xlsm")
    assert pkg.content_type("book/main.xml") == "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    assert pkg.content_type("book/sst.xml") == "application/xml"
    assert pkg.content_type("_rels/.rels") == "application/vnd.openxmlformats-package.relationships+xml"
    assert pkg.content_type("x.bin") is None


def test_reader_finds_the_workbook_through_relationships():
    book = open_package(_odd_package(), where="odd.xlsm")
    assert book.workbook_part == "book/main.xml"
    assert book.sheet_order == ["One", "Two"]
    assert book.sheet("One").values == {(1, 1): "hello", (1, 2): 1.5}
    assert book.sheet("Two").values == {(1, 1): "hello", (1, 2): 2.5}


def test_binary_workbook_named_by_its_content_type():
    ct = CT.replace(b"macroEnabled.main+xml", b"binary.macroEnabled.main")
    data = _zip({"[Content_Types].xml": ct, "_rels/.rels": ROOT_RELS, "book/main.xml": b"\0\1"})
    with pytest.raises(WorkbookError, match=r"book.bin is a binary .xlsb workbook"):
        open_package(data, where="book.bin")


def test_damaged_member_names_file_and_part():
    data = bytearray(_zip({"a.xml": b"<a>" + b"x" * 200 + b"</a>", "b.xml": b"<b/>"}, zipfile.ZIP_STORED))
    i = data.index(b"xxxx")
    data[i] = ord("y")  # CRC no longer matches
    pkg = OpcPackage(bytes(data), where="bad.xlsx")
    with pytest.raises(WorkbookError, match=r"bad.xlsx: a.xml: the part cannot be read \(Bad CRC-32"):
        pkg.read("a.xml")
    assert pkg.xml("b.xml").tag == "b"
    with pytest.raises(WorkbookError, match=r"a.xml: the part"):
        pkg.to_bytes()
    broken = OpcPackage(_zip({"c.xml": b"<c>"}), where="bad.xlsx")
    with pytest.raises(WorkbookError, match=r"bad.xlsx: c.xml: the part is damaged"):
        broken.xml("c.xml")


def test_not_a_zip():
    with pytest.raises(WorkbookError, match=r"x.xlam is not a valid OPC package \(zip\) file"):
        OpcPackage(b"PK\x03\x04 nope", where="x.xlam")


def test_write_copies_untouched_members_and_entries(tmp_path: Path):
    src = tmp_path / "book.xlsx"
    openpyxl.Workbook().save(src)
    pkg = OpcPackage.open(src)
    new_sheet = b"<worksheet/>"
    out = tmp_path / "out.xlsx"
    pkg.write(out, {"xl/worksheets/sheet1.xml": new_sheet})
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out) as b:
        assert a.namelist() == b.namelist()
        for ia, ib in zip(a.infolist(), b.infolist()):
            assert (ia.date_time, ia.compress_type, ia.external_attr) == (
                ib.date_time,
                ib.compress_type,
                ib.external_attr,
            )
            expected = new_sheet if ia.filename == "xl/worksheets/sheet1.xml" else a.read(ia)
            assert b.read(ib) == expected
    # The source package still reads its own (unreplaced) parts after writing.
    assert pkg["xl/worksheets/sheet1.xml"] != new_sheet and pkg.xml("xl/worksheets/sheet1.xml") is not None
    assert pkg.to_bytes({"xl/worksheets/sheet1.xml": new_sheet}) == out.read_bytes()
    with pytest.raises(WorkbookError, match="has no part nope.xml to replace"):
        pkg.to_bytes({"nope.xml": b""})


def test_normalized_write_is_deflated_and_reproducible():
    pkg = OpcPackage(_zip({"a.xml": b"<a/>", "b.bin": b"\0" * 100}, zipfile.ZIP_STORED), where="p")
    data = pkg.to_bytes({"a.xml": b"<b/>"}, normalize=True)
    assert data == pkg.to_bytes({"a.xml": b"<b/>"}, normalize=True)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert [i.compress_type for i in z.infolist()] == [zipfile.ZIP_DEFLATED] * 2
        assert z.read("a.xml") == b"<b/>" and z.read("b.bin") == b"\0" * 100


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path: Path):
    out = tmp_path / "f.xlsx"
    out.write_bytes(b"old")
    out.chmod(0o600)
    pkg = OpcPackage(_zip({"a.xml": b"<a/>"}), where="p")

    class Boom(Exception):
        pass

    def fail(fh):
        fh.write(b"partial")
        raise Boom

    from xlhedge.workbook.opc import atomic_write

    with pytest.raises(Boom):
        atomic_write(out, fail)
    assert out.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["f.xlsx"]
    pkg.write(out)
    assert OpcPackage.open(out)["a.xml"] == b"<a/>"
    assert out.stat().st_mode & 0o777 == 0o600  # the replaced file's permissions
    atomic_write_bytes(tmp_path / "new.bin", b"data")
    assert (tmp_path / "new.bin").read_bytes() == b"data" and (tmp_path / "new.bin").stat().st_mode & 0o777 == 0o644
