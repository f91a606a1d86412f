"""The record as CSV files in a zip: one per exercise, every shown response a row, and
``agenda.csv`` with the agenda as it ran.

Each file is UTF-8 with a byte order mark, so Excel opens æøå right. Excel reads a CSV with
the list separator of the computer's language: where the language writes decimals with a
comma (bokmål) the fields are separated by semicolons and decimals have a comma, otherwise
by commas with a decimal point. Formula-like text is made plain text, as in the XLSX.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal

from babel.numbers import get_decimal_symbol

from facilitator.export import cells, tables
from facilitator.export.record import ProgrammeRecord, Record
from workshop.i18n import gettext, language
from workshop.summary import Cell


def render(record: Record) -> bytes:
    """The record as a zip of CSV files."""
    with language(record.language):
        decimal = get_decimal_symbol(record.language)
        delimiter = ";" if decimal == "," else ","
        many = isinstance(record, ProgrammeRecord)
        stamp = record.made_at.timetuple()[:6]
        titles, sheets = [], []
        for s, session in enumerate(tables.sessions(record), start=1):
            for n, exercise in enumerate(session.exercises, start=1):
                if exercise.sheet is not None:
                    titles.append(
                        f"{s:02d}-{n:02d} {exercise.title}" if many else f"{n:02d} {exercise.title}"
                    )
                    sheets.append(exercise.sheet)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:

            def write(name: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, _csv(headers, rows, delimiter, decimal))

            agenda_headers = tables.agenda_headers()
            if many:
                write(
                    "agenda.csv",
                    (gettext("Session"), *agenda_headers),
                    (
                        (session.title, *row)
                        for session in tables.sessions(record)
                        for row in tables.agenda_rows(session)
                    ),
                )
            else:
                write("agenda.csv", agenda_headers, tables.agenda_rows(tables.sessions(record)[0]))
            names = cells.file_names(titles, "csv", fallback=gettext("Exercise"))
            for name, sheet in zip(names, sheets, strict=True):
                write(name, sheet.headers, sheet.rows)
        return out.getvalue()


def _csv(
    headers: Sequence[str], rows: Iterable[Sequence[Cell]], delimiter: str, decimal: str
) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow([_field(header, decimal) for header in headers])
    writer.writerows([_field(cell, decimal) for cell in row] for row in rows)
    return text.getvalue().encode("utf-8-sig")


def _field(cell: Cell, decimal: str) -> str:
    shown = cells.neutralised(cell)
    if shown is None:
        return ""
    if isinstance(shown, float):
        return format(Decimal(str(shown)), "f").replace(".", decimal)
    return str(shown)
