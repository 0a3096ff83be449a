"""Price tables: CSV import, validation report, pairwise alignment, returns (docs/methodology/estimation.md).

A *price table* is a :class:`pandas.DataFrame` with a sorted, unique
``DatetimeIndex`` (dates down) and one float column per series (ticker),
``NaN`` where a series has no price on a date. That is the shape of the
workbook's ``Prices`` sheet and what every estimator in
:mod:`xlhedge.engine.estimation` reads.

Problems in downloaded data are never fixed silently. :func:`validate_prices`
finds them and says which series and which dates; :func:`clean_prices` then
applies one documented rule per problem and records it in the same report:

=====================  ===========================================================
problem                handling
=====================  ===========================================================
``unsorted``           rows are sorted by date
``duplicate_date``     the last row of a date is kept (``duplicates="first"`` or
                       ``"error"`` to choose otherwise)
``non_positive``       the price is set to missing (a return needs a positive price)
``non_numeric``        text such as ``"."`` (FRED) or ``"null"`` (Yahoo) is missing
``missing``            a date with no price in any series (FRED's ``"."`` on a
                       holiday) is dropped
``calendar``           dates on which some series trade and others do not
                       (weekends for crypto, holidays, FRED vs exchange
                       calendars): kept missing, aligned pairwise
``range``              a series starts later or ends earlier than the table:
                       each pair uses the dates it shares
=====================  ===========================================================

Missing prices and different calendars are then handled by **pairwise
alignment**: a pair of series is compared on the dates where *both* have a
price, and each return runs from the pair's previous common date
(:func:`pair_returns`). A gap therefore produces one multi-day return for both
series, never a return of one series set against a zero or a stale price of
the other.

CSV shapes parsed by :func:`prices_from_csv_frame` (the ones people download; the files
are opened by :mod:`xlhedge.workbook.prices_csv`):

* **wide** — a date column and one column per ticker (skfolio's datasets,
  spreadsheet exports);
* **FRED** — ``DATE,VALUE`` (the value column may carry the series id, e.g.
  ``DCOILWTICO``; newer files call the date column ``observation_date``);
  ``"."`` marks a missing day;
* **Yahoo** — ``Date,Open,High,Low,Close,Adj Close,Volume``, one file per
  ticker; ``Adj Close`` is used (``Close`` when there is no ``Adj Close``).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.engine import coerce
from xlhedge.engine._typing import (
    CSV_SHAPES,
    DUPLICATES,
    FREQUENCIES,
    RETURN_KINDS,
    BoolArray2D,
    CsvShape,
    Duplicates,
    Float64Array,
    Float64Array2D,
    FloatArrayLike,
    Frequency,
    ObjectArray2D,
    ReturnKind,
)
from xlhedge.engine.errors import InputError

__all__ = [
    "PriceIssue",
    "PriceReport",
    "PriceTable",
    "validate_prices",
    "clean_prices",
    "prices_from_csv_frame",
    "join_price_tables",
    "pair_returns",
    "check_positive_prices",
    "simple_or_log_returns",
    "returns",
    "to_weekly",
    "RETURN_KINDS",
    "FREQUENCIES",
    "DATE_COLUMN_NAMES",
    "YAHOO_PRICE_COLUMNS",
    "MISSING_TOKENS",
]

#: Header names recognised as the date column (compared lower-case, stripped).
DATE_COLUMN_NAMES: tuple[str, ...] = ("date", "observation_date", "datetime", "time", "timestamp", "day")
#: Yahoo-style columns, in the order of preference for the price used.
YAHOO_PRICE_COLUMNS: tuple[str, ...] = ("adj close", "adj_close", "adjclose", "close")
_YAHOO_MARKERS = frozenset({"open", "high", "low", "close"})
#: Cell texts that mean "no value" in downloaded files (FRED writes ".", Yahoo "null").
MISSING_TOKENS: tuple[str, ...] = (".", "null", "nan", "na", "n/a", "#n/a", "-", "")
#: Date formats tried in order when a file's dates are not ISO (first one that parses all wins).
DATE_FORMATS: tuple[str, ...] = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y", "%Y%m%d")
#: What a Python caller with a zero or negative price can do (appended to the error).
CLEAN_PRICES_HINT = "clean_prices() reports and drops them"
#: Weekly returns use the last price of each week ending on this day (pandas offset alias).
WEEK_END = "W-FRI"


@dataclass(frozen=True)
class PriceIssue:
    """One problem found in a price table: what, which series, which dates, what was done."""

    kind: str  # unsorted | duplicate_date | non_positive | non_numeric | missing | calendar
    series: str  # column name, or "" for a table-wide problem (unsorted, duplicate dates)
    dates: tuple[pd.Timestamp, ...]
    message: str
    action: str = ""

    def __str__(self) -> str:
        who = f"{self.series}: " if self.series else ""
        act = f" -> {self.action}" if self.action else ""
        return f"{who}{self.message}{act}"


def _fmt_dates(dates: Sequence[pd.Timestamp], limit: int = 5) -> str:
    ds = [pd.Timestamp(d).strftime("%Y-%m-%d") for d in dates[:limit]]
    more = f" and {len(dates) - limit} more" if len(dates) > limit else ""
    return ", ".join(ds) + more


@dataclass
class PriceReport:
    """Every problem found in a price table, in the order found."""

    issues: list[PriceIssue] = field(default_factory=list)

    def add(self, issue: PriceIssue) -> None:
        self.issues.append(issue)

    @property
    def ok(self) -> bool:
        return not self.issues

    def of_kind(self, kind: str) -> list[PriceIssue]:
        return [i for i in self.issues if i.kind == kind]

    def for_series(self, series: str) -> list[PriceIssue]:
        return [i for i in self.issues if i.series == series]

    def lines(self) -> list[str]:
        return [str(i) for i in self.issues]

    def __str__(self) -> str:
        return "\n".join(self.lines()) if self.issues else "no problems found"

    def summary(self, limit: int = 6) -> list[str]:
        """One line per distinct problem: series sharing the same issue on the same dates are grouped.

        >>> r = PriceReport([PriceIssue("calendar", s, (pd.Timestamp("2024-01-15"),), "no price on 1 dates")
        ...                  for s in ("A", "B")])
        >>> r.summary()
        ['A, B: no price on 1 dates']
        """
        groups: dict[tuple[str, tuple, str, str], list[str]] = {}
        for i in self.issues:
            groups.setdefault((i.kind, i.dates, i.message, i.action), []).append(i.series)
        out = []
        for (_kind, _, message, action), series in groups.items():
            names = [s for s in series if s]
            who = ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")
            act = f" -> {action}" if action else ""
            out.append(f"{who + ': ' if who else ''}{message}{act}")
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per issue: kind, series, count, first/last date, message, action."""
        rows = [
            {
                "kind": i.kind,
                "series": i.series,
                "count": len(i.dates),
                "first": i.dates[0] if i.dates else pd.NaT,
                "last": i.dates[-1] if i.dates else pd.NaT,
                "message": i.message,
                "action": i.action,
            }
            for i in self.issues
        ]
        return pd.DataFrame(rows, columns=["kind", "series", "count", "first", "last", "message", "action"])


