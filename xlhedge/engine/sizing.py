"""Hedge sizing for every factor (docs/methodology/sizing.md, Cross-Asset Hedging §05–§08).

General form, per factor f, hedge ratio h ∈ [0, 1] (fraction of the gap to
hedge), target exposure T_f (default 0, "target beta"), alpha estimate α ∈ [0, 1)::

    H_f   = −h · (E_f − T_f) · NAV / (1 − α)          currency notional, opposite to the gap
    units = H_f / (unit exposure · β_instrument)

``unit exposure`` is the currency exposure one unit adds to the instrument's
own underlying: price × multiplier (futures, shares, linear perps), the USD
face (inverse perps), Δ × spot × multiplier (puts, Black–Scholes Δ < 0).
``β_instrument`` is the instrument's beta to the factor: 1 for index futures,
−1 for a 1× inverse ETF, the sector beta for a sector ETF, **the duration in
years** for a rates instrument — so the rates hedge is DV01-matched
(units · unit DV01 = h · book DV01, see :func:`rates_hedge_units`).

Signs: exposures and weights are NAV fractions, long > 0; ``units`` and
``contracts`` are signed (short < 0); a ``side`` column says ``sell``/``buy``.

Also here: FX exposure per currency with the currency of record as a
parameter (docs/methodology/sizing.md FX), minimum-variance and least-squares hedges from return
series with their effectiveness and residual (basis) volatility, pair-neutral
sizing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine import instruments as _inst
from xlhedge.engine._typing import (
    CONTRACTS,
    AnyArray,
    Contract,
    Float64Array,
    FloatArrayLike,
    FloatOrArray,
    HedgeSide,
    ObjectArray,
    ReturnKind,
)
from xlhedge.engine.coerce import bounded_array, float_array, float_or_array
from xlhedge.engine.errors import InputError, NotEnoughData
from xlhedge.engine.factors import BASIS_POINT
from xlhedge.engine.instruments import Instrument
from xlhedge.engine.prices import check_positive_prices

__all__ = [
    "SIZING_DEFAULTS",
    "DEFAULT_HEDGE_RATIO",
    "FX_LEG_COLUMNS",
    "hedge_notional",
    "hedge_units",
    "whole_contracts",
    "RoundedContracts",
    "round_contracts",
    "dv01_unit",
    "rates_hedge_units",
    "unit_exposure",
    "HedgeSizing",
    "size_hedge",
    "HEDGE_COLUMNS",
    "hedge_table",
    "hedge_sizings",
    "recommend_hedges",
    "currency_exposures",
    "fx_hedges",
    "crypto_contracts",
    "returns_from_prices",
    "MinVarHedge",
    "minvar_hedge",
    "minvar_contracts",
    "LeastSquaresHedge",
    "lsq_hedge",
    "pair_residual_beta",
    "pair_neutral_weight",
]

#: Defaults a user may change (shown on the Hedges sheet), docs/methodology/sizing.md, perpetuals.md.
#: The rule-of-thumb hedge ratio a book starts from (the Hedges sheet's default input, and
#: what every door uses for a factor the book gives no ratio for): hedge half the exposure.
DEFAULT_HEDGE_RATIO = 0.5

SIZING_DEFAULTS: dict[str, float] = {
    "ratio": 1.0,  # h: hedge the whole gap
    "target": 0.0,  # T_f: factor-neutral
    "alpha": 0.0,  # α: alpha estimate
    "rate": 0.0,  # r for Black–Scholes (annual, continuous)
    "div": 0.0,  # q for Black–Scholes
    "funding_periods_per_day": 3,  # perpetual funding every 8 hours
    "periods_per_year": 252,  # return observations per year (daily)
}


# --------------------------------------------------------------------------- general form
def hedge_notional(
    exposure: FloatArrayLike,
    nav: FloatArrayLike,
    ratio: FloatArrayLike = 1.0,
    target: FloatArrayLike = 0.0,
    alpha: FloatArrayLike = 0.0,
) -> FloatOrArray:
    """Signed currency notional of the hedge, H = −h·(E − T)·NAV/(1 − α) (docs/methodology/sizing.md).

    Parameters
    ----------
    exposure : E_f, the factor exposure as a fraction of NAV (long > 0); arrays broadcast.
    nav : NAV in the currency of record, > 0.
    ratio : h ∈ [0, 1], the fraction of the gap (E − T) to hedge.
    target : T_f, the exposure to keep (NAV fraction); 0 = neutral.
    alpha : α ∈ [0, 1), alpha estimate; the notional is scaled by 1/(1 − α) (Cross-Asset Hedging §05).

    Returns
    -------
    float or ndarray — negative when the book is longer than the target (sell).

    Examples
    --------
    >>> hedge_notional(0.92, 100_000, 0.5)   # docs/methodology/sizing.md worked check
    -46000.0
    """
    e = float_array(exposure, "exposure")
    n = bounded_array(nav, "nav", low=0, low_open=True)
    h = bounded_array(ratio, "ratio", low=0, high=1)
    t = float_array(target, "target")
    a = bounded_array(alpha, "alpha", low=0, high=1, high_open=True)
    return float_or_array(-h * (e - t) * n / (1.0 - a) + 0.0)  # + 0.0: no −0


def hedge_units(
    notional: FloatArrayLike, price: FloatArrayLike, multiplier: FloatArrayLike = 1.0, beta: FloatArrayLike = 1.0
) -> FloatOrArray:
    """Unrounded units, H / (price · multiplier · β) (docs/methodology/sizing.md).

    Parameters
    ----------
    notional : signed hedge notional in currency (short < 0), e.g. from :func:`hedge_notional`.
    price : instrument price, > 0 (for a put pass |Δ|·spot and beta −1, or use :func:`size_hedge`).
    multiplier : currency per price point per unit (ES 50, shares 1), > 0.
    beta : instrument beta to the factor (duration for rates, −1 for a 1× inverse ETF), ≠ 0.

    Returns
    -------
    Signed units (short < 0).
    """
    h = float_array(notional, "notional")
    p = bounded_array(price, "price", low=0, low_open=True)
    m = bounded_array(multiplier, "multiplier", low=0, low_open=True)
    b = bounded_array(beta, "beta", nonzero=True)
    return float_or_array(h / (p * m * b))


def whole_contracts(units: FloatArrayLike) -> FloatOrArray:
    """Nearest whole number of contracts, halves away from zero (signed)."""
    u = float_array(units, "units")
    return float_or_array(np.sign(u) * np.floor(np.abs(u) + 0.5) + 0.0)  # + 0.0: no −0


@dataclass(frozen=True)
class RoundedContracts:
    """A hedge notional rounded to whole contracts (:func:`round_contracts`).

    Each attribute is a float for scalar input, else an array of the broadcast shape.

    Attributes
    ----------
    units : unrounded units, H / unit exposure; signed, short < 0.
    contracts : whole contracts, nearest, halves away from zero; signed, short < 0.
    residual : currency, H − contracts × unit exposure: the hedge notional rounding did
        not place, signed like H.
    micro : whole micro contracts that complete the rounding (signed); NaN without a micro.
    residual_after_micro : currency, the residual less what the micros place; NaN without a micro.
    """

    units: FloatOrArray
    contracts: FloatOrArray
    residual: FloatOrArray
    micro: FloatOrArray
    residual_after_micro: FloatOrArray


def round_contracts(
    notional: FloatArrayLike, unit_exp: FloatArrayLike, micro_unit_exp: FloatArrayLike | None = None
) -> RoundedContracts:
    """Whole contracts, the notional left by rounding, and a micro-contract completion.

    Parameters
    ----------
    notional : signed hedge notional H (currency); arrays broadcast.
    unit_exp : signed factor exposure of one contract, unit exposure × β (currency), ≠ 0.
    micro_unit_exp : the same for the micro contract (MES for ES), optional, ≠ 0.

    Returns
    -------
    RoundedContracts
    """
    h = float_array(notional, "notional")
    u_exp = bounded_array(unit_exp, "unit exposure", nonzero=True)
    units = h / u_exp
    whole = np.asarray(whole_contracts(units))
    residual = h - whole * u_exp
    if micro_unit_exp is None:
        micro = np.full_like(residual, np.nan)
        after = np.full_like(residual, np.nan)
    else:
        m_exp = bounded_array(micro_unit_exp, "micro unit exposure", nonzero=True)
        micro = np.asarray(whole_contracts(residual / m_exp))
        after = residual - micro * m_exp
    return RoundedContracts(
        units=float_or_array(units),
        contracts=float_or_array(whole),
        residual=float_or_array(residual),
        micro=float_or_array(micro),
        residual_after_micro=float_or_array(after),
    )


# --------------------------------------------------------------------------- rates
def dv01_unit(price: FloatArrayLike, duration: FloatArrayLike, face: FloatArrayLike = 1.0) -> FloatOrArray:
    """DV01 of one unit, currency per 1bp, as a positive sensitivity (docs/methodology/sizing.md rates).

    * ``face`` = 1 (default): an ETF share or any unit priced in currency —
      ``price × D × 0.0001`` (TLT at 90, D 17 → 0.153 per share);
    * ``face`` > 1: a bond future priced in points per 100 of face —
      ``(price / 100) × face × D × 0.0001`` (ZN at 111, face 100,000, D 6.5 → 72.15).

    A long unit *loses* this amount when yields rise 1bp.
    """
    p = bounded_array(price, "price", low=0, low_open=True)
    d = bounded_array(duration, "duration", low=0, low_open=True)
    f = bounded_array(face, "face", low=0, low_open=True)
    scale = np.where(f == 1.0, p, p / 100.0 * f)
    return float_or_array(scale * d * BASIS_POINT)


def rates_hedge_units(
    book_dv01: FloatArrayLike, unit_dv01: FloatArrayLike, ratio: FloatArrayLike = 1.0
) -> FloatOrArray:
    """Units of a rates instrument that offset ``ratio`` of the book's DV01.

    ``book_dv01`` uses docs/methodology/factor-model.md's sign (−E_duration · NAV · 0.0001: a long-duration
    book is negative); ``unit_dv01`` is the positive sensitivity of
    :func:`dv01_unit`. units = h · bookDV01 / unitDV01, so a long-duration book
    sells (docs/methodology/sizing.md prints ``−h·bookDV01/unitDV01``, which gives this same sign
    only if the unit DV01 also carries the book DV01's sign convention (docs/methodology/factor-model.md), i.e. is negative for a long unit).
    """
    b = float_array(book_dv01, "book_dv01")
    u = bounded_array(unit_dv01, "unit_dv01", low=0, low_open=True)
    h = bounded_array(ratio, "ratio", low=0, high=1)
    return float_or_array(h * b / u)


# --------------------------------------------------------------------------- per instrument
def unit_exposure(inst: Instrument, *, rate: float = 0.0, div: float = 0.0) -> float:
    """Signed currency exposure of one unit to the instrument's underlying.

    price × multiplier (futures, ETFs, linear perps), the USD face (inverse
    perps), Δ × spot × multiplier for a put (negative).
    """
    if inst.kind == "option":
        _, delta, _ = _inst.option_unit(inst, rate=rate, div=div)
        return float(delta * inst.price * inst.multiplier)
    return _inst.unit_value(inst)


def _side(units: float) -> HedgeSide:
    if units > 0:
        return "buy"
    if units < 0:
        return "sell"
    return "none"


@dataclass(frozen=True)
class HedgeSizing:
    """One hedge recommendation for one factor exposure (:func:`size_hedge`, docs/methodology/sizing.md).

    :func:`recommend_hedges` puts one per factor in a DataFrame whose columns are these
    attributes, in this order (:func:`hedge_table`).

    Attributes
    ----------
    factor : the factor hedged (``equity``, ``duration``...).
    exposure : E_f before the hedge, fraction of NAV (long > 0).
    target : T_f, the exposure to keep, fraction of NAV.
    ratio : h ∈ [0, 1], the fraction of the gap E_f − T_f hedged.
    notional : H, currency notional of the hedge, −h·(E − T)·NAV/(1 − α); < 0 = sell.
    instrument : ticker of the hedge instrument; ``""`` when the factor has none.
    kind : the instrument's kind (``future``, ``etf``, ``option``...); ``""`` without one.
    side : ``buy``, ``sell`` or ``none`` (no units to trade, or no instrument).
    units : unrounded units to trade, signed (short < 0); NaN without an instrument.
    contracts : whole units to trade, signed (short < 0); NaN without an instrument.
    residual_exposure : fraction of NAV, exposure after the whole contracts − exposure
        intended: what rounding left on the factor; NaN without an instrument.
    micro : ticker of the micro contract that completes the rounding, ``""`` if none.
    micro_contracts : whole micro contracts (signed); NaN when there is no micro.
    exposure_after : fraction of NAV on the factor with the whole and micro contracts in
        the book (the exposure itself without an instrument).
    cost : currency per hedge: option premium paid, or perpetual funding paid per year;
        < 0 = received; 0 for other instruments.
    cost_note : how ``cost`` was computed (or why there is no hedge), for display.
    weight : the hedge as a book position: contracts × unit value / NAV, fraction of NAV,
        short < 0 (0 without an instrument).
    position_beta : that position's beta to the factor per unit of weight (duration for
        rates, Δ-scaled for a put); NaN without an instrument.
    vol_added : an option hedge's vega on the book's vol factor, % of NAV per vol point (the
        vol factor's unit, as the Exposures sheet's vol row: contracts × multiplier × vega / NAV ×
        100; > 0 for bought puts and calls: long vol); 0 for anything else and for options on a
        vol future, whose vega is to the vol of vol (docs/methodology/options.md).
    vol_added_ccy : the same vega in currency per vol point, contracts × multiplier × vega
        (= vol_added / 100 × NAV).
    """

    factor: str
    exposure: float
    target: float
    ratio: float
    notional: float
    instrument: str
    kind: str
    side: HedgeSide
    units: float
    contracts: float
    residual_exposure: float
    micro: str
    micro_contracts: float
    exposure_after: float
    cost: float
    cost_note: str
    weight: float
    position_beta: float
    vol_added: float = 0.0
    vol_added_ccy: float = 0.0


def size_hedge(
    exposure: float,
    nav: float,
    instrument: str | Instrument,
    *,
    ratio: float = 1.0,
    target: float = 0.0,
    alpha: float = 0.0,
    factor: str | None = None,
    instruments: Any = None,
    rate: float = SIZING_DEFAULTS["rate"],
    div: float = SIZING_DEFAULTS["div"],
    funding_periods_per_day: float = SIZING_DEFAULTS["funding_periods_per_day"],
) -> HedgeSizing:
    """One hedge recommendation for one factor exposure (docs/methodology/sizing.md).

    Parameters
    ----------
    exposure : E_f, NAV fraction (long > 0).
    nav : NAV in the currency of record.
    instrument : ticker in ``instruments`` (default catalogue) or an :class:`Instrument`.
    ratio, target, alpha : h, T_f, α of the general form.
    factor : name to report (default the instrument's factor).
    instruments : catalogue for the ticker and its micro (see
        :func:`xlhedge.engine.instruments.catalogue`), default the shipped one.
    rate, div : Black–Scholes r and q for puts.
    funding_periods_per_day : perpetual funding periods per day (8-hourly = 3).

    Returns
    -------
    HedgeSizing — see its attributes for units and signs.
    """
    inst = instrument if isinstance(instrument, Instrument) else _inst.lookup(instrument, instruments)
    nav_v = float(bounded_array(nav, "nav", low=0, low_open=True))
    H = float(hedge_notional(exposure, nav_v, ratio, target, alpha))
    u_exp = unit_exposure(inst, rate=rate, div=div)
    eff = u_exp * inst.beta
    micro_inst = None
    if inst.micro:
        micro_inst = _inst.lookup(inst.micro, instruments)
    micro_eff = unit_exposure(micro_inst, rate=rate, div=div) * micro_inst.beta if micro_inst else None
    r = round_contracts(H, eff, micro_eff)
    contracts, micro = float(r.contracts), float(r.micro)
    placed = contracts * eff + (0.0 if micro_eff is None else micro * micro_eff)
    intended = exposure + H / nav_v
    after_whole = exposure + contracts * eff / nav_v
    cost, note = 0.0, ""
    vol_added = vol_added_ccy = 0.0
    if inst.kind == "option":
        premium, delta, vega = _inst.option_unit(inst, rate=rate, div=div)
        cost = contracts * premium * inst.multiplier
        # its vega on the book's vol factor (% of NAV per vol point; 0 for an option on a vol future)
        vol_added_ccy = 0.0 if inst.factor == "vol" else contracts * inst.multiplier * vega
        vol_added = 100.0 * vol_added_ccy / nav_v
        note = (
            f"premium {premium:,.2f} × {inst.multiplier:g} per contract; per contract delta "
            f"{delta * inst.multiplier:+,.2f}, vega {vega * inst.multiplier:+,.2f} per vol point"
        )
        if vol_added:
            note += (
                f"; adds {vol_added:+.4f}% of NAV ({vol_added_ccy:+,.0f} currency) per vol point of "
                f"{'long' if vol_added > 0 else 'short'} vol"
            )
    elif inst.kind in ("perp_linear", "perp_inverse") and inst.funding_rate is not None:
        value = contracts * _inst.unit_value(inst)
        per_year = funding_periods_per_day * 365.0
        cost = value * inst.funding_rate * per_year  # longs pay when the rate is > 0
        flow = " (received)" if cost < 0 else (" (paid)" if cost > 0 else "")
        note = f"funding per year at {inst.funding_rate:.4%} per period, {funding_periods_per_day:g}/day{flow}"
    notional_value = _inst.unit_value(inst) if inst.kind != "option" else inst.price * inst.multiplier
    weight = contracts * notional_value / nav_v
    position_beta = eff / notional_value
    units = float(r.units)
    return HedgeSizing(
        factor=factor or inst.factor,
        exposure=float(exposure),
        target=float(target),
        ratio=float(ratio),
        notional=H,
        instrument=inst.ticker,
        kind=inst.kind,
        side=_side(units),
        units=units,
        contracts=contracts,
        residual_exposure=float(after_whole - intended),
        micro=inst.micro or "",
        micro_contracts=micro,
        exposure_after=float(exposure + placed / nav_v),
        cost=float(cost),
        cost_note=note,
        weight=float(weight),
        position_beta=float(position_beta),
        vol_added=float(vol_added),
        vol_added_ccy=float(vol_added_ccy),
    )


def hedge_table(sizings: Iterable[HedgeSizing]) -> pd.DataFrame:
    """Hedge recommendations as a DataFrame indexed by factor, one column per :class:`HedgeSizing` attribute.

    The one place a :class:`HedgeSizing` becomes a table row (``dataclasses.asdict``);
    :func:`hedge_sizings` reads the rows back.
    """
    out = pd.DataFrame([asdict(s) for s in sizings], columns=HEDGE_COLUMNS)
    return out.set_index("factor", drop=False).rename_axis(None)


def hedge_sizings(table: pd.DataFrame) -> list[HedgeSizing]:
    """The rows of a :func:`recommend_hedges` / :func:`hedge_table` table as :class:`HedgeSizing`, in order."""
    missing = [c for c in HEDGE_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(f"has no column {', '.join(missing)}", where="hedge table")
    return [HedgeSizing(**dict(zip(HEDGE_COLUMNS, row))) for row in table[HEDGE_COLUMNS].itertuples(index=False)]


def _per_factor(value: Any, factors: list[str], name: str, default: float) -> dict[str, float]:
    if value is None:
        return {f: default for f in factors}
    if isinstance(value, Mapping) or isinstance(value, pd.Series):
        return {f: float(value.get(f, default)) for f in factors}
    v = float(value)
    return {f: v for f in factors}


#: Columns of a hedge table, in order: the :class:`HedgeSizing` attributes.
HEDGE_COLUMNS: list[str] = [f.name for f in fields(HedgeSizing)]


def _no_instrument(factor: str, exposure: float, target: float, ratio: float, notional: float) -> HedgeSizing:
    """The row of a factor that has no hedge instrument: nothing to trade, the exposure stays."""
    return HedgeSizing(
        factor=factor,
        exposure=exposure,
        target=target,
        ratio=ratio,
        notional=notional,
        instrument="",
        kind="",
        side="none",
        units=np.nan,
        contracts=np.nan,
        residual_exposure=np.nan,
        micro="",
        micro_contracts=np.nan,
        exposure_after=exposure,
        cost=0.0,
        cost_note="no hedge instrument for this factor in the catalogue",
        weight=0.0,
        position_beta=np.nan,
    )


def recommend_hedges(
    exposures: Mapping[str, float] | pd.Series,
    nav: float,
    *,
    ratios: Any = None,
    targets: Any = None,
    alpha: float = 0.0,
    hedge_instruments: Mapping[str, str] | None = None,
    instruments: Any = None,
    rate: float = SIZING_DEFAULTS["rate"],
    div: float = SIZING_DEFAULTS["div"],
    funding_periods_per_day: float = SIZING_DEFAULTS["funding_periods_per_day"],
) -> pd.DataFrame:
    """Recommended hedges for a book: one row per factor that has a hedge instrument.

    Parameters
    ----------
    exposures : E_f per factor (NAV fractions), e.g. :func:`xlhedge.factor_exposure`'s Series.
    nav : NAV in the currency of record.
    ratios, targets : one number for every factor or a mapping factor → value
        (default h = 1, T = 0); a factor with ratio 0 still gets a row (0 contracts).
    hedge_instruments : factor → ticker, merged over
        :data:`xlhedge.engine.instruments.DEFAULT_HEDGE_INSTRUMENTS` (a factor it does not
        name keeps its default; ``""`` means no instrument). Factors without an
        instrument (``vol``, tilts) are listed with ``instrument`` blank and a note.

    Returns
    -------
    DataFrame indexed by factor, one row per factor, the :class:`HedgeSizing` attributes
    as columns (:func:`hedge_table`; :func:`hedge_sizings` reads them back).
    """
    e = pd.Series(exposures, dtype=np.float64)
    factors = [str(f) for f in e.index]
    h = _per_factor(ratios, factors, "ratios", SIZING_DEFAULTS["ratio"])
    t = _per_factor(targets, factors, "targets", SIZING_DEFAULTS["target"])
    choice = {**_inst.DEFAULT_HEDGE_INSTRUMENTS, **(hedge_instruments or {})}
    rows: list[HedgeSizing] = []
    for f in factors:
        ticker = choice.get(f)
        if not ticker:
            notional = float(hedge_notional(e[f], nav, h[f], t[f], alpha))
            rows.append(_no_instrument(f, float(e[f]), t[f], h[f], notional))
            continue
        rows.append(
            size_hedge(
                float(e[f]),
                nav,
                ticker,
                ratio=h[f],
                target=t[f],
                alpha=alpha,
                factor=f,
                instruments=instruments,
                rate=rate,
                div=div,
                funding_periods_per_day=funding_periods_per_day,
            )
        )
    return hedge_table(rows)


# --------------------------------------------------------------------------- FX
def currency_exposures(
    weights: FloatArrayLike,
    currencies: Sequence[Any] | AnyArray | pd.Series,
    fx_shares: FloatArrayLike | None = None,
    *,
    record: str = "USD",
    listing: Sequence[Any] | AnyArray | pd.Series | None = None,
) -> pd.Series:
    """Exposure per currency against the currency of record, e_c = Σ_i w_i · fx_i (docs/methodology/sizing.md FX).

    Parameters
    ----------
    weights : position weights, NAV fractions (short < 0).
    currencies : per position, the currency its value moves with (ISO code; the
        Book's "FX exposure currency"). Blank (``""``, ``None``, NaN) = the listing
        currency when ``listing`` is given, else no FX exposure.
    fx_shares : per position, the share of its value that moves with that currency
        against ``record`` (a US-listed foreign company has a partial one; give it
        its home currency and e.g. 0.5). Blank/NaN = 1 (fully exposed). Ignored for
        positions already in ``record``.
    record : currency of record (default USD).
    listing : per position, the listing currency (the Book's "Currency (listing)"),
        the fallback for a blank FX exposure currency — the same rule as the
        ``FX_UNDECIDED`` check; optional.

    Returns
    -------
    Series indexed by currency (record currency excluded), NAV fractions, sorted by |e|.
    """
    w = np.asarray(weights, dtype=np.float64).ravel()
    if np.isnan(w).any():
        raise InputError("is missing a value", where="weights")
    ccy = _codes(currencies, w.size, "currencies")
    if listing is not None:
        ccy = np.where(ccy == "", _codes(listing, w.size, "listing"), ccy)
    if fx_shares is None:
        s = np.ones_like(w)
    else:
        s = np.asarray(fx_shares, dtype=np.float64).ravel()
        if s.size != w.size:
            raise InputError(f"has {s.size} entries, weights {w.size}", where="fx_shares")
        s = np.where(np.isnan(s), 1.0, s)
    rec = str(record).strip().upper()
    if not rec:
        raise InputError("is blank; give the currency of record, e.g. USD", where="record")
    foreign = (ccy != rec) & (ccy != "")
    e = pd.Series(w[foreign] * s[foreign], index=ccy[foreign]).groupby(level=0).sum()
    e = e.reindex(e.abs().sort_values(ascending=False).index)
    e.index.name = "currency"
    e.name = f"exposure vs {rec}"
    return e


def _codes(currencies: Any, n: int, name: str) -> ObjectArray:
    """Currency codes, upper-case; blanks (None, NaN, "") become ""."""
    codes = np.array(
        ["" if coerce.is_blank(c) else str(c).strip().upper() for c in np.asarray(currencies, dtype=object).ravel()],
        dtype=object,
    )
    if codes.size != n:
        raise InputError(f"has {codes.size} entries, weights {n}", where=name)
    return codes


#: Columns of the FX legs table (:func:`fx_hedges`): one row per currency leg.
FX_LEG_COLUMNS: list[str] = [
    "currency",
    "leg",
    "instrument",
    "notional_usd",
    "contracts_unrounded",
    "contracts",
    "residual_usd",
    "note",
]


def fx_hedges(
    exposures: Mapping[str, float] | pd.Series,
    nav: float,
    *,
    record: str = "USD",
    ratio: float = 1.0,
    instruments: Any = None,
) -> pd.DataFrame:
    """Currency-future legs that hedge ``ratio`` of each currency exposure (docs/methodology/sizing.md FX).

    Currency futures are quoted in USD per unit of currency (6E, 6S, 6J, 6B, 6C,
    6A). With record currency R and exposure e_c to currency c:

    * c ≠ USD: sell futures on c for h · e_c · NAV (in USD);
    * R ≠ USD: plus buy futures on R for the same USD value (c against R =
      c against USD minus R against USD); when c is USD this is the only leg.

    Returns
    -------
    DataFrame with one row per leg: currency, leg (currency of the future),
    instrument, notional_usd (signed), contracts_unrounded, contracts, residual_usd,
    note. A currency without a future in the catalogue gets a row with a note.
    """
    rec = str(record).strip().upper()
    nav_v = float(bounded_array(nav, "nav", low=0, low_open=True))
    h = float(bounded_array(ratio, "ratio", low=0, high=1))
    rec_fut = None
    if rec != "USD":
        rec_fut = _inst.currency_future(rec, instruments)
        if rec_fut is None:
            raise InputError(
                f"no currency future for the record currency {rec} in the catalogue; add one to the Instruments sheet",
                where="record",
            )
    nav_usd = nav_v * (rec_fut.price if rec_fut else 1.0)
    rows = []
    for c, e in pd.Series(exposures, dtype=np.float64).items():
        c = str(c).upper()
        hedge_usd = -h * e * nav_usd  # USD value of c to sell (negative = sell)
        legs = []
        if c != "USD":
            legs.append((c, _inst.currency_future(c, instruments), hedge_usd))
        if rec_fut is not None:
            legs.append((rec, rec_fut, -hedge_usd))
        for leg, fut, notional in legs:
            if fut is None:
                rows.append(
                    {
                        "currency": c,
                        "leg": leg,
                        "instrument": "",
                        "notional_usd": notional,
                        "contracts_unrounded": np.nan,
                        "contracts": np.nan,
                        "residual_usd": notional,
                        "note": f"no {leg} future in the catalogue; add one on the Instruments sheet",
                    }
                )
                continue
            unit = fut.price * fut.multiplier
            r = round_contracts(notional, unit)
            rows.append(
                {
                    "currency": c,
                    "leg": leg,
                    "instrument": fut.ticker,
                    "notional_usd": notional,
                    "contracts_unrounded": r.units,
                    "contracts": r.contracts,
                    "residual_usd": r.residual,
                    "note": "",
                }
            )
    return pd.DataFrame(
        rows,
        columns=FX_LEG_COLUMNS,
    )


# --------------------------------------------------------------------------- crypto
def crypto_contracts(
    spot_value: FloatArrayLike,
    price: FloatArrayLike,
    *,
    ratio: FloatArrayLike = 1.0,
    beta: FloatArrayLike = 1.0,
    contract: Contract = "linear",
    contract_size: FloatArrayLike = 1.0,
    face: FloatArrayLike = 100.0,
) -> FloatOrArray:
    """Contracts to short against crypto spot worth ``spot_value`` (docs/methodology/sizing.md crypto).

    linear : coin to short = h · β · V / P; contracts = coin / contract_size
             (CME BTC 5, MBT 0.1, a USDT perp 1).
    inverse: contracts = h · β · V / face (USD face per contract, e.g. 100).

    Returns the (positive) number of contracts to sell, unrounded.
    """
    kind = coerce.choice(contract, "contract", CONTRACTS)
    v = float_array(spot_value, "spot_value")
    h = bounded_array(ratio, "ratio", low=0, high=1)
    b = float_array(beta, "beta")
    if kind == "linear":
        p = bounded_array(price, "price", low=0, low_open=True)
        cs = bounded_array(contract_size, "contract_size", low=0, low_open=True)
        return float_or_array(h * b * v / p / cs)
    f = bounded_array(face, "face", low=0, low_open=True)
    return float_or_array(h * b * v / f)


# --------------------------------------------------------------------------- from returns
def returns_from_prices(prices: FloatArrayLike, name: str = "prices", kind: ReturnKind = "simple") -> Float64Array:
    """Simple (or log) returns along axis 0 of a (T,) or (T, k) float array of prices > 0."""
    p = check_positive_prices(np.asarray(prices, dtype=np.float64), name)
    if kind == "log":
        return np.diff(np.log(p), axis=0)
    if kind != "simple":
        raise InputError(f"expected one of simple, log, found {kind!r}", where="returns")
    return p[1:] / p[:-1] - 1.0


def _complete_rows(*arrays: Float64Array) -> tuple[Float64Array, ...]:
    """Keep the rows (axis 0) where no array has a NaN; works for 0 rows (all-blank input)."""
    mask = np.ones(arrays[0].shape[0], dtype=bool)
    for a in arrays:
        nan = np.isnan(a)
        mask &= ~(nan.any(axis=tuple(range(1, a.ndim))) if a.ndim > 1 else nan)
    return tuple(a[mask] for a in arrays)


@dataclass(frozen=True)
class MinVarHedge:
    """Minimum-variance hedge of one series with one instrument (docs/methodology/sizing.md).

    ``ratio`` h* = Cov(r_S, r_F)/Var(r_F) = ρ·σ_S/σ_F (hedge value per unit of spot
    value, sell that much); ``effectiveness`` ρ²; ``residual_vol`` σ_S·√(1 − ρ²)
    — the basis risk left after hedging — annualised with ``periods_per_year``
    (pass 1 for per-period); ``spot_vol``/``hedge_vol`` annualised the same way.
    """

    ratio: float
    effectiveness: float
    residual_vol: float
    correlation: float
    spot_vol: float
    hedge_vol: float
    observations: int

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def minvar_hedge(
    spot: FloatArrayLike,
    hedge: FloatArrayLike,
    *,
    prices: bool = True,
    periods_per_year: float = 252,
    returns: ReturnKind = "simple",
) -> MinVarHedge:
    """Minimum-variance hedge ratio from two price (or return) series (docs/methodology/sizing.md).

    Rows where either series is missing are dropped (pairwise). Needs at least
    3 complete return observations.

    The ratio equals the OLS slope of r_S on r_F with an intercept.
    """
    s = np.asarray(spot, dtype=np.float64).ravel()
    f = np.asarray(hedge, dtype=np.float64).ravel()
    if s.size != f.size:
        raise InputError(f"has {f.size} values, spot_prices {s.size}", where="hedge_prices")
    if prices:
        rs, rf = returns_from_prices(s, "spot_prices", returns), returns_from_prices(f, "hedge_prices", returns)
    else:
        rs, rf = s, f
    rs, rf = _complete_rows(rs, rf)
    n = rs.size
    if n < 3:
        raise NotEnoughData(
            f"needs at least 3 complete return observations, found {n}"
            + (f" (from {s.size} price row{'' if s.size == 1 else 's'})" if prices else ""),
            where="spot_prices/hedge_prices",
        )
    ppy = float(bounded_array(periods_per_year, "periods_per_year", low=0, low_open=True))
    c = np.cov(rs, rf, ddof=1)
    var_s, var_f, cov = c[0, 0], c[1, 1], c[0, 1]
    if var_f <= 0:
        raise InputError("has no variation: the hedge ratio is undefined", where="hedge_prices")
    if var_s <= 0:
        raise InputError("has no variation: nothing to hedge", where="spot_prices")
    rho = cov / np.sqrt(var_s * var_f)
    h = cov / var_f
    resid = np.sqrt(max(var_s * (1.0 - rho * rho), 0.0))
    k = np.sqrt(ppy)
    return MinVarHedge(
        float(h),
        float(rho * rho),
        float(resid * k),
        float(rho),
        float(np.sqrt(var_s) * k),
        float(np.sqrt(var_f) * k),
        int(n),
    )


def minvar_contracts(ratio: FloatArrayLike, spot_value: FloatArrayLike, contract_value: FloatArrayLike) -> FloatOrArray:
    """N* = h* · V_S / V_F, contracts to sell (docs/methodology/sizing.md); V_F = one contract's value."""
    h = float_array(ratio, "ratio")
    v = float_array(spot_value, "spot_value")
    c = bounded_array(contract_value, "contract_value", low=0, low_open=True)
    return float_or_array(h * v / c)


@dataclass(frozen=True)
class LeastSquaresHedge:
    """Least-squares hedge of a book with several instruments (docs/methodology/sizing.md).

    ``coefficients``: hedge value per unit of book value for each instrument (sell
    that much, per instrument); ``r_squared`` the effectiveness; ``residual_vol``
    the standard error of the regression annualised (basis risk left).
    """

    coefficients: pd.Series
    intercept: float
    r_squared: float
    residual_vol: float
    observations: int


def lsq_hedge(
    book: FloatArrayLike,
    instruments: FloatArrayLike | pd.DataFrame,
    *,
    prices: bool = True,
    periods_per_year: float = 252,
    names: list[str] | None = None,
    returns: ReturnKind = "simple",
) -> LeastSquaresHedge:
    """OLS of the book's returns on the instruments' returns, with an intercept.

    Parameters
    ----------
    book : (T,) prices (or returns with ``prices=False``) of the book / spot.
    instruments : (T, k) prices (or returns) of the hedge instruments, one column each.
    """
    y: Float64Array = np.asarray(book, dtype=np.float64).ravel()
    X: Float64Array = np.asarray(instruments, dtype=np.float64)
    if isinstance(instruments, pd.DataFrame) and names is None:
        names = [str(c) for c in instruments.columns]
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    if X.shape[0] != y.size:
        raise InputError(f"has {X.shape[0]} rows, the book {y.size}", where="instrument_prices")
    rows = y.size
    if prices:
        y = returns_from_prices(y, "book_prices", returns)
        X = returns_from_prices(X, "instrument_prices", returns)
    y, X = _complete_rows(y, X)
    n, k = X.shape
    if n < k + 2:
        src = f" (from {rows} price row{'' if rows == 1 else 's'})" if prices else ""
        raise NotEnoughData(
            f"needs at least {k + 2} complete return observations for {k} instrument(s), found {n}{src}",
            where="book_prices/instrument_prices",
        )
    A = np.column_stack([np.ones(n), X])
    coef, *_ = np.linalg.lstsq(A, y, rcond=None)
    if np.linalg.matrix_rank(A) < k + 1:
        raise InputError("instrument returns are collinear (or constant); drop one", where="instrument_prices")
    resid = y - A @ coef
    ssr = float(resid @ resid)
    sst = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - ssr / sst if sst > 0 else np.nan
    ppy = float(bounded_array(periods_per_year, "periods_per_year", low=0, low_open=True))
    sigma = np.sqrt(ssr / (n - k - 1)) * np.sqrt(ppy)
    labels = names or [f"instrument_{j + 1}" for j in range(k)]
    return LeastSquaresHedge(
        pd.Series(coef[1:], index=labels, name="hedge ratio"), float(coef[0]), float(r2), float(sigma), int(n)
    )


# --------------------------------------------------------------------------- pairs
def pair_residual_beta(
    w_a: FloatArrayLike, beta_a: FloatArrayLike, w_b: FloatArrayLike, beta_b: FloatArrayLike
) -> FloatOrArray:
    """β_pair = w_A·β_A + w_B·β_B (NAV fraction of index exposure left by a pair, docs/methodology/sizing.md).

    Short it with the index instrument: H = −β_pair · NAV (see :func:`hedge_notional`).
    """
    return float_or_array(
        float_array(w_a, "w_a") * float_array(beta_a, "beta_a")
        + float_array(w_b, "w_b") * float_array(beta_b, "beta_b")
    )


def pair_neutral_weight(w_a: FloatArrayLike, beta_a: FloatArrayLike, beta_b: FloatArrayLike) -> FloatOrArray:
    """Weight of leg B that makes the pair beta-neutral: w_B = −w_A·β_A/β_B (docs/methodology/sizing.md)."""
    b = bounded_array(beta_b, "beta_b", nonzero=True)
    return float_or_array(-float_array(w_a, "w_a") * float_array(beta_a, "beta_a") / b)
