"""Scenarios and outcome tables (docs/methodology/scenarios.md, regime correlations of docs/methodology/estimation.md / Cross-Asset Hedging §04).

* Factor-shock P&L: P&L_f = E_f · NAV · shock_f · scale_f, one column per book
  (unhedged, hedged…), per factor and total. Shocks are in each factor's own
  unit (:data:`FACTOR_SHOCKS`): equity/USD/commodity/crypto as decimal moves
  (−0.10 = −10%), duration in basis points of yield (scale −0.0001, so the
  P&L is book DV01 × bp), vol in index points (scale 0.01: the vol beta is
  % of NAV per point).
* Regime-consistent scenario: from an SPX move s, proxy j moves by
  ρ_{SPX,j} · σ_j / σ_SPX · s, with the normal and with the stress correlations
  (:data:`REGIME_DEFAULTS`, illustrative, docs/methodology/estimation.md); the proxy move becomes a
  factor shock through ``per_unit`` (TLT's price move → yield bp via its duration).
* Hedge-ratio outcome table: hedge ratio × price move → spot, hedge
  (linear or inverse contract), funding over the horizon, net.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine._typing import CORE_FACTORS, Float64Array1D
from xlhedge.engine.coerce import bounded_array, float_array
from xlhedge.engine.errors import InputError
from xlhedge.engine.factors import BASIS_POINT, default_factor_names
from xlhedge.engine.perps import CONTRACTS, PERP_DEFAULTS

__all__ = [
    "FACTOR_SHOCKS",
    "REGIME_DEFAULTS",
    "REGIME_NOTE",
    "scenario_pnl",
    "shock_table",
    "regime_shocks",
    "regime_comparison",
    "hedge_outcomes",
    "outcome_grid",
]

#: Shock unit, P&L scale and an illustrative default shock per core factor (*editable*).
FACTOR_SHOCKS = pd.DataFrame(
    {
        "unit": ["% move", "bp of yield", "% move", "% move", "% move", "vol points"],
        "scale": [1.0, -BASIS_POINT, 1.0, 1.0, 1.0, 0.01],
        "default_shock": [-0.10, 25.0, 0.02, -0.05, -0.20, 10.0],
    },
    index=pd.Index(list(CORE_FACTORS), name="factor"),
)

_TLT_DURATION = 17.0
#: docs/methodology/estimation.md typical correlations with SPX, normal vs stress (illustrative, recompute);
#: vols are illustrative annual σ of each proxy; ``per_unit`` converts a proxy move
#: into the factor's shock unit (TLT: −1/(D·0.0001) bp per unit price move).
REGIME_DEFAULTS = pd.DataFrame(
    {
        "factor": ["equity", "duration", "usd", "commodity", "crypto"],
        "vol": [0.18, 0.15, 0.08, 0.15, 0.60],
        "rho_normal": [1.0, -0.3, -0.4, 0.1, 0.4],
        "rho_stress": [1.0, 0.4, 0.2, -0.2, 0.7],
        "per_unit": [1.0, -1.0 / (_TLT_DURATION * BASIS_POINT), 1.0, 1.0, 1.0],
    },
    index=pd.Index(["SPX", "TLT", "DXY", "Gold", "BTC"], name="proxy"),
)

REGIME_NOTE = "Correlations are docs/methodology/estimation.md's typical values (illustrative, recompute against current data); vols are illustrative."


def _scales(factors: list[str], scales: Mapping[str, float] | pd.Series | None) -> Float64Array1D:
    table = FACTOR_SHOCKS["scale"] if scales is None else pd.Series(scales, dtype=np.float64)
    return np.array([float(table.get(f, 1.0)) for f in factors])


def _as_frame(exposures: Any, name: str = "exposures") -> pd.DataFrame:
    if isinstance(exposures, pd.DataFrame):
        df = exposures.astype(np.float64)
    elif isinstance(exposures, pd.Series):
        df = exposures.astype(np.float64).to_frame(exposures.name or "book")
    elif isinstance(exposures, Mapping):
        df = pd.Series(exposures, dtype=np.float64).to_frame("book")
    else:
        a = np.asarray(exposures, dtype=np.float64)
        if a.ndim == 1:
            a = a.reshape(-1, 1)
        index = default_factor_names(a.shape[0])
        df = pd.DataFrame(
            a, index=index, columns=["book"] if a.shape[1] == 1 else [f"book_{j + 1}" for j in range(a.shape[1])]
        )
    if df.isna().to_numpy().any():
        raise InputError("has a missing value", where=name)
    df.index = [str(i) for i in df.index]
    return df


def scenario_pnl(exposures: Any, shocks: Any, nav: float, *, scales: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Factor-shock P&L in currency, per factor and total (docs/methodology/scenarios.md).

    Parameters
    ----------
    exposures : E_f per factor (NAV fractions): Series, mapping, or a DataFrame with
        one column per book (e.g. unhedged, hedged); unlabelled arrays are read in
        docs/methodology/factor-model.md's core factor order.
    shocks : per factor in its unit (:data:`FACTOR_SHOCKS`): mapping/Series by
        factor (missing = 0) or an array aligned with ``exposures``' rows.
    nav : NAV in the currency of record, > 0.
    scales : override of :data:`FACTOR_SHOCKS`'s ``scale`` column.

    Returns
    -------
    DataFrame (factors + ``total`` row) × books, currency.
    """
    df = _as_frame(exposures)
    factors = list(df.index)
    if isinstance(shocks, (Mapping, pd.Series)):
        s = pd.Series(shocks, dtype=np.float64)
        unknown = [k for k in s.index if str(k) not in factors]
        if unknown:
            raise InputError(
                f"names factors not in the exposures: {', '.join(map(str, unknown))}; factors are {', '.join(factors)}",
                where="shocks",
            )
        sh = s.reindex(factors).fillna(0.0).to_numpy()
    else:
        sh = float_array(shocks, "shocks").ravel()
        if sh.size != len(factors):
            raise InputError(f"has {sh.size} values, exposures {len(factors)} factors", where="shocks")
    n = float(bounded_array(nav, "nav", low=0, low_open=True))
    pnl = df.to_numpy() * n * (sh * _scales(factors, scales))[:, np.newaxis]
    out = pd.DataFrame(pnl, index=factors, columns=df.columns)
    out.loc["total"] = out.sum(axis=0)
    return out


