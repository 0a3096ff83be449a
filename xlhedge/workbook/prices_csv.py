"""Price history from downloaded CSV files: the file reading, for the engine's price tables.

The engine (:mod:`xlhedge.engine.prices`) parses and cleans what a file holds; this
module opens the files. Three shapes are read, detected from the header: a *wide* file
(a date column, one column per ticker), a *FRED* download (``DATE``/``observation_date``
and one value column) and a *Yahoo* download (Date, Open, High, Low, Close, Adj Close,
Volume: the Adj Close column is used). ``.gz`` and other compressed files pandas reads
are accepted.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from xlhedge.engine._typing import CsvShape, Duplicates
from xlhedge.engine.errors import InputError
from xlhedge.engine.prices import (
    DATE_COLUMN_NAMES,
    MISSING_TOKENS,
    PriceTable,
    join_price_tables,
    prices_from_csv_frame,
)

__all__ = ["read_prices_csv", "read_prices"]


def _stem(path: Any) -> str:
    base = os.path.basename(str(path))
    for ext in (".gz", ".bz2", ".zip", ".xz"):
        if base.lower().endswith(ext):
            base = base[: -len(ext)]
    return os.path.splitext(base)[0]


#: The missing-value tokens as pandas' parser matches them (exactly): each as written, upper, capitalised.
_NA_VALUES = sorted({v for t in MISSING_TOKENS for v in (t, t.upper(), t.capitalize())} | {"NaN"})


def _read_numeric(path: str | os.PathLike[str]) -> pd.DataFrame | None:
    """The file through pandas' C parser in one read, the prices parsed as numbers, or None when
    a price column holds anything but numbers and missing-value tokens, or the date column
    anything but text (a blank date, numbers).

    The fast path of :func:`read_prices_csv`: the table equals the one read cell by cell as
    text (the reference path, which a file with any other cell takes, to report each such
    cell); tests/test_prices.py pins it, bit for bit, on real files.
    """
    raw = pd.read_csv(path, keep_default_na=False, na_values=_NA_VALUES, skipinitialspace=True, encoding="utf-8-sig")
    names = [str(c).strip().lstrip("\ufeff").lower() for c in raw.columns]
    if len(names) < 2:
        return None
    date = raw.columns[next((i for i, c in enumerate(names) if c in DATE_COLUMN_NAMES), 0)]
    # the date column must have come out as text, every cell of it (else: the text path)
    if not pd.api.types.is_string_dtype(raw[date]) or raw[date].isna().any():
        return None
    if not all(raw[c].dtype.kind in "fi" for c in raw.columns if c != date):
        return None
    return raw


def read_prices_csv(
    source: Any,
    *,
    ticker: str | None = None,
    shape: CsvShape = "auto",
    duplicates: Duplicates = "last",
) -> PriceTable:
    """Read one downloaded CSV file into a clean :class:`~xlhedge.engine.prices.PriceTable`.

    Parameters
    ----------
    source : path, file-like or CSV text
        A ``.csv`` (optionally ``.gz``-compressed) file in one of the three shapes of the
        module docstring, detected from the header.
    ticker : str, optional
        Series name for a FRED or Yahoo file (default: FRED's value column name unless it
        is ``VALUE``, else the file name without extension).
    shape : {"auto", "wide", "fred", "yahoo"}
        Force a shape instead of detecting it.
    duplicates : {"last", "first", "error"}
        What to do with a date that appears twice (always reported).

    Returns
    -------
    PriceTable
        Prices (sorted dates, float, NaN where missing) and the report of every problem
        found, with the series and dates concerned.
    """
    is_file = isinstance(source, (str, os.PathLike)) and os.path.exists(str(source))
    name = _stem(source) if is_file else None
    try:
        if isinstance(source, str) and not is_file and "\n" in source:
            raw = pd.read_csv(io.StringIO(source), dtype=str, keep_default_na=False, skipinitialspace=True)
        else:
            raw = _read_numeric(source) if is_file else None
            if raw is None:
                raw = pd.read_csv(source, dtype=str, keep_default_na=False, skipinitialspace=True, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("file not found", where=str(source)) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"is not a readable CSV file ({exc})", where=name or "csv") from None
    return prices_from_csv_frame(
        raw, name=name, ticker=ticker, shape=shape, duplicates=duplicates, source=str(source) if name else "csv text"
    )


def read_prices(
    sources: Iterable[Any] | Any,
    *,
    tickers: Sequence[str] | None = None,
    duplicates: Duplicates = "last",
) -> PriceTable:
    """Read one or several CSV files and join them on the date (outer join).

    Each file may have its own shape and calendar (a Yahoo file per ticker, a FRED series,
    a wide file); see :func:`xlhedge.engine.prices.join_price_tables` for the join.
    """
    if isinstance(sources, (str, os.PathLike)) or hasattr(sources, "read"):
        sources = [sources]
    sources = list(sources)
    if not sources:
        raise InputError("no files given", where="prices")
    if tickers is not None and len(tickers) != len(sources):
        raise InputError(f"has {len(tickers)} names for {len(sources)} files", where="tickers")
    tables = [
        read_prices_csv(s, ticker=(tickers[k] if tickers else None), duplicates=duplicates)
        for k, s in enumerate(sources)
    ]
    return join_price_tables(tables, duplicates=duplicates)
