"""The common-mistakes checks (docs/methodology/checks.md, Cross-Asset Hedging §11): catch structural hedging errors.

"None of them are about being wrong on direction" (Cross-Asset Hedging §11). Each check reads the
book (:mod:`xlhedge.engine.hedgebook`: positions × fields, positions × factor betas),
the protection ledger (:func:`xlhedge.engine.budget.ledger_frame`) and a few book-level
fields, and returns :class:`Finding` objects: a code, a severity (``error``,
``warning``, ``info``), one sentence in a trader's words naming the positions
and the numbers, and the fix the source article prescribes.

=================  ========================================================================
code               fires when (tolerances from :data:`DEFAULT_TOLERANCES`, *editable*)
=================  ========================================================================
OVER_HEDGE         more than ``position_hedges_max`` hedges each cover one position
                   (warning); a factor's hedge ratio −H/U exceeds ``over_hedge_ratio``, or a
                   hedge sits on a factor the book does not hold (error)
WRONG_FACTOR       a material factor or tilt, at least ``dominance`` × the size of a hedged
                   factor, is hedged below ``coverage_min`` while hedges sit elsewhere
FX_UNDECIDED       non-record-currency exposure with no FX decision (warning; info below
                   ``fx_min_weight`` of NAV)
LATE_PROTECTION    protection bought (ledger, last ``late_lookback_days``) while its vol
                   index was ``high`` (docs/methodology/regimes.md)
STALE_HEDGE        |hedge ratio − target| > ``drift_pp``, or the book last decomposed more
                   than ``decomposition_days`` ago (or never)
STRESS_FLIP        a hedge's stress correlation to SPX has the wrong sign for the book
ROLL_DUE           a dated position expires within ``roll_days`` (warning) or has expired
                   (error)
FUNDING_DRAG       a perp pays funding above ``funding_annual_max`` a year of its value
LIQUIDATION_NEAR   price within ``liquidation_warn`` (warning) / ``liquidation_error``
                   (error) of the liquidation price
THETA_OVER_BUDGET  the options held against a budget bucket bleed more theta a year than
                   ``theta_budget_max`` × that bucket's annual budget (warning)
=================  ========================================================================
"""

from __future__ import annotations

import datetime as _dt
import inspect
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine.budget import BUCKET_LABELS, as_date, ledger_frame
from xlhedge.engine.errors import InputError
from xlhedge.engine.hedgebook import MATERIALITY, book_tables, cell_float, hedge_state
from xlhedge.engine.hedgebook import materiality as factor_materiality
from xlhedge.engine.regimes import thresholds_for, vol_regime
from xlhedge.engine.schema import factor_name

__all__ = [
    "Finding",
    "SEVERITIES",
    "CHECK_CODES",
    "FIXES",
    "DEFAULT_TOLERANCES",
    "TOLERANCE_DOCS",
    "STRESS_CORRELATIONS",
    "run_checks",
    "findings_frame",
    "tolerances_table",
    "check_over_hedge",
    "check_wrong_factor",
    "check_fx_undecided",
    "check_late_protection",
    "check_stale_hedge",
    "check_stress_flip",
    "check_roll_due",
    "check_funding_drag",
    "check_liquidation_near",
    "check_theta_budget",
]

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")

CHECK_CODES: tuple[str, ...] = (
    "OVER_HEDGE",
    "WRONG_FACTOR",
    "FX_UNDECIDED",
    "LATE_PROTECTION",
    "STALE_HEDGE",
    "STRESS_FLIP",
    "ROLL_DUE",
    "FUNDING_DRAG",
    "LIQUIDATION_NEAR",
    "THETA_OVER_BUDGET",
)


@dataclass(frozen=True)
class Finding:
    """One result of a check.

    Attributes
    ----------
    code : one of :data:`CHECK_CODES`.
    severity : ``"error"`` (the book is wrong now), ``"warning"`` (a mistake to fix),
        ``"info"`` (worth a look).
    message : one sentence naming the positions and the numbers.
    positions : tickers (or ledger instruments) concerned.
    fix : what the source article prescribes.
    """

    code: str
    severity: str
    message: str
    positions: tuple[str, ...] = field(default_factory=tuple)
    fix: str = ""

    def as_row(self) -> list[str]:
        """``[code, severity, message, positions, fix]`` as a worksheet row."""
        return [self.code, self.severity, self.message, ", ".join(self.positions), self.fix]

    def __str__(self) -> str:
        return f"{self.severity.upper():7} {self.code}: {self.message}"


