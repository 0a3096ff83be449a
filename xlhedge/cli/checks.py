"""``xlhedge check BOOK.xlsx``: the common-mistakes findings (docs/methodology/checks.md), usable in scripts.

Recomputes the book in memory (nothing is written), reads the same ranges the
Checks sheet's ``=HEDGE_CHECKS`` formula reads, and prints the findings, errors
first. Exit code 0 when there is no error finding, 1 when there is one (or a
warning with ``--strict``), 2 when the book cannot be read.
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from xlhedge.calc.bookio import BookIO, read_named
from xlhedge.calc.layout import ATTRIBUTES, BOOK_SHEET
from xlhedge.calc.recompute import RecomputeOptions, recompute
from xlhedge.calc.refs import CellRange, parse_ref
from xlhedge.cli._common import EXIT_FINDINGS, console, handles_errors
from xlhedge.engine.checks import Finding
from xlhedge.engine.coerce import as_date
from xlhedge.engine.errors import InputError, WorkbookError
from xlhedge.functions.checks import checks_from_ranges
from xlhedge.workbook.filebook import FileBook

__all__ = ["register", "check", "book_findings", "print_findings"]

_COLOURS = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def register(app: typer.Typer) -> None:
    app.command("check")(check)


def _read(io: BookIO, name: str, fallback: str | None = None) -> Any:
    """The values under a defined name, or under ``fallback`` (a reference) when the book lacks it."""
    got = read_named(io, name)
    if got is None and fallback is not None:
        got = io.read(parse_ref(fallback.lstrip("=")))
    return got


def book_findings(io: BookIO, *, today: _dt.date | None = None) -> list[Finding]:
    """The findings of a book through the :class:`BookIO` interface (after a recompute).

    Reads the defined names the template gives the Checks sheet's inputs
    (``BookAttributeBlock``, ``BookFactorBlock``, ``CheckSettings``,
    ``HedgeLedger``, ``CheckTolerances``); a book built before those existed
    falls back to the blocks its own Book names span and its NAV / RecordCurrency /
    AsOf cells.
    """
    names = io.defined_names()
    if BOOK_SHEET not in io.sheet_names() and "BOOKATTRIBUTEBLOCK" not in names:
        raise WorkbookError(f"has no {BOOK_SHEET} sheet: not an xlhedge book", where=io.name)
    blocks = ("BookAttributeBlock", "BookFactorBlock")
    fallback = {} if all(n.upper() in names for n in blocks) else _blocks(io, names)
    positions, betas = (_read(io, n, fallback.get(n)) for n in blocks)
    settings = _read(io, "CheckSettings")
    if settings is None:
        settings = [
            [label, _read(io, name)[0][0] if name.upper() in names else None]
            for label, name in (
                ("NAV", "NAV"),
                ("Currency of record", "RecordCurrency"),
                ("Last decomposition", "AsOf"),
            )
        ]
    return checks_from_ranges(
        positions, betas, settings, _read(io, "HedgeLedger"), _read(io, "CheckTolerances"), today=today
    )


def _blocks(io: BookIO, names: dict[str, str]) -> dict[str, str]:
    """The labelled blocks of a book built before the template defined them, from its own
    Book names (attribute rows .. BookWeights, and BookBetas, with the labels in column A),
    so an older layout with fewer attribute rows is read where it is."""
    need = ("BOOKWEIGHTS", "BOOKBETAS")
    if any(n not in names for n in need):
        raise WorkbookError(
            "is not an xlhedge book: it defines neither BookAttributeBlock/BookFactorBlock nor "
            "BookWeights/BookBetas (start from `xlhedge new`)",
            where=io.name,
        )
    w, b = (parse_ref(names[n].lstrip("=")) for n in need)
    top = min([parse_ref(names[a.name.upper()].lstrip("=")).r1 for a in ATTRIBUTES if a.name.upper() in names] + [w.r1])
    return {
        "BookAttributeBlock": str(CellRange(w.sheet, top, 1, w.r2, w.c2)),
        "BookFactorBlock": str(CellRange(b.sheet, b.r1, 1, b.r2, b.c2)),
    }


@handles_errors
def check(
    book: Path = typer.Argument(..., help="Saved workbook (.xlsx or .xlsm)."),
    today: str | None = typer.Option(
        None, "--today", help="Check as of this date (YYYY-MM-DD); default: the book's check date, else today."
    ),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 on warnings too."),
    as_json: bool = typer.Option(
        False, "--json", help="Print the findings as JSON (code, severity, message, positions, fix)."
    ),
) -> None:
    """Print the common-mistakes findings of a book; exit 1 when any is an error.

    Over-hedging, the wrong factor, undecided FX, late protection, stale hedges,
    stress flips, rolls due, funding drag and liquidation risk (docs/methodology/checks.md). The
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
        typer.echo(
            json.dumps(
                [
                    {
                        "code": f.code,
                        "severity": f.severity,
                        "message": f.message,
                        "positions": list(f.positions),
                        "fix": f.fix,
                    }
                    for f in found
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print_findings(book, found)
    errors = sum(f.severity == "error" for f in found)
    warnings = sum(f.severity == "warning" for f in found)
    if errors or (strict and warnings):
        raise typer.Exit(EXIT_FINDINGS)


def print_findings(book: Path, found: list[Finding]) -> None:
    """Print findings as ``xlhedge check`` does: one coloured line each with its fix, then the counts."""
    if not found:
        console.print(f"{escape(str(book))}: no findings.", highlight=False, soft_wrap=True)
        return
    for f in found:
        console.print(
            f"[{_COLOURS[f.severity]}]{f.severity.upper():7}[/] [bold]{f.code}[/] {escape(f.message)}",
            highlight=False,
            soft_wrap=True,
        )
        console.print(f"        [dim]fix: {escape(f.fix)}[/]", highlight=False, soft_wrap=True)
    counts = {s: sum(f.severity == s for f in found) for s in ("error", "warning", "info")}
    console.print(
        f"{escape(str(book))}: {_n(len(found), 'finding')} — {_n(counts['error'], 'error')}, "
        f"{_n(counts['warning'], 'warning')}, {counts['info']} info.",
        highlight=False,
        soft_wrap=True,
    )


def _n(k: int, word: str) -> str:
    return f"{k} {word}{'' if k == 1 else 's'}"
