"""functions.memo: a conversion runs once per recompute for the same range objects, never for plain lists."""

from __future__ import annotations

import datetime as dt

from xlhedge.functions import memo
from xlhedge.functions.estimation import RangeValues


def _counting():
    calls = []

    def build(*args):
        calls.append(args)
        return len(calls)

    return calls, build


def test_same_range_objects_build_once_and_clear_forgets():
    calls, build = _counting()
    block = RangeValues([[1.0, 2.0]])
    day = dt.datetime(2026, 12, 2)
    assert memo.once("k", build, block, 5.0, day) == 1
    assert memo.once("k", build, block, float("5"), dt.datetime(2026, 12, 2)) == 1  # equal scalars, other objects
    assert len(calls) == 1
    assert memo.once("k", build, block, 6.0, day) == 2  # another scalar: another result
    assert memo.once("other", build, block, 5.0, day) == 3  # another kind
    memo.clear()  # what the evaluator calls when a recompute ends
    assert memo.once("k", build, block, 5.0, day) == 4


def test_equal_but_different_objects_and_plain_lists_are_not_shared():
    calls, build = _counting()
    assert memo.once("k", build, RangeValues([[1.0]])) == 1
    assert memo.once("k", build, RangeValues([[1.0]])) == 2  # a new range object (a write happened)
    assert memo.once("k", build, [[1.0]]) == 3  # a list from Excel: always computed
    assert memo.once("k", build, [[1.0]]) == 4
    assert memo.once("k", build, RangeValues([[1.0]]), [[2.0]]) == 5  # any uncacheable argument
    assert memo.once("k", build, RangeValues([[1.0]]), [[2.0]]) == 6
    memo.clear()


def test_book_option_table_shared_between_greeks_and_theta_budget(monkeypatch):
    """BOOK_GREEKS and OPTION_THETA_BUDGET over one attribute block price the options once, same numbers."""
    from xlhedge.functions import options

    calls = []
    real = options._book_option_table

    def spy(*a):
        calls.append(a)
        return real(*a)

    monkeypatch.setattr(options, "_book_option_table", spy)
    attrs = RangeValues(
        [
            ["Ticker", "SPX P", "AAPL"],
            ["Underlying", "AAPL", None],
            ["Option type", "put", None],
            ["Strike", 190.0, None],
            ["Expiry", dt.datetime(2027, 6, 18), None],
            ["Price", 200.0, 200.0],
            ["Implied vol", 0.2, None],
            ["Contracts", 10.0, None],
            ["Multiplier", 100.0, None],
        ]
    )
    day = dt.datetime(2026, 12, 2)
    t1, n1 = options.book_option_table(attrs, 1e7, day, 0.04, 0.01)
    t2, n2 = options.book_option_table(attrs, 1e7, day, 0.04, 0.01)
    assert len(calls) == 1 and n1 == n2 == 1e7
    assert t1.equals(t2) and t1 is not t2  # each caller its own copy
    memo.clear()
    fresh, _ = real(attrs, 1e7, day, 0.04, 0.01)
    assert fresh.equals(t1)


def test_template_recompute_prices_the_option_table_once(tmp_path, monkeypatch):
    """In a recompute of the template, BOOK_GREEKS and OPTION_THETA_BUDGET share one pricing."""
    import shutil
    from pathlib import Path

    from xlhedge.calc.recompute import recompute
    from xlhedge.functions import options
    from xlhedge.workbook.filebook import FileBook

    calls = []
    real = options._book_option_table
    monkeypatch.setattr(options, "_book_option_table", lambda *a: calls.append(1) or real(*a))
    book = tmp_path / "b.xlsx"
    shutil.copyfile(Path(__file__).resolve().parents[1] / "templates" / "example_book.xlsx", book)
    fb = FileBook(book)
    recompute(fb)
    assert len(calls) == 1
