"""Reflow at 320 CSS px, and targets big enough to hit.

On the demo day the first start makes: every page at 320×640 (login, programmes, a
programme, the agenda editor with an item's form open, the account page, the
accessibility statement, the control panel, the join page, the phone's live page with
each item of the day current, both summaries, and both summaries' downloaded HTML files)
never scrolls sideways
(``scrollWidth <= 320 + 1``) and cuts no text: no text lies outside the window or is cut
by a box that clips it. Data tables may scroll inside a container of their own (the
WCAG 1.4.10 exception for content that needs two dimensions): their text is not counted.

Targets: on the facilitator's pages at a laptop's width, every link, button and field is
at least 24×24 CSS px (WCAG 2.5.8), except a link inside a sentence (the exception for
inline targets); the phone's 44×44 is tests/browser/test_phone_touch.py's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from facilitator.export import html
from tests.browser.conftest import (
    ROOT,
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)
from tests.unit import export_sample as sample

EXAMPLE = ROOT / "examples" / "agenda-samling-1.toml"
PROGRAMME = "Lederutviklingsprogram 2027 (demo)"
NARROW = {"width": 320, "height": 640}
#: Items a phone answers (open text, word cloud, Q&A): one long word each, as phones do.
ANSWERED = {
    "Gruppeoppgave: det aller viktigste": "Tjenesteutviklingsprosessene på tvers av sektorene",
    "Hva gjør programmet nyttig for deg?": "samhandlingsutfordringer",
    "Oppsummering og veien videre": "Når er neste samling, og hvem forbereder kommunedirektørens?",
}
WIDE = {"width": 1280, "height": 900}

# What is wrong with the page at its width: it scrolls sideways (and the elements that
# reach out), a text outside the window or cut by a box that clips it. A text inside a
# container that scrolls sideways itself (a data table's) is that container's.
REFLOW = """() => {
  const W = document.documentElement.clientWidth, problems = [];
  const page = document.documentElement.scrollWidth;
  const name = (el) => {
    const cls = typeof el.className === "string" ? el.className.trim().split(/\\s+/).join(".") : "";
    return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (cls ? "." + cls : "");
  };
  const scroller = (el) => {
    for (let up = el; up && up !== document.body; up = up.parentElement) {
      const s = getComputedStyle(up);
      if (up !== document.documentElement && ["auto", "scroll"].includes(s.overflowX)) return up;
    }
    return null;
  };
  if (page > W + 1) {
    const wide = [...document.body.querySelectorAll("*")].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > W + 1 && !scroller(el.parentElement || el);
    });
    const outermost = wide.filter((el) => !wide.includes(el.parentElement)).slice(0, 6);
    problems.push(`the page scrolls sideways: ${page} px wide (${outermost.map(name).join(", ")})`);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.nodeValue.trim()) continue;
    if (el.closest("[hidden], script, style, title, noscript, datalist, option")) continue;
    if (el.closest(".visually-hidden, .skip-link")) continue;
    if (getComputedStyle(el).visibility === "hidden" || scroller(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5);
    const what = JSON.stringify(node.nodeValue.trim().slice(0, 40));
    for (const r of rects) {
      if (r.left < -1 || r.right > W + 1) { problems.push(`outside the window: ${what}`); break; }
      let cut = null;
      for (let up = el; up && up !== document.body; up = up.parentElement) {
        const s = getComputedStyle(up);
        if (s.overflowX === "visible" && s.overflowY === "visible") continue;
        const box = up.getBoundingClientRect();
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1
            || r.top < box.top - 1) { cut = up; break; }
      }
      if (cut) { problems.push(`cut by ${name(cut)}: ${what}`); break; }
    }
  }
  return [...new Set(problems)];
}"""

# Every target smaller than 24×24 that is not a link inside a sentence.
TARGETS = """() => {
  const small = [];
  const targets = document.querySelectorAll(
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]");
  for (const el of targets) {
    const r = el.getBoundingClientRect();
    if (r.width < 0.5 || r.height < 0.5 || el.closest("[hidden], .visually-hidden")) continue;
    if (getComputedStyle(el).visibility === "hidden") continue;
    if (r.width >= 24 && r.height >= 24) continue;
    if (el.tagName === "A") {
      const block = el.parentElement.closest("p, li, td, dd, span, div");
      const around = block ? block.textContent.replace(el.textContent, "").trim() : "";
      if (getComputedStyle(el).display === "inline" && around.length > 0) continue;
    }
    small.push(`<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}> `
      + `${JSON.stringify((el.textContent || el.value || el.name || "").trim().slice(0, 30))} `
      + `${r.width.toFixed(0)}×${r.height.toFixed(0)}`);
  }
  return small;
}"""


@dataclass
class Day:
    facilitator: BrowserContext
    page: Page
    problems: PageProblems
    programme_url: str
    session_url: str
    #: Agenda items by title.
    items: dict[str, int]


@pytest.fixture(scope="module")
def day(browser: Browser, server: LiveServer) -> Iterator[Day]:
    problems = PageProblems()
    facilitator = new_context(browser, locale="en-GB", viewport=NARROW)
    try:
        page = watch(facilitator.new_page(), problems)
        log_in(page, server, "admin", server.admin_password)
        page.get_by_role("link", name=PROGRAMME).click()
        page.wait_for_url(re.compile(r"/programmes/\d+$"))
        programme_url = page.url
        page.get_by_role("link", name="Samling 1").click()
        page.wait_for_url(re.compile(r"/sessions/\d+$"))
        session_url = page.url
        ids = [int(i) for i in re.findall(r'id="item-(\d+)"', page.content())]
        titles = re.findall(r'^title = "(.*)"$', EXAMPLE.read_text("utf-8"), flags=re.M)
        items = dict(zip(titles, ids, strict=True))
        yield Day(facilitator, page, problems, programme_url, session_url, items)
        assert_clean(page, problems)
    finally:
        facilitator.close()


def reflows(page: Page, what: str) -> list[str]:
    """What is wrong with the page at 320 px, each line saying where."""
    page.evaluate("() => document.fonts.ready")
    return [f"{what}: {problem}" for problem in page.evaluate(REFLOW)]


def test_the_facilitator_s_pages_reflow_at_320_px(
    day: Day, browser: Browser, server: LiveServer
) -> None:
    found: list[str] = []
    login = browser.new_page(viewport=NARROW, locale="en-GB")
    try:
        login.goto(server.url + "/login")
        found += reflows(login, "the login page")
        login.fill("#username", "admin")
        login.fill("#password", "wrong")
        login.click("button[type=submit]")
        expect(login.locator(".error")).to_be_visible()
        found += reflows(login, "the login page with an error")
        login.goto(server.url + "/tilgjengelighet")
        found += reflows(login, "the accessibility statement")
    finally:
        login.close()
    page = day.page
    for url, what in (
        (server.url + "/programmes", "the programmes"),
        (day.programme_url, "a programme"),
        (day.session_url, "the agenda editor"),
        (server.url + "/account", "the account page"),
    ):
        page.goto(url)
        found += reflows(page, what)
    exercise = next(i for t, i in day.items.items() if t == "Gruppeoppgave: det aller viktigste")
    page.goto(f"{day.session_url}?edit={exercise}")
    expect(page.locator("#edit-form")).to_be_visible()
    found += reflows(page, "the agenda editor with an exercise's form open")
    assert not found, "\n".join(found)


def test_the_live_pages_reflow_at_320_px(day: Day, browser: Browser, server: LiveServer) -> None:
    control = day.page
    control.goto(day.session_url + "/control")
    found = reflows(control, "the control panel before the start")
    control.click("#start-session")
    expect(control.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    code = control.inner_text("#control-code").replace(" ", "")
    headers = json.loads(control.get_attribute("body", "hx-headers") or "{}")
    phone_context = new_context(browser, viewport=NARROW, locale="en-GB", is_mobile=True)
    problems = PageProblems()
    try:
        phone = watch(phone_context.new_page(), problems)
        phone.goto(server.url + "/")
        found += reflows(phone, "the join page")
        phone.goto(f"{server.url}/j/{code}")
        found += reflows(phone, "the join page with a code")
        phone.click("button[type=submit]")
        expect(phone.locator("#connection")).to_have_attribute("data-state", "connected")
        for title, item in day.items.items():
            answered = control.request.post(
                f"{day.session_url}/live/go",
                form={"item_id": str(item)},
                headers={**headers, "HX-Request": "true"},
            )
            assert answered.status == 204, answered.text()
            expect(phone.locator("#item-title")).to_have_text(title)
            expect(control.locator("#current-title")).to_have_text(title)
            found += reflows(phone, f"the phone on {title!r}")
            if title in ANSWERED:  # and with the phone's own answer listed under the form
                phone.locator("#answer-text").fill(ANSWERED[title])
                phone.locator("#answer-form button[type=submit]").click()
                expect(phone.locator("#own li").first).to_be_attached()
                found += reflows(phone, f"the phone on {title!r} with its answer")
                expect(control.locator("#answers-state")).to_be_hidden()
                found += reflows(control, f"the control panel on {title!r} with an answer")
            found += reflows(control, f"the control panel on {title!r}")
        phone.goto(f"{server.url}/s/{code}")
        assert_clean(phone, problems)
    finally:
        phone_context.close()
    for url, what in (
        (day.session_url + "/summary", "the session's summary"),
        (day.programme_url + "/summary", "the programme's summary"),
    ):
        control.goto(url)
        expect(control.locator("#summary-title")).to_be_visible()
        found += reflows(control, what)
    assert not found, "\n".join(found)


def test_the_downloaded_summary_files_reflow_at_320_px(
    day: Day, browser: Browser, tmp_path: Path
) -> None:
    """The HTML file as it is downloaded (its own inline stylesheet), opened from disk at
    320 px: the demo day's (its answers are in it when the live test ran first), and the
    export tests' programme with every kind of element and its hostile texts."""
    files: dict[str, bytes] = {}
    for url, what in (
        (day.session_url + "/summary.html", "the session's summary file"),
        (day.programme_url + "/summary.html", "the programme's summary file"),
    ):
        got = day.page.request.get(url)
        assert got.ok, got.text()
        files[what] = got.body()
    files["the sample programme's summary file"] = html.render(sample.SUMMARY.programme())
    found: list[str] = []
    page = browser.new_page(viewport=NARROW, locale="en-GB")
    try:
        for number, (what, data) in enumerate(files.items()):
            path = tmp_path / f"summary-{number}.html"
            path.write_bytes(data)
            page.goto(path.as_uri())
            expect(page.locator("article.summary")).to_be_visible()
            found += reflows(page, what)
            # Its tables are there, each its own box that may scroll sideways.
            boxed = page.evaluate(
                """() => [...document.querySelectorAll("table.data")].map((t) =>
                  ["auto", "scroll"].includes(getComputedStyle(t).overflowX))"""
            )
            assert boxed, f"{what}: no table"
            if not all(boxed):
                found.append(f"{what}: a table that does not scroll in its own box")
    finally:
        page.close()
    assert not found, "\n".join(found)


