"""Hostile text in real Chromium: whatever a facilitator or a phone types stays text.

Markup is stored through the forms and the UI, then every page that shows it is
opened: no dialog may open, no element may come from a payload (an ``<img>``,
an htmx attribute that would fetch ``/x``), and the text must read exactly as
typed. The ``page`` fixture fails the test on any CSP violation or script error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import (
    LiveServer,
    PageProblems,
    assert_clean,
    log_in,
    new_context,
    watch,
)

USER = "mallory"
PASSWORD = "mallory password 1"

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HTMX = "<div hx-get=/x hx-trigger=load>"
RLO = "Rapport \u202eslutt.exe"
ZERO_WIDTH = "Null\u200bbredde\u200d\ufeff og emoji 🎉👩\u200d👩\u200d👧"
PAYLOADS = [SCRIPT, IMG, HTMX, RLO, ZERO_WIDTH]


@pytest.fixture(scope="module")
def account(server: LiveServer) -> str:
    server.add_facilitator(USER, PASSWORD)
    return USER


@dataclass
class Tripwires:
    """What a payload that came alive would do: open a dialog, or fetch /x."""

    dialogs: list[str] = field(default_factory=list)
    fetched: list[str] = field(default_factory=list)


def _arm(page: Page) -> Tripwires:
    wires = Tripwires()

    def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
        wires.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on(
        "request",
        lambda request: (
            wires.fetched.append(request.url) if urlsplit(request.url).path == "/x" else None
        ),
    )
    return wires


def _assert_inert(page: Page, wires: Tripwires, where: str) -> None:
    page.wait_for_load_state("load")
    assert wires.dialogs == [], (where, wires.dialogs)
    assert page.locator("img[src='x']").count() == 0, where
    assert page.locator("[onerror]").count() == 0, where
    assert page.locator("[hx-get='/x']").count() == 0, where
    assert page.locator("[hx-trigger='load']").count() == 0, where
    assert page.locator("script:not([src])").count() == 0, where
    assert wires.fetched == [], (where, wires.fetched)


def _text(page: Page, selector: str) -> list[str]:
    """The exact text of each match (textContent: nothing normalised away)."""
    return [t or "" for t in page.locator(selector).all_text_contents()]


def _token(page: Page) -> str:
    value = page.locator("input[name=csrf_token]").first.get_attribute("value")
    assert value
    return value


def _post(page: Page, server: LiveServer, url: str, form: dict[str, str]) -> str:
    """Post a form with the browser's own cookies; return where it redirected."""
    response = page.request.post(
        server.url + url, form={**form, "csrf_token": _token(page)}, max_redirects=0
    )
    assert response.status == 303, (url, response.status, response.text()[:300])
    return response.headers["location"]


def _new_id(location: str) -> int:
    found = re.search(r"/(\d+)(?:[?#].*)?$", location)
    assert found, location
    return int(found[1])


@dataclass
class Stored:
    programme: int
    session: int
    items: list[int]


def _store_over_http(page: Page, server: LiveServer) -> Stored:
    """A programme, session and one item per payload, all through the forms."""
    programme = _new_id(_post(page, server, "/programmes", {"title": SCRIPT, "client": IMG}))
    session = _new_id(
        _post(page, server, f"/programmes/{programme}/sessions", {"title": HTMX, "place": RLO})
    )
    items = []
    for text in PAYLOADS:
        location = _post(
            page,
            server,
            f"/sessions/{session}/items",
            {
                "title": text,
                "duration": "10",
                "notes": text,
                "kind": "exercise",
                "exercise": "open_text",
                # Unlike the title: a question that only repeats it is not shown again.
                "settings.question": text + "?",
                "settings.answers_per_phone": "5",
            },
        )
        items.append(int(location.rsplit("#item-", 1)[1]))
    return Stored(programme, session, items)


