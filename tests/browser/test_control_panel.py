"""The control panel in real Chromium, on the demo day a first start creates.

One server for the module (its first start makes the ``admin`` login and the
demo programme with its groups), one facilitator and one phone on the demo
session, both in bokmål. The tests run in order: the current item's card, the
empty state, the groups' "not joined yet", then closing the session (with and
without JavaScript) and the closed panel.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

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

EXAMPLE = ROOT / "examples" / "agenda-samling-1.toml"
PHONE = {"viewport": {"width": 360, "height": 640}, "locale": "nb-NO", "is_mobile": True}
WELCOME = "Velkommen til første ledersamling"
TASK = "Gruppeoppgave: det aller viktigste"
CLOUD = "Hva gjør programmet nyttig for deg?"
LAST = "Evaluering – vel hjem!"


@dataclass
class Day:
    control: Page
    phone: Page
    items: dict[str, int]
    code: str
    panel: str  # the control panel's address


@pytest.fixture(scope="module")
def day(browser: Browser, server: LiveServer) -> Iterator[Day]:
    """The demo session, started, with its control panel open and one phone joined as one
    of the members pasted into the demo group Blåveis."""
    problems = PageProblems()
    contexts: list[BrowserContext] = []
    facilitator = new_context(browser, locale="nb-NO", viewport={"width": 1280, "height": 900})
    contexts.append(facilitator)
    control = watch(facilitator.new_page(), problems)
    log_in(control, server, "admin", server.admin_password)
    control.get_by_role("link", name="Lederutviklingsprogram 2027 (demo)").click()
    control.get_by_role("link", name="Samling 1").click()
    control.wait_for_url(re.compile(r"/sessions/\d+$"))
    session_id = int(control.url.rsplit("/", 1)[1])
    control.goto(f"{server.url}/sessions/{session_id}/control")
    control.click("#start-session")
    expect(control.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    code = control.inner_text("#control-code").replace(" ", "")
    ids = [int(i) for i in re.findall(r'id="control-item-(\d+)"', control.content())]
    titles = re.findall(r'^title = "(.*)"$', EXAMPLE.read_text("utf-8"), flags=re.M)
    items = dict(zip(titles, ids, strict=True))

    phone_context = new_context(browser, **PHONE)
    contexts.append(phone_context)
    phone_problems = PageProblems()
    phone = watch(phone_context.new_page(), phone_problems)
    phone.goto(f"{server.url}/j/{code}")
    phone.fill("#name", "Kari Nordmann")
    phone.click("button[type=submit]")
    expect(phone.locator("#connection")).to_have_attribute("data-state", "connected")
    try:
        yield Day(control, phone, items, code, control.url)
        assert_clean(control, problems)
        assert_clean(phone, phone_problems)
    finally:
        for ctx in contexts:
            ctx.close()


def go(day: Day, title: str) -> None:
    """Make an item current; the panel and the phone show it."""
    item = day.items[title]
    if day.control.locator(f"#control-item-{item}.current").count() == 0:
        day.control.click(f"#go-{item}")
    expect(day.control.locator("#current-title")).to_have_text(title)
    expect(day.phone.locator("#item-title")).to_have_text(title)


def test_the_panel_shows_the_item_s_question_notes_and_what_comes_next(day: Day) -> None:
    control = day.control
    # Both sides say they are connected in words people use.
    expect(control.locator("#connection")).to_have_text("Tilkoblet")
    expect(day.phone.locator("#connection")).to_have_text("Tilkoblet")

    # A talk: its notes and the next item, with no question.
    go(day, WELCOME)
    expect(control.locator("#current-meta")).to_contain_text("Innlegg")
    expect(control.locator("#current-meta")).to_contain_text("15 min")
    expect(control.locator("#current-notes")).to_contain_text("Kommunedirektøren ønsker velkommen")
    expect(control.locator("#current-prompt")).to_have_count(0)
    expect(control.locator("#next-title")).to_have_text(
        "Mål og rammer for lederutviklingsprogrammet"
    )

    # An exercise: the question (through the kind's prompt block), the notes, what comes
    # next with its kind and length, without opening the editor.
    go(day, TASK)
    card = control.locator("#current-item")
    expect(control.locator("#current-meta")).to_contain_text("Øvelse: Åpen tekst")
    expect(control.locator("#current-prompt")).to_have_text(
        "Hva er det aller viktigste kommunen bør oppnå gjennom lederutviklingsprogrammet?"
    )
    expect(control.locator("#current-notes")).to_contain_text(
        "Snakk sammen i gruppene i fem minutter"
    )
    expect(control.locator("#next-title")).to_have_text(CLOUD)
    expect(control.locator("#next-item")).to_contain_text("Øvelse: Ordsky · 10 min")
    # The card is read top down: the question and the notes come before the controls.
    boxes = [card.locator(s).bounding_box() for s in ("#current-title", "#current-notes")]
    start = control.locator("#timer-start").bounding_box()
    assert all(boxes) and start
    assert boxes[0]["y"] < boxes[1]["y"] < start["y"]  # type: ignore[index]
    # A day rehearsed on another date is not "minutes ahead of the plan".
    expect(control.locator("#drift")).to_have_count(0)

    # The last item says so instead of naming a next one.
    go(day, LAST)
    expect(control.locator("#next-item")).to_have_text("Dette er siste punkt i dagsprogrammet.")
    expect(control.locator("#next-title")).to_have_count(0)


def test_no_answers_yet_until_the_first_one_comes(day: Day) -> None:
    go(day, TASK)
    state = day.control.locator("#answers-state")
    expect(state).to_be_visible()
    expect(state).to_have_text("Ingen svar ennå.")
    day.phone.fill("#answer-text", "Bedre samarbeid på tvers")
    day.phone.click("#answer-form button[type=submit]")
    expect(day.phone.locator("#own")).to_contain_text("Bedre samarbeid på tvers")
    expect(day.control.locator("#control-kind")).to_contain_text("Bedre samarbeid på tvers")
    expect(state).to_be_hidden()
    expect(day.control.locator("#phones-answered")).to_have_text("1 har svart")


def test_members_who_joined_are_no_longer_listed_as_expected(day: Day) -> None:
    column = day.control.locator(".group-column").filter(
        has=day.control.locator("input[value='Blåveis']")
    )
    expected = column.locator(".expected")
    expect(expected).to_contain_text("Ikke med ennå:")
    expect(expected).to_contain_text("Ola Berg")
    expect(expected).not_to_contain_text("Kari Nordmann")
    expect(column.locator(".group-phones")).to_contain_text("Kari Nordmann")
    # Another group still expects all its members.
    other = day.control.locator(".group-column").filter(
        has=day.control.locator("input[value='Fjellreven']")
    )
    expect(other.locator(".expected")).to_contain_text("Anne Moe")


def test_closing_asks_first_and_the_closed_panel_shows_what_the_day_produced(
    day: Day, server: LiveServer
) -> None:
    control = day.control
    go(day, TASK)
    if day.phone.locator("#own").count() == 0:
        day.phone.fill("#answer-text", "Bedre samarbeid på tvers")
        day.phone.click("#answer-form button[type=submit]")
        expect(day.phone.locator("#own")).to_be_visible()
    control.click("#close-session")
    confirm = control.locator("#close-confirm")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("Avslutte Samling 1?")
    code = f"{day.code[:4]} {day.code[4:]}"
    expect(confirm).to_contain_text(f"Koden {code} slutter å virke for godt")
    # A push while it is open (another facilitator, the timer) leaves the question open.
    control.click("#timer-extend")
    expect(control.locator("#countdown")).to_be_visible()
    expect(confirm).to_be_visible()
    # Cancel: nothing closes, and the focus goes back to the button.
    control.click("#close-cancel")
    expect(confirm).to_have_count(0)
    expect(control.locator("#close-session")).to_be_focused()
    expect(control.locator("#control-code")).to_have_text(code)
    expect(day.phone.locator("#item-title")).to_have_text(TASK)

    control.click("#close-session")
    control.click("#close-confirmed")
    expect(control.locator("#closed-badge")).to_have_text("Avsluttet")
    expect(confirm).to_have_count(0)
    closed_panel(control, day)
    expect(day.phone.locator("#stage h1")).to_have_text("Samlingen er avsluttet. Takk!")

    # The same after a reload (the page, not the push).
    control.reload()
    expect(control.locator("#closed-badge")).to_be_visible()
    closed_panel(control, day)
    control.click("#record-session")
    control.wait_for_url(re.compile(r"/sessions/\d+$"))
    expect(control.locator("#agenda-list")).to_contain_text(TASK)


def closed_panel(control: Page, day: Day) -> None:
    """No timer, switches, steps or plan; what the day produced, and where it is kept."""
    expect(control.locator("#session-record")).to_be_visible()
    for gone in (
        "#timer-start",
        "#timer-pause",
        "#timer-extend",
        "#timer-end",
        "#lock-toggle",
        "#results-toggle",
        "#next",
        "#previous",
        "#drift",
        "#close-session",
        "#control-code",
        "#current-item",
    ):
        expect(control.locator(gone)).to_have_count(0)
    expect(control.locator("#control-counts")).to_be_hidden()
    answered = control.locator(f"#record-item-{day.items[TASK]}")
    expect(answered).to_contain_text(TASK)
    expect(answered).to_contain_text("1 svar fra 1 telefon")
    expect(control.locator(f"#record-item-{day.items[CLOUD]}")).to_contain_text("Ingen svar")
    # Only the exercises are listed: a talk produced no answers to list.
    expect(control.locator(f"#record-item-{day.items[WELCOME]}")).to_have_count(0)
    expect(control.locator("#record-session")).to_have_attribute(
        "href", re.compile(r"^/sessions/\d+$")
    )


def test_closing_without_javascript_has_its_own_confirmation_page(
    browser: Browser, server: LiveServer, day: Day
) -> None:
    control = day.control
    control.goto(day.panel)
    if control.locator("#start-session").count():
        control.click("#start-session")  # "Start again with a new code"
    expect(control.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    panel_url = day.panel

    plain = new_context(browser, locale="nb-NO", java_script_enabled=False)
    try:
        page = plain.new_page()
        log_in(page, server, "admin", server.admin_password)
        page.goto(panel_url)
        page.click("#close-session")
        page.wait_for_url(re.compile(r"/control/close$"))
        expect(page.locator("#close-confirm")).to_contain_text("Avslutte Samling 1?")
        # Cancel goes back to the panel, still live.
        page.click("#close-cancel")
        page.wait_for_url(re.compile(r"/control$"))
        expect(page.locator("#control-code")).to_be_visible()
        page.click("#close-session")
        # The other facilitator is asked at the same time; the first to answer closes it.
        control.click("#close-session")
        expect(control.locator("#close-confirm")).to_be_visible()
        page.click("#close-confirmed")
        page.wait_for_url(re.compile(r"/control$"))
        expect(control.locator("#closed-badge")).to_be_visible()
        expect(control.locator("#close-confirm")).to_have_count(0)
        expect(page.locator("#closed-badge")).to_be_visible()
        expect(page.locator("#session-record")).to_be_visible()
        # The confirmation of a closed session has nothing to ask: back to the panel.
        page.goto(panel_url + "/close")
        page.wait_for_url(re.compile(r"/control$"))
    finally:
        plain.close()
    expect(control.locator("#closed-badge")).to_be_visible()  # the other panel followed
