"""Terminal rendering of the book view (rich tables): trades view beside book view.

``SECTIONS`` lists what ``xlhedge demo`` and ``xlhedge report`` print after the
book view, as ``(title, render(book, console, io))``; features (hedges, checks) add
theirs there. ``io`` is the workbook the book was read from, so a section reads the
book's own inputs (the Hedges sheet's ratios, instruments…) exactly as
``xlhedge hedge`` does: one answer per file, whichever command prints it.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.columns import Columns
from rich.console import Console
from rich.table import Table

from xlhedge.calc.bookio import BookIO
from xlhedge.engine.book import Book

__all__ = ["render_book_view", "SECTIONS"]

SECTIONS: list[tuple[str, Callable[[Book, Console, BookIO | None], None]]] = []


def _money(x: float) -> str:
    return f"{x:,.0f}"


def trades_table(book: Book) -> Table:
    t = Table(title="Trades view", title_justify="left", header_style="bold")
    t.add_column("Position")
    t.add_column("Side")
    t.add_column("Weight", justify="right")
    t.add_column(f"Notional ({book.record_currency})", justify="right")
    t.add_column("Class")
    for ticker, row in book.trades_view().iterrows():
        style = "red" if row["weight"] < 0 else None
        hedge = " (hedge)" if str(row.get("is_hedge", "")).upper() in ("TRUE", "1") else ""
        t.add_row(
            f"{ticker}{hedge}",
            row["side"],
            f"{row['weight']:+.2%}",
            _money(row["notional"]),
            str(row.get("asset_class") or ""),
            style=style,
        )
    return t


def book_table(book: Book) -> Table:
    e = book.exposures()
    t = Table(title="Book view", title_justify="left", header_style="bold")
    t.add_column("Factor")
    t.add_column("× NAV", justify="right")
    t.add_column(book.record_currency, justify="right")
    t.add_column("Largest contributor")
    for factor, row in e.iterrows():
        label = book.factor_label(str(factor))
        top = row.get("top_contributor") or ""
        who = f"{top} ({row['top_share']:.0%})" if top else "–"
        style = "dim" if row["exposure"] == 0 else None
        t.add_row(label, f"{row['exposure']:+.4f}", _money(row["exposure_ccy"]), who, style=style)
    return t


def render_book_view(
    book: Book, console: Console | None = None, *, sections: bool = True, io: BookIO | None = None
) -> None:
    """Print trades view beside book view, the DV01 line, then the registered sections
    (reading the inputs of ``io``, the workbook ``book`` came from, when given)."""
    console = console or Console()
    console.print(Columns([trades_table(book), book_table(book)], padding=(0, 4)))
    console.print(
        f"NAV {_money(book.nav)} {book.record_currency} · {len(book.positions)} positions · "
        f"book DV01 {book.dv01():+,.2f} {book.record_currency} per +1bp"
    )
    if sections:
        for title, render in SECTIONS:
            console.rule(title)
            render(book, console, io)
