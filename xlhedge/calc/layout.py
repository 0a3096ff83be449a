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
from xlhedge.engine._typing import CORE_FACTORS, FACTOR_LABELS
from xlhedge.engine.schema import SHEET_FIELDS, Field

BOOK_SHEET = "Book"

# ----------------------------------------------------------------- defined names
# The names the Python side reads. The template defines them (and formulas use them by
# name); every reader looks them up through these constants. Excel compares names
# case-insensitively: BookIO.defined_names() returns them upper-cased.
NAV = "NAV"
RECORD_CURRENCY = "RecordCurrency"
AS_OF = "AsOf"
BOOK_TICKERS = "BookTickers"
BOOK_WEIGHTS = "BookWeights"
BOOK_BETAS = "BookBetas"
BOOK_BLOCK = "BookBlock"
BOOK_FACTORS = "BookFactors"
BOOK_ATTRIBUTE_BLOCK = "BookAttributeBlock"
BOOK_OPTION_TYPES = "BookOptionTypes"
GREEKS_TABLE = "GreeksTable"
BOOK_FACTOR_BLOCK = "BookFactorBlock"
STATUS = "XlhedgeStatus"
PRICES_TABLE = "PricesTable"
ESTIMATE_LOG = "EstimateLog"
ESTIMATE_WINDOW = "EstimateWindow"
ESTIMATE_METHOD = "EstimateMethod"
CHECK_SETTINGS = "CheckSettings"
CHECK_TOLERANCES = "CheckTolerances"
HEDGE_LEDGER = "HedgeLedger"
INSTRUMENT_TABLE = "InstrumentTable"
FX_CURRENCIES = "FxCurrencies"
FX_RATIOS = "FxRatios"
HEDGE_ALPHA = "HedgeAlpha"
HEDGE_INSTRUMENTS = "HedgeInstruments"
HEDGE_RATIOS = "HedgeRatios"
HEDGE_TARGETS = "HedgeTargets"
OPTION_RATE = "OptionRate"
OPTION_DIV = "OptionDiv"
FUNDING_PER_DAY = "FundingPerDay"
ROLL_DATE = "RollDate"
ROLL_WARN_DAYS = "RollWarnDays"
# The Hedges sheet's optimised-hedge inputs (docs/methodology/hedge-optimizer.md).
OPT_HORIZON = "OptHorizon"
OPT_BUDGET = "OptBudget"
OPT_COST_WEIGHT = "OptCostWeight"
OPT_INTEGER = "OptInteger"
OPT_SIZE_LIMIT = "OptSizeLimit"
OPT_CANDIDATES = "OptCandidates"
OPT_FACTORS = "OptFactors"
OPT_VOLS_NORMAL = "OptVolsNormal"
OPT_VOLS_STRESS = "OptVolsStress"
OPT_CORR_NORMAL = "OptCorrNormal"
OPT_CORR_STRESS = "OptCorrStress"
OPT_COV_NORMAL = "OptCovNormal"
OPT_COV_STRESS = "OptCovStress"
OPT_EXPOSURES = "OptExposures"
OPT_LOADINGS = "OptLoadings"
OPT_COSTS = "OptCosts"
OPT_BOUNDS = "OptBounds"
OPT_RESULT = "OptResult"
FIRST_POSITION_COL = 2  # column B; column A holds the row labels

#: Book-level inputs: (defined name, label, row, number format).
BOOK_FIELDS: tuple[tuple[str, str, int, str], ...] = (
    (NAV, "NAV (currency of record)", 3, "#,##0"),
    (RECORD_CURRENCY, "Currency of record", 4, "@"),
    (AS_OF, "As of (last decomposition date)", 5, "yyyy-mm-dd"),
)


#: The Book sheet's attribute rows, top to bottom: the position schema's fields that
#: have a row (:data:`xlhedge.engine.schema.SHEET_FIELDS`).
ATTRIBUTES: tuple[Field, ...] = SHEET_FIELDS

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
            names[str(att.sheet_name)] = f"{s}!${a}${r}:${z}${r}"
        names[BOOK_WEIGHTS] = f"{s}!${a}${WEIGHT_ROW}:${z}${WEIGHT_ROW}"
        names[BOOK_BETAS] = f"{s}!${a}${FACTOR_ROW0}:${z}${LAST_FACTOR_ROW}"
        names[BOOK_BLOCK] = f"{s}!${a}${WEIGHT_ROW}:${z}${LAST_FACTOR_ROW}"
        names[BOOK_FACTORS] = f"{s}!$A${FACTOR_ROW0}:$A${LAST_FACTOR_ROW}"
        # Labelled blocks (labels in column A) that HEDGE_CHECKS and REBALANCE read.
        names[BOOK_ATTRIBUTE_BLOCK] = f"{s}!$A${ATTRIBUTE_ROW0}:${z}${WEIGHT_ROW}"
        names[BOOK_FACTOR_BLOCK] = f"{s}!$A${FACTOR_ROW0}:${z}${LAST_FACTOR_ROW}"
        return names


@dataclass(frozen=True)
class CellStyle:
    """How a cell the recompute writes looks: RGB colours as hex, no library's objects.

    The template turns these into named styles; a door that writes an input cell
    (``BookIO.write_input(style=NAME)``) applies the named style (a saved file) or the same
    formatting directly (the open workbook).
    """

    fill: str | None = None
    font_color: str | None = None
    bold: bool = False
    italic: bool = False
    number_format: str | None = None


#: Cell styles the recompute refers to by name.
CELL_STYLES: dict[str, CellStyle] = {
    "estimated": CellStyle(fill="DDEBF7", font_color="1F4E79", italic=True, number_format="0.00;[Red]-0.00"),
    "status_ok": CellStyle(font_color="375623"),
    # an option position's weight and betas, computed from its Greeks by the recompute
    "option": CellStyle(fill="E2EFDA", font_color="375623", italic=True, number_format="0.000;[Red]-0.000"),
    "status_warn": CellStyle(font_color="C00000", bold=True),
}
