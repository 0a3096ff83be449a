"""Book-view worksheet functions (docs/methodology/factor-model.md): FACTOR_EXPOSURE, FACTOR_CONTRIBUTORS."""

from __future__ import annotations

from typing import Any

from xlhedge.engine import coerce
from xlhedge.engine._typing import Float64Array2D
from xlhedge.engine.errors import InputError
from xlhedge.engine.factors import betas_and_weights, contributions, exposures, split_block, top_contributors
from xlhedge.functions.registry import worksheet_function


def _is_single_cell(x: Any) -> bool:
    return coerce.grid(x, "argument").size == 1


@worksheet_function(
    "FACTOR_EXPOSURE",
    "Net factor exposure of the book, Σ weight × beta per factor row (docs/methodology/factor-model.md).",
    docs={
        "block_or_betas": (
            "Block: first row weights (fraction of NAV, short < 0), then one row of betas "
            "per factor; optional first column of labels. Or betas alone: factors × positions."
        ),
        "weights_or_nav": (
            "With betas: one row of weights (fraction of NAV, short < 0). "
            "With a block: NAV (optional), multiplies the result into currency."
        ),
        "nav": "NAV in the currency of record (optional): result × NAV, i.e. currency exposure.",
    },
    ranges=("block_or_betas", "weights_or_nav"),
)
def FACTOR_EXPOSURE(block_or_betas: Any, weights_or_nav: Any = None, nav: Any = None) -> Float64Array2D:
    """FACTOR_EXPOSURE(block, [nav]) or FACTOR_EXPOSURE(betas, weights, [nav]).

    With two arguments, a single-cell second argument is ``nav`` (block form);
    a row or column of several cells is ``weights``. A one-position book in the
    two-range form therefore gives ``nav`` explicitly (or blank) as the third
    argument. Returns one value per beta row, as a column.
    """
    if weights_or_nav is None or (nav is None and _is_single_cell(weights_or_nav)):
        betas, weights, _ = split_block(block_or_betas, "block")
        scale = weights_or_nav
    else:
        betas, weights, _, _ = betas_and_weights(block_or_betas, weights_or_nav)
        scale = nav
    e = exposures(betas, weights)
    if scale is not None and not (_is_single_cell(scale) and coerce.is_blank(coerce.grid(scale, "nav")[0, 0])):
        e = e * coerce.scalar(scale, "nav")
    return e.reshape(-1, 1)


@worksheet_function(
    "FACTOR_CONTRIBUTORS",
    "Largest contributor per factor row: ticker whose weight × beta is largest in size.",
    docs={
        "block": "Block as in FACTOR_EXPOSURE: first row weights, then one row of betas per factor.",
        "tickers": "One row of position names, as many as the block has positions.",
    },
    ranges=("block", "tickers"),
)
def FACTOR_CONTRIBUTORS(block: Any, tickers: Any) -> list[list[Any]]:
    """One row per factor: [ticker, contribution (NAV fraction), share of |gross| factor exposure]."""
    betas, weights, _ = split_block(block, "block")
    names = coerce.text_vector(tickers, "tickers")
    if len(names) != weights.size:
        raise InputError(f"has {len(names)} names, the block {weights.size} positions", where="tickers")
    idx, top, share, gross = top_contributors(contributions(betas, weights))
    return [
        [names[j] if g > 0 else None, t, sh]
        for j, t, sh, g in zip(idx.tolist(), top.tolist(), share.tolist(), gross.tolist())
    ]
