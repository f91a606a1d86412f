"""word_cloud's layout: where each drawn phrase goes, measured with the chart font.

The layout is CPU work: :func:`layout` runs in a worker process (the live loop
does that, at most every two seconds and only when the table changed); it
measures with the chart font (DejaVu Sans, ``workshop.fonts``), the file the
browser gets to draw the cloud with.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING

from exercises.word_cloud_phrases import DRAWN_MAX
from workshop import fonts

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

#: The layout canvas: half of a 1600×900 screen, drawn at scale by the SVG's viewBox.
WIDTH, HEIGHT = 800, 450
COLOURS = 6
#: The smallest phrase drawn, in canvas units.
MIN_SIZE = 10


@dataclass(frozen=True)
class Placed:
    """One drawn phrase: SVG text attributes computed by the layout."""

    text: str
    size: float
    x: float
    y: float
    vertical: bool
    colour: int
    #: Its advance in the chart font at ``size``: the browser draws it to this length.
    length: float = 0.0


def layout(table: Sequence[tuple[str, int]], seed: int = 7) -> list[Placed]:
    """Lay the phrases out (CPU work: run it in a worker process).

    Each phrase takes the box the browser gives its text (its advance by the font's
    ascent and descent, measured with the chart font: ``workshop.fonts``, the file the
    kind serves), so no two phrases' boxes overlap and every box lies inside the
    WIDTH × HEIGHT canvas. The most sent phrase comes first (its size: ``_first_size``),
    each next one smaller by its count (wordcloud's relative scaling), in a random free
    place that wordcloud's occupancy map finds (the same for the same table); one that
    finds none is turned, then made smaller, and those after it follow from its size.
    A phrase with no room even at MIN_SIZE is left out (the list beside the cloud has
    it all the same).
    """
    if not table:
        return []
    import numpy as np
    from wordcloud.wordcloud import IntegralOccupancyMap

    ranked = sorted(table, key=lambda entry: -entry[1])[:DRAWN_MAX]
    random = Random(seed)
    occupancy = IntegralOccupancyMap(HEIGHT, WIDTH, None)
    taken = np.zeros((HEIGHT, WIDTH), dtype=np.uint32)
    size = _first_size(ranked)
    last = float(ranked[0][1])
    placed: list[Placed] = []
    for text, count in ranked:
        size = max(MIN_SIZE, round(_relative(count, last) * size))
        last = float(count)
        vertical = random.random() >= _HORIZONTAL
        turned = False
        while True:
            ascent, descent, advance = _box(text, size)
            across, down = math.ceil(advance), ascent + descent
            if vertical:
                across, down = down, across
            spot = occupancy.sample_position(down + _MARGIN, across + _MARGIN, random)
            if spot is not None or (size == MIN_SIZE and turned):
                break
            if not turned:  # turned the other way before it is made smaller
                vertical, turned = not vertical, True
            else:
                size = max(MIN_SIZE, min(size - 1, int(size * 0.9)))
        if spot is None:
            continue
        row, col = spot[0] + 1, spot[1] + 1  # the free area starts past the corner found
        taken[row : row + down + _MARGIN, col : col + across + _MARGIN] = 1
        occupancy.update(taken, row, col)
        top, left = row + _MARGIN / 2, col + _MARGIN / 2
        # The SVG text's origin is on its baseline; turned a quarter to the left, the
        # baseline runs up the box, the ascent on its left.
        x, y = (left + ascent, top + advance) if vertical else (left, top + ascent)
        placed.append(
            Placed(
                text,
                float(size),
                round(x, 2),
                round(y, 2),
                vertical,
                len(placed) % COLOURS,
                round(advance, 2),
            )
        )
    return placed


def _relative(count: float, before: float) -> float:
    """How much smaller a phrase is than the one before it (wordcloud's relative scaling)."""
    return _RELATIVE * count / before + 1 - _RELATIVE


def _first_size(ranked: Sequence[tuple[str, int]]) -> int:
    """The most sent phrase's size, chosen so that the phrases sent at least half as often
    as it fill at most 40 % of the canvas, and all the phrases at most 55 % of it (room
    for many), but never smaller than a tenth of the canvas's height nor wider than it."""
    most = ranked[0][1]
    weight, weights = 1.0, []
    for (_text, count), (_before, before) in zip(ranked, [ranked[0], *ranked], strict=False):
        weight *= _relative(count, before)
        weights.append(weight)
    widths = [_advance(text, _MEASURE) / _MEASURE * _LINE for text, _count in ranked]

    def area(size: float) -> float:
        return sum(
            max(MIN_SIZE, size * w) ** 2 * width for w, width in zip(weights, widths, strict=True)
        )

    top = sum(
        w * w * width
        for w, width, (_text, count) in zip(weights, widths, ranked, strict=True)
        if 2 * count >= most
    )
    largest = min(HEIGHT / 3, (WIDTH - 2 * _MARGIN - 2) * _LINE / widths[0])
    size = min(largest, math.sqrt(_TOP_FILL * WIDTH * HEIGHT / top))
    smallest = min(size, HEIGHT / 10)
    while size > smallest and area(size) > _FILL * WIDTH * HEIGHT:
        size = max(smallest, size * 0.95)
    return max(MIN_SIZE, int(size))


#: Measured at this size, a phrase's advance scales with the size.
_MEASURE = 100
#: The height of a phrase's box, in em (DejaVu Sans: ascent 0.93, descent 0.24).
_LINE = 1.17
#: Room between two phrases' boxes; wordcloud's relative scaling (a phrase sent half as often
#: as the one before it is three quarters its size); how many run across rather than up.
_MARGIN = 4
_RELATIVE = 0.5
_HORIZONTAL = 0.9
#: The share of the canvas the most sent phrases, and all of them, are sized to fill.
_TOP_FILL = 0.4
_FILL = 0.55


@lru_cache(maxsize=512)
def _face(size: int) -> FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(str(font_path()), size)


def _advance(text: str, size: int) -> float:
    return float(_face(size).getlength(text))


def _box(text: str, size: int) -> tuple[int, int, float]:
    """The font's ascent and descent at ``size``, and the phrase's advance."""
    ascent, descent = _face(size).getmetrics()
    return ascent, descent, _advance(text, size)


def font_path() -> Path:
    """The font the layout measures with; the browser draws with the same file."""
    return fonts.chart_font()
