"""Shared type aliases and option tables (CONVENTIONS: one place for options)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

#: What a worksheet function or API entry point accepts for a range.
ArrayLike = Sequence[Any] | np.ndarray | pd.Series | pd.DataFrame | float | int | None

AssetClass = Literal["equity", "rates", "fx", "commodity", "crypto", "vol", "cash", "option"]
ASSET_CLASSES: tuple[str, ...] = ("equity", "rates", "fx", "commodity", "crypto", "vol", "cash", "option")

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
INSTRUMENT_TYPES: tuple[str, ...] = (
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
)

#: Six core factors of docs/methodology/factor-model.md, in the order every table shows them.
CoreFactor = Literal["equity", "duration", "usd", "commodity", "crypto", "vol"]
CORE_FACTORS: tuple[str, ...] = ("equity", "duration", "usd", "commodity", "crypto", "vol")

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