@dataclass
class PriceTable:
    """A clean price table and the report of what was found and done to get it."""

    prices: pd.DataFrame
    report: PriceReport
    source: str = ""

    @property
    def series(self) -> list[str]:
        return [str(c) for c in self.prices.columns]


# --------------------------------------------------------------------------- validation


def _as_frame(prices: Any, name: str = "prices") -> pd.DataFrame:
    if isinstance(prices, pd.Series):
        prices = prices.to_frame(name=prices.name if prices.name is not None else "series_1")
    if not isinstance(prices, pd.DataFrame):
        raise InputError("expected a DataFrame with dates as its index and one column per series", where=name)
    if prices.shape[1] == 0:
        raise InputError("has no series (no columns)", where=name)
    return prices


def _numeric(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pd.Index]]:
    """Columns as float; cells that are not numbers become NaN, returned by column."""
    kinds = [dt.kind for dt in df.dtypes]
    if all(k in "fiu" for k in kinds):  # every column numbers already: one conversion
        return (df if all(dt == np.float64 for dt in df.dtypes) else df.astype(np.float64)), {}
    out = {}
    bad: dict[str, pd.Index] = {}
    for c in df.columns:
        col = df[c]
        if pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col):
            out[c] = col.astype(np.float64)
            continue
        num = pd.to_numeric(col, errors="coerce")
        flagged = num.isna() & col.notna()
        if flagged.any():  # the text of the cells that are not numbers only (most cells are)
            text = col[flagged].astype(str).str.strip().str.lower()
            flagged[flagged] = ~text.isin(MISSING_TOKENS).to_numpy()
        if flagged.any():
            bad[str(c)] = df.index[flagged.to_numpy()]
        out[c] = num.astype(np.float64)
    return pd.DataFrame(out, index=df.index), bad


