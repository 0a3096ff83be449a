"""``xlhedge hedge BOOK.xlsx``: the recommended hedges of a saved book (docs/methodology/sizing.md, perpetuals.md).

Reads the book and the Hedges/Instruments sheets' inputs (instrument, ratio and
target per factor, alpha, prices) through their defined names, recomputes in
memory (the file is not changed) and prints the same recommendations the
Hedges sheet shows, the FX legs and any roll warnings. A book without those
sheets gets the defaults (:data:`xlhedge.engine.instruments.DEFAULT_HEDGE_INSTRUMENTS`,
ratio 50%, the shipped illustrative prices). Options override the sheet.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xlhedge.calc.bookio import BookIO
from xlhedge.calc.bookread import book_from_io
from xlhedge.calc.hedges import HedgeInputs, hedge_plan, read_hedge_inputs
from xlhedge.cli._common import console, handles_errors, print_hanging, print_table, signed
from xlhedge.cli.report import SECTIONS
from xlhedge.engine import sizing
from xlhedge.engine._typing import CORE_FACTORS
from xlhedge.engine.book import Book
from xlhedge.engine.errors import InputError
from xlhedge.engine.schema import factor_key, factor_label

__all__ = ["render_hedges", "render_optimised", "register"]


def _f(x: Any, fmt: str) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return ""
    return signed(x, fmt) if isinstance(x, float | int) and not isinstance(x, bool) else format(x, fmt)


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
    vega = any(rec.vol_added for rec in recs)  # an option hedge: the vol exposure it adds
    if vega:
        t.add_column("Vol added (× NAV/pt)", justify="right")
    for rec in recs:
        micro = f"{rec.micro_contracts:+.0f} {rec.micro}" if rec.micro and rec.micro_contracts else ""
        t.add_row(
            factor_label(rec.factor),
            signed(rec.exposure),
            f"{rec.ratio:.0%}",
            f"{rec.notional:,.0f}",
            rec.instrument or "—",
            rec.side,
            _f(rec.units, "+,.2f"),
            _f(rec.contracts, "+,.0f"),
            _f(rec.residual_exposure, "+.4f"),
            micro,
            signed(rec.exposure_after),
            _f(rec.cost, ",.0f") if rec.cost else "",
            *([f"{rec.vol_added / 100:+.6f}" if rec.vol_added else ""] if vega else []),
            style="dim" if not rec.instrument else None,
        )
    print_table(out, t)
    if vega:
        print_hanging(out, "", escape(vol_added_line(book, recs)), indent=2, body_style="dim")
    notes = [f"{rec.instrument}: {rec.cost_note}" for rec in recs if rec.cost_note and rec.instrument]
    for n in notes:
        print_hanging(out, "", f"cost — {escape(n)}", indent=2, body_style="dim")
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
                signed(r["exposure"]),
                r["leg"],
                r["instrument"] or "—",
                f"{r['notional_usd']:,.0f}",
                _f(r["contracts_unrounded"], "+.2f"),
                _f(r["contracts"], "+.0f"),
                r["note"],
            )
        print_table(out, fx)
    for _, r in plan["roll"].iterrows():
        print_hanging(out, "[yellow]roll[/]", escape(str(r["message"])), indent=5)


def vol_added_line(book: Book, recs: list[sizing.HedgeSizing]) -> str:
    """One sentence on the vol exposure the option hedges add (docs/methodology/sizing.md)."""
    added = sum(r.vol_added for r in recs)  # % of NAV per vol point, the vol factor's unit
    ccy = sum(r.vol_added_ccy for r in recs)
    vol = next((r for r in recs if r.factor == "vol"), None)
    side = "long" if added > 0 else "short"
    line = (
        f"vol — the option hedges add {added / 100:+.6f} × NAV ({ccy:+,.0f} {book.record_currency}) per vol point "
        f"of {side} vol"
    )
    if vol is not None:
        line += (
            f": the book's vol exposure goes from {vol.exposure:+.4f} to {vol.exposure_after + added:+.4f} "
            "(% of NAV per vol point) with every hedge in"
        )
    return line + "."


def render_optimised(book: Book, out: Console, inputs: HedgeInputs | None = None, options: Any = None) -> None:
    """Print the optimised hedge beside the per-factor rule of thumb (docs/methodology/hedge-optimizer.md)."""
    from xlhedge.calc.optimize import optimised_plan

    plan = optimised_plan(book, inputs, options)
    opt = plan.optimum
    budget = "no limit" if plan.budget is None else f"{plan.budget:,.0f}"
    t = Table(
        title=f"Optimised hedge — min of the worse regime σ over {plan.horizon_days:g} days, budget {budget}",
        title_justify="left",
        header_style="bold",
    )
    for col in ("Instrument", "Optimised", "Rule of thumb", "Cost/contract"):
        t.add_column(col, justify="left" if col == "Instrument" else "right")
    rot = plan.rule_of_thumb
    for ticker, n in opt.contracts.items():
        rt = float(rot.get(ticker, 0.0))
        t.add_row(str(ticker), f"{n:+,.0f}" if n else "", f"{rt:+,.0f}" if rt else "", _f(plan.costs[ticker], ",.0f"))
    for ticker, n in rot.items():
        if ticker not in opt.contracts.index:
            t.add_row(f"{ticker} (not a candidate)", "", f"{n:+,.0f}", "", style="dim")
    print_table(out, t)
    r = Table(title="Residual P&L σ over the horizon", title_justify="left", header_style="bold")
    for col in ("", "Before", "Rule of thumb", "Optimised"):
        r.add_column(col, justify="left" if not col else "right")
    rr = plan.rule_of_thumb_risk
    for label, before, thumb, best in (
        ("σ normal", opt.sigma_normal_before, rr.sigma_normal, opt.sigma_normal),
        ("σ stress", opt.sigma_stress_before, rr.sigma_stress, opt.sigma_stress),
        ("cost", 0.0, rr.total_cost, opt.total_cost),
    ):
        r.add_row(label, f"{before:,.0f}", f"{thumb:,.0f}", f"{best:,.0f}")
    print_table(out, r)
    if opt.gap == 0:
        gap = "proven optimum"
    else:
        share = opt.gap / opt.objective if opt.objective > 0 else float("inf")
        gap = f"optimality gap ≤ {opt.gap:,.2f} ({share:.1e} of the objective)"
    print_hanging(out, "", escape(f"{opt.method}; {gap}. {plan.note}"), indent=2, body_style="dim")


def _pairs(values: list[str], option: str, number: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for v in values:
        if "=" not in v:
            raise InputError(f"expected FACTOR=VALUE (e.g. equity=0.5), found {v!r}", where=option)
        name, _, x = v.partition("=")
        k = factor_key(name)
        if k not in CORE_FACTORS:
            raise InputError(f"unknown factor {name.strip()!r}; one of {', '.join(CORE_FACTORS)}", where=option)
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
    optimize: bool = typer.Option(False, "--optimize", help="Also print the optimised hedge of the whole book."),
    candidates: str | None = typer.Option(None, "--candidates", help="Comma-separated tickers, e.g. ES,TLT,UUP."),
    budget: float | None = typer.Option(None, "--budget", help="Most the optimised hedge may cost (currency)."),
    horizon_days: float | None = typer.Option(None, "--horizon-days", help="Horizon of risk and carry, days."),
) -> None:
    """Print the recommended hedges of a saved book (the file is not changed).

    Example: xlhedge hedge book.xlsx --ratio equity=0.5 --instrument equity=MES
    """
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
    if optimize or candidates or budget is not None or horizon_days is not None:
        from xlhedge.calc.optimize import read_optimiser_inputs

        opts = read_optimiser_inputs(fb)
        if candidates:
            opts.candidates = [c.strip().upper() for c in candidates.split(",") if c.strip()]
        if budget is not None:
            if budget < 0:
                raise InputError(f"must be ≥ 0, got {budget:g}", where="--budget")
            opts.budget = budget
        if horizon_days is not None:
            if not horizon_days > 0:
                raise InputError(f"must be > 0, got {horizon_days:g}", where="--horizon-days")
            opts.horizon_days = horizon_days
        render_optimised(b, console, inp, opts)


def _section(book: Book, out: Console, io: BookIO | None) -> None:
    render_hedges(book, out, read_hedge_inputs(io) if io is not None else None)


def register(app: typer.Typer) -> None:
    app.command("hedge")(hedge)


SECTIONS.append(("Recommended hedges", _section))
