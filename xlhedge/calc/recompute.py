"""The recompute pipeline: every output of a book, through a :class:`BookIO`.

``xlhedge recompute`` (a saved file) and the "Refresh book" ribbon button (the
open book) both call :func:`recompute`; neither has steps of its own. A later
feature that must run on refresh registers a step here with
:func:`pipeline_step`; the formula step evaluates every xlhedge worksheet
function in the book, so a feature that is reached through worksheet
functions in the template needs no step at all.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field

from xlhedge.calc.bookio import BookIO

__all__ = ["Finding", "RecomputeOptions", "RecomputeReport", "pipeline_step", "recompute", "STEPS"]


@dataclass(frozen=True)
class Finding:
    """A warning or error met while recomputing, with the place it concerns."""

    level: str  # "warning" | "error"
    where: str  # "Sheet!B4", "Prices!C:C", or the file name
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class RecomputeOptions:
    """Choices a caller can make. ``strict`` turns warnings into a failing exit."""

    strict: bool = False
    #: Re-estimate betas from the Prices sheet where the book asks for it.
    estimate: bool = True
    #: Write the time/positions/warnings summary into the book's Status area.
    write_status: bool = True
    #: Clock for the status line (tests and reproducible builds fix it).
    now: _dt.datetime | None = None


@dataclass
class RecomputeReport:
    """What a recompute did: cells written, findings, and whether values changed."""

    book: str
    cells_evaluated: int = 0
    cells_changed: int = 0
    findings: list[Finding] = field(default_factory=list)
    positions: int | None = None

    def warn(self, where: str, message: str) -> None:
        self.findings.append(Finding("warning", where, message))

    def error(self, where: str, message: str) -> None:
        self.findings.append(Finding("error", where, message))

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]


Step = Callable[[BookIO, RecomputeReport, RecomputeOptions], None]

#: (order, name, step); lower order runs first. Inputs (estimation) < 100 <= formulas < 200 <= status.
STEPS: list[tuple[int, str, Step]] = []


def pipeline_step(name: str, order: int) -> Callable[[Step], Step]:
    """Register a step of the pipeline (runs on recompute and on Refresh book)."""

    def register(fn: Step) -> Step:
        if any(n == name for _, n, _ in STEPS):
            raise RuntimeError(f"pipeline step {name!r} registered twice")
        STEPS.append((order, name, fn))
        STEPS.sort(key=lambda t: t[0])
        return fn

    return register


def _load_steps() -> None:
    # Modules that register steps; imported here so the pipeline always has them.
    from xlhedge.calc import (
        estimate,  # noqa: F401  (betas from the Prices sheet, before the formulas)
        evaluate,  # noqa: F401  (the formula step)
        status,  # noqa: F401  (the status step)
    )


def recompute(io: BookIO, options: RecomputeOptions | None = None) -> RecomputeReport:
    """Run every registered step on ``io`` in order and return what happened."""
    _load_steps()
    options = options or RecomputeOptions()
    report = RecomputeReport(book=io.name)
    for _, _, step in list(STEPS):
        step(io, report, options)
    return report
