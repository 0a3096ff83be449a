"""``xlhedge check BOOK.xlsx``: the common-mistakes findings (docs/methodology/checks.md), usable in scripts.

Recomputes the book in memory (nothing is written), reads the same ranges the
Checks sheet's ``=HEDGE_CHECKS`` formula reads (:func:`xlhedge.calc.bookread.book_findings`),
and prints the findings, errors
first. Exit code 0 when there is no error finding, 1 when there is one (or a
warning with ``--strict``), 2 when the book cannot be read.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape

from xlhedge.calc.bookread import book_findings
from xlhedge.calc.recompute import RecomputeOptions, recompute
from xlhedge.cli._common import EXIT_FINDINGS, console, handles_errors, print_hanging
from xlhedge.engine.checks import Finding
from xlhedge.engine.coerce import as_date
from xlhedge.engine.errors import InputError
from xlhedge.workbook.filebook import FileBook

__all__ = ["register", "check", "print_findings"]

_COLOURS = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def register(app: typer.Typer) -> None:
    app.command("check")(check)


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
    stress flips, rolls due (options included), funding drag, liquidation risk and options
    bleeding more theta than their budget bucket (docs/methodology/checks.md). The file is not
    changed.

    Example: xlhedge check book.xlsx --strict
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
        print_hanging(
            console, f"[{_COLOURS[f.severity]}]{f.severity.upper():7}[/]", f"[bold]{f.code}[/] {escape(f.message)}"
        )
        print_hanging(console, "", f"fix: {escape(f.fix)}", body_style="dim")
    counts = {s: sum(f.severity == s for f in found) for s in ("error", "warning", "info")}
    console.print(
        f"{escape(str(book))}: {_n(len(found), 'finding')} — {_n(counts['error'], 'error')}, "
        f"{_n(counts['warning'], 'warning')}, {counts['info']} info.",
        highlight=False,
    )


def _n(k: int, word: str) -> str:
    return f"{k} {word}{'' if k == 1 else 's'}"
