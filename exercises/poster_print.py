"""The final purpose poster on one A4 page: a printable web page, an SVG and a PDF.

The poster is the preamble ("Vår ledergruppe skal skape MERVERDI ... ved å:") over the
common draft's numbered points, under its heading, with the programme's title and the
date at the top. Its points are the facilitator's working common draft (the item's
curation, ``{"common": [{"text": ...}, ...]}``) or, before there is one, the latest
common version of the poster's thread. Each function takes the item's
:class:`~workshop.kinds.FileContext` and returns the file's bytes; they are pure and
module-level, so the export worker runs them (the poster kind serves them with
``facilitator_files``).

One layout serves all three: the text is measured in DejaVu Sans (``workshop.fonts``),
the size chosen is the largest at which every line fits the page's width and all of them
its height (a dozen long points still fit), and the SVG draws exactly the lines measured.
The page and the SVG carry their fonts inline, cut to their characters, and ask for
nothing outside themselves; every participant's text is escaped and isolated (U+2068 …
U+2069) so an override in it turns nothing after it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date
from markupsafe import Markup

from workshop import fonts, i18n, printing, templating
from workshop.kinds import DraftRecord, FileContext

TEMPLATE = "poster_print.html"
#: The family the page's CSS names; DejaVu Sans, inline, is what the layout measured.
FAMILY = "Samling Sans"
_FONTS_HERE = "/* samling: fonts */"
DEFAULT_PREAMBLE = (
    "Vår ledergruppe skal skape MERVERDI for organisasjonen og det enkelte medlem av gruppen ved å:"
)

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
#: The text is measured to fill a little less than the page's height, so that a printer
#: that breaks a line a hair differently still has room for it.
_SLACK_HEIGHT = 0.95
_ISOLATE, _POP = "\u2068", "\u2069"
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


def html(ctx: FileContext) -> bytes:
    """The poster as a self-contained web page that prints on one A4 page."""
    poster = read(ctx)
    return _page(poster, layout(poster)).encode()


def svg(ctx: FileContext) -> bytes:
    """The poster as an A4 SVG drawing: the measured lines, DejaVu Sans inline."""
    poster = read(ctx)
    return _drawing(poster, layout(poster))


def pdf(ctx: FileContext) -> bytes:
    """The poster as a one-page A4 PDF: the page printed by WeasyPrint (see
    ``workshop.printing``; :class:`~workshop.printing.PdfUnavailable` without Pango)."""
    printing.weasyprint(ctx.language)
    poster = read(ctx)
    measured = layout(poster)
    size = measured.size
    while size > STEP:
        # The measure keeps room to spare; should the printer still need more (the page
        # printed with its text in the flow then takes a second page), the text goes down
        # a step until it has it.
        flowing = _page(poster, _at(poster, measured, size), flowing=True)
        if len(printing.document(flowing, ctx.language).pages) == 1:
            break
        size -= STEP
    document = printing.document(_page(poster, _at(poster, measured, size)), ctx.language)
    with printing.quiet_glyphs():
        data: bytes = document.write_pdf()
    return data


def read(ctx: FileContext) -> Poster:
    """The poster of ``ctx``: its words, the points to print and what frames them."""
    settings = ctx.settings
    version = latest_common(ctx.drafts)
    working = _working(ctx.curation)
    if working is not None:
        entries: Sequence[object] = working
        foot = [ctx.session_title]
    elif version is not None:
        entries = version.content
        foot = [version.session_title, version.name]
    else:
        entries, foot = (), [ctx.session_title]
    points = tuple(
        text for text in (_text(e.get("text")) for e in entries if isinstance(e, Mapping)) if text
    )
    day = ctx.date or (version.saved_at.date() if working is None and version else None)
    top = [_text(ctx.programme_title) or _text(ctx.session_title), _long_date(day, ctx.language)]
    return Poster(
        heading=_text(settings.get("heading")) or _text(ctx.item_title),
        preamble=_text(settings.get("preamble")) or DEFAULT_PREAMBLE,
        points=points,
        top=" · ".join(part for part in top if part),
        foot=" · ".join(part for part in (_text(f) for f in foot) if part),
        landscape=settings.get("orientation") == "landscape",
        language=ctx.language,
    )


def _working(curation: Mapping[str, object] | None) -> Sequence[object] | None:
    """The facilitator's working common draft, if the curation holds one."""
    common = curation.get("common") if isinstance(curation, Mapping) else None
    return common if isinstance(common, list) else None


def latest_common(drafts: Sequence[DraftRecord]) -> DraftRecord | None:
    """The common draft's newest saved version, if any."""
    common = [d for d in drafts if d.group_id is None]
    return max(common, key=lambda d: (d.saved_at, d.id)) if common else None


def layout(poster: Poster) -> Layout:
    """The largest size (in steps from :data:`LARGEST` to :data:`SMALLEST`) at which the
    whole poster fits its page; the smallest when nothing does."""
    width, height = (A4[1], A4[0]) if poster.landscape else A4
    page = _blank(width, height)
    steps = round((LARGEST - SMALLEST) / STEP)
    low, high = 0, steps  # the text grows taller as it grows larger: halve the steps
    while low < high:
        middle = (low + high) // 2
        if _fits(_at(poster, page, LARGEST - middle * STEP)):
            high = middle
        else:
            low = middle + 1
    return _at(poster, page, LARGEST - low * STEP)


def _fits(page: Layout) -> bool:
    return _height(page) <= page.text_height * _SLACK_HEIGHT


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


# The web page (and the PDF printed from it)


