"""What a kind puts in the summary of a day: a few plain elements, for every format.

A kind's :meth:`~workshop.kinds.ExerciseKind.summary` returns a sequence of these
elements; the exports (``facilitator/export``) render the same elements as HTML (and so
PDF), DOCX, and the charts as PNG images. No element holds markup: every text is the
participant's or the facilitator's plain text, escaped by each format as it needs.

Numbers in a :class:`Table` stay numbers (a spreadsheet keeps them as such); the documents
write them for the record's language (Babel), floats with one decimal, rounded half up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workshop.i18n import gettext

if TYPE_CHECKING:
    from workshop.kinds import DraftRecord

#: One cell of a table: text, a count, a mean (one decimal in documents), or nothing.
Cell = str | int | float | None


@dataclass(frozen=True)
class Prompt:
    """The question or task the room answered."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """A line of text; ``muted`` for a remark ("3 answers hidden", "No answers")."""

    text: str
    muted: bool = False


@dataclass(frozen=True)
class Entry:
    """One answer, point or question; ``detail`` beside it ("7 votes · answered")."""

    text: str
    detail: str = ""
    highlighted: bool = False
    #: The language the participant wrote it in, when known ('' otherwise).
    language: str = ""


@dataclass(frozen=True)
class Entries:
    """A list of answers or points, in the order given (numbered when ``ordered``)."""

    entries: tuple[Entry, ...]
    ordered: bool = False


@dataclass(frozen=True)
class Table:
    """A table with a header row."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one per label, on one scale (votes, points, a rating's spread)."""

    labels: tuple[str, ...]
    values: tuple[float, ...]
    #: What the chart shows, for a reader who cannot see it (alt text).
    alt: str


@dataclass(frozen=True)
class RadarChart:
    """Means on spokes from ``low`` to ``high`` (a competence wheel)."""

    labels: tuple[str, ...]
    values: tuple[float, ...]
    low: int
    high: int
    alt: str


@dataclass(frozen=True)
class CloudChart:
    """A word cloud: each entry with how many sent it."""

    words: tuple[tuple[str, int], ...]
    alt: str


@dataclass(frozen=True)
class Part:
    """A titled part of a section: one group's points, one theme's answers."""

    title: str
    elements: tuple[Element, ...]


Chart = BarChart | RadarChart | CloudChart
Element = Prompt | Paragraph | Entries | Table | BarChart | RadarChart | CloudChart | Part
CHARTS = (BarChart, RadarChart, CloudChart)


@dataclass(frozen=True)
class SummaryContext:
    """What a kind's summary may name beside its responses."""

    #: Group id → the group's name (every group of the session and its programme).
    groups: Mapping[int, str] = field(default_factory=dict)
    #: The item's themes, in order: (theme id, name).
    themes: Sequence[tuple[int, str]] = ()
    #: The versions of the item's thread in its programme, oldest first, up to the end of
    #: the item's session (``Drafted`` kinds; empty for the others).
    drafts: Sequence[DraftRecord] = ()


def by_theme(
    entries: Sequence[tuple[int | None, Entry]],
    themes: Sequence[tuple[int, str]] = (),
    ordered: bool = False,
) -> tuple[Element, ...]:
    """Entries (each with its theme id) as one list; once the facilitator has named themes,
    a part per theme in the themes' order, then one of the entries with no theme. A theme
    nothing was sorted into is left out; no entries at all is said so."""
    if not entries:
        return (Paragraph(gettext("No answers"), muted=True),)
    if not themes:
        return (Entries(tuple(entry for _theme, entry in entries), ordered),)
    parts: list[Element] = []
    for theme_id, name in themes:
        mine = tuple(entry for theme, entry in entries if theme == theme_id)
        if mine:
            parts.append(Part(name, (Entries(mine, ordered),)))
    named = {theme_id for theme_id, _name in themes}
    rest = tuple(entry for theme, entry in entries if theme not in named)
    if rest:
        parts.append(Part(gettext("No theme"), (Entries(rest, ordered),)))
    return tuple(parts)
