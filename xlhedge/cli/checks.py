"""``xlhedge check BOOK.xlsx``: the common-mistakes findings (SPEC §9), usable in scripts.

Recomputes the book in memory (nothing is written), reads the same ranges the
Checks sheet's ``=HEDGE_CHECKS`` formula reads, and prints the findings, errors
first. Exit code 0 when there is no error finding, 1 when there is one (or a
warning with ``--strict``), 2 when the book cannot be read.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any, Optional

import typer
from rich.markup import escape

from ..budget import as_date
from ..checks import Finding
from ..errors import InputError, WorkbookError
from ..functions.checks import checks_from_ranges
from ..pipeline import RecomputeOptions, recompute
from ..template.checks_sheet import block_names
from ..template.layout import BOOK_SHEET, BookLayout, FIRST_POSITION_COL
from ..workbook.bookio import BookIO
from ..workbook.filebook import FileBook
from ..workbook.refs import parse_ref
from ._common import EXIT_FINDINGS, console, handles_errors

__all__ = ["register", "check", "book_findings"]

_COLOURS = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def register(app: typer.Typer) -> None:
    app.command("check")(check)


def _read(io: BookIO, names: dict[str, str], name: str, fallback: str | None = None) -> Any:
    ref = names.get(name.upper(), fallback)
    if ref is None:
        return None
    return io.read(parse_ref(ref.lstrip("=")))


def book_findings(io: BookIO, *, today: _dt.date | None = None) -> list[Finding]:
    """The findings of a book through the :class:`BookIO` interface (after a recompute).

    Reads the defined names the template gives the Checks sheet's inputs
    (``BookAttributeBlock``, ``BookFactorBlock``, ``CheckSettings``,
    ``HedgeLedger``, ``CheckTolerances``); a book built before those existed
    falls back to the Book sheet's layout and its NAV / RecordCurrency / AsOf cells.
    """
    names = io.defined_names()
    if BOOK_SHEET not in io.sheet_names() and "BOOKATTRIBUTEBLOCK" not in names:
        raise WorkbookError(f"has no {BOOK_SHEET} sheet: not an xlhedge book", where=io.name)
    fallback = block_names(BookLayout(_positions(names)))
    positions = _read(io, names, "BookAttributeBlock", fallback["BookAttributeBlock"])
    betas = _read(io, names, "BookFactorBlock", fallback["BookFactorBlock"])
    settings = _read(io, names, "CheckSettings")
    if settings is None:
        settings = [[label, _read(io, names, name)[0][0] if name.upper() in names else None]
                    for label, name in (("NAV", "NAV"), ("Currency of record", "RecordCurrency"),
                                        ("Last decomposition", "AsOf"))]
    return checks_from_ranges(positions, betas, settings, _read(io, names, "HedgeLedger"),
                              _read(io, names, "CheckTolerances"), today=today)


def _positions(names: dict[str, str]) -> int:
    """Number of position columns, from the BookTickers name (template default otherwise)."""
    ref = names.get("BOOKTICKERS")
    if ref:
        r = parse_ref(ref.lstrip("="))
        return r.c2 - FIRST_POSITION_COL + 1
    return BookLayout().positions


@handles_errors
def check(
    book: Path = typer.Argument(..., help="Saved workbook (.xlsx or .xlsm)."),
    today: Optional[str] = typer.Option(None, "--today", help="Check as of this date (YYYY-MM-DD); default: "
                                        "the book's check date, else today."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 on warnings too."),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON (code, severity, message, "
                                 "positions, fix)."),
) -> None:
    """Print the common-mistakes findings of a book; exit 1 when any is an error.

    Over-hedging, the wrong factor, undecided FX, late protection, stale hedges,
    stress flips, rolls due, funding drag and liquidation risk (SPEC §9). The
    file is not changed.
    """
    day = None
    if today is not None:
        day = as_date(today, "--today")
        if day is None:
            raise InputError("expected a date YYYY-MM-DD", where="--today")
    fb = FileBook(book)
    recompute(fb, RecomputeOptions(write_status=False))  # in memory: fresh settings, nothing saved
    found = book_findings(fb, today=day)
    if as_json:
        typer.echo(json.dumps([{"code": f.code, "severity": f.severity, "message": f.message,
                                "positions": list(f.positions), "fix": f.fix} for f in found], indent=2,
                              ensure_ascii=False))
    else:
        _print(book, found)
    errors = sum(f.severity == "error" for f in found)
    warnings = sum(f.severity == "warning" for f in found)
    if errors or (strict and warnings):
        raise typer.Exit(EXIT_FINDINGS)


def _print(book: Path, found: list[Finding]) -> None:
    if not found:
        console.print(f"{escape(str(book))}: no findings.", highlight=False, soft_wrap=True)
        return
    for f in found:
        console.print(f"[{_COLOURS[f.severity]}]{f.severity.upper():7}[/] [bold]{f.code}[/] {escape(f.message)}",
                      highlight=False, soft_wrap=True)
        console.print(f"        [dim]fix: {escape(f.fix)}[/]", highlight=False, soft_wrap=True)
    counts = {s: sum(f.severity == s for f in found) for s in ("error", "warning", "info")}
    console.print(f"{escape(str(book))}: {_n(len(found), 'finding')} — {_n(counts['error'], 'error')}, "
                  f"{_n(counts['warning'], 'warning')}, {counts['info']} info.", highlight=False, soft_wrap=True)


def _n(k: int, word: str) -> str:
    return f"{k} {word}{'' if k == 1 else 's'}"
