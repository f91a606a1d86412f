"""The PDF of a big record, printed in two halves at once and joined.

WeasyPrint lays a page out in pure Python: a day of 1,000 phones and 20 items is some 270
pages and 8 s of one core. The app's export workers are two processes at a lower priority
than the server (the live session always comes first), so the two halves of a record are
printed side by side (:func:`part`), without page numbers; :func:`join` puts them together
and stamps every page with "page / pages" as the single print does. A small record is
printed whole.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence

from facilitator.export import html
from facilitator.export.record import ExerciseRecord, ProgrammeRecord, Record, SessionRecord
from workshop import printing
from workshop.summary import CHARTS, Element, Entries, Part, Table

#: Below this many entries and rows a record is printed whole (a second process would
#: cost more than it saves).
WHOLE_BELOW = 1500
#: The page numbers alone: the same page box and footer as summary.css.
_NUMBERS_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm;
  @bottom-right { content: counter(page) " / " counter(pages); font: 8pt "Samling Sans",
  sans-serif; color: #5b6b6a; } }
html, body { margin: 0; } div { break-after: page; }
"""
_NO_NUMBERS = "<style>@page { @bottom-right { content: none; } }</style></head>"


def _weight(elements: Sequence[Element]) -> int:
    total = 0
    for element in elements:
        if isinstance(element, Entries):
            total += len(element.entries)
        elif isinstance(element, Table):
            total += len(element.rows)
        elif isinstance(element, Part):
            total += 1 + _weight(element.elements)
        elif isinstance(element, CHARTS):
            total += 40
        else:
            total += 1
    return total


def _exercise_weight(exercise: ExerciseRecord) -> int:
    return 3 + _weight(exercise.elements)


def _cut(weights: Sequence[int]) -> int:
    """Where to cut a list in two of about equal weight (1 .. len - 1)."""
    total, running, best, best_gap = sum(weights), 0, 1, None
    for at in range(1, len(weights)):
        running += weights[at - 1]
        gap = abs(total - 2 * running)
        if best_gap is None or gap < best_gap:
            best, best_gap = at, gap
    return best


def halves(record: Record) -> list[Record]:
    """The record in two parts of about equal weight, or whole when it is small."""
    if isinstance(record, SessionRecord):
        weights = [_exercise_weight(e) for e in record.exercises]
        if len(weights) < 2 or sum(weights) < WHOLE_BELOW:
            return [record]
        at = _cut(weights)
        first = dataclasses.replace(record, exercises=record.exercises[:at], continues=True)
        rest = dataclasses.replace(
            record, exercises=record.exercises[at:], agenda=(), continued=True
        )
        return [first, rest]
    weights = [sum(_exercise_weight(e) for e in s.exercises) for s in record.sessions]
    if len(weights) < 2 or sum(weights) < WHOLE_BELOW:
        return [record]
    at = _cut(weights)
    head = dataclasses.replace(record, sessions=record.sessions[:at], across=(), continues=True)
    tail = dataclasses.replace(record, sessions=record.sessions[at:], continued=True)
    return [head, tail]


def part(record: Record, index: int) -> bytes | None:
    """Part ``index`` of the record's halves as PDF pages without numbers (None: the
    record has no such part)."""
    parts = halves(record)
    if index >= len(parts):
        return None
    printing.weasyprint(record.language)  # before the page: say so early without Pango
    page = html.render(parts[index]).decode().replace("</head>", _NO_NUMBERS, 1)
    return printing.pdf(page, record.language)


def join(parts: Sequence[bytes], language: str) -> bytes:
    """The parts one after the other, every page numbered "page / pages"."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(parts[0]))
    for more in parts[1:]:
        writer.append(PdfReader(io.BytesIO(more)))
    count = len(writer.pages)
    faces = html.font_faces("0123456789 /")
    numbers = "<style>" + faces + _NUMBERS_CSS + "</style>" + "<div></div>" * count
    stamps = PdfReader(io.BytesIO(printing.pdf(numbers, language)))
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(stamp)
        page.compress_content_streams()  # merging leaves a page's text uncompressed
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def whole(record: ProgrammeRecord | SessionRecord) -> bytes:
    """The record's PDF in this process: its parts one after the other, then joined."""
    parts = [p for p in (part(record, i) for i in range(2)) if p is not None]
    return join(parts, record.language)
