"""The presenter is one 16:9 frame: at 1280×720, 1366×768 and 1920×1080 it never scrolls
and never cuts or overlaps text, for every kind and state of a real day (presenter_day.py),
and answer text is never under 24 px at 1280×720. The join code is large while the room
joins and a corner badge after; the facilitator switches it, the themes view and the
paging from the control panel.

One server and one day for the module, seeded through the store; one presenter page that
the facilitator's commands move from item to item, its window resized for each size.
Screenshots go to test-artifacts/presenter/.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import (
    ROOT,
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)
from tests.browser.presenter_day import Day, seed
from tests.browser.rooms import PHONE

SIZES = [(1280, 720), (1366, 768), (1920, 1080)]
ARTIFACTS = ROOT / "test-artifacts" / "presenter"
#: The answers' smallest font: 24 px at 1280×720, as much of the height at other sizes.
ANSWER_MIN_AT_720 = 24.0
#: The presenter's page turn (static/js/present.js).
PAGE_MS = 20_000

# Everything the room would see that is wrong with the frame now: it scrolls; a text is
# outside the window or cut by a box that clips it; two texts (or a text and a picture)
# lie over each other; answer text is too small; a highlighted answer is left out.
MEASURE = """
([answers, minimum]) => {
  const W = window.innerWidth, H = window.innerHeight, problems = [];
  const page = document.scrollingElement;
  if (page.scrollHeight > H || page.scrollWidth > W)
    problems.push(`the page scrolls: ${page.scrollWidth}×${page.scrollHeight}`);
  const clippers = new Map();
  function clipsOf(el) {
    if (clippers.has(el)) return clippers.get(el);
    const found = [];
    for (let up = el.parentElement; up && up !== document.documentElement; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowX !== "visible" || style.overflowY !== "visible") found.push(up);
    }
    clippers.set(el, found);
    return found;
  }
  const inside = (r, box) => r.left >= box.left - 1 && r.right <= box.right + 1 &&
    r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
  const view = {left: 0, top: 0, right: W, bottom: H};
  const pieces = [];
  function check(el, rects, what) {
    for (const r of rects) {
      if (!inside(r, view)) problems.push(`outside the window: ${what}`);
      for (const box of clipsOf(el))
        if (!inside(r, box.getBoundingClientRect())) {
          problems.push(`cut by ${box.tagName.toLowerCase()}.${box.className}: ${what}`);
          break;
        }
    }
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.nodeValue.trim() || !el) continue;
    if (el.closest("[hidden], script, style, title, noscript, .visually-hidden")) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    let rects;
    if (el instanceof SVGElement) rects = [el.getBoundingClientRect()];
    else {
      const range = document.createRange();
      range.selectNodeContents(node);
      rects = Array.from(range.getClientRects());
    }
    rects = rects.filter((r) => r.width > 0.5 && r.height > 0.5);
    if (!rects.length) continue;
    const what = JSON.stringify(node.nodeValue.trim().slice(0, 50));
    check(el, rects, what);
    pieces.push({node, rects, what});
  }
  // Pictures too (the QR code, a bar): an SVG with text of its own is a chart, checked by
  // its text.
  for (const el of document.querySelectorAll("img, svg, input")) {
    if (el.parentElement.closest("svg") || el.querySelector("text")) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 0.5 || r.height < 0.5) continue;
    const what = `<${el.tagName.toLowerCase()} class="${el.getAttribute("class") || ""}">`;
    check(el, [r], what);
    pieces.push({node: el, rects: [r], what});
  }
  const overlap = (a, b) => {
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    return w > 2 && h > 0.25 * Math.min(a.height, b.height) && h > 2;
  };
  for (let i = 0; i < pieces.length; i++)
    for (let j = i + 1; j < pieces.length; j++) {
      const a = pieces[i], b = pieces[j];
      if (a.node.contains(b.node) || b.node.contains(a.node)) continue;
      if (a.rects.some((r) => b.rects.some((s) => overlap(r, s))))
        problems.push(`overlap: ${a.what} and ${b.what}`);
    }
  const sizes = [];
  if (answers) for (const el of document.querySelectorAll(answers)) {
    const r = el.getBoundingClientRect();
    if (r.width > 0.5 && r.height > 0.5) sizes.push(parseFloat(getComputedStyle(el).fontSize));
  }
  const small = sizes.filter((s) => s < minimum - 0.05);
  if (small.length)
    problems.push(`answer text under ${minimum.toFixed(1)} px: ${Math.min(...small)} px`);
  for (const el of document.querySelectorAll("#present-results .highlighted")) {
    const r = el.getBoundingClientRect();
    if (r.width < 0.5 || r.height < 0.5)
      problems.push(`a highlighted answer is left out: ${el.textContent.slice(0, 40)}`);
  }
  return {problems: [...new Set(problems)], answers: sizes.length};
}
"""

# After the window changed or content came: the page's own fitting has run.
SETTLED = """
async () => {
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return true;
}
"""


@dataclass
class Case:
    """One state of the presenter: an agenda item, switches set on it, what to wait for."""

    name: str
    title: str
    switches: list[dict[str, str]] = field(default_factory=list)
    #: The answers' text (their font size is checked), and how many at least are shown.
    answers: str = ""
    shown: int = 0
    #: An element that shows once the screen is complete (a drawn cloud, a switch's effect).
    ready: str = ""
    #: What the screen must show beside fitting.
    shows: list[str] = field(default_factory=list)


CASES = [
    Case("welcome", "Velkommen til første samling", shows=[".join-large #join-code"]),
    Case("open_text_0", "Ingen svar ennå", shows=[".join-corner #join-code", ".wall-empty"]),
    Case("open_text_3", "Tre svar", answers=".wall li", shown=3),
    Case("open_text_30", "Tretti svar", answers=".wall li", shown=8),
    Case(
        "open_text_30_large_code",
        "Tretti svar",
        [{"banner": "large"}],
        answers=".wall li",
        shown=4,
        ready=".present.banner-large .join-large",
    ),
    Case(
        "open_text_30_no_code",
        "Tretti svar",
        [{"banner": "hidden"}],
        answers=".wall li",
        shown=8,
        ready=".present.banner-hidden",
    ),
    Case(
        "open_text_300",
        "Tre hundre svar",
        answers=".wall li",
        shown=8,
        shows=[".fit-more"],
    ),
    Case(
        "themes",
        "Oppsummering",
        [{"view": "themes"}],
        answers=".theme-answers li",
        shown=8,
        ready="#present-themes .theme",
    ),
    Case("word_cloud_300", "Ordsky", ready="svg.cloud text"),
    Case("scale_radar_12", "Kompetansehjulet", ready="svg.radar"),
    Case("scale_bars_12", "Kompetansene i stolper"),
    Case(
        "evaluation_30",
        "Evaluering",
        answers=".eval-answers li",
        shown=6,
        shows=[".eval-mean-value", ".eval-histogram"],
    ),
    Case("reflection_10", "Refleksjon", shows=[".reflection-count", ".reflection-questions"]),
    Case("choice_20", "Valg"),
    Case("points_20", "Poeng"),
    Case(
        "qa_60",
        "Spørsmål til ledelsen",
        answers=".qa-list .qa-text",
        shown=5,
        shows=[".fit-more"],
    ),
    Case(
        "plenary_8x12",
        "Samskaping",
        answers=".group-list li",
        shown=8,
        shows=["#phase-name", ".group-list"],
    ),
    Case(
        "poster_plenary_8x6",
        "Formålsplakaten",
        answers=".poster-list li",
        shown=8,
        shows=["#phase-name", ".poster-list", ".poster-plenary > .poster-preamble", ".poster-dots"],
    ),
    Case(
        "poster_common_15",
        "Felles formålsplakat",
        answers=".poster-common-points li",
        shown=6,
        shows=[".poster-common-screen > .poster-preamble"],
    ),
    Case("break", "Pause", shows=["#countdown"]),
    Case("talk", "Kommunedirektøren om veien videre"),
]


@dataclass
class Screen:
    """The facilitator's browser: the presenter page, and their commands posted from it."""

    server: LiveServer
    day: Day
    page: Page
    problems: PageProblems

    def post(self, path: str, form: dict[str, str]) -> None:
        headers = json.loads(self.page.get_attribute("body", "hx-headers") or "{}")
        url = f"{self.server.url}/sessions/{self.day.session_id}/live/{path}"
        answered = self.page.request.post(url, form=form, headers={**headers, "HX-Request": "true"})
        assert answered.status == 204, answered.text()

    def go(self, title: str) -> None:
        """Go to an item, as the control panel does; wait until the screen shows it."""
        self.post("go", {"item_id": str(self.day.items[title])})
        expect(self.page.locator("#present-title")).to_have_text(title)

    def settle(self, ready: str = "") -> None:
        """Wait until the screen is complete and fitted to the window as it is."""
        if ready:
            expect(self.page.locator(ready).first).to_be_attached()
        size = self.page.viewport_size
        assert size is not None
        fitted = f"{size['width']}x{size['height']}"
        expect(self.page.locator("#present")).to_have_attribute("data-fitted", fitted)
        self.page.evaluate(SETTLED)