def validate_prices(prices: pd.DataFrame) -> PriceReport:
    """Find the problems of a price table without changing it.

    Parameters
    ----------
    prices : DataFrame
        Dates as the index (any order), one column per series, prices > 0.

    Returns
    -------
    PriceReport
        One :class:`PriceIssue` per (problem, series): ``unsorted``,
        ``duplicate_date``, ``non_numeric``, ``non_positive``, ``missing``
        (dates without any price), ``calendar`` (dates inside a series'
        history where it has no price while another series has one) and
        ``range`` (a later start or earlier end). Nothing is modified.
    """
    return _inspect(prices, fix=False)[1]


def clean_prices(
    prices: pd.DataFrame,
    *,
    duplicates: Duplicates = "last",
) -> PriceTable:
    """Validate and apply the documented handling (module docstring table).

    Returns a :class:`PriceTable` whose ``prices`` are sorted by date, one row
    per date, float, positive or NaN, and whose ``report`` lists what was found
    and what was done (``PriceIssue.action``).

    Raises
    ------
    InputError
        Duplicate dates with ``duplicates="error"``; an index that is not dates.
    """
    if duplicates not in DUPLICATES:
        raise InputError(f"expected one of {', '.join(DUPLICATES)}, found {duplicates!r}", where="duplicates")
    df, report = _inspect(prices, fix=True, duplicates=duplicates)
    return PriceTable(df, report)


