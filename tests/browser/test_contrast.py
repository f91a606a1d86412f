"""Colours that can be seen, and meaning that is not carried by colour alone.

On a real day (presenter_day.py, seeded through the store) the projector's dark theme and
the control panel's light page are measured in Chromium: every chart mark (a bar, the
radar's shape, rings and spokes, a histogram's bar, a word of the cloud) against what is
behind it (3:1 for a mark, 4.5:1 for a word of the cloud, which is text), and every text
on the projector with every kind current (4.5:1, 3:1 for large text). Colours are
computed styles (CSS ``color``, SVG ``fill`` and ``stroke``), each with the opacity of its
element and its ancestors, over the backgrounds behind it. The summary's chart images are
drawn in the colours workshop/summary_charts.py names: those are measured against the image's white.

Text alternatives: the word cloud and the radar are images with a name that point to
their list and table (aria-describedby), on the projector and the control panel; the
summary's chart images have alt text, and their numbers are in a table beside them.

Never colour alone: bars carry their label and their numbers as text, a highlighted answer
carries a star (projector and control panel), a pressed switch and a phone's vote a tick, a
phone that is not connected a hollow dot and its state in words, a group its name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

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
from tests.browser.keyboard import contrast
from tests.browser.presenter_day import Day, seed
from tests.browser.rooms import PHONE, join_phone
from workshop import summary_charts as charts

# The colours a measurement needs: a colour's contrast with what is behind it, both
# composited (the element's colour with its alpha and every ancestor's opacity, over the
# backgrounds of its ancestors down to the first opaque one, white at the top).
_COLOURS = """
const parse = (c) => {
  const m = c && c.match(/rgba?\\(([^)]+)\\)/);
  if (!m) return null;
  const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
  return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
};
const over = (top, bottom) => ({
  r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
  b: top.b * top.a + bottom.b * (1 - top.a), a: 1});
const behind = (start) => {
  const layers = [];
  for (let n = start; n && n.nodeType === 1; n = n.parentElement) {
    const c = parse(getComputedStyle(n).backgroundColor);
    if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
  }
  let out = {r: 255, g: 255, b: 255, a: 1};
  for (const c of layers.reverse()) out = over(c, out);
  return out;
};
const opacity = (el) => {
  let o = 1;
  for (let n = el; n && n.nodeType === 1; n = n.parentElement)
    o *= parseFloat(getComputedStyle(n).opacity);
  return o;
};
const lum = (c) => {
  const ch = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
};
const ratio = (a, b) => {
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
};
const seen = (el, colour) => {
  const c = parse(colour);
  if (!c) return null;
  const bg = el instanceof SVGElement && el.tagName !== "svg"
    ? behind(el.ownerSVGElement) : behind(el);
  return {ratio: ratio(over({...c, a: c.a * opacity(el)}, bg), bg), colour, bg};
};
const shown = (el) => el.getClientRects().length > 0
  && !el.closest("[hidden], .visually-hidden, .fit-out")
  && getComputedStyle(el).visibility !== "hidden";
