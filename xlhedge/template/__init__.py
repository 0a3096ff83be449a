"""Build the template workbook and the example book from code.

``SHEETS`` lists every sheet in tab order as ``(name, build)``; ``build(wb, ctx)``
adds one sheet and its defined names. A feature adds its sheet module and one
line here. The built files are shipped under ``templates/`` and a test checks
they equal what this builder makes.
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from xlhedge.calc.layout import DEFAULT_POSITIONS, BookLayout
from xlhedge.calc.recompute import RecomputeOptions, recompute
from xlhedge.template import (
    book_sheet,
    budget_sheet,
    checks_sheet,
    correlations_sheet,
    exposures_sheet,
    hedges_sheet,
    instruments_sheet,
    options_sheet,
    prices_sheet,
    regime_sheet,
    scenarios_sheet,
    style,
)
from xlhedge.template import example as _example
from xlhedge.template import figure01 as _figure01
from xlhedge.template.context import TemplateContext
from xlhedge.workbook.filebook import FileBook

__all__ = [
    "EXAMPLES",
    "EXAMPLE_FILE",
    "FIGURE01_FILE",
    "SHEETS",
    "TEMPLATE_FILE",
    "TemplateContext",
    "build_workbook",
    "example_prices_path",
    "template_path",
]

TEMPLATE_FILE = "xlhedge_template.xlsx"
EXAMPLE_FILE = "example_book.xlsx"
FIGURE01_FILE = "figure01_book.xlsx"
#: The bundled example books by name (``xlhedge demo --example NAME``): shipped file, builder data.
EXAMPLES: dict[str, str] = {"default": EXAMPLE_FILE, "figure01": FIGURE01_FILE}

#: Fixed document timestamps so a rebuild gives the same bytes in every part.
BUILD_TIME = _dt.datetime(2026, 1, 1)

#: Every sheet in tab order.
SHEETS: list[tuple[str, Callable[[Workbook, TemplateContext], None]]] = [
    ("Book", book_sheet.build),
    ("Exposures", exposures_sheet.build),
    ("Hedges", hedges_sheet.build),
    ("Scenarios", scenarios_sheet.build),
    ("Instruments", instruments_sheet.build),
    ("Options", options_sheet.build),
    ("Budget", budget_sheet.build),
    ("Checks", checks_sheet.build),
    ("Correlations", correlations_sheet.build),
    ("Regime", regime_sheet.build),
    ("Prices", prices_sheet.build),
]


def build_workbook(
    path: str | os.PathLike[str],
    *,
    example: bool | str = False,
    positions: int = DEFAULT_POSITIONS,
    book: tuple[dict, ...] | None = None,
    nav: float | None = None,
    as_of: _dt.datetime | None = None,
    progress: Any = None,
) -> Path:
    """Write the template (or an example book) to ``path``, recomputed.

    ``example=True`` (or ``"default"``) is the bundled cross-asset example with its real price
    history on the Prices sheet; ``example="figure01"`` is the source article's Figure 01 book.

    The openpyxl-built file has formulas without stored values; running the
    recompute pipeline over it stores them, so the file shows numbers in any
    viewer before Excel recalculates.

    ``progress``, if given, is told each phase (``progress.step("recomputing")``), e.g. the
    CLI's progress bar (xlhedge.cli._common.progress).
    """
    step = progress.step if progress is not None else (lambda _what: None)
    step("building the sheets")
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "xlhedge"
    wb.properties.created = BUILD_TIME
    wb.properties.modified = BUILD_TIME
    style.add_named_styles(wb)
    kind = ("default" if example is True else str(example)) if example else ""
    if kind and kind not in EXAMPLES:
        raise ValueError(f"unknown example {example!r}; the examples are {', '.join(EXAMPLES)}")
    src = _figure01 if kind == "figure01" else _example
    ex_positions = _figure01.FIGURE01_POSITIONS if kind == "figure01" else _example.EXAMPLE_POSITIONS
    ex_nav = _figure01.FIGURE01_NAV if kind == "figure01" else _example.EXAMPLE_NAV
    data = book if book is not None else (ex_positions if kind else ())
    ctx = TemplateContext(
        wb,
        BookLayout(max(positions, len(data))),
        bool(kind),
        data,
        nav=nav if nav is not None else (ex_nav if (kind or book) else 1_000_000.0),
        currency=_example.EXAMPLE_CURRENCY,
        as_of=as_of
        if as_of is not None
        else ((_figure01.FIGURE01_AS_OF if src is _figure01 else _example.EXAMPLE_AS_OF) if kind else None),
    )
    if kind == "default":
        ctx.extra["prices"] = example_prices_path()
    for _, build in SHEETS:
        build(wb, ctx)
    wb.active = 1 if len(wb.sheetnames) > 1 else 0
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".xlsx", dir=path.parent, prefix=".~xlhedge-build-")
    os.close(fd)
    try:
        # openpyxl's save() stamps "modified" with the clock; its writer does not.
        step("writing")
        with book_sheet.BlockArchive(tmp, book_sheet.archive_patches(wb, ctx)) as archive:
            ExcelWriter(wb, archive).save()
        step("recomputing")
        fb = FileBook(tmp)
        recompute(fb, RecomputeOptions(write_status=False, all_natives=True))
        step("saving")
        fb.save(path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def example_prices_path() -> Path:
    """The example book's price history shipped in the package (``xlhedge/data/example_prices.csv``)."""
    return Path(__file__).resolve().parent.parent / "data" / _example.EXAMPLE_PRICES


def template_path(kind: str = "template") -> Path:
    """A shipped book: the template (``"template"``), the example (``"example"``) or ``"figure01"``."""
    fname = {"template": TEMPLATE_FILE, "figure01": FIGURE01_FILE}.get(kind, EXAMPLE_FILE)
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates" / fname, here.parent / "templates" / fname):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"the shipped {fname} is missing from the installation")
