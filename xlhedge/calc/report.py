"""What a recompute is asked to do and what it reports: the options and the report every step shares."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

__all__ = ["Notice", "RecomputeOptions", "RecomputeReport"]


@dataclass(frozen=True)
class Notice:
    """A warning or error met while recomputing, with the place it concerns."""

    level: str  # "warning" | "error"
    where: str  # "Sheet!B4", "Prices!C:C", or the file name
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class RecomputeOptions:
    """Choices a caller can make. ``strict`` turns warnings into a failing exit."""

    strict: bool = False
    #: Re-estimate betas from the Prices sheet where the book asks for it.
    estimate: bool = True
    #: Write the time/positions/warnings summary into the book's Status area.
    write_status: bool = True
    #: Clock for the status line (tests and reproducible builds fix it).
    now: _dt.datetime | None = None
    #: Also compute native formulas that have no stored value but neither feed nor read an
    #: xlhedge formula. Off for a user's book (those are the spreadsheet's to compute); the
    #: template builder turns it on so the shipped files show every number.
    all_natives: bool = False


@dataclass
class RecomputeReport:
    """What a recompute did: cells written, findings, and whether values changed."""

    book: str
    cells_evaluated: int = 0
    cells_changed: int = 0
    findings: list[Notice] = field(default_factory=list)
    positions: int | None = None

    def warn(self, where: str, message: str) -> None:
        self.findings.append(Notice("warning", where, message))

    def error(self, where: str, message: str) -> None:
        self.findings.append(Notice("error", where, message))

    @property
    def warnings(self) -> list[Notice]:
        return [f for f in self.findings if f.level == "warning"]

    @property
    def errors(self) -> list[Notice]:
        return [f for f in self.findings if f.level == "error"]
