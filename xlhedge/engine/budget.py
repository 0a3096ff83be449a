"""The hedging budget and vol-conditioned deployment (docs/methodology/budget.md, regimes.md; Cross-Asset Hedging §09–§10).

    annual budget  B = b · NAV,  b ∈ [2%, 4%], default 3%
    bucket amount  B_k = s_{k,r} · B       (s: split table, r: the bucket's vol regime)
    remaining      R_k = B_k − premium spent year-to-date in bucket k

Five buckets (Cross-Asset Hedging §09): long volatility, tail protection, cross-asset diversifiers,
FX hedges, rebalance reserve. The split per regime is an *editable* table
(:data:`DEFAULT_SPLITS`): the source article's normal allocation, a low-vol table
tilted toward long vol and tail (protection is cheap), a high-vol table tilted
toward rebalance cash (protection is expensive). Each bucket takes its regime
from the vol index of its asset class (:data:`BUCKET_VOL_INDEX`: VIX for long
vol, tail and reserve, MOVE for the cross-asset bucket, CVIX for FX; DVOL for a
crypto book's tail bucket); when the buckets sit in different regimes the
rebalance reserve takes up the difference, so the split still sums to 100%.

Money is allocated in whole cents (largest remainder), so the bucket amounts
add up to the budget exactly, in every regime.

Deployment (Cross-Asset Hedging §10): low = buying window (deploy most of what is left), normal =
maintain and roll (add modestly), high = hold, monetise, and move the marginal
budget to rebalance cash (:data:`DEPLOYMENT_RULES`, editable).

The hedge ledger is a table with one row per premium paid (or received, < 0):
``date, instrument, bucket, premium`` and optionally ``vol_index, vol_level``
(the index level on the purchase date, read by the LATE_PROTECTION check).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine._typing import Float64Array, FloatArrayLike
from xlhedge.engine.coerce import as_date
from xlhedge.engine.errors import BudgetRateWarning, InputError
from xlhedge.engine.regimes import REGIMES, Thresholds, classify, thresholds_for, vol_regime

__all__ = [
    "BUCKETS",
    "BUCKET_LABELS",
    "BUDGET_RATE",
    "BUDGET_RATE_RANGE",
    "DEFAULT_SPLITS",
    "BUCKET_VOL_INDEX",
    "DEPLOYMENT_RULES",
    "REGIMES",
    "VOL_INDEXES",
    "budget_amount",
    "budget_rate_warning",
    "split_fractions",
    "allocate",
    "hedge_budget",
    "ledger_frame",
    "ytd_spend",
    "budget_status",
    "bucket_regimes",
    "deployment",
    "deployment_curve",
    "as_date",
    "normalise_bucket",
]

#: Vol indexes, one per asset class (docs/methodology/regimes.md).
VOL_INDEXES: tuple[str, ...] = ("VIX", "MOVE", "DVOL", "CVIX")

#: Bucket keys in the order every table shows them (docs/methodology/budget.md).
BUCKETS: tuple[str, ...] = ("long_vol", "tail", "cross_asset", "fx", "rebalance")

BUCKET_LABELS: dict[str, str] = {
    "long_vol": "Long volatility",
    "tail": "Tail protection",
    "cross_asset": "Cross-asset diversifiers",
    "fx": "FX hedges",
    "rebalance": "Rebalance reserve",
}

#: Default annual budget as a fraction of NAV, and the range the source article calls normal (Cross-Asset Hedging §09).
BUDGET_RATE = 0.03
BUDGET_RATE_RANGE = (0.02, 0.04)

#: Largest NAV accepted (amounts are counted in whole cents, exactly, below it).
MAX_NAV = 1e15

#: Budget split per bucket and regime, fractions of the annual budget (*editable*).
#: ``normal`` is the source article's allocation (Cross-Asset Hedging §09); ``low`` leans into long vol and tail
#: (cheap protection), ``high`` into rebalance cash (Cross-Asset Hedging §09–§10). Each column sums to 1.
DEFAULT_SPLITS = pd.DataFrame(
    {
        "low": [0.30, 0.33, 0.15, 0.12, 0.10],
        "normal": [0.25, 0.30, 0.20, 0.15, 0.10],
        "high": [0.15, 0.20, 0.20, 0.15, 0.30],
    },
    index=pd.Index(BUCKETS, name="bucket"),
)

#: Which vol index sets each bucket's regime (*editable*; map ``tail`` to DVOL for a crypto book).
BUCKET_VOL_INDEX: dict[str, str] = {
    "long_vol": "VIX",
    "tail": "VIX",
    "cross_asset": "MOVE",
    "fx": "CVIX",
    "rebalance": "VIX",
}

#: What to do with a bucket's remaining budget in each regime (*editable*, Cross-Asset Hedging §10).
#: ``deploy``: fraction of the remaining bucket budget to spend now;
#: ``to_rebalance``: fraction moved to the rebalance reserve.
DEPLOYMENT_RULES = pd.DataFrame(
    {
        "action": [
            "Deploy: protection is cheap, buy now",
            "Maintain: roll expiring hedges, add modestly",
            "Hold: do not add, monetise, move budget to rebalance cash",
        ],
        "deploy": [0.75, 0.25, 0.0],
        "to_rebalance": [0.0, 0.0, 1.0],
    },
    index=pd.Index(REGIMES, name="regime"),
)

#: The reserve's own action per VIX regime (it is cash, never premium).
RESERVE_ACTIONS: dict[str, str] = {
    "low": "Keep in reserve",
    "normal": "Keep in reserve",
    "high": "Hold as cash, deploy if prices dislocate",
}

_BUCKET_ALIASES: dict[str, str] = {
    **{k: k for k in BUCKETS},
    **{v.lower(): k for k, v in BUCKET_LABELS.items()},
    "long vol": "long_vol",
    "longvol": "long_vol",
    "vol": "long_vol",
    "long volatility": "long_vol",
    "tail": "tail",
    "tail protection": "tail",
    "tail_protection": "tail",
    "cross-asset": "cross_asset",
    "cross asset": "cross_asset",
    "diversifiers": "cross_asset",
    "cross-asset diversifiers": "cross_asset",
    "cross-asset hedges": "cross_asset",
    "fx hedges": "fx",
    "fx hedge": "fx",
    "currency": "fx",
    "rebalance reserve": "rebalance",
    "reserve": "rebalance",
    "rebalance cash": "rebalance",
    "active rebalance reserve": "rebalance",
}


# --------------------------------------------------------------------------- budget


def budget_rate_warning(rate: float) -> BudgetRateWarning | None:
    """A :class:`BudgetRateWarning` when the budget rate lies outside the source article's 2–4% of NAV, else None.

    Parameters
    ----------
    rate : annual budget as a fraction of NAV (0.03 = 3%).

    Returns
    -------
    BudgetRateWarning or None — show it with ``str(w)``: "Hedging budget 1.0% of NAV is
    below the usual 2%–4% institutional range (Cross-Asset Hedging §09)."
    """
    lo, hi = BUDGET_RATE_RANGE
    if rate < lo or rate > hi:
        side = "below" if rate < lo else "above"
        return BudgetRateWarning(
            f"Hedging budget {rate:.1%} of NAV is {side} the usual {lo:.0%}–{hi:.0%} institutional range (Cross-Asset Hedging §09)."
        )
    return None


def budget_amount(nav: float, rate: float = BUDGET_RATE, *, decimals: int = 2) -> float:
    """Annual hedging budget B = rate · NAV, rounded to ``decimals`` (cents by default).

    Parameters
    ----------
    nav : float — NAV in the currency of record, > 0.
    rate : float — annual budget as a fraction of NAV (0.03 = 3%), 0 ≤ rate < 1.
    """
    nav = coerce.scalar(nav, "nav", minimum=0.0, strict_min=True, maximum=MAX_NAV)
    rate = coerce.scalar(rate, "rate", default=BUDGET_RATE, minimum=0.0, maximum=1.0, strict_max=True)
    return round(nav * rate, decimals)


def _check_splits(splits: pd.DataFrame) -> pd.DataFrame:
    """Validate a split table: buckets × regimes, non-negative, each column summing to 1."""
    if not isinstance(splits, pd.DataFrame):
        raise InputError("expected a table of buckets × regimes", where="splits")
    s = splits.copy()
    s.index = [normalise_bucket(b, where="splits") for b in s.index]
    s.columns = [str(c).strip().lower() for c in s.columns]
    missing = [b for b in BUCKETS if b not in s.index]
    if missing:
        raise InputError(f"has no row for {', '.join(BUCKET_LABELS[b] for b in missing)}", where="splits")
    missing_r = [r for r in REGIMES if r not in s.columns]
    if missing_r:
        raise InputError(f"has no column for regime {', '.join(missing_r)}", where="splits")
    s = s.loc[list(BUCKETS), list(REGIMES)]
    try:
        vals = s.to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("expected numbers (fractions of the budget)", where="splits") from None
    if np.isnan(vals).any() or (vals < 0).any():
        i, j = np.argwhere(np.isnan(vals) | (vals < 0))[0]
        raise InputError(
            f"{BUCKET_LABELS[BUCKETS[i]]} / {REGIMES[j]} must be a fraction ≥ 0, got {vals[i, j]!r}",
            where="splits",
        )
    sums = vals.sum(axis=0)
    bad = np.abs(sums - 1.0) > 1e-9
    if bad.any():
        j = int(np.argmax(bad))
        raise InputError(f"column {REGIMES[j]} sums to {sums[j]:.6g}, expected 1 (100%)", where="splits")
    return pd.DataFrame(vals, index=pd.Index(BUCKETS, name="bucket"), columns=list(REGIMES))


def _check_rules(rules: pd.DataFrame) -> pd.DataFrame:
    """Validate a deployment-rules table: one row per regime, numeric ``deploy`` / ``to_rebalance``."""
    if not isinstance(rules, pd.DataFrame):
        raise InputError("expected a table of regimes × (action, deploy, to_rebalance)", where="rules")
    r = rules.copy()
    r.index = [str(i).strip().lower() for i in r.index]
    missing = [x for x in REGIMES if x not in r.index]
    if missing:
        raise InputError(f"has no row for regime {', '.join(missing)}", where="rules")
    cols = [c for c in ("action", "deploy", "to_rebalance") if c not in r.columns]
    if cols:
        raise InputError(f"has no column {', '.join(cols)}", where="rules")
    r = r.loc[list(REGIMES)]
    try:
        r[["deploy", "to_rebalance"]] = r[["deploy", "to_rebalance"]].to_numpy(dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("expected numbers (fractions) in deploy and to_rebalance", where="rules") from None
    return r


def _check_regime(regime: Any, where: str = "regime") -> str:
    r = str(regime).strip().lower()
    if r not in REGIMES:
        raise InputError(f"expected one of {', '.join(REGIMES)}, found {regime!r}", where=where)
    return r


def split_fractions(
    regime: str | Mapping[str, str] = "normal",
    splits: pd.DataFrame = DEFAULT_SPLITS,
) -> pd.Series:
    """Budget fraction per bucket for a regime, or for one regime per bucket.

    With one regime the table's column is used as is. With a mapping
    ``bucket -> regime`` each bucket takes its own regime's share and the
    rebalance reserve takes ``1 − Σ others`` (the marginal budget moves to or
    from rebalance cash, Cross-Asset Hedging §10); a reserve that would go negative is an error.

    Returns
    -------
    Series indexed by bucket key, fractions summing to 1.
    """
    s = _check_splits(splits)
    if isinstance(regime, Mapping):
        per = {normalise_bucket(k, where="regime"): _check_regime(v, f"regime of {k}") for k, v in regime.items()}
        regs = [per.get(b, "normal") for b in BUCKETS]
        if len(set(regs)) == 1:
            return s[regs[0]].rename("fraction")
        vals = np.array([s.at[b, r] for b, r in zip(BUCKETS, regs)])
        rest = 1.0 - vals[:-1].sum()
        if rest < -1e-9:
            raise InputError(
                f"the buckets' own-regime shares add up to {1 - rest:.1%}, leaving a negative "
                "rebalance reserve: lower the low-vol shares",
                where="splits",
            )
        vals[-1] = round(max(rest, 0.0), 12)  # no 0.0199999… residue on the sheet
        return pd.Series(vals, index=pd.Index(BUCKETS, name="bucket"), name="fraction")
    return s[_check_regime(regime)].rename("fraction")


def allocate(amount: float, fractions: FloatArrayLike, *, decimals: int = 2) -> Float64Array:
    """Split ``amount`` by ``fractions`` in whole units of 10^-decimals (largest remainder).

    The parts, counted in those units (cents by default), add up to the amount
    exactly; each part is within one unit of ``fraction · amount``. Ties go to
    the earlier bucket.
    """
    f = np.asarray(fractions, dtype=np.float64)
    scale = 10**decimals
    total = int(round(amount * scale))
    ideal = f / f.sum() * total
    base = np.floor(ideal + 1e-9).astype(np.int64)
    short = total - int(base.sum())
    if short:
        order = np.argsort(-(ideal - base), kind="stable")
        base[order[:short]] += 1
    return base / scale


def hedge_budget(
    nav: float,
    rate: float = BUDGET_RATE,
    regime: str | Mapping[str, str] = "normal",
    *,
    splits: pd.DataFrame = DEFAULT_SPLITS,
    decimals: int = 2,
) -> pd.DataFrame:
    """The annual hedging budget split into the five buckets (docs/methodology/budget.md, Figure 05).

    Parameters
    ----------
    nav : float — NAV in the currency of record.
    rate : float — annual budget, fraction of NAV (default 0.03; 0.02–0.04 is usual).
    regime : "low" | "normal" | "high", or a mapping bucket -> regime.
    splits : DataFrame buckets × regimes of fractions (default :data:`DEFAULT_SPLITS`).

    Returns
    -------
    DataFrame indexed by bucket with columns ``label``, ``fraction``, ``amount``
    (currency); ``amount`` sums to :func:`budget_amount` exactly (in cents).

    Examples
    --------
    >>> hedge_budget(1_000_000)["amount"].tolist()
    [7500.0, 9000.0, 6000.0, 4500.0, 3000.0]
    """
    total = budget_amount(nav, rate, decimals=decimals)
    frac = split_fractions(regime, splits)
    amounts = allocate(total, frac.to_numpy(), decimals=decimals)
    return pd.DataFrame(
        {"label": [BUCKET_LABELS[b] for b in BUCKETS], "fraction": frac.to_numpy(), "amount": amounts},
        index=pd.Index(BUCKETS, name="bucket"),
    )


# --------------------------------------------------------------------------- ledger


def normalise_bucket(v: Any, where: str = "bucket") -> str:
    """A bucket key from its key, label or a common alias (case-insensitive)."""
    k = str(v).strip().lower() if v is not None else ""
    if k in _BUCKET_ALIASES:
        return _BUCKET_ALIASES[k]
    k2 = k.replace("-", " ").replace("_", " ")
    for alias, key in _BUCKET_ALIASES.items():
        if alias.replace("-", " ").replace("_", " ") == k2:
            return key
    raise InputError(f"expected a bucket ({', '.join(BUCKET_LABELS.values())}), found {v!r}", where=where)


_LEDGER_COLUMNS = {
    "date": "date",
    "trade date": "date",
    "purchase date": "date",
    "instrument": "instrument",
    "ticker": "instrument",
    "bucket": "bucket",
    "premium": "premium",
    "premium paid": "premium",
    "cost": "premium",
    "vol index": "vol_index",
    "vol_index": "vol_index",
    "index": "vol_index",
    "vol level": "vol_level",
    "vol_level": "vol_level",
    "index level": "vol_level",
    "vol at purchase": "vol_level",
}


def ledger_frame(ledger: Any) -> pd.DataFrame:
    """The hedge ledger as a clean DataFrame.

    Accepts a DataFrame with these columns, or an Excel range whose first row
    is the header: ``Date, Instrument, Bucket, Premium`` and optionally
    ``Vol index`` (VIX/MOVE/DVOL/CVIX, default VIX) and ``Vol level`` (the
    index on the purchase date). Fully blank rows are skipped. Premium is in
    the currency of record, paid > 0, received (monetised) < 0.

    Returns
    -------
    DataFrame with columns date, instrument, bucket (key), premium, vol_index, vol_level.
    """
    cols = ["date", "instrument", "bucket", "premium", "vol_index", "vol_level"]
    if ledger is None:
        return pd.DataFrame(columns=cols)
    if isinstance(ledger, pd.DataFrame):
        header = [str(c) for c in ledger.columns]
        rows = ledger.to_numpy(dtype=object)
    else:
        g = coerce.grid(ledger, "ledger")
        if g.size == 1 and coerce.is_blank(g[0, 0]):
            return pd.DataFrame(columns=cols)
        header = ["" if coerce.is_blank(h) else str(h) for h in g[0]]
        rows = g[1:]
    names = []
    for h in header:
        key = _LEDGER_COLUMNS.get(h.strip().lower().replace("_", " "), _LEDGER_COLUMNS.get(h.strip().lower()))
        names.append(key)
    for need in ("date", "bucket", "premium"):
        if need not in names:
            raise InputError(
                f"needs a {need!r} column in its header row; found {', '.join(h for h in header if h) or 'none'}",
                where="ledger",
            )
    out: dict[str, list[Any]] = {c: [] for c in cols}
    for i, row in enumerate(rows):
        rec = {n: v for n, v in zip(names, row) if n}
        if all(coerce.is_blank(v) for v in rec.values()):
            continue
        where = f"ledger row {i + 2}"
        d = as_date(rec.get("date"), f"{where} date")
        if d is None:
            raise InputError("has no date", where=where)
        out["date"].append(d)
        out["instrument"].append("" if coerce.is_blank(rec.get("instrument")) else str(rec.get("instrument")).strip())
        out["bucket"].append(normalise_bucket(rec.get("bucket"), where=f"{where} bucket"))
        out["premium"].append(coerce.scalar(rec.get("premium"), f"{where} premium", default=0.0))
        vi = rec.get("vol_index")
        vi = "VIX" if coerce.is_blank(vi) else str(vi).strip().upper()
        if vi not in VOL_INDEXES:
            raise InputError(f"expected one of {', '.join(VOL_INDEXES)}, found {vi!r}", where=f"{where} vol index")
        out["vol_index"].append(vi)
        lvl = rec.get("vol_level")
        out["vol_level"].append(coerce.scalar(lvl, f"{where} vol level", default=float("nan")))
    return pd.DataFrame(out, columns=cols)


def ytd_spend(ledger: Any, today: Any) -> pd.Series:
    """Premium spent year-to-date per bucket: ledger rows dated Jan 1 … ``today`` of today's year.

    Returns a Series indexed by bucket key (all five, zeros where nothing was spent).
    """
    t = as_date(today, "today")
    if t is None:
        raise InputError("is required", where="today")
    lf = ledger_frame(ledger)
    start = _dt.date(t.year, 1, 1)
    if lf.empty:
        return pd.Series(0.0, index=pd.Index(BUCKETS, name="bucket"), name="spent")
    mask = (lf["date"] >= start) & (lf["date"] <= t)
    spent = lf.loc[mask].groupby("bucket")["premium"].sum()
    return spent.reindex(list(BUCKETS), fill_value=0.0).astype(np.float64).rename("spent").rename_axis("bucket")


def budget_status(
    nav: float,
    rate: float = BUDGET_RATE,
    regime: str | Mapping[str, str] = "normal",
    ledger: Any = None,
    today: Any = None,
    *,
    splits: pd.DataFrame = DEFAULT_SPLITS,
) -> pd.DataFrame:
    """Budget per bucket against the premium spent year-to-date (docs/methodology/budget.md).

    Returns
    -------
    DataFrame indexed by bucket: ``label, fraction, budget, spent, remaining, used``
    (``used`` = spent / budget; NaN for an empty bucket). Currency amounts.
    """
    b = hedge_budget(nav, rate, regime, splits=splits)
    spent = ytd_spend(ledger, today if today is not None else _dt.date.today())
    out = pd.DataFrame(
        {
            "label": b["label"],
            "fraction": b["fraction"],
            "budget": b["amount"],
            "spent": spent.to_numpy(),
        },
        index=b.index,
    )
    out["remaining"] = np.round(out["budget"] - out["spent"], 2)
    bud = out["budget"].to_numpy()
    out["used"] = np.divide(out["spent"].to_numpy(), bud, out=np.full(bud.shape, np.nan), where=bud > 0)
    return out


# --------------------------------------------------------------------------- deployment


def _vol_levels(levels: Any) -> dict[str, float]:
    if levels is None:
        return {}
    if isinstance(levels, (int, float)) and not isinstance(levels, bool):
        return {"VIX": float(levels)}
    if isinstance(levels, pd.Series):
        levels = levels.to_dict()
    if not isinstance(levels, Mapping):
        raise InputError("expected a mapping of vol index -> level", where="vol_levels")
    out = {}
    for k, v in levels.items():
        key = str(k).strip().upper()
        if key not in VOL_INDEXES:
            raise InputError(f"expected one of {', '.join(VOL_INDEXES)}, found {k!r}", where="vol_levels")
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        out[key] = coerce.scalar(v, key)
    return out


def bucket_regimes(
    vol_levels: Mapping[str, float] | float,
    *,
    bucket_index: Mapping[str, str] = BUCKET_VOL_INDEX,
    thresholds: Mapping[str, Thresholds] | None = None,
) -> pd.DataFrame:
    """Each bucket's vol index, its level and regime.

    A bucket whose index has no level falls back to VIX (the portfolio-level
    regime); VIX itself is required.

    Returns
    -------
    DataFrame indexed by bucket: ``vol_index, level, regime``.
    """
    lv = _vol_levels(vol_levels)
    if "VIX" not in lv:
        raise InputError("needs a VIX level (the portfolio-level regime)", where="vol_levels")
    rows = []
    for b in BUCKETS:
        idx = str(bucket_index.get(b, "VIX")).upper()
        if idx not in lv:
            idx = "VIX"
        rows.append((idx, lv[idx], vol_regime(lv[idx], idx, thresholds=thresholds)))
    return pd.DataFrame(rows, columns=["vol_index", "level", "regime"], index=pd.Index(BUCKETS, name="bucket"))


def deployment(
    nav: float,
    rate: float = BUDGET_RATE,
    vol_levels: Mapping[str, float] | float = 20.0,
    ledger: Any = None,
    today: Any = None,
    *,
    splits: pd.DataFrame = DEFAULT_SPLITS,
    rules: pd.DataFrame = DEPLOYMENT_RULES,
    bucket_index: Mapping[str, str] = BUCKET_VOL_INDEX,
    thresholds: Mapping[str, Thresholds] | None = None,
) -> pd.DataFrame:
    """What to do now with each bucket, given the vol regimes (docs/methodology/budget.md, regimes.md, Cross-Asset Hedging §10).

    Per bucket k in regime r with remaining budget R_k ≥ 0:

        deploy_now_k    = rules.deploy[r] · R_k
        to_rebalance_k  = rules.to_rebalance[r] · R_k      (moved to the reserve)

    The reserve's row receives Σ to_rebalance; the ``rebalance_change``
    column therefore sums to zero (money moves, none is created).

    Returns
    -------
    DataFrame indexed by bucket: ``label, vol_index, level, regime, budget, spent,
    remaining, action, deploy_now, rebalance_change`` (currency amounts).
    """
    reg = bucket_regimes(vol_levels, bucket_index=bucket_index, thresholds=thresholds)
    r = _check_rules(rules)
    per_bucket = {str(b): str(r) for b, r in reg["regime"].items()}
    st = budget_status(nav, rate, per_bucket, ledger, today, splits=splits)
    left = np.maximum(st["remaining"].to_numpy(), 0.0)
    regs = reg["regime"].to_numpy()
    deploy = r.loc[regs, "deploy"].to_numpy(dtype=np.float64) * left
    move = r.loc[regs, "to_rebalance"].to_numpy(dtype=np.float64) * left
    actions = r.loc[regs, "action"].astype(str).to_numpy().copy()
    res = BUCKETS.index("rebalance")
    deploy[res] = 0.0
    move[res] = 0.0
    change = -move + 0.0  # + 0.0: no "-0" in the table
    change[res] = move.sum()
    actions[res] = RESERVE_ACTIONS.get(regs[res], "Keep in reserve")
    out = pd.concat([st[["label"]], reg, st[["budget", "spent", "remaining"]]], axis=1)
    out["action"] = actions
    out["deploy_now"] = np.round(deploy, 2)
    out["rebalance_change"] = np.round(change, 2)
    return out


def deployment_curve(
    vix_levels: Any = None,
    *,
    rules: pd.DataFrame = DEPLOYMENT_RULES,
    thresholds: Mapping[str, Thresholds] | None = None,
) -> pd.DataFrame:
    """Budget deployment as a function of VIX (the source article's Figure 06).

    For each VIX level: its regime, the fraction of remaining premium budget to
    deploy now, and the fraction moved to rebalance cash. Default grid: VIX 10…45.
    """
    v = np.arange(10.0, 46.0) if vix_levels is None else coerce.vector(vix_levels, "vix_levels", blank=np.nan)
    v = v[~np.isnan(v)]
    if (v < 0).any():
        raise InputError(f"must be ≥ 0, got {v[v < 0][0]:g}", where="vix_levels")
    r = _check_rules(rules)
    t = thresholds_for("VIX", thresholds)
    regs = classify(v, t.low, t.high).tolist()
    return pd.DataFrame(
        {
            "vix": v,
            "regime": regs,
            "deploy": r.loc[regs, "deploy"].to_numpy(dtype=np.float64),
            "to_rebalance": r.loc[regs, "to_rebalance"].to_numpy(dtype=np.float64),
        }
    )
