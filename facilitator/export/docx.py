"""The record as a Word document (DOCX) that the facilitator can edit before sending it.

The title, the session's facts, the agenda as it ran as a table, then a heading per
exercise with its counts and its kind's elements: a heading per part, paragraphs, bulleted
and numbered lists (each numbered list counts from 1), tables, and the charts as PNG images
(:mod:`workshop.summary_charts`) with their alt text. Highlighted entries are starred,
bold and highlighted. A programme's document has every session in order, then what runs
across the sessions. A4 pages; spelling is checked in the record's language.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable, Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from facilitator.export import cells, tables
from facilitator.export.record import ProgrammeRecord, Record, SessionRecord
from workshop import summary_charts as charts
from workshop.i18n import format_number, gettext, language
from workshop.summary import (
    CHARTS,
    Cell,
    Chart,
    Element,
    Entries,
    Paragraph,
    Part,
    Prompt,
    Table,
)

#: Word's language tags, for its spelling and hyphenation.
_LANGUAGE_TAGS = {"nb": "nb-NO", "nn": "nn-NO", "da": "da-DK", "en": "en-GB"}
_MUTED = RGBColor(0x5F, 0x63, 0x68)
_CHART_WIDTH, _CHART_HEIGHT = Cm(15), Cm(11)
# A text that opens a right-to-left override or an isolate and leaves it open would turn
# round what follows it on the line (an entry's detail): each one opened is closed after it.
_BIDI_CLOSERS = {
    "\u202a": "\u202c",
    "\u202b": "\u202c",
    "\u202d": "\u202c",
    "\u202e": "\u202c",
    "\u2066": "\u2069",
    "\u2067": "\u2069",
    "\u2068": "\u2069",
}
_BIDI = frozenset(_BIDI_CLOSERS) | {"\u202c", "\u2069"}


def render(record: Record) -> bytes:
    """The record as a DOCX document."""
    with language(record.language):
        return _Writer(record).save()


class _Writer:
    def __init__(self, record: Record) -> None:
        self.record = record
        self.doc: DocxDocument = Document()
        # Paragraphs go before the body's section properties, its last element: found once
        # (python-docx looks for it anew for each paragraph, slow with thousands of answers).
        self._end = self.doc.element.body.sectPr
        self._style_ids: dict[str, str] = {}
        self._set_up()

    def save(self) -> bytes:
        record = self.record
        _run(self._add("Title"), record.title)
        if isinstance(record, ProgrammeRecord):
            if record.client:
                self._fact(gettext("Client"), record.client)
            for session in record.sessions:
                self._heading(session.title, 1)
                self._session(session, 2)
            if record.across:
                self._heading(gettext("Across the sessions"), 1)
                self._elements(record.across, 2)
        else:
            self._session(record, 1)
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def _set_up(self) -> None:
        doc, record = self.doc, self.record
        properties = doc.core_properties
        properties.title = _clean(record.title)
        properties.author = properties.last_modified_by = "Samling"
        properties.comments = ""
        properties.language = _LANGUAGE_TAGS.get(record.language, record.language)
        properties.created = properties.modified = record.made_at.replace(tzinfo=None)
        for lang in doc.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang"):
            lang.set(qn("w:val"), _LANGUAGE_TAGS.get(record.language, record.language))
        for section in doc.sections:
            section.page_width, section.page_height = Cm(21), Cm(29.7)
            section.left_margin = section.right_margin = Cm(2.5)
            section.top_margin = section.bottom_margin = Cm(2.2)
            footer = section.footer.paragraphs[0]
            footer.text = tables.made_at(record)
            for run in footer.runs:
                run.font.color.rgb = _MUTED

    def _session(self, session: SessionRecord, level: int) -> None:
        for label, value in tables.facts(session):
            self._fact(label, value)
        if session.agenda:
            self._heading(gettext("Agenda"), level)
            self._table(tables.agenda_headers(), tables.agenda_rows(session))
        for exercise in session.exercises:
            self._heading(exercise.title, level)
            counts = tables.counts_line(exercise)
            self._paragraph(" · ".join(p for p in (exercise.kind, counts) if p), muted=True)
            self._elements(exercise.elements, level + 1)

    def _elements(self, elements: Iterable[Element], level: int) -> None:
        for element in elements:
            if isinstance(element, Prompt):
                _run(self._add("Quote"), element.text)
            elif isinstance(element, Paragraph):
                self._paragraph(element.text, muted=element.muted)
            elif isinstance(element, Entries):
                self._entries(element)
            elif isinstance(element, Table):
                self._table(element.headers, element.rows)
            elif isinstance(element, CHARTS):
                self._chart(element)
            elif isinstance(element, Part):
                self._heading(element.title, level)
                self._elements(element.elements, level + 1)

    def _add(self, style: str | None = None) -> DocxParagraph:
        """A new paragraph at the end of the document, in ``style`` (a style's name)."""
        element = OxmlElement("w:p")
        self._end.addprevious(element)
        if style is not None:
            if style not in self._style_ids:
                self._style_ids[style] = self.doc.styles[style].style_id
            element.style = self._style_ids[style]
        return DocxParagraph(element, self.doc._body)

    def _heading(self, text: str, level: int) -> None:
        _run(self._add(f"Heading {min(level, 9)}"), text)

    def _paragraph(self, text: str, muted: bool = False) -> None:
        run = _run(self._add(), text)
        if muted:
            run.italic = True
            run.font.color.rgb = _MUTED

    def _fact(self, label: str, value: Cell) -> None:
        paragraph = self._add()
        paragraph.paragraph_format.space_after = Cm(0.1)
        _run(paragraph, f"{label}: ").bold = True
        _run(paragraph, _text(value))

    def _entries(self, entries: Entries) -> None:
        style = "List Number" if entries.ordered else "List Bullet"
        numbering = self._numbering() if entries.ordered else None
        for entry in entries.entries:
            paragraph = self._add(style)
            if numbering is not None:
                numbers = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                numbers.get_or_add_ilvl().val = 0
                numbers.get_or_add_numId().val = numbering
            if entry.highlighted:
                _run(paragraph, "★ ").bold = True
                text = _run(paragraph, entry.text)
                text.bold = True
                text.font.highlight_color = WD_COLOR_INDEX.YELLOW
            else:
                text = _run(paragraph, entry.text)
            if entry.language and entry.language != self.record.language:
                _in_language(text, entry.language)
            if entry.detail:
                _run(paragraph, f" — {entry.detail}").font.color.rgb = _MUTED

    def _numbering(self) -> int:
        """A numbering of its own for one numbered list, so that it starts again at 1."""
        numbering = self.doc.part.numbering_part.element
        style = self.doc.styles["List Number"].element
        abstract = numbering.num_having_numId(style.pPr.numPr.numId.val).abstractNumId.val
        number = numbering.add_num(abstract)
        number.add_lvlOverride(ilvl=0).add_startOverride(1)
        numbering_id: int = number.numId
        return numbering_id

    def _table(self, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
        table = self.doc.add_table(rows=1, cols=max(1, len(headers)))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = table.rows[0]
        # The header row is repeated on every page the table runs over.
        header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for cell, text in zip(header.cells, headers, strict=False):
            _run(cell.paragraphs[0], text).bold = True
        for values in rows:
            for cell, value in zip(table.add_row().cells, values, strict=False):
                paragraph = cell.paragraphs[0]
                _run(paragraph, _text(value))
                if isinstance(value, int | float):
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self._add()

    def _chart(self, chart: Chart) -> None:
        image = charts.png(chart, self.record.language)
        width, height = struct.unpack(">II", image[16:24])  # the PNG's IHDR
        size: dict[str, Length] = {"width": _CHART_WIDTH}
        if _CHART_WIDTH * height > _CHART_HEIGHT * width:
            size = {"height": _CHART_HEIGHT}
        paragraph = self._add()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        shape = paragraph.add_run().add_picture(io.BytesIO(image), **size)
        alt = _clean(chart.alt)
        # Word reads a picture's alt text from descr, on the drawing and on the picture.
        for properties in shape._inline.xpath("wp:docPr | .//pic:cNvPr"):
            properties.set("descr", alt)


def _run(paragraph: DocxParagraph, text: str) -> Run:
    return paragraph.add_run(_clean(text))


def _in_language(run: Run, code: str) -> None:
    """The run is in another language than the document (a participant's answer): Word
    checks its spelling in that one. Set last: w:lang comes after the run's other
    properties."""
    tag = OxmlElement("w:lang")
    tag.set(qn("w:val"), _LANGUAGE_TAGS.get(code, code))
    run._r.get_or_add_rPr().append(tag)


def _text(value: Cell) -> str:
    """A cell as the document writes it: counts and means in the record's language."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format_number(value, 1)
    if isinstance(value, int):
        return format_number(value)
    return value


def _clean(text: str) -> str:
    """Text a DOCX can hold, with every bidi override or isolate it opens closed."""
    text = cells.storable(text)
    if not _BIDI.intersection(text):
        return text
    open_: list[str] = []
    for char in text:
        if char in _BIDI_CLOSERS:
            open_.append(_BIDI_CLOSERS[char])
        elif char == "\u202c" and open_ and open_[-1] == "\u202c":
            open_.pop()
        elif char == "\u2069" and "\u2069" in open_:
            while open_.pop() != "\u2069":
                pass
    return text + "".join(reversed(open_))
