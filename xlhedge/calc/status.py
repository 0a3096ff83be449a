"""The status step: a summary line (and the findings) in the book's ``Status`` area.

A book that defines the name ``XlhedgeStatus`` (the template puts it on the
Exposures sheet) gets, on every refresh: the time, the number of positions and
the number of warnings in its first cell, and one finding per cell below, so a
problem shows in the book rather than as a Python error dialog.
"""

from __future__ import annotations

import datetime as _dt

from xlhedge.calc import layout
from xlhedge.calc.bookio import BookIO, named_range
from xlhedge.calc.refs import CellRange
from xlhedge.calc.report import RecomputeOptions, RecomputeReport


def count_positions(io: BookIO) -> int | None:
    rng = named_range(io, layout.BOOK_TICKERS)
    if rng is None:
        return None
    return sum(1 for row in io.read(rng) for v in row if v not in (None, ""))


def write_status(io: BookIO, report: RecomputeReport, options: RecomputeOptions) -> None:
    report.positions = count_positions(io)
    rng = named_range(io, layout.STATUS)
    if rng is None or not options.write_status:
        return
    now = (options.now or _dt.datetime.now()).replace(microsecond=0)
    n_warn, n_err = len(report.warnings), len(report.errors)
    state = "OK" if not (n_warn or n_err) else f"{n_err} errors, {n_warn} warnings"
    head = f"Refreshed {now:%Y-%m-%d %H:%M:%S} · {report.positions or 0} positions · {state}"
    lines: list[str | None] = [head, *(f"{f.level.upper()} {f}" for f in report.findings)]
    if len(lines) > rng.rows:
        lines = lines[: rng.rows - 1] + [f"… and {len(lines) - rng.rows + 1} more (see the CLI output)"]
    lines += [None] * (rng.rows - len(lines))
    io.write_input(
        CellRange(rng.sheet, rng.r1, rng.c1, rng.r2, rng.c1),
        [[x] for x in lines],
        style="status_ok" if state == "OK" else "status_warn",
    )
