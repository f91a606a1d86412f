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

from collections.abc import Mapping, Sequence

from exercises.poster_layout import (
    A4,
    FAMILY,
    FOOT_SIZE,
    HEADING_LINE,
    LARGEST,
    LINE,
    MARGIN,
    MM,
    SMALLEST,
    STEP,
    TOP_SIZE,
    Layout,
    Poster,
    _at,
    _blank,
    _height,
    wrap,
)
from exercises.poster_page import TEMPLATE, _page
from exercises.poster_svg import _drawing
from exercises.poster_text import _long_date, _text
from workshop import printing
from workshop.kinds import DraftRecord, FileContext

__all__ = [
    "A4",
    "DEFAULT_PREAMBLE",
    "FAMILY",
    "FOOT_SIZE",
    "HEADING_LINE",
    "LARGEST",
    "LINE",
    "MARGIN",
    "MM",
    "SMALLEST",
    "STEP",
    "TEMPLATE",
    "TOP_SIZE",
    "Layout",
    "Poster",
    "html",
    "latest_common",
    "layout",
    "pdf",
    "read",
    "svg",
    "wrap",
]

DEFAULT_PREAMBLE = (
    "Vår ledergruppe skal skape MERVERDI for organisasjonen og det enkelte medlem av gruppen ved å:"
)
#: The text is measured to fill a little less than the page's height, so that a printer
#: that breaks a line a hair differently still has room for it.
_SLACK_HEIGHT = 0.95


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
