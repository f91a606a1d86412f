"""The summary of a session, from a real server: a day of answers (one hidden, one that
looks like a formula), closed; its page and every format's download; who may have them;
and the command line's export of the same record.

The formats themselves are tested on hand-built records beside their modules; here the
whole path is: store → record → the export worker → the file a facilitator downloads.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from tests.browser.conftest import ROOT, LiveServer
from tests.integration.db import rows
from tests.live_helpers import OPEN, csrf_of, facilitator_client, join, live_session

AGENDA = """samling_agenda = 1

[[item]]
title = "Hva tar du med deg?"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "Hva tar du med deg fra i dag?"
answers_per_phone = 3
max_length = 200

[[item]]
title = "Avslutning"
duration = 5
kind = "talk"
"""

SHOWN = [
    "Tillit på tvers av sektorene – æøå 🙂",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
]
HIDDEN = "Et svar som ble skjult"


@pytest.fixture(scope="module")
def day(server: LiveServer) -> Iterator[dict[str, object]]:
    """A closed session with three shown answers and a hidden one; its facilitator (and a
    phone of the day), whose clients last for the module."""
    fac = facilitator_client(server, "oppsummerer", "oppsummerer passord 1")
    live = live_session(server, fac, agenda=AGENDA)
    item = live.item_ids[0]
    phones = [join(server, live.code) for _ in range(2)]
    for n, text in enumerate([*SHOWN, HIDDEN]):
        answered = phones[n % 2].do(item, "answer", {"text": text, "idem_key": f"key-{n:010d}"})
        assert answered.status_code == 200, answered.text
    hidden = rows(server.db_path, "SELECT id FROM responses WHERE value LIKE ?", f"%{HIDDEN}%")[0][
        0
    ]
    csrf = csrf_of(fac)
    marked = fac.post(
        f"/sessions/{live.id}/live/items/{item}/do/mark",
        data={"response": str(hidden), "hidden": "yes", "csrf_token": csrf},
        headers={"HX-Request": "true"},
    )
    assert marked.status_code == 204, marked.text
    closed = fac.post(f"/sessions/{live.id}/live/close", data={"csrf_token": csrf})
    assert closed.status_code in (204, 303)
    kept = list(OPEN)
    OPEN.clear()  # not closed after each test: the module's tests share them
    yield {"fac": fac, "session": live.id, "phone": phones[0]}
    for client in kept:
        client.close()


def _get(day: dict[str, object], path: str):  # type: ignore[no-untyped-def]
    return day["fac"].get(path)  # type: ignore[attr-defined]


def test_the_summary_page_previews_the_record_with_a_download_per_format(
    day: dict[str, object],
) -> None:
    page = _get(day, f"/sessions/{day['session']}/summary")
    assert page.status_code == 200
    for fmt in ("html", "pdf", "docx", "xlsx", "csv"):
        assert f'href="/sessions/{day["session"]}/summary.{fmt}"' in page.text
    preview = page.text.split('id="summary-preview"', 1)[1]
    assert "Tillit på tvers av sektorene – æøå 🙂" in preview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview and "<script>alert" not in preview
    assert HIDDEN not in page.text
    assert re.search(r"1 (answer|svar) (hidden|skjult)", preview), preview[:3000]


def test_each_format_holds_every_shown_answer_and_not_the_hidden_one(
    day: dict[str, object],
) -> None:
    base = f"/sessions/{day['session']}/summary"
    texts: dict[str, str] = {}
    html = _get(day, base + ".html")
    assert html.headers["content-type"].startswith("text/html")
    assert "attachment" in html.headers["content-disposition"]
    texts["html"] = html.text

    pdf = _get(day, base + ".pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    # pypdf reads the two-byte codes of a font without an emoji as a NUL before each character.
    reader = PdfReader(io.BytesIO(pdf.content))
    texts["pdf"] = "\n".join(p.extract_text().replace("\x00", "") for p in reader.pages)

    word = docx.Document(io.BytesIO(_get(day, base + ".docx").content))
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    texts["docx"] = "\n".join([p.text for p in word.paragraphs] + cells)

    book = openpyxl.load_workbook(io.BytesIO(_get(day, base + ".xlsx").content))
    values = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    strings = [v for v in values if isinstance(v, str)]
    assert not any(v.startswith("=") for v in strings), "a formula would run in Excel"
    texts["xlsx"] = "\n".join(strings)

    archive = zipfile.ZipFile(io.BytesIO(_get(day, base + ".csv").content))
    fields = []
    for name in archive.namelist():
        data = archive.read(name)
        assert data.startswith("\ufeff".encode()), name  # Excel reads æøå right
        fields += [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]
    assert not any(c.startswith("=") for c in fields)
    texts["csv"] = "\n".join(fields)

    for fmt, text in texts.items():
        assert HIDDEN not in text, fmt
        assert "Tillit på tvers av sektorene" in text, fmt
        assert "HYPERLINK" in text, fmt
    for fmt in ("docx", "xlsx", "csv"):  # verbatim (the spreadsheets neutralise the "=")
        assert "Tillit på tvers av sektorene – æøå 🙂" in texts[fmt], fmt
        assert "<script>alert(1)</script>" in texts[fmt], fmt
    assert "<script>alert(1)</script>" not in texts["html"]


def test_only_the_session_s_facilitators_get_its_summary(
    server: LiveServer, day: dict[str, object]
) -> None:
    other = facilitator_client(server, "en-annen", "en annen passord 1")
    phone = day["phone"].client  # type: ignore[attr-defined]
    for path in ("/summary", "/summary.html", "/summary.xlsx", "/summary.pdf"):
        url = f"/sessions/{day['session']}{path}"
        assert other.get(url).status_code == 404, url
        refused = phone.get(url, follow_redirects=False)
        assert refused.status_code in (303, 401), (url, refused.status_code)
        assert HIDDEN not in refused.text and "Tillit" not in refused.text
    assert _get(day, f"/sessions/{day['session']}/summary.exe").status_code == 404


def test_the_command_line_writes_the_same_record(
    server: LiveServer, day: dict[str, object], tmp_path: Path
) -> None:
    out = tmp_path / "dagen.xlsx"
    command = [sys.executable, str(ROOT / "run.py"), "export", "--db", str(server.db_path)]
    done = subprocess.run(
        [*command, "--session", str(day["session"]), "--format", "xlsx", "-o", str(out)],
        capture_output=True,
        text=True,
        env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out)
    values = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert "Tillit på tvers av sektorene – æøå 🙂" in values and HIDDEN not in values
    missing = subprocess.run(
        [*command, "--session", "987654", "--format", "html", "-o", str(tmp_path / "x.html")],
        capture_output=True,
        text=True,
        env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert missing.returncode == 1 and "No session with id 987654" in missing.stderr
    assert not (tmp_path / "x.html").exists()
