"""Render the example book through LibreOffice and crop README screenshots into docs/.

    python scripts/render_screenshots.py

Needs LibreOffice (soffice), poppler (pdftoppm) and Pillow (a test extra).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PIL import Image, ImageChops

from xlhedge.calc.recompute import RecomputeOptions, recompute
from xlhedge.template import template_path
from xlhedge.workbook.filebook import FileBook
from xlhedge.workbook.libreoffice import render_pages

DOCS = Path(__file__).resolve().parents[1] / "docs"
SHOTS = {"Exposures": "exposures.png", "Hedges": "hedges.png"}


def trim(img: Image.Image, pad: int = 12) -> Image.Image:
    bg = Image.new(img.mode, img.size, (255, 255, 255))
    box = ImageChops.difference(img, bg).getbbox()
    if box is None:
        return img
    l, t, r, b = box
    return img.crop((max(l - pad, 0), max(t - pad, 0), min(r + pad, img.width), min(b + pad, img.height)))


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="xlhedge-shots-"))
    try:
        book = work / "example.xlsx"
        shutil.copyfile(template_path("example"), book)
        fb = FileBook(book)
        recompute(fb, RecomputeOptions(write_status=False))
        fb.save()
        pages = render_pages(book, work / "pages", dpi=150)
        names = FileBook(book).sheet_names()
        for sheet, fname in SHOTS.items():
            img = Image.open(pages[names.index(sheet)]).convert("RGB")
            trim(img).save(DOCS / fname, optimize=True)
            print("wrote", DOCS / fname)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
