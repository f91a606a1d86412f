"""The scale's radar: the geometry of a radar chart of the statements' means (an SVG drawn
by the template). Its spokes' labels are the statements, wrapped in room measured with the
chart font, or, when they do not all fit, the spokes' numbers with the table beside the
radar as the legend: a statement is never cut.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from workshop import fonts

#: The radar, in its SVG's user units: the centre, the outer ring's radius, and the gap
#: between that ring and the spokes' labels.
CENTRE = 200
RADIUS = 120
GAP = 10
#: A spoke's label is its statement, wrapped in the chart font to lines this wide, when every
#: statement fits so with no label touching another; else its number, and the table beside
#: the radar is the legend.
LABEL_SIZE = 17
LINE_HEIGHT = 20
LINE_WIDTH = 150
LINES_MAX = 3
NUMBER_SIZE = 20
#: The chart font as the browser fetches it: /kinds/scale/chart.ttf.
FONT_FILE = "chart.ttf"
#: Room kept around everything drawn.
PAD = 6
#: How far from straight up, down, left or right a label still counts as there (sin 15°).
_SIDEWAYS = 0.26


@dataclass(frozen=True)
class Row:
    """One statement's ratings."""

    statement: str
    mean: float | None  # None before anyone rated it; rounded only where it is shown
    counts: list[int]  # how many gave 1, 2, ... steps
    rated: int
    width: float = 0.0  # the mean as a bar, 0–100 of the scale's top step

    @property
    def tallest(self) -> int:
        return max(self.counts) if self.counts else 0


@dataclass(frozen=True)
class Line:
    """One line of a spoke's label: where its centre line starts (or ends, or is centred)."""

    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Spoke:
    """One axis of the radar: its end, and its label's lines and anchor."""

    x: float
    y: float
    anchor: str  # SVG text-anchor: start, middle or end
    lines: tuple[Line, ...]
    statement: str
    number: int


@dataclass(frozen=True)
class Radar:
    spokes: list[Spoke]
    rings: list[str]  # polygon points, one ring per step
    shape: str  # polygon points of the means
    view_box: str  # the circle and every label, with room around them
    numbered: bool  # labels are numbers; the table is the legend
    centre: float = CENTRE
    label_size: float = LABEL_SIZE  # the labels' font size, as they were measured


def _direction(index: int, count: int) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return math.cos(angle), math.sin(angle)


def point(index: int, count: int, fraction: float) -> tuple[float, float]:
    """Where spoke ``index`` of ``count`` is at ``fraction`` of the radius (first at the top)."""
    dx, dy = _direction(index, count)
    return (
        round(CENTRE + RADIUS * fraction * dx, 1),
        round(CENTRE + RADIUS * fraction * dy, 1),
    )


def polygon(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in points)


def wrap(text: str, size: float, width: float) -> list[str] | None:
    """``text`` in lines no wider than ``width`` in the chart font; None when a word is wider."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if fonts.text_width(trial, size) <= width:
            line = trial
            continue
        if fonts.text_width(word, size) > width:
            return None
        lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _label(
    index: int, count: int, lines: Sequence[str], size: float, line_height: float, away: float
) -> tuple[str, tuple[Line, ...], Box]:
    """A label of ``lines`` outside spoke ``index``: its anchor, lines and box."""
    dx, dy = _direction(index, count)
    px, py = CENTRE + (RADIUS + away) * dx, CENTRE + (RADIUS + away) * dy
    width = max(fonts.text_width(line, size) for line in lines)
    height = line_height * len(lines)
    if dx > _SIDEWAYS:
        anchor, left = "start", px
    elif dx < -_SIDEWAYS:
        anchor, left = "end", px - width
    else:
        anchor, left = "middle", px - width / 2
    # Above the centre a label stands on its point, below it hangs from it.
    top = py - height if dy < -_SIDEWAYS else py if dy > _SIDEWAYS else py - height / 2
    placed = tuple(
        Line(round(px, 1), round(top + line_height * (n + 0.5), 1), text)
        for n, text in enumerate(lines)
    )
    return anchor, placed, (left, top, left + width, top + height)


def _apart(boxes: Sequence[Box]) -> bool:
    """No two boxes overlap and none reaches into the circle."""
    for i, (left, top, right, bottom) in enumerate(boxes):
        nearest_x = min(max(CENTRE, left), right)
        nearest_y = min(max(CENTRE, top), bottom)
        if math.hypot(nearest_x - CENTRE, nearest_y - CENTRE) < RADIUS + GAP / 2:
            return False
        for other in boxes[i + 1 :]:
            if left < other[2] and other[0] < right and top < other[3] and other[1] < bottom:
                return False
    return True


@lru_cache(maxsize=256)
def _labels(
    statements: tuple[str, ...],
) -> tuple[bool, tuple[tuple[str, tuple[Line, ...]], ...], str]:
    """The spokes' labels (numbered or not) and the view box that holds them (cached: the
    statements change with the settings only)."""
    count = len(statements)
    wrapped = [wrap(s, LABEL_SIZE, LINE_WIDTH) for s in statements]
    labels = []
    if all(w and len(w) <= LINES_MAX for w in wrapped):
        labels = [
            _label(i, count, w or (), LABEL_SIZE, LINE_HEIGHT, GAP) for i, w in enumerate(wrapped)
        ]
    numbered = not labels or not _apart([box for _a, _l, box in labels])
    if numbered:
        labels = [
            _label(i, count, (str(i + 1),), NUMBER_SIZE, NUMBER_SIZE, GAP / 2) for i in range(count)
        ]
    boxes = [box for _a, _l, box in labels]
    left = min([CENTRE - RADIUS, *(b[0] for b in boxes)]) - PAD
    top = min([CENTRE - RADIUS, *(b[1] for b in boxes)]) - PAD
    right = max([CENTRE + RADIUS, *(b[2] for b in boxes)]) + PAD
    bottom = max([CENTRE + RADIUS, *(b[3] for b in boxes)]) + PAD
    view_box = f"{left:.1f} {top:.1f} {right - left:.1f} {bottom - top:.1f}"
    return numbered, tuple((anchor, lines) for anchor, lines, _box in labels), view_box


def radar(rows: Sequence[Row], steps: int) -> Radar:
    count = len(rows)
    numbered, labels, view_box = _labels(tuple(row.statement for row in rows))
    spokes = [
        Spoke(*point(i, count, 1.0), anchor, lines, row.statement, i + 1)
        for i, (row, (anchor, lines)) in enumerate(zip(rows, labels, strict=True))
    ]
    rings = [
        polygon([point(i, count, step / steps) for i in range(count)])
        for step in range(1, steps + 1)
    ]
    shape = polygon([point(i, count, (row.mean or 0) / steps) for i, row in enumerate(rows)])
    size = NUMBER_SIZE if numbered else LABEL_SIZE
    return Radar(spokes, rings, shape, view_box, numbered, label_size=size)