def _inspect(prices: Any, *, fix: bool, duplicates: Duplicates = "last") -> tuple[pd.DataFrame, PriceReport]:
    df = _as_frame(prices)
    report = PriceReport()
    try:
        idx = pd.DatetimeIndex(df.index)
    except (TypeError, ValueError) as exc:
        raise InputError(f"index is not dates ({exc})", where="prices") from None
    if idx.hasnans:
        raise InputError(f"has {int(np.count_nonzero(idx.isna()))} rows without a date", where="prices")
    df = df.copy()
    df.index = idx
    df.columns = [str(c) for c in df.columns]
    if len(set(df.columns)) != df.shape[1]:
        dup = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
        raise InputError(f"has several columns named {', '.join(dup)}", where="prices")

    # unsorted dates
    if not idx.is_monotonic_increasing:
        back = idx[1:][np.diff(idx.asi8) < 0]
        report.add(
            PriceIssue(
                "unsorted",
                "",
                tuple(back),
                f"dates are not in ascending order ({len(back)} step back, first at {_fmt_dates(list(back), 3)})",
                "rows sorted by date" if fix else "",
            )
        )
        if fix:
            df = df.sort_index(kind="stable")
    # duplicate dates
    dupmask = df.index.duplicated(keep=False)
    if dupmask.any():
        dates = tuple(pd.DatetimeIndex(df.index[dupmask]).unique())
        if fix and duplicates == "error":
            raise InputError(f"has {len(dates)} duplicate dates: {_fmt_dates(list(dates))}", where="prices")
        report.add(
            PriceIssue(
                "duplicate_date",
                "",
                dates,
                f"{len(dates)} dates appear more than once: {_fmt_dates(list(dates))}",
                f"kept the {duplicates} row of each" if fix else "",
            )
        )
        if fix:
            df = df[~df.index.duplicated(keep="first" if duplicates == "first" else "last")]  # "error" raised above

    df, bad = _numeric(df)
    inf = np.isinf(df.to_numpy())
    if inf.any():  # a number too large for a price is never "missing": an error naming the cell
        i, j = (int(k[0]) for k in np.nonzero(inf))
        value, column = float(df.to_numpy()[i, j]), str(df.columns[j])
        raise InputError(
            f"has an infinite price ({value:g}) on {_fmt_dates([df.index[i]])}; a price must be a finite number > 0",
            where=f"prices column {column}",
        )
    for col, cells in bad.items():
        report.add(
            PriceIssue(
                "non_numeric",
                col,
                tuple(cells),
                f"{len(cells)} cells are not numbers: {_fmt_dates(list(cells))}",
                "treated as missing" if fix else "",
            )
        )
    values = df.to_numpy()
    with np.errstate(invalid="ignore"):
        nonpos = values <= 0
    for j in np.nonzero(nonpos.any(axis=0))[0].tolist():
        dates = tuple(df.index[nonpos[:, j]])
        report.add(
            PriceIssue(
                "non_positive",
                df.columns[j],
                dates,
                f"{len(dates)} prices are zero or negative: {_fmt_dates(list(dates))}",
                "treated as missing" if fix else "",
            )
        )
    if fix and nonpos.any():
        values = values.copy()
        values[nonpos] = np.nan
        df = pd.DataFrame(values, index=df.index, columns=df.columns)

    present = ~np.isnan(values) & ~nonpos
    any_present = present.any(axis=1)
    for j, col in enumerate(df.columns):
        p = present[:, j]
        if not p.any():
            report.add(PriceIssue("missing", col, (), "has no prices at all", "ignored" if fix else ""))
            continue
        first, last = int(np.argmax(p)), len(p) - 1 - int(np.argmax(p[::-1]))
        inside = np.zeros_like(p)
        inside[first : last + 1] = True
        gap = inside & ~p
        text_cells = df.index.isin(bad[col]) if col in bad else False
        nonpos_or_text = gap & (nonpos[:, j] | text_cells)
        # a gap on a date when no series has a price is reported once below (an empty date)
        own = gap & ~nonpos_or_text & any_present
        if own.any():
            dates = tuple(df.index[own])
            report.add(
                PriceIssue(
                    "calendar",
                    col,
                    dates,
                    f"no price on {len(dates)} dates when other series have one: {_fmt_dates(list(dates))}",
                    "aligned pairwise (returns span the gap)" if fix else "",
                )
            )
        if present.shape[1] > 1 and (first > 0 or last < len(p) - 1):
            lead = int(any_present[:first].sum())
            trail = int(any_present[last + 1 :].sum())
            if lead or trail:
                parts = []
                if lead:
                    parts.append(f"starts {df.index[first]:%Y-%m-%d}, {lead} dates after the table's first")
                if trail:
                    parts.append(f"ends {df.index[last]:%Y-%m-%d}, {trail} dates before the table's last")
                report.add(
                    PriceIssue(
                        "range",
                        col,
                        (df.index[first], df.index[last]),
                        "; ".join(parts),
                        "estimates use the dates it shares with each other series" if fix else "",
                    )
                )
    empty_rows = ~any_present
    if empty_rows.any():
        dates = tuple(df.index[empty_rows])
        who = df.columns[0] if df.shape[1] == 1 else ""
        what = "no price" if df.shape[1] == 1 else "no price in any series"
        report.add(
            PriceIssue(
                "missing",
                who,
                dates,
                f"{len(dates)} dates have {what}: {_fmt_dates(list(dates))}",
                "dates dropped; returns span the gap" if fix else "",
            )
        )
    if fix:
        # rows where no series has a price carry no information
        empty = ~present.any(axis=1)
        if empty.any():
            df = df[~empty]
        df = df.astype(np.float64)
        df.index.name = "Date"
    return df, report


