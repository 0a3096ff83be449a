"""``xlhedge hedge BOOK.xlsx``: the recommended hedges of a saved book (docs/methodology/sizing.md, perpetuals.md).

Reads the book and the Hedges/Instruments sheets' inputs (instrument, ratio and
target per factor, alpha, prices) through their defined names, recomputes in
memory (the file is not changed) and prints the same recommendations the
Hedges sheet shows, the FX legs and any roll warnings. A book without those
sheets gets the defaults (:data:`xlhedge.engine.instruments.DEFAULT_HEDGE_INSTRUMENTS`,
ratio 50%, the shipped illustrative prices). Options override the sheet.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from xlhedge.calc import layout
from xlhedge.calc.bookio import read_named
from xlhedge.calc.bookread import book_from_io
from xlhedge.cli._common import console, handles_errors
from xlhedge.cli.report import SECTIONS
from xlhedge.engine import instruments as _inst
from xlhedge.engine import perps, sizing
from xlhedge.engine._typing import CORE_FACTORS, FACTOR_LABELS
from xlhedge.engine.book import Book
from xlhedge.engine.errors import InputError
from xlhedge.template.hedges_sheet import DEFAULT_RATIO

__all__ = ["HedgeInputs", "read_hedge_inputs", "hedge_plan", "render_hedges", "register"]


@dataclass
class HedgeInputs:
    """What the Hedges and Instruments sheets hold (defaults when a book has no such sheets)."""

    instruments: dict[str, _inst.Instrument] | None = None
    hedge_instruments: dict[str, str] = field(default_factory=lambda: dict(_inst.DEFAULT_HEDGE_INSTRUMENTS))
    ratios: dict[str, float] = field(default_factory=dict)
    targets: dict[str, float] = field(default_factory=dict)
    alpha: float = 0.0
    fx_ratios: dict[str, float] = field(default_factory=dict)
    rate: float = sizing.SIZING_DEFAULTS["rate"]
    div: float = sizing.SIZING_DEFAULTS["div"]
    funding_per_day: float = sizing.SIZING_DEFAULTS["funding_periods_per_day"]
    roll_date: _dt.date | None = None
    roll_days: int = int(perps.PERP_DEFAULTS["roll_warning_days"])
    source: str = "defaults"


def _num(v: Any, default: float) -> float:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else default


def read_hedge_inputs(io: Any) -> HedgeInputs:
    """Read the Hedges/Instruments inputs of a workbook (a :class:`BookIO`)."""
    out = HedgeInputs()
    table = read_named(io, layout.INSTRUMENT_TABLE)
    if table is not None:
        out.instruments = _inst.from_grid(table, "Instruments sheet")
        out.source = "the Hedges and Instruments sheets"
    cols = {
        k: read_named(io, n)
        for k, n in (
            ("instrument", layout.HEDGE_INSTRUMENTS),
            ("ratio", layout.HEDGE_RATIOS),
            ("target", layout.HEDGE_TARGETS),
        )
    }
    if cols["instrument"] is not None:
        for f, row in zip(CORE_FACTORS, cols["instrument"]):
            v = row[0]
            out.hedge_instruments[f] = str(v).strip() if isinstance(v, str) and v.strip() else ""
    for key, attr in (("ratio", "ratios"), ("target", "targets")):
        if cols[key] is not None:
            getattr(out, attr).update(
                {f: _num(row[0], DEFAULT_RATIO if key == "ratio" else 0.0) for f, row in zip(CORE_FACTORS, cols[key])}
            )

    def one(name: str) -> Any:
        v = read_named(io, name)
        return v[0][0] if v else None

    out.alpha = _num(one(layout.HEDGE_ALPHA), 0.0)
    out.rate = _num(one(layout.OPTION_RATE), out.rate)
    out.div = _num(one(layout.OPTION_DIV), out.div)
    out.funding_per_day = _num(one(layout.FUNDING_PER_DAY), out.funding_per_day)
    out.roll_days = int(_num(one(layout.ROLL_WARN_DAYS), out.roll_days))
    roll = one(layout.ROLL_DATE)
    if isinstance(roll, (_dt.date, _dt.datetime)):
        out.roll_date = roll.date() if isinstance(roll, _dt.datetime) else roll
    fx_c, fx_r = read_named(io, layout.FX_CURRENCIES), read_named(io, layout.FX_RATIOS)
    if fx_c is not None and fx_r is not None:
        out.fx_ratios = {str(c[0]).upper(): _num(r[0], DEFAULT_RATIO) for c, r in zip(fx_c, fx_r) if c[0]}
    return out


def hedge_plan(book: Book, inputs: HedgeInputs | None = None) -> dict[str, pd.DataFrame]:
    """Factor recommendations, FX legs and roll warnings for ``book``.

    Returns ``{"factors": …, "fx": …, "roll": …}`` (DataFrames; see
    :func:`xlhedge.engine.sizing.recommend_hedges`, :func:`xlhedge.engine.sizing.fx_hedges`,
    :func:`xlhedge.engine.perps.roll_warnings`).
    """
    inp = inputs or HedgeInputs()
    e = book.exposures()["exposure"]
    core = e.reindex([f for f in CORE_FACTORS if f in e.index])
    ratios = {f: inp.ratios.get(f, DEFAULT_RATIO) for f in core.index}
    targets = {f: inp.targets.get(f, 0.0) for f in core.index}
    recs = sizing.recommend_hedges(
        core,
        book.nav,
        ratios=ratios,
        targets=targets,
        alpha=inp.alpha,
        hedge_instruments=inp.hedge_instruments,
        instruments=inp.instruments,
        rate=inp.rate,
        div=inp.div,
        funding_periods_per_day=inp.funding_per_day,
    )
    pos = book.positions
    blank = pd.Series(None, index=pos.index, dtype=object)
    fx_share = pos["fx_share"] if "fx_share" in pos else pd.Series(np.nan, index=pos.index)
    ccy = sizing.currency_exposures(
        pos["weight"].to_numpy(),
        pos.get("fx_currency", blank),
        pd.to_numeric(fx_share, errors="coerce").to_numpy(dtype=float),
        record=book.record_currency,
        listing=pos.get("currency", blank),
    )
    legs = [
        sizing.fx_hedges(
            {c: v},
            book.nav,
            record=book.record_currency,
            ratio=inp.fx_ratios.get(str(c).upper(), DEFAULT_RATIO),
            instruments=inp.instruments,
        )
        for c, v in ccy.items()
    ]
    fx = pd.concat(legs, ignore_index=True) if legs else pd.DataFrame(columns=sizing.FX_LEG_COLUMNS)
    fx.insert(1, "exposure", fx["currency"].map(ccy).astype(float) if len(fx) else [])
    cat = _inst.catalogue(inp.instruments)
    used = [t for t in recs["instrument"].tolist() + recs["micro"].tolist() + fx["instrument"].tolist() if t]
    expiries = {t: cat[t.upper()].expiry for t in dict.fromkeys(used) if t.upper() in cat}
    roll = perps.roll_warnings(expiries, inp.roll_date or _dt.date.today(), days=inp.roll_days)
    return {"factors": recs, "fx": fx, "roll": roll[roll["status"] != "ok"].reset_index(drop=True)}


def _f(x: Any, fmt: str) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return ""
    return format(x, fmt)


def render_hedges(book: Book, out: Console, inputs: HedgeInputs | None = None) -> None:
    """Print the recommendations as rich tables."""
    inp = inputs or HedgeInputs()
    plan = hedge_plan(book, inp)
    t = Table(
        title=f"Recommended hedges — NAV {book.nav:,.0f} {book.record_currency} "
        f"(inputs: {inp.source}; prices illustrative unless refreshed)",
        title_justify="left",
        header_style="bold",
    )
    for col, justify in (
        ("Factor", "left"),
        ("Exposure", "right"),
        ("Ratio", "right"),
        ("Notional", "right"),
        ("Instrument", "left"),
        ("Side", "left"),
        ("Units", "right"),
        ("Contracts", "right"),
        ("Residual", "right"),
        ("Micro", "right"),
        ("After", "right"),
        ("Cost", "right"),
    ):
        t.add_column(col, justify=justify)
    recs = sizing.hedge_sizings(plan["factors"])
    for rec in recs:
        micro = f"{rec.micro_contracts:+.0f} {rec.micro}" if rec.micro and rec.micro_contracts else ""
        t.add_row(
            FACTOR_LABELS.get(rec.factor, rec.factor),
            f"{rec.exposure:+.4f}",
            f"{rec.ratio:.0%}",
            f"{rec.notional:,.0f}",
            rec.instrument or "—",
            rec.side,
            _f(rec.units, "+,.2f"),
            _f(rec.contracts, "+,.0f"),
            _f(rec.residual_exposure, "+.4f"),
            micro,
            f"{rec.exposure_after:+.4f}",
            _f(rec.cost, ",.0f") if rec.cost else "",
            style="dim" if not rec.instrument else None,
        )
    out.print(t)
    notes = [f"{rec.instrument}: {rec.cost_note}" for rec in recs if rec.cost_note and rec.instrument]
    for n in notes:
        out.print(f"  cost — {n}", style="dim", highlight=False)
    if len(plan["fx"]):
        fx = Table(
            title=f"FX hedges (currency of record {book.record_currency})", title_justify="left", header_style="bold"
        )
        for col in (
            "Currency",
            "Exposure",
            "Leg",
            "Future",
            "Notional USD",
            "Contracts (unrounded)",
            "Contracts",
            "Note",
        ):
            fx.add_column(col, justify="left" if col in ("Currency", "Leg", "Future", "Note") else "right")
        for _, r in plan["fx"].iterrows():
            fx.add_row(
                r["currency"],
                f"{r['exposure']:+.4f}",
                r["leg"],
                r["instrument"] or "—",
                f"{r['notional_usd']:,.0f}",
                _f(r["contracts_unrounded"], "+.2f"),
                _f(r["contracts"], "+.0f"),
                r["note"],
            )
        out.print(fx)
    for _, r in plan["roll"].iterrows():
        out.print(f"[yellow]roll[/] {r['message']}", highlight=False)


def _pairs(values: list[str], option: str, number: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for v in values:
        if "=" not in v:
            raise InputError(f"expected FACTOR=VALUE (e.g. equity=0.5), found {v!r}", where=option)
        k, _, x = v.partition("=")
        k = k.strip().lower()
        if k not in CORE_FACTORS:
            raise InputError(f"unknown factor {k!r}; one of {', '.join(CORE_FACTORS)}", where=option)
        if number:
            try:
                out[k] = float(x.strip().rstrip("%")) / (100 if x.strip().endswith("%") else 1)
            except ValueError:
                raise InputError(f"expected a number after {k}=, found {x!r}", where=option) from None
        else:
            out[k] = x.strip()
    return out


@handles_errors
def hedge(
    book: Path = typer.Argument(..., help="Saved workbook (.xlsx or .xlsm)."),
    ratio: list[str] = typer.Option([], "--ratio", help="FACTOR=RATIO, e.g. equity=0.5 or equity=50%; repeatable."),
    instrument: list[str] = typer.Option([], "--instrument", help="FACTOR=TICKER, e.g. equity=MES; repeatable."),
    target: list[str] = typer.Option([], "--target", help="FACTOR=EXPOSURE to keep (× NAV); repeatable."),
    alpha: float | None = typer.Option(None, "--alpha", help="Alpha estimate α in [0, 1)."),
) -> None:
    """Print the recommended hedges of a saved book (the file is not changed)."""
    from xlhedge.calc.recompute import RecomputeOptions, recompute
    from xlhedge.workbook.filebook import FileBook

    fb = FileBook(book)
    recompute(fb, RecomputeOptions(write_status=False, estimate=False))
    b = book_from_io(fb)
    inp = read_hedge_inputs(fb)
    inp.ratios.update(_pairs(ratio, "--ratio"))
    inp.targets.update(_pairs(target, "--target"))
    inp.hedge_instruments.update(_pairs(instrument, "--instrument", number=False))
    if alpha is not None:
        inp.alpha = alpha
    if ratio or instrument or target or alpha is not None:
        inp.source += " and the command line"
    render_hedges(b, console, inp)


def _section(book: Book, out: Console) -> None:
    render_hedges(book, out)


def register(app: typer.Typer) -> None:
    app.command("hedge")(hedge)


SECTIONS.append(("Recommended hedges", _section))
