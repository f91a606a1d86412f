"""The phone's less used controls with the keyboard alone, as test_keyboard_phone.py walks
the kinds (its setup imported, not copied): a reflection's recovery code typed at the
programme's next session, the poster's compare-versions and the view that settles a
conflict of two phones' edits, and the language menu on the join page and the live page.
Tab, Shift+Tab, Enter, the arrows and typing; the focus is seen at every stop. What the
phone did is read back from the store or the page. The other phone uses the mouse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import LiveServer, PageProblems, assert_clean, new_context, watch
from tests.browser.keyboard import activate, assert_focus_visible, tab_to, type_text
from tests.browser.rooms import join_phone
from tests.browser.test_keyboard_phone import (
    PHONE,
    SOON,
    Facilitator,
    join_by_keyboard,
    rows,
    send,
)
from tests.integration.test_reflection import first_item, programme_of, save, started
from tests.live_helpers import close_clients, facilitator_client, join

RECOVERY = re.compile(r'id="recovery-code-value">([A-Z0-9-]+)<')
TEXT = "SELECT json_extract(value, '$.text') FROM responses WHERE id = ?"


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    close_clients()


class Phones:
    """The test's phones, each watched for problems and closed at the end."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: list[BrowserContext] = []
        self.watched: list[tuple[Page, PageProblems]] = []

    def new(self) -> Page:
        context = new_context(self.browser, **PHONE)
        self.contexts.append(context)
        problems = PageProblems()
        page = watch(context.new_page(), problems)
        self.watched.append((page, problems))
        return page

    def close(self) -> None:
        for page, problems in self.watched:
            assert_clean(page, problems)
        for context in self.contexts:
            context.close()


def test_a_reflections_recovery_code_typed_with_the_keyboard(
    browser: Browser, server: LiveServer
) -> None:
    """At the programme's first session another device wrote notes and was shown its
    code; at the next, a phone opens "Wrote reflections … on another phone?" with Enter,
    is told what to type when it sends nothing or a wrong code, and types the code."""
    fac = facilitator_client(server, "keyrecover", "keyrecover password 1")
    programme = programme_of(fac)
    first, code1 = started(server, fac, programme, "Day one")
    writer = join(server, code1)
    saved = save(writer, first_item(server, first), "Listen more", "", key="keyrecover-0001")
    found = RECOVERY.search(saved.text)
    assert found, saved.text
    recovery = found[1]
    _second, code2 = started(server, fac, programme, "Day two")
    phones = Phones(browser)
    try:
        phone = phones.new()
        join_by_keyboard(phone, server, code2, "Kim Keys")
        expect(phone.locator("#reflection-form")).to_be_visible()
        recover = "#reflection-recover"
        send(phone, f"{recover} summary")
        expect(phone.locator(recover)).to_have_attribute("open", "")
        assert_focus_visible(phone, "on the opened recovery box")
        # Nothing typed: the phone is told what to type; the box stays open, the focus in
        # its field, which points to the message.
        field = phone.locator("#reflection-code")
        tab_to(phone, "#reflection-code")
        send(phone, f"{recover} button[type=submit]")
        said = phone.locator("#mine-problem")
        expect(said).to_contain_text("Type the recovery code", timeout=SOON)
        expect(phone.locator(recover)).to_have_attribute("open", "")
        expect(field).to_be_focused()
        expect(field).to_have_attribute("aria-describedby", "mine-problem")
        assert_focus_visible(phone, "after an empty code")
        # A wrong code: the same, and what was typed is still there.
        type_text(phone, "AAAA-BBBB-CCCC")
        activate(phone)
        expect(said).to_contain_text("No one has that recovery code", timeout=SOON)
        expect(field).to_be_focused()
        expect(field).to_have_value("AAAA-BBBB-CCCC")
        assert_focus_visible(phone, "after a wrong code")
        # The code, typed as it is said (small letters, spaces): the earlier notes come.
        activate(phone, "Control+a")
        type_text(phone, recovery.lower().replace("-", " "))
        activate(phone)
        earlier = phone.locator("#reflection-earlier")
        expect(earlier).to_contain_text("Listen more", timeout=SOON)
        expect(earlier).to_contain_text("Day one")
        assert_focus_visible(phone, "after the earlier notes came")
        # Today's questions are next to them, reached with Tab.
        tab_to(phone, "#reflection-answer-1", backwards=True)
        type_text(phone, "Ask first")
        send(phone, re.compile("Save my reflections"))
        expect(phone.locator("#reflection-status")).to_have_text("Saved", timeout=SOON)
    finally:
        phones.close()


