"""The live loop in real Chromium: a facilitator, a projector and three phones.

One server for the module; the facilitator's browser drives the control
panel, a second page shows the presenter screen, and three phone-sized
contexts join and answer.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator

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
from tests.browser.rooms import join_phone

PHONE = {
    "viewport": {"width": 360, "height": 640},
    "locale": "en-GB",
    "is_mobile": True,
    "has_touch": True,
}
AGENDA = """samling_agenda = 1

[[item]]
title = "Welcome"
start = "09:00"
duration = 5
kind = "talk"

[[item]]
title = "Expectations"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "What matters most to you today?"
answers_per_phone = 1
max_length = 200

[[item]]
title = "Contributions"
duration = 10
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "What will you contribute?"
answers_per_phone = 2
max_length = 200

[[item]]
title = "Lunch"
duration = 45
kind = "break"
"""


def _rows(server: LiveServer, sql: str, *params: object) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{server.db_path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


class Phone:
    def __init__(self, browser: Browser, name: str) -> None:
        self.name = name
        self.context = new_context(browser, **PHONE)
        self.problems = PageProblems()
        self.page = watch(self.context.new_page(), self.problems)

    def answer(self, text: str) -> None:
        self.page.fill("#answer-text", text)
        self.page.click("#answer-form button[type=submit]")

    def close(self) -> None:
        assert_clean(self.page, self.problems)
        self.context.close()


@pytest.fixture(scope="module")
def facilitator_context(browser: Browser, server: LiveServer) -> Iterator[BrowserContext]:
    server.add_facilitator("live", "live password 1")
    ctx = new_context(browser, locale="en-GB", viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


def test_a_live_session_with_three_phones(
    browser: Browser, server: LiveServer, facilitator_context: BrowserContext, tmp_path
) -> None:
    problems = PageProblems()
    control = watch(facilitator_context.new_page(), problems)
    log_in(control, server, "live", "live password 1")

    # A programme, a session, and the day's agenda from a file.
    control.fill("#title", "Live programme")
    control.click("form[action='/programmes'] button[type=submit]")
    control.fill("#session-title", "Live day")
    control.click("form[action$='/sessions'] button[type=submit]")
    control.wait_for_url(re.compile(r"/sessions/\d+$"))
    session_id = int(control.url.rsplit("/", 1)[1])
    agenda = tmp_path / "live.toml"
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

    # Start the session; open the presenter screen.
    control.goto(f"{server.url}/sessions/{session_id}/control")
    control.click("#start-session")
    expect(control.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    spaced = control.inner_text("#control-code")
    code = spaced.replace(" ", "")
    join_url = control.get_attribute("#join-link", "href")
    assert join_url == f"{server.url}/j/{code}"
    presenter = watch(facilitator_context.new_page(), problems)
    presenter.set_viewport_size({"width": 1600, "height": 900})
    presenter.goto(f"{server.url}/sessions/{session_id}/present")
    expect(presenter.locator("#join-code")).to_have_text(spaced)
    expect(presenter.locator(".join-banner img.qr")).to_be_visible()

    # Move to the first exercise.
    control.click("#next")
    expect(presenter.locator("#present-title")).to_have_text("Expectations")

    phones = [Phone(browser, n) for n in ("typed", "qr", "third")]
    try:
        typed, by_qr, third = phones
        # One types the code (with a dash), one follows the QR link, one types it plainly.
        typed.page.goto(server.url + "/")
        typed.page.fill("#code", code[:4] + "-" + code[4:])
        typed.page.fill("#name", "Kari")
        typed.page.click("button[type=submit]")
        by_qr.page.goto(join_url)
        by_qr.page.click("button[type=submit]")
        third.page.goto(server.url + "/")
        third.page.fill("#code", spaced)
        third.page.click("button[type=submit]")
        for phone in phones:
            expect(phone.page.locator("#item-title")).to_have_text("Expectations")
            expect(phone.page.locator("#connection")).to_have_attribute("data-state", "connected")
        expect(control.locator("#phones-connected")).to_have_text("3 phones connected")

        for phone in phones:
            phone.answer(f"Answer from {phone.name}")
        for phone in phones:
            expect(phone.page.locator("#own li")).to_have_count(1)
            expect(phone.page.locator("#all-sent")).to_be_visible()
        wall = presenter.locator(".wall li")
        expect(wall).to_have_count(3, timeout=2000)
        expect(presenter.locator("#present-counts")).to_have_text("3 phones have answered")

        # A reload shows the phone its own answer.
        typed.page.reload()
        expect(typed.page.locator("#own li")).to_contain_text("Answer from typed")

        # The facilitator hides one answer: it leaves the projector.
        row = control.locator(".responses li", has_text="Answer from qr")
        row.locator("button[name=hidden]").click()
        expect(wall).to_have_count(2)
        expect(presenter.locator(".wall")).not_to_contain_text("Answer from qr")

        # Moving on: every phone follows within a second.
        control.click("#next")
        for phone in phones:
            expect(phone.page.locator("#item-title")).to_have_text("Contributions", timeout=1000)

        # A phone offline answers; back online, the answer is stored exactly once.
        third.context.set_offline(True)
        third.answer("Sent while offline")
        expect(third.page.locator("#answer-form .send-status")).to_have_text(
            re.compile("trying again"), timeout=8000
        )
        third.context.set_offline(False)
        expect(third.page.locator("#own li")).to_have_count(1, timeout=10_000)
        stored = _rows(
            server,
            "SELECT count(*) FROM responses r JOIN agenda_items i"
            " ON i.id = r.item_id WHERE i.title = 'Contributions'"
            " AND r.value LIKE '%Sent while offline%'",
        )
        assert stored == [(1,)]

        # The server restarts on the same database; phones reconnect by themselves.
        for phone in phones:
            phone.page.evaluate("window.__noReload = true")
            expect(phone.page.locator("#connection")).to_have_attribute("data-state", "connected")
        server.stop()
        for phone in phones:
            expect(phone.page.locator("#connection")).to_have_attribute("data-state", "offline")
        server.start()
        for phone in phones:
            expect(phone.page.locator("#connection")).to_have_attribute(
                "data-state", "connected", timeout=15_000
            )
        control.reload()
        control.click("#next")
        for phone in phones:
            expect(phone.page.locator("#item-title")).to_have_text("Lunch", timeout=5000)
            assert phone.page.evaluate("window.__noReload === true")
    finally:
        for phone in phones:
            phone.close()
    assert_clean(control, problems)
    assert_clean(presenter, problems)


def test_a_wrong_code_gets_a_clear_message(browser: Browser, server: LiveServer) -> None:
    phone = Phone(browser, "wrong")
    try:
        phone.page.goto(server.url + "/")
        phone.page.fill("#code", "0000 0000")
        phone.page.click("button[type=submit]")
        expect(phone.page.locator("#join-error")).to_have_text(
            "No session has that code. Check the code on the screen."
        )
    finally:
        phone.close()


def test_presenter_countdown_follows_the_server_timer(
    browser: Browser, server: LiveServer, facilitator_context: BrowserContext
) -> None:
    page: Page = facilitator_context.new_page()
    problems = PageProblems()
    watch(page, problems)
    page.goto(server.url + "/programmes")
    page.click("#programmes a")
    page.click("#sessions a")
    session_id = int(page.url.rsplit("/", 1)[1])
    page.goto(f"{server.url}/sessions/{session_id}/control")
    if page.locator("#start-session").count():
        page.click("#start-session")
    page.click(".control-agenda li:has-text('Expectations') button")
    expect(page.locator("#current-title")).to_have_text("Expectations")
    page.click("#timer-start")
    countdown = page.locator("#countdown")
    expect(countdown).to_have_text(re.compile(r"^(10:00|9:5\d)$"))
    page.click("#timer-extend")
    expect(countdown).to_have_text(re.compile(r"^1[01]:\d\d$"))
    page.click("#timer-pause")
    expect(countdown).to_have_class(re.compile("paused"))
    page.click("#timer-end")
    expect(countdown).to_have_text("0:00")
    assert_clean(page, problems)


def test_a_phone_loads_little_and_only_from_us(
    browser: Browser, server: LiveServer, facilitator_context: BrowserContext
) -> None:
    control = facilitator_context.new_page()
    control.goto(server.url + "/programmes")
    control.click("#programmes a")
    control.click("#sessions a")
    session_id = int(control.url.rsplit("/", 1)[1])
    control.goto(f"{server.url}/sessions/{session_id}/control")
    code = control.inner_text("#control-code").replace(" ", "")

    phone = Phone(browser, "weight")
    hosts: set[str] = set()
    sizes: list[int] = []
    phone.page.on("request", lambda request: hosts.add(request.url.split("/")[2]))

    def on_finished(request) -> None:  # type: ignore[no-untyped-def]
        sizes.append(max(0, request.sizes()["responseBodySize"]))  # as sent; -1 when cached

    phone.page.on("requestfinished", on_finished)
    try:
        join_phone(phone.page, server, code)
        phone.page.wait_for_load_state("networkidle")
    finally:
        phone.close()
    assert hosts == {f"127.0.0.1:{server.port}"}
    assert sum(sizes) < 100_000, sizes


def test_two_facilitators_see_each_others_changes(
    browser: Browser, server: LiveServer, facilitator_context: BrowserContext
) -> None:
    owner = facilitator_context.new_page()
    problems = PageProblems()
    watch(owner, problems)
    owner.goto(server.url + "/programmes")
    owner.click("#programmes a")
    programme_url = owner.url
    server.add_facilitator("colleague", "colleague password 1")
    owner.fill("#invite-username", "colleague")
    owner.click("form[action$='/facilitators'] button[type=submit]")
    owner.goto(programme_url)
    owner.click("#sessions a")
    session_id = int(owner.url.rsplit("/", 1)[1])
    owner.goto(f"{server.url}/sessions/{session_id}/control")

    colleague_context = new_context(browser, locale="en-GB")
    try:
        colleague = watch(colleague_context.new_page(), problems)
        log_in(colleague, server, "colleague", "colleague password 1")
        colleague.goto(f"{server.url}/sessions/{session_id}/control")
        expect(colleague.locator("#connection")).to_have_attribute("data-state", "connected")
        owner.click(".control-agenda li:has-text('Welcome') button")
        expect(colleague.locator("#current-title")).to_have_text("Welcome")
        colleague.click("#next")
        expect(owner.locator("#current-title")).to_have_text("Expectations")
        colleague.click("#lock-toggle")
        expect(owner.locator("#lock-toggle")).to_have_text("Unlock answers")
        colleague.click("#lock-toggle")
        expect(owner.locator("#lock-toggle")).to_have_text("Lock answers")
        assert_clean(colleague, problems)
    finally:
        colleague_context.close()
    assert_clean(owner, problems)
