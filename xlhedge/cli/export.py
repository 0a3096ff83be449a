"""``xlhedge export BOOK OUT``: a copy of a book anyone can open (static .xlsx, or a PDF report)."""

from __future__ import annotations

from pathlib import Path

import typer

from xlhedge.cli._common import console, fail, handles_errors, print_hanging
from xlhedge.workbook.export import export_book

__all__ = ["register", "export"]


def register(app: typer.Typer) -> None:
    app.command("export")(export)


@handles_errors
def export(
    book: Path = typer.Argument(..., help="Saved workbook (.xlsx or .xlsm)."),
    out: Path = typer.Argument(..., help="OUT.xlsx for a static copy, OUT.pdf for a PDF report."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
) -> None:
    """Write a copy of a book that shows its numbers without xlhedge.

    OUT.xlsx: every xlhedge formula replaced by its value (the book is recomputed first; formats,
    charts, names and native formulas kept), so Excel without the add-in, LibreOffice and Google Sheets
    show the numbers. OUT.pdf: the sheets rendered through LibreOffice, one page each. BOOK is not changed.

    Example: xlhedge export xlhedge_example.xlsx shared.xlsx
    """
    if out.exists() and not force:
        fail(f"{out} exists; use --force to overwrite it")
    rep = export_book(book, out)
    if rep.recompute is not None:
        for f in rep.recompute.findings:
            print_hanging(console, f"[yellow]{f.level}[/]", f"{book.name}: {f}")
    what = "PDF report" if out.suffix.lower() == ".pdf" else "static copy"
    console.print(
        f"Wrote {out}: {what}, {rep.formulas_replaced} xlhedge formulas replaced by their values "
        f"({rep.formulas_kept} other formulas kept).",
        highlight=False,
    )
