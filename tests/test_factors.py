"""The book view engine (docs/methodology/factor-model.md) against independent numpy computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import xlhedge
from xlhedge import InputError, factor_exposure
from xlhedge.calc.bookread import book_from_grid
from xlhedge.engine.factors import dv01
from xlhedge.functions.registry import registry

FE = registry()["FACTOR_EXPOSURE"]

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)


def books(max_positions: int = 12, max_factors: int = 8):
    return st.integers(1, max_positions).flatmap(
        lambda n: st.integers(1, max_factors).flatmap(
            lambda k: st.tuples(
                arrays(np.float64, (k, n), elements=finite),
                arrays(np.float64, (n,), elements=st.floats(-1, 1, allow_nan=False)),
            )
        )
    )


def test_article_figure01_by_hand():
    # Long 1.5% beta 1.4, long 1.5% beta 0.9, short 1% beta 0.3, long 0.5% TLT duration 17.
    betas = [[1.4, 0.9, 0.3, -0.2], [0, 0, 0, 17]]
    weights = [0.015, 0.015, -0.010, 0.005]
    e = factor_exposure(betas, weights)
    assert e.iloc[0] == pytest.approx(0.021 + 0.0135 - 0.003 - 0.001, abs=1e-15)
    assert e.iloc[1] == pytest.approx(0.085, abs=1e-15)
    assert list(e.index) == ["equity", "duration"]
    # DV01: a long-duration book loses when yields rise (docs/methodology/factor-model.md).
    assert dv01(0.085, 1_000_000) == pytest.approx(-8.5)


@settings(max_examples=60, deadline=None)
@given(books())
def test_matches_numpy_sum_product(book):
    b, w = book
    got = factor_exposure(b, w).to_numpy()
    want = np.einsum("kn,n->k", b, w)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(books(), st.floats(-20, 20, allow_nan=False).filter(lambda s: abs(s) > 1e-3))
def test_scaling_weights_scales_exposures(book, scale):
    b, w = book
    np.testing.assert_allclose(
        factor_exposure(b, w * scale).to_numpy(), scale * factor_exposure(b, w).to_numpy(), rtol=1e-9, atol=1e-9
    )


@settings(max_examples=40, deadline=None)
@given(books(), st.integers(0, 7))
def test_full_hedge_zeroes_the_hedged_factor(book, f):
    b, w = book
    f = f % b.shape[0]
    e = b[f] @ w
    # A hedge instrument with beta 1 to factor f only, sized at -E_f.
    hb = np.zeros((b.shape[0], 1))
    hb[f, 0] = 1.0
    hedged = factor_exposure(np.hstack([b, hb]), np.append(w, -e)).to_numpy()
    assert abs(hedged[f]) < 1e-10
    others = [i for i in range(b.shape[0]) if i != f]
    np.testing.assert_allclose(hedged[others], (b @ w)[others], atol=1e-12)


@settings(max_examples=25, deadline=None)
@given(books())
@example(  # long and short contributions cancel: the paths differ by rounding of the gross sum
    book=(
        np.array([[-15.61843025] * 12, [-15.61843025] * 12, [-15.61843025] * 5 + [-50.0] + [-15.61843025] * 6]),
        np.array([0.21875, 0.3125, 0.75, -0.0625, 1.0, -0.9375, -0.375, 0.0, -0.625, 0.59375, 0.59375, 0.59375]),
    )
)
def test_inputs_not_modified_and_input_types_agree(book):
    b, w = book
    b0, w0 = b.copy(), w.copy()
    as_array = factor_exposure(b, w).to_numpy()
    as_lists = factor_exposure(b.tolist(), w.tolist()).to_numpy()
    tick = [f"P{i}" for i in range(b.shape[1])]
    df = pd.DataFrame(b, columns=tick, index=[f"f{i}" for i in range(b.shape[0])])
    as_frame = factor_exposure(df, pd.Series(w, index=tick)).to_numpy()
    # Excel passes a block: weights on top, betas below.
    block = [list(w)] + [list(r) for r in b]
    as_cell = np.array(FE.call(block)).ravel()
    np.testing.assert_array_equal(b, b0)
    np.testing.assert_array_equal(w, w0)
    # Summation order may differ between paths (BLAS): a few ulp of the *gross* sum Σ|w·β|, which is
    # what rounding scales with when long and short contributions cancel.
    gross = np.abs(b) @ np.abs(w)
    for other in (as_lists, as_frame, as_cell):
        np.testing.assert_allclose(other, as_array, rtol=1e-14, atol=1e-15 + 4 * np.finfo(float).eps * gross.max())


def test_pandas_inputs_align_by_label():
    betas = pd.DataFrame([[1.0, 2.0]], index=["equity"], columns=["A", "B"])
    w = pd.Series({"B": 0.1, "A": 0.2})
    assert factor_exposure(betas, w).iloc[0] == pytest.approx(0.2 * 1 + 0.1 * 2)
    with pytest.raises(InputError, match="no weight for B"):
        factor_exposure(betas, pd.Series({"A": 0.2, "C": 0.1}))


def test_block_form_with_labels_and_nav():
    block = [["Weight", 0.02, 0.01], ["equity", 1, 0.5], ["duration", None, 17]]
    e = factor_exposure(block, nav=1e6)
    assert list(e.index) == ["equity", "duration"]
    np.testing.assert_allclose(e.to_numpy(), [25_000, 170_000])
    assert FE.call(block, 1e6) == [[25_000.0], [170_000.0]]
    assert FE.call([r[1:] for r in block[1:]], [block[0][1:]], 1e6) == [[25_000.0], [170_000.0]]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ([["w", 0.02, 0.01], ["equity", 1, "high"]],),
            "beta row 1 (equity), position 2: expected a number, found text 'high'",
        ),
        (
            ([["w", "#N/A", 0.01], ["equity", 1, 1]],),
            "weights row (w), position 1: expected a number, found the error value #N/A",
        ),
        (([[1, 2], [3, 4]], [[0.1, 0.2, 0.3]]), "weights has 3 positions, betas 2"),
        (([[1, 2], [3, 4]], [[0.1, 0.2], [0.3, 0.4]]), "weights: expected one row or one column"),
        (([[0.1, 0.2]],), "needs the weights in its first row and at least one row of betas"),
        (([[0.1, 0.2], [1, True]],), "found the logical value TRUE"),
        (([["w", 0.1], ["equity", 1]], "lots"), "nav: expected a number, found text 'lots'"),
    ],
)
def test_bad_input_names_the_place(args, message):
    out = FE.call(*args)
    assert isinstance(out, str) and out.startswith("#VALUE! FACTOR_EXPOSURE: ")
    assert message in out
    with pytest.raises(InputError):
        FE.impl(*args)


def test_api_is_exported():
    assert xlhedge.factor_exposure is factor_exposure
    assert "FACTOR_EXPOSURE" in registry()


def test_largest_contributor_by_hand():
    # Figure 01 equity row: contributions 0.021, 0.0135, 0.00825, 0.01, -0.003, -0.001.
    block = [[0.015, 0.015, 0.0075, 0.010, -0.010, 0.005], [1.40, 0.90, 1.10, 1.00, 0.30, -0.20], [0, 0, 0, 0, 0, 0]]
    names = [["IPX", "AHCO", "EFOR", "AMRZ", "WTI", "TLT"]]
    out = registry()["FACTOR_CONTRIBUTORS"].call(block, names)
    assert out[0][0] == "IPX"
    assert out[0][1] == pytest.approx(0.021)
    assert out[0][2] == pytest.approx(0.021 / (0.021 + 0.0135 + 0.00825 + 0.01 + 0.003 + 0.001))
    assert out[1] == [None, 0.0, 0.0]  # no exposure, no contributor
    book = book_from_grid([["Ticker"] + names[0], ["Weight"] + block[0], ["equity"] + block[1]], nav=1e6)
    row = book.exposures().loc["equity"]
    assert (row["top_contributor"], row["top_contribution"], row["top_share"]) == tuple(out[0])


# ------------------------------------------------------------- the fast path for Excel's 2-D list

cells = st.one_of(st.floats(allow_nan=True, allow_infinity=False, width=64), st.integers(-(10**6), 10**6), st.none())
odd_cells = st.one_of(cells, st.booleans(), st.text(max_size=3), st.sampled_from(["#N/A", "1.5", ""]))


def _reference_split(block):
    """split_block through the general path (object grid, then to_float): the fast path's reference."""
    from xlhedge.engine import coerce
    from xlhedge.engine.factors import split_block

    return split_block(coerce.grid(block, "block"), "block")


