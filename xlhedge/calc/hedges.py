"""The hedges of a book as its own Hedges and Instruments sheets ask for them.

Reads the Hedges/Instruments inputs of any workbook door (instrument, ratio and target per
factor, alpha, option rate and yield, funding periods, roll date, FX hedge ratios, the
instrument catalogue with its prices) through their defined names, and sizes the factor
hedges, the FX legs and the roll warnings from them (docs/methodology/sizing.md,
perpetuals.md). A book without those sheets gets the defaults
(:data:`xlhedge.engine.instruments.DEFAULT_HEDGE_INSTRUMENTS`, the
:data:`~xlhedge.engine.sizing.DEFAULT_HEDGE_RATIO`, the shipped illustrative prices).
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.calc import layout
from xlhedge.calc.bookio import BookIO, named_range, read_named
from xlhedge.calc.refs import cell_name
from xlhedge.engine import coerce, perps, sizing
from xlhedge.engine import instruments as _inst
from xlhedge.engine._typing import CORE_FACTORS
from xlhedge.engine.book import Book
from xlhedge.engine.errors import InputError
from xlhedge.engine.sizing import DEFAULT_HEDGE_RATIO as DEFAULT_RATIO

__all__ = ["HedgeInputs", "read_hedge_inputs", "hedge_plan"]


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


def _num(v: Any, default: float, io: BookIO | None = None, name: str = "", i: int = 0) -> float:
    """A number from an input cell: blank -> ``default``; text, an error value or a non-finite
    number is an error naming the file and the cell (never silently the default)."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return default
    if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
        return float(v)
    rng = named_range(io, name) if io is not None and name else None
    cell = f"{rng.sheet}!{cell_name(rng.r1 + i, rng.c1)}" if rng is not None else name
    where = f"{io.name}: {cell}" if io is not None else cell
    raise InputError(f"expected a number, found {v!r}", where=where or None, found=v)


def read_hedge_inputs(io: BookIO) -> HedgeInputs:
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
    for key, attr, name in (("ratio", "ratios", layout.HEDGE_RATIOS), ("target", "targets", layout.HEDGE_TARGETS)):
        rows = cols[key]
        if rows is not None:
            default = DEFAULT_RATIO if key == "ratio" else 0.0
            getattr(out, attr).update(
                {f: _num(row[0], default, io, name, i) for i, (f, row) in enumerate(zip(CORE_FACTORS, rows))}
            )

    def one(name: str) -> Any:
        v = read_named(io, name)
        return v[0][0] if v else None

    out.alpha = _num(one(layout.HEDGE_ALPHA), 0.0, io, layout.HEDGE_ALPHA)
    out.rate = _num(one(layout.OPTION_RATE), out.rate, io, layout.OPTION_RATE)
    out.div = _num(one(layout.OPTION_DIV), out.div, io, layout.OPTION_DIV)
    out.funding_per_day = _num(one(layout.FUNDING_PER_DAY), out.funding_per_day, io, layout.FUNDING_PER_DAY)
    days = _num(one(layout.ROLL_WARN_DAYS), out.roll_days, io, layout.ROLL_WARN_DAYS)
    out.roll_days = coerce.whole_number(days, f"{io.name}: {layout.ROLL_WARN_DAYS}", minimum=0, maximum=36_500)
    roll = one(layout.ROLL_DATE)
    if isinstance(roll, (_dt.date, _dt.datetime)):
        out.roll_date = roll.date() if isinstance(roll, _dt.datetime) else roll
    fx_c, fx_r = read_named(io, layout.FX_CURRENCIES), read_named(io, layout.FX_RATIOS)
    if fx_c is not None and fx_r is not None:
        out.fx_ratios = {
            str(c[0]).upper(): _num(r[0], DEFAULT_RATIO, io, layout.FX_RATIOS, i)
            for i, (c, r) in enumerate(zip(fx_c, fx_r))
            if c[0]
        }
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
            {str(c): v},
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
