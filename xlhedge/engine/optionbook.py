"""Option positions of a book: their weight and factor betas from their Greeks (docs/methodology/options.md).

A position with an ``option_type`` (call / put) is an option on ``underlying``: another
position of the book (its factor betas and ``price`` are used) or an instrument of the
catalogue (its factor beta and price). With ``n`` contracts of multiplier ``m``, spot
``S`` (the underlying's price), the option's delta Δ and vega ν (per vol point) at the
book's valuation date::

    weight (delta exposure)  D = n·m·Δ·S / NAV
    vol exposure             V = n·m·ν·vol_beta / NAV      (fraction of NAV per vol point)
    contribution to factor f      = D · β_f(underlying)                      f ≠ vol
    contribution to the vol factor = D · β_vol(underlying) + 100 · V

(the book's vol rows are in % of NAV per vol point, hence the 100). The option's
weight is ``D`` and its betas are the underlying's, with the vol beta
``β_vol(underlying) + 100·V/D``, so that weight × beta is the contribution above
everywhere the book is used (exposures, hedges, checks, scenarios). When ``D`` is exactly
0 (an option so far out of the money that N(d1) rounds to 0) its vega is below 10⁻¹⁵ of
its notional and is dropped.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine._typing import OPTION_KINDS, OPTION_MODELS
from xlhedge.engine.errors import InputError
from xlhedge.engine.instruments import Instrument, catalogue
from xlhedge.engine.options import DAYS_PER_YEAR, option_exposure, option_greeks

__all__ = [
    "JOINT_SCENARIOS",
    "JOINT_COLUMNS",
    "joint_scenarios",
    "hedge_leg_pnl",
    "hedge_legs",
    "OptionBook",
    "resolve_options",
    "option_bucket",
    "theta_budget",
    "is_option",
    "GREEKS_COLUMNS",
    "DEFAULT_OPTION_MULTIPLIER",
]

#: Multiplier of an option position whose Multiplier cell is blank (US listed options).
DEFAULT_OPTION_MULTIPLIER = 100.0
#: Columns of the Greeks table, in order (NAV fractions except premium and theta per day).
GREEKS_COLUMNS: tuple[str, ...] = (
    "underlying",
    "option_type",
    "spot",
    "strike",
    "years",
    "delta",
    "vega",
    "delta_exposure",
    "vol_exposure",
    "gamma_exposure",
    "premium",
    "theta_day",
    "theta_year_nav",
    # the inputs the option was valued with (for full revaluation in scenarios)
    "implied_vol",
    "contracts",
    "multiplier",
    "model",
    "vol_beta",
    "rate",
    "div",
    "under_equity_beta",
    "under_vol_beta",
    "bucket",
)

#: Joint SPX / VIX scenarios (*editable*): an SPX move (decimal) with the VIX move that comes
#: with it (points). Illustrative: a normal sell-off and a stress.
JOINT_SCENARIOS = pd.DataFrame(
    {"spx_move": [-0.05, -0.20], "vix_move": [3.0, 25.0]}, index=pd.Index(["normal", "stress"], name="scenario")
)
#: Columns of :func:`joint_scenarios`, in order (the moves, then currency).
JOINT_COLUMNS: tuple[str, ...] = (
    "spx_move",
    "vix_move",
    "book_ex_options",
    "options",
    "options_delta_only",
    "convexity",
    "unhedged",
    "hedges",
    "hedged",
)


def option_bucket(kind: str, contracts: float, on_vol: bool) -> str:
    """The budget bucket (docs/methodology/budget.md) an option held counts against: ``long_vol``
    for an option on a vol instrument (VIX calls), ``tail`` for a long put, else ``cross_asset``."""
    if on_vol:
        return "long_vol"
    return "tail" if kind == "put" and contracts > 0 else "cross_asset"


def theta_budget(greeks: pd.DataFrame, budget: pd.Series, nav: float) -> pd.DataFrame:
    """Annualised theta of the options held against their budget buckets.

    Parameters
    ----------
    greeks : the option table (``Book.greeks``); each option counts against its ``bucket``.
    budget : the annual budget per bucket in currency (``hedge_budget(...)["amount"]`` or the
        Budget sheet's budget column), indexed by bucket key.
    nav : NAV (> 0).

    Returns
    -------
    DataFrame indexed by bucket: ``theta_year`` = −365 × Σ theta per day (currency a year the
    options bleed at today's Greeks; > 0 is a cost), ``budget``, ``used`` = theta_year / budget
    (NaN for an empty bucket), ``theta_year_nav`` = theta_year / NAV, ``options`` = the option
    positions counted in the bucket (tickers, comma-separated; "" for none).
    """
    theta = greeks.groupby("bucket")["theta_day"].sum() if len(greeks) else pd.Series(dtype=float)
    held = {str(k): ", ".join(str(t) for t in g.index) for k, g in greeks.groupby("bucket")} if len(greeks) else {}
    b = pd.Series(budget, dtype=np.float64)
    idx = list(b.index) + [k for k in theta.index if k not in b.index]
    bleed = -DAYS_PER_YEAR * theta.reindex(idx).fillna(0.0) + 0.0  # no −0
    bud = b.reindex(idx)
    used = np.divide(
        bleed.to_numpy(), bud.to_numpy(), out=np.full(len(idx), np.nan), where=bud.fillna(0).to_numpy() > 0
    )
    return pd.DataFrame(
        {
            "theta_year": bleed.to_numpy(),
            "budget": bud.to_numpy(),
            "used": used,
            "theta_year_nav": bleed.to_numpy() / nav,
            "options": [held.get(str(k), "") for k in idx],
        },
        index=pd.Index(idx, name="bucket"),
    )


def is_option(v: Any) -> bool:
    """True when an ``option_type`` cell marks an option position (non-blank)."""
    return not coerce.is_blank(v)


@dataclass(frozen=True)
class OptionBook:
    """What :func:`resolve_options` returns.

    weights : the book's weights with option positions' delta exposures.
    betas : factors × positions with option positions' betas from their underlyings.
    greeks : one row per option position (index ticker, :data:`GREEKS_COLUMNS`), empty when none.
    """

    weights: np.ndarray
    betas: np.ndarray
    factors: list[str]
    greeks: pd.DataFrame


class _Columns(dict[str, list[Any]]):
    """The attribute columns, each made a list on first use (not once per cell: 16,000 positions)."""

    def __init__(self, attributes: Mapping[str, Any]) -> None:
        super().__init__()
        self.source = attributes

    def __missing__(self, key: str) -> list[Any] | None:
        col = self.source.get(key)
        out = None if col is None else list(col)
        self[key] = out  # type: ignore[assignment]
        return out


def _attr(attributes: Mapping[str, Any], key: str, j: int) -> Any:
    col = attributes[key] if isinstance(attributes, _Columns) else attributes.get(key)
    if col is None:
        return None
    return col[j] if isinstance(col, list) else list(col)[j]


def _num(v: Any) -> float:
    if v is None or coerce.is_blank(v):
        return float("nan")
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def resolve_options(
    tickers: Sequence[str],
    weights: np.ndarray,
    betas: np.ndarray,
    factors: Sequence[str],
    attributes: Mapping[str, Any],
    nav: float,
    *,
    valuation_date: _dt.date | None = None,
    rate: float = 0.0,
    div: float = 0.0,
    instruments: Any = None,
    place: Callable[[str, int], str] | None = None,
) -> OptionBook:
    """Weights and betas of the option positions from their Greeks (see the module docstring).

    Parameters
    ----------
    tickers, weights : one per position; betas : factors × positions (``factors`` keys).
    attributes : field key -> one value per position (``option_type``, ``underlying``,
        ``strike``, ``implied_vol``, ``contracts``, ``multiplier``, ``expiry``,
        ``option_model``, ``option_vol_beta``, ``price``, ``asset_class``).
    nav : NAV (> 0). valuation_date : the date the options are valued at (blank = today);
        years to expiry = (expiry − valuation date) / 365, 0 once expired.
    rate, div : risk-free rate and dividend yield for every ``bs`` option (``div`` is
        ignored by ``black76``).
    instruments : the catalogue an underlying not in the book is looked up in.
    place : ``place(field_key, j)`` names the cell of field ``field_key`` of position ``j``.

    Raises
    ------
    InputError
        naming the cell: an unknown option type / model / underlying, a blank or
        non-positive strike, implied vol or underlying price, a blank expiry or
        contracts, an option on an option.
    """
    where = place or (lambda key, j: f"{key} of {tickers[j]}")
    attributes = _Columns(attributes)
    w = np.array(weights, dtype=np.float64, copy=True)
    b = np.array(betas, dtype=np.float64, copy=True)
    keys = list(factors)
    opt_cols = [j for j in range(len(tickers)) if is_option(_attr(attributes, "option_type", j))]
    if not opt_cols:
        return OptionBook(w, b, keys, pd.DataFrame(columns=list(GREEKS_COLUMNS), index=pd.Index([], name="ticker")))
    if "vol" not in keys:
        keys.append("vol")
        b = np.vstack([b, np.zeros((1, b.shape[1]))])
    vol_row = keys.index("vol")
    index = {str(t).strip().upper(): j for j, t in enumerate(tickers)}
    today = valuation_date or _dt.date.today()
    cat: dict[str, Instrument] | None = None
    rows = []
    for j in opt_cols:
        kind = coerce.choice(_attr(attributes, "option_type", j), where("option_type", j), OPTION_KINDS)
        model = coerce.choice(
            _attr(attributes, "option_model", j), where("option_model", j), OPTION_MODELS, default="bs"
        )
        under = _attr(attributes, "underlying", j)
        if not is_option(under):
            raise InputError("an option position needs its underlying (a ticker)", where=where("underlying", j))
        u = str(under).strip()
        k = index.get(u.upper())
        if k is not None:
            if is_option(_attr(attributes, "option_type", k)):
                raise InputError(f"the underlying {u!r} is itself an option", where=where("underlying", j))
            spot = _num(_attr(attributes, "price", k))
            if not spot > 0:
                raise InputError(
                    f"the underlying {u!r} needs its Price (> 0) for the option {tickers[j]}", where=where("price", k)
                )
            b_u = betas[:, k].astype(np.float64)
            if len(keys) > betas.shape[0]:
                b_u = np.append(b_u, 0.0)
            on_vol = str(_attr(attributes, "asset_class", k) or "").strip().lower() == "vol"
        else:
            cat = cat if cat is not None else catalogue(instruments)
            inst = cat.get(u.upper())
            if inst is None:
                raise InputError(
                    f"{u!r} is neither a position of the book nor an instrument of the catalogue",
                    where=where("underlying", j),
                )
            spot = float(inst.price)
            b_u = np.zeros(len(keys))
            if inst.factor in keys:
                b_u[keys.index(inst.factor)] = inst.beta
            if inst.tilt and inst.tilt in keys:
                b_u[keys.index(inst.tilt)] = 1.0
            on_vol = inst.factor == "vol"
        strike = _num(_attr(attributes, "strike", j))
        vol = _num(_attr(attributes, "implied_vol", j))
        n = _num(_attr(attributes, "contracts", j))
        for key, v, ok in (("strike", strike, strike > 0), ("implied_vol", vol, vol > 0), ("contracts", n, True)):
            if np.isnan(v) or not ok:
                what = "is blank" if np.isnan(v) else f"must be > 0, got {v:g}"
                raise InputError(f"{what} (an option position needs it)", where=where(key, j))
        m = _num(_attr(attributes, "multiplier", j))
        m = DEFAULT_OPTION_MULTIPLIER if np.isnan(m) else m
        if not m > 0:
            raise InputError(f"must be > 0, got {m:g}", where=where("multiplier", j))
        raw = _attr(attributes, "expiry", j)
        if isinstance(raw, np.datetime64):  # a DataFrame's date column
            raw = None if np.isnat(raw) else pd.Timestamp(raw).to_pydatetime()
        expiry = coerce.as_date(raw, where("expiry", j))
        if expiry is None:
            raise InputError("is blank (an option position needs its expiry date)", where=where("expiry", j))
        years = max((expiry - today).days / DAYS_PER_YEAR, 0.0)
        vb = _num(_attr(attributes, "option_vol_beta", j))
        vb = (0.0 if on_vol else 1.0) if np.isnan(vb) else vb
        e = option_exposure(kind, n, m, spot, strike, vol, years, nav, rate, div, model, vb)
        g = option_greeks(kind, spot, strike, vol, years, rate, div, model)
        d, v = float(e.delta), float(e.vol)
        w[j] = d
        col = b_u.copy()
        if d != 0.0:
            col[vol_row] += 100.0 * v / d
        b[:, j] = col
        rows.append(
            {
                "ticker": tickers[j],
                "underlying": u,
                "option_type": kind,
                "spot": spot,
                "strike": strike,
                "years": years,
                "delta": float(g.delta),
                "vega": float(g.vega),
                "delta_exposure": d,
                "vol_exposure": v,
                "gamma_exposure": float(e.gamma),
                "premium": float(e.premium),
                "theta_day": float(e.theta),
                "theta_year_nav": float(e.theta) * DAYS_PER_YEAR / nav,
                "implied_vol": vol,
                "contracts": n,
                "multiplier": m,
                "model": model,
                "vol_beta": vb,
                "rate": float(rate),
                "div": float(div),
                "under_equity_beta": float(b_u[keys.index("equity")]) if "equity" in keys else 0.0,
                "under_vol_beta": float(b_u[vol_row]),
                "bucket": option_bucket(kind, n, on_vol),
            }
        )
    greeks = pd.DataFrame(rows).set_index("ticker")[list(GREEKS_COLUMNS)]
    return OptionBook(w, b, keys, greeks)


def _moves(name: Any, r: Any) -> tuple[float, float]:
    s, v = float(r["spx_move"]), float(r["vix_move"])
    if not (np.isfinite(s) and np.isfinite(v)):
        raise InputError("needs a number for the SPX move and the VIX move", where=f"scenario {name}")
    return s, v


def _check_moves(what: str, m_u: float, vol: float, vol_after: float, name: Any) -> None:
    if m_u <= -1.0:
        raise InputError(f"moves the underlying of {what} by {m_u:.0%} (to ≤ 0)", where=f"scenario {name}")
    if vol_after <= 0:
        raise InputError(
            f"takes the implied vol of {what} from {vol:g} to {vol_after:.4g}; it must stay > 0",
            where=f"scenario {name}",
        )


def hedge_leg_pnl(
    inst: Instrument,
    contracts: float,
    spx_move: float,
    vix_move: float,
    *,
    rate: float = 0.0,
    div: float = 0.0,
    scenario: Any = "",
) -> float:
    """P&L (currency) of ``contracts`` of a hedge instrument in a joint SPX / VIX scenario.

    The instrument's factor moves by the SPX move ``s`` (equity) or ``v·0.01`` (vol, VIX points;
    every other factor stays still). A future, an ETF or a perpetual moves through its exposure,
    ``contracts · unit value · β · shock`` (the Hedges sheet's exposure after minus before, times the
    shock); an option is revalued in full, its underlying moved by ``m_u = β · shock`` and its
    implied vol by ``v`` points (an option on a vol instrument keeps its vol: its vega is to the
    vol of vol), ``contracts · multiplier · (V(S·(1 + m_u), σ + v/100) − V(S, σ))``, a spread as
    its two legs.
    """
    from dataclasses import replace

    from xlhedge.engine.instruments import option_unit, unit_value

    n = float(contracts)
    if n == 0.0 or not np.isfinite(n):
        return 0.0
    shock = {"equity": spx_move, "vol": vix_move * 0.01}.get(inst.factor, 0.0)
    if inst.kind != "option":
        return n * unit_value(inst) * inst.beta * shock
    m_u = inst.beta * shock
    vb = 0.0 if inst.factor == "vol" else 1.0
    vol = float(inst.vol or 0.0)
    vol_after = vol + vb * vix_move / 100.0
    _check_moves(inst.ticker, m_u, vol, vol_after, scenario)
    before = option_unit(inst, rate=rate, div=div)[0]
    after = option_unit(replace(inst, price=inst.price * (1.0 + m_u), vol=vol_after), rate=rate, div=div)[0]
    return n * inst.multiplier * (after - before)


def hedge_legs(hedges: Any, instruments: Any = None) -> list[tuple[Instrument, float]]:
    """The (instrument, contracts) legs of a hedge plan: each row's whole contracts and its micro
    completion (``recommend_hedges``' table: ``instrument``, ``contracts``, ``micro``,
    ``micro_contracts``; a blank instrument or NaN contracts is no leg)."""
    if hedges is None or len(hedges) == 0:
        return []
    from xlhedge.engine.instruments import lookup

    legs = []
    for _, r in pd.DataFrame(hedges).iterrows():
        for tk_col, n_col in (("instrument", "contracts"), ("micro", "micro_contracts")):
            tk = r.get(tk_col)
            n = _num(r.get(n_col))
            if coerce.is_blank(tk) or not str(tk).strip() or np.isnan(n) or n == 0.0:  # no leg
                continue
            legs.append((lookup(str(tk), instruments), n))
    return legs


def joint_scenarios(
    greeks: pd.DataFrame,
    equity_exposure: float,
    vol_exposure: float,
    nav: float,
    scenarios: pd.DataFrame | None = None,
    hedges: Any = None,
    *,
    instruments: Any = None,
    rate: float = 0.0,
    div: float = 0.0,
) -> pd.DataFrame:
    """P&L of joint SPX / VIX scenarios: options by full revaluation, the rest through exposures,
    unhedged (the book as it stands) vs hedged (with the recommended hedges).

    Parameters
    ----------
    greeks : the option table of :func:`resolve_options` (``Book.greeks``).
    equity_exposure, vol_exposure : the book's equity (× NAV) and vol (% of NAV per vol
        point) exposure *without* its option positions.
    nav : NAV (> 0).
    scenarios : rows of ``spx_move`` (decimal, −0.20) and ``vix_move`` (points, +25);
        default :data:`JOINT_SCENARIOS`.
    hedges : the recommended hedges (the Hedges sheet's plan, ``recommend_hedges``' table with
        ``instrument``, ``contracts``, ``micro``, ``micro_contracts``), valued leg by leg by
        :func:`hedge_leg_pnl`; none = no hedges (hedged = unhedged).
    instruments, rate, div : the catalogue the hedges' tickers are looked up in, and the
        Black–Scholes r and q of their options.

    Returns
    -------
    One row per scenario (:data:`JOINT_COLUMNS`), currency: ``book_ex_options`` =
    NAV·(E_equity·s + E_vol·v·0.01) (every position but the options, through its exposures);
    ``options`` = Σ n·m·(V(S·(1+m_u), σ + β_σ·v/100, T) − V(S, σ, T)), the underlying moving by
    m_u = β_equity(u)·s + β_vol(u)·v·0.01 and the implied vol by the option's vol beta β_σ times
    the VIX move; ``options_delta_only`` = Σ NAV·D·m_u (the linear estimate, delta alone);
    ``convexity`` = options − options_delta_only (what gamma and vega add); ``unhedged`` =
    book_ex_options + options; ``hedges`` = the recommended hedges' P&L; ``hedged`` = unhedged +
    hedges.
    """
    sc = JOINT_SCENARIOS if scenarios is None else scenarios
    legs = hedge_legs(hedges, instruments)
    rows = []
    for name, r in sc.iterrows():
        s, v = _moves(name, r)
        full = lin = 0.0
        for tk, o in greeks.iterrows():
            m_u = o["under_equity_beta"] * s + o["under_vol_beta"] * v * 0.01
            vol_after = o["implied_vol"] + o["vol_beta"] * v / 100.0
            _check_moves(str(tk), m_u, o["implied_vol"], vol_after, name)
            args = (o["strike"], vol_after, o["years"], o["rate"], o["div"], o["model"])
            after = float(option_greeks(o["option_type"], o["spot"] * (1 + m_u), *args).price)
            full += o["contracts"] * o["multiplier"] * after - o["premium"]
            lin += nav * o["delta_exposure"] * m_u
        rest = nav * (equity_exposure * s + vol_exposure * v * 0.01)
        hedge = sum(hedge_leg_pnl(i, n, s, v, rate=rate, div=div, scenario=name) for i, n in legs)
        unhedged = rest + full
        rows.append([s, v, rest, full, lin, full - lin, unhedged, hedge, unhedged + hedge])
    return pd.DataFrame(rows, index=sc.index, columns=list(JOINT_COLUMNS))
