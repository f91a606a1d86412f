"""The accessibility statement in real Chromium: a facilitator's page and a phone's join
and live pages have its link in their footer, it opens in the visitor's language with the
contact the operator gave `run.py serve --accessibility-contact`, and it reflows on a
320 px wide phone."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)
from tests.browser.rooms import PHONE
from tests.live_helpers import close_clients, facilitator_client, live_session

CONTACT = "uu@kommune.example"
USER, PASSWORD = "statement", "statement password 1"


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    close_clients()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """This module's server, told the operator's contact by the command-line flag."""
    live = LiveServer(tmp_path_factory.mktemp("server") / "samling.db")
    live.start_with(
        [
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(live.port),
            "--db",
            str(live.db_path),
            "--public-url",
            live.url,
            "--accessibility-contact",
            CONTACT,
        ]
    )
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module")
def code(server: LiveServer) -> str:
    """The code of a live session, run by the module's facilitator."""
    return live_session(server, facilitator_client(server, USER, PASSWORD)).code


def _footer_link(page: Page, text: str, at_least: int) -> None:
    """The footer's link to the statement, shown, with a target of at least this size."""
    link = page.locator("footer.site-foot a", has_text=text)
    expect(link).to_have_count(1)
    link.scroll_into_view_if_needed()
    expect(link).to_be_visible()
    language = page.locator("html").get_attribute("lang")
    expect(link).to_have_attribute("href", f"/tilgjengelighet?lang={language}")
    box = link.bounding_box()
    assert box and box["width"] >= at_least and box["height"] >= at_least, box


def test_a_facilitators_page_links_the_statement_in_its_footer(
    page: Page, server: LiveServer, code: str
) -> None:
    log_in(page, server, USER, PASSWORD)
    _footer_link(page, "Accessibility statement", 24)
    page.locator("footer.site-foot a").click()
    page.wait_for_url(re.compile(r"/tilgjengelighet\?lang=\w+$"))
    expect(page.locator("h1")).to_have_text("Accessibility statement")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h2")).to_have_text(
        [
            "What is checked, and how",
            "What is known not to conform",
            "When it was checked",
            "Report a barrier",
        ]
    )
    contact = page.locator("#accessibility-contact")
    expect(contact).to_have_text(CONTACT)
    expect(contact).to_have_attribute("href", "mailto:" + CONTACT)
    expect(page.locator("#reviewed")).to_have_attribute("datetime", "2026-12-01")


def test_a_phone_finds_the_statement_on_the_join_and_live_pages_in_its_language(
    browser: Browser, server: LiveServer, code: str
) -> None:
    context = new_context(browser, **{**PHONE, "locale": "da-DK"})
    problems = PageProblems()
    phone = watch(context.new_page(), problems)
    try:
        phone.goto(server.url + "/")
        _footer_link(phone, "Tilgængelighedserklæring", 44)
        phone.locator("footer.site-foot a").click()
        phone.wait_for_url(re.compile(r"/tilgjengelighet\?lang=\w+$"))
        expect(phone.locator("h1")).to_have_text("Tilgængelighedserklæring")
        expect(phone.locator("html")).to_have_attribute("lang", "da")
        expect(phone.locator("#accessibility-contact")).to_have_text(CONTACT)
        expect(phone.locator("#reviewed")).to_have_text("1. december 2026")
        # Reflow: on a 320 px wide phone nothing needs scrolling sideways.
        phone.set_viewport_size({"width": 320, "height": 640})
        assert phone.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
        phone.go_back()
        phone.wait_for_url(re.compile(r"/$"))
        phone.fill("#code", code)
        phone.locator("button[type=submit]").click()
        phone.wait_for_url(re.compile(rf"/s/{code}$"))
        # The live page's footer too, in the language the phone's page is in.
        link = phone.locator("footer.site-foot a")
        expect(link).to_have_count(1)
        title = link.inner_text()
        _footer_link(phone, title, 44)
        link.click()
        phone.wait_for_url(re.compile(r"/tilgjengelighet\?lang=\w+$"))
        expect(phone.locator("h1")).to_have_text(title)
        assert_clean(phone, problems)
    finally:
        context.close()
