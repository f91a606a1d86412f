"""What changes on a phone without a reload is announced: the text changes inside a live
region that was on the page before the change (a region inserted with its text is not
read out). The connection's state (#connection), what was sent or saved, an error, the
item and the phase of group work as they change (#phone-said, #phone-alert).

The connection drops when the server stops; the module's server starts again on the same
database, so this module has a server of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import LiveServer, PageProblems, assert_clean, new_context, watch
from tests.live_helpers import close_clients, csrf_of, facilitator_client, live_session

PHONE = {"viewport": {"width": 360, "height": 640}, "locale": "en-GB"}
SOON = 8_000
AGENDA = """samling_agenda = 1

[[item]]
title = "What matters"
duration = 5
kind = "exercise"
exercise = "open_text"

[item.settings]
question = "What matters most today?"
answers_per_phone = 3
max_length = 200

[[item]]
title = "Co-creation"
duration = 10
kind = "exercise"
exercise = "group_work"

[item.settings]
task = "What does co-creation mean for us?"
phases = [
    { name = "Talk in the group", minutes = 5, mode = "group", instructions = "" },
    { name = "Share in plenary", minutes = 5, mode = "plenary", instructions = "" },
]

[[item]]
title = "Break"
duration = 5
kind = "break"

[[item]]
title = "Break"
duration = 5
kind = "break"
"""

# The live regions as they were when the page loaded: the same elements must say it.
_KEEP = """() => {
  window.__regions = ['connection', 'phone-said', 'phone-alert']
    .map((id) => document.getElementById(id));
}"""
_SAID = """(id) => {
  const el = document.getElementById(id);
  const kept = (window.__regions || []).indexOf(el) >= 0;
  return {kept, role: el.getAttribute('role'), live: el.getAttribute('aria-live'),
          text: el.textContent.trim()};
}"""


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    close_clients()


def said(page: Page, region: str, text: str | re.Pattern[str]) -> None:
    """The region loaded with the page says the text now."""
    expect(page.locator(f"#{region}")).to_have_text(text, timeout=SOON)
    found = page.evaluate(_SAID, region)
    assert found["kept"], f"#{region} was replaced, not changed: {found}"


def test_the_phone_says_what_changes_in_live_regions(browser: Browser, server: LiveServer) -> None:
    fac = facilitator_client(server, "announcer", "announcer password 1")
    live = live_session(server, fac, None, AGENDA)
    csrf = csrf_of(fac)

    def facilitate(path: str, **data: str) -> None:
        done = fac.post(f"/sessions/{live.id}/live/{path}", data={**data, "csrf_token": csrf})
        assert done.status_code in (204, 303), done.text

    ctx = new_context(browser, **PHONE)
    problems = PageProblems()
    phone = watch(ctx.new_page(), problems)
    try:
        phone.goto(f"{server.url}/j/{live.code}")
        phone.click("button[type=submit]")
        phone.evaluate(_KEEP)
        # The regions' roles: polite status for news, an alert for errors.
        for region, role in (("connection", "status"), ("phone-said", "status")):
            found = phone.evaluate(_SAID, region)
            assert found["role"] == role and found["live"] == "polite", found
        assert phone.evaluate(_SAID, "phone-alert")["role"] == "alert"
        said(phone, "connection", "Connected")
        expect(phone.locator("#item-title")).to_have_text("What matters")

        # Sent: the form's own status says "Sending…", the page's region "Sent".
        phone.fill("#answer-text", "Time to think")
        phone.click("#answer-form button[type=submit]")
        said(phone, "phone-said", "Sent")

        # An error the server gives (an answer of spaces only) is said in the alert region.
        phone.fill("#answer-text", "   ")
        phone.click("#answer-form button[type=submit]")
        expect(phone.locator("#answers .field-error")).to_be_visible(timeout=SOON)
        error = phone.inner_text("#answers .field-error").strip()
        assert error
        said(phone, "phone-alert", error)
        assert phone.locator("#answers [role=alert]").count() == 0

        # The item changes: its title is said, and where its phases are.
        facilitate("step", by="1")
        said(
            phone, "phone-said", "Now: Co-creation. Phase 1 of 2 · In the groups. Talk in the group"
        )

        # Group work: "Saved" for the notes, and the next phase is said.
        facilitate("groups", how="count", number="1")
        facilitate("timer", action="start")
        expect(phone.locator("#note-text")).to_be_visible(timeout=SOON)
        phone.fill("#note-text", "Mine")
        phone.click("#notepad button[type=submit]")
        said(phone, "phone-said", "Saved")
        facilitate("timer", action="skip")
        said(phone, "phone-said", "Phase 2 of 2 · Plenary. Share in plenary")

        # Two items of the same title: the second is said too.
        facilitate("step", by="1")
        said(phone, "phone-said", "Now: Break")
        phone.evaluate("document.getElementById('phone-said').textContent = ''")
        facilitate("step", by="1")
        said(phone, "phone-said", "Now: Break")

        # The connection drops and comes back: #connection says so both times.
        server.stop()
        said(phone, "connection", "Offline – reconnecting…")
        server.start()
        said(phone, "connection", re.compile("^(Connecting…|Connected)$"))
        said(phone, "connection", "Connected")
        assert_clean(phone, problems)
    finally:
        ctx.close()
