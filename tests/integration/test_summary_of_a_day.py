"""The HTML and PDF summary of a day built from a real store, every kind of exercise run:
every shown answer is in both, the hidden and held ones and a private note in neither."""

from __future__ import annotations

import datetime as dt
import io
from html import unescape

from pypdf import PdfReader

from facilitator.export import html, pdf
from facilitator.export.build import session_record
from tests.integration.test_record_build import (  # noqa: F401  # store and clock: fixtures
    HOSTILE,
    KINDS,
    SECRET,
    clock,
    run_day,
    store,
)
from workshop.store import Store

SHOWN = (
    "Trust in the team",
    HOSTILE,
    "Time to think",
    "Courage",
    "Why now?",
    "Who decides?",
    "Rowan's first point",
    "Birch's first point",
    "Birch's second point",
)
LEFT_OUT = ("HIDDEN-rude-answer", "PENDING-held-answer", SECRET)


async def test_the_summary_of_a_real_day_in_html_and_pdf(
    store: Store,  # noqa: F811
    clock: list[dt.datetime],  # noqa: F811
) -> None:
    day, _ids = await run_day(store, clock)
    record = await session_record(store, KINDS, day.session.id, "en")

    page = unescape(html.render(record).decode()).replace("\u2068", "").replace("\u2069", "")
    for answer in SHOWN:
        assert answer in page, answer
    for absent in LEFT_OUT:
        assert absent not in page, absent
    for heading in ("The agenda as it ran", "Expectations", "Questions", "Birch", "Rowan"):
        assert heading in page, heading

    reader = PdfReader(io.BytesIO(pdf.render(record)))
    text = " ".join(p.extract_text().replace("\x00", "") for p in reader.pages)
    text = " ".join(text.split())
    for answer in SHOWN:
        if answer == HOSTILE:  # drawn as it reads: the override turns the end around
            assert '=HYPERLINK("http://x") æøå' in text
        else:
            assert answer in text, answer
    for absent in LEFT_OUT:
        assert absent not in text, absent
