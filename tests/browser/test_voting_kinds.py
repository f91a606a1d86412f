"""choice, scale and points in real Chromium: three phones vote, the projector shows it.

One server and one live session for the module; each test moves the session
to its item, has three phone-sized contexts answer, and reads the presenter
screen. A phone changes its vote, and a lock reaches every phone at once.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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

PHONE = {
    "viewport": {"width": 360, "height": 640},
    "locale": "en-GB",
    "is_mobile": True,
    "has_touch": True,
}
AGENDA = """samling_agenda = 1

[[item]]
title = "Where are we?"
duration = 5
kind = "exercise"
exercise = "choice"

[item.settings]
question = "How far has your unit come?"
options = ["Well under way", "Halfway", "Not started"]

[[item]]
title = "What do we need?"
duration = 5
kind = "exercise"
exercise = "choice"

[item.settings]
question = "Pick up to two"
options = ["Time", "Trust", "Tools", "Training"]
multiple = true
max_picks = 2

[[item]]
title = "Competence wheel"
duration = 10
kind = "exercise"
exercise = "scale"

[item.settings]
question = "Rate yourself"
statements = ["Strategy", "Relations", "Change"]
low_label = "Little"
high_label = "Much"

[[item]]
title = "Priorities"
duration = 10
kind = "exercise"
exercise = "points"

