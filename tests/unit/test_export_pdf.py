"""The PDF summary: WeasyPrint prints the HTML summary; its text holds every shown answer."""

from __future__ import annotations

import builtins
import io
import logging
import re
from typing import Any

import pytest
from pypdf import PdfReader

from facilitator.export import pdf
from tests.unit import export_sample as sample


def _pages(data: bytes) -> list[str]:
    """Each page's text. pypdf reads the two-byte codes of a font that lacks a glyph (an
    emoji: WeasyPrint then gives the font its own encoding) as pairs of one-byte codes,
    a NUL before each character; viewers read them right. Whitespace is made single."""
    reader = PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().replace("\x00", "").split()) for page in reader.pages]


@pytest.fixture(scope="module")
def session_pdf() -> bytes:
    return pdf.render(sample.SUMMARY.session())


def test_the_pdf_holds_every_shown_answer(session_pdf: bytes) -> None:
    assert session_pdf.startswith(b"%PDF-")
    text = " ".join(_pages(session_pdf))
    for answer in sample.SUMMARY.answers:
        if answer == sample.RTL:  # drawn as it reads: the override turns what follows it
            assert "førlive" in text
        else:
            assert answer in text, answer
    assert sample.HIDDEN not in text
    for expected in ("Ledersamling: Ærlighet & mot", "Programmet slik det gikk", "3 svar skjult"):
        assert expected in text


def test_the_pdf_is_a4_with_page_numbers(session_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(session_pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    pages = _pages(session_pdf)
    assert pages[0].endswith(f"1 / {len(pages)}")


def test_each_session_of_a_programme_starts_a_page() -> None:
    pages = _pages(pdf.render(sample.SUMMARY.programme()))
    starts = [p for p in pages if p.startswith("OPPSUMMERING AV SAMLINGEN")]
    assert [re.split(" Dato", p)[0] for p in starts] == [
        "OPPSUMMERING AV SAMLINGEN Samling 1",
        "OPPSUMMERING AV SAMLINGEN Samling 2",
    ]
    assert any("På tvers av programmet" in p for p in pages)


def test_the_printer_fetches_nothing() -> None:
    fetcher = pdf.fetcher()
    for url in ("http://127.0.0.1:9/x.png", "https://example.org/f.woff", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="disallowed protocol"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"


def test_without_pango_the_pdf_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pango(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': No such file or directory")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    with pytest.raises(pdf.PdfUnavailable) as caught:
        pdf.render(sample.SUMMARY.session())
    message = str(caught.value)
    assert "Pango" in message and "libpango-1.0-0" in message and "apt-get install" in message
    assert message.startswith("PDF kan ikke lages")  # in the record's language
    with pytest.raises(pdf.PdfUnavailable, match="PDF cannot be made"):
        pdf.check("en")


def test_no_participant_text_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    """WeasyPrint would log each emoji no font here has, the character quoted."""
    caplog.set_level(logging.DEBUG, logger="weasyprint")
    pdf.render(sample.SUMMARY.session())
    assert "🎉" not in caplog.text and ".notdef" not in caplog.text
