"""Recompute many saved books: one per-book function, a process pool or a Dask cluster around it.

:func:`recompute_one` is the whole job for one file (read, recompute, save, then the book's
NAV, factor exposures, per-factor hedges and findings) and returns a plain, picklable
:class:`BookResult`; it never raises, so one book's failure never stops the others.
:func:`run_books` maps it over many files, in this process (``jobs=1``), in a
:class:`concurrent.futures.ProcessPoolExecutor` (``jobs > 1``) or on a Dask distributed
scheduler (``cluster=ADDRESS``; the ``xlhedge[dask]`` extra), where the workers read and
write the files themselves (a path every worker sees, e.g. a shared drive).

Exit codes follow the CLI's: 0 fine, 1 findings (errors, or warnings under ``strict``;
stored values out of date under ``check``), 2 an unusable book, 3 a bug in xlhedge.
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlhedge.calc.bookio import BookIO
from xlhedge.engine.errors import InputError, XlhedgeError, internal_error, numeric_guard

__all__ = [
    "BOOK_SUFFIXES",
    "BookResult",
    "MEMORY_PER_BOOK",
    "collect_books",
    "default_jobs",
    "recompute_one",
    "run_books",
    "summary_rows",
    "write_summary",
]

#: Files a folder argument contributes (Excel's lock files ``~$…`` are skipped).
BOOK_SUFFIXES = (".xlsx", ".xlsm")

#: Memory one worker is assumed to need: a fixed part (the interpreter, numpy, pandas and
#: the package reader) plus a multiple of the book's compressed size (its XML inflates
#: about 10×, and the reader holds the XML and its cells). Measured at 16,000 positions:
#: a 2.9 MB file peaks near 320 MiB in a fresh process.
MEMORY_PER_BOOK = (160 * 2**20, 70)

#: Seconds to wait for a Dask scheduler to answer.
CONNECT_TIMEOUT = 10

#: Status of a book, from best to worst; the exit code is the index.
STATUSES = ("ok", "findings", "failed", "crashed")


@dataclass
class BookResult:
    """What recomputing one book gave: plain values only, so it crosses process and machine boundaries."""

    path: str
    status: str = "ok"  # one of STATUSES
    exit_code: int = 0
    error: str = ""
    positions: int | None = None
    nav: float | None = None
    currency: str = ""
    seconds: float = 0.0
    formulas: int = 0
    changed: int = 0
    #: factor key -> exposure (fraction of NAV), in the book's factor order
    exposures: dict[str, float] = field(default_factory=dict)
    #: factor key -> the recommended hedge: notional (currency), instrument, contracts
    hedges: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: severity -> count, over the recompute's notices and the common-mistakes checks
    findings: dict[str, int] = field(default_factory=lambda: {"error": 0, "warning": 0, "info": 0})
    #: the recompute's notices, one line each ("warning Book!D12: …")
    notices: list[str] = field(default_factory=list)


def _mark(res: BookResult, code: int) -> None:
    if code > res.exit_code:
        res.exit_code, res.status = code, STATUSES[code]


def recompute_one(
    path: str | os.PathLike[str],
    *,
    strict: bool = False,
    check: bool = False,
    output_dir: str | os.PathLike[str] | None = None,
) -> BookResult:
    """Recompute one saved book and describe it; never raises (a failure is the result's status).

    ``check`` recomputes in memory and marks the book ``findings`` when a stored value is out
    of date; otherwise the file is saved in place, or under ``output_dir`` with the same name.
    """
    from xlhedge.calc.recompute import RecomputeOptions, recompute
    from xlhedge.workbook.filebook import FileBook

    t0 = time.perf_counter()
    res = BookResult(path=str(path))
    try:
        fb = FileBook(path)
        with numeric_guard():  # as in the CLI: no numpy warning from a worker reaches the terminal
            rep = recompute(fb, RecomputeOptions(strict=strict, write_status=not check))
        res.formulas, res.changed = rep.cells_evaluated, len(fb.changed)
        for n in rep.findings:
            res.findings[n.level] = res.findings.get(n.level, 0) + 1
            res.notices.append(f"{n.level} {n}")
        if check and fb.changed:
            res.error = f"{len(fb.changed)} stored values are out of date"
            _mark(res, 1)
        if rep.errors or (strict and rep.warnings):
            _mark(res, 1)
        if not check:
            fb.save(Path(output_dir) / Path(path).name if output_dir is not None else None)
        _describe(res, fb)
    except XlhedgeError as exc:
        res.error = str(exc)
        _mark(res, 2)
    except Exception as exc:  # a bug in xlhedge: reported as this book's result, never raised
        res.error = internal_error(exc)
        _mark(res, 3)
    res.seconds = time.perf_counter() - t0
    return res


def _describe(res: BookResult, fb: BookIO) -> None:
    """NAV, exposures, hedges and check findings of a recomputed book; a book that is fine but has
    nothing to describe (the empty template) stays ``ok``, with the reason in ``error``."""
    from xlhedge.calc.bookread import book_findings, book_from_io
    from xlhedge.calc.hedges import hedge_plan, read_hedge_inputs

    try:
        book = book_from_io(fb)
    except XlhedgeError as exc:
        res.positions, res.error = 0, f"recomputed; no book view ({exc})"
        return
    res.positions, res.nav, res.currency = len(book.positions), float(book.nav), book.record_currency
    res.exposures = {str(k): float(v) for k, v in book.exposures()["exposure"].items()}
    plan = hedge_plan(book, read_hedge_inputs(fb))["factors"]
    for _, r in plan.iterrows():
        res.hedges[str(r["factor"])] = {
            "notional": float(r["notional"]),
            "instrument": str(r["instrument"] or ""),
            "contracts": None if r["contracts"] != r["contracts"] else float(r["contracts"]),
        }
    for f in book_findings(fb):
        res.findings[f.severity] = res.findings.get(f.severity, 0) + 1


def collect_books(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The books named: files as given, folders expanded to their .xlsx/.xlsm files (sorted, not recursive)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.iterdir() if q.suffix.lower() in BOOK_SUFFIXES and not q.name.startswith("~$"))
            if not found:
                raise InputError(f"{p}: no .xlsx or .xlsm books in this folder")
            out.extend(found)
        else:
            out.append(p)
    return list(dict.fromkeys(out))


def _available_memory() -> int | None:
    """Bytes of memory available to new processes (Linux ``MemAvailable``), else None."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def default_jobs(paths: Sequence[str | os.PathLike[str]], available: int | None = None) -> int:
    """Workers for ``paths`` when ``--jobs`` is not given: the number of cores, capped by memory.

    The cap: available memory // (160 MiB + 70 × the largest book's file size)
    (:data:`MEMORY_PER_BOOK`), so that many workers recomputing the largest book at once still
    fit; never more workers than books, never fewer than one.
    """
    fixed, per_byte = MEMORY_PER_BOOK
    largest = max((Path(p).stat().st_size for p in paths if Path(p).is_file()), default=0)
    available = _available_memory() if available is None else available
    jobs = _cores()
    if available is not None:
        jobs = min(jobs, available // (fixed + per_byte * largest))
    return max(1, min(jobs, len(paths)))


def run_books(
    paths: Sequence[str | os.PathLike[str]],
    *,
    jobs: int = 1,
    cluster: str | None = None,
    strict: bool = False,
    check: bool = False,
    output_dir: str | os.PathLike[str] | None = None,
    on_start: Callable[[str], None] | None = None,
    on_done: Callable[[BookResult], None] | None = None,
) -> list[BookResult]:
    """Recompute every book of ``paths``; results in the order of ``paths``.

    ``jobs=1`` runs here, one after the other; ``jobs > 1`` in that many processes;
    ``cluster`` (a Dask scheduler address, ``tcp://host:8786``) on its workers, which must see
    the same paths. ``on_done`` is called here with each result as it arrives.
    """
    kwargs: dict[str, Any] = {"strict": strict, "check": check, "output_dir": output_dir}
    names = [str(p) for p in paths]
    results: dict[int, BookResult] = {}

    def done(i: int, res: BookResult) -> None:
        results[i] = res
        if on_done is not None:
            on_done(res)

    if cluster is not None:
        _run_dask(names, cluster, kwargs, done)
    elif jobs <= 1 or len(names) <= 1:
        for i, p in enumerate(names):
            if on_start is not None:
                on_start(p)
            done(i, recompute_one(p, **kwargs))
    else:
        ctx = _pool_context()
        with ProcessPoolExecutor(max_workers=min(jobs, len(names)), mp_context=ctx) as pool:
            pending: dict[Future[BookResult], int] = {
                pool.submit(recompute_one, p, **kwargs): i for i, p in enumerate(names)
            }
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    i = pending.pop(fut)
                    done(i, _result_of(fut, names[i]))
    return [results[i] for i in range(len(names))]


#: What a worker imports to recompute and describe a book: loaded once before the pool starts, so
#: forked workers inherit the modules instead of each importing them again (a few tenths of a second each).
WORKER_MODULES = (
    "xlhedge.calc.recompute",
    "xlhedge.calc.bookread",
    "xlhedge.calc.hedges",
    "xlhedge.workbook.filebook",
)


def _pool_context() -> Any:
    """The process pool's start method, with :data:`WORKER_MODULES` loaded where the workers start from:
    in this process under ``fork`` (Linux before Python 3.14), in the fork server under ``forkserver``;
    under ``spawn`` (Windows, macOS) each worker imports them itself."""
    import importlib
    import multiprocessing

    ctx = multiprocessing.get_context()
    method = ctx.get_start_method()
    if method == "fork":
        for m in WORKER_MODULES:
            importlib.import_module(m)
    elif method == "forkserver":
        ctx.set_forkserver_preload(list(WORKER_MODULES))
    return ctx


def _result_of(fut: Any, path: str) -> BookResult:
    """A future's result; a worker that died (out of memory, killed) is that book's crash."""
    try:
        res = fut.result()
    except Exception as exc:
        res = BookResult(path=path, error=f"the worker stopped: {internal_error(exc)}")
        _mark(res, 3)
    return res


def _run_dask(names: list[str], address: str, kwargs: dict[str, Any], done: Callable[[int, BookResult], None]) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise InputError("--cluster needs Dask distributed: pip install 'xlhedge[dask]'") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
    try:
        # pure=False: the same file recomputed twice is two jobs (it may have changed in between)
        futures = client.map(recompute_one, names, pure=False, **kwargs)
        index = {f.key: i for i, f in enumerate(futures)}
        for fut in as_completed(futures):
            i = index[fut.key]
            done(i, _result_of(fut, names[i]))
    finally:
        client.close()


def summary_rows(results: Sequence[BookResult]) -> list[dict[str, Any]]:
    """One flat row per book: path, status, error, NAV, every factor's exposure, the per-factor
    hedge (notional, instrument, contracts), the findings count by severity, seconds."""
    factors = list(dict.fromkeys(k for r in results for k in r.exposures))
    hedged = list(dict.fromkeys(k for r in results for k in r.hedges))
    rows = []
    for r in results:
        row: dict[str, Any] = {
            "path": r.path,
            "status": r.status,
            "exit_code": r.exit_code,
            "error": r.error,
            "positions": r.positions,
            "nav": r.nav,
            "currency": r.currency,
        }
        row.update({f"exposure_{f}": r.exposures.get(f) for f in factors})
        for f in hedged:
            h = r.hedges.get(f, {})
            row[f"hedge_notional_{f}"] = h.get("notional")
            row[f"hedge_instrument_{f}"] = h.get("instrument")
            row[f"hedge_contracts_{f}"] = h.get("contracts")
        row.update({f"findings_{s}": r.findings.get(s, 0) for s in ("error", "warning", "info")})
        row["seconds"] = round(r.seconds, 3)
        rows.append(row)
    return rows


def write_summary(results: Sequence[BookResult], path: str | os.PathLike[str]) -> Path:
    """Write :func:`summary_rows` as .csv, .json (a list of records) or .parquet (needs pyarrow)."""
    import pandas as pd

    out = Path(path)
    kind = out.suffix.lower()
    if kind not in (".csv", ".json", ".parquet"):
        raise InputError(f"{out}: the summary must be a .csv, .json or .parquet file")
    frame = pd.DataFrame(summary_rows(results))
    for col in ("positions", "exit_code"):
        frame[col] = frame[col].astype("Int64")
    if kind == ".csv":
        frame.to_csv(out, index=False)
    elif kind == ".json":
        frame.to_json(out, orient="records", indent=1)
    else:
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise InputError(
                f"{out}: a .parquet summary needs pyarrow (pip install pyarrow); or use .csv/.json"
            ) from None
        frame.to_parquet(out, index=False)
    return out


def as_dict(res: BookResult) -> dict[str, Any]:
    """The result as plain nested data (for JSON or a test)."""
    return dataclasses.asdict(res)