#: The fix each check prescribes (Cross-Asset Hedging §02, §04, §07, §10, §11; docs/methodology/perpetuals.md). *Editable* text.
FIXES: dict[str, str] = {
    "OVER_HEDGE": "Hedge factor exposures, not trades (Cross-Asset Hedging §02): one hedge per factor, sized to the target ratio; cut any hedge larger than its exposure.",
    "WRONG_FACTOR": "Hedge the dominant factor (Cross-Asset Hedging §11): e.g. short XLE or WTI against an energy book, not SPX.",
    "FX_UNDECIDED": "Decide explicitly for each non-record-currency position: hedge it, accept it as thesis, or avoid it, and record the decision (Cross-Asset Hedging §07, §11).",
    "LATE_PROTECTION": "Buy protection when vol is low (VIX below 18), not above 28; in a high regime hold, monetise, and move marginal budget to rebalance cash (Cross-Asset Hedging §10).",
    "STALE_HEDGE": "Weekly: re-decompose the book, recompute factor exposures and resize the hedges to target (Cross-Asset Hedging §11; see REBALANCE).",
    "STRESS_FLIP": "Do not count it as stress protection: size on stress correlations or pair it with a stress-robust hedge such as SPX puts or long vol (Cross-Asset Hedging §04).",
    "ROLL_DUE": "Roll the expiring position into the next contract before expiry (Cross-Asset Hedging §10: maintain and roll).",
    "FUNDING_DRAG": "Compare the funding cost with a dated future or puts, or shrink the perp hedge (docs/methodology/perpetuals.md: shorts pay when funding is negative).",
    "LIQUIDATION_NEAR": "Add margin or cut leverage: a hedge liquidated in the move it was meant to cover protects nothing (docs/methodology/perpetuals.md).",
    "THETA_OVER_BUDGET": "Keep protection within its budget bucket (Cross-Asset Hedging §09): fewer or cheaper options (further out of the money, put spreads, longer dated), or move budget to the bucket on the Budget sheet.",
}

#: Tolerances of the checks (*editable*; the template's Checks sheet shows them).
DEFAULT_TOLERANCES: dict[str, float] = {
    "position_hedges_max": 2,
    "over_hedge_ratio": 1.0,
    "coverage_min": 0.25,
    "dominance": 0.75,
    "fx_min_weight": 0.01,
    "late_lookback_days": 365,
    "drift_pp": 10.0,
    "decomposition_days": 7,
    "roll_days": 5,
    "funding_annual_max": 0.10,
    "liquidation_warn": 0.15,
    "liquidation_error": 0.05,
    "stress_flip_corr": 0.0,
    "theta_budget_max": 1.0,
    "materiality": MATERIALITY["equity"],
    "materiality_duration": MATERIALITY["duration"],
}

#: key -> (label shown on the sheet, unit, what it does).
TOLERANCE_DOCS: dict[str, tuple[str, str, str]] = {
    "position_hedges_max": (
        "Single-position hedges allowed",
        "count",
        "OVER_HEDGE when more hedges each cover one position",
    ),
    "over_hedge_ratio": (
        "Max hedge ratio per factor",
        "ratio",
        "OVER_HEDGE when a factor's hedge ratio −H/U is above it",
    ),
    "coverage_min": ("Hedged from ratio", "ratio", "WRONG_FACTOR: a factor hedged below this counts as unhedged"),
    "dominance": ("Dominant factor share", "ratio", "WRONG_FACTOR: open factor ≥ this × the hedged factor's size"),
    "fx_min_weight": ("FX exposure for a warning", "NAV fraction", "FX_UNDECIDED below this is info"),
    "late_lookback_days": ("Protection look-back", "days", "LATE_PROTECTION reads ledger rows this recent"),
    "drift_pp": ("Hedge ratio drift tolerance", "pp", "STALE_HEDGE and REBALANCE flag drift beyond it"),
    "decomposition_days": ("Re-decompose every", "days", "STALE_HEDGE when the last decomposition is older"),
    "roll_days": ("Roll warning", "days", "ROLL_DUE this many days before expiry"),
    "funding_annual_max": ("Funding cost tolerated", "per year", "FUNDING_DRAG above this annualised cost"),
    "liquidation_warn": ("Liquidation distance warning", "fraction of price", "LIQUIDATION_NEAR warning within it"),
    "liquidation_error": ("Liquidation distance error", "fraction of price", "LIQUIDATION_NEAR error within it"),
    "stress_flip_corr": (
        "Stress correlation limit",
        "correlation",
        "STRESS_FLIP when the hedge's stress correlation with the book is above it",
    ),
    "theta_budget_max": (
        "Theta tolerated per budget",
        "ratio",
        "THETA_OVER_BUDGET when the options' theta a year is above this × their budget bucket",
    ),
    "materiality": ("Material factor exposure", "NAV fraction × beta", "smallest exposure that counts"),
    "materiality_duration": ("Material duration exposure", "years", "smallest duration exposure that counts"),
}

#: Correlation to SPX (normal, stress) by ticker, used when a position gives none (docs/methodology/estimation.md
#: table, *editable*, "illustrative, recompute").
STRESS_CORRELATIONS: dict[str, tuple[float, float]] = {
    **{t: (-0.3, 0.4) for t in ("TLT", "IEF", "SHY", "ZN", "ZB", "ZF", "UB", "TN", "GOVT", "EDV", "ZROZ")},
    **{t: (-0.4, 0.2) for t in ("UUP", "DXY", "DX")},
    **{t: (0.1, -0.2) for t in ("GLD", "IAU", "GC", "MGC")},
    **{t: (0.4, 0.7) for t in ("BTC", "MBT", "IBIT", "BTC-PERP", "BTCUSD", "BTCUSDT")},
}
_ASSET_CLASS_CORRELATIONS: dict[str, tuple[float, float]] = {"rates": (-0.3, 0.4)}

_EPS = 1e-9


# --------------------------------------------------------------------------- words


def _money(x: float, ccy: str) -> str:
    sym = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}.get(ccy.upper())
    return f"{sym}{x:,.0f}" if sym else f"{x:,.0f} {ccy}"


