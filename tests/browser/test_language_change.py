"""The facilitator changes the participants' language during a live session, in real
Chromium: the presenter and a phone that chose no language of its own follow at once,
without a reload (their pushed regions, their page's lang, the connection's words, the
footer); a phone that chose its own keeps it, and so does the control panel; text typed on
the following phone stays where it was. Every word the presenter and the following phone
show or say (their text, hidden or not, labels, alternatives and the words their scripts
say) is then what the same page says when it is loaded afresh in the new language."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

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


# Every word of the page: its text nodes (hidden ones too), the labels, alternatives and
# hints of its elements, and the words in their data- attributes (those the scripts say);
# digits as "#" (the countdown runs on), the page's scripts' bookkeeping left out.
WORDS = """() => {
  const words = [document.documentElement.lang, document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("script, style")) continue;
    if (node.nodeValue.trim()) words.push(node.nodeValue.trim());
  }
  const said = ["aria-label", "alt", "title", "placeholder", "aria-description"];
  const kept = /^data-(fit|state|server-now|token|code|page-|paging|item|stage|mine)/;
  for (const el of document.body.querySelectorAll("*")) {
    if (el.id === "page-language") continue;  // the words a push brings, to put in place
    for (const a of el.attributes) {
      if (!said.includes(a.name) && !a.name.startsWith("data-")) continue;
      if (kept.test(a.name)) continue;
      if (a.value.trim()) words.push(`${a.name}=${a.value.trim()}`);
    }
  }
  return words.map((w) => w.replace(/\\d+/g, "#"));
}"""


def _words(page: Page, ready: Locator) -> Counter[str]:
    expect(ready).to_have_attribute("data-state", "connected")
    return Counter(page.evaluate(WORDS))


def assert_says_what_a_fresh_page_says(page: Page) -> None:
    """The page, changed live, has the words it has when it is loaded again now."""
    live = _words(page, page.locator("#connection"))
    page.reload()
    fresh = _words(page, page.locator("#connection"))
    assert live == fresh, (
        f"left from before: {sorted((live - fresh).elements())}; "
        f"missing: {sorted((fresh - live).elements())}"
    )


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
        if phone is following:  # its footer says the name it joined with
            phone.fill("#name", "Testa <b>Hansen</b>")
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

    # No word of the old language is left on either (a reload shows the same page).
    assert_says_what_a_fresh_page_says(presenter)
    following.locator("#answer-text").fill("")
    assert_says_what_a_fresh_page_says(following)
    expect(following.locator("html")).to_have_attribute("lang", "da")

    # The following phone's answers and pages now come in Danish.
    following.locator("#answer-text").fill("Halvt skrive")
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
