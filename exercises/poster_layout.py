"""The poster's layout on its A4 page: what it says, where its lines go, how they wrap.

The text is measured in DejaVu Sans (``workshop.fonts``) and broken where a browser breaks
it; ``exercises.poster_print`` picks the size at which it all fits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workshop import fonts

#: The family the page's CSS names; DejaVu Sans, inline, is what the layout measured.
FAMILY = "Samling Sans"

MM = 72 / 25.4  # points in a millimetre
A4 = (210 * MM, 297 * MM)  # portrait, in points
MARGIN = 18 * MM
#: The top line (programme and date) and the foot (session, version) stay this size.
TOP_SIZE = 10.5
FOOT_SIZE = 9.0
LINE = 1.32  # line height of the text, in ems
HEADING_LINE = 1.15
#: The points' size goes down from the largest to the smallest in steps until all fits.
LARGEST, SMALLEST, STEP = 24.0, 5.0, 0.25
#: Between a point's number and its text, in ems.
_NUMBER_GAP = 0.45


@dataclass(frozen=True)
class Poster:
    """What the poster says, cleaned (one line of text each, nothing XML forbids)."""

    heading: str
    preamble: str
    points: tuple[str, ...]
    #: The top line: the programme's title and the date.
    top: str
    #: The foot: the session and, printed from a saved version, its name.
    foot: str
    landscape: bool
    language: str


@dataclass(frozen=True)
class Layout:
    """Where the poster's text goes on the page, in points (1/72 inch)."""

    width: float  # the page
    height: float
    size: float  # the points' text
    top: tuple[str, ...]
    heading: tuple[str, ...]
    preamble: tuple[str, ...]
    points: tuple[tuple[str, ...], ...]
    foot: tuple[str, ...]
    #: Room for the numbers left of the points' text: the widest ("12.") and a gap.
    indent: float = 0.0

    @property
    def heading_size(self) -> float:
        return min(1.8 * self.size, 40.0)

    @property
    def preamble_size(self) -> float:
        return 1.15 * self.size

    @property
    def gaps(self) -> tuple[float, float, float, float]:
        """Below the top line, the heading and the preamble; between two points."""
        return (1.5 * self.size, 0.8 * self.size, 1.0 * self.size, 0.55 * self.size)

    @property
    def text_width(self) -> float:
        return self.width - 2 * MARGIN

    @property
    def text_height(self) -> float:
        """The height between the margins, less the foot's."""
        foot = len(self.foot) * FOOT_SIZE * LINE + FOOT_SIZE if self.foot else 0.0
        return self.height - 2 * MARGIN - foot


def wrap(text: str, size: float, width: float, *, bold: bool = False) -> list[str]:
    """``text`` in lines no wider than ``width`` in DejaVu Sans at ``size``, broken where a
    browser breaks them: between words and after a hyphen, and inside a word only where
    a piece of it alone is wider than the line."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        for index, piece in enumerate(_BREAK_AFTER.split(word)):
            joined = f"{line} {piece}" if line and index == 0 else line + piece
            if fonts.text_width(joined, size, bold=bold) <= width:
                line = joined
                continue
            if line:
                lines.append(line)
            line = ""
            for character in piece:
                if line and fonts.text_width(line + character, size, bold=bold) > width:
                    lines.append(line)
                    line = ""
                line += character
    if line:
        lines.append(line)
    return lines


#: Where a line may break inside a word: after a hyphen or a dash before a letter.
_BREAK_AFTER = re.compile(r"(?<=[\-\u2010\u2013\u2014])(?=[^\W\d_])")


def _blank(width: float, height: float) -> Layout:
    return Layout(width, height, LARGEST, (), (), (), (), ())


def _at(poster: Poster, page: Layout, size: float) -> Layout:
    room = page.text_width
    shaped = Layout(page.width, page.height, size, (), (), (), (), ())
    numbers = (f"{n}." for n in range(1, len(poster.points) + 1))
    indent = max((fonts.text_width(n, size, bold=True) for n in numbers), default=0.0)
    indent += _NUMBER_GAP * size
    return Layout(
        width=page.width,
        height=page.height,
        size=size,
        top=tuple(wrap(poster.top, TOP_SIZE, room)),
        heading=tuple(wrap(poster.heading, shaped.heading_size, room, bold=True)),
        preamble=tuple(wrap(poster.preamble, shaped.preamble_size, room)),
        points=tuple(tuple(wrap(p, size, room - indent)) for p in poster.points),
        foot=tuple(wrap(poster.foot, FOOT_SIZE, room)),
        indent=indent,
    )


def _height(page: Layout) -> float:
    """How tall the text above the foot is."""
    below_top, below_heading, below_preamble, between = page.gaps
    height = len(page.top) * TOP_SIZE * LINE + below_top
    height += len(page.heading) * page.heading_size * HEADING_LINE + below_heading
    height += len(page.preamble) * page.preamble_size * LINE + below_preamble
    height += sum(len(lines) for lines in page.points) * page.size * LINE
    return height + between * max(0, len(page.points) - 1)