def _page(poster: Poster, page: Layout, *, flowing: bool = False) -> str:
    """The page; ``flowing``: as tall as its text (the foot under the points), which
    takes a second page where the text does not fit one."""
    template = _environment().get_template(TEMPLATE)
    with i18n.language(poster.language):
        text = template.render(
            poster=poster,
            flowing=flowing,
            css=_css(page),
            iso=_isolated,
            font_faces=Markup(_FONTS_HERE),  # noqa: S704  # a constant
        )
    return text.replace(_FONTS_HERE, fonts.font_faces(text, FAMILY), 1)


def _css(page: Layout) -> dict[str, str]:
    """The layout's sizes as the page's CSS writes them."""
    below_top, below_heading, below_preamble, between = page.gaps
    points = {
        "width": page.width,
        # A hair short of the page, so that rounding never starts a second one.
        "height": page.height - 1,
        "margin": MARGIN,
        "size": page.size,
        "top_size": TOP_SIZE,
        "heading_size": page.heading_size,
        "preamble_size": page.preamble_size,
        "foot_size": FOOT_SIZE,
        "below_top": below_top,
        "below_heading": below_heading,
        "below_preamble": below_preamble,
        "between": between,
        "indent": page.indent,
        "number_width": page.indent - _NUMBER_GAP * page.size,
        "number_gap": _NUMBER_GAP * page.size,
        "foot_gap": FOOT_SIZE,
    }
    css = {name: f"{value:.2f}pt" for name, value in points.items()}
    return css | {"line": f"{LINE}", "heading_line": f"{HEADING_LINE}"}


@cache
def _environment() -> jinja2.Environment:
    return templating.environment([Path(__file__).with_name("poster")])


# The SVG

_SVG = "http://www.w3.org/2000/svg"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _drawing(poster: Poster, page: Layout) -> bytes:
    root = ET.Element(
        "svg",
        {
            "xmlns": _SVG,
            "width": f"{page.width / MM:.0f}mm",
            "height": f"{page.height / MM:.0f}mm",
            "viewBox": f"0 0 {page.width:.2f} {page.height:.2f}",
            "role": "img",
            _XML_LANG: poster.language,
        },
    )
    ET.SubElement(root, "title").text = _isolated(poster.heading)
    style = ET.SubElement(root, "style")
    ET.SubElement(root, "rect", width="100%", height="100%", fill="#ffffff")
    left, y = MARGIN, MARGIN
    below_top, below_heading, below_preamble, between = page.gaps
    y = _lines(root, "top", page.top, left, y, TOP_SIZE, LINE)
    y += below_top
    y = _lines(root, "heading", page.heading, left, y, page.heading_size, HEADING_LINE, bold=True)
    y = _lines(root, "preamble", page.preamble, left, y + below_heading, page.preamble_size, LINE)
    y += below_preamble
    for number, lines in enumerate(page.points, start=1):
        group = ET.SubElement(root, "g", {"class": "point", "data-number": str(number)})
        label = ET.SubElement(
            group,
            "text",
            {
                "x": f"{left + page.indent - _NUMBER_GAP * page.size:.2f}",
                "y": f"{y + _baseline(page.size, LINE):.2f}",
                "font-size": f"{page.size:.2f}",
                "font-weight": "bold",
                "text-anchor": "end",
            },
        )
        label.text = f"{number}."
        y = _lines(group, "text", lines, left + page.indent, y, page.size, LINE) + between
    foot_top = page.height - MARGIN - len(page.foot) * FOOT_SIZE * LINE
    _lines(root, "foot", page.foot, left, foot_top, FOOT_SIZE, LINE)
    drawn = ET.tostring(root, encoding="unicode")
    style.text = (
        fonts.font_faces(drawn, FAMILY)
        + f'\ntext {{ font-family: "{FAMILY}", "DejaVu Sans", sans-serif; fill: #111111; }}'
        + "\n.top, .foot { fill: #555555; }"
    )
    return ET.tostring(root, encoding="unicode", xml_declaration=True).encode()


def _baseline(size: float, line: float) -> float:
    """How far a line's baseline is below the top of its line box, as CSS sets it: half
    the leading, then DejaVu Sans' ascent (0.928 em of a face 1.164 em tall)."""
    return size * (0.928 + (line - 1.164) / 2)


def _lines(
    parent: ET.Element,
    kind: str,
    lines: Sequence[str],
    x: float,
    y: float,
    size: float,
    line: float,
    *,
    bold: bool = False,
) -> float:
    """Draw ``lines`` from ``y`` (the top of the first); the y below the last."""
    for index, text in enumerate(lines):
        baseline = y + index * size * line + _baseline(size, line)
        attributes: dict[str, Any] = {
            "class": kind,
            "x": f"{x:.2f}",
            "y": f"{baseline:.2f}",
            "font-size": f"{size:.2f}",
        }
        if bold:
            attributes["font-weight"] = "bold"
        ET.SubElement(parent, "text", attributes).text = _isolated(text)
    return y + len(lines) * size * line


# Text

#: Characters a page or an XML file cannot hold (controls, surrogates, non-characters),
#: and runs of white space, which the poster draws as one space.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _text(value: object) -> str:
    if not isinstance(value, str):
        return ""
    cleaned = _UNPRINTABLE.sub("", unicodedata.normalize("NFC", value))
    return " ".join(cleaned.split())


def _isolated(text: str) -> str:
    return f"{_ISOLATE}{text}{_POP}"


def _long_date(day: dt.date | None, language: str) -> str:
    return format_date(day, format="long", locale=language) if day else ""
