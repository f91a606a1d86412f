"""The record of a day as one self-contained web page that prints well to A4.

Nothing in the file asks for anything outside it: the styles are inline, DejaVu Sans
(regular and bold, matplotlib's files: ``workshop.fonts``) is inline as base64 WOFF
fonts cut down to the characters the page uses, and the charts are PNG images in
``data:`` URIs (``charts.png``). The page is rendered from
``facilitator/templates/facilitator/export/summary.html`` with Jinja's autoescape on, so
every participant's text arrives as text; the same HTML is what ``pdf.py`` prints.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from facilitator.export import tables
from facilitator.export.record import ProgrammeRecord, Record
from workshop import fonts, i18n, templating
from workshop import summary_charts as charts
from workshop.summary import Chart, Element

TEMPLATE = "facilitator/export/summary.html"
#: The family the page's CSS names; the system's sans-serif draws what DejaVu Sans lacks.
FAMILY = "Samling Sans"
#: Marks where the fonts go in the page's <style>, before any text from the record.
_FONTS_HERE = "/* samling: fonts */"


def render(record: Record) -> bytes:
    """The whole page, UTF-8."""
    with i18n.language(record.language):
        page = _environment().get_template(TEMPLATE).render(_context(record))
    # The fonts carry only the characters on the page, so they are made last.
    return page.replace(_FONTS_HERE, font_faces(page), 1).encode()


def preview(record: Record) -> Markup:
    """The record's article alone (no <html>, no styles, no fonts), for a page of the app:
    the same elements and chart images, in the record's language."""
    with i18n.language(record.language):
        template = _environment().get_template(TEMPLATE)
        context = template.new_context(_context(record))
        return Markup("".join(template.blocks["article"](context)))  # noqa: S704  # autoescaped


def chart_images(elements: Sequence[Element], language: str) -> dict[Chart, str]:
    """Each chart among ``elements`` (those in parts too) → its PNG as a ``data:`` URI: the
    ``charts`` that ``_elements.html`` takes. Equal charts share one image."""
    images: dict[Chart, str] = {}
    for chart in charts.charts_in(elements):
        if chart not in images:
            images[chart] = data_uri("image/png", charts.png(chart, language))
    return images


def data_uri(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def font_faces(text: str) -> str:
    """@font-face rules for DejaVu Sans and DejaVu Sans Bold, holding the glyphs of
    ``text``'s characters only (``workshop.fonts.font_faces``)."""
    return fonts.font_faces(text, FAMILY)


def _context(record: Record) -> dict[str, object]:
    sessions = tables.sessions(record)
    elements: list[Element] = []
    for session in sessions:
        for exercise in session.exercises:
            elements.extend(exercise.elements)
    if isinstance(record, ProgrammeRecord):
        elements.extend(record.across)
    return {
        "record": record,
        "programme": record if isinstance(record, ProgrammeRecord) else None,
        "sessions": sessions,
        "charts": chart_images(elements, record.language),
        "font_faces": Markup(_FONTS_HERE),  # noqa: S704  # a constant
        "tables": tables,  # the rows every format shares
        "made_at": tables.made_at(record),
    }


@cache
def _environment() -> jinja2.Environment:
    folder = Path(__file__).resolve().parents[1] / "templates"
    return templating.environment([folder])
