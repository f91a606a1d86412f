"""The record of a day as PDF: the HTML summary (``html.py``) printed by WeasyPrint
(``workshop.printing``: where Pango is missing, :class:`PdfUnavailable` says what to
install, and the other formats go on working; the printer reads ``data:`` URLs only)."""

from __future__ import annotations

from typing import Any

from facilitator.export import html
from facilitator.export.record import Record
from workshop import printing
from workshop.printing import PACKAGES, PdfUnavailable

__all__ = ["PACKAGES", "PdfUnavailable", "check", "fetcher", "render"]


def render(record: Record) -> bytes:
    """The record's summary as an A4 PDF."""
    printing.weasyprint(record.language)  # before the page: say so early without Pango
    return printing.pdf(html.render(record).decode(), record.language)


def check(language: str) -> None:
    """Raise :class:`PdfUnavailable` if WeasyPrint or Pango cannot load here."""
    printing.weasyprint(language)


def fetcher() -> Any:
    return printing.fetcher()
