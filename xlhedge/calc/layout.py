"""Where things live in the Book sheet: one column per position, one row per attribute.

Shared by the template builder (which writes this layout and its defined names)
and :class:`xlhedge.engine.book.Book` (which reads it back through the same names), so
the two cannot drift apart. Formulas in the template refer to the defined
names, which Excel keeps pointing at the right cells when a user inserts
positions (columns) inside the block.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlhedge.calc.refs import col_letters
from xlhedge.engine._typing import ASSET_CLASSES, CORE_FACTORS, CURRENCIES, FACTOR_LABELS, INSTRUMENT_TYPES
from xlhedge.engine.hedgebook import FX_DECISIONS

BOOK_SHEET = "Book"
FIRST_POSITION_COL = 2  # column B; column A holds the row labels

#: Book-level inputs: (defined name, label, row, number format).
BOOK_FIELDS: tuple[tuple[str, str, int, str], ...] = (
    ("NAV", "NAV (currency of record)", 3, "#,##0"),
    ("RecordCurrency", "Currency of record", 4, "@"),
    ("AsOf", "As of (last decomposition date)", 5, "yyyy-mm-dd"),
)


FMT_DATE = "yyyy-mm-dd"


@dataclass(frozen=True)
class Attribute:
    """A per-position attribute row: key (Python), label (column A), defined name, validation.

    ``kind`` says how :class:`xlhedge.engine.book.Book` carries the row's cells: ``text``
    as read, ``num`` as floats (blank = NaN, a non-number is an error naming the
    cell), ``date`` as read (dates stay dates). ``open_list``: the choices are
    suggestions (Excel warns but accepts another value, e.g. a tilt name).
    ``note`` becomes the comment on the row label (what a blank means).
    """

    key: str
    label: str
    name: str
    choices: tuple[str, ...] | None = None
    number_format: str = "General"
    width_hint: int = 0
    kind: str = "text"
    open_list: bool = False
    note: str = ""


#: Attribute rows above the weights, in order (first at ATTRIBUTE_ROW0).
ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("ticker", "Ticker", "BookTickers"),
    Attribute("asset_class", "Asset class", "BookAssetClasses", ASSET_CLASSES),
    Attribute("instrument", "Instrument type", "BookInstruments", INSTRUMENT_TYPES),
    Attribute("currency", "Currency (listing)", "BookCurrencies", CURRENCIES),
    Attribute("sector", "Sector", "BookSectors"),
    Attribute("is_hedge", "Is hedge", "BookIsHedge", ("TRUE", "FALSE")),
    Attribute("fx_currency", "FX exposure currency", "BookFxCurrencies", CURRENCIES),
    Attribute("fx_share", "FX share (0–1)", "BookFxShares", None, "0%", kind="num"),
    # Read by the checks and the rebalance (xlhedge.engine.hedgebook.POSITION_FIELDS; docs/methodology/perpetuals.md, checks.md).
    Attribute(
        "fx_decision",
        "FX decision",
        "BookFxDecisions",
        FX_DECISIONS,
        note="hedge / accept / avoid for a position whose value moves with a foreign currency; "
        "blank = undecided (FX_UNDECIDED).",
    ),
    Attribute(
        "hedge_for",
        "Hedges position (ticker)",
        "BookHedgeFor",
        note="For a hedge of one position: that position's ticker. Blank = a factor hedge.",
    ),
    Attribute(
        "hedge_factor",
        "Hedge factor",
        "BookHedgeFactors",
        CORE_FACTORS,
        open_list=True,
        note="Factor the hedge targets (a core factor key or a tilt name). Blank = the hedge's largest factor.",
    ),
    Attribute(
        "hedge_inception_ratio",
        "Hedge ratio at inception",
        "BookHedgeInception",
        None,
        "0%",
        kind="num",
        note="Hedge ratio when the hedge was put on, 0–1.",
    ),
    Attribute(
        "target_ratio",
        "Target hedge ratio",
        "BookTargetRatios",
        None,
        "0%",
        kind="num",
        note="Target hedge ratio, 0–1. Blank = the ratio at inception.",
    ),
    Attribute(
        "hedge_date",
        "Hedge date",
        "BookHedgeDates",
        None,
        FMT_DATE,
        kind="date",
        note="Date the hedge was put on (a record for the weekly review).",
    ),
    Attribute(
        "expiry",
        "Expiry",
        "BookExpiries",
        None,
        FMT_DATE,
        kind="date",
        note="Expiry of a dated future or option (ROLL_DUE).",
    ),
    Attribute(
        "price",
        "Price",
        "BookPrices",
        None,
        kind="num",
        note="Current price of one unit (contracts in the rebalance, LIQUIDATION_NEAR).",
    ),
    Attribute(
        "multiplier",
        "Multiplier",
        "BookMultipliers",
        None,
        kind="num",
        note="Currency per point per contract. Blank = 1 (shares).",
    ),
    Attribute(
        "liquidation_price",
        "Liquidation price",
        "BookLiquidationPrices",
        None,
        kind="num",
        note="Liquidation price of a margined position (LIQUIDATION_NEAR).",
    ),
    Attribute(
        "funding_rate",
        "Funding rate (per 8h)",
        "BookFundingRates",
        None,
        "0.0000%",
        kind="num",
        note="Perpetual funding rate per 8-hour period; > 0: longs pay shorts (FUNDING_DRAG).",
    ),
    Attribute(
        "daily_vol",
        "Daily vol",
        "BookDailyVols",
        None,
        kind="num",
        note="Standard deviation of daily returns, fraction (0.02 = 2%); gives LIQUIDATION_NEAR in daily σ.",
    ),
    Attribute(
        "corr_normal",
        "Corr to SPX (normal)",
        "BookCorrNormal",
        None,
        kind="num",
        note="Correlation with SPX in normal markets. Blank = the built-in table (STRESS_FLIP).",
    ),
    Attribute(
        "corr_stress",
        "Corr to SPX (stress)",
        "BookCorrStress",
        None,
        kind="num",
        note="Correlation with SPX in stress. Blank = the built-in table (STRESS_FLIP).",
    ),
)

ATTRIBUTE_ROW0 = 7
HEADER_ROW = ATTRIBUTE_ROW0 - 1
WEIGHT_ROW = ATTRIBUTE_ROW0 + len(ATTRIBUTES)
FACTOR_ROW0 = WEIGHT_ROW + 1

#: Tilt rows shipped after the six core factors (users rename or add more).
TILTS: tuple[str, ...] = (
    "Healthcare tilt",
    "Industrials tilt",
    "Energy tilt",
    "Technology tilt",
    "Financials tilt",
    "Momentum tilt",
)
FACTOR_LABEL_LIST: tuple[str, ...] = tuple(FACTOR_LABELS[f] for f in CORE_FACTORS) + TILTS
N_FACTORS = len(FACTOR_LABEL_LIST)
LAST_FACTOR_ROW = FACTOR_ROW0 + N_FACTORS - 1

#: Position columns the template ships (B:AE); names cover them all.
DEFAULT_POSITIONS = 30


def attribute_row(key: str) -> int:
    for i, a in enumerate(ATTRIBUTES):
        if a.key == key:
            return ATTRIBUTE_ROW0 + i
    raise KeyError(key)


@dataclass(frozen=True)
class BookLayout:
    """The Book sheet for a given number of position columns."""

    positions: int = DEFAULT_POSITIONS

    @property
    def first_col(self) -> str:
        return col_letters(FIRST_POSITION_COL)

    @property
    def last_col(self) -> str:
        return col_letters(FIRST_POSITION_COL + self.positions - 1)

    def row_ref(self, row: int) -> str:
        """Absolute reference to one Book row across every position column."""
        return f"{BOOK_SHEET}!${self.first_col}${row}:${self.last_col}${row}"

    def defined_names(self) -> dict[str, str]:
        """Every defined name of the Book sheet -> absolute reference."""
        s, a, z = BOOK_SHEET, self.first_col, self.last_col
        names = {name: f"{s}!$B${row}" for name, _, row, _ in BOOK_FIELDS}
        for i, att in enumerate(ATTRIBUTES):
            r = ATTRIBUTE_ROW0 + i
            names[att.name] = f"{s}!${a}${r}:${z}${r}"
        names["BookWeights"] = f"{s}!${a}${WEIGHT_ROW}:${z}${WEIGHT_ROW}"
        names["BookBetas"] = f"{s}!${a}${FACTOR_ROW0}:${z}${LAST_FACTOR_ROW}"
        names["BookBlock"] = f"{s}!${a}${WEIGHT_ROW}:${z}${LAST_FACTOR_ROW}"
        names["BookFactors"] = f"{s}!$A${FACTOR_ROW0}:$A${LAST_FACTOR_ROW}"
        # Labelled blocks (labels in column A) that HEDGE_CHECKS and REBALANCE read.
        names["BookAttributeBlock"] = f"{s}!$A${ATTRIBUTE_ROW0}:${z}${WEIGHT_ROW}"
        names["BookFactorBlock"] = f"{s}!$A${FACTOR_ROW0}:${z}${LAST_FACTOR_ROW}"
        return names