def shock_table(
    unhedged: Any, hedged: Any, shocks: Any, nav: float, *, scales: Mapping[str, float] | None = None
) -> pd.DataFrame:
    """Unhedged vs hedged factor-shock P&L side by side: columns unhedged, hedged, hedge_effect."""
    u = _as_frame(unhedged, "unhedged").iloc[:, 0].rename("unhedged")
    h = _as_frame(hedged, "hedged").iloc[:, 0].rename("hedged")
    if list(u.index) != list(h.index):
        h = h.reindex(u.index).fillna(0.0)
    both = pd.concat([u, h], axis=1)
    out = scenario_pnl(both, shocks, nav, scales=scales)
    out["hedge_effect"] = out["hedged"] - out["unhedged"]
    return out


def regime_shocks(spx_move: float, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Factor shocks implied by an SPX move, with normal and stress correlations (docs/methodology/scenarios.md).

    proxy move_j = ρ_{SPX,j} · σ_j / σ_SPX · s; factor shock = proxy move × per_unit.

    Returns
    -------
    DataFrame indexed by factor: proxy, move_normal, move_stress (proxy moves,
    decimals), normal, stress (factor shocks in :data:`FACTOR_SHOCKS` units).
    """
    t = REGIME_DEFAULTS if table is None else table
    missing = {"factor", "vol", "rho_normal", "rho_stress"} - set(t.columns)
    if missing:
        raise InputError(f"needs columns {', '.join(sorted(missing))}", where="regime table")
    s = float(float_array(spx_move, "spx_move"))
    if "SPX" in t.index:
        sigma_spx = float(t["vol"].astype(np.float64).loc["SPX"])
    else:
        raise InputError("needs an SPX row (its vol scales every move)", where="regime table")
    vol = float_array(t["vol"].to_numpy(), "vol")
    if (vol <= 0).any():
        raise InputError("vols must be > 0", where="regime table")
    per_unit = t["per_unit"].to_numpy(dtype=np.float64) if "per_unit" in t.columns else np.ones(len(t))
    rho_n = float_array(t["rho_normal"].to_numpy(), "rho_normal")
    rho_s = float_array(t["rho_stress"].to_numpy(), "rho_stress")
    if ((np.abs(rho_n) > 1) | (np.abs(rho_s) > 1)).any():
        raise InputError("correlations must be in [−1, 1]", where="regime table")
    beta = vol / sigma_spx
    mn = rho_n * beta * s
    ms = rho_s * beta * s
    out = pd.DataFrame(
        {
            "proxy": list(t.index),
            "move_normal": mn,
            "move_stress": ms,
            "normal": mn * per_unit,
            "stress": ms * per_unit,
        },
        index=pd.Index([str(f) for f in t["factor"]], name="factor"),
    )
    return out


def regime_comparison(
    books: Any,
    spx_move: float,
    nav: float,
    *,
    table: pd.DataFrame | None = None,
    scales: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """P&L of one or more books under the regime-consistent scenario, normal vs stress.

    Parameters
    ----------
    books : DataFrame factors × books of E_f (NAV fractions), e.g. columns
        ``book`` and ``book + TLT hedge``; a Series or mapping is one book.
    spx_move : SPX move, decimal (−0.10).

    Returns
    -------
    DataFrame (factors + total) with columns ``normal: <book>`` and ``stress: <book>``.
    A long-TLT hedge shows a gain in the normal column and a loss in the stress one.
    """
    df = _as_frame(books, "books")
    rs = regime_shocks(spx_move, table)
    parts = []
    for regime in ("normal", "stress"):
        shocks = rs[regime].reindex(df.index).fillna(0.0)
        p = scenario_pnl(df, shocks.to_numpy(), nav, scales=scales)
        p.columns = [f"{regime}: {c}" for c in df.columns]
        parts.append(p)
    return pd.concat(parts, axis=1)


def hedge_outcomes(
    spot_qty: float,
    price: float,
    ratios: Iterable[float],
    moves: Iterable[float],
    *,
    contract: str = "linear",
    funding_rate: float = 0.0,
    days: float = 0.0,
    periods_per_day: float = PERP_DEFAULTS["funding_periods_per_day"],
    face: float = 100.0,
) -> pd.DataFrame:
    """Hedge-ratio outcome table (docs/methodology/scenarios.md): ratio × price move → P&L in currency.

    Parameters
    ----------
    spot_qty : Q, coin (or units) held long, > 0.
    price : P0, entry price, > 0.
    ratios : hedge ratios in [0, 1] (0.5 = hedge half with a short).
    moves : price moves, decimals (−0.2 = −20%), > −1.
    contract : ``linear`` (short r·Q coin) or ``inverse`` (short r·Q·P0/face contracts
        of USD ``face``; its coin PnL converted at the exit price).
    funding_rate : per period, decimal; positive = the short hedge receives.
    days : horizon in days for funding; periods_per_day 3 (8-hourly).

    Returns
    -------
    Long DataFrame: ratio, move, exit, hedge_units (coin short, or contracts for
    inverse; negative = short), spot, hedge, hedge_coin (inverse only), funding, net.
    Funding accrues on the hedge's entry notional r·Q·P0.

    Notes
    -----
    Worked check (docs/methodology/scenarios.md): Q = 5, P0 = 60,000, r = 0.5, move −20% → spot −60,000,
    hedge +30,000, net −30,000. In USD at the exit price an inverse short sized
    r·Q·P0/face pays the same as the linear short; it differs in coin (collateral)
    terms, shown in ``hedge_coin``: with r = 1 spot + hedge hold USD Q·P0.
    """
    c = coerce.choice(contract, "contract", CONTRACTS)
    q = float(float_array(spot_qty, "spot_qty"))
    p0 = float(bounded_array(price, "price", low=0, low_open=True))
    r = float_array(list(ratios), "ratios").ravel()
    m = float_array(list(moves), "moves").ravel()
    if r.size == 0 or m.size == 0:
        raise InputError("needs at least one ratio and one move", where="ratios/moves")
    if ((r < 0) | (r > 1)).any():
        raise InputError(f"must be in [0, 1], got {r[(r < 0) | (r > 1)][0]:g}", where="ratios")
    if (m <= -1).any():
        raise InputError(f"must be > −1 (price stays > 0), got {m[m <= -1][0]:g}", where="moves")
    fr = float(float_array(funding_rate, "funding_rate"))
    d = float(bounded_array(days, "days", low=0))
    if c == "inverse" and not face > 0:
        raise InputError(f"must be > 0, got {face:g}", where="face")
    R, M = np.meshgrid(r, m, indexing="ij")  # rows ratio, columns move
    p1 = p0 * (1.0 + M)
    spot = q * (p1 - p0)
    notional = R * q * p0
    if c == "linear":
        units = -R * q
        hedge = units * (p1 - p0)
        coin = np.full_like(hedge, np.nan)
    else:
        units = -notional / face
        coin = units * face * (1.0 / p0 - 1.0 / p1)
        hedge = coin * p1
    funding = notional * fr * d * periods_per_day  # a short receives when fr > 0
    net = spot + hedge + funding
    spot, hedge, units, funding, net = (x + 0.0 for x in (spot, hedge, units, funding, net))  # no −0
    out = pd.DataFrame(
        {
            "ratio": R.ravel(),
            "move": M.ravel(),
            "exit": p1.ravel(),
            "hedge_units": units.ravel(),
            "spot": spot.ravel(),
            "hedge": hedge.ravel(),
            "hedge_coin": coin.ravel(),
            "funding": funding.ravel(),
            "net": net.ravel(),
        }
    )
    out.attrs["contract"] = c
    return out


def outcome_grid(table: pd.DataFrame, value: str = "net") -> pd.DataFrame:
    """Pivot :func:`hedge_outcomes` into ratios × moves of one column (default ``net``)."""
    if value not in table.columns:
        raise InputError(f"expected one of {', '.join(table.columns)}, found {value!r}", where="value")
    return table.pivot(index="ratio", columns="move", values=value)
