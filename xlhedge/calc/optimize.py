"""The optimised hedge of a book beside its per-factor rule of thumb (docs/methodology/hedge-optimizer.md).

Builds the optimiser's inputs from a :class:`~xlhedge.engine.book.Book` and its Hedges/Instruments
inputs (:class:`~xlhedge.calc.hedges.HedgeInputs`): the factors (the six core factors and every tilt
the book or a candidate carries), the book's P&L per unit factor move, the candidates' loadings and
costs from the catalogue, the illustrative normal and stress covariances over the horizon, and
sizes the rule-of-thumb plan with the same inputs so both can be compared on one scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.calc.hedges import HedgeInputs, hedge_plan
from xlhedge.engine import candidates as cand
from xlhedge.engine import instruments as _inst
from xlhedge.engine.book import Book
from xlhedge.engine.covariance import factor_covariance
from xlhedge.engine.optimize import HedgeOptimum, HedgeRisk, hedge_risk, optimize_hedge

__all__ = ["OptimisedPlan", "optimised_plan", "rule_of_thumb_contracts"]


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
    candidates: list[str] | None = None,
    budget: float | None = None,
    horizon_days: float = cand.DEFAULT_HORIZON_DAYS,
    integer: bool = True,
) -> OptimisedPlan:
    """Optimise the hedge of ``book`` over ``candidates`` (default :func:`~xlhedge.engine.candidates.default_candidates`)."""
    inp = inputs or HedgeInputs()
    cat = _inst.catalogue(inp.instruments)
    e = book.exposures()["exposure"].astype(float)
    tickers = [t.strip().upper() for t in (candidates or cand.default_candidates(e, cat))]
    rot = rule_of_thumb_contracts(book, inp)
    every = list(dict.fromkeys(tickers + list(rot.index)))
    tilts = {cat[t].tilt for t in every if cat[t].tilt and cat[t].factor == "equity"}
    factors = [f for f in e.index if f in cand.FACTOR_MOVES.index or e[f] != 0 or f in tilts]
    factors += [t for t in sorted(tilts) if t not in factors]
    per_move = cand.exposure_per_move(e.reindex(factors, fill_value=0.0), book.nav)
    loads_all = cand.candidate_loadings(every, factors, cat, inp.rate, inp.div)
    costs_all = cand.candidate_costs(every, cat, horizon_days, inp.rate, inp.div, inp.funding_per_day)
    covs = [
        factor_covariance(
            cand.illustrative_vols(factors, regime), cand.illustrative_correlations(factors, regime), horizon_days
        )
        for regime in ("normal", "stress")
    ]
    sigma_book = max(float(np.sqrt(max(per_move.to_numpy() @ c @ per_move.to_numpy(), 0.0))) for c in covs)
    lo, hi = cand.candidate_bounds(tickers, cat, loads_all, covs[0], sigma_book)
    opt = optimize_hedge(
        per_move.to_numpy(),
        loads_all[tickers],
        covs[0],
        covs[1],
        costs_all[tickers].to_numpy(),
        budget,
        lo,
        hi,
        integer=integer,
    )
    rot_x = rot.reindex(every, fill_value=0.0).to_numpy()
    rot_risk = hedge_risk(per_move.to_numpy(), loads_all.to_numpy(), covs[0], covs[1], rot_x, costs_all.to_numpy())
    return OptimisedPlan(
        optimum=opt,
        rule_of_thumb=rot,
        rule_of_thumb_risk=rot_risk,
        factors=tuple(factors),
        exposures=per_move,
        loadings=loads_all[tickers],
        costs=costs_all[tickers],
        budget=budget,
        horizon_days=float(horizon_days),
        note=cand.ILLUSTRATIVE_NOTE,
    )


