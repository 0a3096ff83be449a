"""The one schema of a position: every field a position may carry, and the factor keys.

Each :class:`Field` says everything the package needs to know about one position
field, once: its key in Python, its label on the Book sheet, its type, its default
when blank, its unit, the values it may take, the defined name of its Book-sheet row
and the note shown on that row. The :class:`~xlhedge.engine.book.Book`, the hedge
state (:mod:`xlhedge.engine.hedgebook`), the checks, the template builder and the
workbook readers all read this table, so a new field is added here and nowhere else.

Factor rows are named by :func:`factor_key`: the six core factors have fixed keys
(``equity``, ``duration``, ``usd``, ``commodity``, ``crypto``, ``vol``) and a tilt row
is keyed by its name without the word "tilt" (``"Energy tilt"`` → ``"energy"``).
The methodology is in docs/methodology/factor-model.md.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Literal

from xlhedge.engine._typing import (
    ASSET_CLASSES,
    CORE_FACTORS,
    CURRENCIES,
    FACTOR_LABELS,
    INSTRUMENT_TYPES,
    OPTION_KINDS,
    OPTION_MODELS,
)

__all__ = [
    "Field",
    "FieldKind",
    "FIELDS",
    "FIELD",
    "SHEET_FIELDS",
    "POSITION_FIELDS",
    "ATTRIBUTE_COLUMNS",
    "FX_DECISIONS",
    "FX_DECISION_ALIASES",
    "IGNORED_COLUMNS",
    "normalize_label",
    "field_key",
    "factor_key",
    "factor_label",
    "factor_name",
]

FieldKind = Literal["text", "num", "bool", "date", "fx_decision"]

#: Recorded FX decisions for a position whose value moves with a foreign currency
#: (docs/methodology/checks.md, FX_UNDECIDED), and the spellings accepted for them.
FX_DECISIONS: tuple[str, ...] = ("hedge", "accept", "avoid")
FX_DECISION_ALIASES: dict[str, str] = {
    "hedge": "hedge",
    "hedged": "hedge",
    "hedge it": "hedge",
    "accept": "accept",
    "accepted": "accept",
    "accept as thesis": "accept",
    "thesis": "accept",
    "unhedged": "accept",
    "keep": "accept",
    "avoid": "avoid",
    "avoided": "avoid",
}

FMT_DATE = "yyyy-mm-dd"


@dataclass(frozen=True)
class Field:
    """One position field.

    Attributes
    ----------
    key : str
        Python name (a DataFrame column, a keyword).
    label : str
        Row label on the Book sheet, and the name used in messages ("Price of ES").
    kind : {"text", "num", "bool", "date", "fx_decision"}
        How a cell is read: text as written; ``num`` a float (blank = ``default``;
        anything else that is not a number is an error naming the cell); ``bool``
        TRUE/FALSE; ``date`` a date; ``fx_decision`` one of :data:`FX_DECISIONS`.
    default : Any
        Value of a blank cell for the hedge state and the checks.
    doc : str
        One line: what the field means, with its unit and sign.
    unit : str
        Unit of a numeric field ("fraction of NAV", "0–1", ...); empty for text.
    choices : tuple of str, optional
        Values the template's validation list offers.
    open_list : bool
        The choices are suggestions: another value is accepted (e.g. a tilt name).
    sheet_name : str, optional
        Defined name of the field's Book-sheet row; ``None`` for a field that has no
        attribute row (the weight has its own row below the attributes; notional and
        funding periods are DataFrame-only).
    number_format : str
        Excel number format of the row.
    note : str
        Comment on the Book-sheet row label (what a blank means).
    descriptive : bool
        Shown and kept with the position but not read by the hedge state or the checks.
    aliases : tuple of str
        Other labels a user's sheet or DataFrame may use for this field.
    """

    key: str
    label: str
    kind: FieldKind
    default: Any
    doc: str
    unit: str = ""
    choices: tuple[str, ...] | None = None
    open_list: bool = False
    sheet_name: str | None = None
    number_format: str = "General"
    note: str = ""
    descriptive: bool = False
    aliases: tuple[str, ...] = ()


#: Every position field. The ones with a ``sheet_name`` are the Book sheet's attribute
#: rows, in this order from the top; the weight row follows them.
FIELDS: tuple[Field, ...] = (
    Field("ticker", "Ticker", "text", "", "position id / ticker", sheet_name="BookTickers"),
    Field(
        "asset_class",
        "Asset class",
        "text",
        "",
        "equity, rates, fx, commodity, crypto, vol, cash, option",
        choices=ASSET_CLASSES,
        sheet_name="BookAssetClasses",
    ),
    Field(
        "instrument",
        "Instrument type",
        "text",
        "",
        "stock, etf, future, option, perp_linear, ... (descriptive)",
        choices=INSTRUMENT_TYPES,
        sheet_name="BookInstruments",
        descriptive=True,
    ),
    Field(
        "currency",
        "Currency (listing)",
        "text",
        "",
        "listing currency (blank = currency of record)",
        choices=CURRENCIES,
        sheet_name="BookCurrencies",
        aliases=("currency", "currency listing", "listing currency"),
    ),
    Field("sector", "Sector", "text", "", "sector (descriptive)", sheet_name="BookSectors", descriptive=True),
    Field(
        "is_hedge",
        "Is hedge",
        "bool",
        False,
        "TRUE for hedge positions",
        choices=("TRUE", "FALSE"),
        sheet_name="BookIsHedge",
        aliases=("hedge", "hedge flag"),
    ),
    Field(
        "fx_currency",
        "FX exposure currency",
        "text",
        "",
        "currency the value moves with (blank = listing currency)",
        choices=CURRENCIES,
        sheet_name="BookFxCurrencies",
        aliases=("fx currency",),
    ),
    Field(
        "fx_share",
        "FX share (0–1)",
        "num",
        math.nan,
        "share of the value that moves with the FX exposure currency, 0–1 (blank = 1)",
        unit="0–1",
        sheet_name="BookFxShares",
        number_format="0%",
        aliases=("fx share",),
    ),
    Field(
        "fx_decision",
        "FX decision",
        "fx_decision",
        "",
        "hedge / accept / avoid for a position in a currency other than the currency of record",
        choices=FX_DECISIONS,
        sheet_name="BookFxDecisions",
        note="hedge / accept / avoid for a position whose value moves with a foreign currency; "
        "blank = undecided (FX_UNDECIDED).",
    ),
    Field(
        "hedge_for",
        "Hedges position (ticker)",
        "text",
        "",
        "ticker of the single position a hedge covers (blank = a factor hedge)",
        sheet_name="BookHedgeFor",
        note="For a hedge of one position: that position's ticker. Blank = a factor hedge.",
        aliases=("hedges position", "hedge for", "hedges"),
    ),
    Field(
        "hedge_factor",
        "Hedge factor",
        "text",
        "",
        "factor a hedge targets (blank = its largest factor)",
        choices=CORE_FACTORS,
        open_list=True,
        sheet_name="BookHedgeFactors",
        note="Factor the hedge targets (a core factor key or a tilt name). Blank = the hedge's largest factor.",
    ),
    Field(
        "hedge_inception_ratio",
        "Hedge ratio at inception",
        "num",
        math.nan,
        "hedge ratio when the hedge was put on, 0–1",
        unit="0–1",
        sheet_name="BookHedgeInception",
        number_format="0%",
        note="Hedge ratio when the hedge was put on, 0–1.",
        aliases=("hedge inception ratio", "inception ratio"),
    ),
    Field(
        "target_ratio",
        "Target hedge ratio",
        "num",
        math.nan,
        "target hedge ratio, 0–1 (blank = inception ratio)",
        unit="0–1",
        sheet_name="BookTargetRatios",
        number_format="0%",
        note="Target hedge ratio, 0–1. Blank = the ratio at inception.",
        aliases=("target ratio",),
    ),
    Field(
        "hedge_date",
        "Hedge date",
        "date",
        None,
        "date the hedge was put on",
        sheet_name="BookHedgeDates",
        number_format=FMT_DATE,
        note="Date the hedge was put on (a record for the weekly review).",
        aliases=("hedge inception date",),
    ),
    Field(
        "expiry",
        "Expiry",
        "date",
        None,
        "expiry of a dated future or option",
        sheet_name="BookExpiries",
        number_format=FMT_DATE,
        note="Expiry of a dated future or option (ROLL_DUE).",
        aliases=("expiry date", "expiration"),
    ),
    Field(
        "price",
        "Price",
        "num",
        math.nan,
        "current price of one unit",
        unit="currency per unit",
        sheet_name="BookPrices",
        note="Current price of one unit (contracts in the rebalance, LIQUIDATION_NEAR).",
    ),
    Field(
        "multiplier",
        "Multiplier",
        "num",
        1.0,
        "currency per point per contract (1 for shares, blank = 100 for an option)",
        unit="currency per point",
        sheet_name="BookMultipliers",
        note="Currency per point per contract. Blank = 1 (shares), 100 for an option position.",
    ),
    Field(
        "liquidation_price",
        "Liquidation price",
        "num",
        math.nan,
        "liquidation price of a margined position",
        unit="currency per unit",
        sheet_name="BookLiquidationPrices",
        note="Liquidation price of a margined position (LIQUIDATION_NEAR).",
        aliases=("liq price",),
    ),
    Field(
        "funding_rate",
        "Funding rate (per 8h)",
        "num",
        math.nan,
        "perpetual funding rate per funding period; > 0: longs pay shorts",
        unit="fraction per funding period",
        sheet_name="BookFundingRates",
        number_format="0.0000%",
        note="Perpetual funding rate per 8-hour period; > 0: longs pay shorts (FUNDING_DRAG).",
        aliases=("funding rate", "funding rate per period", "funding rate per 8h"),
    ),
    Field(
        "daily_vol",
        "Daily vol",
        "num",
        math.nan,
        "standard deviation of daily returns, fraction",
        unit="fraction per day",
        sheet_name="BookDailyVols",
        note="Standard deviation of daily returns, fraction (0.02 = 2%); gives LIQUIDATION_NEAR in daily σ.",
        aliases=("daily volatility",),
    ),
    Field(
        "corr_normal",
        "Corr to SPX (normal)",
        "num",
        math.nan,
        "correlation of the instrument with SPX, normal regime",
        unit="−1 to 1",
        sheet_name="BookCorrNormal",
        note="Correlation with SPX in normal markets. Blank = the built-in table (STRESS_FLIP).",
        aliases=("corr normal",),
    ),
    Field(
        "corr_stress",
        "Corr to SPX (stress)",
        "num",
        math.nan,
        "correlation of the instrument with SPX, stress regime",
        unit="−1 to 1",
        sheet_name="BookCorrStress",
        note="Correlation with SPX in stress. Blank = the built-in table (STRESS_FLIP).",
        aliases=("corr stress",),
    ),
    # Options (docs/methodology/options.md): a column with an option type is an option
    # position; its weight (delta exposure) and betas are computed from its Greeks.
    Field(
        "option_type",
        "Option type",
        "text",
        "",
        "call or put for an option position (blank = not an option)",
        choices=OPTION_KINDS,
        sheet_name="BookOptionTypes",
        note="call / put: the column is an option position; its weight (delta exposure) and factor betas "
        "are computed from its Greeks by Refresh book / xlhedge recompute. Blank = not an option.",
        aliases=("option kind", "call put"),
    ),
    Field(
        "underlying",
        "Option underlying",
        "text",
        "",
        "ticker of the option's underlying: a position of the book or an Instruments-sheet ticker",
        sheet_name="BookUnderlyings",
        note="The option's underlying: the ticker of another position column (its betas and Price are used) "
        "or of the Instruments sheet (its factor beta and price).",
        aliases=("underlying ticker",),
    ),
    Field(
        "strike",
        "Strike",
        "num",
        math.nan,
        "option strike, in the underlying's price units",
        unit="currency per unit",
        sheet_name="BookStrikes",
        note="Option strike, in the underlying's price units.",
    ),
    Field(
        "implied_vol",
        "Implied vol",
        "num",
        math.nan,
        "option implied volatility, annual decimal (0.18 = 18%)",
        unit="annual decimal",
        sheet_name="BookImpliedVols",
        number_format="0.0%",
        note="Implied volatility of the option, annual (18% = 0.18).",
        aliases=("implied volatility", "iv"),
    ),
    Field(
        "contracts",
        "Contracts",
        "num",
        math.nan,
        "number of option contracts held, long > 0, short < 0",
        unit="contracts",
        sheet_name="BookContracts",
        number_format="#,##0",
        note="Option contracts held: long > 0, short < 0 (units of underlying = contracts × multiplier).",
    ),
    Field(
        "option_model",
        "Option model",
        "text",
        "bs",
        "bs (Black–Scholes–Merton on spot) or black76 (Black-76 on a futures price)",
        choices=OPTION_MODELS,
        sheet_name="BookOptionModels",
        note="bs: Black–Scholes–Merton on spot (rate and dividend yield from the Instruments sheet); "
        "black76: Black-76 on a futures price (VIX, ES, CL options). Blank = bs.",
        aliases=("model",),
    ),
    Field(
        "option_vol_beta",
        "Option vol beta",
        "num",
        math.nan,
        "vol-factor points per point of the option's implied vol (blank = 1, or 0 on a vol underlying)",
        unit="points per point",
        sheet_name="BookOptionVolBetas",
        note="Points of the book's vol factor per point of this option's implied vol. Blank = 1 (SPX options "
        "against VIX), 0 when the underlying is itself a vol instrument (a VIX option's vol of vol).",
    ),
    # No attribute row: the weight has its own row under the attributes; the others are
    # DataFrame-only inputs.
    Field(
        "weight",
        "Weight",
        "num",
        0.0,
        "fraction of NAV, long > 0, short < 0",
        unit="fraction of NAV",
        aliases=("weights", "weight of nav", "weight nav", "weight × nav"),
    ),
    Field(
        "notional",
        "Notional",
        "num",
        math.nan,
        "signed notional in the currency of record (weight = notional / NAV when weight is blank)",
        unit="currency",
    ),
    Field(
        "funding_periods",
        "Funding periods per day",
        "num",
        3.0,
        "funding payments per day (3 = every 8h)",
        unit="per day",
    ),
)

#: Field by key.
FIELD: dict[str, Field] = {f.key: f for f in FIELDS}
#: The Book sheet's attribute rows, top to bottom.
SHEET_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if f.sheet_name)
#: The fields the hedge state, the checks and the rebalance read.
POSITION_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if not f.descriptive)
#: Columns a :class:`~xlhedge.engine.book.Book` keeps beside weight and betas: every
#: attribute row but the ticker (which is the index).
ATTRIBUTE_COLUMNS: tuple[str, ...] = tuple(f.key for f in SHEET_FIELDS if f.key != "ticker")

#: DataFrame columns that describe a position but are neither a field the checks read
#: nor a factor beta.
IGNORED_COLUMNS = frozenset(
    {"sector", "instrument", "instrument type", "name", "description", "notes", "note", "position", "id"}
)


def normalize_label(label: Any) -> str:
    """Lower case, every run of characters other than letters and digits one space.

    ``"FX share (0–1)"`` → ``"fx share 0 1"``; the form labels are compared in.
    """
    return re.sub(r"[^a-z0-9]+", " ", str(label).strip().lower()).strip()


def _without_brackets(label: Any) -> str:
    return normalize_label(re.sub(r"\(.*?\)", "", str(label)))


def _label_index() -> dict[str, str]:
    exact: dict[str, str] = {}
    loose: dict[str, set[str]] = {}
    for f in FIELDS:
        for lab in (f.label, f.key, *f.aliases):
            exact.setdefault(normalize_label(lab), f.key)
            loose.setdefault(_without_brackets(lab), set()).add(f.key)
    # "Corr to SPX" without its bracket could be either correlation: such forms are not matched.
    return {**{k: next(iter(v)) for k, v in loose.items() if len(v) == 1}, **exact}


_BY_LABEL = _label_index()


def field_key(label: Any) -> str | None:
    """The field a row label or column name stands for, or ``None``.

    Matches the key itself (``"fx_share"``), the Book-sheet label (``"FX share (0–1)"``),
    the label without its bracketed part (``"FX share"``) and the field's aliases, all
    case- and punctuation-insensitively.
    """
    raw = str(label).strip()
    if raw in FIELD:
        return raw
    for cand in (normalize_label(raw), _without_brackets(raw)):
        if cand in _BY_LABEL:
            return _BY_LABEL[cand]
        if cand.replace(" ", "_") in FIELD:
            return cand.replace(" ", "_")
    return None


_FACTOR_SYNONYMS = {
    "spx": "equity",
    "equity": "equity",
    "equities": "equity",
    "rate duration": "duration",
    "rates": "duration",
    "duration": "duration",
    "rate": "duration",
    "usd": "usd",
    "dxy": "usd",
    "dollar": "usd",
    "commodity": "commodity",
    "commodities": "commodity",
    "crypto": "crypto",
    "btc": "crypto",
    "vol": "vol",
    "vix": "vol",
    "volatility": "vol",
}


_FACTOR_WORDS = re.compile(r"\b(beta|tilt|factor|exposure)\b")
#: Words that may follow a core factor's name in its label without making it another factor.
_UNIT_WORDS = frozenset({"per", "vix", "point", "points", "dxy", "spx", "btc", "year", "years", "equivalent"})
_CORE_LABELS = {normalize_label(label): key for key, label in FACTOR_LABELS.items()}


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", _FACTOR_WORDS.sub(" ", text)).strip()


def factor_key(label: Any) -> str:
    """The canonical key of a factor row label or a ``Hedge factor`` cell.

    Core factors: their label, key or a synonym, with or without the words beta, tilt,
    factor, exposure, a bracketed part or unit words (``"Equity beta (SPX)"``, ``"equity"``,
    ``"SPX"``, ``"Rate duration (years)"``, ``"vol per VIX point"``). Anything else is a
    tilt keyed by its own words, the word "tilt" dropped and a bracketed qualifier kept:
    ``"Energy tilt"`` and ``"energy"`` → ``"energy"``, ``"Value (US)"`` → ``"value_us"``,
    ``"Equity momentum"`` → ``"equity_momentum"``.
    """
    raw = str(label).strip()
    full = normalize_label(raw)
    if full in _CORE_LABELS:
        return _CORE_LABELS[full]
    core = _words(_without_brackets(raw))
    if core in _FACTOR_SYNONYMS:
        return _FACTOR_SYNONYMS[core]
    if core.replace(" ", "_") in CORE_FACTORS:
        return core.replace(" ", "_")
    first, *rest = core.split(" ") if core else [""]
    if first in _FACTOR_SYNONYMS and rest and all(w in _UNIT_WORDS for w in rest):
        return _FACTOR_SYNONYMS[first]
    tilt = _words(full).replace(" ", "_")
    return tilt or full.replace(" ", "_") or raw


def factor_label(key: str) -> str:
    """The row label of a factor: the core factors' fixed labels, ``"Energy tilt"`` for a tilt key."""
    return FACTOR_LABELS.get(key, key.replace("_", " ").capitalize() + " tilt")


def factor_name(key: str) -> str:
    """Words for a factor in a message: ``equity beta``, ``duration``, ``energy tilt``."""
    return {
        "equity": "equity beta",
        "duration": "duration",
        "usd": "USD beta",
        "commodity": "commodity beta",
        "crypto": "crypto beta",
        "vol": "vol exposure",
    }.get(key, key.replace("_", " ") + " tilt")