# --------------------------------------------------------------------------- cells of a pasted table

#: Cell value types whose blankness numpy/pandas decide in C as :func:`coerce.is_blank` does.
_CELL_TYPES = frozenset({float, int, bool, str, type(None), _dt.datetime, _dt.date, coerce.ExcelError})


def blank_cells(g: ObjectArray2D) -> BoolArray2D:
    """:func:`coerce.is_blank` of every cell of an object array (None, ``""``, NaN), in a few C
    passes where the cells are what a workbook holds (numbers, text, booleans, dates, errors);
    other values go through :func:`coerce.is_blank` one by one (the reference)."""
    types = set(map(type, g.ravel().tolist()))
    if not types <= _CELL_TYPES:
        return np.asarray(coerce.object_map(coerce.is_blank)(g), dtype=bool).reshape(g.shape)
    blank = np.asarray(pd.isna(g), dtype=bool)  # None and float NaN: the only NA among these types
    if str in types:
        blank |= np.asarray(g == "", dtype=bool)
    return blank


def date_column(values: np.ndarray) -> pd.DatetimeIndex | None:
    """A column of dates (datetimes and whole Excel serial numbers, as a sheet stores them) as a
    DatetimeIndex in one pass; None where some cell is anything else (blank, text, a time of day,
    a date beyond pandas' 2262), so the caller reads it cell by cell (the reference:
    ``pd.Timestamp(coerce.to_datetime(v))``)."""
    cells = values.tolist()
    types = set(map(type, cells))
    if not cells or not types <= {_dt.datetime, float, int}:
        return None
    out = np.empty(len(cells), dtype="datetime64[us]")  # what pd.Timestamp(datetime) gives
    is_num = np.fromiter((type(v) is not _dt.datetime for v in cells), dtype=bool, count=len(cells))
    try:
        if is_num.any():
            x = np.asarray([v for v, n in zip(cells, is_num) if n], dtype=np.float64)
            # whole days from 1 to 2262-04-10 (pandas' dates end on 2262-04-11): exact as integer days
            if not np.all((x >= 1) & (x < 132_320) & (x == np.floor(x))):
                return None
            out[is_num] = np.datetime64(coerce.EXCEL_EPOCH, "us") + x.astype(np.int64).astype("timedelta64[D]")
        if not is_num.all():
            stamps = [v for v, n in zip(cells, is_num) if not n]
            if any(v.tzinfo is not None for v in stamps):
                return None
            out[~is_num] = pd.DatetimeIndex(stamps).to_numpy()
    except (ValueError, OverflowError, TypeError):  # out of pandas' range: cell by cell
        return None
    return pd.DatetimeIndex(out)


def number_cells(g: ObjectArray2D) -> Float64Array2D | None:
    """An object array of numbers and blanks (None, NaN) as float64, NaN where blank; None where
    some cell is anything else (text, a boolean, a date, an error) or beyond float range."""
    if not set(map(type, g.ravel().tolist())) <= {float, int, type(None)}:
        return None
    try:
        return np.array(g, dtype=np.float64)
    except OverflowError:
        return None


# --------------------------------------------------------------------------- CSV import


