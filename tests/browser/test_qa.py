"""Q&A in real Chromium: three phones ask, see each other's questions and vote; the
presenter ranks them by votes; the facilitator marks one answered and locks voting."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.rooms import LiveRoom, live_room

AGENDA = """samling_agenda = 1

[[item]]
title = "Spørsmål til ledelsen"
duration = 10
kind = "exercise"
exercise = "qa"

[item.settings]
question = "Hva vil du spørre om?"
questions_per_phone = 2
max_length = 200
"""
HOSTILE = '<img src=x onerror="alert(1)">Hvorfor?'


@pytest.fixture(scope="module")
def room(
    browser: Browser, server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveRoom]:
    with live_room(
        browser,
        server,
        tmp_path_factory.mktemp("qa"),
        username="asker",
        title="Q&A",
        agenda=AGENDA,
    ) as live:
        expect(live.presenter.locator("#present-title")).to_have_text("Spørsmål til ledelsen")
        yield live


def ask(phone: Page, text: str, name: str, count: int) -> None:
    phone.fill("#answer-text", text)
    phone.fill("#answer-text-name", name)
    phone.click("#answer-form button[type=submit]")
    expect(phone.locator("#own li")).to_have_count(count)


def question_id(page: Page, text: str) -> str:
    found = page.locator("#shared li", has_text=text)
    expect(found).to_have_count(1)
    return (found.get_attribute("id") or "").removeprefix("question-")


def vote(phone: Page, qid: str, pressed: bool) -> None:
    button = phone.locator(f"button[data-vote='{qid}']")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true" if pressed else "false")


def test_phones_ask_vote_and_the_presenter_ranks_by_votes(room: LiveRoom) -> None:
    first, second, third = room.phones
    ask(first, "Når kommer den nye turnusen?", "Siri Fjell", 1)
    ask(second, "Hvem bestemmer budsjettet?", "", 1)
    ask(third, HOSTILE, "", 1)
    # Every phone sees every question, and cannot vote for its own.
    for phone in room.phones:
        expect(phone.locator("#shared li")).to_have_count(3)
    turnus = question_id(first, "turnusen")
    budget = question_id(first, "budsjettet")
    hostile = question_id(first, "Hvorfor?")
    expect(first.locator(f"button[data-vote='{turnus}']")).to_be_disabled()
    expect(second.locator(f"button[data-vote='{budget}']")).to_be_disabled()
    expect(first.locator("#shared li", has_text="turnusen")).to_contain_text("Siri Fjell")
    # The hostile question is text, not an element.
    expect(third.locator("#shared li", has_text="Hvorfor?")).to_contain_text("<img src=x")
    assert room.presenter.locator(".qa-result img").count() == 0

    vote(second, turnus, True)
    vote(third, turnus, True)
    vote(third, budget, True)
    vote(first, hostile, True)
    ranked = room.presenter.locator("#present-results .qa-list li")
    expect(ranked.first).to_contain_text("turnusen")
    expect(ranked.first.locator(".qa-count")).to_have_text("2")
    expect(ranked).to_have_count(3)
    # One vote each for the other two: the older question comes first.
    expect(ranked.nth(1)).to_contain_text("budsjettet")
    expect(ranked.nth(2)).to_contain_text("Hvorfor?")
    expect(first.locator(f"button[data-vote='{budget}'] .vote-count")).to_have_text("1")

    # A vote counts once per phone: voting again takes it back.
    vote(third, turnus, False)
    expect(ranked.first.locator(".qa-count")).to_have_text("1")
    vote(third, turnus, True)
    expect(ranked.first.locator(".qa-count")).to_have_text("2")
    # The vote is stored: after a reload the phone still shows it.
    third.reload()
    expect(third.locator("#connection")).to_have_attribute("data-state", "connected")
    expect(third.locator(f"button[data-vote='{turnus}']")).to_have_attribute("aria-pressed", "true")
    stored = room.presenter.locator(f"#qa-{turnus} .qa-count")
    expect(stored).to_have_text("2")


def test_answered_questions_move_down_and_a_lock_closes_voting(room: LiveRoom) -> None:
    turnus = question_id(room.phones[0], "turnusen")
    room.control.click(f"#answered-{turnus}")
    answered = room.presenter.locator(".qa-answered li")
    expect(answered).to_have_count(1)
    expect(answered.first).to_contain_text("turnusen")
    expect(room.presenter.locator("#present-results .qa-list li").first).to_contain_text(
        "budsjettet"
    )
    expect(room.phones[1].locator(f"#question-{turnus}")).to_contain_text("(answered)")
    expect(room.control.locator(f"#answered-{turnus}")).to_have_text("Not answered")

    room.control.click("#lock-toggle")
    for phone in room.phones:
        expect(phone.locator("#locked")).to_be_visible()
        expect(phone.locator("button[data-vote]:not([disabled])")).to_have_count(0)
