"""A Danish and a nynorsk facilitator's pages and downloads write dates, clock times,
numbers, percentages and plural forms as their language does (Babel's, through
workshop.i18n): the session's page, the programme's, the control panel and every export."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import docx
import pytest
from pypdf import PdfReader

from tests.browser.conftest import LiveServer
from tests.live_helpers import csrf_of, facilitator_client, join

AGENDA = """samling_agenda = 1

[[item]]
title = "Valget"
duration = 10
start = "14:05"
kind = "exercise"
exercise = "choice"

[item.settings]
question = "Hvilken?"
options = ["Den ene", "Den anden"]
multiple = false
max_picks = 1

[[item]]
title = "Slutning"
duration = 5
kind = "talk"
"""

NBSP = "\xa0"
WANTED = {
    "da": {
        "date": "1. december 2026",
        "full": "tirsdag den 1. december 2026",
        "percent": f"50{NBSP}%",
        "phones": "2 telefoner har stemt",
        "items": "2 punkter",
    },
    "nn": {
        "date": "1. desember 2026",
        "full": "tysdag 1. desember 2026",
        "percent": f"50{NBSP}%",
        "phones": "2 telefonar har stemt",
        "items": "2 punkt",
    },
}


@pytest.mark.parametrize("lang", list(WANTED))
def test_pages_and_exports_in_the_facilitators_language(server: LiveServer, lang: str) -> None:
    wanted = WANTED[lang]
    fac = facilitator_client(server, f"leder-{lang}", "leder password 1")
    csrf = csrf_of(fac)
    chose = fac.post("/account/language", data={"language": lang, "csrf_token": csrf})
    assert chose.status_code == 303
    made = fac.post("/programmes", data={"title": "Forløb", "csrf_token": csrf})
    programme = int(made.headers["location"].rsplit("/", 1)[1])
    made = fac.post(
        f"/programmes/{programme}/sessions",
        data={"title": "Samling", "date": "2026-12-01", "place": "", "csrf_token": csrf},
    )
    session = int(made.headers["location"].rsplit("/", 1)[1])
    server.import_agenda(session, AGENDA)

    assert wanted["date"] in fac.get(f"/programmes/{programme}").text
    page = fac.get(f"/sessions/{session}").text
    assert wanted["date"] in page and "2026-12-01</p>" not in page
    assert wanted["items"] in page

    started = fac.post(f"/sessions/{session}/live/start", data={"csrf_token": csrf})
    assert started.status_code in (204, 303)
    control = fac.get(f"/sessions/{session}/control").text
    code = re.search(r'id="control-code">(\d{4}) (\d{4})<', control)
    shown = re.search(r'id="control-item-(\d+)"', control)
    assert code and shown
    item = int(shown[1])
    for n in range(2):
        phone = join(server, code[1] + code[2])
        voted = phone.do(item, "answer", {"choice": str(n), "idem_key": f"vote-{lang}-{n:06d}"})
        assert voted.status_code == 200, voted.text
    control = fac.get(f"/sessions/{session}/control").text
    assert wanted["percent"] in control
    closed = fac.post(f"/sessions/{session}/live/close", data={"csrf_token": csrf})
    assert closed.status_code in (204, 303)

    base = f"/sessions/{session}/summary"
    html = fac.get(base + ".html").text
    assert f'<html lang="{lang}"' in html
    for text in (wanted["full"], "14:05", wanted["phones"]):
        assert text in html, text
    pdf = PdfReader(io.BytesIO(fac.get(base + ".pdf").content))
    pdf_text = " ".join(p.extract_text().replace("\x00", "") for p in pdf.pages)
    assert wanted["full"] in " ".join(pdf_text.split()) and "14:05" in pdf_text
    word = docx.Document(io.BytesIO(fac.get(base + ".docx").content))
    word_text = "\n".join(
        [p.text for p in word.paragraphs]
        + [c.text for t in word.tables for row in t.rows for c in row.cells]
    )
    assert wanted["full"] in word_text and "14:05" in word_text
    assert word.core_properties.language == {"da": "da-DK", "nn": "nn-NO"}[lang]
    archive = zipfile.ZipFile(io.BytesIO(fac.get(base + ".csv").content))
    agenda = archive.read("agenda.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(agenda), delimiter=";"))  # a decimal comma: semicolons
    assert any("14:05" in row for row in rows), rows
