"""Shared type aliases and option tables (one place for every option list).

Array aliases follow the ``arch`` package (``arch/_typing.py``): the dtype is in the
type, and the 1-D / 2-D variants carry the shape where a function promises one::

    def exposures(betas: Float64Array2D, weights: Float64Array1D) -> Float64Array1D: ...

Each ``Literal`` option type has its tuple of allowed values next to it, derived with
:func:`typing.get_args` where it is new, so a choice is spelled once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, TypeAlias, get_args

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------- arrays
#: float64 array of any shape (the numeric core's currency).
Float64Array: TypeAlias = np.ndarray[Any, np.dtype[np.float64]]
#: (n,) float64: one value per position, factor or date.
Float64Array1D: TypeAlias = np.ndarray[tuple[int], np.dtype[np.float64]]
#: (rows, columns) float64: factors × positions, dates × series.
Float64Array2D: TypeAlias = np.ndarray[tuple[int, int], np.dtype[np.float64]]
#: What an element-wise engine function returns: a float for scalar input, else an array.
FloatOrArray: TypeAlias = float | Float64Array
BoolArray: TypeAlias = np.ndarray[Any, np.dtype[np.bool_]]
BoolArray1D: TypeAlias = np.ndarray[tuple[int], np.dtype[np.bool_]]
BoolArray2D: TypeAlias = np.ndarray[tuple[int, int], np.dtype[np.bool_]]
#: Integer array (positions, counts): numpy's default integer.
IntArray: TypeAlias = np.ndarray[Any, np.dtype[np.intp]]
IntArray1D: TypeAlias = np.ndarray[tuple[int], np.dtype[np.intp]]
IntArray2D: TypeAlias = np.ndarray[tuple[int, int], np.dtype[np.intp]]
#: Fixed-width text array (regime labels: ``"low"``, ``"normal"``, ``"high"``, ``""``).
StrArray: TypeAlias = np.ndarray[Any, np.dtype[np.str_]]
#: Object array: cells as Excel hands them (numbers, text, ``None``, error values).
ObjectArray: TypeAlias = np.ndarray[Any, np.dtype[np.object_]]
ObjectArray2D: TypeAlias = np.ndarray[tuple[int, int], np.dtype[np.object_]]
#: An array whose dtype the function does not fix.
AnyArray: TypeAlias = np.ndarray[Any, Any]

#: A number or numbers for an element-wise engine function (they broadcast the numpy way).
FloatArrayLike: TypeAlias = float | Sequence[Any] | np.ndarray | pd.Series

#: What a worksheet function or API entry point accepts for a range.
ArrayLike: TypeAlias = Sequence[Any] | np.ndarray | pd.Series | pd.DataFrame | float | int | None

AssetClass = Literal["equity", "rates", "fx", "commodity", "crypto", "vol", "cash", "option"]
ASSET_CLASSES: tuple[AssetClass, ...] = get_args(AssetClass)

InstrumentType = Literal[
    "stock",
    "etf",
    "inverse_etf",
    "index",
    "future",
    "option",
    "perp_linear",
    "perp_inverse",
    "bond",
    "fx_spot",
    "fx_forward",
    "cash",
    "other",
]
INSTRUMENT_TYPES: tuple[InstrumentType, ...] = get_args(InstrumentType)

#: Six core factors of docs/methodology/factor-model.md, in the order every table shows them.
CoreFactor = Literal["equity", "duration", "usd", "commodity", "crypto", "vol"]
CORE_FACTORS: tuple[CoreFactor, ...] = get_args(CoreFactor)

#: Human labels for the core factors (worksheet row labels and reports).
FACTOR_LABELS: dict[str, str] = {
    "equity": "Equity beta (SPX)",
    "duration": "Rate duration (years)",
    "usd": "USD beta (DXY)",
    "commodity": "Commodity beta",
    "crypto": "Crypto beta (BTC)",
    "vol": "Vol (per VIX point)",
}

#: Currencies offered in the template's validation list (ISO 4217).
CURRENCIES: tuple[str, ...] = (
    "USD",
    "EUR",
    "JPY",
    "GBP",
    "CHF",
    "CAD",
    "AUD",
    "NZD",
    "SEK",
    "NOK",
    "HKD",
    "SGD",
    "CNY",
    "KRW",
    "INR",
    "BRL",
    "MXN",
    "ZAR",
    "BTC",
    "ETH",
)

# --------------------------------------------------------------------------- options
#: Return definition (docs/methodology/estimation.md): P_t/P_{t−1} − 1 or ln P_t − ln P_{t−1}.
ReturnKind = Literal["simple", "log"]
RETURN_KINDS: tuple[ReturnKind, ...] = get_args(ReturnKind)
#: Return frequency: every price date, or the last price of each week.
Frequency = Literal["daily", "weekly"]
FREQUENCIES: tuple[Frequency, ...] = get_args(Frequency)
#: What to do with a date that appears twice in a price table.
Duplicates = Literal["last", "first", "error"]
DUPLICATES: tuple[Duplicates, ...] = get_args(Duplicates)
#: Shape of a downloaded price CSV (``auto``: detected from the header).
CsvShape = Literal["auto", "wide", "fred", "yahoo"]
CSV_SHAPES: tuple[CsvShape, ...] = get_args(CsvShape)
#: Beta estimator: OLS slope with intercept, or RiskMetrics EWMA.
Method = Literal["ols", "ewma"]
METHODS: tuple[Method, ...] = get_args(Method)
#: Vol regimes in display order (docs/methodology/regimes.md).
Regime = Literal["low", "normal", "high"]
REGIMES: tuple[Regime, ...] = get_args(Regime)
#: Regimes a regime correlation can be asked for (``stress`` = ``high``; ``calm`` = not stress).
RegimeChoice = Literal["low", "normal", "stress", "high", "calm", "all"]
REGIME_CHOICES: tuple[RegimeChoice, ...] = get_args(RegimeChoice)
#: Direction of a perpetual position.
Side = Literal["long", "short"]
SIDES: tuple[Side, ...] = get_args(Side)
#: Perpetual / future contract type: USDT-margined (linear) or coin-margined (inverse).
Contract = Literal["linear", "inverse"]
CONTRACTS: tuple[Contract, ...] = get_args(Contract)
#: Instrument kinds the sizing engine knows (docs/methodology/sizing.md, perpetuals.md).
Kind = Literal["future", "etf", "inverse_etf", "option", "perp_linear", "perp_inverse"]
KINDS: tuple[Kind, ...] = get_args(Kind)
#: Option type of a European option (docs/methodology/options.md).
OptionKind = Literal["call", "put"]
OPTION_KINDS: tuple[OptionKind, ...] = get_args(OptionKind)
#: Option pricing model: Black–Scholes–Merton on spot (rate r, yield q) or Black-76 on a futures price.
OptionModel = Literal["bs", "black76"]
OPTION_MODELS: tuple[OptionModel, ...] = get_args(OptionModel)
#: What a recommended hedge does: buy, sell, or nothing (no gap or no instrument).
HedgeSide = Literal["buy", "sell", "none"]
HEDGE_SIDES: tuple[HedgeSide, ...] = get_args(HedgeSide)
