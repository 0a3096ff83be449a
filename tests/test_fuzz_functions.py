"""Every registered worksheet function, fuzzed with random grids (hypothesis).

Whatever Excel can hand a function — numbers, blanks, text, booleans, dates, NaN, ±inf,
huge numbers, error values ("#N/A" text or :class:`ExcelError`), empty and ragged ranges —
the call answers with a value or one of xlhedge's own error messages: never an internal
error, never an exception out of ``call()``, never a numpy warning (warnings are errors
here), and never NaN/inf from finite inputs of ordinary size. A heavier run of the same
properties: ``python scripts/fuzz_functions.py``.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlhedge.engine.coerce import ExcelError
from xlhedge.engine.errors import XlhedgeError
from xlhedge.functions.registry import registry

FUNCTIONS = registry()
EXAMPLES = int(os.environ.get("XLHEDGE_FUZZ_EXAMPLES", "8"))

ordinary = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
hostile_cell = st.one_of(
    ordinary,
    st.none(),
    st.just(""),
    st.text(alphabet="abcxyz ", min_size=1, max_size=4),
    st.sampled_from(["#N/A", "#DIV/0!", "#VALUE!", "long", "short", "ols", "log", "USD", "equity"]),
    st.builds(ExcelError, st.sampled_from(["#N/A", "#REF!", "#NUM!"])),
    st.booleans(),
    st.integers(min_value=-10, max_value=400),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 1e-308, 0.0, 10**400]),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.floats(min_value=30000, max_value=50000),  # serial dates
)
ordinary_cell = st.one_of(ordinary, st.none(), st.floats(min_value=1, max_value=500))


def grids(cell: st.SearchStrategy[Any], *, ragged: bool) -> st.SearchStrategy[Any]:
    square = st.integers(1, 6).flatmap(
        lambda rows: st.integers(1, 4).flatmap(
            lambda cols: st.lists(st.lists(cell, min_size=cols, max_size=cols), min_size=rows, max_size=rows)
        )
    )
    shapes = [square, cell, st.lists(cell, min_size=1, max_size=5)]
    if ragged:
        shapes += [st.just([]), st.just([[]]), st.lists(st.lists(cell, min_size=0, max_size=4), min_size=1, max_size=4)]
    return st.one_of(*shapes)


def arguments(fn: Any, cell: st.SearchStrategy[Any], *, ragged: bool) -> st.SearchStrategy[list[Any]]:
    n = st.integers(fn.min_args, fn.max_args)
    return n.flatmap(lambda k: st.lists(grids(cell, ragged=ragged), min_size=k, max_size=k))


def _values(result: Any) -> list[Any]:
    if isinstance(result, list):
        return [v for row in result for v in (row if isinstance(row, list) else [row])]
    return [result]


def check_call(fn: Any, args: list[Any], *, finite_inputs: bool) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy/pandas warning escaping the call fails the test
        result, error = fn.evaluate(*args)
        assert result == fn.call(*args) or result != result  # call() is evaluate()'s value
    if error is not None:
        assert isinstance(error, XlhedgeError), f"{fn.name}{tuple(args)!r}: {result}"
        assert isinstance(result, str) and "internal error" not in result and "\n" not in result
        return
    if finite_inputs and not any(v is None for a in args for v in _values(a)):
        # numbers in, no blank: a single answer is never a blank (a NaN turned into one)
        assert result is not None, f"{fn.name}{tuple(args)!r} returned a blank"
    for v in _values(result):
        if isinstance(v, float):
            assert not math.isinf(v), f"{fn.name}{tuple(args)!r} returned {v}"
            if finite_inputs:
                assert not math.isnan(v), f"{fn.name}{tuple(args)!r} returned NaN"


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_hostile_grids_give_only_xlhedge_errors(name: str):
    fn = FUNCTIONS[name]

    @FUZZ
    @given(arguments(fn, hostile_cell, ragged=True))
    def run(args: list[Any]) -> None:
        check_call(fn, args, finite_inputs=False)

    run()


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_ordinary_numbers_give_finite_results(name: str):
    fn = FUNCTIONS[name]

    @FUZZ
    @given(arguments(fn, ordinary_cell, ragged=False))
    def run(args: list[Any]) -> None:
        check_call(fn, args, finite_inputs=True)

    run()
