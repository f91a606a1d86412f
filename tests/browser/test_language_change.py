"""The facilitator changes the participants' language during a live session, in real
Chromium: the presenter and a phone that chose no language of its own follow at once,
without a reload (their pushed regions, their page's lang, the connection's words, the
footer); a phone that chose its own keeps it, and so does the control panel; text typed on
the following phone stays where it was."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import (
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)
from tests.browser.rooms import PHONE
from tests.live_helpers import close_clients, csrf_of, facilitator_client, live_session

AGENDA = """samling_agenda = 1

[[item]]
title = "Hva tar du med?"
duration = 10
kind = "exercise"
exercise = "open_text"
[item.settings]
question = "Hva tar du med hjem?"
"""

USER, PASSWORD = "skifte", "skifte password 1"


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    close_clients()


def _programme_of(fac, session_id: int) -> int:  # type: ignore[no-untyped-def]
    found = re.search(r'href="/programmes/(\d+)"', fac.get(f"/sessions/{session_id}").text)
    assert found
    return int(found[1])


def test_the_presenter_and_following_phones_change_language_live(
    browser: Browser, server: LiveServer
) -> None:
    fac = facilitator_client(server, USER, PASSWORD)  # an English account
    live = live_session(server, fac, agenda=AGENDA)
    csrf = csrf_of(fac)
    problems = PageProblems()

    facilitator = new_context(browser, locale="en-GB")
    control = watch(facilitator.new_page(), problems)
    log_in(control, server, USER, PASSWORD)
    control.goto(f"{server.url}/sessions/{live.id}/control")
    expect(control.locator("#connection")).to_have_attribute("data-state", "connected")
    presenter = watch(facilitator.new_page(), problems)
    presenter.set_viewport_size({"width": 1600, "height": 900})
    presenter.goto(f"{server.url}/sessions/{live.id}/present")
    expect(presenter.locator("#connection")).to_have_attribute("data-state", "connected")
    expect(presenter.locator("html")).to_have_attribute("lang", "en")
    expect(presenter.locator(".join-banner img.qr")).to_have_attribute("alt", "QR code to join")

    # One phone speaks the session's language; the other chose nynorsk.
    contexts = [new_context(browser, **{**PHONE, "locale": "nb-NO"}) for _ in range(2)]
    following, own = (watch(c.new_page(), problems) for c in contexts)
    for phone in (following, own):
        phone.goto(f"{server.url}/j/{live.code}")
        phone.click("button[type=submit]")
        phone.wait_for_url(re.compile(rf"/s/{live.code}$"))
    own.locator("#phone-languages a[data-language=nn]").click()
    own.wait_for_url(re.compile(rf"/s/{live.code}$"))
    for phone, lang, label, connected in (
        (following, "en", "Your answer", "Connected"),
        (own, "nn", "Svaret ditt", "Tilkopla"),
    ):
        expect(phone.locator("html")).to_have_attribute("lang", lang)
        expect(phone.locator("#connection")).to_have_text(connected)
        expect(phone.locator("label[for=answer-text]")).to_have_text(label)
    following.locator("#answer-text").fill("Halvt skrive")
    following.locator("#answer-text").focus()

    # The facilitator changes the programme's participants' language to Danish.
    programme = _programme_of(fac, live.id)
    saved = fac.post(
        f"/programmes/{programme}/language", data={"language": "da", "csrf_token": csrf}
    )
    assert saved.status_code == 303

    expect(presenter.locator("html")).to_have_attribute("lang", "da")
    expect(presenter.locator(".join-banner img.qr")).to_have_attribute(
        "alt", "QR-kode til at deltage"
    )
    expect(following.locator("html")).to_have_attribute("lang", "da")
    expect(following.locator("label[for=answer-text]")).to_have_text("Dit svar")
    expect(following.locator("#connection")).to_have_text("Forbundet")
    expect(following.locator("#accessibility-link")).to_have_text("Tilgængelighedserklæring")
    expect(following.locator("#phone-languages a[aria-current=true]")).to_have_text("Dansk")
    # What was typed stays, with the focus on it.
    expect(following.locator("#answer-text")).to_have_value("Halvt skrive")
    expect(following.locator("#answer-text")).to_be_focused()
    # The phone that chose nynorsk keeps it, the control panel its facilitator's English
    # (the same push reached them: its other screens have it already).
    expect(own.locator("html")).to_have_attribute("lang", "nn")
    expect(own.locator("label[for=answer-text]")).to_have_text("Svaret ditt")
    expect(own.locator("#connection")).to_have_text("Tilkopla")
    expect(control.locator("html")).to_have_attribute("lang", "en")
    expect(control.locator("#accessibility-link")).to_have_text("Accessibility statement")

    # The following phone's answers and pages now come in Danish.
    following.locator("#answer-form button[type=submit]").click()
    expect(following.locator("#own li").first).to_be_attached()
    following.reload()
    expect(following.locator("html")).to_have_attribute("lang", "da")

    # And the session's own language wins again over the programme's, live too.
    saved = fac.post(f"/sessions/{live.id}/language", data={"language": "nb", "csrf_token": csrf})
    assert saved.status_code == 303
    expect(presenter.locator("html")).to_have_attribute("lang", "nb")
    expect(following.locator("html")).to_have_attribute("lang", "nb")
    expect(following.locator("#connection")).to_have_text("Tilkoblet")
    expect(following.locator("h2.own-heading")).to_have_text("Dine svar")
    expect(own.locator("html")).to_have_attribute("lang", "nn")

    for page in (control, presenter, following, own):
        assert_clean(page, problems)
    for context in contexts:
        context.close()
    facilitator.close()
