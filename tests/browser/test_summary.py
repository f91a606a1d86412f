"""After the day, in real Chromium: the facilitator closes the demo session, opens its
summary from the closed control panel, reads the preview and downloads every format; the
programme's summary is one click from the programme page.

One server for the module (its first start makes the demo day); the facilitator in
bokmål, one phone answering two exercises, one of its answers hidden by the facilitator.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import docx
import openpyxl
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from tests.browser.conftest import (
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)
from tests.browser.rooms import join_phone

PHONE = {"viewport": {"width": 360, "height": 640}, "locale": "nb-NO", "is_mobile": True}
TASK = "Gruppeoppgave: det aller viktigste"
SHOWN = "Mot til å si nei – æøå 🙂"
HIDDEN = "Dette svaret skal skjules"
FORMULA = '=HYPERLINK("http://x")'


@dataclass
class Day:
    control: Page
    session_id: int
    programme_url: str


@pytest.fixture(scope="module")
def day(browser: Browser, server: LiveServer) -> Iterator[Day]:
    """The demo session run and closed: a phone's three answers, one hidden."""
    problems = PageProblems()
    contexts: list[BrowserContext] = []
    facilitator = new_context(browser, locale="nb-NO", viewport={"width": 1280, "height": 900})
    contexts.append(facilitator)
    control = watch(facilitator.new_page(), problems)
    log_in(control, server, "admin", server.admin_password)
    control.get_by_role("link", name="Lederutviklingsprogram 2027 (demo)").click()
    programme_url = control.url
    control.get_by_role("link", name="Samling 1").click()
    control.wait_for_url(re.compile(r"/sessions/\d+$"))
    session_id = int(control.url.rsplit("/", 1)[1])
    control.goto(f"{server.url}/sessions/{session_id}/control")
    control.click("#start-session")
    expect(control.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    code = control.inner_text("#control-code").replace(" ", "")

    phones: list[Page] = []
    phone_problems = PageProblems()
    for name in ("Kari Nordmann", "", ""):  # the demo's open text takes one answer a phone
        phone_context = new_context(browser, **PHONE)
        contexts.append(phone_context)
        phones.append(
            join_phone(watch(phone_context.new_page(), phone_problems), server, code, name=name)
        )
    try:
        item = re.search(
            r'id="control-item-(\d+)"[^>]*>(?:(?!</li>).)*' + re.escape(TASK),
            control.content(),
            re.S,
        )
        assert item, "the task is on the panel's agenda"
        control.click(f"#go-{item[1]}")
        expect(control.locator("#current-title")).to_have_text(TASK)
        for phone, text in zip(phones, (SHOWN, FORMULA, HIDDEN), strict=True):
            expect(phone.locator("#item-title")).to_have_text(TASK)
            phone.fill("#answer-text", text)
            phone.click("#answer-form button[type=submit]")
            expect(phone.locator("#own")).to_contain_text(text)
        row = control.locator(".responses li", has_text=HIDDEN)
        row.get_by_role("button", name="Skjul").click()
        expect(control.locator(".responses li.is-hidden", has_text=HIDDEN)).to_have_count(1)
        control.click("#close-session")
        control.click("#close-confirmed")
        expect(control.locator("#closed-badge")).to_be_visible()
        yield Day(control, session_id, programme_url)
        assert_clean(control, problems)
        for phone in phones:
            assert_clean(phone, phone_problems)
    finally:
        for context in contexts:
            context.close()


def test_the_closed_panel_leads_to_the_summary_and_its_preview(day: Day) -> None:
    control = day.control
    control.click("#record-summary")
    control.wait_for_url(re.compile(r"/sessions/\d+/summary$"))
    expect(control.locator("#summary-title")).to_have_text("Oppsummering av Samling 1")
    preview = control.locator("#summary-preview")
    expect(preview).to_contain_text(SHOWN)
    expect(preview).to_contain_text(FORMULA)
    expect(preview).not_to_contain_text(HIDDEN)
    expect(preview).to_contain_text(re.compile(r"1 svar skjult"))
    expect(preview).to_contain_text("Programmet slik det gikk")
    for fmt in ("html", "pdf", "docx", "xlsx", "csv"):
        expect(control.locator(f"#download-{fmt}")).to_be_visible()


def _download(page: Page, fmt: str) -> tuple[str, bytes]:
    with page.expect_download() as caught:
        page.click(f"#download-{fmt}")
    download = caught.value
    path = download.path()
    return download.suggested_filename, path.read_bytes()


def test_every_format_downloads_with_the_day_in_it(day: Day) -> None:
    control = day.control
    if not control.url.endswith("/summary"):
        control.goto(re.sub(r"/control$|$", "", control.url, count=1))
    names: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for fmt in ("html", "pdf", "docx", "xlsx", "csv"):
        names[fmt], files[fmt] = _download(control, fmt)
    assert names["html"] == names["pdf"].replace(".pdf", ".html")
    assert re.fullmatch(r"samling-1(-\d{4}-\d{2}-\d{2})?\.html", names["html"]), names
    assert names["csv"].endswith(".zip") and names["docx"].endswith(".docx")

    html = files["html"].decode()
    assert SHOWN in html and HIDDEN not in html
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages)
    assert "Mot til å si nei" in pdf_text.replace("\x00", "") and HIDDEN not in pdf_text
    word = docx.Document(io.BytesIO(files["docx"]))
    assert any(SHOWN in p.text for p in word.paragraphs)
    assert not any(HIDDEN in p.text for p in word.paragraphs)
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]))
    cells = [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert SHOWN in cells and HIDDEN not in cells
    assert "'" + FORMULA in cells or FORMULA not in cells  # neutralised, never a formula
    archive = zipfile.ZipFile(io.BytesIO(files["csv"]))
    every = "".join(archive.read(n).decode("utf-8-sig") for n in archive.namelist())
    assert SHOWN in every and HIDDEN not in every


def test_the_programme_page_leads_to_the_programme_s_summary(day: Day) -> None:
    control = day.control
    control.goto(day.programme_url)
    control.click("#programme-summary")
    control.wait_for_url(re.compile(r"/programmes/\d+/summary$"))
    expect(control.locator("#summary-title")).to_contain_text("Lederutviklingsprogram 2027")
    expect(control.locator("#summary-preview")).to_contain_text(SHOWN)
    name, data = _download(control, "docx")
    assert name.endswith(".docx") and data.startswith(b"PK")
