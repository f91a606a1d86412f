"""choice, scale and points in real Chromium: three phones vote, the projector shows it.

One server and one live session for the module; each test moves the session
to its item, has three phone-sized contexts answer, and reads the presenter
screen. A phone changes its vote, and a lock reaches every phone at once.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.rooms import LiveRoom, live_room

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


@pytest.fixture(scope="module")
def room(
    browser: Browser, server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveRoom]:
    with live_room(
        browser,
        server,
        tmp_path_factory.mktemp("voting"),
        username="voter",
        title="Voting",
        agenda=AGENDA,
        phone=PHONE,
    ) as live:
        yield live


def send(phone: Page) -> None:
    phone.click("#answer-form button[type=submit]")
    expect(phone.locator("#own li")).to_have_count(1)


def test_single_choice_bars_and_a_changed_vote(room: LiveRoom) -> None:
    room.go("Where are we?")
    for phone, label in zip(room.phones, ("Halfway", "Halfway", "Not started"), strict=True):
        phone.get_by_label(label).check()
        send(phone)
    bars = room.presenter.locator(".bar")
    expect(bars.nth(1)).to_contain_text("2 · 67%")
    expect(bars.nth(2)).to_contain_text("1 · 33%")
    expect(room.presenter.locator(".bar-total")).to_have_text("3 votes")
    # The control panel shows the same result rather than a list to moderate.
    expect(room.control.locator("#control-kind .bar").nth(1)).to_contain_text("2 · 67%")

    # The third phone changes its mind: still three votes, one moved.
    third = room.phones[2]
    third.locator("#own .own-edit-link").click()
    third.locator("#own form.own-edit").get_by_label("Well under way").check()
    third.locator("#own form.own-edit button[type=submit]").click()
    expect(third.locator("#own li")).to_contain_text("Well under way")
    expect(bars.nth(0)).to_contain_text("1 · 33%")
    expect(bars.nth(2)).to_contain_text("0 · 0%")
    expect(room.presenter.locator(".bar-total")).to_have_text("3 votes")


def test_multiple_choice_with_a_limit(room: LiveRoom) -> None:
    room.go("What do we need?")
    picks = (("Time", "Trust"), ("Trust",), ("Trust", "Tools"))
    for phone, chosen in zip(room.phones, picks, strict=True):
        for label in chosen:
            phone.get_by_label(label).check()
        send(phone)
    bars = room.presenter.locator(".bar")
    expect(bars.nth(1)).to_contain_text("3 · 100%")
    expect(bars.nth(0)).to_contain_text("1 · 33%")
    expect(bars.nth(3)).to_contain_text("0 · 0%")

    # Three picks where two are allowed: refused with a message, nothing stored.
    first = room.phones[0]
    first.locator("#own .own-edit-link").click()
    for label in ("Tools", "Training"):
        first.locator("#own form.own-edit").get_by_label(label).check()
    first.locator("#own form.own-edit button[type=submit]").click()
    expect(first.locator("#answers .field-error")).to_contain_text("Choose at most 2 options.")
    expect(bars.nth(3)).to_contain_text("0 · 0%")


def test_scale_means_and_radar(room: LiveRoom) -> None:
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


def test_points_rank_options_and_a_lock_reaches_every_phone(room: LiveRoom) -> None:
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
    expect(room.presenter.locator(".ranking .bar-value").first).to_have_text("140 · 47%")

    # Locked: every phone loses its forms at once.
    room.control.click("#lock-toggle")
    for phone in room.phones:
        expect(phone.locator("#locked")).to_be_visible()
        expect(phone.locator("#own .own-edit-link")).to_have_count(0)
