"""Two phones of one group edit the same point of the group's list in real Chromium: the one
that saves second began on an older copy, and a push re-rendered its form with the newer
version meanwhile. Its edit must not overwrite the other's silently: the server refuses it
as stale, the phone is told, and the first phone's text stays.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, PageProblems, assert_clean, new_context, watch
from tests.browser.rooms import join_phone
from tests.integration.db import rows
from tests.live_helpers import close_clients, csrf_of, facilitator_client, live_session

PHONE = {"viewport": {"width": 360, "height": 640}, "locale": "en-US", "is_mobile": True}
AGENDA = """samling_agenda = 1

[[item]]
title = "Samskaping"
duration = 5
kind = "exercise"
exercise = "group_work"

[item.settings]
task = "What does co-creation mean for us?"
phases = [{ name = "Talk in the group", minutes = 5, mode = "group", instructions = "" }]
"""


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    close_clients()


def _edit_form(phone: Page, point: str) -> tuple[object, object]:
    item = phone.locator(f"#{point}")
    details = item.locator("details.own-edit")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return item.locator("textarea"), item.locator("details.own-edit button[type=submit]")


def test_an_edit_begun_on_an_older_copy_never_overwrites_a_newer_one(
    browser: Browser, server: LiveServer
) -> None:
    fac = facilitator_client(server, "conflicts", "conflicts password 1")
    live = live_session(server, fac, agenda=AGENDA)
    csrf = csrf_of(fac)
    contexts: list[BrowserContext] = []
    watched: list[tuple[Page, PageProblems]] = []
    try:
        phones: list[Page] = []
        for n in range(2):
            context = new_context(browser, **PHONE)
            contexts.append(context)
            problems = PageProblems()
            phone = watch(context.new_page(), problems)
            watched.append((phone, problems))
            phones.append(join_phone(phone, server, live.code, name=f"Phone {n}"))
        formed = fac.post(
            f"/sessions/{live.id}/live/groups",
            data={"how": "count", "number": "1", "csrf_token": csrf},
        )
        assert formed.status_code in (204, 303), formed.text
        started = fac.post(
            f"/sessions/{live.id}/live/timer", data={"action": "start", "csrf_token": csrf}
        )
        assert started.status_code in (204, 303), started.text
        first, second = phones
        expect(first.locator("#point-form")).to_be_visible()
        first.fill("#point-form textarea", "Shared goals across the units")
        first.click("#point-form button[type=submit]")
        for phone in phones:
            expect(phone.locator("#group-points li[id^='point-']")).to_have_count(1)
        point = first.locator("#group-points li[id^='point-']").first.get_attribute("id")
        assert point

        # The first phone begins an edit on version 1 ...
        text, save = _edit_form(first, point)
        text.fill("Shared goals, written by the first phone")  # type: ignore[attr-defined]
        # ... the second phone saves its own edit of the same point meanwhile ...
        other_text, other_save = _edit_form(second, point)
        other_text.fill("Shared goals, as the second phone put it")  # type: ignore[attr-defined]
        other_save.click()  # type: ignore[attr-defined]
        for phone in phones:
            expect(phone.locator(f"#{point} .point-text")).to_have_text(
                "Shared goals, as the second phone put it"
            )
        # ... and the first phone's form was re-rendered by that push: it saves last.
        text, save = _edit_form(first, point)
        expect(text).to_have_value("Shared goals, written by the first phone")  # type: ignore[arg-type]
        save.click()  # type: ignore[attr-defined]
        expect(first.locator("body")).to_contain_text("meanwhile")
        stored = rows(
            server.db_path, "SELECT value FROM responses WHERE id = ?", int(point.split("-")[1])
        )
        assert "as the second phone put it" in str(stored[0][0])
        for phone in phones:
            expect(phone.locator(f"#{point} .point-text")).to_have_text(
                "Shared goals, as the second phone put it"
            )
        for page, problems in watched:
            assert_clean(page, problems)
    finally:
        for context in contexts:
            context.close()
