"""The poster as a web page (and the PDF printed from it): the template rendered at the
layout's sizes, its fonts inline and cut to its characters."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from exercises.poster_layout import (
    _NUMBER_GAP,
    FAMILY,
    FOOT_SIZE,
    HEADING_LINE,
    LINE,
    MARGIN,
    TOP_SIZE,
    Layout,
    Poster,
)
from exercises.poster_text import _isolated
from workshop import fonts, i18n, templating

TEMPLATE = "poster_print.html"
_FONTS_HERE = "/* samling: fonts */"


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
