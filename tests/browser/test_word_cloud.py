"""The word cloud in real Chromium: three phones send entries, the projector draws them,
the facilitator merges and hides; pushes and answers go on while a layout runs."""

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

PHONE = {"viewport": {"width": 360, "height": 640}, "locale": "en-GB", "is_mobile": True}
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


@dataclass
class Room:
    control: Page
    presenter: Page
    phones: list[Page]


@pytest.fixture(scope="module")
def room(
    browser: Browser, server: LiveServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Room]:
    server.add_facilitator("clouds", "clouds password 1")
    problems = PageProblems()
    facilitator = new_context(browser, locale="en-GB", viewport={"width": 1280, "height": 900})
    control = watch(facilitator.new_page(), problems)
    log_in(control, server, "clouds", "clouds password 1")
    control.fill("#title", "Cloud programme")
    control.click("form[action='/programmes'] button[type=submit]")
    control.fill("#session-title", "Cloud day")
    control.click("form[action$='/sessions'] button[type=submit]")
    control.wait_for_url(re.compile(r"/sessions/\d+$"))
    session_id = int(control.url.rsplit("/", 1)[1])
    agenda = Path(tmp_path_factory.mktemp("cloud")) / "cloud.toml"
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
    presenter = watch(facilitator.new_page(), problems)
    presenter.set_viewport_size({"width": 1600, "height": 900})
    presenter.goto(f"{server.url}/sessions/{session_id}/present")
    expect(presenter.locator("#present-title")).to_have_text("Hva trenger vi?")
    contexts: list[BrowserContext] = []
    phones: list[Page] = []
    found: list[PageProblems] = []
    for _ in range(3):
        ctx = new_context(browser, **PHONE)
        contexts.append(ctx)
        seen = PageProblems()
        found.append(seen)
        page = watch(ctx.new_page(), seen)
        page.goto(f"{server.url}/j/{code}")
        page.click("button[type=submit]")
        expect(page.locator("#connection")).to_have_attribute("data-state", "connected")
        phones.append(page)
    try:
        yield Room(control, presenter, phones)
        for page, seen in zip(phones, found, strict=True):
            assert_clean(page, seen)
        assert_clean(control, problems)
    finally:
        for ctx in contexts:
            ctx.close()
        facilitator.close()


def send(phone: Page, text: str, count: int) -> None:
    phone.fill("#answer-text", text)
    phone.click("#answer-form button[type=submit]")
    expect(phone.locator("#own li")).to_have_count(count)


def test_three_phones_make_a_cloud_that_groups_equal_phrases(room: Room, tmp_path: Path) -> None:
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