@pytest.fixture(scope="module")
def day(server: LiveServer) -> Day:
    return seed(server.db_path, "presenter", "presenter password 1")


@pytest.fixture(scope="module")
def facilitator(browser: Browser, server: LiveServer, day: Day) -> Iterator[BrowserContext]:
    context = new_context(browser, locale="en-GB", viewport={"width": 1280, "height": 720})
    login = context.new_page()
    log_in(login, server, day.username, day.password)
    login.close()
    yield context
    context.close()


@pytest.fixture(scope="module")
def screen(facilitator: BrowserContext, server: LiveServer, day: Day) -> Iterator[Screen]:
    problems = PageProblems()
    page = watch(facilitator.new_page(), problems)
    page.goto(f"{server.url}/sessions/{day.session_id}/present")
    expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    yield Screen(server, day, page, problems)
    assert_clean(page, problems)
    page.close()


#: What puts a switch back as the next case expects it.
UNDO = {"banner": "auto", "view": "results", "paging": "resume"}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_presenter_fits_the_frame_at_every_size(screen: Screen, case: Case) -> None:
    page = screen.page
    screen.go(case.title)
    for switch in case.switches:
        screen.post("switch", switch)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    found: dict[str, list[str]] = {}
    try:
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            screen.settle(case.ready)
            page.screenshot(path=str(ARTIFACTS / f"{case.name}-{width}x{height}.png"))
            minimum = ANSWER_MIN_AT_720 * height / 720
            measured = page.evaluate(MEASURE, [case.answers, minimum])
            if measured["problems"]:
                found[f"{width}×{height}"] = measured["problems"]
            if case.answers:
                assert measured["answers"] >= case.shown, (width, height, measured)
            for selector in case.shows:
                expect(page.locator(selector).first).to_be_visible()
    finally:
        for switch in case.switches:  # back to what the next case expects
            screen.post("switch", {key: UNDO[key] for key in switch})
    assert not found, found