@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@settings(max_examples=200, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda k: st.integers(1, 6).flatmap(
            lambda n: st.lists(st.lists(odd_cells, min_size=n, max_size=n), min_size=k, max_size=k)
        )
    )
)
def test_split_block_fast_path_equals_the_general_path(block):
    from xlhedge.engine.factors import split_block

    try:
        ref = _reference_split(block)
    except InputError as exc:
        with pytest.raises(InputError) as got:
            split_block(block, "block")
        assert str(got.value) == str(exc)
        return
    fast = split_block(block, "block")
    np.testing.assert_array_equal(fast[0], ref[0])
    np.testing.assert_array_equal(fast[1], ref[1])
    assert fast[2] == ref[2]


def test_to_float_fast_path_reports_what_the_general_path_reports():
    from xlhedge.engine import coerce

    for bad in ([[1.0, True]], [[1.0, "1.5"]], [[1.0], [2.0, 3.0]], [[None, coerce.ExcelError("#N/A")]]):
        with pytest.raises(InputError) as fast:
            coerce.to_float(bad, "x")
        with pytest.raises(InputError) as ref:
            coerce.to_float(coerce.grid(bad, "x") if len({len(r) for r in bad}) == 1 else bad, "x")
        assert str(fast.value) == str(ref.value)
    got = coerce.to_float([[1, None, 2.5], [float("nan"), -3, 0.0]], "x")
    np.testing.assert_array_equal(got, [[1.0, 0.0, 2.5], [0.0, -3.0, 0.0]])
