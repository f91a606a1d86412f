"""Turning the presenter's page by hand: Previous page / Next page on the control panel
turn every presenter of the session at once, one that asks for reduced motion (which never
pages by itself) and one that pages, wrapping at the ends, while paging is on or paused
(it stays paused); a reloaded presenter opens on the page turned to, and another item
starts at page 1.

A real day (presenter_day.py, seeded through the store) with a wall of 300 answers at
1280×720; the presenters' time is Playwright's clock, so "never by itself" is checked by
running it on, not by waiting. The control panel is used by keyboard alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import (
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)
from tests.browser.keyboard import activate, assert_focus_visible, focused, tab_to
from tests.browser.presenter_day import Day, seed

#: The presenter's page turn (static/js/present.js).
PAGE_MS = 20_000
WALL = "Tre hundre svar"
MARKER = "#present-results .fit-more"


@dataclass
class Room:
    server: LiveServer
    day: Day
    #: One context that asks for reduced motion, one that does not (the same login).
    still: BrowserContext
    moving: BrowserContext
    control: Page
    problems: PageProblems

    def post(self, path: str, form: dict[str, str]) -> None:
        headers = json.loads(self.control.get_attribute("body", "hx-headers") or "{}")
        url = f"{self.server.url}/sessions/{self.day.session_id}/live/{path}"
        answered = self.control.request.post(
            url, form=form, headers={**headers, "HX-Request": "true"}
        )
        assert answered.status == 204, answered.text()

    def go(self, title: str) -> None:
        self.post("go", {"item_id": str(self.day.items[title])})
        expect(self.control.locator("#current-title")).to_have_text(title)

    def presenter(self, context: BrowserContext) -> Page:
        page = watch(context.new_page(), self.problems)
        page.clock.install()
        page.set_viewport_size({"width": 1280, "height": 720})
        page.goto(f"{self.server.url}/sessions/{self.day.session_id}/present")
        expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
        return page

    def press(self, button: str) -> None:
        """Tab to a page button on the control panel (Previous page is just before Next
        page) and press Enter on it: the focus stays on it (the push that follows does not
        move it)."""
        if not self.control.evaluate("(id) => document.activeElement.id === id", button):
            tab_to(self.control, f"#{button}", backwards=button == "page-previous")
        activate(self.control)
        expect(self.control.locator(f"#{button}")).to_be_focused()
        assert_focus_visible(self.control, f"after {button}")


@pytest.fixture(scope="module")
def room(browser: Browser, server: LiveServer) -> Iterator[Room]:
    day = seed(server.db_path, "turner", "turner password 1")
    problems = PageProblems()
    still = new_context(browser, locale="en-GB", reduced_motion="reduce")
    moving = new_context(browser, locale="en-GB", reduced_motion="no-preference")
    try:
        control = watch(still.new_page(), problems)
        control.set_viewport_size({"width": 1280, "height": 900})
        log_in(control, server, day.username, day.password)
        moving.add_cookies(still.cookies())
        control.goto(f"{server.url}/sessions/{day.session_id}/control")
        yield Room(server, day, still, moving, control, problems)
        assert_clean(control, problems)
    finally:
        still.close()
        moving.close()


def _shown(page: Page) -> list[str]:
    return page.locator(".wall li:not(.fit-out)").all_inner_texts()


def _on(pages: tuple[Page, ...], text: str) -> None:
    for page in pages:
        expect(page.locator(MARKER)).to_have_text(text)


def test_previous_and_next_page_turn_every_presenter_and_wrap(room: Room) -> None:
    room.go(WALL)
    still = room.presenter(room.still)
    moving = room.presenter(room.moving)
    both = (still, moving)
    _on(both, re.compile(r"^Page 1 of \d+$"))  # type: ignore[arg-type]
    pages = int(still.inner_text(MARKER).rsplit(" ", 1)[1])
    assert pages >= 3, f"the wall needs pages to turn through: {pages}"
    assert moving.inner_text(MARKER) == f"Page 1 of {pages}"
    # The buttons: 24×24 at least, beside the paging switch.
    for button in ("page-previous", "page-next"):
        box = room.control.locator(f"#{button}").bounding_box()
        assert box is not None and box["width"] >= 24 and box["height"] >= 24, (button, box)
    expect(room.control.locator(".switches #paging-toggle")).to_have_text(
        "Pause paging on the screen"
    )
    assert_accessible(room.control, "the control panel with the page buttons")
    room.control.locator("#paging-toggle").focus()
    first = _shown(still)
    room.press("page-next")
    _on(both, f"Page 2 of {pages}")
    assert _shown(still) != first
    found = focused(room.control)
    assert found is not None and found.name == "Next page", found
    room.press("page-previous")
    _on(both, f"Page 1 of {pages}")
    assert _shown(still) == first
    # Wrapping: back from the first page is the last, on from the last the first.
    activate(room.control)
    _on(both, f"Page {pages} of {pages}")
    room.press("page-next")
    _on(both, f"Page 1 of {pages}")
    room.press("page-next")
    _on(both, f"Page 2 of {pages}")
    # The still screen never pages by itself; the moving one waits a whole turn after a
    # page turned by hand before it pages on.
    still.clock.run_for(PAGE_MS * 3)
    expect(still.locator(MARKER)).to_have_text(f"Page 2 of {pages}")
    moving.clock.run_for(PAGE_MS // 2)
    room.press("page-next")
    _on(both, f"Page 3 of {pages}")
    moving.clock.run_for(PAGE_MS - 2_000)
    expect(moving.locator(MARKER)).to_have_text(f"Page 3 of {pages}")
    moving.clock.run_for(3_000)
    expect(moving.locator(MARKER)).to_have_text(f"Page {4 % pages or pages} of {pages}")
    still.clock.run_for(PAGE_MS * 2)
    expect(still.locator(MARKER)).to_have_text(f"Page 3 of {pages}")
    assert_clean(still, room.problems)
    assert_clean(moving, room.problems)
    moving.close()

    # Paused: a turn keeps it paused, and a reloaded screen opens on the page turned to.
    room.post("switch", {"paging": "pause"})
    expect(still.locator("#present")).to_have_attribute("data-paging", "paused")
    expect(room.control.locator("#paging-toggle")).to_have_text("Resume paging on the screen")
    room.press("page-previous")
    expect(still.locator(MARKER)).to_have_text(f"Page 2 of {pages}")
    expect(still.locator("#present")).to_have_attribute("data-paging", "paused")
    expect(room.control.locator("#paging-toggle")).to_have_text("Resume paging on the screen")
    still.clock.run_for(PAGE_MS * 2)
    expect(still.locator(MARKER)).to_have_text(f"Page 2 of {pages}")
    still.reload()
    expect(still.locator("#connection")).to_have_attribute("data-state", "connected")
    expect(still.locator(MARKER)).to_have_text(f"Page 2 of {pages}")

    # Another item and back: its first page, paging again.
    room.go("Tretti svar")
    expect(still.locator("#present-title")).to_have_text("Tretti svar")
    room.go(WALL)
    expect(still.locator("#present")).to_have_attribute("data-paging", "on")
    expect(still.locator(MARKER)).to_have_text(f"Page 1 of {pages}")
    room.press("page-next")
    expect(still.locator(MARKER)).to_have_text(f"Page 2 of {pages}")
    assert_clean(still, room.problems)
    still.close()
