"""Cells of the line-drawn tables (the queue's and the campaign list's): text fitted to a
column's width and styles parsed once, both on the path of every row painted."""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from rich.style import Style


@lru_cache(maxsize=256)
def style_of(text: str) -> Style:
    """A style word parsed once: a table paints the same few styles on every row."""
    return Style.parse(text) if text else Style.null()


def fit(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"
