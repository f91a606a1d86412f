"""The record of a day and its formats: HTML, PDF, DOCX, XLSX and CSV.

``build.py`` reads a session's or a programme's record from the store; each format is a
module here with ``render(record) -> bytes``, a pure function that the app runs in a
worker process of its own (an export never slows a live session) and the command line
runs in its own process.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from dataclasses import dataclass

from facilitator.export.record import ProgrammeRecord, Record
from workshop.i18n import N_


@dataclass(frozen=True)
class Format:
    """One way to download the record."""

    name: str
    #: What the download button says (translated with gettext where shown).
    label: str
    media_type: str
    extension: str


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("html", N_("Web page (HTML)"), "text/html; charset=utf-8", "html"),
        Format("pdf", N_("PDF"), "application/pdf", "pdf"),
        Format(
            "docx",
            N_("Word (DOCX)"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        Format(
            "xlsx",
            N_("Excel (XLSX)"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        Format("csv", N_("CSV files (zip)"), "application/zip", "zip"),
    )
}


def render(record: Record, fmt: str) -> bytes:
    """The record in one format (run in a worker process: module-level and picklable)."""
    module = importlib.import_module(f"facilitator.export.{FORMATS[fmt].name}")
    data: bytes = module.render(record)
    return data


def filename(record: Record, fmt: str) -> str:
    """A file name for the download: the title in ASCII, the date, the extension."""
    title = record.title
    date = None if isinstance(record, ProgrammeRecord) else record.date
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:60] or "samling"
    stamp = f"-{date.isoformat()}" if date else ""
    return f"{slug}{stamp}.{FORMATS[fmt].extension}"
