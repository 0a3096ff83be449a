"""Book commands: new, demo, recompute, report."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from xlhedge.calc.bookread import book_findings, book_from_io
from xlhedge.calc.layout import DEFAULT_POSITIONS
from xlhedge.calc.recompute import RecomputeOptions, RecomputeReport, recompute
from xlhedge.cli._common import EXIT_FINDINGS, console, err_console, fail, handles_errors, print_hanging, progress
from xlhedge.cli.checks import print_findings
from xlhedge.cli.report import print_book_json, render_book_view
from xlhedge.workbook.filebook import FileBook
from xlhedge.workbook.opc import atomic_write_bytes, check_writable


def register(app: typer.Typer) -> None:
    app.command("new")(new)
    app.command("demo")(demo)
    app.command("recompute")(recompute_cmd)
    app.command("report")(report)


@handles_errors
def new(
    book: Path = typer.Argument(..., help="Workbook to create (.xlsx)."),
    positions: int = typer.Option(DEFAULT_POSITIONS, min=1, max=16383, help="Position columns in the Book sheet."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a fresh book from the template.

    Example: xlhedge new mybook.xlsx --positions 50
    """
    from xlhedge.template import build_workbook, template_path  # openpyxl and PIL: only for `new`/`demo`

    _refuse_overwrite(book, force)
    if book.suffix.lower() != ".xlsx":
        fail(f"{book}: the new book must be an .xlsx file")
    check_writable(book)
    if positions == DEFAULT_POSITIONS:
        atomic_write_bytes(book, template_path("template").read_bytes())
    else:
        with progress(book.name) as bar:  # a few seconds for thousands of positions
            build_workbook(book, positions=positions, progress=bar)
    console.print(f"Wrote {book} — fill the Book sheet, then `xlhedge recompute {book}`.")


