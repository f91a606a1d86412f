"""prefers-reduced-motion: nothing on the screens moves by itself.

A presenter and a phone-sized page opened with Playwright's ``reduced_motion="reduce"``
beside ones without it, on a real day (presenter_day.py, seeded through the store): the
long wall of answers stays on its first page however long the clock runs (Playwright's
clock) until the facilitator resumes paging; nothing animates or has a transition; the
phase box that flashes at the end of a phase is marked without the flash.

The facilitator turns the page by hand: Previous page / Next page on the control panel
(used by keyboard alone) turn both presenters at once, wrapping at the ends, while paging
is on or paused (it stays paused); the still screen still never pages by itself, the other
waits a whole turn after a page turned by hand; a reloaded presenter opens on the page
turned to, and another item starts at page 1.
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

# Every element whose computed style would move: an animation or a transition.
MOVING = """() => [...document.querySelectorAll("*")].flatMap((el) => {
  const s = getComputedStyle(el);
  const moves = [];
  if (s.animationName !== "none") moves.push(`animation ${s.animationName}`);
  if (s.transitionDuration.split(",").some((d) => parseFloat(d) > 0))
    moves.push(`transition ${s.transitionProperty} ${s.transitionDuration}`);
  return moves.map((m) => `<${el.tagName.toLowerCase()} id="${el.id}"> ${m}`);
})"""


@dataclass
class Facilitator:
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

    def presenter(self, context: BrowserContext, *, clock: bool = False) -> Page:
        page = watch(context.new_page(), self.problems)
        if clock:
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
def facilitator(browser: Browser, server: LiveServer) -> Iterator[Facilitator]:
    day = seed(server.db_path, "still", "still password 1")
    problems = PageProblems()
    still = new_context(browser, locale="en-GB", reduced_motion="reduce")
    moving = new_context(browser, locale="en-GB", reduced_motion="no-preference")
    try:
        control = watch(still.new_page(), problems)
        log_in(control, server, day.username, day.password)
        moving.add_cookies(still.cookies())
        control.goto(f"{server.url}/sessions/{day.session_id}/control")
        yield Facilitator(server, day, still, moving, control, problems)
        assert_clean(control, problems)
    finally:
        still.close()
        moving.close()


def test_the_wall_stays_on_its_page_until_the_facilitator_resumes_paging(
    facilitator: Facilitator,
) -> None:
    facilitator.go("Tre hundre svar")
    still = facilitator.presenter(facilitator.still, clock=True)
    moving = facilitator.presenter(facilitator.moving, clock=True)
    for page in (still, moving):
        expect(page.locator("#present-results .fit-more")).to_have_text(
            re.compile(r"^Page 1 of \d+$")
        )
    pages = int(still.inner_text("#present-results .fit-more").rsplit(" ", 1)[1])
    first = still.inner_text(".wall li:not(.fit-out)")
    # Without the preference the wall pages (the check that the clock drives the turn).
    moving.clock.run_for(PAGE_MS)
    expect(moving.locator("#present-results .fit-more")).to_have_text(f"Page 2 of {pages}")
    still.clock.run_for(PAGE_MS * 3)
    expect(still.locator("#present-results .fit-more")).to_have_text(f"Page 1 of {pages}")
    assert still.inner_text(".wall li:not(.fit-out)") == first
    assert still.evaluate(MOVING) == []
    # The facilitator's own choice: pause, then resume; now this screen pages too.
    facilitator.post("switch", {"paging": "pause"})
    expect(still.locator("#present")).to_have_attribute("data-paging", "paused")
    facilitator.post("switch", {"paging": "resume"})
    expect(still.locator("#present")).to_have_attribute("data-paging", "on")
    still.clock.run_for(PAGE_MS)
    expect(still.locator("#present-results .fit-more")).to_have_text(f"Page 2 of {pages}")
    assert_clean(still, facilitator.problems)
    assert_clean(moving, facilitator.problems)
    still.close()
    moving.close()


def test_the_end_of_a_phase_is_marked_without_a_flash(facilitator: Facilitator) -> None:
    facilitator.go("Samskaping")
    still = facilitator.presenter(facilitator.still)
    moving = facilitator.presenter(facilitator.moving)
    for page in (still, moving):
        expect(page.locator("#phase")).to_be_attached()
    if facilitator.control.locator("#timer-start").count():
        facilitator.control.click("#timer-start")
    expect(facilitator.control.locator("#phase-next")).to_be_attached()
    facilitator.post("timer", {"action": "skip"})
    for page in (still, moving):
        expect(page.locator("#phase")).to_have_class(re.compile(r"\bchanged\b"))
    animation = "(el) => getComputedStyle(el).animationName"
    assert moving.locator("#phase").evaluate(animation) == "phase-flash"
    assert still.locator("#phase").evaluate(animation) == "none"
    # Marked all the same: the box is tinted, and stays so.
    tint = still.locator("#phase").evaluate("(el) => getComputedStyle(el).backgroundColor")
    assert tint not in ("rgba(0, 0, 0, 0)", "transparent"), tint
    assert still.evaluate(MOVING) == []
    assert_clean(still, facilitator.problems)
    assert_clean(moving, facilitator.problems)
    still.close()
    moving.close()


def test_the_control_panel_and_a_phone_sized_page_do_not_move(facilitator: Facilitator) -> None:
    facilitator.go("Tretti svar")
    facilitator.control.reload()
    expect(facilitator.control.locator("#current-title")).to_have_text("Tretti svar")
    assert facilitator.control.evaluate(MOVING) == []
    page = watch(facilitator.still.new_page(), facilitator.problems)
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(f"{facilitator.server.url}/")
    expect(page.locator("#code")).to_be_attached()
    assert page.evaluate(MOVING) == []
    assert_clean(page, facilitator.problems)
    page.close()


def _shown(page: Page) -> list[str]:
    return page.locator(".wall li:not(.fit-out)").all_inner_texts()


def _on(pages: tuple[Page, ...], text: str) -> None:
    for page in pages:
        expect(page.locator(MARKER)).to_have_text(text)


def test_previous_and_next_page_turn_every_presenter_and_wrap(facilitator: Facilitator) -> None:
    facilitator.go(WALL)
    still = facilitator.presenter(facilitator.still, clock=True)
    moving = facilitator.presenter(facilitator.moving, clock=True)
    both = (still, moving)
    _on(both, re.compile(r"^Page 1 of \d+$"))  # type: ignore[arg-type]
    pages = int(still.inner_text(MARKER).rsplit(" ", 1)[1])
    assert pages >= 3, f"the wall needs pages to turn through: {pages}"
    assert moving.inner_text(MARKER) == f"Page 1 of {pages}"
    # The buttons: 24×24 at least, beside the paging switch.
    for button in ("page-previous", "page-next"):
        box = facilitator.control.locator(f"#{button}").bounding_box()
        assert box is not None and box["width"] >= 24 and box["height"] >= 24, (button, box)
    expect(facilitator.control.locator(".switches #paging-toggle")).to_have_text(
        "Pause paging on the screen"
    )
    assert_accessible(facilitator.control, "the control panel with the page buttons")
    facilitator.control.locator("#paging-toggle").focus()
    first = _shown(still)
    facilitator.press("page-next")
    _on(both, f"Page 2 of {pages}")
    assert _shown(still) != first
    found = focused(facilitator.control)
    assert found is not None and found.name == "Next page", found
    facilitator.press("page-previous")
    _on(both, f"Page 1 of {pages}")
    assert _shown(still) == first
    # Wrapping: back from the first page is the last, on from the last the first.
    activate(facilitator.control)
    _on(both, f"Page {pages} of {pages}")
    facilitator.press("page-next")
    _on(both, f"Page 1 of {pages}")
    facilitator.press("page-next")
    _on(both, f"Page 2 of {pages}")
    # The still screen never pages by itself; the moving one waits a whole turn after a
    # page turned by hand before it pages on.
    still.clock.run_for(PAGE_MS * 3)
    expect(still.locator(MARKER)).to_have_text(f"Page 2 of {pages}")
    moving.clock.run_for(PAGE_MS // 2)
    facilitator.press("page-next")
    _on(both, f"Page 3 of {pages}")
    moving.clock.run_for(PAGE_MS - 2_000)
    expect(moving.locator(MARKER)).to_have_text(f"Page 3 of {pages}")
    moving.clock.run_for(3_000)
    expect(moving.locator(MARKER)).to_have_text(f"Page {4 % pages or pages} of {pages}")
    still.clock.run_for(PAGE_MS * 2)
    expect(still.locator(MARKER)).to_have_text(f"Page 3 of {pages}")
    assert_clean(still, facilitator.problems)
    assert_clean(moving, facilitator.problems)
    moving.close()

    # Paused: a turn keeps it paused, and a reloaded screen opens on the page turned to.
    facilitator.post("switch", {"paging": "pause"})
    expect(still.locator("#present")).to_have_attribute("data-paging", "paused")
    expect(facilitator.control.locator("#paging-toggle")).to_have_text(
        "Resume paging on the screen"
    )
    facilitator.press("page-previous")
    expect(still.locator(MARKER)).to_have_text(f"Page 2 of {pages}")
    expect(still.locator("#present")).to_have_attribute("data-paging", "paused")
    expect(facilitator.control.locator("#paging-toggle")).to_have_text(
        "Resume paging on the screen"
    )
    still.clock.run_for(PAGE_MS * 2)
    expect(still.locator(MARKER)).to_have_text(f"Page 2 of {pages}")
    still.reload()
    expect(still.locator("#connection")).to_have_attribute("data-state", "connected")
    expect(still.locator(MARKER)).to_have_text(f"Page 2 of {pages}")

    # Another item and back: its first page, paging again.
    facilitator.go("Tretti svar")
    expect(still.locator("#present-title")).to_have_text("Tretti svar")
    facilitator.go(WALL)
    expect(still.locator("#present")).to_have_attribute("data-paging", "on")
    expect(still.locator(MARKER)).to_have_text(f"Page 1 of {pages}")
    facilitator.press("page-next")
    expect(still.locator(MARKER)).to_have_text(f"Page 2 of {pages}")
    assert_clean(still, facilitator.problems)
    still.close()