def _pct(x: float) -> str:
    """Signed % of NAV, two decimals below 1% so 0.45% does not print as 0.4%."""
    return f"{x:+.2%}" if abs(x) < 0.01 else f"{x:+.1%}"


def _expo(f: str, x: float) -> str:
    if f == "duration":
        return f"{x:+.2f} years"
    if f == "vol":
        return f"{x:+.3f}% of NAV per vol point"
    return f"{_pct(x)} of NAV"


def _names(tickers: list[str], limit: int = 4) -> str:
    if len(tickers) <= limit:
        return ", ".join(tickers)
    return ", ".join(tickers[:limit]) + f" and {len(tickers) - limit} more"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _top(contrib: np.ndarray, tickers: np.ndarray, k: int = 3) -> list[str]:
    order = np.argsort(-np.abs(contrib), kind="stable")
    return [str(tickers[i]) for i in order[:k] if abs(contrib[i]) > 0]


def _mat_table(materiality: float, materiality_duration: float) -> dict[str, float]:
    t = {k: materiality for k in MATERIALITY}
    t["duration"] = materiality_duration
    return t


# --------------------------------------------------------------------------- checks


def check_over_hedge(
    fields: pd.DataFrame,
    betas: pd.DataFrame,
    *,
    position_hedges_max: float = DEFAULT_TOLERANCES["position_hedges_max"],
    over_hedge_ratio: float = DEFAULT_TOLERANCES["over_hedge_ratio"],
    materiality: float = DEFAULT_TOLERANCES["materiality"],
    materiality_duration: float = DEFAULT_TOLERANCES["materiality_duration"],
) -> list[Finding]:
    """OVER_HEDGE: per-position hedges where one factor hedge would do; a factor over-hedged.

    A factor is over-hedged when h_f = −H_f/U_f > ``over_hedge_ratio`` (the net
    exposure has flipped sign for the default 1.0), or when a material hedge sits
    on a factor the book itself does not hold (|U_f| below materiality).
    """
    out: list[Finding] = []
    mt = _mat_table(materiality, materiality_duration)
    hedge = fields["is_hedge"].to_numpy(dtype=bool)
    book = set(fields.index[~hedge])
    single = fields[hedge & fields["hedge_for"].isin(book).to_numpy()]
    state = hedge_state(fields, betas, materiality_table=mt)
    if len(single) > position_hedges_max:
        pairs = [f"{t} on {p}" for t, p in zip(single.index, single["hedge_for"])]
        covered = [f for f in state.index if any(t in str(state.at[f, "hedges"]).split(", ") for t in single.index)]
        fac = _and([factor_name(f) for f in covered]) if covered else "one factor"
        out.append(
            Finding(
                "OVER_HEDGE",
                "warning",
                f"{len(single)} hedges each cover a single position ({_names(pairs)}): "
                f"they all hedge the book's {fac}, which one factor hedge covers.",
                tuple(single.index),
                FIXES["OVER_HEDGE"],
            )
        )
    for key, r in state.iterrows():
        f = str(key)
        mat = factor_materiality(f, mt)
        if not r["hedges"]:
            continue
        tick = tuple(r["hedges"].split(", "))
        if not r["material"] and abs(r["assigned"]) >= mat:
            out.append(
                Finding(
                    "OVER_HEDGE",
                    "error",
                    f"{'The hedges' if len(tick) > 1 else 'The hedge'} {_names(list(tick))} "
                    f"{'put' if len(tick) > 1 else 'puts'} {_expo(f, r['assigned'])} of {factor_name(f)} on a book that holds "
                    f"only {_expo(f, r['exposure'])}: the hedge is a new directional position.",
                    tick,
                    FIXES["OVER_HEDGE"],
                )
            )
        elif r["ratio"] > over_hedge_ratio + _EPS:
            out.append(
                Finding(
                    "OVER_HEDGE",
                    "error",
                    f"The {factor_name(f)} hedge ({_names(list(tick))}, {_expo(f, r['hedge'])}) is {r['ratio']:.0%} of the "
                    f"book's {_expo(f, r['exposure'])}: net {factor_name(f)} has flipped to {_expo(f, r['net'])}.",
                    tick,
                    FIXES["OVER_HEDGE"],
                )
            )
    return out


