"""Fill the Book's factor betas from price history (docs/methodology/estimation.md), for a whole workbook.

Used by ``xlhedge estimate`` and by the refresh pipeline (step ``estimate
betas``, before the formulas). For each position whose ticker heads a column
of the Prices sheet (or of an imported CSV), each factor with a benchmark
column (equity: SPX, usd: DXY, commodity: a composite, crypto: BTC) gets the
OLS (or EWMA) beta of the position's returns to the benchmark's, pairwise
aligned (:func:`xlhedge.engine.estimation.beta_stats`).

Typed betas are never overwritten unless asked: every estimate is recorded in
the Prices sheet's ``EstimateLog`` (cell, beta, R², dates...). A Book beta is
re-estimated when it is blank or still equals its logged estimate; a value
that differs from the log was typed by the user and is left alone (and
dropped from the log), unless ``overwrite=True``. Estimated cells also get the
``estimated`` cell style and a note (window, R², date range) where the book
interface supports them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from xlhedge.calc import layout
from xlhedge.calc.bookio import BookIO, named_range
from xlhedge.calc.refs import CellRange, cell_name, col_letters, parse_ref
from xlhedge.calc.report import RecomputeOptions, RecomputeReport
from xlhedge.engine import coerce
from xlhedge.engine._typing import CORE_FACTORS
from xlhedge.engine.errors import FormulaError, InputError, NotEnoughData, WorkbookError
from xlhedge.engine.estimation import ESTIMATION_DEFAULTS, METHODS, beta_stats
from xlhedge.engine.optionbook import is_option
from xlhedge.engine.prices import PriceReport, PriceTable, blank_cells, clean_prices, date_column, number_cells

__all__ = [
    "BENCHMARK_NAMES",
    "EstimateLine",
    "EstimateOutcome",
    "benchmark_roles",
    "estimate_book",
    "estimate_step",
    "prices_from_sheet",
    "report_outcome",
    "settings_from_book",
    "store_prices",
]

#: Header names recognised as each factor's benchmark in an imported file (case-insensitive).
#: On the Prices sheet the benchmark columns are fixed by position (B–E) instead.
BENCHMARK_NAMES: dict[str, tuple[str, ...]] = {
    "equity": ("SPX", "^GSPC", "GSPC", "SP500", "S&P 500", "SPY", "ES", "sp500"),
    "usd": ("DXY", "DX-Y.NYB", "USDX", "UUP", "DTWEXBGS"),
    "commodity": ("BCOM", "COMMODITY", "BCOMTR", "GSCI", "DBC", "GSG"),
    "crypto": ("BTC", "BTC-USD", "BTCUSD", "XBT", "CBBTCUSD"),
}
#: Relative tolerance deciding that a Book beta still equals its logged estimate.
SAME_VALUE_RTOL = 1e-9


@dataclass(frozen=True)
class EstimateLine:
    """One estimated Book cell (a row of the EstimateLog)."""

    cell: str  # "Book!C16"
    ticker: str
    factor: str
    benchmark: str
    beta: float
    r2: float
    se: float
    n: int
    start: _dt.datetime
    end: _dt.datetime
    window: int | None
    method: str

    def row(self) -> list[Any]:
        """The log line. Counts as floats and dates as ISO text: what a cell reads back, so an
        unchanged estimate rewrites nothing (``recompute --check`` stays clean)."""
        return [
            self.cell,
            self.ticker,
            self.factor,
            self.benchmark,
            self.beta,
            self.r2,
            self.se,
            float(self.n),
            f"{self.start:%Y-%m-%d}",
            f"{self.end:%Y-%m-%d}",
            float(self.window) if self.window else "all",
            self.method,
        ]

    def note(self) -> str:
        w = f"last {self.window}" if self.window else "all"
        return (
            f"xlhedge estimate: {self.method.upper()} beta to {self.benchmark} over {w} common returns "
            f"(n = {self.n}, {self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}), R² {self.r2:.2f}, "
            f"SE {self.se:.3f}. Re-estimated on refresh while unchanged; type over it to keep your own."
        )


@dataclass
class EstimateOutcome:
    """What an estimation pass did."""

    written: list[EstimateLine] = field(default_factory=list)
    kept_typed: list[tuple[str, str, str, float]] = field(default_factory=list)  # cell, ticker, factor, value
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # ticker, factor, reason
    no_prices: list[str] = field(default_factory=list)  # tickers without a price column
    price_report: PriceReport = field(default_factory=PriceReport)


# --------------------------------------------------------------------------- reading


def prices_from_sheet(io: BookIO) -> tuple[PriceTable, dict[str, str], str] | None:
    """The Prices sheet as a clean price table, its benchmark columns by factor, and its range.

    Returns None when the book has no ``PricesTable`` name or the sheet holds no
    price. Columns with a blank header and no data are ignored; a column with
    data but no header is an error naming it.
    """
    rng = named_range(io, layout.PRICES_TABLE)
    if rng is None or rng.sheet not in io.sheet_names():
        return None
    rows = io.read(rng)
    g = coerce.grid(rows, rng.sheet)
    head, body = g[0], g[1:]
    blank = blank_cells(body)
    if blank[:, 1:].all():
        return None
    used = ~blank.all(axis=1)
    body, blank = body[used], blank[used]
    index = date_column(body[:, 0])  # one pass where every date is a date (or a whole serial)
    if index is None:
        dates = [None if (d := coerce.to_datetime(v)) is None else pd.Timestamp(d) for v in body[:, 0]]
        bad = [i for i, d in enumerate(dates) if d is None]
        if bad:
            r = rng.r1 + 1 + int(np.nonzero(used)[0][bad[0]])
            raise InputError(f"has prices but no date in row {r}", where=f"{rng.sheet}!A{r}")
        index = pd.DatetimeIndex(dates)
    numbers = number_cells(body[:, 1:])  # the usual sheet: only numbers and blanks, one conversion
    cols: dict[str, np.ndarray] = {}
    roles: dict[str, str] = {}
    for j in range(1, g.shape[1]):
        name = "" if coerce.is_blank(head[j]) else str(head[j]).strip()
        col_blank = blank[:, j].all()
        letter = col_letters(rng.c1 + j)
        if col_blank:
            continue
        if not name:
            raise InputError(
                "has prices but no header (ticker) in its first row", where=f"{rng.sheet}!{letter}:{letter}"
            )
        if name in cols:
            raise InputError(f"repeats the header {name!r}", where=f"{rng.sheet}!{letter}{rng.r1}")
        if numbers is not None:
            cols[name] = numbers[:, j - 1]  # NaN where blank
        else:
            vals = body[:, j].copy()
            vals[blank[:, j]] = np.nan  # blank cells are missing prices
            cols[name] = vals
        k = j - 1
        if k < len(CORE_FACTORS) and k < 4:
            roles[("equity", "usd", "commodity", "crypto")[k]] = name
    df = pd.DataFrame(cols, index=index)
    table = clean_prices(df)
    return table, roles, str(rng)


def benchmark_roles(columns: list[str], names: Mapping[str, tuple[str, ...]] | None = None) -> dict[str, str]:
    """Factor → column of an imported table, matched by :data:`BENCHMARK_NAMES`."""
    table = BENCHMARK_NAMES if names is None else names
    upper = {c.strip().upper(): c for c in columns}
    out = {}
    for factor, cands in table.items():
        for cand in cands:
            if cand.upper() in upper:
                out[factor] = upper[cand.upper()]
                break
    return out


def _read_log(io: BookIO) -> tuple[CellRange | None, dict[str, list[Any]]]:
    rng = named_range(io, layout.ESTIMATE_LOG)
    if rng is None or rng.sheet not in io.sheet_names():
        return None, {}
    out = {}
    for row in io.read(rng):
        if row and isinstance(row[0], str) and row[0]:
            out[row[0]] = list(row)
    return rng, out


# --------------------------------------------------------------------------- estimate


def _same(a: float, b: Any) -> bool:
    return (
        isinstance(b, (int, float))
        and not isinstance(b, bool)
        and abs(a - float(b)) <= SAME_VALUE_RTOL * max(1.0, abs(a))
    )


def estimate_book(
    io: BookIO,
    *,
    prices: PriceTable | None = None,
    roles: Mapping[str, str] | None = None,
    window: int | None = int(ESTIMATION_DEFAULTS["window"]),
    method: str = "ols",
    overwrite: bool = False,
) -> EstimateOutcome:
    """Estimate the Book's betas from prices and write them (see the module docstring).

    Parameters
    ----------
    io : BookIO
        The workbook (a saved file or the open book).
    prices : PriceTable, optional
        Prices to use instead of the Prices sheet (e.g. an imported CSV); its
        benchmark columns are found with :data:`BENCHMARK_NAMES` unless
        ``roles`` names them.
    window : int or None
        The last ``window`` common returns per pair (None = all).
    method : {"ols", "ewma"}
    overwrite : bool
        Also replace betas the user typed.

    Raises
    ------
    WorkbookError
        The book has no Book sheet names (not an xlhedge book).
    """
    m = coerce.choice(method, "method", METHODS)
    out = EstimateOutcome()
    if prices is None:
        got = prices_from_sheet(io)
        if got is None:
            return out
        prices, sheet_roles, _ = got
        roles = dict(sheet_roles if roles is None else roles)
    else:
        roles = dict(benchmark_roles(list(prices.prices.columns)) if roles is None else roles)
    out.price_report = prices.report
    tick_rng, beta_rng = named_range(io, layout.BOOK_TICKERS), named_range(io, layout.BOOK_BETAS)
    if tick_rng is None or beta_rng is None:
        raise WorkbookError("is not an xlhedge book: the names BookTickers/BookBetas are missing", where=io.name)
    tickers = ["" if coerce.is_blank(v) else str(v).strip() for v in io.read(tick_rng)[0]]
    betas = io.read(beta_rng)
    log_rng, log = _read_log(io)
    px = prices.prices
    by_upper = {str(c).strip().upper(): c for c in px.columns}
    # an option position's betas come from its Greeks (docs/methodology/options.md): never estimated
    opt_rng = named_range(io, layout.BOOK_OPTION_TYPES)
    opt_row = io.read(opt_rng)[0] if opt_rng is not None else []
    options = {j for j, v in enumerate(opt_row) if is_option(v)}
    tickers = ["" if j in options else t for j, t in enumerate(tickers)]
    positions = [(j, t, by_upper[t.upper()]) for j, t in enumerate(tickers) if t and t.upper() in by_upper]
    out.no_prices = [t for t in tickers if t and t.upper() not in by_upper]
    new_log = dict(log)
    for factor in ("equity", "usd", "commodity", "crypto"):
        bench = roles.get(factor)
        if bench is None or bench not in px.columns or not positions:
            continue
        frow = CORE_FACTORS.index(factor)
        stats = factor_stats(px, [col for _, _, col in positions], bench, window)
        for j, ticker, col in positions:
            row = stats[col]
            if isinstance(row, str):
                out.skipped.append((ticker, factor, row))
                continue
            value = float(row["beta"] if m == "ols" else row["ewma_beta"])
            r, c = beta_rng.r1 + frow, beta_rng.c1 + j
            cell = f"{beta_rng.sheet}!{cell_name(r, c)}"
            current = betas[frow][j]
            logged = log.get(cell)
            estimated_before = logged is not None and _same(float(logged[4]) if _num(logged[4]) else np.nan, current)
            if not (coerce.is_blank(current) or estimated_before or overwrite):
                out.kept_typed.append((cell, ticker, factor, current))
                new_log.pop(cell, None)  # the user's value now
                continue
            line = EstimateLine(
                cell,
                ticker,
                factor,
                str(bench),
                value,
                float(row["r2"]),
                float(row["se"]),
                int(row["n"]),
                row["start"].to_pydatetime(),
                row["end"].to_pydatetime(),
                window,
                m,
            )
            io.write_input(CellRange(beta_rng.sheet, r, c, r, c), [[value]], note=line.note(), style="estimated")
            out.written.append(line)
            new_log[cell] = line.row()
    if log_rng is not None:
        _write_log(io, log_rng, new_log)
    return out


def factor_stats(px: pd.DataFrame, columns: list[Any], bench: Any, window: int | None) -> dict[Any, pd.Series | str]:
    """:func:`beta_stats` of every price column against one benchmark column: one vectorised call
    (each column is still aligned with the benchmark on its own dates), a row per column; where
    some column has too little data, :func:`factor_stats_each` gives every column its own
    call, so the others are estimated and the short one carries its message."""
    cols = list(dict.fromkeys(columns))
    try:
        st = beta_stats(px[cols], px[bench], window)
    except NotEnoughData:
        return factor_stats_each(px, cols, bench, window)
    return {c: st.iloc[i] for i, c in enumerate(cols)}


def factor_stats_each(
    px: pd.DataFrame, columns: list[Any], bench: Any, window: int | None
) -> dict[Any, pd.Series | str]:
    """The reference for :func:`factor_stats`: one :func:`beta_stats` call per column; a column
    with too little data gives the :class:`NotEnoughData` message instead of a row."""
    out: dict[Any, pd.Series | str] = {}
    for c in dict.fromkeys(columns):
        try:
            out[c] = beta_stats(px[[c]], px[bench], window).iloc[0]
        except NotEnoughData as exc:
            out[c] = exc.message
    return out


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _write_log(io: BookIO, rng: CellRange, entries: dict[str, list[Any]]) -> None:
    rows = [entries[k] for k in sorted(entries, key=_cell_key)]
    if len(rows) > rng.rows:
        raise WorkbookError(
            f"the estimate log holds {rng.rows} lines, {len(rows)} are needed; enlarge the EstimateLog name",
            where=str(rng),
        )
    width = rng.cols
    grid = [(list(r) + [None] * width)[:width] for r in rows]
    grid += [[None] * width for _ in range(rng.rows - len(rows))]
    io.write_input(rng, grid)


def _cell_key(cell: str) -> tuple[str, int, int]:
    try:
        r = parse_ref(cell)
        return (r.sheet or "", r.c1, r.r1)
    except FormulaError:
        return (cell, 0, 0)


def store_prices(io: BookIO, table: PriceTable, roles: Mapping[str, str]) -> bool:
    """Write an imported price table into an empty Prices sheet (benchmarks in B–E, the rest from F).

    Returns False (and writes nothing) when the sheet already holds prices or
    the table does not fit the ``PricesTable`` range.
    """
    rng = named_range(io, layout.PRICES_TABLE)
    if rng is None or rng.sheet not in io.sheet_names() or prices_from_sheet(io) is not None:
        return False
    px = table.prices
    bench_cols = [roles.get(f) for f in ("equity", "usd", "commodity", "crypto")]
    others = [c for c in px.columns if c not in bench_cols]
    order: list[Any] = list(bench_cols) + others
    if len(order) + 1 > rng.cols or len(px) + 1 > rng.rows:
        return False
    head = io.read(CellRange(rng.sheet, rng.r1, rng.c1, rng.r1, rng.c1 + len(order)))[0]
    header = ["Date"] + [str(c) if c is not None else head[k + 1] for k, c in enumerate(order)]
    vals = px.reindex(columns=[c for c in order if c is not None]).to_numpy(dtype=np.float64)
    cells = np.full((len(px), len(order)), None, dtype=object)
    have = [k for k, c in enumerate(order) if c is not None]
    cells[:, have] = np.where(np.isnan(vals), np.array(None, dtype=object), vals)
    body = [[d] + row for d, row in zip(pd.DatetimeIndex(px.index).to_pydatetime(), cells.tolist())]
    io.write_input(CellRange(rng.sheet, rng.r1, rng.c1, rng.r1 + len(body), rng.c1 + len(order)), [header] + body)
    return True


# --------------------------------------------------------------------------- pipeline step


def _setting(io: BookIO, name: str) -> Any:
    rng = named_range(io, name)
    if rng is None or rng.sheet not in io.sheet_names():
        return None
    return io.read(rng.cell())[0][0]


def settings_from_book(io: BookIO) -> tuple[int | None, str]:
    """Window and method from the Prices sheet's settings (defaults 252, ols)."""
    w = _setting(io, layout.ESTIMATE_WINDOW)
    m = _setting(io, layout.ESTIMATE_METHOD)
    window: int | None
    if coerce.is_blank(w):
        window = None if named_range(io, layout.ESTIMATE_WINDOW) is not None else int(ESTIMATION_DEFAULTS["window"])
    elif _num(w) and float(w) >= 2 and float(w) == int(w):
        window = int(w)
    else:
        raise InputError(f"must be a whole number of returns ≥ 2 or blank, found {w!r}", where=layout.ESTIMATE_WINDOW)
    return window, coerce.choice(m, layout.ESTIMATE_METHOD, METHODS, default="ols")


def report_outcome(out: EstimateOutcome, report: RecomputeReport, where: str = "Prices") -> None:
    """Findings for a recompute report: price problems and estimates left out."""
    for issue in out.price_report.issues:
        if issue.kind in ("calendar", "range"):
            continue  # normal with mixed calendars; handled by pairwise alignment
        report.warn(where, str(issue))
    for ticker, factor, reason in out.skipped:
        report.warn(where, f"{ticker} {factor} beta not estimated: {reason}")


def estimate_step(io: BookIO, report: RecomputeReport, options: RecomputeOptions) -> None:
    """Re-estimate betas marked as estimated (and fill blanks) when the Prices sheet has data."""
    if not options.estimate or named_range(io, layout.PRICES_TABLE) is None:
        return
    try:
        window, method = settings_from_book(io)
        out = estimate_book(io, window=window, method=method, overwrite=False)
    except (InputError, WorkbookError) as exc:
        report.warn(exc.where or "Prices", exc.message)
        return
    report_outcome(out, report)
