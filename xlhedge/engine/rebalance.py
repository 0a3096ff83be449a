"""Rebalance the hedges back to their target ratios (Cross-Asset Hedging §11 mistake 5: "the fix is weekly").

Per factor f with book exposure U_f, hedge exposure H_f (see
:func:`xlhedge.engine.hedgebook.hedge_state`) and target hedge ratio t_f::

    ratio        h_f  = −H_f / U_f
    drift        d_f  = (h_f − t_f) · 100                 percentage points
    target hedge H*_f = −t_f · U_f
    order        ΔH_f = H*_f − H_f                        (NAV fraction × beta)
    contracts    n_f  = round(ΔH_f · NAV / (price · multiplier · β_instrument))   halves away from zero

n > 0 buys, n < 0 sells; the instrument is the largest hedge already on the
factor (its price, multiplier and beta from the book) unless an instruments
table names another. For an option give the delta-adjusted figures (price of
the underlying, β = delta × the underlying's beta). The drift is flagged when
|d_f| exceeds the tolerance (default 10 pp, the STALE_HEDGE tolerance).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine.checks import DEFAULT_TOLERANCES
from xlhedge.engine.errors import InputError
from xlhedge.engine.hedgebook import book_tables, cell_float, hedge_state
from xlhedge.engine.schema import factor_key
from xlhedge.engine.sizing import whole_contracts

__all__ = ["rebalance", "DRIFT_TOLERANCE_PP"]

#: Default drift tolerance in percentage points (*editable*; same as STALE_HEDGE).
DRIFT_TOLERANCE_PP = DEFAULT_TOLERANCES["drift_pp"]

_COLUMNS = [
    "exposure",
    "hedge",
    "ratio",
    "target",
    "drift_pp",
    "flag",
    "instrument",
    "side",
    "contracts",
    "notional_change",
    "ratio_after",
]


def rebalance(
    positions: Any,
    betas: Any = None,
    *,
    nav: float,
    tolerance_pp: float = DRIFT_TOLERANCE_PP,
    targets: Mapping[str, float] | None = None,
    instruments: Mapping[str, Mapping[str, Any]] | None = None,
    materiality_table: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Current vs target hedge per factor, the drift, and the orders back to target.

    Parameters
    ----------
    positions, betas : the book (:func:`xlhedge.engine.hedgebook.book_tables`).
    nav : float — NAV in the currency of record, > 0.
    tolerance_pp : float — drift (percentage points) beyond which ``flag`` is True.
    targets : mapping factor -> target ratio (0–1), optional; overrides the
        hedges' own ``target_ratio`` / inception ratio.
    instruments : mapping factor -> {"instrument", "price", "multiplier", "beta"},
        optional; the hedge instrument to trade for that factor.

    Returns
    -------
    DataFrame indexed by factor, one row per factor that has a hedge or a target:
    ``exposure`` U and ``hedge`` H (NAV fraction × beta), ``ratio``, ``target``,
    ``drift_pp``, ``flag``, ``instrument``, ``side`` ("buy"/"sell"/""), ``contracts``
    (signed, whole), ``notional_change`` (currency exposure to add, ΔH·NAV),
    ``ratio_after`` (hedge ratio once the rounded order is done).
    """
    nav = coerce.scalar(nav, "nav", minimum=0.0, strict_min=True)
    if not math.isfinite(nav):
        raise InputError(f"must be a finite number, got {nav!r}", where="nav")
    fields, b = book_tables(positions, betas, nav=nav)
    tg = {factor_key(k): float(v) for k, v in (targets or {}).items()}
    unknown = [k for k in tg if k not in b.columns]
    if unknown:
        raise InputError(f"names the factor {unknown[0]!r}; the book has {', '.join(b.columns)}", where="targets")
    state = hedge_state(fields, b, targets=tg, materiality_table=materiality_table)
    ins = {factor_key(k): dict(v) for k, v in (instruments or {}).items()}
    rows = []
    for key, r in state.iterrows():
        f = str(key)
        if not r["hedges"] and f not in tg and f not in ins:
            continue
        U, H, t = float(r["exposure"]), float(r["hedge"]), float(r["target"])
        row: dict[str, Any] = {
            "factor": f,
            "exposure": U,
            "hedge": H,
            "ratio": float(r["ratio"]),
            "target": t,
            "drift_pp": float(r["drift_pp"]),
            "flag": bool(abs(r["drift_pp"]) > tolerance_pp + 1e-9),
            "instrument": "",
            "side": "",
            "contracts": math.nan,
            "notional_change": math.nan,
            "ratio_after": math.nan,
        }
        if not math.isnan(t) and r["material"]:
            dH = -t * U - H
            row["notional_change"] = dH * nav
            name, price, mult, beta = _instrument(f, r["main_hedge"], fields, b, ins)
            row["instrument"] = name
            unit = price * mult * beta
            if unit and math.isfinite(unit):
                n = float(whole_contracts(dH * nav / unit))  # halves away from zero, as everywhere
                row["contracts"] = n + 0.0
                row["side"] = "buy" if n > 0 else ("sell" if n < 0 else "")
                row["ratio_after"] = -(H + n * unit / nav) / U
        rows.append(row)
    out = pd.DataFrame(rows, columns=["factor", *_COLUMNS]).set_index("factor")
    return out


def _instrument(
    f: str, main: str, fields: pd.DataFrame, b: pd.DataFrame, ins: Mapping[str, Mapping[str, Any]]
) -> tuple[str, float, float, float]:
    if f in ins:
        spec = ins[f]
        name = str(spec.get("instrument", ""))
        try:
            price = float(spec.get("price", math.nan))
            mult = float(spec.get("multiplier", 1.0) if spec.get("multiplier") is not None else 1.0)
            beta = float(spec.get("beta", 1.0) if spec.get("beta") is not None else 1.0)
        except (TypeError, ValueError):
            raise InputError("expects numbers for price, multiplier and beta", where=f"instruments row {f}") from None
        return name, price, mult, beta
    if not main:
        return "", math.nan, math.nan, math.nan
    return main, cell_float(fields, main, "price"), cell_float(fields, main, "multiplier"), cell_float(b, main, f)