def check_wrong_factor(
    fields: pd.DataFrame,
    betas: pd.DataFrame,
    *,
    coverage_min: float = DEFAULT_TOLERANCES["coverage_min"],
    dominance: float = DEFAULT_TOLERANCES["dominance"],
    materiality: float = DEFAULT_TOLERANCES["materiality"],
    materiality_duration: float = DEFAULT_TOLERANCES["materiality_duration"],
) -> list[Finding]:
    """WRONG_FACTOR: the dominant factor or tilt is left open while the hedges sit elsewhere.

    Sizes are compared in materiality units, s_f = |U_f| / materiality_f. A
    factor f is *open* when material and hedged below ``coverage_min`` (a token
    hedge on it does not close it); it is reported when some other factor g
    carrying a material hedge has s_f ≥ dominance · s_g.
    """
    mt = _mat_table(materiality, materiality_duration)
    state = hedge_state(fields, betas, materiality_table=mt)
    mat = np.array([factor_materiality(f, mt) for f in state.index])
    hedged = np.abs(state["assigned"].to_numpy()) >= mat
    if not hedged.any():
        return []
    size = np.abs(state["exposure"].to_numpy()) / mat
    ratio = state["ratio"].to_numpy()
    open_ = state["material"].to_numpy() & ~(ratio >= coverage_min)
    hedged_size = np.maximum(size, np.abs(state["assigned"].to_numpy()) / mat)[hedged]
    g_idx = np.flatnonzero(hedged)
    out = []
    hedge = fields["is_hedge"].to_numpy(dtype=bool)
    book_ticks = fields.index.to_numpy()[~hedge]
    for j in np.flatnonzero(open_):
        beaten = (hedged_size * dominance <= size[j] + _EPS) & (g_idx != j)
        if not beaten.any():
            continue
        f = str(state.index[int(j)])
        g = state.index[g_idx[beaten][int(np.argmax(hedged_size[beaten]))]]
        hedge_ticks = str(state.at[g, "hedges"]).split(", ")
        contrib = betas[f].to_numpy()[~hedge] * fields["weight"].to_numpy()[~hedge]
        top = _top(contrib, book_ticks)
        out.append(
            Finding(
                "WRONG_FACTOR",
                "warning",
                f"The book's {factor_name(f)} is {_expo(f, cell_float(state, f, 'exposure'))} ({_names(top)}) and unhedged, "
                f"while {'the hedges' if len(hedge_ticks) > 1 else 'the hedge'} ({_names(hedge_ticks)}) "
                f"{'sit' if len(hedge_ticks) > 1 else 'sits'} on {factor_name(g)}.",
                tuple(top) + tuple(hedge_ticks),
                FIXES["WRONG_FACTOR"],
            )
        )
    return out


def check_fx_undecided(
    fields: pd.DataFrame,
    *,
    record_currency: str = "USD",
    fx_min_weight: float = DEFAULT_TOLERANCES["fx_min_weight"],
) -> list[Finding]:
    """FX_UNDECIDED: non-record-currency exposure with no recorded decision, one finding per currency.

    A position's FX exposure is weight × FX share in its FX exposure currency
    (blank: its listing currency, share 1). Hedges are not counted. Warning when
    the undecided exposure in a currency is ≥ ``fx_min_weight`` of NAV, else info.
    """
    rec = record_currency.strip().upper()
    ccy = fields["fx_currency"].where(fields["fx_currency"] != "", fields["currency"]).str.upper()
    ccy = ccy.where(ccy != "", rec)
    share = fields["fx_share"].fillna(1.0).to_numpy(dtype=np.float64)
    e = fields["weight"].to_numpy(dtype=np.float64) * share
    mask = (
        (~fields["is_hedge"].to_numpy(dtype=bool))
        & (ccy.to_numpy() != rec)
        & (e != 0)
        & (fields["fx_decision"].to_numpy() == "")
    )
    if not mask.any():
        return []
    df = pd.DataFrame({"ccy": ccy.to_numpy()[mask], "e": e[mask]}, index=fields.index[mask])
    out = []
    for c, grp in df.groupby("ccy", sort=True):
        total = float(grp["e"].sum())
        gross = float(grp["e"].abs().sum())
        parts = [f"{t} {_pct(v)}" for t, v in zip(grp.index, grp["e"])]
        sev = "warning" if gross >= fx_min_weight else "info"
        out.append(
            Finding(
                "FX_UNDECIDED",
                sev,
                f"{c} exposure of {_pct(total)} of NAV ({_names(parts)}) has no recorded FX decision: "
                f"part of its P&L will be the {c}/{rec} move.",
                tuple(grp.index),
                FIXES["FX_UNDECIDED"],
            )
        )
    return out


def check_late_protection(
    ledger: pd.DataFrame,
    *,
    today: _dt.date,
    vol_levels: Mapping[str, float] | None = None,
    record_currency: str = "USD",
    late_lookback_days: float = DEFAULT_TOLERANCES["late_lookback_days"],
    thresholds: Mapping[str, Any] | None = None,
) -> list[Finding]:
    """LATE_PROTECTION: premium paid while the purchase's vol index was ``high`` (docs/methodology/regimes.md).

    Reads ledger rows with premium > 0 outside the rebalance reserve dated within
    ``late_lookback_days`` of ``today``. The index level is the row's ``vol_level``;
    a row dated today with no level uses today's level from ``vol_levels``.
    """
    if ledger is None or len(ledger) == 0:
        return []
    levels = {k.upper(): v for k, v in (vol_levels or {}).items()}
    lookback = coerce.whole_number(late_lookback_days, "late_lookback_days", minimum=0, maximum=36_500)
    start = today - _dt.timedelta(days=lookback)
    out = []
    for _, r in ledger.iterrows():
        if not (r["premium"] > 0 and r["bucket"] != "rebalance" and start <= r["date"] <= today):
            continue
        lvl = r["vol_level"]
        if (lvl is None or math.isnan(lvl)) and r["date"] == today:
            lvl = levels.get(r["vol_index"], math.nan)
        if lvl is None or math.isnan(lvl):
            continue
        if vol_regime(float(lvl), r["vol_index"], thresholds=thresholds) != "high":
            continue
        hi = thresholds_for(r["vol_index"], thresholds).high
        name = r["instrument"] or "protection"
        out.append(
            Finding(
                "LATE_PROTECTION",
                "warning",
                f"{name} ({BUCKET_LABELS[r['bucket']].lower()}) was bought on {r['date']:%Y-%m-%d} for "
                f"{_money(r['premium'], record_currency)} with {r['vol_index']} at {lvl:g}, above {hi:g}: "
                "protection bought after the move is at its most expensive.",
                (name,),
                FIXES["LATE_PROTECTION"],
            )
        )
    return out


