"""A live room for browser tests: a facilitator's control panel and presenter screen, and
phones that joined, on a session whose agenda is imported from a TOML text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import (
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)

PHONE = {"viewport": {"width": 360, "height": 640}, "locale": "en-GB", "is_mobile": True}


@dataclass
class LiveRoom:
    facilitator: BrowserContext
    problems: PageProblems
    control: Page
    presenter: Page
    phones: list[Page]
    #: Agenda items by title.
    items: dict[str, int]
    programme_id: int
    session_id: int

    def go(self, title: str) -> int:
        """Go to an item; every screen and phone shows it."""
        item = self.items[title]
        if self.control.locator(f"#control-item-{item}.current").count() == 0:
            self.control.click(f"#go-{item}")
        expect(self.presenter.locator("#present-title")).to_have_text(title)
        expect(self.control.locator("#current-title")).to_have_text(title)
        for phone in self.phones:
            expect(phone.locator("#item-title")).to_have_text(title)
        return item


def join_phone(
    page: Page, server: LiveServer, code: str, *, name: str = "", group: str = ""
) -> Page:
    """Join the session of ``code`` on ``page`` by its QR link, with the name and the group
    when given, and wait until the live page is connected."""
    page.goto(f"{server.url}/j/{code}")
    if name:
        page.fill("#name", name)
    if group:
        page.select_option("#group", label=group)
    page.click("button[type=submit]")
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    return page


def import_agenda(server: LiveServer, session_id: int, agenda: str, folder: Path) -> None:
    """Replace a (not yet started) session's agenda with a TOML text."""
    server.import_agenda(session_id, agenda)


@contextmanager
def live_room(
    browser: Browser,
    server: LiveServer,
    folder: Path,
    *,
    username: str,
    title: str,
    agenda: str,
    phones: int = 3,
    phone: dict[str, object] | None = None,
) -> Iterator[LiveRoom]:
    """A started session with the agenda, the control panel and presenter open, and
    ``phones`` phones (browser contexts made with ``phone``) joined by the QR link. On
    leaving, no page may have had a script error or a CSP violation."""
    password = f"{username} password 1"
    server.add_facilitator(username, password)
    problems = PageProblems()
    facilitator = new_context(browser, locale="en-GB", viewport={"width": 1280, "height": 900})
    control = watch(facilitator.new_page(), problems)
    log_in(control, server, username, password)
    control.fill("#title", f"{title} programme")
    control.click("form[action='/programmes'] button[type=submit]")
    control.wait_for_url(re.compile(r"/programmes/\d+$"))
    programme_id = int(control.url.rsplit("/", 1)[1])
    control.fill("#session-title", f"{title} day")
    control.click("form[action$='/sessions'] button[type=submit]")
    control.wait_for_url(re.compile(r"/sessions/\d+$"))
    session_id = int(control.url.rsplit("/", 1)[1])
    import_agenda(server, session_id, agenda, folder)
    control.goto(f"{server.url}/sessions/{session_id}/control")
    control.click("#start-session")
    expect(control.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    code = control.inner_text("#control-code").replace(" ", "")
    ids = [int(i) for i in re.findall(r'id="control-item-(\d+)"', control.content())]
    titles = re.findall(r'^title = "(.*)"$', agenda, flags=re.M)
    items = dict(zip(titles, ids, strict=True))
    presenter = watch(facilitator.new_page(), problems)
    presenter.set_viewport_size({"width": 1600, "height": 900})
    presenter.goto(f"{server.url}/sessions/{session_id}/present")
    contexts: list[BrowserContext] = []
    joined: list[Page] = []
    phone_problems: list[PageProblems] = []
    for _ in range(phones):
        ctx = new_context(browser, **(phone or PHONE))
        contexts.append(ctx)
        found = PageProblems()
        phone_problems.append(found)
        joined.append(join_phone(watch(ctx.new_page(), found), server, code))
    try:
        yield LiveRoom(
            facilitator, problems, control, presenter, joined, items, programme_id, session_id
        )
        for page, found in zip(joined, phone_problems, strict=True):
            assert_clean(page, found)
        assert_clean(control, problems)
        assert_clean(presenter, problems)
    finally:
        for ctx in contexts:
            ctx.close()
        facilitator.close()
