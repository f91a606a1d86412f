"""Self-contained HTML printed to PDF by WeasyPrint: the summary's PDF and a kind's files.

WeasyPrint draws text with Pango, a C library it loads when it is imported; where it is
missing, :func:`weasyprint` raises :class:`PdfUnavailable` with a translated message
naming Debian's package, and every other format goes on working. A page printed here asks
for nothing outside itself, and WeasyPrint is held to that: it may read ``data:`` URLs
only (:func:`fetcher`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from workshop import i18n
from workshop.i18n import gettext as _

#: Debian's packages WeasyPrint loads (the README and `make chromium` name them too).
PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"


class PdfUnavailable(Exception):
    """PDF cannot be made on this machine: the message says why and what to install."""


def weasyprint(language: str) -> Any:
    """The ``weasyprint`` module, or :class:`PdfUnavailable` in ``language``."""
    try:
        import weasyprint
    except (OSError, ImportError) as error:  # OSError: cannot load library 'libpango-1.0-0'
        with i18n.language(language):
            message = _(
                "PDF cannot be made on this server: WeasyPrint needs the Pango library "
                "(on Debian or Ubuntu: apt-get install %(packages)s). "
                "The other formats still work.",
                packages=PACKAGES,
            )
        raise PdfUnavailable(message) from error
    return weasyprint


def document(page: str, language: str) -> Any:
    """``page`` laid out by WeasyPrint (a ``weasyprint.Document``: its pages, then
    ``write_pdf()``), fetching nothing but the page's own ``data:`` URLs."""
    module = weasyprint(language)
    with quiet_glyphs():
        return module.HTML(string=page, url_fetcher=fetcher()).render()


def pdf(page: str, language: str) -> bytes:
    """``page`` printed to PDF."""
    laid_out = document(page, language)
    with quiet_glyphs():
        data: bytes = laid_out.write_pdf()
    return data


@contextmanager
def quiet_glyphs() -> Iterator[None]:
    """Leave out WeasyPrint's note on each character no font here has (an emoji without an
    emoji font: drawn as a box), which would copy participants' text into the log."""
    log = logging.getLogger("weasyprint")
    hush = _NoGlyphNotes()
    log.addFilter(hush)
    try:
        yield
    finally:
        log.removeFilter(hush)


class _NoGlyphNotes(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(".notdef glyph")


def fetcher() -> Any:
    """WeasyPrint's fetcher for the page's own ``data:`` URLs (its fonts and images) only:
    anything else is refused (and left out) rather than fetched."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",))
