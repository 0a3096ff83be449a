"""Many books: `xlhedge recompute A B …` / `DIR/`, the process pool, the summary, Dask."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from xlhedge import read_book
from xlhedge.cli import app
from xlhedge.engine.errors import InputError
from xlhedge.template import template_path
from xlhedge.workbook import batch

runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two example books, one empty template, one broken file."""
    d = tmp_path / "books"
    d.mkdir()
    shutil.copyfile(template_path("example"), d / "a.xlsx")
    shutil.copyfile(template_path("example"), d / "b.xlsx")
    shutil.copyfile(template_path("template"), d / "empty.xlsx")
    (d / "broken.xlsx").write_bytes(b"not a zip")
    (d / "notes.txt").write_text("ignored")
    return d


def _expected(path: Path) -> pd.Series:
    return read_book(path).exposures()["exposure"]


def test_one_book_result_matches_the_book_view(folder: Path):
    res = batch.recompute_one(folder / "a.xlsx")
    assert (res.status, res.exit_code, res.error) == ("ok", 0, "")
    assert res.positions == 6 and res.nav == 1_000_000.0 and res.currency == "USD"
    exp = _expected(folder / "a.xlsx")
    assert list(res.exposures) == list(exp.index)
    assert np.allclose(list(res.exposures.values()), exp.to_numpy())
    # the equity hedge: ratio 50% of an exposure of +0.04875 on a NAV of 1m, sold
    assert res.hedges["equity"]["notional"] == pytest.approx(-0.5 * 0.04875 * 1e6)
    assert res.hedges["equity"]["instrument"] == "ES"
    assert res.findings == {"error": 0, "warning": 2, "info": 2}  # what `xlhedge check` finds in the example


def test_failures_are_results_not_exceptions(folder: Path):
    broken = batch.recompute_one(folder / "broken.xlsx")
    assert broken.status == "failed" and broken.exit_code == 2 and "not a valid" in broken.error
    missing = batch.recompute_one(folder / "nope.xlsx")
    assert missing.exit_code == 2
    empty = batch.recompute_one(folder / "empty.xlsx")
    assert empty.status == "ok" and empty.positions == 0 and "no positions" in empty.error


def test_collect_books_expands_folders_and_keeps_order(folder: Path):
    got = batch.collect_books([folder / "b.xlsx", folder])
    assert [p.name for p in got] == ["b.xlsx", "a.xlsx", "broken.xlsx", "empty.xlsx"]
    nothing = folder.parent / "nothing"
    nothing.mkdir()
    with pytest.raises(InputError, match="no .xlsx"):
        batch.collect_books([nothing])


def test_default_jobs_is_cores_capped_by_memory(folder: Path, monkeypatch):
    monkeypatch.setattr(batch, "_cores", lambda: 8)
    paths = batch.collect_books([folder])
    fixed, per_byte = batch.MEMORY_PER_BOOK
    largest = max(p.stat().st_size for p in paths)
    assert batch.default_jobs(paths, available=10**12) == len(paths)  # never more workers than books
    assert batch.default_jobs(paths * 5, available=10**12) == 8
    assert batch.default_jobs(paths * 5, available=3 * (fixed + per_byte * largest)) == 3
    assert batch.default_jobs(paths, available=0) == 1


def test_cli_folder_pool_table_summary_and_worst_exit_code(folder: Path, tmp_path: Path):
    out = tmp_path / "summary.csv"
    r = runner.invoke(app, ["recompute", str(folder), "--jobs", "2", "--summary", str(out)], catch_exceptions=False)
    assert r.exit_code == 2, r.output  # the broken book's code; the others still ran
    for text in ("4 books", "a.xlsx", "broken.xlsx", "failed", "2 warn, 2 info"):
        assert text in r.output
    s = pd.read_csv(out)
    assert list(s["path"].map(lambda p: Path(p).name)) == ["a.xlsx", "b.xlsx", "broken.xlsx", "empty.xlsx"]
    assert list(s["status"]) == ["ok", "ok", "failed", "ok"]
    exp = _expected(folder / "a.xlsx")
    for f, v in exp.items():
        assert s.loc[0, f"exposure_{f}"] == pytest.approx(v)
    assert s.loc[0, "hedge_instrument_equity"] == "ES"
    assert (s.loc[0, "findings_warning"], s.loc[0, "findings_info"], s.loc[2, "findings_error"]) == (2, 2, 0)
    assert {"nav", "error", "seconds", "hedge_notional_duration", "hedge_contracts_equity"} <= set(s.columns)


def test_cli_many_files_fit_80_columns_and_json_summary(folder: Path, tmp_path: Path):
    out = tmp_path / "s.json"
    r = runner.invoke(
        app,
        ["recompute", str(folder / "a.xlsx"), str(folder / "b.xlsx"), "-j", "1", "--summary", str(out)],
        env={"COLUMNS": "80"},
        catch_exceptions=False,
    )
    assert r.exit_code == 0, r.output
    assert max(len(line) for line in r.output.splitlines()) <= 80
    rows = json.loads(out.read_text())
    assert [row["status"] for row in rows] == ["ok", "ok"] and rows[1]["nav"] == 1_000_000.0


def test_summary_format_is_checked(folder: Path, tmp_path: Path):
    r = runner.invoke(app, ["recompute", str(folder / "a.xlsx"), "--summary", str(tmp_path / "s.xls")])
    assert r.exit_code == 2 and ".csv, .json or .parquet" in r.output


def test_parquet_summary_or_a_clear_message(folder: Path, tmp_path: Path):
    res = [batch.recompute_one(folder / "a.xlsx")]
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        with pytest.raises(InputError, match="needs pyarrow"):
            batch.write_summary(res, tmp_path / "s.parquet")
    else:
        batch.write_summary(res, tmp_path / "s.parquet")
        assert pd.read_parquet(tmp_path / "s.parquet").loc[0, "status"] == "ok"


def test_dask_cluster_gives_the_same_results(folder: Path):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        names = [folder / "a.xlsx", folder / "broken.xlsx"]
        seen: list[str] = []
        got = batch.run_books(names, cluster=cluster.scheduler_address, on_done=lambda r: seen.append(r.status))
    local = [batch.recompute_one(p, check=True) for p in names]
    assert [r.status for r in got] == ["ok", "failed"] and sorted(seen) == ["failed", "ok"]
    assert got[0].exposures == local[0].exposures and got[0].hedges == local[0].hedges


def test_unreachable_cluster_is_one_line(folder: Path, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setattr(batch, "CONNECT_TIMEOUT", 1)
    r = runner.invoke(app, ["recompute", str(folder / "a.xlsx"), "--cluster", "tcp://127.0.0.1:1"])
    assert r.exit_code == 2 and "Dask scheduler" in r.output