def check_stale_hedge(
    fields: pd.DataFrame,
    betas: pd.DataFrame,
    *,
    today: _dt.date,
    last_decomposition: _dt.date | None,
    drift_pp: float = DEFAULT_TOLERANCES["drift_pp"],
    decomposition_days: float = DEFAULT_TOLERANCES["decomposition_days"],
    materiality: float = DEFAULT_TOLERANCES["materiality"],
    materiality_duration: float = DEFAULT_TOLERANCES["materiality_duration"],
) -> list[Finding]:
    """STALE_HEDGE: hedge ratio off target by more than ``drift_pp``; book not re-decomposed.

    The decomposition test applies to every book (exposures go stale with or
    without hedges): older than ``decomposition_days`` before ``today``, or no date.

    Drift is (h_f − target_f) in percentage points, h_f = −H_f/U_f (see
    :func:`xlhedge.engine.hedgebook.hedge_state`). Only factors with hedges and a target.
    """
    out = []
    hedge_ticks = tuple(fields.index[fields["is_hedge"].to_numpy(dtype=bool)])
    state = hedge_state(fields, betas, materiality_table=_mat_table(materiality, materiality_duration))
    for key, r in state.iterrows():
        f = str(key)
        if not r["hedges"] or math.isnan(r["drift_pp"]):
            continue
        if abs(r["drift_pp"]) > drift_pp + _EPS:
            out.append(
                Finding(
                    "STALE_HEDGE",
                    "warning",
                    f"The {factor_name(f)} hedge ({r['hedges']}) now covers {r['ratio']:.0%} of the book's "
                    f"{_expo(f, r['exposure'])} against a {r['target']:.0%} target: {r['drift_pp']:+.0f} pp, "
                    f"beyond the {drift_pp:g} pp tolerance.",
                    tuple(r["hedges"].split(", ")),
                    FIXES["STALE_HEDGE"],
                )
            )
    sized = "the hedges are sized" if hedge_ticks else "any hedge would be sized"
    if last_decomposition is None:
        out.append(
            Finding(
                "STALE_HEDGE",
                "warning",
                f"The book has no last-decomposition date: nothing shows {sized} on current exposures.",
                hedge_ticks,
                FIXES["STALE_HEDGE"],
            )
        )
    else:
        age = (today - last_decomposition).days
        if age > decomposition_days:
            out.append(
                Finding(
                    "STALE_HEDGE",
                    "warning",
                    f"The book was last decomposed on {last_decomposition:%Y-%m-%d}, {age} days ago (limit "
                    f"{decomposition_days:g} days): {sized} on stale exposures.",
                    hedge_ticks,
                    FIXES["STALE_HEDGE"],
                )
            )
    return out


def check_stress_flip(
    fields: pd.DataFrame,
    betas: pd.DataFrame,
    *,
    stress_flip_corr: float = DEFAULT_TOLERANCES["stress_flip_corr"],
    correlations: Mapping[str, tuple[float, float]] = STRESS_CORRELATIONS,
    materiality: float = DEFAULT_TOLERANCES["materiality"],
) -> list[Finding]:
    """STRESS_FLIP: a hedge whose stress correlation with the book has the wrong sign (Cross-Asset Hedging §04).

    With s = sign(U_equity) and a hedge of sign σ = sign(w), its correlation with
    the book is σ·s·ρ. A hedge should offset the book (< 0); it is reported when
    σ·s·ρ_stress > ``stress_flip_corr``. ρ comes from the position's
    ``corr_stress``/``corr_normal`` fields, else :data:`STRESS_CORRELATIONS` by
    ticker (e.g. TLT −0.3 normal, +0.4 stress). Needs a material equity exposure.
    """
    if "equity" not in betas.columns:
        return []
    hedge = fields["is_hedge"].to_numpy(dtype=bool)
    w = fields["weight"].to_numpy(dtype=np.float64)
    u_eq = float(betas["equity"].to_numpy()[~hedge] @ w[~hedge])
    if abs(u_eq) < materiality:
        return []
    s = math.copysign(1.0, u_eq)
    out = []
    for t, r in fields[hedge].iterrows():
        default = correlations.get(str(t).upper()) or _ASSET_CLASS_CORRELATIONS.get(str(r["asset_class"]).lower())
        cn, cs = r["corr_normal"], r["corr_stress"]
        if math.isnan(cs) and default:
            cs = default[1]
            cn = default[0] if math.isnan(cn) else cn
        if math.isnan(cs) or r["weight"] == 0:
            continue
        sig = math.copysign(1.0, r["weight"])
        if sig * s * cs > stress_flip_corr + _EPS:
            side = "long" if sig > 0 else "short"
            normal = f" (normal {cn:+.2f})" if not math.isnan(cn) else ""
            out.append(
                Finding(
                    "STRESS_FLIP",
                    "warning",
                    f"{t} ({side} {abs(r['weight']):.1%} of NAV) is meant to offset the book's equity risk, but its "
                    f"correlation to SPX turns {cs:+.2f} in stress{normal}: it loses with the book when it is needed.",
                    (str(t),),
                    FIXES["STRESS_FLIP"],
                )
            )
    return out


