"""The optimised hedge of a book beside its per-factor rule of thumb (docs/methodology/hedge-optimizer.md).

Builds the optimiser's inputs from a :class:`~xlhedge.engine.book.Book` and its Hedges/Instruments
inputs (:class:`~xlhedge.calc.hedges.HedgeInputs`): the factors (the six core factors and every tilt
the book or a candidate carries), the book's P&L per unit factor move, the candidates' loadings and
costs from the catalogue, the illustrative normal and stress covariances over the horizon, and
sizes the rule-of-thumb plan with the same inputs so both can be compared on one scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.calc import layout
from xlhedge.calc.bookio import BookIO, read_named
from xlhedge.calc.hedges import HedgeInputs, hedge_plan
from xlhedge.engine import candidates as cand
from xlhedge.engine import instruments as _inst
from xlhedge.engine.book import Book
from xlhedge.engine.covariance import factor_covariance
from xlhedge.engine.optimize import HedgeOptimum, HedgeRisk, hedge_risk, optimize_hedge
from xlhedge.engine.schema import factor_key

__all__ = ["OptimiserInputs", "read_optimiser_inputs", "OptimisedPlan", "optimised_plan", "rule_of_thumb_contracts"]


@dataclass
class OptimiserInputs:
    """The Hedges sheet's optimised-hedge inputs (defaults when a book has no such section)."""

    candidates: list[str] | None = None
    horizon_days: float = cand.DEFAULT_HORIZON_DAYS
    budget: float | None = None
    cost_weight: float = 0.0
    integer: bool = True
    size_limit: float = cand.SIZE_LIMIT
    factors: list[str] | None = None
    vols: dict[str, Any] = field(default_factory=dict)
    correlations: dict[str, Any] = field(default_factory=dict)
    source: str = "defaults"


def read_optimiser_inputs(io: BookIO) -> OptimiserInputs:
    """Read the optimised-hedge inputs of a workbook through their defined names."""
    out = OptimiserInputs()

    def one(name: str) -> Any:
        v = read_named(io, name)
        return v[0][0] if v else None

    cands = read_named(io, layout.OPT_CANDIDATES)
    if cands is None:
        return out
    out.source = "the Hedges sheet"
    out.candidates = [str(r[0]).strip().upper() for r in cands if isinstance(r[0], str) and r[0].strip()]
    h = one(layout.OPT_HORIZON)
    if isinstance(h, (int, float)) and not isinstance(h, bool):
        out.horizon_days = float(h)
    b = one(layout.OPT_BUDGET)
    out.budget = float(b) if isinstance(b, (int, float)) and not isinstance(b, bool) else None
    w = one(layout.OPT_COST_WEIGHT)
    if isinstance(w, (int, float)) and not isinstance(w, bool):
        out.cost_weight = float(w)
    i = one(layout.OPT_INTEGER)
    if isinstance(i, bool):
        out.integer = i
    k = one(layout.OPT_SIZE_LIMIT)
    if isinstance(k, (int, float)) and not isinstance(k, bool) and k > 0:
        out.size_limit = float(k)
    labels = read_named(io, layout.OPT_FACTORS)
    if labels is not None:
        out.factors = [factor_key(r[0]) for r in labels if r[0] not in (None, "")]
        for regime, vn, cn in (
            ("normal", layout.OPT_VOLS_NORMAL, layout.OPT_CORR_NORMAL),
            ("stress", layout.OPT_VOLS_STRESS, layout.OPT_CORR_STRESS),
        ):
            v, c = read_named(io, vn), read_named(io, cn)
            if v is not None and c is not None:
                out.vols[regime] = [r[0] for r in v][: len(out.factors)]
                out.correlations[regime] = [list(r)[: len(out.factors)] for r in c][: len(out.factors)]
    return out


@dataclass(frozen=True, eq=False)
class OptimisedPlan:
    """The optimised hedge, the rule of thumb's contracts and both hedges' risk and cost."""

    optimum: HedgeOptimum
    rule_of_thumb: pd.Series
    rule_of_thumb_risk: HedgeRisk
    factors: tuple[str, ...]
    exposures: pd.Series
    loadings: pd.DataFrame
    costs: pd.Series
    budget: float | None
    horizon_days: float
    note: str


