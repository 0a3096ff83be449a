"""Looking at the book as a person would: every sheet renders to a page through LibreOffice."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops

from xlhedge.calc.recompute import RecomputeOptions, recompute
from xlhedge.workbook.filebook import FileBook
from xlhedge.workbook.libreoffice import render_pages

from .conftest import require_tool


def test_each_sheet_renders_a_page(tmp_path: Path, example_book: Path):
    require_tool("soffice")
    require_tool("pdftoppm")
    fb = FileBook(example_book)
    recompute(fb, RecomputeOptions())
    fb.save()
    pages = render_pages(example_book, tmp_path / "pages", dpi=40)
    sheets = fb.sheet_names()
    assert len(pages) == len(sheets)  # fit to one page each, landscape
    for page, sheet in zip(pages, sheets):
        img = Image.open(page).convert("RGB")
        ink = ImageChops.difference(img, Image.new("RGB", img.size, (255, 255, 255))).getbbox()
        assert ink is not None, f"{sheet} renders blank"
