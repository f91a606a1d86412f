"""The record as an Excel workbook: a summary sheet, then one sheet per exercise.

The summary sheet holds each session's facts, its agenda as it ran and every exercise's
counts (with a link to its sheet); each exercise's sheet holds every shown response, a row
each: its time, its group and the kind's columns. A programme's workbook adds a sheet of
what runs across its sessions. Every text that could start a formula is made plain text
(:mod:`facilitator.export.cells`); numbers stay numbers.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from facilitator.export import cells, tables
from facilitator.export.record import ExerciseRecord, ProgrammeRecord, Record, SessionRecord
from workshop.i18n import gettext, language
from workshop.summary import (
    BarChart,
    Cell,
    CloudChart,
    Element,
    Entries,
    Paragraph,
    Part,
    Prompt,
    RadarChart,
    Table,
)

_TITLE = Font(bold=True, size=14)
_HEADING = Font(bold=True, size=12)
_BOLD = Font(bold=True)
_MUTED = Font(italic=True, color="666666")
_HEADER_FILL = PatternFill("solid", start_color="E8E8E8")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
# Column widths in characters: wide enough to read a short answer, never a wall.
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def render(record: Record) -> bytes:
    """The record as an XLSX workbook."""
    with language(record.language):
        return _Workbook(record).save()


class _Workbook:
    def __init__(self, record: Record) -> None:
        self.record = record
        self.book = Workbook()
        self.book.properties.title = cells.storable(record.title)
        self.book.properties.creator = "Samling"
        self.book.properties.language = record.language
        self.book.properties.created = record.made_at.replace(tzinfo=None)
        numbered = _numbered_exercises(record)
        titles = [gettext("Summary"), *(label for _, label in numbered)]
        programme = isinstance(record, ProgrammeRecord) and record.across
        if programme:
            titles.append(gettext("Across the sessions"))
        names = list(cells.sheet_names(titles, fallback=gettext("Exercise")))
        self.summary_name = names[0]
        #: (session's place, exercise's place) → the exercise's sheet.
        self.exercise_names = {
            place: name for (place, _), name in zip(numbered, names[1:], strict=False)
        }
        self.across_name = names[-1] if programme else ""

    def save(self) -> bytes:
        summary = self.book.active
        assert summary is not None
        summary.title = self.summary_name
        self._summary(summary)
        for s, session in enumerate(tables.sessions(self.record)):
            for n, exercise in enumerate(session.exercises):
                if exercise.sheet is not None:
                    sheet = self.book.create_sheet(self.exercise_names[s, n])
                    _exercise_sheet(sheet, exercise)
        if self.across_name and isinstance(self.record, ProgrammeRecord):
            sheet = self.book.create_sheet(self.across_name)
            _across_sheet(sheet, self.record.title, self.record.across)
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()

    def _summary(self, sheet: Worksheet) -> None:
        writer = _Writer(sheet)
        writer.heading(self.record.title, _TITLE)
        if isinstance(self.record, ProgrammeRecord) and self.record.client:
            writer.pair(gettext("Client"), self.record.client)
        programme = isinstance(self.record, ProgrammeRecord)
        for s, session in enumerate(tables.sessions(self.record)):
            if programme:
                writer.gap()
                writer.heading(session.title, _HEADING)
            for label, value in tables.facts(session):
                writer.pair(label, value)
            writer.gap()
            writer.heading(gettext("Agenda"), _HEADING)
            writer.table(tables.agenda_headers(), tables.agenda_rows(session))
            writer.gap()
            writer.heading(gettext("Exercises"), _HEADING)
            self._counts(writer, s, session)
        writer.gap()
        writer.note(tables.made_at(self.record))
        writer.fit()

    def _counts(self, writer: _Writer, s: int, session: SessionRecord) -> None:
        headers = (*tables.count_headers(), gettext("Sheet"))
        names = [
            self.exercise_names[s, n] if exercise.sheet is not None else ""
            for n, exercise in enumerate(session.exercises)
        ]
        rows = [
            (*tables.count_row(exercise), name)
            for exercise, name in zip(session.exercises, names, strict=True)
        ]
        first = writer.table(headers, rows)
        # Each exercise's sheet name links to its sheet (a private kind has none).
        for row, name in enumerate(names, start=first):
            if name:
                cell = writer.sheet.cell(row, len(headers))
                target = name.replace("'", "''")
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{target}'!A1")
                cell.style = "Hyperlink"


def _numbered_exercises(record: Record) -> list[tuple[tuple[int, int], str]]:
    """Each exercise's place and its sheet's title: "3 Title", "2.3 Title" in a programme."""
    many = isinstance(record, ProgrammeRecord)
    numbered = []
    for s, session in enumerate(tables.sessions(record)):
        for n, exercise in enumerate(session.exercises):
            number = f"{s + 1}.{n + 1}" if many else f"{n + 1}"
            numbered.append(((s, n), f"{number} {exercise.title}"))
    return numbered


def _exercise_sheet(sheet: Worksheet, exercise: ExerciseRecord) -> None:
    assert exercise.sheet is not None
    writer = _Writer(sheet)
    writer.heading(exercise.title, _TITLE)
    writer.note(" · ".join(part for part in (exercise.kind, tables.counts_line(exercise)) if part))
    writer.gap()
    first = writer.table(exercise.sheet.headers, exercise.sheet.rows) - 1
    last_column = get_column_letter(max(1, len(exercise.sheet.headers)))
    sheet.freeze_panes = sheet.cell(first + 1, 1).coordinate
    sheet.auto_filter.ref = f"A{first}:{last_column}{max(first, writer.row - 1)}"
    writer.fit()


def _across_sheet(sheet: Worksheet, title: str, elements: Sequence[Element]) -> None:
    writer = _Writer(sheet)
    writer.heading(gettext("Across the sessions"), _TITLE)
    writer.note(title)
    writer.gap()
    _write_elements(writer, elements)
    writer.fit()


def _write_elements(writer: _Writer, elements: Iterable[Element]) -> None:
    """Elements as rows: texts a row each, lists and tables their rows, charts their data."""
    for element in elements:
        if isinstance(element, Prompt):
            writer.heading(element.text, _BOLD)
        elif isinstance(element, Paragraph):
            writer.note(element.text) if element.muted else writer.line((element.text,))
        elif isinstance(element, Entries):
            for entry in element.entries:
                row: tuple[Cell, ...] = (
                    (entry.text, entry.detail) if entry.detail else (entry.text,)
                )
                writer.line(row, _BOLD if entry.highlighted else None)
        elif isinstance(element, Table):
            writer.table(element.headers, element.rows)
        elif isinstance(element, BarChart | RadarChart):
            writer.note(element.alt)
            writer.table(
                (gettext("Label"), gettext("Value")),
                list(zip(element.labels, element.values, strict=False)),
            )
        elif isinstance(element, CloudChart):
            writer.note(element.alt)
            writer.table((gettext("Words"), gettext("How many sent it")), list(element.words))
        elif isinstance(element, Part):
            writer.gap()
            writer.heading(element.title, _HEADING)
            _write_elements(writer, element.elements)
        writer.gap()


class _Writer:
    """Rows down a sheet, keeping how wide each column's content is."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 1
        self.widths: dict[int, int] = {}

    def heading(self, text: str, font: Font) -> None:
        # A heading may run across empty columns: it does not widen its column.
        self.sheet.cell(self.row, 1, cells.neutralised(text)).font = font
        self.row += 1

    def note(self, text: str) -> None:
        self.sheet.cell(self.row, 1, cells.neutralised(text)).font = _MUTED
        self.row += 1

    def gap(self) -> None:
        self.row += 1

    def pair(self, label: str, value: Cell) -> None:
        self._cell(1, label).font = _BOLD
        self._cell(2, value)
        self.row += 1

    def line(self, values: Sequence[Cell], font: Font | None = None) -> None:
        for column, value in enumerate(values, start=1):
            cell = self._cell(column, value)
            if font is not None:
                cell.font = font
        self.row += 1

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> int:
        """Write a header row and the rows under it; the number of the first row under it."""
        for column, header in enumerate(headers, start=1):
            cell = self._cell(column, header)
            cell.font = _BOLD
            cell.fill = _HEADER_FILL
        self.row += 1
        first = self.row
        for values in rows:
            self.line(values)
        return first

    def _cell(self, column: int, value: Cell) -> XlCell:
        shown = cells.neutralised(value)
        cell = self.sheet.cell(self.row, column, shown)
        if isinstance(shown, str):
            # openpyxl reads "#N/A" as an error value: every text is stored as text.
            cell.data_type = "s"
            longest = max((len(line) for line in shown.splitlines()), default=0)
            if longest > _MAX_WIDTH or "\n" in shown:
                cell.alignment = _WRAP
            else:
                cell.alignment = _TOP
        else:
            longest = len(str(shown)) if shown is not None else 0
        self.widths[column] = max(self.widths.get(column, 0), longest)
        return cell

    def fit(self) -> None:
        for column, width in self.widths.items():
            letter = get_column_letter(column)
            self.sheet.column_dimensions[letter].width = min(_MAX_WIDTH, max(_MIN_WIDTH, width)) + 2
