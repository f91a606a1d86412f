"""Moderation in real Chromium: the programme's blocked words, answers held back for the
facilitator's approval, and results hidden on the presenter until revealed.

One server and one live session for the module; three phone-sized contexts answer,
the presenter and the control panel share the facilitator's context. Each test moves
the session to its own item.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    LiveServer,
    watch,
)
from tests.browser.rooms import LiveRoom, live_room

WAITING = "Waiting for the facilitator's approval"
AGENDA = """samling_agenda = 1

[[item]]
title = "What went well?"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "One thing that went well"
answers_per_phone = 3
max_length = 200

[[item]]
title = "Honest feedback"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "What should we change?"
answers_per_phone = 1
max_length = 200
approve = true

[[item]]
title = "One word"
duration = 5
kind = "exercise"
exercise = "word_cloud"

[item.settings]
question = "One word for today"
entries_per_phone = 2
max_length = 25
approve = true

[[item]]
title = "Secret ballot"
duration = 5
kind = "exercise"
exercise = "choice"

[item.settings]
question = "Shall we go on?"
options = ["Yes", "No"]
hide_results = true

[[item]]
title = "Open ballot"
duration = 5
kind = "exercise"
exercise = "choice"

[item.settings]
question = "Lunch now?"
options = ["Now", "Later"]
"""


@pytest.fixture(scope="module")
def room(
    browser: Browser, server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveRoom]:
    with live_room(
        browser,
        server,
        tmp_path_factory.mktemp("moderation"),
        username="moderator",
        title="Moderated",
        agenda=AGENDA,
    ) as live:
        yield live


def send(phone: Page, text: str, count: int) -> int:
    """Send an answer; return its id (the phone lists it as its own)."""
    phone.fill("#answer-text", text)
    phone.click("#answer-form button[type=submit]")
    own = phone.locator("#own li")
    expect(own).to_have_count(count)
    expect(own.nth(count - 1)).to_contain_text(text)
    return int((own.nth(count - 1).get_attribute("id") or "").removeprefix("own-"))


def stored_blocklist(db: Path, programme_id: int) -> list[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "SELECT blocklist FROM programmes WHERE id = ?", (programme_id,)
        ).fetchone()
    finally:
        conn.close()
    return [line for line in str(row[0]).split("\n") if line]


def open_programme(room: LiveRoom, server: LiveServer, programme_id: int) -> Page:
    page = watch(room.facilitator.new_page(), room.problems)
    page.goto(f"{server.url}/programmes/{programme_id}")
    expect(page.locator("#blocklist-card h2")).to_have_text("Blocked words")
    return page


def test_the_blocklist_is_edited_on_the_programme_page(room: LiveRoom, server: LiveServer) -> None:
    page = watch(room.facilitator.new_page(), room.problems)
    page.goto(f"{server.url}/programmes")
    page.fill("#title", "Word list programme")
    page.click("form[action='/programmes'] button[type=submit]")
    page.wait_for_url(re.compile(r"/programmes/\d+$"))
    programme_id = int(page.url.rsplit("/", 1)[1])
    # A new programme starts with the English starter list (the facilitator's language).
    box = page.locator("#blocklist")
    expect(box).to_have_value(re.compile(r"^fuck\*\nshit\*\n.*\nidiot\*\n.*stupid$", re.S))

    # Saved lines are folded: case, punctuation as a space, repeats dropped.
    box.fill("  Tull og TØYS!\nbanan*\n\nBANAN*\nsjef-dust")
    page.click("#blocklist-form button[type=submit]")
    expect(page.locator("#blocklist-saved")).to_have_text("The list of blocked words is saved.")
    expect(box).to_have_value("tull og tøys\nbanan*\nsjef dust")
    assert stored_blocklist(server.db_path, programme_id) == ["tull og tøys", "banan*", "sjef dust"]

    # A * inside a word is refused with its line; what was typed stays, nothing is saved.
    box.fill("kake\na*b")
    page.click("#blocklist-form button[type=submit]")
    expect(page.locator("#blocklist-error")).to_have_text(
        "Line 2: a * may only end a word, as in drit*."
    )
    expect(box).to_have_value("kake\na*b")
    expect(page.locator("#blocklist-saved")).to_have_count(0)
    assert stored_blocklist(server.db_path, programme_id) == ["tull og tøys", "banan*", "sjef dust"]
    box.fill("ok\n" + "x" * 61)
    page.click("#blocklist-form button[type=submit]")
    expect(page.locator("#blocklist-error")).to_have_text("Line 2 is longer than 60 characters.")
    assert stored_blocklist(server.db_path, programme_id) == ["tull og tøys", "banan*", "sjef dust"]
    page.goto(f"{server.url}/programmes/{programme_id}")
    expect(box).to_have_value("tull og tøys\nbanan*\nsjef dust")

    # The Norwegian starter list is added after the programme's own lines.
    page.select_option("#starter-language", "nb")
    page.locator("#blocklist-card form", has=page.locator("#starter-language")).locator(
        "button[type=submit]"
    ).click()
    expect(page.locator("#blocklist-saved")).to_be_visible()
    stored = stored_blocklist(server.db_path, programme_id)
    assert stored[:4] == ["tull og tøys", "banan*", "sjef dust", "faen"]
    assert "jævel*" in stored and "tulling" in stored and len(stored) == len(set(stored))
    expect(box).to_have_value("\n".join(stored))
    page.close()


def test_a_blocked_word_waits_until_the_facilitator_approves_it(
    room: LiveRoom, server: LiveServer
) -> None:
    item = room.go("What went well?")
    first, second, third = room.phones
    # "idiot*" is on the English starter list this programme began with.
    held = send(first, "Idioter overalt!", 1)
    expect(first.locator(f"#waiting-{held}")).to_have_text(WAITING)
    send(second, "Good coffee", 1)
    send(third, "Clear goals", 1)
    wall = room.presenter.locator(f"#answers-{item} li")
    expect(wall).to_have_text(["Good coffee", "Clear goals"])
    expect(room.presenter.locator("#present-results")).not_to_contain_text("Idioter")
    # The control panel lists it to approve, and not among the answers.
    waiting = room.control.locator("#control-pending li")
    expect(waiting).to_have_count(1)
    expect(room.control.locator(f"#pending-{held}")).to_contain_text("Idioter overalt!")
    expect(room.control.locator("#pending-count")).to_have_text("1")
    expect(room.control.locator("#approve-all")).to_have_count(0)
    expect(room.control.locator(f"#responses-{item} .response-text")).to_have_text(
        ["Good coffee", "Clear goals"]
    )
    for phone in (second, third):
        expect(phone.locator(".waiting")).to_have_count(0)

    room.control.click(f"#approve-{held}")
    expect(wall).to_have_text(["Idioter overalt!", "Good coffee", "Clear goals"])
    expect(first.locator(f"#waiting-{held}")).to_have_count(0)
    expect(first.locator(f"#own-{held}")).to_contain_text("Idioter overalt!")
    expect(waiting).to_have_count(0)
    expect(room.control.locator(f"#responses-{item} .response-text")).to_have_count(3)

    # A word added to the list now holds the next answer back; "Hide" keeps it off
    # the screen for good.
    page = open_programme(room, server, room.programme_id)
    box = page.locator("#blocklist")
    box.fill(box.input_value() + "\nbanan*")
    page.click("#blocklist-form button[type=submit]")
    expect(page.locator("#blocklist-saved")).to_be_visible()
    page.close()
    banned = send(second, "Bananas for everyone", 2)
    expect(second.locator(f"#waiting-{banned}")).to_have_text(WAITING)
    expect(room.control.locator(f"#pending-{banned}")).to_contain_text("Bananas for everyone")
    room.control.click(f"#reject-{banned}")
    expect(waiting).to_have_count(0)
    send(third, "Short meetings", 2)
    expect(wall).to_have_text(["Idioter overalt!", "Good coffee", "Clear goals", "Short meetings"])
    expect(room.control.locator(f"#responses-{item} .response-text")).to_have_count(4)


def test_every_answer_waits_when_the_item_asks_for_approval(room: LiveRoom) -> None:
    item = room.go("Honest feedback")
    texts = ("Fewer slides", "More breaks", "Start on time")
    ids = [send(phone, text, 1) for phone, text in zip(room.phones, texts, strict=True)]
    for phone, response in zip(room.phones, ids, strict=True):
        expect(phone.locator(f"#waiting-{response}")).to_have_text(WAITING)
    pending = room.control.locator("#control-pending")
    expect(pending.locator("li .response-text")).to_have_text(list(texts))
    expect(pending).to_contain_text("Every answer to this question waits for approval.")
    expect(room.control.locator("#pending-count")).to_have_text("3")
    expect(room.control.locator(f"#responses-{item} li")).to_have_count(0)
    expect(room.presenter.locator("#present-counts")).to_have_text("3 phones have answered")
    expect(room.presenter.locator(f"#answers-{item} li")).to_have_count(0)
    # A page loaded now renders the same: nothing on the wall, all three waiting.
    for page in (room.presenter, room.control, room.phones[0]):
        page.reload()
        expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
    expect(room.presenter.locator("#present-title")).to_have_text("Honest feedback")
    expect(room.presenter.locator(f"#answers-{item} li")).to_have_count(0)
    expect(pending.locator("li .response-text")).to_have_text(list(texts))
    expect(room.control.locator(f"#responses-{item} li")).to_have_count(0)
    expect(room.phones[0].locator(f"#waiting-{ids[0]}")).to_have_text(WAITING)

    room.control.click("#approve-all")
    expect(room.presenter.locator(f"#answers-{item} li")).to_have_text(list(texts))
    for phone, response in zip(room.phones, ids, strict=True):
        expect(phone.locator(f"#own-{response}")).to_be_visible()
        expect(phone.locator(".waiting")).to_have_count(0)
    expect(pending.locator("li")).to_have_count(0)
    expect(room.control.locator("#approve-all")).to_have_count(0)
    expect(room.control.locator(f"#responses-{item} .response-text")).to_have_text(list(texts))


def test_a_cloud_entry_is_drawn_only_once_approved(room: LiveRoom) -> None:
    room.go("One word")
    trust = send(room.phones[0], "Tillit", 1)
    joy = send(room.phones[1], "Glede", 1)
    expect(room.phones[1].locator(f"#waiting-{joy}")).to_have_text(WAITING)
    expect(room.control.locator("#control-pending li")).to_have_count(2)
    counts = room.presenter.locator(".cloud-counts")
    expect(counts).to_have_text("0 entries · 0 phones")
    cloud = room.presenter.locator("svg.cloud")
    expect(cloud).to_have_count(0)

    room.control.click(f"#approve-{trust}")
    expect(cloud.locator("text")).to_have_text(["Tillit"], timeout=10_000)
    expect(counts).to_have_text("1 entry · 1 phone")
    expect(room.presenter.locator(".cloud-list li")).to_have_count(1)
    # Drawn after "Glede" was sent, and still without it.
    expect(cloud.locator("text", has_text="Glede")).to_have_count(0)
    expect(room.phones[0].locator(f"#waiting-{trust}")).to_have_count(0)
    expect(room.phones[1].locator(f"#waiting-{joy}")).to_be_visible()

    room.control.click(f"#approve-{joy}")
    expect(cloud.locator("text")).to_have_count(2, timeout=10_000)
    expect(cloud.locator("text", has_text="Glede")).to_have_count(1)
    expect(counts).to_have_text("2 entries · 2 phones")
    expect(room.phones[1].locator(f"#waiting-{joy}")).to_have_count(0)


def test_results_stay_hidden_until_revealed(room: LiveRoom) -> None:
    room.go("Secret ballot")
    results = room.presenter.locator("#present-results")
    expect(results).to_have_class(re.compile(r"\bresults-hidden\b"))
    toggle = room.control.locator("#results-toggle")
    expect(toggle).to_have_text("Show results on the screen")
    for phone, label in zip(room.phones, ("Yes", "Yes", "No"), strict=True):
        phone.get_by_label(label).check()
        phone.click("#answer-form button[type=submit]")
        expect(phone.locator("#own li")).to_have_count(1)
    expect(room.presenter.locator("#present-counts")).to_have_text("3 phones have answered")
    expect(results.locator(".bar")).to_have_count(0)
    expect(results).to_be_empty()
    # The control panel still shows the facilitator the result.
    expect(room.control.locator("#control-kind")).to_contain_text("hidden on the screen")
    expect(room.control.locator("#control-kind .bar").first).to_contain_text("2 · 67%")

    toggle.click()
    expect(results).not_to_have_class(re.compile(r"\bresults-hidden\b"))
    expect(results.locator(".bar").first).to_contain_text("2 · 67%")
    expect(results.locator(".bar-total")).to_have_text("3 votes")
    expect(toggle).to_have_text("Hide results on the screen")

    # An item without the setting shows its results at once.
    room.go("Open ballot")
    expect(results).not_to_have_class(re.compile(r"\bresults-hidden\b"))
    expect(results.locator(".bar")).to_have_count(2)
    expect(toggle).to_have_text("Hide results on the screen")
    room.phones[0].get_by_label("Later").check()
    room.phones[0].click("#answer-form button[type=submit]")
    expect(results.locator(".bar").nth(1)).to_contain_text("1 · 100%")

    # Back to the hidden item: hidden again, though it was revealed before.
    room.go("Secret ballot")
    expect(results).to_have_class(re.compile(r"\bresults-hidden\b"))
    expect(results.locator(".bar")).to_have_count(0)
    expect(toggle).to_have_text("Show results on the screen")