def test_stored_hostile_text_is_shown_as_text(page: Page, server: LiveServer, account: str) -> None:
    wires = _arm(page)
    log_in(page, server, account, PASSWORD)
    stored = _store_over_http(page, server)

    page.goto(server.url + "/programmes")
    _assert_inert(page, wires, "programme list")
    assert SCRIPT in _text(page, "#programmes strong")
    assert IMG in _text(page, "#programmes .muted")
    expect(page.locator("#programmes strong", has_text="alert(1)")).to_be_visible()

    page.goto(f"{server.url}/programmes/{stored.programme}")
    _assert_inert(page, wires, "programme page")
    assert _text(page, "h1") == [SCRIPT]
    assert page.title() == f"{SCRIPT} · Samling"
    assert HTMX in _text(page, "#sessions a")
    assert any(RLO in t for t in _text(page, "#sessions .muted"))
    assert page.locator("input[name=title]").last.input_value() == SCRIPT

    page.goto(f"{server.url}/sessions/{stored.session}")
    _assert_inert(page, wires, "agenda editor")
    assert _text(page, "h1") == [HTMX]
    assert _text(page, "#agenda-list .item-title") == PAYLOADS
    assert _text(page, "#agenda-list .notes") == PAYLOADS
    assert _text(page, "#agenda-list .question .prompt") == [p + "?" for p in PAYLOADS]
    expect(page.locator("#agenda-list .item-title").first).to_be_visible()
    edit = page.locator(f"#item-{stored.items[1]}").get_by_role("link", name="Edit")
    assert edit.get_attribute("aria-label") == f"Edit {IMG}"

    # An item in edit mode: its values go into form fields, through an htmx swap.
    edit.click()
    expect(page.locator("#edit-title")).to_have_value(IMG)
    _assert_inert(page, wires, "an item opened for editing")
    assert page.locator("#edit-notes").input_value() == IMG
    question = page.locator("#edit-form textarea[name='settings.question']")
    assert question.input_value() == IMG + "?"
    # Saved unchanged, it comes back the same.
    page.click("#edit-form button[type=submit]")
    expect(page.locator("#edit-form")).to_have_count(0)
    _assert_inert(page, wires, "after saving the item")
    assert _text(page, "#agenda-list .item-title") == PAYLOADS

    # The same by a full page load of the edit address, for every item.
    for item, text in zip(stored.items, PAYLOADS, strict=True):
        page.goto(f"{server.url}/sessions/{stored.session}?edit={item}")
        _assert_inert(page, wires, f"?edit={item}")
        assert page.locator("#edit-title").input_value() == text
        assert page.locator("#edit-notes").input_value() == text


def test_hostile_text_typed_into_the_ui_stays_text(
    page: Page, server: LiveServer, account: str
) -> None:
    wires = _arm(page)
    log_in(page, server, account, PASSWORD)
    page.fill("#title", IMG)
    page.fill("#client", HTMX)
    page.click("form[action='/programmes'] button[type=submit]")
    page.wait_for_url(re.compile(r"/programmes/\d+$"))
    _assert_inert(page, wires, "new programme")
    assert _text(page, "h1") == [IMG]

    page.fill("#session-title", SCRIPT)
    page.fill("#session-place", ZERO_WIDTH)
    page.click("form[action$='/sessions'] button[type=submit]")
    page.wait_for_url(re.compile(r"/sessions/\d+$"))
    _assert_inert(page, wires, "new session")
    assert _text(page, "h1") == [SCRIPT]

    # Items through the editor's htmx form, one per payload.
    page.evaluate("window.__samePage = true")
    for text in PAYLOADS:
        page.fill("#new-title", text)
        page.fill("#new-duration", "5")
        page.select_option("#new-kind", "exercise")
        page.fill("#new-form textarea[name='settings.question']", text + "?")
        page.fill("#new-notes", text)
        page.click("#new-form button[type=submit]")
        expect(page.locator("#agenda-list .item-title")).to_have_count(PAYLOADS.index(text) + 1)
    assert page.evaluate("window.__samePage === true")
    _assert_inert(page, wires, "items added with htmx")
    assert _text(page, "#agenda-list .item-title") == PAYLOADS
    assert _text(page, "#agenda-list .question .prompt") == [p + "?" for p in PAYLOADS]

    # Edit one in place: its title becomes another payload.
    page.locator("#agenda-list li").nth(3).get_by_role("link", name="Edit").click()
    expect(page.locator("#edit-title")).to_have_value(RLO)
    page.fill("#edit-title", HTMX + " " + SCRIPT)
    page.click("#edit-form button[type=submit]")
    expect(page.locator("#edit-form")).to_have_count(0)
    _assert_inert(page, wires, "an item edited in place")
    assert _text(page, "#agenda-list .item-title")[3] == HTMX + " " + SCRIPT

    page.reload()
    _assert_inert(page, wires, "the editor reloaded")
    assert _text(page, "#agenda-list .item-title")[3] == HTMX + " " + SCRIPT


