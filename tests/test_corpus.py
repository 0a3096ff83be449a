"""Real workbooks nobody here wrote (tests/data/corpus, licences in LICENSES.md), checked fast.

Each file goes through ``scripts/corpus.py``'s check: recomputed as is (a file with no
xlhedge formula comes back untouched; never exit 3 or a traceback) and with an injected
``FACTOR_EXPOSURE`` cell (every other zip member byte-identical, the output opens in
openpyxl, the cell has a value); and the two cell readers agree on every sheet. The full
run over the public test suites is ``python scripts/corpus.py --git-dir ...`` (see its
docstring); its last counts are in docs/safety.md's test notes.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
FILES = sorted(p for p in CORPUS.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm"))

_spec = importlib.util.spec_from_file_location("xlhedge_corpus_script", ROOT / "scripts" / "corpus.py")
assert _spec is not None and _spec.loader is not None
corpus = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = corpus  # dataclasses look their module up
_spec.loader.exec_module(corpus)


def test_the_sample_is_there_with_its_licences():
    assert 10 <= len(FILES) <= 25
    licences = (CORPUS / "LICENSES.md").read_text()
    for f in FILES:
        assert f.name in licences, f"{f.name} has no licence entry"


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_a_real_workbook_is_left_whole(path: Path, tmp_path: Path):
    out = corpus.check(path, tmp_path)
    assert not out.problems, out.problems
    assert out.as_is in ("ok", "refused")
    assert out.injected in ("ok", "skipped", "refused", "reported")
    assert out.readers in ("agree", "unreadable")


def test_strict_open_xml_from_excel_is_refused_naming_the_format(tmp_path: Path):
    out = corpus.check(CORPUS / "poi_SampleSS.strict.xlsx", tmp_path)
    assert out.as_is == "refused" and out.injected == "skipped"
    from xlhedge import WorkbookError
    from xlhedge.workbook.package import open_package

    with pytest.raises(WorkbookError, match="Strict Open XML"):
        open_package(CORPUS / "poi_SampleSS.strict.xlsx")


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_dates_of_a_1904_book_from_excel_read_as_openpyxl_reads_them():
    import datetime as dt

    import openpyxl

    from xlhedge.workbook.package import open_package

    path = CORPUS / "xlsxwriter_date_1904_02.xlsx"
    pkg = open_package(path)
    assert pkg.date1904
    ws = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    ours = pkg.sheet(pkg.sheet_order[0]).values
    dates = [(c.row, c.column, c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, dt.datetime)]
    assert dates
    for r, c, v in dates:
        assert ours[(r, c)] == v
