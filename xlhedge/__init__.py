"""xlhedge: a cross-asset trading book in Excel -> factor exposures -> hedges.

Python API (the same engine the worksheet functions and the CLI use)::

    import xlhedge
    xlhedge.factor_exposure(betas, weights, nav=None)   # docs/methodology/factor-model.md
    book = xlhedge.read_book("mybook.xlsx")   # a saved workbook, recomputed in memory
    book.exposures()
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers and the API docs see; at run time, __getattr__ below
    from xlhedge.engine.book import Book
    from xlhedge.engine.budget import budget_status, deployment, hedge_budget, ytd_spend
    from xlhedge.engine.checks import Finding, findings_frame, run_checks
    from xlhedge.engine.covariance import factor_covariance, nearest_correlation
    from xlhedge.engine.errors import (
        FormulaError,
        InputError,
        NotEnoughData,
        NumericalError,
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

#: Public name -> (module, attribute): imported on first use (PEP 562), so ``import xlhedge``
#: loads no numpy/pandas module until a function is used; the names are the same as always.
_EXPORTS: dict[str, tuple[str, str]] = {
    "Book": ("xlhedge.engine.book", "Book"),
    "budget_status": ("xlhedge.engine.budget", "budget_status"),
    "deployment": ("xlhedge.engine.budget", "deployment"),
    "hedge_budget": ("xlhedge.engine.budget", "hedge_budget"),
    "ytd_spend": ("xlhedge.engine.budget", "ytd_spend"),
    "Finding": ("xlhedge.engine.checks", "Finding"),
    "factor_covariance": ("xlhedge.engine.covariance", "factor_covariance"),
    "nearest_correlation": ("xlhedge.engine.covariance", "nearest_correlation"),
    "HedgeOptimum": ("xlhedge.engine.optimize", "HedgeOptimum"),
    "optimize_hedge": ("xlhedge.engine.optimize", "optimize_hedge"),
    "findings_frame": ("xlhedge.engine.checks", "findings_frame"),
    "run_checks": ("xlhedge.engine.checks", "run_checks"),
    "FormulaError": ("xlhedge.engine.errors", "FormulaError"),
    "InputError": ("xlhedge.engine.errors", "InputError"),
    "NotEnoughData": ("xlhedge.engine.errors", "NotEnoughData"),
    "NumericalError": ("xlhedge.engine.errors", "NumericalError"),
    "WorkbookError": ("xlhedge.engine.errors", "WorkbookError"),
    "XlhedgeError": ("xlhedge.engine.errors", "XlhedgeError"),
    "XlhedgeWarning": ("xlhedge.engine.errors", "XlhedgeWarning"),
    "adjusted_beta": ("xlhedge.engine.estimation", "adjusted_beta"),
    "beta": ("xlhedge.engine.estimation", "beta"),
    "beta_stats": ("xlhedge.engine.estimation", "beta_stats"),
    "correlation": ("xlhedge.engine.estimation", "correlation"),
    "correlation_matrix": ("xlhedge.engine.estimation", "correlation_matrix"),
    "ewma_beta": ("xlhedge.engine.estimation", "ewma_beta"),
    "regime_correlation": ("xlhedge.engine.estimation", "regime_correlation"),
    "rolling_beta": ("xlhedge.engine.estimation", "rolling_beta"),
    "rolling_correlation": ("xlhedge.engine.estimation", "rolling_correlation"),
    "factor_exposure": ("xlhedge.engine.factors", "factor_exposure"),
    "Instrument": ("xlhedge.engine.instruments", "Instrument"),
    "instrument_table": ("xlhedge.engine.instruments", "instrument_table"),
    "instrument": ("xlhedge.engine.instruments", "lookup"),
    "funding_payment": ("xlhedge.engine.perps", "funding_payment"),
    "inverse_pnl": ("xlhedge.engine.perps", "inverse_pnl"),
    "linear_pnl": ("xlhedge.engine.perps", "linear_pnl"),
    "liquidation_price": ("xlhedge.engine.perps", "liquidation_price"),
    "roll_warnings": ("xlhedge.engine.perps", "roll_warnings"),
    "clean_prices": ("xlhedge.engine.prices", "clean_prices"),
    "returns": ("xlhedge.engine.prices", "returns"),
    "validate_prices": ("xlhedge.engine.prices", "validate_prices"),
    "rebalance": ("xlhedge.engine.rebalance", "rebalance"),
    "REGIME_THRESHOLDS": ("xlhedge.engine.regimes", "REGIME_THRESHOLDS"),
    "calibrate_thresholds": ("xlhedge.engine.regimes", "calibrate_thresholds"),
    "vol_regime": ("xlhedge.engine.regimes", "vol_regime"),
    "hedge_outcomes": ("xlhedge.engine.scenarios", "hedge_outcomes"),
    "regime_comparison": ("xlhedge.engine.scenarios", "regime_comparison"),
    "scenario_pnl": ("xlhedge.engine.scenarios", "scenario_pnl"),
    "shock_table": ("xlhedge.engine.scenarios", "shock_table"),
    "HedgeSizing": ("xlhedge.engine.sizing", "HedgeSizing"),
    "currency_exposures": ("xlhedge.engine.sizing", "currency_exposures"),
    "fx_hedges": ("xlhedge.engine.sizing", "fx_hedges"),
    "hedge_notional": ("xlhedge.engine.sizing", "hedge_notional"),
    "hedge_table": ("xlhedge.engine.sizing", "hedge_table"),
    "hedge_units": ("xlhedge.engine.sizing", "hedge_units"),
    "lsq_hedge": ("xlhedge.engine.sizing", "lsq_hedge"),
    "minvar_hedge": ("xlhedge.engine.sizing", "minvar_hedge"),
    "recommend_hedges": ("xlhedge.engine.sizing", "recommend_hedges"),
    "size_hedge": ("xlhedge.engine.sizing", "size_hedge"),
    "read_prices": ("xlhedge.workbook.prices_csv", "read_prices"),
    "read_prices_csv": ("xlhedge.workbook.prices_csv", "read_prices_csv"),
}

__version__ = "0.1.0"


def read_book(path: str | os.PathLike[str]) -> Book:
    """Read a saved book (.xlsx/.xlsm) after recomputing it in memory; the file is not changed.

    The workbook door (:func:`xlhedge.workbook.read.read_book`), imported on first use so
    ``import xlhedge`` stays the engine alone.
    """
    from xlhedge.workbook.read import read_book as _read

    return _read(path)


def export_book(path: str | os.PathLike[str], out: str | os.PathLike[str]) -> Path:
    """Write a copy of a book anyone can open; return its path (the book is not changed).

    ``out`` ending in ``.xlsx``: a static copy, every xlhedge formula replaced by its recomputed
    value (formats, charts, names and native formulas kept), which shows its numbers in Excel
    without the add-in, LibreOffice and Google Sheets. ``.pdf``: the sheets rendered through
    LibreOffice, one page each (:mod:`xlhedge.workbook.export`).
    """
    from xlhedge.workbook.export import export_book as _export

    return _export(path, out).out


def main() -> None:
    """The "Refresh book" ribbon button (``xlhedge.xlam`` runs ``import xlhedge; xlhedge.main()``).

    Imported lazily so ``import xlhedge`` never loads xlwings' Excel parts.
    """
    from xlhedge.excel.live import main as _refresh

    _refresh()


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use and cache the name here."""
    try:
        module, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'xlhedge' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


__all__ = [
    "Book",
    "read_book",
    "export_book",
    "factor_exposure",
    "XlhedgeError",
    "InputError",
    "NotEnoughData",
    "NumericalError",
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
