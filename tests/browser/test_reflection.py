"""Private reflections in real Chromium: a phone writes its answers, is shown its recovery
code, downloads its notes (text and a printable page), and at the programme's next session
sees them again, on a fresh browser after typing the code, and on the same phone by itself.
The facilitator's control panel only counts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import (
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)
from tests.browser.rooms import PHONE
from tests.integration.test_reflection import first_item, programme_of, started
from tests.live_helpers import close_clients, csrf_of, facilitator_client
from workshop.settings import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "reflection"
TODAY = "Ask the team before I decide æøå"
FIRST = "Trust, and a clear direction"


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    close_clients()


def _phone(browser: Browser) -> tuple[BrowserContext, Page, PageProblems]:
    context = new_context(browser, **PHONE, accept_downloads=True)
    problems = PageProblems()
    return context, watch(context.new_page(), problems), problems


def _join(page: Page, server: LiveServer, code: str) -> None:
    page.goto(f"{server.url}/j/{code}")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf"/s/{code}$"))
    expect(page.locator("#connection")).to_have_text("Connected")
    expect(page.locator("#reflection-form")).to_be_visible()


def _download(page: Page, link: str) -> str:
    with page.expect_download() as started_download:
        page.click(link)
    download = started_download.value
    return Path(download.path()).read_text(encoding="utf-8")


def test_a_phone_writes_downloads_and_finds_its_reflections_in_the_next_session(
    browser: Browser, server: LiveServer
) -> None:
    fac = facilitator_client(server, "reflector", "reflector password 1")
    programme = programme_of(fac)
    first, code1 = started(server, fac, programme, "Samling 1")

    context, phone, problems = _phone(browser)
    _join(phone, server, code1)
    expect(phone.locator("#stage")).to_contain_text("Only you see what you write here.")
    phone.fill("#reflection-answer-1", FIRST)
    phone.fill("#reflection-answer-2", TODAY)
    phone.click("#reflection-form button[type=submit]")
    expect(phone.locator("#reflection-status")).to_have_text("Saved")
    code = phone.locator("#recovery-code-value").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    # An edit keeps the one response; the code stays shown to this phone.
    phone.fill("#reflection-answer-2", TODAY + " – every Monday")
    phone.click("#reflection-form button[type=submit]")
    expect(phone.locator("#reflection-status")).to_have_text("Saved")
    expect(phone.locator("#recovery-code-value")).to_have_text(code)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "phone-saved.png"), full_page=True)

    text = _download(phone, "#reflection-download-txt")
    assert FIRST in text and TODAY + " – every Monday" in text
    printable = _download(phone, "#reflection-download-html")
    assert printable.lstrip().startswith("<!doctype html>") and FIRST in printable
    # The printable page, opened as the file it is, shows the notes (its style inline).
    saved = context.new_page()
    saved.set_content(printable)
    expect(saved.locator("h1")).to_have_text("My reflections")
    expect(saved.locator("dd").first).to_have_text(FIRST)
    saved.pdf()  # it prints
    saved.close()

    # The facilitator's control panel counts, and shows none of it.
    screen_context = new_context(browser, locale="en-GB")
    screen = screen_context.new_page()
    log_in(screen, server, "reflector", "reflector password 1")
    screen.goto(f"{server.url}/sessions/{first}/control")
    expect(screen.locator("#control")).to_contain_text("1 phone has written")
    assert FIRST not in screen.content() and TODAY not in screen.content()
    screen_context.close()

    csrf = csrf_of(fac)
    fac.post(f"/sessions/{first}/live/close", data={"csrf_token": csrf})
    # The phone is told the session ended, and still downloads its notes.
    expect(phone.locator("#stage")).to_contain_text("The session has ended")
    phone.goto(f"{server.url}/s/{code1}")
    expect(phone.locator("h1")).to_have_text("That session has ended.")
    kept = _download(phone, f"#own-downloads-{first_item(server, first)} a >> nth=0")
    assert FIRST in kept

    # The next session of the programme, on a fresh browser: the code brings the notes.
    second, code2 = started(server, fac, programme, "Samling 2")
    assert first_item(server, second)
    other_context, other, other_problems = _phone(browser)
    _join(other, server, code2)
    # Its earlier notes (none yet) came as a part of the page.
    expect(other.locator("section#reflection-earlier")).to_be_attached()
    expect(other.locator("#reflection-earlier")).not_to_contain_text(FIRST)
    other.click("#reflection-recover summary")
    other.fill("#reflection-code", code.lower().replace("-", " "))
    other.click("#reflection-recover button[type=submit]")
    earlier = other.locator("#reflection-earlier")
    expect(earlier).to_contain_text("What you wrote before")
    expect(earlier).to_contain_text(FIRST)
    expect(earlier).to_contain_text("Samling 1")
    other.screenshot(path=str(ARTIFACTS / "phone-recovered.png"), full_page=True)
    # The new questions are beside them, blank, to write today's.
    expect(other.locator("#reflection-answer-1")).to_have_value("")
    assert_clean(other, other_problems)
    other_context.close()

    # The same phone finds them by itself (its device cookie).
    _join(phone, server, code2)
    expect(phone.locator("#reflection-earlier")).to_contain_text(TODAY + " – every Monday")
    assert_clean(phone, problems)
    context.close()