def test_the_posters_versions_compared_and_a_conflict_settled_with_the_keyboard(
    browser: Browser, server: LiveServer
) -> None:
    """Two phones of one group: the keyboard one saves two versions, compares them with
    the selects and closes the comparison; then both edit the same point, and the keyboard
    one settles the conflict by combining the texts."""
    fac = Facilitator(server, "keyposter")
    phones = Phones(browser)
    try:
        phone = phones.new()
        join_by_keyboard(phone, server, fac.live.code, "Kim Keys")
        other = join_phone(phones.new(), server, fac.live.code, name="Mo Mouse")
        item = fac.go("Purpose poster", phone, other)
        fac.post("groups", how="count", number="1")
        expect(phone.locator("#group-name")).to_be_visible(timeout=SOON)
        points = phone.locator("#poster-points li[id^=point-]")

        # A point, a version; another point, a second version.
        tab_to(phone, "#point-text")
        type_text(phone, "trust")
        send(phone, "#point-form button[type=submit]")
        expect(points).to_have_count(1, timeout=SOON)
        tab_to(phone, "#version-name")
        type_text(phone, "One")
        activate(phone)
        expect(phone.locator("#version-list li")).to_have_count(1, timeout=SOON)
        tab_to(phone, "#point-text", backwards=True)
        type_text(phone, "time")
        send(phone, "#point-form button[type=submit]")
        expect(points).to_have_count(2, timeout=SOON)
        tab_to(phone, "#version-name")
        type_text(phone, "Two")
        activate(phone)
        expect(phone.locator("#version-list li")).to_have_count(2, timeout=SOON)

        # Compare "One" with "Two": the arrows pick in the selects, Enter compares.
        tab_to(phone, "#compare-old")
        while "One" not in phone.eval_on_selector(
            "#compare-old", "s => s.selectedOptions[0].textContent"
        ):
            activate(phone, "ArrowUp")
            assert_focus_visible(phone, "on the first version's select")
        tab_to(phone, "#compare-new")
        while "Two" not in phone.eval_on_selector(
            "#compare-new", "s => s.selectedOptions[0].textContent"
        ):
            activate(phone, "ArrowDown")
            assert_focus_visible(phone, "on the second version's select")
        send(phone, "#compare-button")
        expect(phone.locator("#phone-diff ins")).to_have_text("time", timeout=SOON)
        assert_focus_visible(phone, "after comparing")
        send(phone, "#compare-close")
        expect(phone.locator("#poster-compared")).to_have_count(0, timeout=SOON)
        assert_focus_visible(phone, "after closing the comparison")

        # Both phones edit "trust": the keyboard one's save meets the other's change.
        trust = rows(
            server, "SELECT id FROM responses WHERE item_id = ? AND value LIKE '%trust%'", item
        )[0][0]
        send(phone, f"#edit-{trust}-summary")
        tab_to(phone, f"#point-edit-{trust}")
        activate(phone, "End")
        type_text(phone, " and care")
        other.click(f"#edit-{trust}-summary")
        other.fill(f"#point-edit-{trust}", "trust each other")
        other.click(f"#point-save-{trust}")
        expect(points.first).to_contain_text("trust each other", timeout=SOON)
        send(phone, f"#point-save-{trust}")
        conflict = phone.locator(f"#conflict-{trust}")
        expect(conflict).to_contain_text("trust and care", timeout=SOON)
        expect(conflict).to_contain_text("trust each other")
        assert_focus_visible(phone, "when the conflict is shown")
        # Past "Keep this text" and "Use this text" to "Combine them"; type; save.
        tab_to(phone, f"#choose-{trust}-1", backwards=True)
        tab_to(phone, f"#choose-{trust}-2")
        tab_to(phone, f"#combine-{trust}")
        activate(phone, "Control+a")
        type_text(phone, "trust and care for each other")
        send(phone, f"#combine-{trust}-save")
        expect(phone.locator(".poster-conflict")).to_have_count(0, timeout=SOON)
        expect(other.locator(".poster-conflict")).to_have_count(0, timeout=SOON)
        expect(points.first).to_contain_text("trust and care for each other")
        # The focus is on the settled point's Edit.
        expect(phone.locator(f"#edit-{trust}-summary")).to_be_focused()
        assert_focus_visible(phone, "after settling the conflict")
        assert rows(server, TEXT, trust) == [("trust and care for each other",)]
    finally:
        phones.close()


def test_the_phones_language_menu_with_the_keyboard(browser: Browser, server: LiveServer) -> None:
    """On the join page the phone picks nynorsk with Tab and Enter, joins in it, and on
    the live page picks Danish the same way; every page after a pick is in its language."""
    fac = Facilitator(server, "keylanguage")
    phones = Phones(browser)
    try:
        phone = phones.new()
        phone.goto(server.url + "/")
        menu = "#phone-languages"
        tab_to(phone, f"{menu} a[data-language=nn]")
        activate(phone)
        expect(phone.locator("html")).to_have_attribute("lang", "nn", timeout=SOON)
        expect(phone.locator(f"{menu} a[aria-current=true]")).to_have_text("Norsk nynorsk")
        join_by_keyboard(phone, server, fac.live.code, "Kim Keys", open_page=False)
        expect(phone.locator("#connection")).to_have_text("Tilkopla")
        expect(phone.locator("html")).to_have_attribute("lang", "nn")

        tab_to(phone, f"{menu} a[data-language=da]")
        activate(phone)
        expect(phone.locator("html")).to_have_attribute("lang", "da", timeout=SOON)
        expect(phone.locator(f"{menu} a[aria-current=true]")).to_have_text("Dansk")
        expect(phone.locator("#connection")).to_have_attribute("data-state", "connected")
        # The menu is reached again, past the page's own controls, and back to English.
        tab_to(phone, f"{menu} a[data-language=en]")
        activate(phone)
        expect(phone.locator("html")).to_have_attribute("lang", "en", timeout=SOON)
        expect(phone.locator("#connection")).to_have_text("Connected")
        cookies = {c["name"]: c["value"] for c in phone.context.cookies()}
        assert "en" in [v for k, v in cookies.items() if k.endswith("samling_phone_language")]
    finally:
        phones.close()
