"""xlhedge: a cross-asset trading book in Excel -> factor exposures -> hedges.

Python API (the same engine the worksheet functions and the CLI use)::

    import xlhedge
    xlhedge.factor_exposure(betas, weights, nav=None)   # docs/methodology/factor-model.md
    book = xlhedge.read_book("mybook.xlsx")   # a saved workbook, recomputed in memory
    book.exposures()
"""

from __future__ import annotations

import os

from xlhedge.engine.book import Book
from xlhedge.engine.budget import budget_status, deployment, hedge_budget, ytd_spend
from xlhedge.engine.checks import Finding, findings_frame, run_checks
from xlhedge.engine.covariance import factor_covariance, nearest_correlation
from xlhedge.engine.errors import (
    FormulaError,
    InputError,
    NotEnoughData,
    WorkbookError,
    XlhedgeError,
    XlhedgeWarning,
)
from xlhedge.engine.estimation import (
    adjusted_beta,
    beta,
    beta_stats,
    correlation,
    correlation_matrix,
    ewma_beta,
    regime_correlation,
    rolling_beta,
    rolling_correlation,
)
from xlhedge.engine.factors import factor_exposure
from xlhedge.engine.instruments import Instrument, instrument_table
from xlhedge.engine.instruments import lookup as instrument
from xlhedge.engine.optimize import HedgeOptimum, optimize_hedge
from xlhedge.engine.perps import funding_payment, inverse_pnl, linear_pnl, liquidation_price, roll_warnings
from xlhedge.engine.prices import clean_prices, returns, validate_prices
from xlhedge.engine.rebalance import rebalance
from xlhedge.engine.regimes import REGIME_THRESHOLDS, calibrate_thresholds, vol_regime
from xlhedge.engine.scenarios import hedge_outcomes, regime_comparison, scenario_pnl, shock_table
from xlhedge.engine.sizing import (
    HedgeSizing,
    currency_exposures,
    fx_hedges,
    hedge_notional,
    hedge_table,
    hedge_units,
    lsq_hedge,
    minvar_hedge,
    recommend_hedges,
    size_hedge,
)
from xlhedge.workbook.prices_csv import read_prices, read_prices_csv  # file reading: a door, not the engine

__version__ = "0.1.0"


def read_book(path: str | os.PathLike[str]) -> Book:
    """Read a saved book (.xlsx/.xlsm) after recomputing it in memory; the file is not changed.

    The workbook door (:func:`xlhedge.workbook.read.read_book`), imported on first use so
    ``import xlhedge`` stays the engine alone.
    """
    from xlhedge.workbook.read import read_book as _read

    return _read(path)


def main() -> None:
    """The "Refresh book" ribbon button (``xlhedge.xlam`` runs ``import xlhedge; xlhedge.main()``).

    Imported lazily so ``import xlhedge`` never loads xlwings' Excel parts.
    """
    from xlhedge.excel.live import main as _refresh

    _refresh()


__all__ = [
    "Book",
    "read_book",
    "factor_exposure",
    "XlhedgeError",
    "InputError",
    "NotEnoughData",
    "WorkbookError",
    "FormulaError",
    "XlhedgeWarning",
    "__version__",
    "main",
    "Instrument",
    "instrument_table",
    "instrument",
    "hedge_notional",
    "hedge_units",
    "size_hedge",
    "HedgeSizing",
    "hedge_table",
    "recommend_hedges",
    "currency_exposures",
    "fx_hedges",
    "minvar_hedge",
    "lsq_hedge",
    "linear_pnl",
    "inverse_pnl",
    "funding_payment",
    "liquidation_price",
    "roll_warnings",
    "scenario_pnl",
    "shock_table",
    "regime_comparison",
    "hedge_outcomes",
    "read_prices",
    "read_prices_csv",
    "validate_prices",
    "clean_prices",
    "returns",
    "beta",
    "beta_stats",
    "ewma_beta",
    "adjusted_beta",
    "rolling_beta",
    "rolling_correlation",
    "correlation",
    "correlation_matrix",
    "regime_correlation",
    "vol_regime",
    "calibrate_thresholds",
    "REGIME_THRESHOLDS",
    "hedge_budget",
    "budget_status",
    "ytd_spend",
    "deployment",
    "Finding",
    "run_checks",
    "findings_frame",
    "rebalance",
    "optimize_hedge",
    "HedgeOptimum",
    "factor_covariance",
    "nearest_correlation",
]