def check_roll_due(
    fields: pd.DataFrame,
    *,
    today: _dt.date,
    roll_days: float = DEFAULT_TOLERANCES["roll_days"],
) -> list[Finding]:
    """ROLL_DUE: a dated future/option expires within ``roll_days`` calendar days (docs/methodology/perpetuals.md); expired = error.

    A position counts when it is held: a non-zero weight, or option contracts held (an option
    far out of the money, or expired, has a delta exposure — its weight — of 0).
    """
    exp = fields["expiry"].to_numpy(dtype=object)
    w = fields["weight"].to_numpy(dtype=np.float64)
    held = w != 0
    if "contracts" in fields:
        n = pd.to_numeric(fields["contracts"], errors="coerce").to_numpy(dtype=np.float64)
        held |= np.isfinite(n) & (n != 0)
    is_hedge = fields["is_hedge"].to_numpy(dtype=bool)
    out = []
    dated = np.fromiter((isinstance(e, _dt.date) for e in exp), dtype=bool, count=len(exp))
    for j in np.flatnonzero(dated & held):
        t, e = fields.index[int(j)], exp[j]
        days = (e - today).days
        what = "hedge" if is_hedge[j] else "position"
        if days < 0:
            out.append(
                Finding(
                    "ROLL_DUE",
                    "error",
                    f"{t} expired on {e:%Y-%m-%d}, {-days} days ago: the {what} the book counts on is no longer there.",
                    (str(t),),
                    FIXES["ROLL_DUE"],
                )
            )
        elif days <= roll_days:
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            out.append(
                Finding(
                    "ROLL_DUE",
                    "warning",
                    f"{t} expires on {e:%Y-%m-%d}, {when} (roll window {roll_days:g} days): roll the {what} out now.",
                    (str(t),),
                    FIXES["ROLL_DUE"],
                )
            )
    return out


def check_funding_drag(
    fields: pd.DataFrame,
    *,
    nav: float | None = None,
    record_currency: str = "USD",
    funding_annual_max: float = DEFAULT_TOLERANCES["funding_annual_max"],
) -> list[Finding]:
    """FUNDING_DRAG: a perpetual paying funding above ``funding_annual_max`` a year of its value.

    docs/methodology/perpetuals.md: a positive rate means longs pay shorts. Annual cost as a fraction
    of the position's value = sign(w) · rate · periods per day · 365 (> 0 = pays).
    """
    rate = fields["funding_rate"].to_numpy(dtype=np.float64)
    w = fields["weight"].to_numpy(dtype=np.float64)
    ppd = fields["funding_periods"].fillna(3.0).to_numpy(dtype=np.float64)
    cost = np.sign(w) * rate * ppd * 365.0
    out = []
    for j in np.flatnonzero(~np.isnan(rate) & (w != 0) & (cost > funding_annual_max + _EPS)):
        t = fields.index[int(j)]
        side = "long" if w[j] > 0 else "short"
        nav_cost = cost[j] * abs(w[j])
        money = f", about {_money(nav_cost * nav, record_currency)} a year" if nav else ""
        out.append(
            Finding(
                "FUNDING_DRAG",
                "warning",
                f"{t} ({side} {abs(w[j]):.1%} of NAV) pays funding at {rate[j]:+.4%} per period: {cost[j]:.1%} a year "
                f"of its value, {nav_cost:.2%} of NAV{money}.",
                (str(t),),
                FIXES["FUNDING_DRAG"],
            )
        )
    return out


def check_liquidation_near(
    fields: pd.DataFrame,
    *,
    liquidation_warn: float = DEFAULT_TOLERANCES["liquidation_warn"],
    liquidation_error: float = DEFAULT_TOLERANCES["liquidation_error"],
) -> list[Finding]:
    """LIQUIDATION_NEAR: price close to a margined position's liquidation price.

    Distance d = (P − P_liq)/P for a long, (P_liq − P)/P for a short (P_liq from
    the exchanges' simplified isolated-margin formula, docs/methodology/perpetuals.md). d ≤
    ``liquidation_error`` (or past it) is an error, d ≤ ``liquidation_warn`` a warning;
    with a daily vol the distance is also given in daily σ.
    """
    p = fields["price"].to_numpy(dtype=np.float64)
    liq = fields["liquidation_price"].to_numpy(dtype=np.float64)
    w = fields["weight"].to_numpy(dtype=np.float64)
    ok = ~np.isnan(p) & ~np.isnan(liq) & (w != 0) & (p > 0)
    d = np.full(p.shape, np.nan)
    d[ok] = np.where(w[ok] > 0, p[ok] - liq[ok], liq[ok] - p[ok]) / p[ok]
    vol = fields["daily_vol"].to_numpy(dtype=np.float64)
    out = []
    for j in np.flatnonzero(ok & (d <= liquidation_warn + _EPS)):
        t = fields.index[int(j)]
        side = "long" if w[j] > 0 else "short"
        sev = "error" if d[j] <= liquidation_error + _EPS else "warning"
        if d[j] <= 0:
            where = f"is past its liquidation price {liq[j]:,.2f} at {p[j]:,.2f}"
        else:
            sig = f", {d[j] / vol[j]:.1f} daily σ" if vol[j] > 0 else ""
            where = f"at {p[j]:,.2f} is {d[j]:.1%} from its liquidation price {liq[j]:,.2f}{sig}"
        out.append(
            Finding(
                "LIQUIDATION_NEAR",
                sev,
                f"{t} ({side}) {where} (simplified isolated-margin estimate).",
                (str(t),),
                FIXES["LIQUIDATION_NEAR"],
            )
        )
    return out


