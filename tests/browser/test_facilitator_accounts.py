"""Facilitator accounts in real Chromium: logging in, the interface language, sharing.

One server for the module; the facilitators are made with the real command
line (language English). Every page is watched for CSP violations and script
errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

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

ACCOUNTS = {
    "host": "host password 1",
    "colleague": "colleague password 1",
    "outsider": "outsider password 1",
    "linguist": "linguist password 1",
}


@pytest.fixture(scope="module")
def accounts(server: LiveServer) -> dict[str, str]:
    for username, password in ACCOUNTS.items():
        server.add_facilitator(username, password)
    return ACCOUNTS


@contextmanager
def logged_in(browser: Browser, server: LiveServer, username: str) -> Iterator[Page]:
    """A second browser of its own, logged in as ``username``; checked for problems at the end."""
    context = new_context(browser, locale="en-GB")
    problems = PageProblems()
    try:
        page = watch(context.new_page(), problems)
        log_in(page, server, username, ACCOUNTS[username])
        yield page
        assert_clean(page, problems)
    finally:
        context.close()


def nav(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("header nav")


def test_a_wrong_password_keeps_you_at_the_login(
    server: LiveServer, accounts: dict[str, str], page: Page
) -> None:
    page.goto(server.url + "/programmes")
    page.wait_for_url(re.compile(r"/login\?next=/programmes$"))
    for username, password in (("host", "not the password"), ("nobody", "host password 1")):
        page.fill("#username", username)
        page.fill("#password", password)
        page.click("button[type=submit]")
        expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")
        assert urlparse(page.url).path == "/login"
        expect(page.locator("#username")).to_have_value(username)
        expect(page.locator("#password")).to_have_value("")
        expect(nav(page)).to_have_count(0)
    # The right password still works, and goes where the visitor was going.
    page.fill("#username", "host")
    page.fill("#password", accounts["host"])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/programmes$"))
    expect(page.locator("h1")).to_have_text("Programmes")


def test_switch_the_interface_language_and_back(
    server: LiveServer, accounts: dict[str, str], page: Page
) -> None:
    log_in(page, server, "linguist", accounts["linguist"])
    expect(nav(page).get_by_role("link", name="Programmes")).to_be_visible()
    nav(page).get_by_role("link", name="Linguist").click()
    page.wait_for_url(re.compile(r"/account$"))
    expect(page.locator("#language")).to_have_value("en")

    page.select_option("#language", "nb")
    page.get_by_role("button", name="Save language").click()
    page.wait_for_url(re.compile(r"/account\?done=language$"))
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(nav(page).get_by_role("link", name="Programmer", exact=True)).to_be_visible()
    expect(nav(page).get_by_role("button", name="Logg ut")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Språket er endret.")
    expect(page.locator("#language")).to_have_value("nb")
    # It is the account's language, not just this page's.
    page.goto(server.url + "/programmes")
    expect(page.locator("h1")).to_have_text("Programmer")

    page.goto(server.url + "/account")
    page.select_option("#language", "en")
    page.get_by_role("button", name="Lagre språk").click()
    page.wait_for_url(re.compile(r"/account\?done=language$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(nav(page).get_by_role("link", name="Programmes", exact=True)).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Language changed.")


def test_a_co_facilitator_shares_the_programme_and_others_do_not(
    browser: Browser, server: LiveServer, accounts: dict[str, str], page: Page
) -> None:
    log_in(page, server, "host", accounts["host"])
    page.fill("#title", "Shared programme")
    page.fill("#client", "Fjellbygd kommune")
    page.click("form[action='/programmes'] button[type=submit]")
    page.wait_for_url(re.compile(r"/programmes/\d+$"))
    programme_url = page.url
    page.fill("#session-title", "Shared day")
    page.click("form[action$='/sessions'] button[type=submit]")
    page.wait_for_url(re.compile(r"/sessions/\d+$"))
    session_url = page.url
    page.goto(programme_url)

    # An unknown username is refused by the field.
    page.fill("#invite-username", "nobody")
    page.get_by_role("button", name="Invite").click()
    expect(page.locator("#invite-username-error")).to_have_text("No facilitator has that username.")
    expect(page.locator("#facilitators > li")).to_have_count(1)

    page.fill("#invite-username", "colleague")
    page.get_by_role("button", name="Invite").click()
    page.wait_for_url(re.compile(r"/programmes/\d+\?done=invited$"))
    expect(page.get_by_role("status")).to_have_text("The programme is now shared.")
    people = page.locator("#facilitators > li")
    expect(people).to_have_count(2)
    expect(people.filter(has_text="(host)").locator(".badge")).to_have_text("Owner")
    expect(people.filter(has_text="(colleague)").locator(".badge")).to_have_text("Co-facilitator")

    # The co-facilitator sees it in their list, marked as shared, and can open it.
    with logged_in(browser, server, "colleague") as colleague:
        card = colleague.locator("#programmes > li", has_text="Shared programme")
        expect(card).to_have_count(1)
        expect(card.locator(".badge")).to_have_text("Co-facilitator")
        card.get_by_role("link", name="Shared programme").click()
        colleague.wait_for_url(programme_url)
        expect(colleague.locator("h1")).to_have_text("Shared programme")
        expect(colleague.locator("#invite-username")).to_have_count(0)  # the owner's to do
        colleague.locator("#sessions").get_by_role("link", name="Shared day").click()
        colleague.wait_for_url(session_url)
        expect(colleague.locator("#agenda-editor")).to_be_visible()

    # Anyone else: not in the list, and its addresses do not exist for them.
    with logged_in(browser, server, "outsider") as outsider:
        expect(outsider.get_by_text("Shared programme")).to_have_count(0)
        for url in (programme_url, session_url, session_url + "/agenda.toml"):
            response = outsider.goto(url)
            assert response is not None and response.status == 404, url
            expect(outsider.locator("h1")).to_have_text("Page not found.")
            expect(outsider.get_by_text("Shared")).to_have_count(0)