@handles_errors
def demo(
    out: Path = typer.Argument(Path("xlhedge_example.xlsx"), help="Where to write the example book."),
    example: str = typer.Option(
        "default",
        "--example",
        metavar="NAME",
        help="Which example: 'default' (a 24-position cross-asset book with real price history and option protection) or "
        "'figure01' (the source article's six-position Figure 01 book).",
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a bundled example book, recompute it and print its book view, hedges and check findings.

    Example: xlhedge demo --example figure01 figure01.xlsx
    """
    from xlhedge.template import EXAMPLES, template_path  # openpyxl and PIL: only for `new`/`demo`

    if example not in EXAMPLES:
        fail(f"--example {example}: the examples are {', '.join(EXAMPLES)}")

    check_writable(out)
    if out.exists() and not force:
        console.print(f"{out} exists; recomputing it (use --force to start again from the bundled copy).")
    else:
        atomic_write_bytes(out, template_path("figure01" if example == "figure01" else "example").read_bytes())
    fb = FileBook(out)
    rep = recompute(fb, RecomputeOptions())
    fb.save()
    render_book_view(book_from_io(fb), console, io=fb)
    _print_findings(rep)
    console.print(
        f"\nChecks (common hedging mistakes, docs/methodology/checks.md; `xlhedge check {out}`):", highlight=False
    )
    print_findings(out, book_findings(fb))
    from xlhedge.calc.hedges import read_hedge_inputs
    from xlhedge.calc.optimize import read_optimiser_inputs
    from xlhedge.cli.hedge import render_optimised

    console.print(
        f"\nOptimised hedge beside the rule of thumb (docs/methodology/hedge-optimizer.md; `xlhedge hedge {out} "
        "--optimize`):",
        highlight=False,
    )
    render_optimised(book_from_io(fb), console, read_hedge_inputs(fb), read_optimiser_inputs(fb))
    # A demo: the exit code stays 0 even when a finding is an error (`xlhedge check` exits 1 on those).
    console.print(f"\nWrote {out}. Open it in Excel, or try `xlhedge report {out}`.")


@handles_errors
def recompute_cmd(
    books: list[Path] = typer.Argument(
        ..., metavar="BOOK", help="Saved workbooks (.xlsx or .xlsm), or folders of them."
    ),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Write here instead of in place (a folder, with several books)."
    ),
    check: bool = typer.Option(
        False, "--check", help="Recompute in memory; exit 1 if any stored value differs or a formula ends in an error."
    ),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 on warnings too (e.g. inputs with no stored value)."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="Print nothing but problems."),
    jobs: int | None = typer.Option(
        None, "-j", "--jobs", min=1, help="Books recomputed at once (default: the cores, capped by memory)."
    ),
    summary: Path | None = typer.Option(
        None, "--summary", help="Write one row per book to FILE.csv, .json or .parquet (needs pyarrow)."
    ),
    cluster: str | None = typer.Option(
        None, "--cluster", help="Run on a Dask scheduler (tcp://host:8786); paths must be the workers' paths."
    ),
) -> None:
    """Recompute every xlhedge formula of saved workbooks without Excel.

    Formulas stay; their results are stored as the cells' values. Everything else in the file is left
    byte for byte; a file with no xlhedge formula, or whose values are all up to date, is not
    rewritten at all. (A viewer without xlhedge that recalculates shows #NAME?; share a static copy
    made with `xlhedge export`.)

    Several books (or a folder) run in parallel, with a closing table (docs/batch.md).

    Example: xlhedge recompute book.xlsx --check
    """
    if len(books) > 1 or books[0].is_dir() or jobs or summary or cluster:
        from xlhedge.cli.batch import recompute_many

        return recompute_many(
            books, output=output, check=check, strict=strict, quiet=quiet, jobs=jobs, cluster=cluster, summary=summary
        )
    book = books[0]
    target = output or book
    if not check:
        check_writable(target)  # before any work: a read-only book or a missing folder is refused up front
    with progress(book.name, quiet=quiet) as bar:
        bar.step("reading")
        fb = FileBook(book)
        bar.step("recomputing")
        rep = recompute(fb, RecomputeOptions(strict=strict, write_status=not check))
        if not check:
            bar.step("saving")
            fb.save(target)
    rep.cells_changed = len(fb.changed)
    if check:
        if fb.changed:
            err_console.print(
                f"{book}: {len(fb.changed)} stored values are out of date: "
                + ", ".join(fb.changed[:10])
                + (" …" if len(fb.changed) > 10 else "")
            )
            _print_findings(rep)
            raise typer.Exit(EXIT_FINDINGS)
        if rep.errors:  # a book whose formulas end in errors is never "up to date"
            err_console.print(f"{book}: not up to date: {len(rep.errors)} errors in its formulas")
            _print_findings(rep)
            raise typer.Exit(EXIT_FINDINGS)
        if not quiet:
            console.print(f"{book}: up to date ({rep.cells_evaluated} formulas checked).")
        _print_findings(rep)
        _exit_on_findings(rep, strict)
        return
    if not quiet:
        if not rep.cells_evaluated and not fb.changed:
            console.print(f"{target}: no xlhedge formula; nothing to recompute, the file was not changed.")
        elif not fb.pkg.dirty and target == book:
            console.print(f"{target}: {rep.cells_evaluated} formulas recomputed, all up to date; file not rewritten.")
        else:
            console.print(f"{target}: {rep.cells_evaluated} formulas recomputed, {rep.cells_changed} values updated.")
    _print_findings(rep)
    _exit_on_findings(rep, strict)


@handles_errors
def report(
    book: Path = typer.Argument(..., help="Saved workbook (.xlsx or .xlsm)."),
    json_out: bool = typer.Option(
        False, "--json", help="Print the book view as JSON for scripts: exposures, Greeks, positions."
    ),
) -> None:
    """Print the trades view beside the book view (the file is not changed).

    Example: xlhedge report xlhedge_example.xlsx
    """
    fb = FileBook(book)
    recompute(fb, RecomputeOptions(write_status=False, estimate=False))
    if json_out:
        print_book_json(book_from_io(fb), console)
        return
    render_book_view(book_from_io(fb), console, io=fb)


def _refuse_overwrite(path: Path, force: bool) -> None:
    if path.exists() and not force:
        fail(f"{path} exists; use --force to overwrite it")


def _print_findings(rep: RecomputeReport) -> None:
    for f in rep.findings:
        colour = "red" if f.level == "error" else "yellow"
        print_hanging(err_console, f"[{colour}]{f.level}[/]", escape(f"{rep.book}: {f}"))


def _exit_on_findings(rep: RecomputeReport, strict: bool) -> None:
    if rep.errors or (strict and rep.warnings):
        raise typer.Exit(EXIT_FINDINGS)