def _theta_frame(theta: Any) -> pd.DataFrame:
    """The theta-vs-budget table (:func:`xlhedge.engine.optionbook.theta_budget`'s frame, or the rows
    ``[bucket, theta per year, budget, theta / budget, options]`` of ``=OPTION_THETA_BUDGET``)
    as a frame indexed by bucket key with ``theta_year``, ``budget`` and ``options``."""
    from xlhedge.engine.budget import normalise_bucket

    cols = ["theta_year", "budget", "options"]
    if theta is None:
        return pd.DataFrame(columns=cols)
    if isinstance(theta, pd.DataFrame):
        out = pd.DataFrame(
            {
                "theta_year": pd.to_numeric(theta["theta_year"], errors="coerce").to_numpy(dtype=float),
                "budget": pd.to_numeric(theta["budget"], errors="coerce").to_numpy(dtype=float),
                "options": [str(v) for v in theta["options"]] if "options" in theta else [""] * len(theta),
            },
            index=[normalise_bucket(k, "theta budget") for k in theta.index],
        )
        return out
    g = coerce.grid(theta, "theta_budget")
    if g.shape[1] < 3:
        raise InputError(
            "needs the OPTION_THETA_BUDGET columns (bucket, theta per year, budget, …)", where="theta_budget"
        )
    rows, idx = [], []
    for i in range(g.shape[0]):
        lab = g[i, 0]
        if coerce.is_blank(lab) or (isinstance(lab, str) and lab.strip().lower() == "bucket"):
            continue  # a blank row of the fixed range, or a header row
        if any(_shows_error(v) for v in g[i]):
            continue  # the table could not be computed (its own cell shows why): nothing to check
        where = f"theta_budget row {i + 1}"
        idx.append(normalise_bucket(lab, where))
        th = coerce.to_float(g[i : i + 1, 1:2], where, blank=0.0)[0, 0]
        bu = coerce.to_float(g[i : i + 1, 2:3], where, blank=np.nan)[0, 0]
        opts = "" if g.shape[1] < 5 or coerce.is_blank(g[i, 4]) else str(g[i, 4]).strip()
        rows.append([float(th), float(bu), opts])
    return pd.DataFrame(rows, index=idx, columns=cols)


def _shows_error(v: Any) -> bool:
    """An error value, or the text a cell shows for one (``#NAME? why``)."""
    if coerce.is_error_value(v):
        return True
    return isinstance(v, str) and any(v.strip().upper().startswith(e) for e in coerce.EXCEL_ERRORS)


def check_theta_budget(
    theta: Any,
    *,
    nav: float | None = None,
    record_currency: str = "USD",
    theta_budget_max: float = DEFAULT_TOLERANCES["theta_budget_max"],
) -> list[Finding]:
    """THETA_OVER_BUDGET: the options held against a budget bucket bleed more than it allows a year.

    ``theta`` is the theta-vs-budget table (docs/methodology/options.md): per bucket, the options'
    annualised theta θ_year = −365 × Σ theta per day (currency a year at today's Greeks, > 0 a
    cost) and the bucket's annual budget B (docs/methodology/budget.md). A bucket is reported when
    θ_year > ``theta_budget_max`` × B (default 1: the bleed alone spends the whole bucket), or
    when θ_year > 0 and the bucket has no budget. Options that earn theta (short options,
    θ_year ≤ 0) are never reported.
    """
    t = _theta_frame(theta)
    out = []
    for key, r in t.iterrows():
        bleed, budget = float(r["theta_year"]), float(r["budget"])
        if not bleed > _EPS:
            continue
        label = BUCKET_LABELS.get(str(key), str(key)).lower()
        opts = tuple(o.strip() for o in str(r["options"]).split(",") if o.strip())
        held = f" ({_names(list(opts))})" if opts else ""
        share = f", {bleed / nav:.2%} of NAV" if nav else ""
        if not budget > 0:
            msg = (
                f"The options held against the {label} bucket{held} bleed {_money(bleed, record_currency)} a year "
                f"in theta{share}, and the bucket has no budget."
            )
        elif bleed > theta_budget_max * budget + _EPS:
            msg = (
                f"The options held against the {label} bucket{held} bleed {_money(bleed, record_currency)} a year "
                f"in theta at today's Greeks{share}: {bleed / budget:.0%} of its {_money(budget, record_currency)} "
                f"annual budget (limit {theta_budget_max:.0%})."
            )
        else:
            continue
        out.append(Finding("THETA_OVER_BUDGET", "warning", msg, opts, FIXES["THETA_OVER_BUDGET"]))
    return out


# --------------------------------------------------------------------------- all checks