def test_the_facilitator_s_targets_are_24_px_or_more(day: Day, server: LiveServer) -> None:
    page = day.facilitator.new_page()
    page.set_viewport_size(WIDE)
    found: list[str] = []
    try:
        for url, what in (
            (server.url + "/programmes", "the programmes"),
            (day.programme_url, "a programme"),
            (day.session_url, "the agenda editor"),
            (server.url + "/account", "the account page"),
            (day.session_url + "/control", "the control panel"),
            (day.session_url + "/summary", "the summary"),
        ):
            page.goto(url)
            found += [f"{what}: {small}" for small in page.evaluate(TARGETS)]
        # The control panel with each item current: every kind's controls.
        page.goto(day.session_url + "/control")
        if page.locator("#start-session").count():  # run alone, before the live test
            page.click("#start-session")
            expect(page.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
        headers = json.loads(page.get_attribute("body", "hx-headers") or "{}")
        for title, item in day.items.items():
            answered = page.request.post(
                f"{day.session_url}/live/go",
                form={"item_id": str(item)},
                headers={**headers, "HX-Request": "true"},
            )
            assert answered.status == 204, answered.text()
            expect(page.locator("#current-title")).to_have_text(title)
            found += [f"the control panel on {title!r}: {s}" for s in page.evaluate(TARGETS)]
    finally:
        page.close()
    assert not found, "\n".join(found)
