"""The shipped template and example book are exactly what the builder makes."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from xlhedge.calc.layout import ATTRIBUTES, BookLayout
from xlhedge.template import build_workbook, template_path

from .conftest import zip_members


@pytest.mark.parametrize("kind", ["template", "example", "figure01"])
def test_shipped_file_equals_builder_output(tmp_path: Path, kind: str):
    built = build_workbook(tmp_path / "b.xlsx", example={"template": False, "example": True}.get(kind, kind))
    shipped, fresh = zip_members(template_path(kind)), zip_members(built)
    assert list(shipped) == list(fresh)
    differ = [n for n in fresh if fresh[n] != shipped[n]]
    assert not differ, f"rebuild templates/ (python -m xlhedge.template): {differ}"


def test_template_structure():
    wb = openpyxl.load_workbook(template_path("template"))
    assert wb.sheetnames[:2] == ["Book", "Exposures"]
    names = set(wb.defined_names)
    for n in ("NAV", "RecordCurrency", "BookWeights", "BookBetas", "BookBlock", "BookTickers", "XlhedgeStatus"):
        assert n in names
    assert wb.defined_names["BookWeights"].attr_text == BookLayout().defined_names()["BookWeights"]
    book = wb["Book"]
    lists = [dv.formula1 for dv in book.data_validations.dataValidation if dv.type == "list"]
    assert any("equity" in f and "crypto" in f for f in lists)
    assert any("USD" in f and "CHF" in f for f in lists)
    assert len([a for a in ATTRIBUTES if a.choices]) == len(lists)
    ex = wb["Exposures"]
    assert len(ex._charts) == 1
    chart = ex._charts[0]
    assert chart.title is not None and chart.x_axis.delete is False and chart.y_axis.delete is False
    assert ex.page_setup.orientation == "landscape"


def test_every_name_the_code_reads_is_defined_by_the_template():
    """calc/layout's defined-name constants are the names the readers look up; the template defines each."""
    import re

    from xlhedge.calc import layout

    wb = openpyxl.load_workbook(template_path("template"))
    defined = {n.upper() for n in wb.defined_names}
    constants = {
        k: v
        for k, v in vars(layout).items()
        if k.isupper() and isinstance(v, str) and re.fullmatch(r"[A-Z][A-Za-z]+", v) and k != "BOOK_SHEET"
    }
    assert len(constants) >= 20
    missing = {k: v for k, v in constants.items() if v.upper() not in defined}
    assert not missing, missing