_CHECKS: dict[str, Callable[..., list[Finding]]] = {
    "OVER_HEDGE": check_over_hedge,
    "WRONG_FACTOR": check_wrong_factor,
    "FX_UNDECIDED": check_fx_undecided,
    "LATE_PROTECTION": check_late_protection,
    "STALE_HEDGE": check_stale_hedge,
    "STRESS_FLIP": check_stress_flip,
    "ROLL_DUE": check_roll_due,
    "FUNDING_DRAG": check_funding_drag,
    "LIQUIDATION_NEAR": check_liquidation_near,
    "THETA_OVER_BUDGET": check_theta_budget,
}


def _tolerances(tolerances: Mapping[str, Any] | None) -> dict[str, float]:
    tol = dict(DEFAULT_TOLERANCES)
    by_label = {lab.lower(): kk for kk, (lab, _, _) in TOLERANCE_DOCS.items()}
    for k, v in (tolerances or {}).items():
        key = str(k).strip()
        if key not in tol:
            key = by_label.get(key.lower(), key)
        if key not in tol:
            raise InputError(
                f"unknown tolerance {k!r}; expected one of {', '.join(DEFAULT_TOLERANCES)}", where="tolerances"
            )
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise InputError(f"expected a number, found {v!r}", where=f"tolerance {key}") from None
        if not math.isfinite(f) or (f < 0 and key != "stress_flip_corr"):
            raise InputError(f"must be a number ≥ 0, got {v!r}", where=f"tolerance {key}")
        tol[key] = f
    if tol["liquidation_error"] > tol["liquidation_warn"]:
        raise InputError("liquidation_error must be ≤ liquidation_warn", where="tolerances")
    return tol


def run_checks(
    positions: Any,
    betas: Any = None,
    ledger: Any = None,
    *,
    today: Any = None,
    nav: float | None = None,
    record_currency: str = "USD",
    last_decomposition: Any = None,
    vol_levels: Mapping[str, float] | None = None,
    tolerances: Mapping[str, Any] | None = None,
    thresholds: Mapping[str, Any] | None = None,
    correlations: Mapping[str, tuple[float, float]] = STRESS_CORRELATIONS,
    checks: tuple[str, ...] | None = None,
    theta: Any = None,
) -> list[Finding]:
    """Run the common-mistakes checks on a book (docs/methodology/checks.md).

    Parameters
    ----------
    positions, betas : the book, see :func:`xlhedge.engine.hedgebook.book_tables`
        (DataFrame with one row per position, or the Book sheet's ranges).
    ledger : protection ledger (see :func:`xlhedge.engine.budget.ledger_frame`), optional.
    today : date of the check (default: the current date).
    nav : NAV in the currency of record (for notional weights and money amounts).
    record_currency : ISO code of the currency of record (default USD).
    last_decomposition : date the book's exposures were last recomputed.
    vol_levels : current index levels, e.g. ``{"VIX": 16.2, "MOVE": 95}``.
    tolerances : overrides of :data:`DEFAULT_TOLERANCES` (key or sheet label -> value).
    thresholds : vol regime thresholds (default :data:`xlhedge.engine.regimes.REGIME_THRESHOLDS`).
    correlations : default (normal, stress) correlations to SPX by ticker.
    checks : codes to run (default all).
    theta : the options' theta against their budget buckets for THETA_OVER_BUDGET
        (``Book.theta_budget()``, or the rows of ``=OPTION_THETA_BUDGET``); none = not checked.

    Returns
    -------
    list of :class:`Finding`, errors first, then warnings, then info, each group
    in :data:`CHECK_CODES` order.
    """
    tol = _tolerances(tolerances)
    fields, b = book_tables(positions, betas, nav=nav)
    t = as_date(today, "today") if today is not None else _dt.date.today()
    if t is None:
        t = _dt.date.today()
    ld = as_date(last_decomposition, "last_decomposition") if last_decomposition is not None else None
    led = ledger_frame(ledger)
    ccy = (str(record_currency).strip().upper() or "USD") if record_currency is not None else "USD"
    context: dict[str, Any] = {
        "fields": fields,
        "betas": b,
        "ledger": led,
        "today": t,
        "nav": nav,
        "record_currency": ccy,
        "last_decomposition": ld,
        "vol_levels": vol_levels or {},
        "thresholds": thresholds,
        "correlations": correlations,
        "theta": theta,
        **tol,
    }
    codes = CHECK_CODES if checks is None else tuple(c.strip().upper() for c in checks)
    unknown = [c for c in codes if c not in _CHECKS]
    if unknown:
        raise InputError(f"unknown check {unknown[0]!r}; expected one of {', '.join(CHECK_CODES)}", where="checks")
    found: list[Finding] = []
    for code in codes:
        fn = _CHECKS[code]
        params = inspect.signature(fn).parameters
        found.extend(fn(**{k: v for k, v in context.items() if k in params}))
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    order = {c: i for i, c in enumerate(CHECK_CODES)}
    return sorted(found, key=lambda f: (rank[f.severity], order[f.code]))


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """Findings as a table: code, severity, message, positions, fix."""
    return pd.DataFrame([f.as_row() for f in findings], columns=["code", "severity", "message", "positions", "fix"])


def tolerances_table(tolerances: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """The tolerances as the Checks sheet shows them: key, label, value, unit, what it does."""
    tol = _tolerances(tolerances)
    return pd.DataFrame(
        [(k, *TOLERANCE_DOCS[k][:1], tol[k], *TOLERANCE_DOCS[k][1:]) for k in DEFAULT_TOLERANCES],
        columns=["key", "label", "value", "unit", "doc"],
    )
