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
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "corpus"
FILES = sorted(p for p in CORPUS.iterdir() if p.suffix.lower() in (".xlsx", ".xlsm"))

_spec = importlib.util.spec_from_file_location("xlhedge_corpus_script", ROOT / "scripts" / "corpus.py")
assert _spec is not None and _spec.loader is not None
corpus = importlib.util.module_from_spec(_spec)
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
