"""The word cloud in real Chromium: three phones send entries, the projector draws them,
the facilitator merges and hides; pushes and answers go on while a layout runs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.rooms import LiveRoom, live_room

AGENDA = """samling_agenda = 1

[[item]]
title = "Hva trenger vi?"
duration = 5
kind = "exercise"
exercise = "word_cloud"

[item.settings]
question = "Ett til tre ord"
entries_per_phone = 3
max_length = 25
"""


@pytest.fixture(scope="module")
def room(
    browser: Browser, server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveRoom]:
    with live_room(
        browser,
        server,
        tmp_path_factory.mktemp("cloud"),
        username="clouds",
        title="Cloud",
        agenda=AGENDA,
    ) as live:
        expect(live.presenter.locator("#present-title")).to_have_text("Hva trenger vi?")
        yield live


def send(phone: Page, text: str, count: int) -> None:
    phone.fill("#answer-text", text)
    phone.click("#answer-form button[type=submit]")
    expect(phone.locator("#own li")).to_have_count(count)


def test_three_phones_make_a_cloud_that_groups_equal_phrases(
    room: LiveRoom, tmp_path: Path
) -> None:
    entries = (
        ("Felles forståelse!", "Tillit", "og"),
        ("«felles forståelse»", "tillit", "Samarbeide"),
        ("felles forståelse", "Ærlighet på øya", "samarbeid"),
    )
    for phone, texts in zip(room.phones, entries, strict=True):
        for n, text in enumerate(texts, start=1):
            send(phone, text, n)
        expect(phone.locator("#all-sent")).to_be_visible()
    cloud = room.presenter.locator("svg.cloud")
    expect(cloud.locator("text")).to_have_count(5, timeout=10_000)  # "og" is not drawn
    expect(cloud.locator("text", has_text="Felles forståelse")).to_have_count(1)
    listed = room.presenter.locator(".cloud-list li")
    # Two of three wrote it in lower case: that spelling is shown.
    expect(listed.first).to_have_text(re.compile(r"^felles forståelse\s+3$"))
    expect(room.presenter.locator(".cloud-counts")).to_have_text("9 entries · 3 phones")
    # The font is ours and has the Nordic letters: a screenshot for the record.
    room.presenter.locator(".cloud-result").screenshot(path=str(tmp_path / "cloud.png"))
    assert room.presenter.evaluate("document.fonts.check('20px \"Samling Cloud\"', 'æøå')")

    # The facilitator merges "Samarbeide" into "samarbeid" and hides "Tillit".
    room.control.fill("#merge-entry", "Samarbeide")
    room.control.fill("#merge-into", "samarbeid")
    room.control.click("#merge-form button[type=submit]")
    expect(listed.filter(has_text=re.compile(r"^samarbeid\s+2$"))).to_have_count(1)
    room.control.locator(".entries li", has_text="Tillit").get_by_role(
        "button", name="Hide"
    ).click()
    expect(cloud.locator("text", has_text="Tillit")).to_have_count(0, timeout=10_000)
    expect(cloud.locator("text")).to_have_count(3, timeout=10_000)
    expect(room.presenter.locator(".cloud-counts")).to_have_text("7 entries · 3 phones")
