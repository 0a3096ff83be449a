"""``xlhedge estimate``: fill the Book's betas from price history (docs/methodology/estimation.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xlhedge.calc import layout
from xlhedge.calc.estimate import (
    EstimateLine,
    EstimateOutcome,
    benchmark_roles,
    estimate_book,
    prices_from_sheet,
    report_outcome,
    settings_from_book,
    store_prices,
)
from xlhedge.calc.recompute import RecomputeOptions, RecomputeReport, recompute
from xlhedge.calc.refs import parse_ref
from xlhedge.cli._common import (
    EXIT_FINDINGS,
    console,
    err_console,
    fail,
    handles_errors,
    print_hanging,
    print_table,
    progress,
)
from xlhedge.engine import coerce
from xlhedge.engine.estimation import METHODS
from xlhedge.workbook.filebook import FileBook
from xlhedge.workbook.prices_csv import read_prices


def register(app: typer.Typer) -> None:
    app.command("estimate")(estimate)


@handles_errors
def estimate(
    book: Path = typer.Argument(..., help="Saved workbook (.xlsx or .xlsm) made from the xlhedge template."),
    prices: list[Path] | None = typer.Option(
        None,
        "--prices",
        help="CSV file to use instead of the Prices sheet (repeat for several): a date column "
        "plus one column "
        "per ticker, FRED DATE,VALUE, or Yahoo Date,Open,...,Adj Close (one per ticker; named after the file). "
        "Stored into the Prices sheet when it is empty.",
    ),
    window: int | None = typer.Option(
        None, "--window", min=2, help="Returns per estimate (default: the book's setting, 252)."
    ),
    method: str | None = typer.Option(None, "--method", help="ols or ewma (default: the book's setting, ols)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Also replace betas you typed."),
    output: Path | None = typer.Option(None, "-o", "--output", help="Write here instead of in place."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Print nothing but problems."),
) -> None:
    """Estimate the Book's factor betas from prices and recompute the book.

    Each position whose ticker heads a price column gets its beta to each
    benchmark (equity SPX, USD DXY, commodity composite, BTC), marked as
    estimated. Betas you typed are kept unless --overwrite.

    Example: xlhedge estimate book.xlsx --prices prices.csv
    """
    with progress(book.name, quiet=quiet) as bar:
        bar.step("reading")
        fb = FileBook(book)
        sheet_window, sheet_method = settings_from_book(fb)
        w = window if window is not None else sheet_window
        m = coerce.choice(method, "--method", METHODS) if method is not None else sheet_method
        stored = False
        if prices:
            bar.step("reading prices")
            table = read_prices(prices)
            roles = benchmark_roles(list(table.prices.columns))
            if not roles:
                fail(
                    "--prices: no benchmark column found (name one SPX, DXY, BCOM or BTC; see docs/methodology/estimation.md)"
                )
            stored = store_prices(fb, table, roles)
        else:
            got = prices_from_sheet(fb)  # read once: estimate_book gets the table and its benchmark columns
            if got is None:
                fail(f"{book}: the Prices sheet has no prices; paste them there or pass --prices FILE.csv")
            table, roles, _ = got
        _record_settings(fb, window, m if method is not None else None)
        bar.step("estimating betas")
        out = estimate_book(fb, prices=table, roles=roles, window=w, method=m, overwrite=overwrite)
        # The explicit estimate is done; recompute the formulas without a second estimation pass.
        bar.step("recomputing")
        rep = recompute(fb, RecomputeOptions(estimate=False))
        report_outcome(out, rep)
        bar.step("saving")
        fb.save(output or book)
    if not quiet:
        if out.price_report.issues:
            console.print("Prices: what was found and how it was handled")
            for line in out.price_report.summary():
                print_hanging(console, "", escape(line), indent=2)
        _print(out, console)
        if stored:
            console.print("Imported prices stored in the Prices sheet.")
        console.print(
            f"{output or book}: {len(out.written)} betas written, {len(out.kept_typed)} typed betas kept, "
            f"{rep.cells_evaluated} formulas recomputed."
        )
    _print_findings(rep)
    if rep.errors:
        raise typer.Exit(EXIT_FINDINGS)


def _record_settings(fb: FileBook, window: int | None, method: str | None) -> None:
    """Flags given explicitly (``method`` already normalised) become the book's settings, so a later
    refresh re-estimates the same way."""
    names = fb.defined_names()
    for name, value in ((layout.ESTIMATE_WINDOW.upper(), window), (layout.ESTIMATE_METHOD.upper(), method)):
        if value is not None and name in names:
            fb.write_input(parse_ref(names[name].lstrip("=")), [[value]])


def _print(out: EstimateOutcome, con: Console) -> None:
    # one table per estimation window (returns used, first and last date), said in its title,
    # so each table fits an 80-column terminal
    spans: dict[tuple[int, Any, Any], list[EstimateLine]] = {}
    for ln in out.written:
        spans.setdefault((ln.n, ln.start, ln.end), []).append(ln)
    for (n, start, end), lines in spans.items():
        t = Table(
            title=f"Estimated betas ({n} returns, {start:%Y-%m-%d} to {end:%Y-%m-%d})",
            title_justify="left",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        for c in ("Cell", "Ticker", "Factor", "vs", "Beta", "R²", "SE"):
            t.add_column(c, justify="right" if c in ("Beta", "R²", "SE") else "left")
        for ln in lines:
            t.add_row(ln.cell, ln.ticker, ln.factor, ln.benchmark, f"{ln.beta:.3f}", f"{ln.r2:.2f}", f"{ln.se:.3f}")
        print_table(con, t)
    for cell, ticker, factor, value in out.kept_typed:
        con.print(f"kept {cell} ({ticker} {factor} = {value}): typed by you; --overwrite replaces it")
    if out.no_prices:
        con.print("no price column for: " + ", ".join(out.no_prices))


def _print_findings(rep: RecomputeReport) -> None:
    for f in rep.findings:
        colour = "red" if f.level == "error" else "yellow"
        print_hanging(err_console, f"[{colour}]{f.level}[/]", escape(f"{rep.book}: {f}"))
