"""The poster as an A4 SVG drawing: exactly the lines measured, DejaVu Sans inline."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import Any

from exercises.poster_layout import (
    _NUMBER_GAP,
    FAMILY,
    FOOT_SIZE,
    HEADING_LINE,
    LINE,
    MARGIN,
    MM,
    TOP_SIZE,
    Layout,
    Poster,
)
from exercises.poster_text import _isolated
from workshop import fonts

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
