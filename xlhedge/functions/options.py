"""Option worksheet functions (docs/methodology/options.md): OPTION_GREEKS, OPTION_EXPOSURE, OPTION_SCENARIO.

In OPTION_GREEKS and OPTION_EXPOSURE every argument is a cell or a column (or row) with
one option per item; single cells broadcast against the columns and the result has one
row per option. OPTION_SCENARIO takes one option and returns a grid of P&L, one row per
spot move and one column per vol move.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from xlhedge.engine import coerce
from xlhedge.engine import options as _opt
from xlhedge.engine._typing import OPTION_KINDS, OPTION_MODELS, Float64Array1D, Float64Array2D
from xlhedge.engine.errors import InputError
from xlhedge.functions.registry import worksheet_function
from xlhedge.functions.sizing import num

__all__ = ["OPTION_GREEKS", "OPTION_EXPOSURE", "OPTION_SCENARIO", "option_columns"]

_COMMON_DOCS = {
    "kind": '"call" or "put"; a cell or a column with one option per row.',
    "spot": "Price of the underlying (> 0); for model black76 the futures price (VIX future, ES, CL).",
    "strike": "Strike (> 0), same currency as spot.",
    "vol": "Implied volatility, annual decimal (0.18 = 18%), > 0.",
    "years": "Time to expiry in years (≥ 0; 0 = at expiry: intrinsic value).",
    "rate": "Risk-free rate, annual continuously compounded decimal (default 0).",
    "div": "Dividend yield, annual continuously compounded decimal (default 0; ignored by black76).",
    "model": '"bs" (Black–Scholes–Merton on spot, default) or "black76" (Black-76 on a futures price).',
}


def _vector(x: Any, name: str, default: float | None = None) -> Float64Array1D:
    """A cell, a column or a row as a 1-D float array (a 2-D block is an error)."""
    a = num(x, name, default)
    if a.shape[0] > 1 and a.shape[1] > 1:
        raise InputError(f"is a {a.shape[0]}×{a.shape[1]} block; give one cell or one column", where=name)
    return a.ravel()


def _texts(x: Any, name: str, choices: tuple[str, ...], default: str | None) -> list[str]:
    """Text options (one per item), each checked against ``choices``; blank = ``default``."""
    if coerce.is_omitted(x):
        if default is None:
            raise InputError(f"is required; one of {', '.join(choices)}", where=name)
        return [default]
    g = coerce.grid(x, name)
    if g.shape[0] > 1 and g.shape[1] > 1:
        raise InputError(f"is a {g.shape[0]}×{g.shape[1]} block; give one cell or one column", where=name)
    out = []
    for i, v in enumerate(g.ravel()):
        where = name if g.size == 1 else f"{name} item {i + 1}"
        out.append(coerce.choice(v, where, choices, default=default))
    return out


def option_columns(**columns: Any) -> list[Any]:
    """Broadcast per-option columns (length n or 1) to one length, naming a misfit."""
    lengths = {k: len(v) for k, v in columns.items()}
    n = max(lengths.values())
    bad = {k: m for k, m in lengths.items() if m not in (1, n)}
    if bad:
        desc = ", ".join(f"{k} {m}" for k, m in lengths.items() if m > 1)
        raise InputError(f"columns of different lengths cannot be combined: {desc}", where="arguments")
    out: list[Any] = []
    for v in columns.values():
        if isinstance(v, list):
            out.append(np.array(v * n if len(v) == 1 else v, dtype=object))
        else:
            out.append(np.broadcast_to(v, (n,)))
    return out


@worksheet_function(
    "OPTION_GREEKS",
    "Row [price, delta, gamma, vega per vol point, theta per day] of European options per unit of "
    "underlying, one row per option (docs/methodology/options.md).",
    docs=_COMMON_DOCS,
    ranges=("kind", "spot", "strike", "vol", "years", "rate", "div", "model"),
)
def OPTION_GREEKS(
    kind: Any, spot: Any, strike: Any, vol: Any, years: Any, rate: Any = 0.0, div: Any = 0.0, model: Any = "bs"
) -> Float64Array2D:
    """delta = ∂V/∂S, gamma = ∂²V/∂S², vega = 0.01·∂V/∂σ, theta = −(∂V/∂T)/365."""
    k, s, x, v, t, r, q, m = option_columns(
        kind=_texts(kind, "kind", OPTION_KINDS, None),
        spot=_vector(spot, "spot"),
        strike=_vector(strike, "strike"),
        vol=_vector(vol, "vol"),
        years=_vector(years, "years"),
        rate=_vector(rate, "rate", 0.0),
        div=_vector(div, "div", 0.0),
        model=_texts(model, "model", OPTION_MODELS, "bs"),
    )
    g = _opt.option_greeks(k, s, x, v, t, r, q, m)
    return np.column_stack([g.price, g.delta, g.gamma, g.vega, g.theta])


@worksheet_function(
    "OPTION_EXPOSURE",
    "Row [delta exposure, vol exposure, gamma exposure, premium, theta per day] of option holdings, "
    "one row per option (docs/methodology/options.md).",
    docs={
        "kind": _COMMON_DOCS["kind"],
        "contracts": "Number of contracts held (long > 0, short < 0).",
        "multiplier": "Units of underlying per contract (> 0): 100 for SPX, SPY and VIX options.",
        "spot": _COMMON_DOCS["spot"],
        "strike": _COMMON_DOCS["strike"],
        "vol": _COMMON_DOCS["vol"],
        "years": _COMMON_DOCS["years"],
        "nav": "NAV in the currency of record (> 0).",
        "rate": _COMMON_DOCS["rate"],
        "div": _COMMON_DOCS["div"],
        "model": _COMMON_DOCS["model"],
        "vol_beta": "Vol-factor points per point of the option's implied vol (default 1: SPX options against VIX).",
    },
    ranges=("kind", "contracts", "multiplier", "spot", "strike", "vol", "years", "rate", "div", "model", "vol_beta"),
)
def OPTION_EXPOSURE(
    kind: Any,
    contracts: Any,
    multiplier: Any,
    spot: Any,
    strike: Any,
    vol: Any,
    years: Any,
    nav: Any,
    rate: Any = 0.0,
    div: Any = 0.0,
    model: Any = "bs",
    vol_beta: Any = 1.0,
) -> Float64Array2D:
    """Delta exposure n·m·Δ·S/nav, vol exposure n·m·vega·β/nav, gamma exposure ½·n·m·Γ·(0.01·S)²/nav
    (NAV fractions), premium n·m·V and theta n·m·θ (currency, per day)."""
    a = coerce.scalar(nav, "nav", minimum=0, strict_min=True)
    k, n, mu, s, x, v, t, r, q, m, b = option_columns(
        kind=_texts(kind, "kind", OPTION_KINDS, None),
        contracts=_vector(contracts, "contracts"),
        multiplier=_vector(multiplier, "multiplier"),
        spot=_vector(spot, "spot"),
        strike=_vector(strike, "strike"),
        vol=_vector(vol, "vol"),
        years=_vector(years, "years"),
        rate=_vector(rate, "rate", 0.0),
        div=_vector(div, "div", 0.0),
        model=_texts(model, "model", OPTION_MODELS, "bs"),
        vol_beta=_vector(vol_beta, "vol_beta", 1.0),
    )
    e = _opt.option_exposure(k, n, mu, s, x, v, t, a, r, q, m, b)
    return np.column_stack([e.delta, e.vol, e.gamma, e.premium, e.theta])


@worksheet_function(
    "OPTION_SCENARIO",
    "P&L of one option holding by full revaluation: one row per spot move, one column per vol move "
    "(docs/methodology/options.md).",
    docs={
        "kind": '"call" or "put" (one option).',
        "contracts": "Number of contracts held (long > 0, short < 0).",
        "multiplier": "Units of underlying per contract (> 0): 100 for SPX, SPY and VIX options.",
        "spot": _COMMON_DOCS["spot"],
        "strike": _COMMON_DOCS["strike"],
        "vol": _COMMON_DOCS["vol"],
        "years": _COMMON_DOCS["years"],
        "spot_moves": "A column of relative spot moves (−0.2 = −20%), one result row each.",
        "vol_moves": "A row of vol moves in vol points (+10 = σ + 0.10), one result column each.",
        "rate": _COMMON_DOCS["rate"],
        "div": _COMMON_DOCS["div"],
        "model": _COMMON_DOCS["model"],
        "horizon_days": "Calendar days that pass before the moves (default 0); at or past expiry the option "
        "is worth its intrinsic value.",
    },
    ranges=("spot_moves", "vol_moves"),
)
def OPTION_SCENARIO(
    kind: Any,
    contracts: Any,
    multiplier: Any,
    spot: Any,
    strike: Any,
    vol: Any,
    years: Any,
    spot_moves: Any,
    vol_moves: Any,
    rate: Any = 0.0,
    div: Any = 0.0,
    model: Any = "bs",
    horizon_days: Any = 0.0,
) -> Float64Array2D:
    """contracts·multiplier·(V(S·(1+m), σ + v/100, T − h/365) − V(S, σ, T)) in currency."""
    k = coerce.choice(kind, "kind", OPTION_KINDS)
    mdl = coerce.choice(model, "model", OPTION_MODELS, default="bs")
    mult = coerce.scalar(multiplier, "multiplier", minimum=0, strict_min=True)
    grid = _opt.option_scenario(
        k,
        coerce.scalar(contracts, "contracts"),
        mult,
        coerce.scalar(spot, "spot"),
        coerce.scalar(strike, "strike"),
        coerce.scalar(vol, "vol"),
        coerce.scalar(years, "years"),
        num(spot_moves, "spot_moves").ravel(),
        num(vol_moves, "vol_moves").ravel(),
        coerce.scalar(rate, "rate", default=0.0),
        coerce.scalar(div, "div", default=0.0),
        mdl,
        coerce.scalar(horizon_days, "horizon_days", default=0.0),
    )
    return grid


# ----------------------------------------------------------------------------- the book's options
#: Columns of BOOK_GREEKS, in order.
BOOK_GREEKS_COLUMNS: tuple[str, ...] = (
    "Position",
    "Underlying",
    "Type",
    "Delta exposure (× NAV)",
    "Vol exposure (× NAV per vol point)",
    "Gamma exposure (× NAV, 1% move)",
    "Premium (currency)",
    "Theta per day (currency)",
    "Theta per year (× NAV)",
)


def book_option_table(
    attributes: Any,
    nav: Any,
    as_of: Any = None,
    rate: Any = 0.0,
    div: Any = 0.0,
    instruments: Any = None,
) -> tuple[Any, float]:
    """The Greeks table of a Book attribute block (labels in column A) and the NAV.

    Priced once per recompute for the same ranges (:func:`xlhedge.functions.memo.once`:
    ``BOOK_GREEKS`` and ``OPTION_THETA_BUDGET`` read the same block); each caller gets its own copy.
    """
    from xlhedge.functions.memo import once

    t, n = once("book_option_table", _book_option_table, attributes, nav, as_of, rate, div, instruments)
    return t.copy(), n


def _book_option_table(
    attributes: Any,
    nav: Any,
    as_of: Any = None,
    rate: Any = 0.0,
    div: Any = 0.0,
    instruments: Any = None,
) -> tuple[Any, float]:
    """The Greeks table of a Book attribute block (labels in column A) and the NAV."""
    from xlhedge.engine import instruments as _inst
    from xlhedge.engine.optionbook import resolve_options
    from xlhedge.engine.schema import FIELD, field_key

    g = coerce.grid(attributes, "attributes")
    n = coerce.scalar(nav, "nav", minimum=0, strict_min=True)
    rows: dict[str, list[Any]] = {}
    for r in range(g.shape[0]):
        lab = g[r, 0]
        key = field_key(lab) if isinstance(lab, str) and lab.strip() else None
        if key in FIELD and key not in rows:
            rows[key] = [None if coerce.is_blank(v) else v for v in g[r, 1:]]
    if "ticker" not in rows:
        raise InputError("has no row labelled 'Ticker' (pass BookAttributeBlock)", where="attributes")
    used = [j for j, t in enumerate(rows["ticker"]) if t is not None]
    tickers = [str(rows["ticker"][j]).strip() for j in used]
    attrs = {k: [v[j] for j in used] for k, v in rows.items() if k != "ticker"}
    for key in ("price", "strike", "implied_vol", "contracts", "multiplier", "option_vol_beta"):
        if key in attrs:
            attrs[key] = [coerce.to_float([[v]], FIELD[key].label, blank=np.nan)[0, 0] for v in attrs[key]]
    val = coerce.as_date(coerce.grid(as_of, "as_of")[0, 0], "as_of") if not coerce.is_omitted(as_of) else None
    cat = None if coerce.is_omitted(instruments) else _inst.from_grid(instruments)
    ob = resolve_options(
        tickers,
        np.zeros(len(tickers)),
        np.zeros((0, len(tickers))),
        [],
        attrs,
        n,
        valuation_date=val,
        rate=coerce.scalar(rate, "rate", default=0.0),
        div=coerce.scalar(div, "div", default=0.0),
        instruments=cat,
        place=lambda key, j: f"{FIELD[key].label} of {tickers[j]}",
    )
    return ob.greeks, n


@worksheet_function(
    "BOOK_GREEKS",
    "Greeks table of the book's option positions, one row per option then the book total: delta, vol and "
    "gamma exposure, premium, theta per day and per year (docs/methodology/options.md).",
    docs={
        "attributes": "The Book's attribute block with its labels (BookAttributeBlock).",
        "nav": "NAV in the currency of record (> 0).",
        "as_of": "Valuation date: years to expiry count from it (blank = today).",
        "rate": "Risk-free rate for the bs options, annual continuously compounded (default 0).",
        "div": "Dividend yield for the bs options, annual continuously compounded (default 0).",
        "instruments": "The Instruments table (InstrumentTable) an underlying outside the book is looked up in "
        "(blank = the shipped catalogue).",
        "rows": "Rows to fill (default: as many as needed); the rest are blank.",
    },
    ranges=("attributes", "instruments"),
)
def BOOK_GREEKS(
    attributes: Any,
    nav: Any,
    as_of: Any = None,
    rate: Any = 0.0,
    div: Any = 0.0,
    instruments: Any = None,
    rows: Any = None,
) -> list[list[Any]]:
    """Rows [position, underlying, type, delta exp, vol exp, gamma exp, premium, theta/day, theta/yr × NAV]."""
    t, n = book_option_table(attributes, nav, as_of, rate, div, instruments)
    out: list[list[Any]] = [
        [
            str(tk),
            r.underlying,
            r.option_type,
            r.delta_exposure,
            r.vol_exposure,
            r.gamma_exposure,
            r.premium,
            r.theta_day,
            r.theta_year_nav,
        ]
        for tk, r in t.iterrows()
    ]
    sums = t[["delta_exposure", "vol_exposure", "gamma_exposure", "premium", "theta_day", "theta_year_nav"]].sum()
    out.append(["Book (options)", None, None, *(float(v) for v in sums)])
    if not coerce.is_omitted(rows):
        k = int(coerce.scalar(rows, "rows", minimum=1))
        if len(out) > k:
            raise InputError(f"the book has {len(out) - 1} options: the table needs {len(out)} rows", where="rows")
        out += [[None] * len(BOOK_GREEKS_COLUMNS) for _ in range(k - len(out))]
    return out


def book_from_blocks(
    attributes: Any,
    factors: Any,
    nav: Any,
    as_of: Any = None,
    rate: Any = 0.0,
    div: Any = 0.0,
    instruments: Any = None,
) -> Any:
    """A :class:`~xlhedge.engine.book.Book` from the Book sheet's labelled blocks
    (``BookAttributeBlock``: the attribute rows and the weight row; ``BookFactorBlock``: the
    factor rows), its option positions valued as of ``as_of`` with ``rate`` and ``div``."""
    from xlhedge.engine import instruments as _inst
    from xlhedge.engine.book import Book, OptionInputs
    from xlhedge.engine.schema import SHEET_FIELDS, field_key

    a, f = coerce.grid(attributes, "attributes"), coerce.grid(factors, "factors")
    if a.shape[1] != f.shape[1]:
        raise InputError(f"has {f.shape[1]} columns, attributes {a.shape[1]}", where="factors")
    g = np.vstack([a, f])
    labels = [("" if coerce.is_blank(v) else str(v).strip()) for v in g[:, 0]]
    low = [x.lower() for x in labels]
    w_row = next((i for i, x in enumerate(low[: a.shape[0]]) if x.startswith("weight")), None)
    if w_row is None:
        raise InputError("has no row labelled 'Weight' (pass BookAttributeBlock)", where="attributes")
    on_sheet = {fl.key for fl in SHEET_FIELDS}
    attr_rows = {str(k): i for i, lab in enumerate(labels[:w_row]) if lab and (k := field_key(lab)) in on_sheet}
    if "ticker" not in attr_rows:
        raise InputError("has no row labelled 'Ticker' (pass BookAttributeBlock)", where="attributes")
    f_rows = [i for i in range(a.shape[0], g.shape[0]) if labels[i]]
    val = None if coerce.is_omitted(as_of) else coerce.as_date(coerce.grid(as_of, "as_of")[0, 0], "as_of")
    opts = OptionInputs(
        rate=coerce.scalar(rate, "rate", default=0.0),
        div=coerce.scalar(div, "div", default=0.0),
        valuation_date=val,
        instruments=None if coerce.is_omitted(instruments) else _inst.from_grid(instruments),
    )
    return Book.from_rows(
        g,
        labels,
        attr_rows,
        w_row,
        f_rows,
        coerce.scalar(nav, "nav", minimum=0, strict_min=True),
        place=lambda i, j: f"row {i + 1}, position {j + 1}",
        options=opts,
    )


def scenario_rows(scenarios: Any) -> tuple[int, list[int], Any]:
    """The joint-scenario input rows (name, SPX move, VIX move): (rows in the range, the rows
    that hold a scenario, a frame of ``spx_move`` / ``vix_move`` indexed by name)."""
    import pandas as pd

    g = coerce.grid(scenarios, "scenarios")
    if g.shape[1] != 3:
        raise InputError(f"needs 3 columns (name, SPX move, VIX move), found {g.shape[1]}", where="scenarios")
    keep = [i for i in range(g.shape[0]) if not coerce.is_blank(g[i, 0])]
    names = [str(g[i, 0]).strip() for i in keep]
    moves = coerce.to_float(g[keep][:, 1:], "scenarios") if keep else np.zeros((0, 2))
    sc = pd.DataFrame({"spx_move": moves[:, 0], "vix_move": moves[:, 1]}, index=pd.Index(names, name="scenario"))
    return g.shape[0], keep, sc


def book_joint_scenarios(
    attributes: Any,
    factors: Any,
    nav: Any,
    as_of: Any,
    rate: Any,
    div: Any,
    instruments: Any,
    scenarios: Any,
    hedges: Any = None,
) -> Any:
    """:meth:`Book.joint_scenarios <xlhedge.engine.book.Book.joint_scenarios>` of the Book sheet's
    blocks (an empty book, the template's, moves nothing but its hedges); ``scenarios`` is
    :func:`scenario_rows`' frame."""
    import pandas as pd

    from xlhedge.engine import instruments as _inst
    from xlhedge.engine.optionbook import GREEKS_COLUMNS, joint_scenarios

    sc = scenarios
    r = coerce.scalar(rate, "rate", default=0.0)
    q = coerce.scalar(div, "div", default=0.0)
    cat = None if coerce.is_omitted(instruments) else _inst.from_grid(instruments)
    a = coerce.grid(attributes, "attributes")
    if all(coerce.is_blank(v) for v in a[:, 1:].ravel()):  # an empty book (the template)
        n = coerce.scalar(nav, "nav", minimum=0, strict_min=True)
        empty = pd.DataFrame(columns=list(GREEKS_COLUMNS), index=pd.Index([], name="ticker"))
        return joint_scenarios(empty, 0.0, 0.0, n, sc, hedges, instruments=cat, rate=r, div=q)
    book = book_from_blocks(attributes, factors, nav, as_of, rate, div, instruments)
    return book.joint_scenarios(sc, hedges, instruments=cat, rate=r, div=q)


def scenario_output(n_rows: int, keep: list[int], table: Any, columns: list[str]) -> list[list[Any]]:
    """One output row per input row of the scenarios range ([name, *columns of table]; ``n_rows``
    and ``keep`` as :func:`scenario_rows` gives them); a blank input row gives a blank row."""
    rows = [[str(n), *(float(v) for v in r)] for n, r in zip(table.index, table[columns].to_numpy())]
    full: list[list[Any]] = [[None] * (len(columns) + 1) for _ in range(n_rows)]
    for i, r in zip(keep, rows):
        full[i] = r
    return full


@worksheet_function(
    "OPTION_BOOK_SCENARIOS",
    "Joint SPX / VIX scenarios of the book without vs with its options: the book without them, its options "
    "by full revaluation and by delta only, with them, and the convexity (docs/methodology/options.md; the "
    "Scenarios sheet's JOINT_SCENARIO_PNL adds the recommended hedges).",
    docs={
        "attributes": "The Book's attribute block with its labels (BookAttributeBlock).",
        "factors": "The Book's factor block with its labels (BookFactorBlock).",
        "nav": "NAV in the currency of record (> 0).",
        "as_of": "Valuation date: years to expiry count from it (blank = today).",
        "rate": "Risk-free rate for the bs options, annual continuously compounded (default 0).",
        "div": "Dividend yield for the bs options, annual continuously compounded (default 0).",
        "instruments": "The Instruments table (InstrumentTable); blank = the shipped catalogue.",
        "scenarios": "One row per scenario: name, SPX move (decimal, −0.20), VIX move (points, +25).",
    },
    ranges=("attributes", "factors", "instruments", "scenarios"),
)
def OPTION_BOOK_SCENARIOS(
    attributes: Any,
    factors: Any,
    nav: Any,
    as_of: Any,
    rate: Any,
    div: Any,
    instruments: Any,
    scenarios: Any,
) -> list[list[Any]]:
    """Rows [name, SPX move, VIX move, without options, options, options delta-only, with options,
    with options delta-only, convexity] in currency."""
    n_rows, keep, sc = scenario_rows(scenarios)
    t = book_joint_scenarios(attributes, factors, nav, as_of, rate, div, instruments, sc).copy()
    t["with_delta_only"] = t["book_ex_options"] + t["options_delta_only"]
    cols = ["spx_move", "vix_move", "book_ex_options", "options", "options_delta_only", "unhedged"]
    return scenario_output(n_rows, keep, t, [*cols, "with_delta_only", "convexity"])


@worksheet_function(
    "OPTION_THETA_BUDGET",
    "Annualised theta of the options held against their budget buckets (long puts: tail protection, "
    "options on a vol instrument: long volatility), one row per bucket (docs/methodology/options.md).",
    docs={
        "attributes": "The Book's attribute block with its labels (BookAttributeBlock).",
        "nav": "NAV in the currency of record (> 0).",
        "as_of": "Valuation date: years to expiry count from it (blank = today).",
        "rate": "Risk-free rate for the bs options, annual continuously compounded (default 0).",
        "div": "Dividend yield for the bs options, annual continuously compounded (default 0).",
        "instruments": "The Instruments table (InstrumentTable); blank = the shipped catalogue.",
        "budget_status": "The Budget sheet's BUDGET_STATUS table (BudgetStatus): bucket label, fraction, budget, …",
    },
    ranges=("attributes", "instruments", "budget_status"),
)
def OPTION_THETA_BUDGET(
    attributes: Any, nav: Any, as_of: Any, rate: Any, div: Any, instruments: Any, budget_status: Any
) -> list[list[Any]]:
    """Rows [bucket, theta per year (currency, > 0 = cost), the bucket's budget, theta / budget,
    the option positions counted in the bucket (tickers, comma-separated)]."""
    import pandas as pd

    from xlhedge.engine.budget import BUCKET_LABELS, normalise_bucket
    from xlhedge.engine.optionbook import theta_budget

    t, n = book_option_table(attributes, nav, as_of, rate, div, instruments)
    g = coerce.grid(budget_status, "budget_status")
    if g.shape[1] < 3:
        raise InputError("needs the BUDGET_STATUS columns (label, fraction, budget, …)", where="budget_status")
    budget: dict[str, float] = {}
    for i in range(g.shape[0]):
        if coerce.is_blank(g[i, 0]):
            continue
        key = normalise_bucket(g[i, 0], f"budget_status row {i + 1}")
        budget[key] = float(coerce.to_float(g[i : i + 1, 2:3], "budget_status", blank=0.0)[0, 0])
    out = theta_budget(t, pd.Series(budget, dtype=float), n)
    return [
        [
            BUCKET_LABELS.get(str(k), str(k)),
            float(r.theta_year),
            float(r.budget),
            None if r.used != r.used else float(r.used),
            str(r.options),
        ]
        for k, r in out.iterrows()
    ]
