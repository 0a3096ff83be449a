"""Terminal rendering of the book view (rich tables): trades view beside book view.

``SECTIONS`` lists what ``xlhedge demo`` and ``xlhedge report`` print after the
book view, as ``(title, render(book, console, io))``; features (hedges, checks) add
theirs there. ``io`` is the workbook the book was read from, so a section reads the
book's own inputs (the Hedges sheet's ratios, instruments…) exactly as
``xlhedge hedge`` does: one answer per file, whichever command prints it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.columns import Columns
from rich.console import Console
from rich.table import Table

from xlhedge.calc.bookio import BookIO
from xlhedge.cli._common import print_table, signed, small
from xlhedge.engine.book import Book

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["render_book_view", "SECTIONS", "joint_table"]

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
            signed(row["weight"], "+.2%"),
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
        t.add_row(label, signed(row["exposure"]), _money(row["exposure_ccy"]), who, style=style)
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
        f"book DV01 {small(book.dv01())} {book.record_currency} per +1bp · "
        f"vol {book.vol_per_point():+,.0f} {book.record_currency} per +1 VIX point"
    )
    if sections:
        for title, render in SECTIONS:
            console.rule(title)
            render(book, console, io)


# ----------------------------------------------------------------------------- --json and options
def _num(x: object) -> float | None:
    """A JSON number (None for NaN)."""
    f = float(x)  # type: ignore[arg-type]
    return None if f != f else f


def book_json(book: Book) -> dict:
    """The book view for scripts (``xlhedge report BOOK --json``, docs/cli.md).

    ``{"nav", "currency", "exposures": [{"factor", "label", "exposure", "amount"}...],
    "greeks": {"options": [...], "book": {...}}, "positions": [...]}``: factor keys in the
    book's row order (the six core factors, then the tilts), exposure as a fraction of NAV
    (the vol row: % of NAV per vol point, as on the Exposures sheet) and amount = exposure × NAV,
    the numbers of the Exposures sheet; ``unit`` names the factor's move and ``per_move`` is the
    book's P&L per unit of it in currency (E × NAV × scale: −0.0001 for duration per bp, 0.01
    for vol per point, 1 otherwise); ``dv01`` and ``vol_per_point`` are the sheet's two lines
    below the table.
    """
    from xlhedge.engine.candidates import move_scale, move_unit

    e = book.exposures()
    exposures = [
        {
            "factor": str(k),
            "label": book.factor_label(str(k)),
            "exposure": float(r["exposure"]),
            "amount": float(r["exposure"]) * book.nav,
            "unit": move_unit(str(k)),
            "per_move": float(r["exposure"]) * book.nav * move_scale(str(k)),
        }
        for k, r in e.iterrows()
    ]
    cols = ("delta_exposure", "vol_exposure", "gamma_exposure", "premium", "theta_day", "theta_year_nav")
    options = [
        {
            "ticker": str(t),
            "underlying": str(r["underlying"]),
            "option_type": str(r["option_type"]),
            "model": str(r["model"]),
            "spot": float(r["spot"]),
            "strike": float(r["strike"]),
            "years": float(r["years"]),
            "implied_vol": float(r["implied_vol"]),
            "contracts": float(r["contracts"]),
            "multiplier": float(r["multiplier"]),
            "delta": float(r["delta"]),
            "vega": float(r["vega"]),
            **{c: float(r[c]) for c in cols},
        }
        for t, r in book.greeks.iterrows()
    ]
    total = {c: float(book.greeks[c].astype(float).sum()) if len(book.greeks) else 0.0 for c in cols}
    positions = []
    for t, r in book.positions.iterrows():
        p: dict = {"ticker": str(t), "weight": float(r["weight"]), "notional": float(r["weight"]) * book.nav}
        for k in ("asset_class", "is_hedge", "option_type", "underlying"):
            if k in r.index and r[k] is not None and r[k] == r[k]:
                p[k] = bool(r[k]) if k == "is_hedge" else str(r[k])
        p["betas"] = {str(f): float(book.betas.loc[f, t]) for f in book.betas.index}
        positions.append(p)
    return {
        "nav": float(book.nav),
        "currency": book.record_currency,
        "dv01": book.dv01(),
        "vol_per_point": book.vol_per_point(),
        "exposures": exposures,
        "greeks": {"options": options, "book": total},
        "positions": positions,
    }


def print_book_json(book: Book, console: Console | None = None) -> None:
    """Print :func:`book_json` as JSON (no colour, no wrapping)."""
    import json

    text = json.dumps(book_json(book), indent=2, default=_num)
    (console or Console()).print(text, markup=False, highlight=False, soft_wrap=True)


def joint_table(book: Book, io: BookIO | None = None) -> pd.DataFrame:
    """The Scenarios sheet's joint SPX / VIX scenarios of ``book`` (docs/methodology/scenarios.md):
    the scenarios of its ``JointScenarios`` range (the defaults without one), hedged with the
    recommended hedges its Hedges and Instruments sheets ask for, as ``xlhedge hedge`` sizes them."""
    from xlhedge.calc.bookio import read_named
    from xlhedge.calc.hedges import HedgeInputs, hedge_plan, read_hedge_inputs
    from xlhedge.functions.options import scenario_rows

    inp = read_hedge_inputs(io) if io is not None else HedgeInputs()
    grid = read_named(io, "JointScenarios") if io is not None else None
    scenarios = scenario_rows(grid)[2] if grid is not None else None
    plan = hedge_plan(book, inp)["factors"]
    return book.joint_scenarios(scenarios, plan, instruments=inp.instruments, rate=inp.rate, div=inp.div)


def _options_section(book: Book, console: Console, io: BookIO | None = None) -> None:
    """The Greeks table of the book's option positions, then the joint SPX / VIX scenarios."""
    if book.greeks.empty:
        console.print("No option positions (a Book column with an Option type is one).")
    else:
        g = book.greeks_table()
        t = Table(title="Greeks", title_justify="left", header_style="bold")
        for col in ("Position", "Δ exp (× NAV)", "Vol exp (× NAV/pt)", "Premium", "Theta/day", "Theta/yr (× NAV)"):
            t.add_column(col, justify="left" if col == "Position" else "right")
        for tk, r in g.iterrows():
            t.add_row(
                str(tk),
                f"{r['delta_exposure']:+.4f}",
                f"{r['vol_exposure']:+.6f}",
                _money(r["premium"]),
                f"{r['theta_day']:+,.0f}",
                f"{r['theta_year_nav']:+.2%}",
            )
        print_table(console, t)
    s = joint_table(book, io)
    t = Table(
        title=f"Joint scenarios ({book.record_currency}; options by full revaluation, hedged = with the "
        "recommended hedges; the Scenarios sheet, section 2)",
        title_justify="left",
        header_style="bold",
    )
    t.add_column("")
    for name in s.index:
        t.add_column(str(name), justify="right")
    t.add_row("SPX move", *(f"{v:+.0%}" for v in s["spx_move"]))
    t.add_row("VIX move (points)", *(f"{v:+.0f}" for v in s["vix_move"]))
    for col, label, style in (
        ("book_ex_options", "Book excluding options", None),
        ("options", "Options, full revaluation", None),
        ("options_delta_only", "Options, delta only", "dim"),
        ("convexity", "Convexity (full − delta)", "dim"),
        ("unhedged", "Unhedged", "bold"),
        ("hedges", "Recommended hedges", None),
        ("hedged", "Hedged", "bold"),
    ):
        t.add_row(label, *(_money(v) for v in s[col]), style=style)
    print_table(console, t)


SECTIONS.append(("Options", _options_section))