def rule_of_thumb_contracts(book: Book, inputs: HedgeInputs | None = None) -> pd.Series:
    """Whole contracts (with the micro completion) of the per-factor plan, by ticker."""
    recs = hedge_plan(book, inputs)["factors"]
    out: dict[str, float] = {}
    for _, r in recs.iterrows():
        for t, n in ((r["instrument"], r["contracts"]), (r["micro"], r["micro_contracts"])):
            if t and isinstance(n, (int, float)) and np.isfinite(n) and n != 0:
                out[str(t).upper()] = out.get(str(t).upper(), 0.0) + float(n)
    return pd.Series(out, dtype=np.float64, name="contracts")


def optimised_plan(
    book: Book,
    inputs: HedgeInputs | None = None,
    options: OptimiserInputs | None = None,
) -> OptimisedPlan:
    """Optimise the hedge of ``book`` (candidates default to :func:`~xlhedge.engine.candidates.default_candidates`).

    The sheet's vols and correlations are used when ``options`` carries them (a book's Hedges sheet),
    else the illustrative ones of :mod:`xlhedge.engine.candidates`.
    """
    inp = inputs or HedgeInputs()
    opts = options or OptimiserInputs()
    cat = _inst.catalogue(inp.instruments)
    e = book.exposures()["exposure"].astype(float)
    tickers = [t.strip().upper() for t in (opts.candidates or cand.default_candidates(e, cat))]
    rot = rule_of_thumb_contracts(book, inp)
    every = list(dict.fromkeys(tickers + list(rot.index)))
    if opts.factors and opts.vols.get("normal") is not None:
        factors = list(opts.factors)
    else:
        tilts = {str(cat[t].tilt) for t in every if cat[t].tilt and cat[t].factor == "equity"}
        factors = [f for f in e.index if f in cand.FACTOR_MOVES.index or e[f] != 0 or f in tilts]
        factors += [t for t in sorted(tilts) if t not in factors]
    per_move = cand.exposure_per_move(e.reindex(factors, fill_value=0.0), book.nav)
    loads_all = cand.candidate_loadings(every, factors, cat, inp.rate, inp.div)
    costs_all = cand.candidate_costs(every, cat, opts.horizon_days, inp.rate, inp.div, inp.funding_per_day)
    covs = []
    for regime in ("normal", "stress"):
        vols = opts.vols.get(regime)
        corr = opts.correlations.get(regime)
        if vols is None or corr is None:
            vols, corr = cand.illustrative_vols(factors, regime), cand.illustrative_correlations(factors, regime)
        covs.append(factor_covariance(np.asarray(vols, float), np.asarray(corr, float), opts.horizon_days))
    pm = per_move.to_numpy()
    sigma_book = float(np.sqrt(max(float(pm @ covs[0] @ pm), 0.0)))
    lo, hi = cand.candidate_bounds(tickers, cat, loads_all, covs[0], sigma_book, opts.size_limit)
    opt = optimize_hedge(
        pm,
        loads_all[tickers],
        covs[0],
        covs[1],
        costs_all[tickers].to_numpy(),
        opts.budget,
        lo,
        hi,
        integer=opts.integer,
        cost_weight=opts.cost_weight,
    )
    rot_x = rot.reindex(every, fill_value=0.0).to_numpy()
    rot_risk = hedge_risk(pm, loads_all.to_numpy(), covs[0], covs[1], rot_x, costs_all.to_numpy())
    return OptimisedPlan(
        optimum=opt,
        rule_of_thumb=rot,
        rule_of_thumb_risk=rot_risk,
        factors=tuple(factors),
        exposures=per_move,
        loadings=loads_all[tickers],
        costs=costs_all[tickers],
        budget=opts.budget,
        horizon_days=float(opts.horizon_days),
        note=cand.ILLUSTRATIVE_NOTE if not opts.vols else "Vols and correlations from the Hedges sheet.",
    )