def test_a_long_wall_pages_and_the_facilitator_pauses_it(
    facilitator: BrowserContext, server: LiveServer, day: Day, screen: Screen
) -> None:
    """300 answers: the newest page first, the next one after a while; paused, it stays
    (also after a reload); the page says which page of how many it shows."""
    screen.go("Tre hundre svar")
    problems = PageProblems()
    page = watch(facilitator.new_page(), problems)
    page.clock.install()
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{server.url}/sessions/{day.session_id}/present")
    marker = page.locator("#present-results .fit-more")
    expect(marker).to_have_text(re.compile(r"^Page 1 of \d+$"))
    pages = int(marker.inner_text().rsplit(" ", 1)[1])
    assert pages >= 10, "300 answers on a few pages: the text is too small"
    newest = page.locator(".wall li:not(.fit-out)").last
    expect(newest).to_have_text(page.locator(".wall li").last.inner_text())
    page.clock.run_for(PAGE_MS)
    expect(marker).to_have_text(f"Page 2 of {pages}")
    screen.post("switch", {"paging": "pause"})
    expect(page.locator("#present")).to_have_attribute("data-paging", "paused")
    expect(marker).to_have_text(f"Page 2 of {pages}")
    page.clock.run_for(PAGE_MS * 2)
    expect(marker).to_have_text(f"Page 2 of {pages}")
    page.reload()
    expect(page.locator("#present")).to_have_attribute("data-paging", "paused")
    page.clock.run_for(PAGE_MS * 2)
    expect(marker).to_have_text(f"Page 1 of {pages}")
    screen.post("switch", {"paging": "resume"})
    # The clock moves on only once the screen has the switch (its push may come later).
    expect(page.locator("#present")).to_have_attribute("data-paging", "on")
    page.clock.run_for(PAGE_MS)
    expect(marker).to_have_text(f"Page 2 of {pages}")
    assert_clean(page, problems)
    page.close()


