"""A big record's PDF printed in two halves and joined: the halves split the exercises
between them once, the first alone has the facts and the agenda, the last alone the
footer; the joined PDF has every answer once and every page numbered "page / pages"."""

from __future__ import annotations

import dataclasses
import io

from pypdf import PdfReader

from facilitator.export import pdf_parts
from facilitator.export.record import SessionRecord
from tests.unit import export_sample as sample
from workshop.summary import Entries, Entry


def _big() -> SessionRecord:
    """The sample day with three long open questions added (answers numbered)."""
    day = sample.SUMMARY.session()
    first = day.exercises[0]
    extra = tuple(
        dataclasses.replace(
            first,
            item_id=100 + n,
            title=f"Spørsmål {n}",
            elements=(Entries(tuple(Entry(f"Svar {n}-{i} om samarbeid") for i in range(700))),),
        )
        for n in range(3)
    )
    return dataclasses.replace(day, exercises=day.exercises + extra)


def _text(data: bytes) -> list[str]:
    return [p.extract_text().replace("\x00", "") for p in PdfReader(io.BytesIO(data)).pages]


def test_a_small_record_is_printed_whole() -> None:
    day = sample.SUMMARY.session()
    assert pdf_parts.halves(day) == [day]
    assert pdf_parts.part(day, 1) is None


def test_the_halves_share_the_exercises_and_the_first_alone_has_the_facts() -> None:
    day = _big()
    first, rest = pdf_parts.halves(day)
    assert isinstance(first, SessionRecord) and isinstance(rest, SessionRecord)
    assert first.exercises + rest.exercises == day.exercises
    assert first.exercises and rest.exercises
    assert first.continues and not first.continued and first.agenda == day.agenda
    assert rest.continued and not rest.continues and rest.agenda == ()


def test_the_joined_pdf_has_every_answer_once_and_numbered_pages() -> None:
    day = _big()
    parts = [pdf_parts.part(day, i) for i in range(2)]
    assert all(parts)
    joined = pdf_parts.join([p for p in parts if p], day.language)
    pages = _text(joined)
    text = " ".join(" ".join(p.split()) for p in pages)
    for n in range(3):
        for i in (0, 350, 699):
            assert text.count(f"Svar {n}-{i} om samarbeid") == 1, (n, i)
    for number, page in enumerate(pages, start=1):
        assert " ".join(page.split()).endswith(f"{number} / {len(pages)}"), number
    assert text.count("Programmet slik det gikk") == 1  # the agenda once, in the first half
    assert sample.HIDDEN not in text