def test_hostile_text_on_the_live_screens_and_a_phone(
    browser: Browser, page: Page, server: LiveServer, account: str
) -> None:
    """Titles and questions pushed over the websocket, and answers typed on a phone."""
    wires = _arm(page)
    log_in(page, server, account, PASSWORD)
    stored = _store_over_http(page, server)
    page.goto(f"{server.url}/sessions/{stored.session}/control")
    page.click("#start-session")
    expect(page.locator("#control-code")).to_have_text(re.compile(r"^\d{4} \d{4}$"))
    code = page.inner_text("#control-code").replace(" ", "")

    presenter_problems = PageProblems()
    presenter = watch(page.context.new_page(), presenter_problems)
    presenter_wires = _arm(presenter)
    presenter.goto(f"{server.url}/sessions/{stored.session}/present")
    expect(presenter.locator("#join-code")).to_be_visible()

    phone_context = new_context(browser, locale="en-GB", viewport={"width": 360, "height": 640})
    phone_problems = PageProblems()
    phone = watch(phone_context.new_page(), phone_problems)
    phone_wires = _arm(phone)
    try:
        phone.goto(server.url + "/")
        phone.fill("#code", code)
        phone.click("button[type=submit]")
        expect(phone.locator("#connection")).to_have_attribute("data-state", "connected")
        # Each item in turn: the projector and the phone follow, showing it as text.
        for index, text in enumerate(PAYLOADS):
            if index:
                page.click("#next")
            expect(presenter.locator("#present-title")).to_have_text(
                re.compile(re.escape(text.split("\u200b")[0]))
            )
            expect(phone.locator("#item-title")).to_have_text(
                re.compile(re.escape(text.split("\u200b")[0]))
            )
            assert _text(presenter, "#present-title") == [text]
            assert _text(phone, "#item-title") == [text]
            assert any(text in t for t in _text(phone, "main"))
        # The phone answers with every payload; the control panel gets them live.
        for text in PAYLOADS:
            phone.fill("#answer-text", text)
            phone.click("#answer-form button[type=submit]")
            expect(phone.locator("#own li")).to_have_count(PAYLOADS.index(text) + 1)
        expect(page.locator(".responses li")).to_have_count(len(PAYLOADS))
        answers = " ".join(_text(page, ".responses li"))
        assert all(unicodedata.normalize("NFC", t) in answers for t in PAYLOADS)
        assert all(t in " ".join(_text(phone, "#own li")) for t in PAYLOADS)
        if page.get_attribute("#results-toggle", "value") == "show":
            page.click("#results-toggle")
        expect(presenter.locator(".wall li")).to_have_count(len(PAYLOADS))
        assert _text(presenter, ".wall li") == PAYLOADS
        for where, p, w in (
            ("control panel", page, wires),
            ("presenter", presenter, presenter_wires),
            ("phone", phone, phone_wires),
        ):
            _assert_inert(p, w, where)
        phone.reload()
        _assert_inert(phone, phone_wires, "phone reloaded")
        assert all(t in " ".join(_text(phone, "#own li")) for t in PAYLOADS)
    finally:
        assert_clean(phone, phone_problems)
        phone_context.close()
    assert_clean(presenter, presenter_problems)