"""

# Every chart mark under ``root``: its least contrast and what it is.
MARKS = (
    """(root) => {"""
    + _COLOURS
    + """
  const found = [];
  const scope = document.querySelector(root);
  if (!scope) return found;
  const add = (el, what, paint, needs) => {
    if (!shown(el)) return;
    const m = seen(el, getComputedStyle(el)[paint]);
    if (m) found.push({what, needs, ...m});
  };
  scope.querySelectorAll(".bar-fill").forEach((el) => {
    if (parseFloat(el.getAttribute("width")) > 0 && parseFloat(el.getAttribute("height")) > 0)
      add(el, "bar " + (el.closest("svg").getAttribute("class") || ""), "fill", 3);
  });
  scope.querySelectorAll(".radar-shape").forEach((el) => add(el, "radar shape", "stroke", 3));
  scope.querySelectorAll(".radar-ring, .radar-spoke").forEach((el) =>
    add(el, "radar " + el.getAttribute("class"), "stroke", 3));
  scope.querySelectorAll("svg.cloud text").forEach((el) => add(el, "cloud word " +
    JSON.stringify(el.textContent) + " ." + el.getAttribute("class"), "fill", 4.5));
  return found;
}"""
)

# Every text on the page that is shown: its contrast, and what it needs (4.5:1; 3:1 when
# large: 24 px, or 18.66 px bold; SVG text at the size it is drawn).
TEXTS = (
    """() => {"""
    + _COLOURS
    + """
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.nodeValue.trim() || el.closest("script, style, title")) continue;
    if (!shown(el)) continue;
    const style = getComputedStyle(el);
    const svg = el instanceof SVGElement;
    let size = parseFloat(style.fontSize);
    if (svg) { const m = el.getScreenCTM(); size *= m ? Math.hypot(m.a, m.b) : 1; }
    const large = size >= 24 || (size >= 18.66 && parseInt(style.fontWeight, 10) >= 700);
    const m = seen(el, svg ? style.fill : style.color);
    const what = JSON.stringify(node.nodeValue.trim().slice(0, 40));
    if (m) found.push({what, needs: large ? 3 : 4.5, ...m});
  }
  return found;
}"""
)

CHARTS = ["Ordsky", "Kompetansehjulet", "Kompetansene i stolper", "Evaluering", "Valg", "Poeng"]
#: The items whose control panel shows no chart (the evaluation's shows the mean in words).
NO_CHART_ON_CONTROL = {"Evaluering"}


@dataclass
class Room:
    server: LiveServer
    day: Day
    presenter: Page
    control: Page

    def go(self, title: str) -> None:
        """Go to an item as the control panel does; wait until both screens show it."""
        headers = json.loads(self.control.get_attribute("body", "hx-headers") or "{}")
        url = f"{self.server.url}/sessions/{self.day.session_id}/live/go"
        form = {"item_id": str(self.day.items[title])}
        answered = self.control.request.post(
            url, form=form, headers={**headers, "HX-Request": "true"}
        )
        assert answered.status == 204, answered.text()
        expect(self.presenter.locator("#present-title")).to_have_text(title)
        expect(self.control.locator("#current-title")).to_have_text(title)
        if title == "Ordsky":
            for page in (self.presenter, self.control):
                expect(page.locator("svg.cloud text").first).to_be_attached(timeout=30_000)
        self.presenter.evaluate("() => document.fonts.ready")


def failures(found: list[dict[str, object]]) -> list[str]:
    return [
        f"{m['what']}: {m['ratio']:.2f}:1 (needs {m['needs']}:1; {m['colour']} on {m['bg']})"
        for m in found
        if float(m["ratio"]) < float(m["needs"])  # type: ignore[arg-type]
    ]


@pytest.fixture(scope="module")
def room(browser: Browser, server: LiveServer) -> Iterator[Room]:
    day = seed(server.db_path, "contrast", "contrast password 1")
    problems = PageProblems()
    facilitator: BrowserContext = new_context(
        browser, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    try:
        control = watch(facilitator.new_page(), problems)
        log_in(control, server, day.username, day.password)
        control.goto(f"{server.url}/sessions/{day.session_id}/control")
        presenter = watch(facilitator.new_page(), problems)
        presenter.set_viewport_size({"width": 1280, "height": 720})
        presenter.goto(f"{server.url}/sessions/{day.session_id}/present")
        expect(presenter.locator("#connection")).to_have_attribute("data-state", "connected")
        yield Room(server, day, presenter, control)
        assert_clean(control, problems)
        assert_clean(presenter, problems)
    finally:
        facilitator.close()


@pytest.mark.parametrize("title", CHARTS)
def test_chart_marks_stand_out_on_the_dark_and_the_light_theme(room: Room, title: str) -> None:
    room.go(title)
    found = {
        "presenter": room.presenter.evaluate(MARKS, "#present-results"),
    }
    if title not in NO_CHART_ON_CONTROL:
        found["control panel"] = room.control.evaluate(MARKS, "#control-kind")
    for where, marks in found.items():
        assert marks, f"no chart mark measured on the {where}"
    problems = {where: failures(marks) for where, marks in found.items()}
    assert not any(problems.values()), problems


def test_every_text_on_the_dark_theme_reads_at_4_5_to_1(room: Room) -> None:
    problems: dict[str, list[str]] = {}
    for title in room.day.items:
        room.go(title)
        texts = room.presenter.evaluate(TEXTS)
        assert texts, title
        bad = failures(texts)
        if bad:
            problems[title] = bad
    assert not problems, problems


def test_the_summarys_chart_colours_stand_out_on_white() -> None:
    white = {"r": 255, "g": 255, "b": 255}

    def rgb(hex_colour: str) -> dict[str, float]:
        return {k: int(hex_colour[1 + 2 * i : 3 + 2 * i], 16) for i, k in enumerate("rgb")}

    assert contrast(rgb(charts.ACCENT), white) >= 3  # bars and the radar's line
    assert contrast(rgb(charts.GRID), white) >= 3  # the radar's rings and spokes
    assert contrast(rgb(charts.INK), white) >= 4.5  # labels and numbers
    for colour in charts.CLOUD_COLOURS:  # the cloud's words are text
        assert contrast(rgb(colour), white) >= 4.5, colour


def test_bars_carry_their_labels_and_numbers_as_text(room: Room) -> None:
    for title in ("Valg", "Poeng"):
        room.go(title)
        for page, root in ((room.presenter, "#present-results"), (room.control, "#control-kind")):
            bars = page.locator(f"{root} .bar")
            assert bars.count() >= 2
            for i in range(bars.count()):
                bar = bars.nth(i)
                expect(bar.locator(".bar-label")).to_have_text(re.compile(r"\S"))
                expect(bar.locator(".bar-value")).to_have_text(re.compile(r"\d.*%"))


def test_highlighted_answers_are_starred_not_only_coloured(room: Room) -> None:
    room.go("Tretti svar")  # two of its answers are highlighted
    star = "(el) => getComputedStyle(el, '::before').content"
    marked = room.presenter.locator("#present-results li.highlighted")
    expect(marked).to_have_count(2)
    assert "★" in marked.first.evaluate(star)
    plain = room.presenter.locator("#present-results li:not(.highlighted)").first
    assert "★" not in plain.evaluate(star)
    rows = room.control.locator("#control-kind li.highlighted .response-text")
    expect(rows).to_have_count(2)
    assert "★" in rows.first.evaluate(star)


def test_a_pressed_switch_and_a_phones_state_are_not_only_coloured(room: Room) -> None:
    room.go("Tre svar")
    tick = "(el) => getComputedStyle(el, '::before').content"
    pressed = room.control.locator("button[aria-pressed='true']").first
    assert "✓" in pressed.evaluate(tick)
    assert "✓" not in room.control.locator("button[aria-pressed='false']").first.evaluate(tick)
    # No phone is connected on this day: each shows a hollow dot and says so.
    offline = room.control.locator(".group-phones li.offline").first
    style = offline.locator(".dot").evaluate(
        "(el) => [getComputedStyle(el).borderTopStyle, getComputedStyle(el).backgroundColor]"
    )
    assert style == ["solid", "rgba(0, 0, 0, 0)"], style
    expect(offline.get_by_text("not connected")).to_have_class("visually-hidden")


# What a chart says to a reader that cannot see it: its role and name, and the text it
# points to (aria-describedby) with the numbers in it.
_ALTERNATIVE = """(selector) => [...document.querySelectorAll(selector)].map((svg) => {
  const title = document.getElementById(svg.getAttribute("aria-labelledby") || "");
  const described = document.getElementById(svg.getAttribute("aria-describedby") || "");
  return {role: svg.getAttribute("role"), name: title ? title.textContent : "",
          described: described ? described.tagName.toLowerCase() : "",
          text: described ? described.textContent : ""};
})"""


@pytest.mark.parametrize(
    ("title", "chart", "described", "name"),
    [
        ("Ordsky", "svg.cloud", "ol", "Word cloud"),
        ("Kompetansehjulet", "svg.radar", "table", "Mean rating per statement"),
    ],
)
def test_the_cloud_and_the_radar_point_to_their_list_and_table(
    room: Room, title: str, chart: str, described: str, name: str
) -> None:
    room.go(title)
    for page in (room.presenter, room.control):
        found = page.evaluate(_ALTERNATIVE, chart)
        assert len(found) == 1, found
        assert found[0]["role"] == "img"
        assert found[0]["name"] == name
        assert found[0]["described"] == described
        assert re.search(r"\d", found[0]["text"]), found[0]


def test_the_summarys_charts_have_alt_text_and_their_numbers_in_a_table(room: Room) -> None:
    page = room.control.context.new_page()
    try:
        page.goto(f"{room.server.url}/sessions/{room.day.session_id}/summary")
        charts_ = page.locator("#summary-preview figure.chart")
        expect(charts_.first).to_be_attached(timeout=30_000)
        assert charts_.count() >= 5
        for i in range(charts_.count()):
            figure = charts_.nth(i)
            image = figure.locator("img")
            if image.count():
                expect(image).to_have_attribute("alt", re.compile(r"\w.*\d"))
                # The numbers as text too: a table beside the chart, in its exercise.
                expect(figure.locator("xpath=../table").first).to_be_attached()
            else:
                expect(figure.locator("table")).to_be_attached()
        # The downloaded HTML file: the same charts, each image with its alt text.
        got = page.request.get(f"{room.server.url}/sessions/{room.day.session_id}/summary.html")
        assert got.ok, got.status
        images = re.findall(r"<img\b[^>]*>", got.text())
        assert len(images) >= 5
        for image in images:
            assert re.search(r'\balt="[^"]*\w[^"]*\d', image), image[:200]
    finally:
        page.close()


def test_a_phones_vote_is_ticked_not_only_coloured(
    room: Room, browser: Browser, server: LiveServer
) -> None:
    room.go("Spørsmål til ledelsen")
    code = room.control.inner_text("#control-code").replace(" ", "")
    phone_context = new_context(browser, **PHONE)
    problems = PageProblems()
    try:
        phone = join_phone(watch(phone_context.new_page(), problems), server, code)
        first = phone.locator("button.vote:not(:disabled)").first
        voted = f"button.vote[data-vote='{first.get_attribute('data-vote')}']"
        vote = phone.locator(voted)
        tick = f"getComputedStyle(document.querySelector(`{voted}`), '::before').content"
        expect(vote).to_have_attribute("aria-pressed", "false")
        assert "✓" not in phone.evaluate(tick)
        vote.click()
        expect(vote).to_have_attribute("aria-pressed", "true")
        phone.wait_for_function(f"{tick}.includes('✓')")
        vote.click()  # taken back: the day stays as it was seeded
        expect(vote).to_have_attribute("aria-pressed", "false")
        assert_clean(phone, problems)
    finally:
        phone_context.close()


def test_the_control_panels_groups_are_named(room: Room) -> None:
    """Each group, in the groups card and in group work's lists, by its name in words."""
    room.go("Samskaping")
    columns = room.control.locator(".group-column")
    assert columns.count() >= 2
    names = columns.evaluate_all(
        "(cs) => cs.map((c) => c.querySelector('h3, h4, .group-rename input[name=name]'))"
        ".map((n) => (n ? (n.value || n.textContent).trim() : ''))"
    )
    assert all(names), names