[item.settings]
question = "What matters most?"
options = ["Trust", "Time", "Skills"]
"""


@dataclass
class Room:
    control: Page
    presenter: Page
    phones: list[Page]
    items: dict[str, int]

    def go(self, title: str) -> None:
        item = self.items[title]
        if self.control.locator(f"#control-item-{item}.current").count() == 0:
            self.control.click(f"#go-{item}")
        expect(self.presenter.locator("#present-title")).to_have_text(title)
        for phone in self.phones:
            expect(phone.locator("#item-title")).to_have_text(title)


@pytest.fixture(scope="module")
def room(
    browser: Browser, server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Room]:
    server.add_facilitator("voter", "voter password 1")
    problems = PageProblems()
    facilitator = new_context(browser, locale="en-GB", viewport={"width": 1280, "height": 900})
    control = watch(facilitator.new_page(), problems)
    log_in(control, server, "voter", "voter password 1")
    control.fill("#title", "Voting programme")
    control.click("form[action='/programmes'] button[type=submit]")
    control.fill("#session-title", "Voting day")
    control.click("form[action$='/sessions'] button[type=submit]")
    control.wait_for_url(re.compile(r"/sessions/\d+$"))
    session_id = int(control.url.rsplit("/", 1)[1])
    agenda = Path(tmp_path_factory.mktemp("voting")) / "voting.toml"
    agenda.write_text(AGENDA, encoding="utf-8")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "run.py"),
            "agenda",
            "import",
            str(agenda),
            "--session",
            str(session_id),
            "--db",
            str(server.db_path),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    control.goto(f"{server.url}/sessions/{session_id}/control")
    control.click("#start-session")
    expect(control.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    code = control.inner_text("#control-code").replace(" ", "")
    ids = [int(i) for i in re.findall(r'id="control-item-(\d+)"', control.content())]
    titles = re.findall(r'^title = "(.*)"$', AGENDA, flags=re.M)
    items = dict(zip(titles, ids, strict=True))
    presenter = watch(facilitator.new_page(), problems)
    presenter.set_viewport_size({"width": 1600, "height": 900})
    presenter.goto(f"{server.url}/sessions/{session_id}/present")
    contexts: list[BrowserContext] = []
    phones: list[Page] = []
    phone_problems: list[PageProblems] = []
    for _ in range(3):
        ctx = new_context(browser, **PHONE)
        contexts.append(ctx)
        found = PageProblems()
        phone_problems.append(found)
        page = watch(ctx.new_page(), found)
        page.goto(f"{server.url}/j/{code}")
        page.click("button[type=submit]")
        expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
        phones.append(page)
    try:
        yield Room(control, presenter, phones, items)
        for page, found in zip(phones, phone_problems, strict=True):
            assert_clean(page, found)
        assert_clean(control, problems)
    finally:
        for ctx in contexts:
            ctx.close()
        facilitator.close()


def send(phone: Page) -> None:
    phone.click("#answer-form button[type=submit]")
    expect(phone.locator("#own li")).to_have_count(1)


def test_single_choice_bars_and_a_changed_vote(room: Room) -> None:
    room.go("Where are we?")
    for phone, label in zip(room.phones, ("Halfway", "Halfway", "Not started"), strict=True):
        phone.get_by_label(label).check()
        send(phone)
    bars = room.presenter.locator(".bar")
    expect(bars.nth(1)).to_contain_text("2 · 67 %")
    expect(bars.nth(2)).to_contain_text("1 · 33 %")
    expect(room.presenter.locator(".bar-total")).to_have_text("3 votes")
    # The control panel shows the same result rather than a list to moderate.
    expect(room.control.locator("#control-results .bar").nth(1)).to_contain_text("2 · 67 %")

    # The third phone changes its mind: still three votes, one moved.
    third = room.phones[2]
    third.locator("#own details summary").click()
    third.locator("#own details").get_by_label("Well under way").check()
    third.locator("#own details button[type=submit]").click()
    expect(third.locator("#own li")).to_contain_text("Well under way")
    expect(bars.nth(0)).to_contain_text("1 · 33 %")
    expect(bars.nth(2)).to_contain_text("0 · 0 %")
    expect(room.presenter.locator(".bar-total")).to_have_text("3 votes")


def test_multiple_choice_with_a_limit(room: Room) -> None:
    room.go("What do we need?")
    picks = (("Time", "Trust"), ("Trust",), ("Trust", "Tools"))
    for phone, chosen in zip(room.phones, picks, strict=True):
        for label in chosen:
            phone.get_by_label(label).check()
        send(phone)
    bars = room.presenter.locator(".bar")
    expect(bars.nth(1)).to_contain_text("3 · 100 %")
    expect(bars.nth(0)).to_contain_text("1 · 33 %")
    expect(bars.nth(3)).to_contain_text("0 · 0 %")

    # Three picks where two are allowed: refused with a message, nothing stored.
    first = room.phones[0]
    first.locator("#own details summary").click()
    for label in ("Tools", "Training"):
        first.locator("#own details").get_by_label(label).check()
    first.locator("#own details button[type=submit]").click()
    expect(first.locator("#answers .field-error")).to_contain_text("Choose at most 2 options.")
    expect(bars.nth(3)).to_contain_text("0 · 0 %")


def test_scale_means_and_radar(room: Room) -> None:
    room.go("Competence wheel")
    ratings = ((1, 5, 3), (2, 5, 3), (3, 5, 5))
    for phone, given in zip(room.phones, ratings, strict=True):
        for i, value in enumerate(given):
            phone.locator(f"#answer-text-{i}-{value}").check()
        send(phone)
    result = room.presenter.locator(".scale-result")
    expect(result.locator(".scale-mean")).to_have_text(["2.0", "5.0", "3.7"])
    expect(result.locator(".bar-total")).to_have_text("3 phones have rated")
    expect(result.locator("svg.radar .radar-label")).to_have_text(
        ["Strategy", "Relations", "Change"]
    )
    expect(result.locator("svg.radar .radar-shape")).to_have_count(1)


def test_points_rank_options_and_a_lock_reaches_every_phone(room: Room) -> None:
    room.go("Priorities")
    first = room.phones[0]
    # The phone counts down what is left and will not send an overspent answer.
    first.locator("#answer-text-0").fill("80")
    first.locator("#answer-text-1").fill("30")
    expect(first.locator(".points-left")).to_have_text("Too many: take 10 back")
    expect(first.locator("#answer-form button[type=submit]")).to_be_disabled()
    first.locator("#answer-text-1").fill("20")
    expect(first.locator(".points-left")).to_have_text("Points left: 0")
    send(first)
    for phone, given in zip(room.phones[1:], ((0, 50, 50), (10, 0, 90)), strict=True):
        for i, points in enumerate(given):
            phone.locator(f"#answer-text-{i}").fill(str(points))
        send(phone)
    labels = room.presenter.locator(".ranking .bar-label")
    expect(labels).to_have_text(["Skills", "Trust", "Time"])
    expect(room.presenter.locator(".ranking .bar-value").first).to_have_text("140 · 47 %")

    # Locked: every phone loses its forms at once.
    room.control.click("#lock-toggle")
    for phone in room.phones:
        expect(phone.locator("#locked")).to_be_visible()
        expect(phone.locator("#own details")).to_have_count(0)