def test_the_control_panel_switches_the_join_code_the_themes_and_the_paging(
    facilitator: BrowserContext, server: LiveServer, day: Day, screen: Screen
) -> None:
    presenter = screen.page
    problems = PageProblems()
    control = watch(facilitator.new_page(), problems)
    control.goto(f"{server.url}/sessions/{day.session_id}/control")
    # Large on the welcome, the first item; a corner badge from the next one on.
    screen.go("Velkommen til første samling")
    expect(presenter.locator("#join-banner")).to_have_class(re.compile(r"\bjoin-large\b"))
    expect(control.locator("#banner-large")).to_have_attribute("aria-pressed", "true")
    expect(control.locator("#banner-auto-hint")).to_be_visible()
    screen.go("Tretti svar")
    expect(presenter.locator("#join-banner")).to_have_class(re.compile(r"\bjoin-corner\b"))
    expect(presenter.locator("#join-code")).to_be_visible()
    expect(control.locator("#banner-corner")).to_have_attribute("aria-pressed", "true")
    # The facilitator hides it, shows it large again, and gives it back to the automatic.
    control.click("#banner-hidden")
    expect(presenter.locator("#join-banner")).to_have_count(0)
    presenter.reload()
    expect(presenter.locator("#present-title")).to_have_text("Tretti svar")
    expect(presenter.locator("#join-banner")).to_have_count(0)
    control.click("#banner-large")
    expect(presenter.locator("#join-banner")).to_have_class(re.compile(r"\bjoin-large\b"))
    control.click("#banner-auto")
    expect(presenter.locator("#join-banner")).to_have_class(re.compile(r"\bjoin-corner\b"))
    expect(control.locator("#banner-auto-hint")).to_be_visible()

    # The themes get a view of their own; another item shows its result again.
    screen.go("Oppsummering")
    expect(presenter.locator("#answers-" + str(day.items["Oppsummering"]))).to_be_attached()
    control.click("#themes-view-toggle")
    themes = presenter.locator("#present-themes .theme h3")
    expect(themes).to_have_text(["Samarbeid på tvers", "Ledelse", "Innbyggerne", "Ressurser"])
    expect(presenter.locator(".wall")).to_have_count(0)
    expect(control.locator("#themes-view-toggle")).to_have_text("Show the answers on the screen")
    control.click("#themes-view-toggle")
    expect(presenter.locator(".wall")).to_have_count(1)
    control.click("#themes-view-toggle")
    expect(presenter.locator("#present-themes")).to_be_visible()
    screen.go("Tretti svar")
    expect(presenter.locator(".wall")).to_have_count(1)

    # Paging: offered where the screen pages, and paused from the panel.
    control.click("#paging-toggle")
    expect(presenter.locator("#present")).to_have_attribute("data-paging", "paused")
    expect(control.locator("#paging-toggle")).to_have_text("Resume paging on the screen")
    control.click("#paging-toggle")
    expect(presenter.locator("#present")).to_have_attribute("data-paging", "on")
    screen.go("Valg")
    expect(control.locator("#paging-toggle")).to_have_count(0)
    assert_clean(control, problems)
    control.close()


def test_answers_that_come_are_fitted_as_they_come(
    browser: Browser, server: LiveServer, screen: Screen
) -> None:
    """A phone's answer is appended to a full wall: it shows (the newest stay), and the
    frame still fits."""
    page = screen.page
    screen.go("Tretti svar")
    page.set_viewport_size({"width": 1280, "height": 720})
    screen.settle()
    code = page.inner_text("#join-code").replace(" ", "")
    problems = PageProblems()
    phone_context = new_context(browser, **PHONE)
    phone = watch(phone_context.new_page(), problems)
    try:
        phone.goto(f"{server.url}/j/{code}")
        phone.click("button[type=submit]")
        expect(phone.locator("#item-title")).to_have_text("Tretti svar")
        # The page's script is running (it fills the form's token) once it is connected.
        expect(phone.locator("#connection")).to_have_attribute("data-state", "connected")
        phone.fill("textarea[name=text]", "Et nytt svar som kom mens vi så på skjermen")
        phone.click("#answer-form button[type=submit]")
        expect(phone.locator("#own")).to_contain_text("Et nytt svar som kom mens vi så på skjermen")
        newest = page.locator(".wall li").last
        # The push comes within a quarter second; a busy machine may take longer.
        expect(newest).to_have_text("Et nytt svar som kom mens vi så på skjermen", timeout=15_000)
        expect(newest).to_be_visible()
        page.evaluate(SETTLED)
        measured = page.evaluate(MEASURE, [".wall li", ANSWER_MIN_AT_720])
        assert not measured["problems"], measured
        assert_clean(phone, problems)
    finally:
        phone_context.close()
