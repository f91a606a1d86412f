"""A session in Danish, in real Chromium: a phone with an English browser joins and gets
Danish, switches to nynorsk on the live page and keeps it after a reload (its pushes come
in nynorsk too); the presenter stays Danish, with the scale's mean written as Danes write
it ("4,0"); the facilitator's control panel stays in their own English."""

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
title = "Trivsel"
duration = 10
kind = "exercise"
exercise = "scale"
[item.settings]
statements = ["Jeg trives på arbejdet", "Jeg får brugt mine evner"]

[[item]]
title = "Hvad tager du med?"
duration = 10
kind = "exercise"
exercise = "open_text"
[item.settings]
question = "Hvad tager du med hjem?"
"""

USER, PASSWORD = "sprog", "sprog password 1"


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    close_clients()


def test_a_danish_session_a_phone_that_switches_to_nynorsk_and_a_danish_presenter(
    browser: Browser, server: LiveServer
) -> None:
    fac = facilitator_client(server, USER, PASSWORD)  # an English account
    live = live_session(server, fac, agenda=AGENDA)
    csrf = csrf_of(fac)
    saved = fac.post(f"/sessions/{live.id}/language", data={"language": "da", "csrf_token": csrf})
    assert saved.status_code == 303
    spaced = f"{live.code[:4]} {live.code[4:]}"
    problems = PageProblems()

    facilitator = new_context(browser, locale="en-GB")
    screens = watch(facilitator.new_page(), problems)
    log_in(screens, server, USER, PASSWORD)
    screens.goto(f"{server.url}/sessions/{live.id}/control")
    expect(screens.locator("html")).to_have_attribute("lang", "en")
    presenter = watch(facilitator.new_page(), problems)
    presenter.set_viewport_size({"width": 1600, "height": 900})
    presenter.goto(f"{server.url}/sessions/{live.id}/present")
    expect(presenter.locator("html")).to_have_attribute("lang", "da")
    expect(presenter.locator("#join-code")).to_have_text(spaced)
    expect(presenter.locator(".join-banner img.qr")).to_have_attribute(
        "alt", "QR-kode til at deltage"
    )

    # An English browser joins from the QR link and gets the session's Danish.
    phone_context = new_context(browser, **{**PHONE, "locale": "en-GB"})
    phone = watch(phone_context.new_page(), problems)
    phone.goto(f"{server.url}/j/{live.code}")
    expect(phone.locator("html")).to_have_attribute("lang", "da")
    expect(phone.locator("label[for=name]")).to_have_text("Dit navn (valgfrit)")
    expect(phone.locator("#phone-languages a[aria-current=true]")).to_have_text("Dansk")
    phone.click("button[type=submit]")
    phone.wait_for_url(re.compile(rf"/s/{live.code}$"))
    expect(phone.locator("html")).to_have_attribute("lang", "da")
    expect(phone.locator("#connection")).to_have_text("Forbundet")

    # It switches to nynorsk on the live page, and keeps it after a reload.
    phone.locator("#phone-languages a[data-language=nn]").click()
    phone.wait_for_url(re.compile(rf"/s/{live.code}$"))
    expect(phone.locator("html")).to_have_attribute("lang", "nn")
    expect(phone.locator("#phone-languages a[aria-current=true]")).to_have_text("Norsk nynorsk")
    expect(phone.locator("#connection")).to_have_text("Tilkopla")
    phone.reload()
    expect(phone.locator("html")).to_have_attribute("lang", "nn")
    expect(phone.locator("#connection")).to_have_text("Tilkopla")

    # It answers 4 to both statements: the Danish presenter shows the mean as "4,0".
    for row in phone.locator("#answer-form .scale-row").all():
        row.locator("label.scale-step").nth(3).click()
    phone.click("#answer-form button[type=submit]")
    expect(phone.locator("#own")).to_be_visible()
    item = live.item_ids[0]
    expect(presenter.locator(f"#mean-{item}-0")).to_have_text("4,0")
    expect(presenter.locator(f"#mean-{item}-1")).to_have_text("4,0")
    expect(presenter.locator(".scale-table thead th").nth(1)).to_have_text("Gennemsnit")
    expect(presenter.locator("html")).to_have_attribute("lang", "da")

    # The next item comes to the phone in nynorsk (a push), to the presenter in Danish.
    stepped = fac.post(f"/sessions/{live.id}/live/step", data={"by": "1", "csrf_token": csrf})
    assert stepped.status_code == 303
    expect(phone.locator("label[for=answer-text]")).to_have_text("Svaret ditt")
    expect(presenter.locator("#present-title")).to_have_text("Hvad tager du med?")
    expect(phone.locator("html")).to_have_attribute("lang", "nn")
    expect(screens.locator("html")).to_have_attribute("lang", "en")

    for page in (screens, presenter, phone):
        assert_clean(page, problems)
    phone_context.close()
    facilitator.close()
