"""Hedging-budget worksheet functions (docs/methodology/budget.md, regimes.md): HEDGE_BUDGET, BUDGET_STATUS,
HEDGE_DEPLOYMENT, HEDGE_DEPLOYMENT_CURVE."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine.budget import (
    BUCKET_LABELS,
    BUCKETS,
    BUDGET_RATE,
    DEFAULT_SPLITS,
    REGIMES,
    VOL_INDEXES,
    as_date,
    bucket_regimes,
    budget_status,
    deployment,
    deployment_curve,
    hedge_budget,
    normalise_bucket,
)
from xlhedge.engine.errors import InputError
from xlhedge.engine.regimes import vol_regime
from xlhedge.functions.registry import worksheet_function

_RATE_DOC = "Annual hedging budget as a fraction of NAV (default 0.03 = 3%; 2–4% is usual)."
_SPLITS_DOC = (
    "Optional split table: a header row low | normal | high and one row per bucket "
    "(label in the first column), fractions of the budget; each column sums to 1."
)
_LEDGER_DOC = (
    "Hedge ledger with a header row: Date, Instrument, Bucket, Premium (paid > 0, received < 0), "
    "optional Vol index and Vol level."
)


def _rate(rate: Any) -> float:
    return coerce.scalar(rate, "rate", default=BUDGET_RATE, minimum=0.0, maximum=1.0, strict_max=True)


def _regime(regime: Any) -> str | dict[str, str]:
    """A regime name, a VIX level (docs/methodology/regimes.md thresholds), or a vol-levels range (one regime per bucket)."""
    if coerce.is_omitted(regime):
        return "normal"
    g = coerce.grid(regime, "regime")
    if g.size > 1:
        return {str(b): str(r) for b, r in bucket_regimes(vol_levels_arg(regime, "regime"))["regime"].items()}
    v = g[0, 0]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return vol_regime(float(v), "VIX")
    return coerce.choice(regime, "regime", REGIMES, default="normal")


def splits_table(splits: Any) -> pd.DataFrame:
    """A split range (header row of regimes, first column of bucket labels) as a DataFrame."""
    if coerce.is_omitted(splits):
        return DEFAULT_SPLITS
    if isinstance(splits, pd.DataFrame):
        return splits
    g = coerce.grid(splits, "splits")
    if g.shape[0] < 2 or g.shape[1] < 2:
        raise InputError("needs a header row of regimes and a label column of buckets", where="splits")
    header = [str(h).strip().lower() if not coerce.is_blank(h) else "" for h in g[0, 1:]]
    rows = [r for r in g[1:] if not coerce.is_blank(r[0])]
    labels = [normalise_bucket(r[0], where="splits") for r in rows]
    vals = coerce.to_float(
        np.array([r[1:] for r in rows], dtype=object),
        "splits",
        blank=np.nan,
        place=lambda i, j: f"{BUCKET_LABELS[labels[i]]} / {header[j] or f'column {j + 2}'}",
    )
    return pd.DataFrame(vals, index=labels, columns=header)


def vol_levels_arg(x: Any, name: str = "vol_levels") -> dict[str, float]:
    """A VIX level (one cell) or a label/value range of index levels (VIX, MOVE, DVOL, CVIX).

    A blank or 0 level in a range means "not given" (a formula pointing at an
    empty cell returns 0); the bucket then follows VIX.
    """
    g = coerce.grid(x, name)
    if g.size == 1:
        return {"VIX": coerce.scalar(g, "VIX")}
    if g.shape[1] == 2:
        pairs = g
    elif g.shape[0] == 2:
        pairs = g.T
    else:
        raise InputError("expected one VIX level or two columns: index name, level", where=name)
    out = {}
    for lab, val in pairs:
        if coerce.is_blank(lab):
            continue
        key = str(lab).strip().upper().split(" ")[0]
        if key not in VOL_INDEXES:
            raise InputError(f"expected index names {', '.join(VOL_INDEXES)}, found {lab!r}", where=name)
        if not coerce.is_blank(val) and val != 0:  # 0: a formula pointing at a blank cell
            out[key] = coerce.scalar(val, key, minimum=0.0)
    return out


def _today(today: Any) -> Any:
    if coerce.is_omitted(today):
        return None
    return as_date(coerce.grid(today, "today")[0, 0], "today")


@worksheet_function(
    "HEDGE_BUDGET",
    "Annual hedging budget split into the five buckets for a vol regime (docs/methodology/budget.md, Figure 05).",
    docs={
        "nav": "NAV in the currency of record (> 0).",
        "rate": _RATE_DOC,
        "regime": "low, normal or high (default normal), or a VIX level: < 18 low, 18–28 normal, > 28 high; "
        "or two columns index | level (VIX, MOVE, DVOL, CVIX): each bucket takes its own index's regime.",
        "splits": _SPLITS_DOC,
    },
    ranges=("splits",),
)
def HEDGE_BUDGET(nav: Any, rate: Any = None, regime: Any = None, splits: Any = None) -> list[list[Any]]:
    """Five rows: [bucket, amount]; amounts (currency) sum to rate × NAV exactly, in cents."""
    b = hedge_budget(coerce.scalar(nav, "nav"), _rate(rate), _regime(regime), splits=splits_table(splits))
    return [[lab, float(a)] for lab, a in zip(b["label"], b["amount"])]


@worksheet_function(
    "BUDGET_STATUS",
    "Hedging budget per bucket against premium spent year-to-date from the hedge ledger (docs/methodology/budget.md).",
    docs={
        "nav": "NAV in the currency of record (> 0).",
        "rate": _RATE_DOC,
        "regime": "low, normal or high, a VIX level (docs/methodology/regimes.md), or two columns index | level (regime per bucket).",
        "ledger": _LEDGER_DOC,
        "today": "Date the year-to-date runs to (blank = today).",
        "splits": _SPLITS_DOC,
    },
    ranges=("ledger", "splits"),
)
def BUDGET_STATUS(
    nav: Any, rate: Any = None, regime: Any = None, ledger: Any = None, today: Any = None, splits: Any = None
) -> list[list[Any]]:
    """Five rows: [bucket, share of budget, budget, spent YTD, remaining, used (spent / budget)]."""
    st = budget_status(
        coerce.scalar(nav, "nav"),
        _rate(rate),
        _regime(regime),
        None if coerce.is_omitted(ledger) else ledger,
        _today(today),
        splits=splits_table(splits),
    )
    return st[["label", "fraction", "budget", "spent", "remaining", "used"]].to_numpy(dtype=object).tolist()


@worksheet_function(
    "HEDGE_DEPLOYMENT",
    "What to do now with each budget bucket given the vol regimes: deploy, maintain and roll, or hold (docs/methodology/budget.md, workbook.md).",
    docs={
        "nav": "NAV in the currency of record (> 0).",
        "rate": _RATE_DOC,
        "vol_levels": "Current VIX level, or two columns: index (VIX, MOVE, DVOL, CVIX) and level.",
        "ledger": _LEDGER_DOC,
        "today": "Date the year-to-date runs to (blank = today).",
        "splits": _SPLITS_DOC,
    },
    ranges=("vol_levels", "ledger", "splits"),
)
def HEDGE_DEPLOYMENT(
    nav: Any, rate: Any = None, vol_levels: Any = None, ledger: Any = None, today: Any = None, splits: Any = None
) -> list[list[Any]]:
    """Five rows: [bucket, vol index, level, regime, budget, spent, remaining, action,
    deploy now, rebalance cash change] (currency amounts)."""
    if coerce.is_omitted(vol_levels):
        raise InputError("is required: the current VIX level (or a table of index levels)", where="vol_levels")
    d = deployment(
        coerce.scalar(nav, "nav"),
        _rate(rate),
        vol_levels_arg(vol_levels),
        None if coerce.is_omitted(ledger) else ledger,
        _today(today),
        splits=splits_table(splits),
    )
    cols = [
        "label",
        "vol_index",
        "level",
        "regime",
        "budget",
        "spent",
        "remaining",
        "action",
        "deploy_now",
        "rebalance_change",
    ]
    return d[cols].to_numpy(dtype=object).tolist()


@worksheet_function(
    "HEDGE_DEPLOYMENT_CURVE",
    "Share of the remaining budget to deploy now and to move to rebalance cash, against VIX (Figure 06).",
    docs={"vix_levels": "One column of VIX levels (default 10 to 45 in steps of 1)."},
    ranges=("vix_levels",),
)
def HEDGE_DEPLOYMENT_CURVE(vix_levels: Any = None) -> list[list[Any]]:
    """Rows: [VIX, regime, deploy share, to-rebalance share]."""
    c = deployment_curve(None if coerce.is_omitted(vix_levels) else vix_levels)
    return c.to_numpy(dtype=object).tolist()


__all__ = [
    "HEDGE_BUDGET",
    "BUDGET_STATUS",
    "HEDGE_DEPLOYMENT",
    "HEDGE_DEPLOYMENT_CURVE",
    "splits_table",
    "vol_levels_arg",
    "BUCKETS",
]