def _parse_dates(values: pd.Series, where: str) -> pd.DatetimeIndex:
    """Parse a date column with one format for the whole column (no guessing per cell)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return pd.DatetimeIndex(values)
    text = values.astype(str)
    for fmt in DATE_FORMATS:  # most files: one format fits the text as written (no strip needed)
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        if not parsed.isna().any():
            return pd.DatetimeIndex(parsed)
    text = text.str.strip()
    for fmt in DATE_FORMATS:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        if not parsed.isna().any():
            return pd.DatetimeIndex(parsed)
    parsed = pd.to_datetime(text, errors="coerce", format="mixed")
    if parsed.isna().any():
        bad = text[parsed.isna()].head(3).tolist()
        raise InputError(f"cannot read {int(parsed.isna().sum())} dates, e.g. {bad}", where=where)
    return pd.DatetimeIndex(parsed).tz_localize(None) if parsed.dt.tz is not None else pd.DatetimeIndex(parsed)


def _detect_shape(columns: list[str]) -> str:
    low = {c.strip().lower() for c in columns}
    if len(_YAHOO_MARKERS & low) >= 3 and any(p in low for p in YAHOO_PRICE_COLUMNS):
        return "yahoo"
    if len(columns) == 2:
        return "fred"
    return "wide"


def prices_from_csv_frame(
    raw: pd.DataFrame,
    *,
    name: str | None = None,
    ticker: str | None = None,
    shape: CsvShape = "auto",
    duplicates: Duplicates = "last",
    source: str = "csv text",
) -> PriceTable:
    """A CSV file's cells (all text, as read) as a clean :class:`PriceTable`.

    The file itself is read by a door (:func:`xlhedge.workbook.prices_csv.read_prices_csv`);
    this parses what it holds.

    Parameters
    ----------
    raw : DataFrame
        The file's columns as text (``dtype=str``), the header as column names.
    name : str, optional
        The file's name without extension: names the file in messages and the series of a
        FRED or Yahoo file when ``ticker`` is not given (``None`` for CSV text).
    ticker : str, optional
        Series name for a FRED or Yahoo file (default: FRED's value column name unless it
        is ``VALUE``, else ``name``).
    shape : {"auto", "wide", "fred", "yahoo"}
        Force a shape instead of detecting it from the header.
    duplicates : {"last", "first", "error"}
        What to do with a date that appears twice (always reported).
    source : str
        Where the prices came from, kept on the table (``PriceTable.source``).
    """
    where = name or "csv"
    raw = raw.set_axis([str(c).strip().lstrip("\ufeff") for c in raw.columns], axis=1)  # clean_prices copies
    if raw.shape[1] < 2:
        raise InputError("needs a date column and at least one price column", where=where)
    date_col = next((c for c in raw.columns if c.lower() in DATE_COLUMN_NAMES), raw.columns[0])
    kind = _detect_shape(list(raw.columns)) if shape == "auto" else shape
    if kind not in CSV_SHAPES or kind == "auto":
        raise InputError(f"expected one of {', '.join(CSV_SHAPES)}, found {shape!r}", where="shape")
    dates = _parse_dates(raw[date_col], where=f"{where} column {date_col}")
    data = raw.drop(columns=[date_col])
    if kind == "yahoo":
        lower = {c.lower(): c for c in data.columns}
        col = next((lower[p] for p in YAHOO_PRICE_COLUMNS if p in lower), None)
        if col is None:
            raise InputError("looks like a Yahoo file but has no Adj Close or Close column", where=where)
        series = ticker or name or "series_1"
        data = data[[col]].rename(columns={col: series})
    elif kind == "fred":
        (col,) = data.columns
        series = ticker or (col if col.upper() != "VALUE" else (name or "series_1"))
        data = data.rename(columns={col: series})
    elif ticker is not None:
        raise InputError("names one series, but a wide file has one column per ticker", where="ticker")
    data.index = dates
    try:
        table = clean_prices(data, duplicates=duplicates)
    except InputError as exc:  # name the file: "SPY column SPY has an infinite price ... on 2024-01-03"
        if exc.where and exc.where.startswith("prices "):
            exc.where = f"{where} {exc.where.removeprefix('prices ')}"
        raise
    table.source = source
    return table


def join_price_tables(tables: Sequence[PriceTable], *, duplicates: Duplicates = "last") -> PriceTable:
    """Join several price tables on the date (outer join), each with its own calendar.

    The joined table keeps every date of every table; a series without a price on a date
    is missing there, and the report says so (``calendar`` issues), so estimates align
    each pair on its common dates. Two tables with a series of the same name are an error.
    """
    if not tables:
        raise InputError("no files given", where="prices")
    report = PriceReport()
    for t in tables:
        for i in t.report.issues:
            if i.kind != "calendar":  # recomputed on the joined table below
                report.add(i)
    frames = [t.prices for t in tables]
    names = [c for f in frames for c in f.columns]
    clash = sorted({c for c in names if names.count(c) > 1})
    if clash:
        raise InputError(f"several files give a series named {', '.join(clash)}; pass tickers=", where="prices")
    joined = pd.concat(frames, axis=1, join="outer", sort=True)
    final = clean_prices(joined, duplicates=duplicates)
    for i in final.report.issues:
        report.add(i)
    return PriceTable(final.prices, report, source=", ".join(t.source for t in tables))


# --------------------------------------------------------------------------- returns


def check_positive_prices(
    prices: Float64Array,
    name: str,
    *,
    dates: pd.DatetimeIndex | None = None,
    columns: Sequence[Any] | pd.Index | None = None,
    place: Callable[[int, int], str] | None = None,
    hint: str = "",
) -> Float64Array:
    """Raise :class:`InputError` at the first zero or negative price; NaN (missing) is allowed.

    The one wording of this check for every door: ``NAME has a zero or negative price
    (-2) on 2024-01-03; prices must be > 0``.

    Parameters
    ----------
    prices : float64 array, (T,) or (T, k), dates down; NaN = no price.
    name : argument name, the start of the error's place.
    dates : the rows' dates (named in the message as ``on YYYY-MM-DD``), optional.
    columns : the columns' names; the place becomes ``NAME column TICKER``.
    place : ``(row, column) -> str`` describing a cell (a worksheet range); the place
        becomes ``NAME <place>`` and no row is added to the message.
    hint : what to do about it, appended after a semicolon (the Python API points at
        :func:`clean_prices`).

    Returns
    -------
    ``prices``, unchanged, when every price is > 0 or missing.
    """
    a = np.asarray(prices, dtype=np.float64)
    if a.size == 0:
        return prices
    grid = a.reshape(a.shape[0], -1) if a.ndim else a.reshape(1, 1)  # rows = dates
    with np.errstate(invalid="ignore"):
        bad = (grid <= 0) | np.isinf(grid)
    if not bad.any():
        return prices
    i, j = (int(k[0]) for k in np.nonzero(bad))
    value = float(grid[i, j])
    if place is not None:
        where, at = f"{name} {place(i, j)}", ""
    else:
        where = f"{name} column {columns[j]!s}" if columns is not None else name
        if dates is not None:
            at = f" on {pd.Timestamp(dates[i]):%Y-%m-%d}"
        else:
            at = f" in row {i + 1}" if a.size > 1 else ""
    tail = f"; {hint}" if hint else ""
    if math.isinf(value):
        raise InputError(f"has an infinite price ({value:g}){at}; prices must be finite and > 0{tail}", where=where)
    raise InputError(f"has a zero or negative price ({value:g}){at}; prices must be > 0{tail}", where=where)


def simple_or_log_returns(now: Float64Array, before: Float64Array, kind: ReturnKind) -> Float64Array:
    """Element-wise return from ``before`` to ``now`` (docs/methodology/estimation.md).

    ``kind="simple"``: now / before − 1; ``"log"``: ln now − ln before. Arrays broadcast;
    NaN where either price is missing, with no floating-point warning (callers mask
    those rows). Prices are expected > 0 (:func:`check_positive_prices`).
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "log":
            return np.log(now) - np.log(before)
        return now / before - 1.0


