"""``xlhedge recompute A.xlsx B.xlsx …`` / ``xlhedge recompute DIR/``: many books, one table.

The work is :func:`xlhedge.workbook.batch.run_books` (a process pool or a Dask cluster);
this module draws the progress bar, the closing table and writes the summary file.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from xlhedge.cli._common import console, err_console, fail, print_table, progress
from xlhedge.workbook.batch import BookResult, collect_books, default_jobs, run_books, write_summary


def _books(n: int) -> str:
    return f"{n} book{'' if n == 1 else 's'}"


def _findings(r: BookResult) -> str:
    parts = [f"{n} {s[:4]}" for s, n in r.findings.items() if n]
    return ", ".join(parts) or "—"


def results_table(results: list[BookResult]) -> Table:
    """Book, status, positions, seconds, findings: one row per book (fits 80 columns for usual names)."""
    t = Table(title=_books(len(results)), title_justify="left", header_style="bold")
    for col, justify in (("Book", "left"), ("Status", "left"), ("Positions", "right"), ("Seconds", "right")):
        t.add_column(col, justify=justify, no_wrap=col != "Book")
    t.add_column("Findings", justify="left")
    colour = {"ok": "green", "findings": "yellow", "failed": "red", "crashed": "bold red"}
    for r in results:
        t.add_row(
            Path(r.path).name,
            f"[{colour.get(r.status, '')}]{r.status}[/]",
            "" if r.positions is None else f"{r.positions:,}",
            f"{r.seconds:.1f}",
            _findings(r),
        )
    return t


def recompute_many(
    books: list[Path],
    *,
    output: Path | None,
    check: bool,
    strict: bool,
    quiet: bool,
    jobs: int | None,
    cluster: str | None,
    summary: Path | None,
) -> None:
    """Recompute every book named (folders expanded); exit with the worst book's code."""
    paths = collect_books(books)
    if output is not None and not output.is_dir():
        fail(f"{output}: with several books, -o/--output must be an existing folder")
    if summary is not None and summary.suffix.lower() not in (".csv", ".json", ".parquet"):
        fail(f"{summary}: the summary must be a .csv, .json or .parquet file")
    if cluster is None:
        # paths given to a cluster are the workers' paths: they may not exist here
        missing = [p for p in paths if not p.is_file()]
        if missing and len(missing) == len(paths):
            fail(f"{missing[0]}: no such file")
    n_jobs = jobs if jobs is not None else default_jobs(paths)
    where = f"on {cluster}" if cluster else f"{n_jobs} job{'s' if n_jobs > 1 else ''}"
    with progress(f"Recomputing {_books(len(paths))} ({where})", total=len(paths), quiet=quiet) as bar:

        def done(res: BookResult) -> None:
            bar.advance()
            if res.error:
                err_console.print(f"[red]{res.status}[/] {res.path}: {res.error}", highlight=False, soft_wrap=True)
            if res.exit_code < 2 and (not quiet or res.exit_code):
                for line in res.notices:
                    err_console.print(f"{res.path}: {line}", highlight=False, soft_wrap=True)

        results = run_books(
            paths,
            jobs=n_jobs,
            cluster=cluster,
            strict=strict,
            check=check,
            output_dir=output,
            on_start=lambda p: bar.step(Path(p).name),
            on_done=done,
        )
    if summary is not None:
        write_summary(results, summary)
    worst = max(r.exit_code for r in results)
    if not quiet:
        print_table(console, results_table(results))
        if summary is not None:
            console.print(f"Summary: {summary}")
    if worst:
        raise typer.Exit(worst)
