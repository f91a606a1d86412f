"""A response keeps the language its phone was using, and is marked as in that language
(``lang``) wherever it is shown in another one: the presenter, the control panel, the
phones, the summary and its HTML file. Responses stored before the migration have none."""

from __future__ import annotations

import asyncio
import io
import re
import sqlite3
from pathlib import Path

import docx
from docx.oxml.ns import qn

from tests.browser.conftest import LiveServer
from tests.integration.db import rows
from tests.live_helpers import csrf_of, facilitator_client, join, live_session
from workshop.store.db import migrate_file
from workshop.store.migrations import MIGRATIONS

AGENDA = """samling_agenda = 1

[[item]]
title = "Hvad tager du med?"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "Hvad tager du med dig fra i dag?"
answers_per_phone = 3
max_length = 200

[[item]]
title = "Spørgsmål"
duration = 10
kind = "exercise"
exercise = "qa"

[item.settings]
question = "Hvad undrer du dig over?"
questions_per_phone = 3
max_length = 280
anonymous = false
"""
QUESTION = "Kva skjer no?"

DANISH = "Tillid på tværs"
NYNORSK = "Tillit på tvers av sektorane"


def _lang_of(html: str, text: str) -> str | None:
    """The lang attribute on the element that holds ``text`` directly (None: none)."""
    found = re.search(r"<(?:li|span|p)\b([^>]*)>(?:\u2068)?" + re.escape(text), html)
    assert found, (text, html[:300])
    lang = re.search(r'\blang="([a-z]+)"', found[1])
    return lang[1] if lang else None


def test_each_answer_is_marked_with_its_phone_s_language_where_the_page_s_differs(
    server: LiveServer,
) -> None:
    fac = facilitator_client(server, "sprog", "sprog password 1")  # an English account
    live = live_session(server, fac, agenda=AGENDA)
    csrf = csrf_of(fac)
    chose = fac.post(f"/sessions/{live.id}/language", data={"language": "da", "csrf_token": csrf})
    assert chose.status_code == 303
    item = live.item_ids[0]
    dane = join(server, live.code)  # speaks the session's Danish
    norwegian = join(server, live.code)
    assert norwegian.client.get(f"/s/{live.code}?lang=nn").status_code == 303
    for phone, text, key in ((dane, DANISH, "a" * 16), (norwegian, NYNORSK, "b" * 16)):
        sent = phone.do(item, "answer", {"text": text, "idem_key": key})
        assert sent.status_code == 200, sent.text

    stored = dict(
        rows(server.db_path, "SELECT json_extract(value, '$.text'), language FROM responses")
    )
    assert stored == {DANISH: "da", NYNORSK: "nn"}

    # The presenter speaks Danish: only the nynorsk answer is marked.
    presenter = fac.get(f"/sessions/{live.id}/present").text
    assert _lang_of(presenter, DANISH) is None and _lang_of(presenter, NYNORSK) == "nn"
    # The control panel is in the facilitator's English: both are marked.
    control = fac.get(f"/sessions/{live.id}/control").text
    assert _lang_of(control, DANISH) == "da" and _lang_of(control, NYNORSK) == "nn"
    # Each phone's own answer is in its page's language.
    assert _lang_of(dane.client.get(f"/s/{live.code}").text, DANISH) is None
    assert _lang_of(norwegian.client.get(f"/s/{live.code}").text, NYNORSK) is None
    # A Danish phone that switches to English sees its own answer marked as Danish.
    assert dane.client.get(f"/s/{live.code}?lang=en").status_code == 303
    assert _lang_of(dane.client.get(f"/s/{live.code}").text, DANISH) == "da"

    # The summary (in the facilitator's English) and its HTML file.
    summary = fac.get(f"/sessions/{live.id}/summary").text
    assert _lang_of(summary, DANISH) == "da" and _lang_of(summary, NYNORSK) == "nn"
    exported = fac.get(f"/sessions/{live.id}/summary.html").text
    assert '<html lang="en"' in exported
    assert _lang_of(exported, DANISH) == "da" and _lang_of(exported, NYNORSK) == "nn"
    # The Word file: each answer's run says its language, for Word's spelling.
    word = docx.Document(io.BytesIO(fac.get(f"/sessions/{live.id}/summary.docx").content))
    tags = {
        run.text: [e.get(qn("w:val")) for e in run._r.iter(qn("w:lang"))]
        for p in word.paragraphs
        for run in p.runs
    }
    assert tags[DANISH] == ["da-DK"] and tags[NYNORSK] == ["nn-NO"]
    assert word.core_properties.language == "en-GB"


def test_a_question_is_marked_with_its_phone_s_language_too(server: LiveServer) -> None:
    fac = facilitator_client(server, "spoerg", "spoerg password 1")
    live = live_session(server, fac, agenda=AGENDA)
    csrf = csrf_of(fac)
    fac.post(f"/sessions/{live.id}/language", data={"language": "da", "csrf_token": csrf})
    stepped = fac.post(f"/sessions/{live.id}/live/step", data={"by": "1", "csrf_token": csrf})
    assert stepped.status_code == 303
    phone = join(server, live.code)
    assert phone.client.get(f"/s/{live.code}?lang=nn").status_code == 303
    asked = phone.do(live.item_ids[1], "answer", {"text": QUESTION, "idem_key": "c" * 16})
    assert asked.status_code == 200, asked.text
    presenter = fac.get(f"/sessions/{live.id}/present").text
    assert _lang_of(presenter, QUESTION) == "nn"
    other = join(server, live.code)  # a Danish phone sees the question to vote for
    assert _lang_of(other.client.get(f"/s/{live.code}").text, QUESTION) == "nn"
    exported = fac.get(f"/sessions/{live.id}/summary.html").text
    assert _lang_of(exported, QUESTION) == "nn"


def test_responses_from_before_the_migration_have_no_language(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    ours = next(n for n, m in enumerate(MIGRATIONS) if "responses ADD COLUMN language" in m)
    asyncio.run(migrate_file(path, upto=ours))  # MIGRATIONS[:ours]: the file before it
    conn = sqlite3.connect(path)
    try:
        before = {row[1] for row in conn.execute("PRAGMA table_info(responses)")}
    finally:
        conn.close()
    assert "language" not in before
    asyncio.run(migrate_file(path, upto=len(MIGRATIONS)))
    conn = sqlite3.connect(path)
    try:
        columns = {row[1]: row for row in conn.execute("PRAGMA table_info(responses)")}
    finally:
        conn.close()
    assert columns["language"][3] == 1 and columns["language"][4] == "''"  # NOT NULL, ''
