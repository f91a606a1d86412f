"""The record of a day and its formats: HTML, PDF, DOCX, XLSX and CSV.

``build.py`` reads a session's or a programme's record from the store; each format is a
module here with ``render(record) -> bytes``, a pure function. The app hands a whole
export (:func:`export`, :func:`preview_of`) to a worker process of its own, which opens
the database itself, reads the record and writes the file: the server's event loop only
waits for the bytes (a record of 1,000 phones is some 2 MB to pickle, and building it is
CPU work), so an export never slows a live session. The command line runs the same.
"""

from __future__ import annotations

import asyncio
import importlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

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


@dataclass(frozen=True)
class Job:
    """What an export worker needs to read a record itself: where the database is, the
    kinds the app runs, which session or programme, and in which language."""

    db_path: Path
    plugins: tuple[str, ...]
    language: str
    session_id: int | None = None
    programme_id: int | None = None


async def _read(job: Job) -> Record:
    from facilitator.export.build import programme_record, session_record
    from workshop.app import kind_registry
    from workshop.store import Store

    store = Store(job.db_path)
    await store.open()
    try:
        kinds = kind_registry(job.plugins)
        if job.session_id is not None:
            return await session_record(store, kinds, job.session_id, job.language)
        assert job.programme_id is not None
        return await programme_record(store, kinds, job.programme_id, job.language)
    finally:
        await store.close()


def read(job: Job) -> Record:
    """The job's record, read from its database in this process (a worker, the CLI)."""
    return asyncio.run(_read(job))


def export(job: Job, fmt: str) -> tuple[str, bytes]:
    """The job's record in one format: its file name and its bytes (in a worker)."""
    record = read(job)
    return filename(record, fmt), render(record, fmt)


def pdf_part(job: Job, index: int) -> tuple[str, bytes | None]:
    """Half ``index`` of the job's PDF (``pdf_parts.py``; None: it is printed whole in
    part 0), with the download's name (in a worker; the two halves at once)."""
    from facilitator.export import pdf_parts

    record = read(job)
    return filename(record, "pdf"), pdf_parts.part(record, index)


def pdf_join(parts: list[bytes], language: str) -> bytes:
    """The PDF's halves joined and numbered (in a worker)."""
    from facilitator.export import pdf_parts

    return pdf_parts.join(parts, language)


def preview_of(job: Job) -> tuple[str, Markup]:
    """The job's record for the summary page: its title and its article (in a worker)."""
    from facilitator.export.html import preview

    record = read(job)
    return record.title, preview(record)