def _ffill_rows(a: Float64Array2D) -> Float64Array2D:
    """Forward-fill NaN down axis 0 (vectorised, no loop over columns)."""
    valid = ~np.isnan(a)
    idx = np.where(valid, np.arange(a.shape[0])[:, None], 0)
    np.maximum.accumulate(idx, axis=0, out=idx)
    out = np.take_along_axis(a, idx, axis=0)
    out[~valid.cumsum(axis=0).astype(bool)] = np.nan
    return out


def pair_returns(
    asset: FloatArrayLike, benchmark: FloatArrayLike, kind: ReturnKind = "simple"
) -> tuple[Float64Array, Float64Array]:
    """Returns of each asset column and of the benchmark on their common dates.

    Parameters
    ----------
    asset : (T, n) float64 prices, NaN where missing.
    benchmark : (T,) or (T, n) float64 prices, NaN where missing.
    kind : {"simple", "log"}

    Returns
    -------
    (ra, rb) : two (T, n) arrays
        Row t holds the return from the pair's previous common date to t when
        both have a price at t (and at some earlier date), NaN otherwise. With a
        one-column benchmark, ``rb[:, i]`` is the benchmark measured over the
        same span as ``ra[:, i]``: a gap in either series yields one multi-day
        return for both.
    """
    a: Float64Array = np.asarray(asset, dtype=np.float64)
    if a.ndim == 1:
        a = a[:, None]
    b: Float64Array = np.asarray(benchmark, dtype=np.float64)
    if b.ndim == 1:
        b = b[:, None]
    ok = ~np.isnan(a) & ~np.isnan(b)
    if ok.all():  # fast path: one calendar
        ra = np.full(a.shape, np.nan)
        rb = np.full(a.shape, np.nan)
        ra[1:] = simple_or_log_returns(a[1:], a[:-1], kind)
        rb[1:] = (
            simple_or_log_returns(b[1:], b[:-1], kind)
            if b.shape[1] == a.shape[1]
            else np.broadcast_to(simple_or_log_returns(b[1:], b[:-1], kind), (a.shape[0] - 1, a.shape[1]))
        )
        return ra, rb
    am = np.where(ok, a, np.nan)
    bm = np.where(ok, np.broadcast_to(b, a.shape), np.nan)
    prev_a = np.full(a.shape, np.nan)
    prev_b = np.full(a.shape, np.nan)
    prev_a[1:] = _ffill_rows(am)[:-1]
    prev_b[1:] = _ffill_rows(bm)[:-1]
    ra = np.where(ok, simple_or_log_returns(am, prev_a, kind), np.nan)
    rb = np.where(ok, simple_or_log_returns(bm, prev_b, kind), np.nan)
    return ra, rb


def to_weekly(prices: pd.DataFrame) -> pd.DataFrame:
    """Last price of each week (weeks ending Friday, ``WEEK_END``), per series."""
    df = _as_frame(prices)
    if not isinstance(df.index, pd.DatetimeIndex):
        raise InputError("weekly returns need dates as the index", where="prices")
    return df.resample(WEEK_END).last().dropna(how="all")


def returns(
    prices: pd.DataFrame,
    kind: ReturnKind = "simple",
    frequency: Frequency = "daily",
) -> pd.DataFrame:
    """Per-series returns, each series on its own dates (docs/methodology/estimation.md).

    Simple: P_t / P_{t−1} − 1; log: ln P_t − ln P_{t−1}, where t−1 is the
    series' previous date with a price (a gap gives one multi-day return).
    Weekly returns use each week's last price. For two series with different
    calendars use :func:`pair_returns` (what the estimators do).

    Parameters
    ----------
    prices : DataFrame, dates × series, prices > 0 (NaN = missing).
    kind : {"simple", "log"}
    frequency : {"daily", "weekly"}

    Returns
    -------
    DataFrame of the same shape (weekly: one row per week), NaN where a
    series has no return.
    """
    k = coerce.choice(kind, "kind", RETURN_KINDS)
    f = coerce.choice(frequency, "frequency", FREQUENCIES)
    df = _as_frame(prices)
    if f == "weekly":
        df = to_weekly(df)
    a = df.to_numpy(dtype=np.float64)
    check_positive_prices(
        a,
        "prices",
        dates=df.index if isinstance(df.index, pd.DatetimeIndex) else None,
        columns=df.columns,
        hint=CLEAN_PRICES_HINT,
    )
    prev = np.full(a.shape, np.nan)
    prev[1:] = _ffill_rows(a)[:-1]
    r = np.where(np.isnan(a), np.nan, simple_or_log_returns(a, prev, k))
    return pd.DataFrame(r, index=df.index, columns=df.columns)
